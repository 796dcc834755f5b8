//! In-process routing latency on the peers' origin/destination pairs.
//!
//! For each extract (`LOCUS_BENCH_EXTRACTS=monaco,andorra`, default all seven): build the car
//! tiles into a temporary directory (timed), route the 1000 pairs of
//! `../shared/bench/routing/od/<extract>.csv` twice (the second pass is reported: tiles cached),
//! and print the median and p99 latency, how many pairs routed, and how many durations fall
//! within 10 % of OSRM's (`reference/<extract>-osrm-car.csv`), with the median ratio.
//!
//! `LOCUS_CELL_NODES=N` sets the overlay's leaf cell size (`0`: no overlay, plain A* over the
//! tiles), for comparing.
//!
//! `cargo bench -p locus-routing --bench od_pairs`

use locus_core::geo::LatLng;
use locus_routing::tiles::{write_tiles_with, Manifest, SourceStamp, TileOptions};
use locus_routing::{read_file, Graph, Mode, Profile, QueryPoint, Router, RouterConfig};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

const ALL: [&str; 7] = ["monaco", "andorra", "liechtenstein", "porto", "london", "munchen", "helsinki"];

fn rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    let extracts: Vec<String> = std::env::var("LOCUS_BENCH_EXTRACTS")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or_else(|_| ALL.iter().map(|s| s.to_string()).collect());
    println!("| extract | build s | tile bytes | ok/1000 | median µs | p99 µs | within 10% of OSRM | median ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for name in extracts {
        let pbf = root.join(format!("data/{name}.osm.pbf"));
        let od = rows(&root.join(format!("bench/routing/od/{name}.csv")));
        if !pbf.exists() || od.is_empty() {
            eprintln!("skipping {name}: no extract or pairs");
            continue;
        }
        let reference: HashMap<String, f64> = rows(&root.join(format!("bench/routing/reference/{name}-osrm-car.csv")))
            .into_iter()
            .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.parse().ok()?)))
            .collect();
        let dir = tempfile::tempdir().expect("temporary directory");
        let started = Instant::now();
        let data = read_file(&pbf).expect("extract reads");
        let graph = Graph::build(&data, Profile::new(Mode::Car));
        let mut options = TileOptions::default();
        if let Some(n) = std::env::var("LOCUS_CELL_NODES").ok().and_then(|v| v.parse::<usize>().ok()) {
            options.cell_nodes = if n == 0 { usize::MAX } else { n };
        }
        let profile = write_tiles_with(&graph, &dir.path().join("car"), options, &|_, _, _| {}).expect("tiles written");
        let build_s = started.elapsed().as_secs_f64();
        let bytes = profile.bytes();
        Manifest::new(SourceStamp { path: name.clone(), bytes: 0, modified_unix_ms: 0 }, vec![profile])
            .write(dir.path())
            .expect("manifest written");
        let router = Router::open(dir.path(), RouterConfig::default()).expect("router opens");
        let point = |lat: &str, lon: &str| {
            QueryPoint::new(
                LatLng::new(lat.parse().unwrap_or(f64::NAN), lon.parse().unwrap_or(f64::NAN)).expect("valid"),
            )
        };
        let (mut latencies, mut ok, mut within, mut ratios) = (Vec::new(), 0, 0, Vec::new());
        let mut failures: HashMap<String, usize> = HashMap::new();
        for pass in 0..2 {
            latencies.clear();
            for r in &od {
                let points = [point(&r[1], &r[2]), point(&r[3], &r[4])];
                let t = Instant::now();
                let result = router.route(Mode::Car, &points);
                latencies.push(t.elapsed().as_secs_f64() * 1e6);
                if pass == 1 {
                    if let Err(e) = &result {
                        let kind = format!("{e:?}");
                        *failures.entry(kind.split([' ', '(']).next().unwrap_or("").to_owned()).or_default() += 1;
                        if std::env::var_os("LOCUS_BENCH_VERBOSE").is_some() {
                            eprintln!("{name} pair {}: {e}", r[0]);
                        }
                    }
                    if let Ok(j) = result {
                        ok += 1;
                        if let Some(&osrm) = reference.get(&r[0]) {
                            let ratio = j.duration_s / osrm;
                            within += usize::from((ratio - 1.0).abs() <= 0.10);
                            ratios.push(ratio);
                        }
                    }
                }
            }
        }
        latencies.sort_by(f64::total_cmp);
        ratios.sort_by(f64::total_cmp);
        println!(
            "| {name} | {build_s:.2} | {bytes} | {ok} | {:.0} | {:.0} | {within} | {:.3} |",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99),
            percentile(&ratios, 0.5)
        );
        if !failures.is_empty() {
            eprintln!("{name}: failures {failures:?}");
        }
    }
}
