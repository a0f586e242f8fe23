//! `calendar.yaml` → validated [`Event`]s, every problem reported with its
//! line and column. Each event is checked on its own, so three bad events
//! give three errors.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_yaml::Value;

use super::duration::parse_duration;
use super::{Event, EventAudience, Freq, Repeat, RepeatEnd, Timing};
use crate::diagnostics::Diagnostic;
use crate::load::yaml::{self, Spans, join};
use crate::model::time::zone;
use crate::util::valid_id;

/// `calendar.yaml`. The JSON Schema for editors is derived from these
/// shapes ([`super::json_schema`]); the loader stays the judge.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "kpsite calendar.yaml")]
pub(super) struct RawCalendar {
    /// IANA time zone of events without their own; default: kpsite.yaml timezone.
    timezone: Option<String>,
    /// Community events.
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawEvent>>")]
    events: Option<Vec<Value>>,
}

/// One event.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = {"required": ["duration", "end"]}))]
pub(super) struct RawEvent {
    /// Unique, [a-z0-9-]+; the page is events/<id>/.
    #[schemars(regex(pattern = r"^[a-z0-9-]+$"))]
    id: String,
    /// Display title.
    #[schemars(length(min = 1))]
    title: String,
    /// Local time in the event's zone, 2026-12-02T20:00; a date for all-day events.
    #[schemars(with = "LocalTime")]
    start: Value,
    /// 90m, 1h30m, 2h, 1d; or give end.
    #[schemars(with = "Option<DurationText>")]
    duration: Option<Value>,
    /// Local end time; for all-day events the last day, inclusive.
    #[schemars(with = "Option<LocalTime>")]
    end: Option<Value>,
    /// A whole-day event (start and end are dates).
    #[serde(default)]
    all_day: bool,
    /// IANA time zone of this event.
    timezone: Option<String>,
    /// Repetition; count or until, not both.
    repeat: Option<RawRepeat>,
    /// Where: an address, or the name of an online room.
    location: Option<String>,
    /// Meeting link; member-only when audience is members.
    #[schemars(regex(pattern = r"^https?://"))]
    url: Option<String>,
    /// Markdown.
    description: Option<String>,
    /// Who sees the details (location, link, description); default public.
    #[serde(default)]
    audience: EventAudience,
}

/// How an event repeats.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = {"required": ["count", "until"]}))]
pub(super) struct RawRepeat {
    /// daily, weekly or monthly.
    freq: Freq,
    /// How many occurrences, the first included.
    #[schemars(range(min = 1))]
    count: Option<u32>,
    /// Inclusive; a date means the end of that day.
    #[schemars(with = "Option<LocalTime>")]
    until: Option<Value>,
}

/// A local date or date-time, for the schema.
#[derive(JsonSchema)]
#[schemars(extend(
    "pattern" = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
))]
#[allow(dead_code)]
struct LocalTime(String);

/// A duration like 90m or 1h30m, for the schema.
#[derive(JsonSchema)]
#[schemars(extend("pattern" = r"^\s*(\d+\s*d)?\s*(\d+\s*h)?\s*(\d+\s*m)?\s*$"))]
#[allow(dead_code)]
struct DurationText(String);

/// Loads `calendar.yaml` (its contents `text`, named `file` in diagnostics).
/// Events without a `timezone` of their own use the file's `timezone`, or
/// else `default_tz_name` (the site's zone from `kpsite.yaml`).
///
/// Returns the valid events in file order and every problem found; an event
/// with an error is left out.
pub fn load(file: &Path, text: &str, default_tz_name: &str) -> (Vec<Event>, Vec<Diagnostic>) {
    let en = [crate::model::Language::en()];
    let locale = yaml::Locale {
        languages: &en,
        current: &en[0],
    };
    load_in(file, text, default_tz_name, locale)
}

