//! Files from outside the site, and secrets (issue #12): the symlink rule
//! for every input, `theme` as a plain name, the secret-key scan of inputs
//! and of everything about to be published (escapes and encodings
//! included), http(s)-only URL fields, no credentials in base_url. Every
//! refused case exits 1 naming the file and leaves the previous output as
//! it was.

mod common;

use std::fs;
use std::path::Path;

use common::{Run, TestSite, snapshot};

/// Builds the fixture once (the "previous output"), applies `change`,
/// builds again: it must fail naming `expect`, output untouched.
fn refused(change: impl FnOnce(&TestSite), expect: &[&str]) -> (TestSite, Run) {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.join("public"));
    change(&site);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "expected a refusal:\n{}", run.stderr);
    for e in expect {
        assert!(
            run.stderr.contains(e),
            "stderr lacks {e:?}:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(
        snapshot(&site.join("public")),
        before,
        "previous output changed"
    );
    (site, run)
}

/// A folder beside the site, outside it.
fn outside() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[cfg(unix)]
fn link(target: impl AsRef<Path>, at: &Path) {
    fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

// ---- the symlink rule ----------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn static_link_to_the_environment_is_refused() {
    refused(
        |s| link("/proc/self/environ", &s.join("static/env.txt")),
        &["static/env.txt", "outside the site folder"],
    );
}

#[cfg(unix)]
#[test]
fn static_link_to_a_folder_outside_is_refused() {
    let out = outside();
    fs::write(out.path().join("id_ed25519"), "PRIVATE-KEY-SENTINEL").unwrap();
    let (site, _) = refused(
        |s| link(out.path(), &s.join("static/ssh")),
        &["static/ssh", "outside the site folder"],
    );
    assert!(!site.join("public/ssh").exists());
}

#[cfg(unix)]
#[test]
fn static_link_into_lessons_is_refused() {
    refused(
        |s| link("../lessons", &s.join("static/src")),
        &["static/src", "resolves to `lessons`, which is private"],
    );
}

#[cfg(unix)]
#[test]
fn static_link_into_hidden_folders_and_settings_is_refused() {
    refused(
        |s| {
            s.write(".kpsite/secret", "c2VjcmV0");
            link("../.kpsite/secret", &s.join("static/secret.txt"));
            link("../manifest.yaml", &s.join("static/prices.yaml"));
        },
        &[
            "static/secret.txt",
            "hidden",
            "static/prices.yaml",
            "resolves to `manifest.yaml`, which is private",
        ],
    );
}

#[cfg(unix)]
#[test]
fn template_linked_outside_is_refused() {
    let out = outside();
    fs::write(out.path().join("hostname"), "HOSTNAME-SENTINEL").unwrap();
    refused(
        |s| link(out.path().join("hostname"), &s.join("templates/404.html")),
        &["templates/404.html", "outside the site folder"],
    );
}

#[cfg(unix)]
#[test]
fn settings_and_lessons_linked_outside_are_refused() {
    let out = outside();
    let site = TestSite::fixture("basic");
    fs::copy(site.join("manifest.yaml"), out.path().join("manifest.yaml")).unwrap();
    fs::write(
        out.path().join("05-x.md"),
        "---\ntitle: X\nfree: true\n---\nOUTSIDE-LESSON-SENTINEL\n",
    )
    .unwrap();
    refused(
        |s| {
            fs::remove_file(s.join("manifest.yaml")).unwrap();
            link(out.path().join("manifest.yaml"), &s.join("manifest.yaml"));
            link(
                out.path().join("05-x.md"),
                &s.join("lessons/intro-rust/05-x.md"),
            );
        },
        &[
            "error: manifest.yaml: resolves to",
            "lessons/intro-rust/05-x.md: resolves to",
        ],
    );
}

#[cfg(unix)]
#[test]
fn page_linked_to_a_paid_lesson_is_refused() {
    refused(
        |s| {
            link(
                "../lessons/intro-rust/02-ownership.md",
                &s.join("pages/leak.md"),
            )
        },
        &["pages/leak.md", "inside `lessons`"],
    );
}

