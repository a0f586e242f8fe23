//! Reads a site folder into memory: every input file as text (or bytes for
//! static files), nothing interpreted yet beyond splitting front matter.
//! Also refuses any input that carries a secret key, since everything here
//! may end up on a public host. Every read goes through a [`fence::Fence`]:
//! nothing from outside the site folder, or from its private areas, is
//! ever read (see the symlink rule there).

pub mod fence;
pub mod frontmatter;
mod layout;
pub mod plain;
pub mod yaml;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, line_col};
use crate::secrets::{Kind, message, scan_bytes, scan_input, scan_reader};
use fence::{Fence, Found};

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
    /// The module folder it sits in (`02-basics`), if any.
    pub module: Option<String>,
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
    /// `lessons/<course>/*.md` and `lessons/<course>/<module>/*.md`,
    /// sorted by path.
    pub lessons: Vec<LessonFile>,
    /// `lessons/<course>/<module>/_module.md`, one per module folder that
    /// has one, sorted by path; `module` is always set.
    pub modules: Vec<LessonFile>,
    /// `pages/*.md`, sorted by path.
    pub pages: Vec<TextFile>,
    /// The site's own UI strings, `i18n/<lang>.yaml`, sorted by path.
    pub i18n: Vec<TextFile>,
    /// Template overrides from `templates/`, by name (`course.html`).
    pub templates: BTreeMap<String, String>,
    /// Files under `static/`: (path relative to `static/`, canonical path,
    /// checked against the symlink rule).
    pub static_files: Vec<(String, PathBuf)>,
    /// Files under `lessons/<course>/` that are not Markdown (lesson
    /// assets): (path relative to the site, canonical path), sorted.
    pub lesson_assets: Vec<(String, PathBuf)>,
}

/// Reads the site folder. Missing required files and unreadable ones are
/// reported; reading goes on so every problem shows in one run. Static
/// files are listed, not read: their bytes are scanned for secrets as they
/// are published (see [`crate::secrets`]).
pub fn read_site(root: &Path, diags: &mut Diagnostics) -> Sources {
    let Some(fence) = site_fence(root, diags) else {
        return Sources::default();
    };
    let mut s = Sources {
        config: read_text(&fence, "kpsite.yaml", true, diags),
        manifest: read_text(&fence, "manifest.yaml", true, diags),
        calendar: read_text(&fence, "calendar.yaml", false, diags),
        ..Sources::default()
    };
    layout::check(root, diags);
    (s.lessons, s.modules) = read_lessons(&fence, diags);
    s.pages = markdown_files(&fence, Path::new("pages"), "pages", diags);
    for f in read_tree(&fence, "templates", "templates", diags) {
        let name = f.path.strip_prefix("templates").unwrap_or(&f.path);
        scan_input(&f.path, f.text.as_bytes(), diags);
        s.templates.insert(slash_path(name), f.text);
    }
    s.static_files = walk_checked(&fence, "static", "static", diags);
    s.lesson_assets = lesson_assets(&fence, diags);
    s.i18n = read_tree(&fence, "i18n", "i18n", diags);
    let texts: Vec<&TextFile> = s.text_files().collect();
    let found: Vec<Diagnostics> = texts
        .into_par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            scan_input(&f.path, f.text.as_bytes(), &mut d);
            d
        })
        .collect();
    for d in found {
        diags.extend(d.into_vec());
    }
    s
}

/// The fence of the site folder, or `None` with the reason reported.
fn site_fence(root: &Path, diags: &mut Diagnostics) -> Option<Fence> {
    Fence::new(root)
        .map_err(|e| {
            let message = format!("cannot read the site folder: {e}");
            diags.push(Diagnostic::file(root, message));
        })
        .ok()
}

