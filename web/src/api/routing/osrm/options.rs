//! The query options of OSRM's `route`, `table` and `nearest` requests, as OSRM documents them
//! (the general options every service takes are read by `common`). An option neither knows is
//! `InvalidQuery`, as in OSRM, so a typo is never silently ignored.
//!
//! Accepted but not acted on (the router has no use for them yet): `continue_straight` and the
//! `nodes`/`datasources` annotations.
//!
//! `waypoints` (route) names the coordinates that end legs; the route still passes through the
//! others, whose legs are merged (`response::pass_through`). Indices out of range, a list that
//! does not start at 0 and end at the last coordinate, or one that does not increase are
//! `InvalidOptions` (OSRM answers `InvalidValue` for a missing first or last index, and does not
//! check the order).
//!
//! `fallback_speed` (table) is in metres per second, as OSRM documents it: a pair the router
//! cannot connect gets the straight-line distance between the `fallback_coordinate`s (`input`,
//! the default, or `snapped`) over that speed. (osrm-backend itself divides metres by the speed
//! into deciseconds, a factor of ten off its documentation: Project-OSRM/osrm-backend#6584.)
//! `scale_factor` multiplies every duration but the zero ones, after the fallback.

use super::common::{common, flag, invalid_query, invalid_value, number, pairs, unknown, CommonOptions};
use super::error::{OsrmCode, OsrmError};
use super::path::Limits;
use crate::api::routing::query;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Geometries {
    #[default]
    Polyline,
    Polyline6,
    GeoJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overview {
    #[default]
    Simplified,
    Full,
    False,
}

/// Which per-segment annotations a route asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Annotations {
    pub duration: bool,
    pub distance: bool,
    pub speed: bool,
    pub weight: bool,
    pub nodes: bool,
    pub datasources: bool,
}