#[cfg(unix)]
#[test]
fn theme_file_linked_outside_is_refused() {
    let out = outside();
    fs::write(out.path().join("base.html"), "THEME-OUTSIDE-SENTINEL").unwrap();
    refused(
        |s| {
            s.edit("kpsite.yaml", "currency: USD", "currency: USD\ntheme: mine");
            fs::create_dir_all(s.join("themes/mine/templates")).unwrap();
            link(
                out.path().join("base.html"),
                &s.join("themes/mine/templates/base.html"),
            );
        },
        &["themes/mine/templates/base.html", "outside the site folder"],
    );
}

#[cfg(unix)]
#[test]
fn qr_image_linked_outside_is_refused_at_its_line() {
    let out = outside();
    fs::write(out.path().join("qr.png"), "not really a png").unwrap();
    refused(
        |s| {
            s.edit(
                "kpsite.yaml",
                "social: { github: https://github.com/ada-tester }",
                "social: { github: https://github.com/ada-tester, wechat_qr: static/qr.png }",
            );
            link(out.path().join("qr.png"), &s.join("static/qr.png"));
        },
        &["kpsite.yaml:8:", "static/qr.png"],
    );
}

#[cfg(unix)]
#[test]
fn fifo_and_device_are_errors_not_hangs() {
    refused(
        |s| {
            fs::create_dir_all(s.join("static")).unwrap();
            let ok = std::process::Command::new("mkfifo")
                .arg(s.join("static/pipe"))
                .status()
                .unwrap();
            assert!(ok.success());
            link("/dev/zero", &s.join("static/zero"));
        },
        &[
            "static/pipe: is a FIFO",
            "static/zero: resolves to `/dev/zero`",
        ],
    );
}

/// Positive control: a link that stays inside the site, in no private
/// area, is followed.
#[cfg(unix)]
#[test]
fn link_inside_the_site_is_followed() {
    let site = TestSite::fixture("basic");
    site.write("assets/shared.txt", "SHARED-SENTINEL");
    link("../assets", &site.join("static/shared"));
    site.build_ok(&[]);
    assert_eq!(site.read("public/shared/shared.txt"), "SHARED-SENTINEL");
}

// ---- theme is a name ------------------------------------------------------

#[test]
fn theme_that_is_a_path_is_an_error_at_its_line() {
    refused(
        |s| {
            s.edit(
                "kpsite.yaml",
                "currency: USD",
                "currency: USD\ntheme: ../static",
            );
        },
        &["kpsite.yaml:6:8: theme `../static` must be a plain name"],
    );
}

// ---- the secret scan --------------------------------------------------------

#[test]
fn templates_and_theme_files_are_scanned() {
    refused(
        |s| {
            s.write(
                "templates/404.html",
                "{# sk_live_51Htemplate #}{% extends \"base.html\" %}",
            );
        },
        &["templates/404.html:1:4: this looks like a secret key"],
    );
    refused(
        |s| {
            s.edit("kpsite.yaml", "currency: USD", "currency: USD\ntheme: mine");
            s.write(
                "themes/mine/templates/page.html",
                "{# whsec_abc #}{% extends \"base.html\" %}",
            );
        },
        &["themes/mine/templates/page.html:1:4: this looks like a secret key"],
    );
}

#[test]
fn escaped_keys_in_inputs_are_caught() {
    let taglines = [
        r#"tagline: "sk_\x6cive_51Habc""#,
        r#"tagline: "sk_\u006cive_51Habc""#,
        // A YAML line continuation.
        "tagline: \"sk_live_\\\n      51Habc\"",
    ];
    for to in taglines {
        refused(
            |s| {
                s.edit("manifest.yaml", "tagline: Ownership without tears", to);
            },
            &["manifest.yaml:4:", "hidden by escapes"],
        );
    }
    let bodies = [
        r"Key: sk\_live\_51Habc",
        "Key: &#115;k_live_51Habc",
        "Key: sk&#95;test&#x5F;abc",
    ];
    for body in bodies {
        refused(
            |s| {
                let text = s.read("pages/about.md");
                s.write("pages/about.md", &format!("{text}\n{body}\n"));
            },
            &["pages/about.md:", "hidden by escapes"],
        );
    }
}

