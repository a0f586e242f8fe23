//! Highlighting with tree-sitter for the languages courses teach most.
//!
//! syntect runs a Sublime grammar's regular expressions over every line
//! and cost about 38 µs a line, half of a 10 000-lesson build; tree-sitter
//! parses the block once with a generated C parser and cost about 12 µs a
//! line on the same Rust and Python blocks (README, Performance). Other
//! languages stay with syntect (see `highlight.rs`).
//!
//! Both write the same kind of classes: each tree-sitter capture is mapped
//! to the TextMate scope syntect would give it (`keyword.operator` →
//! `hl-keyword hl-operator`), so the one stylesheet generated from the
//! syntect themes colours both.

use std::cell::RefCell;
use std::sync::{LazyLock, OnceLock};

use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};
use tree_sitter_language::LanguageFn;

use super::escape_html;

/// One bundled grammar.
struct Grammar {
    /// Fence names it answers to, lower case.
    names: &'static [&'static str],
    /// TextMate scope of the whole block, as syntect names it.
    scope: &'static str,
    language: LanguageFn,
    /// Highlight queries, joined in this order (TypeScript's extend
    /// JavaScript's).
    highlights: &'static [&'static str],
}

const GRAMMARS: &[Grammar] = &[
    Grammar {
        names: &["rust", "rs"],
        scope: "source.rust",
        language: tree_sitter_rust::LANGUAGE,
        highlights: &[tree_sitter_rust::HIGHLIGHTS_QUERY],
    },
    Grammar {
        names: &["python", "py", "python3", "py3"],
        scope: "source.python",
        language: tree_sitter_python::LANGUAGE,
        highlights: &[tree_sitter_python::HIGHLIGHTS_QUERY],
    },
    Grammar {
        names: &["javascript", "js", "jsx", "mjs", "cjs"],
        scope: "source.js",
        language: tree_sitter_javascript::LANGUAGE,
        highlights: &[tree_sitter_javascript::HIGHLIGHT_QUERY],
    },
    Grammar {
        names: &["typescript", "ts", "mts", "cts"],
        scope: "source.ts",
        language: tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
        highlights: &[
            tree_sitter_javascript::HIGHLIGHT_QUERY,
            tree_sitter_typescript::HIGHLIGHTS_QUERY,
        ],
    },
    Grammar {
        names: &["tsx"],
        scope: "source.tsx",
        language: tree_sitter_typescript::LANGUAGE_TSX,
        highlights: &[
            tree_sitter_javascript::HIGHLIGHT_QUERY,
            tree_sitter_javascript::JSX_HIGHLIGHT_QUERY,
            tree_sitter_typescript::HIGHLIGHTS_QUERY,
        ],
    },
    Grammar {
        names: &["go", "golang"],
        scope: "source.go",
        language: tree_sitter_go::LANGUAGE,
        highlights: &[tree_sitter_go::HIGHLIGHTS_QUERY],
    },
    Grammar {
        names: &["bash", "sh", "shell", "zsh"],
        scope: "source.shell.bash",
        language: tree_sitter_bash::LANGUAGE,
        highlights: &[tree_sitter_bash::HIGHLIGHT_QUERY],
    },
    Grammar {
        names: &["json"],
        scope: "source.json",
        language: tree_sitter_json::LANGUAGE,
        highlights: &[tree_sitter_json::HIGHLIGHTS_QUERY],
    },
    Grammar {
        names: &["c", "h"],
        scope: "source.c",
        language: tree_sitter_c::LANGUAGE,
        highlights: &[tree_sitter_c::HIGHLIGHT_QUERY],
    },
    Grammar {
        names: &["java"],
        scope: "source.java",
        language: tree_sitter_java::LANGUAGE,
        highlights: &[tree_sitter_java::HIGHLIGHTS_QUERY],
    },
];

