//! The book's tile-URL API (`GET /v1/tiles/url`) and the tile server (`/tiles/...`) over a
//! bucket directory and over a PMTiles archive.

use locus_tests::{embedded, gunzip, gzip, TestServer};
use locus_tiles::pmtiles::{ArchiveInfo, Compression, PmtilesWriter, TileType};
use locus_tiles::TileId;
use serde_json::json;
use std::path::Path;

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

// --- PMTiles archives ---------------------------------------------------------------------

/// The plain bytes of tile z/x/y in the test archives.
fn tile_bytes(z: u8, x: u32, y: u32) -> Vec<u8> {
    if y == 0 {
        b"the same tile everywhere on row 0".to_vec()
    } else {
        format!("tile {z}/{x}/{y}").into_bytes()
    }
}

/// An archive of every tile of zooms 2 to 4 but 3/4/3 (MVT gzipped, or PNG).
fn write_archive(path: &Path, tile_type: TileType) {
    let mvt = tile_type == TileType::Mvt;
    let info = ArchiveInfo {
        tile_type,
        tile_compression: if mvt { Compression::Gzip } else { Compression::None },
        min_zoom: 2,
        max_zoom: 4,
        bounds: (-11.25, 35.5, 30.125, 60.0),
        center: (7.4246, 43.7384, 3),
        metadata: json!({"name": "test archive", "attribution": "© OpenStreetMap contributors"}),
    };
    let mut w = PmtilesWriter::create(path, info).unwrap();
    for z in 2..=4u8 {
        for x in 0..1u32 << z {
            for y in 0..1u32 << z {
                if (z, x, y) != (3, 4, 3) {
                    let plain = tile_bytes(z, x, y);
                    w.add_tile(TileId { z, x, y }, &if mvt { gzip(&plain) } else { plain }).unwrap();
                }
            }
        }
    }
    let summary = w.finish().unwrap();
    assert!(summary.contents < summary.tiles, "row 0 is stored once: {summary:?}");
}

/// A server over an archive (`tiles.pmtiles` in the data directory, next to a secret).
async fn archive_server(tile_type: TileType, cache_mb: u64) -> (TestServer, tempfile::TempDir) {
    let (mut config, dir) = embedded();
    let path = dir.path().join("world.pmtiles");
    write_archive(&path, tile_type);
    std::fs::write(dir.path().join("secret.txt"), b"outside the bucket").unwrap();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(path);
    config.tiles_max_age_s = 3600;
    config.tiles_cache_mb = cache_mb;
    config.tiles_base_url = "https://cdn.example/tiles/".into();
    (TestServer::start(config).await, dir)
}

