//! Reading the map features of an `.osm.pbf` file: three passes, block by block, never the
//! whole file in memory. Pass one keeps the multipolygon relations the table wants, pass two
//! the ways that are features, coastline or members of those relations, pass three the
//! positions of the nodes those ways use and the named place and POI nodes.
//!
//! The file is read by [`locus_core::pbf`], so a truncated or corrupt file is an error, never
//! a panic.

use super::classify::{self, Kind, Tags};
use super::feature::Brunnel;
use super::MapError;
use locus_core::pbf::{header_bbox, scan_file, FileScanError};
use osmpbf::{Element, PrimitiveBlock, RelMemberType};
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::BufReader;
use std::path::Path;

/// The parts of a way or relation a feature is made of.
#[derive(Debug, Clone)]
pub struct Described {
    pub kind: Option<Kind>,
    pub name: Option<Box<str>>,
    pub brunnel: Option<Brunnel>,
    /// Edited after the `--since` time.
    pub changed: bool,
}

#[derive(Debug, Clone)]
pub struct RawWay {
    pub id: i64,
    pub refs: Vec<i64>,
    pub what: Described,
    pub coastline: bool,
}

#[derive(Debug, Clone)]
pub struct RawRelation {
    pub id: i64,
    pub what: Described,
    /// Member ways and whether each is an inner ring.
    pub members: Vec<(i64, bool)>,
}

#[derive(Debug, Clone)]
pub struct RawNode {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub what: Described,
}

/// What the three passes kept.
#[derive(Debug, Default)]
pub struct RawMap {
    /// (west, south, east, north) the file's header declares.
    pub declared_bounds: Option<[f64; 4]>,
    pub relations: Vec<RawRelation>,
    /// Ways that are features or coastline.
    pub ways: Vec<RawWay>,
    /// Node lists of relation members that are not features themselves.
    pub member_ways: FxHashMap<i64, Vec<i64>>,
    /// Positions (lat, lon) of every node a kept way uses.
    pub positions: FxHashMap<i64, (f64, f64)>,
    /// Nodes edited after the `--since` time, of those in `positions`.
    pub changed_nodes: FxHashSet<i64>,
    pub points: Vec<RawNode>,
    pub nodes_read: u64,
    pub ways_read: u64,
    pub relations_read: u64,
    /// The latest edit time seen (milliseconds since the epoch); `None` when no element read
    /// carries one.
    pub newest_edit_ms: Option<i64>,
}

/// Copies the tags the table reads (and `name`, `ref`, `bridge`, `tunnel`) when the element has
/// one of the table's keys; `None` for the many elements the map has no use for.
pub(super) fn wanted_tags<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Option<Vec<(&'a str, &'a str)>> {
    let mut out = Vec::new();
    let mut relevant = false;
    for (k, v) in pairs {
        if classify::KEYS.contains(&k) {
            relevant |= k != "area" && k != "type";
            out.push((k, v));
        } else if matches!(k, "name" | "ref" | "bridge" | "tunnel") {
            out.push((k, v));
        }
    }
    relevant.then_some(out)
}

fn describe(kind: Option<Kind>, tags: &Tags, changed: bool) -> Described {
    Described {
        kind,
        name: classify::label(tags).map(|n| n.chars().take(200).collect::<String>().into_boxed_str()),
        brunnel: classify::brunnel(tags),
        changed,
    }
}

fn scan(path: &Path, visit: impl FnMut(&PrimitiveBlock)) -> Result<(), MapError> {
    scan_file(path, visit).map(|_| ()).map_err(|e| match e {
        FileScanError::Io(source) => MapError::Io { path: path.to_owned(), source },
        FileScanError::Invalid(message) => MapError::Pbf { path: path.to_owned(), message },
    })
}

/// What the passes keep, fed element by element: relations first, then ways, then nodes
/// (the order of a PBF file and of the passes over it).
pub(super) struct Collector {
    raw: RawMap,
    since_ms: Option<i64>,
    members: FxHashSet<i64>,
    needed: Vec<i64>,
}

impl Collector {
    pub fn new(since_ms: Option<i64>, declared_bounds: Option<[f64; 4]>) -> Collector {
        let raw = RawMap { declared_bounds, ..RawMap::default() };
        Collector { raw, since_ms, members: FxHashSet::default(), needed: Vec::new() }
    }

