//! A test builder over fixture sites (in the spirit of mdBook's
//! `BookTest`): copy a fixture from `tests/fixtures/` into a temporary
//! folder, change files, run the real `kpsite` binary, look at what it
//! wrote and what it said:
//!
//! ```ignore
//! let built = TestSite::from_fixture("basic")
//!     .with_file("pages/x.md", "---\ntitle: X\n---\n[a](/nope/)\n")
//!     .build_site(&[]);
//! assert!(built.has_error("pages/x.md", 4, "broken link"));
//! assert!(built.page("x/index.html").contains("<h1>X</h1>"));
//! ```
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The build time every test uses unless it says otherwise.
pub const NOW: &str = "2026-11-25T00:00:00Z";

/// A site in a temporary folder.
pub struct TestSite {
    dir: TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_tree(&src, dir.path());
        TestSite { dir }
    }

    /// The site folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the site folder.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes (or overwrites) a file.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
        self
    }

    /// Writes (or overwrites) a file with `bytes` and gives its path.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
        p
    }

    /// Replaces `from` by `to` in a file; the test setup is wrong if `from` is missing.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    /// Reads a file of the site (or of its output).
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs `kpsite ARGS` with the site folder as the current directory.
    pub fn kpsite(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
            .args(args)
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `kpsite build . --now NOW` plus `extra`.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "."];
        if !extra.contains(&"--now") {
            args.extend(["--now", NOW]);
        }
        args.extend_from_slice(extra);
        self.kpsite(&args)
    }

    /// Builds and insists it worked.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let run = self.build(extra);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }
}

impl TestSite {
    /// A copy of the repository's `example-site/`.
    pub fn example() -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"),
            dir.path(),
        );
        TestSite { dir }
    }

    /// `kpsite report . --now NOW --format FORMAT`, with `--sales` for each
    /// export, as the process's whole output.
    pub fn report(&self, now: &str, sales: &[PathBuf], format: &str) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kpsite"));
        cmd.args(["report", ".", "--now", now, "--format", format])
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH");
        for s in sales {
            cmd.arg("--sales").arg(s);
        }
        cmd.output().unwrap()
    }
}

/// The JSON a run printed; the run must have worked.
/// The offer `id` of a report.json document.
pub fn offer<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no offer {id}"))
}

/// The `fields` of a JSON object as one array, to compare several figures
/// of a row in one assertion.
pub fn pick(v: &serde_json::Value, fields: &[&str]) -> serde_json::Value {
    serde_json::Value::Array(fields.iter().map(|f| v[*f].clone()).collect())
}

pub fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>` (the builder's start).
    pub fn from_fixture(name: &str) -> TestSite {
        TestSite::fixture(name)
    }

    /// Adds or replaces a file, builder style.
    pub fn with_file(self, rel: &str, text: &str) -> TestSite {
        self.write(rel, text);
        self
    }

    /// Replaces `from` by `to` in a file, builder style.
    pub fn with_edit(self, rel: &str, from: &str, to: &str) -> TestSite {
        self.edit(rel, from, to);
        self
    }

    /// `kpsite build . --now NOW` plus `extra`, with its output and its
    /// diagnostics parsed; the site stays readable through [`Built::site`].
    pub fn build_site(self, extra: &[&str]) -> Built {
        let run = self.build(extra);
        let diagnostics = parse_diagnostics(&run.stderr);
        Built {
            site: self,
            run,
            diagnostics,
        }
    }
}

/// One diagnostic as kpsite printed it: `error: file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// True for `error:`, false for `warning:`.
    pub error: bool,
    pub file: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
}

/// Parses kpsite's stderr into diagnostics (other lines are skipped).
pub fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    stderr
        .lines()
        .filter_map(|l| {
            let (error, rest) = match l.split_once(": ") {
                Some(("error", r)) => (true, r),
                Some(("warning", r)) => (false, r),
                _ => return None,
            };
            let mut parts = rest.splitn(4, ':');
            let file = parts.next()?.to_string();
            let a = parts.next();
            let b = parts.next();
            let number = |p: Option<&str>| p.and_then(|p| p.trim().parse::<usize>().ok());
            let (line, col, message) = match (number(a), number(b)) {
                (Some(line), Some(col)) => (Some(line), Some(col), parts.next().unwrap_or("")),
                _ => (None, None, rest[file.len()..].trim_start_matches(':')),
            };
            Some(Diag {
                error,
                file,
                line,
                col,
                message: message.trim().to_string(),
            })
        })
        .collect()
}

/// What a build of a [`TestSite`] did.
pub struct Built {
    /// The site that was built.
    pub site: TestSite,
    /// Exit code and output.
    pub run: Run,
    /// Every diagnostic printed.
    pub diagnostics: Vec<Diag>,
}

impl Built {
    /// The build succeeded.
    pub fn ok(&self) -> bool {
        self.run.code == 0
    }

    /// A file of the public output, as text.
    pub fn page(&self, rel: &str) -> String {
        assert!(self.ok(), "build failed:\n{}", self.run.stderr);
        self.site.read(&format!("public/{rel}"))
    }

    /// The errors printed.
    pub fn errors(&self) -> Vec<&Diag> {
        self.diagnostics.iter().filter(|d| d.error).collect()
    }

    /// Whether an error at `file:line` has a message containing `text`.
    pub fn has_error(&self, file: &str, line: usize, text: &str) -> bool {
        self.errors()
            .iter()
            .any(|d| d.file == file && d.line == Some(line) && d.message.contains(text))
    }
}

/// Every file below `dir`, by `/`-separated relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

fn copy_tree(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Asserts that a `.gitignore` written by `kpsite init` keeps every
/// output, the secret folder and the staging folders out of git.
pub fn assert_ignores_outputs(ignore: &str) {
    for line in [
        "/public/",
        "/members/",
        "/report/",
        "/.kpsite/",
        ".*.kpsite-*",
    ] {
        assert!(
            ignore.lines().any(|l| l == line),
            "{line} missing:\n{ignore}"
        );
    }
}

impl TestSite {
    /// The basic fixture with `delivery: encrypted` and its monthly
    /// membership including `includes` (`all` or a YAML list of ids).
    pub fn encrypted_fixture(includes: &str) -> TestSite {
        let site = TestSite::fixture("basic");
        let config = site.read("kpsite.yaml");
        site.write("kpsite.yaml", &format!("{config}delivery: encrypted\n"));
        site.edit(
            "manifest.yaml",
            "    period: month\n",
            &format!("    period: month\n    includes: {includes}\n"),
        );
        site
    }
}
