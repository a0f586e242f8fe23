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

/// The fixed test secret of the encrypted builds (base64 of 32 bytes).
const TEST_SECRET: &str = "q2VGX0Eb1j3sHyb0uRw7ViCwr1iVqBVmX8C3JtRzW1I=";

/// Every form a 32-byte key could be written in: raw, hex, base64 (all four).
fn key_forms(key: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![
        key.to_vec(),
        hex.clone().into_bytes(),
        hex.to_uppercase().into_bytes(),
    ];
    for e in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
        forms.push(e.encode(key).into_bytes());
    }
    forms
}

/// Every key the test site derives: secret, content keys, members key,
/// offer keys and the keys that wrap the keystores.
fn derived_keys() -> Vec<(String, Vec<u8>)> {
    use base64::Engine;
    use kpsite::delivery::{Keys, Secret, keys};
    let secret = Secret::parse(TEST_SECRET).unwrap();
    let k = Keys::new(secret, Default::default());
    let secret_bytes = base64::engine::general_purpose::STANDARD
        .decode(TEST_SECRET)
        .unwrap();
    let mut out = vec![("secret".to_string(), secret_bytes)];
    for c in ["intro-rust", "web-go"] {
        out.push((format!("content key {c}"), k.content_key(c).to_vec()));
    }
    out.push(("members key".into(), k.members_key().to_vec()));
    for o in ["intro-rust", "web-go", "club", "everything"] {
        let offer = k.offer_key(o);
        out.push((format!("offer key {o}"), offer.to_vec()));
        out.push((
            format!("keystore key {o}"),
            keys::keystore_key(&offer).to_vec(),
        ));
    }
    out
}

/// Every place of `files` (names and bytes) holding a form of a key.
fn scan_keys(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let keys = derived_keys();
    let mut found = Vec::new();
    for (path, bytes) in files {
        for (name, key) in &keys {
            for form in key_forms(key) {
                let hit = |hay: &[u8]| memchr::memmem::find(hay, &form).is_some();
                if hit(bytes) || hit(path.as_bytes()) {
                    found.push(format!("{path} holds the {name}"));
                }
            }
        }
    }
    found
}

#[test]
fn encrypted_public_output_holds_no_plaintext_and_no_key() {
    let site = TestSite::encrypted_fixture("all");
    site.write(".kpsite/secret", TEST_SECRET);
    site.build_ok(&[]);
    let public = snapshot(&site.join("public"));
    assert!(
        public.keys().any(|p| p.starts_with("unlock/")),
        "an encrypted build"
    );
    let page =
        String::from_utf8_lossy(&public["courses/intro-rust/ownership/index.html"]).into_owned();
    assert!(
        page.contains("data-kpsite-sealed"),
        "the paid body is published, sealed"
    );

    // Paid bodies, headings of paid bodies, member-only details, costs:
    // in no byte and no file name.
    let mut leaks = scan(&public);
    for (path, _) in &public {
        leaks.extend(
            SECRETS
                .iter()
                .filter(|s| path.contains(*s))
                .map(|s| format!("name {path} holds {s:?}")),
        );
        if path.contains("moves") {
            leaks.push(format!("name {path} holds a paid heading"));
        }
    }
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        if text.contains("id=\"moves\"") || text.contains("A value has one owner") {
            leaks.push(format!("{path} holds a paid heading or sentence"));
        }
    }
    leaks.extend(scan_keys(&public));
    assert!(leaks.is_empty(), "leaks:\n{}", leaks.join("\n"));

    // Positive controls: the key scan finds an unlock token where one is
    // (the output of `kpsite keys`), and a raw key in a binary file.
    let keys = site.kpsite(&["keys"]);
    assert_eq!(keys.code, 0, "{}", keys.stderr);
    let mut control = std::collections::BTreeMap::new();
    control.insert("keys.txt".to_string(), keys.stdout.into_bytes());
    let content = derived_keys()
        .into_iter()
        .find(|(n, _)| n == "content key web-go")
        .unwrap()
        .1;
    control.insert(
        "blob.bin".to_string(),
        [b"\x00\x01".to_vec(), content].concat(),
    );
    let found = scan_keys(&control);
    assert!(
        found
            .iter()
            .any(|f| f == "keys.txt holds the offer key club"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f == "blob.bin holds the content key web-go"),
        "{found:?}"
    );
}
