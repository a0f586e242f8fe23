//! What a code fence's info string says beyond its language:
//! ```` ```rust title="src/main.rs" {2,4-6} ```` gives a file name shown
//! above the block and lines to highlight.

use std::ops::RangeInclusive;

/// The parsed info string of a fenced code block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct FenceInfo {
    /// The language: the first word, so "rust,ignore" and "{.rust}" give "rust".
    pub lang: String,
    /// `title="…"`: a file name or caption shown above the block.
    pub title: Option<String>,
    /// `{2,4-6}`: 1-based line numbers to highlight.
    pub marked: Vec<RangeInclusive<usize>>,
    /// A part of the info string that could not be read, for a warning.
    pub bad: Option<String>,
}

/// Most lines one `{…}` range may mark; a typo like `{1-99999999}` must
/// not build a huge set.
const MAX_MARKED_SPAN: usize = 100_000;

impl FenceInfo {
    /// Reads an info string such as `rust title="a b.rs" {1,3-4}`.
    pub(super) fn parse(info: &str) -> FenceInfo {
        let mut out = FenceInfo {
            lang: fence_lang(info).to_string(),
            ..FenceInfo::default()
        };
        let rest = info.trim_start_matches(['{', '.', ' ']);
        let mut rest = &rest[out.lang.len()..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
            if rest.is_empty() {
                break;
            }
            if let Some(after) = rest.strip_prefix('{') {
                let Some(end) = after.find('}') else {
                    out.bad = Some(rest.to_string());
                    break;
                };
                if !out.add_ranges(&after[..end]) {
                    out.bad = Some(format!("{{{}}}", &after[..end]));
                }
                rest = &after[end + 1..];
            } else if let Some(after) = strip_key(rest, "title") {
                let (value, tail) = attribute_value(after);
                out.title = Some(value.to_string()).filter(|t| !t.is_empty());
                rest = tail;
            } else {
                // Other words (`ignore`, `no_run`, `linenos`) belong to other
                // tools; skip them quietly.
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == ',' || c == '{')
                    .unwrap_or(rest.len());
                rest = &rest[end.max(1).min(rest.len())..];
            }
        }
        out
    }

    /// Adds `2,4-6`; false if any part is not a line number or range.
    fn add_ranges(&mut self, spec: &str) -> bool {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (Ok(a), Ok(b)) = (a.trim().parse::<usize>(), b.trim().parse::<usize>()) else {
                return false;
            };
            if a == 0 || b < a || b - a > MAX_MARKED_SPAN {
                return false;
            }
            self.marked.push(a..=b);
        }
        true
    }

    /// Whether 1-based line `n` is to be highlighted.
    pub(super) fn is_marked(&self, n: usize) -> bool {
        self.marked.iter().any(|r| r.contains(&n))
    }
}

/// `rest` after `key=`, if it starts with it.
fn strip_key<'s>(rest: &'s str, key: &str) -> Option<&'s str> {
    let after = rest.strip_prefix(key)?.trim_start();
    after.strip_prefix('=').map(str::trim_start)
}

/// A quoted or bare attribute value at the start of `s`, and what follows.
fn attribute_value(s: &str) -> (&str, &str) {
    for quote in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(quote) {
            return match inner.find(quote) {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            };
        }
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    (&s[..end], &s[end..])
}

/// The language of a fence's info string: its first word, so that
/// "rust,ignore", "rust title=x" and "{.rust}" all give "rust".
pub(super) fn fence_lang(info: &str) -> &str {
    let info = info.trim_start_matches(['{', '.', ' ']);
    info.split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}'))
        .next()
        .unwrap_or("")
}

/// Wraps each line of highlighted `html` in `<span class="line">`, with
/// `marked` on the lines `info` marks. Highlighter spans may run over
/// several lines (block comments), so the open ones are closed at each
/// line end and reopened on the next line, keeping the markup nested.
pub(super) fn mark_lines(html: &str, info: &FenceInfo) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut open: Vec<&str> = Vec::new();
    // syntect closes its outer span after the last newline: keep those
    // closing tags on the last line rather than making an empty one.
    let moved;
    let html = match html.rsplit_once('\n') {
        Some((head, tail)) if !tail.is_empty() && tail.replace("</span>", "").is_empty() => {
            moved = format!("{head}{tail}\n");
            moved.as_str()
        }
        _ => html,
    };
    let body = html.strip_suffix('\n').unwrap_or(html);
    for (i, line) in body.split('\n').enumerate() {
        let class = if info.is_marked(i + 1) {
            "line marked"
        } else {
            "line"
        };
        out.push_str("<span class=\"");
        out.push_str(class);
        out.push_str("\">");
        for tag in &open {
            out.push_str(tag);
        }
        let mut rest = line;
        while let Some(at) = rest.find('<') {
            let Some(len) = rest[at..].find('>').map(|e| e + 1) else {
                break;
            };
            let tag = &rest[at..at + len];
            if tag.starts_with("</") {
                open.pop();
            } else {
                open.push(tag);
            }
            rest = &rest[at + len..];
        }
        out.push_str(line);
        for _ in &open {
            out.push_str("</span>");
        }
        out.push_str("</span>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_lang_takes_first_word() {
        assert_eq!(fence_lang("rust"), "rust");
        assert_eq!(fence_lang("rust,ignore"), "rust");
        assert_eq!(fence_lang("python title=\"x.py\""), "python");
        assert_eq!(fence_lang("{.rust}"), "rust");
        assert_eq!(fence_lang("rust{2}"), "rust");
        assert_eq!(fence_lang(""), "");
    }

    #[test]
    fn title_and_ranges() {
        let f = FenceInfo::parse("rust title=\"src/main.rs\" {2,4-6}");
        assert_eq!(f.lang, "rust");
        assert_eq!(f.title.as_deref(), Some("src/main.rs"));
        assert_eq!(f.marked, vec![2..=2, 4..=6]);
        assert!(f.bad.is_none());
        assert!(f.is_marked(5) && !f.is_marked(3) && !f.is_marked(7));
        let f = FenceInfo::parse("toml title=Cargo.toml");
        assert_eq!(f.title.as_deref(), Some("Cargo.toml"));
        let f = FenceInfo::parse("rust{1}");
        assert_eq!(f.marked, vec![1..=1]);
        let f = FenceInfo::parse("rust,ignore title='a b.rs'");
        assert_eq!(f.title.as_deref(), Some("a b.rs"));
    }

    #[test]
    fn bad_ranges_are_reported() {
        for info in [
            "rust {2-x}",
            "rust {0}",
            "rust {5-2}",
            "rust {1",
            "rust {1-999999999}",
        ] {
            let f = FenceInfo::parse(info);
            assert!(f.bad.is_some(), "{info}");
        }
    }

    #[test]
    fn marking_keeps_spans_nested() {
        let html = "<span class=\"c\">/* a\nb */</span> x\ny\n";
        let f = FenceInfo::parse("c {2}");
        assert_eq!(
            mark_lines(html, &f),
            "<span class=\"line\"><span class=\"c\">/* a</span></span>\n\
             <span class=\"line marked\"><span class=\"c\">b */</span> x</span>\n\
             <span class=\"line\">y</span>\n"
        );
        let html = "<span class=\"s\">a\nb\n</span>";
        assert_eq!(
            mark_lines(html, &FenceInfo::parse("x {1}")),
            "<span class=\"line marked\"><span class=\"s\">a</span></span>\n\
             <span class=\"line\"><span class=\"s\">b</span></span>\n"
        );
    }
}
