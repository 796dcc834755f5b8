//! `manifest.json`: what a tile set holds, written last by a build (so a directory with a
//! manifest is complete) and read first by a router. It names the source file (for the
//! staleness check of `serve --osm`), each profile's tiles per level, its counts, and the
//! speed bound its A* heuristic relies on.

use crate::profile::Mode;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::UNIX_EPOCH;

/// Bumped when the meaning of a tile set changes (format, profiles, contraction rules); a
/// manifest of another version is stale.
pub const BUILD_VERSION: u32 = 5;

pub const MANIFEST_FILE: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub build_version: u32,
    pub tile_format_version: u32,
    pub source: SourceStamp,
    pub built_unix_ms: u64,
    pub profiles: Vec<ProfileManifest>,
}

/// The OSM file a tile set was built from, as its metadata stood then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceStamp {
    pub path: String,
    pub bytes: u64,
    pub modified_unix_ms: u64,
}

impl SourceStamp {
    pub fn of(path: &Path) -> std::io::Result<SourceStamp> {
        let meta = std::fs::metadata(path)?;
        let modified_unix_ms =
            meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_millis() as u64);
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        Ok(SourceStamp { path: path.display().to_string(), bytes: meta.len(), modified_unix_ms })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileManifest {
    /// `car`, `foot` or `bicycle`.
    pub mode: String,
    /// No edge is faster than this (its length over its travel time): the A* heuristic's
    /// bound. Live speeds applied later must respect it or raise it here.
    pub max_speed_mps: f64,
    /// The flat graph (every OSM node a road uses) and the contracted one the tiles store.
    pub flat_nodes: u64,
    pub flat_edges: u64,
    pub nodes: u64,
    pub edges: u64,
    pub turn_restrictions: u64,
    pub levels: Vec<LevelManifest>,
    /// The overlay's cells and cliques (`overlay.bin`); `None` when the graph is too small
    /// to need one.
    #[serde(default)]
    pub overlay: Option<OverlayManifest>,
}

/// What `overlay.bin` holds ([`super::overlay`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayManifest {
    /// Bits of a leaf cell id: `2^leaf_bits` leaf cells.
    pub leaf_bits: u32,
    pub levels: u8,
    /// Cells with boundary edges, per level (level 1 first).
    pub cells: Vec<u64>,
    /// Boundary edges per level (each enters one cell).
    pub boundary_edges: Vec<u64>,
    pub bytes: u64,
    /// Time to compute the cliques.
    pub customize_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelManifest {
    pub level: u8,
    pub size_deg: f64,
    /// The indices of the tiles this level has, sorted.
    pub tiles: Vec<u32>,
    pub bytes: u64,
    /// How far (degrees) any edge's geometry reaches out of the tile it is stored in: a
    /// snapping search looks that much further for tiles to read.
    pub overhang_deg: f64,
}

impl ProfileManifest {
    pub fn mode(&self) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == self.mode)
    }

    pub fn tile_count(&self) -> usize {
        self.levels.iter().map(|l| l.tiles.len()).sum()
    }

    pub fn bytes(&self) -> u64 {
        self.levels.iter().map(|l| l.bytes).sum()
    }
}

impl Manifest {
    /// A manifest for tiles built now, by this version of the builder, from `source`.
    pub fn new(source: SourceStamp, profiles: Vec<ProfileManifest>) -> Manifest {
        let built_unix_ms = std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
        Manifest {
            build_version: BUILD_VERSION,
            tile_format_version: super::format::FORMAT_VERSION,
            source,
            built_unix_ms,
            profiles,
        }
    }

    pub fn read(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not a routing manifest: {e}", path.display()))
    }

    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(MANIFEST_FILE), text)
    }

    /// Whether this tile set was built, by this version of the builder, from `source` as it
    /// is now.
    pub fn is_fresh_for(&self, source: &Path) -> bool {
        self.build_version == BUILD_VERSION
            && self.tile_format_version == super::format::FORMAT_VERSION
            && SourceStamp::of(source).is_ok_and(|now| now == self.source)
    }

    pub fn profile(&self, mode: Mode) -> Option<&ProfileManifest> {
        self.profiles.iter().find(|p| p.mode == mode.name())
    }
}
