//! `kpsite check`: everything a build does except writing.

use std::path::Path;

use super::build::render_site;
use crate::validate::Options;

/// Validates and renders the site in memory. Returns the number of errors.
pub fn run(dir: &Path, options: &Options) -> usize {
    match render_site(dir, options, true) {
        Ok(r) => {
            let errors = super::print(r.warnings);
            eprintln!(
                "ok: {} files rendered, nothing written",
                r.public.files.len()
            );
            errors
        }
        Err(diags) => super::print(diags),
    }
}
