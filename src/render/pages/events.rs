//! Events: the index (upcoming and past at build time, in the site's
//! zone), one page per event, the next events on the landing page, and the
//! `.ics` files. Member-only details pass through
//! [`Event::details_visible`] and nothing else, except to be sealed under
//! the members key on an encrypted site ([`Renderer::sealed_details`]).

use jiff::ToSpan;
use jiff::ZonedDateTime;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::{Renderer, plain_summary};
use crate::calendar::{self, Event, FeedInfo, Occurrence, RepeatEnd, Timing};
use crate::render::links;
use crate::render::views::Dates;

/// How many upcoming events the landing page lists.
const LANDING_EVENTS: usize = 3;

/// An event as listed and shown, for one audience.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Root-relative URL of its page.
    pub url: String,
    /// Root-relative URL of its `.ics` file.
    pub ics_url: String,
    /// "Add to Google Calendar" link.
    pub google_url: String,
    /// A member-only event.
    pub members_only: bool,
    /// True when this audience does not see location, link and description.
    pub details_hidden: bool,
    /// All-day event.
    pub all_day: bool,
    /// The shown occurrence (next one, or the last once over), in the site's zone.
    pub when: String,
    /// Its start as RFC 3339 with offset (or a date, all-day), for `<time datetime>`.
    pub when_iso: String,
    /// The site's zone name, for timed events.
    pub zone: Option<String>,
    /// The same occurrence in the event's own zone, when that differs from the site's.
    pub own_when: Option<String>,
    /// The event's own zone name.
    pub own_zone: String,
    /// How it repeats.
    pub repeat: Option<RepeatView>,
    /// Place or meeting tool, if this audience may see it.
    pub location: Option<String>,
    /// Meeting link, if this audience may see it.
    pub online_url: Option<String>,
    /// Over at build time.
    pub past: bool,
}

/// A repetition as shown.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatView {
    /// `daily`, `weekly` or `monthly` (a key of the UI strings `repeat_*`).
    pub freq: &'static str,
    /// Number of occurrences.
    pub count: Option<u32>,
    /// Last day, formatted.
    pub until: Option<String>,
}

