//! URLs: the one place that decides where each thing lives, and how a
//! relative `.md` link in Markdown becomes the URL of what it names.

use std::collections::BTreeMap;
use std::path::Path;

use crate::load::slash_path;
use crate::model::Site;
pub use crate::paths::*;

/// Builds URLs for a site: paths carry the base_url's path prefix, absolute
/// URLs the whole base.
#[derive(Debug, Clone)]
pub struct Urls {
    base_url: String,
    base_path: String,
    /// The base path of the whole site, where static files live: the same
    /// as `base_path` but for another language's pages (`/rust/en/` → `/rust/`).
    root_path: String,
    /// Source file (`lessons/rust-web/01-intro.md`) → site-relative path.
    sources: BTreeMap<String, String>,
    /// Lesson assets by source path (`lessons/rust-web/img/a.png`).
    assets: std::collections::BTreeSet<String>,
}

impl Urls {
    /// Indexes every lesson and page of `site` by source path.
    pub fn new(site: &Site) -> Urls {
        let base_url = site.config.base_url.clone();
        let base_path = url::Url::parse(&base_url)
            .map(|u| u.path().to_string())
            .unwrap_or_else(|_| "/".into());
        let mut sources = BTreeMap::new();
        for c in &site.courses {
            for l in &c.lessons {
                let url = lesson(&c.offer.id, &l.slug);
                // A translation's links may name the default file
                // (`02-next.md`) or the translation (`02-next.en.md`).
                let default = l.source.with_file_name(&l.file_name);
                sources.insert(slash_path(&default), url.clone());
                sources.insert(slash_path(&l.source), url);
            }
        }
        for p in &site.pages {
            let url = page(&p.slug);
            let default = p.source.with_file_name(format!("{}.md", p.slug));
            sources.insert(slash_path(&default), url.clone());
            sources.insert(slash_path(&p.source), url);
        }
        let assets = site.lesson_assets.iter().map(|a| a.path.clone()).collect();
        let lang = &site.config.language;
        let root_path = match lang == site.config.default_language() {
            true => base_path.clone(),
            false => base_path
                .strip_suffix(&format!("{}/", lang.tag()))
                .unwrap_or(&base_path)
                .to_string(),
        };
        Urls {
            base_url,
            base_path,
            root_path,
            sources,
            assets,
        }
    }

    /// Root-relative URL with the base path: `/rust/courses/x/`.
    pub fn path(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel)
    }

    /// Root-relative URL of a static file of the site (`static/` is copied
    /// once, to the root, whatever the language of the page).
    pub fn asset(&self, rel: &str) -> String {
        format!("{}{}", self.root_path, rel)
    }

    /// Absolute URL of a static file of the site (see [`Urls::asset`]).
    pub fn absolute_asset(&self, rel: &str) -> String {
        let origin = self
            .base_url
            .strip_suffix(self.base_path.as_str())
            .unwrap_or(&self.base_url);
        format!("{origin}{}", self.asset(rel))
    }

    /// Absolute URL: `https://example.com/rust/courses/x/`.
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{}", self.base_url, rel)
    }

    /// Absolute URL of the page `rel` in every language of `config`, the
    /// default first: `(tag, https://e.com/rust/en/courses/x/)`. Every
    /// language has every page (an untranslated one shows the default
    /// text), so these are the `hreflang` alternates of the page and of its
    /// sitemap entry. Empty for a site in one language.
    pub fn in_every_language(
        &self,
        config: &crate::model::Config,
        rel: &str,
    ) -> Vec<(String, String)> {
        if !config.is_multilingual() {
            return Vec::new();
        }
        let root_url = self.absolute_asset("");
        config
            .languages
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let dir = match i {
                    0 => String::new(),
                    _ => format!("{}/", l.tag()),
                };
                (l.tag().to_string(), format!("{root_url}{dir}{rel}"))
            })
            .collect()
    }

    /// The base path, `/rust/`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Resolves a Markdown link written in `source` (a site-relative file):
    /// relative links to `.md` files of lessons and pages, and to files
    /// under `static/`, become site URLs. Anything else stays as written.
    pub fn resolve(&self, source: &Path, dest: &str) -> Option<String> {
        match self.target(source, dest) {
            Target::Document { url, fragment, .. } | Target::Static { url, fragment, .. } => {
                Some(url + &fragment)
            }
            _ => None,
        }
    }

    /// What a link `dest` written in `source` points at: the one reading of
    /// a link shared by the renderer ([`Urls::resolve`]) and the link checker.
    pub fn target(&self, source: &Path, dest: &str) -> Target {
        if dest.is_empty() {
            return Target::Empty;
        }
        if dest.starts_with("//") || has_scheme(dest) {
            return Target::External;
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            return Target::SameDocument {
                fragment: fragment.to_string(),
            };
        }
        if dest.starts_with('/') {
            let (path, fragment) = split_fragment(dest);
            return Target::Rooted {
                rel: path.strip_prefix(&self.base_path).map(str::to_string),
                fragment,
            };
        }
        if dest.contains(':') {
            // `a:b` reads as a scheme-like link to the browser; leave it.
            return Target::External;
        }
        let (target, fragment) = split_fragment(dest);
        let Some(joined) = normalize(&source.parent().unwrap_or(Path::new("")).join(target)) else {
            return Target::Outside;
        };
        if let Some(rel) = self.sources.get(&joined) {
            return Target::Document {
                source: joined.clone(),
                url: self.path(rel),
                fragment,
            };
        }
        if self.assets.contains(&joined) {
            return Target::Asset {
                source: joined,
                fragment,
            };
        }
        match joined.strip_prefix("static/") {
            Some(rel) => Target::Static {
                output: rel.to_string(),
                url: self.asset(rel),
                fragment,
            },
            None => Target::Unresolved { joined, fragment },
        }
    }

    /// The site-relative path of the lesson or page written in `source`.
    pub fn of_source(&self, source: &str) -> Option<&str> {
        self.sources.get(source).map(String::as_str)
    }
}

