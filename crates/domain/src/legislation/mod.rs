//! Legal analysis of draft laws (issue 18): the register of draft laws and
//! their stage in Cambodia's law-making path, versions split into chapters
//! and articles, two versions compared article by article with the changed
//! words marked, and the office's comments with the Government's response.
//!
//! Splitting and comparing are pure so that the
//! pages, the API, the importer and the benchmark share them unchanged; the
//! comparison takes its word splitter as an argument because Khmer words
//! come from the search crate's segmenter, which this crate cannot use.

mod compare;
mod law;
mod register;
mod structure;

pub use compare::*;
pub use law::*;
pub use register::*;
pub use structure::*;
