//! Benchmark of the in-memory spatial indexes: radius search (`within_sorted`, sort included) per
//! radius for the quadtree, the R-tree and the brute-force scan, and k-nearest (k = 10).
//!
//! The points are made here, deterministically (ChaCha8, seed 42), after the recipe of
//! `shared/bench/proximity/gen_points.py`, so the hit counts are comparable with the Redis and
//! PostGIS runs there: about 80% in 300 city clusters (40 real metros + 260 random land centres,
//! weight rank^-0.9, Gaussian sigma 20 km down to 2 km), about 20% uniform over coarse land boxes,
//! plus antimeridian, polar, equator, prime-meridian and duplicate-stack edge points.
//! `LOCUS_BENCH_N` overrides the default of 1,000,000 points. `LOCUS_BENCH_POINTS=FILE` reads the
//! points instead from the CSV `gen_points.py` writes (`name,category,latitude,longitude`, id =
//! row number), so the figures are on exactly the data the Redis and PostGIS peers were measured on.
//!
//! The queries are `shared/bench/proximity/queries.csv` (1,000 per radius of 500 m, 1, 2, 5 and
//! 20 km) when it is there, else generated near the points the same way. Each benchmark cycles
//! through its radius's queries, so a figure is the mean time of one query over the set.
//!
//! Run: `cargo bench -p locus-lbs --bench index`.

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use locus_core::geo::{wrap_lng, LatLng};
use locus_lbs::tree::brute::BruteForce;
use locus_lbs::tree::{build, within_sorted, SpatialIndex, TreeKind};
use rand::distributions::{Distribution, WeightedIndex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const DEFAULT_N: usize = 1_000_000;
const SEED: u64 = 42;
const RADII_M: [u32; 5] = [500, 1_000, 2_000, 5_000, 20_000];
const QUERIES_PER_RADIUS: usize = 1_000;
/// The brute-force scan is timed on this many queries per radius: one scan reads every point.
const BRUTE_QUERIES: usize = 16;
/// Queries per radius whose answers are compared across the trees, and with the scan, before timing.
const CROSS_CHECKED: usize = 100;
const CROSS_CHECKED_BRUTE: usize = 4;
const QUERIES_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/bench/proximity/queries.csv");

/// Metres per degree of latitude in the generator's flat offsets (as in gen_points.py).
const M_PER_DEG: f64 = 111_320.0;
const N_CITIES: usize = 300;

/// Real metropolitan areas (lat, lng): ranks 1..=40, the heaviest clusters.
const REAL_CITIES: [(f64, f64); 40] = [
    (35.6895, 139.6917),
    (28.6139, 77.2090),
    (31.2304, 121.4737),
    (-23.5505, -46.6333),
    (19.4326, -99.1332),
    (30.0444, 31.2357),
    (19.0760, 72.8777),
    (39.9042, 116.4074),
    (23.8103, 90.4125),
    (34.6937, 135.5023),
    (40.7128, -74.0060),
    (24.8607, 67.0011),
    (-34.6037, -58.3816),
    (41.0082, 28.9784),
    (22.5726, 88.3639),
    (6.5244, 3.3792),
    (14.5995, 120.9842),
    (-22.9068, -43.1729),
    (34.0522, -118.2437),
    (55.7558, 37.6173),
    (48.8566, 2.3522),
    (51.5074, -0.1278),
    (-6.2088, 106.8456),
    (-12.0464, -77.0428),
    (13.7563, 100.5018),
    (37.5665, 126.9780),
    (41.8781, -87.6298),
    (35.6892, 51.3890),
    (-26.2041, 28.0473),
    (40.4168, -3.7038),
    (43.6532, -79.3832),
    (-33.8688, 151.2093),
    (1.3521, 103.8198),
    (52.5200, 13.4050),
    (-1.2921, 36.8219),
    (5.6037, -0.1870),
    (-0.1807, -78.4678),
    (61.2181, -149.9003),
    (-36.8485, 174.7633),
    (64.1466, -21.9426),
];

/// Coarse land-ish boxes: (lat_min, lat_max, lng_min, lng_max).
const LAND_BOXES: [(f64, f64, f64, f64); 13] = [
    (25.0, 60.0, -125.0, -70.0),
    (15.0, 25.0, -105.0, -88.0),
    (-35.0, 5.0, -75.0, -38.0),
    (36.0, 60.0, -10.0, 40.0),
    (50.0, 70.0, 40.0, 140.0),
    (20.0, 45.0, 70.0, 122.0),
    (8.0, 28.0, 68.0, 90.0),
    (-10.0, 20.0, 95.0, 125.0),
    (-35.0, 15.0, 10.0, 40.0),
    (15.0, 35.0, -15.0, 35.0),
    (15.0, 38.0, 35.0, 60.0),
    (-38.0, -15.0, 115.0, 150.0),
    (30.0, 45.0, 130.0, 145.0),
];

/// Open-ocean spots for the generated query set.
const OCEAN: [(f64, f64); 4] = [(-40.0, -130.0), (30.0, -40.0), (-30.0, 80.0), (10.0, 170.0)];

fn ll(lat: f64, lng: f64) -> LatLng {
    LatLng::new(lat.clamp(-90.0, 90.0), wrap_lng(lng)).expect("clamped and wrapped coordinates are valid")
}

fn gauss(rng: &mut ChaCha8Rng) -> f64 {
    let (u1, u2): (f64, f64) = (1.0 - rng.gen::<f64>(), rng.gen());
    (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
}

/// A point `sigma_m` (Gaussian, per axis) around `(lat, lng)`, in flat degree offsets.
fn scatter(rng: &mut ChaCha8Rng, lat: f64, lng: f64, sigma_m: f64) -> LatLng {
    let (dy, dx) = (gauss(rng) * sigma_m, gauss(rng) * sigma_m);
    ll(lat + dy / M_PER_DEG, lng + dx / (M_PER_DEG * lat.to_radians().cos().max(1e-6)))
}

struct Land(WeightedIndex<f64>);

impl Land {
    fn new() -> Self {
        let areas = LAND_BOXES.iter().map(|b| (b.1 - b.0) * (b.3 - b.2));
        Land(WeightedIndex::new(areas).expect("box areas are positive"))
    }

    fn point(&self, rng: &mut ChaCha8Rng) -> (f64, f64) {
        let b = LAND_BOXES[self.0.sample(rng)];
        (rng.gen_range(b.0..b.1), rng.gen_range(b.2..b.3))
    }
}

/// The 300 cluster centres with their sigma in metres, and the rank^-0.9 weights.
fn cities(rng: &mut ChaCha8Rng, land: &Land) -> (Vec<(f64, f64, f64)>, WeightedIndex<f64>) {
    let mut centres: Vec<(f64, f64)> = REAL_CITIES.to_vec();
    while centres.len() < N_CITIES {
        centres.push(land.point(rng));
    }
    let cities = centres
        .iter()
        .enumerate()
        .map(|(i, &(lat, lng))| (lat, lng, 1000.0 * (20.0 * ((i + 1) as f64).powf(-0.4)).max(2.0)))
        .collect();
    let weights = (1..=N_CITIES).map(|rank| (rank as f64).powf(-0.9));
    (cities, WeightedIndex::new(weights).expect("weights are positive"))
}

/// Antimeridian, polar, equator, prime-meridian, (0, 0) and duplicate-stack points (~1% at 1M).
fn edge_points(rng: &mut ChaCha8Rng, n: usize) -> Vec<LatLng> {
    let scale = |count: f64| ((count * n as f64 / 1e6).round() as usize).max(1);
    let mut pts = Vec::new();
    for base_lat in [-17.0, 65.5] {
        for side in [1.0, -1.0] {
            for _ in 0..scale(1000.0) {
                let lat: f64 = base_lat + rng.gen_range(-0.3..0.3);
                let dlng = rng.gen_range(0.0..1000.0) / (M_PER_DEG * lat.to_radians().cos());
                pts.push(ll(lat, side * (180.0 - dlng)));
            }
        }
    }
    for _ in 0..scale(20.0) {
        pts.push(ll(-17.0 + rng.gen_range(-0.05..0.05), if rng.gen() { 180.0 } else { -180.0 }));
    }
    for _ in 0..scale(1000.0) {
        pts.push(ll(rng.gen_range(89.5..=90.0), rng.gen_range(-180.0..180.0)));
        pts.push(ll(rng.gen_range(-90.0..=-89.5), rng.gen_range(-180.0..180.0)));
    }
    pts.extend([ll(90.0, 0.0), ll(-90.0, 0.0)]);
    for _ in 0..scale(500.0) {
        pts.push(ll(0.0, rng.gen_range(-180.0..180.0)));
        pts.push(ll(0.0, rng.gen_range(-0.2..0.2)));
        pts.push(ll(rng.gen_range(-60.0..70.0), 0.0));
        pts.push(ll(rng.gen_range(-0.2..0.2), 0.0));
    }
    pts.extend(std::iter::repeat_n(ll(0.0, 0.0), scale(50.0)));
    for _ in 0..scale(20.0) {
        let (lat, lng) = REAL_CITIES[rng.gen_range(0..REAL_CITIES.len())];
        let spot = ll(lat + gauss(rng) * 0.02, lng + gauss(rng) * 0.02);
        let count = rng.gen_range(20..=80);
        pts.extend(std::iter::repeat_n(spot, count));
    }
    pts.truncate(n / 50);
    pts
}

/// `n` points with ids 1..=n.
fn points(n: usize) -> Vec<(i64, LatLng)> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let land = Land::new();
    let (cities, weights) = cities(&mut rng, &land);
    let mut pts = edge_points(&mut rng, n);
    let rest = n - pts.len();
    let in_cities = (rest as f64 * 0.8).round() as usize;
    for _ in 0..in_cities {
        let (lat, lng, sigma_m) = cities[weights.sample(&mut rng)];
        pts.push(scatter(&mut rng, lat, lng, sigma_m));
    }
    while pts.len() < n {
        let (lat, lng) = land.point(&mut rng);
        pts.push(ll(lat, lng));
    }
    (1..).zip(pts).collect()
}

/// Points from a `gen_points.py` CSV; ids are 1-based row numbers, as the peers' loaders use.
fn points_from_csv(path: &str) -> Vec<(i64, LatLng)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut out = Vec::new();
    for (row, line) in text.lines().skip(1).enumerate() {
        let mut fields = line.rsplitn(3, ',');
        let lng: f64 = fields.next().and_then(|v| v.parse().ok()).expect("longitude");
        let lat: f64 = fields.next().and_then(|v| v.parse().ok()).expect("latitude");
        out.push((row as i64 + 1, ll(lat, lng)));
    }
    eprintln!("points: {path}");
    out
}

