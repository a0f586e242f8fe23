//! Crawl and subscription files: `feed.xml` (Atom), `sitemap.xml` and
//! `robots.txt`. They are made from the model and from the pages already
//! rendered, so every page type (events included) lands in the sitemap
//! without being listed here.

use std::collections::BTreeSet;

use super::UNLISTED;
use super::links::{self, Urls};
use crate::model::{Audience, Site};

/// `feed.xml`, `sitemap.xml` and `robots.txt` for an output whose files so
/// far are `rendered`, except any it already has. A members build gets only
/// a `robots.txt` that keeps crawlers out.
pub fn files(
    site: &Site,
    urls: &Urls,
    audience: Audience,
    rendered: &BTreeSet<&str>,
) -> Vec<(String, String)> {
    let mut files = vec![("robots.txt", robots(urls, audience))];
    if audience == Audience::Public && site.config.is_multilingual() {
        // Each language has its own sitemap; robots.txt names them all.
        let mut text = robots(urls, audience);
        for l in &site.config.languages[1..] {
            let url = urls.absolute(&format!("{}/sitemap.xml", l.tag()));
            text.push_str(&format!("Sitemap: {}\n", encode(&url)));
        }
        files[0].1 = text;
    }
    if audience == Audience::Public {
        files.push(("feed.xml", feed(site, urls)));
        files.push(("sitemap.xml", sitemap(site, urls, rendered)));
    }
    files
        .into_iter()
        .filter(|(path, _)| !rendered.contains(path))
        .map(|(path, text)| (path.to_string(), text))
        .collect()
}

/// `robots.txt`: everything allowed and the sitemap named (public), or
/// nothing allowed (members).
pub fn robots(urls: &Urls, audience: Audience) -> String {
    match audience {
        Audience::Public => format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            encode(&urls.absolute("sitemap.xml"))
        ),
        Audience::Members => "User-agent: *\nDisallow: /\n".to_string(),
    }
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
/// search page, drafts and the 404 page, as absolute URLs.
pub fn sitemap(site: &Site, urls: &Urls, rendered: &BTreeSet<&str>) -> String {
    let drafts = drafts(site);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if site.config.is_multilingual() {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for &path in rendered {
        if UNLISTED.contains(&path) || !is_page(path) {
            continue;
        }
        let rel = path.strip_suffix("index.html").unwrap_or(path);
        if drafts.contains(rel) {
            continue;
        }
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&encode(&urls.absolute(rel)))
        ));
        xml.push_str(&alternate_links(site, urls, rel));
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The `<xhtml:link rel="alternate" hreflang>` entries of a sitemap URL
/// (Google's format for translated pages): the page in every language,
/// itself included, and `x-default` for the default language's page, the
/// same as the page's own `<link rel="alternate">`. Nothing for a site in
/// one language.
fn alternate_links(site: &Site, urls: &Urls, rel: &str) -> String {
    let all = urls.in_every_language(&site.config, rel);
    let x_default = all
        .first()
        .map(|(_, url)| ("x-default".to_string(), url.clone()));
    let mut out = String::new();
    for (tag, url) in all.iter().cloned().chain(x_default) {
        out.push_str(&format!(
            "\n    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            escape(&tag),
            escape(&encode(&url))
        ));
    }
    if !out.is_empty() {
        out.push_str("\n  ");
    }
    out
}

/// A directory-style HTML page (`index.html`, `courses/x/index.html`).
fn is_page(path: &str) -> bool {
    path == "index.html" || path.ends_with("/index.html")
}

/// `feed.xml`: an Atom feed of the free lessons and the pages. Lessons and
/// pages carry no dates, so `updated` is the build time (`--now` or
/// `SOURCE_DATE_EPOCH` keeps it reproducible).
pub fn feed(site: &Site, urls: &Urls) -> String {
    let c = &site.config;
    let updated = rfc3339(site.now);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        c.language.tag()
    ));
    xml.push_str(&format!("  <title>{}</title>\n", escape(&c.title)));
    xml.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        escape(&c.description)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&encode(&urls.absolute("feed.xml")))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&encode(&c.base_url))
    ));
    xml.push_str(&format!("  <id>{}</id>\n", escape(&encode(&c.base_url))));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    let (name, uri) = match &c.author {
        Some(a) => (a.name.clone(), a.url.clone()),
        None => (c.title.clone(), Some(c.base_url.clone())),
    };
    xml.push_str(&format!("  <author><name>{}</name>", escape(&name)));
    if let Some(uri) = uri {
        xml.push_str(&format!("<uri>{}</uri>", escape(&encode(&uri))));
    }
    xml.push_str("</author>\n  <generator uri=\"https://github.com/kpsite\">kpsite</generator>\n");

    let entry =
        |xml: &mut String, title: &str, rel: &str, summary: &str, category: Option<&str>| {
            let url = escape(&encode(&urls.absolute(rel)));
            xml.push_str("  <entry>\n");
            xml.push_str(&format!("    <title>{}</title>\n", escape(title)));
            xml.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"
            ));
            xml.push_str(&format!("    <id>{url}</id>\n"));
            xml.push_str(&format!("    <updated>{updated}</updated>\n"));
            if let Some(cat) = category {
                xml.push_str(&format!("    <category term=\"{}\"/>\n", escape(cat)));
            }
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(summary)));
            xml.push_str("  </entry>\n");
        };
    for course in &site.courses {
        for l in course.lessons.iter().filter(|l| l.free && !l.draft) {
            let summary = l
                .summary
                .as_deref()
                .or(course.tagline.as_deref())
                .unwrap_or(&course.offer.title);
            entry(
                &mut xml,
                &format!("{} · {}", l.title, course.offer.title),
                &links::lesson(&course.offer.id, &l.slug),
                summary,
                Some(&course.offer.title),
            );
        }
    }
    for p in site.pages.iter().filter(|p| !p.draft) {
        let summary = p.description.as_deref().unwrap_or(&p.title);
        entry(&mut xml, &p.title, &links::page(&p.slug), summary, None);
    }
    xml.push_str("</feed>\n");
    xml
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

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(escape("a<b & 'c'\u{1}"), "a&lt;b &amp; &apos;c&apos;");
        assert_eq!(
            encode("https://e.com/r/关于/"),
            "https://e.com/r/%E5%85%B3%E4%BA%8E/"
        );
    }
}
