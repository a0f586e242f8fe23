//! Tests of [`render`] as a whole: Markdown in, HTML and metadata out.

use super::*;

/// Leaves every link as written.
fn no_resolve(_: &str) -> Option<String> {
    None
}

fn html(source: &str) -> String {
    render(source, &no_resolve).html
}

#[test]
fn empty_input() {
    let r = render("", &no_resolve);
    assert_eq!(r.html, "");
    assert!(r.headings.is_empty() && r.links.is_empty());
    assert_eq!(reading_minutes(""), 1);
    assert_eq!(prose("", |t, _| t.to_string()), "");
}

#[test]
fn tables() {
    let out = html("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
    assert!(out.contains("<table>"), "{out}");
    assert!(
        out.contains("<th style=\"text-align: left\">a</th>"),
        "{out}"
    );
    assert!(
        out.contains("<td style=\"text-align: right\">2</td>"),
        "{out}"
    );
}

#[test]
fn task_lists() {
    let out = html("- [x] done\n- [ ] todo\n  - [ ] nested\n");
    // Each checkbox is labelled by its item's first line (axe: `label`).
    assert!(
        out.contains(
            "<li><label class=\"task\"><input type=\"checkbox\" disabled checked> done</label></li>"
        ),
        "{out}"
    );
    assert!(
        out.contains("<label class=\"task\"><input type=\"checkbox\" disabled> todo</label>"),
        "{out}"
    );
    assert_eq!(out.matches("type=\"checkbox\"").count(), 3, "{out}");
    assert_eq!(
        out.matches("<label").count(),
        out.matches("</label>").count(),
        "{out}"
    );
}

#[test]
fn strikethrough() {
    assert_eq!(html("~~old~~ new"), "<p><del>old</del> new</p>\n");
}

#[test]
fn footnotes_get_numbered_valid_ids() {
    let out = html("See this[^my note] and[^b].\n\n[^my note]: First.\n[^b]: Second.\n");
    assert!(
        out.contains(
            "<sup class=\"footnote-reference\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>"
        ),
        "{out}"
    );
    assert!(
        out.contains("<a href=\"#fn-2\" id=\"fnref-2\">2</a>"),
        "{out}"
    );
    assert!(
        out.contains("<div class=\"footnote-definition\" id=\"fn-1\">"),
        "{out}"
    );
    assert!(
        out.contains("id=\"fn-2\"><sup class=\"footnote-definition-label\">2</sup>"),
        "{out}"
    );
    assert!(!out.contains("id=\"my note\""), "{out}");
}

#[test]
fn chinese_heading_ids() {
    let r = render("# 所有权与借用\n\n## Hello, World!\n", &no_resolve);
    assert!(
        r.html.contains(
            "<h1 id=\"所有权与借用\">所有权与借用<a class=\"anchor\" href=\"#所有权与借用\""
        ),
        "{}",
        r.html
    );
    assert_eq!(
        r.headings,
        vec![
            Heading {
                level: 1,
                id: "所有权与借用".into(),
                text: "所有权与借用".into()
            },
            Heading {
                level: 2,
                id: "hello-world".into(),
                text: "Hello, World!".into()
            },
        ]
    );
}

#[test]
fn duplicate_heading_ids_get_suffixes() {
    let r = render("## Intro\n\n## Intro\n\n### Intro\n\n# !!!\n", &no_resolve);
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["intro", "intro-1", "intro-2", "section"]);
    assert!(r.html.contains("<h2 id=\"intro-1\">"), "{}", r.html);
    assert!(r.html.contains("<h3 id=\"intro-2\">"), "{}", r.html);
}

#[test]
fn heading_text_has_no_markup() {
    let r = render("## Use `Box<T>` *now*\n", &no_resolve);
    assert_eq!(r.headings[0].text, "Use Box<T> now");
    assert_eq!(r.headings[0].id, "use-boxt-now");
    assert!(r.html.contains("<code>Box&lt;T&gt;</code>"), "{}", r.html);
}

#[test]
fn rust_code_is_highlighted() {
    let out = html("```rust\nlet x: u32 = 1;\n```\n");
    assert!(
        out.contains("<pre class=\"code\" data-lang=\"rust\"><code>"),
        "{out}"
    );
    assert!(out.contains("class=\"hl-"), "{out}");
    assert!(out.contains("hl-storage hl-type"), "{out}");
}

