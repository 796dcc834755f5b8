//! Shared fixtures of the routing tests: random networks and a tile set built in a temporary
//! directory.
#![allow(dead_code)]

use locus_core::geo::LatLng;
use locus_routing::osm::{OsmNode, OsmWay, Restriction, TurnKind, Via};
use locus_routing::tiles::{write_tiles_with, Manifest, SourceStamp, TileOptions};
use locus_routing::{Graph, Journey, Mode, OsmData, Profile, QueryPoint, Router, RouterConfig, Tags};
use std::path::Path;

/// A repeatable xorshift stream.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

pub const SIDE: i64 = 6;

pub fn id(row: i64, col: i64) -> i64 {
    row * SIDE + col + 1
}

/// A SIDE × SIDE grid of two-node ways with random classes, oneways and access, a few
/// barriers and a few restrictions.
pub fn random_grid(seed: u64) -> OsmData {
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
    add_restrictions(&mut data, &mut rng, 20, 9000, id, SIDE);
    data
}

/// A grid of long streets: each row and column one way of many nodes (so the tiles contract
/// long chains), with random classes, oneways, access, barriers and restrictions, and a few
/// gaps.
pub fn random_streets(seed: u64, side: i64) -> OsmData {
    let mut rng = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
    let mut data = OsmData::default();
    let node = |r: i64, c: i64| r * side + c + 1;
    for r in 0..side {
        for c in 0..side {
            let lat = 1.0 + r as f64 * 0.0005 + rng.below(200) as f64 * 1e-6;
            let lon = 1.0 + c as f64 * 0.0005 + rng.below(200) as f64 * 1e-6;
            let mut tags = Tags::new();
            if rng.below(40) == 0 {
                tags.insert("barrier", rng.pick(&["gate", "bollard", "stile"]));
            }
            data.nodes.insert(node(r, c), OsmNode { lat, lon, tags });
        }
    }
    let mut way_id = 1000;
    for line in 0..side * 2 {
        // Rows, then columns; each cut into a few ways at random points.
        let cells: Vec<i64> =
            (0..side).map(|i| if line < side { node(line, i) } else { node(i, line - side) }).collect();
        let mut start = 0;
        while start + 1 < cells.len() {
            let end = (start + 2 + rng.below(side as u64) as usize).min(cells.len());
            if rng.below(10) > 0 {
                let mut tags = Tags::new();
                tags.insert(
                    "highway",
                    rng.pick(&[
                        "primary",
                        "secondary",
                        "residential",
                        "residential",
                        "service",
                        "footway",
                        "cycleway",
                        "track",
                    ]),
                );
                match rng.below(8) {
                    0 => tags.insert("oneway", "yes"),
                    1 => tags.insert("oneway", "-1"),
                    2 => tags.insert("access", rng.pick(&["no", "destination"])),
                    3 => tags.insert("maxspeed", rng.pick(&["30", "50 mph", "70"])),
                    _ => {}
                }
                tags.insert("name", &format!("Street {way_id}"));
                data.ways.push(OsmWay { id: way_id, nodes: cells[start..end].to_vec(), tags });
                way_id += 1;
            }
            start = end - 1;
        }
    }
    add_restrictions(&mut data, &mut rng, side * 2, 90_000, node, side);
    data
}

/// `count` restrictions (no_* or only_*, between two ways or a way and itself: a u-turn) at
/// random nodes `node(row, col)` of a `side` × `side` grid; nodes no way uses are passed over.
fn add_restrictions(
    data: &mut OsmData,
    rng: &mut Rng,
    count: i64,
    first_id: i64,
    node: impl Fn(i64, i64) -> i64,
    side: i64,
) {
    for n in 0..count {
        let via = node(rng.below(side as u64) as i64, rng.below(side as u64) as i64);
        let at: Vec<i64> = data.ways.iter().filter(|w| w.nodes.contains(&via)).map(|w| w.id).collect();
        if at.is_empty() {
            continue;
        }
        let (from, to) = (at[rng.below(at.len() as u64) as usize], at[rng.below(at.len() as u64) as usize]);
        data.restrictions.push(Restriction {
            id: first_id + n,
            kind: if rng.below(2) == 0 { TurnKind::No } else { TurnKind::Only },
            turn: if from == to { "u_turn" } else { "left_turn" }.to_owned(),
            mode: None,
            from: vec![from],
            via: Via::Node(via),
            to: vec![to],
            except: Vec::new(),
        });
    }
}

/// Tiles of every profile of `data`, written under `dir` with overlay leaf cells of about
/// `cell_nodes` nodes, and the graphs they came from.
pub fn build_tiles(data: &OsmData, dir: &Path, cell_nodes: usize) -> (Router, Vec<Graph>) {
    let options = TileOptions { cell_nodes, ..TileOptions::default() };
    let mut profiles = Vec::new();
    let mut graphs = Vec::new();
    for mode in Mode::ALL {
        let graph = Graph::build(data, Profile::new(mode));
        profiles.push(write_tiles_with(&graph, &dir.join(mode.name()), options, &|_, _, _| {}).unwrap());
        graphs.push(graph);
    }
    let manifest = Manifest::new(SourceStamp { path: "test".into(), bytes: 0, modified_unix_ms: 0 }, profiles);
    manifest.write(dir).unwrap();
    (Router::open(dir, RouterConfig::default()).unwrap(), graphs)
}

/// A query point exactly at a node of `graph`.
pub fn at_node(graph: &Graph, node: u32) -> QueryPoint {
    let c: LatLng = graph.coord(node);
    QueryPoint { radius_m: Some(0.5), ..QueryPoint::new(c) }
}

/// A journey is consistent with itself: durations add up and never exceed the cost (which may
/// hold a restricted-entry penalty on top), geometry is connected.
pub fn check_journey(j: &Journey) {
    let total: f64 = j.legs.iter().flat_map(|l| &l.stretches).map(|s| s.duration_s).sum();
    assert!((total - j.duration_s).abs() < 1e-6, "{total} vs {}", j.duration_s);
    let penalties = j.cost_ms as f64 / 1000.0 - total;
    let per_entry = f64::from(locus_routing::cost::RESTRICTED_ENTRY_MS) / 1000.0;
    assert!(penalties > -1e-6 && (penalties / per_entry - (penalties / per_entry).round()).abs() < 1e-6, "{penalties}");
    for leg in &j.legs {
        for pair in leg.stretches.windows(2) {
            assert_eq!(pair[0].geometry.last(), pair[1].geometry.first(), "stretches join");
        }
        let length: f64 = leg.stretches.iter().map(|s| s.length_m).sum();
        assert!((length - leg.distance_m).abs() < 0.5 + leg.distance_m * 1e-6, "{length} vs {}", leg.distance_m);
    }
}
