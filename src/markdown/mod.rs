//! Markdown to HTML for lessons and pages (spec §2.3).
//!
//! CommonMark plus GFM tables, task lists, strikethrough and footnotes;
//! heading anchors; fenced code highlighted at build time; `$…$`/`$$…$$`
//! math as MathML; `mermaid` blocks drawn as inline SVG; `quiz` blocks
//! as forms; raw HTML links resolved like Markdown ones. [`render`] also
//! collects what later stages need (headings, links) in the same pass, so
//! nothing re-parses the source; [`reading_minutes`] walks it once more
//! without writing HTML, when the lesson is loaded.
//!
//! Everything here is pure and `Sync`: the build calls [`render`] for
//! thousands of lessons in parallel, and the expensive setup (syntax
//! definitions) happens once per process.

mod anchors;
mod fence;
mod grammars;
mod highlight;
mod math;
pub mod mermaid;
mod quiz;
mod rawhtml;
mod reading_time;
mod walker;

#[cfg(test)]
mod tests;

use std::panic::{AssertUnwindSafe, catch_unwind};

use pulldown_cmark::{Options, Parser};

pub use anchors::slugify;
pub use highlight::highlight_css;

/// Resolves a link destination found in Markdown (e.g.
/// `"02-borrowing.md#moves"`, `"../other-course/01-intro.md"`,
/// `"https://..."`) to the URL to write, or None to leave it as is.
pub type LinkResolver<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// Looks up a UI string of the theme by key (`markup_show_answer`, …);
/// the Markdown writes a few words of its own (quiz, footnotes).
pub type Strings<'a> = &'a (dyn Fn(&str) -> String + Sync);

/// A problem found while rendering, at a byte offset of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the source, for file:line:col.
    pub offset: usize,
    /// True fails the build (a malformed quiz); false is a warning (a
    /// diagram that cannot be drawn).
    pub error: bool,
    /// What is wrong and what to do, in plain words.
    pub message: String,
}

/// A heading of the document, for tables of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, up to 6 for `######`.
    pub level: u8,
    /// The `id` written on the heading element, unique within the document.
    pub id: String,
    /// The heading's plain text, without markup.
    pub text: String,
}

/// A link or image destination as written in the source, for a link checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination before resolution (reference links give the
    /// definition's destination).
    pub dest: String,
    /// Byte offset in the source where the link or image starts, so errors
    /// can be reported as file:line:col.
    pub offset: usize,
    /// True for `![alt](dest)` images, false for links.
    pub image: bool,
}

/// The result of rendering one Markdown document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// Every heading, in document order.
    pub headings: Vec<Heading>,
    /// Every link and image destination, in document order, before resolution.
    pub links: Vec<LinkRef>,
    /// Whether the body has math (the page may want math styles).
    pub has_math: bool,
    /// Whether the body has a `mermaid` block (drawn at build time).
    pub has_mermaid: bool,
    /// Whether the body has a code block (the page's script adds copy
    /// buttons).
    pub has_code: bool,
    /// Whether the body has a quiz (the page's script checks answers).
    pub has_quiz: bool,
    /// Warnings and errors, in document order.
    pub problems: Vec<Problem>,
}

/// Renders Markdown `source` to HTML, passing every link and image
/// destination through `resolve`. Never panics, whatever the input.
pub fn render(source: &str, resolve: LinkResolver) -> Rendered {
    render_with(source, resolve, &|key| key.to_string())
}

/// [`render`] with the theme's UI strings for the words the Markdown
/// writes itself.
pub fn render_with(source: &str, resolve: LinkResolver, strings: Strings) -> Rendered {
    let parser = Parser::new_ext(source, options()).into_offset_iter();
    let mut walker = walker::Walker::new(source, resolve, strings, true);
    for (event, range) in parser {
        walker.event(event, range.start);
    }
    walker.finish()
}

/// What [`render`] collects, without the HTML: the same headings (and ids)
/// and links, but no highlighting, math or HTML writing.
/// The link checker reads paid lessons this way when the build at hand does
/// not render their bodies.
pub fn outline(source: &str) -> Rendered {
    let parser = Parser::new_ext(source, options()).into_offset_iter();
    let mut walker = walker::Walker::new(source, &|_| None, &|_| String::new(), false);
    for (event, range) in parser {
        walker.event(event, range.start);
    }
    walker.finish()
}

/// Reading-time estimate of the Markdown document `source` in minutes, at
/// least 1: prose by word (CJK by character), code blocks at half weight,
/// markup, mermaid sources and image alt text not counted. The one estimate
/// of the crate; a lesson's `minutes:` front matter overrides it.
pub fn reading_minutes(source: &str) -> u32 {
    prose(source, |_, minutes| minutes)
}

/// Walks `source` without writing HTML and passes its plain text and
/// reading time to `f`.
fn prose<T>(source: &str, f: impl FnOnce(&str, u32) -> T) -> T {
    let parser = Parser::new_ext(source, options()).into_offset_iter();
    let mut walker = walker::Walker::new(source, &|_| None, &|_| String::new(), false);
    for (event, range) in parser {
        walker.event(event, range.start);
    }
    let (text, minutes) = walker.prose();
    f(text, minutes)
}

/// The Markdown extensions the spec asks for. Smart punctuation is left off
/// because it would turn quotes in Chinese text and code spans into curly ones.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
}

/// Escapes text for HTML content and attribute values; the one escaper of
/// the crate (templates and the report page use it too). Leaves `/` alone
/// so URLs read as URLs.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Runs third-party rendering code (highlighter, LaTeX) so that a bug in it
/// degrades one block to plain text instead of aborting the whole build.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}
