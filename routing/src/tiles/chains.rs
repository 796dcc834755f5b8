//! Contracting the flat [`Graph`] into road edges: runs of segments of one way between the
//! nodes that matter (intersections, dead ends, way changes, barriers, via nodes of turn
//! restrictions). The tiles store road edges; their geometry keeps every flat node.
//!
//! Exactness: a flat node is contracted away only when every route through it must go on
//! along the same way (it touches exactly two neighbours, on one way, and each direction is
//! either open on both sides or closed on both), so no shortest path loses an option. A road
//! edge's cost is the sum of its flat edges' integer weights, and its cumulative weights at
//! each flat node keep the costs of partial edges exact too.

use super::csr::Csr;
use crate::graph::{EdgeId, Graph, NodeId};
use rustc_hash::FxHashMap;

/// A directed run of flat edges between two kept nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadEdge {
    /// Indices into [`RoadGraph::nodes`].
    pub from: u32,
    pub to: u32,
    /// The flat edges, in travel order: `flat_edges[first..first + len]`.
    pub first: u32,
    pub len: u32,
    /// The road edge travelling the same stretch the other way, when the way allows it.
    pub twin: Option<u32>,
}

/// A turn restriction between road edges at a kept via node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoadTurn {
    Forbidden { from: u32, to: u32 },
    Only { from: u32, to: Vec<u32> },
}

/// The contracted graph of one profile.
#[derive(Debug, Clone)]
pub struct RoadGraph {
    /// The flat node of each kept node.
    pub nodes: Vec<NodeId>,
    /// Sorted by `from`.
    pub edges: Vec<RoadEdge>,
    pub flat_edges: Vec<EdgeId>,
    pub turns: Vec<RoadTurn>,
    /// The edges leaving each node.
    out: Csr<u32>,
}

impl RoadGraph {
    /// The edges leaving `node`, by index into [`RoadGraph::edges`].
    pub fn out_edges(&self, node: u32) -> &[u32] {
        self.out.of(node)
    }

    /// The flat edges of a road edge, in travel order.
    pub fn flat(&self, edge: &RoadEdge) -> &[EdgeId] {
        &self.flat_edges[edge.first as usize..(edge.first + edge.len) as usize]
    }

