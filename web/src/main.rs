//! `locus`: the Locus server and its command-line jobs.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use locus_business::repo::BusinessRepo;
use locus_business::service::BusinessService;
use locus_web::backends::Backends;
use locus_web::config::ServeConfig;
use locus_web::server;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "locus", version, about = "Locus geospatial services: search, businesses, and the jobs behind them")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (embedded SQLite and in-process cache unless --mysql-url/--redis-url).
    Serve(ServeConfig),
    /// Import data into the database.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Generate synthetic data.
    #[command(subcommand)]
    Generate(GenerateCommand),
    /// Rebuild the geohash index table from the business table and drop stale cell caches.
    RebuildIndex(Storage),
    /// Load generators.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Map tiles.
    #[command(subcommand)]
    Tiles(TilesCommand),
}

#[derive(Subcommand)]
enum TilesCommand {
    /// Render map tiles (PNG or MVT, Web Mercator XYZ) of an OpenStreetMap .osm.pbf or .osm file into
    /// a tile bucket (`OUT/{z}/{x}/{y}.png|@2x.png|.mvt` + `OUT/tiles.json`), optionally also a
    /// PMTiles archive; serve them with `locus serve --tiles OUT` (or `--tiles FILE.pmtiles`).
    Render(RenderArgs),
}

#[derive(Args)]
struct RenderArgs {
    /// The OpenStreetMap extract (.osm.pbf, or .osm XML).
    #[arg(long)]
    osm: PathBuf,
    /// Zooms to render: `N` or `LOW-HIGH`.
    #[arg(long, default_value = "0-14", value_parser = parse_zooms)]
    zoom: (u8, u8),
    /// The bucket directory to write.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "png")]
    format: TileFormat,
    /// 2 also renders 512-pixel `@2x` PNG tiles for high-DPI screens.
    #[arg(long, default_value_t = 1)]
    scale: u32,
    /// A style file (JSON; the built-in one is tiles/styles/default.json).
    #[arg(long)]
    style: Option<PathBuf>,
    /// The TrueType font for labels (default: DejaVu Sans, Liberation Sans or Noto Sans from
    /// /usr/share/fonts).
    #[arg(long)]
    font: Option<PathBuf>,
    /// Also pack the tiles into this PMTiles v3 archive.
    #[arg(long)]
    pmtiles: Option<PathBuf>,
    /// Re-render only the tiles touched by what changed; other tiles in OUT are kept. `last`:
    /// what changed since the last render into OUT (diffed against the feature index every
    /// render writes to OUT/.locus; works on extracts without edit times, such as Geofabrik's).
    /// An RFC 3339 time (e.g. 2024-01-31T00:00:00Z): what was edited after it (needs a file
    /// that carries edit times).
    #[arg(long, value_parser = parse_since, value_name = "last|TIME")]
    since: Option<locus_pipelines::map_tiles::Since>,
    /// Where clients fetch the tiles, written into tiles.json.
    #[arg(long, default_value = "/tiles")]
    base_url: String,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TileFormat {
    Png,
    Mvt,
}

fn parse_zooms(s: &str) -> Result<(u8, u8), String> {
    let zoom = |t: &str| t.trim().parse::<u8>().ok().filter(|z| *z <= locus_tiles::MAX_ZOOM);
    let bad = || format!("expected a zoom or LOW-HIGH within 0-{}, got {s:?}", locus_tiles::MAX_ZOOM);
    let (lo, hi) = match s.split_once('-') {
        Some((lo, hi)) => (zoom(lo).ok_or_else(bad)?, zoom(hi).ok_or_else(bad)?),
        None => {
            let z = zoom(s).ok_or_else(bad)?;
            (z, z)
        }
    };
    if lo > hi {
        return Err(bad());
    }
    Ok((lo, hi))
}

fn parse_since(s: &str) -> Result<locus_pipelines::map_tiles::Since, String> {
    use locus_pipelines::map_tiles::Since;
    if s.trim() == "last" {
        return Ok(Since::LastRender);
    }
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| Since::Time(t.timestamp_millis()))
        .map_err(|e| format!("expected `last` or an RFC 3339 time such as 2024-01-31T00:00:00Z: {e}"))
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Many nearby-friends WebSocket clients moving at once: delivery latency, throughput,
    /// server memory and CPU (seeds users and friendships into the server's database).
    Nearby(locus_web::loadgen::NearbyLoad),
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Load businesses from CSV (header row), JSON lines, or OpenStreetMap .osm.pbf; idempotent.
    Businesses {
        file: PathBuf,
        #[command(flatten)]
        storage: Storage,
        /// Owner user id to give the imported businesses.
        #[arg(long)]
        owner_id: Option<i64>,
    },
    /// Build routing tiles (car, foot, bicycle) from an OpenStreetMap .osm.pbf or .osm file into
    /// DATA_DIR/routing, replacing the previous set only when the new one is complete.
    Osm {
        file: PathBuf,
        #[arg(long, env = "LOCUS_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        /// Profiles to build, comma separated.
        #[arg(long, value_delimiter = ',', default_value = "car,foot,bicycle")]
        profiles: Vec<ProfileName>,
    },
}

