//! AES-256-GCM with a deterministic, SIV-like nonce: the nonce is the first
//! 12 bytes of HMAC-SHA256(nonce key, aad length ‖ aad ‖ plaintext), where
//! the nonce key is HKDF(key, "kpsite nonce"). The same page and text give
//! the same bytes (reproducible builds); a different text or place gives a
//! different nonce, so no nonce is reused for different plaintexts (short
//! of a 96-bit HMAC collision). The price: equal plaintexts at the same
//! place are visibly equal, which a rebuild shows anyway.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::keys::Key;

/// Encrypts `plaintext` under `key`, bound to `aad` (where it is
/// published); returns base64 of nonce ‖ ciphertext ‖ tag.
pub fn seal(key: &Key, aad: &str, plaintext: &[u8]) -> String {
    STANDARD.encode(seal_bytes(key, aad, plaintext))
}

/// [`seal`] as raw bytes (nonce ‖ ciphertext ‖ tag), for files published
/// on their own (lesson assets), where base64 would only add a third.
pub fn seal_bytes(key: &Key, aad: &str, plaintext: &[u8]) -> Vec<u8> {
    let nonce = nonce(key, aad, plaintext);
    let cipher = Aes256Gcm::new_from_slice(key).expect("32-byte key");
    let ct = cipher
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .expect("AES-GCM encrypts any length a page can have");
    let mut out = Vec::with_capacity(12 + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

/// Decrypts what [`seal`] wrote; `None` for a wrong key, place or text.
pub fn open(key: &Key, aad: &str, sealed: &str) -> Option<Vec<u8>> {
    open_bytes(key, aad, &STANDARD.decode(sealed.trim()).ok()?)
}

/// Decrypts what [`seal_bytes`] wrote; `None` for a wrong key, place or text.
pub fn open_bytes(key: &Key, aad: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() < 12 + 16 {
        return None;
    }
    let (nonce, ct) = bytes.split_at(12);
    let nonce: [u8; 12] = nonce.try_into().ok()?;
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: ct,
                aad: aad.as_bytes(),
            },
        )
        .ok()
}

fn nonce(key: &Key, aad: &str, plaintext: &[u8]) -> [u8; 12] {
    let mut nonce_key = [0u8; 32];
    hkdf::Hkdf::<Sha256>::new(Some(&[]), key)
        .expand(b"kpsite nonce", &mut nonce_key)
        .expect("32 bytes");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&nonce_key).expect("any key length");
    mac.update(&(aad.len() as u64).to_be_bytes());
    mac.update(aad.as_bytes());
    mac.update(plaintext);
    let tag = mac.finalize().into_bytes();
    let mut n = [0u8; 12];
    n.copy_from_slice(&tag[..12]);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let k = [3u8; 32];
        let s = seal(&k, "a/index.html", b"hello");
        assert_eq!(open(&k, "a/index.html", &s).as_deref(), Some(&b"hello"[..]));
        assert_eq!(open(&[4u8; 32], "a/index.html", &s), None, "another key");
        assert_eq!(open(&k, "b/index.html", &s), None, "another place");
        assert_eq!(open(&k, "a/index.html", "AAAA"), None, "too short");
    }

    #[test]
    fn deterministic_without_nonce_reuse() {
        let k = [3u8; 32];
        assert_eq!(seal(&k, "p", b"one"), seal(&k, "p", b"one"));
        let n = |aad: &str, t: &[u8]| STANDARD.decode(seal(&k, aad, t)).unwrap()[..12].to_vec();
        assert_ne!(n("p", b"one"), n("p", b"two"));
        assert_ne!(n("p", b"one"), n("q", b"one"));
        // The length prefix keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(n("ab", b"c"), n("a", b"bc"));
    }
}
