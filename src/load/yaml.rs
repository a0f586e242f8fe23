//! YAML with positions. serde_yaml gives typed values but forgets where
//! they came from once parsing succeeds; yaml-rust2's event parser gives
//! positions and the exact source text of every scalar. We parse with both:
//! types from one, a [`Spans`] map from the other, so later stages can point
//! at the value they reject and read money amounts without passing through
//! `f64`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::Diagnostic;
use crate::load::plain;

/// Where a value starts in its file, and its source text when it is a scalar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// The scalar exactly as written (quotes removed), `None` for maps and lists.
    pub scalar: Option<String>,
}

/// Positions of every key and value of one YAML file, by path.
///
/// A path is a list of segments (map keys and list indexes) written as one
/// string with [`join`]: `courses.0.price`. A key that holds `.`, `#` or
/// `\\` is escaped (`costs.ads\\.google`), so a cost line named `ads.google`
/// is one segment, never `ads` then `google`. The key itself is stored
/// under `courses.0.price#key`.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    map: BTreeMap<String, Span>,
}

impl Spans {
    /// The span of the value at `path`, if the file has it.
    pub fn get(&self, path: &str) -> Option<&Span> {
        self.map.get(path)
    }

    /// (line, column) of the value at `path`, falling back to its nearest
    /// ancestor so an error always points somewhere useful.
    pub fn position(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(s) = self.map.get(p) {
                return Some((s.line, s.col));
            }
            p = parent(p)?;
        }
    }

    /// (line, column) of the key `field` in the map at `path`.
    pub fn key_position(&self, path: &str, field: &str) -> Option<(usize, usize)> {
        let key = join(path, field) + "#key";
        self.map.get(&key).map(|s| (s.line, s.col))
    }

    /// Makes the value of `path.key` (a language map's chosen text) the
    /// value of `path`, and forgets the map's other entries.
    fn pick(&mut self, path: &str, key: &str) {
        let chosen = join(path, key);
        let map = std::mem::take(&mut self.map);
        for (p, span) in map {
            let Some(rest) = p.strip_prefix(path) else {
                self.map.insert(p, span);
                continue;
            };
            if rest.is_empty() {
                continue; // the map itself: replaced by its chosen value
            }
            if !rest.starts_with('.') {
                self.map.insert(p, span); // `path#key`, or a sibling like `path2`
                continue;
            }
            // Under the map: keep only the chosen language, one level up.
            match p.strip_prefix(&chosen) {
                Some("") => {
                    self.map.insert(path.to_string(), span);
                }
                Some(t) if t.starts_with('.') => {
                    self.map.insert(format!("{path}{t}"), span);
                }
                _ => {}
            }
        }
    }

    /// The source text of the scalar at `path`.
    pub fn scalar(&self, path: &str) -> Option<&str> {
        self.map.get(path)?.scalar.as_deref()
    }
}

/// Joins a parent path and a child key or index, escaping the child so it
/// stays one segment.
pub fn join(parent: &str, child: impl std::fmt::Display) -> String {
    let child = escape(&child.to_string());
    if parent.is_empty() {
        child
    } else {
        format!("{parent}.{child}")
    }
}

