//! The real extract: Monaco imports, builds a connected-enough car graph, and Dijkstra's
//! durations on the benchmark's origin/destination pairs land near OSRM's.
//!
//! Points snap to the nearest graph node (a linear scan). The pairs this leaves unroutable
//! (about 2 %) start or end on a motorway cut off at the extract's border, or on a road
//! island; OSRM snaps those to a road of the main component instead. The snapping stage will.

use locus_core::geo::LatLng;
use locus_routing::{read_file, shortest_path, Graph, Mode, Profile};
use std::collections::HashMap;
use std::path::Path;

const MONACO: &str = "../../shared/data/monaco.osm.pbf";
const OD: &str = "../../shared/bench/routing/od/monaco.csv";
const OSRM: &str = "../../shared/bench/routing/reference/monaco-osrm-car.csv";
/// Pairs routed (the first ones of the file): enough to judge, quick in a debug build.
/// `LOCUS_MONACO_PAIRS=1000` routes them all.
const PAIRS: usize = 200;

fn rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path).unwrap().lines().skip(1).map(|l| l.split(',').map(str::to_owned).collect()).collect()
}

#[test]
fn monaco_car_durations_are_near_osrm() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (pbf, od, osrm) = (dir.join(MONACO), dir.join(OD), dir.join(OSRM));
    if !pbf.exists() || !od.exists() || !osrm.exists() {
        println!("skipped: the Monaco extract or its benchmark pairs are absent");
        return;
    }
    let started = std::time::Instant::now();
    let data = read_file(&pbf).unwrap();
    println!("import: {:?} in {:?}", data.report, started.elapsed());
    assert!(data.ways.len() > 1000 && data.restrictions.len() > 10);
    for mode in Mode::ALL {
        let g = Graph::build(&data, Profile::new(mode));
        println!("{mode}: {} nodes, {} edges, {:?}", g.node_count(), g.edge_count(), g.report());
        assert!(g.edge_count() > 1000);
    }
    let g = Graph::build(&data, Profile::car());
    assert!(g.report().restrictions.used > 10);

    let reference: HashMap<String, (f64, f64)> = rows(&osrm)
        .into_iter()
        .filter_map(|r| Some((r.first()?.clone(), (r.get(1)?.parse().ok()?, r.get(2)?.parse().ok()?))))
        .collect();
    let pairs = std::env::var("LOCUS_MONACO_PAIRS").ok().and_then(|v| v.parse().ok()).unwrap_or(PAIRS);
    let (mut routed, mut close, mut within_10, mut compared) = (0, 0, 0, 0);
    let mut ratios = Vec::new();
    println!("{:>4} {:>9} {:>9} {:>6} {:>9} {:>9}", "id", "locus s", "osrm s", "ratio", "locus m", "osrm m");
    for row in rows(&od).into_iter().take(pairs) {
        let coord = |i: usize, j: usize| LatLng::new(row[i].parse().unwrap(), row[j].parse().unwrap()).unwrap();
        let (o, d) = (g.nearest_node(coord(1, 2)).unwrap(), g.nearest_node(coord(3, 4)).unwrap());
        let Some(&(osrm_s, osrm_m)) = reference.get(&row[0]) else { continue };
        compared += 1;
        match shortest_path(&g, g.weights(), o, d) {
            Some(route) => {
                routed += 1;
                let ratio = route.duration_s() / osrm_s;
                ratios.push(ratio);
                if (0.5..=1.5).contains(&ratio) {
                    close += 1;
                }
                if (0.9..=1.1).contains(&ratio) {
                    within_10 += 1;
                }
                println!(
                    "{:>4} {:>9.1} {:>9.1} {:>6.2} {:>9.0} {:>9.0}",
                    row[0],
                    route.duration_s(),
                    osrm_s,
                    ratio,
                    route.distance_m,
                    osrm_m
                );
            }
            None => println!("{:>4} no route (OSRM: {osrm_s} s)", row[0]),
        }
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "routed {routed}/{compared}; within 50% of OSRM: {close}/{routed}, within 10%: {within_10}/{routed}; median duration ratio {median:.2}; total {:?}",
        started.elapsed()
    );
    assert!(routed * 10 >= compared * 9, "routed only {routed} of {compared}");
    assert!(close * 10 >= routed * 8, "only {close} of {routed} within 50% of OSRM");
}
