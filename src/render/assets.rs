//! Lesson assets (SPEC §2.3, §6): files next to lessons under
//! `lessons/<course>/`, published only with the lessons that link to them.
//!
//! - Linked from a lesson this audience reads in full (a free lesson; any
//!   lesson in the members build): published as it is, under the URL of
//!   the first such lesson (`courses/c/intro/img/a.png`). Every other
//!   lesson links there too: an asset that a free lesson shows is public.
//! - Linked only from paid lessons, `delivery: encrypted`: published
//!   sealed under each linking course's content key at
//!   `unlock/files/<32 hex>`, a name derived from that key (it reveals
//!   nothing of the file name); the sealed lesson body links there with
//!   the file name in the fragment, which only the sealed body holds.
//!   The browser decrypts it and shows it in place (`unlock.js`).
//! - Linked only from paid lessons, `delivery: hidden`: not published.
//! - Linked from no lesson: not published (the link check warns).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Content;
use super::links::{self, Target, Urls};
use crate::delivery::{Keys, keys, seal};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::slash_path;
use crate::model::{Audience, Site};

/// Where sealed lesson assets are published.
pub const SEALED_DIR: &str = "unlock/files/";

/// The largest asset published encrypted: the browser holds it whole, twice
/// (ciphertext and plaintext), to decrypt it.
pub const SEAL_LIMIT: u64 = 64 * 1024 * 1024;

/// Where each linked asset of one render is published.
#[derive(Debug, Default)]
pub struct Plan {
    entries: BTreeMap<String, Entry>,
    /// Lesson source → its course id, for lessons that link to an asset.
    courses: BTreeMap<String, String>,
}

#[derive(Debug)]
struct Entry {
    /// Canonical source path.
    source: PathBuf,
    /// Output path of the copy published as it is.
    clear: Option<String>,
    /// Course id → output path of the copy sealed under its key.
    sealed: BTreeMap<String, String>,
}

/// One lesson's link to an asset.
struct Use<'a> {
    asset: String,
    lesson_source: String,
    course: &'a str,
    slug: &'a str,
    visible: bool,
}

impl Plan {
    /// Plans the assets of `site` for `audience`; `keys` when paid bodies
    /// are published sealed. Costs one Markdown outline per lesson, and
    /// nothing when the site has no lesson assets.
    pub fn new(site: &Site, urls: &Urls, audience: Audience, keys: Option<&Keys>) -> Plan {
        if site.lesson_assets.is_empty() {
            return Plan::default();
        }
        let lessons: Vec<_> = site
            .courses
            .iter()
            .flat_map(|c| c.lessons.iter().map(move |l| (c, l)))
            .collect();
        // In site order, so "the first lesson that shows it" is stable.
        let uses: Vec<Use> = lessons
            .par_iter()
            .flat_map_iter(|(c, l)| {
                let source = slash_path(&l.source);
                let mut seen = BTreeSet::new();
                let mut out = Vec::new();
                for link in crate::markdown::outline(&l.body).links {
                    if let Target::Asset { source: asset, .. } = urls.target(&l.source, &link.dest)
                        && seen.insert(asset.clone())
                    {
                        out.push(Use {
                            asset,
                            lesson_source: source.clone(),
                            course: &c.offer.id,
                            slug: &l.slug,
                            visible: l.body_visible(audience),
                        });
                    }
                }
                out
            })
            .collect();
        let by_path: BTreeMap<&str, &PathBuf> = site
            .lesson_assets
            .iter()
            .map(|a| (a.path.as_str(), &a.source))
            .collect();
        let mut plan = Plan::default();
        for u in &uses {
            let Some(source) = by_path.get(u.asset.as_str()) else {
                continue;
            };
            plan.courses
                .insert(u.lesson_source.clone(), u.course.to_string());
            let entry = plan.entries.entry(u.asset.clone()).or_insert(Entry {
                source: source.to_path_buf(),
                clear: None,
                sealed: BTreeMap::new(),
            });
            if u.visible && entry.clear.is_none() {
                entry.clear = Some(clear_path(u, &u.asset));
            }
        }
        // Sealed copies only for assets no readable lesson shows.
        if let Some(keys) = keys.filter(|_| audience == Audience::Public) {
            for u in uses.iter().filter(|u| !u.visible) {
                if let Some(entry) = plan.entries.get_mut(&u.asset)
                    && entry.clear.is_none()
                {
                    entry.sealed.entry(u.course.to_string()).or_insert_with(|| {
                        format!("{SEALED_DIR}{}", keys::asset_id(keys, u.course, &u.asset))
                    });
                }
            }
        }
        plan
    }

