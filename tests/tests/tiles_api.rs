//! The book's tile-URL API: `GET /v1/tiles/url`.

use locus_tests::{embedded, TestServer};
use serde_json::json;

async fn server() -> (TestServer, tempfile::TempDir) {
    let (mut config, dir) = embedded();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles_base_url = "https://cdn.example/tiles/".into();
    (TestServer::start(config).await, dir)
}

#[tokio::test]
async fn the_tile_of_a_point_and_its_neighbours() {
    let (server, _dir) = server().await;
    let (status, body) = server.get("/v1/tiles/url?lat=43.7384&lng=7.4246&zoom=14").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["tile"],
        json!({"z": 14, "x": 8529, "y": 5974, "url": "https://cdn.example/tiles/14/8529/5974.png"})
    );
    let tiles = body["tiles"].as_array().unwrap();
    assert_eq!(tiles.len(), 9);
    assert_eq!(tiles[0]["url"], "https://cdn.example/tiles/14/8528/5973.png", "north-west first");
    assert_eq!(tiles[4], body["tile"], "the middle of the block");

    let (_, alone) = server.get("/v1/tiles/url?lat=51.5074&lng=-0.1278&zoom=10&radius_tiles=0&format=mvt").await;
    assert_eq!(
        alone["tiles"],
        json!([{"z": 10, "x": 511, "y": 340, "url": "https://cdn.example/tiles/10/511/340.mvt"}])
    );
    let (_, retina) = server.get("/v1/tiles/url?lat=0&lng=0&zoom=0&scale=2").await;
    assert_eq!(retina["tiles"], json!([{"z": 0, "x": 0, "y": 0, "url": "https://cdn.example/tiles/0/0/0@2x.png"}]));
    // Across the antimeridian: west of column 0 is the last column.
    let (_, edge) = server.get("/v1/tiles/url?lat=0&lng=-180&zoom=3").await;
    let xs: Vec<i64> = edge["tiles"].as_array().unwrap().iter().map(|t| t["x"].as_i64().unwrap()).collect();
    assert_eq!(&xs[..3], &[7, 0, 1]);
}

#[tokio::test]
async fn hostile_queries_get_400() {
    let (server, _dir) = server().await;
    for query in [
        "lat=91&lng=0&zoom=3",
        "lat=86&lng=0&zoom=3",
        "lat=0&lng=181&zoom=3",
        "lat=NaN&lng=0&zoom=3",
        "lat=0&lng=0&zoom=25",
        "lat=0&lng=0&zoom=-1",
        "lat=0&lng=0&zoom=99999999999",
        "lat=0&lng=0&zoom=3&radius_tiles=6",
        "lat=0&lng=0&zoom=3&format=jpeg",
        "lat=0&lng=0&zoom=3&scale=3",
        "lat=0&lng=0",
        "lat=0&lng=0&zoom=3&x=1",
    ] {
        let (status, body) = server.get(&format!("/v1/tiles/url?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body["error"]["code"].is_string() && body["error"]["message"].is_string(), "{query}: {body}");
    }
}
