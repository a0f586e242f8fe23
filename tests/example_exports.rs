//! The example site's sample sales exports (example-site/sales-exports/):
//! `kpsite report --sales` reads all four, and `kpsite build` never
//! publishes them — a real export holds buyers' emails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

const NOW: &str = "2026-12-15T00:00:00+08:00";
const EXPORTS: &[&str] = &[
    "stripe.csv",
    "lemonsqueezy.csv",
    "paypal.csv",
    "gumroad.csv",
];

struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Tmp {
        let dir =
            std::env::temp_dir().join(format!("kpsite-exexports-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"),
            &dir.join("site"),
        );
        Tmp(dir)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

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

fn build(tmp: &Tmp) -> PathBuf {
    let public = tmp.0.join("public");
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .arg("build")
        .arg(tmp.0.join("site"))
        .arg("-o")
        .arg(&public)
        .args(["--now", NOW])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    public
}

#[test]
fn the_sample_exports_are_never_published() {
    let tmp = Tmp::new("build");
    // The exports hold buyer emails (all at example.net).
    let exports = tmp.0.join("site/sales-exports");
    assert!(!holding(&exports, "buyer@example.net").is_empty());
    let public = build(&tmp);
    assert_eq!(holding(&public, "buyer@example.net"), Vec::<PathBuf>::new());

    // Positive control: the same file under static/ is published, and found.
    let tmp = Tmp::new("control");
    fs::copy(
        tmp.0.join("site/sales-exports/stripe.csv"),
        tmp.0.join("site/static/stripe.csv"),
    )
    .unwrap();
    let public = build(&tmp);
    assert!(!holding(&public, "buyer@example.net").is_empty());
}

#[test]
fn the_sample_exports_report_exact_figures() {
    let tmp = Tmp::new("report");
    let site = tmp.0.join("site");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kpsite"));
    cmd.arg("report")
        .arg(&site)
        .args(["--now", NOW, "--format", "json"]);
    for e in EXPORTS {
        cmd.arg("--sales").arg(site.join("sales-exports").join(e));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    // CNY: rust-web 3 × 149 (one refunded, fees 3 × 5.22), python-data 249,
    // community 299 (fee 13.16): revenue 995.00, refunds 149.00, fees 28.82,
    // received 817.18. USD: rust-web 22 (English page), python-data 35,
    // all-access 49 + 44.10 (fees 0.94 + 5.4 + 4.91): revenue 150.10,
    // fees 11.25, received 138.85. Never summed together.
    let t = &doc["total"]["actual"];
    assert_eq!(
        json!([
            t[0]["currency"],
            t[0]["revenue"],
            t[0]["refunds"],
            t[0]["fees"],
            t[0]["received"]
        ]),
        json!(["CNY", "995.00", "149.00", "28.82", "817.18"])
    );
    assert_eq!(
        json!([
            t[1]["currency"],
            t[1]["revenue"],
            t[1]["fees"],
            t[1]["received"]
        ]),
        json!(["USD", "150.10", "11.25", "138.85"])
    );
    // 5 + 2 + 2 + 3 records: 9 counted, a withdrawal, a failed charge, Totals.
    let files = doc["sales_files"].as_array().unwrap();
    let records: u64 = files.iter().map(|f| f["records"].as_u64().unwrap()).sum();
    let counted: u64 = files.iter().map(|f| f["counted"].as_u64().unwrap()).sum();
    assert_eq!((records, counted), (12, 9));
}