/// The files of the theme `name` (`themes/<name>/`): its templates as
/// (name, text, path relative to the site), its static files as (output
/// path, canonical path) and its UI strings. Read under the symlink rule, templates scanned
/// for secrets; every problem is reported.
pub fn read_theme(root: &Path, name: &str, diags: &mut Diagnostics) -> ThemeFiles {
    let mut theme = ThemeFiles::default();
    let Some(fence) = site_fence(root, diags) else {
        return theme;
    };
    let home = format!("themes/{name}");
    let dir = format!("{home}/templates");
    for f in read_tree(&fence, &dir, &home, diags) {
        scan_input(&f.path, f.text.as_bytes(), diags);
        let rel = slash_path(f.path.strip_prefix(&dir).unwrap_or(&f.path));
        theme.templates.push((rel, f.text, f.path));
    }
    theme.assets = walk_checked(&fence, &format!("{home}/static"), &home, diags);
    theme.i18n = read_tree(&fence, &format!("{home}/i18n"), &home, diags);
    theme
}

/// What [`read_theme`] found.
#[derive(Debug, Default, Clone)]
pub struct ThemeFiles {
    /// (template name, text, path relative to the site).
    pub templates: Vec<(String, String, PathBuf)>,
    /// (output path, canonical path).
    pub assets: Vec<(String, PathBuf)>,
    /// Its UI strings, `themes/<name>/i18n/<lang>.yaml`.
    pub i18n: Vec<TextFile>,
}

impl Sources {
    /// Every text input, for checks that apply to all of them.
    pub fn text_files(&self) -> impl Iterator<Item = &TextFile> {
        let singles = [&self.config, &self.manifest, &self.calendar]
            .into_iter()
            .flatten();
        singles
            .chain(self.lessons.iter().map(|l| &l.file))
            .chain(self.modules.iter().map(|l| &l.file))
            .chain(self.pages.iter())
            .chain(self.i18n.iter())
    }
}

