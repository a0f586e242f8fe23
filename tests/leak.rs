//! Security property: paid lesson bodies, costs, forecasts, fees, drafts
//! and member-only event details never reach the public output. Every byte
//! of every public file is scanned.

mod common;

use common::{TestSite, snapshot};

/// Strings that exist only in private places of the fixture: paid lesson
/// bodies, the draft, cost lines, forecast figures, and the place, link and
/// description of the member-only event in calendar.yaml.
const SECRETS: &[&str] = &[
    "MEMBER-EVENT-PLACE-SENTINEL",
    "MEMBER-EVENT-LINK-SENTINEL",
    "MEMBER-EVENT-DESC-SENTINEL",
    "PAID-BODY-SENTINEL",
    "DRAFT-SENTINEL",
    "Unsafe, unfinished",
    "73519",
    "73,519",
    "1234.56",
    "1,234.56",
    "88123",
    "88,123",
    "31337",
    "31,337",
    "4871",
    "9377",
    "15551",
    "6421",
    "2718",
    "production",
    "promotion",
    "forecast",
];

fn scan(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        // .ics lines are folded at 75 octets: unfold as a calendar app would,
        // so a secret split across a fold is still found.
        let text = String::from_utf8_lossy(bytes).replace("\r\n ", "");
        for s in SECRETS {
            if text.contains(s) {
                found.push(format!("{path} contains {s:?}"));
            }
        }
    }
    found
}

#[test]
fn public_output_holds_no_private_byte() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--members"]);
    let public = snapshot(&site.join("public"));
    assert!(public.len() > 10, "the build wrote the site");
    let leaks = scan(&public);
    assert!(leaks.is_empty(), "leaks:\n{}", leaks.join("\n"));

    // The scan can fail: the members output does hold the paid bodies.
    let members = snapshot(&site.join("members"));
    let found = scan(&members);
    for s in [
        "PAID-BODY-SENTINEL",
        "MEMBER-EVENT-PLACE-SENTINEL",
        "MEMBER-EVENT-LINK-SENTINEL",
        "MEMBER-EVENT-DESC-SENTINEL",
    ] {
        assert!(
            found.iter().any(|l| l.contains(s)),
            "members output lacks {s}"
        );
    }
    // ... in the event's page and both calendar files.
    for path in [
        "events/members-call/index.html",
        "events/members-call.ics",
        "calendar.ics",
    ] {
        assert!(
            found
                .iter()
                .any(|l| l.starts_with(&format!("{path} contains"))),
            "members {path} lacks the member-only details"
        );
    }
}

#[test]
fn fee_settings_never_reach_public_output() {
    let site = TestSite::fixture("basic");
    site.edit(
        "manifest.yaml",
        "fees: { percent: 2.9, fixed: 0.30 }",
        "fees: { percent: 7.77, fixed: 0.99 }",
    );
    site.build_ok(&[]);
    let public = snapshot(&site.join("public"));
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("7.77") && !text.contains("0.99"),
            "{path} shows a fee"
        );
    }
}

#[test]
fn paid_lesson_pages_keep_title_summary_and_time_only() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let page = site.read("public/courses/intro-rust/ownership/index.html");
    assert!(page.contains("Ownership"));
    assert!(page.contains("Moves, borrows and lifetimes"));
    assert!(page.contains("17 min"));
    assert!(!page.contains("A value has one owner"));
    assert!(
        !page.contains("id=\"moves\""),
        "headings of a paid body are body too"
    );
    assert!(
        page.contains("prefilled_promo_code=LAUNCH30"),
        "a call to buy"
    );
}
