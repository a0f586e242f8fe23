//! `$…$` and `$$…$$` math rendered to MathML at build time, so pages need
//! no script to show formulas.

use pulldown_latex::config::DisplayMode;
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
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut mathml = String::new();
    push_mathml(
        &mut mathml,
        events.into_iter().map(Ok::<_, std::fmt::Error>),
        config,
    )
    .ok()?;
    Some(mathml)
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
