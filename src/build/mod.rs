//! The one pipeline driver (issue 13): every command runs the site
//! through the same stages here, in the same order.
//!
//! ```text
//! load ─▶ validate ─▶ render for an audience into a sink ─▶ check links ─▶ scan ─▶ publish
//! ```
//!
//! - [`load`] reads and validates the folder once ([`Loaded`]); `report`
//!   and `keys` stop there.
//! - [`Loaded::render`] renders one audience in memory (`check`, `serve`),
//!   [`Loaded::render_staged`] into a staging folder as pages come
//!   (`build`), scanning every file for secret keys on the way;
//!   [`render_pages`] renders only the pages an edit touched (`serve`).
//! - [`check_links`] is the internal link check every one of them runs
//!   (serve included, after full and partial rebuilds alike).
//! - [`run`] is `kpsite build`: all of it, then the ROI report, then one
//!   atomic swap of every output.

pub mod diagram_cache;
pub mod scan;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use jiff::Timestamp;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::linkcheck;
use crate::load::{self, Sources};
use crate::model::{Audience, Site};
use crate::outputs::{self, Outputs};
use crate::render::{self, Content, Doc, Failure, Listing, Output, OutputFiles, Written};
use crate::report::{self, Report};
use crate::validate::{self, Options};
use crate::write::{self, Staging};

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

/// A site read and validated: the first stage of every command.
pub struct Loaded {
    /// The validated site.
    pub site: Site,
    /// What was read (templates, the YAML files the link check reads).
    pub sources: Sources,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
}

/// Reads and validates the site folder `dir`: the site, what was read and
/// the warnings; or every error found. Refuses a path that is not a folder.
pub fn load(dir: &Path, options: &Options) -> Result<Loaded, Diagnostics> {
    if !dir.is_dir() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::file(
            dir,
            "not a folder: give the site folder (the one holding kpsite.yaml)",
        ));
        return Err(d);
    }
    let mut warnings = Diagnostics::default();
    let sources = load::read_site(dir, &mut warnings);
    let site = validate::validate(dir, &sources, options, &mut warnings);
    match site.filter(|_| !warnings.has_errors()) {
        Some(site) => Ok(Loaded {
            site,
            sources,
            warnings,
        }),
        None => Err(warnings),
    }
}

/// `sources` without lesson and page texts: those live on in the site, and
/// the link checker needs only the YAML files and templates.
pub fn without_texts(mut sources: Sources) -> Sources {
    sources.lessons = Vec::new();
    sources.pages = Vec::new();
    sources
}

/// The internal link check (and the Markdown problems found on the way)
/// of a rendered `output`, given the links and headings of every text.
pub fn check_links(
    site: &Site,
    sources: &Sources,
    output: &dyn OutputFiles,
    docs: &[Doc],
) -> Diagnostics {
    linkcheck::check_internal(site, sources, output, docs)
}

/// Renders the whole site for `audience` in memory, with the links and
/// headings of every text when `docs` (see [`render::render_with_docs`]).
pub fn render(
    site: &Site,
    sources: &Sources,
    audience: Audience,
    docs: bool,
) -> Result<(Output, Vec<Doc>), Diagnostics> {
    render::render_with_docs(site, &sources.templates, audience, docs)
}

/// Renders only the pages `keep` selects (and `feed.xml` when
/// `with_feed`), in memory: what `serve` re-renders after an edit.
pub fn render_pages(
    site: &Site,
    sources: &Sources,
    audience: Audience,
    keep: &(dyn Fn(&render::Job) -> bool + Sync),
    with_feed: bool,
) -> Result<Output, Diagnostics> {
    render::render_pages(site, &sources.templates, audience, keep, with_feed)
}

/// One audience rendered into a staging folder.
pub struct Staged {
    /// What was written.
    pub listing: Listing,
    /// The secret-key scan of every file written, found as it was written.
    pub secrets: Diagnostics,
}

impl Loaded {
    /// [`render`] of this site.
    pub fn render(
        &self,
        audience: Audience,
        docs: bool,
    ) -> Result<(Output, Vec<Doc>), Diagnostics> {
        render(&self.site, &self.sources, audience, docs)
    }

