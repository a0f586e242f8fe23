//! The ROI report across the languages of a site (spec §7, README "ROI
//! report"): each language's prices, totals per currency never summed
//! across currencies, sales through any language's page matched to the
//! offer, and every label of report.html and the terminal table in the
//! site's language.

use std::fs;
use std::process::Output;

use serde_json::{Value, json};

mod common;
use common::{TestSite, pick};

const NOW: &str = "2026-12-15T00:00:00+08:00";

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn each_language_price_is_forecast_and_totalled_in_its_own_currency() {
    let site = TestSite::fixture("sales/bilingual");
    let sales = site.join("stripe.csv");
    let doc: Value = serde_json::from_str(&ok(&site.report(NOW, &[sales], "json"))).unwrap();
    // Chinese prices: rust-web on sale at 149 CNY × 10 expected = 1,490.00;
    // club 30 CNY × 3 months × 4 members = 360.00; CNY cost 1,000 + 100.
    assert_eq!(doc["total"]["revenue"], "1850.00");
    assert_eq!(doc["total"]["cost"], "1100.00");
    let en = &doc["by_language"][0];
    assert_eq!(en["language"], "en");
    // English prices: rust-web on sale at 22 USD × 10 = 220.00. Its costs are CNY: the
    // USD total has no cost and no ROI, the CNY one keeps every CNY cost
    // (club 360.00 against 1,100.00: ROI 0.32727 → 0.3273).
    let rust = &en["offers"][0];
    assert_eq!(
        (&rust["price"], &rust["currency"]),
        (&json!("22.00"), &json!("USD"))
    );
    let t = &en["totals_by_currency"];
    assert_eq!(
        pick(&t[0], &["currency", "revenue", "cost", "roi"]),
        json!(["USD", "220.00", "0.00", null])
    );
    assert_eq!(
        pick(&t[1], &["currency", "revenue", "cost", "roi"]),
        json!(["CNY", "360.00", "1100.00", 0.3273])
    );
    // Actual: the CNY charge names the Chinese title, the USD ones the
    // English title; both are rust-web. CNY: 199.00 − fee 6.97 = 192.03
    // against 1,000 (ROI 0.19203 → 0.192). USD apart: 2 units, 58.00,
    // refunds 29.00, fees 2.28, received 26.72.
    let rust = doc["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "rust-web")
        .unwrap();
    let a = &rust["actual"];
    assert_eq!(
        pick(&a, &["units", "revenue", "received", "roi"]),
        json!([1, "199.00", "192.03", 0.192])
    );
    let usd = &rust["actual_other_currencies"][0];
    assert_eq!(
        pick(
            &usd,
            &[
                "currency", "units", "revenue", "refunds", "fees", "received"
            ]
        ),
        json!(["USD", 2, "58.00", "29.00", "2.28", "26.72"])
    );
    assert!(
        doc.get("unmatched")
            .is_none_or(|u| u.as_array().unwrap().is_empty()),
        "{doc:#}"
    );
    let totals = &doc["total"]["actual"];
    assert_eq!(
        json!([
            totals[0]["currency"],
            totals[1]["currency"],
            totals[1]["revenue"]
        ]),
        json!(["CNY", "USD", "58.00"])
    );
}

/// English labels of the tables, as they appear in report.html.
const HTML_LABELS: &[&str] = &[
    ">offer</th>",
    ">price</th>",
    ">scenario</th>",
    ">units</th>",
    ">revenue</th>",
    ">cost</th>",
    ">break-even</th>",
    ">net ROI</th>",
    "<h2>Totals",
    "<h2>Offers",
    "<h2>Break-even charts",
    "ROI estimate",
    "Prices in effect at",
    ">expected<",
    ">sale</span>",
    "payments per member",
    "revenue after fees",
    "Forecast at the prices",
];

/// English labels of the terminal table.
const TEXT_LABELS: &[&str] = &[
    "ROI estimate at",
    "private, not published",
    "offer ",
    "scenario",
    "revenue",
    "break-even",
    "total CNY",
    "expected",
    "members",
    "Forecast at the prices",
    "Actual sales",
];

fn set_language(site: &TestSite, from: &str, to: &str) {
    site.edit("kpsite.yaml", from, to);
}

fn labels_of(site: &TestSite) -> (String, String) {
    let sales = vec![site.join("stripe.csv")];
    let text = ok(&site.report(NOW, &sales, "text"));
    let out = site.report(NOW, &sales, "json");
    ok(&out);
    // `kpsite report` writes report.html beside report.json.
    let html = fs::read_to_string(site.join("report/report.html")).unwrap();
    (text, html)
}

#[test]
fn a_chinese_site_report_has_no_english_table_labels() {
    let site = TestSite::fixture("sales/bilingual");
    let (text, html) = labels_of(&site);
    for l in TEXT_LABELS {
        assert!(!text.contains(l), "`{l}` left in the zh-CN table:\n{text}");
    }
    for l in HTML_LABELS {
        assert!(!html.contains(l), "`{l}` left in the zh-CN report.html");
    }
    assert!(text.contains("合计 CNY") && html.contains("保本"), "{text}");

    // Positive control: the same site with English first shows every label.
    let site = TestSite::fixture("sales/bilingual");
    set_language(&site, "languages: [zh-CN, en]", "languages: [en, zh-CN]");
    set_language(&site, "currency: CNY", "currency: USD");
    fs::remove_file(site.join("lessons/rust-web/01-welcome.en.md")).unwrap();
    let (text, html) = labels_of(&site);
    for l in TEXT_LABELS.iter().filter(|l| **l != "total CNY") {
        assert!(text.contains(l), "`{l}` missing from the en table:\n{text}");
    }
    for l in HTML_LABELS {
        assert!(html.contains(l), "`{l}` missing from the en report.html");
    }
}
