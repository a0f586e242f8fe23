//! Every delivery key, derived from the site secret with HKDF-SHA256, and
//! the committed rotation counters that change the offer keys.
//!
//! - content key of course C: HKDF(secret, "kpsite content C")
//! - members key: HKDF(secret, "kpsite members")
//! - offer key of offer O at rotation n: HKDF(secret, "kpsite offer O vN"),
//!   the unlock token; its keystore's name and wrapping key derive from it
//!   (HKDF(K, "kpsite keystore id"), HKDF(K, "kpsite keystore key")), so
//!   the name reveals nothing of the token.
//!
//! Content keys never change on rotation: a new unlock link opens the same
//! published bodies, so rotating one offer touches no other offer.

use std::collections::BTreeMap;
use std::path::Path;

use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::secret::Secret;
use crate::diagnostics::Diagnostic;
use crate::load::yaml;

/// The committed file that records rotations (not secret).
pub const ROTATIONS_FILE: &str = "kpsite-keys.yaml";

pub use crate::model::delivery::{Key, Keys};

/// `kpsite-keys.yaml`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RotationsFile {
    /// Offer id → how many times its key was rotated.
    #[serde(default)]
    rotations: BTreeMap<String, u32>,
}

impl Keys {
    /// Keys from a secret and rotation counters.
    pub fn new(secret: Secret, rotations: BTreeMap<String, u32>) -> Keys {
        Keys { secret, rotations }
    }

    /// The secret and rotations of the site at `root`.
    pub fn load(root: &Path) -> Result<Keys, Diagnostic> {
        let secret = Secret::load(root).map_err(|m| Diagnostic::file("kpsite.yaml", m))?;
        Ok(Keys::new(secret, read_rotations(root)?))
    }

    /// The content key of course `id`.
    pub fn content_key(&self, course: &str) -> Key {
        derive(&self.secret.0, &format!("kpsite content {course}"))
    }

    /// The key of members-only event details.
    pub fn members_key(&self) -> Key {
        derive(&self.secret.0, "kpsite members")
    }

    /// How many times `offer`'s key was rotated.
    pub fn rotation(&self, offer: &str) -> u32 {
        self.rotations.get(offer).copied().unwrap_or(0)
    }

    /// The unlock key of `offer` at its current rotation.
    pub fn offer_key(&self, offer: &str) -> Key {
        let n = self.rotation(offer);
        derive(&self.secret.0, &format!("kpsite offer {offer} v{n}"))
    }
}

/// The public name (32 hex digits) of the sealed copy of the lesson asset
/// `path` (`lessons/c/img/a.png`) for readers of course `course`: derived
/// from the course's content key, so it reveals nothing of the file name.
pub fn asset_id(keys: &Keys, course: &str, path: &str) -> String {
    let id: [u8; 16] = derive_n(&keys.content_key(course), &format!("kpsite asset {path}"));
    crate::util::hex(&id)
}

/// The public name (32 hex digits) of course `course`'s sealed search
/// shard: derived from its content key, so only its buyers can find it.
pub fn search_id(keys: &Keys, course: &str) -> String {
    let id: [u8; 16] = derive_n(&keys.content_key(course), "kpsite search id");
    crate::util::hex(&id)
}

/// The public name of the keystore an offer key opens (32 hex digits).
pub fn keystore_id(offer_key: &Key) -> String {
    let id: [u8; 16] = derive_n(offer_key, "kpsite keystore id");
    crate::util::hex(&id)
}

/// The key that wraps the content keys an offer key grants.
pub fn keystore_key(offer_key: &Key) -> Key {
    derive(offer_key, "kpsite keystore key")
}

/// HKDF-SHA256 with an empty salt (as WebCrypto's HKDF with `salt: []`).
fn derive(ikm: &[u8], info: &str) -> Key {
    derive_n(ikm, info)
}

fn derive_n<const N: usize>(ikm: &[u8], info: &str) -> [u8; N] {
    let mut out = [0u8; N];
    Hkdf::<Sha256>::new(Some(&[]), ikm)
        .expand(info.as_bytes(), &mut out)
        .expect("HKDF-SHA256 gives up to 8160 bytes");
    out
}

