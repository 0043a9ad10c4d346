//! Per-field encryption of identifying data and keyed blind indexes.
//!
//! Each value is sealed with XChaCha20-Poly1305 under the active key; the
//! table, column and record id are bound in as associated data, so a
//! ciphertext copied onto another record or column fails to open. The key id
//! travels with the ciphertext, so keys can be rotated and old backups still
//! open while the old key stays in the key file.
//!
//! Layout: `[1 (format)] [key id: u32 BE] [nonce: 24 bytes] [ciphertext + tag]`.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use zeroize::Zeroizing;

const FORMAT: u8 = 1;
const HEADER: usize = 1 + 4 + 24;

#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error("cannot read key file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot write key file {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("key file {path} is not a valid rightsdesk key file: {reason}")]
    Invalid { path: String, reason: String },
    #[error(
        "the value was encrypted with key {0}, which is not in the key file (restore the key file that was in use)"
    )]
    UnknownKey(u32),
    #[error("the value does not open with its key: it was altered, moved to another record, or the key file is wrong")]
    Tampered,
    #[error("the value is not in rightsdesk's ciphertext format")]
    Malformed,
}

/// Where a value lives; bound into its ciphertext.
#[derive(Debug, Clone, Copy)]
pub struct FieldRef<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub record_id: i64,
}

impl FieldRef<'_> {
    fn aad(&self) -> Vec<u8> {
        format!("rightsdesk\0{}\0{}\0{}", self.table, self.column, self.record_id).into_bytes()
    }
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    format: u32,
    active: u32,
    keys: Vec<KeyEntry>,
    /// HMAC key of the blind indexes. Not rotated with the encryption keys:
    /// rotating it would mean recomputing every index from the clear text.
    blind_index_key: String,
}

#[derive(Serialize, Deserialize)]
struct KeyEntry {
    id: u32,
    key: String,
    created: String,
}

/// The encryption keys of an installation.
pub struct Keyring {
    active: u32,
    keys: BTreeMap<u32, Zeroizing<[u8; 32]>>,
    created: BTreeMap<u32, String>,
    blind_key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("Keyring").field("active", &self.active).field("key_ids", &self.key_ids()).finish()
    }
}

fn random_key() -> Zeroizing<[u8; 32]> {
    let mut k = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(k.as_mut());
    k
}

fn decode_key(path: &str, s: &str) -> Result<Zeroizing<[u8; 32]>, KeyringError> {
    let bytes = Zeroizing::new(
        B64.decode(s.trim())
            .map_err(|e| KeyringError::Invalid { path: path.into(), reason: format!("bad base64: {e}") })?,
    );
    let arr: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| KeyringError::Invalid { path: path.into(), reason: "a key is not 32 bytes".into() })?;
    Ok(Zeroizing::new(arr))
}

impl Keyring {
    /// A new keyring with one random key (not yet written anywhere).
    pub fn generate(created: &str) -> Self {
        let mut keys = BTreeMap::new();
        keys.insert(1, random_key());
        let mut c = BTreeMap::new();
        c.insert(1, created.to_string());
        Keyring { active: 1, keys, created: c, blind_key: random_key() }
    }

    pub fn active_key_id(&self) -> u32 {
        self.active
    }

    pub fn key_ids(&self) -> Vec<u32> {
        self.keys.keys().copied().collect()
    }

