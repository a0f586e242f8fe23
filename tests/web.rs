//! Feeds, crawl files, page metadata, JSON-LD and the search index of the
//! basic fixture site.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{TestSite, snapshot};
use serde_json::Value;

const BASE: &str = "https://fixture.example.org/academy/";

fn built(extra: &[&str]) -> TestSite {
    let site = TestSite::fixture("basic");
    site.build_ok(extra);
    site
}

/// Every generated HTML page of the public output, by path.
fn pages(site: &TestSite) -> BTreeMap<String, String> {
    snapshot(&site.join("public"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// The `<loc>`s of a sitemap.
fn locs(xml: &str) -> Vec<&str> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect()
}

#[test]
fn sitemap_lists_public_pages_with_absolute_urls_and_no_drafts() {
    let site = built(&["--drafts"]);
    let xml = site.read("public/sitemap.xml");
    assert!(xml.starts_with("<?xml"));
    let locs = locs(&xml);
    assert!(locs.iter().all(|l| l.starts_with(BASE)), "{locs:?}");
    for want in [
        "",
        "courses/intro-rust/",
        "courses/intro-rust/welcome/",
        // A paid lesson's public page holds only its teaser: it is listed.
        "courses/intro-rust/ownership/",
        "memberships/club/",
        "bundles/everything/",
        "about/",
        "refund/",
    ] {
        assert!(
            locs.contains(&format!("{BASE}{want}").as_str()),
            "{want}: {locs:?}"
        );
    }
    for never in ["unsafe", "search/", "404", "/members/"] {
        assert!(!xml.contains(never), "{never} in the sitemap");
    }
    // The draft is built with --drafts, but kept from crawlers.
    let draft = site.read("public/courses/intro-rust/unsafe/index.html");
    assert!(draft.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn robots_names_the_sitemap_and_members_builds_keep_crawlers_out() {
    let site = built(&["--members"]);
    assert_eq!(
        site.read("public/robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
    assert_eq!(
        site.read("members/robots.txt"),
        "User-agent: *\nDisallow: /\n"
    );
    assert!(!site.join("members/sitemap.xml").exists());
    let members_page = site.read("members/courses/intro-rust/ownership/index.html");
    assert!(members_page.contains("<meta name=\"robots\" content=\"noindex\">"));
    let public_page = site.read("public/courses/intro-rust/ownership/index.html");
    assert!(!public_page.contains("noindex"));
}

#[test]
fn atom_feed_holds_free_lessons_and_pages_only() {
    let site = built(&["--drafts"]);
    let feed = site.read("public/feed.xml");
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
    assert!(feed.contains(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{BASE}feed.xml\"/>"
    )));
    assert!(feed.contains("<updated>2026-11-25T00:00:00Z</updated>"));
    assert!(feed.contains("<author><name>Ada Tester</name>"));
    for want in [
        "courses/intro-rust/welcome/",
        "courses/web-go/handlers/",
        "about/",
        "refund/",
    ] {
        assert!(feed.contains(&format!("<id>{BASE}{want}</id>")), "{want}");
    }
    for never in ["ownership", "lifetimes", "middleware", "unsafe", "SENTINEL"] {
        assert!(!feed.contains(never), "{never} in the feed");
    }
    assert_eq!(feed.matches("<entry>").count(), 4);
    // A real feed parser agrees, where one is installed (CI installs it).
    let check = "import sys, feedparser\nd = feedparser.parse(sys.argv[1])\nassert not d.bozo, d.bozo_exception\nassert d.version == 'atom10', d.version\nprint(len(d.entries))";
    let run = Command::new("python3")
        .args(["-c", check, site.join("public/feed.xml").to_str().unwrap()])
        .output();
    match run {
        Ok(out) if out.status.success() => {
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "4")
        }
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("No module named") => {
            eprintln!("feedparser not installed: skipped its check");
        }
        Ok(out) => panic!("feedparser: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => eprintln!("python3 not found: skipped the feedparser check"),
    }
}

#[test]
fn every_page_has_title_description_canonical_lang_and_social_tags() {
    let site = built(&[]);
    let pages = pages(&site);
    assert!(pages.len() >= 10);
    for (path, html) in &pages {
        for tag in [
            "<html lang=\"en\">",
            "<title>",
            "<meta name=\"description\" content=\"",
            "<link rel=\"canonical\" href=\"https://fixture.example.org/academy/",
            "<meta property=\"og:title\" content=\"",
            "<meta property=\"og:description\" content=\"",
            "<meta property=\"og:url\" content=\"https://",
            "<meta property=\"og:type\" content=\"",
            "<meta property=\"og:site_name\" content=\"Fixture Academy\">",
            "<meta name=\"twitter:card\" content=\"summary\">",
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/academy/feed.xml\"",
        ] {
            assert!(html.contains(tag), "{path} lacks {tag}");
        }
        assert!(
            !html.contains("content=\"\""),
            "{path} has an empty meta tag"
        );
    }
    let lesson = &pages["courses/intro-rust/welcome/index.html"];
    assert!(lesson.contains("<title>Welcome to Rust · Intro to Rust · Fixture Academy</title>"));
    assert!(lesson.contains("<meta name=\"description\" content=\"What we will build\">"));
    assert!(lesson.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}courses/intro-rust/welcome/\">"
    )));
    for unlisted in ["404.html", "search/index.html"] {
        assert!(
            pages[unlisted].contains("<meta name=\"robots\" content=\"noindex\">"),
            "{unlisted}"
        );
    }
}

/// The JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD block")
        + "<script type=\"application/ld+json\">".len();
    let end = html[start..].find("</script>").unwrap() + start;
    serde_json::from_str(&html[start..end].replace("<\\/", "</")).unwrap()
}

#[test]
fn json_ld_describes_site_courses_offers_lessons_and_the_author() {
    let site = built(&[]);
    let landing = json_ld(&site.read("public/index.html"));
    assert_eq!(landing["@type"], "WebSite");
    assert_eq!(landing["url"], BASE);
    assert_eq!(landing["publisher"]["@type"], "Person");
    assert_eq!(landing["publisher"]["name"], "Ada Tester");
    assert_eq!(
        landing["publisher"]["sameAs"][0],
        "https://github.com/ada-tester"
    );

    let course = json_ld(&site.read("public/courses/intro-rust/index.html"));
    assert_eq!(course["@context"], "https://schema.org");
    assert_eq!(course["@type"], "Course");
    assert_eq!(course["name"], "Intro to Rust");
    assert_eq!(course["provider"]["name"], "Ada Tester");
    let offer = &course["offers"];
    assert_eq!(offer["@type"], "Offer");
    assert_eq!(offer["price"], "29.99", "the sale price, `.` decimal");
    assert_eq!(offer["priceCurrency"], "USD");
    assert_eq!(offer["availability"], "https://schema.org/InStock");
    assert_eq!(offer["priceValidUntil"], "2026-12-31");
    let euro = json_ld(&site.read("public/courses/web-go/index.html"));
    assert_eq!(euro["offers"]["price"], "120.00");
    assert_eq!(euro["offers"]["priceCurrency"], "EUR");
    assert!(euro["offers"].get("priceValidUntil").is_none(), "no sale");

    let lesson = json_ld(&site.read("public/courses/intro-rust/ownership/index.html"));
    let graph = lesson["@graph"].as_array().unwrap();
    assert_eq!(graph[0]["@type"], "LearningResource");
    assert_eq!(graph[0]["isAccessibleForFree"], false);
    assert_eq!(
        graph[0]["isPartOf"]["url"],
        format!("{BASE}courses/intro-rust/")
    );
    assert_eq!(graph[1]["@type"], "BreadcrumbList");
    assert_eq!(graph[1]["itemListElement"].as_array().unwrap().len(), 3);

    let club = json_ld(&site.read("public/memberships/club/index.html"));
    assert_eq!(club["@type"], "Product");
    assert_eq!(club["offers"]["price"], "15.00");
    assert_eq!(
        club["offers"]["priceSpecification"]["billingDuration"],
        "P1M"
    );
    let bundle = json_ld(&site.read("public/bundles/everything/index.html"));
    assert_eq!(bundle["offers"]["price"], "150.00");

    // Without an author the site itself is the provider.
    let site = TestSite::fixture("basic");
    site.edit(
        "kpsite.yaml",
        "author: { name: Ada Tester, url: https://fixture.example.org/ada/, email: ada@example.org }\n",
        "",
    );
    site.build_ok(&[]);
    let course = json_ld(&site.read("public/courses/intro-rust/index.html"));
    assert_eq!(course["provider"]["@type"], "Organization");
    assert_eq!(course["provider"]["name"], "Fixture Academy");
}

#[test]
fn search_index_covers_public_text_in_english_and_chinese_only() {
    let site = built(&[]);
    let meta: Value = serde_json::from_str(&site.read("public/search/meta.json")).unwrap();
    let shards = meta["shards"].as_u64().unwrap() as usize;
    let index: BTreeMap<String, String> = (0..shards)
        .flat_map(|s| {
            let text = site.read(&format!("public/search/index/{s}.json"));
            serde_json::from_str::<BTreeMap<String, String>>(&text).unwrap()
        })
        .collect();
    // English words and Chinese bigrams from free lessons.
    for term in ["handlers", "ownership", "处理", "函数"] {
        assert!(index.contains_key(term), "{term} not indexed");
    }
    // Words only paid bodies hold, and a cost.
    for term in ["lives", "chains", "owner", "73519"] {
        assert!(!index.contains_key(term), "{term} indexed");
    }
    let excerpts: String = snapshot(&site.join("public/search/pages"))
        .into_values()
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    assert!(excerpts.contains("FREE-BODY-SENTINEL"));
    assert!(!excerpts.contains("PAID-BODY") && !excerpts.contains("DRAFT-SENTINEL"));
    // The search page works under the base path and degrades without JS.
    let page = site.read("public/search/index.html");
    assert!(page.contains("action=\"/academy/search/\""));
    assert!(page.contains("data-index=\"/academy/search/\""));
    assert!(page.contains("<noscript>"));
    assert!(site.join("public/search.js").is_file());
}