impl Annotations {
    pub fn any(&self) -> bool {
        self.duration || self.distance || self.speed || self.weight || self.nodes || self.datasources
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RouteOptions {
    pub common: CommonOptions,
    pub steps: bool,
    /// How many alternative routes to look for besides the best (`true` is 1).
    pub alternatives: u32,
    pub annotations: Annotations,
    pub geometries: Geometries,
    pub overview: Overview,
    pub continue_straight: Option<bool>,
    /// Which coordinates are waypoints (the others are passed through without a leg break).
    pub waypoints: Option<Vec<usize>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableOptions {
    pub common: CommonOptions,
    /// Indices of the coordinates used as sources; `None`: all.
    pub sources: Option<Vec<usize>>,
    pub destinations: Option<Vec<usize>>,
    pub durations: bool,
    pub distances: bool,
    /// Metres per second for pairs the router cannot connect (`fallback_speed`).
    pub fallback_speed_mps: Option<f64>,
    /// Where the straight line of a fallback cell runs from and to.
    pub fallback_coordinate: FallbackCoordinate,
    pub scale_factor: Option<f64>,
}

/// The ends of a `fallback_speed` estimate: the coordinates asked for, or where they snapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FallbackCoordinate {
    #[default]
    Input,
    Snapped,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NearestOptions {
    pub common: CommonOptions,
    pub number: u32,
}

/// The options of a `route` request with `n` coordinates.
pub fn parse_route_options(raw: &str, n: usize, limits: &Limits) -> Result<RouteOptions, OsrmError> {
    let mut o = RouteOptions::default();
    for (key, v) in pairs(raw)? {
        if common(&mut o.common, &key, &v, n)? {
            continue;
        }
        match key.as_str() {
            "steps" => o.steps = flag(&key, &v)?,
            "alternatives" => {
                o.alternatives = match v.as_str() {
                    "true" => 1,
                    "false" => 0,
                    s => query::index(s)
                        .and_then(|a| u32::try_from(a).ok())
                        .ok_or_else(|| invalid_query("alternatives must be true, false or a number"))?,
                };
                if o.alternatives > limits.max_alternatives {
                    return Err(OsrmError::new(
                        OsrmCode::TooBig,
                        format!(
                            "Requested number of alternatives is higher than current maximum ({})",
                            limits.max_alternatives
                        ),
                    ));
                }
            }
            "annotations" => o.annotations = annotations(&v)?,
            "geometries" => {
                o.geometries = match v.as_str() {
                    "polyline" => Geometries::Polyline,
                    "polyline6" => Geometries::Polyline6,
                    "geojson" => Geometries::GeoJson,
                    _ => return Err(invalid_query("geometries must be polyline, polyline6 or geojson")),
                }
            }
            "overview" => {
                o.overview = match v.as_str() {
                    "simplified" => Overview::Simplified,
                    "full" => Overview::Full,
                    "false" => Overview::False,
                    _ => return Err(invalid_query("overview must be simplified, full or false")),
                }
            }
            "continue_straight" => {
                o.continue_straight = if v == "default" { None } else { Some(flag(&key, &v)?) };
            }
            "waypoints" => o.waypoints = Some(waypoints(&v, n)?),
            _ => return Err(unknown(&key)),
        }
    }
    Ok(o)
}

fn annotations(v: &str) -> Result<Annotations, OsrmError> {
    let mut a = Annotations::default();
    match v {
        "true" => {
            return Ok(Annotations {
                duration: true,
                distance: true,
                speed: true,
                weight: true,
                nodes: true,
                datasources: true,
            })
        }
        "false" => return Ok(a),
        _ => {}
    }
    for name in v.split(',') {
        match name {
            "duration" => a.duration = true,
            "distance" => a.distance = true,
            "speed" => a.speed = true,
            "weight" => a.weight = true,
            "nodes" => a.nodes = true,
            "datasources" => a.datasources = true,
            other => return Err(invalid_query(format!("unknown annotation {other:?}"))),
        }
    }
    Ok(a)
}

/// `waypoints`: increasing indices that start at 0 and end at the last coordinate.
fn waypoints(v: &str, n: usize) -> Result<Vec<usize>, OsrmError> {
    let indices = indices("waypoints", v, n)?;
    let increasing = indices.windows(2).all(|w| w[0] < w[1]);
    if indices.first() != Some(&0) || indices.last() != Some(&n.saturating_sub(1)) || !increasing {
        return Err(OsrmError::new(
            OsrmCode::InvalidOptions,
            "Waypoints must be increasing and include the first and last coordinates.",
        ));
    }
    Ok(indices)
}

/// `;`-separated coordinate indices, each below `n`, at most `n` of them.
fn indices(key: &str, v: &str, n: usize) -> Result<Vec<usize>, OsrmError> {
    if v.split(';').count() > n {
        return Err(OsrmError::new(OsrmCode::InvalidOptions, format!("{key}: more indices than coordinates")));
    }
    v.split(';')
        .map(|s| {
            let i = query::index(s).ok_or_else(|| invalid_query(format!("{key}: {s:?} is not an index")))?;
            if i >= n {
                return Err(OsrmError::new(OsrmCode::InvalidOptions, format!("{key}: index {i} is out of bounds")));
            }
            Ok(i)
        })
        .collect()
}

/// The options of a `table` request with `n` coordinates.
pub fn parse_table_options(raw: &str, n: usize) -> Result<TableOptions, OsrmError> {
    let mut o = TableOptions {
        common: CommonOptions::default(),
        sources: None,
        destinations: None,
        durations: true,
        distances: false,
        fallback_speed_mps: None,
        fallback_coordinate: FallbackCoordinate::Input,
        scale_factor: None,
    };
    for (key, v) in pairs(raw)? {
        if common(&mut o.common, &key, &v, n)? {
            continue;
        }
        match key.as_str() {
            "sources" | "destinations" => {
                let list = if v == "all" { None } else { Some(indices(&key, &v, n)?) };
                if key == "sources" {
                    o.sources = list;
                } else {
                    o.destinations = list;
                }
            }
            "annotations" => {
                (o.durations, o.distances) = match v.as_str() {
                    "duration" => (true, false),
                    "distance" => (false, true),
                    "duration,distance" | "distance,duration" => (true, true),
                    _ => return Err(invalid_query("annotations must be duration, distance or duration,distance")),
                }
            }
            "fallback_speed" | "scale_factor" => {
                let x = number(&key, &v)?;
                if x <= 0.0 {
                    return Err(invalid_value(format!("{key} must be greater than 0")));
                }
                if key == "fallback_speed" {
                    o.fallback_speed_mps = Some(x);
                } else {
                    o.scale_factor = Some(x);
                }
            }
            "fallback_coordinate" => {
                o.fallback_coordinate = match v.as_str() {
                    "input" => FallbackCoordinate::Input,
                    "snapped" => FallbackCoordinate::Snapped,
                    _ => return Err(invalid_query("fallback_coordinate must be input or snapped")),
                }
            }
            _ => return Err(unknown(&key)),
        }
    }
    Ok(o)
}

/// The options of a `nearest` request (one coordinate).
pub fn parse_nearest_options(raw: &str, limits: &Limits) -> Result<NearestOptions, OsrmError> {
    let mut o = NearestOptions { common: CommonOptions::default(), number: 1 };
    for (key, v) in pairs(raw)? {
        if common(&mut o.common, &key, &v, 1)? {
            continue;
        }
        match key.as_str() {
            "number" => {
                let n = query::index(&v).ok_or_else(|| invalid_query("number must be a positive integer"))?;
                if n == 0 {
                    return Err(OsrmError::new(OsrmCode::InvalidOptions, "Number of results must be at least 1"));
                }
                if n > limits.max_nearest_results as usize {
                    return Err(OsrmError::new(
                        OsrmCode::TooBig,
                        format!(
                            "Number of results {n} is higher than current maximum ({})",
                            limits.max_nearest_results
                        ),
                    ));
                }
                o.number = n as u32;
            }
            _ => return Err(unknown(&key)),
        }
    }
    Ok(o)
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
