//! Snapping: the nearest point on a road the profile may use, on either side.
//!
//! Each tile gets an R-tree (rstar) of its edges' segments, built the first time a query
//! snaps in that tile, in a plane local to the tile (longitude scaled by the cosine of the
//! tile's middle latitude). Candidates come out of the tree by planar distance and are ranked
//! by the haversine distance to their exact projection. A road travelled both ways is indexed
//! once; the snap names both directed edges, so a route may leave it either way.
//!
//! A bearing filter (OSRM's `bearings`) keeps only the directions of travel within its range:
//! a segment none of whose directions match is passed over, and a two-way road keeps only the
//! side(s) that match.

use crate::cost;
use crate::tiles::{EdgeRef, NodeRef, Tile, TileKey, TileStore};
use crate::RouteError;
use locus_core::geo::{haversine_m, LatLng};
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

/// Metres per degree of latitude (R = 6,371,008.8 m).
const M_PER_DEG: f64 = 111_195.08;

/// How far a query point may lie from the road it snaps to, unless the query says otherwise.
pub const DEFAULT_RADIUS_M: f64 = 5_000.0;
/// The largest snapping radius a query may ask for.
pub const MAX_RADIUS_M: f64 = 50_000.0;

/// Snapping reads tiles at most this far (degrees) beyond the search radius for edges that
/// reach out of their tiles; a longer edge (a ferry) is found from its own tiles only.
const MAX_OVERHANG_DEG: f64 = 0.5;

type Segment = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

/// The segments of one tile.
#[derive(Debug)]
pub struct SegmentIndex {
    cos_lat: f64,
    tree: RTree<Segment>,
}

impl SegmentIndex {
    pub fn build(tile: &Tile) -> SegmentIndex {
        let ((south, _), (north, _)) = tile.key().bounds();
        let cos_lat = ((south + north) / 2.0).to_radians().cos().max(0.01);
        let mut segments = Vec::new();
        for (i, e) in tile.data.edges.iter().enumerate() {
            // A two-way road once: by the direction with the smaller id.
            if e.twin.is_some_and(|t| t < EdgeRef::new(tile.key(), i as u32)) {
                continue;
            }
            let shape = tile.shape(i as u32);
            for (k, w) in shape.windows(2).enumerate() {
                let (a, b) = (plane(w[0].at, cos_lat), plane(w[1].at, cos_lat));
                segments.push(Segment::new(Line::new(a, b), (i as u32, k as u32)));
            }
        }
        SegmentIndex { cos_lat, tree: RTree::bulk_load(segments) }
    }
}

fn plane(p: LatLng, cos_lat: f64) -> [f64; 2] {
    [p.lng() * cos_lat, p.lat()]
}

/// A point on a directed edge: the segment it lies on and how far along that segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgePoint {
    pub edge: EdgeRef,
    /// The segment index within the edge's shape, and the fraction along it (0..=1).
    pub segment: u32,
    pub fraction: f64,
    /// Travel time from the edge's start to the point, in ms (exact at shape points).
    pub offset_ms: u32,
}

/// A query point snapped to the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Snap {
    pub location: LatLng,
    pub distance_m: f64,
    /// The directed edges through the point: one for a one-way road, two for a two-way one.
    pub sides: Vec<EdgePoint>,
    /// The node the point falls on, when it is exactly a node of the tiles.
    pub node: Option<NodeRef>,
    pub name: String,
    /// The road lies in a small strongly connected component (see [`crate::tiles::components`]).
    pub small_component: bool,
}

/// Which roads a snap may land on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Any,
    /// Only roads outside small components.
    MainNetwork,
}

/// The offset of a point on an edge.
pub fn edge_point(tile: &Tile, local: u32, segment: u32, fraction: f64) -> EdgePoint {
    let shape = tile.shape(local);
    let k = (segment as usize).min(shape.len() - 2);
    let (a, b) = (shape[k].cum_ms, shape[k + 1].cum_ms);
    let offset_ms = if fraction <= 0.0 {
        a
    } else if fraction >= 1.0 {
        b
    } else {
        a + (f64::from(b - a) * fraction).round() as u32
    };
    EdgePoint { edge: EdgeRef::new(tile.key(), local), segment: k as u32, fraction, offset_ms }
}

