//! Verification of the audit hash chain, the same for every backend.

use crate::{AuditStore, StoreError};
use rightsdesk_crypto::{chain_hash, GENESIS_HASH};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub events: i64,
    /// Hash of the newest event (the genesis hash when the log is empty).
    pub head_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("audit event {seq} does not verify: {reason}")]
    Broken { seq: i64, reason: String },
    #[error("{0}")]
    Store(String),
}

impl From<StoreError> for ChainError {
    fn from(e: StoreError) -> Self {
        ChainError::Store(e.to_string())
    }
}

/// Walks the whole chain in pages and recomputes every hash.
pub async fn verify_chain<S: AuditStore + ?Sized>(store: &S) -> Result<ChainReport, ChainError> {
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut prev_seq = 0i64;
    let mut count = 0i64;
    loop {
        let page = store.audit_events_after(prev_seq, 2000).await?;
        if page.is_empty() {
            break;
        }
        for ev in page {
            if ev.seq != prev_seq + 1 {
                return Err(ChainError::Broken {
                    seq: ev.seq,
                    reason: format!("expected event {} next: events are missing", prev_seq + 1),
                });
            }
            if ev.prev_hash != prev_hash {
                return Err(ChainError::Broken {
                    seq: ev.seq,
                    reason: "it does not link to the event before it".into(),
                });
            }
            if chain_hash(&prev_hash, &ev.link()) != ev.hash {
                return Err(ChainError::Broken {
                    seq: ev.seq,
                    reason: "its content was changed after it was written".into(),
                });
            }
            prev_hash = ev.hash;
            prev_seq = ev.seq;
            count += 1;
        }
    }
    Ok(ChainReport { events: count, head_hash: prev_hash })
}