/// A key as one path segment: `.`, `#` and `\\` escaped with `\\`.
fn escape(key: &str) -> String {
    if !key.contains(['.', '#', '\\']) {
        return key.to_string();
    }
    let mut out = String::with_capacity(key.len() + 2);
    for c in key.chars() {
        if matches!(c, '.' | '#' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Byte offsets of the dots of `path` that separate segments.
fn separators(path: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut escaped = false;
    for (i, c) in path.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '.' => out.push(i),
            _ => {}
        }
    }
    out
}

/// The path of the map or list holding the value at `path`.
pub fn parent(path: &str) -> Option<&str> {
    separators(path).last().map(|&i| &path[..i])
}

/// The segments of `path`, unescaped: `costs.ads\\.google` → `costs`, `ads.google`.
pub fn segments(path: &str) -> Vec<String> {
    if path.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0;
    for i in separators(path).into_iter().chain([path.len()]) {
        out.push(unescape(&path[start..i]));
        start = i + 1;
    }
    out
}

fn unescape(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    let mut escaped = false;
    for c in segment.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

/// One YAML file parsed into `T`, with its spans.
pub struct Parsed<T> {
    /// The typed value.
    pub value: T,
    /// Where everything came from.
    pub spans: Spans,
}

/// Parses `text` (the contents of `file`) into `T`, reporting the first
/// problem with its line and column. An empty file is parsed as an empty map.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<Parsed<T>, Diagnostic> {
    let spans = spans(file, text)?;
    let value: serde_yaml::Value = if text.trim().is_empty() {
        serde_yaml::Value::Mapping(Default::default())
    } else {
        serde_yaml::from_str(text).map_err(|e| serde_error(file, &e))?
    };
    let value = from_value(file, &spans, "", value)?;
    Ok(Parsed { value, spans })
}

/// The languages of a site, for reading its language maps: a text field
/// written `{zh-CN: …, en: …}` reads as the text of `current`, or of the
/// default (first) language when `current` has none.
#[derive(Debug, Clone, Copy)]
pub struct Locale<'a> {
    /// Every language tag of the site, the default first.
    pub languages: &'a [crate::model::Language],
    /// The language being read.
    pub current: &'a crate::model::Language,
}

/// [`parse`], reading every language map (a map whose keys are all
/// languages of the site) as its text in `locale.current`; the spans follow,
/// so positions and exact scalars (money) still point into the file.
pub fn parse_in<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    locale: Locale,
) -> Result<Parsed<T>, Diagnostic> {
    let mut spans = spans(file, text)?;
    let mut value: serde_yaml::Value = if text.trim().is_empty() {
        serde_yaml::Value::Mapping(Default::default())
    } else {
        serde_yaml::from_str(text).map_err(|e| serde_error(file, &e))?
    };
    let mut picked = Vec::new();
    localize(&mut value, "", locale, &mut picked)
        .map_err(|(path, m)| Diagnostic::at(file, spans.position(&path), m))?;
    for (path, key) in picked.iter().rev() {
        spans.pick(path, key);
    }
    let value = from_value(file, &spans, "", value)?;
    Ok(Parsed { value, spans })
}

