use super::super::options::{parse_nearest_options, parse_route_options, parse_table_options};
use super::super::path::Limits;
use super::*;
use crate::api::routing::fixtures::{journey, ll, waypoint};

fn route(q: &str) -> Value {
    route_response(&[journey()], &parse_route_options(q, 2, &Limits::default()).unwrap())
}

#[test]
fn route_shape_with_steps() {
    let v = route("steps=true&overview=full&geometries=geojson");
    assert_eq!(v["code"], "Ok");
    let r = &v["routes"][0];
    assert_eq!(
        (r["distance"].as_f64(), r["duration"].clone(), r["weight"].clone()),
        (Some(290.8), json!(26.9), json!(26.9))
    );
    assert_eq!(r["weight_name"], "duration");
    assert_eq!(r["geometry"]["type"], "LineString");
    assert_eq!(r["geometry"]["coordinates"], json!([[13.0, 52.0], [13.0, 52.001], [13.0, 52.002], [13.001, 52.002]]));
    let leg = &r["legs"][0];
    assert_eq!(leg["summary"], "Main, Side");
    let steps = leg["steps"].as_array().unwrap();
    let kinds: Vec<String> = steps
        .iter()
        .map(|s| {
            format!("{} {}", s["maneuver"]["type"].as_str().unwrap(), s["maneuver"]["modifier"].as_str().unwrap_or("-"))
        })
        .collect();
    assert_eq!(kinds, ["depart -", "turn right", "arrive -"]);
    assert_eq!(
        steps[1],
        json!({
            "distance": 68.5, "duration": 6.9, "weight": 6.9, "name": "Side", "mode": "driving",
            "geometry": {"type": "LineString", "coordinates": [[13.0, 52.002], [13.001, 52.002]]},
            "driving_side": "right",
            "maneuver": {"type": "turn", "modifier": "right", "location": [13.0, 52.002], "bearing_before": 0, "bearing_after": 90},
            "intersections": [{"location": [13.0, 52.002], "bearings": [90, 180], "entry": [true, false], "in": 1, "out": 0}]
        })
    );
    assert_eq!(steps[0]["ref"], "B 1");
    assert_eq!(
        steps[0]["intersections"][0],
        json!({"location": [13.0, 52.0], "bearings": [0], "entry": [true], "out": 0})
    );
    assert_eq!(steps[2]["intersections"][0]["in"], 0);
    assert_eq!(steps[2]["distance"], 0.0);
    assert_eq!(
        v["waypoints"],
        json!([
            {"hint": "", "distance": 6.77, "name": "Main", "location": [13.0, 52.0]},
            {"hint": "", "distance": 6.77, "name": "Side", "location": [13.001, 52.002]}
        ])
    );
}

#[test]
fn route_defaults_simplify_and_omit_steps() {
    let v = route("");
    let r = &v["routes"][0];
    // The straight run along Main loses its middle point in the simplified overview.
    let line = polyline::decode(r["geometry"].as_str().unwrap(), Precision::Five).unwrap();
    assert_eq!(line, vec![ll(52.0, 13.0), ll(52.002, 13.0), ll(52.002, 13.001)]);
    assert_eq!(r["legs"][0]["steps"], json!([]));
    assert_eq!(r["legs"][0]["summary"], "");
    assert!(r["legs"][0].get("annotation").is_none());
    let v = route("overview=false&skip_waypoints=true&generate_hints=false");
    assert!(v["routes"][0].get("geometry").is_none());
    assert!(v.get("waypoints").is_none());
    let v = route("overview=full&geometries=polyline6&steps=true&generate_hints=false");
    let line = polyline::decode(v["routes"][0]["geometry"].as_str().unwrap(), Precision::Six).unwrap();
    assert_eq!(line.len(), 4);
    assert!(v["routes"][0]["legs"][0]["steps"][0]["geometry"].is_string());
    assert!(v["waypoints"][0].get("hint").is_none());
    assert_eq!(route_response(&[], &RouteOptions::default())["routes"], json!([]));
}

#[test]
fn route_annotations() {
    let v = route("annotations=distance,duration,speed");
    let a = &v["routes"][0]["legs"][0]["annotation"];
    assert_eq!(a["distance"], json!([111.2, 111.2, 68.5]));
    assert_eq!(a["duration"], json!([10.0, 10.0, 6.9]));
    assert_eq!(a["speed"], json!([11.1, 11.1, 10.0]));
    assert!(a.get("weight").is_none() && a.get("nodes").is_none());
}

#[test]
fn nearest_shape() {
    let o = parse_nearest_options("", &Limits::default()).unwrap();
    let v = nearest_response(&[waypoint(52.0, 13.0, "Main")], &o);
    assert_eq!(
        v,
        json!({"code": "Ok", "waypoints": [{"nodes": [0, 0], "hint": "", "distance": 6.77, "name": "Main", "location": [13.0, 52.0]}]})
    );
}

#[test]
fn table_shape_with_unreachable_cells() {
    let m = Matrix {
        sources: vec![waypoint(52.0, 13.0, "A")],
        destinations: vec![waypoint(52.0, 13.0, "A"), waypoint(52.1, 13.1, "B")],
        durations_s: vec![vec![Some(0.0), None]],
        distances_m: vec![vec![Some(0.0), None]],
    };
    let v = table_response(&m, &parse_table_options("", 2).unwrap());
    assert_eq!(v["durations"], json!([[0.0, null]]));
    assert!(v.get("distances").is_none());
    assert_eq!(v["sources"][0]["location"], json!([13.0, 52.0]));
    assert_eq!(v["destinations"].as_array().map(Vec::len), Some(2));
    let v = table_response(&m, &parse_table_options("annotations=distance&skip_waypoints=true", 2).unwrap());
    assert!(v.get("durations").is_none() && v.get("sources").is_none());
    assert_eq!(v["distances"], json!([[0.0, null]]));
}

#[test]
fn rounding_and_locations() {
    assert_eq!(round1(12.345), 12.3);
    assert_eq!(round1(0.05), 0.1);
    assert_eq!(location(ll(52.1234567, -13.7654321)), json!([-13.765432, 52.123457]));
}
