//! The book's quadtree (System Design Interview vol. 2, "Proximity service").
//!
//! A 2D tree over longitude [-180, 180] x latitude [-90, 90]: a leaf holding more than
//! [`LEAF_CAPACITY`] entries splits into four quadrants, down to [`MAX_DEPTH`] (about 4 cm of
//! longitude), where a stack of identical locations simply stays in one over-full leaf. Nodes
//! live in one arena (`Vec<Node>`, children as four consecutive slots) and are never merged on
//! delete.
//!
//! A radius search visits the leaves that meet a rectangle of `cap_rects` (which handles the
//! antimeridian, the poles and the ±180 seam) and whose sphere box lies within the chord bound;
//! each leaf is visited once, so no id can be reported twice. k-nearest is a best-first search
//! ordered by the chord from the query to each node's [`SphereBox`], a true lower bound.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::mem::{size_of, take};

use locus_core::geo::{cap_rects, LatLng, Rect};

use super::metric::{chord2_limit, Center, Entry};
use super::sphere_box::SphereBox;
use super::topk::TopK;
use super::{Hit, SpatialIndex};

/// A leaf splits when it holds more than this many entries.
pub const LEAF_CAPACITY: usize = 100;

/// Leaves this deep never split (360° / 2^30 is about 4 cm), which ends the splitting of stacks
/// of identical locations.
pub const MAX_DEPTH: u8 = 30;

/// The root's slot; no node's children start there, so it doubles as "no children".
const ROOT: u32 = 0;

/// Deep enough for a depth-first walk: at most three siblings wait per level.
const STACK_DEPTH: usize = 4 * (MAX_DEPTH as usize + 1);

#[derive(Debug, Clone)]
struct Node {
    bounds: Rect,
    sphere: SphereBox,
    depth: u8,
    /// Slot of the first of four children (SW, SE, NW, NE), or [`ROOT`] for a leaf.
    first_child: u32,
    /// The entries of a leaf; empty for an inner node.
    entries: Vec<Entry>,
}

impl Node {
    fn new(bounds: Rect, depth: u8) -> Self {
        Node { bounds, sphere: SphereBox::around(&bounds), depth, first_child: ROOT, entries: Vec::new() }
    }

    fn is_leaf(&self) -> bool {
        self.first_child == ROOT
    }

    /// Which child quadrant holds `p`: the midlines belong to the east and north quadrants.
    fn quadrant(&self, p: LatLng) -> u32 {
        let b = &self.bounds;
        let east = p.lng() >= (b.min_lng + b.max_lng) / 2.0;
        let north = p.lat() >= (b.min_lat + b.max_lat) / 2.0;
        u32::from(north) * 2 + u32::from(east)
    }

    fn child_bounds(&self, quadrant: u32) -> Rect {
        let b = &self.bounds;
        let (mid_lng, mid_lat) = ((b.min_lng + b.max_lng) / 2.0, (b.min_lat + b.max_lat) / 2.0);
        let (min_lng, max_lng) = if quadrant & 1 == 1 { (mid_lng, b.max_lng) } else { (b.min_lng, mid_lng) };
        let (min_lat, max_lat) = if quadrant & 2 == 2 { (mid_lat, b.max_lat) } else { (b.min_lat, mid_lat) };
        Rect { min_lng, min_lat, max_lng, max_lat }
    }

    fn meets(&self, r: &Rect) -> bool {
        let b = &self.bounds;
        b.min_lng <= r.max_lng && r.min_lng <= b.max_lng && b.min_lat <= r.max_lat && r.min_lat <= b.max_lat
    }
}

/// The quadtree index; see the module documentation.
#[derive(Debug, Clone)]
pub struct Quadtree {
    nodes: Vec<Node>,
    locations: HashMap<i64, LatLng>,
}

impl Default for Quadtree {
    fn default() -> Self {
        Self::new()
    }
}

impl Quadtree {
    pub fn new() -> Self {
        let world = Rect { min_lng: -180.0, min_lat: -90.0, max_lng: 180.0, max_lat: 90.0 };
        Quadtree { nodes: vec![Node::new(world, 0)], locations: HashMap::new() }
    }

    /// Builds the tree top-down from all entries; a repeated id keeps its last location.
    pub fn bulk_load(entries: Vec<(i64, LatLng)>) -> Self {
        let mut tree = Quadtree::new();
        let mut locations = HashMap::with_capacity(entries.len());
        for &(id, at) in &entries {
            locations.insert(id, at);
        }
        let root = if locations.len() == entries.len() {
            entries.iter().map(|&(id, at)| Entry::new(id, at)).collect()
        } else {
            locations.iter().map(|(&id, &at)| Entry::new(id, at)).collect()
        };
        tree.nodes[ROOT as usize].entries = root;
        tree.locations = locations;
        tree.split_overfull(ROOT);
        tree
    }

    /// The slot of the leaf whose rectangle holds `p`.
    fn leaf_for(&self, p: LatLng) -> usize {
        let mut slot = ROOT as usize;
        loop {
            let node = &self.nodes[slot];
            if node.is_leaf() {
                return slot;
            }
            slot = (node.first_child + node.quadrant(p)) as usize;
        }
    }

