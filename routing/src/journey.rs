//! What a route query answers, in domain terms (no JSON here): the snapped waypoints and, per
//! leg between consecutive waypoints, the stretches of road travelled in order. Guidance
//! ([`crate::guide`]) turns a [`Leg`] into steps; the web crate turns both into OSRM's or
//! Google's wire shapes.

use crate::profile::{EdgeFlags, Mode, RoadClass};
use locus_core::geo::LatLng;

/// A query point as snapped onto the road network.
#[derive(Debug, Clone, PartialEq)]
pub struct Waypoint {
    /// The position the client asked for.
    pub input: LatLng,
    /// The nearest point on a road the profile may use.
    pub location: LatLng,
    /// From `input` to `location`, in metres.
    pub snap_distance_m: f64,
    /// The name of the road snapped to (empty when it has none).
    pub name: String,
}

/// One stretch of a single way, travelled in one direction: a part of a road edge, or all of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stretch {
    /// The positions passed, in travel order (at least two).
    pub geometry: Vec<LatLng>,
    pub length_m: f64,
    pub duration_s: f64,
    /// The OSM way, its `name` and `ref`.
    pub way_osm_id: i64,
    pub name: Option<String>,
    pub reference: Option<String>,
    pub class: RoadClass,
    pub flags: EdgeFlags,
}

/// The travel from one waypoint to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    pub stretches: Vec<Stretch>,
    pub distance_m: f64,
    pub duration_s: f64,
}

impl Leg {
    /// Every position of the leg in order, without the repeated joints between stretches.
    pub fn geometry(&self) -> Vec<LatLng> {
        let mut points: Vec<LatLng> = Vec::new();
        for s in &self.stretches {
            for &p in &s.geometry {
                if points.last() != Some(&p) {
                    points.push(p);
                }
            }
        }
        points
    }
}

/// A route through two or more waypoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    pub mode: Mode,
    pub waypoints: Vec<Waypoint>,
    /// `waypoints.len() - 1` legs.
    pub legs: Vec<Leg>,
    pub distance_m: f64,
    pub duration_s: f64,
    /// The exact cost the search minimised: milliseconds of travel time plus, where the route
    /// enters a destination-only road, the restricted-entry penalty
    /// ([`crate::cost::RESTRICTED_ENTRY_MS`]).
    pub cost_ms: u64,
}

impl Journey {
    pub fn geometry(&self) -> Vec<LatLng> {
        let mut points: Vec<LatLng> = Vec::new();
        for leg in &self.legs {
            for p in leg.geometry() {
                if points.last() != Some(&p) {
                    points.push(p);
                }
            }
        }
        if points.is_empty() {
            points.extend(self.waypoints.iter().map(|w| w.location));
        }
        points
    }
}

/// A durations/distances matrix; `None` where a destination cannot be reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub sources: Vec<Waypoint>,
    pub destinations: Vec<Waypoint>,
    /// `durations_s[i][j]`: from source i to destination j.
    pub durations_s: Vec<Vec<Option<f64>>>,
    pub distances_m: Vec<Vec<Option<f64>>>,
}

/// A point a client asks to route from, to or through.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueryPoint {
    pub at: LatLng,
    /// Snap no farther than this (metres); `None`: the router's default limit.
    pub radius_m: Option<f64>,
    /// `(bearing, range)` in whole degrees (bearing 0..=360 clockwise from north, range
    /// 0..=180): snap only to roads travelled in a direction within `range` of `bearing`, and
    /// leave (or reach) the point only in such a direction, as OSRM's `bearings`. `None`: any.
    pub bearing: Option<(u16, u16)>,
}

impl QueryPoint {
    pub fn new(at: LatLng) -> QueryPoint {
        QueryPoint { at, radius_m: None, bearing: None }
    }
}
