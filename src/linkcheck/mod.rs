//! Link checking: every link and image in the site's Markdown (lessons,
//! pages, offer descriptions) must land somewhere. Internal links are
//! checked on every build and check, against what the render produced —
//! pages, static files and heading ids — and read with the same
//! [`Urls::target`] the renderer uses, so checker and renderer cannot
//! disagree. External links are checked only on request ([`external`]).

pub mod external;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, line_col};
use crate::load::{Sources, slash_path};
use crate::markdown::LinkRef;
use crate::model::Site;
use crate::render::links::{Target, Urls, index_file};
use crate::render::{Doc, OutputFiles};

/// One external (http or https) link and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    /// The URL as written.
    pub url: String,
    /// The file it is written in.
    pub file: PathBuf,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
}

/// Everything a check needs to know about the site and its output.
pub struct Checker<'a> {
    site: &'a Site,
    urls: Urls,
    output: &'a dyn OutputFiles,
    /// Heading ids by source file (`/`-separated).
    ids: BTreeMap<String, BTreeSet<&'a str>>,
    /// Lesson and page bodies by source: (text, line where the body starts).
    bodies: BTreeMap<String, (&'a str, usize)>,
    /// Whole YAML files whose Markdown fields hold links (manifest, calendar).
    yaml: BTreeMap<String, &'a str>,
    /// Output file of each lesson and page → its source.
    page_sources: BTreeMap<String, String>,
}

impl<'a> Checker<'a> {
    /// Prepares a check of `docs`, rendered from `site` into `output`.
    pub fn new(
        site: &'a Site,
        sources: &'a Sources,
        output: &'a dyn OutputFiles,
        docs: &'a [Doc],
    ) -> Self {
        let mut ids: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for d in docs {
            ids.entry(slash_path(&d.source))
                .or_default()
                .extend(d.ids.iter().map(String::as_str));
        }
        let mut bodies = BTreeMap::new();
        for l in site.courses.iter().flat_map(|c| &c.lessons) {
            bodies.insert(slash_path(&l.source), (l.body.as_str(), l.body_line));
        }
        for p in &site.pages {
            bodies.insert(slash_path(&p.source), (p.body.as_str(), p.body_line));
        }
        let urls = Urls::new(site);
        let page_sources = bodies
            .keys()
            .filter_map(|s| Some((index_file(urls.of_source(s)?), s.clone())))
            .collect();
        let yaml = [&sources.manifest, &sources.calendar]
            .into_iter()
            .flatten()
            .map(|f| (slash_path(&f.path), f.text.as_str()))
            .collect();
        Checker {
            site,
            urls,
            output,
            ids,
            bodies,
            yaml,
            page_sources,
        }
    }