#[tokio::test]
async fn archive_tiles_are_served_with_cdn_semantics() {
    let (server, _dir) = archive_server(TileType::Png, 64).await;
    let get = |path: &'static str| server.client.get(server.url(path)).send();
    let r = get("/tiles/3/4/2.png").await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["cache-control"], "public, max-age=3600, immutable");
    assert_eq!(h["access-control-allow-origin"], "*");
    assert!(h.get("vary").is_none() && h.get("content-encoding").is_none(), "PNG does not vary");
    let etag = h["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() == 34, "a strong ETag: {etag}");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"tile 3/4/2");

    let again = server.client.get(server.url("/tiles/3/4/2.png")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let weak = format!("W/{etag}");
    let again = server.client.get(server.url("/tiles/3/4/2.png")).header("if-none-match", weak).send().await.unwrap();
    assert_eq!(again.status(), 304, "If-None-Match compares weakly");

    // Deduplicated tiles read back as themselves.
    let (a, b) = (get("/tiles/4/0/0.png").await.unwrap(), get("/tiles/2/3/0.png").await.unwrap());
    assert_eq!(a.headers()["etag"], b.headers()["etag"]);
    assert_eq!(a.bytes().await.unwrap().as_ref(), b"the same tile everywhere on row 0");

    for (path, status) in [
        ("/tiles/3/4/3.png", 404),
        ("/tiles/1/0/0.png", 404),
        ("/tiles/5/0/0.png", 404),
        ("/tiles/3/4/2@2x.png", 404),
        ("/tiles/3/4/2.mvt", 404),
        ("/tiles/3/8/2.png", 400),
        ("/tiles/25/0/0.png", 400),
    ] {
        let (got, body) = server.get(path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body["error"]["code"].is_string() && body["error"]["message"].is_string(), "{path}: {body}");
    }

    let r = get("/tiles/tiles.json").await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let doc: serde_json::Value = r.json().await.unwrap();
    assert_eq!(doc["tilejson"], "3.0.0");
    assert_eq!(doc["tiles"], json!(["https://cdn.example/tiles/{z}/{x}/{y}.png"]));
    assert_eq!((doc["minzoom"].as_u64(), doc["maxzoom"].as_u64()), (Some(2), Some(4)));
    assert_eq!(doc["bounds"], json!([-11.25, 35.5, 30.125, 60.0]));
    assert_eq!(doc["center"], json!([7.4246, 43.7384, 3]));
    assert_eq!(doc["name"], "test archive");
    assert_eq!(doc["attribution"], "© OpenStreetMap contributors");
}

#[tokio::test]
async fn mvt_is_sent_gzipped_only_to_clients_that_take_gzip() {
    let (server, _dir) = archive_server(TileType::Mvt, 64).await;
    let plain = tile_bytes(3, 4, 2);
    let fetch = |encoding: Option<&'static str>, etag: Option<String>| {
        let mut req = server.client.get(server.url("/tiles/3/4/2.mvt"));
        if let Some(e) = encoding {
            req = req.header("accept-encoding", e);
        }
        if let Some(e) = etag {
            req = req.header("if-none-match", e);
        }
        req.send()
    };

    let zipped = fetch(Some("gzip, deflate, br"), None).await.unwrap();
    assert_eq!(zipped.status(), 200);
    let zh = zipped.headers().clone();
    assert_eq!(zh["content-type"], "application/vnd.mapbox-vector-tile");
    assert_eq!(zh["content-encoding"], "gzip");
    assert_eq!(zh["vary"], "accept-encoding");
    let body = zipped.bytes().await.unwrap();
    assert_eq!(&body[..2], &[0x1f, 0x8b]);
    assert_eq!(gunzip(&body), plain);

    for encoding in [None, Some("identity"), Some("gzip;q=0, br")] {
        let r = fetch(encoding, None).await.unwrap();
        assert_eq!(r.status(), 200);
        let h = r.headers().clone();
        assert!(h.get("content-encoding").is_none(), "{encoding:?}");
        assert_eq!(h["vary"], "accept-encoding");
        assert_ne!(h["etag"], zh["etag"], "each representation has its own strong ETag");
        assert_eq!(r.bytes().await.unwrap().as_ref(), plain.as_slice(), "{encoding:?}");
    }

    // 304 only for the representation the client holds.
    let (zipped_etag, plain_etag) = (
        zh["etag"].to_str().unwrap().to_owned(),
        fetch(None, None).await.unwrap().headers()["etag"].to_str().unwrap().to_owned(),
    );
    let r = fetch(Some("gzip"), Some(zipped_etag.clone())).await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["vary"].to_str().unwrap()), (304, "accept-encoding"));
    assert_eq!(fetch(None, Some(plain_etag.clone())).await.unwrap().status(), 304);
    assert_eq!(fetch(None, Some(zipped_etag)).await.unwrap().status(), 200);
    assert_eq!(fetch(Some("gzip"), Some(plain_etag)).await.unwrap().status(), 200);

    let (status, doc) = server.get("/tiles/tiles.json").await;
    assert_eq!((status, &doc["tiles"]), (200, &json!(["https://cdn.example/tiles/{z}/{x}/{y}.mvt"])));
    let (status, _) = server.get("/tiles/3/4/2.png").await;
    assert_eq!(status, 404, "a vector archive holds no PNG");
}

#[tokio::test]
async fn plain_stored_mvt_is_sent_as_stored() {
    let (server, _dir) = bucket_server().await;
    let r = server.client.get(server.url("/tiles/3/4/2.mvt")).header("accept-encoding", "gzip").send().await.unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.headers()["vary"], "accept-encoding");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"vector tile 3/4/2");
}

