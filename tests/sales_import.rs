//! `kpsite report --sales` end to end (spec §7): the fixture site
//! `tests/fixtures/sales/site` and one export of each provider beside it.
//! Every figure below was worked out by hand from the CSV files.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod common;
use common::{TestSite, json_of, offer};

const NOW: &str = "2026-12-15T00:00:00+08:00";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sales")
}

fn all_four() -> Vec<PathBuf> {
    [
        "gumroad.csv",
        "stripe.csv",
        "lemonsqueezy.csv",
        "paypal.csv",
    ]
    .iter()
    .map(|f| fixtures().join(f))
    .collect()
}

#[test]
fn four_exports_give_exact_actual_figures() {
    let site = TestSite::fixture("sales/site");
    let doc = json_of(&site.report(NOW, &all_four(), "json"));
    // Gumroad: 4 sales counted (one of 25 units, one disputed-and-won), one
    // fully and one partly refunded; 2026-11-30 16:30 UTC is December in Shanghai.
    let a = &offer(&doc, "rust-web")["actual"];
    assert_eq!(a["units"], 28);
    assert_eq!(a["revenue"], "1371.70");
    assert_eq!(a["refunds"], "59.00");
    assert_eq!(a["fees"], "138.57");
    assert_eq!(a["received"], "1174.13");
    assert_eq!(a["cost"], "500.00");
    assert_eq!(a["net"], "674.13");
    assert_eq!(a["roi"], 2.3483);
    assert_eq!(a["net_roi"], 1.3483);
    assert_eq!(
        a["by_month"],
        json!([{"month": "2026-11", "units": 2, "revenue": "98.00"},
               {"month": "2026-12", "units": 26, "revenue": "1273.70"}])
    );
    assert_eq!(
        a["by_coupon"][0],
        json!({"key": "EARLY20", "units": 1, "revenue": "39.20"})
    );
    assert_eq!(
        a["by_utm_medium"][1],
        json!({"key": "lesson", "units": 1, "revenue": "49.00"})
    );
    assert_eq!(a["forecast_between"], json!(["expected", "high"]));
    // PayPal: a refund row found by its Reference Txn ID gives part of the fee back.
    let a = &offer(&doc, "python-data")["actual"];
    assert_eq!(
        (
            &a["units"],
            &a["revenue"],
            &a["refunds"],
            &a["fees"],
            &a["received"],
            &a["net"]
        ),
        (
            &json!(4),
            &json!("116.00"),
            &json!("29.00"),
            &json!("4.74"),
            &json!("82.26"),
            &json!("-17.74")
        )
    );
    assert_eq!(
        (&a["roi"], &a["net_roi"]),
        (&json!(0.8226), &json!(-0.1774))
    );
    // Lemon Squeezy: the EUR order is reported apart, never summed in.
    let m = offer(&doc, "community");
    let a = &m["actual"];
    assert_eq!(
        (
            &a["units"],
            &a["revenue"],
            &a["refunds"],
            &a["received"],
            &a["net"],
            &a["roi"],
            &a["net_roi"]
        ),
        (
            &json!(3),
            &json!("30.00"),
            &json!("10.00"),
            &json!("20.00"),
            &json!("-180.00"),
            &json!(0.1),
            &json!(-0.9)
        )
    );
    assert!(
        a.get("forecast_between").is_none(),
        "payments are not members"
    );
    let eur = &m["actual_other_currencies"][0];
    assert_eq!(
        (
            &eur["currency"],
            &eur["units"],
            &eur["revenue"],
            &eur["roi"]
        ),
        (&json!("EUR"), &json!(1), &json!("9.00"), &Value::Null)
    );
    // Stripe: a EUR charge settled in USD counts at the settled amount; no costs → roi null.
    let a = &offer(&doc, "all-access")["actual"];
    assert_eq!(
        (
            &a["units"],
            &a["revenue"],
            &a["refunds"],
            &a["fees"],
            &a["received"],
            &a["roi"]
        ),
        (
            &json!(3),
            &json!("208.12"),
            &json!("69.00"),
            &json!("6.93"),
            &json!("132.19"),
            &Value::Null
        )
    );
    // Totals per currency; the cost is every USD cost line.
    let t = &doc["total"]["actual"];
    assert_eq!(t[0]["currency"], "USD");
    assert_eq!(
        (
            &t[0]["units"],
            &t[0]["revenue"],
            &t[0]["refunds"],
            &t[0]["fees"],
            &t[0]["received"],
            &t[0]["cost"],
            &t[0]["net"],
            &t[0]["roi"]
        ),
        (
            &json!(38),
            &json!("1725.82"),
            &json!("167.00"),
            &json!("150.24"),
            &json!("1408.58"),
            &json!("800.00"),
            &json!("608.58"),
            &json!(1.7607)
        )
    );
    assert_eq!(
        (&t[1]["currency"], &t[1]["revenue"]),
        (&json!("EUR"), &json!("9.00"))
    );
}

