//! Positions in YAML files: a key holding a dot is one key, and every
//! broken link in an offer description is reported where it is written.

mod common;

use common::{NOW, TestSite};

#[test]
fn a_cost_line_named_with_a_dot_is_read_and_located() {
    let site = TestSite::fixture("basic");
    site.edit(
        "manifest.yaml",
        "      production: 73519\n",
        "      production: 73519\n      ads.google: 10.50\n",
    );
    let run = site.kpsite(&["report", ".", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 73519 + 1234.56 + 10.50
    assert!(run.stdout.contains("74,764.06"), "{}", run.stdout);

    site.edit("manifest.yaml", "ads.google: 10.50", "ads.google: ten");
    let line = site
        .read("manifest.yaml")
        .lines()
        .position(|l| l.contains("ads.google"))
        .unwrap()
        + 1;
    let run = site.kpsite(&["check", ".", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("manifest.yaml:{line}:19: `ten` is not an amount")),
        "{}",
        run.stderr
    );
}

#[test]
fn every_broken_link_of_a_description_is_reported_where_it_is() {
    let site = TestSite::fixture("basic");
    site.edit(
        "manifest.yaml",
        "      Learn **Rust** from the ground up.\n",
        "      Learn **Rust** from [the ground](/academy/nope/) up.\n      Then [again](/academy/nope/) and [good](/academy/courses/).\n",
    );
    let run = site.kpsite(&["check", ".", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = site.read("manifest.yaml");
    let places: Vec<String> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            l.find("](/academy/nope/")
                .map(|c| format!("manifest.yaml:{}:{}:", i + 1, c + 3))
        })
        .collect();
    assert_eq!(places.len(), 2);
    for p in &places {
        assert!(
            run.stderr
                .contains(&format!("{p} broken link `/academy/nope/`")),
            "{p} missing:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        run.stderr.matches("broken link `/academy/nope/`").count(),
        2,
        "{}",
        run.stderr
    );
}
