//! Occurrences of events: the recurrence arithmetic that RFC 5545 clients
//! will redo from our RRULE, done here the same way so the site's events
//! page and the calendar apps agree.
//!
//! Each occurrence keeps the first one's local time of day in the event's
//! zone; a local time the clocks skip is read as the same moment shifted
//! forward by the gap (RFC 5545 §3.3.5, and jiff's "compatible" rule).
//! Monthly events on a day some months lack (the 31st) skip those months,
//! as RFC 5545 does.

use jiff::civil::{Date, DateTime, Time};
use jiff::{Timestamp, ToSpan, ZonedDateTime};

use super::{Event, Freq, RepeatEnd, Timing};

/// How far an event that repeats forever is followed.
const MAX_CANDIDATES: i64 = 50_000;

/// One occurrence of an event, in the event's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// When it starts (for an all-day event, the start of its first day).
    pub start: ZonedDateTime,
    /// When it ends (for an all-day event, the start of the day after its last).
    pub end: ZonedDateTime,
}

/// The first occurrence (the event's own start). The loader keeps only
/// events for which [`try_first`] succeeds.
pub(crate) fn first(event: &Event) -> Occurrence {
    try_first(event).expect("a validated start is in range")
}

/// The first occurrence, or `None` when its start or end lies outside the
/// range of dates jiff can compute (about years -9999 to 9999).
pub(crate) fn try_first(event: &Event) -> Option<Occurrence> {
    occurrence_at(event, local_start(event, 0)?)
}

/// The local start of candidate `n` (0 is the event's start), or `None`
/// when that candidate does not exist (a monthly event on the 31st in a
/// 30-day month).
fn local_start(event: &Event, n: i64) -> Option<DateTime> {
    let (date, time) = match event.timing {
        Timing::Timed { start, .. } => (start.date(), start.time()),
        Timing::AllDay { start, .. } => (start, Time::midnight()),
    };
    let freq = event.repeat.map_or(Freq::Daily, |r| r.freq);
    let date = match freq {
        Freq::Daily => date.checked_add(n.days()).ok()?,
        Freq::Weekly => date.checked_add((7 * n).days()).ok()?,
        Freq::Monthly => {
            let months = i64::from(date.year()) * 12 + i64::from(date.month() - 1) + n;
            let year = i16::try_from(months.div_euclid(12)).ok()?;
            let month = (months.rem_euclid(12) + 1) as i8;
            Date::new(year, month, date.day()).ok()?
        }
    };
    Some(date.to_datetime(time))
}

fn occurrence_at(event: &Event, local: DateTime) -> Option<Occurrence> {
    match event.timing {
        Timing::Timed { duration, .. } => {
            let start = local.to_zoned_datetime(event.tz.clone()).ok()?;
            let end = start.checked_add(duration).ok()?;
            Some(Occurrence { start, end })
        }
        Timing::AllDay { days, .. } => {
            let start = local.date().to_zoned_datetime(event.tz.clone()).ok()?;
            let end = local
                .date()
                .checked_add(days.days())
                .ok()?
                .to_zoned_datetime(event.tz.clone())
                .ok()?;
            Some(Occurrence { start, end })
        }
    }
}

/// Every occurrence of `event` in order: just the one for a one-off event;
/// for an event that repeats forever, a long but finite run.
pub fn occurrences(event: &Event) -> impl Iterator<Item = Occurrence> + '_ {
    let (count, until) = match event.repeat.map(|r| r.end) {
        None => (Some(1), None),
        Some(RepeatEnd::Count(n)) => (Some(n), None),
        Some(RepeatEnd::Until(u)) => (None, Some(u)),
        Some(RepeatEnd::Never) => (None, None),
    };
    (0..MAX_CANDIDATES)
        .filter_map(move |n| local_start(event, n))
        .take_while(move |local| until.is_none_or(|u| *local <= u))
        .take(count.map_or(usize::MAX, |c| c as usize))
        .map_while(move |local| occurrence_at(event, local))
}

/// The occurrence that is under way or next at `now`: the first whose end
/// is after `now`. `None` once the event is over.
pub fn next_occurrence(event: &Event, now: Timestamp) -> Option<Occurrence> {
    occurrences(event).find(|o| o.end.timestamp() > now)
}

/// The last occurrence, `None` for an event that repeats forever.
pub fn last_occurrence(event: &Event) -> Option<Occurrence> {
    match event.repeat.map(|r| r.end) {
        Some(RepeatEnd::Never) => None,
        _ => occurrences(event).last(),
    }
}

/// Events split for the events index at `now`: upcoming ones (under way or
/// still to come) paired with their next occurrence, soonest first; past
/// ones paired with their last occurrence, most recent first. Ties are
/// broken by id, so the order is stable.
#[allow(clippy::type_complexity)]
pub fn split_upcoming_past(
    events: &[Event],
    now: Timestamp,
) -> (Vec<(&Event, Occurrence)>, Vec<(&Event, Occurrence)>) {
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for e in events {
        match next_occurrence(e, now) {
            Some(o) => upcoming.push((e, o)),
            None => {
                if let Some(o) = last_occurrence(e) {
                    past.push((e, o));
                }
            }
        }
    }
    upcoming
        .sort_by(|(a, x), (b, y)| (x.start.timestamp(), &a.id).cmp(&(y.start.timestamp(), &b.id)));
    past.sort_by(|(a, x), (b, y)| (y.start.timestamp(), &a.id).cmp(&(x.start.timestamp(), &b.id)));
    (upcoming, past)
}