#[test]
fn keys_in_published_files_and_names_are_caught_before_the_swap() {
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "token = sk_live_51Hutf16".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let (_, run) = refused(
        |s| {
            fs::write(s.join("static/keys.txt"), &utf16).unwrap();
            s.write("static/sk_live_51Hname.txt", "harmless");
            s.write("static/url.txt", "https://x.example/?k=sk%5Flive%5F51Hpct");
        },
        &[
            "public/keys.txt",
            "public/sk_live_51Hname.txt",
            "public/url.txt:1:",
        ],
    );
    assert!(
        run.stderr.contains("it comes from static/keys.txt"),
        "{}",
        run.stderr
    );
    // `check` scans what a build would publish, too.
    let site = TestSite::fixture("basic");
    fs::write(site.join("static/keys.txt"), &utf16).unwrap();
    let run = site.kpsite(&["check", ".", "--now", common::NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("public/keys.txt"), "{}", run.stderr);
}

/// The output scan runs in the build's sink (issue 13): a folder name is
/// checked once for every file under it, the members output is scanned
/// too, and a clean build next to it still publishes.
#[test]
fn key_looking_folder_names_are_caught_in_both_outputs() {
    let (site, run) = refused(
        |s| {
            s.write("static/sk_live_51Hdir/deep/a.txt", "harmless");
        },
        &["public/sk_live_51Hdir: this file or folder name looks like a secret key"],
    );
    assert_eq!(
        run.stderr.matches("public/sk_live_51Hdir:").count(),
        1,
        "{}",
        run.stderr
    );
    let members = site.build(&["--members"]);
    assert_eq!(members.code, 1, "{}", members.stderr);
    assert!(
        members.stderr.contains("members/sk_live_51Hdir:"),
        "{}",
        members.stderr
    );
    // Positive control: the same file in a folder with a plain name.
    fs::remove_dir_all(site.join("static/sk_live_51Hdir")).unwrap();
    site.write("static/plain/deep/a.txt", "harmless");
    site.build_ok(&[]);
    assert!(site.join("public/plain/deep/a.txt").is_file());
}

/// Positive control the other way: prose that names a bare prefix is fine.
#[test]
fn prose_naming_a_prefix_is_allowed() {
    let site = TestSite::fixture("basic");
    let text = site.read("pages/about.md");
    site.write(
        "pages/about.md",
        &format!(
            "{text}\nNever paste your `sk_live_` key, nor sk_live_… or whsec_ ones. 100% sure.\n"
        ),
    );
    site.build_ok(&[]);
    assert!(site.read("public/about/index.html").contains("sk_live_"));
}

// ---- URL fields and base_url ------------------------------------------------

#[test]
fn url_fields_must_be_http() {
    refused(
        |s| {
            s.edit(
                "kpsite.yaml",
                "url: https://fixture.example.org/ada/",
                "url: \"javascript:alert(1)\"",
            );
        },
        &["kpsite.yaml:7:34: author.url `javascript:alert(1)` must be an https://"],
    );
    refused(
        |s| {
            s.edit(
                "kpsite.yaml",
                "github: https://github.com/ada-tester",
                "github: \"data:text/html;x\"",
            );
        },
        &["kpsite.yaml:8:19: social.github"],
    );
}

#[test]
fn base_url_with_credentials_is_an_error() {
    refused(
        |s| {
            s.edit(
                "kpsite.yaml",
                "base_url: https://fixture.example.org/academy/",
                "base_url: https://user:pass@fixture.example.org/academy/",
            );
        },
        &["kpsite.yaml:3:11:", "user name or password"],
    );
    let site = TestSite::fixture("basic");
    for bad in [
        "https://user:pass@x.example/",
        "https://x.example/?a=1",
        "https://x.example/#f",
    ] {
        let run = site.build(&["--base-url", bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
        assert!(!site.join("public").exists());
    }
}
