//! Lesson markup end to end (issue #15): diagrams drawn at build time,
//! quizzes, code-block heads, raw HTML links checked like Markdown ones,
//! and the file:line of every problem.

mod common;

use common::{NOW, TestSite};

/// A free lesson: rendered in full on the public site.
const FREE: &str = "lessons/intro-rust/01-welcome.md";
/// A paid lesson: only outlined for the public site.
const PAID: &str = "lessons/intro-rust/03-lifetimes.md";
const FREE_PAGE: &str = "public/courses/intro-rust/welcome/index.html";

fn free_lesson(body: &str) -> String {
    format!("---\ntitle: Welcome to Rust\nfree: true\n---\n\n{body}")
}

#[test]
fn a_lesson_with_everything_builds_without_outside_hosts() {
    let site = TestSite::fixture("basic");
    site.write(
        FREE,
        &free_lesson(
            "```mermaid\nflowchart LR\n  A --> B\n```\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n\n\
             ```rust title=\"src/main.rs\" {2}\nfn main() {\n    println!(\"hi\");\n}\n```\n\n\
             ```quiz\nquestion: Which?\noptions: [a, b]\nanswer: 1\nexplain: Because.\n```\n\n\
             Text[^n].\n\n- [x] done\n\n[^n]: A note.\n",
        ),
    );
    site.build_ok(&[]);
    let html = site.read(FREE_PAGE);
    assert_eq!(
        html.matches("<figure class=\"diagram\"").count(),
        2,
        "{html}"
    );
    assert!(html.contains("id=\"kp-mermaid-1\"") && html.contains("id=\"kp-mermaid-2\""));
    // Each diagram's inner ids carry its own prefix: no collision.
    assert!(html.contains("id=\"kp-mermaid-1-") && html.contains("id=\"kp-mermaid-2-"));
    assert!(html.contains("<span class=\"code-title\">src/main.rs</span>"));
    assert!(html.contains("<span class=\"line marked\">"));
    assert!(html.contains("<form class=\"quiz\""));
    assert!(html.contains("<section class=\"footnotes\""));
    assert!(html.contains("class=\"footnote-backref\" href=\"#fnref-1\""));
    assert!(html.contains("markup.js"));
    // No page of the site loads a script from another host.
    for (path, bytes) in common::snapshot(&site.join("public")) {
        if path.ends_with(".html") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("jsdelivr"), "{path}");
            assert!(!text.contains("<script src=\"http"), "{path}");
        }
    }
}

