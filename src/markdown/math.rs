//! `$…$` and `$$…$$` math rendered to MathML at build time, so pages need
//! no script to show formulas.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::event::{Content, Event};
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

use super::{escape_html, guarded};

/// MathML for `latex`, or, if it does not parse, its escaped source in
/// `<code class="math-error">` so one typo never fails a build.
pub(super) fn render_math(latex: &str, display: bool) -> String {
    guarded(|| to_mathml(latex, display))
        .flatten()
        .unwrap_or_else(|| error_html(latex, display))
}

/// Deeper brace nesting than any real formula uses. pulldown-latex takes
/// time quadratic in the depth (8 000 levels: about a second), so deeper
/// input is treated as an error rather than allowed to stall a build.
const MAX_DEPTH: usize = 100;

/// MathML for `latex`, or None on any LaTeX error.
fn to_mathml(latex: &str, display: bool) -> Option<String> {
    if too_deep(latex) {
        return None;
    }
    let storage = Storage::new();
    // Collect first: pulldown-latex would otherwise render errors as red
    // text inside the formula, and we want the whole formula to fall back.
    let events: Vec<_> = Parser::new(latex, &storage)
        .collect::<Result<_, _>>()
        .ok()?;
    // pulldown-latex writes the text of `\operatorname{…}`, symbols and
    // relations such as `<` into the MathML unescaped. Each `<`, `>` and
    // `&` is swapped for a private-use stand-in before rendering and
    // replaced by its entity after, so no formula can write markup.
    if latex.contains(STAND_INS.map(|(c, _, _)| c)) {
        return None;
    }
    let texts: Vec<Option<String>> = events.iter().map(hidden_text).collect();
    let events = events
        .into_iter()
        .zip(&texts)
        .map(|(event, text)| hide_markup(event, text.as_deref()));
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut mathml = String::new();
    push_mathml(&mut mathml, events.map(Ok::<_, std::fmt::Error>), config).ok()?;
    Some(reveal_entities(&mathml))
}

/// Each markup character, its private-use stand-in and its entity.
const STAND_INS: [(char, char, &str); 3] = [
    ('\u{E000}', '<', "&lt;"),
    ('\u{E001}', '>', "&gt;"),
    ('\u{E002}', '&', "&amp;"),
];

/// `c`, or its stand-in if it is a markup character.
fn stand_in(c: char) -> char {
    STAND_INS
        .iter()
        .find(|(_, markup, _)| *markup == c)
        .map_or(c, |(stand_in, _, _)| *stand_in)
}

/// The text of a text-bearing event with its markup characters swapped,
/// or None when there is nothing to swap.
fn hidden_text(event: &Event) -> Option<String> {
    match event {
        Event::Content(Content::Text(s) | Content::Number(s) | Content::Function(s))
            if s.contains(['<', '>', '&']) =>
        {
            Some(s.chars().map(stand_in).collect())
        }
        _ => None,
    }
}

/// `event` with every markup character swapped for its stand-in; `text`
/// is its [`hidden_text`].
fn hide_markup<'a>(event: Event<'a>, text: Option<&'a str>) -> Event<'a> {
    let Event::Content(content) = event else {
        return event;
    };
    let content = match (content, text) {
        (Content::Text(_), Some(t)) => Content::Text(t),
        (Content::Number(_), Some(t)) => Content::Number(t),
        (Content::Function(_), Some(t)) => Content::Function(t),
        (Content::Ordinary { content, stretchy }, _) => Content::Ordinary {
            content: stand_in(content),
            stretchy,
        },
        (Content::BinaryOp { content, small }, _) => Content::BinaryOp {
            content: stand_in(content),
            small,
        },
        (Content::LargeOp { content, small }, _) => Content::LargeOp {
            content: stand_in(content),
            small,
        },
        (Content::Delimiter { content, size, ty }, _) => Content::Delimiter {
            content: stand_in(content),
            size,
            ty,
        },
        (Content::Punctuation(c), _) => Content::Punctuation(stand_in(c)),
        (Content::Relation { content, small }, _) => {
            let mut buf = [0u8; 8];
            match content.encode_utf8_to_buf(&mut buf) {
                // A relation cannot be built outside pulldown-latex; an
                // `<mo>` punctuation writes the same element, and the
                // browser spaces `<mo>&lt;</mo>` as a relation by its
                // operator dictionary.
                [b @ (b'<' | b'>' | b'&')] => Content::Punctuation(stand_in(char::from(*b))),
                _ => Content::Relation { content, small },
            }
        }
        (other, _) => other,
    };
    Event::Content(content)
}

