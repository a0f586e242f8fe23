//! The example site's sample sales exports (example-site/sales-exports/):
//! `kpsite report --sales` reads all four, and `kpsite build` never
//! publishes them — a real export holds buyers' emails.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod common;
use common::{TestSite, json_of, pick};

const NOW: &str = "2026-12-15T00:00:00+08:00";
const EXPORTS: &[&str] = &[
    "stripe.csv",
    "lemonsqueezy.csv",
    "paypal.csv",
    "gumroad.csv",
];

/// Every file under `dir` whose bytes contain `needle`, or whose path does.
fn holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            found.extend(holding(&p, needle));
        } else {
            let bytes = fs::read(&p).unwrap();
            let in_body = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
            if in_body || p.to_string_lossy().contains("sales-exports") {
                found.push(p);
            }
        }
    }
    found
}

/// Builds `site` into its `public/` folder and gives that folder.
fn build(site: &TestSite) -> PathBuf {
    site.build_ok(&["--now", NOW]);
    site.join("public")
}

#[test]
fn the_sample_exports_are_never_published() {
    let site = TestSite::example();
    // The exports hold buyer emails (all at example.net).
    let exports = site.join("sales-exports");
    assert!(!holding(&exports, "buyer@example.net").is_empty());
    let public = build(&site);
    assert_eq!(holding(&public, "buyer@example.net"), Vec::<PathBuf>::new());

    // Positive control: the same file under static/ is published, and found.
    let site = TestSite::example();
    fs::copy(
        site.join("sales-exports/stripe.csv"),
        site.join("static/stripe.csv"),
    )
    .unwrap();
    let public = build(&site);
    assert!(!holding(&public, "buyer@example.net").is_empty());
}

#[test]
fn the_sample_exports_report_exact_figures() {
    let site = TestSite::example();
    let exports: Vec<PathBuf> = EXPORTS
        .iter()
        .map(|e| site.join("sales-exports").join(e))
        .collect();
    let doc: Value = json_of(&site.report(NOW, &exports, "json"));
    // CNY: rust-web 3 × 149 (one refunded, fees 3 × 5.22), python-data 249,
    // community 299 (fee 13.16): revenue 995.00, refunds 149.00, fees 28.82,
    // received 817.18. USD: rust-web 22 (English page), python-data 35,
    // all-access 49 + 44.10 (fees 0.94 + 5.4 + 4.91): revenue 150.10,
    // fees 11.25, received 138.85. Never summed together.
    let t = &doc["total"]["actual"];
    assert_eq!(
        pick(
            &t[0],
            &["currency", "revenue", "refunds", "fees", "received"]
        ),
        json!(["CNY", "995.00", "149.00", "28.82", "817.18"])
    );
    assert_eq!(
        pick(&t[1], &["currency", "revenue", "fees", "received"]),
        json!(["USD", "150.10", "11.25", "138.85"])
    );
    // 5 + 2 + 2 + 3 records: 9 counted, a withdrawal, a failed charge, Totals.
    let files = doc["sales_files"].as_array().unwrap();
    let records: u64 = files.iter().map(|f| f["records"].as_u64().unwrap()).sum();
    let counted: u64 = files.iter().map(|f| f["counted"].as_u64().unwrap()).sum();
    assert_eq!((records, counted), (12, 9));
}
