//! The test builder itself, page HTML as snapshots (`insta`; the `.snap`
//! files under tests/snapshots/ are committed, so CI needs no
//! `cargo insta`), and reproducibility across two separate processes.

mod common;

use common::{NOW, TestSite, snapshot};

/// The `<main>` element of a page: the part a page template controls.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

#[test]
fn the_builder_reports_diagnostics_with_their_place() {
    let built = TestSite::from_fixture("basic")
        .with_file(
            "pages/broken.md",
            "---\ntitle: Broken\n---\n\nSee [here](/academy/nope/).\n",
        )
        .build_site(&[]);
    assert!(!built.ok());
    assert!(
        built.has_error("pages/broken.md", 5, "broken link `/academy/nope/`"),
        "{:#?}",
        built.diagnostics
    );
    assert_eq!(built.errors().len(), 1, "{:#?}", built.diagnostics);
    // A warning is parsed too, and is no error.
    assert!(
        built
            .diagnostics
            .iter()
            .any(|d| !d.error && d.file == "kpsite.yaml")
    );
}

#[test]
fn a_page_snapshot() {
    let built = TestSite::from_fixture("basic")
        .with_file(
            "pages/terms.md",
            "---\ntitle: Terms & <conditions>\n---\n\n# Scope\n\nPlain *words*, a [link](refund.md).\n",
        )
        .build_site(&[]);
    insta::assert_snapshot!("terms_main", main_of(&built.page("terms/index.html")));
    insta::assert_snapshot!("refund_main", main_of(&built.page("refund/index.html")));
}

#[test]
fn crawl_file_snapshots() {
    let built = TestSite::from_fixture("basic").build_site(&[]);
    insta::assert_snapshot!("robots_txt", built.page("robots.txt"));
    insta::assert_snapshot!("sitemap_xml", built.page("sitemap.xml"));
}

/// Copies `example-site` to a fresh folder and builds it there in a
/// process of its own; returns every output file.
fn build_example_elsewhere() -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        // Outputs of a local build of the example are not inputs.
        if matches!(
            first.as_deref(),
            Some("public" | "members" | "report" | ".kpsite")
        ) {
            continue;
        }
        let to = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["build", ".", "--members", "--now", NOW])
        .current_dir(dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("KPSITE_SECRET")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files = snapshot(&dir.path().join("public"));
    for (k, v) in snapshot(&dir.path().join("members")) {
        files.insert(format!("members/{k}"), v);
    }
    for (k, v) in snapshot(&dir.path().join("report")) {
        files.insert(format!("report/{k}"), v);
    }
    (dir, files)
}

#[test]
fn two_processes_in_two_folders_write_the_same_bytes() {
    // Each process has its own randomly seeded hasher and its own folder:
    // a HashMap order or an absolute path reaching the output shows here.
    let (_a, first) = build_example_elsewhere();
    let (_b, second) = build_example_elsewhere();
    assert!(first.len() > 50, "the example site builds many files");
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    let differ: Vec<&String> = first
        .iter()
        .filter(|(k, v)| second.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        differ.is_empty(),
        "these files differ between two builds: {differ:?}"
    );
}
