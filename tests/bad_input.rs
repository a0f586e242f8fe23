//! Bad input: every case must exit 1, name the file (and line and column
//! where the format has them), never panic, and leave the previous output
//! byte for byte as it was.

mod common;

use common::{TestSite, snapshot};

/// How a case breaks the fixture.
enum Change {
    /// Replace the first `from` in `file` by `to`.
    Edit(&'static str, &'static str, &'static str),
    /// Write a whole file.
    Write(&'static str, &'static str),
    /// Write raw bytes.
    Bytes(&'static str, &'static [u8]),
    /// Delete a file.
    Remove(&'static str),
}

use Change::*;

/// (name, change, what stderr must contain: `file:line:col` or `file`).
const CASES: &[(&str, Change, &str)] = &[
    (
        "typo in a field name",
        Edit("manifest.yaml", "    price: 49.99", "    pirce: 49.99"),
        "manifest.yaml:8:5: unknown field `pirce`",
    ),
    (
        "more decimals than the currency has",
        Edit("manifest.yaml", "price: 49.99", "price: 49.999"),
        "manifest.yaml:8:12:",
    ),
    (
        "negative price",
        Edit("manifest.yaml", "price: 120", "price: -120"),
        "manifest.yaml:25:12:",
    ),
    (
        "price that is not a number",
        Edit("manifest.yaml", "price: 120", "price: lots"),
        "manifest.yaml:25:12:",
    ),
    (
        "sale price not below regular",
        Edit("manifest.yaml", "price: \"29.99\"", "price: \"59.99\""),
        "manifest.yaml:10:14:",
    ),
    (
        "sale date that does not parse",
        Edit(
            "manifest.yaml",
            "until: 2026-12-31T23:59:59-05:00",
            "until: someday",
        ),
        "manifest.yaml:11:14:",
    ),
    (
        "plain http payment link",
        Edit(
            "manifest.yaml",
            "https://buy.stripe.com/test_fixture1",
            "http://buy.stripe.com/test_fixture1",
        ),
        "manifest.yaml:15:12:",
    ),
    (
        "host not the provider's",
        Edit(
            "manifest.yaml",
            "fixture.lemonsqueezy.com",
            "fixture.lemonsqueezy.evil.com",
        ),
        "manifest.yaml:29:12:",
    ),
    (
        "javascript: link",
        Edit(
            "manifest.yaml",
            "https://fixture.gumroad.com/l/everything",
            "javascript:alert(1)",
        ),
        "manifest.yaml:51:12:",
    ),
    (
        "unknown provider",
        Edit("manifest.yaml", "provider: stripe", "provider: stripey"),
        "manifest.yaml:14:17:",
    ),
    (
        "coupon on a provider without coupons",
        Edit("manifest.yaml", "provider: lemonsqueezy", "provider: link"),
        "manifest.yaml:30:15:",
    ),
    (
        "id with capitals",
        Edit("manifest.yaml", "id: web-go", "id: Web_Go"),
        "manifest.yaml:23:9:",
    ),
    (
        "duplicate id",
        Edit("manifest.yaml", "id: web-go", "id: intro-rust"),
        "manifest.yaml:23:9: id `intro-rust` is used twice",
    ),
    (
        "forecast not a whole number",
        Edit("manifest.yaml", "sales: 6421", "sales: 64.5"),
        "manifest.yaml:32:",
    ),
    (
        "bundle naming an unknown course",
        Edit(
            "manifest.yaml",
            "[intro-rust, web-go]",
            "[intro-rust, web-gone]",
        ),
        "manifest.yaml:47:27: bundle names unknown course",
    ),
    (
        "unknown currency",
        Edit("manifest.yaml", "currency: EUR", "currency: EUX"),
        "manifest.yaml:26:15:",
    ),
    (
        "unknown level",
        Edit("manifest.yaml", "level: beginner", "level: expert"),
        "manifest.yaml:7:",
    ),
    (
        "negative cost",
        Edit("manifest.yaml", "production: 88123", "production: -88123"),
        "manifest.yaml:31:",
    ),
    (
        "QR image that does not exist",
        Edit("manifest.yaml", "static/img/pay.png", "static/img/nope.png"),
        "manifest.yaml:41:14:",
    ),
    (
        "YAML syntax error",
        Edit("manifest.yaml", "courses:\n", "courses: [\n"),
        "manifest.yaml:",
    ),
    (
        "secret key in the manifest",
        Edit(
            "manifest.yaml",
            "coupon: GOFAST",
            "coupon: GOFAST # sk_live_51Habc",
        ),
        "manifest.yaml:30:24: this looks like a secret key",
    ),
    (
        "secret key in a lesson",
        Edit(
            "lessons/web-go/01-handlers.md",
            "Handlers in Go.",
            "Handlers. whsec_abc123",
        ),
        "lessons/web-go/01-handlers.md:6:11:",
    ),
    (
        "lessons folder naming no course",
        Write("lessons/ghost/01-boo.md", "---\ntitle: Boo\n---\n"),
        "lessons/ghost: lessons folder `ghost` names no course",
    ),
    (
        "unknown front matter field",
        Edit(
            "lessons/intro-rust/02-ownership.md",
            "minutes: 17",
            "minuts: 17",
        ),
        "lessons/intro-rust/02-ownership.md:4:1: unknown field `minuts`",
    ),
    (
        "front matter without title",
        Edit(
            "lessons/intro-rust/03-lifetimes.md",
            "title: Lifetimes\n",
            "",
        ),
        "lessons/intro-rust/03-lifetimes.md:2:1: `title` is missing: add a line `title: ...` to the front matter",
    ),
    (
        "minutes that are not a number",
        Edit(
            "lessons/intro-rust/02-ownership.md",
            "minutes: 17",
            "minutes: soon",
        ),
        "lessons/intro-rust/02-ownership.md:4:10:",
    ),
    (
        "lesson without front matter",
        Write("lessons/web-go/03-plain.md", "# Plain\n"),
        "lessons/web-go/03-plain.md:1:1:",
    ),
    (
        "front matter never closed",
        Write("lessons/web-go/03-open.md", "---\ntitle: Open\n"),
        "lessons/web-go/03-open.md:1:1:",
    ),
    (
        "lesson that is not UTF-8",
        Bytes("lessons/web-go/03-latin1.md", b"---\ntitle: caf\xe9\n---\n"),
        "lessons/web-go/03-latin1.md:2:",
    ),
    (
        "missing required setting",
        Edit("kpsite.yaml", "title: Fixture Academy\n", ""),
        "kpsite.yaml:1:1: `title` is missing: add a line `title: ...` to kpsite.yaml",
    ),
    (
        "unknown time zone",
        Edit("kpsite.yaml", "America/New_York", "Mars/Olympus_Mons"),
        "kpsite.yaml:6:11: unknown time zone",
    ),
    (
        "base_url that is not absolute",
        Edit(
            "kpsite.yaml",
            "https://fixture.example.org/academy/",
            "fixture.example.org",
        ),
        "kpsite.yaml:3:11:",
    ),
    (
        "unknown language",
        Edit("kpsite.yaml", "language: en", "language: klingon"),
        "kpsite.yaml:4:11: unknown language",
    ),
    (
        "unknown setting",
        Edit("kpsite.yaml", "currency: USD", "curency: USD"),
        "kpsite.yaml:5:1: unknown field `curency`",
    ),
    (
        "page with unknown field",
        Edit(
            "pages/refund.md",
            "title: Refund policy",
            "titel: Refund policy",
        ),
        "pages/refund.md:2:1:",
    ),
    (
        "page slug reserved",
        Write("pages/courses.md", "---\ntitle: Courses\n---\n"),
        "pages/courses.md: page slug `courses` is reserved",
    ),
    (
        "template that does not parse",
        Write("templates/page.html", "{% if %}"),
        "templates/page.html",
    ),
    (
        "calendar: end past the year 9999 (a crash found by a fuzz regression case)",
        Edit(
            "calendar.yaml",
            "start: 2026-12-01T19:00\n    duration: 1h",
            "start: 9999-12-31T23:00\n    duration: 2h",
        ),
        "calendar.yaml:5:12: start 9999-12-31T23:00:00 is out of the range of dates",
    ),
    (
        "calendar: broken link in an event description",
        Edit(
            "calendar.yaml",
            "Ask anything about the course.",
            "Ask anything, see [faq](pages/faq.md).",
        ),
        "calendar.yaml:9:",
    ),
    (
        "calendar: unknown event field",
        Edit("calendar.yaml", "    duration: 1h\n", "    duraton: 1h\n"),
        "calendar.yaml:6:5: unknown field `duraton`",
    ),
    (
        "calendar: unknown time zone",
        Edit(
            "calendar.yaml",
            "timezone: Europe/Berlin",
            "timezone: Europe/Berlín",
        ),
        "calendar.yaml:14:15: unknown time zone `Europe/Berlín`, did you mean `Europe/Berlin`?",
    ),
    (
        "calendar: duration without a unit",
        Edit("calendar.yaml", "duration: 90m", "duration: 90"),
        "calendar.yaml:13:15: duration `90` needs a unit",
    ),
    (
        "calendar: end before start",
        Edit(
            "calendar.yaml",
            "    duration: 1h\n",
            "    end: 2026-12-01T18:00\n",
        ),
        "calendar.yaml:6:10: end 2026-12-01T18:00:00 is not after start",
    ),
    (
        "calendar: repeat with count and until",
        Edit("calendar.yaml", "count: 6", "count: 6, until: 2027-01-01"),
        "calendar.yaml:7:15: `repeat` takes `count` or `until`, not both",
    ),
    (
        "calendar: unknown repeat frequency",
        Edit("calendar.yaml", "freq: weekly", "freq: yearly"),
        "calendar.yaml:7:21: `freq` cannot be `yearly`: it takes `daily`, `weekly` or `monthly`",
    ),
    (
        "calendar: duplicate event id",
        Edit("calendar.yaml", "id: launch-party", "id: office-hours"),
        "calendar.yaml:20:9: duplicate event id `office-hours`",
    ),
    (
        "calendar: date that does not parse",
        Edit("calendar.yaml", "start: 2026-11-01", "start: 2026-11-31"),
        "calendar.yaml:22:12: start: `2026-11-31` does not exist: the day must be from 1 to 30 there",
    ),
    (
        "calendar: time with an offset",
        Edit(
            "calendar.yaml",
            "start: 2026-12-05T10:00",
            "start: 2026-12-05T10:00+01:00",
        ),
        "calendar.yaml:12:12: start: `2026-12-05T10:00+01:00` carries an offset",
    ),
    (
        "calendar: javascript: event link",
        Edit(
            "calendar.yaml",
            "https://meet.example.org/office-hours",
            "javascript:alert(1)",
        ),
        "calendar.yaml:8:10: event url",
    ),
    (
        "calendar: secret key",
        Edit(
            "calendar.yaml",
            "Ask anything about the course.",
            "Ask anything. sk_live_51Habc",
        ),
        "calendar.yaml:9:",
    ),
    (
        "missing manifest",
        Remove("manifest.yaml"),
        "manifest.yaml: missing",
    ),
    (
        "link to a lesson that does not exist",
        Edit(
            "lessons/intro-rust/01-welcome.md",
            "[ownership](02-ownership.md#moves)",
            "[ownership](02-ownershp.md#moves)",
        ),
        "lessons/intro-rust/01-welcome.md:9:7: broken link `02-ownershp.md#moves`",
    ),
    (
        "link to a heading that does not exist",
        Edit(
            "lessons/intro-rust/01-welcome.md",
            "02-ownership.md#moves",
            "02-ownership.md#mooves",
        ),
        "lessons/intro-rust/01-welcome.md:9:7: broken link `02-ownership.md#mooves`",
    ),
    (
        "anchor missing in the same document",
        Edit(
            "pages/refund.md",
            "Full refund within 30 days.",
            "Full refund, see [terms](#terms).",
        ),
        "pages/refund.md:5:18: broken link `#terms`",
    ),
    (
        "image that does not exist",
        Edit(
            "lessons/intro-rust/01-welcome.md",
            "static/img/logo.svg",
            "static/img/logo.png",
        ),
        "lessons/intro-rust/01-welcome.md:11:1: broken image",
    ),
    (
        "link to a draft lesson",
        Edit(
            "lessons/web-go/02-middleware.md",
            "chains handlers.",
            "chains handlers, see [unsafe](../intro-rust/04-unsafe.md).",
        ),
        "lessons/web-go/02-middleware.md:5:52: broken link `../intro-rust/04-unsafe.md`",
    ),
    (
        "broken link in a paid lesson",
        Edit(
            "lessons/intro-rust/03-lifetimes.md",
            "lives here.",
            "lives here.\n\n[faq](../../pages/faq.md)",
        ),
        "lessons/intro-rust/03-lifetimes.md:8:1: broken link `../../pages/faq.md`",
    ),
    (
        "site path that does not exist",
        Edit(
            "pages/about.md",
            "About Ada.",
            "About [Ada](/academy/people/ada/).",
        ),
        "pages/about.md:6:7: broken link `/academy/people/ada/`",
    ),
    (
        "broken link in a course description",
        Edit(
            "manifest.yaml",
            "Learn **Rust** from the ground up.",
            "Learn **Rust**, start [here](lessons/intro-rust/00-start.md).",
        ),
        "manifest.yaml:6:36: broken link `lessons/intro-rust/00-start.md`",
    ),
];

#[test]
fn every_bad_input_fails_cleanly_and_keeps_the_old_output() {
    assert!(CASES.len() >= 30);
    let mut failures = Vec::new();
    for (name, change, expected) in CASES {
        let site = TestSite::fixture("basic");
        site.build_ok(&[]);
        let before = snapshot(&site.join("public"));
        apply(&site, change);
        let run = site.build(&[]);
        let after = snapshot(&site.join("public"));
        if run.code != 1 {
            failures.push(format!(
                "{name}: exit {} (want 1)\n{}",
                run.code, run.stderr
            ));
        } else if !run.stderr.contains(expected) {
            failures.push(format!(
                "{name}: stderr lacks {expected:?}:\n{}",
                run.stderr
            ));
        } else if run.stderr.contains("panicked") {
            failures.push(format!("{name}: panicked\n{}", run.stderr));
        } else if before != after {
            failures.push(format!("{name}: the previous output changed"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let site = TestSite::fixture("basic");
    site.edit("manifest.yaml", "price: 120", "price: -1");
    site.edit("manifest.yaml", "provider: stripe", "provider: nope");
    site.edit(
        "lessons/intro-rust/02-ownership.md",
        "minutes: 17",
        "minuts: 17",
    );
    site.edit("kpsite.yaml", "language: en", "language: xx");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    for want in [
        "manifest.yaml:25:",
        "manifest.yaml:14:",
        "02-ownership.md:4:",
        "kpsite.yaml:4:",
    ] {
        assert!(
            run.stderr.contains(want),
            "missing {want} in:\n{}",
            run.stderr
        );
    }
    // Sorted by file then line.
    let first_kpsite = run.stderr.find("kpsite.yaml").unwrap();
    let first_manifest = run.stderr.find("manifest.yaml").unwrap();
    assert!(first_kpsite < first_manifest);
}

fn apply(site: &TestSite, change: &Change) {
    match change {
        Edit(file, from, to) => {
            site.edit(file, from, to);
        }
        Write(file, text) => {
            site.write(file, text);
        }
        Bytes(file, bytes) => std::fs::write(site.join(file), bytes).unwrap(),
        Remove(file) => std::fs::remove_file(site.join(file)).unwrap(),
    }
}
