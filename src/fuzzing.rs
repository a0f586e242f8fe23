//! Entry points shared by the fuzz targets (`fuzz/`, cargo-fuzz, nightly)
//! and the regression tests that replay their corpus and every case they
//! found under stable `cargo test` (`tests/fuzz_regressions.rs`). Each
//! takes arbitrary bytes and must never panic, loop or overflow; a few
//! also check properties (see each).

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::calendar;
use crate::diagnostics::Diagnostics;
use crate::load::{LessonFile, Sources, TextFile};
use crate::markdown;
use crate::model::Audience;
use crate::validate::{self, Options};

/// A site folder that does not exist: the inputs are all in memory.
const ROOT: &str = "/nonexistent/kpsite-fuzz";

const CONFIG: &str = "title: T\ndescription: D\nbase_url: https://example.com/x/\ntimezone: Asia/Shanghai\ncurrency: CNY\n";
const MANIFEST: &str = "courses:\n  - id: c\n    title: C\n    price: 10\n    payment: { provider: link, url: https://pay.example.com/c }\n";

fn text(path: &str, text: &str) -> Option<TextFile> {
    Some(TextFile {
        path: PathBuf::from(path),
        text: text.to_string(),
    })
}

fn options() -> Options {
    Options {
        drafts: true,
        base_url: None,
        now: Timestamp::from_second(1_790_000_000).expect("a valid time"),
    }
}

/// Validates `sources` and, when they make a site, runs what reads the
/// model: the ROI estimate and the calendar feeds.
/// The fuzzer's first byte picks what the rest (as UTF-8 text) stands for.
fn choice_and_text(data: &[u8]) -> Option<(u8, &str)> {
    let (&which, rest) = data.split_first()?;
    Some((which, std::str::from_utf8(rest).ok()?))
}

/// A valid kpsite.yaml and manifest.yaml, for inputs to replace one of.
fn valid_sources() -> Sources {
    Sources {
        config: text("kpsite.yaml", CONFIG),
        manifest: text("manifest.yaml", MANIFEST),
        ..Sources::default()
    }
}

fn validate_all(sources: &Sources) {
    let mut diags = Diagnostics::default();
    let site = validate::validate(Path::new(ROOT), sources, &options(), &mut diags);
    for d in diags.sorted() {
        let _ = d.to_string();
    }
    if let Some(site) = site {
        let _ = crate::report::estimate(&site);
        let info = calendar::FeedInfo::new(&site.config.base_url, "T", site.now, "Members only");
        for audience in [Audience::Public, Audience::Members] {
            let _ = calendar::feed(&site.events, audience, &info);
        }
    }
}

/// `kpsite.yaml`, `manifest.yaml` or `calendar.yaml` (chosen by the first
/// byte), the other files valid: validate, estimate, write the calendar.
pub fn yaml_file(data: &[u8]) {
    let Some((which, input)) = choice_and_text(data) else {
        return;
    };
    let mut sources = valid_sources();
    match which % 3 {
        0 => sources.config = text("kpsite.yaml", input),
        1 => sources.manifest = text("manifest.yaml", input),
        _ => sources.calendar = text("calendar.yaml", input),
    }
    validate_all(&sources);
}

/// A lesson file (odd first byte) or a page (even): front matter split and
/// parsed, slug, reading time, then the whole validation.
pub fn front_matter(data: &[u8]) {
    let Some((which, input)) = choice_and_text(data) else {
        return;
    };
    let mut sources = valid_sources();
    if which % 2 == 1 {
        sources.lessons.push(LessonFile {
            course: "c".into(),
            module: None,
            file: TextFile {
                path: PathBuf::from("lessons/c/01-x.md"),
                text: input.to_string(),
            },
        });
    } else {
        sources.pages = text("pages/about.md", input).into_iter().collect();
    }
    validate_all(&sources);
}

/// Markdown to HTML. Also checks that [`markdown::outline`] (what the link
/// checker reads for bodies it does not render) finds exactly the headings
/// and links [`markdown::render`] finds.
pub fn markdown(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let resolve = |dest: &str| dest.ends_with(".md").then(|| format!("/x/{dest}"));
    let full = markdown::render(input, &resolve);
    let quick = markdown::outline(input);
    assert_eq!(full.headings, quick.headings, "outline headings differ");
    assert_eq!(full.links, quick.links, "outline links differ");
    for link in &full.links {
        assert!(link.offset <= input.len(), "link offset out of range");
    }
}
