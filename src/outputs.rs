//! Where a build's outputs go, and whether kpsite may replace them (spec §1).
//!
//! A build replaces each output folder whole, so before anything is written
//! every target is resolved (`..`, symbolic links, case on case-insensitive
//! file systems, by comparing files rather than names) and refused when it
//! is not kpsite's to replace:
//!
//! - it is a symbolic link, a file or a device;
//! - it is, holds or sits inside the site folder's inputs (the site itself,
//!   `kpsite.yaml`, `manifest.yaml`, `calendar.yaml`, `lessons/`, `pages/`,
//!   `static/`, `templates/`, `themes/`, `i18n/`, `.kpsite/`, `.git/`, and `report/`
//!   for the public and members outputs);
//! - it sits inside another kpsite output (the next build of that output
//!   would delete it, and a deploy of that output would publish it);
//! - it exists, is not empty and was not written by kpsite: kpsite marks its
//!   outputs with a [`MARKER`] file. An unmarked folder that looks exactly
//!   like an output of an older kpsite is accepted once (see [`Role`]).
//!
//! Then the outputs are locked (a [`LOCK_FILE`] in the folder holding them,
//! held with an OS file lock that dies with the process), so a second build
//! of the same outputs waits; and staging folders left by builds that died are
//! removed, or the previous output is put back when a build died in the
//! middle of its swap.

use std::fs::{self, File};
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file kpsite writes into every output folder it makes. Its presence
/// is what lets a later build replace the folder.
pub const MARKER: &str = ".kpsite-output";

/// Site inputs an output may never be, hold or sit inside.
const INPUTS: &[&str] = &[
    "kpsite.yaml",
    "manifest.yaml",
    "calendar.yaml",
    "lessons",
    "pages",
    "static",
    "templates",
    "themes",
    "i18n",
    ".kpsite",
    ".git",
];

/// The default output folders, by name, in the site folder.
pub const PUBLIC_DIR: &str = "public";
/// See [`PUBLIC_DIR`].
pub const MEMBERS_DIR: &str = "members";
/// See [`PUBLIC_DIR`]; the same as [`crate::report::REPORT_DIR`].
pub const REPORT_DIR: &str = crate::report::REPORT_DIR;

/// What an output folder holds; decides what an unmarked folder written by
/// an older kpsite looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The public site (`public/` or `-o OUT`).
    Public,
    /// The members site (`members/`).
    Members,
    /// The ROI report (`report/`).
    Report,
}

/// The folders one build writes, checked and locked. Dropping it releases
/// the locks.
#[derive(Debug)]
pub struct Outputs {
    /// The public site.
    pub public: PathBuf,
    /// The members site, when asked for.
    pub members: Option<PathBuf>,
    /// The ROI report.
    pub report: PathBuf,
    _locks: Vec<File>,
}

impl Outputs {
    /// Decides, checks and locks the outputs of a build of the site at
    /// `site`. Without `out`: `public/`, `members/` and `report/` in the
    /// site folder. With `-o OUT`: the public site in OUT, and `members/`
    /// and `report/` beside it (in OUT's parent), as they sit beside
    /// `public/` by default. On an error nothing was touched.
    pub fn claim(site: &Path, out: Option<&Path>, members: bool) -> Result<Outputs, String> {
        let site = canonical_site(site)?;
        let public = match out {
            Some(out) => resolve(out)?,
            None => site.join(PUBLIC_DIR),
        };
        let (parent, name) = split(&public)?;
        for taken in [MEMBERS_DIR, REPORT_DIR] {
            if name.eq_ignore_ascii_case(taken) {
                return Err(format!(
                    "{}: the public output cannot be named `{taken}`: `{MEMBERS_DIR}` and \
                     `{REPORT_DIR}` are written beside it; choose another -o",
                    public.display()
                ));
            }
        }
        let members = members.then(|| parent.join(MEMBERS_DIR));
        let report = parent.join(REPORT_DIR);
        let mut targets = vec![
            (public.clone(), Role::Public),
            (report.clone(), Role::Report),
        ];
        if let Some(m) = &members {
            targets.push((m.clone(), Role::Members));
        }
        let locks = claim_all(&site, &targets)?;
        Ok(Outputs {
            public,
            members,
            report,
            _locks: locks,
        })
    }
}

/// Checks and locks the site's `report/` alone (for `kpsite report`):
/// the folder and the lock, which is released when dropped.
pub fn claim_report(site: &Path) -> Result<(PathBuf, File), String> {
    let site = canonical_site(site)?;
    let report = site.join(REPORT_DIR);
    let mut locks = claim_all(&site, &[(report.clone(), Role::Report)])?;
    Ok((report, locks.remove(0)))
}

