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

/// A server over a bucket holding tile 3/4/2 (png, @2x, mvt) and a tiles.json.
async fn bucket_server() -> (TestServer, tempfile::TempDir) {
    let (mut config, dir) = embedded();
    let bucket = dir.path().join("bucket");
    std::fs::create_dir_all(bucket.join("3/4")).unwrap();
    std::fs::write(bucket.join("3/4/2.png"), b"\x89PNG tile 3/4/2").unwrap();
    std::fs::write(bucket.join("3/4/2@2x.png"), b"\x89PNG tile 3/4/2 at 512").unwrap();
    std::fs::write(bucket.join("3/4/2.mvt"), b"vector tile 3/4/2").unwrap();
    std::fs::write(bucket.join("tiles.json"), br#"{"tilejson":"3.0.0","tiles":["/tiles/{z}/{x}/{y}.png"]}"#).unwrap();
    std::fs::write(dir.path().join("secret.txt"), b"outside the bucket").unwrap();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(bucket);
    config.tiles_max_age_s = 3600;
    (TestServer::start(config).await, dir)
}

#[tokio::test]
async fn tiles_are_served_with_cdn_semantics() {
    let (server, _dir) = bucket_server().await;
    let r = server.client.get(server.url("/tiles/3/4/2.png")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["cache-control"], "public, max-age=3600, immutable");
    assert_eq!(h["access-control-allow-origin"], "*");
    let etag = h["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() == 34, "a strong ETag: {etag}");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\x89PNG tile 3/4/2");

    // The client has it: 304 with no body, the same ETag.
    let again = server.client.get(server.url("/tiles/3/4/2.png")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let other =
        server.client.get(server.url("/tiles/3/4/2.png")).header("if-none-match", "\"stale\"").send().await.unwrap();
    assert_eq!(other.status(), 200);

    let retina = server.client.get(server.url("/tiles/3/4/2@2x.png")).send().await.unwrap();
    assert_ne!(retina.headers()["etag"].to_str().unwrap(), etag, "another tile, another ETag");
    assert_eq!(retina.bytes().await.unwrap().as_ref(), b"\x89PNG tile 3/4/2 at 512");
    let vector = server.client.get(server.url("/tiles/3/4/2.mvt")).send().await.unwrap();
    assert_eq!(vector.headers()["content-type"], "application/vnd.mapbox-vector-tile");
    let (status, tile_json) = server.get("/tiles/tiles.json").await;
    assert_eq!((status, tile_json["tilejson"].as_str()), (200, Some("3.0.0")));
}

#[tokio::test]
async fn hostile_tile_paths_never_leave_the_bucket() {
    let (server, _dir) = bucket_server().await;
    let cases = [
        ("/tiles/3/4/3.png", 404),
        ("/tiles/2/1/1.png", 404),
        ("/tiles/3/8/2.png", 400),
        ("/tiles/25/0/0.png", 400),
        ("/tiles/3/4/2.jpg", 400),
        ("/tiles/3/4/2@2x.mvt", 400),
        ("/tiles/3/4/-2.png", 400),
        ("/tiles/3/4/99999999999999999999.png", 400),
        ("/tiles/3/4/+2.png", 400),
        ("/tiles/3/4/..%2F..%2Fsecret.txt", 400),
        ("/tiles/3/..%2F../secret.png", 400),
        ("/tiles/../secret.txt", 404),
        ("/tiles/3/4/2.png/extra", 404),
    ];
    for (path, status) in cases {
        let (got, body) = server.get_raw(path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(!body.contains("outside the bucket"), "{path} escaped the bucket");
    }
}
