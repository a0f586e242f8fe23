//! Watching the site folder: which folders to watch, which changed paths
//! matter and what each one asks for, and the debounce that turns an
//! editor's burst of events (write to a temporary file, rename over the
//! original) into one rebuild.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// The folders of a site whose contents feed the build. The theme lives in
/// `themes/`; `public/`, `members/` and `report/` are outputs and are not
/// watched, nor is anything else.
const INPUT_DIRS: &[&str] = &["lessons", "pages", "static", "templates", "themes", "i18n"];
/// The input files at the top of the site folder.
const INPUT_FILES: &[&str] = &["kpsite.yaml", "manifest.yaml", "calendar.yaml"];

/// What a changed path asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Not an input (outputs, editor backups, hidden files).
    Ignore,
    /// A lesson's Markdown: that lesson and the pages listing it.
    Lesson,
    /// A file under `static/` or a theme's `static/`: served as it is.
    Static,
    /// Settings, manifest, calendar, pages, templates, folders: everything.
    Full,
}

/// Classifies a path relative to the site folder.
pub fn classify(rel: &Path) -> Change {
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let Some(first) = parts.first() else {
        return Change::Ignore;
    };
    if parts.iter().any(|p| scratch_file(p)) {
        return Change::Ignore;
    }
    let last = parts.last().map(String::as_str).unwrap_or("");
    match (first.as_str(), parts.len()) {
        (f, 1) if INPUT_FILES.contains(&f) || INPUT_DIRS.contains(&f) => Change::Full,
        (_, 1) => Change::Ignore,
        // lessons/<course>: a course folder came or went.
        ("lessons", 2) => Change::Full,
        // A lesson, or a lesson or `_module.md` in a module folder.
        ("lessons", 3 | 4) if last.ends_with(".md") => Change::Lesson,
        // Anything else there may be a lesson asset.
        ("lessons", _) => Change::Full,
        ("static", _) => Change::Static,
        ("themes", n) if n >= 3 && parts[2] == "static" => Change::Static,
        ("pages" | "templates" | "themes" | "i18n", _) => Change::Full,
        _ => Change::Ignore,
    }
}

/// Hidden files, editor swap and backup files, temporary files.
fn scratch_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".tmp", ".bak", ".part", ".crdownload"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// The notify watcher and the folders it watches: the site folder itself
/// (not recursively, so big output folders cost nothing) and each input
/// folder, recursively, added when it appears. When the site folder is
/// deleted (or moved away) and a folder appears at its path again, the
/// watches are set up afresh on the new folder.
pub struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    watched: BTreeSet<PathBuf>,
    /// Which folder is watched at `root`; `None` once it went away.
    identity: Option<Identity>,
}

impl Watch {
    /// Starts watching `root` (canonical).
    pub fn new(root: &Path) -> notify::Result<Watch> {
        let (watcher, rx) = watch_root(root)?;
        let mut w = Watch {
            root: root.to_path_buf(),
            watcher,
            rx,
            watched: BTreeSet::new(),
            identity: identity(root),
        };
        w.refresh();
        Ok(w)
    }

    /// Watches input folders that appeared; forgets those that went.
    pub fn refresh(&mut self) {
        for name in INPUT_DIRS {
            let dir = self.root.join(name);
            if !dir.is_dir() {
                self.watched.remove(&dir);
            } else if !self.watched.contains(&dir) {
                match self.watcher.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
                }
            }
        }
    }

    /// Waits for the next change, see [`next_batch`]. An event about the
    /// site folder itself (deleted, moved) marks it as gone.
    pub fn next_batch(
        &mut self,
        timeout: Duration,
        quiet: Duration,
        max: Duration,
    ) -> Result<Option<Vec<PathBuf>>, ()> {
        let batch = next_batch(&self.rx, timeout, quiet, max)?;
        if let Some(paths) = &batch
            && paths.iter().any(|p| p == &self.root)
        {
            self.identity = None;
        }
        Ok(batch)
    }

    /// True when the site folder was gone (or replaced) and a folder is at
    /// its path now, watched afresh: everything must be rebuilt. Cheap
    /// enough to call after every batch and every quiet wait.
    pub fn came_back(&mut self) -> bool {
        let now = identity(&self.root);
        if now == self.identity {
            return false;
        }
        let Some(id) = now else {
            eprintln!(
                "warning: {} is gone; rebuilding when it is back",
                self.root.display()
            );
            self.identity = None;
            return false;
        };
        match watch_root(&self.root) {
            Ok((watcher, rx)) => {
                self.watcher = watcher;
                self.rx = rx;
                self.watched.clear();
                self.identity = Some(id);
                self.refresh();
                eprintln!("{} is back: watching it again", self.root.display());
                true
            }
            // Tried again on the next call.
            Err(e) => {
                eprintln!("warning: cannot watch {}: {e}", self.root.display());
                false
            }
        }
    }
}

