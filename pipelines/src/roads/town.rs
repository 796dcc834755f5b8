//! One town: a residential street grid around a main cross (the routes of the two lattice
//! lines through the town), with one-way streets, bollards, turn restrictions at real
//! intersections and, added last to spend the node budget exactly, dead-end closes, a few
//! behind a gate.
//!
//! Connectivity by construction: the border ring and the main cross are two-way and every row
//! and column runs from border to border, so any intersection is reachable from the ring and
//! can reach it whatever the one-way streets. Bollards (closed to cars) sit only in the middle
//! of two-way blocks, which stay reachable from both ends; gates only at the tips of closes.
//! Restrictions are `no_left_turn` or `only_straight_on` at interior crossings of two-way
//! streets, whose ways are split there so the `from` way ends and the `to` way starts at the
//! via node, as the OSM wiki asks.

use super::build::{jitter, mix, Builder};
use super::class::{tags, Route, AWKWARD_NAMES};
use super::plan::{Plan, Pt, TownPlan};
use locus_routing::osm::TurnKind;
use locus_routing::Tags;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashSet};

/// Share of the interior residential streets that are one-way.
const ONEWAY_SHARE: f64 = 0.2;
/// One turn restriction per this many interior intersections (rounded at random).
const INTERSECTIONS_PER_RESTRICTION: usize = 150;
/// One bollard per this many interior blocks edges of north-south streets.
const EDGES_PER_BOLLARD: usize = 250;
/// Share of closes with a gate at their tip.
const GATED_CLOSES: f64 = 0.05;

/// A town's grid as built: its node ids follow from `base` (intersections row by row, then the
/// shape nodes of east-west block edges, then those of north-south ones) and its positions
/// from the jitter key, so nothing per node is stored.
#[derive(Debug, Clone)]
pub struct Town {
    base: i64,
    pub w: usize,
    pub h: usize,
    origin: Pt,
    block: f64,
    key: u64,
}

/// Which way a street's traffic may run relative to increasing x (rows) or y (columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Both,
    Forward,
    Backward,
}

#[derive(Debug, Clone)]
struct Street {
    tags: Tags,
    dir: Dir,
}

/// The ways meeting at a restriction's via node: `[west, east, south, north]` (0 until built).
type Arms = [i64; 4];
const WEST: usize = 0;
const EAST: usize = 1;
const SOUTH: usize = 2;
const NORTH: usize = 3;

impl Town {
    pub fn inter(&self, i: usize, j: usize) -> i64 {
        self.base + (j * self.w + i) as i64
    }

    /// The shape node of the block edge from `(i, j)` east to `(i + 1, j)`.
    pub fn hshape(&self, i: usize, j: usize) -> i64 {
        self.base + (self.w * self.h + j * (self.w - 1) + i) as i64
    }

    /// The shape node of the block edge from `(i, j)` north to `(i, j + 1)`.
    pub fn vshape(&self, i: usize, j: usize) -> i64 {
        self.base + (self.w * self.h + (self.w - 1) * self.h + j * self.w + i) as i64
    }

    pub fn inter_pos(&self, i: usize, j: usize) -> Pt {
        let k = 2 * (j * self.w + i) as u64;
        let d = 0.08 * self.block;
        (
            self.origin.0 + i as f64 * self.block + d * jitter(self.key, k),
            self.origin.1 + j as f64 * self.block + d * jitter(self.key, k + 1),
        )
    }

    fn shape_pos(&self, a: Pt, b: Pt, salt: u64) -> Pt {
        let k = mix(salt) ^ 0x5eed;
        let (along, across) = (0.1 * self.block * jitter(self.key, k), 0.03 * self.block * jitter(self.key, k + 1));
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy).max(1e-9);
        let (ux, uy) = (dx / len, dy / len);
        ((a.0 + b.0) / 2.0 + ux * along - uy * across, (a.1 + b.1) / 2.0 + uy * along + ux * across)
    }

    pub fn hshape_pos(&self, i: usize, j: usize) -> Pt {
        self.shape_pos(self.inter_pos(i, j), self.inter_pos(i + 1, j), self.hshape(i, j) as u64)
    }

    pub fn vshape_pos(&self, i: usize, j: usize) -> Pt {
        self.shape_pos(self.inter_pos(i, j), self.inter_pos(i, j + 1), self.vshape(i, j) as u64)
    }

    fn gate(&self, i: usize, j: usize) -> (i64, Pt) {
        (self.inter(i, j), self.inter_pos(i, j))
    }

    /// Where the intercity roads attach: the ends of the main cross.
    pub fn west_gate(&self) -> (i64, Pt) {
        self.gate(0, self.h / 2)
    }

    pub fn east_gate(&self) -> (i64, Pt) {
        self.gate(self.w - 1, self.h / 2)
    }

    pub fn south_gate(&self) -> (i64, Pt) {
        self.gate(self.w / 2, 0)
    }

    pub fn north_gate(&self) -> (i64, Pt) {
        self.gate(self.w / 2, self.h - 1)
    }

    /// The north-east and south-west corners (where ferries land).
    pub fn north_east(&self) -> (i64, Pt) {
        self.gate(self.w - 1, self.h - 1)
    }

    pub fn south_west(&self) -> (i64, Pt) {
        self.gate(0, 0)
    }
}

