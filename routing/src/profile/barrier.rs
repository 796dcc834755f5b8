//! Nodes a mode may not pass: barriers, and access tags on nodes.
//!
//! As in OSRM's `process_node`:
//! 1. An access tag on the node (`access`, `vehicle`, `motor_vehicle`, `motorcar`, `foot`,
//!    `bicycle`, through the profile's hierarchy) decides first, barrier or not: forbidden
//!    stops, anything else lets through (for a car, `private` / `destination` / `delivery` too:
//!    the way's own access says whether the car may be there). A cyclist ignores access tags
//!    on a `highway=crossing` node (they speak of crossing the road, not of riding along it).
//! 2. Otherwise the `barrier` value: a car passes only the barriers that open for traffic
//!    ([`CAR_PASSES`], `bollard=rising`, a lowered or flush `kerb`, a `kerb` at a crossing, a
//!    `height_restrictor` higher than the car); walkers and cyclists pass everything but
//!    [`NOBODY_PASSES`] (a cyclist also not a full-height turnstile).
//! 3. `locked=yes` closes any barrier without an access tag.
//!
//! A node the mode passes may still cost time ([`delay_s`]): a car opens a gate.

use super::access::{resolve, Access};
use super::measure::parse_length_m;
use super::tags::Tags;
use super::{Mode, Table};

/// Barriers a car passes (OSRM's car `barrier_whitelist`, with the other gates that open on a
/// road: `swing_gate`, `sliding_gate`).
pub const CAR_PASSES: &[&str] = &[
    "no",
    "entrance",
    "border_control",
    "toll_booth",
    "cattle_grid",
    "gate",
    "lift_gate",
    "swing_gate",
    "sliding_gate",
    "sally_port",
    "height_restrictor",
    "arch",
];

/// Barriers nobody passes (OSRM's foot and bicycle `barrier_blacklist`, with the other walls).
pub const NOBODY_PASSES: &[&str] = &["yes", "wall", "fence", "city_wall", "retaining_wall", "hedge", "debris"];

/// A car's height in metres (OSRM's `vehicle_height`).
pub const CAR_HEIGHT_M: f64 = 2.5;

/// Whether `mode` (with `table`'s access keys) may pass a node with these tags. A node without
/// `barrier` or access tags is always passable.
pub fn passable(mode: Mode, table: &Table, tags: &Tags) -> bool {
    let crossing = tags.is("highway", "crossing");
    if let Some(d) = resolve(tags, table.access_keys, mode) {
        if !(mode == Mode::Bicycle && crossing) {
            return d.access != Access::Forbidden;
        }
    }
    let Some(barrier) = tags.get("barrier") else {
        return true;
    };
    if tags.is("locked", "yes") || NOBODY_PASSES.contains(&barrier) {
        return false;
    }
    match mode {
        Mode::Car => match barrier {
            "height_restrictor" => !height_below_car(tags),
            "bollard" => tags.is("bollard", "rising"),
            "kerb" => crossing || matches!(tags.get("kerb"), Some("lowered" | "flush" | "no")),
            b => CAR_PASSES.contains(&b),
        },
        Mode::Bicycle => barrier != "full-height_turnstile",
        Mode::Foot => true,
    }
}

/// The seconds `table`'s mode loses passing a node with these tags (its `node_delays`: a car
/// opening a gate). Nothing where the node has any value of the mode's access keys: as OSRM's
/// `process_node`, which then leaves the barrier alone (`barrier=gate access=yes` is an open
/// gate, `access=private` one the driver may open). Only asked of nodes the mode may pass.
pub fn delay_s(table: &Table, tags: &Tags) -> f64 {
    if table.access_keys.iter().any(|&k| tags.get(k).is_some()) {
        return 0.0;
    }
    table.node_delays.iter().find(|&&(k, v, _)| tags.is(k, v)).map_or(0.0, |&(_, _, s)| s)
}

/// A `maxheight` on the node lower than a car.
fn height_below_car(tags: &Tags) -> bool {
    ["maxheight:physical", "maxheight"]
        .iter()
        .find_map(|k| tags.get(k).and_then(parse_length_m))
        .is_some_and(|h| h < CAR_HEIGHT_M)
}