/// Replaces every language map under `value` (at `path`) by its text in
/// the current language, noting (path, key) of each choice, outermost first.
fn localize(
    value: &mut serde_yaml::Value,
    path: &str,
    locale: Locale,
    picked: &mut Vec<(String, String)>,
) -> Result<(), (String, String)> {
    use serde_yaml::Value;
    match value {
        Value::Mapping(m) => {
            let is_language_map = !path.is_empty()
                && !m.is_empty()
                && m.keys().all(|k| {
                    k.as_str()
                        .is_some_and(|k| locale.languages.iter().any(|l| l.tag() == k))
                });
            if is_language_map {
                let default = &locale.languages[0];
                let key = [locale.current, default]
                    .into_iter()
                    .find(|l| m.contains_key(l.tag()))
                    .ok_or_else(|| {
                        (
                            path.to_string(),
                            format!(
                                "this language map has no text for the default language `{default}`; \
                                 add `{default}: …` (the other languages fall back to it)"
                            ),
                        )
                    })?;
                let tag = key.tag().to_string();
                let mut chosen = m.remove(tag.as_str()).unwrap_or(Value::Null);
                picked.push((path.to_string(), tag.clone()));
                localize(&mut chosen, &join(path, &tag), locale, picked)?;
                *value = chosen;
                return Ok(());
            }
            for (k, v) in m.iter_mut() {
                let Some(k) = k.as_str() else { continue };
                localize(v, &join(path, k), locale, picked)?;
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                localize(v, &join(path, i), locale, picked)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Deserializes part of a document (the value found at `base`), locating any
/// error through `spans`. Used to check list items one by one so a file
/// with three bad courses reports three errors, not one.
pub fn from_value<T: DeserializeOwned>(
    file: &Path,
    spans: &Spans,
    base: &str,
    value: serde_yaml::Value,
) -> Result<T, Diagnostic> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = path_of(base, e.path());
        let path = path.as_str();
        let message = e.inner().to_string();
        // For an unknown field serde's path already ends with the field name.
        let field = unknown_field(&message);
        // An empty value has no text of its own (the parser places it where
        // the next line starts): point at its key.
        let empty = message.starts_with("invalid type: unit value");
        let last = segments(path).pop();
        let key = field
            .map(str::to_string)
            .or_else(|| empty.then_some(last).flatten());
        // The map holding the key (an unknown field's path ends with it).
        let holder = |f: &str| {
            if segments(path).last().map(String::as_str) == Some(f) {
                parent(path).unwrap_or("")
            } else {
                path
            }
        };
        let position = key
            .as_deref()
            .and_then(|f| spans.key_position(holder(f), f))
            .or_else(|| spans.position(path));
        // An unknown field's path ends with the field; name its map instead.
        let at = match field {
            Some(f) => holder(f),
            None => path,
        };
        let message = plain::rewrite(&message, at, &whole_name(file));
        Diagnostic::at(file, position, message)
    })
}

/// How messages name the whole document: the file, or a page's front matter.
fn whole_name(file: &Path) -> String {
    if file.extension().is_some_and(|e| e == "md") {
        "the front matter".into()
    } else {
        file.display().to_string()
    }
}

/// Turns serde_path_to_error's `courses[0].price` under `base` into the
/// path `courses.0.price`, each key one segment.
fn path_of(base: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter().fold(base.to_string(), |at, s| match s {
        Segment::Seq { index } => join(&at, index),
        Segment::Map { key } => join(&at, key),
        Segment::Enum { variant } => join(&at, variant),
        Segment::Unknown => at,
    })
}

/// The field name in serde's "unknown field `x`, expected ..." message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(&rest[..rest.find('`')?])
}

fn serde_error(file: &Path, e: &serde_yaml::Error) -> Diagnostic {
    let position = e.location().map(|l| (l.line(), l.column()));
    let mut message = e.to_string();
    // serde_yaml appends " at line X column Y"; we print that ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let message = plain::rewrite(&message, "", &whole_name(file));
    Diagnostic::at(file, position, message)
}

/// Builds the span map, or reports a YAML syntax error with its position.
pub fn spans(file: &Path, text: &str) -> Result<Spans, Diagnostic> {
    let mut builder = SpanBuilder::default();
    Parser::new_from_str(text)
        .load(&mut builder, false)
        .map_err(|e| {
            let m = e.marker();
            if let Some(d) = missing_space_after_colon(file, text, m.line()) {
                return d;
            }
            let line = text.lines().nth(m.line().saturating_sub(1)).unwrap_or("");
            let above = text
                .lines()
                .take(m.line().saturating_sub(1))
                .filter(|l| !l.trim().is_empty())
                .last()
                .unwrap_or("");
            Diagnostic::at(
                file,
                Some((m.line(), m.col() + 1)),
                format!(
                    "invalid YAML: {}; {}",
                    e.info(),
                    syntax_hint(e.info(), line, above)
                ),
            )
        })?;
    if let Some((line, col)) = builder.alias_overflow {
        return Err(Diagnostic::at(
            file,
            Some((line, col)),
            format!(
                "YAML aliases here expand to more than {MAX_ALIAS_SPANS} values; write the values out instead"
            ),
        ));
    }
    Ok(builder.spans)
}

