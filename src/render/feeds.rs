//! Crawl and subscription files: `feed.xml` (Atom), `sitemap.xml` and
//! `robots.txt`. They are made from the model and from the pages already
//! rendered, so every page type (events included) lands in the sitemap
//! without being listed here. Each is a template of the theme (like Zola's
//! built-ins), so a site's `templates/feed.xml`, `templates/sitemap.xml` or
//! `templates/robots.txt` replaces it; this module only builds the context
//! (documented in `themes/default/README.md`).

use std::collections::BTreeSet;

use serde::Serialize;
use tera::{Context, Tera};

use super::UNLISTED;
use super::links::{self, Urls};
use crate::diagnostics::Diagnostic;
use crate::model::{Audience, Site};

/// The Atom feed's path in the output.
pub const FEED: &str = "feed.xml";

/// `feed.xml`, `sitemap.xml` and `robots.txt` for an output whose files so
/// far are `rendered`, except any it already has. A members build gets only
/// a `robots.txt` that keeps crawlers out.
pub fn files(
    site: &Site,
    urls: &Urls,
    audience: Audience,
    rendered: &BTreeSet<&str>,
    tera: &Tera,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let mut files = vec![("robots.txt", robots(site, urls, audience, tera)?)];
    if audience == Audience::Public {
        files.push((FEED, feed_with(site, urls, tera)?));
        files.push(("sitemap.xml", sitemap(site, urls, rendered, tera)?));
    }
    Ok(files
        .into_iter()
        .filter(|(path, _)| !rendered.contains(path))
        .map(|(path, text)| (path.to_string(), text))
        .collect())
}

/// Renders the theme template `name` with `ctx`; an error names the
/// template as the site would override it.
fn render(tera: &Tera, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
    tera.render(name, ctx).map_err(|e| {
        Diagnostic::file(
            std::path::PathBuf::from("templates").join(name),
            super::theme::error_chain(&e),
        )
    })
}

/// `robots.txt`: everything allowed and every sitemap named (public; a
/// multilingual site has one sitemap per language), or nothing allowed
/// (members). Context: `allow` (bool), `sitemaps` (absolute URLs).
pub fn robots(
    site: &Site,
    urls: &Urls,
    audience: Audience,
    tera: &Tera,
) -> Result<String, Diagnostic> {
    let allow = audience == Audience::Public;
    let mut sitemaps = Vec::new();
    if allow {
        sitemaps.push(encode(&urls.absolute("sitemap.xml")));
        if site.config.is_multilingual() {
            for l in &site.config.languages[1..] {
                sitemaps.push(encode(&urls.absolute(&format!("{}/sitemap.xml", l.tag()))));
            }
        }
    }
    let mut ctx = Context::new();
    ctx.insert("allow", &allow);
    ctx.insert("sitemaps", &sitemaps);
    render(tera, "robots.txt", &ctx)
}

/// Site-relative paths of draft lessons and pages (present only with
/// `--drafts`), which crawl files never list.
fn drafts(site: &Site) -> BTreeSet<String> {
    let lessons = site.courses.iter().flat_map(|c| {
        c.lessons
            .iter()
            .filter(|l| l.draft)
            .map(|l| links::lesson(&c.offer.id, &l.slug))
    });
    let pages = site
        .pages
        .iter()
        .filter(|p| p.draft)
        .map(|p| links::page(&p.slug));
    lessons.chain(pages).collect()
}

