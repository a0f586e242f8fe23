//! Links and images written as raw HTML in Markdown (`<a href>`,
//! `<img src>`, `<video src|poster>`, `<source src>`, …): found with a
//! WHATWG HTML tokenizer that reports byte spans (html5tokenizer), so each
//! URL is resolved like a Markdown link and written back in place, and the
//! rest of the author's HTML is left byte for byte as written.

use html5tokenizer::offset::PosTrackingReader;
use html5tokenizer::trace::{AttrValueSyntax, Trace};
use html5tokenizer::{NaiveParser, Token, TracingEmitter};

use super::{escape_html, guarded};

/// The URL attributes kpsite resolves and checks: (element, attribute,
/// whether it is an image for the checker's messages). One table entry per
/// kind of link.
const URL_ATTRIBUTES: &[(&str, &str, bool)] = &[
    ("a", "href", false),
    ("area", "href", false),
    ("img", "src", true),
    ("video", "src", false),
    ("video", "poster", true),
    ("audio", "src", false),
    ("source", "src", false),
    ("track", "src", false),
];

/// One URL found in raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HtmlUrl {
    /// The value as the browser reads it (character references decoded).
    pub dest: String,
    /// Byte offset of the tag in the HTML given to [`rewrite`].
    pub offset: usize,
    /// True for `img src` and `video poster`.
    pub image: bool,
}

/// Finds the URLs of `html` and returns them, with `html` rewritten where
/// `resolve` gives a new URL (None when nothing changed). A tokenizer
/// failure leaves the HTML as written.
pub(super) fn rewrite(
    html: &str,
    resolve: &mut dyn FnMut(&str) -> Option<String>,
) -> (Vec<HtmlUrl>, Option<String>) {
    if !might_have_urls(html) {
        return (Vec::new(), None);
    }
    let Some(found) = guarded(|| scan(html)) else {
        return (Vec::new(), None);
    };
    let mut urls = Vec::with_capacity(found.len());
    let mut out = String::new();
    let mut copied = 0;
    for f in found {
        if let Some(new) = resolve(&f.url.dest) {
            out.push_str(&html[copied..f.value.start]);
            // An unquoted value gets quotes, since the new URL might hold
            // characters an unquoted value cannot.
            if f.syntax == AttrValueSyntax::Unquoted {
                out.push('"');
                out.push_str(&escape_html(&new));
                out.push('"');
            } else {
                out.push_str(&escape_html(&new));
            }
            copied = f.value.end;
        }
        urls.push(f.url);
    }
    if copied == 0 {
        return (urls, None);
    }
    out.push_str(&html[copied..]);
    (urls, Some(out))
}

/// A cheap test that skips the tokenizer for HTML with no URL attribute.
fn might_have_urls(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.contains("href") || lower.contains("src") || lower.contains("poster")
}

/// A URL attribute and where its value is.
struct Found {
    url: HtmlUrl,
    value: std::ops::Range<usize>,
    syntax: AttrValueSyntax,
}

/// Every URL attribute of [`URL_ATTRIBUTES`] in `html`, in order.
fn scan(html: &str) -> Vec<Found> {
    let parser =
        NaiveParser::new_with_emitter(PosTrackingReader::new(html), TracingEmitter::default());
    let mut found = Vec::new();
    for (token, trace) in parser.flatten() {
        let (Token::StartTag(tag), Trace::StartTag(trace)) = (token, trace) else {
            continue;
        };
        for (element, attribute, image) in URL_ATTRIBUTES {
            if tag.name != *element {
                continue;
            }
            let Some((dest, Some(idx))) = tag.attributes.value_and_trace_idx(attribute) else {
                continue;
            };
            let attr = &trace.attribute_traces[idx];
            let (Some(value), Some(syntax)) = (attr.value_span(), attr.value_syntax()) else {
                continue;
            };
            if value.end > html.len()
                || !html.is_char_boundary(value.start)
                || !html.is_char_boundary(value.end)
            {
                continue;
            }
            found.push(Found {
                url: HtmlUrl {
                    dest: dest.to_string(),
                    offset: trace.span.start,
                    image: *image,
                },
                value,
                syntax,
            });
        }
    }
    found.sort_by_key(|f| f.value.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn swap(dest: &str) -> Option<String> {
        dest.strip_suffix(".md").map(|s| format!("/courses/{s}/"))
    }

    #[test]
    fn urls_are_found_and_rewritten_in_place() {
        let html = "<p class=x><a href=\"03-x.md\" title='t'>x</a> <IMG SRC='../a.png' alt=\"a &amp; b\"> <video poster=p.md controls><source src=v.md type=video/mp4></video>";
        let (urls, out) = rewrite(html, &mut swap);
        let dests: Vec<(&str, bool)> = urls.iter().map(|u| (u.dest.as_str(), u.image)).collect();
        assert_eq!(
            dests,
            [
                ("03-x.md", false),
                ("../a.png", true),
                ("p.md", true),
                ("v.md", false)
            ]
        );
        assert_eq!(urls[0].offset, html.find("<a ").unwrap());
        assert_eq!(
            out.unwrap(),
            "<p class=x><a href=\"/courses/03-x/\" title='t'>x</a> <IMG SRC='../a.png' alt=\"a &amp; b\"> <video poster=\"/courses/p/\" controls><source src=\"/courses/v/\" type=video/mp4></video>"
        );
    }

    #[test]
    fn entities_are_decoded_and_output_escaped() {
        let (urls, out) = rewrite("<a href=\"a&amp;b.md\">", &mut |d| Some(format!("{d}?\"x")));
        assert_eq!(urls[0].dest, "a&b.md");
        assert_eq!(out.unwrap(), "<a href=\"a&amp;b.md?&quot;x\">");
    }

    #[test]
    fn no_url_no_change() {
        assert_eq!(rewrite("<b>bold</b>", &mut swap), (vec![], None));
        assert_eq!(rewrite("<a name=x>", &mut swap), (vec![], None));
        let (urls, out) = rewrite("<a href=\"https://x.org\">", &mut swap);
        assert_eq!(urls.len(), 1);
        assert_eq!(out, None);
    }

    #[test]
    fn broken_html_does_not_panic() {
        for html in [
            "<a href=",
            "<a href=\"x",
            "<img src",
            "<<a href=x.md>>",
            "<a href=x.md href=y.md>",
            "<!-- <a href=x.md> -->",
            "<a\u{0}href=\u{0}>",
            "<a href=\"é.md\">ü",
        ] {
            let _ = rewrite(html, &mut swap);
        }
        let (urls, _) = rewrite("<!-- <a href=x.md> -->", &mut swap);
        assert!(urls.is_empty());
    }
}