    /// Checks every internal link of `docs`: errors for broken links and
    /// anchors, warnings for links that leave the site's base path.
    pub fn internal(&self, docs: &[Doc]) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let mut places = Places::default();
        for doc in docs {
            for link in &doc.links {
                let at = self.position(&doc.source, link, &mut places);
                if let Some(d) = self.check(doc, link, at) {
                    diags.push(d);
                }
            }
            for problem in &doc.problems {
                diags.push(self.problem(doc, problem));
            }
        }
        self.unlinked_assets(docs, &mut diags);
        diags
    }

    /// Warns about each lesson asset that no lesson links to: it is not
    /// published, which its author may not expect.
    fn unlinked_assets(&self, docs: &[Doc], diags: &mut Diagnostics) {
        if self.site.lesson_assets.is_empty() {
            return;
        }
        let linked: BTreeSet<String> = docs
            .iter()
            .filter(|d| self.is_lesson(&d.source))
            .flat_map(|d| {
                d.links
                    .iter()
                    .filter_map(|l| match self.urls.target(&d.source, &l.dest) {
                        Target::Asset { source, .. } => Some(source),
                        _ => None,
                    })
            })
            .collect();
        for a in &self.site.lesson_assets {
            if !linked.contains(&a.path) {
                diags.push(
                    Diagnostic::file(
                        &a.path,
                        "not published: no lesson links to it; link it from a lesson of this build (`![text](file)` or `[text](file)`), or put files for the whole site in static/",
                    )
                    .warning(),
                );
            }
        }
    }

    /// Whether `source` is a lesson of this build.
    fn is_lesson(&self, source: &Path) -> bool {
        let s = slash_path(source);
        s.starts_with("lessons/") && self.urls.of_source(&s).is_some()
    }

    /// A rendering problem of `doc` (malformed quiz, undrawable diagram)
    /// as a diagnostic at its line in the source file.
    fn problem(&self, doc: &Doc, problem: &crate::markdown::Problem) -> Diagnostic {
        let position = self
            .bodies
            .get(&slash_path(&doc.source))
            .map(|(body, body_line)| {
                let (line, col) = line_col(body, problem.offset);
                (line + body_line - 1, col)
            });
        let d = Diagnostic::at(&doc.source, position, problem.message.clone());
        if problem.error { d } else { d.warning() }
    }

    /// Every http(s) link of `docs`, with its position, in document order.
    pub fn external_links(&self, docs: &[Doc]) -> Vec<ExternalLink> {
        let mut out = Vec::new();
        let mut places = Places::default();
        for doc in docs {
            for link in &doc.links {
                let lower = link.dest.to_ascii_lowercase();
                if lower.starts_with("http://") || lower.starts_with("https://") {
                    out.push(ExternalLink {
                        url: link.dest.clone(),
                        file: doc.source.clone(),
                        position: self.position(&doc.source, link, &mut places),
                    });
                }
            }
        }
        out
    }

    /// The diagnostic for `link` of `doc` (written at `at`), if it is broken.
    fn check(&self, doc: &Doc, link: &LinkRef, at: Option<(usize, usize)>) -> Option<Diagnostic> {
        let what = if link.image { "image" } else { "link" };
        let dest = &link.dest;
        let problem: Result<(), String> = match self.urls.target(&doc.source, dest) {
            Target::Empty | Target::External => Ok(()),
            Target::SameDocument { fragment } => {
                let source = slash_path(&doc.source);
                let page = self.urls.of_source(&source).map(index_file);
                if self.has_anchor(Some(&source), page.as_deref(), &fragment) {
                    Ok(())
                } else {
                    Err(format!("no heading `#{fragment}` in this document"))
                }
            }
            Target::Rooted { rel: None, .. } => {
                let d = Diagnostic::at(
                    &doc.source,
                    at,
                    format!(
                        "{what} `{dest}` is outside the site's base path `{}`; not checked",
                        self.urls.base_path()
                    ),
                );
                return Some(d.warning());
            }
            Target::Rooted {
                rel: Some(rel),
                fragment,
            } => self.output_target(&rel, &fragment, dest),
            Target::Document {
                source, fragment, ..
            } => {
                let page = self.urls.of_source(&source).map(index_file);
                let fragment = fragment.trim_start_matches('#');
                if fragment.is_empty() || self.has_anchor(Some(&source), page.as_deref(), fragment)
                {
                    Ok(())
                } else {
                    Err(format!("{source} has no heading `#{fragment}`"))
                }
            }
            Target::Static { output, .. } => {
                if self.output.has(&decode(&output)) {
                    Ok(())
                } else {
                    Err(format!("static/{output} does not exist"))
                }
            }
            Target::Asset { .. } if self.is_lesson(&doc.source) => Ok(()),
            Target::Asset { source, .. } => Err(format!(
                "{source} lies next to lessons, and such files are published only with the lessons that link to them; move it to static/ to link it from here"
            )),
            Target::Unresolved { joined, fragment } => {
                self.unresolved(doc, dest, &joined, &fragment)
            }
            Target::Outside => self
                .relative_to_page(doc, dest, "")
                .ok_or_else(|| "it climbs out of the site folder".to_string()),
        };
        let message = problem.err()?;
        Some(Diagnostic::at(
            &doc.source,
            at,
            format!("broken {what} `{dest}`: {message}"),
        ))
    }

    /// A relative link that names no source file: fine when it names an
    /// output page relative to the page it is on (`../other/`).
    fn unresolved(
        &self,
        doc: &Doc,
        dest: &str,
        joined: &str,
        fragment: &str,
    ) -> Result<(), String> {
        if self.relative_to_page(doc, dest, fragment).is_some() {
            return Ok(());
        }
        if joined.ends_with(".md") && self.site.root.join(joined).is_file() {
            return Err(format!(
                "{joined} is not published in this build (a draft, or not a lesson or page)"
            ));
        }
        if joined.ends_with(".md") {
            return Err(format!("{joined} does not exist"));
        }
        Err(format!(
            "no lesson, page or static file at {joined} (link to .md files, or to files under static/)"
        ))
    }

    /// `Some` when `dest`, read relative to the page `doc` is rendered to
    /// (as a browser will), names an output file (and the fragment in it).
    fn relative_to_page(&self, doc: &Doc, dest: &str, fragment: &str) -> Option<()> {
        let page = self.urls.of_source(&slash_path(&doc.source))?;
        let rel = join_url(page, dest.split('#').next().unwrap_or(dest))?;
        self.output_target(&rel, fragment, dest).ok()
    }

    /// Checks a site-relative path (and fragment) against the output.
    fn output_target(&self, rel: &str, fragment: &str, dest: &str) -> Result<(), String> {
        let Some(file) = self.output_file(rel) else {
            return Err(format!(
                "no page or file at {}",
                self.urls.path(rel.split(['?', '#']).next().unwrap_or(""))
            ));
        };
        let fragment = fragment.trim_start_matches('#');
        let source = self.page_sources.get(&file).map(String::as_str);
        if fragment.is_empty() || self.has_anchor(source, Some(&file), fragment) {
            Ok(())
        } else {
            Err(format!("{dest} has no `#{fragment}`"))
        }
    }

    /// The output file a site-relative URL path names.
    fn output_file(&self, rel: &str) -> Option<String> {
        let path = decode(rel.split(['?', '#']).next().unwrap_or(""));
        let candidates = if path.is_empty() || path.ends_with('/') {
            vec![index_file(&path)]
        } else {
            vec![path.clone(), format!("{path}/index.html")]
        };
        candidates.into_iter().find(|c| self.output.has(c))
    }

    /// Whether `fragment` names a heading of the document `source`, or an
    /// `id` in the output file `page` (footnotes, raw HTML, the theme's own).
    fn has_anchor(&self, source: Option<&str>, page: Option<&str>, fragment: &str) -> bool {
        let fragment = decode(fragment);
        if fragment.is_empty() || fragment == "top" {
            return true;
        }
        if let Some(ids) = source.and_then(|s| self.ids.get(s))
            && ids.contains(fragment.as_str())
        {
            return true;
        }
        // Footnotes and raw HTML of a body the output may not show (paid).
        if let Some((body, _)) = source.and_then(|s| self.bodies.get(s)) {
            let footnote = fragment
                .strip_prefix("fn-")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if (footnote && body.contains("[^")) || has_id(body, &fragment) {
                return true;
            }
        }
        let Some(page) = page else {
            // A description inside a page kpsite writes: its other ids are
            // the theme's, not known here.
            return true;
        };
        match self.output.generated(page) {
            Some(b) => has_id(&String::from_utf8_lossy(&b), &fragment),
            None => false,
        }
    }

    /// Where `link` is in its file: exact for lessons and pages. In YAML
    /// files (Markdown fields of manifest.yaml and calendar.yaml) the
    /// links come without the field's place, so the n-th link to a
    /// destination is put at the n-th place that destination is written as
    /// a link; every place gets its own diagnostic. (A field rendered
    /// twice, once per language, cycles through the places again; the
    /// repeats are the same diagnostic and merge.)
    fn position(
        &self,
        source: &Path,
        link: &LinkRef,
        places: &mut Places,
    ) -> Option<(usize, usize)> {
        let key = slash_path(source);
        if let Some((body, body_line)) = self.bodies.get(&key) {
            let (line, col) = line_col(body, link.offset);
            return Some((line + body_line - 1, col));
        }
        let text = self.yaml.get(&key)?;
        // Each destination's places are searched once per file.
        let (found, n) = places
            .seen
            .entry((key, link.dest.clone()))
            .or_insert_with(|| (link_places(text, &link.dest), 0));
        let at = *found.get(*n % found.len().max(1))?;
        *n += 1;
        Some(line_col(text, at))
    }
}

