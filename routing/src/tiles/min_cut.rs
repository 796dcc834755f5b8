//! The smallest set of links separating a set of source nodes from a set of sink nodes in an
//! undirected graph of unit-capacity links: a maximum flow by Dinic's algorithm, then the cut
//! read off the residual graph. The partitioner ([`super::partition`]) cuts cells with it.
//!
//! Every minimum cut lies between two extremes: the nodes the sources still reach in the
//! residual graph (the smallest source side) and every node that cannot reach a sink (the
//! largest). [`MinCut`] returns both, so the caller can take the better balanced one; nodes of
//! pieces connected to neither end (islands) fall between them.

use super::csr::Csr;
use std::collections::VecDeque;

const UNSEEN: u32 = u32::MAX;

/// An undirected graph on nodes `0..n`, each link an arc pair `2k` (a → b) and `2k + 1`
/// (b → a) of capacity one each way.
#[derive(Debug, Clone)]
pub struct FlowGraph {
    /// Arc ids grouped by tail.
    arcs: Csr<u32>,
    /// The head of each arc.
    head: Vec<u32>,
}

impl FlowGraph {
    /// The graph of `links` over nodes `0..n` (loops are dropped; parallel links add up).
    pub fn new(n: usize, links: &[(u32, u32)]) -> FlowGraph {
        let links: Vec<(u32, u32)> = links.iter().copied().filter(|(a, b)| a != b).collect();
        let head = links.iter().flat_map(|&(a, b)| [b, a]).collect();
        let tails = links.iter().enumerate().flat_map(|(k, &(a, b))| [(a, 2 * k as u32), (b, 2 * k as u32 + 1)]);
        FlowGraph { arcs: Csr::group(n, tails), head }
    }

    pub fn node_count(&self) -> usize {
        self.arcs.len()
    }

    fn out(&self, v: u32) -> &[u32] {
        self.arcs.of(v)
    }
}

/// A minimum cut between the sources and the sinks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinCut {
    /// Links cut (the maximum flow).
    pub links: usize,
    /// The smallest source side: `true` for the nodes on it.
    pub smallest_source_side: Vec<bool>,
    /// The largest source side.
    pub largest_source_side: Vec<bool>,
}

/// Role of a node in the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminal {
    Source,
    Sink,
    Neither,
}

/// The minimum cut of `graph` between the nodes marked [`Terminal::Source`] and those marked
/// [`Terminal::Sink`] in `terminal` (one entry per node).
pub fn min_cut(graph: &FlowGraph, terminal: &[Terminal]) -> MinCut {
    let n = graph.node_count();
    debug_assert_eq!(terminal.len(), n);
    // flow[arc] ∈ {-1, 0, 1}, flow[arc ^ 1] = -flow[arc]; residual capacity is 1 - flow.
    let mut flow = vec![0i8; graph.head.len()];
    let mut level = vec![UNSEEN; n];
    let mut next_arc = vec![0u32; n];
    let sources: Vec<u32> = (0..n as u32).filter(|&v| terminal[v as usize] == Terminal::Source).collect();
    let mut total = 0usize;
    let mut queue = VecDeque::new();
    loop {
        // Layers of the residual graph, up to the first layer holding a sink.
        level.fill(UNSEEN);
        queue.clear();
        for &s in &sources {
            level[s as usize] = 0;
            queue.push_back(s);
        }
        let mut sink_level = UNSEEN;
        while let Some(v) = queue.pop_front() {
            if level[v as usize] >= sink_level {
                break;
            }
            for &arc in graph.out(v) {
                let h = graph.head[arc as usize];
                if flow[arc as usize] < 1 && level[h as usize] == UNSEEN {
                    level[h as usize] = level[v as usize] + 1;
                    if terminal[h as usize] == Terminal::Sink {
                        sink_level = level[h as usize];
                    } else {
                        queue.push_back(h);
                    }
                }
            }
        }
        if sink_level == UNSEEN {
            break;
        }
        // A blocking flow of unit paths along the layers.
        next_arc.fill(0);
        let mut path: Vec<u32> = Vec::new();
        for &s in &sources {
            let mut v = s;
            loop {
                if terminal[v as usize] == Terminal::Sink {
                    for &arc in &path {
                        flow[arc as usize] += 1;
                        flow[(arc ^ 1) as usize] -= 1;
                    }
                    total += 1;
                    path.clear();
                    v = s;
                    continue;
                }
                let out = graph.out(v);
                let mut advanced = false;
                while (next_arc[v as usize] as usize) < out.len() {
                    let arc = out[next_arc[v as usize] as usize];
                    let h = graph.head[arc as usize];
                    if flow[arc as usize] < 1 && level[h as usize] == level[v as usize].wrapping_add(1) {
                        path.push(arc);
                        v = h;
                        advanced = true;
                        break;
                    }
                    next_arc[v as usize] += 1;
                }
                if advanced {
                    continue;
                }
                // A dead end: no path on from v in this phase.
                level[v as usize] = UNSEEN;
                match path.pop() {
                    Some(arc) => {
                        v = graph.head[(arc ^ 1) as usize];
                        next_arc[v as usize] += 1;
                    }
                    None => break,
                }
            }
        }
    }
    MinCut {
        links: total,
        smallest_source_side: residual_reach(graph, &flow, terminal, Terminal::Source),
        largest_source_side: residual_reach(graph, &flow, terminal, Terminal::Sink).into_iter().map(|r| !r).collect(),
    }
}

