//! The answer of `GET /v1/nav` in the shape of Google's Directions API, as the book shows it:
//! `{status: "OK", routes: [{summary, legs: [{distance: {text, value}, duration: {text, value},
//! start_location, end_location, steps: [...]}], overview_polyline: {points}, bounds}]}`.
//!
//! Steps are guidance's steps as Google lists them: no `arrive` step, and a roundabout is one
//! step ("At the roundabout, take the 2nd exit onto ...") that runs on to the next maneuver,
//! i.e. OSRM's `exit roundabout` step is folded into it. Values are whole metres and seconds.
//!
//! Route errors (house shape): `no_segment` (404) when a point is not near a road the mode may
//! use, `no_route` (404) when the points are not connected for the mode, `unsupported_mode`
//! (400) when this server has no data for the mode, `invalid_query` / `too_big` (400) for
//! limits the router enforces, `unavailable` (503) when routing data cannot be read.

use super::text::{distance_text, duration_text, maneuver};
use crate::api::error::ApiError;
use axum::http::StatusCode;
use locus_core::geo::LatLng;
use locus_routing::guide::{self, ManeuverKind, Step};
use locus_routing::polyline::{self, Precision};
use locus_routing::{Journey, Mode, RouteError};
use serde_json::{json, Map, Value};

fn lat_lng(p: LatLng) -> Value {
    json!({ "lat": p.lat(), "lng": p.lng() })
}

fn measure(distance_m: f64, duration_s: f64) -> (Value, Value) {
    let (m, s) = (distance_m.max(0.0).round() as u64, duration_s.max(0.0).round() as u64);
    (json!({ "text": distance_text(m), "value": m }), json!({ "text": duration_text(s), "value": s }))
}

fn travel_mode(mode: Mode) -> &'static str {
    match mode {
        Mode::Car => "DRIVING",
        Mode::Foot => "WALKING",
        Mode::Bicycle => "BICYCLING",
    }
}

/// The steps of a leg as Google lists them (see the module documentation).
fn google_steps(steps: Vec<Step>) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for s in steps {
        match (s.maneuver.kind, out.last_mut()) {
            (ManeuverKind::Arrive, _) => {}
            (ManeuverKind::ExitRoundabout, Some(prev)) if prev.maneuver.kind == ManeuverKind::Roundabout => {
                prev.distance_m += s.distance_m;
                prev.duration_s += s.duration_s;
                prev.geometry.extend(s.geometry.into_iter().skip(1));
            }
            _ => out.push(s),
        }
    }
    out
}

fn step(s: &Step, mode: Mode) -> Value {
    let (distance, duration) = measure(s.distance_m, s.duration_s);
    let start = s.geometry.first().copied().unwrap_or(s.maneuver.location);
    let end = s.geometry.last().copied().unwrap_or(start);
    let mut o = Map::new();
    o.insert("distance".into(), distance);
    o.insert("duration".into(), duration);
    o.insert("start_location".into(), lat_lng(start));
    o.insert("end_location".into(), lat_lng(end));
    o.insert("polyline".into(), json!({ "points": polyline::encode(&s.geometry, Precision::Five) }));
    o.insert("html_instructions".into(), json!(guide::instruction_html(s, mode)));
    if let Some(m) = maneuver(s) {
        o.insert("maneuver".into(), json!(m));
    }
    o.insert("travel_mode".into(), json!(travel_mode(mode)));
    Value::Object(o)
}

/// The answer for a journey from origin through the waypoints to the destination.
/// The answer: the best route first, then the alternatives asked for.
pub fn nav_response(journeys: &[Journey]) -> Value {
    json!({ "status": "OK", "routes": journeys.iter().map(nav_route).collect::<Vec<_>>() })
}

