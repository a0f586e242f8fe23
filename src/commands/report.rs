//! `kpsite report`: the ROI estimate alone (spec §4) — load, validate,
//! estimate, write `report/`, print. Nothing is rendered.

use std::path::{Path, PathBuf};

use crate::model::Site;
use crate::report::{self, Report};
use crate::validate::Options;

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
    let (site, mut diags) = match crate::build::load(&args.dir, &args.options) {
        Ok(l) => (l.site, l.warnings),
        Err(diags) => return super::print(diags),
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

pub use crate::build::{stage_report as stage, write_report as write_with_sales};

/// Estimates `site` and writes `report/report.json` and `report/report.html`
/// in the site folder `dir` (see [`write_with_sales`]).
pub fn write(dir: &Path, site: &Site) -> Result<Report, String> {
    write_with_sales(dir, site, None)
}
