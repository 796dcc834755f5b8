//! `/metrics` reports the routing tile cache once the router is open: tiles loaded from disk,
//! cache hits, tiles and bytes held, overlay cells jumped across, per profile.

use locus_pipelines::osm_tiles::{build_tile_set, OsmTilesOptions};
use locus_pipelines::roads::{generate_roads, RoadsOptions};
use locus_routing::tiles::SourceStamp;
use locus_tests::{routing_config, TestServer};

fn stat(text: &str, profile: &str, stat: &str) -> Option<i64> {
    let key = format!("locus_routing_tile_cache{{profile=\"{profile}\",stat=\"{stat}\"}} ");
    text.lines().find_map(|l| l.strip_prefix(&key)).and_then(|v| v.trim().parse().ok())
}

#[tokio::test]
async fn tile_cache_figures_are_exported() {
    let dir = tempfile::tempdir().unwrap();
    let data = generate_roads(&RoadsOptions { nodes: 2_000, seed: 3, origin: (45.0, 5.0) }, false);
    let stamp = SourceStamp { path: "synthetic".into(), bytes: 0, modified_unix_ms: 0 };
    build_tile_set(data, stamp, dir.path(), &OsmTilesOptions::default(), std::time::Instant::now()).unwrap();
    let server = TestServer::start(routing_config(dir.path())).await;
    let (status, body) = server.get("/route/v1/driving/5.01,45.01;5.03,45.02?overview=false").await;
    assert_eq!(status, 200, "{body}");
    let text = server.client.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let loads = stat(&text, "car", "loads").expect("loads exported");
    let cached = stat(&text, "car", "cached_tiles").expect("cached tiles exported");
    assert!(loads >= 1 && cached >= 1, "loads {loads}, cached {cached}");
    assert!(stat(&text, "car", "cached_bytes").unwrap_or(0) > 0);
    assert!(stat(&text, "car", "hits").is_some());
    let jumps = stat(&text, "car", "overlay_jumps").expect("overlay jumps exported");
    assert!(jumps > 0, "a route across the network jumps across overlay cells");
}
