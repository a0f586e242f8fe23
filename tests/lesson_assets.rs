//! Lesson assets (SPEC §2.3, §6): files next to lessons are published with
//! the lessons that link to them; an asset only paid lessons use is never
//! published readable: left out (`delivery: hidden`) or sealed under a
//! name that reveals nothing (`delivery: encrypted`).

mod common;

use std::collections::BTreeMap;

use common::{TestSite, snapshot};
use kpsite::delivery::{Keys, Secret, seal};

const SECRET: &str = "q2VGX0Eb1j3sHyb0uRw7ViCwr1iVqBVmX8C3JtRzW1I=";

/// Private markers: in the paid-only assets' names and bytes.
const PAID: &[&str] = &[
    "PAIDASSETNAME",
    "PAID-ASSET-BYTES",
    "PAIDDOWNLOAD",
    "PAID-DOWNLOAD-BYTES",
];

/// The basic fixture with assets: one the free lesson shows, one the free
/// and a paid lesson share, a paid-only image and download, one unlinked.
fn with_assets(site: TestSite) -> TestSite {
    site.write("lessons/intro-rust/img/free-pic.png", "FREE-ASSET-BYTES")
        .write("lessons/intro-rust/shared.svg", "<svg>SHARED-ASSET</svg>")
        .write(
            "lessons/intro-rust/img/PAIDASSETNAME.png",
            "PAID-ASSET-BYTES",
        )
        .write("lessons/intro-rust/PAIDDOWNLOAD.txt", "PAID-DOWNLOAD-BYTES")
        .write("lessons/intro-rust/unlinked.txt", "nobody links me");
    site.edit(
        "lessons/intro-rust/01-welcome.md",
        "FREE-BODY-SENTINEL",
        "![free](img/free-pic.png) ![shared](shared.svg)\n\nFREE-BODY-SENTINEL",
    );
    site.edit(
        "lessons/intro-rust/02-ownership.md",
        "## Moves",
        "![diagram](img/PAIDASSETNAME.png)\n\n[the notes](PAIDDOWNLOAD.txt) ![shared](shared.svg)\n\n## Moves",
    );
    site
}

fn hidden() -> TestSite {
    with_assets(TestSite::fixture("basic"))
}

fn encrypted() -> TestSite {
    let site = with_assets(TestSite::encrypted_fixture("[intro-rust]"));
    site.write(".kpsite/secret", SECRET);
    site
}

/// Every public file or name that holds a private marker.
fn leaks(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        for m in PAID {
            if text.contains(m) || path.contains(m) {
                found.push(format!("{path}: {m}"));
            }
        }
    }
    found
}

#[test]
fn free_lessons_publish_their_assets_and_unlinked_ones_are_named() {
    let site = hidden();
    let run = site.build_ok(&[]);
    let public = snapshot(&site.join("public"));
    assert_eq!(
        public["courses/intro-rust/welcome/img/free-pic.png"],
        b"FREE-ASSET-BYTES"
    );
    let page = site.read("public/courses/intro-rust/welcome/index.html");
    assert!(
        page.contains("src=\"/academy/courses/intro-rust/welcome/img/free-pic.png\""),
        "the free lesson links its published asset"
    );
    assert!(run.stderr.contains(
        "warning: lessons/intro-rust/unlinked.txt: not published: no lesson links to it"
    ));
    assert!(!public.keys().any(|p| p.contains("unlinked")));
}

#[test]
fn hidden_delivery_never_publishes_paid_only_assets() {
    let site = hidden();
    site.build_ok(&["--members"]);
    let public = snapshot(&site.join("public"));
    let found = leaks(&public);
    assert!(found.is_empty(), "{found:#?}");
    // An asset a free lesson shows is public, for the paid lesson too.
    assert!(public.contains_key("courses/intro-rust/welcome/shared.svg"));
    // Positive control: the members build publishes them, and links them.
    let members = snapshot(&site.join("members"));
    assert_eq!(
        members["courses/intro-rust/ownership/img/PAIDASSETNAME.png"],
        b"PAID-ASSET-BYTES"
    );
    let page = site.read("members/courses/intro-rust/ownership/index.html");
    assert!(page.contains("href=\"/academy/courses/intro-rust/ownership/PAIDDOWNLOAD.txt\""));
    assert!(page.contains("src=\"/academy/courses/intro-rust/welcome/shared.svg\""));
    let found = leaks(&members).join("\n");
    for m in PAID {
        assert!(
            found.contains(m),
            "the scan finds {m} where it is:\n{found}"
        );
    }
}

