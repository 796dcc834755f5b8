//! The in-memory spatial indexes over business locations.
//!
//! Every index implements [`SpatialIndex`] and is *exact*: a radius search returns precisely the
//! entries whose [`haversine_m`](locus_core::geo::haversine_m) distance from the centre is
//! `<= radius`, ties included, and `nearest` returns the k smallest by `(distance, id)`.
//!
//! - [`quadtree`]: the book's quadtree (System Design Interview vol. 2, "Proximity service") over
//!   longitude/latitude, leaves of at most [`quadtree::LEAF_CAPACITY`] entries, nodes in an arena.
//! - [`rtree`]: an R*-tree (rstar) over 3D unit vectors, so the antimeridian and the poles need no
//!   special case.
//! - [`brute`]: the slow twin, a plain scan; the oracle of the property tests.
//!
//! Both trees prune with a conservative bound (chord length plus [`metric::CHORD_EPSILON`], or the
//! rectangles of `cap_rects`) and then filter every candidate with the one haversine (evaluated
//! with precomputed terms, bit for bit equal to `haversine_m`), so floating point rounding can
//! never drop or add a boundary point, and distances and their order equal the scan's exactly.

use std::fmt;
use std::str::FromStr;

use locus_core::geo::LatLng;

pub mod brute;
pub mod metric;
pub mod quadtree;
pub mod rtree;
mod sphere_box;
mod topk;

#[cfg(test)]
mod tests;

/// One search result: a business id and its exact haversine distance in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub distance_m: f64,
}

/// An in-memory point index over business locations. Implementations must be exact:
/// results equal a brute-force haversine scan (distance <= radius, ties included).
pub trait SpatialIndex: Send + Sync {
    /// Inserts or moves `id` (an id is held at most once).
    fn upsert(&mut self, id: i64, at: LatLng);
    /// Removes `id`; false if absent.
    fn remove(&mut self, id: i64) -> bool;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn location(&self, id: i64) -> Option<LatLng>;
    /// Calls `visit(id, location, distance_m)` for every entry with haversine distance <= radius_m, any order.
    fn visit_within(&self, center: LatLng, radius_m: f64, visit: &mut dyn FnMut(i64, LatLng, f64));
    /// The k nearest entries by haversine distance, sorted by (distance, id); any distance.
    fn nearest(&self, center: LatLng, k: usize) -> Vec<Hit>;
    /// Memory estimate in bytes (for the benchmark and /metrics).
    fn heap_bytes(&self) -> usize;
}

/// Which in-memory structure; parse from "quadtree" | "rtree".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TreeKind {
    Quadtree,
    RTree,
}

/// A tree kind name that is neither "quadtree" nor "rtree".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown spatial index {0:?}: expected \"quadtree\" or \"rtree\"")]
pub struct UnknownTreeKind(pub String);

impl FromStr for TreeKind {
    type Err = UnknownTreeKind;

    /// Accepts "quadtree" and "rtree" in any ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("quadtree") {
            Ok(TreeKind::Quadtree)
        } else if s.eq_ignore_ascii_case("rtree") {
            Ok(TreeKind::RTree)
        } else {
            Err(UnknownTreeKind(s.to_string()))
        }
    }
}

impl fmt::Display for TreeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TreeKind::Quadtree => "quadtree",
            TreeKind::RTree => "rtree",
        })
    }
}

/// Builds an index of the given kind from all entries at once (bulk load).
///
/// When an id occurs more than once, its last location wins, as if upserted in order.
pub fn build(kind: TreeKind, entries: Vec<(i64, LatLng)>) -> Box<dyn SpatialIndex> {
    match kind {
        TreeKind::Quadtree => Box::new(quadtree::Quadtree::bulk_load(entries)),
        TreeKind::RTree => Box::new(rtree::RTreeIndex::bulk_load(entries)),
    }
}

/// Convenience: all hits within radius, sorted by (distance, id).
pub fn within_sorted(index: &dyn SpatialIndex, center: LatLng, radius_m: f64) -> Vec<Hit> {
    let mut hits = Vec::new();
    index.visit_within(center, radius_m, &mut |id, _, distance_m| hits.push(Hit { id, distance_m }));
    sort_hits(&mut hits);
    hits
}

/// Sorts hits by (distance, id), the order every search answers in (distances compared as by
/// `f64::total_cmp`).
///
/// Large result sets are sorted as plain `u64`s, much faster than through a comparator: each
/// key is the distance's order-preserving bits with the lowest bits replaced by the hit's slot.
/// Truncation keeps the order between different keys, and the few runs of equal truncated keys
/// (distances within a few nanometres) are then put in exact order.
pub fn sort_hits(hits: &mut [Hit]) {
    let exact = |h: &Hit| (total_order_bits(h.distance_m), h.id);
    let n = hits.len();
    if n < 64 {
        hits.sort_unstable_by_key(exact);
        return;
    }
    let slot_bits = usize::BITS - (n - 1).leading_zeros();
    let slot_mask = (1u64 << slot_bits) - 1;
    let mut keys: Vec<u64> =
        (0u64..).zip(hits.iter()).map(|(slot, h)| (total_order_bits(h.distance_m) & !slot_mask) | slot).collect();
    keys.sort_unstable();
    let mut sorted: Vec<Hit> = keys.iter().map(|&k| hits[(k & slot_mask) as usize]).collect();
    let mut start = 0;
    while start < n {
        let run = keys[start] & !slot_mask;
        let end = start + keys[start..].iter().take_while(|&&k| k & !slot_mask == run).count();
        if end - start > 1 {
            sorted[start..end].sort_unstable_by_key(exact);
        }
        start = end;
    }
    hits.copy_from_slice(&sorted);
}

/// The bits of `x` as an unsigned integer that orders exactly as `f64::total_cmp`.
fn total_order_bits(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}
