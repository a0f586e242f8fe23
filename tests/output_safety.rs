//! Output safety (spec §1, issue #12 "Data loss"): `-o` never destroys what
//! kpsite did not write, builds of one output never mix, an interrupted
//! build leaves no paid lessons behind, and a failing build changes no
//! output at all.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{NOW, TestSite, snapshot};

/// Every file and folder below `dir` (not following links), so that a
/// removed empty folder or a replaced link shows too.
fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let kind = if e.path_is_symlink() {
                "link"
            } else if e.file_type().is_dir() {
                "dir"
            } else {
                "file"
            };
            format!("{kind} {}", e.path().display())
        })
        .collect();
    out.sort();
    out
}

/// Staging folders (`.NAME.kpsite-new…` / `-old…`) in `dir`.
fn staging_in(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".kpsite-new") || n.contains(".kpsite-old"))
        .collect()
}

fn spawn_build(site: &Path, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["build", ".", "--now", NOW])
        .args(extra)
        .current_dir(site)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Asserts a build with `extra` is refused: exit 1, an error naming
/// `names`, and not one file or folder of `watched` changed.
fn assert_refused(site: &TestSite, extra: &[&str], names: &str, watched: &[&Path]) {
    let before: Vec<_> = watched.iter().map(|d| (tree(d), snapshot(d))).collect();
    let run = site.build(extra);
    assert_eq!(run.code, 1, "{extra:?} was not refused:\n{}", run.stderr);
    assert!(
        run.stderr.contains("error: ") && run.stderr.contains(names),
        "{extra:?}: the error does not name {names}:\n{}",
        run.stderr
    );
    let after: Vec<_> = watched.iter().map(|d| (tree(d), snapshot(d))).collect();
    assert!(before == after, "{extra:?} touched files:\n{}", run.stderr);
}

