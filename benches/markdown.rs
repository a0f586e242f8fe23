//! Markdown → HTML, the bulk of a build's work: `cargo bench --bench markdown`.
//!
//! `lesson.md` is a lesson of the generated benchmark corpus
//! (bench/gen_corpus.py): Chinese and English prose, a Rust and a Python
//! block, a table, a list and links. The three cases separate the cost of
//! highlighting from that of the Markdown parser and HTML writer, so a
//! regression in either shows.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const LESSON: &str = include_str!("lesson.md");

/// The lesson without its fenced code blocks.
fn prose_only(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The lesson's fenced code blocks only.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            out.push_str(line);
            out.push('\n');
        } else if in_code {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let resolve = |dest: &str| dest.strip_suffix(".md").map(|s| format!("../{s}/"));
    // Load the syntax definitions outside the measurement.
    kpsite::markdown::render("```rust\nfn main() {}\n```\n", &resolve);
    let mut group = c.benchmark_group("markdown");
    for (name, text) in [
        ("lesson", LESSON.to_string()),
        ("prose", prose_only(LESSON)),
        ("code", code_only(LESSON)),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| kpsite::markdown::render(black_box(&text), &resolve))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Quick: a few seconds in all, enough to see a 10 % regression.
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