#[test]
fn a_malformed_quiz_fails_the_build_at_its_line() {
    let site = TestSite::fixture("basic");
    // Body starts at line 6: the fence is line 8, `answer:` line 11.
    site.write(
        FREE,
        &free_lesson("Intro.\n\n```quiz\nquestion: Which?\noptions: [a, b]\nanswer: 5\n```\n"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("01-welcome.md:11:1: `answer` must be the index of the right option, 0 to 1"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_quiz_in_a_paid_lesson_is_found_too() {
    let site = TestSite::fixture("basic");
    site.write(
        PAID,
        "---\ntitle: Lifetimes\n---\n\n```quiz\nquestion: q\noptions: [a, b\nanswer: 0\n```\n",
    );
    let run = site.kpsite(&["check", ".", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("03-lifetimes.md:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("this quiz is not valid YAML"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_undrawable_diagram_is_a_warning_and_shows_as_code() {
    let site = TestSite::fixture("basic");
    site.write(
        FREE,
        &free_lesson("```mermaid\nnotadiagram\n  x --> y\n```\n"),
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains(
            "warning: lessons/intro-rust/01-welcome.md:6:1: this mermaid diagram cannot be drawn"
        ),
        "{}",
        run.stderr
    );
    let html = site.read(FREE_PAGE);
    assert!(!html.contains("kp-mermaid"), "no diagram was drawn: {html}");
    assert!(html.contains("data-lang=\"mermaid\""), "{html}");
    assert!(html.contains("notadiagram"));
}

#[test]
fn raw_html_links_are_resolved_and_checked() {
    let site = TestSite::fixture("basic");
    site.write(
        FREE,
        &free_lesson(
            "See <a href=\"02-ownership.md\">ownership</a>.\n\n\
             <p><img src=\"../../static/img/logo.svg\" alt=\"logo\"></p>\n",
        ),
    );
    site.build_ok(&[]);
    let html = site.read(FREE_PAGE);
    assert!(
        html.contains("<a href=\"/academy/courses/intro-rust/ownership/\">"),
        "{html}"
    );
    assert!(!html.contains("../../static/img/logo.svg"), "{html}");

    site.write(
        FREE,
        &free_lesson(
            "See <a href=\"02-gone.md\">gone</a>.\n\n<video controls\n  poster=\"../../static/img/nope.png\">\n<source src=\"clip.mp4\"></video>\n",
        ),
    );
    let run = site.kpsite(&["check", ".", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for want in [
        "01-welcome.md:6:5: broken link `02-gone.md`",
        "01-welcome.md:8:1: broken image `../../static/img/nope.png`",
        "01-welcome.md:10:1: broken link `clip.mp4`",
    ] {
        assert!(run.stderr.contains(want), "{want}\n{}", run.stderr);
    }
}

/// The vendored renderer (vendor/mermaid-rs-renderer, 0.3.1 plus
/// kpsite.patch) draws byte for byte what crates.io's 0.3.1 drew: the
/// `.svg` files beside each source were made by the unpatched crate, with
/// its default options and fixed text metrics. A patch that changed a
/// single coordinate fails here.
#[test]
fn the_patched_renderer_draws_what_the_released_one_drew() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mermaid-0.3.1");
    let mut options = mermaid_rs_renderer::RenderOptions::default();
    options.layout.fast_text_metrics = true;
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "mmd") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let drawn = mermaid_rs_renderer::render_strict(&source, options.clone()).unwrap();
        let released = std::fs::read_to_string(path.with_extension("svg")).unwrap();
        assert!(drawn == released, "{} is drawn differently", path.display());
        compared += 1;
    }
    assert_eq!(compared, 13, "every fixture diagram was compared");
}

const CACHE: &str = ".kpsite/cache/diagrams.json";

/// A site whose free lesson has one flowchart with the label `Router`.
fn site_with_a_diagram() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(
        FREE,
        &free_lesson(
            "```mermaid\nflowchart LR\n  A[Request] --> B{Router}\n  B --> C[(Database)]\n```\n",
        ),
    );
    site
}

/// A build keeps what it drew in `.kpsite/cache/`; the next build reads
/// it back instead of drawing (shown by editing the cached drawing), and
/// a diagram no page uses any more drops out of the cache.
#[test]
fn the_next_build_reuses_drawn_diagrams() {
    let site = site_with_a_diagram();
    site.build_ok(&[]);
    let cache = site.read(CACHE);
    assert!(
        cache.contains("Router") && cache.contains("\"renderer\""),
        "{cache}"
    );
    site.write(CACHE, &cache.replace(">Router<", ">From the cache<"));
    site.build_ok(&[]);
    assert!(site.read(FREE_PAGE).contains(">From the cache<"));
    site.write(FREE, &free_lesson("No diagram now.\n"));
    site.build_ok(&[]);
    assert!(!site.read(CACHE).contains("From the cache"));
}

/// A cache holding what the renderer never writes (a script, an event
/// handler, a link out) is set aside with a warning naming the file, the
/// page gets a fresh drawing, and the file is left as it was.
#[test]
fn a_tampered_cache_is_set_aside_and_kept() {
    let site = site_with_a_diagram();
    site.build_ok(&[]);
    let cache = site.read(CACHE);
    for (from, to) in [
        ("<text ", "<script>alert(1)</script><text "),
        ("<text ", "<text onclick=\\\"alert(1)\\\" "),
        ("<text ", "<a href=\\\"https://evil.example/\\\"><text "),
    ] {
        let tampered = cache.replacen(from, to, 1);
        assert_ne!(tampered, cache, "{from}");
        site.write(CACHE, &tampered);
        let run = site.build_ok(&[]);
        assert!(
            run.stderr.contains(
                "warning: .kpsite/cache/diagrams.json: holds a drawing that is not one kpsite made"
            ),
            "{}",
            run.stderr
        );
        let page = site.read(FREE_PAGE);
        assert!(
            page.contains(">Router<")
                && !page.contains("alert(1)")
                && !page.contains("evil.example")
        );
        assert_eq!(
            site.read(CACHE),
            tampered,
            "the file nobody can vouch for is kept"
        );
    }
    site.write(CACHE, "not json");
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains("diagrams.json: is not a diagram cache"),
        "{}",
        run.stderr
    );
}

/// The cache folder as a symlink to a folder outside the site is neither
/// read (a drawing planted there never reaches a page) nor written.
#[cfg(unix)]
#[test]
fn a_symlinked_cache_folder_is_neither_read_nor_written() {
    let site = site_with_a_diagram();
    site.build_ok(&[]);
    let planted = site.read(CACHE).replace(">Router<", ">Planted<");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("diagrams.json"), &planted).unwrap();
    std::fs::remove_dir_all(site.path().join(".kpsite/cache")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join(".kpsite/cache")).unwrap();
    let run = site.build_ok(&[]);
    assert!(!site.read(FREE_PAGE).contains("Planted"));
    assert!(run.stderr.contains("diagrams.json"), "{}", run.stderr);
    let after = std::fs::read_to_string(outside.path().join("diagrams.json")).unwrap();
    assert_eq!(after, planted, "nothing was written through the link");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
}