impl Renderer<'_> {
    /// Feed settings of this site.
    fn feed_info(&self) -> FeedInfo {
        let c = &self.site.config;
        let note = self
            .theme
            .strings
            .get("members_only")
            .cloned()
            .unwrap_or_default();
        FeedInfo::new(&c.base_url, &c.title, self.site.now, &note)
    }

    /// `calendar.ics` (with `None`) or `events/<id>.ics`, for this audience.
    pub(super) fn ics(&self, event: Option<&Event>) -> (String, Vec<u8>) {
        let info = self.feed_info();
        match event {
            None => (
                links::calendar_ics(),
                calendar::feed(&self.site.events, self.audience, &info).into_bytes(),
            ),
            Some(e) => (
                links::event_ics(&e.id),
                calendar::event_ics(e, self.audience, &info).into_bytes(),
            ),
        }
    }

    /// The occurrence an event is shown by: the next one, else the last.
    fn shown_occurrence(&self, e: &Event) -> (Occurrence, bool) {
        match calendar::next_occurrence(e, self.site.now) {
            Some(o) => (o, false),
            None => (
                calendar::last_occurrence(e).unwrap_or_else(|| e.first()),
                true,
            ),
        }
    }

    fn event_view(&self, e: &Event, o: &Occurrence, past: bool) -> EventView {
        let lang = self.fmt.dates();
        let site_tz = &self.site.config.timezone;
        let all_day = e.timing.is_all_day();
        let when = when(lang, e, o, site_tz);
        let differs = !all_day && e.tz_name != self.site.config.timezone_name;
        let own_when = differs.then(|| when_in(lang, o, &e.tz));
        let when_iso = match e.timing {
            Timing::AllDay { .. } => o.start.date().to_string(),
            Timing::Timed { .. } => iso(&o.start),
        };
        EventView {
            id: e.id.clone(),
            title: e.title.clone(),
            url: self.urls.path(&links::event(&e.id)),
            ics_url: self.urls.path(&links::event_ics(&e.id)),
            google_url: calendar::google_calendar_url(e, self.audience),
            members_only: e.members_only(),
            details_hidden: !e.details_visible(self.audience),
            all_day,
            when,
            when_iso,
            zone: (!all_day).then(|| self.site.config.timezone_name.clone()),
            own_when,
            own_zone: e.tz_name.clone(),
            repeat: e.repeat.map(|r| RepeatView {
                freq: match r.freq {
                    calendar::Freq::Daily => "daily",
                    calendar::Freq::Weekly => "weekly",
                    calendar::Freq::Monthly => "monthly",
                },
                count: match r.end {
                    RepeatEnd::Count(n) => Some(n),
                    _ => None,
                },
                until: match r.end {
                    RepeatEnd::Until(u) => Some(fmt_date(lang, u.date())),
                    _ => None,
                },
            }),
            location: e.visible_location(self.audience).map(str::to_string),
            online_url: e.visible_url(self.audience).map(str::to_string),
            past,
        }
    }

    /// Upcoming events, soonest first, as views.
    pub(super) fn upcoming_events(&self) -> Vec<EventView> {
        let (upcoming, _) = calendar::split_upcoming_past(&self.site.events, self.site.now);
        upcoming
            .iter()
            .map(|(e, o)| self.event_view(e, o, false))
            .collect()
    }

    /// The next few events, for the landing page.
    pub(super) fn landing_events(&self) -> Vec<EventView> {
        let mut v = self.upcoming_events();
        v.truncate(LANDING_EVENTS);
        v
    }

    /// `events/index.html`.
    pub(super) fn events_index(&self, ctx: &mut Context) -> &'static str {
        let (upcoming, past) = calendar::split_upcoming_past(&self.site.events, self.site.now);
        let upcoming: Vec<EventView> = upcoming
            .iter()
            .map(|(e, o)| self.event_view(e, o, false))
            .collect();
        let past: Vec<EventView> = past
            .iter()
            .map(|(e, o)| self.event_view(e, o, true))
            .collect();
        ctx.insert("upcoming", &upcoming);
        ctx.insert("past", &past);
        ctx.insert("zone", &self.site.config.timezone_name);
        ctx.insert("calendar_url", &self.urls.path(&links::calendar_ics()));
        let title = self.string("events");
        let description = format!("{title} · {}", self.site.config.title);
        self.meta(ctx, title, description, &links::events(), None);
        "events.html"
    }

    /// `events/<id>/index.html`.
    pub(super) fn event_page(&self, ctx: &mut Context, e: &Event) -> &'static str {
        let (o, past) = self.shown_occurrence(e);
        let view = self.event_view(e, &o, past);
        let description = e
            .visible_description(self.audience)
            .map(|d| self.markdown(std::path::Path::new("calendar.yaml"), d, ctx));
        let summary = format!("{} · {}", view.when, e.title);
        let summary = match e.visible_description(self.audience) {
            Some(d) => format!("{} — {}", summary, plain_summary(d, "")),
            None => summary,
        };
        let ld = self.event_json_ld(e, &o);
        ctx.insert("sealed", &self.sealed_details(e, view.details_hidden));
        ctx.insert("event", &view);
        ctx.insert("description", &description);
        ctx.insert("events_url", &self.urls.path(&links::events()));
        ctx.insert("calendar_url", &self.urls.path(&links::calendar_ics()));
        self.meta(
            ctx,
            e.title.clone(),
            summary,
            &links::event(&e.id),
            Some(ld),
        );
        "event.html"
    }

    /// The members-only details of `e` (place, link, description) as HTML
    /// sealed under the members key, when the site publishes encrypted and
    /// this audience does not see them.
    fn sealed_details(&self, e: &Event, hidden: bool) -> Option<crate::delivery::Sealed> {
        let keys = self.keys.filter(|_| hidden)?;
        let members = crate::model::Audience::Members;
        let esc = tera::escape_html;
        let mut html = String::new();
        let location = e.visible_location(members);
        let url = e.visible_url(members);
        if location.is_some() || url.is_some() {
            html.push_str("<dl class=\"event-facts\">");
            if let Some(l) = location {
                html.push_str(&format!(
                    "<dt>{}</dt><dd>{}</dd>",
                    esc(&self.string("where")),
                    esc(l)
                ));
            }
            if let Some(u) = url {
                html.push_str(&format!(
                    "<dt>{}</dt><dd><a href=\"{}\" rel=\"noopener\">{}</a></dd>",
                    esc(&self.string("online")),
                    esc(u),
                    esc(&self.string("join_online"))
                ));
            }
            html.push_str("</dl>");
        }
        if let Some(d) = e.visible_description(members) {
            let resolve = |dest: &str| {
                self.urls
                    .resolve(std::path::Path::new("calendar.yaml"), dest)
            };
            let body = crate::markdown::render(d, &resolve).html;
            html.push_str(&format!("<div class=\"prose\">{body}</div>"));
        }
        if html.is_empty() {
            return None;
        }
        let path = links::index_file(&links::event(&e.id));
        Some(crate::delivery::seal_members(keys, &path, &html))
    }

    /// schema.org `Event`: start with offset, where (a `VirtualLocation`
    /// or a `Place`) and how to attend.
    fn event_json_ld(&self, e: &Event, o: &Occurrence) -> Value {
        let page = self.urls.absolute(&links::event(&e.id));
        let (start, end) = match e.timing {
            Timing::AllDay { .. } => {
                let last = o.end.date().checked_sub(1.day()).unwrap_or(o.end.date());
                (o.start.date().to_string(), last.to_string())
            }
            Timing::Timed { .. } => (iso(&o.start), iso(&o.end)),
        };
        let location = e.visible_location(self.audience);
        let physical = location.filter(|l| !looks_online(l));
        let (mode, place) = if physical.is_none() {
            // Online (the link itself is shown only to those who may see it).
            let mut v = json!({"@type": "VirtualLocation",
                "url": e.visible_url(self.audience).unwrap_or(&page)});
            if let Some(l) = location {
                v["name"] = json!(l);
            }
            ("https://schema.org/OnlineEventAttendanceMode", v)
        } else {
            // A real place; a link beside it is for registration or streaming.
            let l = physical.unwrap_or_default();
            (
                "https://schema.org/OfflineEventAttendanceMode",
                json!({"@type": "Place", "name": l, "address": l}),
            )
        };
        let organizer = match &self.site.config.author {
            Some(a) => json!({"@type": "Person", "name": a.name, "url": a.url}),
            None => json!({"@type": "Organization", "name": self.site.config.title,
                "url": self.site.config.base_url}),
        };
        let mut ld = json!({
            "@context": "https://schema.org", "@type": "Event",
            "name": e.title, "url": page,
            "startDate": start, "endDate": end,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": mode, "location": place,
            "organizer": organizer,
            "inLanguage": self.site.config.language.tag(),
        });
        if let Some(d) = e.visible_description(self.audience) {
            ld["description"] = json!(plain_summary(d, &e.title));
        }
        ld
    }
}