    /// Renders the whole site for `audience` into `staging`, page by page as
    /// they come, so the site is never held in memory. Each file is scanned
    /// for secret keys as it is written: generated bytes in memory, copied
    /// files from their staged copy (what will be published).
    pub fn render_staged(
        &self,
        audience: Audience,
        docs: bool,
        staging: &Staging,
        sources: &BTreeMap<String, PathBuf>,
    ) -> Result<Staged, Failure<io::Error>> {
        let found: Mutex<BTreeMap<String, Vec<Diagnostic>>> = Mutex::default();
        let shown = staging.target();
        let sink = |path: String, content: Content| -> io::Result<()> {
            staging.put(&path, &content)?;
            let hits = scan::scan_written(staging.dir(), &path, &content);
            let diags = scan::report(shown, &path, hits, sources);
            // A file put again at the same path replaces the first: only
            // what is published is reported.
            let mut found = found.lock().unwrap_or_else(PoisonError::into_inner);
            if diags.is_empty() {
                found.remove(&path);
            } else {
                found.insert(path, diags);
            }
            Ok(())
        };
        let listing =
            render::render_to(&self.site, &self.sources.templates, audience, docs, &sink)?;
        let mut secrets = Diagnostics::default();
        let found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
        secrets.extend(found.into_values().flatten());
        secrets.extend(scan::folder_names(shown, listing.files.keys(), sources).into_vec());
        Ok(Staged { listing, secrets })
    }
}

/// A site rendered in memory for every audience asked for, links checked.
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