/// [`load`], reading language maps (`title: {zh-CN: …, en: …}`) in
/// `locale.current` (spec §8).
pub fn load_in(
    file: &Path,
    text: &str,
    default_tz_name: &str,
    locale: yaml::Locale,
) -> (Vec<Event>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let parsed = match yaml::parse_in::<RawCalendar>(file, text, locale) {
        Ok(p) => p,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let spans = &parsed.spans;
    let cx = Cx { file, spans };

    let default_tz = TimeZone::get(default_tz_name).unwrap_or(TimeZone::UTC);
    let (calendar_tz_name, calendar_tz) = match parsed.value.timezone {
        Some(name) => match zone(&name) {
            Ok(tz) => (name, tz),
            Err(msg) => {
                diags.push(cx.err("timezone", msg));
                (default_tz_name.to_string(), default_tz)
            }
        },
        None => (default_tz_name.to_string(), default_tz),
    };

    let mut events = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, value) in parsed
        .value
        .events
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let base = join("events", i);
        let raw: RawEvent = match yaml::from_value(file, spans, &base, value) {
            Ok(r) => r,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let before = diags.len();
        let line = spans.position(&base).map_or(0, |p| p.0);
        if !valid_id(&raw.id) {
            diags.push(cx.err(
                &join(&base, "id"),
                format!(
                    "invalid event id `{}`: use lowercase letters, digits and `-`",
                    raw.id
                ),
            ));
        } else if let Some(first) = seen.get(&raw.id) {
            diags.push(cx.err(
                &join(&base, "id"),
                format!(
                    "duplicate event id `{}` (first used on line {first})",
                    raw.id
                ),
            ));
        } else {
            seen.insert(raw.id.clone(), line);
        }
        if raw.title.trim().is_empty() {
            diags.push(cx.err(&join(&base, "title"), "event title is empty"));
        }
        let event = validate(
            &cx,
            &base,
            line,
            raw,
            &calendar_tz_name,
            &calendar_tz,
            &mut diags,
        );
        let failed = diags[before..].iter().any(Diagnostic::is_error);
        match event {
            Some(event) if !failed => events.push(event),
            // Never left out in silence: an event dropped without an error
            // is a kpsite bug, reported as such.
            None if !failed => diags.push(cx.err(
                &base,
                "this event could not be read and was left out; please report this as a kpsite bug",
            )),
            _ => {}
        }
    }
    (events, diags)
}

/// Where diagnostics go.
struct Cx<'a> {
    file: &'a Path,
    spans: &'a Spans,
}

impl Cx<'_> {
    fn err(&self, path: &str, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.file, self.spans.position(path), msg)
    }

    fn key_err(&self, base: &str, field: &str, msg: impl Into<String>) -> Diagnostic {
        let pos = self
            .spans
            .key_position(base, field)
            .or_else(|| self.spans.position(&join(base, field)));
        Diagnostic::at(self.file, pos, msg)
    }
}

