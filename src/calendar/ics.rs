//! RFC 5545 writer: `calendar.ics` and `events/<id>.ics`.
//!
//! Lines end in CRLF and are folded at 75 octets, never inside a UTF-8
//! character; TEXT values escape `\`, `;`, `,` and newlines. UIDs are the
//! event id plus the site's host (and path prefix), DTSTAMP is the build
//! time: the same input gives the same bytes.
//!
//! One-off timed events are written in UTC. Repeating timed events carry
//! their TZID and a VTIMEZONE built from the zone's real transitions, so
//! calendar apps keep them at the same local time across DST. All-day
//! events are DATE values with an exclusive DTEND.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp, ToSpan};

use super::recur::{last_occurrence, rrule};
use super::vtimezone::vtimezone;
use super::{Event, RepeatEnd, Timing};
use crate::model::Audience;

/// The longest a physical line may be, in octets, CRLF excluded.
const MAX_OCTETS: usize = 75;

/// How far ahead the VTIMEZONE of an event that repeats forever reaches.
const FOREVER_YEARS: i64 = 10;

/// What a feed needs to know about the site.
#[derive(Debug, Clone)]
pub struct FeedInfo {
    /// Right-hand side of every UID: the site's host, plus its path prefix
    /// when it has one, so two sites on one host never share UIDs.
    pub uid_domain: String,
    /// The site's base URL, ending in `/`: event pages are `events/<id>/` under it.
    pub base_url: String,
    /// Calendar name (`X-WR-CALNAME`).
    pub title: String,
    /// Build time, written as DTSTAMP.
    pub now: Timestamp,
    /// Said instead of the description of a member-only event in the public
    /// feed (localized by the caller), e.g. "Members only".
    pub members_note: String,
}

impl FeedInfo {
    /// Feed settings for a site at `base_url` (absolute, ending in `/`).
    pub fn new(base_url: &str, title: &str, now: Timestamp, members_note: &str) -> FeedInfo {
        let (host, path) = match url::Url::parse(base_url) {
            Ok(u) => (
                u.host_str().unwrap_or("localhost").to_string(),
                u.path().to_string(),
            ),
            Err(_) => ("localhost".to_string(), "/".to_string()),
        };
        let prefix: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let uid_domain = if prefix.is_empty() {
            host
        } else {
            format!("{}.{host}", prefix.join("."))
        };
        let mut base_url = base_url.to_string();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        FeedInfo {
            uid_domain,
            base_url,
            title: title.to_string(),
            now,
            members_note: members_note.to_string(),
        }
    }

    /// The stable UID of an event.
    pub fn uid(&self, event: &Event) -> String {
        format!("{}@{}", event.id, self.uid_domain)
    }

    /// The absolute URL of an event's page.
    pub fn page_url(&self, event: &Event) -> String {
        format!("{}events/{}/", self.base_url, event.id)
    }
}

/// The whole calendar (`calendar.ics`) for `audience`, events in the order given.
pub fn feed(events: &[Event], audience: Audience, site: &FeedInfo) -> String {
    calendar(events.iter(), audience, site)
}

/// One event's calendar (`events/<id>.ics`).
pub fn event_ics(event: &Event, audience: Audience, site: &FeedInfo) -> String {
    calendar(std::iter::once(event), audience, site)
}

fn calendar<'a>(
    events: impl Iterator<Item = &'a Event> + Clone,
    audience: Audience,
    site: &FeedInfo,
) -> String {
    let mut w = Writer::default();
    w.prop("BEGIN", "VCALENDAR");
    w.prop("VERSION", "2.0");
    w.prop("PRODID", "-//kpsite//kpsite//EN");
    w.prop("CALSCALE", "GREGORIAN");
    w.prop("METHOD", "PUBLISH");
    w.text("X-WR-CALNAME", &site.title);

    // One VTIMEZONE per zone of a repeating timed event, covering every
    // such event in that zone.
    let mut zones: BTreeMap<&str, (&Event, Timestamp, Timestamp)> = BTreeMap::new();
    for e in events.clone().filter(|e| uses_tzid(e)) {
        let (from, to) = span(e, site.now);
        zones
            .entry(&e.tz_name)
            .and_modify(|z| {
                z.1 = z.1.min(from);
                z.2 = z.2.max(to);
            })
            .or_insert((e, from, to));
    }
    for (name, (e, from, to)) in &zones {
        for line in vtimezone(name, &e.tz, *from, *to) {
            w.line(&line);
        }
    }

    for e in events {
        vevent(&mut w, e, audience, site);
    }
    w.prop("END", "VCALENDAR");
    w.out
}

