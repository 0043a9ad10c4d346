//! Evidence files at rest (issue 14). A stolen disk or backup must not give
//! away a witness's photo while the database around it keeps names sealed,
//! so every stored file is sealed with the active field key.
//!
//! Files are streamed in and out (uploads up to the size limit, downloads to
//! slow links), so the sealing is chunked: XChaCha20-Poly1305 in the STREAM
//! construction (Hoang, Reyhanitabar, Rogaway and Vizár, "Online
//! authenticated-encryption and its nonce-reuse misuse-resistance", as in
//! the `aead` crate). Every chunk is authenticated with its position, and
//! the last one is marked as last, so an altered, reordered, cut or
//! lengthened file fails to open.
//!
//! Layout: `"RDF1"`, the key id (u32, big-endian), a 19-byte random nonce
//! prefix; then chunks of [`CHUNK`] bytes of plaintext plus a 16-byte tag,
//! the last one shorter (or empty) and sealed as last. Each chunk's
//! associated data is the header. The file is still named by the SHA-256 of
//! its plaintext, which the pages check again on every download and check.

use crate::field::{Keyring, KeyringError};
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use rand::RngCore;

const MAGIC: &[u8; 4] = b"RDF1";
/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const NONCE_PREFIX: usize = 19;
/// Bytes before the first chunk.
pub const SEALED_HEADER_LEN: usize = 4 + 4 + NONCE_PREFIX;

/// Whether stored bytes begin like a sealed file (files stored before
/// sealing existed are plaintext and are sealed by the start-up migration).
pub fn is_sealed_file(first_bytes: &[u8]) -> bool {
    first_bytes.starts_with(MAGIC)
}

/// Seals a file as it is written: feed plaintext to [`FileSealer::update`]
/// and write what it returns, then write what [`FileSealer::finish`] returns.
pub struct FileSealer {
    /// `None` once finished.
    encryptor: Option<EncryptorBE32<XChaCha20Poly1305>>,
    header: Vec<u8>,
    pending: Vec<u8>,
}

impl FileSealer {
    /// The header, to be written first.
    pub fn header(&self) -> &[u8] {
        &self.header
    }

    /// Seals every whole chunk that is ready; keeps the rest (at least one
    /// byte stays back unless nothing was given, so the last chunk is
    /// always sealed by `finish`).
    pub fn update(&mut self, data: &[u8]) -> Vec<u8> {
        self.pending.extend_from_slice(data);
        let mut out = Vec::new();
        let mut taken = 0;
        while self.pending.len() - taken > CHUNK {
            let chunk = &self.pending[taken..taken + CHUNK];
            let sealed = self
                .encryptor
                .as_mut()
                .expect("update after finish")
                .encrypt_next(Payload { msg: chunk, aad: &self.header })
                .expect("a file of fewer than 2^32 chunks seals");
            out.extend_from_slice(&sealed);
            taken += CHUNK;
        }
        self.pending.drain(..taken);
        out
    }

    /// Seals the last chunk (once; nothing more after it).
    pub fn finish(&mut self) -> Vec<u8> {
        let Some(encryptor) = self.encryptor.take() else { return Vec::new() };
        let last = std::mem::take(&mut self.pending);
        encryptor.encrypt_last(Payload { msg: &last, aad: &self.header }).expect("the last chunk seals")
    }
}

/// Opens a sealed file as it is read: create it from the header, feed the
/// rest to [`FileOpener::update`], and end with [`FileOpener::finish`]. Any
/// plaintext returned before `finish` succeeds is only known to be
/// authentic chunk by chunk: the file as a whole is authentic only once
/// `finish` has succeeded.
pub struct FileOpener {
    decryptor: DecryptorBE32<XChaCha20Poly1305>,
    header: Vec<u8>,
    pending: Vec<u8>,
}

impl FileOpener {
    /// Opens every whole chunk that is ready (the last one is kept back: a
    /// chunk is the last only when nothing follows it).
    pub fn update(&mut self, data: &[u8]) -> Result<Vec<u8>, KeyringError> {
        self.pending.extend_from_slice(data);
        let mut out = Vec::new();
        let mut taken = 0;
        while self.pending.len() - taken > CHUNK + TAG {
            let chunk = &self.pending[taken..taken + CHUNK + TAG];
            let clear = self
                .decryptor
                .decrypt_next(Payload { msg: chunk, aad: &self.header })
                .map_err(|_| KeyringError::Tampered)?;
            out.extend_from_slice(&clear);
            taken += CHUNK + TAG;
        }
        self.pending.drain(..taken);
        Ok(out)
    }

    /// Opens the last chunk: an error when the file was cut, lengthened or
    /// altered.
    pub fn finish(self) -> Result<Vec<u8>, KeyringError> {
        if self.pending.len() < TAG {
            return Err(KeyringError::Tampered);
        }
        self.decryptor
            .decrypt_last(Payload { msg: &self.pending, aad: &self.header })
            .map_err(|_| KeyringError::Tampered)
    }
}

