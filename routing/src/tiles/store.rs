//! Reading tiles lazily through a bounded LRU cache: a router holds only the tiles its recent
//! searches touched, whatever the size of the region.

use super::format::{TileData, TileEdge};
use super::id::{EdgeRef, NodeRef, TileKey};
use super::manifest::ProfileManifest;
use super::overlay::Overlay;
use crate::cost::TurnModel;
use crate::error::RouteError;
use crate::profile::Mode;
use crate::snap::SegmentIndex;
use locus_core::geo::{haversine_m, LatLng};
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// A tile in memory: its data, the length of each edge, and (built on first use) the spatial
/// index snapping searches.
#[derive(Debug)]
pub struct Tile {
    pub data: TileData,
    /// Metres, per edge.
    pub lengths_m: Vec<f64>,
    /// Each node's position as a unit vector (for the search's straight-line bound).
    pub units: Vec<[f64; 3]>,
    segments: OnceLock<SegmentIndex>,
    bytes: usize,
}

impl Tile {
    pub fn new(data: TileData, bytes: usize) -> Tile {
        let lengths_m = data
            .edges
            .iter()
            .map(|e| {
                let pts = &data.shape[e.shape_start as usize..(e.shape_start + e.shape_len) as usize];
                pts.windows(2).map(|w| haversine_m(w[0].at, w[1].at)).sum()
            })
            .collect();
        let units = data.nodes.iter().map(|n| n.at.unit_vector()).collect();
        Tile { data, lengths_m, units, segments: OnceLock::new(), bytes }
    }

    pub fn key(&self) -> TileKey {
        self.data.key
    }

    pub fn edge(&self, local: u32) -> &TileEdge {
        &self.data.edges[local as usize]
    }

    /// The out-edges of a node, as local edge indices.
    pub fn out_edges(&self, node: u32) -> std::ops::Range<u32> {
        let nodes = &self.data.nodes;
        let start = nodes[node as usize].first_edge;
        let end = nodes.get(node as usize + 1).map_or(self.data.edges.len() as u32, |n| n.first_edge);
        start..end
    }

    /// The node an edge of this tile leaves from.
    pub fn edge_source(&self, local: u32) -> NodeRef {
        let i = self.data.nodes.partition_point(|n| n.first_edge <= local).saturating_sub(1);
        NodeRef::new(self.key(), i as u32)
    }

    pub fn shape(&self, local: u32) -> &[super::format::ShapePoint] {
        let e = &self.data.edges[local as usize];
        &self.data.shape[e.shape_start as usize..(e.shape_start + e.shape_len) as usize]
    }

    /// The point `fraction` of the way along segment `segment` of an edge's shape.
    pub fn point_at(&self, local: u32, segment: u32, fraction: f64) -> LatLng {
        let shape = self.shape(local);
        let k = segment as usize;
        let (a, b) = (shape[k].at, shape[k + 1].at);
        LatLng::new(a.lat() + (b.lat() - a.lat()) * fraction, a.lng() + (b.lng() - a.lng()) * fraction).unwrap_or(a)
    }

    /// The edge's travel time in milliseconds.
    pub fn weight(&self, local: u32) -> u32 {
        self.shape(local).last().map_or(0, |p| p.cum_ms)
    }

    /// A node's landmark values (empty when the tile set has none).
    pub fn landmarks(&self, local: u32) -> &[u32] {
        let k = 2 * usize::from(self.data.landmark_count);
        let start = local as usize * k;
        self.data.landmarks.get(start..start + k).unwrap_or(&[])
    }

    pub fn segments(&self) -> &SegmentIndex {
        self.segments.get_or_init(|| SegmentIndex::build(self))
    }

    /// Whether `from` may turn into this tile's edge `to` at via node `via`.
    pub fn turn_allowed(&self, via: u32, from: EdgeRef, to: u32) -> bool {
        let turns = &self.data.turns;
        let start = turns.partition_point(|t| t.via < via);
        let mut only_seen = false;
        let mut only_match = false;
        for t in turns[start..].iter().take_while(|t| t.via == via).filter(|t| t.from == from) {
            if t.only {
                only_seen = true;
                only_match |= t.to == to;
            } else if t.to == to {
                return false;
            }
        }
        !only_seen || only_match
    }
}

/// The edges a jump across an overlay cell stands for, once unpacked.
#[derive(Debug)]
pub struct JumpPath {
    pub pieces: Vec<crate::search::Piece>,
    pub length_m: f64,
}