/// The captures kpsite styles and the TextMate scope each stands for. A
/// capture not listed falls back to its longest listed dotted prefix
/// (`comment.documentation` → `comment`) or, with none, gets no span
/// (`variable`, `punctuation`: plain text, as the syntect themes leave them).
pub(super) const CAPTURES: &[(&str, &str)] = &[
    ("attribute", "entity.other.attribute-name"),
    ("comment", "comment"),
    ("constant", "constant.other"),
    ("constant.builtin", "constant.language"),
    ("constructor", "entity.name.class"),
    ("escape", "constant.character.escape"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "support.function"),
    ("keyword", "keyword"),
    ("label", "storage.modifier.label"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("property", "variable.other.member"),
    ("string", "string.quoted"),
    ("string.escape", "constant.character.escape"),
    ("string.special", "string.other"),
    ("type", "support.type"),
    ("type.builtin", "storage.type"),
    ("variable.builtin", "variable.language"),
    ("variable.parameter", "variable.parameter"),
];

/// Each grammar's compiled queries, built when a block first needs them
/// (Rust's alone take about 20 ms) and shared by the rendering threads.
/// `None` where a query failed to compile, which a unit test rules out.
static CONFIGS: [OnceLock<Option<Configured>>; GRAMMARS.len()] =
    [const { OnceLock::new() }; GRAMMARS.len()];

/// `class` attribute values for [`CAPTURES`], in order.
static CLASSES: LazyLock<Vec<String>> = LazyLock::new(|| {
    CAPTURES
        .iter()
        .map(|(_, scope)| super::highlight::classes(scope))
        .collect()
});

thread_local! {
    /// A highlighter holds a parser and query cursors: one per thread.
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
}

/// A grammar ready to use: its compiled queries and the `class` of the
/// span around a whole block.
struct Configured {
    config: HighlightConfiguration,
    block_class: String,
}

fn configure(g: &Grammar) -> Option<Configured> {
    let highlights = g.highlights.concat();
    let mut config =
        HighlightConfiguration::new(g.language.into(), g.names[0], &highlights, "", "").ok()?;
    let names: Vec<&str> = CAPTURES.iter().map(|(name, _)| *name).collect();
    config.configure(&names);
    Some(Configured {
        config,
        block_class: super::highlight::classes(g.scope),
    })
}

/// Which bundled grammar, if any, `lang` (a fence's info string) names.
fn grammar(lang: &str) -> Option<usize> {
    GRAMMARS
        .iter()
        .position(|g| g.names.iter().any(|n| n.eq_ignore_ascii_case(lang)))
}

/// Highlighted HTML for `code` when `lang` is a bundled grammar, `None`
/// otherwise or when tree-sitter gives up (the caller falls back).
pub(super) fn highlight(lang: &str, code: &str) -> Option<String> {
    let index = grammar(lang)?;
    let grammar = CONFIGS[index]
        .get_or_init(|| configure(&GRAMMARS[index]))
        .as_ref()?;
    HIGHLIGHTER.with_borrow_mut(|highlighter| {
        let events = highlighter
            .highlight(&grammar.config, code.as_bytes(), None, None, |_| None)
            .ok()?;
        let mut html = String::with_capacity(code.len() * 2);
        html.push_str("<span class=\"");
        html.push_str(&grammar.block_class);
        html.push_str("\">");
        for event in events {
            match event.ok()? {
                HighlightEvent::HighlightStart(h) => {
                    html.push_str("<span class=\"");
                    html.push_str(&CLASSES[h.0]);
                    html.push_str("\">");
                }
                HighlightEvent::HighlightEnd => html.push_str("</span>"),
                // Offsets are node boundaries; `get` turns a split
                // character into a fallback rather than a panic.
                HighlightEvent::Source { start, end } => {
                    html.push_str(&escape_html(code.get(start..end)?));
                }
            }
        }
        html.push_str("</span>");
        Some(html)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of each bundled language holding a keyword.
    const SAMPLES: &[(&str, &str)] = &[
        ("rust", "fn main() { let x = 1; } // hi\n"),
        ("python", "def f(x):\n    return x  # hi\n"),
        ("js", "const f = (x) => { return x; }; // hi\n"),
        (
            "ts",
            "interface A { x: number }\nconst f = (x: A): number => x.x; // hi\n",
        ),
        (
            "tsx",
            "const f = (p: { n: string }) => <b>{p.n}</b>; // hi\n",
        ),
        ("go", "func main() { return } // hi\n"),
        ("bash", "if true; then echo hi; fi # hi\n"),
        ("json", "{\"a\": true, \"b\": 1}\n"),
        ("c", "int main(void) { return 0; } // hi\n"),
        ("java", "class A { void f() { return; } } // hi\n"),
    ];

    #[test]
    fn every_grammar_compiles_its_queries() {
        for g in GRAMMARS {
            assert!(
                configure(g).is_some(),
                "{} queries do not compile",
                g.names[0]
            );
        }
    }

    #[test]
    fn every_grammar_has_a_sample_and_highlights_it() {
        assert_eq!(SAMPLES.len(), GRAMMARS.len());
        for (lang, code) in SAMPLES {
            let html = highlight(lang, code).unwrap_or_else(|| panic!("{lang} not highlighted"));
            let expected = if *lang == "json" {
                "hl-constant hl-language"
            } else {
                "hl-keyword"
            };
            assert!(html.contains(expected), "{lang}: {html}");
        }
    }

    #[test]
    fn comments_and_strings_get_scopes() {
        let html = highlight("rust", "let s = \"a<b\"; // note\n").unwrap();
        assert!(
            html.starts_with("<span class=\"hl-source hl-rust\">"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-comment\">// note"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-string hl-quoted\">&quot;a&lt;b&quot;</span>"),
            "{html}"
        );
    }

    #[test]
    fn typescript_adds_its_types_to_javascript() {
        let html = highlight("ts", "let n: number = f(1); // c\n").unwrap();
        assert!(
            html.starts_with("<span class=\"hl-source hl-ts\">"),
            "{html}"
        );
        for part in [
            "<span class=\"hl-keyword\">let</span>",
            "<span class=\"hl-storage hl-type\">number</span>",
            "<span class=\"hl-entity hl-name hl-function\">f</span>",
            "<span class=\"hl-comment\">// c</span>",
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
    }

    #[test]
    fn fence_names_are_case_insensitive_and_unknown_ones_fall_through() {
        assert!(highlight("Python", "x = 1\n").is_some());
        assert!(highlight("haskell", "x = 1\n").is_none());
        assert!(highlight("", "x = 1\n").is_none());
    }

    #[test]
    fn text_survives_exactly() {
        let code = "fn 名前() -> &'static str { \"<&>\" }\r\n\tlet _ = '字';\n";
        let html = highlight("rust", code).unwrap();
        let mut text = String::new();
        let mut rest = html.as_str();
        while let Some(lt) = rest.find('<') {
            text.push_str(&rest[..lt]);
            rest = &rest[lt + rest[lt..].find('>').unwrap() + 1..];
        }
        text.push_str(rest);
        assert_eq!(text, escape_html(code));
    }
}
