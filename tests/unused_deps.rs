//! CI fails on an unused dependency: every crate in Cargo.toml's
//! `[dependencies]` (and target-specific dependencies) must be named in
//! `src/` as `crate_name::…`, `use crate_name` or `extern crate crate_name`;
//! every `[dev-dependencies]` crate in `src/`, `tests/` or `benches/`.
//! Comments do not count. (`cargo-machete` does the same but takes minutes to
//! install on CI; this reads two folders in milliseconds.)

use std::fs;
use std::path::Path;

/// Crates kept although no code names them, each with the reason. A crate
/// used only through a feature flag or at build time goes here.
const ALLOWED_UNNAMED: &[(&str, &str)] = &[];

/// The dependency names of `manifest`'s sections for which `wanted` says
/// yes, as written (`serde_json`, `tree-sitter-c`).
fn dependencies(manifest: &str, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let mut section = String::new();
    let mut names = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if let Some(s) = line.strip_prefix('[') {
            section = s.trim_end_matches(']').to_string();
        } else if wanted(&section)
            && let Some((name, _)) = line.split_once('=')
            && !line.starts_with('#')
        {
            names.push(name.trim().trim_matches('"').to_string());
        }
    }
    names
}

/// The code of every `.rs` file under `dirs`, without `//` comments.
fn code_under(root: &Path, dirs: &[&str]) -> String {
    let mut code = String::new();
    for dir in dirs {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            if entry.path().extension().is_some_and(|e| e == "rs") {
                code.push_str(&without_comments(
                    &fs::read_to_string(entry.path()).unwrap(),
                ));
            }
        }
    }
    code
}

/// `text` with every `//` comment (and doc comment) cut off.
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or("").to_string() + "\n")
        .collect()
}

/// Whether `code` names the crate of the dependency `dep`.
fn names(code: &str, dep: &str) -> bool {
    let krate = dep.replace('-', "_");
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let found = |pattern: &str, must_end: bool| {
        code.match_indices(pattern).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = code[i + pattern.len()..].chars().next();
            !(before.is_some_and(is_ident) || must_end && after.is_some_and(is_ident))
        })
    };
    found(&format!("{krate}::"), false)
        || found(&format!("use {krate}"), true)
        || found(&format!("extern crate {krate}"), true)
}

/// The dependencies among `deps` that `code` never names, less the allowed.
fn unused(deps: &[String], code: &str) -> Vec<String> {
    deps.iter()
        .filter(|d| !ALLOWED_UNNAMED.iter().any(|(a, _)| a == d))
        .filter(|d| !names(code, d))
        .cloned()
        .collect()
}

fn manifest() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap()
}

fn is_normal(section: &str) -> bool {
    section == "dependencies"
        || (section.starts_with("target.") && section.ends_with(".dependencies"))
}

#[test]
fn every_dependency_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let deps = dependencies(&manifest(), is_normal);
    assert!(
        deps.len() > 10 && deps.contains(&"libc".to_string()),
        "{deps:?}"
    );
    let unused = unused(&deps, &code_under(root, &["src"]));
    assert!(
        unused.is_empty(),
        "Cargo.toml lists crates src/ never uses: {unused:?}; remove them \
         (`cargo remove NAME`) or add them to ALLOWED_UNNAMED with the reason"
    );
}

#[test]
fn every_dev_dependency_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let deps = dependencies(&manifest(), |s| s == "dev-dependencies");
    assert!(deps.contains(&"tempfile".to_string()), "{deps:?}");
    let unused = unused(&deps, &code_under(root, &["src", "tests", "benches"]));
    assert!(unused.is_empty(), "dev-dependencies never used: {unused:?}");
}

#[test]
fn an_unused_dependency_is_reported() {
    // Positive control: the scan catches what it scans for.
    let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\n\
                    fake-crate = { version = \"1\" }\nserde_json = \"1\"\n\n\
                    [dev-dependencies]\ntempfile = \"3\"\n";
    let deps = dependencies(manifest, is_normal);
    assert_eq!(deps, ["serde", "fake-crate", "serde_json"]);
    let code = "use serde::Deserialize;\n// fake_crate::f()\nlet s = \"a\"; \
                let v = not_fake_crate::g(); let w = fake_crates::h(); serde_json::to_string(&v);\n";
    assert_eq!(unused(&deps, &without_comments(code)), ["fake-crate"]);
    assert_eq!(unused(&deps, "use fake_crate;"), ["serde", "serde_json"]);
    assert!(names("fn f() { fake_crate::run() }", "fake-crate"));
}