/// `mathml` with every stand-in replaced by its entity.
fn reveal_entities(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    for c in mathml.chars() {
        match STAND_INS.iter().find(|(stand_in, _, _)| *stand_in == c) {
            Some((_, _, entity)) => out.push_str(entity),
            None => out.push(c),
        }
    }
    out
}

/// Whether braces nest deeper than [`MAX_DEPTH`]. Escaped `\{` is
/// counted too, which only makes the check stricter.
fn too_deep(latex: &str) -> bool {
    let mut depth = 0usize;
    for b in latex.bytes() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ => continue,
        }
        if depth > MAX_DEPTH {
            return true;
        }
    }
    false
}

/// The fallback for a formula that does not parse: its source, delimiters
/// included, so the reader still sees what the author meant.
fn error_html(latex: &str, display: bool) -> String {
    let fence = if display { "$$" } else { "$" };
    format!(
        "<code class=\"math-error\">{fence}{}{fence}</code>",
        escape_html(latex)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_math_is_mathml() {
        let html = render_math(r"x^2 + \alpha", false);
        assert!(html.starts_with("<math display=\"inline\">"), "{html}");
        assert!(html.contains("<msup>"), "{html}");
        assert!(html.contains('α'), "{html}");
    }

    #[test]
    fn display_math_is_block() {
        let html = render_math(r"\frac{a}{b}", true);
        assert!(html.starts_with("<math display=\"block\">"), "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
    }

    #[test]
    fn bad_latex_falls_back_to_escaped_source() {
        assert_eq!(
            render_math(r"\frac{a}{<b", false),
            "<code class=\"math-error\">$\\frac{a}{&lt;b$</code>"
        );
        assert!(render_math(r"\nosuchcommand", true).starts_with("<code class=\"math-error\">$$"));
    }

    #[test]
    fn math_text_cannot_write_markup() {
        for latex in [
            r"\operatorname{<img src=x onerror=alert(1)>}",
            r"x<y",
            r"a > b \And c",
            r"\text{<b>bold</b>}",
            r"\mathrm{<script>}",
            r"\lt \gt",
        ] {
            let html = render_math(latex, false);
            assert!(html.starts_with("<math"), "{latex}: {html}");
            assert!(
                !html.contains("<img") && !html.contains("<script") && !html.contains("<b>"),
                "{html}"
            );
            // Every `<` opens a MathML element; every `&` starts an entity.
            for (i, _) in html.match_indices('<') {
                let next = html[i + 1..].chars().next().unwrap();
                assert!(next == '/' || next.is_ascii_lowercase(), "{latex}: {html}");
            }
            for (i, _) in html.match_indices('&') {
                assert!(
                    html[i..].starts_with("&lt;")
                        || html[i..].starts_with("&gt;")
                        || html[i..].starts_with("&amp;")
                        || html[i..].starts_with("&nbsp;"),
                    "{latex}: {html}"
                );
            }
        }
        assert!(render_math("x<y", false).contains("<mo>&lt;</mo>"));
        let img = render_math(r"\operatorname{<img src=x>}", false);
        assert!(img.contains("&lt;img src=x&gt;"), "{img}");
    }

    #[test]
    fn alignment_ampersands_still_align() {
        let html = render_math(r"\begin{matrix} a & b \\ c & \& \end{matrix}", true);
        assert!(html.contains("<mtd>"), "{html}");
        assert!(html.contains("&amp;"), "the escaped one is text: {html}");
        assert!(
            !html.contains(['\u{E000}', '\u{E001}', '\u{E002}']),
            "{html}"
        );
    }

    #[test]
    fn a_stand_in_character_in_the_source_falls_back() {
        assert!(render_math("x\u{E000}y", false).starts_with("<code class=\"math-error\">"));
    }

    #[test]
    fn moderate_nesting_renders() {
        let nested = format!("{}x{}", "{".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert!(render_math(&nested, false).starts_with("<math"));
    }

    #[test]
    fn pathological_nesting_falls_back_quickly() {
        let deep = format!("{}x{}", "{".repeat(20_000), "}".repeat(20_000));
        let start = std::time::Instant::now();
        assert!(render_math(&deep, false).starts_with("<code class=\"math-error\">"));
        let subscripts = format!("x{}", "_{x".repeat(5_000) + &"}".repeat(5_000));
        assert!(render_math(&subscripts, false).starts_with("<code class=\"math-error\">"));
        assert!(start.elapsed().as_secs() < 1);
    }
}
