//! Sales-page fields (SPEC §2.2, issue #16): every block reaches the page
//! and its JSON-LD, and every bad input is an error or warning at
//! `file:line:col` in plain words.

mod common;

use std::path::Path;

use common::TestSite;
use serde_json::Value;

/// A real PNG of 1200 × 630 (the example site's cover).
fn cover_png() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site/static/img/rust-web-cover.png"),
    )
    .unwrap()
}

/// The sales fields added to the fixture's first course (`intro-rust`,
/// regular price 49.99 USD, on sale at 29.99 until 2026-12-31).
const SALES: &str = r#"    fees: { percent: 2.9, fixed: 0.30 }
    image: static/img/cover.png
    outcomes: [Own your memory, Borrow without fear]
    audience: [Developers who know one other language]
    instructor: { name: Grace Teacher, bio: Taught Rust for ten years., photo: static/img/grace.svg, url: https://fixture.example.org/grace/ }
    testimonials:
      - { name: Lin, role: Backend lead, quote: "Saved our team a week </script><b>", photo: static/img/grace.svg }
      - { name: Sam, quote: Finally understood lifetimes. }
    faq:
      - { q: Do I get the source?, a: "Yes, **all of it**." }
      - { q: Refunds?, a: 30 days. }
    guarantee: 30-day money-back guarantee
    plans:
      - { installments: 3, price: 19, payment: { provider: stripe, url: https://buy.stripe.com/test_plan3 } }
    cohort: { start: 2027-03-01, enroll_by: 2027-02-25T23:59:59-05:00, seats: 40 }
    status: open
"#;

fn site() -> TestSite {
    let s = TestSite::fixture("basic");
    std::fs::write(s.join("static/img/cover.png"), cover_png()).unwrap();
    s.write(
        "static/img/grace.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><circle cx="48" cy="48" r="48"/></svg>"#,
    );
    s.edit(
        "manifest.yaml",
        "    fees: { percent: 2.9, fixed: 0.30 }\n",
        SALES,
    );
    s
}

/// The 1-based line of the first line of `file` that holds `needle`.
fn line_of(s: &TestSite, file: &str, needle: &str) -> usize {
    s.read(file)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {file}"))
        + 1
}

/// The JSON-LD items of a page, `@graph` flattened.
fn json_ld(html: &str) -> Vec<Value> {
    let start = html.find(r#"<script type="application/ld+json">"#).unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let v: Value = serde_json::from_str(&html[start..end]).unwrap();
    match v.get("@graph") {
        Some(Value::Array(items)) => items.clone(),
        _ => vec![v],
    }
}

#[test]
fn every_sales_block_reaches_the_course_page() {
    let s = site();
    s.build_ok(&[]);
    let html = s.read("public/courses/intro-rust/index.html");
    // Cover on the page and for sharing, with the size read from the file.
    assert!(
        html.contains(r#"src="/academy/img/cover.png" alt="" width="1200" height="630""#),
        "{html}"
    );
    assert!(html.contains(
        r#"<meta property="og:image" content="https://fixture.example.org/academy/img/cover.png">"#
    ));
    assert!(html.contains(r#"<meta property="og:image:width" content="1200">"#));
    assert!(html.contains(r#"<meta property="og:image:height" content="630">"#));
    assert!(html.contains(
        r#"<meta name="twitter:image" content="https://fixture.example.org/academy/img/cover.png">"#
    ));
    assert!(html.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    for needle in [
        "<li>Own your memory</li>",
        "<li>Developers who know one other language</li>",
        "Grace Teacher",
        "Taught Rust for ten years.",
        "<summary>Do I get the source?</summary>",
        "<strong>all of it</strong>",
        "30-day money-back guarantee",
        r#"href="https://buy.stripe.com/test_plan3""#,
        "or 3 × $19",
        "($57 in total)",
        r#"<time datetime="2027-03-01">Mar 1, 2027</time>"#,
        "Limited to 40 seats",
        "class=\"sales-cta\"",
    ] {
        assert!(html.contains(needle), "{needle} missing");
    }
    // A hostile quote is text, not markup.
    assert!(
        html.contains("Saved our team a week &lt;&#x2F;script&gt;&lt;b&gt;")
            || html.contains("Saved our team a week &lt;/script&gt;&lt;b&gt;")
    );
    // The sale's end, in the site's zone with the zone named.
    assert!(
        html.contains("Dec 31, 2026, 23:59 EST (America/New_York)"),
        "zone named"
    );
    assert!(html.contains("data-kpsite-countdown=\"2027-01-01T04:59:59Z\""));
    assert!(html.contains("countdown.js"));
    // The bundle that also sells the course, with its price.
    assert!(html.contains(r#"class="alternatives""#));
    assert!(html.contains("Everything bundle</a> <span class=\"alt-price\">$150</span>"));

    let ld = json_ld(&html);
    let course = ld.iter().find(|v| v["@type"] == "Course").unwrap();
    assert_eq!(
        course["image"]["url"],
        "https://fixture.example.org/academy/img/cover.png"
    );
    assert_eq!(course["image"]["width"], 1200);
    assert_eq!(course["hasCourseInstance"]["startDate"], "2027-03-01");
    assert_eq!(course["hasCourseInstance"]["maximumAttendeeCapacity"], 40);
    let offers = course["offers"].as_array().unwrap();
    assert_eq!(offers[0]["price"], "29.99");
    assert_eq!(offers[1]["price"], "57.00");
    assert_eq!(offers[1]["priceSpecification"]["price"], "19.00");
    assert_eq!(offers[1]["url"], "https://buy.stripe.com/test_plan3");
    let reviews = course["review"].as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0]["@type"], "Review");
    assert!(
        reviews[0].get("reviewRating").is_none(),
        "no invented rating"
    );
    assert!(course.get("aggregateRating").is_none());
    let faq = ld.iter().find(|v| v["@type"] == "FAQPage").unwrap();
    assert_eq!(faq["mainEntity"][0]["name"], "Do I get the source?");
    assert_eq!(faq["mainEntity"][0]["acceptedAnswer"]["@type"], "Answer");
    // The escaped JSON never closes the script early.
    let script = &html[html.find("application/ld+json").unwrap()..];
    let script = &script[..script.find("</script>").unwrap()];
    assert!(!script.contains("</script") && script.contains("\\u003c/script\\u003e"));
}

#[test]
fn an_offer_without_sales_fields_looks_as_before() {
    let s = TestSite::fixture("basic");
    s.build_ok(&[]);
    let html = s.read("public/courses/web-go/index.html");
    for absent in [
        "class=\"outcomes\"",
        "class=\"faq\"",
        "class=\"plans\"",
        "class=\"cohort\"",
        "og:image\"",
    ] {
        assert!(!html.contains(absent), "{absent} on a bare course");
    }
    // The default instructor is the site's author.
    assert!(html.contains("Ada Tester"));
    let course = json_ld(&html)
        .into_iter()
        .find(|v| v["@type"] == "Course")
        .unwrap();
    assert!(course["offers"].is_object(), "one offer stays an object");
}

#[test]
fn a_cohort_closes_after_its_enrollment_deadline() {
    let s = site();
    s.build_ok(&["--now", "2027-02-26T12:00:00Z"]);
    let html = s.read("public/courses/intro-rust/index.html");
    assert!(html.contains("Enrollment for this cohort is closed."));
    assert!(
        !html.contains("class=\"button buy\""),
        "no buy button after enroll_by"
    );
    // Before the deadline it sells.
    s.build_ok(&["--now", "2027-02-20T12:00:00Z"]);
    let html = s.read("public/courses/intro-rust/index.html");
    assert!(html.contains("class=\"button buy\""));
    assert!(!html.contains("Enrollment for this cohort is closed."));
}

#[test]
fn waitlist_shows_the_form_instead_of_the_buy_button_and_closed_shows_neither() {
    let s = site();
    s.edit(
        "manifest.yaml",
        "    status: open\n",
        "    status: waitlist\n    waitlist: { action: https://buttondown.com/api/emails/embed-subscribe/ada }\n",
    );
    s.build_ok(&[]);
    let html = s.read("public/courses/intro-rust/index.html");
    assert!(html.contains(r#"<form class="waitlist" method="post" action="https://buttondown.com/api/emails/embed-subscribe/ada">"#));
    assert!(html.contains(r#"<label for="side-wl-email">Email address</label>"#));
    assert!(html.contains(r#"name="email" type="email" autocomplete="email" required"#));
    assert!(!html.contains("class=\"button buy\""));
    assert!(
        html.contains("\"availability\":\"https://schema.org/OutOfStock\""),
        "nothing to buy: not in stock"
    );
    let card = card_of(&s.read("public/courses/index.html"), "/courses/intro-rust/");
    assert!(
        card.contains("<li class=\"status\">Waitlist open</li>"),
        "{card}"
    );
    s.edit(
        "manifest.yaml",
        "    status: waitlist\n",
        "    status: closed\n",
    );
    let run = s.build_ok(&[]);
    assert!(
        run.stderr
            .contains("waitlist form is shown only with `status: waitlist`"),
        "{}",
        run.stderr
    );
    let html = s.read("public/courses/intro-rust/index.html");
    assert!(!html.contains("class=\"button buy\""));
    assert!(!html.contains("<form class=\"waitlist\""));
    assert!(html.contains("Enrollment is closed right now."));
    let card = card_of(&s.read("public/index.html"), "/courses/intro-rust/");
    assert!(
        card.contains("<li class=\"status\">Enrollment closed</li>"),
        "{card}"
    );
    s.edit(
        "manifest.yaml",
        "    status: closed\n",
        "    status: open\n",
    );
    s.build_ok(&[]);
    let html = s.read("public/courses/intro-rust/index.html");
    assert!(html.contains("\"availability\":\"https://schema.org/InStock\""));
    assert!(
        !card_of(&s.read("public/courses/index.html"), "/courses/intro-rust/")
            .contains("class=\"status\"")
    );
}

/// The `<article class="card…">` of `html` that links to `url` (ends with it).
fn card_of(html: &str, url: &str) -> String {
    html.split("<article class=\"card")
        .skip(1)
        .map(|c| c.split("</article>").next().unwrap_or(""))
        .find(|c| c.contains(&format!("{url}\"")))
        .unwrap_or_else(|| panic!("no card links to {url}"))
        .to_string()
}

/// (what, manifest edit from → to, the text on the reported line, message part).
const BAD: &[(&str, &str, &str, &str, &str)] = &[
    (
        "missing image file",
        "    image: static/img/cover.png\n",
        "    image: static/img/nope.png\n",
        "image: static/img/nope.png",
        "file `static/img/nope.png` not found",
    ),
    (
        "image outside static/",
        "    image: static/img/cover.png\n",
        "    image: ../secret.png\n",
        "image: ../secret.png",
        "must be a file under static/",
    ),
    (
        "a file that is not an image",
        "    image: static/img/cover.png\n",
        "    image: static/img/notes.txt\n",
        "image: static/img/notes.txt",
        "is not an image kpsite can size",
    ),
    (
        "testimonial without a quote",
        "      - { name: Sam, quote: Finally understood lifetimes. }\n",
        "      - { name: Sam, role: Student }\n",
        "{ name: Sam, role: Student }",
        "the testimonial of `Sam` has no `quote`",
    ),
    (
        "enroll_by after start",
        "enroll_by: 2027-02-25T23:59:59-05:00",
        "enroll_by: 2027-03-02",
        "enroll_by: 2027-03-02",
        "enrollment closes after the cohort starts",
    ),
    (
        "a cohort start that is no date",
        "start: 2027-03-01",
        "start: next spring",
        "start: next spring",
        "is not a date",
    ),
    (
        "non-https waitlist action",
        "    status: open\n",
        "    status: waitlist\n    waitlist: { action: http://list.example.org/join }\n",
        "action: http://list.example.org/join",
        "must be an https:// link",
    ),
    (
        "javascript: waitlist action",
        "    status: open\n",
        "    status: waitlist\n    waitlist: { action: \"javascript:alert(1)\" }\n",
        "javascript:alert(1)",
        "must be an https:// link",
    ),
    (
        "status typo",
        "    status: open\n",
        "    status: wiatlist\n",
        "status: wiatlist",
        "`status` cannot be `wiatlist`: did you mean `waitlist`? It takes `open`, `waitlist` or `closed`",
    ),
    (
        "waitlist status without a form",
        "    status: open\n",
        "    status: waitlist\n",
        "status: waitlist",
        "`status: waitlist` needs a `waitlist:",
    ),
    (
        "one installment",
        "installments: 3",
        "installments: 1",
        "installments: 1",
        "a plan is 2 to 120 payments",
    ),
    (
        "a plan link on the wrong host",
        "https://buy.stripe.com/test_plan3",
        "https://evil.example.org/test_plan3",
        "evil.example.org",
        "stripe",
    ),
    (
        "an instructor link that is not a web link",
        "url: https://fixture.example.org/grace/",
        "url: \"javascript:alert(1)\"",
        "javascript:alert(1)",
        "must be an https://",
    ),
];

#[test]
fn bad_sales_input_is_an_error_at_its_line() {
    for (what, from, to, on_line, message) in BAD {
        let s = site();
        s.write("static/img/notes.txt", "not an image");
        s.edit("manifest.yaml", from, to);
        let line = line_of(&s, "manifest.yaml", on_line);
        let run = s.build(&[]);
        assert_eq!(run.code, 1, "{what}: should fail\n{}", run.stderr);
        let found = run.stderr.lines().any(|l| {
            l.starts_with(&format!("error: manifest.yaml:{line}:")) && l.contains(message)
        });
        assert!(
            found,
            "{what}: expected manifest.yaml:{line}: … {message}\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{what}");
    }
}

#[test]
fn a_plan_cheaper_than_the_full_price_is_a_warning() {
    let s = site();
    s.edit(
        "manifest.yaml",
        "installments: 3, price: 19,",
        "installments: 3, price: 9.99,",
    );
    let line = line_of(&s, "manifest.yaml", "installments: 3, price: 9.99");
    let run = s.build_ok(&[]);
    let w = format!("warning: manifest.yaml:{line}:");
    assert!(
        run.stderr.lines().any(|l| l.starts_with(&w)
            && l.contains("3 × 9.99 = 29.97 is less than the full price 49.99")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_symlinked_image_outside_the_site_is_refused() {
    let s = site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.png"), cover_png()).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path().join("x.png"), s.join("static/img/link.png"))
            .unwrap();
        s.edit(
            "manifest.yaml",
            "    image: static/img/cover.png\n",
            "    image: static/img/link.png\n",
        );
        let run = s.build(&[]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("outside the site folder"),
            "{}",
            run.stderr
        );
    }
    // Positive control: the same file copied in builds.
    let s = site();
    std::fs::write(s.join("static/img/link.png"), cover_png()).unwrap();
    s.edit(
        "manifest.yaml",
        "    image: static/img/cover.png\n",
        "    image: static/img/link.png\n",
    );
    s.build_ok(&[]);
}

#[test]
fn a_bundle_that_saves_nothing_is_a_warning_and_one_that_saves_says_how_much() {
    let s = TestSite::fixture("basic");
    // Both courses in USD: 29.99 (on sale) + 120 = 149.99.
    s.edit("manifest.yaml", "    currency: EUR\n", "");
    s.edit("manifest.yaml", "    price: 150\n", "    price: 149.99\n");
    let line = line_of(&s, "manifest.yaml", "price: 149.99");
    let run = s.build_ok(&[]);
    assert!(
        run.stderr
            .contains(&format!("warning: manifest.yaml:{line}:"))
            && run.stderr.contains("saves the buyer nothing"),
        "{}",
        run.stderr
    );
    s.edit(
        "manifest.yaml",
        "    price: 149.99\n",
        "    price: 136.99\n",
    );
    let run = s.build_ok(&[]);
    assert!(
        !run.stderr.contains("saves the buyer nothing"),
        "{}",
        run.stderr
    );
    let html = s.read("public/bundles/everything/index.html");
    assert!(html.contains("Bought separately: $149.99"), "{html}");
    assert!(html.contains("Save $13"), "exact saving");
}

#[test]
fn paired_memberships_show_both_plans_side_by_side() {
    let s = TestSite::fixture("basic");
    s.edit(
        "manifest.yaml",
        "    forecast: { members: 2718, months: 12 }\n",
        "    forecast: { members: 2718, months: 12 }\n    paired_with: club-yearly\n  - id: club-yearly\n    title: Builders Club (yearly)\n    price: 150\n    period: year\n    payment: { provider: link, url: https://pay.fixture.org/club-year }\n",
    );
    s.build_ok(&[]);
    for page in ["club", "club-yearly"] {
        let html = s.read(&format!("public/memberships/{page}/index.html"));
        assert!(html.contains("class=\"plan-grid\""), "{page}");
        assert!(
            html.contains("$15</strong><span class=\"per\">/month</span>"),
            "{page}"
        );
        assert!(
            html.contains("$150</strong><span class=\"per\">/year</span>"),
            "{page}"
        );
        assert!(
            html.contains("Save $30 a year compared with monthly"),
            "{page}"
        );
    }
    // Pairing a plan with one of the same period is refused.
    s.edit("manifest.yaml", "    period: year\n", "    period: month\n");
    let line = line_of(&s, "manifest.yaml", "paired_with: club-yearly");
    let run = s.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains(&format!("error: manifest.yaml:{line}:"))
            && run.stderr.contains("billed the same period"),
        "{}",
        run.stderr
    );
}

#[test]
fn landing_page_hero_index_and_footer_menu() {
    let s = site();
    s.edit("kpsite.yaml", "social:", "promise: Ship Rust to production in six weeks\nfeatured: everything\nimage: static/img/cover.png\nsocial:");
    s.write(
        "pages/terms.md",
        "---\ntitle: Terms\nmenu: footer\nweight: 2\n---\nTerms.\n",
    );
    s.write(
        "pages/privacy.md",
        "---\ntitle: Privacy\nmenu: footer\nweight: 1\n---\nPrivacy.\n",
    );
    s.write(
        "pages/hidden.md",
        "---\ntitle: Hidden page\nmenu: none\n---\nNot linked.\n",
    );
    s.build_ok(&[]);
    let html = s.read("public/index.html");
    assert!(html.contains("<h1>Ship Rust to production in six weeks</h1>"));
    assert_eq!(
        html.matches("class=\"button\" href=").count(),
        1,
        "one call to action"
    );
    assert!(html.contains("href=\"/academy/bundles/everything/\">Explore Everything bundle</a>"));
    assert!(html.contains("class=\"quote-card\""), "social proof");
    assert!(html.contains("class=\"instructor\""));
    let privacy = html.find(">Privacy</a>").unwrap();
    let terms = html.find(">Terms</a>").unwrap();
    assert!(privacy < terms, "footer pages by weight");
    assert!(
        !html.contains(">Hidden page</a>"),
        "menu: none is in no menu"
    );
    let nav = &html[html.find("<nav").unwrap()..html.find("</nav>").unwrap()];
    assert!(
        nav.contains("href=\"/academy/courses/\""),
        "nav Courses goes to the index"
    );
    assert!(
        !nav.contains(">Privacy</a>"),
        "footer pages stay out of the header"
    );
    let index = s.read("public/courses/index.html");
    assert!(index.contains("Intro to Rust") && index.contains("Web services in Go"));
    // The site's share image on pages without their own cover.
    let about = s.read("public/about/index.html");
    assert!(
        about.contains("og:image\" content=\"https://fixture.example.org/academy/img/cover.png\"")
    );
    // featured must name an offer.
    s.edit("kpsite.yaml", "featured: everything", "featured: evrything");
    let run = s.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: kpsite.yaml:")
            && run.stderr.contains("featured names `evrything`"),
        "{}",
        run.stderr
    );
}

#[test]
fn page_menu_typo_is_an_error() {
    let s = TestSite::fixture("basic");
    s.write(
        "pages/terms.md",
        "---\ntitle: Terms\nmenu: foter\n---\nTerms.\n",
    );
    let run = s.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("pages/terms.md:3:")
            && run
                .stderr
                .contains("`menu` cannot be `foter`: did you mean `footer`?"),
        "{}",
        run.stderr
    );
}