/// For each (YAML file, destination): where it is written as a link, and
/// how many links to it were placed so far.
#[derive(Default)]
struct Places {
    seen: BTreeMap<(String, String), (Vec<usize>, usize)>,
}

/// Every byte offset where `dest` is written as a link destination in
/// `text`: `](dest`, `](<dest>`, `]: dest` (a reference), `<dest>` (an
/// autolink) or `href="dest"`; the offset is that of `dest` itself. A
/// destination written some other way is found as plain text.
fn link_places(text: &str, dest: &str) -> Vec<usize> {
    if dest.is_empty() {
        return Vec::new();
    }
    let mut out = BTreeSet::new();
    for (before, after) in [
        ("](", ""),
        ("](<", ">"),
        ("]: ", ""),
        ("<", ">"),
        ("=\"", "\""),
        ("='", "'"),
    ] {
        let pattern = format!("{before}{dest}{after}");
        // `](/a` must not match `](/a/b)`: the destination ends there.
        let ends = |end: usize| {
            !after.is_empty()
                || text[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ')' || c.is_whitespace())
        };
        out.extend(
            text.match_indices(&pattern)
                .filter(|(i, _)| ends(i + pattern.len()))
                .map(|(i, _)| i + before.len()),
        );
    }
    if out.is_empty() {
        out.extend(text.match_indices(dest).map(|(i, _)| i));
    }
    out.into_iter().collect()
}

