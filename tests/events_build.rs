//! Events through the whole pipeline: calendar.yaml → model → events
//! pages, landing page, .ics feeds; and the security property that the
//! public build never holds a member-only event's link, place or
//! description while the members build holds everything.

mod common;

use std::path::PathBuf;

use kpsite::commands::build::{Rendered, render_site};
use kpsite::render::Output;
use kpsite::validate::Options;

const KPSITE: &str = "title: 程序员的 Rust 实战课
description: 从零到生产的 Rust Web 开发
base_url: https://example.com/rust/
language: zh-CN
currency: CNY
timezone: Asia/Shanghai
";

const MANIFEST: &str = "courses:
  - id: rust-web
    title: Rust Web 开发实战
    description: 用 Axum 写出生产级服务
    price: 199
    payment: { provider: stripe, url: https://buy.stripe.com/test_123 }
";

const CALENDAR: &str = "events:
  - id: code-review
    title: 每周代码评审
    start: 2026-12-02T20:00
    duration: 90m
    repeat: { freq: weekly, count: 8 }
    location: 腾讯会议 MEMBER-ROOM-7
    url: https://meeting.example.com/MEMBER-LINK-abc
    description: |
      带上你的 **PR**。会议密码 MEMBER-PASSCODE
    audience: members
  - id: ny-meetup
    title: New York meetup
    start: 2026-12-10T19:00
    duration: 2h
    timezone: America/New_York
    location: 123 Broadway, New York
    description: Pizza and *Rust*.
  - id: launch
    title: 发布会
    start: 2026-11-01T10:00
    end: 2026-11-01T11:00
    url: https://live.example.com/launch
  - id: hackathon
    title: 黑客松
    start: 2027-01-09
    end: 2027-01-10
    all_day: true
  - id: office-hours
    title: Office hours
    start: 2026-11-25T21:00
    duration: 1h
    url: https://meeting.example.com/open-office
    description: Open to everyone.
";

const NOW: &str = "2026-11-20T00:00:00Z";
const MEMBER_SECRETS: &[&str] = &["MEMBER-ROOM-7", "MEMBER-LINK-abc", "MEMBER-PASSCODE"];

struct Site(PathBuf);

impl Site {
    fn new(name: &str, calendar: &str) -> Site {
        let dir = std::env::temp_dir().join(format!("kpsite-events-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("kpsite.yaml"), KPSITE).unwrap();
        std::fs::write(dir.join("manifest.yaml"), MANIFEST).unwrap();
        std::fs::write(dir.join("calendar.yaml"), calendar).unwrap();
        Site(dir)
    }

    fn render(&self) -> Rendered {
        let opts = Options {
            drafts: false,
            base_url: None,
            now: NOW.parse().unwrap(),
        };
        match render_site(&self.0, &opts, true) {
            Ok(r) => r,
            Err(d) => panic!("build failed: {:#?}", d.sorted()),
        }
    }

    fn errors(&self) -> Vec<String> {
        let opts = Options {
            drafts: false,
            base_url: None,
            now: NOW.parse().unwrap(),
        };
        match render_site(&self.0, &opts, false) {
            Ok(_) => Vec::new(),
            Err(d) => d.sorted().iter().map(ToString::to_string).collect(),
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text<'a>(out: &'a Output, path: &str) -> &'a str {
    out.text(path).unwrap_or_else(|| panic!("missing {path}"))
}

/// Every generated file, unfolded the way an iCalendar reader would, so a
/// secret split across a 75-octet fold is still found.
fn all_text(out: &Output) -> Vec<(String, String)> {
    out.files
        .keys()
        .filter_map(|p| Some((p.clone(), out.text(p)?.replace("\r\n ", ""))))
        .collect()
}

#[test]
fn writes_event_pages_and_feeds() {
    let site = Site::new("pages", CALENDAR);
    let r = site.render();
    for path in [
        "events/index.html",
        "calendar.ics",
        "events/code-review/index.html",
        "events/code-review.ics",
        "events/ny-meetup/index.html",
        "events/ny-meetup.ics",
        "events/launch/index.html",
        "events/hackathon/index.html",
        "events/hackathon.ics",
    ] {
        assert!(r.public.files.contains_key(path), "public lacks {path}");
        assert!(
            r.members.as_ref().unwrap().files.contains_key(path),
            "members lacks {path}"
        );
    }
}

#[test]
fn events_index_splits_upcoming_and_past_in_the_site_zone() {
    let site = Site::new("index", CALENDAR);
    let r = site.render();
    let html = text(&r.public, "events/index.html");
    let upcoming = &html[..html.find("往期活动").expect("past section")];
    let past = &html[html.find("往期活动").unwrap()..];
    // Soonest first: office hours (25 Nov), code review (2 Dec), NY (10 Dec
    // 19:00 New York = 11 Dec 08:00 Shanghai), hackathon (9 Jan).
    let order: Vec<usize> = ["Office hours", "每周代码评审", "New York meetup", "黑客松"]
        .iter()
        .map(|t| {
            upcoming
                .find(t)
                .unwrap_or_else(|| panic!("{t} not upcoming"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "order {order:?}");
    assert!(past.contains("发布会"));
    assert!(!upcoming.contains("发布会"));
    assert!(
        upcoming.contains("2026年12月11日（周五） 08:00–10:00"),
        "NY time in Shanghai"
    );
    assert!(upcoming.contains("每周 · 共 8 次"));
    assert!(html.contains("时间均为 Asia/Shanghai 时区"));
    assert!(html.contains("href=\"/rust/calendar.ics\""));
}

#[test]
fn event_page_has_times_links_and_json_ld() {
    let site = Site::new("event", CALENDAR);
    let r = site.render();
    let html = text(&r.public, "events/ny-meetup/index.html");
    assert!(html.contains("2026年12月11日（周五） 08:00–10:00"));
    assert!(
        html.contains("America/New_York 当地时间：2026年12月10日（周四） 19:00–21:00"),
        "own zone"
    );
    assert!(html.contains("123 Broadway, New York"));
    assert!(html.contains("<em>Rust</em>"), "Markdown description");
    assert!(html.contains("href=\"/rust/events/ny-meetup.ics\""));
    assert!(html.contains("https://calendar.google.com/calendar/render?action=TEMPLATE"));
    assert!(html.contains("\"@type\":\"Event\""));
    assert!(html.contains("\"startDate\":\"2026-12-10T19:00:00-05:00\""));
    assert!(html.contains("\"@type\":\"Place\""));
    assert!(html.contains("OfflineEventAttendanceMode"));
    assert!(
        html.contains(
            "<link rel=\"canonical\" href=\"https://example.com/rust/events/ny-meetup/\">"
        )
    );

    let online = text(&r.public, "events/office-hours/index.html");
    assert!(online.contains("\"@type\":\"VirtualLocation\""));
    assert!(online.contains("OnlineEventAttendanceMode"));
    assert!(online.contains("href=\"https://meeting.example.com/open-office\""));

    let ics = text(&r.public, "events/ny-meetup.ics");
    assert!(ics.contains("UID:ny-meetup@rust.example.com\r\n"));
    assert!(ics.contains("DTSTAMP:20261120T000000Z\r\n"));
}

#[test]
fn landing_page_lists_the_next_events() {
    let site = Site::new("landing", CALENDAR);
    let r = site.render();
    let html = text(&r.public, "index.html");
    assert!(html.contains("近期活动"));
    assert!(html.contains("href=\"/rust/events/office-hours/\""));
    assert!(html.contains("href=\"/rust/events/code-review/\""));
    assert!(html.contains("href=\"/rust/events/ny-meetup/\""));
    assert!(
        !html.contains("href=\"/rust/events/hackathon/\""),
        "only the next three"
    );
    assert!(
        !html.contains("href=\"/rust/events/launch/\""),
        "past events are not next"
    );
    assert!(
        html.contains("href=\"/rust/events/\""),
        "nav and 'all events'"
    );
}

#[test]
fn public_build_never_holds_member_only_event_details() {
    let site = Site::new("leak", CALENDAR);
    let r = site.render();
    for (path, body) in all_text(&r.public) {
        for secret in MEMBER_SECRETS {
            assert!(!body.contains(secret), "public {path} leaks {secret}");
        }
    }
    // The event itself is announced: title, time, a members-only mark.
    let page = text(&r.public, "events/code-review/index.html");
    assert!(page.contains("每周代码评审"));
    assert!(page.contains("仅限会员"));
    assert!(page.contains("2026年12月2日（周三） 20:00–21:30"));
    let feed = text(&r.public, "calendar.ics").replace("\r\n ", "");
    assert!(feed.contains("SUMMARY:每周代码评审"));
    assert!(feed.contains("URL:https://example.com/rust/events/code-review/"));

    // The members build has everything.
    let members = r.members.as_ref().unwrap();
    for secret in MEMBER_SECRETS {
        for path in [
            "events/code-review/index.html",
            "calendar.ics",
            "events/code-review.ics",
        ] {
            let body = text(members, path).replace("\r\n ", "");
            assert!(body.contains(secret), "members {path} lacks {secret}");
        }
    }
}

#[test]
fn a_site_without_events_has_no_events_pages() {
    let site = Site::new("none", "events: []\n");
    let r = site.render();
    assert!(!r.public.files.contains_key("events/index.html"));
    assert!(!r.public.files.contains_key("calendar.ics"));
    assert!(!text(&r.public, "index.html").contains("/rust/events/"));
}

#[test]
fn calendar_errors_fail_the_build_with_positions() {
    let bad = "events:
  - id: a
    title: A
    start: 2026-12-02T20:00
    duration: 90
  - id: b
    title: B
    start: 2026-12-02T20:00
    duration: 1h
    timezone: Asia/Shangai
  - id: b
    title: C
    start: 2026-12-02T20:00
    end: 2026-12-01T20:00
";
    let site = Site::new("errors", bad);
    let errors = site.errors();
    let want = [
        "error: calendar.yaml:5:15: duration `90` needs a unit",
        "error: calendar.yaml:10:15: unknown time zone `Asia/Shangai`, did you mean `Asia/Shanghai`?",
        "error: calendar.yaml:11:9: duplicate event id `b`",
        "error: calendar.yaml:14:10: end 2026-12-01T20:00:00 is not after start",
    ];
    for w in want {
        assert!(
            errors.iter().any(|e| e.starts_with(w)),
            "missing {w:?} in {errors:#?}"
        );
    }
}

#[test]
fn builds_are_reproducible() {
    // Two separate processes: each has its own randomly seeded hasher, so a
    // HashMap iteration order reaching the output would show here.
    let site = Site::new("repro", CALENDAR);
    let build = |out: &str| {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_kpsite"))
            .args(["build", ".", "-o", out, "--now", NOW])
            .current_dir(&site.0)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        common::snapshot(&site.0.join(out))
    };
    let (a, b) = (build("one"), build("two"));
    assert!(
        a.keys().any(|p| p.ends_with(".ics")),
        "the calendar is built"
    );
    assert!(a == b, "two processes, same input and --now: same bytes");
}
