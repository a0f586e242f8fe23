//! Reads a site folder into memory: every input file as text (or bytes for
//! static files), nothing interpreted yet beyond splitting front matter.
//! Also refuses any input that carries a secret key, since everything here
//! may end up on a public host.

pub mod frontmatter;
mod layout;
pub mod yaml;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, line_col};

/// One text file of the site, with its path relative to the site folder.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// Path relative to the site folder, e.g. `lessons/rust-web/01-intro.md`.
    pub path: PathBuf,
    /// The whole contents.
    pub text: String,
}

/// A Markdown file inside a lessons folder.
#[derive(Debug, Clone)]
pub struct LessonFile {
    /// The folder name: the course id it claims.
    pub course: String,
    /// The file itself.
    pub file: TextFile,
}

/// Everything read from a site folder.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// `kpsite.yaml`.
    pub config: Option<TextFile>,
    /// `manifest.yaml`.
    pub manifest: Option<TextFile>,
    /// `calendar.yaml`, optional.
    pub calendar: Option<TextFile>,
    /// `lessons/<course>/*.md`, sorted by path.
    pub lessons: Vec<LessonFile>,
    /// `pages/*.md`, sorted by path.
    pub pages: Vec<TextFile>,
    /// Template overrides from `templates/`, by name (`course.html`).
    pub templates: BTreeMap<String, String>,
    /// Files under `static/`: (path relative to `static/`, absolute path).
    pub static_files: Vec<(String, PathBuf)>,
}

/// Secret-key prefixes that must never be published.
const SECRET_PREFIXES: &[&str] = &["sk_live_", "sk_test_", "rk_live_", "whsec_"];

/// Reads the site folder. Missing required files and unreadable ones are
/// reported; reading goes on so every problem shows in one run.
pub fn read_site(root: &Path, diags: &mut Diagnostics) -> Sources {
    let mut s = Sources {
        config: read_text(root, "kpsite.yaml", true, diags),
        manifest: read_text(root, "manifest.yaml", true, diags),
        calendar: read_text(root, "calendar.yaml", false, diags),
        ..Sources::default()
    };
    layout::check(root, diags);
    s.lessons = read_lessons(root, diags);
    s.pages = markdown_files(root, Path::new("pages"), diags);
    for f in markdown_like(root, "templates", diags) {
        let name = f.path.strip_prefix("templates").unwrap_or(&f.path);
        s.templates.insert(slash_path(name), f.text);
    }
    s.static_files = walk(root, "static");
    let texts: Vec<&TextFile> = s.text_files().collect();
    let found: Vec<Diagnostics> = texts
        .into_par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            scan_secrets(&f.path, f.text.as_bytes(), &mut d);
            d
        })
        .collect();
    let found_static: Vec<Diagnostics> = s
        .static_files
        .par_iter()
        .map(|(rel, abs)| {
            let mut d = Diagnostics::default();
            if let Ok(bytes) = fs::read(abs) {
                scan_secrets(&Path::new("static").join(rel), &bytes, &mut d);
            }
            d
        })
        .collect();
    for d in found.into_iter().chain(found_static) {
        diags.extend(d.into_vec());
    }
    s
}

impl Sources {
    /// Every text input, for checks that apply to all of them.
    pub fn text_files(&self) -> impl Iterator<Item = &TextFile> {
        let singles = [&self.config, &self.manifest, &self.calendar]
            .into_iter()
            .flatten();
        singles
            .chain(self.lessons.iter().map(|l| &l.file))
            .chain(self.pages.iter())
    }
}

/// Reads one lesson file (`lessons/<course>/NN-slug.md`, relative to
/// `root`) exactly as [`read_site`] does, secret scan included: `serve`
/// re-reads only the lessons that changed.
pub fn read_lesson(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<LessonFile> {
    let course = rel.parent()?.file_name()?.to_string_lossy().into_owned();
    let bytes = match fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::file(rel, format!("cannot read: {e}")));
            return None;
        }
    };
    let file = decode(rel, bytes, diags)?;
    scan_secrets(&file.path, file.text.as_bytes(), diags);
    Some(LessonFile { course, file })
}

fn read_text(root: &Path, name: &str, required: bool, diags: &mut Diagnostics) -> Option<TextFile> {
    let path = root.join(name);
    match fs::read(&path) {
        Ok(bytes) => decode(Path::new(name), bytes, diags),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if required {
                diags.push(Diagnostic::file(
                    name,
                    format!("missing: every site needs {name}"),
                ));
            }
            None
        }
        Err(e) => {
            diags.push(Diagnostic::file(name, format!("cannot read: {e}")));
            None
        }
    }
}