impl Keyring {
    /// A sealer under the active key, with a fresh nonce.
    pub fn file_sealer(&self) -> FileSealer {
        let id = self.active_key_id();
        let mut prefix = [0u8; NONCE_PREFIX];
        rand::rngs::OsRng.fill_bytes(&mut prefix);
        let mut header = Vec::with_capacity(SEALED_HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&id.to_be_bytes());
        header.extend_from_slice(&prefix);
        let key = self.key(id).expect("the active key is in the keyring");
        let cipher = XChaCha20Poly1305::new(key.into());
        FileSealer { encryptor: Some(EncryptorBE32::from_aead(cipher, (&prefix).into())), header, pending: Vec::new() }
    }

    /// An opener for a sealed file whose first [`SEALED_HEADER_LEN`] bytes
    /// are `header`.
    pub fn file_opener(&self, header: &[u8]) -> Result<FileOpener, KeyringError> {
        if header.len() != SEALED_HEADER_LEN || !is_sealed_file(header) {
            return Err(KeyringError::Malformed);
        }
        let id = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
        let key = self.key(id)?;
        let cipher = XChaCha20Poly1305::new(key.into());
        let prefix: [u8; NONCE_PREFIX] = header[8..].try_into().map_err(|_| KeyringError::Malformed)?;
        Ok(FileOpener {
            decryptor: DecryptorBE32::from_aead(cipher, (&prefix).into()),
            header: header.to_vec(),
            pending: Vec::new(),
        })
    }

    /// Seals a whole file held in memory.
    pub fn seal_file(&self, plaintext: &[u8]) -> Vec<u8> {
        let mut sealer = self.file_sealer();
        let mut out = sealer.header().to_vec();
        out.extend(sealer.update(plaintext));
        out.extend(sealer.finish());
        out
    }

    /// Opens a whole sealed file held in memory.
    pub fn open_file(&self, sealed: &[u8]) -> Result<Vec<u8>, KeyringError> {
        let header = sealed.get(..SEALED_HEADER_LEN).ok_or(KeyringError::Malformed)?;
        let mut opener = self.file_opener(header)?;
        let mut out = opener.update(&sealed[SEALED_HEADER_LEN..])?;
        out.extend(opener.finish()?);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_every_size_round_trip_in_any_pieces() {
        let keys = Keyring::generate("2026-12-03");
        for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17] {
            let plain: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            // Written in odd pieces, read in other odd pieces.
            let mut sealer = keys.file_sealer();
            let mut sealed = sealer.header().to_vec();
            for piece in plain.chunks(10_007) {
                sealed.extend(sealer.update(piece));
            }
            sealed.extend(sealer.finish());
            assert!(is_sealed_file(&sealed));
            assert_eq!(keys.open_file(&sealed).unwrap(), plain, "size {size}");
            let mut opener = keys.file_opener(&sealed[..SEALED_HEADER_LEN]).unwrap();
            let mut back = vec![];
            for piece in sealed[SEALED_HEADER_LEN..].chunks(7_919) {
                back.extend(opener.update(piece).unwrap());
            }
            back.extend(opener.finish().unwrap());
            assert_eq!(back, plain, "size {size}");
            // Nothing of the plaintext shows (for a file with some content).
            if size > 64 {
                assert!(!sealed.windows(32).any(|w| plain.windows(32).next() == Some(w)));
            }
        }
    }

    #[test]
    fn altered_cut_or_lengthened_files_do_not_open() {
        let keys = Keyring::generate("2026-12-03");
        let plain = vec![42u8; 2 * CHUNK + 5];
        let sealed = keys.seal_file(&plain);
        let mut flipped = sealed.clone();
        flipped[SEALED_HEADER_LEN + CHUNK + 3] ^= 1;
        assert!(keys.open_file(&flipped).is_err(), "a changed byte");
        assert!(keys.open_file(&sealed[..sealed.len() - 1]).is_err(), "cut short");
        assert!(keys.open_file(&sealed[..SEALED_HEADER_LEN + CHUNK + TAG]).is_err(), "cut at a chunk boundary");
        let mut longer = sealed.clone();
        longer.extend_from_slice(&[0; 40]);
        assert!(keys.open_file(&longer).is_err(), "lengthened");
        let mut header = sealed.clone();
        header[8] ^= 1;
        assert!(keys.open_file(&header).is_err(), "another nonce");
        // Another installation's key does not open it; an unknown key id says so.
        assert!(Keyring::generate("x").open_file(&sealed).is_err());
        let mut other_id = sealed.clone();
        other_id[7] = 9;
        assert!(matches!(keys.open_file(&other_id), Err(KeyringError::UnknownKey(9))));
        assert!(!is_sealed_file(b"%PDF-1.7"));
    }

    #[test]
    fn files_sealed_before_a_rotation_still_open() {
        let mut keys = Keyring::generate("2026-12-03");
        let sealed = keys.seal_file(b"photo");
        keys.rotate("2026-12-04");
        assert_eq!(keys.open_file(&sealed).unwrap(), b"photo");
        assert_ne!(keys.seal_file(b"photo")[4..8], sealed[4..8], "new files under the new key");
    }
}