/// Checks one event's times, repetition and link; `None` when something
/// is wrong (the problem is in `diags`).
fn validate(
    cx: &Cx,
    base: &str,
    line: usize,
    raw: RawEvent,
    calendar_tz_name: &str,
    calendar_tz: &TimeZone,
    diags: &mut Vec<Diagnostic>,
) -> Option<Event> {
    let at = |field: &str| join(base, field);
    let (tz_name, tz) = match raw.timezone {
        Some(name) => match zone(&name) {
            Ok(tz) => (name, tz),
            Err(msg) => {
                diags.push(cx.err(&at("timezone"), msg));
                return None;
            }
        },
        None => (calendar_tz_name.to_string(), calendar_tz.clone()),
    };

    let start = match local(&raw.start) {
        Ok(s) => s,
        Err(msg) => {
            diags.push(cx.err(&at("start"), format!("start: {msg}")));
            return None;
        }
    };
    if raw.duration.is_some() && raw.end.is_some() {
        diags.push(cx.key_err(base, "duration", "give `duration` or `end`, not both"));
        return None;
    }
    let duration = match raw.duration.as_ref().map(scalar_text) {
        Some(text) => match parse_duration(&text) {
            Ok(d) => Some(d),
            Err(msg) => {
                diags.push(cx.err(&at("duration"), msg));
                return None;
            }
        },
        None => None,
    };
    let end = match raw.end.as_ref().map(local) {
        Some(Ok(e)) => Some(e),
        Some(Err(msg)) => {
            diags.push(cx.err(&at("end"), format!("end: {msg}")));
            return None;
        }
        None => None,
    };

    let timing = if raw.all_day {
        let Local::Date(start) = start else {
            diags.push(cx.err(
                &at("start"),
                "an all-day event starts on a date without a time, like `2026-12-02`",
            ));
            return None;
        };
        let days = match (duration, end) {
            (Some(d), _) => {
                let secs = d.as_secs();
                if secs % 86_400 != 0 {
                    diags.push(cx.err(
                        &at("duration"),
                        "an all-day event lasts whole days: write `1d`, `2d`, …",
                    ));
                    return None;
                }
                (secs / 86_400) as i32
            }
            (None, Some(Local::Date(end))) => {
                if end < start {
                    diags.push(cx.err(&at("end"), format!("end {end} is before start {start}")));
                    return None;
                }
                // `end` is the last day, inclusive.
                (end.duration_since(start).as_secs() / 86_400) as i32 + 1
            }
            (None, Some(Local::DateTime(_))) => {
                diags.push(cx.err(
                    &at("end"),
                    "an all-day event ends on a date without a time (its last day, like `2026-12-03`)",
                ));
                return None;
            }
            (None, None) => 1,
        };
        Timing::AllDay { start, days }
    } else {
        let Local::DateTime(start) = start else {
            diags.push(cx.err(
                &at("start"),
                format!(
                    "start `{}` has no time of day: write it like `2026-12-02T20:00`, or set `all_day: true`",
                    scalar_text(&raw.start)
                ),
            ));
            return None;
        };
        let Ok(start_z) = start.to_zoned_datetime(tz.clone()) else {
            diags.push(cx.err(
                &at("start"),
                format!("start {start} is out of the range of dates kpsite can compute"),
            ));
            return None;
        };
        if start_z.datetime() != start {
            diags.push(
                cx.err(
                    &at("start"),
                    format!(
                        "{start} does not exist in {tz_name} (the clocks skip it); it is read as {}",
                        start_z.datetime()
                    ),
                )
                .warning(),
            );
        }
        let duration = match (duration, end) {
            (Some(d), _) => d,
            (None, Some(Local::DateTime(end))) => {
                let Ok(end_z) = end.to_zoned_datetime(tz.clone()) else {
                    diags.push(cx.err(
                        &at("end"),
                        format!("end {end} is out of the range of dates kpsite can compute"),
                    ));
                    return None;
                };
                let d = start_z.duration_until(&end_z);
                if d.is_zero() || d.is_negative() {
                    diags.push(cx.err(&at("end"), format!("end {end} is not after start {start}")));
                    return None;
                }
                d
            }
            (None, Some(Local::Date(_))) => {
                diags.push(cx.err(
                    &at("end"),
                    "end needs a time of day, like `2026-12-02T21:30`",
                ));
                return None;
            }
            (None, None) => {
                diags.push(cx.err(
                    base,
                    format!(
                        "event `{}` needs a `duration` (like `90m`) or an `end`",
                        raw.id
                    ),
                ));
                return None;
            }
        };
        Timing::Timed { start, duration }
    };

    let repeat = match raw.repeat {
        Some(r) => Some(repeat(cx, &at("repeat"), r, &timing, diags)?),
        None => None,
    };

    let url = match raw.url {
        Some(u) => match check_url(&u) {
            Ok(parsed) => Some(parsed),
            Err(msg) => {
                diags.push(cx.err(&at("url"), msg));
                return None;
            }
        },
        None => None,
    };

    let event = Event {
        id: raw.id,
        title: raw.title.trim().to_string(),
        timing,
        tz_name,
        tz,
        repeat,
        location: non_empty(raw.location),
        url,
        description: non_empty(raw.description),
        audience: raw.audience,
        line,
    };
    // An end beyond what dates can hold (year 9999 plus a huge duration)
    // is a mistake to report, not an event to drop or to crash on later.
    if super::recur::try_first(&event).is_none() {
        diags.push(cx.err(
            &at("start"),
            format!(
                "event `{}` starts or ends outside the range of dates kpsite can compute; check start, duration and end",
                event.id
            ),
        ));
        return None;
    }
    Some(event)
}

