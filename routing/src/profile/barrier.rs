//! Node barriers: whether a mode may pass a node tagged `barrier=*`.
//!
//! The table gives the default per barrier value and mode; access tags on the barrier node
//! (`access`, `vehicle`, `motor_vehicle`, `motorcar`, `foot`, `bicycle`, through the same
//! hierarchy as for ways) override it: `barrier=gate + access=yes` lets cars through,
//! `barrier=bollard + motor_vehicle=yes` too, `barrier=gate + foot=no` stops walkers.

use super::access::{resolve, Access};
use super::tags::Tags;
use super::Mode;

/// `(barrier, car, bicycle, foot)`: passable by default? Values not listed: see [`unlisted`].
const BARRIERS: &[(&str, bool, bool, bool)] = &[
    // Open or opened on demand on public roads.
    ("no", true, true, true),
    ("entrance", true, true, true),
    ("border_control", true, true, true),
    ("toll_booth", true, true, true),
    ("cattle_grid", true, true, true),
    ("lift_gate", true, true, true),
    ("height_restrictor", true, true, true),
    ("sally_port", true, true, true),
    ("arch", true, true, true),
    // Closed to motor vehicles, open to bicycles and walkers.
    ("gate", false, true, true),
    ("swing_gate", false, true, true),
    ("sliding_gate", false, true, true),
    ("bollard", false, true, true),
    ("block", false, true, true),
    ("kerb", false, true, true),
    ("cycle_barrier", false, true, true),
    ("chain", false, true, true),
    ("rope", false, true, true),
    ("bus_trap", false, true, true),
    ("sump_buster", false, true, true),
    ("planter", false, true, true),
    // Walkers only.
    ("stile", false, false, true),
    ("kissing_gate", false, false, true),
    ("turnstile", false, false, true),
    ("full-height_turnstile", false, false, true),
    ("motorcycle_barrier", false, false, true),
    ("jersey_barrier", false, false, true),
    ("log", false, false, true),
    // Nobody.
    ("fence", false, false, false),
    ("wall", false, false, false),
    ("city_wall", false, false, false),
    ("retaining_wall", false, false, false),
    ("hedge", false, false, false),
    ("debris", false, false, false),
];

/// An unlisted barrier value stops cars (as OSRM's car whitelist does) and lets bicycles and
/// walkers through.
fn unlisted(mode: Mode) -> bool {
    mode != Mode::Car
}

/// Whether `mode` may pass a node with these tags. A node without `barrier` is always passable.
pub fn passable(mode: Mode, access_keys: &[&str], tags: &Tags) -> bool {
    let Some(barrier) = tags.get("barrier") else {
        return true;
    };
    if let Some((access, _)) = resolve(|k| tags.get(k).map(str::to_owned), access_keys) {
        return access != Access::Forbidden;
    }
    match BARRIERS.iter().find(|b| b.0 == barrier) {
        Some(&(_, car, bicycle, foot)) => match mode {
            Mode::Car => car,
            Mode::Bicycle => bicycle,
            Mode::Foot => foot,
        },
        None => unlisted(mode),
    }
}
