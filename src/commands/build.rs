//! `kpsite build`: load → validate → check and lock the outputs → render
//! into staging → the ROI report into staging → swap everything in.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::linkcheck;
use crate::load::{self, Sources};
use crate::model::{Audience, Site};
use crate::outputs::Outputs;
use crate::render::{self, Content, Doc, Failure, Listing, Output, Written};
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
/// Shared by check and serve. A broken internal link is an error.
pub fn render_site(dir: &Path, options: &Options, members: bool) -> Result<Rendered, Diagnostics> {
    let (site, sources, mut diags) = load_site(dir, options)?;
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

/// Reads and validates the site: the site, what was read, and the
/// warnings; or every error found.
fn load_site(dir: &Path, options: &Options) -> Result<(Site, Sources, Diagnostics), Diagnostics> {
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
    Ok((site, sources, diags))
}

/// Runs a build. Returns the number of errors (0 on success); the previous
/// outputs are left untouched unless the build succeeded.
///
/// Unlike [`render_site`], pages are written into a staging folder beside
/// each output as they are rendered, so the whole site is never held in
/// memory; the staging folders (public, members, report) are swapped in
/// together only when everything rendered and every internal link checked
/// out. The output folders are checked and locked first ([`Outputs`]).
pub fn run(args: &BuildArgs) -> usize {
    let (site, mut sources, mut diags) = match load_site(&args.dir, &args.options) {
        Ok(r) => r,
        Err(diags) => return super::print(diags),
    };
    // Lesson and page texts live on in `site`; the link checker needs only
    // the YAML files of `sources`.
    sources.lessons = Vec::new();
    sources.pages = Vec::new();
    let outputs = match Outputs::claim(&args.dir, args.out.as_deref(), args.members) {
        Ok(o) => o,
        Err(e) => {
            super::print(diags);
            eprintln!("error: {e}");
            return 1;
        }
    };
    write::clean_up_on_signals();
    let mut targets = vec![(Audience::Public, outputs.public.clone())];
    if let Some(members) = &outputs.members {
        targets.push((Audience::Members, members.clone()));
    }
    let mut render_errors = Diagnostics::default();
    let mut write_error = None;
    let mut done: Vec<(write::Staging, Listing)> = Vec::new();
    for (audience, dir) in targets {
        let staging = match write::Staging::new(&dir) {
            Ok(s) => s,
            Err(e) => {
                write_error.get_or_insert((dir, e));
                continue;
            }
        };
        let sink = |path: String, content: Content| staging.put(&path, &content);
        // The links and headings come from one render: the members one
        // when there is one (it reads every body), else the public one.
        let docs = audience == Audience::Members || !args.members;
        match render::render_to(&site, &sources.templates, audience, docs, &sink) {
            Ok(listing) => done.push((staging, listing)),
            Err(Failure::Templates(d)) => render_errors.extend(d.sorted()),
            Err(Failure::Sink(e)) => {
                write_error.get_or_insert((dir, e));
            }
        }
    }
    if render_errors.has_errors() {
        diags.extend(render_errors.sorted());
        return super::print(diags);
    }
    if let Some((dir, e)) = write_error {
        super::print(diags);
        eprintln!("error: {}: cannot write output: {e}", dir.display());
        return 1;
    }
    let docs = std::mem::take(&mut done[usize::from(args.members)].1.docs);
    let (public_staging, public_listing) = &done[0];
    let written = Written {
        dir: public_staging.dir(),
        listing: public_listing,
    };
    diags.extend(linkcheck::check_internal(&site, &sources, &written, &docs).sorted());
    if diags.has_errors() {
        return super::print(diags);
    }
    diags.extend(report::warnings(&site));
    super::print(diags);
    let estimate = report::estimate(&site);
    let report_staging = match super::report::stage(&outputs.report, &estimate) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let counts: Vec<(PathBuf, usize)> = done
        .iter()
        .map(|(s, listing)| (s.target().to_path_buf(), listing.files.len()))
        .collect();
    let staged: Vec<write::Staging> = done.into_iter().map(|(s, _)| s).collect();
    let failed = publish(&site, staged, report_staging);
    if failed > 0 {
        return failed;
    }
    for (dir, n) in counts {
        eprintln!("wrote {n} files to {}", dir.display());
    }
    if !estimate.offers.is_empty() {
        eprint!("{}", report::to_text(&estimate));
    }
    eprintln!("wrote the ROI report to {}", outputs.report.display());
    0
}

/// The one point where every output of the build (public, members,
/// report) is completely staged and nothing visible has changed yet:
/// checks that must see the final bytes belong here, before
/// [`write::commit_all`] swaps all the outputs in together. Every byte
/// and name about to be published is scanned for secret keys (the
/// report stays private); a hit swaps nothing. Returns the error count.
fn publish(site: &Site, published: Vec<write::Staging>, report: write::Staging) -> usize {
    let scanned = published.iter().map(|s| (s.dir(), s.target()));
    let secrets = crate::build::scan::scan_staged(site, scanned);
    if secrets.has_errors() {
        return super::print(secrets);
    }
    let mut all = published;
    all.push(report);
    match write::commit_all(all) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!(
                "error: cannot swap the new output in: {e}; the previous output is as it was"
            );
            1
        }
    }
}