    /// Whether the site has no linked asset (links then resolve as usual).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The URL a link to `asset` written in the lesson `from` gets: the
    /// published copy, or the sealed copy for its course with the file
    /// name in the fragment. `None` when neither is published (a hidden
    /// paid lesson is not rendered at all).
    pub fn link(&self, urls: &Urls, from: &Path, asset: &str, fragment: &str) -> Option<String> {
        let entry = self.entries.get(asset)?;
        if let Some(clear) = &entry.clear {
            return Some(urls.path(&encode_path(clear)) + fragment);
        }
        let course = self.courses.get(&slash_path(from))?;
        let sealed = entry.sealed.get(course)?;
        let name = asset.rsplit('/').next().unwrap_or(asset);
        let name: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
        Some(format!("{}#kpsite-file={name}", urls.path(sealed)))
    }

    /// Every published asset file: copies as they are, and sealed copies
    /// (read and encrypted here, in parallel). An asset too large to seal,
    /// or unreadable, is an error naming it.
    pub fn files(&self, keys: Option<&Keys>) -> Result<Vec<(String, Content)>, Diagnostics> {
        let mut out = Vec::new();
        let mut to_seal = Vec::new();
        for (path, e) in &self.entries {
            if let Some(clear) = &e.clear {
                out.push((clear.clone(), Content::Copy(e.source.clone())));
            }
            for (course, sealed) in &e.sealed {
                to_seal.push((path, &e.source, course, sealed));
            }
        }
        let Some(keys) = keys else {
            return Ok(out);
        };
        let sealed: Vec<Result<(String, Content), Diagnostic>> = to_seal
            .into_par_iter()
            .map(|(path, source, course, output)| {
                let bytes = read_limited(source).map_err(|m| Diagnostic::file(path, m))?;
                let data = seal::seal_bytes(&keys.content_key(course), output, &bytes);
                Ok((output.clone(), Content::Bytes(data)))
            })
            .collect();
        let mut diags = Diagnostics::default();
        for r in sealed {
            match r {
                Ok(f) => out.push(f),
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(out)
    }
}

/// Where an asset linked from a readable lesson is published: below that
/// lesson's URL, at its path relative to the lesson's folder, or under
/// `_/` with its path below `lessons/` when it lies elsewhere (or would
/// replace the lesson page itself).
fn clear_path(u: &Use, asset: &str) -> String {
    let lesson = links::lesson(u.course, u.slug);
    let dir = u
        .lesson_source
        .rsplit_once('/')
        .map(|(d, _)| d)
        .unwrap_or("");
    match asset.strip_prefix(&format!("{dir}/")) {
        Some(rel) if rel != "index.html" => format!("{lesson}{rel}"),
        _ => format!(
            "{lesson}_/{}",
            asset.strip_prefix("lessons/").unwrap_or(asset)
        ),
    }
}

/// Percent-encodes each segment of an output path for use in a URL.
fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|s| {
            url::form_urlencoded::byte_serialize(s.as_bytes())
                .collect::<String>()
                .replace('+', "%20")
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the canonical file `source`, refusing one over [`SEAL_LIMIT`].
fn read_limited(source: &Path) -> Result<Vec<u8>, String> {
    let file = crate::load::fence::open_regular(source).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(SEAL_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > SEAL_LIMIT {
        return Err(format!(
            "too large to publish encrypted (over {} MiB; the browser must hold it whole to decrypt it): link it from a file or video host, or serve the `--members` build behind access control",
            SEAL_LIMIT >> 20
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_paths_stay_below_the_lesson() {
        let u = Use {
            asset: String::new(),
            lesson_source: "lessons/c/01-intro.md".into(),
            course: "c",
            slug: "intro",
            visible: true,
        };
        assert_eq!(
            clear_path(&u, "lessons/c/img/a.png"),
            "courses/c/intro/img/a.png"
        );
        assert_eq!(
            clear_path(&u, "lessons/c/index.html"),
            "courses/c/intro/_/c/index.html"
        );
        assert_eq!(
            clear_path(&u, "lessons/d/x.pdf"),
            "courses/c/intro/_/d/x.pdf"
        );
        assert_eq!(encode_path("a b/c#d.png"), "a%20b/c%23d.png");
    }
}