fn repeat(
    cx: &Cx,
    path: &str,
    raw: RawRepeat,
    timing: &Timing,
    diags: &mut Vec<Diagnostic>,
) -> Option<Repeat> {
    let end = match (raw.count, raw.until) {
        (Some(_), Some(_)) => {
            diags.push(cx.err(path, "`repeat` takes `count` or `until`, not both"));
            return None;
        }
        (Some(0), None) => {
            diags.push(cx.err(&join(path, "count"), "repeat count must be at least 1"));
            return None;
        }
        (Some(n), None) => RepeatEnd::Count(n),
        (None, Some(until)) => {
            let upath = join(path, "until");
            let until = match (local(&until), timing) {
                (Err(msg), _) => {
                    diags.push(cx.err(&upath, format!("until: {msg}")));
                    return None;
                }
                (Ok(Local::Date(d)), _) => d.to_datetime(jiff::civil::time(23, 59, 59, 0)),
                (Ok(Local::DateTime(dt)), Timing::Timed { .. }) => dt,
                (Ok(Local::DateTime(_)), Timing::AllDay { .. }) => {
                    diags.push(cx.err(
                        &upath,
                        "an all-day event repeats until a date, without a time",
                    ));
                    return None;
                }
            };
            let first = match *timing {
                Timing::Timed { start, .. } => start,
                Timing::AllDay { start, .. } => start.to_datetime(Time::midnight()),
            };
            if until < first {
                diags.push(cx.err(
                    &upath,
                    format!("repeat until {} is before the start", until.date()),
                ));
                return None;
            }
            RepeatEnd::Until(until)
        }
        (None, None) => RepeatEnd::Never,
    };
    Some(Repeat {
        freq: raw.freq,
        end,
    })
}

/// A date or a local date and time as written in `calendar.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Local {
    Date(Date),
    DateTime(DateTime),
}

/// A date or time that has the right shape but does not exist
/// (`2026-02-30`, `25:00`), in plain words. jiff's message names the part
/// and its range ("parameter 'day' ... must be in range `1..=28`"); they
/// are read from it, and without them the sentence is still right.
fn out_of_range(text: &str, jiff_message: &str, example: &str) -> String {
    let part = jiff_message
        .split_once("parameter '")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(p, _)| p);
    let range = jiff_message.rsplit_once("range").and_then(|(_, rest)| {
        let rest = rest.trim_start_matches([' ', '`', 'o', 'f']);
        let (lo, rest) = rest.split_once("..=")?;
        let hi: String = rest.chars().take_while(char::is_ascii_digit).collect();
        lo.parse::<i64>().ok().zip(hi.parse::<i64>().ok())
    });
    match (part, range) {
        (Some(part), Some((lo, hi))) => format!(
            "`{text}` does not exist: the {part} must be from {lo} to {hi} there; {example}"
        ),
        _ => format!("`{text}` is not a real date and time; {example}"),
    }
}

