//! Location-based search: the spatial indexes (quadtree, R-tree, geohash over SQL + cache), the
//! search operations built on them (radius, k-nearest, area), and the change feed that keeps
//! every instance's index fresh. HTTP lives in `locus-web`.

mod cell_codec;
pub mod cursor;
pub mod feed;
pub mod geohash_index;
pub mod index;
pub mod memory;
pub mod place;
pub mod search;
pub mod tree;

pub use index::{IndexKind, PlaceIndex};
pub use search::Searcher;