fn decode(rel: &Path, bytes: Vec<u8>, diags: &mut Diagnostics) -> Option<TextFile> {
    decode_text(rel, bytes).map_err(|d| diags.push(d)).ok()
}

fn decode_text(rel: &Path, bytes: Vec<u8>) -> Result<TextFile, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(TextFile {
            path: rel.to_path_buf(),
            text: if text.contains('\r') {
                text.replace("\r\n", "\n")
            } else {
                text
            },
        }),
        Err(e) => {
            let pos = line_col(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            );
            Err(Diagnostic::at(rel, Some(pos), "not valid UTF-8 text"))
        }
    }
}

/// `lessons/<course>/*.md`: one folder per course; anything else is reported.
fn read_lessons(root: &Path, diags: &mut Diagnostics) -> Vec<LessonFile> {
    let dir = root.join("lessons");
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut courses: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    courses.sort();
    let mut out = Vec::new();
    for course_dir in courses {
        let name = course_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if name.starts_with('.') {
            continue;
        }
        if !course_dir.is_dir() {
            let rel = Path::new("lessons").join(&name);
            diags.push(Diagnostic::file(
                rel,
                "lessons/ holds one folder per course id, not files",
            ));
            continue;
        }
        let rel_dir = Path::new("lessons").join(&name);
        for file in markdown_files(root, &rel_dir, diags) {
            out.push(LessonFile {
                course: name.clone(),
                file,
            });
        }
    }
    out
}

/// The `.md` files directly inside `root/rel_dir`, sorted by name.
fn markdown_files(root: &Path, rel_dir: &Path, diags: &mut Diagnostics) -> Vec<TextFile> {
    let Ok(entries) = fs::read_dir(root.join(rel_dir)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
        .collect();
    names.sort();
    // Read and decoded in parallel; results and errors keep the name order.
    let read: Vec<Result<TextFile, Diagnostic>> = names
        .into_par_iter()
        .map(|n| {
            let rel = rel_dir.join(&n);
            match fs::read(root.join(&rel)) {
                Ok(bytes) => decode_text(&rel, bytes),
                Err(e) => Err(Diagnostic::file(&rel, format!("cannot read: {e}"))),
            }
        })
        .collect();
    read.into_iter()
        .filter_map(|r| r.map_err(|d| diags.push(d)).ok())
        .collect()
}

/// Every file below `root/dir`, as text.
fn markdown_like(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<TextFile> {
    walk(root, dir)
        .into_iter()
        .filter_map(|(rel, abs)| {
            let rel = Path::new(dir).join(rel);
            match fs::read(&abs) {
                Ok(bytes) => decode(&rel, bytes, diags),
                Err(e) => {
                    diags.push(Diagnostic::file(&rel, format!("cannot read: {e}")));
                    None
                }
            }
        })
        .collect()
}

/// Regular files below `root/dir` (symlinks followed), as (`/`-path relative
/// to dir, absolute path), sorted so output order never depends on the disk.
pub fn walk(root: &Path, dir: &str) -> Vec<(String, PathBuf)> {
    let base = root.join(dir);
    let mut files: Vec<(String, PathBuf)> = WalkDir::new(&base)
        .follow_links(true)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&base).ok()?;
            let hidden = rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            (!hidden).then(|| (slash_path(rel), e.path().to_path_buf()))
        })
        .collect();
    files.sort();
    files
}

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reports every secret-key-looking token: a known prefix followed by a key
/// character. Prose that names a prefix alone (`sk_live_…`) is fine.
fn scan_secrets(rel: &Path, bytes: &[u8], diags: &mut Diagnostics) {
    for prefix in SECRET_PREFIXES {
        let p = prefix.as_bytes();
        for at in memchr::memmem::find_iter(bytes, p) {
            let next = bytes.get(at + p.len()).copied().unwrap_or(b' ');
            if next.is_ascii_alphanumeric() {
                let text = String::from_utf8_lossy(&bytes[..at]);
                let pos = line_col(&text, text.len());
                diags.push(Diagnostic::at(
                    rel,
                    Some(pos),
                    format!("this looks like a secret key (`{prefix}…`); a static site is public, keep keys out of it"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secret_keys_with_position() {
        let mut d = Diagnostics::default();
        scan_secrets(
            Path::new("manifest.yaml"),
            b"a: 1\nkey: sk_live_abc123\n",
            &mut d,
        );
        scan_secrets(
            Path::new("x.md"),
            "never paste sk_live_… keys".as_bytes(),
            &mut d,
        );
        let all = d.sorted();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].position, Some((2, 6)));
    }
}