/// `GET`/`HEAD` of the archive with the given request headers: (status, headers, body).
async fn archive_request(
    server: &TestServer,
    method: reqwest::Method,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = server.client.request(method, server.url("/tiles/tiles.pmtiles"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.headers().clone(), r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_archive_is_served_whole_and_by_byte_ranges() {
    // Big enough (incompressible tiles) that large ranges stream in several reads.
    let (mut config, dir) = embedded();
    let path = dir.path().join("big.pmtiles");
    let info = ArchiveInfo {
        tile_type: TileType::Png,
        tile_compression: Compression::None,
        min_zoom: 0,
        max_zoom: 4,
        bounds: (-180.0, -85.0, 180.0, 85.0),
        center: (0.0, 0.0, 0),
        metadata: json!({}),
    };
    let mut w = PmtilesWriter::create(&path, info).unwrap();
    let mut state = 0x1234_5678_9abc_def1u64;
    for z in 0..=4u8 {
        for x in 0..1u32 << z {
            for y in 0..1u32 << z {
                let tile: Vec<u8> = (0..2000)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        state as u8
                    })
                    .collect();
                w.add_tile(TileId { z, x, y }, &tile).unwrap();
            }
        }
    }
    w.finish().unwrap();
    let file = std::fs::read(&path).unwrap();
    let len = file.len();
    assert!(len > 600_000, "{len}");
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(path);
    let server = TestServer::start(config).await;
    let get = reqwest::Method::GET;

    let (status, h, body) = archive_request(&server, get.clone(), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body, file);
    assert_eq!(h["content-type"], "application/vnd.pmtiles");
    assert_eq!(h["accept-ranges"], "bytes");
    assert_eq!(h["content-length"], len.to_string().as_str());
    assert_eq!(h["access-control-allow-origin"], "*");
    let exposed = h["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    for name in ["etag", "content-range", "content-length", "accept-ranges"] {
        assert!(exposed.contains(name), "{name} exposed: {exposed}");
    }
    let etag = h["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");

    // What a PMTiles client asks first: the header and root directory.
    let cases = [
        ("bytes=0-16383", 0, 16_383),
        ("bytes=100-", 100, len - 1),
        ("bytes=-50", len - 50, len - 1),
        ("bytes=1000-600000", 1000, 600_000),
        ("bytes=10-99999999", 10, len - 1),
    ];
    for (range, start, end) in cases {
        let (status, h, body) = archive_request(&server, get.clone(), &[("range", range)]).await;
        assert_eq!(status, 206, "{range}");
        assert_eq!(h["content-range"], format!("bytes {start}-{end}/{len}").as_str(), "{range}");
        assert_eq!(h["content-length"], (end - start + 1).to_string().as_str());
        assert_eq!(h["etag"], etag.as_str());
        assert!(body == file[start..=end], "{range}: the file's bytes");
    }
    assert_eq!(&file[..7], b"PMTiles");

    for range in [format!("bytes={len}-"), format!("bytes={}-{}", len + 5, len + 10), "bytes=-0".into()] {
        let (status, h, body) = archive_request(&server, get.clone(), &[("range", range.as_str())]).await;
        assert_eq!(status, 416, "{range}");
        assert_eq!(h["content-range"], format!("bytes */{len}").as_str());
        let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(error["error"]["code"], "range_not_satisfiable");
    }
    // Several ranges, a malformed one, or one for another version of the file: the whole file.
    for headers in [
        &[("range", "bytes=0-1,5-9")][..],
        &[("range", "bytes=9-2")],
        &[("range", "lines=1-2")],
        &[("range", "bytes=0-9"), ("if-range", "\"another version\"")],
    ] {
        let (status, _, body) = archive_request(&server, get.clone(), headers).await;
        assert_eq!((status, body.len()), (200, len), "{headers:?}");
    }
    let (status, _, body) =
        archive_request(&server, get.clone(), &[("range", "bytes=0-9"), ("if-range", etag.as_str())]).await;
    assert_eq!((status, body.len()), (206, 10));

    let (status, h, body) = archive_request(&server, reqwest::Method::HEAD, &[]).await;
    assert_eq!((status, body.len()), (200, 0));
    assert_eq!(h["content-length"], len.to_string().as_str());
    let (status, h, _) = archive_request(&server, reqwest::Method::HEAD, &[("range", "bytes=-127")]).await;
    assert_eq!((status, h["content-length"].to_str().unwrap()), (206, "127"));

    let (status, h, body) = archive_request(&server, get.clone(), &[("if-none-match", etag.as_str())]).await;
    assert_eq!((status, body.len(), h["etag"].to_str().unwrap()), (304, 0, etag.as_str()));

    let (status, h, _) = archive_request(&server, reqwest::Method::OPTIONS, &[]).await;
    assert_eq!(status, 204, "the CORS preflight of a Range request");
    assert!(h["access-control-allow-headers"].to_str().unwrap().contains("Range"));

    // A bucket is not an archive.
    let (bucket, _bucket_dir) = bucket_server().await;
    let (status, body) = bucket.get("/tiles/tiles.pmtiles").await;
    assert_eq!(status, 404, "{body}");
}

/// `locus_cache_requests_total{cache="tiles",result}` now.
async fn tile_cache_count(server: &TestServer, result: &str) -> u64 {
    let (_, text) = server.get_text("/metrics").await;
    let prefix = format!("locus_cache_requests_total{{cache=\"tiles\",result=\"{result}\"}} ");
    text.lines().find_map(|l| l.strip_prefix(&prefix)).map_or(0, |v| v.trim().parse().unwrap())
}

#[tokio::test]
async fn hot_tiles_are_served_from_memory() {
    let (server, dir) = bucket_server().await;
    let first = server.client.get(server.url("/tiles/3/4/2@2x.png")).send().await.unwrap();
    let etag = first.headers()["etag"].clone();
    let hits = tile_cache_count(&server, "hit").await;
    // Gone from the disk, still served: the response came from the cache.
    std::fs::remove_file(dir.path().join("bucket/3/4/2@2x.png")).unwrap();
    for _ in 0..3 {
        let r = server.client.get(server.url("/tiles/3/4/2@2x.png")).send().await.unwrap();
        assert_eq!((r.status().as_u16(), &r.headers()["etag"]), (200, &etag));
        assert_eq!(r.bytes().await.unwrap().as_ref(), b"\x89PNG tile 3/4/2 at 512");
    }
    assert!(tile_cache_count(&server, "hit").await >= hits + 3, "the hits are counted");
    assert!(tile_cache_count(&server, "miss").await >= 1);
    // Absent tiles are not cached: a tile added later is found.
    assert_eq!(server.get("/tiles/5/1/1.png").await.0, 404);
    std::fs::create_dir_all(dir.path().join("bucket/5/1")).unwrap();
    std::fs::write(dir.path().join("bucket/5/1/1.png"), b"new").unwrap();
    assert_eq!(server.get_text("/tiles/5/1/1.png").await, (200, "new".into()));

    // With the cache off, every request reads the source.
    let (mut config, dir) = embedded();
    std::fs::create_dir_all(dir.path().join("bucket/0/0")).unwrap();
    std::fs::write(dir.path().join("bucket/0/0/0.png"), b"png").unwrap();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(dir.path().join("bucket"));
    config.tiles_cache_mb = 0;
    let uncached = TestServer::start(config).await;
    assert_eq!(uncached.get_text("/tiles/0/0/0.png").await.0, 200);
    std::fs::remove_file(dir.path().join("bucket/0/0/0.png")).unwrap();
    assert_eq!(uncached.get_text("/tiles/0/0/0.png").await.0, 404);
}

#[tokio::test]
async fn hostile_tile_paths_never_leave_the_archive() {
    let (server, _dir) = archive_server(TileType::Png, 64).await;
    let cases = [
        ("/tiles/3/4/3.png", 404),
        ("/tiles/3/8/2.png", 400),
        ("/tiles/3/4/..%2F..%2Fsecret.txt", 400),
        ("/tiles/3/..%2F../secret.png", 400),
        ("/tiles/../secret.txt", 404),
        ("/tiles/tiles.pmtiles/../../secret.txt", 404),
        ("/tiles/tiles.pmtiles%2F..%2Fsecret.txt", 404),
        ("/tiles/..%2Fsecret.txt", 404),
        ("/tiles/3/4/2.png/extra", 404),
    ];
    for (path, status) in cases {
        let (got, body) = server.get_raw(path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(!body.contains("outside the bucket"), "{path} escaped the archive");
    }
}

#[tokio::test]
async fn a_damaged_archive_stops_the_start() {
    let (mut config, dir) = embedded();
    let path = dir.path().join("broken.pmtiles");
    write_archive(&path, TileType::Png);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(path);
    let err = locus_web::server::start(config, std::future::pending()).await.err().expect("refused");
    assert!(format!("{err:#}").contains("damaged PMTiles archive"), "{err:#}");
}
