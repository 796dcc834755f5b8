//! Small hand-built journeys shared by the wire-format tests.

use locus_core::geo::{haversine_m, LatLng};
use locus_routing::{EdgeFlags, Journey, Leg, Mode, RoadClass, Stretch, Waypoint};

pub fn ll(lat: f64, lng: f64) -> LatLng {
    LatLng::new(lat, lng).unwrap()
}

/// A stretch through `(lat, lng)` points; "Main" carries the ref "B 1".
pub fn stretch(id: i64, name: &str, points: &[(f64, f64)], duration_s: f64) -> Stretch {
    let geometry: Vec<LatLng> = points.iter().map(|&(lat, lng)| ll(lat, lng)).collect();
    Stretch {
        length_m: geometry.windows(2).map(|w| haversine_m(w[0], w[1])).sum(),
        geometry,
        duration_s,
        way_osm_id: id,
        name: Some(name.to_owned()),
        reference: (name == "Main").then(|| "B 1".to_owned()),
        class: RoadClass::Primary,
        flags: EdgeFlags::default(),
    }
}

pub fn waypoint(lat: f64, lng: f64, name: &str) -> Waypoint {
    Waypoint { input: ll(lat, lng + 0.0001), location: ll(lat, lng), snap_distance_m: 6.77, name: name.into() }
}

pub fn leg(stretches: Vec<Stretch>) -> Leg {
    Leg {
        distance_m: stretches.iter().map(|s| s.length_m).sum(),
        duration_s: stretches.iter().map(|s| s.duration_s).sum(),
        stretches,
    }
}

pub fn journey_of(waypoints: Vec<Waypoint>, legs: Vec<Leg>) -> Journey {
    Journey {
        mode: Mode::Car,
        distance_m: legs.iter().map(|l| l.distance_m).sum(),
        duration_s: legs.iter().map(|l| l.duration_s).sum(),
        cost_ms: (legs.iter().map(|l| l.duration_s).sum::<f64>() * 1000.0) as u64,
        waypoints,
        legs,
    }
}

/// North on Main for about 222 m, then right (east) on Side for about 68 m.
pub fn journey() -> Journey {
    let main = stretch(1, "Main", &[(52.0, 13.0), (52.001, 13.0), (52.002, 13.0)], 20.04);
    let side = stretch(2, "Side", &[(52.002, 13.0), (52.002, 13.001)], 6.86);
    journey_of(vec![waypoint(52.0, 13.0, "Main"), waypoint(52.002, 13.001, "Side")], vec![leg(vec![main, side])])
}

/// North on Approach, two stretches around a roundabout, north out on Exit Road.
pub fn roundabout_journey() -> Journey {
    let ring = |id, pts: &[(f64, f64)]| {
        let mut s = stretch(id, "Ring", pts, 5.0);
        s.flags.insert(EdgeFlags::ROUNDABOUT);
        s
    };
    let stretches = vec![
        stretch(1, "Approach", &[(-0.002, 0.0), (-0.001, 0.0)], 10.0),
        ring(10, &[(-0.001, 0.0), (-0.0007, 0.0007), (0.0, 0.001)]),
        ring(10, &[(0.0, 0.001), (0.0007, 0.0007), (0.001, 0.0)]),
        stretch(2, "Exit Road", &[(0.001, 0.0), (0.002, 0.0)], 10.0),
    ];
    journey_of(vec![waypoint(-0.002, 0.0, "Approach"), waypoint(0.002, 0.0, "Exit Road")], vec![leg(stretches)])
}
