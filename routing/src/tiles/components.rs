//! Strongly connected components, to mark the small ones: a parking aisle cut off by a oneway,
//! a road island at the extract's edge, a oneway that ends where the extract does. Snapping
//! prefers roads outside them, as OSRM does, so a point next to both still routes.
//!
//! [`small_edges`] works on directed edges linked by the moves a route may make
//! ([`Graph::transition`]: restrictions, barriers, no U-turn between junctions), like OSRM's
//! edge-based components; [`small_components`] on nodes, for the node flag.

use super::chains::RoadGraph;
use crate::cost::TurnModel;
use crate::graph::Graph;

/// Components smaller than this (in contracted nodes) are small, unless the largest.
pub const SMALL_COMPONENT_NODES: usize = 1000;

/// For each node of `road`, whether it lies in a small strongly connected component.
pub fn small_components(road: &RoadGraph) -> Vec<bool> {
    let n = road.nodes.len();
    small_in(n, road.edges.iter().map(|e| (e.from, e.to)))
}

/// For each road edge, whether it lies in a small component of the graph whose nodes are the
/// directed road edges and whose arcs are the moves a route may make from one into the next.
pub fn small_edges(graph: &Graph, road: &RoadGraph) -> Vec<bool> {
    let model = TurnModel::of(graph.mode());
    let mut first_out = vec![0u32; road.nodes.len() + 1];
    for e in &road.edges {
        first_out[e.from as usize + 1] += 1;
    }
    for i in 1..first_out.len() {
        first_out[i] += first_out[i - 1];
    }
    let mut arcs = Vec::new();
    for (i, e) in road.edges.iter().enumerate() {
        let last = road.flat(e)[e.len as usize - 1];
        for f in first_out[e.to as usize]..first_out[e.to as usize + 1] {
            let first = road.flat(&road.edges[f as usize])[0];
            if graph.transition(last, first, &model).is_some() {
                arcs.push((i as u32, f));
            }
        }
    }
    small_in(road.edges.len(), arcs.into_iter())
}

/// Kosaraju over `n` nodes and `arcs`: whether each node is in a small component.
fn small_in(n: usize, arcs: impl Iterator<Item = (u32, u32)> + Clone) -> Vec<bool> {
    let (fwd_first, fwd) = adjacency(n, arcs.clone());
    let (rev_first, rev) = adjacency(n, arcs.map(|(a, b)| (b, a)));

    // Kosaraju, iteratively: finish order on the graph, then components on its reverse.
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for root in 0..n as u32 {
        if seen[root as usize] {
            continue;
        }
        seen[root as usize] = true;
        stack.push((root, fwd_first[root as usize]));
        while let Some((v, next)) = stack.last_mut() {
            let v = *v;
            if *next < fwd_first[v as usize + 1] {
                let w = fwd[*next as usize];
                *next += 1;
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push((w, fwd_first[w as usize]));
                }
            } else {
                order.push(v);
                stack.pop();
            }
        }
    }
    let mut component = vec![u32::MAX; n];
    let mut sizes: Vec<usize> = Vec::new();
    let mut todo = Vec::new();
    for &root in order.iter().rev() {
        if component[root as usize] != u32::MAX {
            continue;
        }
        let id = sizes.len() as u32;
        sizes.push(0);
        component[root as usize] = id;
        todo.push(root);
        while let Some(v) = todo.pop() {
            sizes[id as usize] += 1;
            for &w in &rev[rev_first[v as usize] as usize..rev_first[v as usize + 1] as usize] {
                if component[w as usize] == u32::MAX {
                    component[w as usize] = id;
                    todo.push(w);
                }
            }
        }
    }
    let largest = sizes.iter().enumerate().max_by_key(|(_, &s)| s).map(|(i, _)| i as u32);
    component
        .iter()
        .map(|&c| Some(c) != largest && sizes.get(c as usize).is_some_and(|&s| s < SMALL_COMPONENT_NODES))
        .collect()
}

fn adjacency(n: usize, arcs: impl Iterator<Item = (u32, u32)> + Clone) -> (Vec<u32>, Vec<u32>) {
    let mut first = vec![0u32; n + 1];
    for (a, _) in arcs.clone() {
        first[a as usize + 1] += 1;
    }
    for i in 1..=n {
        first[i] += first[i - 1];
    }
    let mut fill = first.clone();
    let mut to = vec![0u32; first[n] as usize];
    for (a, b) in arcs {
        to[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
    }
    (first, to)
}