/// Checks the internal links of a rendered site. Returns the diagnostics.
pub fn check_internal(
    site: &Site,
    sources: &Sources,
    output: &dyn OutputFiles,
    docs: &[Doc],
) -> Diagnostics {
    Checker::new(site, sources, output, docs).internal(docs)
}

/// Whether HTML `text` has an element with `id` (or an `<a name>`) `fragment`.
fn has_id(text: &str, fragment: &str) -> bool {
    ["id", "name"].iter().any(|attr| {
        text.contains(&format!("{attr}=\"{fragment}\""))
            || text.contains(&format!("{attr}='{fragment}'"))
    })
}

/// Joins a relative URL path to the directory-style page `page`
/// (`courses/x/a/`); `None` when it climbs above the site root.
fn join_url(page: &str, dest: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = dest.ends_with('/') || dest.ends_with("/.") || dest.ends_with("/..");
    for seg in dest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Percent-decodes a URL path or fragment (`%20` → space); invalid escapes
/// stay as written, and so does text that does not decode to UTF-8.
pub fn decode(s: &str) -> String {
    crate::util::percent_decode(s).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(decode("a%20b"), "a b");
        assert_eq!(decode("%E6%89%80"), "所");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
    }

    #[test]
    fn joins_urls_like_a_browser() {
        assert_eq!(
            join_url("courses/a/b/", "../c/").as_deref(),
            Some("courses/a/c/")
        );
        assert_eq!(
            join_url("about/", "../img/x.png").as_deref(),
            Some("img/x.png")
        );
        assert_eq!(join_url("about/", "../../x"), None);
    }
}

#[cfg(test)]
mod places_tests {
    use super::link_places;

    #[test]
    fn every_place_a_destination_is_written_as_a_link() {
        let text = "a: \"[x](/nope/) and [y](/nope/)\"\nb: |\n  see [z](/nope/ \"t\")\n  [r]: /nope/\n  <a href=\"/nope/\">q</a> [w](/nope/more)\n";
        let at = link_places(text, "/nope/");
        let words: Vec<&str> = at.iter().map(|&i| &text[i..i + 6]).collect();
        assert_eq!(words, ["/nope/"; 5]);
        assert_eq!(at.len(), 5, "{at:?}");
        // `/nope/more` is another destination, not a place of `/nope/`.
        assert!(!at.contains(&text.find("/nope/more").unwrap()));
    }

    #[test]
    fn a_destination_written_otherwise_is_found_as_text() {
        assert_eq!(link_places("x: go to /a/ now", "/a/"), [9]);
        assert!(link_places("x: nothing", "/a/").is_empty());
    }
}
