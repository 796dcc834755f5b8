//! The map a tile shows: features read from OpenStreetMap (PBF: [`read`], XML: [`read_xml`]), classified by one table
//! ([`classify`]), assembled into world-space geometry ([`assemble`], [`rings`], [`coast`])
//! and indexed by bounding box so a tile finds its features without scanning them all.

pub mod assemble;
pub mod changes;
pub mod classify;
pub mod coast;
pub mod feature;
pub mod read;
pub mod read_xml;
pub mod rings;

pub use feature::{Brunnel, Feature, Geometry, Layer, Polygon};

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a usable OpenStreetMap PBF file: {message}")]
    Pbf { path: PathBuf, message: String },
    #[error("{path}: the map renderer reads OpenStreetMap .osm.pbf or .osm (XML) files")]
    Format { path: PathBuf },
    #[error("the OSM XML is malformed at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("{path} holds no map features")]
    Empty { path: PathBuf },
}

/// Counts of what a read kept and dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapReport {
    pub nodes_read: u64,
    pub ways_read: u64,
    pub relations_read: u64,
    pub features: u64,
    /// Ways or relations dropped because their nodes are missing from the file.
    pub missing_nodes: u64,
    /// Multipolygon chains that did not close into rings.
    pub unclosed_rings: u64,
    /// The latest edit time of the elements read (milliseconds since the epoch); `None` when
    /// none carries one.
    pub newest_edit_ms: Option<i64>,
}

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// The features of a region, indexed by bounding box.
pub struct MapData {
    features: Vec<Feature>,
    index: RTree<Entry>,
    /// (min x, min y, max x, max y) in world space: the region's extent.
    pub bounds: [f64; 4],
    /// World-space boxes of what changed since the `--since` time.
    pub changed: Vec<[f64; 4]>,
    pub report: MapReport,
}

impl MapData {
    pub fn new(features: Vec<Feature>, bounds: [f64; 4], changed: Vec<[f64; 4]>, report: MapReport) -> MapData {
        let entries = features
            .iter()
            .enumerate()
            .map(|(i, f)| {
                GeomWithData::new(Rectangle::from_corners([f.bbox[0], f.bbox[1]], [f.bbox[2], f.bbox[3]]), i as u32)
            })
            .collect();
        MapData { features, index: RTree::bulk_load(entries), bounds, changed, report }
    }

    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The features whose bounding box meets `bbox` (min x, min y, max x, max y), in the order
    /// they were read (so every tile draws overlapping features in the same order).
    pub fn query(&self, bbox: [f64; 4]) -> Vec<&Feature> {
        let aabb = AABB::from_corners([bbox[0], bbox[1]], [bbox[2], bbox[3]]);
        let mut ids: Vec<u32> = self.index.locate_in_envelope_intersecting(&aabb).map(|e| e.data).collect();
        ids.sort_unstable();
        ids.into_iter().map(|i| &self.features[i as usize]).collect()
    }
}

/// Reads a region's map from an `.osm.pbf` file; with `since_ms`, what was edited after that
/// time (milliseconds since the epoch) is listed in [`MapData::changed`].
pub fn read(path: &Path, since_ms: Option<i64>) -> Result<MapData, MapError> {
    let name = path.to_string_lossy();
    let raw = if name.ends_with(".pbf") {
        read::read_pbf(path, since_ms)?
    } else if name.ends_with(".osm") || name.ends_with(".xml") {
        let file = std::fs::File::open(path).map_err(|source| MapError::Io { path: path.to_owned(), source })?;
        read_xml::read_xml(std::io::BufReader::new(file), path, since_ms)?
    } else {
        return Err(MapError::Format { path: path.to_owned() });
    };
    let newest_edit_ms = raw.newest_edit_ms;
    let mut map = assemble::assemble(raw);
    map.report.newest_edit_ms = newest_edit_ms;
    if map.features().is_empty() {
        return Err(MapError::Empty { path: path.to_owned() });
    }
    Ok(map)
}
