//! Feeds the index from the database's change log: each write of a
//! searchable record is a row there (in commit order); the indexer turns the
//! rows after the index's last sequence into documents through the module
//! registry ([`crate::sources`]), and records the new sequence in the same
//! index commit, so that after a crash or restart it resumes where the index
//! stands. Deleting the index directory loses nothing: `rebuild` adds the
//! fixed reference texts and replays the whole log.

use crate::sources::{for_table, sources};
use crate::{SearchError, SearchIndex};
use rightsdesk_store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Changes indexed between two commits. A commit writes and syncs segments
/// (tens of milliseconds), so a rebuild commits every this many changes
/// rather than every page of the log; a crash meanwhile loses only
/// uncommitted work, which the next catch-up does again.
const COMMIT_EVERY: usize = 50_000;

/// Indexes the change-log rows after the index's sequence; the number of
/// rows read.
pub async fn catch_up(store: &dyn Store, index: &SearchIndex) -> Result<usize, IndexerError> {
    let mut seq = index.indexed_seq()?;
    let mut total = 0;
    let mut uncommitted = 0;
    loop {
        let changes = store.changes_since(seq, 1000).await?;
        if changes.is_empty() {
            if uncommitted > 0 {
                index.commit_at(Some(seq))?;
            }
            return Ok(total);
        }
        for c in &changes {
            let Some(source) = for_table(&c.table_name) else { continue };
            let key = format!("{}:{}", source.kind(), c.record_id);
            match source.document(store, &c.record_id).await? {
                Some(d) if c.op != "delete" => index.upsert(&d)?,
                _ => index.delete(&key)?,
            }
        }
        total += changes.len();
        uncommitted += changes.len();
        seq = changes.last().map(|c| c.seq).unwrap_or(seq);
        if uncommitted >= COMMIT_EVERY {
            index.commit_at(Some(seq))?;
            uncommitted = 0;
        }
    }
}

/// Empties the index and builds it again: the fixed documents of every
/// source, then the whole change log.
pub async fn rebuild(store: &dyn Store, index: &SearchIndex) -> Result<usize, IndexerError> {
    index.clear()?;
    for source in sources() {
        for d in source.fixed_documents(store).await? {
            index.upsert(&d)?;
        }
    }
    index.commit_at(Some(0))?;
    catch_up(store, index).await
}

/// Every document the index would hold, from the same sources as
/// [`rebuild`] (for the benchmark, which gives the same documents to other
/// engines).
pub async fn all_documents(store: &dyn Store) -> Result<Vec<crate::SearchDocument>, IndexerError> {
    let mut documents = vec![];
    for source in sources() {
        documents.extend(source.fixed_documents(store).await?);
    }
    // The last change of each record decides whether it is still there.
    let mut last: std::collections::HashMap<(String, String), (i64, bool)> = Default::default();
    let mut seq = 0;
    loop {
        let changes = store.changes_since(seq, 10_000).await?;
        let Some(end) = changes.last().map(|c| c.seq) else { break };
        for c in changes {
            if for_table(&c.table_name).is_some() {
                last.insert((c.table_name, c.record_id), (c.seq, c.op != "delete"));
            }
        }
        seq = end;
    }
    let mut records: Vec<_> = last.into_iter().filter(|(_, (_, live))| *live).collect();
    records.sort_by_key(|(_, (seq, _))| *seq);
    for ((table, id), _) in records {
        if let Some(source) = for_table(&table) {
            documents.extend(source.document(store, &id).await?);
        }
    }
    // A reference text also in the change log: its latest version only.
    let mut seen = std::collections::HashSet::new();
    documents.reverse();
    documents.retain(|d| seen.insert(d.key.clone()));
    documents.reverse();
    Ok(documents)
}
