//! `kpsite build`: load → validate → render → write.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::{Audience, Site};
use crate::render::{self, Output};
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
}

/// Loads, validates and renders; writes nothing. Shared by build, check and serve.
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
    let public = render::render(&site, &sources.templates, Audience::Public);
    let members_out = members.then(|| render::render(&site, &sources.templates, Audience::Members));
    match (public, members_out.transpose()) {
        (Ok(public), Ok(members)) => Ok(Rendered {
            site,
            public,
            members,
            warnings: diags,
        }),
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
    super::print(rendered.warnings);
    let public_dir = args.out.clone().unwrap_or_else(|| args.dir.join("public"));
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
    0
}
