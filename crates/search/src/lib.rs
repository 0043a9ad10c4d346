pub mod analysis;
pub mod index;
pub mod indexer;

pub use index::{Audience, Hit, Results, SearchDocument, SearchError, SearchIndex, Viewer};
