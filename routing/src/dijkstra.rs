//! Plain Dijkstra over the flat [`Graph`]: the slow, obviously correct twin that every faster
//! router is property-tested against.
//!
//! The search state is the edge we arrived by (the start is a node state): every move from
//! one edge into the next goes through [`Graph::transition`], which applies turn
//! restrictions, forbids turning back in the middle of a road and charges the turn costs of
//! junctions and dead ends ([`crate::cost`]). A barrier the mode may not pass may be the start
//! or the end of a route; arriving at one, the only way on is back.

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

/// The cheapest route from `from` to `to` under `weights` (one per edge of `graph`), honouring
/// one-way edges, turn restrictions, turn costs and barriers; `None` when `to` cannot be reached, or when
/// a node is out of range or `weights` does not fit the graph. Edges of weight `u32::MAX` are
/// closed.
pub fn shortest_path(graph: &Graph, weights: &Weights, from: NodeId, to: NodeId) -> Option<Route> {
    let n = graph.node_count();
    let model = crate::cost::TurnModel::of(graph.mode());
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
        for e in graph.out_edges(node) {
            let w = weights.get(e);
            if w == u32::MAX {
                continue;
            }
            let turn = match arrived_by {
                Some(prev) => match graph.transition(prev, e, &model) {
                    Some(t) => t.cost_ms,
                    None => continue,
                },
                None => 0,
            };
            let next = n + e as usize;
            let c = cost + u64::from(w) + u64::from(turn);
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
