//! The four sales exports, each built on a header row copied verbatim from
//! a public source nobody here wrote (README "Actual sales" names each
//! source), read end to end by `kpsite report --sales` against the fixture
//! site `tests/fixtures/sales/site`. Every expected figure is worked out by
//! hand in the comment above it. Hostile exports (truncated, BOM, `;`,
//! formula cells, header only, mixed currencies) follow.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod common;
use common::{TestSite, json_of, offer, pick};

const NOW: &str = "2026-12-15T00:00:00+08:00";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sales")
}

fn verified(name: &str) -> PathBuf {
    fixtures().join("verified").join(name)
}

/// The main figures of an `actual` block, in one tuple for one assert.
fn main_figures(a: &Value) -> Value {
    pick(
        &a,
        &[
            "units", "revenue", "refunds", "fees", "received", "net", "roi", "net_roi",
        ],
    )
}

/// (file name, line) of each entry of a listed section.
fn listed(doc: &Value, key: &str) -> Vec<(String, u64, String)> {
    doc[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    let f = Path::new(l["file"].as_str().unwrap())
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .to_string();
                    (
                        f,
                        l["line"].as_u64().unwrap(),
                        l["reason"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Records = counted + unmatched + excluded + skipped summary rows.
fn assert_every_row_accounted(doc: &Value) {
    let files = doc["sales_files"].as_array().unwrap();
    let records: u64 = files.iter().map(|f| f["records"].as_u64().unwrap()).sum();
    let counted: u64 = files.iter().map(|f| f["counted"].as_u64().unwrap()).sum();
    let n = |k: &str| doc[k].as_array().map_or(0, |a| a.len() as u64);
    assert_eq!(
        counted + n("unmatched") + n("excluded") + n("skipped"),
        records,
        "{doc:#}"
    );
}

#[test]
fn gumroad_export_with_the_real_header() {
    let site = TestSite::fixture("sales/site");
    let doc = json_of(&site.report(NOW, &[verified("gumroad.csv")], "json"));
    // Counted: Ada 49.0 (fee 5.4), Lin 49.0 (fee 5.4, `Partial Refund ($)`
    // 20.0), Bo 39.2 (fee 4.32, `Fully Refunded?` 1). Cy is disputed (lost).
    // units 3; revenue 49 + 49 + 39.20 = 137.20; refunds 20 + 39.20 = 59.20;
    // fees 5.40 + 5.40 + 4.32 = 15.12; received 137.20 - 59.20 - 15.12 = 62.88;
    // cost 400 + 100 = 500; net 62.88 - 500 = -437.12; roi 62.88 / 500 =
    // 0.12576 → 0.1258; net_roi -437.12 / 500 = -0.87424 → -0.8742.
    let a = &offer(&doc, "rust-web")["actual"];
    assert_eq!(
        main_figures(a),
        json!([
            3, "137.20", "59.20", "15.12", "62.88", "-437.12", 0.1258, -0.8742
        ])
    );
    // `Purchase Time (UTC timezone)` is `2026-11-20 16:30:00 UTC`: 00:30 on
    // 21 November in Shanghai, so November holds Ada and Lin, December Bo.
    assert_eq!(
        a["by_month"],
        json!([{"month": "2026-11", "units": 2, "revenue": "98.00"},
               {"month": "2026-12", "units": 1, "revenue": "39.20"}])
    );
    assert_eq!(
        a["by_utm_medium"],
        json!([{"key": "landing", "units": 1, "revenue": "49.00"},
               {"key": "lesson", "units": 1, "revenue": "49.00"}])
    );
    // Ada's record spans lines 2-3 (a review with a newline): Cy is on
    // line 6, the Totals row on line 7.
    let ex = listed(&doc, "excluded");
    assert_eq!((ex[0].0.as_str(), ex[0].1), ("gumroad.csv", 6));
    assert!(ex[0].2.contains("disputed"), "{}", ex[0].2);
    assert_eq!(listed(&doc, "skipped")[0].1, 7);
    assert_every_row_accounted(&doc);
}

#[test]
fn stripe_export_with_the_older_created_column() {
    let site = TestSite::fixture("sales/site");
    let doc = json_of(&site.report(NOW, &[verified("stripe.csv")], "json"));
    // Counted: 69.00 paid; 69.00 refunded in full; 65.00 EUR settled as
    // 70.12 USD (matched by `utm_campaign (metadata)` = all-access).
    // units 3; revenue 69 + 69 + 70.12 = 208.12; refunds 69.00; fees
    // 2.30 + 2.30 + 2.33 = 6.93; received 208.12 - 69 - 6.93 = 132.19. The
    // bundle has no costs: net = received, roi unknown.
    let a = &offer(&doc, "all-access")["actual"];
    assert_eq!(
        main_figures(a),
        json!([3, "208.12", "69.00", "6.93", "132.19", "132.19", null, null])
    );
    let ex = listed(&doc, "excluded");
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].1, 4);
    assert!(ex[0].2.contains("failed"));
    assert_every_row_accounted(&doc);
}

#[test]
fn lemonsqueezy_export_with_the_documented_field_names() {
    let site = TestSite::fixture("sales/site");
    let doc = json_of(&site.report(NOW, &[verified("lemonsqueezy.csv")], "json"));
    // USD: orders 1001 (10.00), 1002 (10.00 after a 2.50 discount), 1003
    // (10.00, refunded 10.00). units 3; revenue 30.00; refunds 10.00; no fee
    // column; received 20.00; cost 200; net -180.00; roi 20/200 = 0.1;
    // net_roi -0.9. 1005 failed and 1006 pending are listed, not counted.
    let m = offer(&doc, "community");
    assert_eq!(
        main_figures(&m["actual"]),
        json!([3, "30.00", "10.00", "0.00", "20.00", "-180.00", 0.1, -0.9])
    );
    // Order 1004 is in EUR: reported apart, never added to the USD figures.
    let eur = &m["actual_other_currencies"][0];
    assert_eq!(
        json!([eur["currency"], eur["units"], eur["revenue"]]),
        json!(["EUR", 1, "9.00"])
    );
    let ex: Vec<u64> = listed(&doc, "excluded").iter().map(|l| l.1).collect();
    assert_eq!(ex, vec![6, 7]);
    assert_every_row_accounted(&doc);
}

/// Lemon Squeezy documents its order fields as whole numbers of cents
/// (`total: 1199` is $11.99): the same export written that way gives the
/// same figures, and a decimal amount is still read as written.
#[test]
fn lemonsqueezy_whole_numbers_are_cents() {
    let site = TestSite::fixture("sales/site");
    let decimal = std::fs::read_to_string(verified("lemonsqueezy.csv")).unwrap();
    let mut cents = String::new();
    for (i, line) in decimal.lines().enumerate() {
        let cells: Vec<String> = line
            .split(',')
            .map(|c| match c.split_once('.') {
                // A money cell (`10.00`) becomes cents; the rate and ids stay.
                Some((w, f)) if i > 0 && f.len() == 2 && w.bytes().all(|b| b.is_ascii_digit()) => {
                    (w.parse::<u64>().unwrap() * 100 + f.parse::<u64>().unwrap()).to_string()
                }
                _ => c.to_string(),
            })
            .collect();
        cents.push_str(&cells.join(","));
        cents.push('\n');
    }
    assert!(
        cents.contains(",1250,250,") && !cents.contains("12.50"),
        "{cents}"
    );
    let file = site.write_bytes("ls-cents.csv", cents.as_bytes());
    let a = json_of(&site.report(NOW, &[verified("lemonsqueezy.csv")], "json"));
    let b = json_of(&site.report(NOW, &[file], "json"));
    let (a, b) = (offer(&a, "community"), offer(&b, "community"));
    assert_eq!(main_figures(&a["actual"]), main_figures(&b["actual"]));
    assert_eq!(b["actual"]["revenue"], "30.00");
    assert_eq!(b["actual_other_currencies"][0]["revenue"], "9.00");
}

#[test]
fn paypal_export_with_the_real_header() {
    let site = TestSite::fixture("sales/site");
    let doc = json_of(&site.report(NOW, &[verified("paypal.csv")], "json"));
    // Counted: two 29.00 payments (fee 1.48 each) and the refund of the
    // second (found by `Reference Txn ID`; PayPal gives 1.18 of its fee
    // back). units 2; revenue 58.00; refunds 29.00; fees 1.48 + 1.48 - 1.18
    // = 1.78; received 58 - 29 - 1.78 = 27.22; cost 100; net -72.78; roi
    // 0.2722; net_roi -0.7278.
    let a = &offer(&doc, "python-data")["actual"];
    assert_eq!(
        main_figures(a),
        json!([
            2, "58.00", "29.00", "1.78", "27.22", "-72.78", 0.2722, -0.7278
        ])
    );
    // Line 5: a subscription this account paid (-6.99) is not a sale, nor
    // a refund; line 6: a withdrawal; line 7: a pending payment.
    let un = listed(&doc, "unmatched");
    assert_eq!(
        un.iter().map(|l| l.1).collect::<Vec<_>>(),
        vec![5, 6],
        "{un:?}"
    );
    assert!(un[0].2.contains("paid by this account"), "{}", un[0].2);
    assert!(un[1].2.contains("General Withdrawal"), "{}", un[1].2);
    let ex = listed(&doc, "excluded");
    assert_eq!((ex[0].1, ex[0].2.contains("pending")), (7, true));
    assert_every_row_accounted(&doc);
}

#[test]
fn all_four_together_total_per_currency() {
    let site = TestSite::fixture("sales/site");
    let files: Vec<PathBuf> = [
        "gumroad.csv",
        "stripe.csv",
        "lemonsqueezy.csv",
        "paypal.csv",
    ]
    .iter()
    .map(|f| verified(f))
    .collect();
    let doc = json_of(&site.report(NOW, &files, "json"));
    // USD revenue 137.20 + 208.12 + 30.00 + 58.00 = 433.32; refunds 59.20 +
    // 69 + 10 + 29 = 167.20; fees 15.12 + 6.93 + 0 + 1.78 = 23.83; received
    // 433.32 - 167.20 - 23.83 = 242.29. EUR stays apart: 9.00.
    let t = &doc["total"]["actual"];
    assert_eq!(
        pick(
            &t[0],
            &["currency", "revenue", "refunds", "fees", "received"]
        ),
        json!(["USD", "433.32", "167.20", "23.83", "242.29"])
    );
    assert_eq!(
        json!([t[1]["currency"], t[1]["revenue"]]),
        json!(["EUR", "9.00"])
    );
    assert_every_row_accounted(&doc);
}

#[test]
fn a_localised_paypal_export_names_the_headers_it_did_not_recognise() {
    let site = TestSite::fixture("sales/site");
    let de = site.write_bytes(
        "Download.CSV",
        "\u{feff}\"Datum\",\"Uhrzeit\",\"Zeitzone\",\"Name\",\"Typ\",\"Status\",\"Währung\",\"Brutto\",\"Gebühr\",\"Netto\",\"Transaktionscode\"\n\"02.11.2026\",\"10:00:00\",\"MEZ\",\"Ann\",\"Zahlung\",\"Abgeschlossen\",\"EUR\",\"29,00\",\"-1,48\",\"27,52\",\"5TY05013RG002845M\"\n"
            .as_bytes(),
    );
    let out = site.report(NOW, &[de], "text");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Download.CSV:1:1"), "{err}");
    assert!(err.contains("German"), "{err}");
    // Exactly which headers were foreign, and which English ones are missing.
    assert!(
        err.contains("`Brutto`") && err.contains("`Gebühr`"),
        "{err}"
    );
    assert!(
        err.contains("`Date`, `Time`, `Gross`, `Fee`, `Transaction ID`, `Currency`"),
        "{err}"
    );
}

// ---- hostile exports ------------------------------------------------------

const STRIPE_HEAD: &str =
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Fee,Status,Description\n";

#[test]
fn a_truncated_export_loses_no_row() {
    let site = TestSite::fixture("sales/site");
    // The download stopped inside a quoted field of the third record.
    let body = format!(
        "{STRIPE_HEAD}ch_1,2026-11-10 08:00,69.00,0.00,usd,2.30,Paid,All Access\n\
         ch_2,2026-11-11 08:00,69.00,0.00,usd,2.30,Paid,All Access\n\
         ch_3,2026-11-12 08:00,69.00,0.00,usd,2.30,Paid,\"All Acc"
    );
    let f = site.write_bytes("cut.csv", body.as_bytes());
    let doc = json_of(&site.report(NOW, &[f], "json"));
    // 2 counted (138.00), the cut record listed at its line with why.
    assert_eq!(offer(&doc, "all-access")["actual"]["revenue"], "138.00");
    let un = listed(&doc, "unmatched");
    assert_eq!(un.len(), 1, "{un:?}");
    assert_eq!(un[0].1, 4);
    assert!(un[0].2.contains("cut short"), "{}", un[0].2);
    assert_every_row_accounted(&doc);
}

#[test]
fn semicolons_and_decimal_commas_read_exactly() {
    let site = TestSite::fixture("sales/site");
    // A spreadsheet in a European locale saves `;` and `1.234,50`.
    let body = "id;Created date (UTC);Amount;Amount Refunded;Currency;Fee;Status;Description\n\
                ch_1;2026-11-10 08:00;1.234,50;0,00;eur;36,10;Paid;All Access\n\
                ch_2;2026-11-11 08:00;69,00;10,00;eur;2,30;Paid;All Access\n";
    let f = site.write_bytes("eu.csv", body.as_bytes());
    let doc = json_of(&site.report(NOW, &[f], "json"));
    // EUR is not the bundle's currency (USD): reported apart. Revenue
    // 1,234.50 + 69.00 = 1,303.50; refunds 10.00; fees 36.10 + 2.30 = 38.40.
    let eur = &offer(&doc, "all-access")["actual_other_currencies"][0];
    assert_eq!(
        pick(&eur, &["currency", "units", "revenue", "refunds", "fees"]),
        json!(["EUR", 2, "1303.50", "10.00", "38.40"])
    );
}

#[test]
fn a_header_only_export_reports_zero_rows() {
    let site = TestSite::fixture("sales/site");
    let f = site.write_bytes("empty.csv", STRIPE_HEAD.as_bytes());
    let doc = json_of(&site.report(NOW, &[f], "json"));
    assert_eq!(doc["sales_files"][0]["records"], 0);
    assert_eq!(doc["sales_files"][0]["counted"], 0);
    assert_every_row_accounted(&doc);
}

#[test]
fn formula_and_markup_cells_stay_inert_text_in_report_html() {
    let site = TestSite::fixture("sales/site");
    let body = format!(
        "{STRIPE_HEAD}ch_1,2026-11-10 08:00,69.00,0.00,usd,2.30,Paid,\"=HYPERLINK(\"\"http://evil.test/x\"\",\"\"click\"\")\"\n\
         ch_2,2026-11-10 08:00,69.00,0.00,usd,2.30,Paid,<img src=x onerror=alert(1)>\n"
    );
    let f = site.write_bytes("evil.csv", body.as_bytes());
    let out = site.report(NOW, &[f], "text");
    assert!(out.status.success());
    let html = fs::read_to_string(site.join("report/report.html")).unwrap();
    // Shown, as text: the reason names the product.
    assert!(
        html.contains("=HYPERLINK(&quot;http://evil.test/x&quot;"),
        "formula not shown"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // Never active: no link to it, no element from it.
    assert!(!html.contains("href=\"http://evil.test"));
    assert!(!html.contains("<img"));
    // Positive control: the page does hold markup of its own.
    assert!(html.contains("<table>"));
}