/// Parses `2026-12-02` or `2026-12-02T20:00` (`:ss` and a space instead of
/// `T` allowed). Offsets and zone names are refused: the zone is given by
/// `timezone`, and a second source of truth would only disagree with it.
fn local(value: &Value) -> Result<Local, String> {
    let text = scalar_text(value);
    let text = text.trim();
    let example = "write a date like `2026-12-02` or a local date and time like `2026-12-02T20:00`";
    if !matches!(value, Value::String(_)) {
        return Err(format!("`{text}` is not a date: {example}"));
    }
    let (date_part, time_part) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], Some(text[i + 1..].trim())),
        None => (text, None),
    };
    if let Some(t) = time_part
        && let Some(i) = t.find(['+', '-', 'Z', 'z', '['])
    {
        let local = &t[..i];
        return Err(format!(
            "`{text}` carries an offset or zone: write the local time (`{date_part}T{local}`) and set the zone with `timezone`"
        ));
    }
    let shape_ok = date_part.len() == 10
        && date_part.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!("`{text}` is not a date: {example}"));
    }
    match time_part {
        None => date_part
            .parse::<Date>()
            .map(Local::Date)
            .map_err(|e| out_of_range(text, &e.to_string(), example)),
        Some(t) => {
            let ok_time = t.len() >= 5
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b == b':' || b == b'.');
            if !ok_time {
                return Err(format!("invalid time in `{text}`: {example}"));
            }
            format!("{date_part}T{t}")
                .parse::<DateTime>()
                .map(Local::DateTime)
                .map_err(|e| out_of_range(text, &e.to_string(), example))
        }
    }
}

