//! `kpsite build`: load → validate → render → write, then the ROI report
//! to `report/` beside the output.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::linkcheck;
use crate::load::{self, Sources};
use crate::model::{Audience, Site};
use crate::render::{self, Doc, Output};
use crate::report;
use crate::validate::{self, Options};
use crate::write;

/// What `kpsite build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildArgs {
    /// The site folder.
    pub dir: PathBuf,
    /// Public output folder (default `<dir>/public`).
    pub out: Option<PathBuf>,
    /// Also write the full site to `<dir>/members`.
    pub members: bool,
    /// Model options: drafts, base URL, build time.
    pub options: Options,
}

/// A site rendered for every audience asked for, not yet written.
pub struct Rendered {
    /// The validated site.
    pub site: Site,
    /// The public output.
    pub public: Output,
    /// The members output, when asked for.
    pub members: Option<Output>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// The files read.
    pub sources: Sources,
    /// Links and heading ids of every Markdown text, for link checks.
    pub docs: Vec<Doc>,
}

/// Loads, validates, renders and checks internal links; writes nothing.
/// Shared by build, check and serve. A broken internal link is an error.
pub fn render_site(dir: &Path, options: &Options, members: bool) -> Result<Rendered, Diagnostics> {
    if !dir.is_dir() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::file(
            dir,
            "not a folder: give the site folder (the one holding kpsite.yaml)",
        ));
        return Err(d);
    }
    let mut diags = Diagnostics::default();
    let sources = load::read_site(dir, &mut diags);
    let site = validate::validate(dir, &sources, options, &mut diags);
    let Some(site) = site.filter(|_| !diags.has_errors()) else {
        return Err(diags);
    };
    // The links and headings come from one render: the members one when
    // there is one (it reads every body), else the public one.
    let t = &sources.templates;
    let public = render::render_with_docs(&site, t, Audience::Public, !members);
    let members_out = members.then(|| render::render_with_docs(&site, t, Audience::Members, true));
    match (public, members_out.transpose()) {
        (Ok((public, public_docs)), Ok(members)) => {
            let (members, docs) = match members {
                Some((m, docs)) => (Some(m), docs),
                None => (None, public_docs),
            };
            diags.extend(linkcheck::check_internal(&site, &sources, &public, &docs).sorted());
            if diags.has_errors() {
                return Err(diags);
            }
            Ok(Rendered {
                site,
                public,
                members,
                warnings: diags,
                sources,
                docs,
            })
        }
        (p, m) => {
            diags.extend(p.err().into_iter().chain(m.err()).flat_map(|d| d.sorted()));
            Err(diags)
        }
    }
}

/// Runs a build. Returns the number of errors (0 on success); the previous
/// output is left untouched unless the build succeeded.
pub fn run(args: &BuildArgs) -> usize {
    let rendered = match render_site(&args.dir, &args.options, args.members) {
        Ok(r) => r,
        Err(diags) => return super::print(diags),
    };
    let mut warnings = rendered.warnings;
    warnings.extend(report::warnings(&rendered.site));
    super::print(warnings);
    let public_dir = args.out.clone().unwrap_or_else(|| args.dir.join("public"));
    if let Some(message) = report_inside(&args.dir, &public_dir) {
        eprintln!("error: {}: {message}", public_dir.display());
        return 1;
    }
    let mut targets = vec![(&rendered.public, public_dir)];
    if let Some(m) = &rendered.members {
        targets.push((m, args.dir.join("members")));
    }
    for (output, dir) in targets {
        if let Err(e) = write::write_atomic(output, &dir) {
            eprintln!("error: {}: cannot write output: {e}", dir.display());
            return 1;
        }
        eprintln!("wrote {} files to {}", output.files.len(), dir.display());
    }
    match super::report::write(&args.dir, &rendered.site) {
        Ok(estimate) => {
            if !estimate.offers.is_empty() {
                eprint!("{}", report::to_text(&estimate));
            }
            eprintln!(
                "wrote the ROI report to {}",
                args.dir.join(report::REPORT_DIR).display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// Why the public output folder `out` cannot be used: it would hold the
/// private `report/` folder of the site at `dir`, or sit inside it.
fn report_inside(dir: &Path, out: &Path) -> Option<&'static str> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let report = absolute(&dir.join(report::REPORT_DIR));
    let out = absolute(out);
    if report.starts_with(&out) {
        Some("the public output folder would contain the private report/ folder; choose another -o")
    } else if out.starts_with(&report) {
        Some(
            "the public output folder cannot be inside the private report/ folder; choose another -o",
        )
    } else {
        None
    }
}