fn canonical_site(site: &Path) -> Result<PathBuf, String> {
    fs::canonicalize(site).map_err(|e| format!("{}: {e}", site.display()))
}

/// Checks every target, then takes the lock of their folder (they share
/// one: outputs sit side by side), checks again under the lock and cleans
/// what dead builds left behind.
fn claim_all(site: &Path, targets: &[(PathBuf, Role)]) -> Result<Vec<File>, String> {
    let check_all = || {
        targets.iter().try_for_each(|(target, role)| {
            check(site, target, *role).map_err(|why| format!("{}: {why}", target.display()))
        })
    };
    check_all()?;
    let parent = targets[0].0.parent().unwrap_or(Path::new("/"));
    debug_assert!(targets.iter().all(|(t, _)| t.parent() == Some(parent)));
    let lock = lock(parent).map_err(|e| format!("{}: cannot lock: {e}", parent.display()))?;
    check_all()?;
    for (target, _) in targets {
        clean_stale(target);
    }
    Ok(vec![lock])
}

/// Why kpsite may not replace `target` (resolved) as the `role` output of
/// the site at `site` (canonical), if it may not.
pub fn check(site: &Path, target: &Path, role: Role) -> Result<(), String> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot look at it: {e}")),
    };
    if let Some(m) = &meta {
        if m.file_type().is_symlink() {
            // Where it leads, absolute, so the suggested -o works from anywhere.
            let to = fs::canonicalize(target)
                .or_else(|_| fs::read_link(target))
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            let fix = match role {
                Role::Public => format!("build with -o {to} instead, or remove the link"),
                _ => "remove the link (this output is written beside the public one)".into(),
            };
            return Err(format!(
                "is a symbolic link (to `{to}`); kpsite replaces its output folders whole and \
                 does not follow links: {fix}"
            ));
        }
        if !m.is_dir() {
            return Err(
                "is a file or a device, not a folder; choose a folder for the output".into(),
            );
        }
        if is_within(site, target) {
            return Err(
                "is or holds the site folder; choose a folder outside the site's \
                        inputs, e.g. the default public/"
                    .into(),
            );
        }
    }
    let mut inputs: Vec<&str> = INPUTS.to_vec();
    if role != Role::Report {
        inputs.push(REPORT_DIR);
    }
    for name in inputs {
        let input = site.join(name);
        if is_within(target, &input) {
            return Err(format!(
                "is or is inside the site's `{name}`, which kpsite would overwrite; choose \
                 another folder"
            ));
        }
        if meta.is_some()
            && let Ok(real) = fs::canonicalize(&input)
            && is_within(&real, target)
        {
            return Err(format!(
                "holds the site's `{name}`, which kpsite would delete; choose another folder"
            ));
        }
    }
    for outer in target.ancestors().skip(1) {
        let other_output = [PUBLIC_DIR, MEMBERS_DIR, REPORT_DIR]
            .iter()
            .any(|d| same(outer, &site.join(d)));
        if other_output || outer.join(MARKER).is_file() {
            return Err(format!(
                "is inside the kpsite output `{}`, which a build replaces whole; choose a \
                 folder outside it",
                outer.display()
            ));
        }
    }
    if meta.is_some() && !replaceable(target, role) {
        return Err(format!(
            "exists and was not written by kpsite (it has no {MARKER} file), and a build \
             replaces the whole folder; choose a new or empty folder, or delete this one \
             yourself if it is an old output"
        ));
    }
    Ok(())
}

/// Whether the existing folder `dir` may be replaced: it is empty, carries
/// the marker, or looks exactly like an output of a kpsite from before the
/// marker (public and members: the theme's `search.js` and search index
/// beside `index.html`, `404.html` and `robots.txt`; report: nothing but
/// `report.json` and `report.html`).
fn replaceable(dir: &Path, role: Role) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    let names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() || names.iter().any(|n| n == MARKER) {
        return true;
    }
    match role {
        Role::Report => names
            .iter()
            .all(|n| n == "report.json" || n == "report.html" || n.starts_with(".report.")),
        Role::Public | Role::Members => [
            "index.html",
            "404.html",
            "robots.txt",
            "search.js",
            "search/meta.json",
        ]
        .iter()
        .all(|f| dir.join(f).is_file()),
    }
}

/// Whether `inner` is `outer` or inside it, comparing files, not names:
/// `inner`'s ancestors are compared with `outer` by identity where both
/// exist, and by name, ignoring case, where one does not.
fn is_within(inner: &Path, outer: &Path) -> bool {
    inner.ancestors().any(|a| same(a, outer))
}

