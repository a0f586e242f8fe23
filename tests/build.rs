//! End-to-end behaviour of `kpsite build` on the basic fixture site.

mod common;

use common::{NOW, TestSite, snapshot};

fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    site
}

#[test]
fn writes_every_page_of_the_spec() {
    let site = built();
    for page in [
        "index.html",
        "404.html",
        "courses/intro-rust/index.html",
        "courses/intro-rust/welcome/index.html",
        "courses/intro-rust/ownership/index.html",
        "courses/web-go/middleware/index.html",
        "memberships/club/index.html",
        "bundles/everything/index.html",
        "about/index.html",
        "refund/index.html",
        "img/logo.svg",
        "style.css",
    ] {
        assert!(site.join("public").join(page).is_file(), "missing {page}");
    }
}

#[test]
fn prices_show_with_the_sale_struck_through_while_it_runs() {
    let site = built();
    let course = site.read("public/courses/intro-rust/index.html");
    assert!(
        course.contains("<del>$49.99</del>"),
        "regular price struck through"
    );
    assert!(course.contains("<strong>$29.99</strong>"));
    assert!(course.contains("Launch price"));
    assert!(
        course.contains("\"priceValidUntil\":\"2026-12-31\""),
        "schema.org sale end"
    );
    let euro = site.read("public/courses/web-go/index.html");
    assert!(euro.contains("€120"));

    // After the sale ends only the regular price shows.
    site.build_ok(&["--now", "2027-01-02T00:00:00Z"]);
    let later = site.read("public/courses/intro-rust/index.html");
    assert!(!later.contains("<del>"));
    assert!(later.contains("<strong>$49.99</strong>"));
    assert!(!later.contains("Launch price"));
}

#[test]
fn buy_buttons_carry_coupons_the_providers_way() {
    let site = built();
    // Coupons the provider's way, then attribution (spec §7): utm_medium is
    // the kind of page the button is on, utm_campaign the offer id.
    let rust = site.read("public/courses/intro-rust/index.html");
    assert!(rust.contains(
        "href=\"https://buy.stripe.com/test_fixture1?prefilled_promo_code=LAUNCH30&amp;utm_source=kpsite&amp;utm_medium=course&amp;utm_campaign=intro-rust\""
    ));
    let lesson = site.read("public/courses/intro-rust/ownership/index.html");
    assert!(lesson.contains(
        "href=\"https://buy.stripe.com/test_fixture1?prefilled_promo_code=LAUNCH30&amp;utm_source=kpsite&amp;utm_medium=lesson&amp;utm_campaign=intro-rust\""
    ));
    let go = site.read("public/courses/web-go/index.html");
    assert!(go.contains(
        "https://fixture.lemonsqueezy.com/checkout/buy/abc-123?checkout%5Bdiscount_code%5D=GOFAST&amp;checkout%5Bcustom%5D%5Butm_source%5D=kpsite&amp;checkout%5Bcustom%5D%5Butm_medium%5D=course&amp;checkout%5Bcustom%5D%5Butm_campaign%5D=web-go\""
    ));
    let bundle = site.read("public/bundles/everything/index.html");
    assert!(bundle.contains(
        "href=\"https://fixture.gumroad.com/l/everything/ALLIN?utm_source=kpsite&amp;utm_medium=bundle&amp;utm_campaign=everything\""
    ));
}

#[test]
fn qr_payment_shows_the_image_and_the_amount() {
    let site = built();
    let club = site.read("public/memberships/club/index.html");
    assert!(club.contains("src=\"/academy/img/pay.png\""));
    assert!(club.contains("Scan to pay $15"));
    assert!(site.join("public/img/pay.png").is_file());
}

#[test]
fn internal_links_carry_the_base_path_and_md_links_resolve() {
    let site = built();
    let lesson = site.read("public/courses/intro-rust/welcome/index.html");
    assert!(
        lesson.contains("href=\"/academy/courses/intro-rust/ownership/#moves\""),
        "{lesson}"
    );
    assert!(lesson.contains("href=\"/academy/about/\""));
    assert!(lesson.contains("src=\"/academy/img/logo.svg\""));
    assert!(lesson.contains("href=\"/academy/style.css\""));
    assert!(lesson.contains("<link rel=\"canonical\" href=\"https://fixture.example.org/academy/courses/intro-rust/welcome/\">"));
    for page in [
        "index.html",
        "courses/intro-rust/index.html",
        "about/index.html",
    ] {
        let html = site.read(&format!("public/{page}"));
        for href in html.split("href=\"/").skip(1) {
            assert!(
                href.starts_with("academy/"),
                "{page}: link without the base path: /{}",
                &href[..40.min(href.len())]
            );
        }
    }
}

#[test]
fn base_url_flag_overrides_the_config() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--base-url", "https://preview.example.net/"]);
    let html = site.read("public/courses/intro-rust/index.html");
    assert!(html.contains("href=\"/style.css\""));
    assert!(html.contains("https://preview.example.net/courses/intro-rust/"));
}

