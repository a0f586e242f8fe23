//! The ROI report end to end: `kpsite build` and `kpsite report` on the
//! fixture site `tests/fixtures/report` (build time 2026-06-01 00:00 +08:00).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;

use common::{TestSite, offer};

const NOW: &str = "2026-06-01T00:00:00+08:00";

fn kpsite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read_json(site: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(site.join("report/report.json")).unwrap()).unwrap()
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn build_writes_the_report_beside_the_public_site() {
    let site = TestSite::fixture("report");
    let dir = site.path().to_str().unwrap();
    let out = kpsite(&["build", dir, "--now", NOW]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");

    // Outside the public output, never inside it.
    assert!(site.path().join("report/report.json").is_file());
    assert!(site.path().join("report/report.html").is_file());
    assert!(site.path().join("public/index.html").is_file());
    assert!(!site.path().join("public/report").exists());

    let r = read_json(site.path());
    assert_eq!(r["currency"], "CNY");

    // The article's two examples, exactly.
    let one = &offer(&r, "article-one")["scenarios"][0];
    assert_eq!(one["units"], 1000);
    assert_eq!(one["revenue"], "100000.00");
    assert_eq!(one["cost"], "10000.00");
    assert_eq!(one["net"], "90000.00");
    assert_eq!(one["roi"], 10.0);
    assert_eq!(one["net_roi"], 9.0);
    assert_eq!(offer(&r, "article-one")["break_even_sales"], 100);
    let two = &offer(&r, "article-two")["scenarios"][0];
    assert_eq!(two["revenue"], "100000.00");
    assert_eq!(two["cost"], "25000.00");
    assert_eq!(two["roi"], 4.0);
    assert_eq!(two["net_roi"], 3.0);
    assert_eq!(offer(&r, "article-two")["break_even_sales"], 125);

    // The sale runs at build time; 0.6 % fee on 149.00 is 0.89.
    let rust = offer(&r, "rust-web");
    assert_eq!(rust["price"], "149.00");
    assert_eq!(rust["price_used"], "sale");
    assert_eq!(rust["regular_price"], "199.00");
    assert_eq!(rust["fee_per_payment"], "0.89");
    assert_eq!(rust["cost"], "52528.36");
    assert_eq!(rust["break_even_sales"], 355);
    let names: Vec<&str> = rust["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["low", "expected", "high"]);
    assert_eq!(rust["scenarios"][0]["revenue"], "438849.93");
    assert_eq!(rust["scenarios"][1]["revenue"], "1172883.09");
    assert_eq!(rust["scenarios"][1]["roi"], 22.3286);
    assert_eq!(rust["scenarios"][2]["revenue"], "1828714.17");

    // Monthly membership: 29 × 853 members × 12 months (the default).
    let club = offer(&r, "community");
    assert_eq!(club["kind"], "membership");
    assert_eq!(club["payments_per_unit"], 12);
    assert_eq!(club["scenarios"][0]["revenue"], "296844.00");
    assert_eq!(club["scenarios"][0]["roi"], 48.0829);
    assert_eq!(club["break_even_sales"], 18);

    // No costs: null, with a reason. Expired sale: the regular price.
    let bundle = offer(&r, "everything");
    assert_eq!(bundle["price_used"], "regular");
    assert_eq!(bundle["price"], "249.00");
    assert_eq!(bundle["break_even_sales"], Value::Null);
    assert!(bundle["reason"].as_str().unwrap().contains("no costs"));

    // Totals never mix currencies: CNY here, USD on its own.
    assert_eq!(r["total"]["currency"], "CNY");
    assert_eq!(r["total"]["revenue"], "1669727.09");
    assert_eq!(r["total"]["cost"], "98023.82");
    assert_eq!(r["total"]["net"], "1571703.27");
    assert_eq!(r["total"]["roi"], 17.0339);
    let usd = &r["totals_by_currency"][1];
    assert_eq!(usd["currency"], "USD");
    assert_eq!(usd["revenue"], "80333.93");
    assert_eq!(usd["cost"], "8642.13");
    assert_eq!(usd["roi"], 9.2956);

    // The terminal gets the table and the seller's warnings.
    assert!(stderr.contains("article-one"), "{stderr}");
    assert!(stderr.contains("10.00x"), "{stderr}");
    // The site is zh-CN: the table speaks Chinese.
    assert!(stderr.contains("合计 CNY"), "{stderr}");
    assert!(
        stderr.contains("warning: manifest.yaml: course `rust-web`: the sale at 149.00 ends 2026-06-04 12:00 Asia/Shanghai (3 days 12 hours from now)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bundle `everything`: the sale at 199.00 ended"),
        "{stderr}"
    );
    assert!(
        stderr.contains("course `unplanned` has costs but no forecast"),
        "{stderr}"
    );

    let html = fs::read_to_string(site.path().join("report/report.html")).unwrap();
    assert!(html.contains("<svg"));
    assert!(!html.contains("<script"));
}

#[test]
fn no_cost_or_forecast_figure_reaches_the_public_site() {
    let site = TestSite::fixture("report");
    let dir = site.path().to_str().unwrap();
    let out = kpsite(&["build", dir, "--now", NOW]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut files = Vec::new();
    all_files(&site.path().join("public"), &mut files);
    assert!(!files.is_empty());
    let secrets = [
        "48611",
        "3917.29",
        "8642.13",
        "4321.87",
        "6173.59",
        "7919",
        "12347",
        "2963",
        "0.89",
        "52528",
        "1172883",
        "report.json",
        "break-even",
        "break_even",
    ];
    for file in files {
        let body = String::from_utf8_lossy(&fs::read(&file).unwrap()).into_owned();
        for s in secrets {
            assert!(
                !body.contains(s),
                "{} holds `{s}`, a private figure",
                file.display()
            );
        }
    }
}

#[test]
fn report_command_prints_json_or_text_and_writes_nothing_public() {
    let site = TestSite::fixture("report");
    let dir = site.path().to_str().unwrap();
    let out = kpsite(&["report", dir, "--format", "json", "--now", NOW]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, read_json(site.path()));
    assert_eq!(printed["now"], "2026-05-31T16:00:00Z");
    assert!(
        !site.path().join("public").exists(),
        "report renders nothing"
    );
    assert!(text(&out.stderr).contains("warning: manifest.yaml"));

    let first = fs::read(site.path().join("report/report.json")).unwrap();
    let out = kpsite(&["report", dir, "--now", NOW]);
    assert!(out.status.success());
    let table = text(&out.stdout);
    assert!(
        table.starts_with("ROI 估算，价格取自 2026-05-31T16:00:00Z"),
        "{table}"
    );
    assert!(table.contains("149.00 CNY (促销)"), "{table}");
    assert!(table.contains("4.00x"), "{table}");
    // Same input, same --now: byte-identical report.
    assert_eq!(
        first,
        fs::read(site.path().join("report/report.json")).unwrap()
    );
}

#[test]
fn report_takes_the_build_time_from_source_date_epoch() {
    let site = TestSite::fixture("report");
    let dir = site.path().to_str().unwrap();
    // 2026-06-10T00:00:00Z: the rust-web sale is over.
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["report", dir, "--format", "json"])
        .env("SOURCE_DATE_EPOCH", "1781049600")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["now"], "2026-06-10T00:00:00Z");
    let rust = offer(&r, "rust-web");
    assert_eq!(rust["price_used"], "regular");
    assert_eq!(rust["price"], "199.00");
    assert!(text(&out.stderr).contains("course `rust-web`: the sale at 149.00 ended"));
}

#[test]
fn report_refuses_a_bad_command_line_and_a_broken_site() {
    let site = TestSite::fixture("report");
    let dir = site.path().to_str().unwrap();
    let out = kpsite(&["report", dir, "--now", "tomorrow"]);
    assert_eq!(out.status.code(), Some(2));
    let out = kpsite(&["report", dir, "--format", "xml", "--now", NOW]);
    assert_eq!(out.status.code(), Some(2));

    let manifest = site.path().join("manifest.yaml");
    let broken = fs::read_to_string(&manifest)
        .unwrap()
        .replace("price: 100", "pirce: 100");
    fs::write(&manifest, broken).unwrap();
    let out = kpsite(&["report", dir, "--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error: manifest.yaml:"));
    assert!(!site.path().join("report").exists());
}

#[test]
fn build_refuses_an_output_folder_that_would_hold_the_report() {
    let site = TestSite::fixture("report");
    let dir = site.path().to_str().unwrap();
    let out = kpsite(&["build", dir, "-o", dir, "--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("holds the site folder"));
    assert!(site.path().join("manifest.yaml").is_file());
}
