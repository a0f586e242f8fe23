//! The symlink rule: which files kpsite may read into its output.
//!
//! Every input is read through a [`Fence`]. A path is resolved (symlinks
//! followed) to its canonical form, and that form must lie inside the site
//! folder, outside hidden folders (`.kpsite/`, `.git/`, staging folders),
//! and outside the private areas — `lessons/`, `report/`, `members/`,
//! `public/` and the YAML settings files — unless the area is the input's
//! own home (a lesson may link to another lesson). Only regular files are
//! read: FIFOs, sockets and devices are errors, never opened. The checked
//! canonical path is then opened without following any symlink, so a link
//! swapped in between the check and the read is refused, not followed.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Areas of the site folder that are never read as another input's content.
const PRIVATE: &[&str] = &[
    "lessons",
    "report",
    "members",
    "public",
    "kpsite.yaml",
    "manifest.yaml",
    "calendar.yaml",
];

/// What a path of the site names, once resolved and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing there.
    Missing,
    /// A regular file, at this canonical path.
    File(PathBuf),
    /// A folder, at this canonical path.
    Dir(PathBuf),
}

/// The boundary of one site folder.
#[derive(Debug, Clone)]
pub struct Fence {
    root: PathBuf,
}

impl Fence {
    /// The fence of the site at `root` (resolved once here).
    pub fn new(root: &Path) -> io::Result<Fence> {
        Ok(Fence {
            root: root.canonicalize()?,
        })
    }

    /// The canonical site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Resolves `rel` (relative to the site folder, as the user named it)
    /// for an input whose home is `home` (`static`, `themes/x`,
    /// `kpsite.yaml`…). An error says where it points and what to do.
    pub fn locate(&self, rel: &Path, home: &str) -> Result<Found, String> {
        self.resolve(&self.root.join(rel), false, home)
    }

    /// Resolves the entry `name` of the canonical folder `dir` (cheaper:
    /// only a link needs resolving).
    pub fn locate_in(
        &self,
        dir: &Path,
        name: &std::ffi::OsStr,
        home: &str,
    ) -> Result<Found, String> {
        self.resolve(&dir.join(name), true, home)
    }

    /// `path` is canonical already when `parent_canonical` and it is no link.
    fn resolve(&self, path: &Path, parent_canonical: bool, home: &str) -> Result<Found, String> {
        let meta = match fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Missing),
            Err(e) => return Err(format!("cannot read: {e}")),
        };
        let (real, meta) = if parent_canonical && !meta.is_symlink() {
            (path.to_path_buf(), meta)
        } else {
            let real = match fs::canonicalize(path) {
                Ok(p) => p,
                Err(_) if meta.is_symlink() => {
                    let to = fs::read_link(path).unwrap_or_default();
                    return Err(format!(
                        "is a symlink to `{}`, which does not exist: fix or remove the link",
                        to.display()
                    ));
                }
                Err(e) => return Err(format!("cannot read: {e}")),
            };
            let meta = fs::metadata(&real).map_err(|e| format!("cannot read: {e}"))?;
            (real, meta)
        };
        self.check(&real, home)?;
        if meta.is_file() {
            Ok(Found::File(real))
        } else if meta.is_dir() {
            Ok(Found::Dir(real))
        } else {
            Err(format!(
                "is {}, not a regular file: kpsite reads only regular files; remove it",
                kind_of(&meta)
            ))
        }
    }

    /// Whether the canonical path `real` may be read for an input whose
    /// home is `home`.
    fn check(&self, real: &Path, home: &str) -> Result<(), String> {
        let Ok(inside) = real.strip_prefix(&self.root) else {
            return Err(format!(
                "resolves to `{}`, outside the site folder: kpsite never reads files from outside the site; copy the file into the site instead of linking to it",
                real.display()
            ));
        };
        let names: Vec<String> = inside
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if names.iter().any(|n| n.starts_with('.')) {
            return Err(format!(
                "resolves to `{}`, inside a hidden folder or file of the site (such as .kpsite/ or .git/), which is never published: remove the link",
                inside.display()
            ));
        }
        let in_home = inside.starts_with(home);
        if let Some(area) = PRIVATE
            .iter()
            .find(|a| inside.starts_with(a))
            .filter(|_| !in_home)
        {
            let place = if inside == Path::new(area) {
                format!("`{area}`")
            } else {
                format!("`{}`, inside `{area}`", inside.display())
            };
            return Err(format!(
                "resolves to {place}, which is private to kpsite and never published as is: remove the link"
            ));
        }
        Ok(())
    }

    /// Reads the regular file `rel` (home `home`): `Ok(None)` when it is
    /// missing.
    pub fn read(&self, rel: &Path, home: &str) -> Result<Option<Vec<u8>>, String> {
        read_found(self.locate(rel, home)?)
    }
}

/// The bytes of what [`Fence::locate`] found: `Ok(None)` when missing.
pub fn read_found(found: Found) -> Result<Option<Vec<u8>>, String> {
    match found {
        Found::Missing => Ok(None),
        Found::Dir(_) => Err("is a folder, expected a file".into()),
        Found::File(real) => {
            let mut bytes = Vec::new();
            open_regular(&real)
                .and_then(|mut f| f.read_to_end(&mut bytes))
                .map_err(|e| format!("cannot read: {e}"))?;
            Ok(Some(bytes))
        }
    }
}

