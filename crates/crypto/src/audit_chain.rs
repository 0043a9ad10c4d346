//! The audit log is a hash chain: each event's hash covers the previous hash
//! and every field of the event, so changing, removing or reordering any past
//! event breaks every hash after it.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an audit event that the chain protects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLink<'a> {
    pub seq: i64,
    pub at_micros: i64,
    pub actor_id: Option<i64>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: &'a str,
    pub summary: &'a str,
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    // Length-prefixed so that moving bytes between fields changes the hash.
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// `sha256(prev_hash, seq, time, actor, action, record, summary)`, hex.
pub fn chain_hash(prev_hash: &str, ev: &AuditLink<'_>) -> String {
    let mut h = Sha256::new();
    field(&mut h, b"rightsdesk-audit-v1");
    field(&mut h, prev_hash.as_bytes());
    field(&mut h, &ev.seq.to_be_bytes());
    field(&mut h, &ev.at_micros.to_be_bytes());
    field(&mut h, ev.actor_id.map(|i| i.to_string()).unwrap_or_default().as_bytes());
    field(&mut h, ev.actor_label.as_bytes());
    field(&mut h, ev.action.as_bytes());
    field(&mut h, ev.record_type.as_bytes());
    field(&mut h, ev.record_id.as_bytes());
    field(&mut h, ev.summary.as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_change_changes_the_hash() {
        let ev = AuditLink {
            seq: 1,
            at_micros: 5,
            actor_id: Some(1),
            actor_label: "a",
            action: "user.create",
            record_type: "user",
            record_id: "2",
            summary: "x",
        };
        let h = chain_hash(GENESIS_HASH, &ev);
        assert_eq!(h.len(), 64);
        assert_eq!(h, chain_hash(GENESIS_HASH, &ev.clone()));
        assert_ne!(h, chain_hash(&h, &ev));
        assert_ne!(h, chain_hash(GENESIS_HASH, &AuditLink { summary: "y", ..ev.clone() }));
        assert_ne!(h, chain_hash(GENESIS_HASH, &AuditLink { actor_id: None, ..ev.clone() }));
        // Moving a byte from one field to the next is detected.
        assert_ne!(chain_hash(GENESIS_HASH, &AuditLink { record_type: "use", record_id: "r2", ..ev.clone() }), h);
    }
}