/// Whether travel at `bearing` lies within `range` degrees of `want` either way, bounds
/// included (whole degrees; 360 is 0), as OSRM compares a segment with a requested bearing.
pub fn bearing_matches(bearing: u16, (want, range): (u16, u16)) -> bool {
    let d = (i32::from(bearing) - i32::from(want)).rem_euclid(360);
    d.min(360 - d) <= i32::from(range)
}

/// Up to `count` snaps of `at`, nearest first, within `radius_m`, on distinct roads; with a
/// `bearing` `(value, range)`, only on segments travelled within `range` of `value`, each snap
/// keeping only the matching sides (and never a bare node, which a route may leave any way).
pub fn snap(
    store: &TileStore,
    at: LatLng,
    radius_m: f64,
    count: usize,
    reach: Reach,
    bearing: Option<(u16, u16)>,
) -> Result<Vec<Snap>, RouteError> {
    let per_tile = match reach {
        Reach::Any => count.max(1) * 8,
        Reach::MainNetwork => count.max(1) * 64,
    };
    // A bearing passes over many of the nearest segments.
    let per_tile = if bearing.is_some() { per_tile * 8 } else { per_tile };
    let radius_m = radius_m.clamp(0.0, MAX_RADIUS_M);
    let dlat = radius_m / M_PER_DEG;
    let dlng = (dlat / at.lat().to_radians().cos().max(0.01)).min(180.0);
    type Hit = (f64, LatLng, std::sync::Arc<Tile>, u32, u32, f64);
    let mut found: Vec<Hit> = Vec::new();
    for level in store.manifest.levels.iter() {
        // Edges are stored with their source node and may reach out of its tile.
        let extra = level.overhang_deg.min(MAX_OVERHANG_DEG);
        let (dlat, dlng) = (dlat + extra, (dlng + extra).min(180.0));
        let level = level.level;
        let (south, north) = ((at.lat() - dlat).max(-90.0), (at.lat() + dlat).min(90.0));
        let mut keys =
            TileKey::covering(level, south, (at.lng() - dlng).max(-180.0), north, (at.lng() + dlng).min(180.0));
        // A box past the antimeridian continues on the other side.
        if at.lng() - dlng < -180.0 {
            keys.extend(TileKey::covering(level, south, at.lng() - dlng + 360.0, north, 180.0));
        }
        if at.lng() + dlng > 180.0 {
            keys.extend(TileKey::covering(level, south, -180.0, north, at.lng() + dlng - 360.0));
        }
        for key in keys {
            let Some(tile) = store.get(key)? else { continue };
            let index = tile.segments();
            let q = plane(at, index.cos_lat);
            for (taken, (seg, d2)) in index.tree.nearest_neighbor_iter_with_distance_2(&q).enumerate() {
                // The plane distance underestimates by little within a tile; stop well past
                // the radius or after enough candidates.
                if d2.sqrt() * M_PER_DEG > radius_m * 1.2 + 1.0 || taken >= per_tile {
                    break;
                }
                let (edge, k) = seg.data;
                if !may_start_on(&tile, edge)
                    || (reach == Reach::MainNetwork && in_small_component(store, &tile, edge)?)
                {
                    continue;
                }
                let (point, fraction) = project(at, seg.geom(), index.cos_lat);
                let d = haversine_m(at, point);
                if d <= radius_m {
                    found.push((d, point, tile.clone(), edge, k, fraction));
                }
            }
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut snaps: Vec<Snap> = Vec::new();
    let mut seen: Vec<EdgeRef> = Vec::new();
    for (_, point, tile, edge, k, fraction) in found {
        let me = EdgeRef::new(tile.key(), edge);
        if seen.contains(&me) {
            continue;
        }
        let Some(snap) = resolve(store, &tile, edge, k, fraction, point, at, bearing)? else { continue };
        seen.push(me);
        snaps.push(snap);
        if snaps.len() >= count {
            break;
        }
    }
    Ok(snaps)
}

/// Whether a road (both its directions) lies in small components.
fn in_small_component(store: &TileStore, tile: &Tile, edge: u32) -> Result<bool, RouteError> {
    let e = tile.edge(edge);
    if !e.small_component {
        return Ok(false);
    }
    match e.twin {
        None => Ok(true),
        Some(t) if t.tile() == tile.key() => Ok(tile.edge(t.local()).small_component),
        Some(t) => Ok(store.get(t.tile())?.is_none_or(|other| other.edge(t.local()).small_component)),
    }
}

/// Whether routes may start or end on this road at all (OSRM's `startpoint`).
fn may_start_on(tile: &Tile, edge: u32) -> bool {
    !tile.edge(edge).flags.contains(crate::profile::EdgeFlags::NOT_STARTPOINT)
}

/// The point nearest `at` on segment `line` (plane coordinates) and the fraction along it.
fn project(at: LatLng, line: &Line<[f64; 2]>, cos_lat: f64) -> (LatLng, f64) {
    let p = plane(at, cos_lat);
    let (a, b) = (line.from, line.to);
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let (x, y) = (a[0] + t * dx, a[1] + t * dy);
    let point = LatLng::new(y.clamp(-90.0, 90.0), (x / cos_lat).clamp(-180.0, 180.0)).unwrap_or(at);
    (point, t)
}

/// Within this distance of a shape point, a projection is that point: the snap then lands
/// exactly on a node, free to leave it by any road.
const SAME_POINT_M: f64 = 0.01;

/// Pulls a fraction onto the segment's ends when the point is (within float error) one of them.
fn settle(point: LatLng, a: LatLng, b: LatLng, fraction: f64) -> f64 {
    if haversine_m(point, a) <= SAME_POINT_M {
        0.0
    } else if haversine_m(point, b) <= SAME_POINT_M {
        1.0
    } else {
        fraction
    }
}

/// Turns a segment hit into a snap: both directions of the road, and the node when the point
/// is one. With a `bearing`, only the directions of travel along segment `k` that match it, and
/// no node; `None` when neither direction matches.
#[allow(clippy::too_many_arguments)]
fn resolve(
    store: &TileStore,
    tile: &std::sync::Arc<Tile>,
    edge: u32,
    k: u32,
    fraction: f64,
    point: LatLng,
    query: LatLng,
    bearing: Option<(u16, u16)>,
) -> Result<Option<Snap>, RouteError> {
    let shape = tile.shape(edge);
    let last = shape.len() as u32 - 2;
    let fraction = settle(point, shape[k as usize].at, shape[k as usize + 1].at, fraction);
    let forward = edge_point(tile, edge, k, fraction);
    let location = if fraction <= 0.0 {
        shape[k as usize].at
    } else if fraction >= 1.0 {
        shape[k as usize + 1].at
    } else {
        point
    };
    let e = tile.edge(edge);
    let node = if k == 0 && fraction <= 0.0 {
        Some(tile.edge_source(edge))
    } else if k == last && fraction >= 1.0 {
        Some(e.to)
    } else {
        None
    };
    let (a, b) = (shape[k as usize].at, shape[k as usize + 1].at);
    let matches = |from: LatLng, to: LatLng| bearing.is_none_or(|want| bearing_matches(cost::bearing(from, to), want));
    let mut sides = Vec::with_capacity(2);
    if matches(a, b) {
        sides.push(forward);
    }
    if let Some(twin) = e.twin.filter(|_| matches(b, a)) {
        if let Some(twin_tile) = store.get(twin.tile())? {
            let back_len = twin_tile.shape(twin.local()).len() as u32;
            if back_len == shape.len() as u32 {
                sides.push(edge_point(&twin_tile, twin.local(), back_len - 2 - k, 1.0 - fraction));
            }
        }
    }
    if sides.is_empty() {
        return Ok(None);
    }
    let node = if bearing.is_some() { None } else { node };
    let way = &tile.data.ways[e.way as usize];
    let name = way.name.clone().or_else(|| way.reference.clone()).unwrap_or_default();
    let small_component = in_small_component(store, tile, edge)?;
    Ok(Some(Snap { location, distance_m: haversine_m(query, location), sides, node, name, small_component }))
}
