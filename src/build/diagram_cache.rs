//! The drawn-diagram cache: `.kpsite/cache/diagrams.json` in the site
//! folder keeps the SVG of every mermaid diagram the last build used, so
//! the next build (or `check`, or `serve`'s first render) draws only the
//! diagrams that are new or changed. Drawing is the slow part of a build
//! with diagrams (about 15 ms a flowchart); reading 1 000 drawings back
//! and checking them is lost in the noise of the bench's builds (README,
//! "Diagrams").
//!
//! Trust rules, as for every input: the file is read only from inside the
//! site folder, without following a symlink anywhere below it; every SVG
//! in it is checked to be the kind of SVG the renderer writes (its
//! elements, no event handlers, no link or `url()` leaving the drawing);
//! one bad entry and the whole file is set aside with a warning, and every
//! diagram is drawn again. It is written only by `kpsite build` (and by
//! `serve` after it drew a new diagram), into kpsite's own
//! `.kpsite/cache/` folder, by writing a new file beside it and renaming
//! it over the old one, so a killed build leaves the old cache or the new
//! one, never half of one. A failure to save is a warning: the build
//! itself has already succeeded.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use html5tokenizer::{NaiveParser, Token};
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::fence::open_regular;
use crate::markdown::mermaid::{self, Key};
use crate::util::hex;

/// The cache, relative to the site folder.
pub const FILE: &str = ".kpsite/cache/diagrams.json";

/// Largest cache read: 4 096 diagrams (the memo's size) of 16 KB each.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The file's form.
#[derive(Serialize, Deserialize)]
struct CacheFile {
    /// [`mermaid::fingerprint`] of the build that wrote it.
    renderer: String,
    /// The SVG of each diagram, by the hex SHA-256 of its source.
    diagrams: BTreeMap<String, String>,
}

/// Hands the drawings in the cache of the site at `dir` to the mermaid
/// memo, once per process (`serve` renders the whole site again after
/// some edits; the memo already holds what the cache held). A cache
/// written by another renderer or theme is skipped quietly; one that
/// cannot be read or fails a check is a warning.
pub fn seed(dir: &Path, warnings: &mut Diagnostics) {
    static SEEDED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    {
        let mut seeded = SEEDED.lock().unwrap_or_else(PoisonError::into_inner);
        if seeded.contains(&root) {
            return;
        }
        seeded.push(root);
    }
    match read(dir) {
        Ok(Some(drawings)) => mermaid::seed(drawings),
        Ok(None) => {}
        Err(why) => warnings.push(
            Diagnostic::file(
                FILE,
                format!(
                    "{why}; every diagram is drawn again (delete the file to start a new cache)"
                ),
            )
            .warning(),
        ),
    }
}

/// The drawings of the cache at `dir`, `None` when there is none or it
/// was made under another fingerprint, or why it was set aside.
fn read(dir: &Path) -> Result<Option<Vec<(Key, String)>>, String> {
    let root = dir.canonicalize().map_err(|e| e.to_string())?;
    let mut file = match open_regular(&root.join(FILE)) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "cannot be read ({e}; a symlink is never followed here)"
            ));
        }
    };
    let mut text = String::new();
    Read::by_ref(&mut file)
        .take(MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot be read ({e})"))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(format!("is over {} MB", MAX_BYTES / 1024 / 1024));
    }
    let cache: CacheFile =
        serde_json::from_str(&text).map_err(|e| format!("is not a diagram cache ({e})"))?;
    if cache.renderer != mermaid::fingerprint() {
        return Ok(None);
    }
    let mut drawings = Vec::with_capacity(cache.diagrams.len());
    for (hex, svg) in cache.diagrams {
        let key = key_from_hex(&hex).ok_or_else(|| format!("has a bad key `{hex}`"))?;
        if let Err(why) = looks_drawn(&svg) {
            return Err(format!(
                "holds a drawing that is not one kpsite made ({why})"
            ));
        }
        drawings.push((key, svg));
    }
    Ok(Some(drawings))
}

/// Writes the diagrams this process drew or reused into the cache of the
/// site at `dir`, replacing the old cache (diagrams no page uses any more
/// drop out). Nothing is written when no page has a diagram and there is
/// no cache yet, and a file there that is not a cache kpsite can read is
/// never replaced.
pub fn save(dir: &Path) -> Result<(), String> {
    let drawings = mermaid::used_drawings();
    let root = dir.canonicalize().map_err(|e| e.to_string())?;
    let target = root.join(FILE);
    if fs::symlink_metadata(&target).is_err() {
        if drawings.is_empty() {
            return Ok(());
        }
    } else if let Err(why) = read(dir) {
        // Not a cache this kpsite can read back: it may be someone's file,
        // so it is left as it is (the seed warning said how to clear it).
        return Err(format!("it was kept as it is: it {why}"));
    }
    let cache = CacheFile {
        renderer: mermaid::fingerprint(),
        diagrams: drawings
            .into_iter()
            .map(|(key, svg)| (hex(&key), svg))
            .collect(),
    };
    let text = serde_json::to_string(&cache).map_err(|e| e.to_string())?;
    let folder = own_folder(&root)?;
    replace(&folder, &target, text.as_bytes())
        .map_err(|e| format!("the diagram cache was not saved ({e})"))
}

