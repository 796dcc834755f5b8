//! Alternative routes: the first answer is the best route (the plain route), each other is a
//! real path whose cost is its true cost (no search penalty left in it), within the stretch
//! bound, and far enough from the routes before it.

mod common;

use common::{at_node, build_tiles, check_journey, random_streets, Rng};
use locus_core::geo::{haversine_m, LatLng};
use locus_routing::router::{ALTERNATIVE_SHARING, ALTERNATIVE_STRETCH};
use locus_routing::{read_file, Graph, Journey, Mode, Router};
use std::collections::HashSet;
use std::path::Path;

/// The positions a journey passes, rounded to about a centimetre.
fn trace(j: &Journey) -> HashSet<Spot> {
    j.geometry().iter().map(|p| ((p.lat() * 1e7).round() as i64, (p.lng() * 1e7).round() as i64)).collect()
}

/// A position rounded to about a centimetre.
type Spot = (i64, i64);

/// The segments of a journey's line (rounded ends) and their lengths.
fn segments(j: &Journey) -> Vec<((Spot, Spot), f64)> {
    let key = |p: &LatLng| ((p.lat() * 1e7).round() as i64, (p.lng() * 1e7).round() as i64);
    j.geometry().windows(2).map(|w| ((key(&w[0]), key(&w[1])), haversine_m(w[0], w[1]))).collect()
}

/// Checks the alternatives between nodes `a` and `b`; returns how many there were.
fn check_alternatives(router: &Router, graph: &Graph, a: u32, b: u32) -> usize {
    let points = [at_node(graph, a), at_node(graph, b)];
    let Ok(journeys) = router.route_with_alternatives(graph.mode(), &points, 3) else { return 0 };
    let best = &journeys[0];
    // The best route is the plain route (which `tiles_exact` holds to the oracle).
    let plain = router.route(graph.mode(), &points).unwrap();
    assert_eq!(best, &plain, "{} {a}->{b}: the first is the best", graph.mode());
    assert!(journeys.len() <= 4);
    for (i, alt) in journeys.iter().enumerate().skip(1) {
        // Its cost is what its own durations say: the penalties of the search are gone.
        check_journey(alt);
        let bound = best.cost_ms * ALTERNATIVE_STRETCH.0 / ALTERNATIVE_STRETCH.1;
        assert!(alt.cost_ms >= best.cost_ms && alt.cost_ms <= bound, "{} {a}->{b}: {}", graph.mode(), alt.cost_ms);
        let ends = (best.geometry().first().copied(), best.geometry().last().copied());
        assert_eq!((alt.geometry().first().copied(), alt.geometry().last().copied()), ends, "same ends");
        // Not the same route again, nor mostly the same.
        for before in &journeys[..i] {
            assert_ne!(trace(alt), trace(before), "{} {a}->{b}: route {i} repeats one before it", graph.mode());
        }
        let earlier: HashSet<_> = journeys[..i].iter().flat_map(segments).map(|(s, _)| s).collect();
        let shared: f64 = segments(alt).into_iter().filter(|(s, _)| earlier.contains(s)).map(|(_, m)| m).sum();
        assert!(
            shared <= alt.distance_m * ALTERNATIVE_SHARING + 1.0,
            "{} {a}->{b}: route {i} shares {shared:.0} m of {:.0} m",
            graph.mode(),
            alt.distance_m
        );
    }
    journeys.len() - 1
}

#[test]
fn alternatives_on_random_streets() {
    let mut found = 0;
    for seed in 0..6 {
        let data = random_streets(seed, 14);
        let dir = tempfile::tempdir().unwrap();
        let (router, graphs) = build_tiles(&data, dir.path(), 8);
        let mut rng = Rng(seed + 11);
        for graph in &graphs {
            let n = graph.node_count() as u64;
            for _ in 0..25 {
                found += check_alternatives(&router, graph, rng.below(n) as u32, rng.below(n) as u32);
            }
        }
    }
    assert!(found > 20, "only {found} alternatives on street grids");
}

#[test]
fn alternatives_in_monaco() {
    let pbf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/monaco.osm.pbf");
    if !pbf.exists() {
        println!("skipped: {} is absent", pbf.display());
        return;
    }
    let data = read_file(&pbf).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (router, graphs) = build_tiles(&data, dir.path(), 64);
    let car = graphs.iter().find(|g| g.mode() == Mode::Car).unwrap();
    let mut rng = Rng(7);
    let n = car.node_count() as u64;
    let found: usize =
        (0..40).map(|_| check_alternatives(&router, car, rng.below(n) as u32, rng.below(n) as u32)).sum();
    assert!(found > 5, "only {found} alternatives in Monaco");
}