/// The RRULE value (without `RRULE:`) of a repeating event: `FREQ=WEEKLY;COUNT=8`.
/// UNTIL is written in UTC for timed events and as a date for all-day ones,
/// as RFC 5545 requires for a DTSTART with TZID or VALUE=DATE.
pub fn rrule(event: &Event) -> Option<String> {
    let r = event.repeat?;
    let mut s = format!("FREQ={}", r.freq.rrule_name());
    match r.end {
        RepeatEnd::Count(n) => s.push_str(&format!(";COUNT={n}")),
        RepeatEnd::Until(until) => {
            let value = if event.timing.is_all_day() {
                super::ics::fmt_date(until.date())
            } else {
                let ts = until.to_zoned_datetime(event.tz.clone()).ok()?.timestamp();
                super::ics::fmt_utc(ts)
            };
            s.push_str(&format!(";UNTIL={value}"));
        }
        RepeatEnd::Never => {}
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::test_util::{event, events};

    fn starts(e: &Event) -> Vec<String> {
        occurrences(e).map(|o| o.start.to_string()).collect()
    }

    #[test]
    fn weekly_keeps_local_time_across_dst() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-10-20T19:00, duration: 1h, timezone: America/New_York, repeat: { freq: weekly, count: 4 } }\n",
        );
        assert_eq!(
            starts(&e),
            [
                "2026-10-20T19:00:00-04:00[America/New_York]",
                "2026-10-27T19:00:00-04:00[America/New_York]",
                "2026-11-03T19:00:00-05:00[America/New_York]",
                "2026-11-10T19:00:00-05:00[America/New_York]",
            ]
        );
        let o = occurrences(&e).nth(2).unwrap();
        assert_eq!(
            o.end.to_string(),
            "2026-11-03T20:00:00-05:00[America/New_York]"
        );
    }

    #[test]
    fn monthly_skips_months_without_the_day() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2027-01-31T10:00, duration: 1h, repeat: { freq: monthly, count: 3 } }\n",
        );
        let s = starts(&e);
        assert!(s[0].starts_with("2027-01-31T10:00"));
        assert!(s[1].starts_with("2027-03-31T10:00"));
        assert!(s[2].starts_with("2027-05-31T10:00"));
    }

    #[test]
    fn until_is_inclusive() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-01T20:00, duration: 1h, repeat: { freq: daily, until: 2026-12-03 } }\n",
        );
        assert_eq!(starts(&e).len(), 3);
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-01T20:00, duration: 1h, repeat: { freq: daily, until: 2026-12-03T19:59 } }\n",
        );
        assert_eq!(starts(&e).len(), 2);
    }

    #[test]
    fn all_day_occurrences_span_whole_days() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-24, end: 2026-12-26, all_day: true, timezone: Europe/Berlin }\n",
        );
        let o: Vec<_> = occurrences(&e).collect();
        assert_eq!(o.len(), 1);
        assert_eq!(
            o[0].start.to_string(),
            "2026-12-24T00:00:00+01:00[Europe/Berlin]"
        );
        assert_eq!(
            o[0].end.to_string(),
            "2026-12-27T00:00:00+01:00[Europe/Berlin]"
        );
    }

    #[test]
    fn next_occurrence_counts_one_under_way() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 90m, repeat: { freq: weekly, count: 3 } }\n",
        );
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        // 20:00 Shanghai is 12:00 UTC.
        let n = next_occurrence(&e, at("2026-12-02T13:00:00Z")).unwrap();
        assert!(n.start.to_string().starts_with("2026-12-02T20:00"));
        let n = next_occurrence(&e, at("2026-12-02T13:30:00Z")).unwrap();
        assert!(n.start.to_string().starts_with("2026-12-09T20:00"));
        assert!(next_occurrence(&e, at("2026-12-16T13:30:00Z")).is_none());
        assert!(
            last_occurrence(&e)
                .unwrap()
                .start
                .to_string()
                .starts_with("2026-12-16")
        );
    }

    #[test]
    fn split_orders_repeating_events_by_next_occurrence() {
        let ev = events(
            "events:
  - { id: old, title: Old, start: 2026-01-01T10:00, duration: 1h }
  - { id: older, title: Older, start: 2025-06-01T10:00, duration: 1h }
  - { id: weekly, title: W, start: 2026-01-05T20:00, duration: 1h, repeat: { freq: weekly } }
  - { id: soon, title: S, start: 2026-03-03T09:00, duration: 1h }
  - { id: later, title: L, start: 2026-04-01T09:00, duration: 1h }
",
        );
        let now: Timestamp = "2026-03-02T00:00:00Z".parse().unwrap();
        let (up, past) = split_upcoming_past(&ev, now);
        let ids =
            |v: &[(&Event, Occurrence)]| v.iter().map(|(e, _)| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&up), ["weekly", "soon", "later"]);
        assert!(up[0].1.start.to_string().starts_with("2026-03-02T20:00"));
        assert_eq!(ids(&past), ["old", "older"]);
    }

    #[test]
    fn rrule_strings() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, repeat: { freq: weekly, count: 8 } }\n",
        );
        assert_eq!(rrule(&e).unwrap(), "FREQ=WEEKLY;COUNT=8");
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, repeat: { freq: daily, until: 2026-12-10 } }\n",
        );
        // 23:59:59 in Shanghai is 15:59:59 UTC.
        assert_eq!(rrule(&e).unwrap(), "FREQ=DAILY;UNTIL=20261210T155959Z");
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02, all_day: true, repeat: { freq: monthly, until: 2027-06-30 } }\n",
        );
        assert_eq!(rrule(&e).unwrap(), "FREQ=MONTHLY;UNTIL=20270630");
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, repeat: { freq: monthly } }\n",
        );
        assert_eq!(rrule(&e).unwrap(), "FREQ=MONTHLY");
        let e = event("events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h }\n");
        assert_eq!(rrule(&e), None);
    }
}
