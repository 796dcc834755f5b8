//! Location-based search over HTTP on the embedded default, for every index: exact answers
//! against a brute-force haversine scan, filters, paging, widening, k-NN, area search,
//! freshness and hostile input.

use locus_business::repo::BusinessRepo;
use locus_business::BusinessInput;
use locus_core::db::Database;
use locus_core::geo::{destination, haversine_m, LatLng};
use locus_lbs::IndexKind;
use locus_tests::{embedded, eventually, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

/// Synthetic businesses plus hand-placed ones at the hard places.
fn dataset() -> Vec<BusinessInput> {
    let mut all: Vec<BusinessInput> = locus_pipelines::synth::generate(3000, 11).collect();
    let place = |n: usize, lat: f64, lng: f64, category: &str| BusinessInput {
        external_id: Some(format!("edge:{n}")),
        name: format!("Edge {n}"),
        category: category.into(),
        latitude: lat,
        longitude: lng,
        opening_hours: Some(if n.is_multiple_of(2) { "24/7".into() } else { "Mo-Fr 09:00-17:00".into() }),
        ..Default::default()
    };
    let spots = [
        (-17.0, 179.999),
        (-17.0, -179.999),
        (-17.0, 180.0),
        (-17.0, -180.0),
        (89.99, 0.0),
        (89.99, 90.0),
        (89.99, -150.0),
        (90.0, 0.0),
        (0.0, 0.0),
        (0.001, -0.001),
        (-0.001, 0.001),
        (51.5, 0.0),
    ];
    for (i, (lat, lng)) in spots.into_iter().enumerate() {
        for j in 0..5 {
            let p = destination(LatLng::new(lat, lng).unwrap(), j as f64 * 72.0, 150.0 * j as f64);
            all.push(place(i * 10 + j, p.lat(), p.lng(), if j % 2 == 0 { "cafe" } else { "bar" }));
        }
    }
    all
}

async fn server_with(kind: IndexKind, data: &[BusinessInput]) -> (TestServer, tempfile::TempDir) {
    let (mut config, dir) = embedded();
    config.index = kind;
    config.change_poll_ms = 200;
    let db = Database::connect(&Database::sqlite_url(dir.path())).await.unwrap();
    let repo = BusinessRepo::new(db);
    for chunk in data.chunks(1000) {
        repo.upsert_batch(None, chunk).await.unwrap();
    }
    (TestServer::start(config).await, dir)
}

/// Every page of a search, following next_cursor.
async fn all_pages(server: &TestServer, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut url = format!("{path}&limit=100");
    loop {
        let (status, page) = server.get(&url).await;
        assert_eq!(status, 200, "{url}: {page}");
        out.extend(page["businesses"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("{path}&limit=100&cursor={c}"),
            None => return out,
        }
    }
}

fn brute(data: &[BusinessInput], center: LatLng, radius: f64) -> Vec<String> {
    let mut hits: Vec<(f64, &str)> = data
        .iter()
        .filter_map(|b| {
            let d = haversine_m(center, LatLng::new(b.latitude, b.longitude).unwrap());
            (d <= radius).then_some((d, b.external_id.as_deref().unwrap()))
        })
        .collect();
    hits.sort_by(|a, b| a.0.total_cmp(&b.0));
    hits.into_iter().map(|(_, id)| id.to_owned()).collect()
}

fn ids(found: &[Value]) -> Vec<String> {
    found.iter().map(|b| b["external_id"].as_str().unwrap().to_owned()).collect()
}

fn query_points(data: &[BusinessInput]) -> Vec<LatLng> {
    let mut points: Vec<LatLng> =
        data.iter().step_by(150).map(|b| LatLng::new(b.latitude, b.longitude).unwrap()).collect();
    for (lat, lng) in [
        (-17.0, 180.0),
        (-17.0, -179.9995),
        (89.995, 45.0),
        (90.0, 0.0),
        (0.0, 0.0),
        (0.0005, 0.0005),
        (51.5, 0.0),
        (-89.9, 10.0),
        (10.0, -30.0),
    ] {
        points.push(LatLng::new(lat, lng).unwrap());
    }
    points
}

async fn check_exact(kind: IndexKind) {
    let data = dataset();
    let (server, _dir) = server_with(kind, &data).await;
    for center in query_points(&data) {
        for radius in [500.0, 1000.0, 2000.0, 5000.0, 20000.0, 1234.5] {
            let path =
                format!("/v1/search/nearby?latitude={}&longitude={}&radius={radius}", center.lat(), center.lng());
            let found = all_pages(&server, &path).await;
            let expected = brute(&data, center, radius);
            let mut got = ids(&found);
            let mut want = expected.clone();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{kind} at {center:?} r={radius}");
            let distances: Vec<f64> = found.iter().map(|b| b["distance_m"].as_f64().unwrap()).collect();
            assert!(distances.windows(2).all(|w| w[0] <= w[1]), "sorted by distance");
            let (_, first) = server.get(&format!("{path}&limit=1")).await;
            assert_eq!(first["total"].as_u64().unwrap() as usize, expected.len());
        }
    }
}

#[tokio::test]
async fn nearby_is_exact_with_the_quadtree() {
    check_exact(IndexKind::Quadtree).await;
}

#[tokio::test]
async fn nearby_is_exact_with_the_rtree() {
    check_exact(IndexKind::RTree).await;
}

#[tokio::test]
async fn nearby_is_exact_with_the_geohash_index() {
    check_exact(IndexKind::Geohash).await;
}

#[tokio::test]
async fn filters_paging_and_widening() {
    let data = dataset();
    let (server, _dir) = server_with(IndexKind::Quadtree, &data).await;
    let base = "/v1/search/nearby?latitude=-17.0&longitude=180.0&radius=1000";
    // Category filter: only cafes, and all of them.
    let cafes = all_pages(&server, &format!("{base}&category=CAFE")).await;
    assert!(!cafes.is_empty());
    assert!(cafes.iter().all(|b| b["category"] == "cafe"));
    let all = all_pages(&server, base).await;
    assert_eq!(cafes.len(), all.iter().filter(|b| b["category"] == "cafe").count());
    // open_now at a Sunday: only the 24/7 places are open.
    let sunday = all_pages(&server, &format!("{base}&open_now=true&at=2026-11-22T12:00:00Z")).await;
    assert!(!sunday.is_empty() && sunday.iter().all(|b| b["opening_hours"] == "24/7"), "{sunday:?}");
    let monday = all_pages(&server, &format!("{base}&open_now=true&at=2026-11-23T12:00:00Z")).await;
    assert!(monday.len() > sunday.len());
    // Small pages chain through the cursor without gaps or repeats.
    let mut seen = Vec::new();
    let mut url = format!("{base}&limit=2");
    loop {
        let (_, page) = server.get(&url).await;
        seen.extend(ids(page["businesses"].as_array().unwrap()));
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("{base}&limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ids(&all));
    // Widening: an empty ocean point with min_results widens and says so.
    let (status, page) = server.get("/v1/search/nearby?latitude=-17.0&longitude=179.9&radius=500&min_results=3").await;
    assert_eq!(status, 200);
    assert!(page["radius_expanded_to"].as_f64().unwrap() > 500.0, "{page}");
    assert!(page["total"].as_u64().unwrap() >= 3);
    let (_, page) = server.get("/v1/search/nearby?latitude=-17.0&longitude=180&radius=1000&min_results=1").await;
    assert!(page.get("radius_expanded_to").is_none());
    // Paging a widened search continues at the widened radius, even when later pages do not
    // repeat min_results: same total, same radius, no gaps or repeats.
    let widened = "/v1/search/nearby?latitude=-17.0&longitude=179.9&radius=500&min_results=3";
    let (_, first) = server.get(&format!("{widened}&limit=1")).await;
    let (total, radius) = (first["total"].clone(), first["radius_expanded_to"].clone());
    let mut seen = ids(first["businesses"].as_array().unwrap());
    let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let (status, page) = server
            .get(&format!("/v1/search/nearby?latitude=-17.0&longitude=179.9&radius=500&limit=1&cursor={c}"))
            .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!((&page["total"], &page["radius_expanded_to"]), (&total, &radius));
        seen.extend(ids(page["businesses"].as_array().unwrap()));
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len() as u64, total.as_u64().unwrap());
    let all_widened = all_pages(&server, &format!("{widened}&min_results=3")).await;
    assert_eq!(seen, ids(&all_widened));
    // A cursor from a narrower search is refused rather than silently skipping results.
    let (_, narrow) = server.get(&format!("{base}&limit=1")).await;
    let c = narrow["next_cursor"].as_str().unwrap();
    let wider = format!("/v1/search/nearby?latitude=-17.0&longitude=180.0&radius=2000&cursor={c}");
    assert_eq!(server.get(&wider).await.0, 400);
}

#[tokio::test]
async fn knn_and_area_search_match_brute_force() {
    let data = dataset();
    for kind in [IndexKind::Quadtree, IndexKind::RTree, IndexKind::Geohash] {
        let (server, _dir) = server_with(kind, &data).await;
        for center in query_points(&data).into_iter().step_by(3) {
            let (status, body) =
                server.get(&format!("/v1/search/knn?latitude={}&longitude={}&k=7", center.lat(), center.lng())).await;
            assert_eq!(status, 200, "{body}");
            let got: Vec<f64> =
                body["businesses"].as_array().unwrap().iter().map(|b| b["distance_m"].as_f64().unwrap()).collect();
            let mut want: Vec<f64> =
                data.iter().map(|b| haversine_m(center, LatLng::new(b.latitude, b.longitude).unwrap())).collect();
            want.sort_by(f64::total_cmp);
            want.truncate(7);
            assert_eq!(got.len(), 7, "{kind}");
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 0.01, "{kind} at {center:?}: {got:?} vs {want:?}");
            }
        }
        // A box across the antimeridian holds both sides and the seam.
        let found = all_pages(&server, "/v1/search/within?bbox=179.99,-17.01,-179.99,-16.99").await;
        let want: Vec<&str> = data
            .iter()
            .filter(|b| (-17.01..=-16.99).contains(&b.latitude) && (b.longitude >= 179.99 || b.longitude <= -179.99))
            .map(|b| b.external_id.as_deref().unwrap())
            .collect();
        let mut got = ids(&found);
        got.sort();
        let mut want: Vec<String> = want.into_iter().map(str::to_owned).collect();
        want.sort();
        assert_eq!(got, want, "{kind}");
        assert!(got.len() >= 10);
        // The same area as a GeoJSON polygon crossing the antimeridian.
        let ring = json!([[179.99, -17.01], [-179.99, -17.01], [-179.99, -16.99], [179.99, -16.99], [179.99, -17.01]]);
        let polygon = json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}});
        let (status, page) = server.send(Method::POST, "/v1/search/within?limit=100", None, Some(&polygon)).await;
        assert_eq!(status, 200, "{page}");
        let mut across = ids(page["businesses"].as_array().unwrap());
        across.sort();
        assert_eq!(across, want, "{kind}: polygon across the antimeridian");
        // A triangle near (0,0): exact point-in-polygon.
        let polygon =
            json!({"type": "Polygon", "coordinates": [[[-0.01, -0.01], [0.01, -0.01], [0.0, 0.01], [-0.01, -0.01]]]});
        let (status, page) = server.send(Method::POST, "/v1/search/within?limit=100", None, Some(&polygon)).await;
        assert_eq!(status, 200, "{page}");
        let inside = |x: f64, y: f64| y >= -0.01 && y <= 0.01 - 2.0 * x.abs() * 1.0;
        let want = data.iter().filter(|b| inside(b.longitude, b.latitude)).count();
        assert_eq!(page["total"].as_u64().unwrap() as usize, want, "{kind}");
    }
}

