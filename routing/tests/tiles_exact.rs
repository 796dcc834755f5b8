//! The tiled A* against the flat Dijkstra oracle: on random street grids (oneways, access,
//! barriers, turn restrictions, long contracted chains) and on every real extract in
//! `../shared/data`, for all three profiles, the cost of every route equals the oracle's to the
//! millisecond, and a pair is unroutable for one exactly when it is for the other.

mod common;

use common::{at_node, build_tiles, check_journey, random_streets, Rng};
use locus_routing::{read_file, shortest_path, EdgeFlags, Graph, Mode, RouteError, Router};
use std::collections::HashMap;
use std::path::Path;

/// Routes `a → b` both ways and asserts they agree; returns whether a route exists.
fn check_pair(router: &Router, graph: &Graph, a: u32, b: u32, what: &str) -> bool {
    let oracle = shortest_path(graph, graph.weights(), a, b).map(|r| r.cost);
    let tiled = router.route(graph.mode(), &[at_node(graph, a), at_node(graph, b)]);
    match (oracle, tiled) {
        (Some(cost), Ok(journey)) => {
            assert_eq!(journey.cost_ms, cost, "{what}: {} {a}->{b}", graph.mode());
            check_journey(&journey);
            true
        }
        (None, Err(RouteError::NoRoute)) => false,
        (oracle, tiled) => panic!("{what}: {} {a}->{b}: oracle {oracle:?}, tiles {tiled:?}", graph.mode()),
    }
}

#[test]
fn tiles_equal_the_flat_oracle_on_random_streets() {
    let (mut routed, mut unroutable, mut jumps, mut multi_level) = (0, 0, 0, 0);
    for seed in 1..=20 {
        let data = random_streets(seed, 12);
        let dir = tempfile::tempdir().unwrap();
        // Leaf cells of a few nodes: two or three overlay levels even on a small grid.
        let (router, graphs) = build_tiles(&data, dir.path(), 2);
        let mut rng = Rng(seed * 7919 + 1);
        for graph in &graphs {
            let n = graph.node_count() as u64;
            if n < 2 {
                continue;
            }
            for _ in 0..300 {
                let (a, b) = (rng.below(n) as u32, rng.below(n) as u32);
                if check_pair(&router, graph, a, b, &format!("seed {seed}")) {
                    routed += 1;
                } else {
                    unroutable += 1;
                }
            }
            let profile = router.manifest().profile(graph.mode()).unwrap();
            let levels = profile.overlay.as_ref().map_or(0, |o| o.levels);
            assert!(levels >= 1, "seed {seed}: no overlay");
            multi_level += usize::from(levels >= 2);
            jumps += router.store(graph.mode()).unwrap().stats.jumps.load(std::sync::atomic::Ordering::Relaxed);
        }
    }
    println!("{routed} routed, {unroutable} unroutable pairs agree; {jumps} cells jumped across");
    assert!(jumps > 10_000, "the overlay was hardly used: {jumps} jumps");
    assert!(multi_level >= 30, "only {multi_level} graphs have two overlay levels or more");
    assert!(routed > 10_000 && unroutable > 100, "too few checks to mean much: {routed} / {unroutable}");
}

const EXTRACTS: [&str; 7] = ["monaco", "andorra", "liechtenstein", "porto", "london", "munchen", "helsinki"];

/// Random pairs per extract and profile; `LOCUS_EXACT_PAIRS` asks for more.
fn pairs_per_profile() -> usize {
    std::env::var("LOCUS_EXACT_PAIRS").ok().and_then(|v| v.parse().ok()).unwrap_or(25)
}

#[test]
fn tiles_equal_the_flat_oracle_on_the_real_extracts() {
    let data_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data");
    let mut checked = 0;
    for name in EXTRACTS {
        let pbf = data_dir.join(format!("{name}.osm.pbf"));
        if !pbf.exists() {
            println!("skipped {name}: {} is absent", pbf.display());
            continue;
        }
        let data = read_file(&pbf).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (router, graphs) = build_tiles(&data, dir.path(), 256);
        let mut rng = Rng(name.len() as u64 * 104_729 + 17);
        for graph in &graphs {
            // Nodes that share their position with another would make snapping ambiguous.
            let mut at: HashMap<(u64, u64), u32> = HashMap::new();
            for v in 0..graph.node_count() as u32 {
                let c = graph.coord(v);
                *at.entry((c.lat().to_bits(), c.lng().to_bits())).or_default() += 1;
            }
            // Routes may not start or end on a driveway (OSRM's `startpoint`): a node touched
            // only by such roads has nothing to snap to.
            let mut startable = vec![false; graph.node_count()];
            for e in graph.edges() {
                if !e.flags.contains(EdgeFlags::NOT_STARTPOINT) {
                    startable[e.from as usize] = true;
                    startable[e.to as usize] = true;
                }
            }
            let unique = |v: u32| {
                let c = graph.coord(v);
                at[&(c.lat().to_bits(), c.lng().to_bits())] == 1 && startable[v as usize]
            };
            let n = graph.node_count() as u64;
            let mut done = 0;
            while done < pairs_per_profile() {
                let (a, b) = (rng.below(n) as u32, rng.below(n) as u32);
                if !unique(a) || !unique(b) {
                    continue;
                }
                check_pair(&router, graph, a, b, name);
                done += 1;
                checked += 1;
            }
        }
        let car = router.store(Mode::Car).unwrap();
        println!("{name}: {} tiles, {} bytes", car.manifest.tile_count(), car.manifest.bytes());
    }
    println!("{checked} pairs agree");
}

#[test]
fn a_damaged_overlay_is_refused_and_a_missing_one_falls_back_to_walking() {
    let data = random_streets(3, 12);
    let dir = tempfile::tempdir().unwrap();
    let (router, graphs) = build_tiles(&data, dir.path(), 2);
    let car = &graphs[0];
    assert_eq!(car.mode(), Mode::Car);
    let n = car.node_count() as u32;
    let pairs: Vec<(u32, u32)> = (0..60).map(|i| (i * 7 % n, (i * 13 + 5) % n)).collect();
    let costs = |router: &Router| -> Vec<Option<u64>> {
        pairs
            .iter()
            .map(|&(a, b)| router.route(Mode::Car, &[at_node(car, a), at_node(car, b)]).ok().map(|j| j.cost_ms))
            .collect()
    };
    let with_overlay = costs(&router);
    assert!(with_overlay.iter().filter(|c| c.is_some()).count() > 30);
    // The overlay is mapped: a file is only ever damaged (or replaced) once nobody maps it.
    drop(router);

    let file = dir.path().join("car").join(locus_routing::tiles::overlay::OVERLAY_FILE);
    let bytes = std::fs::read(&file).unwrap();
    for damaged in [bytes[..bytes.len() / 2].to_vec(), {
        let mut b = bytes.clone();
        let last = b.len() - 1;
        b[last] ^= 0x40;
        b
    }] {
        std::fs::write(&file, &damaged).unwrap();
        match Router::open(dir.path(), locus_routing::RouterConfig::default()) {
            Err(RouteError::Data(message)) => assert!(message.contains("overlay.bin"), "{message}"),
            other => panic!("a damaged overlay must be refused, got {other:?}"),
        }
    }

    std::fs::remove_file(&file).unwrap();
    let walking = Router::open(dir.path(), locus_routing::RouterConfig::default()).unwrap();
    assert_eq!(costs(&walking), with_overlay, "the same costs without the overlay");
    assert_eq!(walking.store(Mode::Car).unwrap().stats.jumps.load(std::sync::atomic::Ordering::Relaxed), 0);
}
