//! The walking profile's table: everything at walking pace, motorways closed.

use super::{MaxspeedUse, Table};

const WALK: f64 = 5.0;

pub static TABLE: Table = Table {
    speeds: &[
        ("trunk", WALK),
        ("trunk_link", WALK),
        ("primary", WALK),
        ("primary_link", WALK),
        ("secondary", WALK),
        ("secondary_link", WALK),
        ("tertiary", WALK),
        ("tertiary_link", WALK),
        ("unclassified", WALK),
        ("residential", WALK),
        ("road", WALK),
        ("living_street", WALK),
        ("service", WALK),
        ("track", WALK),
        ("path", WALK),
        ("footway", WALK),
        ("pedestrian", WALK),
        ("steps", WALK),
        ("corridor", WALK),
        ("platform", WALK),
        ("pier", WALK),
    ],
    push: &[],
    explicit_kmh: Some(WALK),
    access_keys: &["foot", "access"],
    ferry_kmh: 5.0,
    maxspeed: MaxspeedUse::Ignore,
    // Turn restrictions are for vehicles; only `restriction:foot` binds walkers.
    restriction_modes: &["foot"],
    obeys_plain_restriction: false,
    routes_areas: true,
    motorroad_forbidden: true,
};
