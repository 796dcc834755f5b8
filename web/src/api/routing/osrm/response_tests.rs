use super::super::options::{parse_nearest_options, parse_route_options, parse_table_options};
use super::super::path::Limits;
use super::*;
use crate::api::routing::fixtures::{journey, journey_of, leg, ll, stretch, waypoint};

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

/// Main north in two legs through a via point on it, then right onto Side.
fn via_journey() -> Journey {
    let first = stretch(1, "Main", &[(52.0, 13.0), (52.001, 13.0)], 10.02);
    let second = stretch(1, "Main", &[(52.001, 13.0), (52.002, 13.0)], 10.02);
    let side = stretch(2, "Side", &[(52.002, 13.0), (52.002, 13.001)], 6.86);
    journey_of(
        vec![waypoint(52.0, 13.0, "Main"), waypoint(52.001, 13.0, "Main"), waypoint(52.002, 13.001, "Side")],
        vec![leg(vec![first]), leg(vec![second, side])],
    )
}

#[test]
fn waypoints_merge_the_legs_through_the_others() {
    let j = via_journey();
    let merged = pass_through(j.clone(), &[0, 2]);
    assert_eq!(merged.legs.len(), 1);
    assert_eq!(merged.waypoints, vec![j.waypoints[0].clone(), j.waypoints[2].clone()]);
    let leg = &merged.legs[0];
    assert_eq!(leg.stretches, [&j.legs[0].stretches[..], &j.legs[1].stretches[..]].concat());
    assert!((leg.distance_m - (j.legs[0].distance_m + j.legs[1].distance_m)).abs() < 1e-9);
    assert!((leg.duration_s - 26.9).abs() < 1e-9);
    assert_eq!((merged.distance_m, merged.duration_s, merged.cost_ms), (j.distance_m, j.duration_s, j.cost_ms));
    // Every coordinate listed, or a list that does not fit the journey: nothing changes.
    assert_eq!(pass_through(j.clone(), &[0, 1, 2]), j);
    for bad in [&[0, 1][..], &[1, 2], &[0, 2, 1, 2], &[0, 0, 2], &[], &[0, 5]] {
        assert_eq!(pass_through(j.clone(), bad), j, "{bad:?}");
    }

    // On the wire: one leg from the first coordinate to the last, two waypoints.
    let options = parse_route_options("waypoints=0;2&steps=true&overview=full", 3, &Limits::default()).unwrap();
    let v = route_response(&[pass_through(j, options.waypoints.as_deref().unwrap())], &options);
    let r = &v["routes"][0];
    assert_eq!(r["legs"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["waypoints"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["waypoints"][1]["location"], json!([13.001, 52.002]));
    assert_eq!(
        (r["legs"][0]["distance"].clone(), r["legs"][0]["duration"].clone()),
        (r["distance"].clone(), json!(26.9))
    );
    let steps = r["legs"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.first().unwrap()["maneuver"]["type"], "depart");
    assert_eq!(steps.last().unwrap()["maneuver"]["type"], "arrive");
    assert_eq!(steps.last().unwrap()["maneuver"]["location"], json!([13.001, 52.002]));
    assert!(steps
        .iter()
        .all(|s| s["maneuver"]["location"] != json!([13.0, 52.001]) || s["maneuver"]["type"] != "arrive"));
}

/// A to A and to B (about 13 km away, unreachable), and B to A in 10.04 s; B was asked for
/// 0.01° east of where it snapped.
fn island_matrix() -> Matrix {
    let (a, mut b) = (waypoint(52.0, 13.0, "A"), waypoint(52.1, 13.1, "B"));
    b.input = ll(52.1, 13.11);
    Matrix {
        sources: vec![a.clone(), b.clone()],
        destinations: vec![a, b],
        durations_s: vec![vec![Some(0.0), None], vec![Some(10.04), Some(0.0)]],
        distances_m: vec![vec![Some(0.0), None], vec![Some(100.0), Some(0.0)]],
    }
}

#[test]
fn table_fallback_speed_fills_unreachable_cells() {
    let m = island_matrix();
    let (a, b) = (&m.sources[0], &m.sources[1]);
    let by_input = haversine_m(a.input, b.input);
    let by_location = haversine_m(a.location, b.location);
    assert!(by_input > 10_000.0 && (by_input - by_location).abs() > 100.0);

    let v = table_response(&m, &parse_table_options("", 2).unwrap());
    assert_eq!(v["durations"], json!([[0.0, null], [10.0, 0.0]]));
    assert!(v.get("fallback_speed_cells").is_none(), "{v}");

    // fallback_speed is metres per second; the line runs between the input coordinates.
    let o = parse_table_options("fallback_speed=10&annotations=duration,distance", 2).unwrap();
    let v = table_response(&m, &o);
    assert_eq!(v["durations"], json!([[0.0, round1(by_input / 10.0)], [10.0, 0.0]]));
    assert_eq!(v["distances"], json!([[0.0, round1(by_input)], [100.0, 0.0]]));
    assert_eq!(v["fallback_speed_cells"], json!([[0, 1]]));
    let o = parse_table_options("fallback_speed=10&fallback_coordinate=snapped&annotations=distance", 2).unwrap();
    let v = table_response(&m, &o);
    assert_eq!(v["distances"], json!([[0.0, round1(by_location)], [100.0, 0.0]]));
    assert!(v.get("durations").is_none());
    // Every cell reachable: an empty list.
    let reachable =
        Matrix { durations_s: vec![vec![Some(1.0)]], distances_m: vec![vec![Some(1.0)]], ..island_matrix() };
    assert_eq!(
        table_response(&reachable, &parse_table_options("fallback_speed=3", 2).unwrap())["fallback_speed_cells"],
        json!([])
    );
}

#[test]
fn table_scale_factor_scales_durations_then_rounds() {
    let m = island_matrix();
    let v = table_response(&m, &parse_table_options("scale_factor=2&annotations=duration,distance", 2).unwrap());
    // 10.04 s twice is 20.08 s: rounded after scaling (not 2 × 10.0).
    assert_eq!(v["durations"], json!([[0.0, null], [20.1, 0.0]]));
    assert_eq!(v["distances"], json!([[0.0, null], [100.0, 0.0]]), "distances are not scaled");
    let v = table_response(&m, &parse_table_options("scale_factor=0.5", 2).unwrap());
    assert_eq!(v["durations"], json!([[0.0, null], [5.0, 0.0]]));
    // Estimates are scaled too.
    let by_input = haversine_m(m.sources[0].input, m.sources[1].input);
    let v = table_response(&m, &parse_table_options("scale_factor=3&fallback_speed=10", 2).unwrap());
    assert_eq!(v["durations"][0][1], json!(round1(by_input / 10.0 * 3.0)));
    // An absurd factor clamps to OSRM's largest duration instead of overflowing.
    let v = table_response(&m, &parse_table_options("scale_factor=1e300", 2).unwrap());
    assert_eq!(v["durations"][1][0], json!(214_748_364.6));
}
