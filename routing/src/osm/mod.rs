//! Reading OpenStreetMap (`.osm.pbf` and `.osm` XML) into a neutral in-memory form: the ways a
//! router may use, the nodes they reference, and the turn restrictions.
//!
//! Kept: ways tagged `highway=*`, `route=ferry|shuttle_train`, `man_made=pier` or
//! `railway|public_transport=platform`; of the nodes, only those such ways reference, with
//! their position and the tags that matter for routing (barriers, access, `bollard`, `kerb`,
//! `maxheight`, `locked`); relations of `type=restriction`. XML elements marked
//! `action="delete"` or `visible="false"` are passed over.
//!
//! Import problems are data: a bad element (an id that does not parse, a way of fewer than two
//! nodes, a node off the globe, a tag longer than OSM's 255 characters, a restriction we cannot
//! read) is skipped and counted in the [`ImportReport`]; only a file that is not OSM at all
//! (truncated PBF, malformed XML) is an [`OsmError`].

mod collect;
mod pbf;
pub mod restriction;
mod xml;

use crate::profile::Tags;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub use restriction::{Member, MemberKind, Restriction, TurnKind, Via};

/// A node a kept way uses.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmNode {
    pub lat: f64,
    pub lon: f64,
    /// Only the routing tags (`barrier`, access keys, `highway`, ...); empty for most nodes.
    pub tags: Tags,
}

/// A way a router may use.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmWay {
    pub id: i64,
    /// Node ids, in order; some may be missing from [`OsmData::nodes`] (counted in the report).
    pub nodes: Vec<i64>,
    pub tags: Tags,
}

/// What an import read.
#[derive(Debug, Clone, Default)]
pub struct OsmData {
    pub nodes: HashMap<i64, OsmNode>,
    pub ways: Vec<OsmWay>,
    pub restrictions: Vec<Restriction>,
    pub report: ImportReport,
}

/// Counts of what an import read, kept and skipped, with the first few reasons in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub nodes_read: u64,
    pub ways_read: u64,
    pub relations_read: u64,
    pub nodes_kept: u64,
    pub ways_kept: u64,
    pub restrictions_kept: u64,
    /// Nodes with an unusable id or position (off the globe, not a number).
    pub nodes_invalid: u64,
    /// Routable ways with an unusable id or fewer than two node references.
    pub ways_invalid: u64,
    /// Restriction relations that could not be read (see `warnings`).
    pub restrictions_invalid: u64,
    /// Tags dropped for an empty or over-long (> 255 characters) key or value.
    pub tags_dropped: u64,
    /// References from kept ways to nodes that are not in the file.
    pub missing_node_refs: u64,
    /// Kept ways with at least one missing node.
    pub ways_with_missing_nodes: u64,
    /// The first [`MAX_WARNINGS`] problems, in words.
    pub warnings: Vec<String>,
}

/// How many problems an import report describes in words (all of them are counted).
pub const MAX_WARNINGS: usize = 50;

impl ImportReport {
    pub(crate) fn warn(&mut self, message: impl FnOnce() -> String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(message());
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum OsmError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a readable OSM PBF file: {message}")]
    Pbf { path: PathBuf, message: String },
    #[error("malformed OSM XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("not an OSM file: {0}")]
    NotOsm(String),
}

/// Reads a `.osm.pbf` or `.osm` (XML) file, chosen by its name.
pub fn read_file(path: &Path) -> Result<OsmData, OsmError> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    if name.ends_with(".pbf") {
        pbf::read(path)
    } else if name.ends_with(".osm") || name.ends_with(".xml") {
        let file = std::fs::File::open(path).map_err(|source| OsmError::Io { path: path.to_owned(), source })?;
        read_xml(std::io::BufReader::with_capacity(1 << 16, file))
    } else {
        Err(OsmError::NotOsm(format!("{}: expected a .osm.pbf or .osm file", path.display())))
    }
}

/// Reads OSM XML. The XML reader keeps every node's position until the end of the file (XML
/// extracts are small; use PBF, read in two passes, for large regions).
pub fn read_xml(input: impl BufRead) -> Result<OsmData, OsmError> {
    xml::read(input)
}

/// Reads a `.osm.pbf` file in two passes: ways and relations first, then only the nodes the
/// kept ways reference.
pub fn read_pbf(path: &Path) -> Result<OsmData, OsmError> {
    pbf::read(path)
}