/// `sitemap.xml`: every rendered `…/index.html` page of `out` except the
/// search page, drafts and the 404 page, as absolute URLs. Context: `urls`.
pub fn sitemap(
    site: &Site,
    urls: &Urls,
    rendered: &BTreeSet<&str>,
    tera: &Tera,
) -> Result<String, Diagnostic> {
    let drafts = drafts(site);
    let list: Vec<SitemapUrl> = rendered
        .iter()
        .filter(|path| !UNLISTED.contains(path) && is_page(path))
        .map(|path| path.strip_suffix("index.html").unwrap_or(path))
        .filter(|rel| !drafts.contains(*rel))
        .map(|rel| SitemapUrl {
            loc: encode(&urls.absolute(rel)),
            alternates: alternates(site, urls, rel),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("urls", &list);
    ctx.insert("multilingual", &site.config.is_multilingual());
    render(tera, "sitemap.xml", &ctx)
}

/// One item of `urls` in `sitemap.xml`.
#[derive(Serialize)]
struct SitemapUrl {
    /// The page's absolute URL.
    loc: String,
    /// Its `xhtml:link` alternates (empty for a site in one language).
    alternates: Vec<Alternate>,
}

/// One `<xhtml:link rel="alternate">` of a sitemap URL.
#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
}

/// The `<xhtml:link rel="alternate" hreflang>` entries of a sitemap URL
/// (Google's format for translated pages): the page in every language,
/// itself included, and `x-default` for the default language's page, the
/// same as the page's own `<link rel="alternate">`. Nothing for a site in
/// one language.
fn alternates(site: &Site, urls: &Urls, rel: &str) -> Vec<Alternate> {
    let all = urls.in_every_language(&site.config, rel);
    let x_default = all
        .first()
        .map(|(_, url)| ("x-default".to_string(), url.clone()));
    all.iter()
        .cloned()
        .chain(x_default)
        .map(|(hreflang, url)| Alternate {
            hreflang,
            href: encode(&url),
        })
        .collect()
}

/// A directory-style HTML page (`index.html`, `courses/x/index.html`).
fn is_page(path: &str) -> bool {
    path == "index.html" || path.ends_with("/index.html")
}

/// The `feed` variable of `feed.xml`.
#[derive(Serialize)]
struct FeedView {
    lang: String,
    title: String,
    subtitle: String,
    self_url: String,
    site_url: String,
    updated: String,
    author: Author,
}

/// The feed's author: the site's `author`, else the site itself.
#[derive(Serialize)]
struct Author {
    name: String,
    url: Option<String>,
}

/// One item of `entries` in `feed.xml`.
#[derive(Serialize)]
struct Entry {
    title: String,
    url: String,
    summary: String,
    category: Option<String>,
}

/// `feed.xml`: an Atom feed of the free lessons and the pages. Lessons and
/// pages carry no dates, so `updated` is the build time (`--now` or
/// `SOURCE_DATE_EPOCH` keeps it reproducible). Context: `feed`, `entries`.
pub fn feed_with(site: &Site, urls: &Urls, tera: &Tera) -> Result<String, Diagnostic> {
    let c = &site.config;
    let author = match &c.author {
        Some(a) => Author {
            name: clean(&a.name),
            url: a.url.as_deref().map(encode),
        },
        None => Author {
            name: clean(&c.title),
            url: Some(encode(&c.base_url)),
        },
    };
    let view = FeedView {
        lang: c.language.tag().to_string(),
        title: clean(&c.title),
        subtitle: clean(&c.description),
        self_url: encode(&urls.absolute("feed.xml")),
        site_url: encode(&c.base_url),
        updated: rfc3339(site.now),
        author,
    };
    let mut entries = Vec::new();
    for course in &site.courses {
        for l in course.lessons.iter().filter(|l| l.free && !l.draft) {
            let summary = l
                .summary
                .as_deref()
                .or(course.tagline.as_deref())
                .unwrap_or(&course.offer.title);
            entries.push(Entry {
                title: clean(&format!("{} · {}", l.title, course.offer.title)),
                url: encode(&urls.absolute(&links::lesson(&course.offer.id, &l.slug))),
                summary: clean(summary),
                category: Some(clean(&course.offer.title)),
            });
        }
    }
    for p in site.pages.iter().filter(|p| !p.draft) {
        entries.push(Entry {
            title: clean(&p.title),
            url: encode(&urls.absolute(&links::page(&p.slug))),
            summary: clean(p.description.as_deref().unwrap_or(&p.title)),
            category: None,
        });
    }
    let mut ctx = Context::new();
    ctx.insert("feed", &view);
    ctx.insert("entries", &entries);
    render(tera, "feed.xml", &ctx)
}

/// A moment as RFC 3339 in UTC, whole seconds.
fn rfc3339(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Percent-encodes what a URL must not hold raw (non-ASCII slugs, spaces).
fn encode(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| url.to_string())
}

/// Drops the characters XML 1.0 forbids; the template escapes the rest.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(clean("a<b & 'c'\u{1}"), "a<b & 'c'");
        assert_eq!(
            encode("https://e.com/r/关于/"),
            "https://e.com/r/%E5%85%B3%E4%BA%8E/"
        );
    }
}
