//! The single pass over pulldown-cmark's events behind [`render`](super::render).
//!
//! Events that need kpsite's own HTML (headings, code, math, footnotes) are
//! replaced by raw HTML events; links get resolved; everything else goes to
//! pulldown-cmark's HTML writer unchanged. The walk is a flat loop with no
//! recursion, so deeply nested input cannot overflow the stack.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::anchors::{IdSet, slugify};
use super::highlight::code_block;
use super::math::render_math;
use super::reading_time::{CODE_WEIGHT, Tally, whole_minutes};
use super::{Heading, LinkRef, LinkResolver, Rendered, escape_html};

/// State of the walk over one document.
pub(super) struct Walker<'a, 'r> {
    resolve: LinkResolver<'r>,
    /// Events for the HTML writer.
    out: Vec<Event<'a>>,
    /// Collected results; `html` is filled at the end.
    done: Rendered,
    /// Plain text of the body, no tags, for the reading time.
    text: String,
    ids: IdSet,
    heading: Option<OpenHeading>,
    code: Option<OpenCode>,
    /// Inside `![…]` the writer only keeps text for `alt`, so raw HTML must
    /// not be produced there and the alt text stays out of `text`.
    image_depth: usize,
    footnotes: Footnotes,
    /// Reading time of code blocks, to be discounted by [`CODE_WEIGHT`].
    code_minutes: f64,
    /// False for [`outline`](super::outline): skip the costly HTML parts
    /// (highlighting, math, writing) whose output nobody reads.
    html: bool,
    /// A task-list checkbox's `<label>` is open: it wraps the item's first
    /// line, so the checkbox has an accessible name.
    task_label: bool,
}

/// A heading whose end has not been seen yet: its opening tag waits at
/// `slot` in `out` until the full text (and so the id) is known.
struct OpenHeading {
    slot: usize,
    level: u8,
    text: String,
}

/// A fenced or indented code block being collected.
struct OpenCode {
    lang: String,
    source: String,
}

/// Footnote numbering, in order of first mention like GitHub.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    defined: HashSet<usize>,
}

impl Footnotes {
    /// The number for `label`; labels are case-insensitive as in GFM.
    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_lowercase()).or_insert(next)
    }
}

impl<'a, 'r> Walker<'a, 'r> {
    /// Starts a walk that resolves links with `resolve`.
    pub(super) fn new(resolve: LinkResolver<'r>, html: bool) -> Self {
        Walker {
            resolve,
            out: Vec::new(),
            done: Rendered::default(),
            text: String::new(),
            ids: IdSet::default(),
            heading: None,
            code: None,
            image_depth: 0,
            footnotes: Footnotes::default(),
            code_minutes: 0.0,
            html,
            task_label: false,
        }
    }

