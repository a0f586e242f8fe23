//! Puts an [`Output`] on disk atomically: the new site is written into a
//! temporary folder beside the target and swapped in by rename only when
//! every file was written, so a failed build leaves the old output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::{Content, Output};

/// Writes `output` to `target`, replacing what was there.
pub fn write_atomic(output: &Output, target: &Path) -> io::Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    let staging = sibling(parent, &name, "new");
    let _ = fs::remove_dir_all(&staging);
    if let Err(e) = write_all(output, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(&staging, target, &sibling(parent, &name, "old"))
}

/// `.public.kpsite-new` style names: hidden, and next to the target so the
/// final rename never crosses a file system.
fn sibling(parent: &Path, name: &str, tag: &str) -> PathBuf {
    parent.join(format!(".{name}.kpsite-{tag}"))
}

fn write_all(output: &Output, dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for (rel, content) in &output.files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        match content {
            Content::Bytes(b) => fs::write(&path, b)?,
            Content::Copy(src) => {
                fs::copy(src, &path)?;
            }
        }
    }
    Ok(())
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
}
