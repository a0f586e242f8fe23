//! The errors a newcomer meets read as help: each case below breaks the
//! fixture the way a first-time user does and asserts the whole message,
//! `file:line:col` included. The README's table of messages
//! ("Error messages") quotes these same lines; a test keeps the two equal.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::TestSite;

/// How a case breaks the fixture.
enum Change {
    /// Replace the first `from` in `file` by `to`.
    Edit(&'static str, &'static str, &'static str),
    /// Rename a file or folder.
    Rename(&'static str, &'static str),
}

use Change::*;

/// (change, the whole diagnostic line `kpsite check` must print).
const CASES: &[(Change, &str)] = &[
    (
        Edit("manifest.yaml", "title: Intro to Rust", "title:"),
        "error: manifest.yaml:3:5: `title` is empty: write text after `title:`, or remove the line",
    ),
    (
        Edit("manifest.yaml", "title: Intro to Rust", "title: 1984"),
        "error: manifest.yaml:3:12: `title` should be text, but `1984` reads as a number: put it in quotes, `title: \"1984\"`",
    ),
    (
        Edit(
            "lessons/intro-rust/01-welcome.md",
            "free: true",
            "free: true\nminutes: 25 min",
        ),
        "error: lessons/intro-rust/01-welcome.md:5:10: `minutes` should be a whole number like 25, not the text `25 min`: write the number alone, without units or quotes",
    ),
    (
        Edit(
            "lessons/intro-rust/01-welcome.md",
            "free: true",
            "free: yes",
        ),
        "error: lessons/intro-rust/01-welcome.md:4:7: `free` should be `true` or `false`, not the text `yes`",
    ),
    (
        Edit("manifest.yaml", "    price: 49.99", "    pirce: 49.99"),
        "error: manifest.yaml:8:5: unknown field `pirce` (did you mean `price`?): the fields allowed here are `id`, `title`, `tagline`, `description`, `level`, `price`, `currency`, `sale`, `payment`, `costs`, `forecast`, `fees`, `image`, `outcomes`, `audience`, `instructor`, `testimonials`, `faq`, `guarantee`, `plans`, `status`, `waitlist`, `cohort`, `trailer`",
    ),
    (
        Edit("manifest.yaml", "level: beginner", "level: expert"),
        "error: manifest.yaml:7:12: `level` cannot be `expert`: it takes `beginner`, `intermediate` or `advanced`",
    ),
    (
        Edit("calendar.yaml", "freq: weekly", "freq: weekli"),
        "error: calendar.yaml:7:21: `freq` cannot be `weekli`: did you mean `weekly`? It takes `daily`, `weekly` or `monthly`",
    ),
    (
        Edit(
            "manifest.yaml",
            "title: Intro to Rust",
            "title:Intro to Rust",
        ),
        "error: manifest.yaml:3:5: invalid YAML: put a space after the colon: `title: Intro to Rust`, not `title:Intro to Rust`",
    ),
    (
        Edit(
            "manifest.yaml",
            "tagline: Ownership without tears",
            "tagline: Rust: ownership without tears",
        ),
        "error: manifest.yaml:4:18: invalid YAML: mapping values are not allowed in this context; a value that holds `: ` must be quoted, e.g. `title: \"Rust: the basics\"`",
    ),
    (
        Edit(
            "manifest.yaml",
            "    tagline: Ownership",
            "      tagline: Ownership",
        ),
        "error: manifest.yaml:4:14: invalid YAML: mapping values are not allowed in this context; this line is indented deeper than the line above, which already has its value: start its key in the same column as the keys above",
    ),
    (
        Edit("kpsite.yaml", "title: Fixture Academy\n", ""),
        "error: kpsite.yaml:1:1: `title` is missing: add a line `title: ...` to kpsite.yaml",
    ),
    (
        Edit(
            "kpsite.yaml",
            "author: { name: Ada Tester, url: https://fixture.example.org/ada/, email: ada@example.org }",
            "author: Ada Tester",
        ),
        "error: kpsite.yaml:7:9: `author` should be a group of fields on the indented lines below `author:` (or `{ a: 1, b: 2 }` on one line), not the text `Ada Tester`",
    ),
    (
        Rename("lessons/web-go", "lessons/web-og"),
        "error: lessons/web-og: lessons folder `web-og` names no course in manifest.yaml (did you mean `web-go`?): rename the folder to its course's id, or add a course with `id: web-og`",
    ),
    (
        Edit(
            "manifest.yaml",
            "courses: [intro-rust, web-go]",
            "courses: [intro-rust, wbe-go]",
        ),
        "error: manifest.yaml:47:27: bundle names unknown course `wbe-go` (did you mean `web-go`?)",
    ),
    (
        Edit("manifest.yaml", "provider: stripe", "provider: strip"),
        "error: manifest.yaml:14:17: unknown payment provider `strip` (did you mean `stripe`?): the providers are stripe, lemonsqueezy, gumroad, paypal, qr (a QR image), or link (any https checkout)",
    ),
    (
        Edit(
            "kpsite.yaml",
            "base_url: https://fixture.example.org/academy/",
            "base_url: fixture.org/academy",
        ),
        "error: kpsite.yaml:3:11: base_url `fixture.org/academy` is not a whole address: start it with https://, like `https://fixture.org/academy/`",
    ),
    (
        Edit(
            "manifest.yaml",
            "url: https://buy.stripe.com/test_fixture1",
            "url: buy.stripe.com/test_fixture1",
        ),
        "error: manifest.yaml:15:12: `buy.stripe.com/test_fixture1` is not a whole address: start it with https://, like `https://buy.stripe.com/test_fixture1`",
    ),
    (
        Edit(
            "calendar.yaml",
            "start: 2026-12-01T19:00",
            "start: 2026-02-30T19:00",
        ),
        "error: calendar.yaml:5:12: start: `2026-02-30T19:00` does not exist: the day must be from 1 to 28 there; write a date like `2026-12-02` or a local date and time like `2026-12-02T20:00`",
    ),
];

fn apply(site: &TestSite, change: &Change) {
    match change {
        Edit(file, from, to) => {
            site.edit(file, from, to);
        }
        Rename(from, to) => fs::rename(site.join(from), site.join(to)).unwrap(),
    }
}

#[test]
fn each_message_names_the_place_and_the_fix() {
    let mut failures = Vec::new();
    for (change, want) in CASES {
        let site = TestSite::fixture("basic");
        apply(&site, change);
        let run = site.kpsite(&["check", "."]);
        let wanted_exit = if want.starts_with("error") { 1 } else { 0 };
        if run.code != wanted_exit || !run.stderr.lines().any(|l| l == *want) {
            failures.push(format!(
                "want (exit {wanted_exit}) {want}\ngot (exit {}):\n{}",
                run.code, run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The README's "Error messages" table quotes each case's message, so the
/// documentation shows what kpsite really prints.
#[test]
fn the_readme_table_quotes_these_messages() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("### Error messages")
        .expect("a README section `### Error messages`");
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n#").map_or(section.len(), |i| i + 4)];
    // Table cells escape `|`; messages hold none today, so compare as is.
    for (_, want) in CASES {
        // "error: FILE:LINE:COL: message": the table shows the message.
        let message = want.splitn(3, ": ").nth(2).unwrap();
        assert!(
            section.contains(&format!("`` {message} ``")),
            "README's error table lacks:\n`` {message} ``"
        );
    }
}

/// A bad `--base-url` is blamed on the command line, not kpsite.yaml.
#[test]
fn a_bad_base_url_flag_is_blamed_on_the_flag() {
    let site = TestSite::fixture("basic");
    let run = site.build(&["--base-url", "example.org"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "error: the --base-url given on the command line: `example.org` is not a whole address: start it with https://, like `https://example.org/` (kpsite.yaml's base_url is not used when --base-url is given)"
    );
    assert!(!site.join("public").exists());
}

/// `serve` on a port another program holds says so and suggests `--port 0`.
#[test]
fn a_port_in_use_suggests_another() {
    let site = TestSite::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["serve", ".", "--port", &port])
        .current_dir(site.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot listen on 127.0.0.1:{port}: port {port} is already in use (another `kpsite serve`, or another program): stop that, or pick another port: `--port 1111`, or `--port 0` for any free one"
        )),
        "{stderr}"
    );
}

/// What `kpsite init` wrote as placeholders is warned about, each at its
/// line, until replaced; real values are not.
#[test]
fn init_placeholders_are_warned_about_until_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let kpsite = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kpsite"))
            .args(args)
            .arg(&site)
            .output()
            .unwrap()
    };
    assert!(kpsite(&["init"]).status.success());
    let out = kpsite(&["check"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for want in [
        "warning: kpsite.yaml:4:11: base_url `https://example.com/` is a placeholder (example.com addresses are never real): before you deploy, replace it with the address the site will live at, like `https://you.github.io/my-course/` (feeds, the sitemap and share links use it)",
        "warning: kpsite.yaml:8:33: author.url `https://example.com/about/` is a placeholder (example.com addresses are never real): before you deploy, replace it with your own page",
        "warning: manifest.yaml:12:12: payment link `https://buy.stripe.com/test_replace_me` is a placeholder (example.com addresses and `test_replace_me` are never real): paste your real payment link here before you deploy",
    ] {
        assert!(stderr.lines().any(|l| l == want), "lacks {want}:\n{stderr}");
    }

    // Replaced: no placeholder warning is left.
    let edit = |file: &str, from: &str, to: &str| {
        let path = site.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit(
        "kpsite.yaml",
        "https://example.com/about/",
        "https://ada.dev/about/",
    );
    edit(
        "kpsite.yaml",
        "https://example.com/",
        "https://ada.dev/course/",
    );
    edit(
        "manifest.yaml",
        "https://buy.stripe.com/test_replace_me",
        "https://buy.stripe.com/abc123",
    );
    let out = kpsite(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("placeholder"), "{stderr}");

    // --base-url (what the deploy workflow passes) replaces base_url: the
    // file's placeholder is not the address used, so it is not warned about.
    edit(
        "kpsite.yaml",
        "https://ada.dev/course/",
        "https://example.com/",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["check", "--base-url", "https://ada.github.io/course/"])
        .arg(&site)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("base_url"), "{stderr}");
}