/// True for a location that names a meeting tool or says "online" rather
/// than a place: `线上 / 腾讯会议`, `Zoom`, `Online`.
fn looks_online(location: &str) -> bool {
    const WORDS: &[&str] = &[
        "线上",
        "在线",
        "网络",
        "直播",
        "腾讯会议",
        "飞书",
        "钉钉",
        "online",
        "zoom",
        "teams",
        "google meet",
        "webinar",
        "livestream",
        "discord",
        "youtube",
        "bilibili",
        "b 站",
    ];
    let l = location.to_lowercase();
    WORDS.iter().any(|w| l.contains(w))
}

/// RFC 3339 with the zone's offset: `2026-12-02T20:00:00+08:00`.
fn iso(z: &ZonedDateTime) -> String {
    z.timestamp().display_with_offset(z.offset()).to_string()
}

/// An occurrence as shown: timed ones in `tz`, all-day ones as their own dates.
fn when(lang: &Dates, e: &Event, o: &Occurrence, tz: &TimeZone) -> String {
    match e.timing {
        Timing::AllDay { days, .. } => {
            let first = o.start.date();
            if days <= 1 {
                fmt_date(lang, first)
            } else {
                let last = first.checked_add((days - 1).days()).unwrap_or(first);
                format!("{} – {}", fmt_date(lang, first), fmt_date(lang, last))
            }
        }
        Timing::Timed { .. } => when_in(lang, o, tz),
    }
}

