//! The single pass over pulldown-cmark's events behind [`render`](super::render).
//!
//! Events that need kpsite's own HTML (headings, code, math, footnotes) are
//! replaced by raw HTML events; links get resolved; everything else goes to
//! pulldown-cmark's HTML writer unchanged. The walk is a flat loop with no
//! recursion, so deeply nested input cannot overflow the stack.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::anchors::{IdSet, slugify};
use super::fence::{FenceInfo, mark_lines};
use super::highlight::{code_block, highlighted_body};
use super::math::render_math;
use super::mermaid;
use super::quiz::Quiz;
use super::rawhtml;
use super::reading_time::{CODE_WEIGHT, Tally, whole_minutes};
use super::{Heading, LinkRef, LinkResolver, Problem, Rendered, Strings, escape_html};

/// State of the walk over one document.
pub(super) struct Walker<'a, 'r> {
    /// The Markdown being walked, to turn offsets inside code blocks into
    /// positions of the source.
    source: &'a str,
    resolve: LinkResolver<'r>,
    strings: Strings<'r>,
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
    /// A raw HTML block being collected, so a tag written over several
    /// lines is read whole.
    html_block: Option<HtmlBlock>,
    /// Numbers of the diagrams and quizzes so far, for their ids.
    diagrams: usize,
    quizzes: usize,
}

/// The lines of a raw HTML block and where each starts in the source.
#[derive(Default)]
struct HtmlBlock {
    text: String,
    /// (position in `text`, offset in the source) of each line.
    starts: Vec<(usize, usize)>,
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
    info: FenceInfo,
    source: String,
    /// Offset of the opening fence in the Markdown source.
    offset: usize,
}

/// Footnote numbering, in order of first mention like GitHub.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    defined: HashSet<usize>,
    /// References written so far, by footnote number (for back-links).
    references: HashMap<usize, usize>,
    /// The definition being collected: its number and where its events
    /// start in `out`.
    open: Option<(usize, usize)>,
    /// Finished definitions, moved to the end of the document.
    definitions: Vec<(usize, Vec<Event<'static>>)>,
}

impl Footnotes {
    /// The number for `label`; labels are case-insensitive as in GFM.
    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_lowercase()).or_insert(next)
    }
}

impl<'a, 'r> Walker<'a, 'r> {
    /// Starts a walk over `source` that resolves links with `resolve` and
    /// takes UI strings from `strings`.
    pub(super) fn new(
        source: &'a str,
        resolve: LinkResolver<'r>,
        strings: Strings<'r>,
        html: bool,
    ) -> Self {
        Walker {
            source,
            resolve,
            strings,
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
            html_block: None,
            diagrams: 0,
            quizzes: 0,
        }
    }