/// Query centres per radius: the shared CSV if present, else 85% near a point (sigma 300 m),
/// 5% open ocean, 10% edges.
fn queries(points: &[(i64, LatLng)]) -> BTreeMap<u32, Vec<LatLng>> {
    let mut by_radius: BTreeMap<u32, Vec<LatLng>> = BTreeMap::new();
    if let Ok(text) = std::fs::read_to_string(QUERIES_CSV) {
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            if let [_, lat, lng, radius] = fields[..] {
                if let (Ok(lat), Ok(lng), Ok(radius)) = (lat.parse(), lng.parse(), radius.parse::<f64>()) {
                    by_radius.entry(radius as u32).or_default().push(ll(lat, lng));
                }
            }
        }
        eprintln!("queries: {QUERIES_CSV}");
        return by_radius;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let edges = [(0.0, 180.0), (-17.0, -179.999), (65.5, 179.999), (89.9, 0.0), (-89.9, 45.0), (0.0, 0.0), (0.0, 30.0)];
    for radius in RADII_M {
        let centres = (0..QUERIES_PER_RADIUS)
            .map(|i| match i % 20 {
                0 => {
                    let (lat, lng) = OCEAN[rng.gen_range(0..OCEAN.len())];
                    ll(lat, lng)
                }
                1 | 2 => {
                    let (lat, lng) = edges[rng.gen_range(0..edges.len())];
                    scatter(&mut rng, lat, lng, 300.0)
                }
                _ => {
                    let p = points[rng.gen_range(0..points.len())].1;
                    scatter(&mut rng, p.lat(), p.lng(), 300.0)
                }
            })
            .collect();
        by_radius.insert(radius, centres);
    }
    eprintln!("queries: generated ({QUERIES_CSV} not found)");
    by_radius
}

