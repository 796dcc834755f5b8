//! The routing tile file, version 2: one self-contained little-endian binary file per tile.
//!
//! ```text
//! header (48 bytes)
//!   magic "LOCUSRT\0" · version u32 · mode u8 · level u8 · landmark count K u16 · tile index u32
//!   node count u32 · edge count u32 · shape point count u32 · way count u32
//!   turn count u32 · string bytes u32 · CRC-32 of the file with these 4 bytes left out u32
//! nodes   (17 B each)  lat e7 i32 · lon e7 i32 · first out-edge u32 · flags u8 (1 barrier, 2 via, 4 left-hand traffic,
//!                      8 junction: 3+ neighbours, 16 dead end: 1 neighbour) · overlay leaf cell u32
//!                      (see [`super::overlay`])
//! edges   (34 B each)  to NodeRef u64 · twin EdgeRef u64 (u64::MAX: none) · way u32
//!                      · shape start u32 · shape length u32 · road class u8
//!                      · edge flags u8 (bit 7: in a small component)
//!                      · bearing at the start u16 · bearing at the end u16 (whole degrees)
//! shape   (12 B each)  lat e7 i32 · lon e7 i32 · cumulative travel time u32 (ms from the
//!                      edge's start; 0 at its first point, its weight at its last)
//! ways    (24 B each)  OSM id i64 · name (offset u32, length u32) · ref (offset u32, length u32)
//!                      (offset u32::MAX: no value)
//! turns   (17 B each)  via node u32 · from EdgeRef u64 · kind u8 (0 forbidden, 1 only) · to edge u32
//! landmarks (8K B per node)  per node: K costs from the landmarks, then K to them, u32 ms
//!                      (u32::MAX: unreachable); see [`super::landmarks`]
//! strings              UTF-8 bytes the ways point into
//! ```
//!
//! A node's out-edges are `first[i]..first[i + 1]` (the last node's end is the edge count);
//! edges point at nodes of any tile by [`NodeRef`], so a tile is read alone and its neighbours
//! only when a search reaches them. Turn restrictions live with their via node. Every edge's
//! cost is its shape's cumulative times: live speeds later replace those per edge, nothing
//! else. Decoding checks every count, offset and reference, so a damaged file is an error,
//! never a panic or a wild read.

use super::id::{EdgeRef, NodeRef, TileKey};
use crate::profile::{EdgeFlags, Mode, RoadClass};
use locus_core::geo::LatLng;

pub const MAGIC: &[u8; 8] = b"LOCUSRT\0";
pub const FORMAT_VERSION: u32 = 2;
const HEADER_BYTES: usize = 48;

pub const NODE_BARRIER: u8 = 1;
pub const NODE_VIA: u8 = 2;
/// Traffic keeps left here: turns are mirrored ([`crate::driving_side`]).
pub const NODE_LEFT_HAND: u8 = 4;
/// Three or more neighbouring nodes: turns here cost ([`crate::cost`]).
pub const NODE_JUNCTION: u8 = 8;
/// One neighbouring node: the only way on is back, at a U-turn's cost.
pub const NODE_DEAD_END: u8 = 16;

