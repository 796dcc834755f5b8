//! Strongly connected components, to mark the small ones: a parking aisle cut off by a oneway,
//! a road island at the extract's edge, a oneway that ends where the extract does. Snapping
//! prefers roads outside them, as OSRM does, so a point next to both still routes.
//!
//! [`small_edges`] works on directed edges linked by the moves a route may make
//! ([`Graph::transition`]: restrictions, barriers, no U-turn between junctions), like OSRM's
//! edge-based components.

use super::chains::RoadGraph;
use super::csr::Csr;
use crate::cost::TurnModel;
use crate::graph::Graph;

/// Components smaller than this (in contracted nodes) are small, unless the largest.
pub const SMALL_COMPONENT_NODES: usize = 1000;

/// For each road edge, whether it lies in a small component of the graph whose nodes are the
/// directed road edges and whose arcs are the moves a route may make from one into the next.
pub fn small_edges(graph: &Graph, road: &RoadGraph) -> Vec<bool> {
    let model = TurnModel::of(graph.mode());
    let mut arcs = Vec::new();
    for (i, e) in road.edges.iter().enumerate() {
        let last = road.flat(e)[e.len as usize - 1];
        for &f in road.out_edges(e.to) {
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
    let forward = Csr::group(n, arcs.clone());
    let reverse = Csr::group(n, arcs.map(|(a, b)| (b, a)));

    // Kosaraju, iteratively: finish order on the graph, then components on its reverse.
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for root in 0..n as u32 {
        if seen[root as usize] {
            continue;
        }
        seen[root as usize] = true;
        stack.push((root, 0));
        while let Some((v, next)) = stack.last_mut() {
            let v = *v;
            if let Some(&w) = forward.of(v).get(*next as usize) {
                *next += 1;
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push((w, 0));
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
            for &w in reverse.of(v) {
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