/// The nodes the `from` terminals reach in the residual graph (sources, forwards) or that
/// reach them (sinks, backwards).
fn residual_reach(graph: &FlowGraph, flow: &[i8], terminal: &[Terminal], from: Terminal) -> Vec<bool> {
    let n = graph.node_count();
    let mut seen = vec![false; n];
    let mut stack: Vec<u32> = (0..n as u32).filter(|&v| terminal[v as usize] == from).collect();
    stack.iter().for_each(|&v| seen[v as usize] = true);
    let backwards = from == Terminal::Sink;
    while let Some(v) = stack.pop() {
        for &arc in graph.out(v) {
            // Backwards, the arc that matters is the one from the neighbour to v.
            let through = if backwards { arc ^ 1 } else { arc };
            let h = graph.head[arc as usize];
            if flow[through as usize] < 1 && !seen[h as usize] {
                seen[h as usize] = true;
                stack.push(h);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn roles(n: usize, sources: &[u32], sinks: &[u32]) -> Vec<Terminal> {
        let mut t = vec![Terminal::Neither; n];
        sources.iter().for_each(|&s| t[s as usize] = Terminal::Source);
        sinks.iter().for_each(|&s| t[s as usize] = Terminal::Sink);
        t
    }

    /// Links crossing a side.
    fn crossing(links: &[(u32, u32)], side: &[bool]) -> usize {
        links.iter().filter(|(a, b)| a != b && side[*a as usize] != side[*b as usize]).count()
    }

    #[test]
    fn two_triangles_joined_by_a_bridge_are_cut_at_the_bridge() {
        let links = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3)];
        let cut = min_cut(&FlowGraph::new(6, &links), &roles(6, &[0], &[5]));
        assert_eq!(cut.links, 1);
        assert_eq!(cut.smallest_source_side, [true, true, true, false, false, false]);
        assert_eq!(cut.largest_source_side, cut.smallest_source_side);
    }

    #[test]
    fn parallel_links_add_up_and_islands_fall_between_the_extremes() {
        // 0 =(two links)= 1 — 2, and node 3 alone.
        let links = [(0, 1), (1, 0), (1, 2), (3, 3)];
        let cut = min_cut(&FlowGraph::new(4, &links), &roles(4, &[0], &[2]));
        assert_eq!(cut.links, 1);
        assert_eq!(cut.smallest_source_side, [true, true, false, false]);
        assert_eq!(cut.largest_source_side, [true, true, false, true]);
    }

    #[test]
    fn unconnected_ends_cut_nothing() {
        let cut = min_cut(&FlowGraph::new(4, &[(0, 1), (2, 3)]), &roles(4, &[0], &[3]));
        assert_eq!(cut.links, 0);
        assert_eq!(cut.smallest_source_side, [true, true, false, false]);
    }

    proptest! {
        /// On random graphs the flow equals the links each side crosses (max-flow min-cut),
        /// and no cut separating the ends is smaller (checked by brute force).
        #[test]
        fn the_cut_is_minimum(n in 3usize..10, raw in prop::collection::vec((0u32..10, 0u32..10), 0..25)) {
            let links: Vec<(u32, u32)> = raw.into_iter().map(|(a, b)| (a % n as u32, b % n as u32)).collect();
            let terminal = roles(n, &[0], &[n as u32 - 1]);
            let cut = min_cut(&FlowGraph::new(n, &links), &terminal);
            for side in [&cut.smallest_source_side, &cut.largest_source_side] {
                prop_assert!(side[0] && !side[n - 1]);
                prop_assert_eq!(crossing(&links, side), cut.links);
            }
            let best = (0u32..1 << n)
                .filter(|m| m & 1 == 1 && m >> (n - 1) & 1 == 0)
                .map(|m| crossing(&links, &(0..n).map(|v| m >> v & 1 == 1).collect::<Vec<_>>()))
                .min();
            prop_assert_eq!(Some(cut.links), best);
        }
    }
}
