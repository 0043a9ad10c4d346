//! Random bearer secrets (sessions, API tokens, calendar feeds). Only their
//! SHA-256 is stored, so a stolen database does not yield usable tokens.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random token with a readable prefix (`rds_` sessions, `rdk_` API keys),
/// and the hash to store.
pub fn new_token(prefix: &str) -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hash_stably() {
        let (a, ha) = new_token("rdk_");
        let (b, _) = new_token("rdk_");
        assert_ne!(a, b);
        assert!(a.starts_with("rdk_") && a.len() > 40);
        assert_eq!(hash_token(&a), ha);
        assert_ne!(ha, a);
    }
}
