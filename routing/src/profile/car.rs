//! The car profile's table (speeds as in OSRM's `car.lua`).

use super::{MaxspeedUse, Table};

pub static TABLE: Table = Table {
    speeds: &[
        ("motorway", 90.0),
        ("motorway_link", 45.0),
        ("trunk", 85.0),
        ("trunk_link", 40.0),
        ("primary", 65.0),
        ("primary_link", 30.0),
        ("secondary", 55.0),
        ("secondary_link", 25.0),
        ("tertiary", 40.0),
        ("tertiary_link", 20.0),
        ("unclassified", 25.0),
        ("residential", 25.0),
        ("living_street", 10.0),
        ("service", 15.0),
    ],
    push: &[],
    // A `motorcar=yes` on a footway or track does not make it a road we know a speed for.
    explicit_kmh: None,
    access_keys: &["motorcar", "motor_vehicle", "vehicle", "access"],
    ferry_kmh: 5.0,
    maxspeed: MaxspeedUse::Scaled(0.8),
    restriction_modes: &["motorcar", "motor_vehicle", "vehicle"],
    obeys_plain_restriction: true,
    routes_areas: false,
    motorroad_forbidden: false,
};
