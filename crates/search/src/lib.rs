pub mod analysis;
pub mod index;

pub use index::{Audience, Hit, Results, SearchDocument, SearchError, SearchIndex, Viewer};
