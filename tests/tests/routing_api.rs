//! The routing APIs as a client sees them, on a real extract (Monaco, built once per run of
//! this file and skipped with a note when `../shared/data/monaco.osm.pbf` is absent): OSRM's
//! `/route/v1` options (steps, overview, geometries, several waypoints), `/nearest/v1`,
//! `/table/v1` against `/route/v1`, the Google-style `/v1/nav`, hostile input (bad numbers,
//! 10,000 coordinates, points in the sea, unknown profiles, broken query strings), and an
//! instance whose tiles are not open yet.

use locus_pipelines::osm_tiles::{import_osm, OsmTilesOptions};
use locus_tests::node_map::NodeMap;
use locus_tests::osrm::{decode_polyline, distance_m, encode_polyline, lat_lon, steps};
use locus_tests::scenario::RoutingMap;
use locus_tests::{routing_config, TestServer};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Places in Monaco as `lon,lat`, each near a street.
const CASINO: &str = "7.4246,43.7384";
const PALACE: &str = "7.4197,43.7315";
const FONTVIEILLE: &str = "7.4155,43.7275";
const LARVOTTO: &str = "7.4350,43.7470";
/// In the Mediterranean, 20 km south of Monaco: no road within any default radius.
const OPEN_SEA: &str = "7.43,43.55";
/// In the harbour mouth, a few hundred metres from the quays.
const HARBOUR: &str = "7.4265,43.7345";

/// The Monaco tiles (`{dir}/routing`), built on first use; `None` when the extract is absent.
fn monaco_tiles() -> Option<&'static Path> {
    static TILES: OnceLock<Option<PathBuf>> = OnceLock::new();
    TILES
        .get_or_init(|| {
            let pbf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/monaco.osm.pbf");
            if !pbf.exists() {
                println!("note: {} is absent; skipping the Monaco API tests", pbf.display());
                return None;
            }
            // One copy per build of this test binary (a tile-format or profile change must
            // never be tested against stale tiles), shared by the processes nextest starts:
            // each builds aside and renames into place, so no reader sees a half-built set.
            let stamp = std::env::current_exe()
                .and_then(|exe| exe.metadata())
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let dir = std::env::temp_dir().join(format!("locus-routing-api-monaco-{stamp}"));
            if !dir.join("routing").join("manifest.json").exists() {
                let aside =
                    std::env::temp_dir().join(format!("locus-routing-api-monaco-{stamp}-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&aside);
                import_osm(&pbf, &aside, &OsmTilesOptions::default()).expect("Monaco imports");
                if std::fs::rename(&aside, &dir).is_err() {
                    // Another process got there first; its copy is complete.
                    let _ = std::fs::remove_dir_all(&aside);
                }
            }
            Some(dir.join("routing"))
        })
        .as_deref()
}

/// A routing server on the Monaco tiles (its own data directory, the tiles linked in).
async fn monaco() -> Option<(TestServer, tempfile::TempDir)> {
    let tiles = tokio::task::spawn_blocking(monaco_tiles).await.expect("the import task")?;
    let dir = tempfile::tempdir().expect("temp dir");
    link_dir(tiles, &dir.path().join("routing"));
    Some((TestServer::start(routing_config(dir.path())).await, dir))
}

#[cfg(unix)]
fn link_dir(from: &Path, to: &Path) {
    std::os::unix::fs::symlink(from, to).expect("link the tiles");
}

#[cfg(not(unix))]
fn link_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the tile copy");
    for entry in std::fs::read_dir(from).expect("read the tiles") {
        let entry = entry.expect("a tile entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            link_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a tile");
        }
    }
}

/// Asserts an OSRM error answer: HTTP `status`, `{"code", "message"}` with one of `codes`.
#[track_caller]
fn assert_osrm_error(what: &str, (status, body): (u16, Value), want_status: u16, codes: &[&str]) {
    let code = body["code"].as_str().unwrap_or("");
    assert_eq!(status, want_status, "{what}: {body}");
    assert!(codes.contains(&code), "{what}: code {code:?}, want one of {codes:?}: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {body}");
}

/// Asserts the house error shape `{"error": {"code", "message"}}`.
#[track_caller]
fn assert_house_error(what: &str, (status, body): (u16, Value), want_status: u16, want_code: &str) {
    assert_eq!(status, want_status, "{what}: {body}");
    assert_eq!(body["error"]["code"], want_code, "{what}: {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {body}");
}

#[track_caller]
fn assert_near(what: &str, a: (f64, f64), b: (f64, f64), metres: f64) {
    let d = distance_m(a, b);
    assert!(d <= metres, "{what}: {a:?} is {d:.2} m from {b:?} (at most {metres} m)");
}