/// A residential street, one-way at random unless it is on the border ring.
fn residential(name: String, may_be_oneway: bool, rng: &mut ChaCha8Rng) -> Street {
    let name = if rng.gen_bool(0.01) { AWKWARD_NAMES[rng.gen_range(0..AWKWARD_NAMES.len())].to_owned() } else { name };
    let mut t = tags(&[("highway", "residential"), ("name", &name)]);
    let dir = if may_be_oneway && rng.gen_bool(ONEWAY_SHARE) {
        t.insert("oneway", "yes");
        if rng.gen_bool(0.5) {
            Dir::Forward
        } else {
            Dir::Backward
        }
    } else {
        Dir::Both
    };
    if rng.gen_bool(0.25) {
        t.insert("maxspeed", "30");
    }
    Street { tags: t, dir }
}

/// Splits a street of `n` intersections into ways of 1 to 5 blocks, also splitting at each of
/// `forced` (sorted intersection indices).
fn spans(n: usize, forced: &[usize], rng: &mut ChaCha8Rng) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = 0;
    while a + 1 < n {
        let mut b = (a + rng.gen_range(1..=5)).min(n - 1);
        if let Some(&f) = forced.iter().find(|&&f| f > a && f < b) {
            b = f;
        }
        out.push((a, b));
        a = b;
    }
    out
}

/// Builds the street grid of town `index` of `plan` (nodes, ways, restrictions).
pub fn grid(b: &mut Builder, plan: &Plan, index: usize, seed: u64, rng: &mut ChaCha8Rng) -> Town {
    let t: &TownPlan = &plan.towns[index];
    let (w, h) = (t.w, t.h);
    let town =
        Town { base: b.next_node_id(), w, h, origin: t.origin(), block: t.block, key: mix(seed ^ mix(index as u64)) };
    let (mid_i, mid_j) = (w / 2, h / 2);
    let main = |route: Route| Street { tags: route.tags(Some("50")), dir: Dir::Both };
    let rows: Vec<Street> = (0..h)
        .map(|j| {
            if j == mid_j {
                main(Route::row(t.row))
            } else {
                residential(format!("Street {}", j + 1), j != 0 && j != h - 1, rng)
            }
        })
        .collect();
    let cols: Vec<Street> = (0..w)
        .map(|i| {
            if i == mid_i {
                main(Route::col(t.col))
            } else {
                residential(format!("Avenue {}", i + 1), i != 0 && i != w - 1, rng)
            }
        })
        .collect();

    // Turn restrictions at interior crossings of two-way streets.
    let mut vias: BTreeMap<(usize, usize), Arms> = BTreeMap::new();
    let interior = (w - 2) * (h - 2);
    let wanted = (interior + rng.gen_range(0..INTERSECTIONS_PER_RESTRICTION)) / INTERSECTIONS_PER_RESTRICTION;
    for _ in 0..wanted * 4 {
        if vias.len() >= wanted {
            break;
        }
        let (i, j) = (rng.gen_range(1..w - 1), rng.gen_range(1..h - 1));
        if rows[j].dir == Dir::Both && cols[i].dir == Dir::Both {
            vias.insert((i, j), [0; 4]);
        }
    }

    // Bollards in the middle of blocks of interior two-way north-south streets.
    let mut bollards = HashSet::new();
    let candidates: Vec<usize> = (1..w - 1).filter(|&i| i != mid_i && cols[i].dir == Dir::Both).collect();
    if !candidates.is_empty() {
        let edges = candidates.len() * (h - 1);
        let wanted = (edges + rng.gen_range(0..EDGES_PER_BOLLARD)) / EDGES_PER_BOLLARD;
        for _ in 0..wanted {
            bollards.insert((candidates[rng.gen_range(0..candidates.len())], rng.gen_range(0..h - 1)));
        }
    }

    // Nodes, in the order of their ids.
    for j in 0..h {
        for i in 0..w {
            b.node(town.inter_pos(i, j));
        }
    }
    for j in 0..h {
        for i in 0..w - 1 {
            b.node(town.hshape_pos(i, j));
        }
    }
    for j in 0..h - 1 {
        for i in 0..w {
            let tags = if bollards.contains(&(i, j)) { tags(&[("barrier", "bollard")]) } else { Tags::new() };
            b.node_tagged(town.vshape_pos(i, j), tags);
        }
    }
    debug_assert_eq!(b.next_node_id(), town.base + t.grid_nodes() as i64);

    // Ways: rows west to east, then columns south to north.
    for (j, street) in rows.iter().enumerate() {
        let forced: Vec<usize> = vias.keys().filter(|v| v.1 == j).map(|v| v.0).collect();
        for (a, c) in spans(w, &forced, rng) {
            let mut nodes = Vec::with_capacity(2 * (c - a) + 1);
            for i in a..c {
                nodes.extend([town.inter(i, j), town.hshape(i, j)]);
            }
            nodes.push(town.inter(c, j));
            if street.dir == Dir::Backward {
                nodes.reverse();
            }
            let id = b.way(nodes, street.tags.clone());
            if let Some(arms) = vias.get_mut(&(a, j)) {
                arms[EAST] = id;
            }
            if let Some(arms) = vias.get_mut(&(c, j)) {
                arms[WEST] = id;
            }
        }
    }
    for (i, street) in cols.iter().enumerate() {
        let forced: Vec<usize> = vias.keys().filter(|v| v.0 == i).map(|v| v.1).collect();
        for (a, c) in spans(h, &forced, rng) {
            let mut nodes = Vec::with_capacity(2 * (c - a) + 1);
            for j in a..c {
                nodes.extend([town.inter(i, j), town.vshape(i, j)]);
            }
            nodes.push(town.inter(i, c));
            if street.dir == Dir::Backward {
                nodes.reverse();
            }
            let id = b.way(nodes, street.tags.clone());
            if let Some(arms) = vias.get_mut(&(i, a)) {
                arms[NORTH] = id;
            }
            if let Some(arms) = vias.get_mut(&(i, c)) {
                arms[SOUTH] = id;
            }
        }
    }

    // Arriving from `from` (heading the other way), the left turn and straight on.
    for (&(i, j), arms) in &vias {
        let (from, left, straight) = match rng.gen_range(0..4) {
            0 => (WEST, NORTH, EAST),
            1 => (SOUTH, WEST, NORTH),
            2 => (EAST, SOUTH, WEST),
            _ => (NORTH, EAST, SOUTH),
        };
        if rng.gen_bool(0.6) {
            b.restriction(TurnKind::No, "left_turn", arms[from], town.inter(i, j), arms[left]);
        } else {
            b.restriction(TurnKind::Only, "straight_on", arms[from], town.inter(i, j), arms[straight]);
        }
    }
    town
}