    /// Reads a key file.
    pub fn load(path: &Path) -> Result<Self, KeyringError> {
        let p = path.display().to_string();
        let text = Zeroizing::new(
            std::fs::read_to_string(path).map_err(|source| KeyringError::Read { path: p.clone(), source })?,
        );
        let file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| KeyringError::Invalid { path: p.clone(), reason: e.to_string() })?;
        if file.format != 1 {
            return Err(KeyringError::Invalid { path: p, reason: format!("unknown format {}", file.format) });
        }
        let mut keys = BTreeMap::new();
        let mut created = BTreeMap::new();
        for k in &file.keys {
            keys.insert(k.id, decode_key(&p, &k.key)?);
            created.insert(k.id, k.created.clone());
        }
        if !keys.contains_key(&file.active) {
            return Err(KeyringError::Invalid { path: p, reason: "the active key is missing".into() });
        }
        let blind_key = decode_key(&p, &file.blind_index_key)?;
        Ok(Keyring { active: file.active, keys, created, blind_key })
    }

    /// Loads the key file, or creates it (mode 0600) when it does not exist.
    /// Returns whether it was created, so the caller can warn to back it up.
    pub fn load_or_create(path: &Path, created: &str) -> Result<(Self, bool), KeyringError> {
        if path.exists() {
            return Ok((Self::load(path)?, false));
        }
        let ring = Self::generate(created);
        ring.save(path)?;
        Ok((ring, true))
    }

    /// Writes the key file atomically with mode 0600.
    pub fn save(&self, path: &Path) -> Result<(), KeyringError> {
        let p = path.display().to_string();
        let file = KeyFile {
            format: 1,
            active: self.active,
            keys: self
                .keys
                .iter()
                .map(|(id, k)| KeyEntry {
                    id: *id,
                    key: B64.encode(k.as_ref()),
                    created: self.created.get(id).cloned().unwrap_or_default(),
                })
                .collect(),
            blind_index_key: B64.encode(self.blind_key.as_ref()),
        };
        let text = Zeroizing::new(serde_json::to_string_pretty(&file).expect("key file serializes"));
        let tmp = path.with_extension("tmp");
        let write = || -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // A leftover temp file could have looser permissions: start afresh.
            let _ = std::fs::remove_file(&tmp);
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|source| KeyringError::Write { path: p, source })
    }

    /// Adds a new key and makes it the active one. Old keys stay so that
    /// existing ciphertexts and backups keep opening.
    pub fn rotate(&mut self, created: &str) -> u32 {
        let id = self.keys.keys().max().copied().unwrap_or(0) + 1;
        self.keys.insert(id, random_key());
        self.created.insert(id, created.to_string());
        self.active = id;
        id
    }

    pub fn encrypt(&self, at: FieldRef<'_>, plaintext: &[u8]) -> Vec<u8> {
        let key = &self.keys[&self.active];
        let cipher = XChaCha20Poly1305::new(key.as_ref().into());
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = at.aad();
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: &aad })
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
        let mut out = Vec::with_capacity(HEADER + sealed.len());
        out.push(FORMAT);
        out.extend_from_slice(&self.active.to_be_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    pub fn decrypt(&self, at: FieldRef<'_>, data: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyringError> {
        if data.len() < HEADER + 16 || data[0] != FORMAT {
            return Err(KeyringError::Malformed);
        }
        let key_id = Self::key_id_of(data).ok_or(KeyringError::Malformed)?;
        let key = self.keys.get(&key_id).ok_or(KeyringError::UnknownKey(key_id))?;
        let cipher = XChaCha20Poly1305::new(key.as_ref().into());
        let aad = at.aad();
        cipher
            .decrypt(XNonce::from_slice(&data[5..HEADER]), Payload { msg: &data[HEADER..], aad: &aad })
            .map(Zeroizing::new)
            .map_err(|_| KeyringError::Tampered)
    }

    pub fn encrypt_str(&self, at: FieldRef<'_>, plaintext: &str) -> Vec<u8> {
        self.encrypt(at, plaintext.as_bytes())
    }

    pub fn decrypt_string(&self, at: FieldRef<'_>, data: &[u8]) -> Result<String, KeyringError> {
        let bytes = self.decrypt(at, data)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| KeyringError::Malformed)
    }

    /// The key with this id, for the file sealing in [`crate::file`].
    pub(crate) fn key(&self, id: u32) -> Result<&[u8; 32], KeyringError> {
        self.keys.get(&id).map(|k| &**k).ok_or(KeyringError::UnknownKey(id))
    }

    /// Which key sealed a ciphertext.
    pub fn key_id_of(data: &[u8]) -> Option<u32> {
        data.get(1..5).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Re-seals a value under the active key (for `rightsdesk key rotate`).
    pub fn reencrypt(&self, at: FieldRef<'_>, data: &[u8]) -> Result<Vec<u8>, KeyringError> {
        let clear = self.decrypt(at, data)?;
        Ok(self.encrypt(at, &clear))
    }

    /// Keyed hash of already-normalized text, for equality lookups on an
    /// encrypted field without storing the text. `purpose` separates indexes
    /// (a name and a phone number never collide).
    pub fn blind_index(&self, purpose: &str, normalized: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.blind_key.as_ref()).expect("HMAC takes any key size");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(normalized.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: FieldRef<'static> = FieldRef { table: "persons", column: "name", record_id: 7 };

    #[test]
    fn round_trip_and_binding() {
        let ring = Keyring::generate("2026-11-28");
        let c = ring.encrypt_str(AT, "Sok Dara");
        assert_eq!(ring.decrypt_string(AT, &c).unwrap(), "Sok Dara");
        assert!(!c.windows(8).any(|w| w == b"Sok Dara"));
        let other_record = FieldRef { record_id: 8, ..AT };
        assert!(matches!(ring.decrypt(other_record, &c), Err(KeyringError::Tampered)));
        let other_col = FieldRef { column: "alias", ..AT };
        assert!(matches!(ring.decrypt(other_col, &c), Err(KeyringError::Tampered)));
        let mut flipped = c.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(matches!(ring.decrypt(AT, &flipped), Err(KeyringError::Tampered)));
        assert!(matches!(ring.decrypt(AT, b"short"), Err(KeyringError::Malformed)));
    }

    #[test]
    fn file_round_trip_rotation_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let (mut ring, created) = Keyring::load_or_create(&path, "day1").unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let old = ring.encrypt_str(AT, "secret");
        let bi = ring.blind_index("name", "sok dara");
        assert_eq!(ring.rotate("day2"), 2);
        ring.save(&path).unwrap();
        let (ring2, created) = Keyring::load_or_create(&path, "day3").unwrap();
        assert!(!created);
        assert_eq!(ring2.active_key_id(), 2);
        assert_eq!(ring2.decrypt_string(AT, &old).unwrap(), "secret");
        let new = ring2.reencrypt(AT, &old).unwrap();
        assert_eq!(Keyring::key_id_of(&new), Some(2));
        assert_eq!(ring2.blind_index("name", "sok dara"), bi);
        assert_ne!(ring2.blind_index("phone", "sok dara"), bi);
        // A keyring without key 1 cannot open old values, and says why.
        let fresh = Keyring::generate("x");
        assert!(matches!(fresh.decrypt(AT, &new), Err(KeyringError::UnknownKey(2))));
    }

    #[test]
    fn bad_key_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(matches!(Keyring::load(&path), Err(KeyringError::Invalid { .. })));
    }
}