#[test]
fn syllabus_marks_free_lessons_and_orders_by_prefix() {
    let site = built();
    let html = site.read("public/courses/intro-rust/index.html");
    let at = |t: &str| {
        html.find(&format!("<span class=\"ltitle\">{t}</span>"))
            .unwrap()
    };
    let (welcome, ownership, lifetimes) = (at("Welcome to Rust"), at("Ownership"), at("Lifetimes"));
    assert!(welcome < ownership && ownership < lifetimes);
    assert!(html.contains("17 min"), "minutes from front matter");
    assert!(html.contains("<li class=\"free\" "));
}

#[test]
fn drafts_only_with_the_flag() {
    let site = built();
    assert!(!site.join("public/courses/intro-rust/unsafe").exists());
    site.build_ok(&["--drafts"]);
    assert!(
        site.read("public/courses/intro-rust/unsafe/index.html")
            .contains("DRAFT-SENTINEL")
    );
}

#[test]
fn members_build_holds_every_lesson_in_full() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--members"]);
    let paid = site.read("members/courses/intro-rust/ownership/index.html");
    assert!(paid.contains("PAID-BODY-SENTINEL-OWNERSHIP"));
    let public = site.read("public/courses/intro-rust/ownership/index.html");
    assert!(!public.contains("PAID-BODY-SENTINEL-OWNERSHIP"));
    assert!(
        public.contains("Ownership") && public.contains("Moves, borrows and lifetimes"),
        "title and summary stay"
    );
}

#[test]
fn output_flag_writes_elsewhere() {
    let site = TestSite::fixture("basic");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    site.build_ok(&["-o", target.to_str().unwrap()]);
    assert!(target.join("index.html").is_file());
    assert!(!site.join("public").exists());
}

#[test]
fn builds_are_reproducible() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--members"]);
    let first = (
        snapshot(&site.join("public")),
        snapshot(&site.join("members")),
    );
    site.build_ok(&["--members"]);
    let second = (
        snapshot(&site.join("public")),
        snapshot(&site.join("members")),
    );
    assert!(first == second, "two builds with the same --now differ");

    // SOURCE_DATE_EPOCH stands in for --now.
    let epoch = jiff::Timestamp::from_second(1_795_564_800).unwrap(); // 2026-11-25T00:00:00Z
    assert_eq!(epoch.to_string(), NOW);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["build", "."])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", "1795564800")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(snapshot(&site.join("public")) == first.0);
}

#[test]
fn zh_cn_sites_format_money_and_strings_in_chinese() {
    let site = TestSite::fixture("basic");
    site.edit("kpsite.yaml", "language: en", "language: zh-CN")
        .edit("kpsite.yaml", "currency: USD", "currency: CNY");
    site.build_ok(&[]);
    let html = site.read("public/courses/intro-rust/index.html");
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("¥29.99") && html.contains("课程大纲"));
}

#[test]
fn mixed_yen_currencies_are_told_apart() {
    let site = TestSite::fixture("basic");
    site.edit("kpsite.yaml", "currency: USD", "currency: CNY");
    site.edit("manifest.yaml", "currency: EUR", "currency: JPY");
    site.edit("manifest.yaml", "price: 120", "price: 12000");
    site.build_ok(&[]);
    let html = site.read("public/index.html");
    assert!(html.contains("JP¥12,000"), "JPY marked");
    assert!(html.contains("CN¥29.99"), "CNY marked");
}

#[test]
fn site_templates_override_theme_templates() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><title>{{ page.title }}</title><p>OVERRIDDEN {{ page.title }}</p>",
    );
    site.build_ok(&[]);
    assert!(
        site.read("public/about/index.html")
            .contains("OVERRIDDEN About")
    );
    assert!(
        site.read("public/index.html").contains("Fixture Academy"),
        "other templates unchanged"
    );
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new-site");
    let bin = env!("CARGO_BIN_EXE_kpsite");
    let init = std::process::Command::new(bin)
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let build = std::process::Command::new(bin)
        .args(["build", "--now", NOW])
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        target
            .join("public/courses/first-course/index.html")
            .is_file()
    );
    let again = std::process::Command::new(bin)
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(1),
        "init refuses a non-empty folder"
    );
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = TestSite::fixture("basic");
    let run = site.kpsite(&["check", ".", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join("public").exists());
    site.edit("manifest.yaml", "price: 120", "price: -5");
    assert_eq!(site.kpsite(&["check", "."]).code, 1);
}

#[test]
fn bad_command_line_exits_2() {
    let site = TestSite::fixture("basic");
    assert_eq!(site.kpsite(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.kpsite(&["build", ".", "--now", "yesterday"]).code, 2);
}

#[test]
fn spec_example_leniencies_warn_instead_of_failing() {
    let site = TestSite::fixture("basic");
    // The spec's manifest example puts `image:` (qr only) on a stripe payment,
    // and its kpsite.yaml names a WeChat QR image a new site may not have yet.
    site.edit(
        "manifest.yaml",
        "      coupon: LAUNCH30\n",
        "      coupon: LAUNCH30\n      image: static/wechat-pay.png\n",
    );
    site.edit(
        "kpsite.yaml",
        "social: { github: https://github.com/ada-tester }",
        "social: { github: https://github.com/ada-tester, wechat_qr: static/qr.png }",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("warning: manifest.yaml:17:14: `image` is used by provider `qr` only"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: kpsite.yaml:8:"),
        "{}",
        run.stderr
    );
    assert!(!site.read("public/index.html").contains("qr.png"));
}
