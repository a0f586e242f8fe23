//! Writes .ics fixtures through the library and has an independent RFC 5545
//! implementation (Python's `icalendar` + `recurring-ical-events`) read them
//! back: line lengths, CRLF, text round-trips, and repeating events that
//! keep their local hour across DST in America/New_York and Europe/Berlin.
//!
//! Skipped, with a message, when python3 with those packages is missing
//! (`pip install -r .ci/python-requirements.txt`).

use std::path::{Path, PathBuf};
use std::process::Command;

use kpsite::calendar::{self, Event, FeedInfo};
use kpsite::model::Audience;
use serde_json::json;

const CALENDAR: &str = r#"
timezone: Asia/Shanghai
events:
  - id: ny-weekly
    title: New York office hours
    start: 2026-10-13T19:00
    duration: 1h
    timezone: America/New_York
    repeat: { freq: weekly, count: 6 }
  - id: ny-spring
    title: New York spring
    start: 2027-03-02T09:00
    end: 2027-03-02T10:15
    timezone: America/New_York
    repeat: { freq: weekly, until: 2027-03-23 }
  - id: berlin-weekly
    title: Berliner Stammtisch
    start: 2027-03-09T18:30
    duration: 2h
    timezone: Europe/Berlin
    repeat: { freq: weekly, count: 5 }
  - id: berlin-autumn
    title: Berlin autumn
    start: 2026-10-06T08:00
    duration: 45m
    timezone: Europe/Berlin
    repeat: { freq: daily, until: 2026-10-31T08:00 }
  - id: cjk
    title: 每周代码评审 🦀🎉 所有权与借用、生命周期、trait 对象与泛型的取舍（第二季）
    start: 2026-12-02T20:00
    duration: 90m
    location: 线上 / 腾讯会议; 会议室 A, 3 楼 \ 东侧
    url: https://meeting.example.com/abc
    description: "带上你的 PR。第一行; 分号, 逗号 \\ 反斜杠\n第二行 🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀 emoji everywhere ✨\n\n最后一段：所有权、借用、生命周期。"
  - id: launch
    title: 'Launch; party, with \ backslash'
    start: 2026-12-10
    end: 2026-12-11
    all_day: true
  - id: monthly
    title: Monthly AMA
    start: 2027-01-31T21:00
    duration: 1h
    repeat: { freq: monthly, count: 4 }
  - id: secret
    title: Members call
    start: 2026-12-05T20:00
    duration: 1h
    location: Zoom SECRET-ROOM
    url: https://meet.example.com/SECRET-LINK
    description: passcode SECRET-DESC
    audience: members
"#;

fn out_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kpsite-calendar-ics-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn info() -> FeedInfo {
    FeedInfo::new(
        "https://example.com/rust/",
        "Rust 实战课 — 活动",
        "2026-11-20T08:00:00Z".parse().unwrap(),
        "仅限会员",
    )
}

/// What the checker must find for one event, keyed by UID.
fn expectation(e: &Event, audience: Audience, site: &FeedInfo) -> serde_json::Value {
    let occurrences: Vec<_> = calendar::occurrences(e).collect();
    let first = &occurrences[0];
    let mut offsets: Vec<i32> = occurrences
        .iter()
        .map(|o| o.start.offset().seconds())
        .collect();
    offsets.sort();
    offsets.dedup();
    let description = if e.details_visible(audience) {
        let mut d = e
            .description
            .clone()
            .unwrap_or_default()
            .trim_end()
            .to_string();
        if let Some(u) = &e.url {
            if !d.is_empty() {
                d.push_str("\n\n");
            }
            d.push_str(u);
        }
        (!d.is_empty()).then_some(d)
    } else {
        Some(format!("{}\n{}", site.members_note, site.page_url(e)))
    };
    json!({
        "summary": e.title,
        "description": description,
        "location": e.visible_location(audience),
        "tz": e.tz_name,
        "all_day": e.timing.is_all_day(),
        "repeats": e.repeat.is_some(),
        "hour": first.start.hour(),
        "minute": first.start.minute(),
        "count": occurrences.len(),
        "offsets": offsets,
        "first_date": first.start.date().to_string(),
    })
}

fn write_fixture(
    dir: &Path,
    name: &str,
    ics: &str,
    events: &[&Event],
    audience: Audience,
    forbidden: &[&str],
) -> PathBuf {
    let site = info();
    let path = dir.join(format!("{name}.ics"));
    std::fs::write(&path, ics).unwrap();
    let expect = json!({
        "events": events
            .iter()
            .map(|e| (site.uid(e), expectation(e, audience, &site)))
            .collect::<serde_json::Map<_, _>>(),
        "forbidden": forbidden,
    });
    std::fs::write(dir.join(format!("{name}.expect.json")), expect.to_string()).unwrap();
    path
}

fn python_ready() -> bool {
    Command::new("python3")
        .args(["-c", "import icalendar, recurring_ical_events"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn ics_files_pass_an_independent_rfc5545_reader() {
    let (events, diags) = calendar::load(Path::new("calendar.yaml"), CALENDAR, "UTC");
    assert!(diags.is_empty(), "{diags:#?}");
    let site = info();
    let dir = out_dir();
    let all: Vec<&Event> = events.iter().collect();
    let secrets = ["SECRET-ROOM", "SECRET-LINK", "SECRET-DESC"];

    let mut files = vec![
        write_fixture(
            &dir,
            "public",
            &calendar::feed(&events, Audience::Public, &site),
            &all,
            Audience::Public,
            &secrets,
        ),
        write_fixture(
            &dir,
            "members",
            &calendar::feed(&events, Audience::Members, &site),
            &all,
            Audience::Members,
            &[],
        ),
    ];
    for e in &events {
        files.push(write_fixture(
            &dir,
            &format!("event-{}", e.id),
            &calendar::event_ics(e, Audience::Public, &site),
            &[e],
            Audience::Public,
            &secrets,
        ));
    }

    if !python_ready() {
        eprintln!(
            "SKIPPED: python3 with icalendar and recurring-ical-events is not available \
             (pip install -r .ci/python-requirements.txt); the .ics files are in {}",
            dir.display()
        );
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ics_check.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "ics_check.py failed:\n{stdout}\n{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The expectations above rebuild each DESCRIPTION by rule (the text, then
/// the link); two stated literally pin that rule down, so the Python reader
/// checks the feeds against text written here, not only against the rule.
#[test]
fn expected_descriptions_are_the_literal_text() {
    let (events, diags) = calendar::load(Path::new("calendar.yaml"), CALENDAR, "UTC");
    assert!(diags.is_empty(), "{diags:#?}");
    let site = info();
    let event = |id: &str| events.iter().find(|e| e.id == id).unwrap();
    assert_eq!(
        expectation(event("cjk"), Audience::Public, &site)["description"],
        "带上你的 PR。第一行; 分号, 逗号 \\ 反斜杠\n\
         第二行 🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀 emoji everywhere ✨\n\n\
         最后一段：所有权、借用、生命周期。\n\n\
         https://meeting.example.com/abc"
    );
    // A member-only event's public entry: the note and its page, no details.
    assert_eq!(
        expectation(event("secret"), Audience::Public, &site)["description"],
        "仅限会员\nhttps://example.com/rust/events/secret/"
    );
    assert_eq!(
        expectation(event("secret"), Audience::Members, &site)["description"],
        "passcode SECRET-DESC\n\nhttps://meet.example.com/SECRET-LINK"
    );
}
