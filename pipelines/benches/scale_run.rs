//! The routing scale run (issue 4): car tiles of a synthetic country-sized road network, queried
//! through a bounded tile cache.
//!
//! 1. Generates the network (`locus generate roads --nodes N`, seed 1, south-west corner 45°N
//!    5°E), keeps 2000 node positions drawn at random, drops the network, and builds the car
//!    tiles into a temporary directory: build time, tiles and bytes per level, peak memory.
//! 2. Draws the query pairs from the kept positions, in three bands of straight-line distance
//!    (local < 5 km, regional 5-50 km, long > 50 km), and routes each pair once per cache size,
//!    each pass with a fresh router (cold cache): per band, routed / attempted, median, p90 and
//!    p99 latency, mean route length, the failures by kind, tile loads, "query memory" (how far
//!    the peak RSS rose above the RSS before the query: the search's labels and queue and every
//!    tile it holds while it runs, cached or not; only with `LOCUS_SCALE_QUERY_MEMORY`) and
//!    VmRSS after the band, as is and with the heap trimmed (glibc keeps freed search memory
//!    otherwise); per pass, tile loads, cache hits, hit rate, what the cache holds at the end,
//!    and the peak RSS of the pass.
//! 3. Loads every tile into an unbounded cache to compare the memory tiles really take with the
//!    weight the cache counts for them.
//!
//! `cargo bench -p locus-pipelines --bench scale_run`
//!
//! Environment (defaults in brackets):
//! - `LOCUS_SCALE_NODES` [5000000]: nodes of the network; `LOCUS_SCALE_SEED` [1].
//! - `LOCUS_SCALE_DIR`: build into (and keep) this directory instead of a temporary one; a
//!   directory already holding the tiles of the same network (`routing/manifest.json` of this
//!   build and tile format version, and `scale_samples.csv` with the kept positions) is reused
//!   without building. Rebuild after changing the profiles or the tile builder.
//! - `LOCUS_SCALE_CACHE_MB` [64,16]: the tile cache of each pass, MiB, comma-separated.
//! - `LOCUS_SCALE_PAIRS` [200]: pairs per band; `LOCUS_SCALE_LONG_PAIRS` overrides the long
//!   band's count.
//! - `LOCUS_SCALE_BAND_SECONDS` [300]: a band stops taking new pairs after this long in one
//!   pass (the table then shows how many were attempted).
//! - `LOCUS_SCALE_VERBOSE`: print every failed pair.
//! - `LOCUS_SCALE_COMPARE_WALK`: after each pass, the same pass with the overlay file moved
//!   aside (plain ALT A* over the same tiles), side by side.
//! - `LOCUS_SCALE_QUERY_MEMORY`: measure each query's memory: before each query (outside the
//!   timing) the heap is trimmed and the peak RSS reset (Linux `clear_refs`). Every query then
//!   faults its memory in afresh, so latencies come out higher: time without it.
//! - `LOCUS_SCALE_NO_CALIBRATE`: skip the last step, which loads every tile at once to compare
//!   the memory tiles really take with the weight the cache counts for them.

use locus_core::geo::{haversine_m, LatLng};
use locus_pipelines::osm_tiles::{build_tile_set, peak_rss_bytes, OsmTilesOptions};
use locus_pipelines::roads::{generate_roads, RoadsOptions};
use locus_routing::tiles::overlay::OVERLAY_FILE;
use locus_routing::tiles::{Manifest, SourceStamp, LEVEL_SIZES_DEG};
use locus_routing::{Mode, QueryPoint, RouteError, Router, RouterConfig};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const SAMPLES: usize = 2000;
const SAMPLES_FILE: &str = "scale_samples.csv";
const MIB: f64 = (1u64 << 20) as f64;

struct Band {
    name: &'static str,
    min_m: f64,
    max_m: f64,
}

const BANDS: [Band; 3] = [
    Band { name: "local < 5 km", min_m: 0.0, max_m: 5_000.0 },
    Band { name: "regional 5-50 km", min_m: 5_000.0, max_m: 50_000.0 },
    Band { name: "long > 50 km", min_m: 50_000.0, max_m: f64::INFINITY },
];

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.trim().replace('_', "").parse().unwrap_or_else(|_| panic!("{name}={v} is not a number")),
        Err(_) => default,
    }
}

/// A field of /proc/self/status (kB) in bytes.
fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn rss_bytes() -> Option<u64> {
    proc_status_bytes("VmRSS:")
}

