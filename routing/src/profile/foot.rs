//! The walking profile's table (as OSRM's `foot.lua`): everything at walking pace; motorways,
//! trunks (unless a sidewalk is mapped), cycleways and bridleways closed unless `foot=*` opens
//! them; `oneway` ignored (only `oneway:foot` counts); turn restrictions ignored (only
//! `restriction:foot` binds).

use super::speed::WALK_KMH as WALK;
use super::surface;
use super::table::{MaxspeedUse, Table};

pub static TABLE: Table = Table {
    speeds: &[
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
    other_ways: &[("railway", "platform", WALK), ("public_transport", "platform", WALK), ("man_made", "pier", WALK)],
    never: &["construction", "proposed"],
    with_sidewalk: &["trunk", "trunk_link"],
    explicit_kmh: Some(WALK),
    access_keys: &["foot", "access"],
    private_not_startpoint: &[],
    closed_services: &[],
    oneway_keys: &["oneway:foot"],
    implied_oneway: false,
    routes: &[("ferry", 5.0)],
    maxspeed: MaxspeedUse::Ignore,
    surfaces: &surface::FOOT,
    construction_closes: false,
    vehicle: None,
    cycling: None,
    restriction_modes: &["foot"],
    obeys_plain_restriction: false,
    routes_areas: true,
    motorroad_forbidden: true,
    node_delays: &[],
};
