//! Link checking: `kpsite check` and `kpsite build` find broken internal
//! links and anchors with file:line:col; `check --external` asks servers
//! (only on this machine here) and fails gracefully when it cannot.

mod common;

use std::thread;

use common::{NOW, TestSite};

const LESSON: &str = "lessons/intro-rust/03-lifetimes.md";

fn check(site: &TestSite, extra: &[&str]) -> common::Run {
    let mut args = vec!["check", ".", "--now", NOW];
    args.extend_from_slice(extra);
    site.kpsite(&args)
}

#[test]
fn the_fixture_has_no_broken_links() {
    let site = TestSite::fixture("basic");
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("links checked"), "{}", run.stderr);
}

#[test]
fn good_links_of_every_kind_pass() {
    let site = TestSite::fixture("basic");
    site.write(
        LESSON,
        "---\ntitle: Lifetimes\n---\n\n\
         [a](02-ownership.md#moves) [b](../web-go/01-handlers.md) [c](../../pages/refund.md)\n\
         [d](#here) [e](/academy/courses/web-go/) [f](../../web-go/) [g](../../../img/logo.svg)\n\
         ![h](../../static/img/logo.svg) [i](https://example.com/) [j](mailto:a@example.org)\n\
         [k](../../pages/about.md#top) [l](#fn-1) [m](/academy/) [n](02-ownership.md)[^1]\n\n\
         ## Here\n\n[^1]: A note.\n",
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn every_broken_link_is_reported_with_its_position() {
    let site = TestSite::fixture("basic");
    site.write(
        LESSON,
        "---\ntitle: Lifetimes\n---\n\n\
         [a](02-ownership.md#nope) [b](02-gone.md)\n\
         [c](#nothing) ![d](../../static/img/missing.png)\n\
         [e](/academy/courses/nope/) [f](../../../../x.md) [g](04-unsafe.md)\n",
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for want in [
        "03-lifetimes.md:5:1: broken link `02-ownership.md#nope`",
        "03-lifetimes.md:5:27: broken link `02-gone.md`",
        "03-lifetimes.md:6:1: broken link `#nothing`",
        "03-lifetimes.md:6:15: broken image `../../static/img/missing.png`",
        "03-lifetimes.md:7:1: broken link `/academy/courses/nope/`",
        "03-lifetimes.md:7:29: broken link `../../../../x.md`",
        "03-lifetimes.md:7:51: broken link `04-unsafe.md`",
    ] {
        assert!(
            run.stderr.contains(want),
            "missing {want:?} in:\n{}",
            run.stderr
        );
    }
    // A draft is found with --drafts.
    let run = check(&site, &["--drafts"]);
    assert!(!run.stderr.contains("`04-unsafe.md`"), "{}", run.stderr);
}

#[test]
fn build_fails_on_a_broken_internal_link() {
    let site = TestSite::fixture("basic");
    site.edit("pages/about.md", "01-welcome.md", "01-welcom.md");
    let run = site.build(&["--members"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("pages/about.md:6:20: broken link `../lessons/intro-rust/01-welcom.md`"),
        "{}",
        run.stderr
    );
    assert!(!site.join("public").exists());
}

#[test]
fn paid_anchor_is_found_without_members_build() {
    // 02-ownership is paid: its body is not in public/, but its headings are
    // in the members build, so a link to them is fine.
    let site = TestSite::fixture("basic");
    site.edit(
        "lessons/web-go/01-handlers.md",
        "Handlers in Go.",
        "Handlers in Go, and [moves](../intro-rust/02-ownership.md#moves).",
    );
    site.build_ok(&[]);
    site.edit(
        "lessons/web-go/01-handlers.md",
        "02-ownership.md#moves",
        "02-ownership.md#borrows",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("01-handlers.md:6:21:"),
        "{}",
        run.stderr
    );
}

/// A server on this machine answering `GET /ok` with 200 and anything else
/// with 404, for `count` requests.
fn local_server(count: usize) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap();
    thread::spawn(move || {
        for _ in 0..count {
            let Ok(Some(req)) = server.recv_timeout(std::time::Duration::from_secs(20)) else {
                return;
            };
            let code = if req.url() == "/ok" { 200 } else { 404 };
            let _ = req.respond(tiny_http::Response::empty(code));
        }
    });
    format!("http://{addr}")
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let base = local_server(2);
    let site = TestSite::fixture("basic");
    site.edit(
        "pages/refund.md",
        "Full refund within 30 days.",
        &format!("Full [refund]({base}/ok) within [30 days]({base}/gone)."),
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = check(&site, &["--external"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: pages/refund.md:5:{}: broken external link `{base}/gone`: HTTP 404",
            27 + base.len()
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("/ok`"), "{}", run.stderr);
}

#[test]
fn external_check_offline_warns_and_succeeds() {
    let site = TestSite::fixture("basic");
    // Port 1 on this machine: nothing listens, the connection is refused.
    site.edit(
        "pages/refund.md",
        "Full refund within 30 days.",
        "Full [refund](http://127.0.0.1:1/policy) within 30 days.",
    );
    let run = check(&site, &["--external"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: pages/refund.md:5:6: external link `http://127.0.0.1:1/policy` could not be checked"),
        "{}",
        run.stderr
    );
}
