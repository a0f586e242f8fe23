//! `delivery: encrypted` (SPEC §6): the secret, `kpsite keys`, rotation,
//! reproducible sealing, and an independent decryption in Python.

mod common;

use std::path::Path;
use std::process::Command;

use common::{NOW, Run, TestSite, snapshot};

/// A fixed test secret (base64 of 32 bytes); never a real one.
pub const SECRET: &str = "q2VGX0Eb1j3sHyb0uRw7ViCwr1iVqBVmX8C3JtRzW1I=";

/// Runs kpsite in `site` with exactly the secret given (none: unset).
fn run(site: &TestSite, secret: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kpsite"));
    cmd.args(args)
        .current_dir(site.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("KPSITE_SECRET");
    if let Some(s) = secret {
        cmd.env("KPSITE_SECRET", s);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The basic fixture with `delivery: encrypted` and a membership that
/// includes intro-rust.
fn encrypted_site() -> TestSite {
    TestSite::encrypted_fixture("[intro-rust]")
}

fn build(site: &TestSite, out: &str) -> Run {
    let r = run(site, Some(SECRET), &["build", ".", "-o", out, "--now", NOW]);
    assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
    r
}

/// `kpsite keys`: offer id → unlock URL.
fn links(site: &TestSite) -> Vec<(String, String)> {
    let r = run(site, Some(SECRET), &["keys"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
        .lines()
        .map(|l| {
            let (id, url) = l.split_once('\t').expect("OFFER<TAB>URL");
            (id.to_string(), url.to_string())
        })
        .collect()
}

fn link(links: &[(String, String)], offer: &str) -> String {
    links.iter().find(|(id, _)| id == offer).unwrap().1.clone()
}

#[test]
fn keys_prints_one_link_per_offer_and_nothing_else() {
    let site = encrypted_site();
    let l = links(&site);
    let ids: Vec<&str> = l.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["intro-rust", "web-go", "club", "everything"]);
    for (_, url) in &l {
        let token = url
            .strip_prefix("https://fixture.example.org/academy/unlock/#")
            .unwrap_or_else(|| panic!("{url}"));
        assert_eq!(token.len(), 43, "32 bytes, base64url: {token}");
    }
    // The same secret gives the same links (a CI build agrees with the laptop).
    assert_eq!(links(&site), l);
}

#[test]
fn missing_or_malformed_secret_is_an_error_that_says_how_to_fix_it() {
    let site = encrypted_site();
    for args in [&["build", "."][..], &["keys"], &["check", "."]] {
        let r = run(&site, None, args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("kpsite.yaml:"), "{}", r.stderr);
        assert!(r.stderr.contains("head -c 32 /dev/urandom"), "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    assert!(!site.join(".kpsite").exists(), "a secret is never created");
    assert!(!site.join("public").exists(), "nothing is written");
    for bad in ["hunter2", "correct horse battery staple", "AAAA"] {
        let r = run(&site, Some(bad), &["keys"]);
        assert_eq!(r.code, 1, "{bad}");
        assert!(r.stderr.contains("32"), "{}", r.stderr);
        assert!(
            !r.stderr.contains(bad) || bad == "AAAA",
            "the secret is not echoed"
        );
    }
    // The file works as well as the variable, and a bad file is refused.
    site.write(".kpsite/secret", "passphrase\n");
    assert_eq!(run(&site, None, &["keys"]).code, 1);
    site.write(".kpsite/secret", &format!("{SECRET}\n"));
    let r = run(&site, None, &["keys"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 4);
}

#[test]
fn keys_on_a_hidden_site_is_an_error() {
    let site = TestSite::fixture("basic");
    let r = run(&site, Some(SECRET), &["keys"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("delivery: encrypted"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn unknown_includes_are_errors_at_their_line() {
    let site = encrypted_site();
    site.edit(
        "manifest.yaml",
        "includes: [intro-rust]",
        "includes: [intro-rust, rust-adv]",
    );
    let r = run(&site, Some(SECRET), &["check", "."]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("manifest.yaml:39:") && r.stderr.contains("unknown course `rust-adv`"),
        "{}",
        r.stderr
    );
    site.edit(
        "manifest.yaml",
        "includes: [intro-rust, rust-adv]",
        "includes: 7",
    );
    let r = run(&site, Some(SECRET), &["check", "."]);
    assert!(r.stderr.contains("manifest.yaml:39:"), "{}", r.stderr);
    site.edit("manifest.yaml", "includes: 7", "includes: all");
    assert_eq!(run(&site, Some(SECRET), &["check", "."]).code, 0);
}

#[test]
fn encrypted_builds_are_reproducible() {
    let site = encrypted_site();
    build(&site, "one");
    build(&site, "two");
    let (a, b) = (snapshot(&site.join("one")), snapshot(&site.join("two")));
    assert!(
        a.keys()
            .any(|p| p.starts_with("unlock/") && p.ends_with(".json"))
    );
    assert_eq!(a, b, "two processes, same input and secret: same bytes");
    let page = String::from_utf8_lossy(&a["courses/intro-rust/ownership/index.html"]).into_owned();
    assert!(
        page.contains("data-kpsite-sealed=\"course:intro-rust\""),
        "sealed body embedded"
    );
    assert!(
        page.contains("locked-box"),
        "the teaser stays for readers without a key"
    );
}

#[test]
fn rotation_changes_one_link_and_no_published_body() {
    let site = encrypted_site();
    let before = links(&site);
    build(&site, "before");
    let r = run(&site, Some(SECRET), &["keys", "rotate", "club"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("club\t"), "{}", r.stdout);
    assert!(site.read("kpsite-keys.yaml").contains("club: 1"));
    let after = links(&site);
    for (id, url) in &before {
        assert_eq!(*url == link(&after, id), id != "club", "{id}");
    }
    build(&site, "after");
    let (a, b) = (
        snapshot(&site.join("before")),
        snapshot(&site.join("after")),
    );
    let stores = |s: &std::collections::BTreeMap<String, Vec<u8>>| {
        s.keys()
            .filter(|p| p.starts_with("unlock/") && p.ends_with(".json"))
            .cloned()
            .collect::<Vec<_>>()
    };
    let gone: Vec<_> = stores(&a)
        .into_iter()
        .filter(|p| !b.contains_key(p))
        .collect();
    assert_eq!(gone.len(), 1, "exactly the club keystore changed: {gone:?}");
    assert_eq!(
        a["courses/intro-rust/ownership/index.html"], b["courses/intro-rust/ownership/index.html"],
        "content keys do not change on rotation"
    );
    let r = run(&site, Some(SECRET), &["keys", "rotate", "nope"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no offer `nope`"), "{}", r.stderr);
}

/// Decrypts with tests/decrypt_check.py (Python `cryptography`): the code
/// paid for opens, another offer's link does not. Skipped when python3 or
/// `cryptography` is missing, unless KPSITE_REQUIRE_PYTHON is set (CI).
#[test]
fn an_independent_implementation_decrypts_with_the_right_key_only() {
    let has_python = Command::new("python3")
        .args(["-c", "import cryptography"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_python {
        assert!(
            std::env::var_os("KPSITE_REQUIRE_PYTHON").is_none(),
            "python3 with `cryptography` is required (pip install -r .ci/python-requirements.txt)"
        );
        eprintln!("skipped: python3 with `cryptography` not found");
        return;
    }
    let site = encrypted_site();
    build(&site, "public");
    let l = links(&site);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/decrypt_check.py");
    let decrypt = |offer: &str, page: &str| {
        let out = Command::new("python3")
            .arg(&script)
            .arg(site.join("public"))
            .arg(link(&l, offer))
            .arg(page)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let ownership = "courses/intro-rust/ownership/index.html";
    let (code, html) = decrypt("intro-rust", ownership);
    assert_eq!(code, Some(0));
    assert!(
        html.contains("PAID-BODY-SENTINEL-OWNERSHIP") && html.contains("id=\"moves\""),
        "{html}"
    );
    assert_eq!(
        decrypt("club", ownership).0,
        Some(0),
        "the membership includes it"
    );
    assert_eq!(
        decrypt("everything", "courses/web-go/middleware/index.html").0,
        Some(0)
    );
    assert_ne!(
        decrypt("web-go", ownership).0,
        Some(0),
        "another course's link"
    );
    let (code, html) = decrypt("club", "events/members-call/index.html");
    assert_eq!(code, Some(0));
    assert!(html.contains("MEMBER-EVENT-LINK-SENTINEL"), "{html}");
    assert_ne!(
        decrypt("intro-rust", "events/members-call/index.html").0,
        Some(0)
    );
    // A corrupted token opens nothing.
    let mut bad = link(&l, "intro-rust");
    bad.replace_range(bad.len() - 5.., "AAAAA");
    let out = Command::new("python3")
        .arg(&script)
        .arg(site.join("public"))
        .arg(&bad)
        .arg(ownership)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
}

/// `kpsite serve --members` shows paid lessons in full, also after an edit;
/// plain `serve` does not.
#[test]
fn serve_members_previews_paid_lessons_in_full() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let site = TestSite::fixture("basic");
    let get = |addr: &str, path: &str| -> String {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    for (members, shown) in [(true, true), (false, false)] {
        let mut args = vec!["serve", ".", "--port", "0"];
        if members {
            args.push("--members");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_kpsite"))
            .args(&args)
            .current_dir(site.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("serving http://") {
                    let _ = tx.send(rest.split('/').next().unwrap().to_string());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("serve started");
        let page = "/courses/intro-rust/ownership/";
        let body = get(&addr, page);
        assert_eq!(
            body.contains("PAID-BODY-SENTINEL-OWNERSHIP"),
            shown,
            "members={members}"
        );
        if members {
            // An edit re-renders the lesson for the same audience.
            site.edit(
                "lessons/intro-rust/02-ownership.md",
                "A value has one owner.",
                "EDITED-PAID-LINE.",
            );
            let deadline = Instant::now() + Duration::from_secs(60);
            while !get(&addr, page).contains("EDITED-PAID-LINE") {
                assert!(Instant::now() < deadline, "the edit never showed");
                std::thread::sleep(Duration::from_millis(200));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Rotations at the same time each count: the rotations file is read and
/// written under a lock. Without it, two processes read the same counter
/// and one increment is lost (seen with 8 processes before the lock).
#[test]
fn concurrent_rotations_lose_no_increment() {
    let site = encrypted_site();
    let n = 8;
    let children: Vec<_> = (0..n)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_kpsite"))
                .args(["keys", "rotate", "club"])
                .current_dir(site.path())
                .env("KPSITE_SECRET", SECRET)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let file = site.read("kpsite-keys.yaml");
    assert!(file.contains(&format!("club: {n}")), "{file}");
}

/// `kpsite init --encrypted` makes a site that builds encrypted at once,
/// with a private, git-ignored secret of its own.
#[test]
fn init_encrypted_creates_a_secret_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["init", dir.to_str().unwrap(), "--encrypted"])
        .env_remove("KPSITE_SECRET")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("back it up"));
    let secret = std::fs::read_to_string(dir.join(".kpsite/secret")).unwrap();
    assert!(kpsite::delivery::Secret::parse(&secret).is_ok(), "{secret}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(".kpsite/secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    common::assert_ignores_outputs(&std::fs::read_to_string(dir.join(".gitignore")).unwrap());
    assert!(
        std::fs::read_to_string(dir.join("kpsite.yaml"))
            .unwrap()
            .contains("\ndelivery: encrypted\n")
    );
    let kp = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kpsite"))
            .args(args)
            .current_dir(&dir)
            .env_remove("KPSITE_SECRET")
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap()
    };
    let keys = kp(&["keys"]);
    assert!(
        keys.status.success(),
        "{}",
        String::from_utf8_lossy(&keys.stderr)
    );
    assert!(String::from_utf8_lossy(&keys.stdout).contains("/unlock/#"));
    let build = kp(&["build", "--now", common::NOW]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(dir.join("public/unlock/index.html").is_file());
    // The secret never reaches the output.
    let public = snapshot(&dir.join("public"));
    let token = secret.trim();
    assert!(
        !public
            .values()
            .any(|b| memchr::memmem::find(b, token.as_bytes()).is_some())
    );
}

/// A custom base.html that drops the unlock script is named at build time,
/// instead of buyers silently never seeing what they paid for.
#[test]
fn a_custom_base_without_the_unlock_script_is_a_warning() {
    const BASE: &str = include_str!("../themes/default/templates/base.html");
    let site = encrypted_site();
    // The default frame as a custom one: no warning.
    site.write("templates/base.html", BASE);
    let r = build(&site, "public");
    assert!(!r.stderr.contains("unlock script"), "{}", r.stderr);
    // Without its unlock lines: a warning that names the template.
    let start = BASE.find("{% if unlock %}").unwrap();
    let end = BASE[start..].find("{% endif %}").unwrap() + start + "{% endif %}".len();
    let stripped = format!("{}{}", &BASE[..start], &BASE[end..]);
    assert!(!stripped.contains("unlock.js"), "{stripped}");
    site.write("templates/base.html", &stripped);
    let r = build(&site, "public");
    assert!(
        r.stderr
            .contains("warning: templates/base.html: this base.html never loads the unlock script"),
        "{}",
        r.stderr
    );
    // A hidden site needs no unlock script.
    let hidden = TestSite::fixture("basic");
    hidden.write("templates/base.html", &stripped);
    let r = hidden.build_ok(&[]);
    assert!(!r.stderr.contains("unlock script"), "{}", r.stderr);
}

/// The `--members` build reads every lesson in full: no offer there shows
/// a buy button, the buy box says it is included; the public build keeps
/// its buttons.
#[test]
fn the_members_build_sells_nothing_a_member_owns() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--members"]);
    for page in [
        "courses/intro-rust/index.html",
        "courses/intro-rust/ownership/index.html",
        "bundles/everything/index.html",
        "memberships/club/index.html",
    ] {
        let public = site.read(&format!("public/{page}"));
        assert!(public.contains("data-kpsite-offer="), "public {page} sells");
        let members = site.read(&format!("members/{page}"));
        assert!(
            !members.contains("data-kpsite-offer="),
            "members {page} sells"
        );
        assert!(
            !members.contains("class=\"button buy\""),
            "members {page} sells"
        );
        assert!(
            !members.contains("class=\"qr\""),
            "members {page} shows a pay code"
        );
        assert!(
            !members.contains("buy.stripe.com"),
            "members {page} links a checkout"
        );
        assert!(
            members.contains("Included in your membership"),
            "members {page}"
        );
    }
}

/// Each course's paid lessons are searchable by its buyers: one shard per
/// course, sealed under its content key at a name derived from that key;
/// the public index keeps only public text.
#[test]
fn owned_course_search_shards_are_sealed_per_course() {
    use kpsite::delivery::{Keys, Secret, keys::search_id, seal};
    let site = encrypted_site();
    build(&site, "public");
    let public = snapshot(&site.join("public"));
    let k = Keys::new(Secret::parse(SECRET).unwrap(), Default::default());
    let path = format!("unlock/search/{}", search_id(&k, "intro-rust"));
    let shard = public.get(&path).expect("a shard for intro-rust");
    let plain = seal::open_bytes(&k.content_key("intro-rust"), &path, shard).expect("opens");
    let plain = String::from_utf8(plain).unwrap();
    assert!(plain.contains("A value has one owner"), "{plain}");
    assert!(
        plain.contains("/academy/courses/intro-rust/ownership/"),
        "{plain}"
    );
    assert!(
        !plain.contains("FREE-BODY-SENTINEL"),
        "free lessons are in the public index"
    );
    assert_eq!(
        seal::open_bytes(&k.content_key("web-go"), &path, shard),
        None,
        "another course's key"
    );
    // Neither the shard's text nor the paid body is in the public index.
    for (p, bytes) in public.iter().filter(|(p, _)| p.starts_with("search/")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("one owner") && !text.contains("PAID-BODY"),
            "{p}"
        );
    }
    // Positive control: the free lesson's text is there.
    assert!(
        public
            .iter()
            .filter(|(p, _)| p.starts_with("search/"))
            .any(|(_, b)| String::from_utf8_lossy(b).contains("FREE-BODY-SENTINEL"))
    );
}