/// Whether `a` and `b` name the same folder or file.
fn same(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(ma), Ok(mb)) => same_file(a, &ma, b, &mb),
        _ => {
            a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
                && !a.as_os_str().is_empty()
        }
    }
}

#[cfg(unix)]
fn same_file(_: &Path, ma: &fs::Metadata, _: &Path, mb: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    ma.dev() == mb.dev() && ma.ino() == mb.ino()
}

#[cfg(not(unix))]
fn same_file(a: &Path, _: &fs::Metadata, b: &Path, _: &fs::Metadata) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase(),
        _ => false,
    }
}

/// `path` made absolute with every existing ancestor resolved (symbolic
/// links followed, `..` applied to the resolved folder), except the last
/// component, which is kept as it is so that a link there can be refused.
pub fn resolve(path: &Path) -> Result<PathBuf, String> {
    let absolute = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let parts: Vec<Component> = absolute.components().collect();
    let mut out = PathBuf::new();
    for (i, part) in parts.iter().enumerate() {
        match part {
            Component::Prefix(_) | Component::RootDir => out.push(part.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                let last = i + 1 == parts.len();
                let is_link = fs::symlink_metadata(&out).is_ok_and(|m| m.is_symlink());
                if is_link && !last {
                    out = fs::canonicalize(&out).map_err(|e| {
                        format!(
                            "{}: goes through a broken link `{}`: {e}",
                            path.display(),
                            out.display()
                        )
                    })?;
                }
            }
        }
    }
    Ok(out)
}

/// The parent folder and the name of an output folder.
fn split(target: &Path) -> Result<(PathBuf, String), String> {
    match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) => Ok((parent.to_path_buf(), name.to_string_lossy().into())),
        _ => Err(format!(
            "{}: not a folder kpsite can write an output to; choose a named folder",
            target.display()
        )),
    }
}

/// `.NAME.kpsite-TAG` beside `target`: hidden, and in the same folder so
/// the final rename never crosses a file system.
pub fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| PUBLIC_DIR.into());
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.kpsite-{tag}"))
}

/// The lock file kpsite keeps in the folder that holds its outputs.
pub const LOCK_FILE: &str = ".kpsite-lock";

/// Takes the lock of the outputs in `parent`, waiting (and saying so)
/// while another build holds it. The lock file stays; the lock itself
/// dies with the process.
fn lock(parent: &Path) -> io::Result<File> {
    fs::create_dir_all(parent)?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(LOCK_FILE))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another kpsite build writing to {} to finish",
                parent.display()
            );
            file.lock()?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(file)
}

/// Under `target`'s lock, the staging folders beside it belong to builds
/// that died: removes them. When the target itself is missing and a
/// build died between moving the old output aside and moving the new one
/// in, the old output is put back first.
fn clean_stale(target: &Path) {
    let Some(parent) = target.parent() else {
        return;
    };
    let new = name_of(&sibling(target, "new"));
    let old = name_of(&sibling(target, "old"));
    // Exactly `.NAME.kpsite-new` (older kpsite) or `.NAME.kpsite-new-…`.
    let ours =
        |n: &str, tag: &str| n == tag || n.strip_prefix(tag).is_some_and(|r| r.starts_with('-'));
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            (ours(&n, &new) || ours(&n, &old)) && e.file_type().is_ok_and(|t| t.is_dir())
        })
        .map(|e| e.path())
        .collect();
    stale.sort();
    if fs::symlink_metadata(target).is_err()
        && let Some(prev) = stale.iter().find(|p| ours(&name_of(p), &old))
        && fs::rename(prev, target).is_ok()
    {
        eprintln!(
            "restored {} from {}, left by a build that was stopped",
            target.display(),
            prev.display()
        );
    }
    for dir in stale.iter().filter(|p| p.exists()) {
        if fs::remove_dir_all(dir).is_ok() {
            eprintln!(
                "removed {}, left by a build that was stopped",
                dir.display()
            );
        }
    }
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_applies_dotdot_after_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(real.join("a/b")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(real.join("a/b"), real.join("link")).unwrap();
        #[cfg(unix)]
        assert_eq!(resolve(&real.join("link/../x")).unwrap(), real.join("a/x"));
        assert_eq!(resolve(&real.join("nope/../a")).unwrap(), real.join("a"));
    }

    #[test]
    fn within_compares_files_not_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(real.join("site/lessons")).unwrap();
        assert!(is_within(
            &real.join("site/lessons/x"),
            &real.join("site/lessons")
        ));
        assert!(is_within(&real.join("site"), &real.join("site")));
        assert!(!is_within(
            &real.join("site/public"),
            &real.join("site/lessons")
        ));
    }
}
