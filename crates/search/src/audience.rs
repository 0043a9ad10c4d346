//! The policy's filter inside every query: the documents that carry one of
//! the viewer's audience terms. A union of a few postings lists would be
//! re-walked for every query (five times the cost of a one-word search), so
//! the union is made once per segment and set of terms as a bitset, and
//! kept while the segment lives (segments never change; deletions are
//! applied by tantivy on top, as for any query).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::query::{BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::BitSet;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Bitsets kept before the cache starts again (each is one bit per
/// document of a segment: 125 kB for a million).
const CACHE_ENTRIES: usize = 512;

type Cache = Arc<Mutex<HashMap<(tantivy::index::SegmentId, Arc<[String]>), Arc<BitSet>>>>;

/// Shared by all queries of an index.
#[derive(Clone, Default)]
pub(crate) struct AudienceCache(Cache);

#[derive(Clone)]
pub(crate) struct AudienceFilter {
    field: Field,
    terms: Arc<[String]>,
    cache: Cache,
}

impl std::fmt::Debug for AudienceFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AudienceFilter({:?})", self.terms)
    }
}

impl AudienceCache {
    pub(crate) fn filter(&self, field: Field, terms: &[String]) -> AudienceFilter {
        let mut terms = terms.to_vec();
        terms.sort();
        terms.dedup();
        AudienceFilter { field, terms: terms.into(), cache: self.0.clone() }
    }
}

impl AudienceFilter {
    fn bits(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let key = (reader.segment_id(), self.terms.clone());
        if let Some(bits) = self.cache.lock().map_err(|_| poisoned())?.get(&key) {
            return Ok(bits.clone());
        }
        let mut bits = BitSet::with_max_value(reader.max_doc());
        let inverted = reader.inverted_index(self.field)?;
        for t in self.terms.iter() {
            let term = Term::from_field_text(self.field, t);
            if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    bits.insert(doc);
                    doc = postings.advance();
                }
            }
        }
        let bits = Arc::new(bits);
        let mut cache = self.cache.lock().map_err(|_| poisoned())?;
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, bits.clone());
        Ok(bits)
    }
}

fn poisoned() -> TantivyError {
    TantivyError::InternalError("audience cache lock poisoned".into())
}

impl Query for AudienceFilter {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for AudienceFilter {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let bits = self.bits(reader)?;
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(BitSet::clone(&bits)), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.bits(reader)?.contains(doc) {
            Ok(Explanation::new("audience", 0.0))
        } else {
            Err(TantivyError::InvalidArgument(format!("document {doc} is not for this audience")))
        }
    }
}