/// True when the event is written with a TZID (and so needs a VTIMEZONE).
fn uses_tzid(e: &Event) -> bool {
    e.repeat.is_some() && !e.timing.is_all_day()
}

/// The instants a VTIMEZONE must cover for `e`.
fn span(e: &Event, now: Timestamp) -> (Timestamp, Timestamp) {
    let first = e.first();
    let from = first.start.timestamp();
    let to = match e.repeat.map(|r| r.end) {
        Some(RepeatEnd::Never) => {
            let base = from.max(now);
            base.checked_add(SignedDuration::from_hours(24 * 366 * FOREVER_YEARS))
                .unwrap_or(base)
        }
        _ => last_occurrence(e).map_or(first.end.timestamp(), |o| o.end.timestamp()),
    };
    (from, to)
}

fn vevent(w: &mut Writer, e: &Event, audience: Audience, site: &FeedInfo) {
    let first = e.first();
    w.prop("BEGIN", "VEVENT");
    w.prop("UID", &escape_text(&site.uid(e)));
    w.prop("DTSTAMP", &fmt_utc(site.now));
    match e.timing {
        Timing::AllDay { start, days } => {
            let end = start.checked_add(days.days()).unwrap_or(start);
            w.prop("DTSTART;VALUE=DATE", &fmt_date(start));
            w.prop("DTEND;VALUE=DATE", &fmt_date(end));
        }
        Timing::Timed { .. } if uses_tzid(e) => {
            let tzid = param_value(&e.tz_name);
            w.prop(
                &format!("DTSTART;TZID={tzid}"),
                &fmt_local(first.start.datetime()),
            );
            w.prop(
                &format!("DTEND;TZID={tzid}"),
                &fmt_local(first.end.datetime()),
            );
        }
        Timing::Timed { .. } => {
            w.prop("DTSTART", &fmt_utc(first.start.timestamp()));
            w.prop("DTEND", &fmt_utc(first.end.timestamp()));
        }
    }
    if let Some(rule) = rrule(e) {
        w.prop("RRULE", &rule);
    }
    w.text("SUMMARY", &e.title);
    if let Some(loc) = e.visible_location(audience) {
        w.text("LOCATION", loc);
    }
    let page = site.page_url(e);
    let description = if e.details_visible(audience) {
        let mut d = e
            .description
            .as_deref()
            .unwrap_or("")
            .trim_end()
            .to_string();
        if let Some(u) = &e.url {
            if !d.is_empty() {
                d.push_str("\n\n");
            }
            d.push_str(u);
        }
        d
    } else {
        format!("{}\n{page}", site.members_note)
    };
    if !description.is_empty() {
        w.text("DESCRIPTION", &description);
    }
    w.prop("URL", e.visible_url(audience).unwrap_or(&page));
    w.prop("END", "VEVENT");
}

/// Collects folded CRLF lines.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// Adds one content line, folded.
    fn line(&mut self, content: &str) {
        self.out.push_str(&fold_line(content));
    }

    /// Adds `NAME:value` (the value already in its final form). Control
    /// characters are dropped: no value kpsite writes may hold one, and a
    /// stray CR or LF would start a new property.
    fn prop(&mut self, name: &str, value: &str) {
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        self.line(&format!("{name}:{value}"));
    }

    /// Adds `NAME:value` with value escaped as TEXT.
    fn text(&mut self, name: &str, value: &str) {
        self.prop(name, &escape_text(value));
    }
}

/// Folds one content line into physical lines of at most 75 octets, each
/// ending in CRLF; continuation lines start with a space. A fold never
/// splits a UTF-8 character.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut rest = line;
    let mut limit = MAX_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return out;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_OCTETS - 1; // the leading space counts
    }
}

