use super::*;
use crate::api::routing::fixtures::{journey, journey_of, leg, ll, roundabout_journey, stretch, waypoint};

#[test]
fn book_shape() {
    let v = nav_response(std::slice::from_ref(&journey()));
    assert_eq!(v["status"], "OK");
    let r = &v["routes"][0];
    assert_eq!(r["summary"], "Main");
    assert_eq!(
        r["bounds"],
        json!({"northeast": {"lat": 52.002, "lng": 13.001}, "southwest": {"lat": 52.0, "lng": 13.0}})
    );
    let overview = polyline::decode(r["overview_polyline"]["points"].as_str().unwrap(), Precision::Five).unwrap();
    assert_eq!(overview, vec![ll(52.0, 13.0), ll(52.002, 13.0), ll(52.002, 13.001)]);
    let leg = &r["legs"][0];
    assert_eq!(leg["distance"], json!({"text": "291 m", "value": 291}));
    assert_eq!(leg["duration"], json!({"text": "1 min", "value": 27}));
    assert_eq!(leg["start_location"], json!({"lat": 52.0, "lng": 13.0}));
    assert_eq!(leg["end_location"], json!({"lat": 52.002, "lng": 13.001}));
    let steps = leg["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "no arrive step");
    assert_eq!(steps[0]["html_instructions"], "Head <b>north</b> on <b>Main (B 1)</b>");
    assert!(steps[0].get("maneuver").is_none());
    assert_eq!(steps[0]["distance"], json!({"text": "222 m", "value": 222}));
    assert_eq!(steps[0]["duration"], json!({"text": "1 min", "value": 20}));
    assert_eq!(steps[0]["travel_mode"], "DRIVING");
    assert_eq!(
        steps[1],
        json!({
            "distance": {"text": "68 m", "value": 68},
            "duration": {"text": "1 min", "value": 7},
            "start_location": {"lat": 52.002, "lng": 13.0},
            "end_location": {"lat": 52.002, "lng": 13.001},
            "polyline": {"points": polyline::encode(&[ll(52.002, 13.0), ll(52.002, 13.001)], Precision::Five)},
            "html_instructions": "Turn <b>right</b> onto <b>Side</b>",
            "maneuver": "turn-right",
            "travel_mode": "DRIVING"
        })
    );
}

#[test]
fn a_roundabout_is_one_step() {
    let v = nav_response(std::slice::from_ref(&roundabout_journey()));
    let steps = v["routes"][0]["legs"][0]["steps"].as_array().unwrap().clone();
    let html: Vec<&str> = steps.iter().map(|s| s["html_instructions"].as_str().unwrap()).collect();
    assert_eq!(
        html,
        ["Head <b>north</b> on <b>Approach</b>", "At the roundabout, take the <b>2nd</b> exit onto <b>Exit Road</b>"]
    );
    assert_eq!(steps[1]["end_location"], json!({"lat": 0.002, "lng": 0.0}));
    assert_eq!(steps[1]["duration"]["value"], 20);
    let line = polyline::decode(steps[1]["polyline"]["points"].as_str().unwrap(), Precision::Five).unwrap();
    assert_eq!(line.len(), 6);
    // The ring is the longest named road here (about 340 m).
    assert_eq!(v["routes"][0]["summary"], "Ring");
}

#[test]
fn legs_through_waypoints_and_empty_legs() {
    let a = stretch(1, "Main", &[(52.0, 13.0), (52.001, 13.0)], 10.0);
    let j = journey_of(
        vec![waypoint(52.0, 13.0, "Main"), waypoint(52.001, 13.0, "Main"), waypoint(52.001, 13.0, "Main")],
        vec![leg(vec![a]), leg(vec![])],
    );
    let v = nav_response(std::slice::from_ref(&j));
    let legs = v["routes"][0]["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2);
    assert_eq!(v["routes"][0]["waypoint_order"], json!([0]));
    let empty = &legs[1];
    assert_eq!(empty["distance"], json!({"text": "0 m", "value": 0}));
    assert_eq!(empty["steps"].as_array().map(Vec::len), Some(1));
    assert_eq!(empty["steps"][0]["html_instructions"], "Head <b>north</b>");
    assert_eq!(empty["start_location"], empty["end_location"]);
}

#[test]
fn walking_and_cycling_travel_modes() {
    for (mode, name) in [(Mode::Foot, "WALKING"), (Mode::Bicycle, "BICYCLING")] {
        let mut j = journey();
        j.mode = mode;
        assert_eq!(nav_response(std::slice::from_ref(&j))["routes"][0]["legs"][0]["steps"][1]["travel_mode"], name);
    }
}

#[test]
fn route_errors_in_the_house_shape() {
    let cases = [
        (RouteError::NoSegment { index: 0 }, 404, "no_segment", "origin"),
        (RouteError::NoSegment { index: 1 }, 404, "no_segment", "waypoint 1"),
        (RouteError::NoSegment { index: 2 }, 404, "no_segment", "destination"),
        (RouteError::NoRoute, 404, "no_route", "no route"),
        (RouteError::ProfileUnavailable(Mode::Bicycle), 400, "unsupported_mode", "bicycle"),
        (RouteError::InvalidValue("radius too large".into()), 400, "invalid_query", "radius"),
        (RouteError::TooBig("too many".into()), 400, "too_big", "too many"),
        (RouteError::Data("tile 7: bad checksum".into()), 503, "unavailable", "retry"),
    ];
    for (e, status, code, fragment) in cases {
        let a = nav_error(e, 3);
        assert_eq!((a.status.as_u16(), a.code), (status, code));
        assert!(a.message.contains(fragment), "{}", a.message);
    }
}
