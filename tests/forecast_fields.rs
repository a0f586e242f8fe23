//! Forecast fields that would otherwise be silently ignored are errors at
//! `manifest.yaml:line:col` with the fix: `sale_share` without a `sale`,
//! `months` or `churn` on a membership paid once.

use std::process::Output;

mod common;
use common::TestSite;

/// The sales fixture site with `from` replaced by `to` in manifest.yaml.
fn with(from: &str, to: &str) -> TestSite {
    TestSite::fixture("sales/site").with_edit("manifest.yaml", from, to)
}

/// `kpsite report --format json` of `site`.
fn report(site: &TestSite) -> Output {
    site.report("2026-12-15T00:00:00+08:00", &[], "json")
}

#[test]
fn sale_share_without_a_sale_is_an_error_with_the_fix() {
    let site = with(
        "    forecast: { sales: 20 }",
        "    forecast: { sales: 20, sale_share: 30% }",
    );
    let out = report(&site);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest.yaml:15:"), "{err}");
    assert!(
        err.contains("no `sale`") && err.contains("remove `sale_share`"),
        "{err}"
    );

    // Positive control: with a sale on the offer the same field is read.
    let site = with(
        "    forecast: { sales: 20 }",
        "    sale: { price: 19, until: 2026-12-31T00:00:00+08:00 }\n    forecast: { sales: 20, sale_share: 30% }",
    );
    let out = report(&site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let o = doc["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "python-data")
        .unwrap();
    assert_eq!(o["sale_share_percent"], 30.0);
}

#[test]
fn months_and_churn_on_a_one_off_membership_are_errors() {
    let site = with("    period: month", "    period: once");
    let out = report(&site);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest.yaml:23:38:"), "{err}");
    assert!(
        err.contains("`months`") && err.contains("period: once"),
        "{err}"
    );
    // Without them a one-off membership is fine.
    let site = with("    period: month", "    period: once");
    site.edit("manifest.yaml", ", months: 12, churn: 5%", "");
    assert!(report(&site).status.success());
}