/// A routing profile on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ProfileName {
    Car,
    Foot,
    Bicycle,
}

impl ProfileName {
    fn mode(self) -> locus_routing::Mode {
        match self {
            ProfileName::Car => locus_routing::Mode::Car,
            ProfileName::Foot => locus_routing::Mode::Foot,
            ProfileName::Bicycle => locus_routing::Mode::Bicycle,
        }
    }
}

#[derive(Subcommand)]
enum GenerateCommand {
    /// Write a synthetic, unevenly dense world of businesses as CSV.
    Businesses {
        #[arg(long)]
        count: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Generate a synthetic country-sized road network (towns, intercity roads by class,
    /// motorways, ferries): as OSM XML with --out, and/or as routing tiles with --data-dir.
    Roads {
        #[arg(long, default_value_t = 100_000)]
        nodes: u64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The network's south-west corner, `LAT,LON`.
        #[arg(long, default_value = "45.0,5.0", value_parser = parse_lat_lon)]
        origin: (f64, f64),
        /// Write the network as OSM XML to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Build its routing tiles into DIR/routing.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

fn parse_lat_lon(s: &str) -> Result<(f64, f64), String> {
    let (lat, lon) = s.split_once(',').ok_or("expected LAT,LON")?;
    let lat: f64 = lat.trim().parse().map_err(|_| format!("bad latitude {lat:?}"))?;
    let lon: f64 = lon.trim().parse().map_err(|_| format!("bad longitude {lon:?}"))?;
    if !(-80.0..=80.0).contains(&lat) || !(-180.0..=170.0).contains(&lon) {
        return Err("the origin must be within latitude ±80 and longitude -180..170".into());
    }
    Ok((lat, lon))
}

/// Where the data lives (the same flags and variables as `serve`).
#[derive(Args)]
struct Storage {
    #[arg(long, env = "LOCUS_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    #[arg(long, env = "LOCUS_MYSQL_URL")]
    mysql_url: Option<String>,
    #[arg(long, env = "LOCUS_REDIS_URL")]
    redis_url: Option<String>,
    #[arg(long, env = "LOCUS_REDIS_NAMESPACE", default_value = "")]
    redis_namespace: String,
}

impl Storage {
    async fn connect(&self) -> anyhow::Result<Backends> {
        Backends::connect(
            self.mysql_url.as_deref(),
            self.redis_url.as_deref(),
            &[],
            &self.redis_namespace,
            &self.data_dir,
        )
        .await
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(config) => {
            let mut running = server::start(config, server::shutdown_signal()).await?;
            let result = (&mut running.task).await.context("server task")?;
            running.abort_background();
            result
        }
        Command::Import(ImportCommand::Businesses { file, storage, owner_id }) => {
            let backends = storage.connect().await?;
            let repo = BusinessRepo::new(backends.db.clone());
            let service = BusinessService::new(repo, backends.cache.clone(), backends.bus.clone());
            let opts = locus_pipelines::import::ImportOptions { owner_id, show_progress: true };
            // Each committed batch evicts its caches and wakes running search instances, so a
            // failed import leaves nothing stale behind what it did commit.
            let report = locus_pipelines::import::import_businesses(&service, &file, opts).await?;
            println!("{report}");
            Ok(())
        }
        Command::Generate(GenerateCommand::Businesses { count, seed, out }) => {
            let written = locus_pipelines::synth::write_csv(&out, locus_pipelines::synth::generate(count, seed), true)?;
            println!("wrote {written} businesses to {}", out.display());
            Ok(())
        }
        Command::Import(ImportCommand::Osm { file, data_dir, profiles }) => {
            let opts = locus_pipelines::osm_tiles::OsmTilesOptions {
                modes: profiles.iter().map(|p| p.mode()).collect(),
                show_progress: true,
            };
            let summary =
                tokio::task::spawn_blocking(move || locus_pipelines::osm_tiles::import_osm(&file, &data_dir, &opts))
                    .await
                    .context("import task")??;
            println!("{summary}");
            Ok(())
        }
        Command::Generate(GenerateCommand::Roads { nodes, seed, origin, out, data_dir }) => {
            anyhow::ensure!(out.is_some() || data_dir.is_some(), "say where to: --out FILE.osm and/or --data-dir DIR");
            anyhow::ensure!((100..=50_000_000).contains(&nodes), "--nodes must be in 100..=50000000");
            tokio::task::spawn_blocking(move || generate_roads(nodes, seed, origin, out, data_dir))
                .await
                .context("generate task")?
        }
        Command::RebuildIndex(storage) => {
            let backends = storage.connect().await?;
            let repo = BusinessRepo::new(backends.db.clone());
            let report = locus_pipelines::rebuild::rebuild_index(&repo, backends.cache.as_ref(), true).await?;
            println!("{report}");
            Ok(())
        }
        Command::Bench(BenchCommand::Nearby(load)) => locus_web::loadgen::run(load).await,
        Command::Tiles(TilesCommand::Render(args)) => {
            tokio::task::spawn_blocking(move || render_tiles(args)).await.context("render task")?
        }
    }
}

fn render_tiles(args: RenderArgs) -> anyhow::Result<()> {
    use locus_pipelines::map_tiles::{render_tiles, RenderOptions, Since};
    anyhow::ensure!((1..=2).contains(&args.scale), "--scale must be 1 or 2");
    anyhow::ensure!(args.scale == 1 || args.format == TileFormat::Png, "--scale 2 is for PNG tiles");
    let opts = RenderOptions {
        osm: args.osm,
        out: args.out,
        zooms: args.zoom.0..=args.zoom.1,
        format: match args.format {
            TileFormat::Png => locus_tiles::url::Format::Png,
            TileFormat::Mvt => locus_tiles::url::Format::Mvt,
        },
        scale: args.scale,
        style: args.style,
        font: args.font,
        pmtiles: args.pmtiles,
        since: args.since.unwrap_or(Since::Everything),
        base_url: args.base_url,
        show_progress: true,
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads.unwrap_or(0)).build()?;
    let summary = pool.install(|| render_tiles(&opts))?;
    println!("{summary}");
    Ok(())
}

fn generate_roads(
    nodes: u64,
    seed: u64,
    origin: (f64, f64),
    out: Option<PathBuf>,
    data_dir: Option<PathBuf>,
) -> anyhow::Result<()> {
    use locus_pipelines::{osm_tiles, roads};
    let started = std::time::Instant::now();
    let data = roads::generate_roads(&roads::RoadsOptions { nodes, seed, origin }, true);
    println!(
        "generated {} nodes, {} ways, {} restrictions",
        data.nodes.len(),
        data.ways.len(),
        data.restrictions.len()
    );
    if let Some(out) = &out {
        let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
        roads::write_osm_xml(&data, std::io::BufWriter::new(file))
            .with_context(|| format!("writing {}", out.display()))?;
        println!("wrote {}", out.display());
    }
    if let Some(dir) = &data_dir {
        let stamp = locus_routing::tiles::SourceStamp {
            path: format!("synthetic roads nodes={nodes} seed={seed}"),
            bytes: 0,
            modified_unix_ms: 0,
        };
        let opts = osm_tiles::OsmTilesOptions { show_progress: true, ..Default::default() };
        let summary = osm_tiles::build_tile_set(data, stamp, dir, &opts, started)?;
        println!("{summary}");
    }
    Ok(())
}
