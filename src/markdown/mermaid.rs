//! `mermaid` code blocks drawn at build time as inline SVG, with
//! mermaid-rs-renderer (pure Rust): no script, nothing loaded from another
//! host, readable without JavaScript. README, "Diagrams", has the
//! comparison with merman that chose it.
//!
//! Colours follow the page: lines and text are `currentColor` and fills
//! are translucent tints, so one SVG reads on the light and the dark
//! scheme (the stylesheet sets `color` on `.diagram`). Ids inside the SVG
//! (arrow markers, edges) get the diagram's own prefix, so two diagrams on
//! one page cannot take each other's markers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex};

use mermaid_rs_renderer::{RenderOptions, Theme};
use sha2::{Digest, Sha256};

use super::guarded;

/// Longest diagram source drawn; past it the block is shown as code.
/// Course diagrams are a few hundred bytes; layout cost grows faster than
/// linearly with the number of nodes.
const MAX_SOURCE: usize = 16 * 1024;

/// Most non-empty lines drawn. Layout time grows much faster than the
/// node count: a 980-edge chain (15 KB) kept the renderer busy for over
/// five minutes in a debug build, while 150 edges took about two seconds.
const MAX_LINES: usize = 200;

/// Options shared by every diagram: the theme below and fixed text
/// metrics, so the output does not depend on the fonts of the machine
/// that builds (and no font database is loaded or cached on disk).
static OPTIONS: LazyLock<RenderOptions> = LazyLock::new(|| {
    let mut options = RenderOptions {
        theme: page_theme(),
        ..RenderOptions::default()
    };
    options.layout.fast_text_metrics = true;
    options
});

/// Ink for text and lines: the page's text colour.
const INK: &str = "currentColor";
/// A tint of the brand colour that reads on white and on near-black.
const TINT: &str = "rgba(99,102,241,0.14)";
/// A lighter tint, for groups and secondary shapes.
const TINT_SOFT: &str = "rgba(99,102,241,0.07)";
/// Borders: the ink at half strength.
const BORDER: &str = "rgba(127,127,140,0.75)";
/// Notes in sequence diagrams: a warm tint.
const NOTE: &str = "rgba(250,204,21,0.22)";

/// Pie slices: mid-tone hues at a third strength, so slice labels in
/// [`INK`] read on both schemes.
const PIE: [&str; 12] = [
    "rgba(99,102,241,0.35)",
    "rgba(16,185,129,0.35)",
    "rgba(245,158,11,0.35)",
    "rgba(239,68,68,0.35)",
    "rgba(14,165,233,0.35)",
    "rgba(168,85,247,0.35)",
    "rgba(132,204,22,0.35)",
    "rgba(236,72,153,0.35)",
    "rgba(20,184,166,0.35)",
    "rgba(249,115,22,0.35)",
    "rgba(100,116,139,0.35)",
    "rgba(234,179,8,0.35)",
];

/// The theme: mermaid-rs-renderer's modern one, recoloured with
/// [`INK`], tints and no background, so the page's own colours show.
fn page_theme() -> Theme {
    let mut t = Theme::modern();
    t.font_family = "system-ui, -apple-system, \"Segoe UI\", sans-serif".to_string();
    t.primary_color = TINT.into();
    t.secondary_color = TINT_SOFT.into();
    t.tertiary_color = TINT_SOFT.into();
    t.primary_text_color = INK.into();
    t.text_color = INK.into();
    t.primary_border_color = BORDER.into();
    t.line_color = INK.into();
    t.edge_label_background = "none".into();
    t.cluster_background = TINT_SOFT.into();
    t.cluster_border = BORDER.into();
    t.background = "none".into();
    t.sequence_actor_fill = TINT.into();
    t.sequence_actor_border = BORDER.into();
    t.sequence_actor_line = BORDER.into();
    t.sequence_note_fill = NOTE.into();
    t.sequence_note_border = BORDER.into();
    t.sequence_activation_fill = TINT_SOFT.into();
    t.sequence_activation_border = BORDER.into();
    t.pie_colors = PIE.map(String::from);
    t.pie_title_text_color = INK.into();
    t.pie_section_text_color = INK.into();
    t.pie_legend_text_color = INK.into();
    t.pie_stroke_color = BORDER.into();
    t.pie_outer_stroke_color = BORDER.into();
    t
}

/// The diagram `source` as an SVG element whose ids all start with
/// `id-`, or why it cannot be drawn.
pub(super) fn render(source: &str, id: &str) -> Result<String, String> {
    let lines = source.lines().filter(|l| !l.trim().is_empty()).count();
    if lines > MAX_LINES {
        return Err(format!(
            "it has {lines} lines; at most {MAX_LINES} are drawn, split it into smaller diagrams"
        ));
    }
    if source.len() > MAX_SOURCE {
        return Err(format!(
            "{} KB is over the {} KB limit for a diagram",
            source.len() / 1024,
            MAX_SOURCE / 1024
        ));
    }
    Ok(prefix_ids(&get_or_draw(source)?, id))
}