/// Resets the peak RSS (VmHWM) to the current RSS (Linux: `5` to /proc/self/clear_refs).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Hands freed heap back to the kernel, so VmRSS shows what is live rather than what the
/// allocator kept from the build.
fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: glibc's malloc_trim takes a byte count and only returns free memory.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// The 1, 5 and 15 minute load averages: the machine is shared, so say how busy it was.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or("n/a".into(), |b| format!("{:.0} MiB", b as f64 / MIB))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn point(lat: f64, lon: f64) -> LatLng {
    LatLng::new(lat, lon).expect("a generated node lies on the globe")
}

/// The network's name in the manifest, so a kept directory is reused only for the same one.
fn source_name(nodes: u64, seed: u64) -> String {
    format!("synthetic roads nodes={nodes} seed={seed}")
}

fn read_samples(dir: &Path, header: &str) -> Option<Vec<LatLng>> {
    let text = std::fs::read_to_string(dir.join(SAMPLES_FILE)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != header {
        return None;
    }
    let samples: Vec<LatLng> = lines
        .map(|l| {
            let (lat, lon) = l.split_once(',')?;
            LatLng::new(lat.parse().ok()?, lon.parse().ok()?).ok()
        })
        .collect::<Option<_>>()?;
    (samples.len() == SAMPLES).then_some(samples)
}

fn write_samples(dir: &Path, header: &str, samples: &[LatLng]) {
    let mut text = format!("{header}\n");
    for p in samples {
        text.push_str(&format!("{},{}\n", p.lat(), p.lng()));
    }
    std::fs::write(dir.join(SAMPLES_FILE), text).expect("samples written");
}

/// Generates the network, keeps `SAMPLES` node positions (random node ids; the generator
/// numbers nodes from 1 in the order it makes them) and, when asked, builds the car tiles.
fn generate_and_build(opts: &RoadsOptions, dir: &Path, build: bool) -> Vec<LatLng> {
    let started = Instant::now();
    let data = generate_roads(opts, false);
    let generated = started.elapsed();
    let max_id = data.nodes.keys().copied().max().unwrap_or(0);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x5ca1e);
    let mut samples = Vec::with_capacity(SAMPLES);
    while samples.len() < SAMPLES {
        if let Some(n) = data.nodes.get(&rng.gen_range(1..=max_id)) {
            samples.push(point(n.lat, n.lon));
        }
    }
    println!(
        "generated: {} nodes, {} ways, {} restrictions in {:.1} s (peak RSS so far {})",
        data.nodes.len(),
        data.ways.len(),
        data.restrictions.len(),
        generated.as_secs_f64(),
        mib(peak_rss_bytes())
    );
    if !build {
        return samples;
    }
    let stamp = SourceStamp { path: source_name(opts.nodes, opts.seed), bytes: 0, modified_unix_ms: 0 };
    let building = Instant::now();
    // `build_tile_set` takes the data and drops it when it returns.
    let summary = build_tile_set(
        data,
        stamp,
        dir,
        &OsmTilesOptions { modes: vec![Mode::Car], show_progress: false },
        Instant::now(),
    )
    .expect("car tiles build");
    println!(
        "built: car tiles in {:.1} s (generation + build {:.1} s); peak RSS {}",
        building.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64(),
        mib(summary.peak_rss_bytes)
    );
    samples
}

struct Pair {
    from: LatLng,
    to: LatLng,
    crow_m: f64,
}

