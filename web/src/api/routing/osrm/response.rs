//! OSRM's success answers, in OSRM's exact shapes: `route` (routes, legs, steps with maneuvers
//! and intersections, waypoints), `nearest` and `table`. Locations are `[lon, lat]` rounded to
//! six decimals, distances and durations rounded to one decimal, bearings whole degrees, and
//! `weight` is the duration (`weight_name` "duration").
//!
//! Guidance sees only the route's own roads, so each step has one intersection, at its
//! maneuver: the bearing arrived on (`in`, reversed, entry `false` since turning back is not
//! offered) and the bearing left on (`out`, entry `true`). Hints are empty strings.
//!
//! A route asked with `waypoints` is routed through every coordinate, then [`pass_through`]
//! merges the legs between the listed ones. A table fills the cells the router cannot connect
//! when asked (`fallback_speed`, listed in `fallback_speed_cells`) and scales its durations by
//! `scale_factor`, rounding after scaling.

use super::options::{FallbackCoordinate, Geometries, NearestOptions, Overview, RouteOptions, TableOptions};
use locus_core::geo::{haversine_m, LatLng};
use locus_routing::guide::{self, Step};
use locus_routing::polyline::{self, Precision};
use locus_routing::{Journey, Leg, Matrix, Waypoint};
use serde_json::{json, Map, Value};

/// Rounds to one decimal, as OSRM does for distances, durations and weights.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// `[lon, lat]`.
pub fn location(p: LatLng) -> Value {
    json!([round6(p.lng()), round6(p.lat())])
}

/// A line in the requested encoding: a polyline string or a GeoJSON `LineString`.
pub fn geometry(points: &[LatLng], geometries: Geometries) -> Value {
    match geometries {
        Geometries::Polyline => Value::String(polyline::encode(points, Precision::Five)),
        Geometries::Polyline6 => Value::String(polyline::encode(points, Precision::Six)),
        Geometries::GeoJson => {
            json!({ "type": "LineString", "coordinates": points.iter().map(|&p| location(p)).collect::<Vec<_>>() })
        }
    }
}

fn waypoint(w: &Waypoint, hints: bool) -> Map<String, Value> {
    let mut o = Map::new();
    if hints {
        o.insert("hint".into(), json!(""));
    }
    o.insert("distance".into(), json!(round6(w.snap_distance_m)));
    o.insert("name".into(), json!(w.name));
    o.insert("location".into(), location(w.location));
    o
}

/// The journey with leg breaks only at the coordinates `waypoints` lists (OSRM's `waypoints`
/// option; the others are passed through): the legs between consecutive listed coordinates
/// merged into one (their stretches in order, distances and durations summed) and only the
/// listed waypoints kept. A list that does not fit the journey (increasing, from the first
/// waypoint to the last; `parse_route_options` lets no other through) leaves it as it is.
pub fn pass_through(journey: Journey, waypoints: &[usize]) -> Journey {
    let n = journey.waypoints.len();
    let fits = n >= 2
        && journey.legs.len() == n - 1
        && waypoints.first() == Some(&0)
        && waypoints.last() == Some(&(n - 1))
        && waypoints.windows(2).all(|w| w[0] < w[1]);
    if !fits {
        return journey;
    }
    let Journey { mode, waypoints: all, legs, distance_m, duration_s, cost_ms } = journey;
    let mut legs = legs.into_iter();
    let legs = waypoints
        .windows(2)
        .map(|w| {
            let parts: Vec<Leg> = legs.by_ref().take(w[1] - w[0]).collect();
            Leg {
                distance_m: parts.iter().map(|l| l.distance_m).sum(),
                duration_s: parts.iter().map(|l| l.duration_s).sum(),
                stretches: parts.into_iter().flat_map(|l| l.stretches).collect(),
            }
        })
        .collect();
    let waypoints = waypoints.iter().map(|&i| all[i].clone()).collect();
    Journey { mode, waypoints, legs, distance_m, duration_s, cost_ms }
}

/// The answer to a `route` request: the best journey first, then its alternatives.
pub fn route_response(journeys: &[Journey], options: &RouteOptions) -> Value {
    let mut body = Map::new();
    body.insert("code".into(), json!("Ok"));
    body.insert("routes".into(), Value::Array(journeys.iter().map(|j| route(j, options)).collect()));
    if !options.common.skip_waypoints {
        let waypoints = journeys.first().map_or(&[][..], |j| &j.waypoints[..]);
        let list = waypoints.iter().map(|w| Value::Object(waypoint(w, options.common.generate_hints))).collect();
        body.insert("waypoints".into(), Value::Array(list));
    }
    Value::Object(body)
}

