//! An R*-tree (rstar) over the entries' 3D unit vectors.
//!
//! On the unit sphere the antimeridian and the poles are ordinary places, so nothing here
//! special-cases them. The straight-line (chord) distance between unit vectors orders points
//! exactly as the great-circle distance does: a radius search asks rstar for every point within
//! the chord bound of [`chord2_limit`] and keeps those the haversine accepts; k-nearest walks
//! rstar's nearest-neighbour iterator until the chord passes the k-th haversine distance found.
//!
//! The index is two trees: `base`, bulk-loaded (OMT packing) and afterwards only shrunk by
//! removals, and `delta`, built by insertion, which takes every upsert. rstar 0.12's bulk load
//! can leave leaves on different depths, and a later `insert` into such a tree panics ("This is
//! a bug in rstar.", fixed upstream in rstar 0.14); removal is safe on either tree. Searches read
//! both trees.

use std::collections::HashMap;
use std::mem::size_of;

use locus_core::geo::LatLng;
use rstar::{PointDistance, RTree, RTreeNode, RTreeObject, AABB};

use super::metric::{chord2, chord2_limit, Center, Entry};
use super::topk::TopK;
use super::{Hit, SpatialIndex};

/// rstar sees an entry as its unit vector.
impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 3]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.v)
    }
}

impl PointDistance for Entry {
    fn distance_2(&self, point: &[f64; 3]) -> f64 {
        chord2(self.v, *point)
    }

    fn contains_point(&self, point: &[f64; 3]) -> bool {
        self.v == *point
    }

    /// A point's envelope is the point: skip rstar's default envelope pre-check.
    fn distance_2_if_less_or_equal(&self, point: &[f64; 3], max_distance_2: f64) -> Option<f64> {
        let d2 = chord2(self.v, *point);
        (d2 <= max_distance_2).then_some(d2)
    }
}

/// Where an id's entry lives.
#[derive(Debug, Clone, Copy)]
struct Held {
    at: LatLng,
    in_base: bool,
}

/// The R-tree index; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct RTreeIndex {
    base: RTree<Entry>,
    delta: RTree<Entry>,
    held: HashMap<i64, Held>,
}

impl RTreeIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bulk-loads the tree; a repeated id keeps its last location.
    pub fn bulk_load(entries: Vec<(i64, LatLng)>) -> Self {
        let mut held = HashMap::with_capacity(entries.len());
        for &(id, at) in &entries {
            held.insert(id, Held { at, in_base: true });
        }
        let items = if held.len() == entries.len() {
            entries.iter().map(|&(id, at)| Entry::new(id, at)).collect()
        } else {
            held.iter().map(|(&id, h)| Entry::new(id, h.at)).collect()
        };
        RTreeIndex { base: RTree::bulk_load(items), delta: RTree::new(), held }
    }

    fn trees(&self) -> [&RTree<Entry>; 2] {
        [&self.base, &self.delta]
    }

    fn take_out(&mut self, id: i64, held: Held) {
        let tree = if held.in_base { &mut self.base } else { &mut self.delta };
        tree.remove(&Entry::new(id, held.at));
    }
}

impl SpatialIndex for RTreeIndex {
    fn upsert(&mut self, id: i64, at: LatLng) {
        if let Some(old) = self.held.insert(id, Held { at, in_base: false }) {
            self.take_out(id, old);
        }
        self.delta.insert(Entry::new(id, at));
    }

    fn remove(&mut self, id: i64) -> bool {
        match self.held.remove(&id) {
            Some(held) => {
                self.take_out(id, held);
                true
            }
            None => false,
        }
    }

    fn len(&self) -> usize {
        self.held.len()
    }

    fn location(&self, id: i64) -> Option<LatLng> {
        self.held.get(&id).map(|h| h.at)
    }

    fn visit_within(&self, center: LatLng, radius_m: f64, visit: &mut dyn FnMut(i64, LatLng, f64)) {
        let (c, limit2) = (Center::new(center), chord2_limit(radius_m));
        for tree in self.trees() {
            for e in tree.locate_within_distance(c.v, limit2) {
                let d = c.haversine(e);
                if d <= radius_m {
                    visit(e.id, e.at, d);
                }
            }
        }
    }

    fn nearest(&self, center: LatLng, k: usize) -> Vec<Hit> {
        let mut best = TopK::new(k);
        if k == 0 {
            return best.into_sorted();
        }
        let c = Center::new(center);
        let mut limit2 = f64::INFINITY;
        for tree in self.trees() {
            for (e, chord2) in tree.nearest_neighbor_iter_with_distance_2(&c.v) {
                // Each iterator ascends by chord, and the bound only shrinks: past it nothing in
                // this tree can reach (or tie) the k-th distance any more.
                if chord2 > limit2 {
                    break;
                }
                best.offer_bounded(e.id, c.haversine(e), &mut limit2);
            }
        }
        best.into_sorted()
    }

    fn heap_bytes(&self) -> usize {
        let mut slots = 0;
        let mut pending: Vec<_> = self.trees().iter().map(|t| t.root()).collect();
        while let Some(parent) = pending.pop() {
            slots += parent.children().len();
            for child in parent.children() {
                if let RTreeNode::Parent(p) = child {
                    pending.push(p);
                }
            }
        }
        slots * size_of::<RTreeNode<Entry>>() + self.held.capacity() * (size_of::<(i64, Held)>() + 1)
    }
}
