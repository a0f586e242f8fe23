//! Build-time syntax highlighting of fenced code, and the matching
//! stylesheet. Languages with a bundled tree-sitter grammar
//! (`grammars.rs`) go there; every other language syntect knows goes to
//! syntect.
//!
//! Highlighting emits CSS classes (`hl-…`) rather than inline colours, so
//! one stylesheet can switch light/dark and a theme can restyle it.

use std::sync::LazyLock;

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::{escape_html, guarded};

/// Class prefix shared by the highlighter and [`highlight_css`]; the two
/// must agree or the code renders uncoloured.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// Theme for light mode.
const LIGHT_THEME: &str = "InspiredGitHub";
/// Theme for `prefers-color-scheme: dark`.
const DARK_THEME: &str = "base16-ocean.dark";

/// Loading the syntax definitions takes tens of milliseconds, so it is done
/// once per process and shared (read-only) by every rendering thread.
///
/// The set is bat's (via two-face): syntect's defaults plus TOML,
/// Dockerfile, Kotlin, Swift and others that programming courses use and
/// syntect lacks.
static SYNTAX_SET: LazyLock<SyntaxSet> = LazyLock::new(|| {
    limit_backtracking();
    two_face::syntax::extra_newlines()
});

/// Backtracking steps one regular-expression search may take. Some
/// grammars backtrack catastrophically on odd input: the fuzzer found 953
/// bytes that kept a fence named `mK` (syntect's Makefile grammar) busy
/// for 27 s. Ordinary code needs far fewer steps; a search over the limit
/// counts as no match (syntect's rule), so the block is still highlighted,
/// just less finely.
const BACKTRACK_LIMIT: u32 = 100_000;

/// Sets [`BACKTRACK_LIMIT`] as Oniguruma's default. syntect builds each
/// search's parameters from these defaults, and no search has run yet
/// (this runs before the syntax set exists).
fn limit_backtracking() {
    // SAFETY: both calls only store an integer in Oniguruma's globals.
    unsafe {
        onig_sys::onig_set_retry_limit_in_match(BACKTRACK_LIMIT.into());
        onig_sys::onig_set_retry_limit_in_search(BACKTRACK_LIMIT.into());
    }
}

/// Renders one fenced code block as
/// `<pre class="code" data-lang="rust"><code>…</code></pre>`, highlighted
/// when `lang` names a known syntax and plain escaped text otherwise.
pub(super) fn code_block(lang: &str, code: &str) -> String {
    let body = highlighted_body(lang, code);
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{body}</code></pre>\n")
    } else {
        let lang = escape_html(lang);
        format!("<pre class=\"code\" data-lang=\"{lang}\"><code>{body}</code></pre>\n")
    }
}

/// The inside of a code block's `<code>`: highlighted when `lang` names a
/// known syntax, escaped text otherwise.
pub(super) fn highlighted_body(lang: &str, code: &str) -> String {
    highlight(lang, code).unwrap_or_else(|| escape_html(code))
}

/// Longest block highlighted; a longer one is plain text. Lessons' code
/// is a few kilobytes; past this size come data dumps, and inputs that
/// make parsers slow: 80 000 nested parentheses (160 KB) kept tree-sitter's
/// query cursor busy for 14 s, while every grammar stays under a second on
/// 64 KB of nesting.
const MAX_HIGHLIGHTED: usize = 64 * 1024;

/// Highlighted HTML for `code`, or None if the language is unknown, the
/// block too long (see [`MAX_HIGHLIGHTED`]) or the highlighters fail (a
/// broken block must not fail the build).
fn highlight(lang: &str, code: &str) -> Option<String> {
    if lang.is_empty() || code.len() > MAX_HIGHLIGHTED {
        return None;
    }
    // Third-party parsers running on author input: a panic in either
    // becomes plain text instead of a failed build.
    if let Some(html) = guarded(|| super::grammars::highlight(lang, code)).flatten() {
        return Some(html);
    }
    let syntax = SYNTAX_SET
        .find_syntax_by_token(lang)
        .or_else(|| SYNTAX_SET.find_syntax_by_name(alias(lang)?))?;
    guarded(|| {
        let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAX_SET, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            html.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(html.finalize())
    })
    .flatten()
}

/// Syntax names for fence names the grammars' file extensions do not
/// cover (`dockerfile` is a file name, not an extension).
fn alias(lang: &str) -> Option<&'static str> {
    const ALIASES: &[(&str, &str)] = &[
        ("dockerfile", "Dockerfile"),
        ("docker", "Dockerfile"),
        ("containerfile", "Dockerfile"),
        ("kotlin", "Kotlin"),
        ("swift", "Swift"),
        ("toml", "TOML"),
        ("diff", "Diff"),
        ("patch", "Diff"),
    ];
    let lang = lang.to_ascii_lowercase();
    ALIASES.iter().find(|(k, _)| *k == lang).map(|(_, v)| *v)
}