#[test]
fn unknown_language_escapes() {
    let out = html("```klingon\nif a < b { <script> }\n```\n");
    assert!(out.contains("data-lang=\"klingon\""), "{out}");
    assert!(out.contains("if a &lt; b { &lt;script&gt; }"), "{out}");
    assert!(!out.contains("<script>") && !out.contains("hl-"), "{out}");
}

#[test]
fn math_is_mathml() {
    let r = render(
        "Energy $E = mc^2$ and\n\n$$\\sum_{i=1}^n i$$\n",
        &no_resolve,
    );
    assert!(r.has_math);
    assert!(r.html.contains("<math display=\"inline\">"), "{}", r.html);
    assert!(r.html.contains("<math display=\"block\">"), "{}", r.html);
    assert!(!r.html.contains("$E"), "{}", r.html);
}

#[test]
fn bad_math_falls_back() {
    let r = render("Broken $\\frac{a}$ here", &no_resolve);
    assert!(
        r.html
            .contains("<code class=\"math-error\">$\\frac{a}$</code>"),
        "{}",
        r.html
    );
}

#[test]
fn no_math_no_flag() {
    let r = render("Costs $5 and $6.", &no_resolve);
    assert!(!r.has_math && !r.has_mermaid);
}

#[test]
fn mermaid_is_drawn_inline() {
    let r = render("```mermaid\ngraph TD; A-->B\n```\n", &no_resolve);
    assert!(r.has_mermaid);
    assert!(
        r.html
            .starts_with("<figure class=\"diagram\" id=\"kp-mermaid-1\"><svg "),
        "{}",
        r.html
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let text = prose("```mermaid\ngraph TD; A-->B<C\n```\n", |t, _| t.to_string());
    assert_eq!(text, "", "diagram source is not prose");
}

#[test]
fn an_undrawable_diagram_is_code_and_a_warning_at_its_fence() {
    let source = "Intro.\n\n```mermaid\nnotadiagram <b>\n```\n";
    let r = render(source, &no_resolve);
    assert!(r.html.contains("data-lang=\"mermaid\""), "{}", r.html);
    assert!(r.html.contains("notadiagram &lt;b&gt;"), "{}", r.html);
    assert_eq!(r.problems.len(), 1);
    let p = &r.problems[0];
    assert!(!p.error);
    assert_eq!(p.offset, source.find("```").unwrap());
    assert!(p.message.contains("shown as code"), "{}", p.message);
}

#[test]
fn two_diagrams_have_distinct_ids() {
    let r = render(
        "```mermaid\nflowchart LR\n A-->B\n```\n\n```mermaid\nflowchart LR\n A-->B\n```\n",
        &no_resolve,
    );
    let ids: Vec<&str> = r
        .html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    assert!(ids.contains(&"kp-mermaid-1") && ids.contains(&"kp-mermaid-2"));
}

#[test]
fn a_quiz_is_a_form_with_the_theme_strings() {
    let strings = |key: &str| format!("<{key}>");
    let r = render_with(
        "```quiz\nquestion: Which?\noptions: [a, b]\nanswer: 1\nexplain: Because.\n```\n",
        &no_resolve,
        &strings,
    );
    assert!(r.has_quiz && r.problems.is_empty());
    assert!(
        r.html
            .starts_with("<form class=\"quiz\" id=\"kp-quiz-1\" data-answer=\"1\">"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<summary>&lt;markup_show_answer&gt;</summary>"),
        "{}",
        r.html
    );
    assert!(
        outline("```quiz\nquestion: Which?\noptions: [a, b]\nanswer: 1\n```\n")
            .problems
            .is_empty()
    );
}

#[test]
fn a_malformed_quiz_is_an_error_at_its_line() {
    let source = "# T\n\n```quiz\nquestion: q\noptions: [a, b]\nanswer: 7\n```\n";
    for r in [render(source, &no_resolve), outline(source)] {
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        let p = &r.problems[0];
        assert!(p.error);
        assert_eq!(p.offset, source.find("answer").unwrap());
    }
    // Shown as code, so the author sees what they wrote.
    assert!(html(source).contains("data-lang=\"quiz\""));
    // Inside a list item the line is still found.
    let source = "- item\n\n  ```quiz\n  question: q\n  options: [a]\n  answer: 0\n  ```\n";
    let r = render(source, &no_resolve);
    let at = r.problems[0].offset;
    assert!(
        source[at..].trim_start().starts_with("options"),
        "{}",
        &source[at..]
    );
}

#[test]
fn code_blocks_get_a_head_and_marked_lines() {
    let out = html("```rust title=\"src/main.rs\" {2}\nfn main() {\n    x();\n}\n```\n");
    assert!(out.starts_with("<div class=\"code-block\"><div class=\"code-head\"><span class=\"code-title\">src/main.rs</span><span class=\"code-lang\">rust</span></div><pre class=\"code\" data-lang=\"rust\">"), "{out}");
    assert_eq!(
        out.matches("<span class=\"line marked\">").count(),
        1,
        "{out}"
    );
    assert_eq!(out.matches("<span class=\"line\">").count(), 2, "{out}");
    let out = html("```\nplain\n```\n");
    assert_eq!(
        out,
        "<div class=\"code-block\"><pre class=\"code\"><code>plain\n</code></pre>\n</div>\n"
    );
    let r = render("```rust {x}\nfn main() {}\n```\n", &no_resolve);
    assert_eq!(r.problems.len(), 1);
    assert!(!r.problems[0].error);
    let out = html("```rust title=\"<script>\"\nx\n```\n");
    assert!(
        out.contains("<span class=\"code-title\">&lt;script&gt;</span>"),
        "{out}"
    );
}

#[test]
fn footnotes_go_last_with_back_links() {
    let out = html("A[^a] and B[^b] and A again[^a].\n\n[^b]: Bee.\n\nMiddle.\n\n[^a]: Ay.\n");
    let section = out.find("<section class=\"footnotes\"").expect("section");
    assert!(out.find("Middle.").unwrap() < section, "{out}");
    assert!(out[section..].contains("<hr>"));
    assert!(
        out.find("id=\"fn-1\"").unwrap() < out.find("id=\"fn-2\"").unwrap(),
        "{out}"
    );
    assert!(
        out.contains("id=\"fnref-1\"") && out.contains("id=\"fnref-1-2\""),
        "{out}"
    );
    assert!(out.contains("Ay. <a class=\"footnote-backref\" href=\"#fnref-1\" aria-label=\"markup_footnote_back\">↩</a> <a class=\"footnote-backref\" href=\"#fnref-1-2\""), "{out}");
    assert!(!html("No notes.").contains("footnotes"));
}

#[test]
fn raw_html_links_are_resolved_and_recorded() {
    let resolve = |dest: &str| dest.strip_suffix(".md").map(|s| format!("/c/{s}/"));
    let source = "Go <a href=\"03-x.md\">on</a>.\n\n<div>\n<img\n  src=\"a.md\">\n</div>\n";
    let r = render(source, &resolve);
    assert!(r.html.contains("<a href=\"/c/03-x/\">on</a>"), "{}", r.html);
    assert!(r.html.contains("src=\"/c/a/\""), "{}", r.html);
    let links: Vec<(&str, usize, bool)> = r
        .links
        .iter()
        .map(|l| (l.dest.as_str(), l.offset, l.image))
        .collect();
    assert_eq!(
        links,
        [
            ("03-x.md", source.find("<a ").unwrap(), false),
            ("a.md", source.find("<img").unwrap(), true)
        ]
    );
    assert_eq!(outline(source).links, r.links);
}

#[test]
fn resolver_applies_to_links_and_images() {
    let resolve = |dest: &str| {
        dest.strip_suffix(".md")
            .map(|slug| format!("/courses/rust/{slug}/"))
    };
    let source = "Read [next](02-borrowing.md) and [web](https://x.org).\n\n![pic](fig.md \"t\")\n";
    let r = render(source, &resolve);
    assert!(
        r.html
            .contains("<a href=\"/courses/rust/02-borrowing/\">next</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<a href=\"https://x.org\">web</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<img src=\"/courses/rust/fig/\" alt=\"pic\" title=\"t\" />"),
        "{}",
        r.html
    );
    let dests: Vec<_> = r.links.iter().map(|l| (l.dest.as_str(), l.image)).collect();
    assert_eq!(
        dests,
        [
            ("02-borrowing.md", false),
            ("https://x.org", false),
            ("fig.md", true)
        ]
    );
}

#[test]
fn link_offsets_point_at_the_link() {
    let source = "intro\n\nsee [a](a.md) and <b@c.org> and [ref]\n\n[ref]: r.md\n";
    let r = render(source, &no_resolve);
    let found: Vec<_> = r
        .links
        .iter()
        .map(|l| (l.dest.as_str(), &source[l.offset..l.offset + 2]))
        .collect();
    assert_eq!(
        found,
        [("a.md", "[a"), ("mailto:b@c.org", "<b"), ("r.md", "[r")]
    );
    assert!(
        r.html.contains("<a href=\"mailto:b@c.org\">b@c.org</a>"),
        "{}",
        r.html
    );
}

#[test]
fn raw_html_passes_through() {
    let out = html("<div class=\"note\">hi</div>\n\ntext <kbd>Ctrl</kbd>\n");
    assert!(out.contains("<div class=\"note\">hi</div>"), "{out}");
    assert!(out.contains("<kbd>Ctrl</kbd>"), "{out}");
}

#[test]
fn plain_text_has_no_tags() {
    let source = "# Title\n\nSome **bold** and <b>raw</b> text.\n\n- one\n  - nested\n- two\n  ```\n  code\n  ```\n";
    assert_eq!(
        prose(source, |t, _| t.to_string()),
        "Title\nSome bold and raw text.\none\nnested\ntwo\ncode"
    );
}

#[test]
fn reading_time_chinese_vs_english() {
    let chinese = reading_minutes(&"所有权与借用是核心概念。".repeat(300));
    let english = reading_minutes(&"Ownership and borrowing are core ideas. ".repeat(300));
    // 3300 CJK characters at 300/min vs 1800 words at 200/min.
    assert_eq!(chinese, 11);
    assert_eq!(english, 9);
}

#[test]
fn code_counts_less_than_prose() {
    let words = "alpha beta gamma delta ".repeat(250); // 1000 words = 5 min
    let prose = reading_minutes(&words);
    let code = reading_minutes(&format!("```\n{words}\n```\n"));
    assert_eq!(prose, 5);
    assert_eq!(code, 3, "half weight: 2.5 minutes, rounded");
}

#[test]
fn hostile_inputs_do_not_panic() {
    let nested_list: String = (0..2_000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    let nested_quote = ">".repeat(10_000) + " deep";
    let brackets = "[".repeat(10_000) + "x" + &"]".repeat(10_000) + "(y)";
    let inputs = [
        "```rust\nfn main() {\n",
        "```\nunclosed",
        "$$ unbalanced",
        "$$\\frac{a}{b}$ $$$ $",
        "$\\begin{matrix} a $",
        "# \n## #\n",
        "[^x]\n\n[^x]: a\n[^x]: b\n",
        "![![$x$](in)](out)",
        "\u{0}\u{feff}\r\n\r\n#",
        &nested_list,
        &nested_quote,
        &brackets,
    ];
    for input in inputs {
        render(input, &no_resolve);
        assert!(reading_minutes(input) >= 1);
    }
}

#[test]
fn unclosed_fence_runs_to_the_end() {
    let out = html("```rust\nfn main() {\n");
    assert!(
        out.contains("<pre class=\"code\" data-lang=\"rust\">"),
        "{out}"
    );
    assert!(out.ends_with("</code></pre>\n</div>\n"), "{out}");
}

#[test]
fn renders_in_parallel() {
    use rayon::prelude::*;
    let resolve = |dest: &str| Some(format!("/{dest}"));
    let pages: Vec<_> = (0..64)
        .into_par_iter()
        .map(|i| {
            render(
                &format!("# Lesson {i}\n\n```rust\nlet n = {i};\n```\n[x](a.md)"),
                &resolve,
            )
        })
        .collect();
    assert!(
        pages
            .iter()
            .enumerate()
            .all(|(i, p)| p.headings[0].id == format!("lesson-{i}"))
    );
    assert!(pages.iter().all(|p| p.html.contains("href=\"/a.md\"")));
}

#[test]
fn outline_finds_what_render_finds() {
    let src = "# Intro `code`\n\nSee [a](02-x.md#moves) and ![i](x.png) $x^2$.\n\n\
               ## Intro code\n\n```rust\nfn main() {}\n```\n\n### $E=mc^2$ here\n\n\
               [ref]: https://example.com\n\n[r][ref] <https://a.b/> x[^n]\n\n[^n]: note\n";
    let full = render(src, &|_| None);
    let quick = super::outline(src);
    assert_eq!(quick.headings, full.headings);
    assert_eq!(quick.links, full.links);
    assert!(quick.html.is_empty());
}
