//! The routing service's start-up: find, build or generate the tiles, then open them.
//!
//! - tiles in `{data dir}/routing` are served as they are;
//! - `--osm FILE` rebuilds them first when they are missing or older than the file;
//! - the embedded default (no database URL, no `--no-demo`) with no tiles builds a synthetic
//!   road network over the San Francisco area (its south-west corner at 37.60, -122.50), so
//!   routing answers on a fresh machine.
//!
//! Opening runs off the async runtime; the instance turns ready when the router is set.

use crate::config::{ServeConfig, Service};
use crate::state::AppState;
use anyhow::Context;
use locus_pipelines::osm_tiles::{build_tile_set, import_osm, routing_dir, tiles_are_fresh, OsmTilesOptions};
use locus_pipelines::roads::{generate_roads, RoadsOptions};
use locus_routing::tiles::manifest::MANIFEST_FILE;
use locus_routing::tiles::SourceStamp;
use locus_routing::{Router, RouterConfig};
use std::sync::Arc;

/// The synthetic demo network: its size, seed and south-west corner.
const DEMO_ROAD_NODES: u64 = 40_000;
const DEMO_ROAD_SEED: u64 = 7;
pub const DEMO_ROAD_ORIGIN: (f64, f64) = (37.60, -122.50);

fn demo_allowed(config: &ServeConfig) -> bool {
    config.mysql_url.is_none() && !config.no_demo
}

/// Whether this instance will serve routing (and wait for it to be ready).
pub fn will_serve(config: &ServeConfig) -> bool {
    config.runs(Service::Routing)
        && (config.osm.is_some() || routing_dir(&config.data_dir).join(MANIFEST_FILE).exists() || demo_allowed(config))
}

/// Opens the tiles (building them first when needed) and sets the router.
pub async fn open(config: ServeConfig, state: AppState) {
    match tokio::task::spawn_blocking(move || prepare(&config)).await {
        Ok(Ok(router)) => {
            let modes: Vec<String> = router.modes().iter().map(|m| m.to_string()).collect();
            tracing::info!(?modes, "routing tiles open");
            let _ = state.router.set(Arc::new(router));
        }
        Ok(Err(e)) => tracing::error!(error = format!("{e:#}"), "routing is unavailable"),
        Err(e) => tracing::error!(error = %e, "routing start-up failed"),
    }
}

fn prepare(config: &ServeConfig) -> anyhow::Result<Router> {
    let dir = routing_dir(&config.data_dir);
    let opts = OsmTilesOptions::default();
    if let Some(osm) = &config.osm {
        if !tiles_are_fresh(osm, &config.data_dir) {
            tracing::info!(file = %osm.display(), "building routing tiles");
            let summary = import_osm(osm, &config.data_dir, &opts)?;
            tracing::info!("{summary}");
        }
    } else if !dir.join(MANIFEST_FILE).exists() {
        tracing::info!(nodes = DEMO_ROAD_NODES, "building the synthetic demo road network");
        let started = std::time::Instant::now();
        let roads = RoadsOptions { nodes: DEMO_ROAD_NODES, seed: DEMO_ROAD_SEED, origin: DEMO_ROAD_ORIGIN };
        let data = generate_roads(&roads, false);
        let stamp = SourceStamp { path: "synthetic demo network".into(), bytes: 0, modified_unix_ms: 0 };
        let summary = build_tile_set(data, stamp, &config.data_dir, &opts, started)?;
        tracing::info!("{summary}");
    }
    let router_config = RouterConfig { cache_bytes: config.routing_cache_mb << 20, ..RouterConfig::default() };
    Router::open(&dir, router_config).with_context(|| format!("opening the routing tiles in {}", dir.display()))
}
