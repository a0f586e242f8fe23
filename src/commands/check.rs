//! `kpsite check`: everything a build does except writing — validation,
//! rendering, internal links — and, with `--external`, external links.

use std::path::Path;

use crate::build::{render_site, scan};
use crate::linkcheck::{self, Checker};
use crate::validate::Options;

/// Validates and renders the site in memory and checks its links. Returns
/// the number of errors.
pub fn run(dir: &Path, options: &Options, external: bool) -> usize {
    match render_site(dir, options, true) {
        Ok(r) => {
            let mut diags = r.warnings;
            // The same warnings as `build` prints, the seller's ones included.
            diags.extend(crate::report::warnings(&r.site));
            // Untranslated lessons and pages of a site in several languages.
            diags.extend(crate::validate::i18n::missing_translations(&r.site));
            // What a build would publish is scanned for secret keys too.
            let sources = scan::sources_of(&r.site);
            let outputs = [
                Some((&r.public, "public")),
                r.members.as_ref().map(|m| (m, "members")),
            ];
            for (out, name) in outputs.into_iter().flatten() {
                diags.extend(scan::scan_output(out, Path::new(name), &sources).into_vec());
            }
            if external {
                let checker = Checker::new(&r.site, &r.sources, &r.public, &r.docs);
                let links = checker.external_links(&r.docs);
                eprintln!("checking {} external links…", links.len());
                diags.extend(linkcheck::external::check(&links).sorted());
            }
            let errors = super::print(diags);
            let links: usize = r.docs.iter().map(|d| d.links.len()).sum();
            if errors == 0 {
                eprintln!(
                    "ok: {} files rendered, {links} links checked, nothing written",
                    r.public.files.len()
                );
            }
            errors
        }
        Err(diags) => super::print(diags),
    }
}