/// Escapes a TEXT value: `\` `;` `,` get a backslash, every newline
/// (`\r\n`, `\n` or `\r`) becomes `\n`. Other control characters, which
/// TEXT may not hold, are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value, quoted when it holds `:` `;` or `,` (DQUOTE itself is not allowed and is dropped).
fn param_value(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// `20261202T120000Z`.
pub(crate) fn fmt_utc(ts: Timestamp) -> String {
    format!(
        "{}Z",
        fmt_local(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime())
    )
}

/// `20261202T200000` (a local, floating or TZID time).
pub(crate) fn fmt_local(dt: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        fmt_date(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `20261202`.
pub(crate) fn fmt_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::test_util::{event, events};

    fn info() -> FeedInfo {
        FeedInfo::new(
            "https://example.com/rust/",
            "Rust 实战课",
            "2026-11-20T08:00:00Z".parse().unwrap(),
            "Members only",
        )
    }

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "")
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(fold_line("SUMMARY:hi"), "SUMMARY:hi\r\n");
        let exactly = "X".repeat(75);
        assert_eq!(fold_line(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn long_ascii_lines_fold_at_75_octets() {
        let line = format!("DESCRIPTION:{}", "a".repeat(200));
        let folded = fold_line(&line);
        let phys: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(phys[0].len(), 75);
        assert!(
            phys[1..]
                .iter()
                .all(|l| l.starts_with(' ') && l.len() <= 75)
        );
        assert_eq!(phys[1].len(), 75);
        assert_eq!(unfold(&folded), format!("{line}\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        // 3-byte CJK characters and 4-byte emoji at every possible offset.
        for pad in 0..8 {
            for body in [
                "所有权与借用".repeat(30),
                "🦀🎉".repeat(40),
                "aé所🦀".repeat(30),
            ] {
                let line = format!("SUMMARY:{}{body}", "x".repeat(pad));
                let folded = fold_line(&line);
                for phys in folded.split("\r\n").filter(|l| !l.is_empty()) {
                    assert!(phys.len() <= 75, "{} octets: {phys}", phys.len());
                    // Every physical line is valid UTF-8 on its own.
                    assert!(std::str::from_utf8(phys.as_bytes()).is_ok());
                }
                assert_eq!(unfold(&folded), format!("{line}\r\n"));
            }
        }
    }

    #[test]
    fn emoji_at_the_boundary_moves_to_the_next_line() {
        let line = format!("{}🦀", "x".repeat(73)); // 73 + 4 = 77 octets
        assert_eq!(fold_line(&line), format!("{}\r\n 🦀\r\n", "x".repeat(73)));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            r"one\ntwo\nthree\nfour"
        );
        assert_eq!(escape_text("tab\there\u{7}"), "tab\there");
        assert_eq!(escape_text("带上你的 PR：a,b"), r"带上你的 PR：a\,b");
    }

    #[test]
    fn uid_is_stable_and_carries_the_path_prefix() {
        let e = event(
            "events:\n  - { id: code-review, title: A, start: 2026-12-02T20:00, duration: 1h }\n",
        );
        assert_eq!(info().uid(&e), "code-review@rust.example.com");
        let root = FeedInfo::new("https://example.com/", "t", Timestamp::UNIX_EPOCH, "");
        assert_eq!(root.uid(&e), "code-review@example.com");
    }

    #[test]
    fn one_off_event_in_utc() {
        let e = event(
            "events:\n  - { id: launch, title: 'Launch; party, now', start: 2026-12-02T20:00, duration: 90m, location: Online, url: 'https://meet.example.com/x' }\n",
        );
        let ics = event_ics(&e, Audience::Public, &info());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nUID:launch@rust.example.com\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20261120T080000Z\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261202T120000Z\r\nDTEND:20261202T133000Z\r\n"));
        assert!(ics.contains("\r\nSUMMARY:Launch\\; party\\, now\r\n"));
        assert!(ics.contains("\r\nURL:https://meet.example.com/x\r\n"));
        assert!(!ics.contains("VTIMEZONE"));
        assert!(!ics.contains("RRULE"));
        // No bare LF anywhere.
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
    }

    #[test]
    fn repeating_event_uses_tzid_and_vtimezone() {
        let e = event(
            "events:\n  - { id: w, title: W, start: 2026-10-20T19:00, duration: 1h, timezone: America/New_York, repeat: { freq: weekly, count: 4 } }\n",
        );
        let ics = event_ics(&e, Audience::Public, &info());
        assert!(
            ics.contains("\r\nDTSTART;TZID=America/New_York:20261020T190000\r\n"),
            "{ics}"
        );
        assert!(ics.contains("\r\nDTEND;TZID=America/New_York:20261020T200000\r\n"));
        assert!(ics.contains("\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n"));
        assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"));
        // The VTIMEZONE comes before the event.
        assert!(ics.find("BEGIN:VTIMEZONE").unwrap() < ics.find("BEGIN:VEVENT").unwrap());
        // The November fall-back is inside the span.
        assert!(
            ics.contains("DTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"),
            "{ics}"
        );
    }

    #[test]
    fn all_day_event_has_exclusive_date_end() {
        let e = event(
            "events:\n  - { id: d, title: D, start: 2026-12-24, end: 2026-12-26, all_day: true, repeat: { freq: monthly, count: 2 } }\n",
        );
        let ics = event_ics(&e, Audience::Public, &info());
        assert!(
            ics.contains("\r\nDTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261227\r\n"),
            "{ics}"
        );
        assert!(ics.contains("\r\nRRULE:FREQ=MONTHLY;COUNT=2\r\n"));
        assert!(!ics.contains("VTIMEZONE"));
    }

    const MEMBERS_YAML: &str = "events:
  - id: secret-call
    title: Members call
    start: 2026-12-02T20:00
    duration: 1h
    location: Zoom room 7
    url: https://meet.example.com/SECRET-LINK
    description: The passcode is SECRET-DESC
    audience: members
    repeat: { freq: weekly, count: 3 }
  - id: open-call
    title: Open call
    start: 2026-12-03T20:00
    duration: 1h
    url: https://meet.example.com/open
    description: Everyone welcome
";

    #[test]
    fn public_feed_never_holds_member_only_details() {
        let ev = events(MEMBERS_YAML);
        let public = feed(&ev, Audience::Public, &info());
        let flat = unfold(&public);
        for secret in ["SECRET-LINK", "SECRET-DESC", "Zoom room 7"] {
            assert!(
                !flat.contains(secret),
                "public feed leaks {secret}:\n{flat}"
            );
        }
        // Title and time are still there, with a pointer to the page.
        assert!(flat.contains("SUMMARY:Members call"));
        assert!(flat.contains("DTSTART;TZID=Asia/Shanghai:20261202T200000"));
        assert!(flat.contains("URL:https://example.com/rust/events/secret-call/"));
        assert!(
            flat.contains(
                "DESCRIPTION:Members only\\nhttps://example.com/rust/events/secret-call/"
            )
        );
        // Public events keep their details.
        assert!(flat.contains("https://meet.example.com/open"));
        assert!(flat.contains("Everyone welcome"));
        let one = unfold(&event_ics(&ev[0], Audience::Public, &info()));
        assert!(!one.contains("SECRET"), "{one}");
    }

    #[test]
    fn members_feed_has_everything() {
        let ev = events(MEMBERS_YAML);
        let members = unfold(&feed(&ev, Audience::Members, &info()));
        assert!(members.contains("URL:https://meet.example.com/SECRET-LINK"));
        assert!(members.contains("SECRET-DESC"));
        assert!(members.contains("LOCATION:Zoom room 7"));
    }

    #[test]
    fn output_is_reproducible_and_well_formed() {
        let ev = events(MEMBERS_YAML);
        let a = feed(&ev, Audience::Members, &info());
        assert_eq!(a, feed(&ev, Audience::Members, &info()));
        for line in a.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{line}");
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        let begins = a.split("\r\n").filter(|l| l.starts_with("BEGIN:")).count();
        let ends = a.split("\r\n").filter(|l| l.starts_with("END:")).count();
        assert_eq!(begins, ends);
    }
}
