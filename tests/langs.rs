//! Sites in several languages (SPEC §8): one model per language, rendered
//! under `/<lang>/`, with hreflang alternates, a language switch, fallbacks,
//! and per-language feeds, sitemaps and search indexes.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{TestSite, snapshot};

const BASE: &str = "https://bilingual.example.org/school/";

/// The bilingual fixture built to `public/`; its files as text.
fn built() -> (TestSite, BTreeMap<String, String>) {
    let site = TestSite::fixture("bilingual");
    site.build_ok(&[]);
    let files = text_files(&site, "public");
    (site, files)
}

fn text_files(site: &TestSite, dir: &str) -> BTreeMap<String, String> {
    snapshot(&site.join(dir))
        .into_iter()
        .filter_map(|(p, b)| String::from_utf8(b).ok().map(|t| (p, t)))
        .collect()
}

/// `(hreflang, href)` of every `<link rel="alternate" hreflang=…>`.
fn alternates(html: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for part in html.split("<link rel=\"alternate\" hreflang=\"").skip(1) {
        let (lang, rest) = part.split_once('"').unwrap();
        let href = rest
            .split("href=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        out.insert((lang.to_string(), href.to_string()));
    }
    out
}

/// The output file an absolute URL of the site names.
fn file_of(url: &str) -> String {
    let rel = url.strip_prefix(BASE).expect("a URL of the site");
    format!("{rel}index.html")
}

#[test]
fn hreflang_pairs_are_valid_both_ways() {
    let (_site, files) = built();
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with("index.html")).collect();
    assert!(pages.len() > 10, "{pages:?}");
    for page in pages {
        let html = &files[page];
        let alts = alternates(html);
        let langs: BTreeSet<&str> = alts.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            langs,
            BTreeSet::from(["en", "x-default", "zh-CN"]),
            "{page}: {alts:?}"
        );
        let url_of = |lang: &str| alts.iter().find(|(l, _)| l == lang).unwrap().1.clone();
        // It lists itself, under the language of its `lang` attribute.
        let lang = html
            .split("<html lang=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(file_of(&url_of(lang)), *page, "{page} does not list itself");
        assert_eq!(url_of("x-default"), url_of("zh-CN"), "{page}");
        // Each alternate exists and lists the same set back.
        for (l, href) in &alts {
            let other = file_of(href);
            let back = files
                .get(&other)
                .unwrap_or_else(|| panic!("{page}: hreflang {l} → {href} is not in the output"));
            assert_eq!(alternates(back), alts, "{other} does not list {page} back");
        }
        // The language switch links every language's page.
        let switch = html
            .split("<nav class=\"langs\"")
            .nth(1)
            .expect("a language switch");
        for (l, href) in alts.iter().filter(|(l, _)| l != "x-default") {
            let path = href.strip_prefix("https://bilingual.example.org").unwrap();
            assert!(
                switch.contains(&format!("href=\"{path}\" hreflang=\"{l}\"")),
                "{page}: {switch}"
            );
        }
    }
}