fn nav_route(j: &Journey) -> Value {
    let legs: Vec<Value> = j
        .legs
        .iter()
        .enumerate()
        .map(|(i, leg)| {
            let ends = crate::api::routing::osrm::leg_ends(j, i, leg);
            let steps = ends.map_or_else(Vec::new, |(from, to)| google_steps(guide::steps(leg, j.mode, from, to)));
            let (distance, duration) = measure(leg.distance_m, leg.duration_s);
            let mut o = Map::new();
            o.insert("distance".into(), distance);
            o.insert("duration".into(), duration);
            if let Some((from, to)) = ends {
                o.insert("start_location".into(), lat_lng(from));
                o.insert("end_location".into(), lat_lng(to));
            }
            o.insert("steps".into(), steps.iter().map(|s| step(s, j.mode)).collect::<Vec<_>>().into());
            Value::Object(o)
        })
        .collect();
    let line = j.geometry();
    let overview = polyline::simplify(&line, polyline::overview_tolerance_m(&line));
    let mut route = Map::new();
    route.insert("summary".into(), json!(longest_road(j)));
    route.insert("legs".into(), legs.into());
    route.insert("overview_polyline".into(), json!({ "points": polyline::encode(&overview, Precision::Five) }));
    if let Some(b) = bounds(&line) {
        route.insert("bounds".into(), b);
    }
    route.insert("copyrights".into(), json!("Map data © OpenStreetMap contributors"));
    route.insert("warnings".into(), json!([]));
    route.insert("waypoint_order".into(), json!((0..j.waypoints.len().saturating_sub(2)).collect::<Vec<_>>()));
    Value::Object(route)
}

/// The name of the road the journey spends the longest distance on, as Google's `summary`.
fn longest_road(j: &Journey) -> String {
    let mut totals: Vec<(&str, f64)> = Vec::new();
    for s in j.legs.iter().flat_map(|l| &l.stretches) {
        let label = s.name.as_deref().filter(|n| !n.is_empty()).or(s.reference.as_deref()).unwrap_or("");
        match totals.iter_mut().find(|(l, _)| *l == label) {
            Some(t) => t.1 += s.length_m,
            None => totals.push((label, s.length_m)),
        }
    }
    let named = totals.into_iter().filter(|(l, _)| !l.is_empty());
    named
        .fold(None, |best: Option<(&str, f64)>, t| if best.is_some_and(|b| b.1 >= t.1) { best } else { Some(t) })
        .map_or_else(String::new, |(l, _)| l.to_owned())
}

fn bounds(points: &[LatLng]) -> Option<Value> {
    let first = points.first()?;
    let (mut s, mut w, mut n, mut e) = (first.lat(), first.lng(), first.lat(), first.lng());
    for p in points {
        (s, w, n, e) = (s.min(p.lat()), w.min(p.lng()), n.max(p.lat()), e.max(p.lng()));
    }
    Some(json!({ "northeast": { "lat": n, "lng": e }, "southwest": { "lat": s, "lng": w } }))
}

/// The house error for a routing failure; `points` is how many points were routed through,
/// so that the failing one can be named.
pub fn nav_error(e: RouteError, points: usize) -> ApiError {
    match e {
        RouteError::NoSegment { index } => {
            let which = match index {
                0 => "origin".to_owned(),
                i if i + 1 == points => "destination".to_owned(),
                i => format!("waypoint {i}"),
            };
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no_segment",
                format!("the {which} is not near a road usable in this mode"),
            )
        }
        RouteError::NoRoute => ApiError::new(StatusCode::NOT_FOUND, "no_route", e.to_string()),
        RouteError::ProfileUnavailable(_) => ApiError::bad_request("unsupported_mode", e.to_string()),
        RouteError::InvalidValue(msg) => ApiError::bad_request("invalid_query", msg),
        RouteError::TooBig(msg) => ApiError::bad_request("too_big", msg),
        RouteError::Data(msg) => {
            tracing::error!(error = %msg, "routing data unavailable");
            ApiError::unavailable("routing data is unavailable; retry later")
        }
    }
}

#[cfg(test)]
#[path = "response_tests.rs"]
mod tests;
