//! `kpsite report`: the ROI estimate alone (spec §4) — load, validate,
//! estimate, write `report/`, print. Nothing is rendered.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::outputs;
use crate::render::Content;
use crate::report::{self, Report};
use crate::validate::{self, Options};
use crate::write::{self, Staging};

/// How `kpsite report` prints the estimate on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The compact table a build prints.
    Text,
    /// `report.json`, as written to `report/`.
    Json,
}

/// What `kpsite report` was asked to do.
#[derive(Debug, Clone)]
pub struct ReportArgs {
    /// The site folder.
    pub dir: PathBuf,
    /// What to print.
    pub format: Format,
    /// Model options; only the build time matters here.
    pub options: Options,
    /// Sales exports to read (`--sales`), in the order given.
    pub sales: Vec<PathBuf>,
}

/// Runs the report. Returns the number of errors (0 on success).
pub fn run(args: &ReportArgs) -> usize {
    if !args.dir.is_dir() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::file(
            &args.dir,
            "not a folder: give the site folder (the one holding kpsite.yaml)",
        ));
        return super::print(d);
    }
    let (site, mut diags) = validate::load_site(&args.dir, &args.options);
    let Some(site) = site else {
        return super::print(diags);
    };
    diags.extend(report::warnings(&site));
    let mut exports = Vec::new();
    for path in &args.sales {
        match report::sales::read_file(path, &path.display().to_string()) {
            Ok(e) => exports.push(e),
            Err(d) => diags.push(d),
        }
    }
    let failed = exports.len() < args.sales.len();
    let errors = super::print(diags);
    if failed {
        // Half the exports would give half the figures: nothing is written.
        return errors.max(1);
    }
    let sales = (!args.sales.is_empty()).then_some(exports);
    let estimate = match write_with_sales(&args.dir, &site, sales) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return errors + 1;
        }
    };
    match args.format {
        Format::Text => print!("{}", report::to_text(&estimate)),
        Format::Json => print!("{}", report::to_json(&estimate)),
    }
    errors
}

/// Estimates `site` and writes `report/report.json` and `report/report.html`
/// in the site folder `dir`, replacing the `report/` folder whole once both
/// are written (it is checked and locked as an output first).
pub fn write(dir: &Path, site: &Site) -> Result<Report, String> {
    write_with_sales(dir, site, None)
}

/// [`write`], with the actual figures of `sales` (read exports) beside
/// the estimate when given.
pub fn write_with_sales(
    dir: &Path,
    site: &Site,
    sales: Option<Vec<report::sales::Export>>,
) -> Result<Report, String> {
    let (target, _lock) = outputs::claim_report(dir)?;
    write::clean_up_on_signals();
    let mut estimate = report::estimate(site);
    if let Some(exports) = sales {
        report::apply_sales(&mut estimate, site, exports);
    }
    let staged = stage(&target, &estimate)?;
    write::commit_all(vec![staged])
        .map_err(|e| format!("{}: cannot write the ROI report: {e}", target.display()))?;
    Ok(estimate)
}

/// Stages `report.json` and `report.html` for the report folder `target`;
/// nothing visible changes until the staging is committed. Shared by
/// `build` (which commits it with the other outputs) and `report`.
pub fn stage(target: &Path, estimate: &Report) -> Result<Staging, String> {
    let fail =
        |e: std::io::Error| format!("{}: cannot write the ROI report: {e}", target.display());
    let staging = Staging::new(target).map_err(fail)?;
    let json = report::to_json(estimate).into_bytes();
    let html = report::to_html(estimate, &estimate.title).into_bytes();
    staging
        .put("report.json", &Content::Bytes(json))
        .map_err(fail)?;
    staging
        .put("report.html", &Content::Bytes(html))
        .map_err(fail)?;
    Ok(staging)
}
