//! Community events as validated from `calendar.yaml`: the data the model
//! holds. Loading, occurrences and feeds are in [`crate::calendar`], which
//! re-exports these types.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::Audience;

/// One event from `calendar.yaml`, validated.
#[derive(Debug, Clone)]
pub struct Event {
    /// Unique id, `[a-z0-9-]+`: the page is `events/<id>/`.
    pub id: String,
    /// Display title.
    pub title: String,
    /// When the (first occurrence of the) event happens, in its own zone.
    pub timing: Timing,
    /// IANA name of the event's zone (`Asia/Shanghai`).
    pub tz_name: String,
    /// The event's zone.
    pub tz: TimeZone,
    /// How it repeats, if it does.
    pub repeat: Option<Repeat>,
    /// Where: a place or a meeting tool's name. Member-only detail.
    pub location: Option<String>,
    /// Meeting link (http or https). Member-only detail.
    pub url: Option<String>,
    /// Markdown description. Member-only detail.
    pub description: Option<String>,
    /// Who may see the details.
    pub audience: EventAudience,
    /// 1-based line of the event in `calendar.yaml`, for later diagnostics.
    pub line: usize,
}

/// When an event happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// A timed event: local start in the event's zone and an exact length.
    Timed {
        /// Local start time.
        start: DateTime,
        /// Exact length (an `end` is turned into one at load time).
        duration: SignedDuration,
    },
    /// An all-day event spanning whole local days.
    AllDay {
        /// First day.
        start: Date,
        /// Number of days, at least 1 (so the exclusive end is `start + days`).
        days: i32,
    },
}

impl Timing {
    /// True for all-day events.
    pub fn is_all_day(&self) -> bool {
        matches!(self, Timing::AllDay { .. })
    }
}

/// How often an event repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Freq {
    /// Every day.
    Daily,
    /// Every week, on the start's weekday.
    Weekly,
    /// Every month, on the start's day of the month (months without that day are skipped, as RFC 5545 does).
    Monthly,
}

impl Freq {
    /// The RRULE name.
    pub fn rrule_name(self) -> &'static str {
        match self {
            Freq::Daily => "DAILY",
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
        }
    }
}

/// A repetition rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    /// Daily, weekly or monthly.
    pub freq: Freq,
    /// When it stops.
    pub end: RepeatEnd,
}

/// When a repetition stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatEnd {
    /// After this many occurrences (the first one included), at least 1.
    Count(u32),
    /// No occurrence starts after this local time in the event's zone
    /// (a date in `calendar.yaml` means the end of that day).
    Until(DateTime),
    /// Repeats indefinitely.
    Never,
}

/// Who may see an event's details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventAudience {
    /// Everything is public.
    #[default]
    Public,
    /// The public sees title and time only; location, link and description
    /// are for the members build.
    Members,
}

impl Event {
    /// Whether `audience` may see the location, link and description: the
    /// one place that decides it.
    pub fn details_visible(&self, audience: Audience) -> bool {
        self.audience == EventAudience::Public || audience == Audience::Members
    }

    /// True for a member-only event.
    pub fn members_only(&self) -> bool {
        self.audience == EventAudience::Members
    }

    /// The meeting link, if `audience` may see it.
    pub fn visible_url(&self, audience: Audience) -> Option<&str> {
        self.url
            .as_deref()
            .filter(|_| self.details_visible(audience))
    }

    /// The location, if `audience` may see it.
    pub fn visible_location(&self, audience: Audience) -> Option<&str> {
        self.location
            .as_deref()
            .filter(|_| self.details_visible(audience))
    }

    /// The Markdown description, if `audience` may see it.
    pub fn visible_description(&self, audience: Audience) -> Option<&str> {
        self.description
            .as_deref()
            .filter(|_| self.details_visible(audience))
    }
}