fn route(j: &Journey, options: &RouteOptions) -> Value {
    let mut o = Map::new();
    o.insert("distance".into(), json!(round1(j.distance_m)));
    o.insert("duration".into(), json!(round1(j.duration_s)));
    o.insert("weight".into(), json!(round1(j.duration_s)));
    o.insert("weight_name".into(), json!("duration"));
    match options.overview {
        Overview::False => {}
        Overview::Full => {
            o.insert("geometry".into(), geometry(&j.geometry(), options.geometries));
        }
        Overview::Simplified => {
            let line = j.geometry();
            let simple = polyline::simplify(&line, polyline::overview_tolerance_m(&line));
            o.insert("geometry".into(), geometry(&simple, options.geometries));
        }
    }
    let legs = j.legs.iter().enumerate().map(|(i, leg)| route_leg(j, i, leg, options)).collect();
    o.insert("legs".into(), Value::Array(legs));
    Value::Object(o)
}

/// Where leg `i` starts and ends: its waypoints, else its own first and last points.
pub fn leg_ends(j: &Journey, i: usize, leg: &Leg) -> Option<(LatLng, LatLng)> {
    let line = leg.geometry();
    let from = j.waypoints.get(i).map(|w| w.location).or(line.first().copied())?;
    let to = j.waypoints.get(i + 1).map(|w| w.location).or(line.last().copied())?;
    Some((from, to))
}

fn route_leg(j: &Journey, i: usize, leg: &Leg, options: &RouteOptions) -> Value {
    let mut o = Map::new();
    o.insert("distance".into(), json!(round1(leg.distance_m)));
    o.insert("duration".into(), json!(round1(leg.duration_s)));
    o.insert("weight".into(), json!(round1(leg.duration_s)));
    let ends = if options.steps { leg_ends(j, i, leg) } else { None };
    let (summary, steps) = match ends {
        Some((from, to)) => {
            let steps = guide::steps(leg, j.mode, from, to).iter().map(|s| step(s, options.geometries)).collect();
            (guide::summary(leg, 2), steps)
        }
        _ => (String::new(), Vec::new()),
    };
    o.insert("summary".into(), json!(summary));
    o.insert("steps".into(), Value::Array(steps));
    if options.annotations.any() {
        o.insert("annotation".into(), annotation(leg, options));
    }
    Value::Object(o)
}

fn step(s: &Step, geometries: Geometries) -> Value {
    let m = &s.maneuver;
    let mut maneuver = Map::new();
    maneuver.insert("type".into(), json!(m.kind.osrm_name()));
    if let Some(modifier) = m.modifier {
        maneuver.insert("modifier".into(), json!(modifier.osrm_name()));
    }
    maneuver.insert("location".into(), location(m.location));
    maneuver.insert("bearing_before".into(), json!(m.bearing_before));
    maneuver.insert("bearing_after".into(), json!(m.bearing_after));
    if let Some(exit) = m.exit {
        maneuver.insert("exit".into(), json!(exit));
    }
    let mut o = Map::new();
    o.insert("distance".into(), json!(round1(s.distance_m)));
    o.insert("duration".into(), json!(round1(s.duration_s)));
    o.insert("weight".into(), json!(round1(s.duration_s)));
    o.insert("name".into(), json!(s.name));
    if let Some(r) = &s.reference {
        o.insert("ref".into(), json!(r));
    }
    o.insert("mode".into(), json!(s.travel_mode.osrm_name()));
    o.insert("geometry".into(), geometry(&s.geometry, geometries));
    let side = match locus_routing::driving_side::at(m.location) {
        locus_routing::driving_side::DrivingSide::Left => "left",
        locus_routing::driving_side::DrivingSide::Right => "right",
    };
    o.insert("driving_side".into(), json!(side));
    o.insert("maneuver".into(), Value::Object(maneuver));
    o.insert("intersections".into(), json!([intersection(s)]));
    Value::Object(o)
}

fn intersection(s: &Step) -> Value {
    use guide::ManeuverKind::{Arrive, Depart};
    let m = &s.maneuver;
    let back = (m.bearing_before + 180) % 360;
    let mut o = Map::new();
    o.insert("location".into(), location(m.location));
    match m.kind {
        Depart => {
            o.insert("bearings".into(), json!([m.bearing_after]));
            o.insert("entry".into(), json!([true]));
            o.insert("out".into(), json!(0));
        }
        Arrive => {
            o.insert("bearings".into(), json!([back]));
            o.insert("entry".into(), json!([true]));
            o.insert("in".into(), json!(0));
        }
        _ => {
            // Sorted clockwise from north, as OSRM lists them; the way in comes first on a tie.
            let in_first = back <= m.bearing_after;
            let (bearings, entry) = if in_first {
                ([back, m.bearing_after], [false, true])
            } else {
                ([m.bearing_after, back], [true, false])
            };
            o.insert("bearings".into(), json!(bearings));
            o.insert("entry".into(), json!(entry));
            o.insert("in".into(), json!(if in_first { 0 } else { 1 }));
            o.insert("out".into(), json!(if in_first { 1 } else { 0 }));
        }
    }
    Value::Object(o)
}

