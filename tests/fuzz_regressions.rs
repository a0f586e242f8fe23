//! Replays, under stable `cargo test`, every input the fuzzers keep: the
//! minimized corpus (`fuzz/corpus/<target>/`) and every case that once
//! crashed or hung (`fuzz/regressions/<target>/`). The fuzz targets
//! themselves (`fuzz/`, cargo-fuzz) need nightly; these tests do not.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

fn replay(target: &str, run: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    let mut failures = Vec::new();
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let data = fs::read(&path).unwrap();
            let start = Instant::now();
            if catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
                failures.push(format!("{} panicked", path.display()));
            }
            // A case that once hung must stay fast (generous for debug builds).
            if start.elapsed().as_secs() > 20 {
                failures.push(format!("{} took {:?}", path.display(), start.elapsed()));
            }
            count += 1;
        }
    }
    assert!(count > 0, "no corpus for {target}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_file_corpus() {
    replay("yaml_file", kpsite::fuzzing::yaml_file);
}

#[test]
fn front_matter_corpus() {
    replay("front_matter", kpsite::fuzzing::front_matter);
}

#[test]
fn markdown_corpus() {
    replay("markdown", kpsite::fuzzing::markdown);
}
