//! Community events: `calendar.yaml` loaded into [`Event`]s, their
//! occurrences, RFC 5545 feeds (`calendar.ics`, `events/<id>.ics`) and
//! "add to Google Calendar" links.
//!
//! Times are held as civil (wall-clock) values in the event's own zone and
//! turned into instants only when needed, so a weekly 20:00 event stays at
//! 20:00 across daylight-saving changes.
//!
//! Visibility of member-only details is decided in one place,
//! [`Event::details_visible`]; every writer here goes through it.

mod duration;
mod google;
mod ics;
mod load;
mod recur;
mod schema;
mod vtimezone;

pub use crate::model::event::{Event, EventAudience, Freq, Repeat, RepeatEnd, Timing};

pub use duration::parse_duration;
pub use google::google_calendar_url;
pub use ics::{FeedInfo, escape_text, event_ics, feed, fold_line};
pub use load::{load, load_in};
pub use recur::{
    Occurrence, last_occurrence, next_occurrence, occurrences, rrule, split_upcoming_past,
};
pub use schema::json_schema;
pub use vtimezone::vtimezone;

impl Event {
    /// The first occurrence.
    pub fn first(&self) -> Occurrence {
        recur::first(self)
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;
    use std::path::Path;

    /// Loads a calendar that must be valid.
    pub fn events(yaml: &str) -> Vec<Event> {
        let (events, diags) = load(Path::new("calendar.yaml"), yaml, "Asia/Shanghai");
        assert!(diags.is_empty(), "unexpected diagnostics: {diags:#?}");
        events
    }

    /// Loads one valid event.
    pub fn event(yaml: &str) -> Event {
        let mut v = events(yaml);
        assert_eq!(v.len(), 1);
        v.remove(0)
    }
}