#[test]
fn each_language_reads_its_own_texts_and_falls_back_visibly() {
    let (_site, f) = built();
    let zh = &f["courses/rust-web/welcome/index.html"];
    let en = &f["en/courses/rust-web/welcome/index.html"];
    assert!(zh.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(zh.contains("ZH-FREE-SENTINEL") && !zh.contains("EN-FREE-SENTINEL"));
    assert!(en.contains("EN-FREE-SENTINEL") && !en.contains("ZH-FREE-SENTINEL"));
    // A translation's relative link to the default file lands on the same
    // language's page.
    assert!(
        en.contains("href=\"/school/en/courses/rust-web/ownership/\""),
        "{en}"
    );
    assert!(en.contains("href=\"/school/en/about/\""), "{en}");
    // Titles from language maps.
    assert!(f["index.html"].contains("双语学院"));
    assert!(f["en/index.html"].contains("Bilingual Academy"));
    assert!(!f["en/index.html"].contains("双语学院"));
    // Untranslated: the default text, marked as such and flagged in the page.
    let fallback = &f["en/courses/rust-web/traits/index.html"];
    assert!(fallback.contains("ZH-ONLY-SENTINEL"));
    assert!(fallback.contains("<main id=\"main\" data-search-body lang=\"zh-CN\">"));
    assert!(fallback.contains("has not been translated into English yet"));
    assert!(f["en/refund/index.html"].contains("has not been translated"));
    for translated in [
        "en/courses/rust-web/welcome/index.html",
        "en/about/index.html",
    ] {
        assert!(
            !f[translated].contains("not been translated"),
            "{translated}"
        );
    }
    for zh_page in ["courses/rust-web/traits/index.html", "refund/index.html"] {
        assert!(!f[zh_page].contains("fallback"), "{zh_page}");
    }
}

#[test]
fn prices_and_payment_links_differ_by_language() {
    let (_site, f) = built();
    let zh = &f["courses/rust-web/index.html"];
    let en = &f["en/courses/rust-web/index.html"];
    assert!(
        zh.contains("¥199") && zh.contains("src=\"/school/img/pay.png\""),
        "{zh}"
    );
    assert!(!zh.contains("buy.stripe.com/test_bilingual"));
    assert!(en.contains("$29.99") && en.contains("https://buy.stripe.com/test_bilingual"));
    assert!(en.contains("\"priceCurrency\":\"USD\"") && zh.contains("\"priceCurrency\":\"CNY\""));
    // Static files live once, at the root, for every language.
    assert!(f.keys().all(|p| !p.starts_with("en/img/")));
}

#[test]
fn feeds_sitemaps_search_and_dates_per_language() {
    let (site, f) = built();
    assert!(f["feed.xml"].contains("xml:lang=\"zh-CN\"") && f["feed.xml"].contains("欢迎"));
    assert!(f["en/feed.xml"].contains("xml:lang=\"en\""));
    assert!(f["en/feed.xml"].contains(&format!("{BASE}en/courses/rust-web/welcome/")));
    assert!(!f["en/feed.xml"].contains("<title>欢迎</title>"));
    assert!(f["sitemap.xml"].contains(&format!("<loc>{BASE}about/</loc>")));
    assert!(!f["sitemap.xml"].contains("<loc>https://bilingual.example.org/school/en/"));
    assert!(f["en/sitemap.xml"].contains(&format!("<loc>{BASE}en/about/</loc>")));
    let robots = &f["robots.txt"];
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml")));
    assert!(robots.contains(&format!("Sitemap: {BASE}en/sitemap.xml")));
    assert!(!f.contains_key("en/robots.txt"));
    // Search: each language indexes its own pages.
    let zh_pages = &f["search/pages/0.json"];
    let en_pages = &f["en/search/pages/0.json"];
    assert!(zh_pages.contains("ZH-FREE-SENTINEL") && !zh_pages.contains("EN-FREE-SENTINEL"));
    assert!(en_pages.contains("EN-FREE-SENTINEL") && !en_pages.contains("ZH-FREE-SENTINEL"));
    assert!(en_pages.contains("\"/school/en/courses/rust-web/welcome/\""));
    let terms = |prefix: &str| -> String {
        f.iter()
            .filter(|(p, _)| p.starts_with(prefix) && p.contains("search/index/"))
            .map(|(_, t)| t.as_str())
            .collect()
    };
    let zh_terms = terms("search/");
    let en_terms = terms("en/search/");
    assert!(
        zh_terms.contains("\"所有\""),
        "Chinese bigrams in the zh-CN index"
    );
    assert!(
        en_terms.contains("\"english\""),
        "English words in the en index"
    );
    assert!(!en_terms.contains("\"所有\""));
    // Dates in each language's pattern.
    assert!(f["events/index.html"].contains("2026年12月2日（周三） 20:00–21:30"));
    assert!(f["en/events/index.html"].contains("Wed, Dec 2, 2026, 20:00–21:30"));
    // Plural-aware strings: "3 lessons"; the Chinese has one form.
    assert!(f["en/index.html"].contains("3 lessons"));
    assert!(f["index.html"].contains("3 节课"));
    // The site's own i18n/en.yaml overrides one string, the rest stay.
    let en_all: String = f
        .iter()
        .filter(|(p, _)| p.starts_with("en/"))
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(en_all.contains("Get it now") && en_all.contains("Buy for $29.99"));
    let _ = site;
}

#[test]
fn paid_translations_stay_paid() {
    let site = TestSite::fixture("bilingual");
    // A translation that claims to be free does not free the lesson.
    site.edit(
        "lessons/rust-web/02-ownership.en.md",
        "summary: Moves and borrows\n",
        "summary: Moves and borrows\nfree: true\n",
    );
    let run = site.build_ok(&["--members"]);
    assert!(
        run.stderr
            .contains("lessons/rust-web/02-ownership.en.md: `free: true` differs"),
        "{}",
        run.stderr
    );
    let public = snapshot(&site.join("public"));
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        for s in ["EN-PAID-SENTINEL", "ZH-PAID-SENTINEL"] {
            assert!(!text.contains(s), "{s} leaked into public/{path}");
        }
    }
    // Positive control: the members build has both languages' paid bodies.
    let members = text_files(&site, "members");
    assert!(members["courses/rust-web/ownership/index.html"].contains("ZH-PAID-SENTINEL"));
    assert!(members["en/courses/rust-web/ownership/index.html"].contains("EN-PAID-SENTINEL"));
}

