//! VTIMEZONE components built from a zone's real transitions (from the
//! time zone database jiff carries), not from a hand-written rule.
//!
//! The component covers a span of instants: it opens with the observance
//! in force at the span's start (the transition that began it) and lists
//! every transition inside the span as its own STANDARD or DAYLIGHT
//! observance. Each observance's DTSTART is the local time of the change
//! on the clock it replaces (RFC 5545 §3.6.5).

use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::ics::{escape_text, fmt_local};

/// The unfolded content lines of a VTIMEZONE for `tz` (named `tz_name`)
/// covering the instants `from..=to`.
pub fn vtimezone(tz_name: &str, tz: &TimeZone, from: Timestamp, to: Timestamp) -> Vec<String> {
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{tz_name}")];
    let just_after = from
        .checked_add(SignedDuration::from_secs(1))
        .unwrap_or(from);
    match tz.preceding(just_after).next() {
        Some(t) => observance(
            &mut lines,
            tz,
            t.timestamp(),
            t.offset(),
            t.dst().is_dst(),
            t.abbreviation(),
        ),
        None => {
            // No transition before the span: a zone with one fixed offset
            // (so far). Its single observance starts at the epoch.
            let info = tz.to_offset_info(from);
            lines.extend([
                "BEGIN:STANDARD".to_string(),
                "DTSTART:19700101T000000".to_string(),
                format!("TZOFFSETFROM:{}", fmt_offset(info.offset())),
                format!("TZOFFSETTO:{}", fmt_offset(info.offset())),
                format!("TZNAME:{}", escape_text(info.abbreviation())),
                "END:STANDARD".to_string(),
            ]);
        }
    }
    for t in tz.following(from).take_while(|t| t.timestamp() <= to) {
        observance(
            &mut lines,
            tz,
            t.timestamp(),
            t.offset(),
            t.dst().is_dst(),
            t.abbreviation(),
        );
    }
    lines.push("END:VTIMEZONE".to_string());
    lines
}

fn observance(
    lines: &mut Vec<String>,
    tz: &TimeZone,
    at: Timestamp,
    offset_to: Offset,
    dst: bool,
    abbreviation: &str,
) {
    let before = at.checked_sub(SignedDuration::from_secs(1)).unwrap_or(at);
    let offset_from = tz.to_offset(before);
    let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
    lines.push(format!("BEGIN:{kind}"));
    lines.push(format!(
        "DTSTART:{}",
        fmt_local(offset_from.to_datetime(at))
    ));
    lines.push(format!("TZOFFSETFROM:{}", fmt_offset(offset_from)));
    lines.push(format!("TZOFFSETTO:{}", fmt_offset(offset_to)));
    if !abbreviation.is_empty() {
        lines.push(format!("TZNAME:{}", escape_text(abbreviation)));
    }
    lines.push(format!("END:{kind}"));
}

/// `+0800`, `-0430`, or `+004512` when the offset has seconds (old local mean times).
fn fmt_offset(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn zone(name: &str) -> TimeZone {
        // The bundled database: works without /usr/share/zoneinfo.
        crate::model::time::zone(name).unwrap()
    }

    #[test]
    fn new_york_across_a_year() {
        let tz = zone("America/New_York");
        let lines = vtimezone(
            "America/New_York",
            &tz,
            ts("2026-10-20T23:00:00Z"),
            ts("2027-04-01T00:00:00Z"),
        );
        let text = lines.join("\n");
        assert_eq!(
            text,
            "BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
DTSTART:20260308T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
END:DAYLIGHT
BEGIN:STANDARD
DTSTART:20261101T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:20270314T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
END:DAYLIGHT
END:VTIMEZONE"
        );
    }

    #[test]
    fn berlin_spring_forward() {
        let tz = zone("Europe/Berlin");
        let lines = vtimezone(
            "Europe/Berlin",
            &tz,
            ts("2027-02-01T19:00:00Z"),
            ts("2027-05-01T00:00:00Z"),
        );
        let text = lines.join("\n");
        assert!(text.contains(
            "BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD"
        ), "{text}");
        assert!(text.contains(
            "BEGIN:DAYLIGHT\nDTSTART:20270328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nEND:DAYLIGHT"
        ), "{text}");
        assert_eq!(text.matches("BEGIN:DAYLIGHT").count(), 1);
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
    }

    #[test]
    fn zone_without_dst_has_one_observance() {
        let tz = zone("Asia/Shanghai");
        let lines = vtimezone(
            "Asia/Shanghai",
            &tz,
            ts("2026-12-02T12:00:00Z"),
            ts("2027-12-02T12:00:00Z"),
        );
        let text = lines.join("\n");
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1, "{text}");
        assert!(text.contains("TZOFFSETTO:+0800"));
        assert!(!text.contains("DAYLIGHT"));
        let utc = vtimezone(
            "UTC",
            &TimeZone::UTC,
            ts("2026-12-02T12:00:00Z"),
            ts("2027-12-02T12:00:00Z"),
        );
        assert!(utc.contains(&"TZOFFSETTO:+0000".to_string()), "{utc:?}");
    }

    #[test]
    fn offsets_with_seconds() {
        assert_eq!(
            fmt_offset(Offset::from_seconds(-(4 * 3600 + 56 * 60 + 2)).unwrap()),
            "-045602"
        );
        assert_eq!(
            fmt_offset(Offset::from_seconds(5 * 3600 + 30 * 60).unwrap()),
            "+0530"
        );
    }
}
