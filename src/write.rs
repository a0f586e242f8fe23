//! Puts an [`Output`] on disk atomically: the new site is written into a
//! temporary folder beside the target and swapped in by rename only when
//! every file was written, so a failed build leaves the old output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::{Content, Output};

/// Writes `output` to `target`, replacing what was there.
pub fn write_atomic(output: &Output, target: &Path) -> io::Result<()> {
    let staging = Staging::new(target)?;
    for (rel, content) in &output.files {
        staging.put(rel, content)?;
    }
    staging.commit()
}

/// A new output being written file by file into a hidden folder beside its
/// target. [`Staging::commit`] swaps it in; dropping it uncommitted deletes
/// it, so the target is left as it was. Files can be put from several
/// threads at once, as they are rendered, so a build never has to hold the
/// whole site in memory.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts an empty staging folder for `target`.
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let dir = sibling(parent, &name, "new");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            old: sibling(parent, &name, "old"),
            committed: false,
        })
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file (`/`-separated path relative to the output root),
    /// replacing one put before at the same path.
    pub fn put(&self, rel: &str, content: &Content) -> io::Result<()> {
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

    /// Swaps the staged output in for the target.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        let result = swap_in(&self.dir, &self.target, &self.old);
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `.public.kpsite-new` style names: hidden, and next to the target so the
/// final rename never crosses a file system.
fn sibling(parent: &Path, name: &str, tag: &str) -> PathBuf {
    parent.join(format!(".{name}.kpsite-{tag}"))
}

/// Moves the old output aside, the new one in, then deletes the old one.
fn swap_in(staging: &Path, target: &Path, old: &Path) -> io::Result<()> {
    let _ = fs::remove_dir_all(old);
    let had_old = target.exists();
    if had_old {
        fs::rename(target, old)?;
    }
    if let Err(e) = fs::rename(staging, target) {
        if had_old {
            let _ = fs::rename(old, target);
        }
        return Err(e);
    }
    if had_old {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_folder() {
        let dir = std::env::temp_dir().join(format!("kpsite-write-{}", std::process::id()));
        let target = dir.join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("stale.html"), "old").unwrap();
        let mut out = Output::default();
        out.files
            .insert("a/index.html".into(), Content::Bytes(b"new".to_vec()));
        write_atomic(&out, &target).unwrap();
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