/// Reads one lesson file (`lessons/<course>/NN-slug.md` or
/// `lessons/<course>/<module>/NN-slug.md`, relative to `root`) exactly as
/// [`read_site`] does, secret scan included: `serve` re-reads only the
/// lessons that changed.
pub fn read_lesson(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<LessonFile> {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let (course, module) = match parts.as_slice() {
        [_, course, _] => (course.clone(), None),
        [_, course, module, _] => (course.clone(), Some(module.clone())),
        _ => return None,
    };
    let read = Fence::new(root)
        .map_err(|e| format!("cannot read: {e}"))
        .and_then(|f| f.read(rel, "lessons"));
    let bytes = match read {
        Ok(Some(b)) => b,
        Ok(None) => {
            diags.push(Diagnostic::file(rel, "cannot read: not found"));
            return None;
        }
        Err(m) => {
            diags.push(Diagnostic::file(rel, m));
            return None;
        }
    };
    let file = decode(rel, bytes, diags)?;
    scan_input(&file.path, file.text.as_bytes(), diags);
    Some(LessonFile {
        course,
        module,
        file,
    })
}

fn read_text(
    fence: &Fence,
    name: &str,
    required: bool,
    diags: &mut Diagnostics,
) -> Option<TextFile> {
    match fence.read(Path::new(name), name) {
        Ok(Some(bytes)) => decode(Path::new(name), bytes, diags),
        Ok(None) => {
            if required {
                diags.push(Diagnostic::file(
                    name,
                    format!("missing: every site needs {name}"),
                ));
            }
            None
        }
        Err(m) => {
            diags.push(Diagnostic::file(name, m));
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

/// `lessons/<course>/*.md` and one level of module folders below each
/// course (`lessons/<course>/<module>/*.md`, with an optional
/// `_module.md`): the lessons, then the module files. Anything else is
/// reported (here or by [`layout::check`]).
fn read_lessons(fence: &Fence, diags: &mut Diagnostics) -> (Vec<LessonFile>, Vec<LessonFile>) {
    let (mut lessons, mut modules) = (Vec::new(), Vec::new());
    for course in folder_names(fence, Path::new("lessons"), diags) {
        let rel_dir = Path::new("lessons").join(&course);
        match fence.locate(&rel_dir, "lessons") {
            Ok(Found::Dir(_)) => {}
            Ok(Found::Missing) => continue,
            Ok(Found::File(_)) => {
                diags.push(Diagnostic::file(
                    &rel_dir,
                    "lessons/ holds one folder per course id, not files",
                ));
                continue;
            }
            Err(m) => {
                diags.push(Diagnostic::file(&rel_dir, m));
                continue;
            }
        }
        for file in markdown_files(fence, &rel_dir, "lessons", diags) {
            if is_module_file(&file.path) {
                let message = format!(
                    "`{MODULE_FILE}` names a module and belongs in a module folder (lessons/{course}/NN-module/{MODULE_FILE}); it is not read here"
                );
                diags.push(Diagnostic::file(&file.path, message).warning());
                continue;
            }
            lessons.push(LessonFile {
                course: course.clone(),
                module: None,
                file,
            });
        }
        for module in folder_names(fence, &rel_dir, diags) {
            let module_dir = rel_dir.join(&module);
            match fence.locate(&module_dir, "lessons") {
                Ok(Found::Dir(_)) => {}
                Ok(_) => continue,
                Err(m) => {
                    diags.push(Diagnostic::file(&module_dir, m));
                    continue;
                }
            }
            for file in markdown_files(fence, &module_dir, "lessons", diags) {
                let entry = LessonFile {
                    course: course.clone(),
                    module: Some(module.clone()),
                    file,
                };
                if is_module_file(&entry.file.path) {
                    modules.push(entry);
                } else {
                    lessons.push(entry);
                }
            }
        }
    }
    (lessons, modules)
}

/// The file of a module folder that names the module (`title:`).
pub const MODULE_FILE: &str = "_module.md";

/// `_module.md`, or a translation of it (`_module.en.md`): never a lesson.
fn is_module_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == MODULE_FILE || (name.starts_with("_module.") && name.ends_with(".md"))
}

/// Names of the folders right inside `rel` (not hidden), sorted. Entries
/// that are not folders are left to the callers' own listings.
fn folder_names(fence: &Fence, rel: &Path, diags: &mut Diagnostics) -> Vec<String> {
    // `fence` only lists here; each name is located through it by the caller.
    let Some(dir) = checked_dir(fence, rel, "lessons", diags) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let courses = rel == Path::new("lessons");
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        // Course folders: every entry, so a stray file is reported. Module
        // folders: folders and links (the fence then rules on the link).
        .filter(|e| courses || e.file_type().is_ok_and(|t| t.is_dir() || t.is_symlink()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The files next to lessons: everything under `lessons/<course>/` that is
/// not Markdown, read under the symlink rule (a link out of the site is an
/// error here as in `static/`). Their names and bytes are scanned for
/// secret keys like every input: a paid lesson's asset is published
/// encrypted, where the output scan cannot see it.
fn lesson_assets(fence: &Fence, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    let (files, errors) = fence.walk("lessons", "lessons");
    let is_asset = |rel: &Path| {
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase());
        rel.iter().count() >= 3 && !name.is_some_and(|n| layout::markdown_like(&n))
    };
    // Refused Markdown entries are the lesson reader's to report.
    diags.extend(
        errors
            .into_iter()
            .filter(|(p, _)| is_asset(p))
            .map(|(p, m)| Diagnostic::file(p, m)),
    );
    let assets: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|(rel, real)| (format!("lessons/{rel}"), real))
        .filter(|(rel, _)| is_asset(Path::new(rel)))
        .collect();
    let found: Vec<Diagnostics> = assets
        .par_iter()
        .map(|(rel, real)| {
            let mut d = Diagnostics::default();
            scan_input_file(Path::new(rel), real, &mut d);
            d
        })
        .collect();
    for d in found {
        diags.extend(d.into_vec());
    }
    assets
}

/// The canonical form of the folder `rel`, if there is one and the rule
/// allows reading it; a refused one is reported.
fn checked_dir(fence: &Fence, rel: &Path, home: &str, diags: &mut Diagnostics) -> Option<PathBuf> {
    match fence.locate(rel, home) {
        Ok(Found::Dir(p)) => Some(p),
        Ok(_) => None,
        Err(m) => {
            diags.push(Diagnostic::file(rel, m));
            None
        }
    }
}

/// The `.md` files directly inside the folder `rel_dir`, sorted by name.
fn markdown_files(
    fence: &Fence,
    rel_dir: &Path,
    home: &str,
    diags: &mut Diagnostics,
) -> Vec<TextFile> {
    let Some(dir) = checked_dir(fence, rel_dir, home, diags) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
        .collect();
    names.sort();
    // Read and decoded in parallel; results and errors keep the name order.
    let read: Vec<Option<Result<TextFile, Diagnostic>>> = names
        .into_par_iter()
        .map(|n| {
            let rel = rel_dir.join(&n);
            let found = fence.locate_in(&dir, std::ffi::OsStr::new(&n), home);
            match found.and_then(fence::read_found) {
                Ok(Some(bytes)) => Some(decode_text(&rel, bytes)),
                // A folder named `x.md`, or one gone since the listing.
                Ok(None) => None,
                Err(m) if m.starts_with("is a folder") => None,
                Err(m) => Some(Err(Diagnostic::file(&rel, m))),
            }
        })
        .collect();
    read.into_iter()
        .flatten()
        .filter_map(|r| r.map_err(|d| diags.push(d)).ok())
        .collect()
}

/// Every file below the folder `dir` (home `home`), as text.
fn read_tree(fence: &Fence, dir: &str, home: &str, diags: &mut Diagnostics) -> Vec<TextFile> {
    walk_checked(fence, dir, home, diags)
        .into_iter()
        .filter_map(|(rel, real)| {
            let rel = Path::new(dir).join(rel);
            let mut bytes = Vec::new();
            match fence::open_regular(&real).and_then(|mut f| f.read_to_end(&mut bytes)) {
                Ok(_) => decode(&rel, bytes, diags),
                Err(e) => {
                    diags.push(Diagnostic::file(&rel, format!("cannot read: {e}")));
                    None
                }
            }
        })
        .collect()
}

/// Regular files below the folder `dir` under the symlink rule (home
/// `home`), as (`/`-path relative to dir, canonical path), sorted so output
/// order never depends on the disk. Refused entries are reported.
fn walk_checked(
    fence: &Fence,
    dir: &str,
    home: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    let (files, errors) = fence.walk(dir, home);
    diags.extend(errors.into_iter().map(|(p, m)| Diagnostic::file(p, m)));
    files
}

/// Regular files below `root/dir` under the symlink rule, as
/// (`/`-path relative to dir, canonical path), sorted; refused entries
/// are left out.
pub fn walk(root: &Path, dir: &str) -> Vec<(String, PathBuf)> {
    Fence::new(root)
        .map(|f| f.walk(dir, dir).0)
        .unwrap_or_default()
}

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reports a key-looking name or content of the input file `rel` (read
/// from its canonical path `real` in blocks): lesson assets, which a paid
/// lesson publishes encrypted, out of the output scan's sight.
fn scan_input_file(rel: &Path, real: &Path, diags: &mut Diagnostics) {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if let Some(hit) = scan_bytes(name.as_bytes(), Kind::Text).first() {
        diags.push(Diagnostic::file(
            rel,
            format!(
                "this file name looks like a secret key (`{}…`); a static site is public, rename it",
                hit.prefix
            ),
        ));
    }
    let shown = slash_path(rel);
    let hits = fence::open_regular(real).and_then(|f| scan_reader(f, Kind::of(&shown)));
    match hits {
        Ok(hits) => diags.extend(hits.into_iter().map(|h| {
            let position = (Kind::of(&shown) != Kind::Binary).then_some(h.position);
            Diagnostic::at(rel, position, message(h.prefix, h.escaped, ""))
        })),
        Err(e) => diags.push(Diagnostic::file(rel, format!("cannot read: {e}"))),
    }
}