/// What a link in Markdown points at (see [`Urls::target`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `[x]()`.
    Empty,
    /// A URL with a scheme (`https:`, `mailto:`) or a protocol-relative one.
    External,
    /// `#fragment` in the same document.
    SameDocument {
        /// Without the `#`.
        fragment: String,
    },
    /// `/path`: `rel` is the path below the site's base path, `None` when
    /// it lies outside it.
    Rooted {
        /// Site-relative path, if under the base path.
        rel: Option<String>,
        /// `#fragment` or empty.
        fragment: String,
    },
    /// A lesson or page of this build, by its source path.
    Document {
        /// `lessons/rust-web/02-borrowing.md`.
        source: String,
        /// Its URL with the base path.
        url: String,
        /// `#fragment` or empty.
        fragment: String,
    },
    /// A file under `static/`.
    Static {
        /// Path in the output (`img/a.png`).
        output: String,
        /// Its URL with the base path.
        url: String,
        /// `#fragment` or empty.
        fragment: String,
    },
    /// A file next to lessons (a lesson asset): where it is published
    /// depends on who links to it and who reads (see `render::assets`).
    Asset {
        /// `lessons/rust-web/img/a.png`.
        source: String,
        /// `#fragment` or empty.
        fragment: String,
    },
    /// A relative path that names no lesson, page or static file; `joined`
    /// is it read from the site folder (`lessons/x/03-gone.md`).
    Unresolved {
        /// The site-relative path it names.
        joined: String,
        /// `#fragment` or empty.
        fragment: String,
    },
    /// A relative path that climbs out of the site folder.
    Outside,
}

/// `a.md#x` → (`a.md`, `#x`).
fn split_fragment(dest: &str) -> (&str, String) {
    match dest.split_once('#') {
        Some((t, f)) => (t, format!("#{f}")),
        None => (dest, String::new()),
    }
}

/// Whether `dest` starts with a URL scheme (`https:`, `mailto:`).
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Folds `.` and `..` out of a relative path; `None` when it climbs out of
/// the site folder.
fn normalize(p: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in slash_path(p).split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> Urls {
        let mut sources = BTreeMap::new();
        sources.insert(
            "lessons/rust/02-borrow.md".to_string(),
            lesson("rust", "borrow"),
        );
        sources.insert("pages/about.md".to_string(), page("about"));
        Urls {
            base_url: "https://e.com/r/".into(),
            base_path: "/r/".into(),
            root_path: "/r/".into(),
            sources,
            assets: Default::default(),
        }
    }

    #[test]
    fn resolves_relative_markdown_links() {
        let u = urls();
        let from = Path::new("lessons/rust/01-intro.md");
        assert_eq!(
            u.resolve(from, "02-borrow.md#moves").unwrap(),
            "/r/courses/rust/borrow/#moves"
        );
        assert_eq!(
            u.resolve(from, "../../pages/about.md").unwrap(),
            "/r/about/"
        );
        assert_eq!(
            u.resolve(from, "../../static/img/a.png").unwrap(),
            "/r/img/a.png"
        );
        assert_eq!(u.resolve(from, "https://x.org/a.md"), None);
        assert_eq!(u.resolve(from, "../../../../etc/passwd"), None);
        assert_eq!(u.resolve(from, "missing.md"), None);
    }
}