/// Every sample pair sorted into its band, shuffled with a fixed seed, the first `want` kept.
fn pairs(samples: &[LatLng], wants: [usize; 3]) -> Vec<Vec<Pair>> {
    let mut bands: Vec<Vec<(u16, u16)>> = (0..BANDS.len()).map(|_| Vec::new()).collect();
    for (i, &a) in samples.iter().enumerate() {
        for (j, &b) in samples.iter().enumerate().skip(i + 1) {
            let crow_m = haversine_m(a, b);
            if let Some(k) = BANDS.iter().position(|band| crow_m >= band.min_m && crow_m < band.max_m) {
                bands[k].push((i as u16, j as u16));
            }
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    bands
        .into_iter()
        .zip(wants)
        .map(|(mut band, want)| {
            band.shuffle(&mut rng);
            if band.len() < want {
                eprintln!("only {} sample pairs in a band; wanted {want}", band.len());
            }
            band.iter()
                .take(want)
                .map(|&(i, j)| {
                    let (from, to) = (samples[usize::from(i)], samples[usize::from(j)]);
                    Pair { from, to, crow_m: haversine_m(from, to) }
                })
                .collect()
        })
        .collect()
}

#[derive(Default)]
struct BandResult {
    attempted: usize,
    routed: usize,
    cut_short: bool,
    latencies_ms: Vec<f64>,
    lengths_m: Vec<f64>,
    crow_m: Vec<f64>,
    failures: BTreeMap<&'static str, usize>,
    loads: u64,
    seconds: f64,
    rss_after: Option<u64>,
    rss_trimmed: Option<u64>,
    /// Per query (with `LOCUS_SCALE_QUERY_MEMORY`): how far the peak RSS rose above the RSS
    /// before it (bytes).
    query_peaks: Vec<u64>,
}

fn kind(e: &RouteError) -> &'static str {
    match e {
        RouteError::NoSegment { .. } => "NoSegment",
        RouteError::NoRoute => "NoRoute",
        RouteError::TooBig(_) => "TooBig",
        RouteError::Data(_) => "Data",
        _ => "other",
    }
}

fn run_pass(dir: &Path, cache_mb: u64, bands: &[Vec<Pair>], budget: Duration, verbose: bool, query_memory: bool) {
    trim_heap();
    let rss_before = rss_bytes();
    let peak_reset = reset_peak_rss();
    let mut pass_peak = 0u64;
    let router = Router::open(&dir.join("routing"), RouterConfig { cache_bytes: cache_mb << 20, ..Default::default() })
        .expect("router opens");
    let store = router.store(Mode::Car).expect("car tiles");
    let mut results = Vec::new();
    for (band, pairs) in BANDS.iter().zip(bands) {
        let mut r = BandResult::default();
        let loads_before = store.stats.loads.load(Ordering::Relaxed);
        let started = Instant::now();
        for (n, p) in pairs.iter().enumerate() {
            if started.elapsed() > budget {
                r.cut_short = true;
                break;
            }
            r.attempted += 1;
            // Outside the timed part: free heap back to the kernel and reset the high-water
            // mark, so the peak after the query shows what the query itself held.
            let base = if peak_reset && query_memory {
                trim_heap();
                reset_peak_rss();
                rss_bytes()
            } else {
                None
            };
            let t = Instant::now();
            let result = router.route(Mode::Car, &[QueryPoint::new(p.from), QueryPoint::new(p.to)]);
            r.latencies_ms.push(t.elapsed().as_secs_f64() * 1e3);
            if let (Some(base), Some(peak)) = (base, proc_status_bytes("VmHWM:")) {
                r.query_peaks.push(peak.saturating_sub(base));
                pass_peak = pass_peak.max(peak);
            }
            match result {
                Ok(journey) => {
                    r.routed += 1;
                    r.lengths_m.push(journey.distance_m);
                    r.crow_m.push(p.crow_m);
                }
                Err(e) => {
                    *r.failures.entry(kind(&e)).or_default() += 1;
                    if verbose {
                        eprintln!(
                            "{} pair {n} ({:.6},{:.6} -> {:.6},{:.6}, {:.1} km): {e}",
                            band.name,
                            p.from.lat(),
                            p.from.lng(),
                            p.to.lat(),
                            p.to.lng(),
                            p.crow_m / 1e3
                        );
                    }
                }
            }
        }
        r.seconds = started.elapsed().as_secs_f64();
        r.loads = store.stats.loads.load(Ordering::Relaxed) - loads_before;
        r.latencies_ms.sort_by(f64::total_cmp);
        r.query_peaks.sort_unstable();
        r.rss_after = rss_bytes();
        trim_heap();
        r.rss_trimmed = rss_bytes();
        results.push(r);
    }
    let loads = store.stats.loads.load(Ordering::Relaxed);
    let hits = store.stats.hits.load(Ordering::Relaxed);
    let bytes_loaded = store.stats.bytes_loaded.load(Ordering::Relaxed);
    let (cached_tiles, cached_bytes) = store.cached();
    let rss_end = rss_bytes();
    let peak = if peak_reset { proc_status_bytes("VmHWM:").map(|p| p.max(pass_peak)) } else { None };

    println!();
    println!("load average at the end of the pass: {}", loadavg());
    println!();
    println!(
        "| band | routed / attempted | median ms | p90 ms | p99 ms | max ms | mean route km | mean straight km | tile loads | failures | band s | query memory p50 / p90 / max | VmRSS after (trimmed) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    for ((band, r), pairs) in BANDS.iter().zip(&results).zip(bands) {
        let mean = |v: &[f64]| if v.is_empty() { f64::NAN } else { v.iter().sum::<f64>() / v.len() as f64 };
        let failures = if r.failures.is_empty() {
            "–".to_owned()
        } else {
            r.failures.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
        };
        println!(
            "| {} | {} / {}{} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {:.1} | {} | {} | {:.1} | {} | {} |",
            band.name,
            r.routed,
            r.attempted,
            if r.cut_short { format!(" (of {}; time budget)", pairs.len()) } else { String::new() },
            percentile(&r.latencies_ms, 0.5),
            percentile(&r.latencies_ms, 0.9),
            percentile(&r.latencies_ms, 0.99),
            r.latencies_ms.last().copied().unwrap_or(f64::NAN),
            mean(&r.lengths_m) / 1e3,
            mean(&r.crow_m) / 1e3,
            r.loads,
            failures,
            r.seconds,
            if r.query_peaks.is_empty() {
                "n/a".to_owned()
            } else {
                let q = |p: f64| r.query_peaks[((r.query_peaks.len() - 1) as f64 * p).round() as usize] as f64 / MIB;
                format!("{:.0} / {:.0} / {:.0} MiB", q(0.5), q(0.9), q(1.0))
            },
            format_args!("{} ({})", mib(r.rss_after), mib(r.rss_trimmed)),
        );
    }
    println!();
    let lookups = loads + hits;
    println!("| tile loads | cache hits | hit rate | MiB read from disk | cached at end (tiles, MiB weight) | VmRSS before / at end (heap trimmed) | of it, mapped overlay pages | peak RSS during pass |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {loads} | {hits} | {:.1} % | {:.1} | {cached_tiles}, {:.1} | {} / {} | {} | {} |",
        if lookups == 0 { f64::NAN } else { 100.0 * hits as f64 / lookups as f64 },
        bytes_loaded as f64 / MIB,
        cached_bytes as f64 / MIB,
        mib(rss_before),
        mib(rss_end),
        // Pages of the memory-mapped overlay file: page cache the kernel may drop.
        mib(proc_status_bytes("RssFile:")),
        if peak_reset { mib(peak) } else { "n/a (cannot reset VmHWM)".into() },
    );
}

/// How much memory a cached tile really takes against the weight the cache counts for it: loads
/// every tile (and its snapping index) into an unbounded cache and compares the growth of VmRSS
/// with the cache's weight.
fn calibrate(dir: &Path) {
    trim_heap();
    let before = rss_bytes();
    let router = Router::open(&dir.join("routing"), RouterConfig { cache_bytes: u64::MAX >> 1, ..Default::default() })
        .expect("router opens");
    let store = router.store(Mode::Car).expect("car tiles");
    let started = Instant::now();
    let mut tiles = Vec::new();
    for level in &store.manifest.levels {
        for &index in &level.tiles {
            let key = locus_routing::tiles::TileKey { level: level.level, index };
            tiles.push(store.get(key).expect("tile reads").expect("listed tile"));
        }
    }
    let loaded_s = started.elapsed().as_secs_f64();
    let loaded = rss_bytes();
    for tile in &tiles {
        tile.segments();
    }
    let indexed = rss_bytes();
    let (count, weight) = store.cached();
    let grow = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) => b.saturating_sub(a) as f64 / MIB,
        _ => f64::NAN,
    };
    println!();
    println!("### Tile memory against the cache's weight (every tile loaded, unbounded cache)");
    println!();
    println!("| tiles | read + decode s | bytes on disk | cache weight | VmRSS growth: decoded | + snapping index | growth ÷ weight |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {count} | {loaded_s:.1} | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.2} |",
        store.stats.bytes_loaded.load(Ordering::Relaxed) as f64 / MIB,
        weight as f64 / MIB,
        grow(before, loaded),
        grow(before, indexed),
        grow(before, indexed) / (weight as f64 / MIB)
    );
}

