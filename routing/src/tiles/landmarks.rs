//! Landmarks for the A* heuristic (ALT: A*, landmarks, triangle inequality).
//!
//! A few nodes far apart are chosen (farthest-first), and the cost from each landmark to every
//! node and from every node to each landmark is stored with the node in its tile. For a node
//! `v` and a target `t`, `d(L,t) − d(L,v)` and `d(v,L) − d(t,L)` are lower bounds on the cost
//! from `v` to `t` (triangle inequality), usually much tighter than straight-line distance.
//!
//! The distances are over a relaxation of the real search: edge travel times only, with no
//! turn costs, penalties, restrictions or barriers. Every relaxation can only make a path
//! cheaper, so the bounds stay admissible for the real costs, and they stay admissible when
//! live traffic later slows edges down (a faster-than-free-flow update must recompute them).

use super::chains::RoadGraph;
use super::csr::Csr;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Landmarks per tile set.
pub const LANDMARKS: usize = 8;

/// No path.
pub const UNREACHABLE: u32 = u32::MAX;

/// Per landmark, the cost from it to every node (`from_landmark[i][v]`) and from every node to
/// it (`to_landmark[i][v]`), in ms, saturating at [`UNREACHABLE`] - 1.
#[derive(Debug, Clone, Default)]
pub struct LandmarkDistances {
    pub from_landmark: Vec<Vec<u32>>,
    pub to_landmark: Vec<Vec<u32>>,
}

impl LandmarkDistances {
    pub fn count(&self) -> usize {
        self.from_landmark.len()
    }

    /// Node `v`'s values as stored in a tile: `from` for each landmark, then `to`.
    pub fn of_node(&self, v: usize) -> impl Iterator<Item = u32> + '_ {
        self.from_landmark.iter().chain(&self.to_landmark).map(move |d| d[v])
    }
}

/// Chooses up to [`LANDMARKS`] landmarks on `road` (edge weights `weights`) and computes their
/// distances.
pub fn compute(road: &RoadGraph, weights: &[u32]) -> LandmarkDistances {
    let n = road.nodes.len();
    if n == 0 {
        return LandmarkDistances::default();
    }
    let forward = Csr::group(n, road.edges.iter().zip(weights).map(|(e, &w)| (e.from, (e.to, w))));
    let backward = Csr::group(n, road.edges.iter().zip(weights).map(|(e, &w)| (e.to, (e.from, w))));
    // Farthest-first: start from the node farthest from node 0, then repeatedly take the node
    // whose nearest landmark is farthest.
    let seed = farthest(&dijkstra(&forward, 0));
    let mut out = LandmarkDistances::default();
    let mut nearest = vec![UNREACHABLE; n];
    let mut next = seed;
    for _ in 0..LANDMARKS.min(n) {
        let from = dijkstra(&forward, next);
        let to = dijkstra(&backward, next);
        for v in 0..n {
            nearest[v] = nearest[v].min(from[v]);
        }
        out.from_landmark.push(from);
        out.to_landmark.push(to);
        let chosen = farthest(&nearest);
        if nearest[chosen as usize] == 0 {
            break;
        }
        next = chosen;
    }
    out
}

/// The node of greatest finite distance (ties: the lowest id).
fn farthest(dist: &[u32]) -> u32 {
    dist.iter()
        .enumerate()
        .filter(|(_, &d)| d != UNREACHABLE)
        .max_by_key(|(i, &d)| (d, Reverse(*i)))
        .map_or(0, |(i, _)| i as u32)
}

fn dijkstra(graph: &Csr<(u32, u32)>, source: u32) -> Vec<u32> {
    let n = graph.len();
    let mut dist = vec![UNREACHABLE; n];
    let mut heap = BinaryHeap::new();
    dist[source as usize] = 0;
    heap.push(Reverse((0u64, source)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > u64::from(dist[v as usize]) {
            continue;
        }
        for &(w, c) in graph.of(v) {
            if c == u32::MAX {
                continue;
            }
            let nd = (d + u64::from(c)).min(u64::from(UNREACHABLE - 1));
            if nd < u64::from(dist[w as usize]) {
                dist[w as usize] = nd as u32;
                heap.push(Reverse((nd, w)));
            }
        }
    }
    dist
}

/// A lower bound on the cost from a node to a target, from their stored landmark values
/// (`from` for each landmark, then `to`, as [`LandmarkDistances::of_node`] lays them out).
///
/// Unreachable values need no special case: where the node is unreachable from a landmark
/// (or cannot reach it) the difference saturates to 0; where only the target is, the node
/// cannot reach the target at all (in the relaxed graph, so not in the real one either), and
/// any bound is admissible for it. Branch-free, so it vectorises.
pub fn lower_bound(node: &[u32], target: &[u32]) -> u32 {
    let k = node.len().min(target.len()) / 2;
    let (node_from, node_to) = node.split_at(k);
    let (target_from, target_to) = target.split_at(k);
    let mut best = 0u32;
    for i in 0..k {
        best = best.max(target_from[i].saturating_sub(node_from[i]));
        best = best.max(node_to[i].saturating_sub(target_to[i]));
    }
    best
}
