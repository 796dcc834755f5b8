//! Strongly connected components of the contracted graph, to mark the small ones: a parking
//! aisle cut off by a oneway, a road island at the extract's edge. Snapping prefers roads
//! outside them, as OSRM does, so a point next to both still routes.

use super::chains::RoadGraph;

/// Components smaller than this (in contracted nodes) are small, unless the largest.
pub const SMALL_COMPONENT_NODES: usize = 1000;

/// For each node of `road`, whether it lies in a small strongly connected component.
pub fn small_components(road: &RoadGraph) -> Vec<bool> {
    let n = road.nodes.len();
    let (fwd_first, fwd) = adjacency(n, road.edges.iter().map(|e| (e.from, e.to)));
    let (rev_first, rev) = adjacency(n, road.edges.iter().map(|e| (e.to, e.from)));

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
