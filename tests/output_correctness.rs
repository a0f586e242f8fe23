//! Output that must not break or lie: hostile text in JSON-LD, .ics and
//! math; input that used to vanish silently; warnings `check` must show.

mod common;

use common::TestSite;
use serde_json::Value;

/// The JSON-LD block of a page, parsed as a JSON parser reads it.
fn json_ld(html: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("a JSON-LD block") + open.len();
    let end = html[start..].find("</script>").unwrap() + start;
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn a_hostile_title_stays_inside_its_json_ld_string() {
    let site = TestSite::fixture("basic");
    let hostile = "Intro <!--<script> </script><b>x</b> & more";
    site.edit(
        "manifest.yaml",
        "title: Intro to Rust",
        &format!("title: '{hostile}'"),
    );
    site.build_ok(&[]);
    let html = site.read("public/courses/intro-rust/index.html");
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).unwrap() + open.len();
    let end = html[start..].find("</script>").unwrap() + start;
    let script = &html[start..end];
    assert!(
        !script.contains(['<', '>', '&']),
        "markup characters left raw in JSON-LD: {script}"
    );
    assert_eq!(json_ld(&html)["name"], hostile, "the value survives");
    // The page after the script is still there for the HTML parser.
    assert!(html[end..].contains("</html>"));
}

/// The content lines of an .ics file, unfolded (RFC 5545 §3.1).
fn ics_lines(ics: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for physical in ics.split("\r\n") {
        if let Some(rest) = physical.strip_prefix(' ') {
            lines.last_mut().unwrap().push_str(rest);
        } else if !physical.is_empty() {
            lines.push(physical.to_string());
        }
    }
    lines
}

#[test]
fn an_event_url_with_a_line_break_is_an_error_not_an_ics_injection() {
    let site = TestSite::fixture("basic");
    site.edit(
        "calendar.yaml",
        "url: https://meet.example.org/office-hours",
        "url: \"https://meet.example.org/office-hours\\r\\nATTACH:https://evil.example/x\"",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("calendar.yaml:"), "{}", run.stderr);
    assert!(run.stderr.contains("control character"), "{}", run.stderr);
    assert!(!site.join("public").exists());
}

#[test]
fn event_urls_are_written_as_parsed_everywhere() {
    let site = TestSite::fixture("basic");
    site.edit(
        "calendar.yaml",
        "url: https://meet.example.org/office-hours",
        "url: 'HTTPS://Meet.Example.org/office hours?a=b c'",
    );
    site.build_ok(&[]);
    let want = "https://meet.example.org/office%20hours?a=b%20c";
    let ics = site.read("public/events/office-hours.ics");
    let lines = ics_lines(&ics);
    let allowed = [
        "BEGIN",
        "END",
        "VERSION",
        "PRODID",
        "CALSCALE",
        "METHOD",
        "X-WR-CALNAME",
        "X-WR-TIMEZONE",
        "X-PUBLISHED-TTL",
        "NAME",
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "SUMMARY",
        "LOCATION",
        "DESCRIPTION",
        "URL",
        "TZID",
        "TZOFFSETFROM",
        "TZOFFSETTO",
        "TZNAME",
        "RDATE",
        "SEQUENCE",
        "LAST-MODIFIED",
        "X-LIC-LOCATION",
        "REFRESH-INTERVAL",
        "SOURCE",
        "COLOR",
    ];
    for line in &lines {
        let name = line.split([':', ';']).next().unwrap();
        assert!(allowed.contains(&name), "unexpected property {line:?}");
    }
    assert!(lines.contains(&format!("URL:{want}")), "{ics}");
    let page = site.read("public/events/office-hours/index.html");
    assert!(page.contains(want), "event page holds the parsed url");
    assert!(!page.contains("office hours?a"), "never the raw one");
    // The Google link carries it percent-encoded once more.
    assert!(page.contains("office%2520hours"), "{page}");
}

#[test]
fn math_text_is_escaped_in_the_page() {
    let site = TestSite::fixture("basic");
    site.write(
        "lessons/intro-rust/05-math.md",
        "---\ntitle: Math\nfree: true\n---\n\nHostile $\\operatorname{<img src=x onerror=alert(1)>}$ and $x<y$ and $a \\And b > c$.\n",
    );
    site.build_ok(&[]);
    let html = site.read("public/courses/intro-rust/math/index.html");
    let start = html.find("Hostile").unwrap();
    let end = html[start..].find("</p>").unwrap() + start;
    let para = &html[start..end];
    assert!(!para.contains("<img"), "{para}");
    assert!(
        para.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{para}"
    );
    assert!(para.contains("<mo>&lt;</mo>"), "{para}");
    // Every `<` left opens or closes an element.
    for (i, _) in para.match_indices('<') {
        let next = para[i + 1..].chars().next().unwrap();
        assert!(
            next == '/' || next.is_ascii_alphabetic(),
            "raw `<` in {para}"
        );
    }
}

#[test]
fn yaml_aliases_in_money_fields_work_and_drop_nothing() {
    let site = TestSite::fixture("basic");
    site.edit("manifest.yaml", "price: 49.99", "price: &p 49.99");
    site.edit("manifest.yaml", "price: 120", "price: *p");
    site.edit("manifest.yaml", "costs: { production: 88123 }", "costs: *c");
    site.edit(
        "manifest.yaml",
        "    costs:\n      production: 73519",
        "    costs: &c\n      production: 73519",
    );
    site.build_ok(&[]);
    let page = site.read("public/courses/web-go/index.html");
    assert!(page.contains("49.99"), "the aliased price is used");
    let report: Value = serde_json::from_str(&site.read("report/report.json")).unwrap();
    let web_go = report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "web-go")
        .expect("web-go is in the report");
    assert_eq!(web_go["price"], "49.99");
    assert_eq!(web_go["scenarios"][0]["cost"], "74753.56");
}