/// Most diagrams [`DRAWN`] keeps; past it, it starts again empty. At the
/// 16 KB source limit and about as much SVG, that bounds it near 130 MB;
/// course diagrams are a few hundred bytes each.
const MAX_DRAWN: usize = 4096;

/// A diagram's key: the SHA-256 of its source.
pub type Key = [u8; 32];

/// One diagram the memo knows: its SVG (ids not yet prefixed) or why it
/// cannot be drawn, and whether a page of this process asked for it.
struct Entry {
    drawn: Result<String, String>,
    used: bool,
}

/// Diagrams drawn in this process (or handed in by [`seed`] from the
/// site's cache), by key. Laying out a five-node flowchart takes
/// mermaid-rs-renderer about 15 ms (its exhaustive edge router and label
/// placer), so the same diagram is drawn once: in a lesson and its
/// translation, in lessons that repeat a course's map, in every re-render
/// `serve` does after an edit elsewhere in the lesson, and (through the
/// cache) in the next build.
static DRAWN: LazyLock<Mutex<HashMap<Key, Entry>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The memo, even after a panic elsewhere poisoned the lock (every entry
/// is complete when inserted, so the map is still sound).
fn drawn() -> std::sync::MutexGuard<'static, HashMap<Key, Entry>> {
    DRAWN.lock().unwrap_or_else(|e| e.into_inner())
}

/// The key of a diagram `source`.
pub fn key_of(source: &str) -> Key {
    Sha256::digest(source.as_bytes()).into()
}

/// What a drawing depends on besides its source: the renderer and the
/// options (theme, metrics) it is drawn with. A cache made under another
/// fingerprint is not used. [`RENDERER`] is kept equal to the locked
/// version by a test.
pub fn fingerprint() -> String {
    let options = format!("{RENDERER}\n{:?}", *OPTIONS);
    crate::util::hex(&Sha256::digest(options.as_bytes()))
}

/// The renderer as locked in Cargo.lock, and kpsite's patch of it
/// (vendor/README.md).
pub const RENDERER: &str = "mermaid-rs-renderer 0.3.1 + kpsite.patch";

/// Hands drawings made by an earlier build to the memo (not marked used).
pub fn seed(drawings: impl IntoIterator<Item = (Key, String)>) {
    let mut memo = drawn();
    for (key, svg) in drawings {
        if memo.len() >= MAX_DRAWN {
            break;
        }
        memo.entry(key).or_insert(Entry {
            drawn: Ok(svg),
            used: false,
        });
    }
}

/// Set when a diagram is drawn (not found in the memo): the cache has
/// something new to keep.
static DREW_NEW: AtomicBool = AtomicBool::new(false);

/// Whether a diagram was drawn since the last call: `serve` saves the
/// cache only then, not after every edit.
pub fn drew_new() -> bool {
    DREW_NEW.swap(false, Ordering::Relaxed)
}

/// The diagrams pages of this process asked for and that drew, by key
/// order: what the next build can reuse.
pub fn used_drawings() -> Vec<(Key, String)> {
    let memo = drawn();
    let mut out: Vec<(Key, String)> = memo
        .iter()
        .filter(|(_, e)| e.used)
        .filter_map(|(k, e)| e.drawn.as_ref().ok().map(|svg| (*k, svg.clone())))
        .collect();
    out.sort_unstable_by_key(|(key, _)| *key);
    out
}

/// The SVG (ids not yet prefixed) or error for `source`, drawn now unless
/// an earlier call (or the cache) drew it. The lock is not held while
/// drawing, so pages render in parallel; two threads that meet the same
/// new diagram at once both draw it, with the same result.
fn get_or_draw(source: &str) -> Result<String, String> {
    let key = key_of(source);
    if let Some(entry) = drawn().get_mut(&key) {
        entry.used = true;
        return entry.drawn.clone();
    }
    let result = draw(source);
    let mut memo = drawn();
    if memo.len() >= MAX_DRAWN {
        memo.clear();
    }
    memo.insert(
        key,
        Entry {
            drawn: result.clone(),
            used: true,
        },
    );
    if result.is_ok() {
        DREW_NEW.store(true, Ordering::Relaxed);
    }
    result
}

/// `source` laid out and drawn by mermaid-rs-renderer, or why not.
fn draw(source: &str) -> Result<String, String> {
    // A panic in the renderer becomes this one diagram shown as code.
    let drawn = guarded(|| mermaid_rs_renderer::render_strict(source, OPTIONS.clone()))
        .ok_or_else(|| "the renderer failed on it".to_string())?;
    let svg = drawn.map_err(|e| first_line(&e.to_string()))?;
    if !svg.trim_start().starts_with("<svg") {
        return Err("the renderer gave no SVG".into());
    }
    Ok(svg)
}

/// A drawing of `source`, for tests elsewhere in the crate.
#[cfg(test)]
pub(crate) fn draw_for_test(source: &str) -> String {
    draw(source).expect("the test diagram draws")
}

/// The first line of an error message, trimmed.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}

