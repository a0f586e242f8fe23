//! "Add to Google Calendar" links (the `action=TEMPLATE` URL).

use jiff::ToSpan;
use url::form_urlencoded::Serializer;

use super::ics::{fmt_date, fmt_local};
use super::recur::rrule;
use super::{Event, Timing};
use crate::model::Audience;

/// A link that opens Google Calendar with the event filled in, for
/// `audience`: member-only details are left out of the public one.
///
/// Timed events are given in local time with `ctz` set to the event's zone,
/// so a repeating event stays at its local time across DST; all-day events
/// use dates with an exclusive end.
pub fn google_calendar_url(event: &Event, audience: Audience) -> String {
    let first = event.first();
    let dates = match event.timing {
        Timing::Timed { .. } => format!(
            "{}/{}",
            fmt_local(first.start.datetime()),
            fmt_local(first.end.datetime())
        ),
        Timing::AllDay { start, days } => format!(
            "{}/{}",
            fmt_date(start),
            fmt_date(start.checked_add(days.days()).unwrap_or(start))
        ),
    };
    let mut q = Serializer::new(String::new());
    q.append_pair("action", "TEMPLATE");
    q.append_pair("text", &event.title);
    q.append_pair("dates", &dates);
    if !event.timing.is_all_day() {
        q.append_pair("ctz", &event.tz_name);
    }
    let mut details = event
        .visible_description(audience)
        .unwrap_or("")
        .trim_end()
        .to_string();
    if let Some(u) = event.visible_url(audience) {
        if !details.is_empty() {
            details.push_str("\n\n");
        }
        details.push_str(u);
    }
    if !details.is_empty() {
        q.append_pair("details", &details);
    }
    if let Some(loc) = event.visible_location(audience) {
        q.append_pair("location", loc);
    }
    if let Some(rule) = rrule(event) {
        q.append_pair("recur", &format!("RRULE:{rule}"));
    }
    format!("https://calendar.google.com/calendar/render?{}", q.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::test_util::event;

    fn query(u: &str) -> Vec<(String, String)> {
        url::Url::parse(u)
            .unwrap()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    fn get<'a>(q: &'a [(String, String)], k: &str) -> Option<&'a str> {
        q.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
    }

    #[test]
    fn repeating_timed_event() {
        let e = event(
            "events:\n  - { id: a, title: 每周代码评审 & more, start: 2026-12-02T20:00, duration: 90m, location: 线上, url: 'https://meet.example.com/a?b=c', description: 'Bring a PR', repeat: { freq: weekly, count: 8 } }\n",
        );
        let u = google_calendar_url(&e, Audience::Public);
        assert!(u.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&text="));
        let q = query(&u);
        assert_eq!(get(&q, "text"), Some("每周代码评审 & more"));
        assert_eq!(get(&q, "dates"), Some("20261202T200000/20261202T213000"));
        assert_eq!(get(&q, "ctz"), Some("Asia/Shanghai"));
        assert_eq!(
            get(&q, "details"),
            Some("Bring a PR\n\nhttps://meet.example.com/a?b=c")
        );
        assert_eq!(get(&q, "location"), Some("线上"));
        assert_eq!(get(&q, "recur"), Some("RRULE:FREQ=WEEKLY;COUNT=8"));
    }

    #[test]
    fn all_day_event() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-24, end: 2026-12-25, all_day: true }\n",
        );
        let q = query(&google_calendar_url(&e, Audience::Public));
        assert_eq!(get(&q, "dates"), Some("20261224/20261226"));
        assert_eq!(get(&q, "ctz"), None);
        assert_eq!(get(&q, "recur"), None);
    }

    #[test]
    fn public_link_of_a_member_event_has_no_details() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, location: Room SECRET-LOC, url: 'https://meet.example.com/SECRET-URL', description: SECRET-DESC, audience: members }\n",
        );
        let public = google_calendar_url(&e, Audience::Public);
        assert!(!public.contains("SECRET"), "{public}");
        let members = google_calendar_url(&e, Audience::Members);
        assert!(
            members.contains("SECRET-URL")
                && members.contains("SECRET-DESC")
                && members.contains("SECRET-LOC")
        );
    }
}