#[test]
fn output_into_the_site_or_its_inputs_is_refused_and_nothing_is_touched() {
    let site = TestSite::fixture("basic");
    site.write("notes.txt", "my notes\n");
    site.write("templates/.keep", "");
    site.write("themes/.keep", "");
    site.write(".kpsite/keys.json", "{}\n");
    site.build_ok(&[]);
    let root = fs::canonicalize(site.path()).unwrap();
    let name = root.file_name().unwrap().to_str().unwrap().to_string();
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("site-link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&root, &link).unwrap();
    let via_link = link.join("lessons");
    let up_and_back = format!("nope/../../{name}");
    let cases: Vec<(String, String)> = vec![
        ("lessons".into(), "lessons".into()),
        ("lessons/intro-rust".into(), "lessons".into()),
        ("nope/../lessons".into(), "lessons".into()),
        ("pages".into(), "pages".into()),
        ("static".into(), "static".into()),
        ("templates".into(), "templates".into()),
        ("themes".into(), "themes".into()),
        (".kpsite".into(), ".kpsite".into()),
        ("report".into(), "report".into()),
        (".".into(), "site folder".into()),
        (up_and_back, "site folder".into()),
        ("..".into(), "site folder".into()),
        ("manifest.yaml".into(), "manifest.yaml".into()),
        ("notes.txt".into(), "notes.txt".into()),
        ("members".into(), "members".into()),
        ("public/preview".into(), "public".into()),
    ];
    for (out, names) in cases {
        assert_refused(&site, &["-o", &out], &names, &[site.path()]);
    }
    if cfg!(unix) {
        let target = via_link.to_str().unwrap();
        assert_refused(&site, &["-o", target], "lessons", &[site.path()]);
    }
}

#[cfg(unix)]
#[test]
fn output_onto_a_device_or_a_link_to_one_is_refused() {
    use std::os::unix::fs::FileTypeExt;
    // Never /dev/null itself: a regression run as root would replace the
    // machine's device. A FIFO is a special file like a device, and a link
    // to /dev/null must be refused without looking further.
    let site = TestSite::fixture("basic");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let null_link = dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &null_link).unwrap();
    for (target, why) in [(&fifo, "not a folder"), (&null_link, "symbolic link")] {
        let run = site.build(&["-o", target.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(target.to_str().unwrap()),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{}", run.stderr);
    }
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(fs::symlink_metadata(&null_link).unwrap().is_symlink());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "something was written"
    );
    assert!(
        !site.join("report").exists(),
        "a refused build wrote the report"
    );
}

#[test]
fn an_existing_folder_kpsite_did_not_write_is_refused_an_empty_or_marked_one_is_used() {
    let site = TestSite::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    let theirs = outside.path().join("theirs");
    fs::create_dir_all(&theirs).unwrap();
    fs::write(theirs.join("thesis.tex"), "years of work").unwrap();
    let theirs_s = theirs.to_str().unwrap().to_string();
    assert_refused(&site, &["-o", &theirs_s], "theirs", &[outside.path()]);

    // A folder that merely resembles a site (another generator's output).
    let hugo = outside.path().join("hugo");
    fs::create_dir_all(&hugo).unwrap();
    for f in ["index.html", "404.html", "robots.txt", "sitemap.xml"] {
        fs::write(hugo.join(f), "x").unwrap();
    }
    let hugo_s = hugo.to_str().unwrap().to_string();
    assert_refused(&site, &["-o", &hugo_s], "hugo", &[outside.path()]);

    // An empty folder is used, and marked; the marked folder is replaced
    // by the next build.
    let empty = outside.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    let empty_s = empty.to_str().unwrap();
    site.build_ok(&["-o", empty_s]);
    assert!(empty.join("index.html").is_file());
    assert!(empty.join(".kpsite-output").is_file());
    site.build_ok(&["-o", empty_s]);

    // The output of a kpsite from before the marker is taken over once.
    let site2 = TestSite::fixture("basic");
    site2.build_ok(&[]);
    fs::remove_file(site2.join("public/.kpsite-output")).unwrap();
    fs::remove_file(site2.join("report/.kpsite-output")).unwrap();
    site2.build_ok(&[]);
    assert!(site2.join("public/.kpsite-output").is_file());

    // A report/ the seller made themselves is refused as well, by `build`
    // and by `report`. (A marked one is kpsite's: replaced whole.)
    let site3 = TestSite::fixture("basic");
    site3.write("report/my-notes.md", "costs, privately\n");
    let before = tree(site3.path());
    let run = site3.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("report"), "{}", run.stderr);
    let run = site3.kpsite(&["report", ".", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(tree(site3.path()), before);
}

#[cfg(unix)]
#[test]
fn a_symlinked_public_folder_is_refused_and_left_as_it_is() {
    let site = TestSite::fixture("basic");
    let www = tempfile::tempdir().unwrap();
    let webroot = www.path().join("site");
    fs::create_dir_all(&webroot).unwrap();
    fs::write(webroot.join("index.html"), "served today").unwrap();
    std::os::unix::fs::symlink(&webroot, site.join("public")).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("symbolic link") && run.stderr.contains("-o"),
        "the error does not say what to do:\n{}",
        run.stderr
    );
    let meta = fs::symlink_metadata(site.join("public")).unwrap();
    assert!(meta.file_type().is_symlink(), "public/ is no longer a link");
    assert_eq!(
        fs::read_to_string(webroot.join("index.html")).unwrap(),
        "served today"
    );
    // -o at a link is refused too; -o at the real folder is the way.
    let link = site.join("public");
    let run = site.build(&["-o", link.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    fs::remove_file(webroot.join("index.html")).unwrap();
    site.build_ok(&["-o", webroot.to_str().unwrap()]);
    assert!(
        fs::read_to_string(webroot.join("index.html"))
            .unwrap()
            .contains("<html")
    );
    assert!(
        fs::symlink_metadata(site.join("public"))
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn concurrent_builds_of_one_output_never_mix() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--members"]);
    let want = (
        snapshot(&site.join("public")),
        snapshot(&site.join("members")),
    );
    fs::remove_dir_all(site.join("public")).unwrap();
    fs::remove_dir_all(site.join("members")).unwrap();
    let children: Vec<Child> = (0..4)
        .map(|_| spawn_build(site.path(), &["--members"]))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "a concurrent build failed:\n{err}"
        );
    }
    let got = (
        snapshot(&site.join("public")),
        snapshot(&site.join("members")),
    );
    assert!(got == want, "concurrent builds mixed their outputs");
    assert_eq!(staging_in(site.path()), Vec::<String>::new());
}

/// The fixture with `n` more paid lessons, so a build takes a while.
fn big_site(n: usize) -> TestSite {
    let site = TestSite::fixture("basic");
    for i in 3..n + 3 {
        site.write(
            &format!("lessons/web-go/{i:04}-lesson-{i}.md"),
            &format!(
                "---\ntitle: Lesson {i}\nsummary: Part {i}\n---\n\nPAID-BIG-{i} body.\n\n\
                 ## Part\n\nSome text.\n"
            ),
        );
    }
    site
}

#[cfg(unix)]
#[test]
fn sigterm_during_a_members_build_leaves_no_staging_folder() {
    let site = big_site(800);
    let mut child = spawn_build(site.path(), &["--members"]);
    // Wait until the members output is being staged (paid lessons on disk).
    let staged = loop {
        let found = staging_in(site.path())
            .into_iter()
            .find(|n| n.starts_with(".members.kpsite-new"));
        if let Some(name) = found {
            break site.join(&name);
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build ended ({status}) before it was stopped; make the site bigger");
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    while walkdir::WalkDir::new(&staged).into_iter().count() < 20
        && child.try_wait().unwrap().is_none()
    {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0), "the build was not stopped");
    assert_eq!(
        staging_in(site.path()),
        Vec::<String>::new(),
        "staging left behind:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The signal came while members/ was rendered, so no output was swapped
    // in (had the swap won the race, it would be whole: it holds the marker).
    for out in ["public", "members"] {
        let dir = site.join(out);
        assert!(
            !dir.exists() || dir.join(".kpsite-output").is_file(),
            "{out}/ half written"
        );
    }
}

#[test]
fn the_next_build_removes_staging_folders_of_dead_builds_and_nothing_else() {
    let site = TestSite::fixture("basic");
    // What a build killed with SIGKILL leaves: staging folders named by
    // its pid, and the single name older kpsite versions used.
    site.write(
        ".members.kpsite-new-999999-0/courses/paid/index.html",
        "PAID",
    );
    site.write(".public.kpsite-new/index.html", "half");
    site.write(".public.kpsite-old-999999-3/index.html", "old");
    // Not kpsite's: kept.
    site.write(".public.kpsite-newsletter/draft.md", "mine");
    site.write(".members.kpsite-notes", "mine");
    site.build_ok(&["--members"]);
    let mut left = staging_in(site.path());
    left.sort();
    assert_eq!(left, [".public.kpsite-newsletter"]);
    assert_eq!(site.read(".members.kpsite-notes"), "mine");
    assert_eq!(site.read(".public.kpsite-newsletter/draft.md"), "mine");
}

#[test]
fn a_build_that_died_mid_swap_gets_its_old_output_back() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    // Killed after moving public/ aside and before moving the new one in.
    fs::rename(
        site.join("public"),
        site.join(".public.kpsite-old-999999-0"),
    )
    .unwrap();
    // The next build fails (a broken template), after taking the lock.
    site.write("templates/404.html", "{% if %}");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(site.join("public/index.html").is_file(), "{}", run.stderr);
    assert_eq!(staging_in(site.path()), Vec::<String>::new());
}

#[test]
fn a_failure_writing_the_report_swaps_no_output() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--members"]);
    let before = (
        snapshot(&site.join("public")),
        snapshot(&site.join("members")),
    );
    let about = site.read("pages/about.md");
    site.write("pages/about.md", &format!("{about}\nCHANGED-ABOUT\n"));
    fs::remove_dir_all(site.join("report")).unwrap();
    site.write("report", "not a folder");
    let run = site.build(&["--members"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("report"), "{}", run.stderr);
    let after = (
        snapshot(&site.join("public")),
        snapshot(&site.join("members")),
    );
    assert!(
        before == after,
        "an output was swapped in by a failed build"
    );
    assert_eq!(staging_in(site.path()), Vec::<String>::new());
}

#[test]
fn output_elsewhere_moves_members_and_report_beside_it_and_leaves_the_sites_alone() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let report = snapshot(&site.join("report"));
    let out = tempfile::tempdir().unwrap();
    let preview: PathBuf = out.path().join("preview");
    // A later build time: the sale has ended, so the report would differ.
    site.build_ok(&[
        "-o",
        preview.to_str().unwrap(),
        "--members",
        "--now",
        "2027-03-01T00:00:00Z",
    ]);
    assert!(
        snapshot(&site.join("report")) == report,
        "SITE/report/ was rewritten"
    );
    assert!(
        !site.join("members").exists(),
        "members/ written into the site"
    );
    assert!(preview.join("index.html").is_file());
    assert!(out.path().join("members/index.html").is_file());
    let json = fs::read_to_string(out.path().join("report/report.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["offers"][0]["price_used"], "regular", "{json}");
    assert!(!preview.join("report").exists() && !preview.join("members").exists());
}

#[test]
fn init_keeps_outputs_and_staging_out_of_git() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new");
    let status = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["init", site.to_str().unwrap()])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let ignore = fs::read_to_string(site.join(".gitignore")).unwrap();
    common::assert_ignores_outputs(&ignore);
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
    };
    if git(&["init", "-q"]).is_err() {
        return; // no git here; the lines above are checked
    }
    for ignored in [
        "public/index.html",
        "members/courses/x/index.html",
        "report/report.json",
        ".kpsite/keys.json",
        ".members.kpsite-new-123-0/index.html",
        ".kpsite-lock",
    ] {
        assert!(
            git(&["check-ignore", "-q", ignored]).unwrap().success(),
            "{ignored} not ignored"
        );
    }
    assert!(
        !git(&["check-ignore", "-q", "lessons/first-course/01-welcome.md"])
            .unwrap()
            .success()
    );
}