#[test]
fn no_row_is_lost_and_each_listed_row_says_where_and_why() {
    let site = TestSite::fixture("sales/site");
    let doc = json_of(&site.report(NOW, &all_four(), "json"));
    let listed = |key: &str| -> Vec<(String, u64, String)> {
        doc[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let file = l["file"].as_str().unwrap();
                let name = Path::new(file)
                    .file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                (
                    name,
                    l["line"].as_u64().unwrap(),
                    l["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let unmatched = listed("unmatched");
    let where_: Vec<(&str, u64)> = unmatched.iter().map(|(f, l, _)| (f.as_str(), *l)).collect();
    assert_eq!(
        where_,
        vec![
            ("gumroad.csv", 6),
            ("gumroad.csv", 9),
            ("paypal.csv", 5),
            ("stripe.csv", 7)
        ]
    );
    assert!(unmatched[0].2.contains("Old Ebook") && unmatched[0].2.contains("payment.product"));
    assert!(unmatched[1].2.contains("forty-nine"));
    let excluded = listed("excluded");
    let where_: Vec<(&str, u64)> = excluded.iter().map(|(f, l, _)| (f.as_str(), *l)).collect();
    assert_eq!(
        where_,
        vec![
            ("gumroad.csv", 7),
            ("lemonsqueezy.csv", 6),
            ("lemonsqueezy.csv", 7),
            ("paypal.csv", 6),
            ("stripe.csv", 4),
            ("stripe.csv", 6)
        ]
    );
    assert!(excluded[0].2.contains("disputed"));
    assert!(excluded[4].2.contains("failed"));
    // Every record is counted or listed.
    let files = doc["sales_files"].as_array().unwrap();
    let records: u64 = files.iter().map(|f| f["records"].as_u64().unwrap()).sum();
    let counted: u64 = files.iter().map(|f| f["counted"].as_u64().unwrap()).sum();
    let skipped = doc["skipped"].as_array().unwrap().len() as u64;
    assert_eq!(records, 26);
    assert_eq!(
        counted + unmatched.len() as u64 + excluded.len() as u64 + skipped,
        records
    );
}

#[test]
fn a_file_that_is_no_known_export_fails_naming_it() {
    let site = TestSite::fixture("sales/site");
    let bad = site.join("orders.csv");
    fs::write(&bad, "Order,Amount\n1,2\n").unwrap();
    let out = site.report(NOW, &[fixtures().join("gumroad.csv"), bad.clone()], "text");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("orders.csv:1:1: not a known sales export"),
        "{err}"
    );
    assert!(
        err.contains("`Order, Amount`") && err.contains("Stripe payments CSV"),
        "{err}"
    );
    // Nothing half-done is written.
    assert!(!site.join("report/report.json").exists());
    // A folder and a missing file are errors too.
    let out = site.report(NOW, &[site.path().to_path_buf()], "text");
    assert_eq!(out.status.code(), Some(1));
    let out = site.report(NOW, &[site.join("missing.csv")], "text");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.csv"));
}

#[test]
fn without_sales_the_report_has_no_actual_keys() {
    let site = TestSite::fixture("sales/site");
    let doc = json_of(&site.report(NOW, &[], "json"));
    assert!(doc.get("unmatched").is_none() && doc["total"].get("actual").is_none());
    assert!(offer(&doc, "rust-web").get("actual").is_none());
}

#[test]
fn the_text_and_html_reports_show_the_actual_figures() {
    let site = TestSite::fixture("sales/site");
    let out = site.report(NOW, &all_four(), "text");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1,174.13"), "{text}");
    assert!(text.contains("2026-12"), "{text}");
    assert!(text.contains("gumroad.csv:6"), "{text}");
    let html = fs::read_to_string(site.join("report/report.html")).unwrap();
    assert!(html.contains("1,174.13"));
    assert!(html.contains("<svg") && html.contains("2026-11"));
    assert!(html.contains("Old Ebook"));
}