fn bench_n() -> usize {
    std::env::var("LOCUS_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_N)
}

fn megabytes(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn bench(c: &mut Criterion) {
    let n = bench_n();
    let started = Instant::now();
    let pts = match std::env::var("LOCUS_BENCH_POINTS") {
        Ok(path) => points_from_csv(&path),
        Err(_) => points(n),
    };
    let n = pts.len();
    eprintln!("prepared {n} points in {:.2?}", started.elapsed());
    let queries = queries(&pts);

    let mut indexes: Vec<(String, Box<dyn SpatialIndex>)> = Vec::new();
    for kind in [TreeKind::Quadtree, TreeKind::RTree] {
        let started = Instant::now();
        let index = build(kind, pts.clone());
        let took = started.elapsed();
        let bytes = index.heap_bytes();
        eprintln!(
            "{kind}: build {took:.2?} for {n} points; heap {:.1} MB ({:.1} B/point)",
            megabytes(bytes),
            bytes as f64 / n as f64
        );
        indexes.push((kind.to_string(), index));
    }
    let brute = BruteForce::bulk_load(pts.clone());
    eprintln!("brute: heap {:.1} MB", megabytes(brute.heap_bytes()));

    for (&radius, centres) in &queries {
        let r = f64::from(radius);
        let mut hits = 0usize;
        for (i, &centre) in centres.iter().enumerate() {
            let expected = within_sorted(indexes[0].1.as_ref(), centre, r);
            hits += expected.len();
            if i < CROSS_CHECKED {
                for (name, index) in &indexes[1..] {
                    assert_eq!(within_sorted(index.as_ref(), centre, r), expected, "{name} at {centre:?}");
                }
            }
            if i < CROSS_CHECKED_BRUTE {
                assert_eq!(within_sorted(&brute, centre, r), expected, "brute at {centre:?}");
            }
        }
        eprintln!("radius {radius} m: {} queries, mean hits {:.1}", centres.len(), hits as f64 / centres.len() as f64);
    }

    for (&radius, centres) in &queries {
        let r = f64::from(radius);
        let mut group = c.benchmark_group(format!("within_{radius}m"));
        for (name, index) in &indexes {
            group.bench_function(name.as_str(), |b| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % centres.len();
                    black_box(within_sorted(index.as_ref(), centres[i], r))
                })
            });
        }
        group.sample_size(10);
        let few = &centres[..BRUTE_QUERIES.min(centres.len())];
        group.bench_function("brute", |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % few.len();
                black_box(within_sorted(&brute, few[i], r))
            })
        });
        group.finish();
    }

    let centres: Vec<LatLng> = queries.values().flatten().copied().collect();
    let mut group = c.benchmark_group("nearest_10");
    for (name, index) in &indexes {
        group.bench_function(name.as_str(), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % centres.len();
                black_box(index.nearest(centres[i], 10))
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
