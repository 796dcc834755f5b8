//! `locus serve`: connects the backends, seeds the demo region, serves HTTP at once and marks
//! itself ready when the search index is built.

use crate::api;
use crate::backends::Backends;
use crate::config::{ServeConfig, Service};
use crate::routing;
use crate::state::{AppState, Shared};
use anyhow::Context;
use locus_business::repo::BusinessRepo;
use locus_business::service::BusinessService;
use locus_core::users::{hash_token, UserStore};
use locus_lbs::feed::ChangeFollower;
use locus_lbs::geohash_index::GeohashIndex;
use locus_lbs::memory::MemoryIndex;
use locus_lbs::{IndexKind, PlaceIndex, Searcher};
use locus_nearby::NearbyService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// How long a shutdown waits for nearby sessions to close.
const NEARBY_DRAIN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Seed for the embedded demo region.
const DEMO_SEED: u64 = 7;

/// A started server: its bound address and the handle of its task.
pub struct Running {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops background work (index building, change feed) after the server task has ended.
    pub fn abort_background(&self) {
        for t in &self.background {
            t.abort();
        }
    }
}

/// Binds, then serves until `shutdown` resolves.
pub async fn start(
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<Running> {
    let backends = Backends::connect(
        config.mysql_url.as_deref(),
        config.redis_url.as_deref(),
        &config.redis_cluster,
        &config.redis_namespace,
        &config.data_dir,
    )
    .await?;
    let repo = BusinessRepo::new(backends.db.clone());
    if config.mysql_url.is_none() && !config.no_demo {
        seed_demo(&repo).await?;
    }
    let businesses = Arc::new(BusinessService::new(repo.clone(), backends.cache.clone(), backends.bus.clone()));
    let nearby = config.runs(Service::Nearby).then(|| {
        Arc::new(NearbyService::new(config.nearby(), backends.db.clone(), backends.cache.clone(), backends.bus.clone()))
    });
    let state = AppState::new(Shared {
        db: backends.db.clone(),
        users: UserStore::new(backends.db.clone()),
        businesses: businesses.clone(),
        searcher: Default::default(),
        admin_token_hash: config.admin_token.as_deref().map(hash_token),
        serves_search: config.runs(Service::Lbs),
        router: Default::default(),
        serves_routing: routing::will_serve(&config),
        tiles_base_url: config.tiles_base_url.clone(),
        tiles: api::tiles::TileServer::open(&config)?.map(Arc::new),
        nearby: nearby.clone(),
    });
    let mut background = Vec::new();
    if config.runs(Service::Lbs) {
        background.push(tokio::spawn(build_search(config.clone(), backends.clone(), repo, businesses, state.clone())));
    }
    if state.serves_routing {
        background.push(tokio::spawn(routing::open(config.clone(), state.clone())));
    } else if config.runs(Service::Routing) {
        tracing::info!(
            dir = %locus_pipelines::osm_tiles::routing_dir(&config.data_dir).display(),
            "no routing tiles: routing answers 503 (run `locus import osm FILE` or serve with --osm FILE)"
        );
    }
    let listener = TcpListener::bind(config.addr).await.with_context(|| format!("binding {}", config.addr))?;
    let addr = listener.local_addr()?;
    let app = api::router(state, &config);
    tracing::info!(%addr, services = ?config.services, index = %config.index, "locus listening");
    // On shutdown the nearby sessions close first (code 1001: clients reconnect elsewhere)
    // and the queued location history is written; then HTTP stops.
    let shutdown = async move {
        shutdown.await;
        if let Some(nearby) = nearby {
            nearby.drain(NEARBY_DRAIN_GRACE).await;
        }
    };
    let task = tokio::spawn(async move {
        axum::serve(listener, app).with_graceful_shutdown(shutdown).await.context("serving HTTP")
    });
    Ok(Running { addr, task, background })
}

/// Builds the index (the instance turns ready), then follows the change feed forever.
async fn build_search(
    config: ServeConfig,
    backends: Backends,
    repo: BusinessRepo,
    businesses: Arc<BusinessService>,
    state: AppState,
) {
    let mut attempt = 0u32;
    let (index, after_seq) = loop {
        match build_index(config.index, &repo, &backends).await {
            Ok(built) => break built,
            Err(e) => {
                attempt += 1;
                tracing::error!(error = %e, attempt, "building the search index failed; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1 << attempt.min(5))).await;
            }
        }
    };
    tracing::info!(index = %config.index, entries = index.len(), "search index ready");
    let _ = state.searcher.set(Arc::new(Searcher::new(index.clone(), businesses.clone())));
    ChangeFollower::new(repo, index, after_seq)
        .with_detail_cache(backends.cache.clone())
        .run(backends.bus.clone(), config.change_poll())
        .await;
}

async fn build_index(
    kind: IndexKind,
    repo: &BusinessRepo,
    backends: &Backends,
) -> anyhow::Result<(Arc<dyn PlaceIndex>, i64)> {
    // Read the feed position first: changes made while building are replayed afterwards.
    let after_seq = repo.latest_change_seq().await?;
    let started = std::time::Instant::now();
    let index: Arc<dyn PlaceIndex> = match kind {
        IndexKind::Geohash => Arc::new(GeohashIndex::new(repo.clone(), backends.cache.clone())),
        IndexKind::Quadtree | IndexKind::RTree => Arc::new(MemoryIndex::build(kind, repo).await?),
    };
    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "index built");
    Ok((index, after_seq))
}

/// Loads the demo region into an empty embedded database so a first search finds something.
async fn seed_demo(repo: &BusinessRepo) -> anyhow::Result<()> {
    if repo.count().await? > 0 {
        return Ok(());
    }
    let demo = locus_pipelines::synth::demo_region(DEMO_SEED);
    for chunk in demo.chunks(1000) {
        repo.upsert_batch(None, chunk).await?;
    }
    tracing::info!(businesses = demo.len(), "loaded the demo region into the empty database");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
