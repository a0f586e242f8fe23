//! Forecast fields that would otherwise be silently ignored are errors at
//! `manifest.yaml:line:col` with the fix: `sale_share` without a `sale`,
//! `months` or `churn` on a membership paid once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

struct SiteCopy(PathBuf);

impl SiteCopy {
    /// The sales fixture site with `from` replaced by `to` in manifest.yaml.
    fn with(name: &str, from: &str, to: &str) -> SiteCopy {
        let dir =
            std::env::temp_dir().join(format!("kpsite-forecast-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sales/site"),
            &dir,
        );
        let m = dir.join("manifest.yaml");
        let text = fs::read_to_string(&m).unwrap();
        assert!(text.contains(from), "fixture changed: {from}");
        fs::write(&m, text.replacen(from, to, 1)).unwrap();
        SiteCopy(dir)
    }

    fn report(&self) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_kpsite"))
            .arg("report")
            .arg(&self.0)
            .args(["--now", "2026-12-15T00:00:00+08:00", "--format", "json"])
            .output()
            .unwrap()
    }
}

impl Drop for SiteCopy {
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

#[test]
fn sale_share_without_a_sale_is_an_error_with_the_fix() {
    let site = SiteCopy::with(
        "no-sale",
        "    forecast: { sales: 20 }",
        "    forecast: { sales: 20, sale_share: 30% }",
    );
    let out = site.report();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest.yaml:15:"), "{err}");
    assert!(
        err.contains("no `sale`") && err.contains("remove `sale_share`"),
        "{err}"
    );

    // Positive control: with a sale on the offer the same field is read.
    let site = SiteCopy::with(
        "with-sale",
        "    forecast: { sales: 20 }",
        "    sale: { price: 19, until: 2026-12-31T00:00:00+08:00 }\n    forecast: { sales: 20, sale_share: 30% }",
    );
    let out = site.report();
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
    let site = SiteCopy::with("once", "    period: month", "    period: once");
    let out = site.report();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest.yaml:23:38:"), "{err}");
    assert!(
        err.contains("`months`") && err.contains("period: once"),
        "{err}"
    );
    // Without them a one-off membership is fine.
    let site = SiteCopy::with("once-plain", "    period: month", "    period: once");
    let m = site.0.join("manifest.yaml");
    let text = fs::read_to_string(&m)
        .unwrap()
        .replace(", months: 12, churn: 5%", "");
    fs::write(&m, text).unwrap();
    assert!(site.report().status.success());
}