/// The `class` attribute syntect writes for the TextMate `scope`
/// (`keyword.operator` → `hl-keyword hl-operator`), so tree-sitter's spans
/// match the same stylesheet.
pub(super) fn classes(scope: &str) -> String {
    let ClassStyle::SpacedPrefixed { prefix } = CLASS_STYLE else {
        unreachable!("CLASS_STYLE is prefixed");
    };
    scope
        .split('.')
        .map(|atom| format!("{prefix}{atom}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The stylesheet for highlighted code: the light theme inside
/// `@media (prefers-color-scheme: light)` and the dark theme inside
/// `@media (prefers-color-scheme: dark)`. Each theme stays in its own
/// block, so a light rule the dark theme has no match for (say
/// `.hl-variable.hl-parameter`) cannot paint dark text on the dark
/// background.
///
/// `themes/default/static/highlight.css` is this function's output,
/// committed; a unit test keeps the two identical.
pub fn highlight_css() -> String {
    let themes = ThemeSet::load_defaults();
    let light = theme_css(&themes.themes[LIGHT_THEME]);
    let dark = theme_css(&themes.themes[DARK_THEME]);
    format!(
        "@media (prefers-color-scheme: light) {{\n{}}}\n\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
        indent(&light),
        indent(&dark)
    )
}

/// Indents every non-empty line by two spaces, for nesting inside `@media`.
fn indent(css: &str) -> String {
    let mut out = String::with_capacity(css.len() * 11 / 10);
    for line in css.lines() {
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// CSS for one theme. syntect puts the theme's base colours on `.hl-code`;
/// our blocks are `<pre class="code">`, so that rule is widened to cover them.
fn theme_css(theme: &Theme) -> String {
    let theme = &readable(theme);
    // The bundled themes are known-good, so failure here is a programming error.
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE)
        .expect("bundled syntect theme converts to CSS");
    css.replacen(".hl-code {", ".hl-code, pre.code {", 1)
}

/// A copy of `theme` whose text colours all reach WCAG AA contrast (4.5:1)
/// against its background: colours that do not (light comments, dark-theme
/// reds) are moved towards black or white just far enough.
fn readable(theme: &Theme) -> Theme {
    let mut theme = theme.clone();
    let white = Color {
        r: 255,
        g: 255,
        b: 255,
        a: 255,
    };
    let bg = theme.settings.background.unwrap_or(white);
    let fix = |c: &mut Color| *c = with_contrast(*c, bg, 4.6);
    if let Some(fg) = theme.settings.foreground.as_mut() {
        fix(fg);
    }
    for item in &mut theme.scopes {
        if let Some(fg) = item.style.foreground.as_mut() {
            fix(fg);
        }
    }
    theme
}

/// `fg` mixed towards black (on a light `bg`) or white (on a dark one)
/// until its contrast ratio with `bg` is at least `min`.
fn with_contrast(fg: Color, bg: Color, min: f64) -> Color {
    let target = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mix = |a: u8, t: f64| (f64::from(a) + (target - f64::from(a)) * t).round() as u8;
    let mut t = 0.0;
    loop {
        let c = Color {
            r: mix(fg.r, t),
            g: mix(fg.g, t),
            b: mix(fg.b, t),
            a: 255,
        };
        if contrast(c, bg) >= min || t >= 1.0 {
            return c;
        }
        t += 0.02;
    }
}

/// WCAG relative luminance.
fn luminance(c: Color) -> f64 {
    let ch = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)
}

/// WCAG contrast ratio of two colours.
fn contrast(a: Color, b: Color) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMITTED_CSS: &str = include_str!("../../themes/default/static/highlight.css");

    #[test]
    fn committed_css_matches_generated() {
        let generated = highlight_css();
        // `UPDATE_HIGHLIGHT_CSS=1 cargo test --lib markdown` rewrites the file.
        if std::env::var_os("UPDATE_HIGHLIGHT_CSS").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/themes/default/static/highlight.css"
            );
            std::fs::write(path, &generated).expect("write highlight.css");
            return;
        }
        assert!(
            COMMITTED_CSS == generated,
            "themes/default/static/highlight.css is stale; \
             run UPDATE_HIGHLIGHT_CSS=1 cargo test --lib markdown"
        );
    }

    #[test]
    fn every_code_colour_is_readable_on_its_background() {
        let themes = ThemeSet::load_defaults();
        for name in [LIGHT_THEME, DARK_THEME] {
            let t = readable(&themes.themes[name]);
            let bg = t.settings.background.unwrap();
            for item in &t.scopes {
                if let Some(fg) = item.style.foreground {
                    assert!(contrast(fg, bg) >= 4.5, "{name}: {fg:?} on {bg:?}");
                }
            }
        }
    }

    #[test]
    fn css_uses_the_same_prefix_as_the_html() {
        let css = highlight_css();
        assert!(css.contains(".hl-keyword"));
        assert!(css.contains("pre.code {"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }

    #[test]
    fn rust_gets_classes() {
        let html = code_block("rust", "fn main() {}\n");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\"><code>"));
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(
            html.contains("<span class=\"hl-keyword\">fn</span>"),
            "{html}"
        );
    }

    #[test]
    fn syntect_searches_are_limited() {
        LazyLock::force(&SYNTAX_SET);
        // SAFETY: reads an integer from Oniguruma's globals.
        let (in_match, in_search) = unsafe {
            (
                onig_sys::onig_get_retry_limit_in_match(),
                onig_sys::onig_get_retry_limit_in_search(),
            )
        };
        assert_eq!(in_match, std::ffi::c_ulong::from(BACKTRACK_LIMIT));
        assert_eq!(in_search, std::ffi::c_ulong::from(BACKTRACK_LIMIT));
        // Over the limit is no match, not an error: still highlighted.
        let html = code_block("mk", "all:\n\techo $(CC)\n");
        assert!(html.contains("hl-source hl-makefile"), "{html}");
    }

    #[test]
    fn a_block_over_the_limit_is_plain_text() {
        let line = "let x = (1);\n";
        let code = line.repeat(MAX_HIGHLIGHTED / line.len() + 1);
        assert_eq!(
            code_block("rust", &code),
            format!("<pre class=\"code\" data-lang=\"rust\"><code>{code}</code></pre>\n")
        );
        let code = line.repeat(MAX_HIGHLIGHTED / line.len());
        assert!(code_block("rust", &code).contains("hl-keyword"));
    }

    #[test]
    fn languages_without_a_grammar_go_to_syntect() {
        let html = code_block("ruby", "def f; end\n");
        assert!(html.contains("hl-source hl-ruby"), "{html}");
        assert!(html.contains("hl-keyword"), "{html}");
    }

    /// Every scope tree-sitter's captures map to is coloured by some rule
    /// of the stylesheet, so the faster path does not lose colours.
    #[test]
    fn every_capture_scope_is_coloured() {
        let css = highlight_css();
        let rules: Vec<Vec<&str>> = css
            .split(['{', '}', ','])
            .map(str::trim)
            .filter(|s| s.starts_with(".hl-") && !s.contains(' '))
            .map(|s| s.split('.').filter(|c| !c.is_empty()).collect())
            .collect();
        for (capture, scope) in super::super::grammars::CAPTURES {
            let have = classes(scope);
            let have: Vec<&str> = have.split(' ').collect();
            assert!(
                rules.iter().any(|r| r.iter().all(|c| have.contains(c))),
                "{capture} ({scope}) has no colour rule"
            );
        }
    }

    /// The languages issue #15 asked for, each highlighted (not just
    /// escaped) under the fence names authors write.
    #[test]
    fn course_languages_are_highlighted() {
        let cases = [
            ("toml", "[package]\nname = \"kp\"\n"),
            ("dockerfile", "FROM rust:1.91\nRUN cargo build\n"),
            ("Dockerfile", "FROM rust:1.91\n"),
            ("kotlin", "fun main() { val x = 1 }\n"),
            ("kt", "fun main() {}\n"),
            ("swift", "let x: Int = 1\nfunc f() {}\n"),
            ("yaml", "key: value\nlist: [1, 2]\n"),
            ("yml", "key: value\n"),
            ("sql", "SELECT id FROM users WHERE id = 1;\n"),
            ("diff", "--- a\n+++ b\n-old\n+new\n"),
        ];
        for (lang, code) in cases {
            let html = code_block(lang, code);
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = code_block("nosuchlang", "a < b && \"c\"\n");
        assert_eq!(
            html,
            "<pre class=\"code\" data-lang=\"nosuchlang\"><code>a &lt; b &amp;&amp; &quot;c&quot;\n</code></pre>\n"
        );
    }

    #[test]
    fn no_language_has_no_data_lang() {
        assert_eq!(
            code_block("", "x\n"),
            "<pre class=\"code\"><code>x\n</code></pre>\n"
        );
    }

    #[test]
    fn hostile_language_name_is_escaped() {
        let html = code_block("\"><script>", "x\n");
        assert!(
            html.contains("data-lang=\"&quot;&gt;&lt;script&gt;\""),
            "{html}"
        );
    }
}
