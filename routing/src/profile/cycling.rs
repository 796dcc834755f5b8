//! The bicycle's extra rules, after the class speed and `oneway` have been applied (OSRM's
//! `cycleway_handler`, `bike_push_handler` and `bicycle=dismount`):
//!
//! 1. Steps are never ridden.
//! 2. Cycle lanes and tracks (`cycleway`, `cycleway:both|left|right` = `lane`, `track`,
//!    `shared_lane`, ...) open the directions they serve at cycleway speed, even on roads the
//!    class keeps closed (a motorway with `cycleway=track`); `opposite*` values open both
//!    directions of a oneway street (contraflow).
//! 3. Where a direction is still closed and `foot` does not forbid walking, the cyclist pushes:
//!    on footways, pedestrian streets, platforms, piers and steps at their pushing speed; where
//!    `foot=yes` or the road itself is ridable, at walking pace, but not against the flow of an
//!    implied oneway (a roundabout or a motorway).
//! 4. `bicycle=dismount` turns every open direction into pushing at walking pace.
//!
//! A direction an access tag forbids stays closed throughout.

use super::access::{access_value, Access};
use super::oneway::{implied_oneway, Oneway};
use super::table::Cycling;
use super::tags::Tags;
use super::way::Dir;
use super::{EdgeFlags, Mode};

/// Cycle facilities along the direction of the way's lane.
const LANES: &[&str] = &["track", "lane", "share_busway", "sharrow", "shared", "shared_lane"];
/// Contraflow facilities.
const OPPOSITE: &[&str] = &["opposite", "opposite_lane", "opposite_track"];

pub(super) fn apply(
    c: &Cycling,
    tags: &Tags,
    oneway: Oneway,
    allows_pushing: bool,
    dismount: bool,
    dirs: &mut [Dir; 2],
) {
    let implied = implied_oneway(tags);
    if tags.is("highway", "steps") {
        dirs.iter_mut().for_each(|d| d.kmh = None);
    }

    let lanes = cycle_lanes(tags, oneway, implied);
    for (dir, lane) in dirs.iter_mut().zip(lanes) {
        if lane && !dir.forbidden {
            dir.kmh = Some(c.cycleway_kmh);
        }
    }

    let foot = |v: Option<&str>| v.and_then(|v| access_value(Mode::Foot, v));
    if foot(tags.get("foot")) != Some(Access::Forbidden) && dirs.iter().any(|d| d.kmh.is_none()) {
        let walk = c.walk_kmh;
        // Nobody pushes against the flow of a roundabout or a motorway.
        let with_flow =
            [oneway != Oneway::Backward, oneway != Oneway::Forward].map(|ok| (ok || !implied).then_some(walk));
        let allowed = |v: Option<&str>| foot(v) == Some(Access::Allowed);
        let push = if let Some(&(_, _, kmh)) = c.push_ways.iter().find(|(k, v, _)| tags.is(k, v)) {
            [Some(kmh), Some(kmh)]
        } else if allowed(tags.get("foot")) {
            with_flow
        } else if allowed(tags.get_sub("foot", "forward")) || allowed(tags.get_sub("foot", "backward")) {
            [allowed(tags.get_sub("foot", "forward")), allowed(tags.get_sub("foot", "backward"))]
                .map(|a| a.then_some(walk))
        } else if allows_pushing {
            with_flow
        } else {
            [None, None]
        };
        for (dir, kmh) in dirs.iter_mut().zip(push) {
            if dir.kmh.is_none() && !dir.forbidden && kmh.is_some() {
                dir.kmh = kmh;
                dir.flags.insert(EdgeFlags::PUSH);
            }
        }
    }

    if dismount {
        for dir in dirs.iter_mut().filter(|d| !d.forbidden) {
            dir.kmh = Some(c.walk_kmh);
            dir.flags.insert(EdgeFlags::PUSH);
        }
    }
}

/// Which directions (along, against the node order) a cycle lane or track serves.
fn cycle_lanes(tags: &Tags, oneway: Oneway, implied: bool) -> [bool; 2] {
    let is = |key: &str, set: &[&str]| tags.get(key).is_some_and(|v| set.contains(&v));
    let any =
        |set: &[&str]| ["cycleway", "cycleway:both", "cycleway:left", "cycleway:right"].iter().any(|k| is(k, set));
    if oneway == Oneway::Both && !implied {
        let both = is("cycleway", LANES) || is("cycleway:both", LANES);
        // On a two-way road, the right-hand lane runs along the way, the left-hand against.
        [
            both || is("cycleway:right", LANES) || is("cycleway:left", OPPOSITE),
            both || is("cycleway:left", LANES) || is("cycleway:right", OPPOSITE),
        ]
    } else if any(OPPOSITE) {
        [true, true]
    } else if any(LANES) {
        let reverse = oneway == Oneway::Backward;
        [!reverse, reverse]
    } else {
        [false, false]
    }
}
