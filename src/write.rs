//! Puts an [`Output`] on disk atomically: the new site is written into a
//! temporary folder beside the target and swapped in by rename only when
//! every file was written, so a failed build leaves the old output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use crate::outputs::{MARKER, sibling};
use crate::render::Content;

/// What the marker file says to a person who opens it.
const MARKER_TEXT: &str = "Written by kpsite. A build replaces this whole folder.\n";

/// Held shared while a file is written into a staging folder and
/// exclusively while outputs are swapped and by the signal handler, so an
/// interrupted build never stops in the middle of a swap and never writes
/// a file after its staging folder was removed.
static GATE: RwLock<()> = RwLock::new(());
/// Set by the signal handler: staging refuses further files.
static ABORTING: AtomicBool = AtomicBool::new(false);
/// Folders to delete if the process is interrupted: unfinished staging
/// folders and old outputs moved aside.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Makes staging names unique within the process (the pid makes them
/// unique between processes).
static SEQ: AtomicU64 = AtomicU64::new(0);

/// On Ctrl-C, SIGTERM or SIGHUP: removes every unfinished staging folder
/// (which may hold paid lessons) and exits with 130. Call once, before
/// staging; a process that already has a handler keeps it.
pub fn clean_up_on_signals() {
    let _ = ctrlc::set_handler(|| {
        ABORTING.store(true, Ordering::SeqCst);
        let _gate = GATE.write().unwrap_or_else(PoisonError::into_inner);
        let live = std::mem::take(&mut *LIVE.lock().unwrap_or_else(PoisonError::into_inner));
        for dir in live {
            let _ = fs::remove_dir_all(dir);
        }
        eprintln!("stopped: the unfinished output was removed; the previous output is as it was");
        std::process::exit(130);
    });
}

fn track(dir: &Path) {
    LIVE.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(dir.to_path_buf());
}

fn untrack(dir: &Path) {
    LIVE.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|d| d != dir);
}

/// A name for a new `.NAME.kpsite-TAG-PID-N` folder beside `target`.
fn unique(target: &Path, tag: &str) -> PathBuf {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    sibling(target, &format!("{tag}-{}-{n}", std::process::id()))
}

/// A new output being written file by file into a hidden folder beside its
/// target. [`commit_all`] swaps it in; dropping it uncommitted deletes
/// it, so the target is left as it was. Files can be put from several
/// threads at once, as they are rendered, so a build never has to hold the
/// whole site in memory.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts a staging folder for `target`, with a name no other build
    /// uses, holding only the output marker.
    pub fn new(target: &Path) -> io::Result<Staging> {
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        // Under the gate, so an interrupt never falls between creating the
        // folder and tracking it.
        let _gate = GATE.read().unwrap_or_else(PoisonError::into_inner);
        let dir = loop {
            let dir = unique(target, "new");
            match fs::create_dir(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        };
        track(&dir);
        let staging = Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        };
        fs::write(staging.dir.join(MARKER), MARKER_TEXT)?;
        Ok(staging)
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The output folder it will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one file (`/`-separated path relative to the output root),
    /// replacing one put before at the same path.
    pub fn put(&self, rel: &str, content: &Content) -> io::Result<()> {
        let _gate = GATE.read().unwrap_or_else(PoisonError::into_inner);
        if ABORTING.load(Ordering::SeqCst) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        match content {
            Content::Bytes(b) => fs::write(&path, b),
            // Opened without following links, and only if still a
            // regular file: what the symlink rule checked is what is copied.
            Content::Copy(src) => {
                let mut from = crate::load::fence::open_regular(src)?;
                io::copy(&mut from, &mut fs::File::create(&path)?).map(|_| ())
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            untrack(&self.dir);
        }
    }
}

/// Swaps every staged output in for its target, all or none: first every
/// existing target is moved aside, then every staging folder moved in,
/// then the old outputs deleted. When a rename fails, those done are
/// undone, so every target is as it was. Only a crash between the first
/// rename and the last can leave a target missing; the next build of it
/// puts the old one back (see [`crate::outputs`]).
pub fn commit_all(mut staged: Vec<Staging>) -> io::Result<()> {
    let gate = GATE.write().unwrap_or_else(PoisonError::into_inner);
    if ABORTING.load(Ordering::SeqCst) {
        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
    }
    // (index into `staged`, where its old output went)
    let mut aside: Vec<(usize, PathBuf)> = Vec::new();
    let mut result = Ok(());
    for (i, s) in staged.iter().enumerate() {
        if fs::symlink_metadata(&s.target).is_err() {
            continue;
        }
        let old = unique(&s.target, "old");
        track(&old);
        if let Err(e) = fs::rename(&s.target, &old) {
            untrack(&old);
            result = Err(e);
            break;
        }
        aside.push((i, old));
    }
    let mut moved_in = 0;
    if result.is_ok() {
        for s in &staged {
            if let Err(e) = fs::rename(&s.dir, &s.target) {
                result = Err(e);
                break;
            }
            moved_in += 1;
        }
    }
    if let Err(e) = result {
        for s in &staged[..moved_in] {
            let _ = fs::rename(&s.target, &s.dir);
        }
        for (i, old) in &aside {
            let _ = fs::rename(old, &staged[*i].target);
            untrack(old);
        }
        return Err(e);
    }
    for s in &mut staged {
        s.committed = true;
        untrack(&s.dir);
    }
    drop(gate);
    for (_, old) in aside {
        let _ = fs::remove_dir_all(&old);
        untrack(&old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Output;

    #[test]
    fn replaces_the_whole_folder() {
        let dir = std::env::temp_dir().join(format!("kpsite-write-{}", std::process::id()));
        let target = dir.join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("stale.html"), "old").unwrap();
        let mut out = Output::default();
        out.files
            .insert("a/index.html".into(), Content::Bytes(b"new".to_vec()));
        let staging = Staging::new(&target).unwrap();
        for (rel, content) in &out.files {
            staging.put(rel, content).unwrap();
        }
        commit_all(vec![staging]).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "new"
        );
        assert!(!target.join("stale.html").exists());
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no staging folders left behind"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn dropped_staging_leaves_the_target_alone() {
        let dir = std::env::temp_dir().join(format!("kpsite-staging-{}", std::process::id()));
        let target = dir.join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("kept.html"), "old").unwrap();
        {
            let staging = Staging::new(&target).unwrap();
            staging
                .put("a/b/index.html", &Content::Bytes(b"new".to_vec()))
                .unwrap();
        }
        assert_eq!(fs::read_to_string(target.join("kept.html")).unwrap(), "old");
        assert!(!target.join("a").exists());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "staging removed");
        fs::remove_dir_all(&dir).unwrap();
    }
}
