//! Dijkstra against a slower twin of its own: Bellman-Ford over purely edge-based states, on
//! random small grids with oneways, barriers and turn restrictions, both moving from edge to
//! edge through `Graph::transition` (restrictions, turn costs, no turning back mid-road);
//! this pins that Dijkstra's labels and unwinding agree with the plain relaxation.

mod common;

use common::random_grid;
use locus_routing::cost::TurnModel;
use locus_routing::{shortest_path, Graph, Mode, Profile};

/// Costs from `source` to every node, by Bellman-Ford over edge states.
fn bellman_ford(g: &Graph, source: u32) -> Vec<u64> {
    let w = g.weights();
    let model = TurnModel::of(g.mode());
    let mut by_edge = vec![u64::MAX; g.edge_count()];
    for e in g.out_edges(source) {
        by_edge[e as usize] = u64::from(w.get(e));
    }
    loop {
        let mut changed = false;
        for e in 0..g.edge_count() as u32 {
            let d = by_edge[e as usize];
            let via = g.edge(e).to;
            if d == u64::MAX {
                continue;
            }
            for f in g.out_edges(via) {
                let Some(turn) = g.transition(e, f, &model).map(|t| t.cost_ms) else { continue };
                let c = d + u64::from(w.get(f)) + u64::from(turn);
                if c < by_edge[f as usize] {
                    by_edge[f as usize] = c;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut to_node = vec![u64::MAX; g.node_count()];
    to_node[source as usize] = 0;
    for (e, &d) in by_edge.iter().enumerate() {
        let t = g.edge(e as u32).to as usize;
        to_node[t] = to_node[t].min(d);
    }
    to_node
}

#[test]
fn dijkstra_costs_equal_edge_based_bellman_ford() {
    let mut pairs = 0;
    let mut restricted = 0;
    for seed in 1..=25 {
        let data = random_grid(seed);
        for mode in Mode::ALL {
            let g = Graph::build(&data, Profile::new(mode));
            restricted += g.report().restrictions.used;
            for s in 0..g.node_count() as u32 {
                let oracle = bellman_ford(&g, s);
                for t in 0..g.node_count() as u32 {
                    let route = shortest_path(&g, g.weights(), s, t);
                    let want = oracle[t as usize];
                    assert_eq!(route.as_ref().map(|r| r.cost).unwrap_or(u64::MAX), want, "seed {seed} {mode} {s}->{t}");
                    if let Some(r) = route {
                        // The route is a real walk with that cost, turning only where allowed.
                        let model = TurnModel::of(g.mode());
                        let turns: u64 = r
                            .edges
                            .windows(2)
                            .map(|p| u64::from(g.transition(p[0], p[1], &model).expect("an allowed turn").cost_ms))
                            .sum();
                        let sum: u64 = r.edges.iter().map(|&e| u64::from(g.weights().get(e))).sum();
                        assert_eq!(sum + turns, r.cost);
                        assert_eq!((r.nodes[0], r.nodes[r.nodes.len() - 1]), (s, t));
                        for pair in r.edges.windows(2) {
                            assert_eq!(g.edge(pair[0]).to, g.edge(pair[1]).from);
                            assert!(g.turns().allowed(pair[0], pair[1]));
                            let at = g.edge(pair[0]).to;
                            assert!(!g.is_blocked(at) || g.edge(pair[1]).to == g.edge(pair[0]).from);
                        }
                        pairs += 1;
                    }
                }
            }
        }
    }
    println!("{pairs} routed pairs checked; {restricted} restrictions in play");
    assert!(pairs > 10_000 && restricted > 300, "too few checks to mean much");
}