/// Adds dead-end closes of 1 to 3 nodes, each from the middle of a block's south edge into the
/// block, until exactly `count` nodes are added or every block has one.
pub fn closes(b: &mut Builder, town: &Town, count: u64, rng: &mut ChaCha8Rng) {
    let blocks = (town.w - 1) * (town.h - 1);
    let mut order: Vec<u32> = (0..blocks as u32).collect();
    let mut left = count;
    let mut used = 0;
    while left > 0 && used < blocks {
        let pick = rng.gen_range(used..blocks);
        order.swap(used, pick);
        let block = order[used] as usize;
        used += 1;
        // Long enough that the blocks still free can take the rest.
        let at_least = left.saturating_sub(3 * (blocks - used) as u64);
        let len = rng.gen_range(1..=3u64).max(at_least).min(3).min(left);
        left -= len;
        let (i, j) = (block % (town.w - 1), block / (town.w - 1));
        let start = town.hshape_pos(i, j);
        let mut nodes = vec![town.hshape(i, j)];
        for s in 0..len {
            let p = (start.0 + 2.0 * rng.gen_range(-1.0..1.0), start.1 + (0.17 + 0.12 * s as f64) * town.block);
            let tip = s + 1 == len;
            let tags = if tip && rng.gen_bool(GATED_CLOSES) { tags(&[("barrier", "gate")]) } else { Tags::new() };
            nodes.push(b.node_tagged(p, tags));
        }
        let tags = if rng.gen_bool(0.3) {
            tags(&[("highway", "service"), ("noexit", "yes")])
        } else {
            tags(&[("highway", "residential"), ("name", &format!("Close {}", block + 1)), ("noexit", "yes")])
        };
        b.way(nodes, tags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn spans_cover_the_street_and_split_at_forced_points() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for n in [2usize, 3, 7, 40] {
            let forced: Vec<usize> = (1..n.saturating_sub(1)).step_by(3).collect();
            let s = spans(n, &forced, &mut rng);
            assert_eq!(s.first().map(|x| x.0), Some(0));
            assert_eq!(s.last().map(|x| x.1), Some(n - 1));
            assert!(s.windows(2).all(|p| p[0].1 == p[1].0));
            assert!(s.iter().all(|&(a, c)| c > a && c - a <= 5));
            for f in forced {
                assert!(s.iter().any(|&(a, _)| a == f), "{n}: no split at {f}: {s:?}");
            }
        }
    }
}