const CLASSES: [RoadClass; 10] = [
    RoadClass::Motorway,
    RoadClass::Trunk,
    RoadClass::Primary,
    RoadClass::Secondary,
    RoadClass::Tertiary,
    RoadClass::Unclassified,
    RoadClass::Residential,
    RoadClass::Service,
    RoadClass::Minor,
    RoadClass::Ferry,
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TileNode {
    pub at: LatLng,
    pub first_edge: u32,
    pub flags: u8,
    /// The node's cell at the overlay's finest level ([`super::partition`]).
    pub cell: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TileEdge {
    pub to: NodeRef,
    pub twin: Option<EdgeRef>,
    pub way: u32,
    pub shape_start: u32,
    pub shape_len: u32,
    pub class: RoadClass,
    pub flags: EdgeFlags,
    /// Whole-degree bearings of the first and the last segment (for turn costs).
    pub bearing_start: u16,
    pub bearing_end: u16,
    /// The edge lies in a small strongly connected component ([`super::components`]); stored
    /// as bit 7 of the flags byte.
    pub small_component: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapePoint {
    pub at: LatLng,
    pub cum_ms: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileWay {
    pub osm_id: i64,
    pub name: Option<String>,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileTurn {
    pub via: u32,
    pub from: EdgeRef,
    /// `true`: only_* (turns from `from` to edges not listed are forbidden); `false`: no_*.
    pub only: bool,
    pub to: u32,
}

/// A decoded tile.
#[derive(Debug, Clone, PartialEq)]
pub struct TileData {
    pub key: TileKey,
    pub mode: Mode,
    pub nodes: Vec<TileNode>,
    pub edges: Vec<TileEdge>,
    pub shape: Vec<ShapePoint>,
    pub ways: Vec<TileWay>,
    /// Sorted by via node.
    pub turns: Vec<TileTurn>,
    /// Landmarks per node (K), and `2K` values per node: costs from each landmark, then to it.
    pub landmark_count: u16,
    pub landmarks: Vec<u32>,
}

/// Why a tile file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    #[error("not a routing tile (bad magic)")]
    Magic,
    #[error("tile format version {0} is not supported (this build reads {FORMAT_VERSION})")]
    Version(u32),
    #[error("tile is truncated or has trailing bytes")]
    Length,
    #[error("tile checksum mismatch")]
    Checksum,
    #[error("tile is inconsistent: {0}")]
    Invalid(&'static str),
}

fn e7(v: f64) -> i32 {
    (v * 1e7).round() as i32
}

fn from_e7(lat: i32, lon: i32) -> Result<LatLng, FormatError> {
    LatLng::new(f64::from(lat) / 1e7, f64::from(lon) / 1e7).map_err(|_| FormatError::Invalid("position off the globe"))
}

fn mode_code(mode: Mode) -> u8 {
    match mode {
        Mode::Car => 0,
        Mode::Foot => 1,
        Mode::Bicycle => 2,
    }
}

impl TileData {
    /// The tile file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut strings: Vec<u8> = Vec::new();
        let mut string = |s: &Option<String>| -> (u32, u32) {
            match s {
                Some(s) => {
                    let at = strings.len() as u32;
                    strings.extend_from_slice(s.as_bytes());
                    (at, s.len() as u32)
                }
                None => (u32::MAX, 0),
            }
        };
        let mut body = Vec::with_capacity(self.nodes.len() * 17 + self.edges.len() * 34 + self.shape.len() * 12);
        for n in &self.nodes {
            body.extend_from_slice(&e7(n.at.lat()).to_le_bytes());
            body.extend_from_slice(&e7(n.at.lng()).to_le_bytes());
            body.extend_from_slice(&n.first_edge.to_le_bytes());
            body.push(n.flags);
            body.extend_from_slice(&n.cell.to_le_bytes());
        }
        for e in &self.edges {
            body.extend_from_slice(&e.to.0.to_le_bytes());
            body.extend_from_slice(&e.twin.map_or(u64::MAX, |t| t.0).to_le_bytes());
            body.extend_from_slice(&e.way.to_le_bytes());
            body.extend_from_slice(&e.shape_start.to_le_bytes());
            body.extend_from_slice(&e.shape_len.to_le_bytes());
            body.push(e.class as u8);
            body.push(e.flags.0 & 0x7f | if e.small_component { 0x80 } else { 0 });
            body.extend_from_slice(&e.bearing_start.to_le_bytes());
            body.extend_from_slice(&e.bearing_end.to_le_bytes());
        }
        for p in &self.shape {
            body.extend_from_slice(&e7(p.at.lat()).to_le_bytes());
            body.extend_from_slice(&e7(p.at.lng()).to_le_bytes());
            body.extend_from_slice(&p.cum_ms.to_le_bytes());
        }
        for w in &self.ways {
            body.extend_from_slice(&w.osm_id.to_le_bytes());
            for (at, len) in [string(&w.name), string(&w.reference)] {
                body.extend_from_slice(&at.to_le_bytes());
                body.extend_from_slice(&len.to_le_bytes());
            }
        }
        for t in &self.turns {
            body.extend_from_slice(&t.via.to_le_bytes());
            body.extend_from_slice(&t.from.0.to_le_bytes());
            body.push(u8::from(t.only));
            body.extend_from_slice(&t.to.to_le_bytes());
        }
        for d in &self.landmarks {
            body.extend_from_slice(&d.to_le_bytes());
        }
        body.extend_from_slice(&strings);

        let mut out = Vec::with_capacity(HEADER_BYTES + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(mode_code(self.mode));
        out.push(self.key.level);
        out.extend_from_slice(&self.landmark_count.to_le_bytes());
        out.extend_from_slice(&self.key.index.to_le_bytes());
        for count in [self.nodes.len(), self.edges.len(), self.shape.len(), self.ways.len(), self.turns.len()] {
            out.extend_from_slice(&(count as u32).to_le_bytes());
        }
        out.extend_from_slice(&(strings.len() as u32).to_le_bytes());
        let crc = checksum(&out, &body);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Reads a tile file's bytes, checking everything.
    pub fn decode(bytes: &[u8]) -> Result<TileData, FormatError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8)? != MAGIC {
            return Err(FormatError::Magic);
        }
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(FormatError::Version(version));
        }
        let mode = match r.u8()? {
            0 => Mode::Car,
            1 => Mode::Foot,
            2 => Mode::Bicycle,
            _ => return Err(FormatError::Invalid("unknown mode")),
        };
        let level = r.u8()?;
        let landmark_count = r.u16()?;
        if landmark_count > 64 {
            return Err(FormatError::Invalid("landmark count"));
        }
        let index = r.u32()?;
        if level > 2 {
            return Err(FormatError::Invalid("unknown level"));
        }
        let [n_nodes, n_edges, n_shape, n_ways, n_turns, n_strings] = [(); 6].map(|_| r.u32().map(|v| v as usize));
        let (n_nodes, n_edges, n_shape, n_ways, n_turns, n_strings) =
            (n_nodes?, n_edges?, n_shape?, n_ways?, n_turns?, n_strings?);
        let crc = r.u32()?;
        let expected = (n_nodes as u64) * 17
            + (n_edges as u64) * 34
            + (n_shape as u64) * 12
            + (n_ways as u64) * 24
            + (n_turns as u64) * 17
            + (n_nodes as u64) * 8 * u64::from(landmark_count)
            + n_strings as u64;
        if (bytes.len() - HEADER_BYTES) as u64 != expected {
            return Err(FormatError::Length);
        }
        if checksum(&bytes[..HEADER_BYTES - 4], &bytes[HEADER_BYTES..]) != crc {
            return Err(FormatError::Checksum);
        }

        let mut nodes = Vec::with_capacity(n_nodes);
        let mut last_first = 0;
        for _ in 0..n_nodes {
            let (lat, lon) = (r.i32()?, r.i32()?);
            let first_edge = r.u32()?;
            if first_edge < last_first || first_edge as usize > n_edges {
                return Err(FormatError::Invalid("node edge offsets"));
            }
            last_first = first_edge;
            nodes.push(TileNode { at: from_e7(lat, lon)?, first_edge, flags: r.u8()?, cell: r.u32()? });
        }
        let mut edges = Vec::with_capacity(n_edges);
        for _ in 0..n_edges {
            let to = NodeRef(r.u64()?);
            let twin = match r.u64()? {
                u64::MAX => None,
                t => Some(EdgeRef(t)),
            };
            let (way, shape_start, shape_len) = (r.u32()?, r.u32()?, r.u32()?);
            let class = *CLASSES.get(usize::from(r.u8()?)).ok_or(FormatError::Invalid("road class"))?;
            let raw_flags = r.u8()?;
            let (flags, small_component) = (EdgeFlags(raw_flags & 0x7f), raw_flags & 0x80 != 0);
            let (bearing_start, bearing_end) = (r.u16()?, r.u16()?);
            if bearing_start >= 360 || bearing_end >= 360 {
                return Err(FormatError::Invalid("edge bearing"));
            }
            if to.tile().level > 2 || twin.is_some_and(|t| t.tile().level > 2) {
                return Err(FormatError::Invalid("edge reference level"));
            }
            if way as usize >= n_ways || shape_len < 2 || u64::from(shape_start) + u64::from(shape_len) > n_shape as u64
            {
                return Err(FormatError::Invalid("edge way or shape range"));
            }
            edges.push(TileEdge {
                to,
                twin,
                way,
                shape_start,
                shape_len,
                class,
                flags,
                bearing_start,
                bearing_end,
                small_component,
            });
        }
        let mut shape = Vec::with_capacity(n_shape);
        for _ in 0..n_shape {
            let (lat, lon) = (r.i32()?, r.i32()?);
            shape.push(ShapePoint { at: from_e7(lat, lon)?, cum_ms: r.u32()? });
        }
        for e in &edges {
            let pts = &shape[e.shape_start as usize..(e.shape_start + e.shape_len) as usize];
            if pts[0].cum_ms != 0 || pts.windows(2).any(|w| w[1].cum_ms < w[0].cum_ms) {
                return Err(FormatError::Invalid("edge travel times"));
            }
        }
        let mut raw_ways = Vec::with_capacity(n_ways);
        for _ in 0..n_ways {
            raw_ways.push((r.i64()?, (r.u32()?, r.u32()?), (r.u32()?, r.u32()?)));
        }
        let mut turns = Vec::with_capacity(n_turns);
        for _ in 0..n_turns {
            let via = r.u32()?;
            let from = EdgeRef(r.u64()?);
            let only = r.u8()? == 1;
            let to = r.u32()?;
            if via as usize >= n_nodes || to as usize >= n_edges || from.tile().level > 2 {
                return Err(FormatError::Invalid("turn restriction reference"));
            }
            turns.push(TileTurn { via, from, only, to });
        }
        if turns.windows(2).any(|w| w[1].via < w[0].via) {
            return Err(FormatError::Invalid("turn restrictions not sorted"));
        }
        let n_landmarks = n_nodes * 2 * usize::from(landmark_count);
        let mut landmarks = Vec::with_capacity(n_landmarks);
        for _ in 0..n_landmarks {
            landmarks.push(r.u32()?);
        }
        let strings = r.take(n_strings)?;
        let text = |(at, len): (u32, u32)| -> Result<Option<String>, FormatError> {
            if at == u32::MAX {
                return Ok(None);
            }
            let end = at as usize + len as usize;
            let raw = strings.get(at as usize..end).ok_or(FormatError::Invalid("string range"))?;
            std::str::from_utf8(raw).map(|s| Some(s.to_owned())).map_err(|_| FormatError::Invalid("string encoding"))
        };
        let ways = raw_ways
            .into_iter()
            .map(|(osm_id, name, reference)| Ok(TileWay { osm_id, name: text(name)?, reference: text(reference)? }))
            .collect::<Result<Vec<_>, FormatError>>()?;
        Ok(TileData {
            key: TileKey { level, index },
            mode,
            nodes,
            edges,
            shape,
            ways,
            turns,
            landmark_count,
            landmarks,
        })
    }
}

pub(super) fn checksum(header: &[u8], body: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(header);
    hasher.update(body);
    hasher.finalize()
}

/// A bounds-checked little-endian cursor.
pub(super) struct Reader<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8], FormatError> {
        let end = self.at.checked_add(n).ok_or(FormatError::Length)?;
        let slice = self.bytes.get(self.at..end).ok_or(FormatError::Length)?;
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FormatError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(super) fn u8(&mut self) -> Result<u8, FormatError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, FormatError> {
        self.array().map(u16::from_le_bytes)
    }

    pub(super) fn u32(&mut self) -> Result<u32, FormatError> {
        self.array().map(u32::from_le_bytes)
    }

    fn i32(&mut self) -> Result<i32, FormatError> {
        self.array().map(i32::from_le_bytes)
    }

    pub(super) fn u64(&mut self) -> Result<u64, FormatError> {
        self.array().map(u64::from_le_bytes)
    }

    fn i64(&mut self) -> Result<i64, FormatError> {
        self.array().map(i64::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TileData {
        let key = TileKey { level: 2, index: 7 };
        let at = |lat, lng| LatLng::new(lat, lng).unwrap();
        TileData {
            key,
            mode: Mode::Bicycle,
            nodes: vec![
                TileNode { at: at(43.7, 7.4), first_edge: 0, flags: 0, cell: 0 },
                TileNode { at: at(43.71, 7.41), first_edge: 1, flags: NODE_VIA, cell: 1 },
            ],
            edges: vec![TileEdge {
                to: NodeRef::new(key, 1),
                twin: None,
                way: 0,
                shape_start: 0,
                shape_len: 3,
                class: RoadClass::Residential,
                flags: EdgeFlags::ROUNDABOUT,
                bearing_start: 45,
                bearing_end: 359,
                small_component: true,
            }],
            shape: vec![
                ShapePoint { at: at(43.7, 7.4), cum_ms: 0 },
                ShapePoint { at: at(43.705, 7.405), cum_ms: 900 },
                ShapePoint { at: at(43.71, 7.41), cum_ms: 2000 },
            ],
            ways: vec![TileWay { osm_id: 42, name: Some("Rue Grimaldi".into()), reference: None }],
            turns: vec![TileTurn { via: 1, from: EdgeRef::new(key, 0), only: true, to: 0 }],
            landmark_count: 1,
            landmarks: vec![0, 5, 7, u32::MAX],
        }
    }

    #[test]
    fn round_trips() {
        let tile = sample();
        assert_eq!(TileData::decode(&tile.encode()), Ok(tile));
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error_not_a_panic() {
        let bytes = sample().encode();
        for cut in 0..bytes.len() {
            assert!(TileData::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x5a;
            assert!(TileData::decode(&bad).is_err(), "flip at {i}");
        }
    }

    #[test]
    fn a_bad_reference_is_caught_even_with_a_valid_checksum() {
        let mut tile = sample();
        tile.edges[0].shape_len = 9;
        assert_eq!(TileData::decode(&tile.encode()), Err(FormatError::Invalid("edge way or shape range")));
        let mut tile = sample();
        tile.shape[1].cum_ms = 3000;
        assert_eq!(TileData::decode(&tile.encode()), Err(FormatError::Invalid("edge travel times")));
    }
}