/// `title:Intro` is one plain text to YAML, not a key and a value, and the
/// parser stumbles a line later. When the failing line or the one above it
/// starts with `key:value`, that line is the error: point at it and say so.
fn missing_space_after_colon(file: &Path, text: &str, line: usize) -> Option<Diagnostic> {
    let first = line.saturating_sub(2);
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .skip(first)
        .take(line - first)
        .collect();
    lines.into_iter().rev().find_map(|(i, l)| {
        let content = l.trim_start().trim_start_matches("- ");
        let (key, value) = content.split_once(':')?;
        let plain_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        let glued = value.chars().next().is_some_and(|c| !c.is_whitespace())
            && !value.starts_with("//");
        (plain_key && glued).then(|| {
            let col = l.chars().count() - l.trim_start().chars().count() + 1;
            Diagnostic::at(
                file,
                Some((i + 1, col)),
                format!(
                    "invalid YAML: put a space after the colon: `{key}: {value}`, not `{key}:{value}`"
                ),
            )
        })
    })
}

/// A plain-words guess at the cause of a YAML syntax error, from the
/// parser's message and the text of the line it points at.
fn syntax_hint(info: &str, line: &str, above: &str) -> &'static str {
    let indent = &line[..line.len() - line.trim_start().len()];
    let depth = |l: &str| l.len() - l.trim_start().len();
    // `key: value` above, then a deeper `key:`: the line is over-indented.
    let above_has_value = above
        .split_once(": ")
        .is_some_and(|(_, v)| !v.trim().is_empty() && !v.trim().starts_with(['|', '>']));
    if info.contains("tab") || indent.contains('\t') {
        "YAML indents with spaces only: replace the tabs at the start of the line with spaces"
    } else if info.contains("mapping values are not allowed")
        && depth(line) > depth(above)
        && above_has_value
    {
        "this line is indented deeper than the line above, which already has its value: start its key in the same column as the keys above"
    } else if info.contains("mapping values are not allowed") {
        "a value that holds `: ` must be quoted, e.g. `title: \"Rust: the basics\"`"
    } else if info.contains("did not find expected") || info.contains("block") {
        "check the indentation here and on the lines above: the keys of one map, and the `-` items of one list, must start in the same column"
    } else {
        "common causes are wrong indentation, an unquoted `: ` inside a value, or a tab"
    }
}

/// How many spans aliases may copy in one file. Nested aliases grow
/// exponentially (the "billion laughs"); real files copy a handful.
const MAX_ALIAS_SPANS: usize = 100_000;

/// Where the builder is inside the document: one frame per open map or list.
enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct SpanBuilder {
    stack: Vec<Frame>,
    spans: Spans,
    /// The path of each anchored node (`&name`), by the parser's anchor id.
    anchors: BTreeMap<usize, String>,
    /// Spans copied for aliases so far.
    alias_spans: usize,
    /// Where aliases first copied more than [`MAX_ALIAS_SPANS`].
    alias_overflow: Option<(usize, usize)>,
}

