pub mod analysis;
mod audience;
pub mod index;
pub mod indexer;
pub mod sources;

pub use index::{
    Audience, Facet, Hit, Order, Results, SearchDocument, SearchError, SearchIndex, Viewer, FILTER_FIELDS,
};
