//! The one place where each line of work registers its searchable records:
//! the change-log table they are written under, the kind of document, how a
//! record becomes a document (non-identifying text only, and who may see
//! it), and where a hit leads. The indexer, the counts by kind and the links
//! of the search page all read this list; a new module adds a [`Source`]
//! here and nothing else changes.

mod engagement;
mod legislation;
mod mechanisms;
mod monitoring;
mod protection;
mod reference;

use crate::SearchDocument;
use async_trait::async_trait;
use rightsdesk_store::{Store, StoreError};

#[async_trait]
pub trait Source: Sync {
    /// The kind of document (`case`): the `type:` filter, the key prefix
    /// (`case:12`) and the label on the search page.
    fn kind(&self) -> &'static str;
    /// The change-log table whose rows are records of this kind, if any.
    fn table(&self) -> Option<&'static str>;
    /// The document for a record, or `None` when it is gone.
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError>;
    /// Documents that are not written through the change log (reference
    /// texts shipped with the product), added on every rebuild.
    async fn fixed_documents(&self, _store: &dyn Store) -> Result<Vec<SearchDocument>, StoreError> {
        Ok(vec![])
    }
    /// The page a hit leads to, from the part of its key after `kind:`.
    fn href(&self, id: &str) -> String;
}

/// Every searchable kind, in the order the search page lists them.
pub fn sources() -> &'static [&'static dyn Source] {
    &[
        &monitoring::Cases,
        &protection::ProtectionFiles,
        &mechanisms::Recommendations,
        &legislation::Laws,
        &legislation::LawVersions,
        &legislation::LawComments,
        &reference::Articles,
        &engagement::Organisations,
        &engagement::Meetings,
    ]
}

/// The kinds, in the order of [`sources`].
pub fn kinds() -> impl Iterator<Item = &'static str> {
    sources().iter().map(|s| s.kind())
}

/// The source whose change-log table this is.
pub fn for_table(table: &str) -> Option<&'static dyn Source> {
    sources().iter().copied().find(|s| s.table() == Some(table))
}

/// Where a hit's key (`case:12`) leads.
pub fn href_of(key: &str) -> String {
    key.split_once(':')
        .and_then(|(kind, id)| sources().iter().find(|s| s.kind() == kind).map(|s| s.href(id)))
        .unwrap_or_else(|| "/".into())
}