fn main() {
    // `cargo bench` passes `--bench`; there is nothing to filter.
    let nodes = env_u64("LOCUS_SCALE_NODES", 5_000_000);
    let seed = env_u64("LOCUS_SCALE_SEED", 1);
    let per_band = env_u64("LOCUS_SCALE_PAIRS", 200) as usize;
    let long = env_u64("LOCUS_SCALE_LONG_PAIRS", per_band as u64) as usize;
    let budget = Duration::from_secs(env_u64("LOCUS_SCALE_BAND_SECONDS", 300));
    let caches: Vec<u64> = std::env::var("LOCUS_SCALE_CACHE_MB")
        .unwrap_or_else(|_| "64,16".into())
        .split(',')
        .map(|s| s.trim().parse().expect("LOCUS_SCALE_CACHE_MB: MiB, comma-separated"))
        .collect();
    let verbose = std::env::var_os("LOCUS_SCALE_VERBOSE").is_some();
    let query_memory = std::env::var_os("LOCUS_SCALE_QUERY_MEMORY").is_some();

    let temp;
    let dir: PathBuf = match std::env::var_os("LOCUS_SCALE_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            temp = tempfile::tempdir().expect("temporary directory");
            temp.path().to_owned()
        }
    };
    std::fs::create_dir_all(&dir).expect("scale directory");
    println!("## Routing scale run: {nodes} nodes, seed {seed}");
    println!();
    println!(
        "command: `LOCUS_SCALE_NODES={nodes} LOCUS_SCALE_SEED={seed} LOCUS_SCALE_PAIRS={per_band} LOCUS_SCALE_LONG_PAIRS={long} \
         LOCUS_SCALE_CACHE_MB={} LOCUS_SCALE_BAND_SECONDS={}{}{} cargo bench -p locus-pipelines --bench scale_run`",
        caches.iter().map(u64::to_string).collect::<Vec<_>>().join(","),
        budget.as_secs(),
        if query_memory { " LOCUS_SCALE_QUERY_MEMORY=1" } else { "" },
        if std::env::var_os("LOCUS_SCALE_NO_CALIBRATE").is_some() { " LOCUS_SCALE_NO_CALIBRATE=1" } else { "" },
    );
    println!("tiles in {}; load average at start: {}", dir.display(), loadavg());

    let opts = RoadsOptions { nodes, seed, ..RoadsOptions::default() };
    let header = format!("# {}", source_name(nodes, seed));
    let reusable = Manifest::read(&dir.join("routing")).is_ok_and(|m| {
        m.source.path == source_name(nodes, seed)
            && m.build_version == locus_routing::tiles::manifest::BUILD_VERSION
            && m.tile_format_version == locus_routing::tiles::format::FORMAT_VERSION
            && m.profile(Mode::Car).is_some()
    });
    let samples = if reusable {
        println!("reusing the tiles already in the directory (no build)");
        read_samples(&dir, &header).unwrap_or_else(|| generate_and_build(&opts, &dir, false))
    } else {
        generate_and_build(&opts, &dir, true)
    };
    write_samples(&dir, &header, &samples);
    trim_heap();
    println!("after dropping the network: VmRSS {}", mib(rss_bytes()));

    let manifest = Manifest::read(&dir.join("routing")).expect("manifest");
    let car = manifest.profile(Mode::Car).expect("car profile");
    println!();
    println!(
        "car graph: {} flat nodes, {} flat edges → {} nodes, {} edges after contraction, {} turn restrictions",
        car.flat_nodes, car.flat_edges, car.nodes, car.edges, car.turn_restrictions
    );
    println!();
    println!("| level | tile size | tiles | bytes on disk | largest tile |");
    println!("|---|---:|---:|---:|---:|");
    for level in &car.levels {
        let largest = level
            .tiles
            .iter()
            .filter_map(|&index| {
                let key = locus_routing::tiles::TileKey { level: level.level, index };
                std::fs::metadata(dir.join("routing/car").join(key.relative_path())).ok().map(|m| m.len())
            })
            .max()
            .unwrap_or(0);
        println!(
            "| {} | {}° | {} | {:.1} MiB | {:.1} MiB |",
            level.level,
            LEVEL_SIZES_DEG.get(usize::from(level.level)).copied().unwrap_or(f64::NAN),
            level.tiles.len(),
            level.bytes as f64 / MIB,
            largest as f64 / MIB
        );
    }
    println!("| all | | {} | {:.1} MiB | |", car.tile_count(), car.bytes() as f64 / MIB);

    let bands = pairs(&samples, [per_band, per_band, long]);
    println!();
    println!(
        "pairs: {} node positions drawn at random; {} local, {} regional, {} long; each routed once per pass, \
         a fresh router (cold cache) per pass",
        samples.len(),
        bands[0].len(),
        bands[1].len(),
        bands[2].len()
    );
    let compare = std::env::var_os("LOCUS_SCALE_COMPARE_WALK").is_some();
    for &cache_mb in &caches {
        println!("\n### Tile cache {cache_mb} MiB, with the overlay");
        run_pass(&dir, cache_mb, &bands, budget, verbose, query_memory);
        if compare {
            // The same tiles without their overlay: the router walks them by ALT A* alone.
            let overlay = dir.join("routing/car").join(OVERLAY_FILE);
            let aside = overlay.with_extension("bin.aside");
            std::fs::rename(&overlay, &aside).expect("overlay moved aside");
            println!("\n### Tile cache {cache_mb} MiB, without the overlay (ALT A* over the tiles)");
            run_pass(&dir, cache_mb, &bands, budget, verbose, query_memory);
            std::fs::rename(&aside, &overlay).expect("overlay put back");
        }
    }
    if std::env::var_os("LOCUS_SCALE_NO_CALIBRATE").is_none() {
        calibrate(&dir);
    }
}
