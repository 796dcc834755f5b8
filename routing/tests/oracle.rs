//! Dijkstra against a slower twin of its own: Bellman-Ford over purely edge-based states, on
//! random small grids with oneways, barriers and turn restrictions. Dijkstra keeps node states
//! except at via nodes; this pins that the shortcut changes no cost.

use locus_routing::osm::{OsmNode, OsmWay, Restriction, TurnKind, Via};
use locus_routing::{shortest_path, Graph, Mode, OsmData, Profile, Tags};

/// A repeatable xorshift stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const SIDE: i64 = 6;

fn id(row: i64, col: i64) -> i64 {
    row * SIDE + col + 1
}

/// A SIDE × SIDE grid of two-node ways with random classes, oneways and access, a few
/// barriers and a few restrictions.
fn random_grid(seed: u64) -> OsmData {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut data = OsmData::default();
    for row in 0..SIDE {
        for col in 0..SIDE {
            // Jitter positions so lengths differ and ties are rare.
            let lat = 1.0 + row as f64 * 0.001 + rng.below(300) as f64 * 1e-6;
            let lon = 1.0 + col as f64 * 0.001 + rng.below(300) as f64 * 1e-6;
            let mut tags = Tags::new();
            if rng.below(12) == 0 {
                tags.insert("barrier", rng.pick(&["gate", "bollard", "lift_gate", "stile"]));
            }
            data.nodes.insert(id(row, col), OsmNode { lat, lon, tags });
        }
    }
    let mut way_id = 100;
    for row in 0..SIDE {
        for col in 0..SIDE {
            for (dr, dc) in [(0, 1), (1, 0)] {
                let (r2, c2) = (row + dr, col + dc);
                if r2 >= SIDE || c2 >= SIDE || rng.below(8) == 0 {
                    continue;
                }
                let mut tags = Tags::new();
                tags.insert(
                    "highway",
                    rng.pick(&["primary", "residential", "service", "footway", "cycleway", "track"]),
                );
                match rng.below(6) {
                    0 => tags.insert("oneway", "yes"),
                    1 => tags.insert("oneway", "-1"),
                    2 => tags.insert("access", rng.pick(&["no", "destination", "private"])),
                    _ => {}
                }
                data.ways.push(OsmWay { id: way_id, nodes: vec![id(row, col), id(r2, c2)], tags });
                way_id += 1;
            }
        }
    }
    // Restrictions between two ways (or a way and itself: a u-turn) meeting at a random node.
    for n in 0..20 {
        let via = id(rng.below(SIDE as u64) as i64, rng.below(SIDE as u64) as i64);
        let at: Vec<i64> = data.ways.iter().filter(|w| w.nodes.contains(&via)).map(|w| w.id).collect();
        if at.is_empty() {
            continue;
        }
        let (from, to) = (at[rng.below(at.len() as u64) as usize], at[rng.below(at.len() as u64) as usize]);
        data.restrictions.push(Restriction {
            id: 9000 + n,
            kind: if rng.below(2) == 0 { TurnKind::No } else { TurnKind::Only },
            turn: if from == to { "u_turn" } else { "left_turn" }.to_owned(),
            mode: None,
            from: vec![from],
            via: Via::Node(via),
            to: vec![to],
            except: Vec::new(),
        });
    }
    data
}

/// Costs from `source` to every node, by Bellman-Ford over edge states.
fn bellman_ford(g: &Graph, source: u32) -> Vec<u64> {
    let w = g.weights();
    let mut by_edge = vec![u64::MAX; g.edge_count()];
    for e in g.out_edges(source) {
        by_edge[e as usize] = u64::from(w.get(e));
    }
    loop {
        let mut changed = false;
        for e in 0..g.edge_count() as u32 {
            let d = by_edge[e as usize];
            let via = g.edge(e).to;
            if d == u64::MAX || g.is_blocked(via) {
                continue;
            }
            for f in g.out_edges(via) {
                let c = d + u64::from(w.get(f));
                if g.turns().allowed(e, f) && c < by_edge[f as usize] {
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
                        let sum: u64 = r.edges.iter().map(|&e| u64::from(g.weights().get(e))).sum();
                        assert_eq!(sum, r.cost);
                        assert_eq!((r.nodes[0], r.nodes[r.nodes.len() - 1]), (s, t));
                        for pair in r.edges.windows(2) {
                            assert_eq!(g.edge(pair[0]).to, g.edge(pair[1]).from);
                            assert!(g.turns().allowed(pair[0], pair[1]));
                            assert!(!g.is_blocked(g.edge(pair[0]).to));
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
