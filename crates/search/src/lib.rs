pub mod analysis;
pub mod index;
pub mod indexer;

pub use index::{Audience, Hit, Order, Results, SearchDocument, SearchError, SearchIndex, Viewer, FILTER_FIELDS};