    /// Whether an edit time is after `--since`; keeps the newest seen.
    fn newer(&mut self, ms: Option<i64>) -> bool {
        // Dense nodes without a time read as 0.
        self.raw.newest_edit_ms = self.raw.newest_edit_ms.max(ms.filter(|&ms| ms > 0));
        matches!((self.since_ms, ms), (Some(since), Some(ms)) if ms > since)
    }

    pub fn relation(
        &mut self,
        id: i64,
        tags: Option<Vec<(&str, &str)>>,
        way_members: impl Iterator<Item = (i64, bool)>,
        ms: Option<i64>,
    ) {
        self.raw.relations_read += 1;
        let Some(tags) = tags else { return };
        let Some(kind) = classify::relation(&tags) else { return };
        let changed = self.newer(ms);
        let members: Vec<(i64, bool)> = way_members.collect();
        self.members.extend(members.iter().map(|m| m.0));
        self.raw.relations.push(RawRelation { id, what: describe(Some(kind), &tags, changed), members });
    }

    pub fn way(&mut self, id: i64, refs: Vec<i64>, tags: Option<Vec<(&str, &str)>>, ms: Option<i64>) {
        self.raw.ways_read += 1;
        let closed = refs.len() > 3 && refs.first() == refs.last();
        let tags = tags.unwrap_or_default();
        let kind = classify::way(&tags, closed);
        let coastline = classify::tag(&tags, "natural") == Some("coastline");
        if self.members.contains(&id) {
            self.raw.member_ways.insert(id, refs.clone());
        }
        if kind.is_some() || coastline {
            let changed = self.newer(ms);
            self.raw.ways.push(RawWay { id, refs, what: describe(kind, &tags, changed), coastline });
        }
    }

    /// Call once after the last way: from here on only the nodes ways use are kept.
    pub fn ways_done(&mut self) {
        let raw = &self.raw;
        let mut needed: Vec<i64> =
            raw.ways.iter().flat_map(|w| w.refs.iter()).chain(raw.member_ways.values().flatten()).copied().collect();
        needed.sort_unstable();
        needed.dedup();
        self.needed = needed;
    }

    pub fn node(&mut self, id: i64, lat: f64, lon: f64, ms: Option<i64>, tags: Option<Vec<(&str, &str)>>) {
        self.raw.nodes_read += 1;
        let edited = self.newer(ms);
        if self.needed.binary_search(&id).is_ok() {
            self.raw.positions.insert(id, (lat, lon));
            if edited {
                self.raw.changed_nodes.insert(id);
            }
        }
        if let Some(kind) = tags.as_deref().and_then(classify::node) {
            let tags = tags.unwrap_or_default();
            self.raw.points.push(RawNode { id, lat, lon, what: describe(Some(kind), &tags, edited) });
        }
    }

    pub fn finish(self) -> RawMap {
        self.raw
    }
}

/// Reads the features of a PBF file; `since_ms` (milliseconds since the epoch) marks what was
/// edited after it as changed.
pub fn read_pbf(path: &Path, since_ms: Option<i64>) -> Result<RawMap, MapError> {
    let file = std::fs::File::open(path).map_err(|source| MapError::Io { path: path.to_owned(), source })?;
    let bounds =
        header_bbox(BufReader::new(file)).map_err(|message| MapError::Pbf { path: path.to_owned(), message })?;
    let mut c = Collector::new(since_ms, bounds);
    scan(path, |block| {
        for element in block.elements() {
            if let Element::Relation(r) = element {
                let members = r
                    .members()
                    .filter(|m| m.member_type == RelMemberType::Way)
                    .map(|m| (m.member_id, m.role().unwrap_or_default() == "inner"));
                c.relation(r.id(), wanted_tags(r.tags()), members, r.info().milli_timestamp());
            }
        }
    })?;
    scan(path, |block| {
        for element in block.elements() {
            if let Element::Way(w) = element {
                c.way(w.id(), w.refs().collect(), wanted_tags(w.tags()), w.info().milli_timestamp());
            }
        }
    })?;
    c.ways_done();
    scan(path, |block| {
        for element in block.elements() {
            match element {
                Element::DenseNode(n) => {
                    let ms = n.info().map(|i| i.milli_timestamp());
                    c.node(n.id(), n.lat(), n.lon(), ms, wanted_tags(n.tags()));
                }
                Element::Node(n) => c.node(n.id(), n.lat(), n.lon(), n.info().milli_timestamp(), wanted_tags(n.tags())),
                Element::Way(_) | Element::Relation(_) => {}
            }
        }
    })?;
    Ok(c.finish())
}
