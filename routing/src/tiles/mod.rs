//! Hierarchical routing tiles: the road graph of one profile, contracted to the nodes that
//! matter ([`chains`]), cut by road importance and geography into tiles at three levels
//! ([`id`]), each a self-contained versioned binary file ([`format`]) in a directory laid out
//! like an object-store bucket with a [`manifest`]; written by [`build`], read lazily through
//! a bounded LRU cache by [`store`]. Beside the tiles, the search hierarchy: nested cells
//! ([`partition`]) and their cliques ([`overlay`], computed by [`customize`]).
//!
//! ```text
//! {dir}/manifest.json
//! {dir}/{car,foot,bicycle}/{level}/{AAA}/{BBB}/{CCC}.tile
//! {dir}/{car,foot,bicycle}/overlay.bin
//! ```

pub mod build;
pub mod chains;
pub mod components;
pub mod csr;
pub mod customize;
pub mod format;
pub mod id;
pub mod landmarks;
pub mod manifest;
pub mod min_cut;
pub mod overlay;
pub mod partition;
pub mod store;

pub use build::{write_tiles, write_tiles_with, BuildStage, TileOptions};
pub use format::{FormatError, TileData, NODE_BARRIER, NODE_DEAD_END, NODE_JUNCTION, NODE_LEFT_HAND, NODE_VIA};
pub use id::{level_of, EdgeRef, NodeRef, TileKey, LEVEL_SIZES_DEG};
pub use manifest::{Manifest, OverlayManifest, ProfileManifest, SourceStamp};
pub use store::{StoreStats, Tile, TileStore};