#[tokio::test]
async fn writes_are_visible_in_search_within_five_seconds() {
    for kind in [IndexKind::Quadtree, IndexKind::Geohash] {
        let (server, _dir) = server_with(kind, &[]).await;
        let (_, token) = server.user("owner").await;
        let near = "/v1/search/nearby?latitude=48.8566&longitude=2.3522&radius=500";
        // Warm the caches so a stale answer would be served if invalidation were broken.
        assert_eq!(server.get(near).await.1["total"], 0);
        let body = json!({"name": "Fresh", "category": "bakery", "latitude": 48.857, "longitude": 2.3525});
        let (status, created) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await;
        assert_eq!(status, 201);
        let id = created["id"].as_i64().unwrap();
        let seen = eventually(Duration::from_secs(5), || async { server.get(near).await.1["total"] == 1 }).await;
        assert!(seen.is_some(), "{kind}: created business not visible within 5 s");
        // Move it away: gone from here.
        let moved = json!({"name": "Fresh", "category": "bakery", "latitude": 40.0, "longitude": 2.0});
        assert_eq!(server.send(Method::PUT, &format!("/v1/businesses/{id}"), Some(&token), Some(&moved)).await.0, 200);
        assert!(
            eventually(Duration::from_secs(5), || async { server.get(near).await.1["total"] == 0 }).await.is_some(),
            "{kind}: move"
        );
        let there = "/v1/search/nearby?latitude=40.0&longitude=2.0&radius=500";
        assert!(
            eventually(Duration::from_secs(5), || async { server.get(there).await.1["total"] == 1 }).await.is_some(),
            "{kind}: move"
        );
        assert_eq!(server.send(Method::DELETE, &format!("/v1/businesses/{id}"), Some(&token), None).await.0, 204);
        assert!(
            eventually(Duration::from_secs(5), || async { server.get(there).await.1["total"] == 0 }).await.is_some(),
            "{kind}: delete"
        );
    }
}

