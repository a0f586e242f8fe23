//! A newcomer's first hour: `kpsite init --lang` writes a site that builds
//! in either language, with deploy files that parse and do what the README
//! says; shell completions and man pages come from the clap definition;
//! the project's own container and release recipes parse.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::NOW;
use serde_yaml::Value;

fn kpsite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// `kpsite init DIR [--lang L]`, then a build of it; returns the temp dir.
fn init_and_build(lang: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let site_arg = site.to_str().unwrap();
    let mut args = vec!["init", site_arg];
    if let Some(lang) = lang {
        args.extend(["--lang", lang]);
    }
    ok(&kpsite(&args));
    ok(&kpsite(&["build", "--now", NOW, site_arg]));
    dir
}

#[test]
fn init_builds_in_each_language() {
    for (lang, html_lang, word) in [
        (None, "en", "Welcome"),
        (Some("en"), "en", "Welcome"),
        (Some("zh-CN"), "zh-CN", "欢迎"),
    ] {
        let dir = init_and_build(lang);
        let site = dir.path().join("site");
        let config = fs::read_to_string(site.join("kpsite.yaml")).unwrap();
        assert!(
            config.contains(&format!("language: {html_lang} ")),
            "{lang:?}: {config}"
        );
        let index = fs::read_to_string(site.join("public/index.html")).unwrap();
        assert!(
            index.contains(&format!("<html lang=\"{html_lang}\"")),
            "{lang:?}"
        );
        let free = fs::read_to_string(site.join("public/courses/first-course/welcome/index.html"))
            .unwrap();
        assert!(free.contains(word), "{lang:?}: free lesson in its language");
        // The scaffold shows what a lesson can hold: a diagram drawn at
        // build time and a quiz; and the course page its sales blocks.
        assert!(free.contains("<figure class=\"diagram\""), "{lang:?}");
        assert!(free.contains("class=\"quiz\""), "{lang:?}");
        let course =
            fs::read_to_string(site.join("public/courses/first-course/index.html")).unwrap();
        assert!(
            course.contains("class=\"outcomes\"") && course.contains("class=\"guarantee\""),
            "{lang:?}"
        );
    }
}

#[test]
fn init_rejects_an_unknown_language() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = kpsite(&["init", site.to_str().unwrap(), "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!site.exists(), "nothing written on a bad command line");
    ok(&kpsite(&[
        "init",
        site.to_str().unwrap(),
        "--lang",
        "ZH-cn",
    ]));
    let config = fs::read_to_string(site.join("kpsite.yaml")).unwrap();
    assert!(config.contains("language: zh-CN"), "case does not matter");
}

#[test]
fn init_refuses_a_file_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    fs::write(&file, "mine").unwrap();
    let out = kpsite(&["init", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a file, not a folder"));
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn init_writes_gitignore_covering_outputs_and_secrets() {
    let dir = init_and_build(None);
    let ignore = fs::read_to_string(dir.path().join("site/.gitignore")).unwrap();
    common::assert_ignores_outputs(&ignore);
}

fn steps(job: &Value) -> Vec<&Value> {
    job["steps"].as_sequence().unwrap().iter().collect()
}

fn uses(step: &Value) -> &str {
    step["uses"].as_str().unwrap_or("")
}

#[test]
fn init_writes_a_pages_workflow_that_builds_and_deploys() {
    let dir = init_and_build(None);
    let site = dir.path().join("site");
    let text = fs::read_to_string(site.join(".github/workflows/deploy.yml")).unwrap();
    let wf: Value = serde_yaml::from_str(&text).expect("deploy.yml is YAML");
    assert_eq!(wf["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(wf["permissions"]["id-token"].as_str(), Some("write"));
    assert!(wf["on"]["push"].is_mapping());

    let build = steps(&wf["jobs"]["build"]);
    assert!(uses(build[0]).starts_with("actions/checkout@"));
    let install = build
        .iter()
        .find_map(|s| s["run"].as_str().filter(|r| r.contains("cargo install")))
        .expect("an install step");
    assert!(install.contains("--locked") && install.contains("--git"));
    assert!(text.contains("PLACEHOLDER"), "the git URL is marked");
    // The placeholder can never install anything: its host does not exist
    // (RFC 2606 `.invalid`), and the install step refuses it by name.
    let git = wf["env"]["KPSITE_GIT"].as_str().unwrap();
    assert!(git.contains(".invalid/"), "{git}");
    run_install_step(install, git);
    let build_step = build
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.starts_with("kpsite build"))
        })
        .expect("a kpsite build step");
    assert_eq!(
        build_step["env"]["KPSITE_SECRET"].as_str(),
        Some("${{ secrets.KPSITE_SECRET }}")
    );
    let upload = build
        .iter()
        .find(|s| uses(s).starts_with("actions/upload-pages-artifact@"))
        .expect("an upload step");
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
    // Order: install, build, upload.
    let pos = |want: &dyn Fn(&Value) -> bool| build.iter().position(|s| want(s)).unwrap();
    let i = pos(&|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("cargo install"))
    });
    let b = pos(&|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.starts_with("kpsite build"))
    });
    let u = pos(&|s| uses(s).starts_with("actions/upload-pages-artifact@"));
    assert!(i < b && b < u, "install {i}, build {b}, upload {u}");
    // The drawn-diagram cache is restored before the build.
    let c = pos(&|s| {
        uses(s).starts_with("actions/cache@") && s["with"]["path"].as_str() == Some(".kpsite/cache")
    });
    assert!(c < b, "diagram cache {c}, build {b}");

    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert!(
        steps(deploy)
            .iter()
            .any(|s| uses(s).starts_with("actions/deploy-pages@"))
    );
    // The one secret comes from the repository's secrets, never the file.
    assert!(text.contains("WARNING") && text.contains("PUBLIC"));
    assert!(!text.contains("members"), "members/ is never deployed here");
}

