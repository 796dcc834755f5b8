//! The bicycle profile's table (as OSRM's `bicycle.lua`).
//!
//! Roads are ridden at 15 km/h (tracks and paths 12); motorways and trunks are closed unless
//! `bicycle=*` or a cycle lane (`cycleway=lane|track|...`) opens them. A cyclist pushes at
//! walking pace (4 km/h) on footways, pedestrian streets and platforms, at 2 km/h on steps,
//! against the flow of a oneway street (not of a roundabout or motorway), and wherever
//! `bicycle=dismount`; `foot=no` forbids pushing. Turn restrictions bind cyclists (the plain
//! `restriction`, `restriction:bicycle`, `restriction:vehicle`) unless `except=bicycle`: a
//! departure from OSRM, which ignores them all for bicycles ("a cyclist can always get off and
//! walk"), because a no-left-turn sign binds a cyclist who rides.

use super::surface;
use super::table::{Cycling, MaxspeedUse, Table};

const RIDE: f64 = 15.0;
const WALK: f64 = 4.0;

pub static TABLE: Table = Table {
    speeds: &[
        ("cycleway", RIDE),
        ("primary", RIDE),
        ("primary_link", RIDE),
        ("secondary", RIDE),
        ("secondary_link", RIDE),
        ("tertiary", RIDE),
        ("tertiary_link", RIDE),
        ("unclassified", RIDE),
        ("residential", RIDE),
        ("road", RIDE),
        ("living_street", RIDE),
        ("service", RIDE),
        ("track", 12.0),
        ("path", 12.0),
    ],
    other_ways: &[("railway", "platform", WALK), ("public_transport", "platform", WALK)],
    never: &["construction", "proposed"],
    with_sidewalk: &[],
    explicit_kmh: Some(RIDE),
    access_keys: &["bicycle", "vehicle", "access"],
    private_not_startpoint: &[],
    closed_services: &[],
    oneway_keys: &["oneway:bicycle", "oneway"],
    implied_oneway: true,
    routes: &[("ferry", 5.0)],
    maxspeed: MaxspeedUse::Cap,
    surfaces: &surface::BICYCLE,
    construction_closes: true,
    vehicle: None,
    cycling: Some(Cycling {
        push_ways: &[
            ("highway", "footway", WALK),
            ("highway", "pedestrian", WALK),
            ("highway", "platform", WALK),
            ("highway", "steps", 2.0),
            ("man_made", "pier", WALK),
        ],
        walk_kmh: WALK,
        cycleway_kmh: RIDE,
    }),
    restriction_modes: &["bicycle", "vehicle"],
    obeys_plain_restriction: true,
    routes_areas: true,
    motorroad_forbidden: true,
    node_delays: &[],
};