    /// Splits `start` and, in turn, any new child that is still over capacity.
    fn split_overfull(&mut self, start: u32) {
        let mut pending = vec![start];
        while let Some(slot) = pending.pop() {
            let slot = slot as usize;
            let node = &mut self.nodes[slot];
            if node.entries.len() <= LEAF_CAPACITY || node.depth >= MAX_DEPTH {
                continue;
            }
            let entries = take(&mut node.entries);
            let parent = &self.nodes[slot];
            let mut children = [0, 1, 2, 3].map(|q| Node::new(parent.child_bounds(q), parent.depth + 1));
            let mut counts = [0usize; 4];
            for e in &entries {
                counts[parent.quadrant(e.at) as usize] += 1;
            }
            for (child, &count) in children.iter_mut().zip(&counts) {
                child.entries.reserve_exact(count);
            }
            for e in entries {
                children[parent.quadrant(e.at) as usize].entries.push(e);
            }
            // An arena of 2^32 nodes would need hundreds of GiB: u32 slots cannot overflow.
            let first = self.nodes.len() as u32;
            self.nodes[slot].first_child = first;
            self.nodes.extend(children);
            pending.extend(first..first + 4);
        }
    }

    fn insert_entry(&mut self, e: Entry) {
        let slot = self.leaf_for(e.at);
        let leaf = &mut self.nodes[slot];
        leaf.entries.push(e);
        if leaf.entries.len() > LEAF_CAPACITY {
            self.split_overfull(slot as u32);
        }
    }

    fn remove_entry(&mut self, id: i64, at: LatLng) {
        let slot = self.leaf_for(at);
        let entries = &mut self.nodes[slot].entries;
        if let Some(i) = entries.iter().position(|e| e.id == id) {
            entries.swap_remove(i);
        }
    }
}

impl SpatialIndex for Quadtree {
    fn upsert(&mut self, id: i64, at: LatLng) {
        if let Some(old) = self.locations.insert(id, at) {
            self.remove_entry(id, old);
        }
        self.insert_entry(Entry::new(id, at));
    }

    fn remove(&mut self, id: i64) -> bool {
        match self.locations.remove(&id) {
            Some(at) => {
                self.remove_entry(id, at);
                true
            }
            None => false,
        }
    }

    fn len(&self) -> usize {
        self.locations.len()
    }

    fn location(&self, id: i64) -> Option<LatLng> {
        self.locations.get(&id).copied()
    }

    fn visit_within(&self, center: LatLng, radius_m: f64, visit: &mut dyn FnMut(i64, LatLng, f64)) {
        let c = Center::new(center);
        let limit2 = chord2_limit(radius_m);
        let rects = cap_rects(center, radius_m);
        let mut stack = [ROOT; STACK_DEPTH];
        let mut top = 1;
        while top > 0 {
            top -= 1;
            let node = &self.nodes[stack[top] as usize];
            if !node.is_leaf() {
                for child in node.first_child..node.first_child + 4 {
                    let n = &self.nodes[child as usize];
                    if rects.iter().any(|r| n.meets(r)) && n.sphere.distance2(c.v) <= limit2 {
                        stack[top] = child;
                        top += 1;
                    }
                }
                continue;
            }
            for e in &node.entries {
                if c.chord2(e) <= limit2 {
                    let d = c.haversine(e);
                    if d <= radius_m {
                        visit(e.id, e.at, d);
                    }
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
        let mut queue = BinaryHeap::new();
        queue.push(Pending { chord2: self.nodes[ROOT as usize].sphere.distance2(c.v), slot: ROOT });
        while let Some(Pending { chord2: bound2, slot }) = queue.pop() {
            if bound2 > limit2 {
                break;
            }
            let node = &self.nodes[slot as usize];
            if !node.is_leaf() {
                for child in node.first_child..node.first_child + 4 {
                    let n = &self.nodes[child as usize];
                    let bound2 = n.sphere.distance2(c.v);
                    if bound2 <= limit2 && !(n.is_leaf() && n.entries.is_empty()) {
                        queue.push(Pending { chord2: bound2, slot: child });
                    }
                }
                continue;
            }
            for e in &node.entries {
                if c.chord2(e) <= limit2 {
                    best.offer_bounded(e.id, c.haversine(e), &mut limit2);
                }
            }
        }
        best.into_sorted()
    }

    fn heap_bytes(&self) -> usize {
        let entries: usize = self.nodes.iter().map(|n| n.entries.capacity()).sum();
        self.nodes.capacity() * size_of::<Node>()
            + entries * size_of::<Entry>()
            + self.locations.capacity() * (size_of::<(i64, LatLng)>() + 1)
    }
}

/// A node waiting in the best-first queue, nearest bound first.
#[derive(Clone, Copy)]
struct Pending {
    chord2: f64,
    slot: u32,
}

impl Ord for Pending {
    /// Reversed, so `BinaryHeap` pops the smallest bound.
    fn cmp(&self, other: &Self) -> Ordering {
        other.chord2.total_cmp(&self.chord2).then(other.slot.cmp(&self.slot))
    }
}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pending {}