#[test]
fn check_lists_missing_translations_and_broken_links_name_the_language_file() {
    let site = TestSite::fixture("bilingual");
    let run = site.kpsite(&["check", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: lessons/rust-web/03-traits.md: no en translation"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("write lessons/rust-web/03-traits.en.md")
    );
    assert!(
        run.stderr
            .contains("warning: pages/refund.md: no en translation")
    );
    assert!(!run.stderr.contains("01-welcome.md: no en"));
    site.edit(
        "lessons/rust-web/01-welcome.en.md",
        "[ownership](02-ownership.md)",
        "[ownership](02-missing.md)",
    );
    let run = site.kpsite(&["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("lessons/rust-web/01-welcome.en.md:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("02-missing.md"), "{}", run.stderr);
}

#[test]
fn a_third_language_is_a_strings_file() {
    let site = TestSite::fixture("trilingual");
    site.build_ok(&[]);
    let f = text_files(&site, "public");
    let ja = &f["ja/courses/intro/hello/index.html"];
    assert!(ja.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
    assert!(ja.contains("JA-BODY-SENTINEL") && ja.contains("無料プレビュー"));
    assert!(ja.contains("<meta property=\"og:locale\" content=\"ja_JP\">"));
    assert!(ja.contains(">日本語</a>") && ja.contains(">English</a>"));
    assert!(f["ja/index.html"].contains("<title>三つの言葉</title>"));
    assert!(f["ja/courses/intro/index.html"].contains("<li>1 レッスン</li>"));
    // English: the singular form.
    assert!(f["courses/intro/index.html"].contains("<li>1 lesson</li>"));
    // Without its strings file the language is an error naming the file to write.
    std::fs::remove_file(site.join("i18n/ja.yaml")).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("language `ja` has no UI strings: create i18n/ja.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn language_errors_name_file_line_and_fix() {
    let site = TestSite::fixture("bilingual");
    site.edit(
        "manifest.yaml",
        "title: { zh-CN: 成长社群, en: Builders Club }",
        "title: { en: Builders Club }",
    );
    site.write("i18n/en.yaml", "buy: [not, text]\n");
    site.edit(
        "kpsite.yaml",
        "languages: [zh-CN, en]",
        "languages: [zh-CN, en, \"../x\"]",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let e = &run.stderr;
    assert!(e.contains("kpsite.yaml:4:"), "{e}");
    assert!(
        e.contains("unknown language `../x`: not a language tag"),
        "{e}"
    );
    assert!(
        e.contains(
            "manifest.yaml:21:14: this language map has no text for the default language `zh-CN`"
        ),
        "{e}"
    );
    assert!(e.contains("i18n/en.yaml:1:6: `buy` must be text"), "{e}");
}

#[test]
fn money_in_a_language_map_is_read_exactly() {
    let site = TestSite::fixture("bilingual");
    site.edit(
        "manifest.yaml",
        "price: { zh-CN: 199, en: 29.99 }",
        "price: { zh-CN: 199, en: 29.999 }",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    // The position of the English amount itself.
    assert!(
        run.stderr
            .contains("manifest.yaml:12:30: `29.999` has more decimals than USD allows"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_in_one_language_has_no_language_furniture() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let f = text_files(&site, "public");
    assert!(f.keys().all(|p| !p.starts_with("en/")));
    for (p, t) in &f {
        assert!(!t.contains("hreflang"), "{p}");
        assert!(!t.contains("class=\"langs\""), "{p}");
    }
    assert!(f["index.html"].contains("<html lang=\"en\">"));
}

/// `delivery: encrypted` on a bilingual site: one key per offer opens the
/// paid lesson in every language; each language has its unlock page.
#[test]
fn one_key_per_offer_opens_every_language() {
    use std::process::Command;
    const SECRET: &str = "q2VGX0Eb1j3sHyb0uRw7ViCwr1iVqBVmX8C3JtRzW1I=";
    let site = TestSite::fixture("bilingual");
    let config = site.read("kpsite.yaml");
    site.write("kpsite.yaml", &format!("{config}delivery: encrypted\n"));
    let kp = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
            .args(args)
            .current_dir(site.path())
            .env("KPSITE_SECRET", SECRET)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let keys = kp(&["keys"]);
    assert_eq!(keys.lines().count(), 2, "one link per offer:\n{keys}");
    let rust_web = keys
        .lines()
        .find_map(|l| l.strip_prefix("rust-web\t"))
        .unwrap()
        .to_string();
    kp(&["build", ".", "--now", common::NOW]);
    let f = text_files(&site, "public");
    for page in [
        "courses/rust-web/ownership/index.html",
        "en/courses/rust-web/ownership/index.html",
    ] {
        assert!(
            f[page].contains("data-kpsite-sealed=\"course:rust-web\""),
            "{page}"
        );
    }
    assert!(f.contains_key("unlock/index.html") && f.contains_key("en/unlock/index.html"));
    assert!(f["en/unlock/index.html"].contains("<html lang=\"en\">"));
    // The same keystore names (one per key) in every language: one key per
    // offer whatever the page language; their sealed listings differ (titles
    // and URLs of that language).
    let stores = |prefix: &str| -> BTreeMap<String, String> {
        f.iter()
            .filter_map(|(p, t)| {
                let rest = p.strip_prefix(prefix)?.strip_prefix("unlock/")?;
                rest.ends_with(".json")
                    .then(|| (rest.to_string(), t.clone()))
            })
            .collect()
    };
    assert!(!stores("").is_empty());
    assert_eq!(
        stores("").keys().collect::<Vec<_>>(),
        stores("en/").keys().collect::<Vec<_>>()
    );
    let has_python = Command::new("python3")
        .args(["-c", "import cryptography"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_python {
        assert!(
            std::env::var_os("KPSITE_REQUIRE_PYTHON").is_none(),
            "python3 with `cryptography` is required"
        );
        return;
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/decrypt_check.py");
    for (page, sentinel) in [
        ("courses/rust-web/ownership/index.html", "ZH-PAID-SENTINEL"),
        (
            "en/courses/rust-web/ownership/index.html",
            "EN-PAID-SENTINEL",
        ),
    ] {
        let out = Command::new("python3")
            .arg(&script)
            .arg(site.join("public"))
            .arg(&rust_web)
            .arg(page)
            .output()
            .unwrap();
        assert!(out.status.success(), "{page}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(sentinel),
            "{page}"
        );
    }
}

#[test]
fn a_language_folder_cannot_be_a_page() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "pages/en.md",
        "---\ntitle: English?\n---\n\nA page at /en/.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("pages/en.md: this page's URL /en/ is where the `en` site lives"),
        "{}",
        run.stderr
    );
}

/// A sitemap read by Python's XML parser: `(loc, hreflang, href)` for each
/// `xhtml:link` of each `<url>`, and `(loc, "", "")` for one without any.
/// Python's parser rejects malformed XML and unbound prefixes, which is the
/// point of not reading it with string searches.
fn sitemap_links(path: &std::path::Path) -> Vec<(String, String, String)> {
    const SCRIPT: &str = r#"
import sys, xml.etree.ElementTree as ET
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
X = "{http://www.w3.org/1999/xhtml}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == S + "urlset", root.tag
for url in root.findall(S + "url"):
    loc = url.find(S + "loc").text
    links = url.findall(X + "link")
    if not links:
        print(loc, "", "", sep="\t")
    for l in links:
        assert l.get("rel") == "alternate", l.attrib
        print(loc, l.get("hreflang"), l.get("href"), sep="\t")
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{} is not a valid sitemap: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut f = l.split('\t').map(str::to_string);
            (f.next().unwrap(), f.next().unwrap(), f.next().unwrap())
        })
        .collect()
}

#[test]
fn sitemaps_list_every_translation_both_ways() {
    let (site, files) = built();
    // url → {(hreflang, href)}, over both sitemaps.
    let mut entries: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for (sitemap, prefix) in [
        ("sitemap.xml", BASE.to_string()),
        ("en/sitemap.xml", format!("{BASE}en/")),
    ] {
        let links = sitemap_links(&site.join(&format!("public/{sitemap}")));
        assert!(links.len() > 20, "{sitemap}: {links:?}");
        for (loc, lang, href) in links {
            assert!(loc.starts_with(&prefix), "{sitemap} lists {loc}");
            assert!(!lang.is_empty(), "{sitemap}: {loc} has no alternates");
            entries.entry(loc).or_default().insert((lang, href));
        }
    }
    assert!(
        !entries
            .keys()
            .any(|u| u.starts_with(&format!("{BASE}en/en/")))
    );
    for (loc, alts) in &entries {
        let langs: Vec<&str> = alts.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs, ["en", "x-default", "zh-CN"], "{loc}");
        let href = |lang: &str| &alts.iter().find(|(l, _)| l == lang).unwrap().1;
        // Lists itself; x-default is the default language's page.
        assert!(alts.iter().any(|(_, h)| h == loc), "{loc}");
        assert_eq!(href("x-default"), href("zh-CN"), "{loc}");
        for (lang, other) in alts {
            // Both ways: the alternate is in a sitemap with the same set,
            // it is a page that exists, and the page's own head agrees.
            assert_eq!(entries.get(other), Some(alts), "{loc} → {lang} {other}");
            let file = file_of(other);
            assert_eq!(&alternates(&files[&file]), alts, "{file}");
        }
    }
    // A site in one language: no xhtml namespace, no alternates.
    let single = TestSite::fixture("basic");
    single.build_ok(&[]);
    let links = sitemap_links(&single.join("public/sitemap.xml"));
    assert!(!links.is_empty() && links.iter().all(|(_, l, h)| l.is_empty() && h.is_empty()));
    assert!(!single.read("public/sitemap.xml").contains("xhtml"));
}

/// Amounts follow the language's strings file: Polish groups digits with
/// a no-break space, writes a decimal comma and puts the symbol after;
/// English keeps `$1,234.50`. No code knows Polish.
#[test]
fn amounts_are_written_the_way_the_strings_file_says() {
    let site = TestSite::fixture("trilingual").with_edit(
        "manifest.yaml",
        "title: { en: Five, pl: Pięć }\n    price: 10",
        "title: { en: Five, pl: Pięć }\n    price: 1234.50",
    );
    site.build_ok(&[]);
    let pl = site.read("public/pl/courses/five/index.html");
    assert!(pl.contains("1\u{a0}234,50\u{a0}$"), "{pl}");
    assert!(!pl.contains("$1,234.50"));
    let en = site.read("public/courses/five/index.html");
    assert!(en.contains("$1,234.50"), "{en}");
    // Machine forms stay machine forms in every language.
    assert!(pl.contains("\"price\":\"1234.50\""), "{pl}");
}

#[test]
fn plural_forms_follow_cldr_from_a_strings_file() {
    let site = TestSite::fixture("trilingual");
    site.build_ok(&[]);
    let f = text_files(&site, "public");
    // Polish (one, few, many): only tests/fixtures/trilingual/i18n/pl.yaml.
    assert!(f["pl/courses/intro/index.html"].contains("<li>1 lekcja</li>"));
    assert!(f["pl/courses/three/index.html"].contains("<li>3 lekcje</li>"));
    assert!(f["pl/courses/five/index.html"].contains("<li>5 lekcji</li>"));
    assert!(f["pl/index.html"].starts_with("<!DOCTYPE html>\n<html lang=\"pl\">"));
    // English and Japanese from the same numbers.
    assert!(f["courses/three/index.html"].contains("<li>3 lessons</li>"));
    assert!(f["ja/courses/five/index.html"].contains("<li>5 レッスン</li>"));
    // A form that is no CLDR category, or one Polish never uses for a
    // count: a warning at the file and line; the other forms still work.
    site.edit(
        "i18n/pl.yaml",
        "  few: \"{n} lekcje\"",
        "  few: \"{n} lekcje\"\n  fwe: \"{n} typo\"\n  two: \"{n} dwie\"",
    );
    let run = site.build_ok(&[]);
    let e = &run.stderr;
    assert!(
        e.contains("i18n/pl.yaml:12:8: `fwe` is not a plural form, so `lessons_count` never shows it; the forms of pl are one, few, many, other"),
        "{e}"
    );
    assert!(
        e.contains("i18n/pl.yaml:13:8: pl has no `two` form for counts"),
        "{e}"
    );
    assert!(
        site.read("public/pl/courses/three/index.html")
            .contains("<li>3 lekcje</li>")
    );
    // Without `other` it is an error at the key.
    site.write("i18n/pl.yaml", "lessons_count: { one: \"{n} lekcja\" }\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("i18n/pl.yaml:1:18: `lessons_count` must be text, or a map of plural forms with at least `other`"), "{}", run.stderr);
}

#[test]
fn theme_strings_sit_between_the_default_and_the_site() {
    let site = TestSite::fixture("bilingual");
    site.edit(
        "kpsite.yaml",
        "languages: [zh-CN, en]",
        "languages: [zh-CN, en]\ntheme: mine",
    );
    // The site theme gives three strings; the site overrides one of them.
    site.write(
        "themes/mine/i18n/en.yaml",
        "buy_for: \"Theme buys {price}\"\nfree_preview: Theme taster\nbuy: Theme buy\n",
    );
    assert!(site.read("i18n/en.yaml").contains("buy: Get it now"));
    site.build_ok(&[]);
    let en = site.read("public/en/courses/rust-web/welcome/index.html");
    assert!(en.contains("Theme taster"), "theme over default");
    assert!(!en.contains("Free preview"));
    let course = site.read("public/en/courses/rust-web/index.html");
    assert!(course.contains("Theme buys $29.99"), "theme over default");
    let all: String = snapshot(&site.join("public/en"))
        .into_values()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(
        all.contains("Get it now") && !all.contains("Theme buy<"),
        "site over theme"
    );
    assert!(all.contains("Syllabus"), "the default fills the rest");
    // The Chinese site is untouched by the theme's English strings.
    assert!(
        !site
            .read("public/courses/rust-web/index.html")
            .contains("Theme")
    );
    // A language whose only strings are the theme's is fine.
    let tri = TestSite::fixture("trilingual");
    tri.edit("kpsite.yaml", "currency: USD", "currency: USD\ntheme: t");
    tri.write("themes/t/i18n/ja.yaml", &tri.read("i18n/ja.yaml"));
    std::fs::remove_file(tri.join("i18n/ja.yaml")).unwrap();
    tri.build_ok(&[]);
    assert!(
        tri.read("public/ja/courses/intro/hello/index.html")
            .contains("無料プレビュー")
    );
}

#[test]
fn module_titles_are_translated_beside_the_module_file() {
    let site = TestSite::fixture("bilingual");
    // Move the fixture's lessons into two modules.
    let dir = site.join("lessons/rust-web");
    let lessons: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".md"))
        .collect();
    for m in ["01-start", "02-more"] {
        std::fs::create_dir(dir.join(m)).unwrap();
    }
    for name in &lessons {
        let module = if name.starts_with("03-") {
            "02-more"
        } else {
            "01-start"
        };
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        std::fs::write(
            dir.join(module).join(name),
            text.replace("../../", "../../../"),
        )
        .unwrap();
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    site.write(
        "lessons/rust-web/01-start/_module.md",
        "---\ntitle: 开始\n---\n",
    );
    site.write(
        "lessons/rust-web/01-start/_module.en.md",
        "---\ntitle: Getting started\n---\n",
    );
    site.write(
        "lessons/rust-web/02-more/_module.md",
        "---\ntitle: 更多\n---\n",
    );
    // A language the site does not have: not taken for the default title.
    site.write(
        "lessons/rust-web/02-more/_module.fr.md",
        "---\ntitle: Encore\n---\n",
    );
    let run = site.build_ok(&[]);
    let en = site.read("public/en/courses/rust-web/index.html");
    let zh = site.read("public/courses/rust-web/index.html");
    assert!(
        en.contains("Getting started") && !en.contains("开始"),
        "translated title"
    );
    assert!(
        en.contains("更多"),
        "untranslated title falls back to the default"
    );
    assert!(zh.contains("开始") && zh.contains("更多") && !zh.contains("Getting started"));
    assert!(!en.contains("Encore") && !zh.contains("Encore"));
    assert!(
        run.stderr.contains(
            "warning: lessons/rust-web/02-more/_module.fr.md: not read: a module's translation"
        ),
        "{}",
        run.stderr
    );
    // `check` lists the missing module translation, naming the file to write.
    let check = site.kpsite(&["check"]);
    assert!(
        check
            .stderr
            .contains("lessons/rust-web/02-more/_module.md: no en translation")
            && check
                .stderr
                .contains("write lessons/rust-web/02-more/_module.en.md"),
        "{}",
        check.stderr
    );
    assert!(
        !check
            .stderr
            .contains("01-start/_module.md: no en translation")
    );
    // An error in a translation is reported at the translation file.
    site.write(
        "lessons/rust-web/01-start/_module.en.md",
        "---\ntitle: \"\"\n---\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("lessons/rust-web/01-start/_module.en.md:2:1: the module `title` is empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn hostile_language_inputs() {
    let site = TestSite::fixture("bilingual");
    let langs = |list: &str| {
        site.write(
            "kpsite.yaml",
            &site
                .read("kpsite.yaml")
                .replace("languages: [zh-CN, en]", list),
        );
        let run = site.build(&[]);
        site.write(
            "kpsite.yaml",
            &site
                .read("kpsite.yaml")
                .replace(list, "languages: [zh-CN, en]"),
        );
        run
    };
    for (list, says) in [
        (
            "languages: [zh-CN, \"en/../../\"]",
            "kpsite.yaml:4:20: unknown language `en/../../`: not a language tag",
        ),
        (
            "languages: [zh-CN, en, EN]",
            "kpsite.yaml:4:24: `EN` is `en` again (language tags ignore case); list it once",
        ),
        (
            "languages: [zh-CN, en, en]",
            "kpsite.yaml:4:24: `en` is listed twice",
        ),
        (
            "languages: [zh-cn, en]",
            "kpsite.yaml:4:13: write `zh-CN`, not `zh-cn`",
        ),
    ] {
        let run = langs(list);
        assert_eq!(run.code, 1, "{list}");
        assert!(run.stderr.contains(says), "{list}: {}", run.stderr);
        assert!(!site.join("public/EN").exists() && !site.join("public/en").exists());
    }
    // A translation into a language the site does not have: not published,
    // and the default language's file is not replaced.
    site.write(
        "lessons/rust-web/01-welcome.fr.md",
        "---\ntitle: Bienvenue\nfree: true\n---\n\nFR-SENTINEL\n",
    );
    site.write(
        "pages/about.fr.md",
        "---\ntitle: À propos\n---\n\nFR-SENTINEL\n",
    );
    let run = site.build_ok(&[]);
    for file in ["lessons/rust-web/01-welcome.fr.md", "pages/about.fr.md"] {
        assert!(
            run.stderr.contains(&format!("warning: {file}: a translation into `fr`, which is not one of `languages` (zh-CN, en)")),
            "{}",
            run.stderr
        );
    }
    let out: String = snapshot(&site.join("public"))
        .into_values()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(!out.contains("FR-SENTINEL") && !out.contains("Bienvenue"));
    assert!(out.contains("EN-FREE-SENTINEL"), "positive control");
    // Hostile HTML in UI strings is text, never markup.
    site.write(
        "i18n/en.yaml",
        "buy: \"<script>alert(1)</script>\"\nlanguage_name: \"<i>E</i>\"\nlessons_count: {one: \"<img src=x onerror=alert(1)>\", other: \"<b>{n}</b>\"}\n",
    );
    site.build_ok(&[]);
    let html: String = snapshot(&site.join("public/en"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            && html.contains("&lt;b&gt;3&lt;/b&gt;")
    );
    assert!(html.contains("&lt;i&gt;E&lt;/i&gt;"));
    for raw in ["<script>alert", "<b>3", "<i>E", "<img src=x"] {
        assert!(!html.contains(raw), "{raw} unescaped");
    }
    // A huge strings file is refused at the file, quickly.
    let huge: String = (0..20_000)
        .map(|i| format!("k{i}: \"{}\"\n", "x".repeat(20)))
        .collect();
    site.write("i18n/en.yaml", &huge);
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("i18n/en.yaml: 594 KB of UI strings: a strings file may hold at most 256 KB"),
        "{}",
        run.stderr
    );
}

/// A draft translation is no translation yet: the other language shows
/// the default text (marked as a fallback) instead of losing the page,
/// so every hreflang and sitemap alternate lands on a page. A draft
/// default file keeps its page out of every language. `--drafts` builds
/// both as written.
#[test]
fn drafts_never_leave_an_alternate_without_its_page() {
    let site = TestSite::fixture("bilingual");
    let draft = |rel: &str| {
        let text = site.read(rel).replacen("---\n", "---\ndraft: true\n", 1);
        site.write(rel, &text);
    };
    draft("pages/about.en.md");
    draft("lessons/rust-web/03-traits.md");
    site.build_ok(&[]);
    let f = text_files(&site, "public");
    let about = &f["en/about/index.html"];
    assert!(about.contains("has not been translated") && !about.contains("EN-ABOUT-SENTINEL"));
    for gone in [
        "courses/rust-web/traits/index.html",
        "en/courses/rust-web/traits/index.html",
    ] {
        assert!(!f.contains_key(gone), "{gone} is a draft's page");
    }
    for (page, html) in f.iter().filter(|(p, _)| p.ends_with("index.html")) {
        for (_, href) in alternates(html) {
            assert!(
                f.contains_key(&file_of(&href)),
                "{page} names {href}, which was not built"
            );
        }
    }
    for sitemap in ["sitemap.xml", "en/sitemap.xml"] {
        assert!(!f[sitemap].contains("traits"), "{sitemap}");
    }
    site.build_ok(&["--drafts"]);
    let f = text_files(&site, "public");
    assert!(f["en/about/index.html"].contains("EN-ABOUT-SENTINEL"));
    assert!(f.contains_key("en/courses/rust-web/traits/index.html"));
}