/// Runs the workflow's install step under bash with a stub `cargo` that
/// records its arguments: the placeholder stops it, a real URL installs.
#[cfg(unix)]
fn run_install_step(script: &str, placeholder: &str) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let stub = dir.path().join("cargo");
    let log = dir.path().join("cargo.log");
    fs::write(
        &stub,
        format!("#!/bin/sh\necho \"$@\" > '{}'\n", log.display()),
    )
    .unwrap();
    fs::set_permissions(&stub, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    let run = |git: &str| {
        Command::new("bash")
            .args(["-e", "-c", script])
            .env("PATH", &path)
            .env("KPSITE_GIT", git)
            .output()
    };
    let Ok(out) = run(placeholder) else {
        eprintln!("skipped: no bash");
        return;
    };
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("::error::set KPSITE_GIT"));
    assert!(!log.exists(), "cargo never ran for the placeholder");
    let out = run("https://git.example.org/kpsite").unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        fs::read_to_string(&log).unwrap().trim(),
        "install --locked --git https://git.example.org/kpsite kpsite"
    );
}

#[cfg(not(unix))]
fn run_install_step(_: &str, _: &str) {}

#[test]
fn init_writes_netlify_toml_publishing_public() {
    let dir = init_and_build(None);
    let text = fs::read_to_string(dir.path().join("site/netlify.toml")).unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert!(lines.contains(&"[build]"));
    assert!(lines.contains(&"publish = \"public\""));
    let command = lines
        .iter()
        .find(|l| l.starts_with("command = "))
        .expect("a build command");
    assert!(command.contains(
        "cargo install --locked --git https://replace-with-the-kpsite-repository.invalid/"
    ));
    assert!(command.contains("kpsite build"));
}

const SUBCOMMANDS: [&str; 9] = [
    "init",
    "build",
    "serve",
    "check",
    "report",
    "keys",
    "schema",
    "completions",
    "man",
];

#[test]
fn completions_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = ok(&kpsite(&["completions", shell]));
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        assert!(script.contains("lang"), "{shell}: init's flags too");
    }
    assert_eq!(kpsite(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn bash_completion_parses() {
    let script = ok(&kpsite(&["completions", "bash"]));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kpsite.bash");
    fs::write(&path, &script).unwrap();
    let Ok(out) = Command::new("bash").arg("-n").arg(&path).output() else {
        eprintln!("skipped: no bash");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Positive control: bash -n does reject a broken script.
    fs::write(&path, format!("{script}\nif then fi (\n")).unwrap();
    let broken = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(!broken.status.success());
}

#[test]
fn man_pages_cover_kpsite_and_each_command() {
    let main = ok(&kpsite(&["man"]));
    assert!(main.contains(".TH kpsite 1"), "{main}");
    for sub in SUBCOMMANDS {
        assert!(
            main.contains(&format!("kpsite\\-{sub}(1)")),
            "main page lists {sub}"
        );
        let page = ok(&kpsite(&["man", sub]));
        assert!(page.contains(&format!(".TH kpsite-{sub} 1")), "{page}");
    }
    let init = ok(&kpsite(&["man", "init"]));
    assert!(init.contains("\\-\\-lang"));
    let bad = kpsite(&["man", "biuld"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("build"));
}

/// The project's own Dockerfile and release workflow, when present, are
/// well-formed: the workflow parses and builds on tags for three systems.
#[test]
fn release_workflow_and_dockerfile_parse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let release = fs::read_to_string(root.join(".github/workflows/release.yml")).unwrap();
    let wf: Value = serde_yaml::from_str(&release).expect("release.yml is YAML");
    assert!(wf["on"]["push"]["tags"].is_sequence());
    let matrix = serde_yaml::to_string(&wf["jobs"]["build"]["strategy"]["matrix"]).unwrap();
    for os in ["ubuntu", "macos", "windows"] {
        assert!(matrix.contains(os), "release builds on {os}: {matrix}");
    }
    let docker = fs::read_to_string(root.join("Dockerfile")).unwrap();
    let froms = docker.lines().filter(|l| l.starts_with("FROM ")).count();
    assert!(froms >= 2, "multi-stage");
    let user = docker
        .lines()
        .filter(|l| l.starts_with("USER "))
        .next_back()
        .expect("a USER line");
    assert!(!user.contains("root") && !user.ends_with(" 0"), "{user}");
    assert!(docker.contains("ENTRYPOINT"));
}
