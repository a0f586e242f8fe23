//! The site secret: 32 random bytes every delivery key derives from. Read
//! from `KPSITE_SECRET` or `.kpsite/secret`; never created here, never
//! printed (its `Debug` is redacted).

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// The environment variable that holds the secret (CI builds).
pub const ENV: &str = "KPSITE_SECRET";
/// Where the secret lives in the site folder (git-ignored).
pub const FILE: &str = ".kpsite/secret";
/// How to create a secret, for error messages.
pub const HOW_TO_CREATE: &str = "create one with `mkdir -p .kpsite && head -c 32 /dev/urandom | base64 > .kpsite/secret` in the site folder (keep it out of git, back it up: losing it locks out every past buyer), or set KPSITE_SECRET";

pub use crate::model::delivery::Secret;

impl Secret {
    /// Parses a secret written as 64 hex digits or as base64 (standard or
    /// URL-safe, padded or not) of exactly 32 bytes. Anything else (a
    /// passphrase, a shorter key) is refused: keys need full entropy.
    pub fn parse(text: &str) -> Result<Secret, String> {
        let t = text.trim();
        let bytes = if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Some(decode_hex(t))
        } else {
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                .iter()
                .find_map(|e| e.decode(t).ok())
        };
        match bytes.map(<[u8; 32]>::try_from) {
            Some(Ok(b)) => Ok(Secret(b)),
            Some(Err(v)) => Err(format!(
                "the site secret decodes to {} bytes; it must be exactly 32 random bytes",
                v.len()
            )),
            None => Err(
                "the site secret is not 32 bytes written as base64 or hex (a passphrase is not accepted)"
                    .into(),
            ),
        }
    }

    /// Reads the secret of the site at `root`: `KPSITE_SECRET` when set
    /// (not empty), else `.kpsite/secret`. The error says how to fix it.
    pub fn load(root: &Path) -> Result<Secret, String> {
        if let Some(v) = std::env::var_os(ENV).filter(|v| !v.is_empty()) {
            let v = v
                .into_string()
                .map_err(|_| format!("{ENV} is not valid text"))?;
            return Secret::parse(&v).map_err(|m| format!("{ENV}: {m}; {HOW_TO_CREATE}"));
        }
        let path = root.join(FILE);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if !m.is_file() => {
                return Err(format!("{FILE} is not a regular file; {HOW_TO_CREATE}"));
            }
            Ok(m) if m.len() > 1024 => {
                return Err(format!(
                    "{FILE} is too large to be a secret; {HOW_TO_CREATE}"
                ));
            }
            Ok(_) => {}
            Err(_) => {
                return Err(format!(
                    "`delivery: encrypted` needs the site secret, found neither {ENV} nor {FILE}; {HOW_TO_CREATE}"
                ));
            }
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {FILE}: {e}; {HOW_TO_CREATE}"))?;
        Secret::parse(&text).map_err(|m| format!("{FILE}: {m}; {HOW_TO_CREATE}"))
    }
}

/// Creates `.kpsite/secret` in the site at `root` with 32 fresh random
/// bytes (base64), readable by its owner only. Never replaces a secret:
/// returns `Ok(false)` when one exists (replacing it would lock out every
/// past buyer).
pub fn create(root: &Path) -> Result<bool, String> {
    let path = root.join(FILE);
    if std::fs::symlink_metadata(&path).is_ok() {
        return Ok(false);
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random bytes from the system: {e}"))?;
    let dir = root.join(".kpsite");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = match options.open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    use std::io::Write;
    file.write_all(format!("{}\n", STANDARD.encode(bytes)).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(true)
}

fn decode_hex(t: &str) -> Vec<u8> {
    t.as_bytes()
        .chunks(2)
        .map(|p| {
            let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            digit(p[0]) << 4 | digit(p[1])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_hex_and_every_base64_form() {
        let raw = [7u8; 32];
        let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        for text in [
            hex.clone(),
            hex.to_uppercase(),
            STANDARD.encode(raw),
            URL_SAFE_NO_PAD.encode(raw),
            format!("  {}\n", STANDARD.encode(raw)),
        ] {
            assert_eq!(Secret::parse(&text).map(|s| s.0), Ok(raw), "{text}");
        }
        let odd = [0xfbu8; 32];
        assert_eq!(Secret::parse(&URL_SAFE.encode(odd)).map(|s| s.0), Ok(odd));
    }

    #[test]
    fn refuses_passphrases_and_short_keys() {
        for text in [
            "",
            "correct horse battery staple",
            &STANDARD.encode([1u8; 16]),
            &"ab".repeat(31),
        ] {
            assert!(Secret::parse(text).is_err(), "{text:?}");
        }
        let long = STANDARD.encode([1u8; 33]);
        assert!(Secret::parse(&long).unwrap_err().contains("33 bytes"));
    }

    #[test]
    fn create_writes_a_private_secret_once() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(create(dir.path()), Ok(true));
        let first = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(Secret::parse(&first).is_ok(), "{first}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(create(dir.path()), Ok(false), "never replaced");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(FILE)).unwrap(),
            first
        );
        let other = tempfile::tempdir().unwrap();
        create(other.path()).unwrap();
        assert_ne!(
            std::fs::read_to_string(other.path().join(FILE)).unwrap(),
            first,
            "random"
        );
    }

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = Secret([0x41; 32]);
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
    }
}
