//! Anti-forgery tokens: a keyed hash of the session (or, before sign-in, of a
//! random pre-session cookie). Nothing to store, nothing to guess.

use rightsdesk_crypto::Keyring;
use subtle::ConstantTimeEq;

pub fn for_session(keys: &Keyring, session_hash: &str) -> String {
    keys.blind_index("csrf-session-v1", session_hash)
}

pub fn for_pre_session(keys: &Keyring, pre: &str) -> String {
    keys.blind_index("csrf-pre-v1", pre)
}

pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