#[test]
fn a_list_where_a_count_belongs_is_an_error_not_a_missing_offer() {
    let site = TestSite::fixture("basic");
    site.edit(
        "manifest.yaml",
        "forecast: { sales: 6421 }",
        "forecast: { sales: [6421] }",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("manifest.yaml:32:24:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("single value"), "{}", run.stderr);
}

#[test]
fn a_manifest_that_does_not_parse_is_the_only_error_shown() {
    let site = TestSite::fixture("basic");
    site.edit(
        "manifest.yaml",
        "tagline: Ownership without tears",
        "tagline: Ownership: without tears",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error: manifest.yaml:4:"),
        "{}",
        run.stderr
    );
    assert!(
        errors[0].contains("must be quoted"),
        "a hint: {}",
        run.stderr
    );
}

/// The warning lines of a run.
fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect()
}

#[test]
fn files_that_are_not_read_and_odd_courses_are_warned_about() {
    let site = TestSite::fixture("basic");
    std::fs::rename(
        site.join("lessons/intro-rust/04-unsafe.md"),
        site.join("lessons/intro-rust/04-unsafe.MD"),
    )
    .unwrap();
    site.write(
        "lessons/intro-rust/05-module/extra/01-deep.md",
        "---\ntitle: Deep\n---\nx\n",
    );
    site.write(
        "lessons/intro-rust/03-again.md",
        "---\ntitle: Again\n---\nx\n",
    );
    std::fs::remove_dir_all(site.join("lessons/web-go")).unwrap();
    site.edit(
        "manifest.yaml",
        "https://buy.stripe.com/test_fixture1",
        "https://buy.stripe.com/test_replace_me",
    );
    let run = site.build_ok(&[]);
    let w = warnings(&run.stderr);
    let has = |file: &str, text: &str| w.iter().any(|l| l.contains(file) && l.contains(text));
    assert!(
        has("lessons/intro-rust/04-unsafe.MD", "not read as a lesson"),
        "{w:#?}"
    );
    assert!(
        has(
            "lessons/intro-rust/05-module/extra/01-deep.md",
            "one level deep"
        ),
        "{w:#?}"
    );
    assert!(
        has("lessons/intro-rust/03-lifetimes.md", "lesson number 3"),
        "{w:#?}"
    );
    assert!(
        has("manifest.yaml:23:9", "course `web-go` has no lessons"),
        "{w:#?}"
    );
    assert!(has("manifest.yaml:15:12", "placeholder"), "{w:#?}");
}

#[test]
fn a_lessons_or_pages_file_in_place_of_the_folder_is_an_error() {
    for name in ["lessons", "pages"] {
        let site = TestSite::fixture("basic");
        std::fs::remove_dir_all(site.join(name)).unwrap();
        site.write(name, "oops\n");
        let run = site.build(&[]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("error: {name}: `{name}` must be a folder")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn check_prints_the_warnings_build_prints() {
    let site = TestSite::fixture("basic");
    // A sale that ends within the week and an offer with costs but no
    // forecast: the seller's warnings.
    site.edit(
        "manifest.yaml",
        "until: 2026-12-31T23:59:59-05:00",
        "until: 2026-11-27T23:59:59-05:00",
    );
    site.edit("manifest.yaml", "    forecast: { sales: 6421 }\n", "");
    site.write("lessons/intro-rust/09-x.MD", "not read\n");
    let check = site.kpsite(&["check", ".", "--now", common::NOW]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let build = site.build_ok(&[]);
    assert!(warnings(&build.stderr).len() >= 3, "{}", build.stderr);
    assert_eq!(warnings(&check.stderr), warnings(&build.stderr));
}

#[test]
fn a_zone_abbreviation_suggests_the_zone_people_mean() {
    let site = TestSite::fixture("basic");
    site.edit("kpsite.yaml", "timezone: America/New_York", "timezone: PST");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "kpsite.yaml:6:11: unknown time zone `PST`, did you mean `America/Los_Angeles`?"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("`EST`"), "{}", run.stderr);
}

#[test]
fn a_template_that_includes_itself_is_an_error_not_a_crash() {
    let site = TestSite::fixture("basic");
    site.write("templates/page.html", "{% include \"page.html\" %}");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: templates/page.html: templates recurse without end: page.html → page.html"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.join("public").exists());
}

#[test]
fn a_macro_that_calls_itself_is_an_error_not_a_crash() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/rec.html",
        "{% macro f(n) %}<i>{{ self::f(n=n + 1) }}</i>{% endmacro f %}",
    );
    site.write(
        "templates/page.html",
        "{% import \"rec.html\" as r %}{{ r::f(n=0) }}",
    );
    for command in ["build", "check"] {
        let run = site.kpsite(&[command, ".", "--now", common::NOW]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(run.stderr.contains("error: templates/rec.html: templates recurse without end: rec.html (macro `f`) → rec.html (macro `f`)"), "{}", run.stderr);
    }
}

#[test]
fn two_lessons_with_one_slug_are_an_error() {
    // (Both files are named: either may be the one to rename.)
    let site = TestSite::fixture("basic");
    site.write(
        "lessons/intro-rust/07-ownership.md",
        "---\ntitle: Again\n---\nx\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: lessons/intro-rust/07-ownership.md: lesson slug `ownership` is also used by lessons/intro-rust/02-ownership.md"),
        "{}",
        run.stderr
    );
}
