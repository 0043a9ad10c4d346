//! Cryptography of rightsdesk, in one place so it can be reviewed as a whole:
//! password hashing (argon2id), one-time codes (TOTP), per-field encryption
//! (XChaCha20-Poly1305 with the record bound in), keyed blind indexes for
//! equality lookups on encrypted fields, API and session tokens, and the
//! hash chain of the audit log, and the sealing of stored evidence files.

pub mod audit_chain;
pub mod field;
pub mod file;
pub mod password;
pub mod token;
pub mod totp;

pub use audit_chain::{chain_hash, AuditLink, GENESIS_HASH};
pub use field::{FieldRef, Keyring, KeyringError};
pub use file::{is_sealed_file, FileOpener, FileSealer, SEALED_HEADER_LEN};
pub use password::{hash_password, verify_password, PasswordError};
pub use token::{hash_token, new_token, sha256_hex};
