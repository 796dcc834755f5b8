//! PMTiles v3 (<https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>): a whole tile
//! pyramid in one file, readable by range requests, so a CDN or a browser can serve tiles from
//! a static file.
//!
//! ```text
//! | header (127 B) | root directory | JSON metadata | leaf directories | tile data |
//!   └ the header and the root lie within the first 16 KiB
//! ```
//! Tiles are addressed by [`tile_id`] (the zoom's Hilbert curve, after every lower zoom).
//! Directories ([`directory`]) map id runs to blobs in the data section. The writer
//! deduplicates identical tiles (SHA-256), merges consecutive ids with the same blob into one
//! run and lays the data out in id order (`clustered`); directories and metadata are gzipped.
//!
//! **Invariant: the reader trusts no number in the file.** Every offset and length is checked
//! against the file and its section before a byte is read, every allocation is bounded by
//! what the file holds (or by the `MAX_*` limits), and a damaged or hostile archive is a
//! [`PmtilesError`], never a panic.

pub mod directory;
pub mod header;
mod reader;
pub mod tile_id;
mod writer;

pub use directory::Entry;
pub use header::{Compression, Header, TileType};
pub use reader::{PmtilesReader, MAX_METADATA_BYTES, MAX_TILE_BYTES};
pub use tile_id::{tile_id, tile_of};
pub use writer::{ArchiveInfo, PmtilesWriter, WriteSummary};

use crate::TileId;

#[derive(Debug, thiserror::Error)]
pub enum PmtilesError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a PMTiles archive (no PMTiles magic number)")]
    NotPmtiles,
    #[error("PMTiles version {0} is not supported (only version 3)")]
    Version(u8),
    #[error("damaged PMTiles archive: {0}")]
    Corrupt(String),
    #[error("unsupported PMTiles feature: {0}")]
    Unsupported(String),
    #[error("{what} is larger than {max} bytes")]
    TooLarge { what: String, max: u64 },
    #[error("invalid archive description: {0}")]
    InvalidInfo(String),
    #[error("tile {}/{}/{} cannot be written: {reason}", .tile.z, .tile.x, .tile.y)]
    InvalidTile { tile: TileId, reason: String },
    #[error("tile {}/{}/{} was added twice", .0.z, .0.x, .0.y)]
    DuplicateTile(TileId),
    #[error("an archive needs at least one tile")]
    NoTiles,
}

#[cfg(test)]
mod tests;