#[tokio::test]
async fn hostile_search_parameters_get_clear_errors() {
    let (server, _dir) = server_with(IndexKind::RTree, &dataset()[..50]).await;
    let cases = [
        ("/v1/search/nearby?latitude=NaN&longitude=0", "invalid_query"),
        ("/v1/search/nearby?latitude=inf&longitude=0", "invalid_query"),
        ("/v1/search/nearby?latitude=95&longitude=0", "invalid_coordinates"),
        ("/v1/search/nearby?latitude=0&longitude=200", "invalid_coordinates"),
        ("/v1/search/nearby?longitude=0", "invalid_query"),
        ("/v1/search/nearby?latitude=abc&longitude=0", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&radius=0", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&radius=-5", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&radius=20001", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&radius=1e308", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&limit=0", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&limit=101", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&limit=-1", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&cursor=garbage", "invalid_cursor"),
        ("/v1/search/nearby?latitude=0&longitude=0&open_now=maybe", "invalid_query"),
        ("/v1/search/nearby?latitude=0&longitude=0&open_now=true&at=yesterday", "invalid_query"),
        ("/v1/search/knn?latitude=0&longitude=0&k=0", "invalid_query"),
        ("/v1/search/knn?latitude=0&longitude=0&k=101", "invalid_query"),
        ("/v1/search/within?bbox=1,2,3", "invalid_query"),
        ("/v1/search/within?bbox=a,b,c,d", "invalid_query"),
        ("/v1/search/within?bbox=0,10,1,5", "invalid_coordinates"),
        ("/v1/search/within?bbox=0,0,1,95", "invalid_coordinates"),
    ];
    for (path, code) in cases {
        let (status, body) = server.get(path).await;
        assert_eq!((status, body["error"]["code"].as_str()), (400, Some(code)), "{path}: {body}");
    }
    let polygons = [
        json!({"type": "Point", "coordinates": [0, 0]}),
        json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1]]]}),
        json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 2]]]}),
        json!({"type": "Polygon", "coordinates": [[[0, 0], [500, 0], [0, 1], [0, 0]]]}),
        json!({"type": "Polygon", "coordinates": "nope"}),
    ];
    for p in polygons {
        let (status, body) = server.send(Method::POST, "/v1/search/within", None, Some(&p)).await;
        assert_eq!(status, 400, "{p}: {body}");
    }
    let r = server
        .client
        .post(server.url("/v1/search/within"))
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn health_and_metrics() {
    let (server, _dir) = server_with(IndexKind::Quadtree, &dataset()[..100]).await;
    assert_eq!(server.get("/health/live").await.0, 200);
    let (status, ready) = server.get("/health/ready").await;
    assert_eq!((status, ready["index_entries"].as_u64()), (200, Some(100)));
    server.get("/v1/search/nearby?latitude=0&longitude=0").await;
    server.get("/v1/businesses/1").await;
    server.get("/v1/businesses/1").await;
    let text = server.client.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    // The routing family appears once a router is open (tests/tests/routing_metrics.rs), the
    // nearby ones once a WebSocket has been used (tests/tests/nearby_api.rs).
    let other_services = |f: &&&str| f.starts_with("locus_routing") || f.starts_with("locus_nearby");
    for family in locus_core::metrics::FAMILIES.iter().filter(|f| !other_services(f)) {
        assert!(text.contains(family), "{family} missing from /metrics");
    }
    assert!(text.contains("route=\"/v1/search/nearby\""));
    assert!(text.contains("cache=\"business\""));
}
