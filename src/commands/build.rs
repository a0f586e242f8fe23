//! `kpsite build`: load → validate → render → write, then the ROI report
//! to `report/` beside the output.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::linkcheck;
use crate::load::{self, Sources};
use crate::model::{Audience, Site};
use crate::render::{self, Content, Doc, Failure, Output, Written};
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

/// Where one output of a build goes while it is rendered.
enum Target {
    /// A staging folder beside the output, swapped in at the end.
    Staged(write::Staging),
    /// Memory, when the output folder cannot be used anyway (the build
    /// still renders, so that template and link errors come first).
    Memory(Mutex<Output>),
}

/// Runs a build. Returns the number of errors (0 on success); the previous
/// output is left untouched unless the build succeeded.
///
/// Unlike [`render_site`], pages are written into a staging folder beside
/// each output as they are rendered, so the whole site is never held in
/// memory; the staging folders are swapped in only when everything
/// rendered and every internal link checked out.
pub fn run(args: &BuildArgs) -> usize {
    let (site, mut sources, mut diags) = match load_site(&args.dir, &args.options) {
        Ok(r) => r,
        Err(diags) => return super::print(diags),
    };
    // Lesson and page texts live on in `site`; the link checker needs only
    // the YAML files of `sources`.
    sources.lessons = Vec::new();
    sources.pages = Vec::new();
    let public_dir = args.out.clone().unwrap_or_else(|| args.dir.join("public"));
    let bad_out = report_inside(&args.dir, &public_dir);
    let mut outputs = vec![(Audience::Public, public_dir.clone())];
    if args.members {
        outputs.push((Audience::Members, args.dir.join("members")));
    }
    let mut render_errors = Diagnostics::default();
    let mut write_error = None;
    let mut done = Vec::new();
    for (audience, dir) in outputs {
        let target = match bad_out {
            Some(_) => Target::Memory(Mutex::new(Output::default())),
            None => match write::Staging::new(&dir) {
                Ok(s) => Target::Staged(s),
                Err(e) => {
                    write_error.get_or_insert((dir.clone(), e));
                    continue;
                }
            },
        };
        let sink = |path: String, content: Content| match &target {
            Target::Staged(s) => s.put(&path, &content),
            Target::Memory(m) => {
                let mut out = m.lock().unwrap_or_else(PoisonError::into_inner);
                out.files.insert(path, content);
                Ok(())
            }
        };
        // The links and headings come from one render: the members one
        // when there is one (it reads every body), else the public one.
        let docs = audience == Audience::Members || !args.members;
        match render::render_to(&site, &sources.templates, audience, docs, &sink) {
            Ok(listing) => done.push((target, dir, listing)),
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
    let docs = std::mem::take(&mut done[usize::from(args.members)].2.docs);
    let (public_target, _, public_listing) = &done[0];
    let link_errors = match public_target {
        Target::Staged(s) => {
            let written = Written {
                dir: s.dir(),
                listing: public_listing,
            };
            linkcheck::check_internal(&site, &sources, &written, &docs)
        }
        Target::Memory(m) => {
            let out = m.lock().unwrap_or_else(PoisonError::into_inner);
            linkcheck::check_internal(&site, &sources, &*out, &docs)
        }
    };
    diags.extend(link_errors.sorted());
    if diags.has_errors() {
        return super::print(diags);
    }
    diags.extend(report::warnings(&site));
    super::print(diags);
    if let Some(message) = bad_out {
        eprintln!("error: {}: {message}", public_dir.display());
        return 1;
    }
    // Secret scan of everything about to be published (issue #12): any
    // hit and nothing is swapped in.
    let staged = done.iter().filter_map(|(t, dir, _)| match t {
        Target::Staged(s) => Some((s.dir(), dir.as_path())),
        Target::Memory(_) => None,
    });
    let secrets = crate::secrets::scan_staged(&site, staged);
    if secrets.has_errors() {
        return super::print(secrets);
    }
    for (target, dir, listing) in done {
        if let Target::Staged(staging) = target
            && let Err(e) = staging.commit()
        {
            eprintln!("error: {}: cannot write output: {e}", dir.display());
            return 1;
        }
        eprintln!("wrote {} files to {}", listing.files.len(), dir.display());
    }
    match super::report::write(&args.dir, &site) {
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
