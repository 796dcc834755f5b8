//! Plain Dijkstra over the flat [`Graph`]: the slow, obviously correct twin that every faster
//! router is property-tested against.
//!
//! The search state is the node, except at the via nodes of turn restrictions, where it is the
//! edge we arrived by (so a restriction can forbid the next edge, and reaching the node by
//! another edge is a different state). A blocked barrier node may be the start or the end of
//! a route, never passed through. U-turns are allowed (at any node; the cost model of a later
//! stage may penalise them).

use crate::graph::{EdgeId, Graph, NodeId, Weights};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A shortest route.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The sum of the edges' weights (milliseconds for travel-time weights).
    pub cost: u64,
    pub distance_m: f64,
    /// The edges in travel order; empty when start and end are the same node.
    pub edges: Vec<EdgeId>,
    /// The nodes in travel order, start and end included.
    pub nodes: Vec<NodeId>,
}

impl Route {
    /// The cost in seconds, for travel-time weights.
    pub fn duration_s(&self) -> f64 {
        self.cost as f64 / 1000.0
    }
}

const NONE: usize = usize::MAX;

/// The state index of arriving at `node` by `edge`: the node, unless it is a via node.
fn state_of(graph: &Graph, edge: EdgeId, node: NodeId) -> usize {
    if graph.turns().is_via(node) {
        graph.node_count() + edge as usize
    } else {
        node as usize
    }
}

/// The cheapest route from `from` to `to` under `weights` (one per edge of `graph`), honouring
/// one-way edges, turn restrictions and barriers; `None` when `to` cannot be reached, or when
/// a node is out of range or `weights` does not fit the graph. Edges of weight `u32::MAX` are
/// closed.
pub fn shortest_path(graph: &Graph, weights: &Weights, from: NodeId, to: NodeId) -> Option<Route> {
    let n = graph.node_count();
    if from as usize >= n || to as usize >= n || weights.len() != graph.edge_count() {
        return None;
    }
    let states = n + graph.edge_count();
    let mut dist = vec![u64::MAX; states];
    // For each state: the state before it and the edge that led here.
    let mut pred: Vec<(usize, EdgeId)> = vec![(NONE, 0); states];
    let mut done = vec![false; states];
    let mut heap = BinaryHeap::new();
    let start = from as usize;
    dist[start] = 0;
    heap.push(Reverse((0u64, start)));
    while let Some(Reverse((cost, state))) = heap.pop() {
        if done[state] {
            continue;
        }
        done[state] = true;
        let (node, arrived_by) = if state < n {
            // A node state: its last edge (if any) does not matter for the next turn.
            (state as NodeId, None)
        } else {
            let e = (state - n) as EdgeId;
            (graph.edge(e).to, Some(e))
        };
        if node == to {
            return Some(unwind(graph, &pred, state, cost));
        }
        if graph.is_blocked(node) && state != start {
            continue;
        }
        for e in graph.out_edges(node) {
            let w = weights.get(e);
            if w == u32::MAX {
                continue;
            }
            if let Some(prev) = arrived_by {
                if !graph.turns().allowed(prev, e) {
                    continue;
                }
            }
            let next = state_of(graph, e, graph.edge(e).to);
            let c = cost + u64::from(w);
            if c < dist[next] {
                dist[next] = c;
                pred[next] = (state, e);
                heap.push(Reverse((c, next)));
            }
        }
    }
    None
}

fn unwind(graph: &Graph, pred: &[(usize, EdgeId)], mut state: usize, cost: u64) -> Route {
    let mut edges = Vec::new();
    while pred[state].0 != NONE {
        let (prev, e) = pred[state];
        edges.push(e);
        state = prev;
    }
    edges.reverse();
    let start = match edges.first() {
        Some(&e) => graph.edge(e).from,
        None => state as NodeId,
    };
    let mut nodes = vec![start];
    nodes.extend(edges.iter().map(|&e| graph.edge(e).to));
    let distance_m = edges.iter().map(|&e| graph.edge(e).length_m).sum();
    Route { cost, distance_m, edges, nodes }
}