/// Loads, validates, renders in memory (the members site too when
/// `members`) and checks internal links; writes nothing (`check`, tests).
/// A broken internal link is an error.
pub fn render_site(dir: &Path, options: &Options, members: bool) -> Result<Rendered, Diagnostics> {
    let mut loaded = load(dir, options)?;
    diagram_cache::seed(dir, &mut loaded.warnings);
    // The links and headings come from one render: the members one when
    // there is one (it reads every body), else the public one.
    let public = loaded.render(Audience::Public, !members);
    let members_out = members.then(|| loaded.render(Audience::Members, true));
    let Loaded {
        site,
        sources,
        warnings: mut diags,
    } = loaded;
    match (public, members_out.transpose()) {
        (Ok((public, public_docs)), Ok(members)) => {
            let (members, docs) = match members {
                Some((m, docs)) => (Some(m), docs),
                None => (None, public_docs),
            };
            diags.extend(check_links(&site, &sources, &public, &docs).sorted());
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

/// Runs `kpsite build`. Returns the number of errors (0 on success); the
/// previous outputs are left untouched unless the build succeeded.
///
/// Unlike [`render_site`], pages are written into a staging folder beside
/// each output as they are rendered ([`Loaded::render_staged`]); the
/// staging folders (public, members, report) are swapped in together only
/// when everything rendered, every internal link checked out and nothing
/// staged for publishing looks like a secret key. The output folders are
/// checked and locked first ([`Outputs`]).
pub fn run(args: &BuildArgs) -> usize {
    let mut loaded = match load(&args.dir, &args.options) {
        Ok(r) => r,
        Err(diags) => return print(diags),
    };
    loaded.sources = without_texts(std::mem::take(&mut loaded.sources));
    let mut diags = std::mem::take(&mut loaded.warnings);
    diagram_cache::seed(&args.dir, &mut diags);
    let outputs = match Outputs::claim(&args.dir, args.out.as_deref(), args.members) {
        Ok(o) => o,
        Err(e) => {
            print(diags);
            eprintln!("error: {e}");
            return 1;
        }
    };
    write::clean_up_on_signals();
    let mut targets = vec![(Audience::Public, outputs.public.clone())];
    if let Some(members) = &outputs.members {
        targets.push((Audience::Members, members.clone()));
    }
    let sources = scan::sources_of(&loaded.site);
    let mut render_errors = Diagnostics::default();
    let mut write_error = None;
    let mut done: Vec<(Staging, Staged)> = Vec::new();
    for (audience, dir) in targets {
        let staging = match Staging::new(&dir) {
            Ok(s) => s,
            Err(e) => {
                write_error.get_or_insert((dir, e));
                continue;
            }
        };
        // The links and headings come from one render: the members one
        // when there is one (it reads every body), else the public one.
        let docs = audience == Audience::Members || !args.members;
        match loaded.render_staged(audience, docs, &staging, &sources) {
            Ok(staged) => done.push((staging, staged)),
            Err(Failure::Templates(d)) => render_errors.extend(d.sorted()),
            Err(Failure::Sink(e)) => {
                write_error.get_or_insert((dir, e));
            }
        }
    }
    if render_errors.has_errors() {
        diags.extend(render_errors.sorted());
        return print(diags);
    }
    if let Some((dir, e)) = write_error {
        print(diags);
        eprintln!("error: {}: cannot write output: {e}", dir.display());
        return 1;
    }
    let Loaded { site, sources, .. } = loaded;
    let docs = std::mem::take(&mut done[usize::from(args.members)].1.listing.docs);
    let (public_staging, public) = &done[0];
    let written = Written {
        dir: public_staging.dir(),
        listing: &public.listing,
    };
    diags.extend(check_links(&site, &sources, &written, &docs).sorted());
    if diags.has_errors() {
        return print(diags);
    }
    diags.extend(report::warnings(&site));
    print(diags);
    let estimate = report::estimate(&site);
    let report_staging = match stage_report(&outputs.report, &estimate) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let counts: Vec<(PathBuf, usize)> = done
        .iter()
        .map(|(s, staged)| (s.target().to_path_buf(), staged.listing.files.len()))
        .collect();
    let failed = publish(done, report_staging);
    if failed > 0 {
        return failed;
    }
    if let Err(why) = diagram_cache::save(&args.dir) {
        print(Diagnostic::file(diagram_cache::FILE, why).warning().into());
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
/// and name about to be published was scanned for secret keys as it was
/// staged (the report stays private); a hit swaps nothing. Returns the
/// error count.
fn publish(published: Vec<(Staging, Staged)>, report: Staging) -> usize {
    let mut secrets = Diagnostics::default();
    let mut all = Vec::new();
    for (staging, staged) in published {
        secrets.extend(staged.secrets.into_vec());
        all.push(staging);
    }
    if secrets.has_errors() {
        return print(secrets);
    }
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

/// Estimates `site` and writes `report/report.json` and `report/report.html`
/// in the site folder `dir`, replacing the `report/` folder whole once both
/// are written (it is checked and locked as an output first); with the
/// actual figures of `sales` (read exports) beside the estimate when given.
pub fn write_report(
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
    let staged = stage_report(&target, &estimate)?;
    write::commit_all(vec![staged])
        .map_err(|e| format!("{}: cannot write the ROI report: {e}", target.display()))?;
    Ok(estimate)
}

/// Stages `report.json` and `report.html` for the report folder `target`;
/// nothing visible changes until the staging is committed. Shared by
/// `build` (which commits it with the other outputs) and `report`.
pub fn stage_report(target: &Path, estimate: &Report) -> Result<Staging, String> {
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

/// The build time: `--now`, else `SOURCE_DATE_EPOCH`, else the clock. It is
/// an input so that builds are reproducible.
pub fn build_time(now: Option<&str>) -> Result<Timestamp, String> {
    if let Some(t) = now {
        return t
            .parse::<Timestamp>()
            .map_err(|e| format!("--now `{t}` is not an RFC 3339 time with offset: {e}"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH `{epoch}` is not a number"))?;
        return Timestamp::from_second(secs)
            .map_err(|e| format!("SOURCE_DATE_EPOCH `{epoch}`: {e}"));
    }
    Ok(Timestamp::now())
}

/// Prints diagnostics, sorted, on stderr; returns how many were errors.
pub fn print(diags: Diagnostics) -> usize {
    let all = diags.sorted();
    for d in &all {
        eprintln!("{d}");
    }
    all.iter().filter(|d| d.is_error()).count()
}