/// A timed occurrence in `tz`: `2026年12月2日（周三） 20:00–21:30`,
/// `Wed, Dec 2, 2026, 20:00–21:30`; the end's date is repeated only when it differs.
fn when_in(lang: &Dates, o: &Occurrence, tz: &TimeZone) -> String {
    let s = o.start.with_time_zone(tz.clone());
    let e = o.end.with_time_zone(tz.clone());
    let sep = &lang.sep;
    let time = |z: &ZonedDateTime| z.strftime("%H:%M").to_string();
    if s.date() == e.date() {
        format!("{}{sep}{}–{}", fmt_date(lang, s.date()), time(&s), time(&e))
    } else {
        format!(
            "{}{sep}{} – {}{sep}{}",
            fmt_date(lang, s.date()),
            time(&s),
            fmt_date(lang, e.date()),
            time(&e)
        )
    }
}

/// `2026年12月2日（周三）` / `Wed, Dec 2, 2026`, by the language's patterns.
fn fmt_date(lang: &Dates, d: Date) -> String {
    lang.date(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_locations() {
        for l in ["线上 / 腾讯会议", "Zoom", "Online", "线上 / B 站直播"] {
            assert!(looks_online(l), "{l}");
        }
        for l in ["上海市徐汇区漕溪北路 88 号", "123 Broadway, New York"] {
            assert!(!looks_online(l), "{l}");
        }
    }

    fn dates(tag: &str) -> Dates {
        let text = crate::render::theme::STRINGS
            .iter()
            .find(|(t, _)| *t == tag)
            .unwrap()
            .1;
        Dates::new(&crate::render::theme::parse_strings(text).unwrap())
    }

    #[test]
    fn dates_in_both_languages() {
        let d: Date = "2026-12-02".parse().unwrap();
        assert_eq!(fmt_date(&dates("zh-CN"), d), "2026年12月2日（周三）");
        assert_eq!(fmt_date(&dates("en"), d), "Wed, Dec 2, 2026");
    }

    #[test]
    fn timed_ranges() {
        let z = |s: &str| s.parse::<ZonedDateTime>().unwrap();
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let o = Occurrence {
            start: z("2026-12-02T20:00[Asia/Shanghai]"),
            end: z("2026-12-02T21:30[Asia/Shanghai]"),
        };
        assert_eq!(
            when_in(&dates("zh-CN"), &o, &tz),
            "2026年12月2日（周三） 20:00–21:30"
        );
        assert_eq!(
            when_in(&dates("en"), &o, &tz),
            "Wed, Dec 2, 2026, 20:00–21:30"
        );
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(
            when_in(&dates("en"), &o, &ny),
            "Wed, Dec 2, 2026, 07:00–08:30"
        );
        let late = Occurrence {
            start: z("2026-12-02T23:00[Asia/Shanghai]"),
            end: z("2026-12-03T01:00[Asia/Shanghai]"),
        };
        assert_eq!(
            when_in(&dates("en"), &late, &tz),
            "Wed, Dec 2, 2026, 23:00 – Thu, Dec 3, 2026, 01:00"
        );
    }
}