    /// Handles one event; `offset` is its byte offset in the source.
    pub(super) fn event(&mut self, event: Event<'a>, offset: usize) {
        if self.code.is_some() {
            return self.code_event(event);
        }
        if let Some(block) = &mut self.html_block {
            match event {
                Event::Html(text) => {
                    block.starts.push((block.text.len(), offset));
                    block.text.push_str(&text);
                    return;
                }
                // Not sent by pulldown-cmark inside an HTML block today;
                // if it ever is, it is text, so it stays escaped.
                Event::Text(text) => {
                    block.starts.push((block.text.len(), offset));
                    block.text.push_str(&escape_html(&text));
                    return;
                }
                Event::End(TagEnd::HtmlBlock) => return self.end_html_block(),
                _ => {}
            }
        }
        match event {
            Event::InlineHtml(html) => self.inline_html(html, offset),
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
        self.close_task_label();
        self.footnote_section();
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
            Tag::CodeBlock(kind) => self.code = Some(OpenCode::new(&kind, offset)),
            Tag::HtmlBlock => {
                self.html_block = Some(HtmlBlock::default());
                self.out.push(Event::Start(Tag::HtmlBlock));
            }
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
                self.end_footnote_definition();
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

    /// Writes a finished code block: a mermaid diagram as inline SVG, a
    /// quiz as a form, anything else highlighted. A diagram or quiz that
    /// cannot be used is shown as code, with a warning or error.
    fn end_code_block(&mut self) {
        let Some(OpenCode {
            info,
            source,
            offset,
        }) = self.code.take()
        else {
            return;
        };
        if let Some(bad) = &info.bad {
            self.problem(
                offset,
                false,
                format!("cannot read `{bad}` in this code fence; mark lines like {{2,4-6}}"),
            );
        }
        let lang = info.lang.to_ascii_lowercase();
        if lang == "mermaid" {
            self.done.has_mermaid = true;
            if let Some(html) = self.diagram(&source, offset) {
                self.out.push(Event::Html(html.into()));
                return self.push_break();
            }
        } else if lang == "quiz" {
            if let Some(html) = self.quiz(&source, offset) {
                self.out.push(Event::Html(html.into()));
                return self.push_break();
            }
        }
        self.code_minutes += Tally::of(&source).minutes();
        self.push_text(&source);
        if !self.html {
            return self.push_break();
        }
        self.done.has_code = true;
        let html = decorated_code_block(&info, &source);
        self.out.push(Event::Html(html.into()));
        self.push_break();
    }

    /// A mermaid diagram as inline SVG, or None (and a warning) when it
    /// cannot be rendered. Only rendered when writing HTML.
    fn diagram(&mut self, source: &str, offset: usize) -> Option<String> {
        if !self.html {
            return Some(String::new());
        }
        self.diagrams += 1;
        let id = self.ids.claim(&format!("kp-mermaid-{}", self.diagrams));
        match mermaid::render(source, &id) {
            Ok(svg) => Some(format!(
                "<figure class=\"diagram\" id=\"{id}\">{svg}</figure>\n"
            )),
            Err(why) => {
                self.problem(
                    offset,
                    false,
                    format!("this mermaid diagram cannot be drawn ({why}); it is shown as code"),
                );
                None
            }
        }
    }

    /// A quiz as a form, or None (and an error at the faulty line) when its
    /// YAML is not a quiz.
    fn quiz(&mut self, source: &str, offset: usize) -> Option<String> {
        match Quiz::parse(source) {
            Ok(quiz) => {
                self.quizzes += 1;
                self.done.has_quiz = true;
                let text = quiz.text();
                self.push_text(&text);
                self.push_break();
                let id = self.ids.claim(&format!("kp-quiz-{}", self.quizzes));
                Some(quiz.html(&id, &(self.strings)("markup_show_answer")))
            }
            Err(e) => {
                // Content line k of a fenced block is line k + 1 after the fence.
                let at = line_offset(self.source, offset, e.line.map_or(0, |l| l + 1));
                self.problem(at, true, e.message);
                None
            }
        }
    }

    /// Records a warning (`error` false) or error at `offset`.
    fn problem(&mut self, offset: usize, error: bool, message: String) {
        self.done.problems.push(Problem {
            offset,
            error,
            message,
        });
    }

    /// A raw inline HTML tag: its URL attributes resolved and recorded.
    fn inline_html(&mut self, html: CowStr<'a>, offset: usize) {
        if self.image_depth > 0 {
            return self.out.push(Event::InlineHtml(html));
        }
        let html = self.raw_html(html, &[(0, offset)]);
        self.out.push(Event::InlineHtml(html));
    }

    /// The end of a raw HTML block: its URLs resolved and recorded.
    fn end_html_block(&mut self) {
        let Some(block) = self.html_block.take() else {
            return;
        };
        let html = self.raw_html(block.text.into(), &block.starts);
        self.out.push(Event::Html(html));
        self.out.push(Event::End(TagEnd::HtmlBlock));
        self.push_break();
    }

    /// `html` with its links resolved; each link is recorded at its source
    /// offset, found through `starts` ((position in `html`, source offset)
    /// of each piece).
    fn raw_html(&mut self, html: CowStr<'a>, starts: &[(usize, usize)]) -> CowStr<'a> {
        let resolve = self.resolve;
        let (urls, rewritten) = rawhtml::rewrite(&html, &mut |dest| resolve(dest));
        for url in urls {
            let (at, source) = starts
                .iter()
                .rev()
                .find(|(at, _)| *at <= url.offset)
                .copied()
                .unwrap_or((0, 0));
            self.done.links.push(LinkRef {
                dest: url.dest,
                offset: source + (url.offset - at),
                image: url.image,
            });
        }
        rewritten.map_or(html, CowStr::from)
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
    /// the id, which is invalid HTML when the label has spaces. Each
    /// reference gets an id of its own for the definition's back-link.
    fn footnote_reference(&mut self, label: CowStr<'a>) {
        if self.image_depth > 0 {
            return self.out.push(Event::FootnoteReference(label));
        }
        let n = self.footnotes.number(&label);
        let count = self.footnotes.references.entry(n).or_insert(0);
        *count += 1;
        let id = reference_id(n, *count);
        let html = format!(
            "<sup class=\"footnote-reference\"><a href=\"#fn-{n}\" id=\"{id}\">{n}</a></sup>"
        );
        self.out.push(Event::InlineHtml(html.into()));
    }

    fn footnote_definition(&mut self, label: &str) {
        let n = self.footnotes.number(label);
        self.footnotes.open = Some((n, self.out.len()));
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

    /// Moves the finished definition's events aside: definitions are
    /// written together at the end, after a separator, as on GitHub.
    fn end_footnote_definition(&mut self) {
        let Some((n, start)) = self.footnotes.open.take() else {
            return;
        };
        let start = start.min(self.out.len());
        let events = self.out.drain(start..).map(Event::into_static).collect();
        self.footnotes.definitions.push((n, events));
    }

    /// Writes the collected footnote definitions, in number order, in a
    /// section after a rule, each with links back to its references.
    fn footnote_section(&mut self) {
        let mut definitions = std::mem::take(&mut self.footnotes.definitions);
        if definitions.is_empty() {
            return;
        }
        definitions.sort_by_key(|(n, _)| *n);
        let label = escape_html(&(self.strings)("markup_footnotes"));
        let open = format!("<section class=\"footnotes\" aria-label=\"{label}\">\n<hr>\n");
        self.out.push(Event::Html(open.into()));
        for (n, mut events) in definitions {
            let refs = self.footnotes.references.get(&n).copied().unwrap_or(0);
            if refs > 0 && events.len() >= 2 {
                let back = self.back_links(n, refs);
                // Inside the last paragraph when there is one, so the arrow
                // follows the text instead of standing on a line alone.
                let close = events.len() - 1;
                let at = match events.get(close - 1) {
                    Some(Event::End(TagEnd::Paragraph)) => close - 1,
                    _ => close,
                };
                events.insert(at, Event::InlineHtml(back.into()));
            }
            self.out.extend(events);
        }
        self.out.push(Event::Html(CowStr::Borrowed("</section>\n")));
    }

    /// The back-links of footnote `n`, one per reference.
    fn back_links(&self, n: usize, refs: usize) -> String {
        let label = (self.strings)("markup_footnote_back").replace("{n}", &n.to_string());
        let label = escape_html(&label);
        let mut html = String::new();
        for k in 1..=refs.min(MAX_BACK_LINKS) {
            let id = reference_id(n, k);
            let mark = if k == 1 {
                String::new()
            } else {
                format!("<sup>{k}</sup>")
            };
            html.push_str(&format!(
                " <a class=\"footnote-backref\" href=\"#{id}\" aria-label=\"{label}\">↩{mark}</a>"
            ));
        }
        html
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
    fn new(kind: &CodeBlockKind, offset: usize) -> Self {
        let info = match kind {
            CodeBlockKind::Fenced(info) => FenceInfo::parse(info),
            CodeBlockKind::Indented => FenceInfo::default(),
        };
        OpenCode {
            info,
            source: String::new(),
            offset,
        }
    }
}

/// Back-links written per footnote at most; a footnote cited a thousand
/// times keeps one link per citation up to this.
const MAX_BACK_LINKS: usize = 20;

/// The id of the `k`th reference to footnote `n`.
fn reference_id(n: usize, k: usize) -> String {
    if k == 1 {
        format!("fnref-{n}")
    } else {
        format!("fnref-{n}-{k}")
    }
}

/// The offset of the start of the line `lines` lines after the one
/// holding `offset` in `source` (clamped to the end).
fn line_offset(source: &str, offset: usize, lines: usize) -> usize {
    let mut at = offset.min(source.len());
    for _ in 0..lines {
        match source[at..].find('\n') {
            Some(i) => at += i + 1,
            None => break,
        }
    }
    at
}

/// A code block with its head (file name, language) when it has one, and
/// its marked lines. The copy button is added by the theme's script, so
/// it is absent without JavaScript.
fn decorated_code_block(info: &FenceInfo, source: &str) -> String {
    let lang = &info.lang;
    let pre = if info.marked.is_empty() {
        code_block(lang, source)
    } else {
        let body = mark_lines(&highlighted_body(lang, source), info);
        code_block_with_body(lang, &body)
    };
    if info.title.is_none() && lang.is_empty() {
        return format!("<div class=\"code-block\">{pre}</div>\n");
    }
    let mut head = String::from("<div class=\"code-head\">");
    if let Some(title) = &info.title {
        head.push_str(&format!(
            "<span class=\"code-title\">{}</span>",
            escape_html(title)
        ));
    }
    if !lang.is_empty() {
        head.push_str(&format!(
            "<span class=\"code-lang\">{}</span>",
            escape_html(lang)
        ));
    }
    head.push_str("</div>");
    format!("<div class=\"code-block\">{head}{pre}</div>\n")
}

/// `<pre>` around an already highlighted `body`, as [`code_block`] writes it.
fn code_block_with_body(lang: &str, body: &str) -> String {
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{body}</code></pre>\n")
    } else {
        let lang = escape_html(lang);
        format!("<pre class=\"code\" data-lang=\"{lang}\"><code>{body}</code></pre>\n")
    }
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
