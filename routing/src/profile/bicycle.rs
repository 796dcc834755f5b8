//! The bicycle profile's table (in the spirit of OSRM's `bicycle.lua`).
//!
//! Footways and pedestrian streets are ridden by pushing at walking pace unless `bicycle=yes`
//! opens them; steps only with `bicycle=*` allowed or `ramp:bicycle=yes`, pushing at 2 km/h.

use super::{MaxspeedUse, Table};

const RIDE: f64 = 15.0;

pub static TABLE: Table = Table {
    speeds: &[
        ("trunk", RIDE),
        ("trunk_link", RIDE),
        ("primary", RIDE),
        ("primary_link", RIDE),
        ("secondary", RIDE),
        ("secondary_link", RIDE),
        ("tertiary", RIDE),
        ("tertiary_link", RIDE),
        ("unclassified", RIDE),
        ("residential", RIDE),
        ("road", RIDE),
        ("living_street", 10.0),
        ("service", RIDE),
        ("cycleway", RIDE),
        ("track", 12.0),
        ("path", 13.0),
    ],
    push: &[("footway", 4.0), ("pedestrian", 4.0), ("platform", 4.0), ("steps", 2.0)],
    explicit_kmh: Some(RIDE),
    access_keys: &["bicycle", "vehicle", "access"],
    ferry_kmh: 5.0,
    maxspeed: MaxspeedUse::Cap,
    restriction_modes: &["bicycle", "vehicle"],
    obeys_plain_restriction: true,
    routes_areas: false,
    motorroad_forbidden: true,
};