/// Per-segment annotations between consecutive points of the leg's geometry. A stretch's
/// duration is spread over its segments by length; zero-length segments are left out, as the
/// leg geometry leaves out repeated points. `nodes` and `datasources` are not available.
fn annotation(leg: &Leg, options: &RouteOptions) -> Value {
    let (mut distances, mut durations) = (Vec::new(), Vec::new());
    for s in &leg.stretches {
        let lengths: Vec<f64> =
            s.geometry.windows(2).filter(|w| w[0] != w[1]).map(|w| haversine_m(w[0], w[1])).collect();
        let total: f64 = lengths.iter().sum();
        for d in lengths {
            distances.push(d);
            durations.push(if total > 0.0 { s.duration_s * d / total } else { 0.0 });
        }
    }
    let a = options.annotations;
    let mut o = Map::new();
    if a.distance {
        o.insert("distance".into(), json!(distances.iter().map(|&d| round1(d)).collect::<Vec<_>>()));
    }
    if a.duration {
        o.insert("duration".into(), json!(durations.iter().map(|&d| round1(d)).collect::<Vec<_>>()));
    }
    if a.weight {
        o.insert("weight".into(), json!(durations.iter().map(|&d| round1(d)).collect::<Vec<_>>()));
    }
    if a.speed {
        let speeds: Vec<f64> =
            distances.iter().zip(&durations).map(|(&d, &t)| if t > 0.0 { round1(d / t) } else { 0.0 }).collect();
        o.insert("speed".into(), json!(speeds));
    }
    Value::Object(o)
}

/// The answer to a `nearest` request: the snapped points, nearest first.
pub fn nearest_response(waypoints: &[Waypoint], options: &NearestOptions) -> Value {
    let list: Vec<Value> = waypoints
        .iter()
        .map(|w| {
            let mut o = waypoint(w, options.common.generate_hints);
            o.insert("nodes".into(), json!([0, 0]));
            Value::Object(o)
        })
        .collect();
    json!({ "code": "Ok", "waypoints": list })
}

/// The longest duration a table answers, in seconds: OSRM's largest duration (`i32::MAX - 1`
/// deciseconds), where it clamps a scaled or estimated one.
const MAX_TABLE_DURATION_S: f64 = (i32::MAX - 1) as f64 / 10.0;

/// The answer to a `table` request: `null` where a destination cannot be reached, unless
/// `fallback_speed` estimates the cell (its straight-line distance over that speed, listed in
/// `fallback_speed_cells` as `[row, column]`); durations multiplied by `scale_factor`, then
/// rounded.
pub fn table_response(matrix: &Matrix, options: &TableOptions) -> Value {
    let mut durations = matrix.durations_s.clone();
    let mut distances = matrix.distances_m.clone();
    let mut estimated: Vec<[usize; 2]> = Vec::new();
    if let Some(speed) = options.fallback_speed_mps.filter(|s| *s > 0.0) {
        for (i, row) in durations.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                let (None, Some(from), Some(to)) = (*cell, matrix.sources.get(i), matrix.destinations.get(j)) else {
                    continue;
                };
                let metres = match options.fallback_coordinate {
                    FallbackCoordinate::Input => haversine_m(from.input, to.input),
                    FallbackCoordinate::Snapped => haversine_m(from.location, to.location),
                };
                *cell = Some(metres / speed);
                if let Some(d) = distances.get_mut(i).and_then(|r| r.get_mut(j)) {
                    *d = Some(metres);
                }
                estimated.push([i, j]);
            }
        }
    }
    let scale = options.scale_factor.filter(|s| *s > 0.0).unwrap_or(1.0);
    let seconds = |d: f64| round1((d * scale).min(MAX_TABLE_DURATION_S));
    let cells = |rows: &[Vec<Option<f64>>], value: &dyn Fn(f64) -> f64| -> Value {
        rows.iter().map(|row| row.iter().map(|c| c.map(value)).collect::<Vec<_>>()).collect::<Vec<_>>().into()
    };
    let mut body = Map::new();
    body.insert("code".into(), json!("Ok"));
    if options.durations {
        body.insert("durations".into(), cells(&durations, &seconds));
    }
    if options.distances {
        body.insert("distances".into(), cells(&distances, &round1));
    }
    if options.fallback_speed_mps.is_some() {
        body.insert("fallback_speed_cells".into(), json!(estimated));
    }
    if !options.common.skip_waypoints {
        let hints = options.common.generate_hints;
        let list = |w: &[Waypoint]| w.iter().map(|w| Value::Object(waypoint(w, hints))).collect::<Vec<_>>();
        body.insert("sources".into(), list(&matrix.sources).into());
        body.insert("destinations".into(), list(&matrix.destinations).into());
    }
    Value::Object(body)
}

#[cfg(test)]
#[path = "response_tests.rs"]
mod tests;
