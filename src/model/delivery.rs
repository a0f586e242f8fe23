//! How paid lessons reach buyers (the `delivery` setting) and the key
//! material it carries. The types live here, in the model, because the
//! validated site holds them; deriving keys, reading the secret and the
//! rotations file, and sealing are `crate::delivery`'s (its `impl` blocks).

use std::collections::BTreeMap;

/// A 32-byte key.
pub type Key = [u8; 32];

/// 32 bytes of full entropy.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub(crate) [u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The keys of one site: its secret and the rotation of each offer.
#[derive(Clone)]
pub struct Keys {
    pub(crate) secret: Secret,
    pub(crate) rotations: BTreeMap<String, u32>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("secret", &self.secret)
            .field("rotations", &self.rotations)
            .finish()
    }
}

/// How paid lessons reach buyers.
#[derive(Debug, Clone, Default)]
pub enum Delivery {
    /// Paid bodies are left out of the public site (the `--members` build
    /// carries them, for a host behind access control).
    #[default]
    Hidden,
    /// Paid bodies are published encrypted; unlock links open them.
    Encrypted(Keys),
}

impl Delivery {
    /// The keys, when the site publishes encrypted bodies.
    pub fn keys(&self) -> Option<&Keys> {
        match self {
            Delivery::Hidden => None,
            Delivery::Encrypted(k) => Some(k),
        }
    }
}
