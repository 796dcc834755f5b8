//! Map tiles (the book's "map rendering"): the world cut into Web Mercator tiles, XYZ scheme,
//! so a client fetches only the tiles it sees and a CDN can cache every one.
//!
//! This crate owns the tile math ([`mercator`]: which tile holds a point, a tile's bounds, its
//! neighbours), the tile URL scheme ([`url`]) that the book's tile-URL API hands to clients,
//! and the bucket layout on disk ([`bucket`]) that `locus serve --tiles DIR` serves. Rendering
//! raster and vector tiles comes next (issue 6).

pub mod bucket;
pub mod mercator;
pub mod url;

pub use mercator::{TileError, TileId, MAX_LATITUDE, MAX_ZOOM};