/// The rotation counters of the site at `root` (none when the file is absent).
pub fn read_rotations(root: &Path) -> Result<BTreeMap<String, u32>, Diagnostic> {
    let path = root.join(ROTATIONS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => {
            return Err(Diagnostic::file(
                ROTATIONS_FILE,
                format!("cannot read: {e}"),
            ));
        }
    };
    if text.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    let parsed = yaml::parse::<RotationsFile>(Path::new(ROTATIONS_FILE), &text)?;
    Ok(parsed.value.rotations)
}

/// Records one more rotation of `offer` in the site at `root`; returns
/// the new counter. Written beside and renamed, so a killed run leaves the
/// old file whole.
pub fn rotate(root: &Path, offer: &str) -> Result<u32, Diagnostic> {
    // Two rotations at once must not both read the old counter: the
    // read-modify-write runs under a lock (released when `_lock` drops).
    let _lock = lock_rotations(root)?;
    let mut rotations = read_rotations(root)?;
    let n = rotations.entry(offer.to_string()).or_insert(0);
    *n = n
        .checked_add(1)
        .ok_or_else(|| Diagnostic::file(ROTATIONS_FILE, "rotation counter overflow"))?;
    let n = *n;
    let body = serde_yaml::to_string(&RotationsFile { rotations })
        .map_err(|e| Diagnostic::file(ROTATIONS_FILE, e.to_string()))?;
    let text = format!(
        "# Written by `kpsite keys rotate`. Not secret: commit it with the site,\n# so that every build (CI included) derives the same unlock links.\n{body}"
    );
    let tmp = root.join(format!(".{ROTATIONS_FILE}.tmp"));
    let write = || -> std::io::Result<()> {
        std::fs::write(&tmp, &text)?;
        std::fs::rename(&tmp, root.join(ROTATIONS_FILE))
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Diagnostic::file(ROTATIONS_FILE, format!("cannot write: {e}"))
    })?;
    Ok(n)
}

/// The lock file that serializes rotations; hidden and git-ignored by the
/// scaffold's `.*.kpsite-*` pattern.
const ROTATIONS_LOCK: &str = ".kpsite-keys.yaml.kpsite-lock";

/// Takes the rotations lock of the site at `root`, waiting for another
/// `kpsite keys rotate` that holds it.
fn lock_rotations(root: &Path) -> Result<std::fs::File, Diagnostic> {
    let fail = |e: std::io::Error| Diagnostic::file(ROTATIONS_LOCK, format!("cannot lock: {e}"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join(ROTATIONS_LOCK))
        .map_err(fail)?;
    file.lock().map_err(fail)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(rot: &[(&str, u32)]) -> Keys {
        let r = rot.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        Keys::new(Secret([9; 32]), r)
    }

    #[test]
    fn rotation_changes_only_that_offer_key() {
        let before = keys(&[]);
        let after = keys(&[("a", 1)]);
        assert_ne!(before.offer_key("a"), after.offer_key("a"));
        assert_eq!(before.offer_key("b"), after.offer_key("b"));
        assert_eq!(before.content_key("a"), after.content_key("a"));
        assert_ne!(before.content_key("a"), before.content_key("b"));
        assert_ne!(before.offer_key("a"), before.content_key("a"));
        assert_ne!(
            keystore_id(&before.offer_key("a")),
            keystore_id(&after.offer_key("a"))
        );
    }

    #[test]
    fn rotate_counts_up_and_keeps_other_offers() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(rotate(dir.path(), "a").unwrap(), 1);
        assert_eq!(rotate(dir.path(), "b").unwrap(), 1);
        assert_eq!(rotate(dir.path(), "a").unwrap(), 2);
        let r = read_rotations(dir.path()).unwrap();
        assert_eq!(r.get("a"), Some(&2));
        assert_eq!(r.get("b"), Some(&1));
    }

    #[test]
    fn a_broken_rotations_file_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(ROTATIONS_FILE),
            "rotations:\n  a: 1\nrotatoins: {}\n",
        )
        .unwrap();
        let e = read_rotations(dir.path()).unwrap_err().to_string();
        assert!(e.contains("kpsite-keys.yaml:3"), "{e}");
    }
}