/// A new watcher on `root` alone, and where its events arrive.
fn watch_root(
    root: &Path,
) -> notify::Result<(RecommendedWatcher, Receiver<notify::Result<notify::Event>>)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    Ok((watcher, rx))
}

/// Tells one folder from another at the same path.
#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = Option<std::time::SystemTime>;

/// The identity of the folder at `path`; `None` when there is none.
fn identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        Some(meta.created().ok())
    }
}

/// Waits for the next change and gathers the burst it starts: returns once
/// no event came for `quiet` (or `max` after the first), or `None` when
/// `timeout` passed with no event at all. `Err` when the watcher is gone.
fn next_batch(
    rx: &Receiver<notify::Result<notify::Event>>,
    timeout: Duration,
    quiet: Duration,
    max: Duration,
) -> Result<Option<Vec<PathBuf>>, ()> {
    let first = match rx.recv_timeout(timeout) {
        Ok(e) => e,
        Err(RecvTimeoutError::Timeout) => return Ok(None),
        Err(RecvTimeoutError::Disconnected) => return Err(()),
    };
    let start = Instant::now();
    let mut paths = Vec::new();
    let mut take = |e: notify::Result<notify::Event>| match e {
        Ok(ev) if !matches!(ev.kind, EventKind::Access(_)) => paths.extend(ev.paths),
        Ok(_) => {}
        Err(err) => eprintln!("warning: watching: {err}"),
    };
    take(first);
    loop {
        let left = max.saturating_sub(start.elapsed());
        if left.is_zero() {
            break;
        }
        match rx.recv_timeout(quiet.min(left)) {
            Ok(e) => take(e),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    paths.sort();
    paths.dedup();
    Ok(Some(paths))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(p: &str) -> Change {
        classify(Path::new(p))
    }

    #[test]
    fn classifies_paths() {
        assert_eq!(c("lessons/rust/01-intro.md"), Change::Lesson);
        assert_eq!(c("lessons/rust"), Change::Full);
        assert_eq!(c("lessons/rust/.01-intro.md.swp"), Change::Ignore);
        assert_eq!(c("lessons/rust/01-intro.md~"), Change::Ignore);
        assert_eq!(c("lessons/rust/4913"), Change::Ignore);
        assert_eq!(c("lessons/rust/notes.txt"), Change::Full, "a lesson asset");
        assert_eq!(c("lessons/rust/02-basics/01-a.md"), Change::Lesson);
        assert_eq!(c("lessons/rust/02-basics/_module.md"), Change::Lesson);
        assert_eq!(c("lessons/rust/02-basics/deeper/01-a.md"), Change::Full);
        assert_eq!(c("manifest.yaml"), Change::Full);
        assert_eq!(c("kpsite.yaml"), Change::Full);
        assert_eq!(c("pages/about.md"), Change::Full);
        assert_eq!(c("templates/course.html"), Change::Full);
        assert_eq!(c("themes/mine/templates/base.html"), Change::Full);
        assert_eq!(c("themes/mine/static/site.css"), Change::Static);
        assert_eq!(c("static/img/a.png"), Change::Static);
        assert_eq!(c("static"), Change::Full);
        assert_eq!(c("public/index.html"), Change::Ignore);
        assert_eq!(c("report/report.json"), Change::Ignore);
        assert_eq!(c(".git/index"), Change::Ignore);
        assert_eq!(c("README.md"), Change::Ignore);
    }
}