/// Percent-escapes what may not stand in a URL path as it is (polylines use `` ` ``, `\\`, `|`, ...).
fn escape_path(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// `(lat, lon)` points of a geometry in the given encoding.
fn points(geometry: &Value, encoding: &str) -> Vec<(f64, f64)> {
    match encoding {
        "polyline" => decode_polyline(geometry.as_str().expect("a polyline string"), 5).expect("a valid polyline"),
        "polyline6" => decode_polyline(geometry.as_str().expect("a polyline6 string"), 6).expect("a valid polyline6"),
        "geojson" => {
            assert_eq!(geometry["type"], "LineString", "{geometry}");
            geometry["coordinates"].as_array().expect("coordinates").iter().map(lat_lon).collect()
        }
        other => panic!("unknown encoding {other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// /route/v1

#[tokio::test]
async fn route_steps_overview_and_geometries() {
    let Some((s, _dir)) = monaco().await else { return };
    let path = format!("/route/v1/driving/{CASINO};{PALACE}");
    let (status, plain) = s.get(&path).await;
    assert_eq!((status, plain["code"].as_str()), (200, Some("Ok")), "{plain}");
    let route = &plain["routes"][0];
    let (distance, duration) = (f(&route["distance"]), f(&route["duration"]));
    assert!(distance > 300.0 && distance < 5000.0 && duration > 10.0, "{route}");
    assert_eq!(route["weight_name"], "duration");
    // Defaults: no steps, a simplified polyline overview.
    assert_eq!(route["legs"][0]["steps"], Value::Array(vec![]), "{route}");
    assert!(route["geometry"].is_string(), "{route}");
    let waypoints = plain["waypoints"].as_array().expect("waypoints");
    assert_eq!(waypoints.len(), 2);
    let (from, to) = (lat_lon(&waypoints[0]["location"]), lat_lon(&waypoints[1]["location"]));
    for w in waypoints {
        assert!(f(&w["distance"]) < 100.0, "{w}");
        assert!(w["name"].is_string() && w["hint"].is_string(), "{w}");
    }

    // Steps: depart first, arrive last, their distances add up to the route's.
    let (_, with_steps) = s.get(&format!("{path}?steps=true")).await;
    let all = steps(&with_steps);
    assert!(all.len() >= 2, "{with_steps}");
    assert_eq!(all[0]["maneuver"]["type"], "depart");
    assert_eq!(all[all.len() - 1]["maneuver"]["type"], "arrive");
    let sum: f64 = all.iter().map(|st| f(&st["distance"])).sum();
    assert!((sum - distance).abs() <= 0.1 * all.len() as f64 + 0.1, "steps {sum} m, route {distance} m");
    for st in &all {
        assert!(st["name"].is_string() && st["mode"] == "driving", "{st}");
        assert!(st["maneuver"]["location"].is_array() && st["intersections"].is_array(), "{st}");
        let line = points(&st["geometry"], "polyline");
        assert!(!line.is_empty(), "{st}");
        assert_near("a step starts at its maneuver", line[0], lat_lon(&st["maneuver"]["location"]), 2.0);
    }
    assert_eq!(f(&with_steps["routes"][0]["distance"]), distance, "steps change nothing else");

    // Overview and geometries: every encoding starts and ends at the snapped waypoints.
    let mut full_points = 0;
    for (encoding, tolerance_m) in [("polyline", 2.0), ("polyline6", 0.2), ("geojson", 0.2)] {
        for overview in ["full", "simplified"] {
            let (status, body) = s.get(&format!("{path}?overview={overview}&geometries={encoding}")).await;
            assert_eq!(status, 200, "{body}");
            let line = points(&body["routes"][0]["geometry"], encoding);
            assert!(line.len() >= 2, "{overview} {encoding}: {body}");
            assert_near(&format!("{overview} {encoding} start"), line[0], from, tolerance_m);
            assert_near(&format!("{overview} {encoding} end"), line[line.len() - 1], to, tolerance_m);
            if overview == "full" {
                full_points = line.len();
            } else {
                assert!(line.len() <= full_points, "simplified has {} points, full {full_points}", line.len());
            }
        }
    }
    let (_, none) = s.get(&format!("{path}?overview=false")).await;
    assert!(none["routes"][0].get("geometry").is_none(), "{none}");
    assert_eq!(f(&none["routes"][0]["duration"]), duration);

    // Other documented options.
    let (_, json) = s.get(&format!("{path}.json?alternatives=true&generate_hints=false")).await;
    assert_eq!(json["code"], "Ok", "{json}");
    assert!(!json["routes"].as_array().expect("routes").is_empty());
    assert!(json["waypoints"][0].get("hint").is_none(), "{json}");
    let (_, skip) = s.get(&format!("{path}?skip_waypoints=true")).await;
    assert!(skip.get("waypoints").is_none(), "{skip}");
    let (_, annotated) = s.get(&format!("{path}?annotations=duration,distance&overview=full")).await;
    let a = &annotated["routes"][0]["legs"][0]["annotation"];
    let d: f64 = a["distance"].as_array().expect("distances").iter().map(f).sum();
    assert!((d - distance).abs() < 2.0 + 0.05 * a["distance"].as_array().map_or(0, Vec::len) as f64, "{a}");
}

#[tokio::test]
async fn route_through_several_waypoints() {
    let Some((s, _dir)) = monaco().await else { return };
    let (status, body) = s.get(&format!("/route/v1/driving/{FONTVIEILLE};{PALACE};{CASINO}?steps=true")).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
    let route = &body["routes"][0];
    let legs = route["legs"].as_array().expect("legs");
    assert_eq!(legs.len(), 2);
    assert_eq!(body["waypoints"].as_array().map(Vec::len), Some(3));
    let legs_distance: f64 = legs.iter().map(|l| f(&l["distance"])).sum();
    let legs_duration: f64 = legs.iter().map(|l| f(&l["duration"])).sum();
    assert!((legs_distance - f(&route["distance"])).abs() <= 0.2, "{route}");
    assert!((legs_duration - f(&route["duration"])).abs() <= 0.2, "{route}");
    // Each leg departs at its waypoint and arrives at the next.
    for (i, leg) in legs.iter().enumerate() {
        let st = leg["steps"].as_array().expect("steps");
        assert_eq!(st[0]["maneuver"]["type"], "depart");
        assert_eq!(st[st.len() - 1]["maneuver"]["type"], "arrive");
        let (start, end) =
            (lat_lon(&st[0]["maneuver"]["location"]), lat_lon(&st[st.len() - 1]["maneuver"]["location"]));
        assert_near("leg start", start, lat_lon(&body["waypoints"][i]["location"]), 1.0);
        assert_near("leg end", end, lat_lon(&body["waypoints"][i + 1]["location"]), 1.0);
    }
    // A leg is the route between its two waypoints.
    let (_, first) = s.get(&format!("/route/v1/driving/{FONTVIEILLE};{PALACE}")).await;
    assert!((f(&first["routes"][0]["duration"]) - f(&legs[0]["duration"])).abs() <= 0.1, "{first}");
}

#[tokio::test]
async fn degenerate_routes_and_tables() {
    let Some((s, _dir)) = monaco().await else { return };
    // From a point to itself: one leg of nothing, depart and arrive.
    let (status, body) = s.get(&format!("/route/v1/driving/{CASINO};{CASINO}?steps=true")).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
    assert_eq!(f(&body["routes"][0]["distance"]), 0.0, "{body}");
    assert_eq!(f(&body["routes"][0]["duration"]), 0.0, "{body}");
    let kinds: Vec<&str> = steps(&body).iter().map(|s| s["maneuver"]["type"].as_str().unwrap_or("?")).collect();
    assert_eq!(kinds, ["depart", "arrive"], "{body}");
    // A table of one place.
    let (status, body) = s.get(&format!("/table/v1/foot/{PALACE}")).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
    assert_eq!(body["durations"], serde_json::json!([[0.0]]), "{body}");
    // Accepted options the router has no use for yet.
    let path = format!("/route/v1/driving/{CASINO};{PALACE}?continue_straight=true&hints=;&snapping=any");
    let (status, body) = s.get(&path).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
}

#[tokio::test]
async fn route_waypoints_option_passes_through_the_others() {
    let Some((s, _dir)) = monaco().await else { return };
    let path = format!("/route/v1/driving/{FONTVIEILLE};{PALACE};{CASINO}?waypoints=0;2");
    let (status, through) = s.get(&path).await;
    assert_eq!((status, through["code"].as_str()), (200, Some("Ok")), "{through}");
    assert_eq!(through["routes"][0]["legs"].as_array().map(Vec::len), Some(1), "legs of {path}");
    assert_eq!(through["waypoints"].as_array().map(Vec::len), Some(2), "waypoints of {path}");
}

// ---------------------------------------------------------------------------------------------
// /nearest/v1 and /table/v1

#[tokio::test]
async fn nearest_returns_the_closest_roads_in_order() {
    let Some((s, _dir)) = monaco().await else { return };
    let (status, body) = s.get(&format!("/nearest/v1/driving/{CASINO}?number=3")).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
    let waypoints = body["waypoints"].as_array().expect("waypoints");
    assert_eq!(waypoints.len(), 3, "{body}");
    let distances: Vec<f64> = waypoints.iter().map(|w| f(&w["distance"])).collect();
    assert!(distances.windows(2).all(|d| d[0] <= d[1]), "{distances:?}");
    let input = (43.7384, 7.4246);
    for w in waypoints {
        assert!(w["name"].is_string() && w["nodes"].is_array(), "{w}");
        let at = lat_lon(&w["location"]);
        assert!((distance_m(input, at) - f(&w["distance"])).abs() < 0.5, "{w}");
    }
    let (_, one) = s.get(&format!("/nearest/v1/foot/{CASINO}")).await;
    assert_eq!(one["waypoints"].as_array().map(Vec::len), Some(1), "{one}");
}

#[tokio::test]
async fn table_matches_routes() {
    let Some((s, _dir)) = monaco().await else { return };
    let places = [CASINO, PALACE, LARVOTTO];
    let coords = places.join(";");
    let (status, body) = s.get(&format!("/table/v1/driving/{coords}?annotations=duration,distance")).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
    let durations = body["durations"].as_array().expect("durations");
    let distances = body["distances"].as_array().expect("distances");
    assert_eq!(durations.len(), 3);
    assert_eq!(body["sources"].as_array().map(Vec::len), Some(3));
    assert_eq!(body["destinations"].as_array().map(Vec::len), Some(3));
    for i in 0..3 {
        assert_eq!(durations[i].as_array().map(Vec::len), Some(3));
        assert_eq!(f(&durations[i][i]), 0.0, "diagonal: {body}");
        assert_eq!(f(&distances[i][i]), 0.0, "diagonal: {body}");
        for j in (0..3).filter(|&j| j != i) {
            let (_, route) = s.get(&format!("/route/v1/driving/{};{}", places[i], places[j])).await;
            let want = f(&route["routes"][0]["duration"]);
            let got = f(&durations[i][j]);
            assert!((got - want).abs() <= 0.1, "{i}->{j}: table {got} s, route {want} s");
            let (got, want) = (f(&distances[i][j]), f(&route["routes"][0]["distance"]));
            assert!((got - want).abs() <= 1.0, "{i}->{j}: table {got} m, route {want} m");
        }
    }
    // Sources and destinations pick rows and columns of the same matrix.
    let (_, part) = s.get(&format!("/table/v1/driving/{coords}?sources=0;1&destinations=2")).await;
    assert_eq!(part["code"], "Ok", "{part}");
    assert_eq!(part["durations"], serde_json::json!([[durations[0][2]], [durations[1][2]]]), "{part}");
    assert!(part.get("distances").is_none(), "durations only by default: {part}");
    assert_eq!(part["sources"].as_array().map(Vec::len), Some(2));
    assert_eq!(part["destinations"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn table_scale_factor_scales_durations() {
    let Some((s, _dir)) = monaco().await else { return };
    let coords = format!("{CASINO};{PALACE}");
    let (_, plain) = s.get(&format!("/table/v1/driving/{coords}")).await;
    let (_, scaled) = s.get(&format!("/table/v1/driving/{coords}?scale_factor=2")).await;
    let (one, two) = (f(&plain["durations"][0][1]), f(&scaled["durations"][0][1]));
    assert!((two - 2.0 * one).abs() <= 0.2, "scale_factor=2: {two} s, unscaled {one} s");
}

#[tokio::test]
async fn table_fallback_speed_fills_unreachable_cells() {
    // Two islands 7 km apart (a kilometre grid).
    let map =
        NodeMap::new("a-b      c-d").grid(1000.0).way("ab", "highway=residential").way("cd", "highway=residential");
    let m = RoutingMap::serve(map).await;
    let path = format!("/table/v1/driving/{}", m.map.coords("ad"));
    let (status, plain) = m.server.get(&path).await;
    assert_eq!((status, plain["code"].as_str()), (200, Some("Ok")), "{plain}");
    assert!(plain["durations"][0][1].is_null(), "unreachable without a fallback: {plain}");
    let (_, filled) = m.server.get(&format!("{path}?fallback_speed=36")).await;
    // 9 km as the crow flies at 10 m/s.
    let got = filled["durations"][0][1].as_f64();
    // 11 km as the crow flies (a at column 0, d at column 11) at 36 m/s (OSRM's unit).
    assert!(got.is_some_and(|s| (s - 11_000.0 / 36.0).abs() < 1.0), "fallback_speed=36: {filled}");
}

// ---------------------------------------------------------------------------------------------
// /v1/nav

#[tokio::test]
async fn nav_has_the_books_shape() {
    let Some((s, _dir)) = monaco().await else { return };
    for (mode, travel_mode) in [("driving", "DRIVING"), ("walking", "WALKING"), ("cycling", "BICYCLING")] {
        let path = format!("/v1/nav?origin=43.7384,7.4246&destination=43.7315,7.4197&mode={mode}");
        let (status, body) = s.get(&path).await;
        assert_eq!(status, 200, "{mode}: {body}");
        assert_eq!(body["status"], "OK");
        let route = &body["routes"][0];
        let leg = &route["legs"][0];
        for key in ["distance", "duration"] {
            assert!(leg[key]["text"].as_str().is_some_and(|t| !t.is_empty()), "{mode} {key}: {leg}");
            assert!(leg[key]["value"].is_u64(), "{mode} {key}: {leg}");
        }
        for key in ["start_location", "end_location"] {
            assert!(leg[key]["lat"].is_f64() && leg[key]["lng"].is_f64(), "{mode} {key}: {leg}");
        }
        assert_near(
            "start",
            (f(&leg["start_location"]["lat"]), f(&leg["start_location"]["lng"])),
            (43.7384, 7.4246),
            100.0,
        );
        let steps = leg["steps"].as_array().expect("steps");
        assert!(!steps.is_empty(), "{mode}: {leg}");
        let mut step_metres = 0;
        for st in steps {
            assert!(st["html_instructions"].as_str().is_some_and(|h| !h.is_empty()), "{mode}: {st}");
            assert_eq!(st["travel_mode"], travel_mode, "{st}");
            let line = decode_polyline(st["polyline"]["points"].as_str().expect("points"), 5).expect("a polyline");
            assert!(line.len() >= 2, "{st}");
            let start = (f(&st["start_location"]["lat"]), f(&st["start_location"]["lng"]));
            assert_near("step polyline start", line[0], start, 2.0);
            assert!(st["distance"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{st}");
            step_metres += st["distance"]["value"].as_u64().expect("whole metres");
        }
        let leg_metres = leg["distance"]["value"].as_u64().unwrap();
        assert!(step_metres.abs_diff(leg_metres) <= steps.len() as u64, "steps {step_metres} m, leg {leg_metres} m");
        assert!(steps[0]["html_instructions"].as_str().unwrap().starts_with("Head "), "{}", steps[0]);
        let overview = decode_polyline(route["overview_polyline"]["points"].as_str().expect("points"), 5);
        assert!(overview.is_some_and(|p| p.len() >= 2), "{route}");
        assert!(route["bounds"]["northeast"]["lat"].is_f64(), "{route}");
    }
    // Through a waypoint: two legs, the second starting where the first ends.
    let path = "/v1/nav?origin=43.7275,7.4155&destination=43.7384,7.4246&waypoints=43.7315,7.4197";
    let (status, body) = s.get(path).await;
    assert_eq!(status, 200, "{body}");
    let legs = body["routes"][0]["legs"].as_array().expect("legs");
    assert_eq!(legs.len(), 2, "{body}");
    assert_eq!(legs[0]["end_location"], legs[1]["start_location"], "{body}");
    assert_eq!(body["routes"][0]["waypoint_order"], serde_json::json!([0]), "{body}");
}

#[tokio::test]
async fn nav_errors_have_the_house_shape() {
    let Some((s, _dir)) = monaco().await else { return };
    let cases: &[(&str, u16, &str)] = &[
        ("/v1/nav?origin=43.7384,7.4246", 400, "invalid_query"),
        ("/v1/nav?destination=43.7384,7.4246", 400, "invalid_query"),
        ("/v1/nav", 400, "invalid_query"),
        ("/v1/nav?origin=43.7384,7.4246&destination=43.7315,7.4197&mode=teleport", 400, "invalid_query"),
        ("/v1/nav?origin=43.7384,7.4246&destination=43.7315,7.4197&mode=transit", 400, "invalid_query"),
        ("/v1/nav?origin=Monaco&destination=43.7315,7.4197", 400, "invalid_query"),
        ("/v1/nav?origin=NaN,7.42&destination=43.7315,7.4197", 400, "invalid_query"),
        ("/v1/nav?origin=91,7.42&destination=43.7315,7.4197", 400, "invalid_coordinates"),
        ("/v1/nav?origin=1e999,7.42&destination=43.7315,7.4197", 400, "invalid_coordinates"),
        ("/v1/nav?origin=%zz&destination=43.7315,7.4197", 400, "invalid_query"),
        ("/v1/nav?origin=43.55,7.43&destination=43.7315,7.4197", 404, "no_segment"),
        ("/v1/nav?origin=43.7384,7.4246&destination=43.55,7.43", 404, "no_segment"),
    ];
    for &(path, status, code) in cases {
        assert_house_error(path, s.get(path).await, status, code);
    }
    let many = vec!["1,1"; 10_000].join("%7C");
    let path = format!("/v1/nav?origin=43.7384,7.4246&destination=43.7315,7.4197&waypoints={many}");
    assert_house_error("10,000 waypoints", s.get(&path).await, 400, "too_many_waypoints");
}

// ---------------------------------------------------------------------------------------------
// hostile input

#[tokio::test]
async fn hostile_coordinates() {
    let Some((s, _dir)) = monaco().await else { return };
    let invalid_value = ["InvalidValue"];
    let cases: &[(String, &[&str])] = &[
        (format!("/route/v1/driving/7.42,91;{PALACE}"), &invalid_value),
        (format!("/route/v1/driving/181,43.73;{PALACE}"), &invalid_value),
        (format!("/route/v1/driving/-180.5,43.73;{PALACE}"), &invalid_value),
        (format!("/route/v1/driving/1e999,43.73;{PALACE}"), &invalid_value),
        (format!("/route/v1/driving/{CASINO};7.42,-1e999"), &invalid_value),
        ("/nearest/v1/driving/7.42,1e999".to_owned(), &invalid_value),
        (format!("/table/v1/driving/{CASINO};7.42,95"), &invalid_value),
        // Not numbers at all: the path does not read as coordinates.
        (format!("/route/v1/driving/NaN,43.73;{PALACE}"), &["InvalidUrl", "InvalidValue", "InvalidQuery"]),
        (format!("/route/v1/driving/inf,43.73;{PALACE}"), &["InvalidUrl", "InvalidValue", "InvalidQuery"]),
        (format!("/route/v1/driving/0x10,43.73;{PALACE}"), &["InvalidUrl"]),
        (format!("/route/v1/driving/7.42;{PALACE}"), &["InvalidUrl"]),
        (format!("/route/v1/driving/7.42,43.73,5;{PALACE}"), &["InvalidUrl"]),
        ("/route/v1/driving/".to_owned(), &["InvalidUrl"]),
        (format!("/route/v1/driving/{CASINO}"), &["InvalidOptions"]),
        (format!("/nearest/v1/driving/{CASINO};{PALACE}"), &["InvalidOptions"]),
        (format!("/route/v1/driving/polyline(_p~iF~ps|U_ulL;{PALACE}"), &["InvalidUrl"]),
    ];
    for (path, codes) in cases {
        assert_osrm_error(path, s.get(path).await, 400, codes);
    }
    // A whole polyline works as the coordinates (characters outside a URL's safe set escaped).
    let line = encode_polyline(&[(43.7384, 7.4246), (43.7315, 7.4197)], 5);
    let (status, body) = s.get(&format!("/route/v1/driving/polyline({}).json", escape_path(&line))).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
}

#[tokio::test]
async fn nan_coordinate_is_an_invalid_value() {
    let Some((s, _dir)) = monaco().await else { return };
    let path = format!("/route/v1/driving/NaN,43.73;{PALACE}");
    assert_osrm_error(&path, s.get(&path).await, 400, &["InvalidValue"]);
}

#[tokio::test]
async fn hostile_sizes_are_refused_quickly() {
    let Some((s, _dir)) = monaco().await else { return };
    // 10,000 coordinates, written short so the URL stays within what a URI may hold (64 KiB).
    let many = vec!["7,44"; 10_000].join(";");
    for service in ["route", "table"] {
        let path = format!("/{service}/v1/driving/{many}");
        let started = Instant::now();
        let answer = s.get(&path).await;
        let took = started.elapsed();
        assert_osrm_error(&format!("{service} with 10,000 coordinates"), answer, 400, &["TooBig", "InvalidQuery"]);
        assert!(took < Duration::from_secs(2), "{service}: 10,000 coordinates took {took:?}");
    }
    // 10,000 points as a polyline: bounded too.
    let encoded = encode_polyline(&vec![(43.7384, 7.4246); 10_000], 5);
    let started = Instant::now();
    let answer = s.get(&format!("/route/v1/driving/polyline({})", escape_path(&encoded))).await;
    assert_osrm_error("a polyline of 10,000 points", answer, 400, &["TooBig", "InvalidQuery"]);
    assert!(started.elapsed() < Duration::from_secs(2));
    // Written in full, 10,000 coordinates make a path longer than a URI may be: a client
    // cannot build it, the server refuses it at once without routing.
    let long = vec![CASINO; 10_000].join(";");
    let started = Instant::now();
    let (status, body) = s.get_raw(&format!("/route/v1/driving/{long}")).await;
    assert!((400..500).contains(&status), "a {}-byte path: HTTP {status} {body}", long.len());
    assert!(started.elapsed() < Duration::from_secs(2));
    // A table just above its limit, a route at its limit, a nearest asking for too many.
    let table = vec![CASINO; 101].join(";");
    assert_osrm_error("101 table coordinates", s.get(&format!("/table/v1/driving/{table}")).await, 400, &["TooBig"]);
    let route = vec!["7,44"; 501].join(";");
    assert_osrm_error("501 route coordinates", s.get(&format!("/route/v1/driving/{route}")).await, 400, &["TooBig"]);
    let path = format!("/nearest/v1/driving/{CASINO}?number=1000");
    assert_osrm_error(&path, s.get(&path).await, 400, &["TooBig"]);
    // The server still answers.
    let (status, _) = s.get(&format!("/route/v1/driving/{CASINO};{PALACE}")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn points_in_the_sea_have_no_segment() {
    let Some((s, _dir)) = monaco().await else { return };
    for path in [
        format!("/route/v1/driving/{OPEN_SEA};{PALACE}"),
        format!("/route/v1/foot/{CASINO};{OPEN_SEA}"),
        format!("/nearest/v1/driving/{OPEN_SEA}"),
        format!("/table/v1/driving/{CASINO};{OPEN_SEA}"),
        // Close to the quays, but further than the radius asked for.
        format!("/route/v1/driving/{HARBOUR};{PALACE}?radiuses=5;unlimited"),
    ] {
        assert_osrm_error(&path, s.get(&path).await, 400, &["NoSegment"]);
    }
    let (_, body) = s.get(&format!("/route/v1/driving/{OPEN_SEA};{PALACE}")).await;
    assert!(body["message"].as_str().is_some_and(|m| m.contains('0')), "names the coordinate: {body}");
}

#[tokio::test]
async fn unknown_profiles_services_and_versions() {
    let Some((s, _dir)) = monaco().await else { return };
    let coords = format!("{CASINO};{PALACE}");
    let cases: &[(String, &[&str])] = &[
        // osrm-routed serves whatever profile it was built with under any name; Locus serves
        // three and refuses other names as a malformed URL (web/src/api/routing/osrm/error.rs).
        (format!("/route/v1/truck/{coords}"), &["InvalidUrl", "InvalidQuery", "InvalidService"]),
        (format!("/route/v1/CAR/{coords}"), &["InvalidUrl", "InvalidQuery", "InvalidService"]),
        (format!("/route/v2/driving/{coords}"), &["InvalidVersion"]),
        (format!("/route/v1/driving/{coords}/extra"), &["InvalidUrl"]),
    ];
    for (path, codes) in cases {
        assert_osrm_error(path, s.get(path).await, 400, codes);
    }
    // Every alias of the three profiles answers.
    for profile in ["car", "driving", "foot", "walking", "bicycle", "cycling"] {
        let (status, body) = s.get(&format!("/route/v1/{profile}/{coords}")).await;
        assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{profile}: {body}");
    }
}

#[tokio::test]
async fn broken_query_strings() {
    let Some((s, _dir)) = monaco().await else { return };
    let route = format!("/route/v1/driving/{CASINO};{PALACE}");
    let query = ["InvalidQuery"];
    let options = ["InvalidOptions"];
    let value = ["InvalidValue"];
    let cases: &[(&str, &[&str])] = &[
        ("steps", &query),
        ("steps=maybe", &query),
        ("steps=true&steps=false", &query),
        ("stepz=true", &query),
        ("overview=everything", &query),
        ("geometries=wkt", &query),
        ("annotations=colour", &query),
        ("radiuses=%zz;10", &query),
        ("radiuses=NaN;10", &["InvalidQuery", "InvalidValue"]),
        ("radiuses=10", &options),
        ("radiuses=-5;10", &value),
        ("radiuses=1e999;10", &value),
        ("bearings=400,10;", &value),
        ("bearings=10;", &query),
        ("approaches=sideways;curb", &query),
        ("waypoints=1", &options),
        ("alternatives=99", &["TooBig"]),
        ("alternatives=-1", &query),
    ];
    for &(q, codes) in cases {
        let path = format!("{route}?{q}");
        assert_osrm_error(&path, s.get(&path).await, 400, codes);
    }
    let table = format!("/table/v1/driving/{CASINO};{PALACE}");
    for (q, codes) in [
        ("sources=5", &options[..]),
        ("sources=0;0;0", &options[..]),
        ("destinations=a", &query[..]),
        ("annotations=speed", &query[..]),
        ("fallback_speed=0", &value[..]),
    ] {
        let path = format!("{table}?{q}");
        assert_osrm_error(&path, s.get(&path).await, 400, codes);
    }
    let path = format!("/nearest/v1/driving/{CASINO}?number=0");
    assert_osrm_error(&path, s.get(&path).await, 400, &["InvalidOptions"]);
    // Empty pairs and a trailing `&` are harmless.
    let (status, body) = s.get(&format!("{route}?&steps=true&&")).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
}

#[tokio::test]
async fn bearings_restrict_the_snap() {
    // A point 20 m north of the east-west street ac and 150 m west of the north-south street
    // de: asked to leave northwards (0° ± 20°), it must snap to de, as in OSRM.
    let map = NodeMap::new(
        "
            d
            |
            |
        a---b---c
            |
            e",
    )
    .way("abc", "highway=residential")
    .way("dbe", "highway=residential");
    let m = RoutingMap::serve(map).await;
    let (lat, lon) = m.map.at(3.0 - 0.2, 2.5);
    let path = format!("/route/v1/driving/{lon},{lat};{}?bearings=0,20;", m.map.coord('c'));
    let (status, body) = m.server.get(&path).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
    let snapped = lat_lon(&body["waypoints"][0]["location"]);
    let on_de = m.map.at(3.0 - 0.2, 4.0);
    assert_near("snapped with a northward bearing", snapped, on_de, 2.0);
}

// ---------------------------------------------------------------------------------------------
// readiness

/// A named pipe the server's import blocks on until [`Pipe::feed`] writes the map into it.
/// Dropped unfed (a failed assertion), it feeds the pipe anyway so the import ends and the
/// test's runtime can shut down instead of waiting for the blocked reader for ever.
struct Pipe {
    path: PathBuf,
    content: Option<String>,
}

impl Pipe {
    fn new(path: PathBuf, content: String) -> Option<Pipe> {
        let made = std::process::Command::new("mkfifo").arg(&path).status().is_ok_and(|s| s.success());
        made.then_some(Pipe { path, content: Some(content) })
    }

    /// Writes the content on another thread (opening a pipe blocks until its reader opens it).
    fn feed(&mut self) -> Option<std::thread::JoinHandle<std::io::Result<()>>> {
        let (path, content) = (self.path.clone(), self.content.take()?);
        Some(std::thread::spawn(move || std::fs::write(path, content)))
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        let _ = self.feed();
    }
}

#[tokio::test]
async fn not_ready_until_the_tiles_are_open() {
    let dir = tempfile::tempdir().unwrap();
    let osm = dir.path().join("map.osm");
    let map = NodeMap::new("a-b-c").way("abc", "highway=residential");
    let Some(mut pipe) = Pipe::new(osm.clone(), map.xml()) else {
        println!("note: mkfifo is unavailable; skipping the readiness test");
        return;
    };
    let mut config = routing_config(&dir.path().join("data"));
    config.osm = Some(osm);
    let s = TestServer::start_unready(config).await;

    // The import is waiting for its input: routing answers 503, health says why, metrics work.
    let (status, health) = s.get("/health/ready").await;
    assert_eq!(status, 503, "{health}");
    assert_eq!(health["routing_tiles_open"], false, "{health}");
    let (status, live) = s.get("/health/live").await;
    assert_eq!(status, 200, "{live}");
    let route = format!("/route/v1/driving/{}", map.coords("ac"));
    assert_osrm_error("route before the tiles", s.get(&route).await, 503, &["ServiceUnavailable"]);
    assert_osrm_error(
        "table before the tiles",
        s.get(&format!("/table/v1/foot/{}", map.coords("ac"))).await,
        503,
        &["ServiceUnavailable"],
    );
    let ((a_lat, a_lon), (c_lat, c_lon)) = (map.lat_lon('a'), map.lat_lon('c'));
    let nav = format!("/v1/nav?origin={a_lat},{a_lon}&destination={c_lat},{c_lon}");
    assert_house_error("nav before the tiles", s.get(&nav).await, 503, "unavailable");
    // Hostile input is still refused as such, not as unavailable.
    let bad = s.get("/route/v1/driving/7.42,91;7.42,43.7").await;
    assert_eq!(bad.0, 400, "{}", bad.1);
    let (status, metrics) = s.get_text("/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.contains("# TYPE"), "{metrics}");

    // Feed the import; the instance turns ready and routes.
    let writer = pipe.feed().expect("not fed yet");
    s.wait_ready().await;
    writer.join().unwrap().expect("write the map into the pipe");
    let (status, body) = s.get(&route).await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
    let (status, metrics) = s.get_text("/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.contains("# TYPE"), "{metrics}");
}