impl Fence {
    /// Regular files below the folder `dir` (home `home`), hidden names
    /// skipped, as (`/`-path relative to `dir`, canonical path), sorted.
    /// Links are followed only where the rule allows; every refused entry
    /// is an error message for the path as named.
    pub fn walk(&self, dir: &str, home: &str) -> (Vec<(String, PathBuf)>, Vec<(PathBuf, String)>) {
        let mut w = Walk {
            fence: self,
            home,
            files: Vec::new(),
            errors: Vec::new(),
            ancestors: Vec::new(),
        };
        match self.locate(Path::new(dir), home) {
            Ok(Found::Dir(real)) => w.dir(&real, Path::new(dir), Path::new("")),
            Ok(Found::Missing) => {}
            Ok(Found::File(_)) => w
                .errors
                .push((dir.into(), "is a file, expected a folder".into())),
            Err(m) => w.errors.push((dir.into(), m)),
        }
        w.files.sort();
        (w.files, w.errors)
    }
}

struct Walk<'a> {
    fence: &'a Fence,
    home: &'a str,
    files: Vec<(String, PathBuf)>,
    errors: Vec<(PathBuf, String)>,
    /// Canonical folders being walked, to stop at symlink loops.
    ancestors: Vec<PathBuf>,
}

impl Walk<'_> {
    /// Walks the canonical folder `real`, named `named` (relative to the
    /// site), `below` being its path relative to the walk's start.
    fn dir(&mut self, real: &Path, named: &Path, below: &Path) {
        if self.ancestors.iter().any(|a| a == real) {
            self.errors.push((
                named.to_path_buf(),
                "is a symlink loop (it links to a folder that holds it): remove the link".into(),
            ));
            return;
        }
        let entries = match fs::read_dir(real) {
            Ok(e) => e,
            Err(e) => {
                self.errors
                    .push((named.to_path_buf(), format!("cannot read: {e}")));
                return;
            }
        };
        let mut names: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        names.sort();
        self.ancestors.push(real.to_path_buf());
        for name in names {
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let named = named.join(&name);
            let below = below.join(&name);
            // `real` is canonical, so this is too unless it is a link.
            match self.fence.locate_in(real, &name, self.home) {
                Ok(Found::File(p)) => self.files.push((super::slash_path(&below), p)),
                Ok(Found::Dir(p)) => self.dir(&p, &named, &below),
                Ok(Found::Missing) => {}
                Err(m) => self.errors.push((named, m)),
            }
        }
        self.ancestors.pop();
    }
}

/// Names a file type that is neither a regular file nor a folder.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        } else if t.is_socket() {
            return "a socket";
        } else if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
}

/// Opens the canonical path `path` for reading, only if it is a regular
/// file reached without following any symlink: what was checked is what
/// is read. Never blocks on a FIFO.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let file = open_no_follow(path)?;
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ))
    }
}

#[cfg(target_os = "linux")]
fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::ffi::CString;
    use std::os::fd::FromRawFd;
    use std::os::unix::ffi::OsStrExt;
    let c = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))?;
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NONBLOCK | libc::O_NOFOLLOW) as u64;
    how.resolve = libc::RESOLVE_NO_SYMLINKS | libc::RESOLVE_NO_MAGICLINKS;
    // SAFETY: `c` is a valid C string and `how` a valid open_how of the
    // size passed; the returned descriptor is owned by the File.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            libc::AT_FDCWD,
            c.as_ptr(),
            &how as *const libc::open_how,
            std::mem::size_of::<libc::open_how>(),
        )
    };
    if fd >= 0 {
        // SAFETY: a fresh descriptor that nothing else owns.
        return Ok(unsafe { File::from_raw_fd(fd as i32) });
    }
    let e = io::Error::last_os_error();
    // Kernels before 5.6 (or sandboxes) lack openat2: the final component
    // at least is never followed.
    match e.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EPERM) | Some(libc::EINVAL) => open_fallback(path),
        _ => Err(e),
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn open_no_follow(path: &Path) -> io::Result<File> {
    open_fallback(path)
}

#[cfg(unix)]
fn open_fallback(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_and_into_private_areas_are_refused() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("static/sub")).unwrap();
        fs::create_dir_all(site.join("lessons/c")).unwrap();
        fs::create_dir_all(site.join("assets")).unwrap();
        fs::write(site.join("lessons/c/01-a.md"), "paid").unwrap();
        fs::write(site.join("assets/ok.txt"), "fine").unwrap();
        fs::write(tmp.path().join("outside.txt"), "secret").unwrap();
        fs::write(site.join("static/sub/plain.txt"), "plain").unwrap();
        symlink(tmp.path().join("outside.txt"), site.join("static/out.txt")).unwrap();
        symlink("../lessons", site.join("static/src")).unwrap();
        symlink("../assets", site.join("static/assets")).unwrap();
        symlink("..", site.join("static/sub/loop")).unwrap();
        let fence = Fence::new(&site).unwrap();
        let (files, errors) = fence.walk("static", "static");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["assets/ok.txt", "sub/plain.txt"]);
        let bad: Vec<String> = errors
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect();
        assert_eq!(bad, ["static/out.txt", "static/src", "static/sub/loop"]);
        assert!(errors[0].1.contains("outside the site folder"));
        // A lesson may be read as a lesson.
        assert!(
            fence
                .read(Path::new("lessons/c/01-a.md"), "lessons")
                .is_ok()
        );
        assert!(
            fence
                .read(Path::new("static/src/c/01-a.md"), "static")
                .is_err()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_swapped_in_link_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap();
        fs::write(real.join("secret"), "x").unwrap();
        std::os::unix::fs::symlink(real.join("secret"), real.join("link")).unwrap();
        assert!(open_regular(&real.join("link")).is_err());
        assert!(open_regular(&real.join("secret")).is_ok());
    }
}