impl SpanBuilder {
    /// The path the next value will have, consuming the pending key or index.
    /// `None` means the next scalar is a map key, not a value.
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { path, key }) => key.take().map(|k| join(path, k)),
            Some(Frame::Seq { path, next }) => {
                *next += 1;
                Some(join(path, *next - 1))
            }
        }
    }

    fn record(&mut self, path: String, mark: Marker, scalar: Option<String>) {
        let span = Span {
            line: mark.line(),
            col: mark.col() + 1,
            scalar,
        };
        self.spans.map.entry(path).or_insert(span);
    }

    /// Remembers where anchor `id` (0: none) was set.
    fn anchor(&mut self, id: usize, path: &str) {
        if id != 0 {
            self.anchors.insert(id, path.to_string());
        }
    }

    /// An alias (`*name`) at `path`: the anchored node's spans are copied
    /// under `path`, so an aliased price reads like a written one. The node
    /// itself is located at the alias, its insides where they were written.
    fn alias(&mut self, id: usize, path: String, mark: Marker) {
        let Some(from) = self.anchors.get(&id).cloned() else {
            return;
        };
        if self.alias_overflow.is_some() {
            return;
        }
        let prefix = if from.is_empty() {
            String::new()
        } else {
            format!("{from}.")
        };
        let copies: Vec<(String, Span)> = self
            .spans
            .map
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            // The rest is already a path (escaped segments): append it as is.
            .map(|(k, v)| {
                let rest = &k[prefix.len()..];
                let to = if path.is_empty() {
                    rest.to_string()
                } else {
                    format!("{path}.{rest}")
                };
                (to, v.clone())
            })
            .collect();
        self.alias_spans += copies.len() + 1;
        if self.alias_spans > MAX_ALIAS_SPANS {
            self.alias_overflow
                .get_or_insert((mark.line(), mark.col() + 1));
            return;
        }
        let scalar = self.spans.map.get(&from).and_then(|s| s.scalar.clone());
        self.record(path, mark, scalar);
        for (k, v) in copies {
            self.spans.map.entry(k).or_insert(v);
        }
    }
}