/// `.kpsite/cache` in `root`, made if missing. Refuses a symlink or a
/// file in the way: the cache is written only into real folders of the
/// site.
fn own_folder(root: &Path) -> Result<PathBuf, String> {
    let mut folder = root.to_path_buf();
    for part in [".kpsite", "cache"] {
        folder.push(part);
        match fs::symlink_metadata(&folder) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(format!(
                    "{}: not a folder (a symlink or a file is in the way); the diagram cache was not saved",
                    folder.display()
                ));
            }
            Err(_) => fs::create_dir(&folder).map_err(|e| {
                format!("{}: {e}; the diagram cache was not saved", folder.display())
            })?,
        }
    }
    Ok(folder)
}

/// Writes `bytes` to a new file in `folder` and renames it onto `target`.
fn replace(folder: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    remove_stale_temps(folder);
    let temp = folder.join(format!(".diagrams.json.{}.tmp", std::process::id()));
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
    let renamed = written.and_then(|()| fs::rename(&temp, target));
    if renamed.is_err() {
        let _ = fs::remove_file(&temp);
    }
    renamed
}

/// A save takes well under a second; a temp file of [`replace`]'s naming
/// older than this was left by a killed build.
const STALE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the temp files of killed saves from `folder`: only names
/// [`replace`] writes (`.diagrams.json.<digits>.tmp`), only regular files,
/// only when older than [`STALE`] (a running build's is never touched).
fn remove_stale_temps(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_ours = name
            .to_str()
            .and_then(|n| n.strip_prefix(".diagrams.json.")?.strip_suffix(".tmp"))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        let stale = entry.metadata().is_ok_and(|m| {
            m.is_file()
                && m.modified()
                    .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE))
        });
        if is_ours && stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Elements mermaid-rs-renderer writes (HTML tokenizers lowercase names).
const ELEMENTS: &[&str] = &[
    "svg", "g", "defs", "marker", "path", "rect", "line", "polyline", "polygon", "circle",
    "ellipse", "text", "tspan", "title", "desc", "clippath",
];

/// Whether `svg` is the kind of drawing the renderer makes: one `<svg>`
/// of [`ELEMENTS`], no event handler attribute, no link or `url()` that
/// leaves the drawing. Else which part is not.
fn looks_drawn(svg: &str) -> Result<(), String> {
    if !svg.starts_with("<svg ") || !svg.ends_with("</svg>") {
        return Err("not one <svg> element".into());
    }
    for token in NaiveParser::new(svg).flatten() {
        match token {
            Token::StartTag(tag) => {
                if !ELEMENTS.contains(&tag.name.as_str()) {
                    return Err(format!("a <{}> element", tag.name));
                }
                for attr in &tag.attributes {
                    let (name, value) = (attr.name(), attr.value().to_ascii_lowercase());
                    let outward = value.contains("url(") && !value.contains("url(#")
                        || name.ends_with("href") && !value.starts_with('#')
                        || value.contains("javascript:");
                    if name.starts_with("on") || outward {
                        return Err(format!("a `{name}` attribute"));
                    }
                }
            }
            Token::EndTag(_) | Token::Char(_) | Token::EndOfFile => {}
            _ => return Err("a comment or doctype".into()),
        }
    }
    Ok(())
}

fn key_from_hex(hex: &str) -> Option<Key> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_bad_ones_are_refused() {
        let key = mermaid::key_of("flowchart LR\n A --> B\n");
        assert_eq!(key_from_hex(&hex(&key)), Some(key));
        for bad in ["", "zz", &"g".repeat(64), &"é".repeat(32)] {
            assert_eq!(key_from_hex(bad), None, "{bad}");
        }
    }

    /// Only kpsite's own leftovers go, and only old ones.
    #[test]
    fn stale_temp_files_of_killed_saves_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - 2 * STALE;
        let make = |name: &str, aged: bool| {
            let path = dir.path().join(name);
            let f = fs::File::create(&path).unwrap();
            if aged {
                f.set_modified(old).unwrap();
            }
            path
        };
        let stale = make(".diagrams.json.4242.tmp", true);
        let running = make(".diagrams.json.4343.tmp", false);
        let not_ours = make(".diagrams.json.notes.tmp", true);
        let other = make("notes.txt", true);
        remove_stale_temps(dir.path());
        assert!(!stale.exists());
        for kept in [running, not_ours, other] {
            assert!(kept.exists(), "{}", kept.display());
        }
    }

    /// What the renderer draws passes; each kind of injection is caught
    /// (the positive controls of the check).
    #[test]
    fn only_drawings_like_the_renderers_pass() {
        let real = crate::markdown::mermaid::draw_for_test("flowchart LR\n  A[a on=b] --> B\n");
        assert_eq!(looks_drawn(&real), Ok(()));
        for bad in [
            "<svg x=\"1\"><script>alert(1)</script></svg>",
            "<svg x=\"1\"><g onclick=\"alert(1)\"></g></svg>",
            "<svg x=\"1\"><foreignObject><div/></foreignObject></svg>",
            "<svg x=\"1\"><a href=\"https://evil.example\"><text>x</text></a></svg>",
            "<svg x=\"1\"><rect style=\"fill:url(https://evil.example/x)\"/></svg>",
            "<svg x=\"1\"><path marker-end=\"url(HTTPS://evil.example/m)\"/></svg>",
            "<svg x=\"1\"><!-- x --></svg>",
            "<p>not svg</p>",
            "<svg x=\"1\"></svg><svg x=\"1\"></svg><img src=x onerror=alert(1)>",
        ] {
            assert!(looks_drawn(bad).is_err(), "{bad}");
        }
    }
}