    /// Contracts `graph`.
    pub fn contract(graph: &Graph) -> RoadGraph {
        let n = graph.node_count();
        let incoming = Csr::group(n, graph.edges().iter().enumerate().map(|(i, e)| (e.to, i as EdgeId)));
        let mut kept: Vec<bool> = (0..n as NodeId).map(|v| !contractible(graph, &incoming, v)).collect();
        let mut covered = vec![false; graph.edge_count()];
        let mut road_of_first: FxHashMap<EdgeId, u32> = FxHashMap::default();
        let mut road_of_last: FxHashMap<EdgeId, u32> = FxHashMap::default();
        let mut raw: Vec<(NodeId, NodeId, Vec<EdgeId>)> = Vec::new();

        let walk_from = |start: NodeId, kept: &[bool], covered: &mut [bool], raw: &mut Vec<_>| {
            for first in graph.out_edges(start) {
                if covered[first as usize] {
                    continue;
                }
                let mut run = vec![first];
                covered[first as usize] = true;
                let mut prev = start;
                let mut at = graph.edge(first).to;
                while !kept[at as usize] {
                    // Contractible: exactly one way on, to the neighbour we did not come from.
                    let Some(next) = graph.out_edges(at).find(|&e| graph.edge(e).to != prev) else {
                        break;
                    };
                    if covered[next as usize] {
                        break;
                    }
                    covered[next as usize] = true;
                    run.push(next);
                    prev = at;
                    at = graph.edge(next).to;
                }
                raw.push((start, at, run));
            }
        };
        for v in 0..n as NodeId {
            if kept[v as usize] {
                walk_from(v, &kept, &mut covered, &mut raw);
            }
        }
        // What is left are closed loops of contractible nodes: keep one node of each.
        for e in 0..graph.edge_count() as EdgeId {
            if !covered[e as usize] {
                let v = graph.edge(e).from;
                kept[v as usize] = true;
                walk_from(v, &kept, &mut covered, &mut raw);
            }
        }

        let mut index = vec![u32::MAX; n];
        let mut nodes = Vec::new();
        for v in 0..n as NodeId {
            if kept[v as usize] {
                index[v as usize] = nodes.len() as u32;
                nodes.push(v);
            }
        }
        raw.sort_by_key(|(from, _, run)| (*from, run[0]));
        let mut edges = Vec::with_capacity(raw.len());
        let mut flat_edges = Vec::with_capacity(graph.edge_count());
        for (i, (from, to, run)) in raw.iter().enumerate() {
            road_of_first.insert(run[0], i as u32);
            road_of_last.insert(run[run.len() - 1], i as u32);
            edges.push(RoadEdge {
                from: index[*from as usize],
                to: index[*to as usize],
                first: flat_edges.len() as u32,
                len: run.len() as u32,
                twin: None,
            });
            flat_edges.extend_from_slice(run);
        }
        // The twin starts with the reverse of our last flat edge.
        for i in 0..edges.len() {
            let last = flat_edges[(edges[i].first + edges[i].len - 1) as usize];
            edges[i].twin = reverse_of(graph, last).and_then(|r| road_of_first.get(&r).copied());
        }

        let mut turns = Vec::new();
        for (from, to) in graph.turns().forbidden() {
            if let (Some(&f), Some(&t)) = (road_of_last.get(&from), road_of_first.get(&to)) {
                turns.push(RoadTurn::Forbidden { from: f, to: t });
            }
        }
        for (from, to) in graph.turns().only() {
            if let Some(&f) = road_of_last.get(&from) {
                let to = to.iter().filter_map(|t| road_of_first.get(t).copied()).collect();
                turns.push(RoadTurn::Only { from: f, to });
            }
        }
        turns.sort_by_key(|t| match t {
            RoadTurn::Forbidden { from, to } => (*from, *to),
            RoadTurn::Only { from, .. } => (*from, u32::MAX),
        });
        let out = Csr::group(nodes.len(), edges.iter().enumerate().map(|(i, e)| (e.from, i as u32)));
        RoadGraph { nodes, edges, flat_edges, turns, out }
    }
}

/// Whether every route through `v` must continue along the same way to the other neighbour.
fn contractible(graph: &Graph, incoming: &Csr<EdgeId>, v: NodeId) -> bool {
    if graph.turns().is_via(v) || graph.is_blocked(v) {
        return false;
    }
    let ins = incoming.of(v);
    let outs = graph.out_edges(v);
    if ins.len() + outs.len() > 4 || ins.is_empty() || outs.is_empty() {
        return false;
    }
    let way = graph.edge(outs.start).way;
    let mut neighbours: Vec<NodeId> = Vec::with_capacity(4);
    for e in outs.clone() {
        let edge = graph.edge(e);
        if edge.way != way {
            return false;
        }
        neighbours.push(edge.to);
    }
    for &e in ins {
        let edge = graph.edge(e);
        if edge.way != way {
            return false;
        }
        neighbours.push(edge.from);
    }
    let u = neighbours[0];
    let Some(&w) = neighbours.iter().find(|&&x| x != u) else {
        return false;
    };
    if neighbours.iter().any(|&x| x != u && x != w) {
        return false;
    }
    let has_out = |to: NodeId| outs.clone().filter(|&e| graph.edge(e).to == to).count();
    let has_in = |from: NodeId| ins.iter().filter(|&&e| graph.edge(e).from == from).count();
    // No parallel edges, and each direction open on both sides or closed on both.
    let (uv, vw, wv, vu) = (has_in(u), has_out(w), has_in(w), has_out(u));
    uv <= 1 && vw <= 1 && wv <= 1 && vu <= 1 && uv == vw && wv == vu
}

/// The edge travelling `e`'s segment the other way, on the same way.
fn reverse_of(graph: &Graph, e: EdgeId) -> Option<EdgeId> {
    let edge = graph.edge(e);
    graph.out_edges(edge.to).find(|&r| {
        let back = graph.edge(r);
        back.to == edge.from && back.way == edge.way
    })
}
