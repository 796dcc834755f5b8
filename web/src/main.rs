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
        Backends::connect(self.mysql_url.as_deref(), self.redis_url.as_deref(), &self.redis_namespace, &self.data_dir)
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
        Command::RebuildIndex(storage) => {
            let backends = storage.connect().await?;
            let repo = BusinessRepo::new(backends.db.clone());
            let report = locus_pipelines::rebuild::rebuild_index(&repo, backends.cache.as_ref(), true).await?;
            println!("{report}");
            Ok(())
        }
    }
}