    /// Handles one event; `offset` is its byte offset in the source.
    pub(super) fn event(&mut self, event: Event<'a>, offset: usize) {
        if self.code.is_some() {
            return self.code_event(event);
        }
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                self.push_text(&text);
                self.out.push(Event::Text(text));
            }
            Event::Code(text) => {
                self.push_text(&text);
                self.out.push(Event::Code(text));
            }
            Event::InlineMath(latex) => self.math(latex, false),
            Event::DisplayMath(latex) => self.math(latex, true),
            Event::FootnoteReference(label) => self.footnote_reference(label),
            Event::SoftBreak | Event::HardBreak => {
                self.push_text(" ");
                self.out.push(event);
            }
            Event::TaskListMarker(checked) => {
                let checked = if checked { " checked" } else { "" };
                let html =
                    format!("<label class=\"task\"><input type=\"checkbox\" disabled{checked}> ");
                self.out.push(Event::InlineHtml(html.into()));
                self.task_label = true;
            }
            other => self.out.push(other),
        }
    }

    /// Writes the HTML and returns everything collected.
    pub(super) fn finish(mut self) -> Rendered {
        let mut html = String::new();
        if self.html {
            html.reserve(self.out.len() * 16);
            pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        }
        self.done.html = html;
        self.done
    }

    /// The plain text walked so far and its reading time in minutes (at
    /// least 1), code blocks at [`CODE_WEIGHT`].
    pub(super) fn prose(&self) -> (&str, u32) {
        let text = self.text.trim();
        let minutes = Tally::of(text).minutes() - (1.0 - CODE_WEIGHT) * self.code_minutes;
        (text, whole_minutes(minutes))
    }

    /// Closes an open task-list `<label>`.
    fn close_task_label(&mut self) {
        if std::mem::take(&mut self.task_label) {
            self.out
                .push(Event::InlineHtml(CowStr::Borrowed("</label>")));
        }
    }

    fn start(&mut self, tag: Tag<'a>, offset: usize) {
        if is_block(tag.to_end()) {
            self.close_task_label();
        }
        // Tight list items have no paragraph, so a block can start right
        // after text; keep them on separate lines of the plain text.
        if is_block(tag.to_end()) {
            self.push_break();
        }
        match tag {
            Tag::Heading { level, .. } => {
                let slot = self.out.len();
                // Placeholder for the opening tag; see `end_heading`.
                self.out.push(Event::Html(CowStr::Borrowed("")));
                let level = level as u8;
                self.heading = Some(OpenHeading {
                    slot,
                    level,
                    text: String::new(),
                });
            }
            Tag::CodeBlock(kind) => self.code = Some(OpenCode::new(&kind)),
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let (link_type, dest_url) = self.link(link_type, dest_url, offset, false);
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let (link_type, dest_url) = self.link(link_type, dest_url, offset, true);
                self.image_depth += 1;
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::FootnoteDefinition(label) => self.footnote_definition(&label),
            other => self.out.push(Event::Start(other)),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if is_block(tag) {
            self.close_task_label();
        }
        match tag {
            TagEnd::Heading(_) => return self.end_heading(),
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            TagEnd::FootnoteDefinition => {
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
                return self.push_break();
            }
            TagEnd::TableCell => self.push_text(" "),
            _ if is_block(tag) => self.push_break(),
            _ => {}
        }
        self.out.push(Event::End(tag));
    }

    /// Inside a code block pulldown-cmark only sends text, then the end.
    fn code_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.source.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => self.end_code_block(),
            _ => {}
        }
    }

    /// Writes a finished code block: mermaid kept as source for the browser,
    /// anything else highlighted.
    fn end_code_block(&mut self) {
        let Some(OpenCode { lang, source }) = self.code.take() else {
            return;
        };
        let html = if lang.eq_ignore_ascii_case("mermaid") {
            self.done.has_mermaid = true;
            format!("<pre class=\"mermaid\">{}</pre>\n", escape_html(&source))
        } else {
            self.code_minutes += Tally::of(&source).minutes();
            self.push_text(&source);
            if !self.html {
                return self.push_break();
            }
            code_block(&lang, &source)
        };
        self.out.push(Event::Html(html.into()));
        self.push_break();
    }

    /// Writes a finished heading with a unique id and a self-link, now that
    /// its whole text is known.
    fn end_heading(&mut self) {
        let Some(OpenHeading { slot, level, text }) = self.heading.take() else {
            return;
        };
        let text = text.trim().to_string();
        // Slugs hold only letters, digits, '-' and '_', so need no escaping.
        let id = self.ids.claim(&slugify(&text));
        self.out[slot] = Event::Html(format!("<h{level} id=\"{id}\">").into());
        let close = format!(
            "<a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n"
        );
        self.out.push(Event::Html(close.into()));
        self.done.headings.push(Heading { level, id, text });
        self.push_break();
    }

    /// Records a link or image destination and returns the one to write.
    fn link(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        offset: usize,
        image: bool,
    ) -> (LinkType, CowStr<'a>) {
        // The writer adds "mailto:" only for `Email`; making it explicit lets
        // the resolver and the link checker see what the reader will get.
        let (link_type, dest) = match link_type {
            LinkType::Email => (LinkType::Autolink, format!("mailto:{dest}").into()),
            other => (other, dest),
        };
        let dest_str = dest.to_string();
        let resolved = (self.resolve)(&dest_str);
        self.done.links.push(LinkRef {
            dest: dest_str,
            offset,
            image,
        });
        (link_type, resolved.map_or(dest, CowStr::from))
    }

    fn math(&mut self, latex: CowStr<'a>, display: bool) {
        self.done.has_math = true;
        self.push_text(&latex);
        if self.image_depth > 0 {
            // Alt text keeps the LaTeX source, which is the best it can do.
            let event = if display {
                Event::DisplayMath(latex)
            } else {
                Event::InlineMath(latex)
            };
            return self.out.push(event);
        }
        if !self.html {
            return;
        }
        self.out
            .push(Event::InlineHtml(render_math(&latex, display).into()));
    }

    /// Our own footnote markup: pulldown-cmark would use the raw label as
    /// the id, which is invalid HTML when the label has spaces.
    fn footnote_reference(&mut self, label: CowStr<'a>) {
        if self.image_depth > 0 {
            return self.out.push(Event::FootnoteReference(label));
        }
        let n = self.footnotes.number(&label);
        let html = format!("<sup class=\"footnote-reference\"><a href=\"#fn-{n}\">{n}</a></sup>");
        self.out.push(Event::InlineHtml(html.into()));
    }

    fn footnote_definition(&mut self, label: &str) {
        let n = self.footnotes.number(label);
        // A repeated definition must not repeat the id.
        let id = if self.footnotes.defined.insert(n) {
            format!(" id=\"fn-{n}\"")
        } else {
            String::new()
        };
        let html = format!(
            "<div class=\"footnote-definition\"{id}><sup class=\"footnote-definition-label\">{n}</sup>"
        );
        self.out.push(Event::Html(html.into()));
    }

    /// Adds to the plain text (and the open heading's text), except inside
    /// image alt text.
    fn push_text(&mut self, text: &str) {
        if self.image_depth > 0 {
            return;
        }
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        }
        self.text.push_str(text);
    }

    /// Ends a block in the plain text with one line break.
    fn push_break(&mut self) {
        let text = &mut self.text;
        let kept = text.trim_end_matches([' ', '\t']).len();
        text.truncate(kept);
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
    }
}

impl OpenCode {
    fn new(kind: &CodeBlockKind) -> Self {
        let lang = match kind {
            CodeBlockKind::Fenced(info) => fence_lang(info).to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        OpenCode {
            lang,
            source: String::new(),
        }
    }
}

/// The language of a fence's info string: its first word, so that
/// "rust,ignore", "rust title=x" and "{.rust}" all give "rust".
fn fence_lang(info: &str) -> &str {
    let info = info.trim_start_matches(['{', '.', ' ']);
    info.split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}'))
        .next()
        .unwrap_or("")
}

/// Whether the end of `tag` ends a block, i.e. a line in the plain text.
fn is_block(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}

#[cfg(test)]
mod tests {
    use super::fence_lang;

    #[test]
    fn fence_lang_takes_first_word() {
        assert_eq!(fence_lang("rust"), "rust");
        assert_eq!(fence_lang("rust,ignore"), "rust");
        assert_eq!(fence_lang("python title=\"x.py\""), "python");
        assert_eq!(fence_lang("{.rust}"), "rust");
        assert_eq!(fence_lang(""), "");
    }
}
