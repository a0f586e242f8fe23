//! The shape of the content folders: `lessons/` and `pages/` must be
//! folders, and a file kpsite will not read there is named in a warning
//! rather than silently left out (a `03-x.MD`, a lesson two folders down).

use std::fs;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Folders that, when present, must be folders: a file of that name would
/// otherwise read as "no lessons", "no pages" and build an empty site.
const FOLDERS: &[&str] = &["lessons", "pages", "static", "templates"];

/// Reports a content folder that is a file (error) and every file under
/// `lessons/` and `pages/` that is not read (warning).
pub fn check(root: &Path, diags: &mut Diagnostics) {
    for name in FOLDERS {
        if fs::metadata(root.join(name)).is_ok_and(|m| !m.is_dir()) {
            diags.push(Diagnostic::file(
                name,
                format!("`{name}` must be a folder, not a file; move the file away and create the folder `{name}/`"),
            ));
        }
    }
    unread(root, "lessons", 2, lesson_warning, diags);
    unread(root, "pages", 1, page_warning, diags);
}

/// Warns about each file below `root/dir` that `warning` says is not read,
/// `depth` being how deep the files that are read sit (lessons/c/x.md: 2).
fn unread(
    root: &Path,
    dir: &str,
    depth: usize,
    warning: fn(&Path, usize) -> Option<String>,
    diags: &mut Diagnostics,
) {
    let base = root.join(dir);
    if !base.is_dir() {
        return;
    }
    let walk = WalkDir::new(&base)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk.filter_map(Result::ok) {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        if let Some(message) = warning(rel, entry.depth().saturating_sub(depth)) {
            diags.push(Diagnostic::file(rel, message).warning());
        }
    }
}

/// Whether `name` looks like Markdown meant to be read (`.MD`, `.markdown`).
pub(super) fn markdown_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".md", ".markdown", ".mdown", ".mkd"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Why a file under `lessons/` is not read, if it is not; `deeper` counts
/// the folders between it and its course folder. Files right in `lessons/`
/// are reported as errors by the reader itself.
fn lesson_warning(rel: &Path, deeper: usize) -> Option<String> {
    let name = rel.file_name()?.to_string_lossy();
    let course = rel.iter().nth(1)?.to_string_lossy();
    if rel.iter().count() < 3 {
        return None;
    }
    // Any other file is a lesson asset, published with the lessons that
    // link to it; the link check names the ones no lesson links to.
    if !markdown_like(&name) {
        return None;
    }
    if deeper > 1 {
        return Some(if markdown_like(&name) {
            format!(
                "not read as a lesson: lessons are read from lessons/{course}/ and its module folders (lessons/{course}/NN-module/), one level deep; move it up to a module folder"
            )
        } else {
            format!(
                "not published: only `.md` lessons are read from lessons/{course}/ and its module folders; put files for the site in static/"
            )
        });
    }
    if name.ends_with(".md") {
        return None;
    }
    Some(if markdown_like(&name) {
        format!("not read as a lesson: lesson files end in `.md` (lower case); rename `{name}`")
    } else {
        format!(
            "not published: only `.md` lessons are read from lessons/{course}/; put files for the site in static/"
        )
    })
}

/// Why a file under `pages/` is not read, if it is not.
fn page_warning(rel: &Path, deeper: usize) -> Option<String> {
    let name = rel.file_name()?.to_string_lossy();
    if deeper == 0 && name.ends_with(".md") {
        return None;
    }
    Some(if deeper > 0 {
        "not read: pages are the `.md` files right in pages/, not in its subfolders; move it up to pages/".to_string()
    } else if markdown_like(&name) {
        format!("not read as a page: page files end in `.md` (lower case); rename `{name}`")
    } else {
        "not published: only `.md` pages are read from pages/; put files for the site in static/"
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(files: &[&str]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x").unwrap();
        }
        let mut d = Diagnostics::default();
        check(dir.path(), &mut d);
        d.sorted().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn files_that_are_not_read_are_named() {
        let w = warnings(&[
            "lessons/c/01-a.md",
            "lessons/c/03-x.MD",
            "lessons/c/01-mod/01-b.md",
            "lessons/c/01-mod/_module.md",
            "lessons/c/01-mod/deeper/02-c.md",
            "lessons/c/.02-draft.md.swp",
            "lessons/c/notes.txt",
            "pages/about.md",
            "pages/faq.Markdown",
            "pages/sub/x.md",
        ]);
        assert_eq!(w.len(), 4, "{w:#?}");
        assert!(
            w[0].starts_with("warning: lessons/c/01-mod/deeper/02-c.md: not read as a lesson"),
            "{w:#?}"
        );
        assert!(
            w[1].starts_with("warning: lessons/c/03-x.MD: not read as a lesson"),
            "{w:#?}"
        );
        assert!(
            w[2].starts_with("warning: pages/faq.Markdown: not read as a page"),
            "{w:#?}"
        );
        assert!(
            w[3].starts_with("warning: pages/sub/x.md: not read"),
            "{w:#?}"
        );
    }

    #[test]
    fn a_content_folder_that_is_a_file_is_an_error() {
        let w = warnings(&["lessons", "pages"]);
        assert_eq!(w.len(), 2, "{w:#?}");
        assert!(
            w[0].starts_with("error: lessons: `lessons` must be a folder"),
            "{w:#?}"
        );
        assert!(w[1].starts_with("error: pages: "), "{w:#?}");
    }
}