/// The sealed part of a page: (aad, base64 data).
fn sealed_part(page: &str) -> (String, String) {
    let aad = page
        .split("data-kpsite-aad=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let data = page
        .split(&format!("data-kpsite-aad=\"{aad}\">"))
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap();
    (aad.to_string(), data.to_string())
}

#[test]
fn encrypted_delivery_seals_paid_only_assets_under_names_that_reveal_nothing() {
    let site = encrypted();
    site.build_ok(&[]);
    let public = snapshot(&site.join("public"));
    let found = leaks(&public);
    assert!(found.is_empty(), "{found:#?}");

    // The sealed body links each paid-only asset at unlock/files/<hex>,
    // with its name in the fragment (inside the ciphertext only).
    let keys = Keys::new(Secret::parse(SECRET).unwrap(), Default::default());
    let key = keys.content_key("intro-rust");
    let page = site.read("public/courses/intro-rust/ownership/index.html");
    let (aad, data) = sealed_part(&page);
    let body = String::from_utf8(seal::open(&key, &aad, &data).expect("opens")).unwrap();
    let link = |name: &str| -> String {
        let at = body
            .find(&format!("#kpsite-file={name}"))
            .unwrap_or_else(|| panic!("{body}"));
        let start = body[..at].rfind('"').unwrap() + 1;
        body[start..at].to_string()
    };
    for (name, plain) in [
        ("PAIDASSETNAME.png", "PAID-ASSET-BYTES"),
        ("PAIDDOWNLOAD.txt", "PAID-DOWNLOAD-BYTES"),
    ] {
        let url = link(name);
        let rel = url.strip_prefix("/academy/").unwrap();
        assert!(rel.starts_with("unlock/files/"), "{rel}");
        let file_name = rel.rsplit('/').next().unwrap();
        assert!(
            file_name.len() == 32 && file_name.bytes().all(|b| b.is_ascii_hexdigit()),
            "{file_name}"
        );
        let sealed = &public[rel];
        assert_eq!(
            seal::open_bytes(&key, rel, sealed).as_deref(),
            Some(plain.as_bytes()),
            "decrypts with the course key, bound to its path"
        );
        let other = keys.content_key("web-go");
        assert_eq!(
            seal::open_bytes(&other, rel, sealed),
            None,
            "another course's key"
        );
    }
    // Shared with a free lesson: public, and the paid body links the copy.
    assert!(body.contains("src=\"/academy/courses/intro-rust/welcome/shared.svg\""));
    assert_eq!(
        public
            .keys()
            .filter(|p| p.starts_with("unlock/files/"))
            .count(),
        2
    );

    // Reproducible, assets included.
    site.build_ok(&["-o", "again"]);
    assert_eq!(public, snapshot(&site.join("again")));
}

#[test]
fn hostile_assets_are_refused_with_their_names() {
    // A name that looks like a secret key: refused even though sealing
    // would hide the name.
    let site = encrypted();
    site.write("lessons/intro-rust/sk_live_abcdefghijklmnop1234.png", "x");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("lessons/intro-rust/sk_live_abcdefghijklmnop1234.png: this file name looks like a secret key"),
        "{}",
        run.stderr
    );

    // A secret key inside a paid-only asset: found before it is sealed.
    let site = encrypted();
    site.write(
        "lessons/intro-rust/PAIDDOWNLOAD.txt",
        "key: sk_live_abcdefghijklmnop1234",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("lessons/intro-rust/PAIDDOWNLOAD.txt:1:6: this looks like a secret key"),
        "{}",
        run.stderr
    );

    // A link from a page to a file next to lessons.
    let site = hidden();
    let about = site.read("pages/about.md");
    site.write(
        "pages/about.md",
        &format!("{about}\n[notes](../lessons/intro-rust/PAIDDOWNLOAD.txt)\n"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("published only with the lessons that link to them"),
        "{}",
        run.stderr
    );

    // An asset named index.html never replaces the lesson page.
    let site = hidden();
    site.write("lessons/intro-rust/index.html", "<p>ASSET PAGE</p>");
    site.edit(
        "lessons/intro-rust/01-welcome.md",
        "FREE-BODY-SENTINEL",
        "[raw](index.html) FREE-BODY-SENTINEL",
    );
    site.build_ok(&[]);
    assert!(
        site.read("public/courses/intro-rust/welcome/index.html")
            .contains("FREE-BODY-SENTINEL")
    );
    assert_eq!(
        site.read("public/courses/intro-rust/welcome/_/intro-rust/index.html"),
        "<p>ASSET PAGE</p>"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_assets_follow_the_symlink_rule() {
    use std::os::unix::fs::symlink;
    let site = hidden();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), "OUTSIDE").unwrap();
    symlink(
        outside.path().join("secret.png"),
        site.join("lessons/intro-rust/out.png"),
    )
    .unwrap();
    symlink("../../manifest.yaml", site.join("lessons/intro-rust/m.png")).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("lessons/intro-rust/out.png: resolves to"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("outside the site folder"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("lessons/intro-rust/m.png: resolves to"),
        "{}",
        run.stderr
    );

    // A link to a file of the site's own static/ is followed.
    let site = hidden();
    symlink(
        "../../static/img/logo.svg",
        site.join("lessons/intro-rust/logo.svg"),
    )
    .unwrap();
    site.edit(
        "lessons/intro-rust/01-welcome.md",
        "FREE-BODY-SENTINEL",
        "![l](logo.svg) FREE-BODY-SENTINEL",
    );
    site.build_ok(&[]);
    assert!(
        site.join("public/courses/intro-rust/welcome/logo.svg")
            .is_file()
    );
}

#[test]
fn a_paid_asset_too_large_to_seal_is_an_error() {
    let site = encrypted();
    let f = std::fs::File::create(site.join("lessons/intro-rust/img/PAIDASSETNAME.png")).unwrap();
    // Sparse: costs no disk.
    f.set_len(kpsite::render::assets::SEAL_LIMIT + 1).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("lessons/intro-rust/img/PAIDASSETNAME.png: too large to publish encrypted"),
        "{}",
        run.stderr
    );
    assert!(!site.join("public").exists(), "nothing written");
}
