//! Map tiles (the book's "map rendering"): the world cut into Web Mercator tiles, XYZ scheme,
//! so a client fetches only the tiles it sees and a CDN can cache every one.
//!
//! This crate owns the tile math ([`mercator`]: which tile holds a point, a tile's bounds, its
//! neighbours), the tile URL scheme ([`url`]) that the book's tile-URL API hands to clients,
//! the bucket layout on disk ([`bucket`]) and the PMTiles v3 archive ([`pmtiles`]) that
//! `locus serve --tiles` serves through one trait ([`source`]), and the render pipeline that
//! fills them from OpenStreetMap: map features read from OSM ([`map`]), a style ([`style`]),
//! raster tiles ([`raster`]), Mapbox Vector Tiles ([`mvt`]) with tile-space clipping and
//! simplification ([`clip`]), and the pyramid job that renders every tile of a region in
//! parallel ([`render`]).

pub mod bucket;
pub mod clip;
pub mod map;
pub mod mercator;
pub mod mvt;
pub mod pmtiles;
pub mod raster;
pub mod render;
pub mod source;
pub mod style;
pub mod url;

pub use mercator::{world_point, TileError, TileId, WorldPoint, MAX_LATITUDE, MAX_ZOOM};
