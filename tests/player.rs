//! The course player (SPEC §2.3): module folders, lesson videos and
//! trailers, course length, the course navigation, search text without
//! navigation, and a default-theme site that asks no other host for
//! anything.

mod common;

use std::fs;
use std::path::Path;

use common::TestSite;

/// The fixture with a module folder `05-advanced` (two lessons, titled by
/// `_module.md`) after the three top-level lessons of `intro-rust`.
fn with_module() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(
        "lessons/intro-rust/05-advanced/_module.md",
        "---\ntitle: Going further\n---\n",
    )
    .write(
        "lessons/intro-rust/05-advanced/01-macros.md",
        "---\ntitle: Macros by example\nfree: true\nminutes: 5\nvideo: https://youtu.be/dQw4w9WgXcQ\nvideo_minutes: 7\n---\n\nMACROS-BODY\n",
    )
    .write(
        "lessons/intro-rust/05-advanced/02-async.md",
        "---\ntitle: Async in depth\nvideo: https://vimeo.com/76979871\n---\n\nASYNC-PAID-BODY\n",
    );
    site
}

#[test]
fn module_lessons_keep_flat_urls_and_follow_module_order() {
    let site = with_module();
    site.build_ok(&[]);
    let macros = site.read("public/courses/intro-rust/macros/index.html");
    assert!(macros.contains("MACROS-BODY"));
    // Previous is the last top-level lesson; next is the module's second.
    assert!(
        macros.contains("href=\"/academy/courses/intro-rust/lifetimes/\" rel=\"prev\""),
        "{macros}"
    );
    assert!(macros.contains("href=\"/academy/courses/intro-rust/async/\" rel=\"next\""));
    // The sidebar: module title, current lesson marked, the paid one marked.
    let nav = between(&macros, "<details class=\"course-nav\"", "</details>");
    assert!(nav.contains(">Going further</p>"), "{nav}");
    assert!(nav.contains("<a href=\"/academy/courses/intro-rust/macros/\" aria-current=\"page\">"));
    assert_eq!(nav.matches("aria-current").count(), 1);
    let async_item = between(nav, "data-kpsite-lesson=\"async\"", "</li>");
    assert!(async_item.contains("paid-mark"), "{async_item}");
    let macros_item = between(nav, "data-kpsite-lesson=\"macros\"", "</li>");
    assert!(!macros_item.contains("paid-mark"), "{macros_item}");

    // The syllabus groups the module after the top-level lessons.
    let course = site.read("public/courses/intro-rust/index.html");
    let order: Vec<usize> = [
        "welcome/",
        "lifetimes/",
        "Going further",
        "macros/",
        "async/",
    ]
    .iter()
    .map(|s| course.find(s).unwrap_or_else(|| panic!("{s} missing")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn a_module_without_module_file_is_titled_from_its_folder() {
    let site = with_module();
    fs::remove_file(site.join("lessons/intro-rust/05-advanced/_module.md")).unwrap();
    site.build_ok(&[]);
    let course = site.read("public/courses/intro-rust/index.html");
    assert!(
        course.contains("<h3 class=\"module-title\">Advanced</h3>"),
        "{course}"
    );
}

#[test]
fn one_slug_in_two_modules_is_an_error_at_both_files() {
    let site = with_module();
    site.write(
        "lessons/intro-rust/06-more/01-macros.md",
        "---\ntitle: More macros\n---\n\nx\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for file in [
        "lessons/intro-rust/05-advanced/01-macros.md",
        "lessons/intro-rust/06-more/01-macros.md",
    ] {
        assert!(
            run.stderr.contains(&format!(
                "error: {file}: lesson slug `macros` is also used by"
            )),
            "{file}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn deeper_folders_and_stray_files_are_still_named() {
    let site = with_module();
    site.write(
        "lessons/intro-rust/05-advanced/extra/01-deep.md",
        "---\ntitle: Deep\n---\n",
    )
    .write(
        "lessons/intro-rust/_module.md",
        "---\ntitle: Misplaced\n---\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains(
            "warning: lessons/intro-rust/05-advanced/extra/01-deep.md: not read as a lesson"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: lessons/intro-rust/_module.md: `_module.md` names a module"),
        "{}",
        run.stderr
    );
    assert!(!site.join("public/courses/intro-rust/deep").exists());
    assert!(!site.join("public/courses/intro-rust/_module").exists());
}

#[test]
fn a_bad_module_file_is_an_error_at_its_line() {
    let site = with_module();
    site.write(
        "lessons/intro-rust/05-advanced/_module.md",
        "---\ntitle: Going further\ntitel: typo\n---\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: lessons/intro-rust/05-advanced/_module.md:3:1:"),
        "{}",
        run.stderr
    );
}

#[test]
fn video_length_counts_in_lesson_and_course() {
    let site = with_module();
    site.build_ok(&[]);
    let macros = site.read("public/courses/intro-rust/macros/index.html");
    // 5 reading + 7 video.
    assert!(macros.contains("12 min"), "{macros}");
    assert!(macros.contains("7 min video"));
    let course = site.read("public/courses/intro-rust/index.html");
    let macros_row = between(&course, "data-kpsite-lesson=\"macros\"", "</li>");
    assert!(macros_row.contains("12 min"), "{macros_row}");
}

#[test]
fn the_video_of_a_paid_lesson_is_published_only_with_its_body() {
    let site = with_module();
    site.build_ok(&["--members"]);
    let public = site.read("public/courses/intro-rust/async/index.html");
    assert!(!public.contains("vimeo"), "paid video link leaked");
    assert!(!public.contains("ASYNC-PAID-BODY"));
    let members = site.read("members/courses/intro-rust/async/index.html");
    // Positive control: the members build shows it, as a facade.
    assert!(
        members.contains(
            "data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1\""
        )
    );
    let free = site.read("public/courses/intro-rust/macros/index.html");
    assert!(
        free.contains(
            "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""
        )
    );
    assert!(free.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""));
    // Nothing on the page points at the video host until the click.
    assert!(!free.contains("<iframe"));
    assert!(!free.contains("ytimg"));
}

#[test]
fn a_bad_video_url_is_an_error_at_its_position() {
    let site = with_module();
    site.edit(
        "lessons/intro-rust/05-advanced/01-macros.md",
        "video: https://youtu.be/dQw4w9WgXcQ",
        "video: javascript:alert(1)",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error: lessons/intro-rust/05-advanced/01-macros.md:5:8: video links must start with https://"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn trailers_are_checked_and_shown_on_offer_pages() {
    let site = TestSite::fixture("basic");
    site.edit(
        "manifest.yaml",
        "    level: beginner\n",
        "    level: beginner\n    trailer: https://www.bilibili.com/video/BV1GJ411x7h7\n",
    );
    site.build_ok(&[]);
    let course = site.read("public/courses/intro-rust/index.html");
    assert!(
        course.contains("data-embed=\"https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7")
    );
    site.edit(
        "manifest.yaml",
        "trailer: https://www.bilibili.com/video/BV1GJ411x7h7",
        "trailer: https://example.com/trailer.webm",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let line = site
        .read("manifest.yaml")
        .lines()
        .position(|l| l.contains("trailer:"))
        .unwrap()
        + 1;
    assert!(
        run.stderr.contains(&format!(
            "error: manifest.yaml:{line}:14: unsupported video host `example.com`"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn search_text_of_a_lesson_holds_no_navigation() {
    let site = with_module();
    site.build_ok(&[]);
    let mut texts = Vec::new();
    for entry in fs::read_dir(site.join("public/search/pages")).unwrap() {
        let json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        texts.extend(json.as_array().unwrap().iter().cloned());
    }
    let macros = texts
        .iter()
        .find(|p| p[0] == "/academy/courses/intro-rust/macros/")
        .expect("the lesson is indexed");
    let text = macros[2].as_str().unwrap();
    assert!(text.contains("MACROS-BODY"), "{text}");
    // Neighbours, module and course titles are navigation, not the lesson.
    for other in [
        "Lifetimes",
        "Async in depth",
        "Going further",
        "Welcome to Rust",
    ] {
        assert!(!text.contains(other), "{other} in {text}");
    }
}

/// Every place in a built page or stylesheet that makes the browser fetch
/// from another origin than the site's: `src`, `srcset`, `poster`, `data`,
/// `<link href>` that loads (stylesheet, icon, preload, manifest), CSS
/// `url()` and `@import`, and module `import … from "https://…"`.
fn foreign_requests(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let name = path.to_string_lossy();
        let text = match fs::read_to_string(path) {
            Ok(t) if name.ends_with(".html") || name.ends_with(".css") => t,
            _ => continue,
        };
        let rel = path.strip_prefix(out).unwrap().display().to_string();
        for url in loaded_urls(&text) {
            let url = url.trim();
            if url.starts_with("//") || url.contains("://") {
                found.push(format!("{rel}: {url}"));
            }
        }
    }
    found
}

/// The URLs `text` (HTML or CSS) makes a browser load.
fn loaded_urls(text: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for name in ["src", "poster", "data"] {
        urls.extend(attr_values(text, name));
    }
    for set in attr_values(text, "srcset") {
        urls.extend(
            set.split(',')
                .filter_map(|s| s.split_whitespace().next().map(str::to_string)),
        );
    }
    let loading = [
        "stylesheet",
        "icon",
        "preload",
        "modulepreload",
        "manifest",
        "prefetch",
    ];
    for tag in text.split("<link").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let rel = attr_values(tag, "rel").join(" ");
        if rel.split_whitespace().any(|r| loading.contains(&r)) {
            urls.extend(attr_values(tag, "href"));
        }
    }
    for part in text.split("url(").skip(1) {
        let end = part.find(')').unwrap_or(part.len());
        urls.push(part[..end].trim_matches(['"', '\'', ' ']).to_string());
    }
    for marker in ["@import", "import ", "from "] {
        for part in text.split(marker).skip(1) {
            let part = part.trim_start();
            if let Some(q) = part.chars().next().filter(|c| *c == '"' || *c == '\'')
                && let Some(end) = part[1..].find(q)
            {
                urls.push(part[1..1 + end].to_string());
            }
        }
    }
    urls
}

/// The values of attribute `name` anywhere in `text` (quoted or not).
fn attr_values(text: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    let pattern = format!("{name}=");
    while let Some(i) = rest.find(&pattern) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + pattern.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest.split([' ', '>']).next().unwrap_or(""),
        };
        out.push(value.to_string());
    }
    out
}

#[test]
fn no_page_of_the_example_site_requests_another_host() {
    let out = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["build", example.to_str().unwrap(), "-o"])
        .arg(out.path().join("public"))
        .args(["--now", common::NOW])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let public = out.path().join("public");
    // The video lesson is there, as a facade.
    let lesson = fs::read_to_string(public.join("courses/rust-web/setup-axum/index.html")).unwrap();
    assert!(lesson.contains("data-kpsite-video"));
    assert_eq!(foreign_requests(&public), Vec::<String>::new());

    // Positive control: the same check finds each kind of outside request.
    let page = public.join("control.html");
    fs::write(
        &page,
        concat!(
            "<img src=\"https://evil.example/a.png\">",
            "<img srcset=\"/x.png 1x, https://evil.example/b.png 2x\">",
            "<link rel=\"stylesheet\" href=\"//evil.example/c.css\">",
            "<link rel=\"canonical\" href=\"https://evil.example/not-a-request\">",
            "<video poster=\"https://evil.example/d.jpg\"></video>",
            "<style>body{background:url(https://evil.example/e.png)}</style>",
            "<script type=module>import x from \"https://evil.example/f.mjs\"</script>",
            "<a href=\"https://evil.example/navigation-is-no-request\">x</a>",
        ),
    )
    .unwrap();
    let control: Vec<String> = foreign_requests(&public)
        .into_iter()
        .filter(|f| f.starts_with("control.html"))
        .collect();
    assert_eq!(control.len(), 6, "{control:#?}");
    assert!(
        control.iter().all(|c| !c.contains("request")),
        "{control:#?}"
    );
}

/// The text of `s` from the first `from` to the next `to` after it.
fn between<'a>(s: &'a str, from: &str, to: &str) -> &'a str {
    let i = s.find(from).unwrap_or_else(|| panic!("{from} missing"));
    let j = s[i..].find(to).map_or(s.len(), |j| i + j);
    &s[i..j]
}

/// With `delivery: encrypted`, a paid lesson's video is sealed with its
/// body: absent from the public page, there for the buyer who unlocks it
/// (decrypted by tests/decrypt_check.py; skipped without python3 and
/// `cryptography` unless KPSITE_REQUIRE_PYTHON is set, as in CI).
#[test]
fn an_encrypted_paid_lesson_seals_its_video_with_its_body() {
    const SECRET: &str = "q2VGX0Eb1j3sHyb0uRw7ViCwr1iVqBVmX8C3JtRzW1I=";
    let site = TestSite::encrypted_fixture("[intro-rust]");
    site.edit(
        "lessons/intro-rust/02-ownership.md",
        "minutes: 17\n",
        "minutes: 17\nvideo: https://vimeo.com/76979871\n",
    );
    let kpsite = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kpsite"))
            .args(args)
            .current_dir(site.path())
            .env("KPSITE_SECRET", SECRET)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap()
    };
    let built = kpsite(&["build", ".", "--now", common::NOW]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let page = "courses/intro-rust/ownership/index.html";
    let public = site.read(&format!("public/{page}"));
    assert!(public.contains("data-kpsite-sealed"));
    assert!(!public.contains("vimeo"), "the paid video's link is public");

    let python = std::process::Command::new("python3")
        .args(["-c", "import cryptography"])
        .status()
        .is_ok_and(|s| s.success());
    if !python {
        assert!(
            std::env::var_os("KPSITE_REQUIRE_PYTHON").is_none(),
            "python3 with `cryptography` is required"
        );
        eprintln!("skipped the decryption: python3 with `cryptography` not found");
        return;
    }
    let keys = String::from_utf8(kpsite(&["keys"]).stdout).unwrap();
    let link = keys
        .lines()
        .find_map(|l| l.strip_prefix("intro-rust\t"))
        .expect("an unlock link for intro-rust");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/decrypt_check.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(site.join("public"))
        .arg(link)
        .arg(page)
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.contains("PAID-BODY-SENTINEL-OWNERSHIP"), "{html}");
    assert!(
        html.contains(
            "data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1\""
        ),
        "{html}"
    );
}
