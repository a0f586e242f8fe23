//! The output half of the secret-key scan ([`crate::secrets`] holds the
//! scanner): every byte and every file and folder name about to be
//! published, reported against the input it came from.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::paths as links;
use crate::render::{Content, Output};
use crate::secrets::{Hit, Kind, message, scan_bytes, scan_reader};

/// Output path → the input it was made from, where that is one file.
pub fn sources_of(site: &Site) -> BTreeMap<String, PathBuf> {
    let mut map = BTreeMap::new();
    for c in &site.courses {
        map.insert(
            links::index_file(&links::course(&c.offer.id)),
            "manifest.yaml".into(),
        );
        for l in &c.lessons {
            map.insert(
                links::index_file(&links::lesson(&l.course, &l.slug)),
                l.source.clone(),
            );
        }
    }
    for m in &site.memberships {
        map.insert(
            links::index_file(&links::membership(&m.offer.id)),
            "manifest.yaml".into(),
        );
    }
    for b in &site.bundles {
        map.insert(
            links::index_file(&links::bundle(&b.offer.id)),
            "manifest.yaml".into(),
        );
    }
    for p in &site.pages {
        map.insert(links::index_file(&links::page(&p.slug)), p.source.clone());
    }
    for e in &site.events {
        map.insert(
            links::index_file(&links::event(&e.id)),
            "calendar.yaml".into(),
        );
        map.insert(links::event_ics(&e.id), "calendar.yaml".into());
    }
    for f in &site.static_files {
        map.insert(f.output.clone(), Path::new("static").join(&f.output));
    }
    // The other languages' pages, under `<lang>/` (spec §8).
    for other in &site.translations.sites {
        let prefix = other.config.language.tag();
        for (path, source) in sources_of(other) {
            map.entry(format!("{prefix}/{path}")).or_insert(source);
        }
    }
    map
}

/// The diagnostics for one output file (`rel` in the output shown as
/// `shown`): its name, then its bytes.
fn report(
    shown: &Path,
    rel: &str,
    hits: io::Result<Vec<Hit>>,
    sources: &BTreeMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    let file = shown.join(rel);
    let from = match sources.get(rel) {
        Some(s) => format!(" in the output; it comes from {}", s.display()),
        None => " in the output, made from the site's inputs".to_string(),
    };
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let mut out: Vec<Diagnostic> = scan_bytes(name.as_bytes(), Kind::Text)
        .into_iter()
        .map(|h| {
            Diagnostic::file(
                &file,
                format!(
                    "this file or folder name looks like a secret key (`{}…`); a static site is public, rename it",
                    h.prefix
                ),
            )
        })
        .collect();
    match hits {
        Ok(hits) => out.extend(hits.into_iter().map(|h| {
            let position = (Kind::of(rel) != Kind::Binary).then_some(h.position);
            Diagnostic::at(&file, position, message(h.prefix, h.escaped, &from))
        })),
        Err(e) => out.push(Diagnostic::file(
            &file,
            format!("cannot scan for secret keys: {e}"),
        )),
    }
    out
}

/// Scans a staged output folder `dir` (shown as `shown`): every file's
/// bytes, every file and folder name.
pub fn scan_folder(dir: &Path, shown: &Path, sources: &BTreeMap<String, PathBuf>) -> Diagnostics {
    let entries: Vec<(String, bool)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some((crate::load::slash_path(rel), e.file_type().is_file()))
        })
        .collect();
    let found: Vec<Vec<Diagnostic>> = entries
        .par_iter()
        .map(|(rel, is_file)| {
            let hits = if *is_file {
                File::open(dir.join(rel)).and_then(|f| scan_reader(f, Kind::of(rel)))
            } else {
                Ok(Vec::new())
            };
            report(shown, rel, hits, sources)
        })
        .collect();
    let mut diags = Diagnostics::default();
    diags.extend(found.into_iter().flatten());
    diags
}

/// Scans an output held in memory (check, serve); copied files are read
/// from their source, in blocks.
pub fn scan_output(out: &Output, shown: &Path, sources: &BTreeMap<String, PathBuf>) -> Diagnostics {
    let mut dirs = std::collections::BTreeSet::new();
    for rel in out.files.keys() {
        let mut p = rel.as_str();
        while let Some((parent, _)) = p.rsplit_once('/') {
            dirs.insert(parent.to_string());
            p = parent;
        }
    }
    let found: Vec<Vec<Diagnostic>> = out
        .files
        .par_iter()
        .map(|(rel, content)| {
            let hits = match content {
                Content::Bytes(b) => Ok(scan_bytes(b, Kind::of(rel))),
                Content::Copy(src) => crate::load::fence::open_regular(src)
                    .and_then(|f| scan_reader(f, Kind::of(rel))),
            };
            report(shown, rel, hits, sources)
        })
        .collect();
    let mut diags = Diagnostics::default();
    diags.extend(found.into_iter().flatten());
    for d in dirs {
        diags.extend(report(shown, &d, Ok(Vec::new()), sources));
    }
    diags
}

/// The build's check before the swap: scans each staged output folder
/// (`staged`, shown as `shown`). Any error means nothing may be swapped in.
pub fn scan_staged<'a>(
    site: &Site,
    outputs: impl IntoIterator<Item = (&'a Path, &'a Path)>,
) -> Diagnostics {
    let sources = sources_of(site);
    let mut diags = Diagnostics::default();
    for (staged, shown) in outputs {
        diags.extend(scan_folder(staged, shown, &sources).into_vec());
    }
    diags
}