impl MarkedEventReceiver for SpanBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, _, anchor, _) => match self.next_value_path() {
                Some(path) => {
                    self.anchor(anchor, &path);
                    self.record(path, mark, Some(text));
                }
                None => {
                    if let Some(Frame::Map { path, key }) = self.stack.last_mut() {
                        let (map_path, key_path) = (path.clone(), join(path, &text) + "#key");
                        *key = Some(text);
                        // A map is located at its first key: the parser's own
                        // mark for a map start can point past it.
                        self.record(map_path, mark, None);
                        self.record(key_path, mark, None);
                    }
                }
            },
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let path = self.next_value_path().unwrap_or_default();
                self.anchor(anchor, &path);
                if matches!(ev, Event::SequenceStart(..)) {
                    self.record(path.clone(), mark, None);
                }
                self.stack.push(match ev {
                    Event::MappingStart(..) => Frame::Map { path, key: None },
                    _ => Frame::Seq { path, next: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(id) => {
                if let Some(path) = self.next_value_path() {
                    self.alias(id, path, mark);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_with_a_dot_is_one_segment() {
        let text = "a.b: 1\na:\n  b: 2\nc#key: 3\n";
        let spans = spans(Path::new("x.yaml"), text).unwrap();
        // Two different values, two different places (a dotted string
        // path gave both the path `a.b`, and the second lost its place).
        assert_eq!(spans.get(&join("", "a.b")).map(|s| s.line), Some(1));
        assert_eq!(
            spans.get(&join(&join("", "a"), "b")).map(|s| s.line),
            Some(3)
        );
        assert_eq!(spans.scalar(&join("", "c#key")), Some("3"));
        let path = join(&join("costs", "ads.google"), 0);
        assert_eq!(segments(&path), ["costs", "ads.google", "0"]);
        assert_eq!(parent(&path), Some(join("costs", "ads.google").as_str()));
        assert_eq!(segments(&join("", "a\\.b")), ["a\\.b"]);
    }

    use super::*;

    #[test]
    fn language_maps_read_in_each_language_with_their_positions() {
        use crate::model::Language;
        let langs = [Language::parse("zh-CN").unwrap(), Language::en()];
        let text = "items:\n  - title: { zh-CN: 标题, en: Title }\n    price:\n      zh-CN: 199\n      en: 29.99\n  - title: Same\n    price: { zh-CN: 1 }\n";
        let read = |current: &Language| {
            let locale = Locale {
                languages: &langs,
                current,
            };
            parse_in::<serde_yaml::Value>(Path::new("m.yaml"), text, locale).unwrap()
        };
        let en = read(&langs[1]);
        assert_eq!(en.value["items"][0]["title"], "Title");
        assert_eq!(en.spans.scalar("items.0.price"), Some("29.99"));
        assert_eq!(en.spans.position("items.0.price"), Some((5, 11)));
        assert_eq!(en.spans.position("items.0.title"), Some((2, 29)));
        assert!(en.spans.get("items.0.price.zh-CN").is_none());
        // No English entry: the default language's.
        assert_eq!(en.spans.scalar("items.1.price"), Some("1"));
        assert_eq!(en.value["items"][1]["title"], "Same");
        let zh = read(&langs[0]);
        assert_eq!(zh.value["items"][0]["title"], "标题");
        assert_eq!(zh.spans.scalar("items.0.price"), Some("199"));
        assert_eq!(zh.spans.position("items.0.price"), Some((4, 14)));
        // A map without the default language is an error at its line
        // (when the default language is read).
        let bad = "title: { en: Only }\n";
        let locale = Locale {
            languages: &langs,
            current: &langs[0],
        };
        let e = parse_in::<serde_yaml::Value>(Path::new("k.yaml"), bad, locale)
            .err()
            .unwrap();
        assert_eq!(e.position.map(|p| p.0), Some(1));
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        price: serde_yaml::Value,
    }

    #[test]
    fn spans_keep_positions_and_exact_scalars() {
        let text = "title: x\ncourses:\n  - id: a\n    price: 19.90\n  - id: b\n    price: '5'\n";
        let s = spans(Path::new("m.yaml"), text).unwrap();
        assert_eq!(s.scalar("courses.0.price"), Some("19.90"));
        assert_eq!(s.position("courses.0.price"), Some((4, 12)));
        assert_eq!(s.position("courses.1.id"), Some((5, 9)));
        assert_eq!(s.key_position("courses.1", "price"), Some((6, 5)));
        assert_eq!(s.position("courses.1.nothing"), Some((5, 5)));
    }

    #[test]
    fn unknown_field_points_at_the_key() {
        let text = "id: a\nprice: 1\npirce: 2\n";
        let err = parse::<Item>(Path::new("m.yaml"), text).err().unwrap();
        assert_eq!(err.position, Some((3, 1)));
        assert!(
            err.message.contains("unknown field `pirce`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn aliases_read_like_the_anchored_values() {
        let text = "a:\n  price: &p 19.90\n  pay: &pay { url: 'https://x', fee: 0.30 }\nb:\n  price: *p\n  pay: *pay\n";
        let s = spans(Path::new("m.yaml"), text).unwrap();
        assert_eq!(s.scalar("b.price"), Some("19.90"));
        assert_eq!(s.position("b.price"), Some((5, 10)), "located at the alias");
        assert_eq!(s.scalar("b.pay.fee"), Some("0.30"));
        assert_eq!(s.scalar("b.pay.url"), Some("https://x"));
        assert!(s.key_position("b.pay", "fee").is_some());
    }

    #[test]
    fn exponential_aliases_are_an_error() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            let list = vec![prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{list}]\n"));
        }
        let err = spans(Path::new("m.yaml"), &text).err().unwrap();
        assert!(err.message.contains("aliases"), "{}", err.message);
        assert!(err.position.is_some());
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = parse::<Item>(Path::new("m.yaml"), "id: [a\nprice: 1\n")
            .err()
            .unwrap();
        assert!(err.position.is_some());
        assert!(err.message.starts_with("invalid YAML"));
    }

    #[test]
    fn syntax_errors_carry_a_hint_for_the_common_causes() {
        let cases = [
            ("a:\n  title: Rust: the basics\n", "must be quoted"),
            ("a:\n  b: 1\n\tc: 2\n", "spaces"),
            ("items:\n  - a: 1\n  b: 2\n", "indentation"),
        ];
        for (text, hint) in cases {
            let err = spans(Path::new("m.yaml"), text).err().unwrap();
            assert!(err.message.contains(hint), "{text:?}: {}", err.message);
        }
    }
}