/// The text of a scalar: strings as they are, numbers as written.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// The event url as the `url` crate writes it back (percent-encoded,
/// normalized), which is what every output uses. Control characters are
/// refused first: the parser silently strips tabs and newlines, so a url
/// holding `\r\n` would pass yet still carry them if written as typed.
fn check_url(u: &str) -> Result<String, String> {
    let u = u.trim();
    if let Some(c) = u.chars().find(|c| c.is_control()) {
        return Err(format!(
            "event url {u:?} holds a control character ({c:?}); write the link on one line without it"
        ));
    }
    let parsed =
        url::Url::parse(u).map_err(|e| format!("url {}", crate::diagnostics::bad_url(u, e)))?;
    match parsed.scheme() {
        "https" | "http" if parsed.host_str().is_some() => Ok(parsed.to_string()),
        scheme => Err(format!(
            "event url `{u}` must be an http:// or https:// link, not `{scheme}:`"
        )),
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::test_util::event;
    use jiff::SignedDuration;

    fn errors(yaml: &str) -> Vec<String> {
        let (_, diags) = load(Path::new("calendar.yaml"), yaml, "Asia/Shanghai");
        diags.iter().map(ToString::to_string).collect()
    }

    fn one_error(yaml: &str) -> String {
        let e = errors(yaml);
        assert_eq!(e.len(), 1, "expected one diagnostic, got {e:#?}");
        e.into_iter().next().unwrap()
    }

    #[test]
    fn loads_the_spec_example() {
        let e = event(
            "timezone: Asia/Shanghai
events:
  - id: code-review
    title: 每周代码评审
    start: 2026-12-02T20:00
    duration: 90m
    all_day: false
    timezone: Asia/Shanghai
    repeat: { freq: weekly, count: 8 }
    location: 线上 / 腾讯会议
    url: https://meeting.example.com/abc
    description: |
      带上你的 PR。
    audience: members
",
        );
        assert_eq!(e.id, "code-review");
        assert_eq!(
            e.timing,
            Timing::Timed {
                start: "2026-12-02T20:00".parse().unwrap(),
                duration: SignedDuration::from_mins(90)
            }
        );
        assert_eq!(
            e.repeat,
            Some(Repeat {
                freq: Freq::Weekly,
                end: RepeatEnd::Count(8)
            })
        );
        assert_eq!(e.audience, EventAudience::Members);
        assert_eq!(e.description.as_deref(), Some("带上你的 PR。\n"));
        assert_eq!(e.line, 3);
    }

    #[test]
    fn zone_falls_back_from_event_to_file_to_site() {
        let y = "timezone: Europe/Berlin
events:
  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h }
  - { id: b, title: B, start: 2026-12-02T20:00, duration: 1h, timezone: America/New_York }
";
        let (ev, d) = load(Path::new("calendar.yaml"), y, "Asia/Shanghai");
        assert!(d.is_empty());
        assert_eq!(ev[0].tz_name, "Europe/Berlin");
        assert_eq!(ev[1].tz_name, "America/New_York");
        let (ev, _) = load(
            Path::new("calendar.yaml"),
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h }\n",
            "Asia/Shanghai",
        );
        assert_eq!(ev[0].tz_name, "Asia/Shanghai");
    }

    #[test]
    fn end_is_turned_into_an_exact_duration() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, end: 2026-12-02T21:30 }\n",
        );
        assert!(
            matches!(e.timing, Timing::Timed { duration, .. } if duration == SignedDuration::from_mins(90))
        );
        // Across the New York fall-back night 00:00 → 03:00 local is 4 real hours.
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-11-01T00:00, end: 2026-11-01T03:00, timezone: America/New_York }\n",
        );
        assert!(
            matches!(e.timing, Timing::Timed { duration, .. } if duration == SignedDuration::from_hours(4))
        );
    }

    #[test]
    fn all_day_events_take_dates_and_whole_days() {
        let e = event("events:\n  - { id: a, title: A, start: 2026-12-02, all_day: true }\n");
        assert_eq!(
            e.timing,
            Timing::AllDay {
                start: "2026-12-02".parse().unwrap(),
                days: 1
            }
        );
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02, end: 2026-12-04, all_day: true }\n",
        );
        assert_eq!(
            e.timing,
            Timing::AllDay {
                start: "2026-12-02".parse().unwrap(),
                days: 3
            }
        );
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02, duration: 2d, all_day: true }\n",
        );
        assert_eq!(
            e.timing,
            Timing::AllDay {
                start: "2026-12-02".parse().unwrap(),
                days: 2
            }
        );
    }

    #[test]
    fn until_a_date_means_the_end_of_that_day() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, repeat: { freq: weekly, until: 2026-12-30 } }\n",
        );
        assert_eq!(
            e.repeat.unwrap().end,
            RepeatEnd::Until("2026-12-30T23:59:59".parse().unwrap())
        );
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, repeat: { freq: daily } }\n",
        );
        assert_eq!(e.repeat.unwrap().end, RepeatEnd::Never);
    }

    #[test]
    fn unknown_field_is_an_error_with_position() {
        let e = one_error(
            "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    duraton: 1h\n",
        );
        assert!(
            e.starts_with("error: calendar.yaml:5:5: unknown field `duraton`"),
            "{e}"
        );
        let e = one_error("timezon: UTC\n");
        assert!(
            e.starts_with("error: calendar.yaml:1:1: unknown field `timezon`"),
            "{e}"
        );
    }

    #[test]
    fn bad_zone_is_an_error_with_a_suggestion() {
        let e = one_error(
            "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    duration: 1h\n    timezone: Asia/Shangai\n",
        );
        assert_eq!(
            e,
            "error: calendar.yaml:6:15: unknown time zone `Asia/Shangai`, did you mean `Asia/Shanghai`?"
        );
        let e = one_error("timezone: Mars/Olympus\nevents: []\n");
        assert!(
            e.starts_with("error: calendar.yaml:1:11: unknown time zone `Mars/Olympus`"),
            "{e}"
        );
    }

    #[test]
    fn bad_duration_is_an_error() {
        let e =
            one_error("events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 90 }\n");
        assert!(e.starts_with("error: calendar.yaml:2:"), "{e}");
        assert!(e.contains("needs a unit"), "{e}");
        let e = one_error(
            "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    duration: 1.5h\n",
        );
        assert!(
            e.starts_with("error: calendar.yaml:5:15: invalid duration `1.5h`"),
            "{e}"
        );
        let e = one_error(
            "events:\n  - { id: a, title: A, start: 2026-12-02, all_day: true, duration: 3h }\n",
        );
        assert!(e.contains("whole days"), "{e}");
    }

    #[test]
    fn end_before_start_is_an_error() {
        let e = one_error(
            "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    end: 2026-12-02T19:00\n",
        );
        assert_eq!(
            e,
            "error: calendar.yaml:5:10: end 2026-12-02T19:00:00 is not after start 2026-12-02T20:00:00"
        );
        let e = one_error(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, end: 2026-12-02T20:00 }\n",
        );
        assert!(e.contains("is not after start"), "{e}");
        let e = one_error(
            "events:\n  - { id: a, title: A, start: 2026-12-02, end: 2026-12-01, all_day: true }\n",
        );
        assert!(e.contains("is before start"), "{e}");
    }

    #[test]
    fn duration_and_end_together_is_an_error() {
        let e = one_error(
            "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    duration: 1h\n    end: 2026-12-02T21:00\n",
        );
        assert_eq!(
            e,
            "error: calendar.yaml:5:5: give `duration` or `end`, not both"
        );
    }

    #[test]
    fn missing_length_is_an_error() {
        let e = one_error("events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n");
        assert_eq!(
            e,
            "error: calendar.yaml:2:5: event `a` needs a `duration` (like `90m`) or an `end`"
        );
    }

    #[test]
    fn count_and_until_together_is_an_error() {
        let e = one_error(
            "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    duration: 1h\n    repeat: { freq: weekly, count: 3, until: 2027-01-01 }\n",
        );
        assert!(e.starts_with("error: calendar.yaml:6:"), "{e}");
        assert!(
            e.ends_with("`repeat` takes `count` or `until`, not both"),
            "{e}"
        );
    }

    #[test]
    fn bad_repeat_values_are_errors() {
        let e = one_error(
            "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    duration: 1h\n    repeat:\n      freq: yearly\n",
        );
        assert!(
            e.starts_with("error: calendar.yaml:7:13: `freq` cannot be `yearly`"),
            "{e}"
        );
        assert!(e.contains("daily") && e.contains("monthly"), "{e}");
        let e = one_error(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, repeat: { freq: weekly, count: 0 } }\n",
        );
        assert!(e.contains("at least 1"), "{e}");
        let e = one_error(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, repeat: { freq: weekly, until: 2026-11-01 } }\n",
        );
        assert!(e.contains("before the start"), "{e}");
        let e = one_error(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, repeat: { freq: weekly, interval: 2 } }\n",
        );
        assert!(e.contains("unknown field `interval`"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let e = one_error(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h }\n  - { id: a, title: B, start: 2026-12-03T20:00, duration: 1h }\n",
        );
        assert!(e.starts_with("error: calendar.yaml:3:"), "{e}");
        assert!(
            e.contains("duplicate event id `a` (first used on line 2)"),
            "{e}"
        );
        let e = one_error(
            "events:\n  - { id: Code_Review, title: A, start: 2026-12-02T20:00, duration: 1h }\n",
        );
        assert!(e.contains("invalid event id"), "{e}");
    }

    #[test]
    fn dates_that_do_not_parse_are_errors() {
        for (start, want) in [
            ("2026-02-30T20:00", "the day must be from 1 to 28 there"),
            ("2026-13-01T20:00", "the month must be from 1 to 12 there"),
            ("next tuesday", "is not a date"),
            ("2026-12-02T25:00", "the hour must be from 0 to 23 there"),
            ("2026-12-02T20:00+08:00", "carries an offset"),
            ("2026-12-02T20:00Z", "carries an offset"),
            (
                "2026-12-02T21:15+01:00",
                "write the local time (`2026-12-02T21:15`)",
            ),
            ("20261202", "is not a date"),
        ] {
            let e = one_error(&format!(
                "events:\n  - id: a\n    title: A\n    start: {start}\n    duration: 1h\n"
            ));
            assert!(
                e.starts_with("error: calendar.yaml:4:12: start: "),
                "{start}: {e}"
            );
            assert!(e.contains(want), "{start}: {e}");
        }
        let e = one_error("events:\n  - { id: a, title: A, start: 2026-12-02, duration: 1h }\n");
        assert!(e.contains("has no time of day"), "{e}");
        let e =
            one_error("events:\n  - { id: a, title: A, start: 2026-12-02T10:00, all_day: true }\n");
        assert!(e.contains("without a time"), "{e}");
    }

    #[test]
    fn every_bad_event_is_reported() {
        let e = errors(
            "events:\n  - { id: a, title: A, start: nope, duration: 1h }\n  - { id: b, title: B, start: 2026-12-02T20:00, duration: 1x }\n  - { id: c, title: C, start: 2026-12-02T20:00, duration: 1h, colour: red }\n  - { id: d, title: D, start: 2026-12-02T20:00, duration: 1h }\n",
        );
        assert_eq!(e.len(), 3, "{e:#?}");
        assert!(
            e[0].contains(":2:") && e[1].contains(":3:") && e[2].contains(":4:"),
            "{e:#?}"
        );
    }

    #[test]
    fn bad_urls_are_errors() {
        for u in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://x.example/",
            "not a url",
        ] {
            let e = one_error(&format!(
                "events:\n  - {{ id: a, title: A, start: 2026-12-02T20:00, duration: 1h, url: '{u}' }}\n"
            ));
            assert!(e.contains("url"), "{u}: {e}");
        }
    }

    #[test]
    fn control_characters_in_a_url_are_errors() {
        // Double-quoted YAML, so `\r\n` reaches the url as CR LF.
        for u in [
            r"a\r\nATTACH:https://evil.example/x",
            r"a\nX-EVIL:1",
            r"a\tb",
            r"a\u0085b",
        ] {
            let e = one_error(&format!(
                "events:\n  - {{ id: a, title: A, start: 2026-12-02T20:00, duration: 1h, url: \"https://meet.example.com/{u}\" }}\n"
            ));
            assert!(e.contains("control character"), "{u}: {e}");
        }
    }

    #[test]
    fn the_url_is_kept_normalized() {
        let e = event(
            "events:\n  - { id: a, title: A, start: 2026-12-02T20:00, duration: 1h, url: 'HTTPS://Meet.Example.com/a b' }\n",
        );
        assert_eq!(e.url.as_deref(), Some("https://meet.example.com/a%20b"));
    }

    #[test]
    fn a_start_in_a_dst_gap_is_a_warning() {
        let (ev, d) = load(
            Path::new("calendar.yaml"),
            "events:\n  - { id: a, title: A, start: 2027-03-14T02:30, duration: 1h, timezone: America/New_York }\n",
            "UTC",
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert!(d[0].message.contains("03:30"), "{}", d[0].message);
    }

    #[test]
    fn empty_file_has_no_events() {
        let (ev, d) = load(Path::new("calendar.yaml"), "", "UTC");
        assert!(ev.is_empty() && d.is_empty());
        let (ev, d) = load(Path::new("calendar.yaml"), "events:\n", "UTC");
        assert!(ev.is_empty() && d.is_empty(), "{d:?}");
    }

    #[test]
    fn an_end_past_the_year_9999_is_an_error_not_a_crash() {
        let e = errors(
            "events:\n  - id: e\n    title: E\n    start: 9999-12-31T23:59\n    duration: 2h\n",
        );
        assert!(e.iter().any(|m| m.contains("range of dates")), "{e:?}");
        let e = errors(
            "events:\n  - id: f\n    title: F\n    start: 9999-12-31\n    all_day: true\n    end: 9999-12-31\n",
        );
        assert!(e.iter().any(|m| m.contains("range of dates")), "{e:?}");
    }
}