/// `svg` with every `id="x"` renamed `prefix-x`, and the references to
/// them (`url(#x)`, `href="#x"`) renamed alike.
fn prefix_ids(svg: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(svg.len() + svg.len() / 16);
    let mut rest = svg;
    // The earliest of the three patterns each time round.
    let patterns: [&str; 4] = [" id=\"", "url(#", "href=\"#", "url(&quot;#"];
    loop {
        let next = patterns
            .iter()
            .filter_map(|p| rest.find(p).map(|at| (at, *p)))
            .min_by_key(|(at, _)| *at);
        let Some((at, pattern)) = next else {
            out.push_str(rest);
            return out;
        };
        let value_start = at + pattern.len();
        out.push_str(&rest[..value_start]);
        out.push_str(prefix);
        out.push('-');
        rest = &rest[value_start..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cache fingerprint names the renderer that is locked and
    /// patched: updating the crate without updating [`RENDERER`] would
    /// let a new build reuse the old renderer's drawings.
    #[test]
    fn the_renderer_named_is_the_one_locked() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        let entry = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"mermaid-rs-renderer\""))
            .unwrap();
        let version = entry
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .unwrap()
            .trim_end_matches('"');
        assert!(
            RENDERER.starts_with(&format!("mermaid-rs-renderer {version} ")),
            "{RENDERER} vs {version}"
        );
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let patched =
            manifest.contains("mermaid-rs-renderer = { path = \"vendor/mermaid-rs-renderer\" }");
        assert_eq!(patched, RENDERER.ends_with("+ kpsite.patch"));
    }

    #[test]
    fn ids_and_references_get_the_prefix() {
        let svg = "<svg><defs><marker id=\"arrow-0\"/></defs><path marker-end=\"url(#arrow-0)\"/><use href=\"#arrow-0\"/><a href=\"https://x\"/></svg>";
        assert_eq!(
            prefix_ids(svg, "d1"),
            "<svg><defs><marker id=\"d1-arrow-0\"/></defs><path marker-end=\"url(#d1-arrow-0)\"/><use href=\"#d1-arrow-0\"/><a href=\"https://x\"/></svg>"
        );
    }

    #[test]
    fn a_flowchart_is_inline_svg_with_page_colours() {
        let svg = render("flowchart TD\n  A[Start] --> B[End]\n", "kp-mermaid-1").unwrap();
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains("Start") && svg.contains("End"));
        assert!(svg.contains("currentColor"));
        assert!(!svg.contains("#FFFFFF"), "no white background: {svg}");
        for id in svg.split(" id=\"").skip(1) {
            assert!(id.starts_with("kp-mermaid-1-"), "{id}");
        }
        assert!(!svg.contains("http://") || !svg.contains("src="));
    }

    /// The kinds courses use all draw, with the page's colours.
    #[test]
    fn course_diagram_kinds_draw() {
        let kinds = [
            "sequenceDiagram\n  A->>B: hi\n  Note right of B: n\n",
            "classDiagram\n  Animal <|-- Dog\n",
            "stateDiagram-v2\n  [*] --> Draft\n  Draft --> [*]\n",
            "erDiagram\n  CUSTOMER ||--o{ ORDER : places\n",
            "gantt\n  dateFormat YYYY-MM-DD\n  section S\n  A :a1, 2026-01-01, 7d\n",
            "pie title T\n  \"A\" : 40\n  \"B\" : 60\n",
        ];
        for source in kinds {
            let svg = render(source, "d").unwrap_or_else(|e| panic!("{source}: {e}"));
            assert!(svg.starts_with("<svg "), "{source}");
        }
        let pie = render(kinds[5], "d").unwrap();
        assert!(pie.contains("rgba(99,102,241,0.35)"), "{pie}");
    }

    /// A diagram met again is the same SVG under its own id prefix, and
    /// a failed one fails the same way again.
    #[test]
    fn a_repeated_diagram_is_drawn_once_with_its_own_ids() {
        let source = "flowchart LR\n  A --> B\n  B --> C\n  B --> D\n  C --> E\n  D --> E\n";
        let first = render(source, "p1").unwrap();
        assert!(drawn().contains_key(&key_of(source)));
        let again = render(source, "p2").unwrap();
        assert_eq!(first.replace("p1-", "p2-"), again);
        assert!(!again.contains("p1-"), "{again}");
        let bad = "notadiagram\n y\n";
        assert_eq!(render(bad, "a"), render(bad, "b"));
        assert!(render(bad, "a").is_err());
    }

    #[test]
    fn nonsense_is_an_error_not_a_panic() {
        for bad in [
            "",
            "notadiagram\n x\n",
            "flowchart TD\n A --> \n [[[\n",
            "sequenceDiagram\n ->>\n",
        ] {
            let _ = render(bad, "d");
        }
        assert!(render("notadiagram\n x\n", "d").is_err());
        assert!(render(&"flowchart TD\n".repeat(10_000), "d").is_err());
        let chain: String = (0..300)
            .map(|i| format!("  n{i} --> n{}\n", i + 1))
            .collect();
        let e = render(&format!("flowchart TD\n{chain}"), "d").unwrap_err();
        assert!(e.contains("301 lines"), "{e}");
    }
}