/// Unpacked jumps are kept up to about this many bytes per profile.
const UNPACKED_JUMPS_BYTES: u64 = 32 << 20;

/// Cache counters, for `/metrics` and the scale benchmark.
#[derive(Debug, Default)]
pub struct StoreStats {
    pub loads: AtomicU64,
    pub hits: AtomicU64,
    pub bytes_loaded: AtomicU64,
    /// Cells searches jumped across by an overlay clique.
    pub jumps: AtomicU64,
}

/// One profile's tiles on disk, read through a bounded LRU cache.
pub struct TileStore {
    root: PathBuf,
    present: FxHashSet<u32>,
    cache: moka::sync::Cache<u32, Arc<Tile>>,
    mode: Mode,
    /// The profile's turn costs, tabulated once for every search.
    turns: TurnModel,
    /// The cliques searches jump across cells by, when the tile set has them.
    overlay: Option<Overlay>,
    /// Jumps unpacked into edges, by (level, from edge, to edge).
    unpacked_jumps: moka::sync::Cache<(u8, u64, u64), Arc<JumpPath>>,
    pub manifest: ProfileManifest,
    pub stats: StoreStats,
}

impl std::fmt::Debug for TileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TileStore").field("root", &self.root).field("tiles", &self.present.len()).finish()
    }
}

impl TileStore {
    /// Opens the `mode` tiles under `root` that `manifest` lists, caching at most about
    /// `cache_bytes` of them.
    pub fn open(root: &Path, mode: Mode, manifest: ProfileManifest, cache_bytes: u64) -> TileStore {
        let present = manifest
            .levels
            .iter()
            .flat_map(|l| l.tiles.iter().map(move |&i| TileKey { level: l.level, index: i }.packed()))
            .collect();
        let cache = moka::sync::Cache::builder()
            .max_capacity(cache_bytes.max(1))
            .weigher(|_, tile: &Arc<Tile>| u32::try_from(tile.bytes).unwrap_or(u32::MAX))
            .build();
        TileStore {
            root: root.to_owned(),
            present,
            cache,
            mode,
            turns: TurnModel::of(mode),
            overlay: None,
            unpacked_jumps: moka::sync::Cache::builder()
                .max_capacity(UNPACKED_JUMPS_BYTES)
                .weigher(|_, path: &Arc<JumpPath>| (path.pieces.len() * 64 + 64).try_into().unwrap_or(u32::MAX))
                .build(),
            manifest,
            stats: StoreStats::default(),
        }
    }

    /// The store with the cliques of an overlay computed for these tiles.
    pub fn with_overlay(mut self, overlay: Option<Overlay>) -> TileStore {
        self.overlay = overlay;
        self
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub(crate) fn unpacked_jumps(&self) -> &moka::sync::Cache<(u8, u64, u64), Arc<JumpPath>> {
        &self.unpacked_jumps
    }

    /// The profile these tiles are for.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn turns(&self) -> &TurnModel {
        &self.turns
    }

    pub fn has(&self, key: TileKey) -> bool {
        self.present.contains(&key.packed())
    }

    /// The tile, from the cache or disk; `Ok(None)` when the tile set has no such tile.
    pub fn get(&self, key: TileKey) -> Result<Option<Arc<Tile>>, RouteError> {
        let packed = key.packed();
        if !self.present.contains(&packed) {
            return Ok(None);
        }
        if let Some(tile) = self.cache.get(&packed) {
            self.stats.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(Some(tile));
        }
        let tile = self.cache.try_get_with(packed, || self.load(key)).map_err(|e| RouteError::Data(e.to_string()))?;
        Ok(Some(tile))
    }

    fn load(&self, key: TileKey) -> Result<Arc<Tile>, String> {
        let path = self.root.join(key.relative_path());
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read tile {}: {e}", path.display()))?;
        let data = TileData::decode(&bytes).map_err(|e| format!("tile {}: {e}", path.display()))?;
        if data.key != key {
            return Err(format!("tile {} holds tile {}", path.display(), data.key));
        }
        self.stats.loads.fetch_add(1, Ordering::Relaxed);
        self.stats.bytes_loaded.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        // In memory a tile takes about twice its file (decoded structs, lengths, the index).
        Ok(Arc::new(Tile::new(data, bytes.len() * 2)))
    }

    /// Tiles cached now, and their weight in bytes.
    pub fn cached(&self) -> (u64, u64) {
        self.cache.run_pending_tasks();
        (self.cache.entry_count(), self.cache.weighted_size())
    }
}
