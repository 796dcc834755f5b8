//! Bearings at the joints of a route, the turn angle between them and its [`Modifier`].
//!
//! The turn angle is `bearing_after - bearing_before` folded into (-180, 180]: positive turns
//! right, negative left. The thresholds are OSRM's (`getTurnDirection`, written there as
//! 180 ± angle) with a wider U-turn, since a geometry never reverses by exactly 180°:
//!
//! | |angle|      | modifier          |
//! |--------------|-------------------|
//! | ≤ 20°        | straight          |
//! | (20°, 40°]   | slight left/right |
//! | (40°, 120°]  | left/right        |
//! | (120°, 170°) | sharp left/right  |
//! | ≥ 170°       | uturn             |

use super::Modifier;
use crate::journey::Stretch;
use locus_core::geo::{initial_bearing_deg, LatLng};

pub(super) const STRAIGHT_MAX_DEG: f64 = 20.0;
/// Also the angle above which a joint on a road of the same name still starts a new step.
pub(super) const SLIGHT_MAX_DEG: f64 = 40.0;
pub(super) const TURN_MAX_DEG: f64 = 120.0;
pub(super) const UTURN_MIN_DEG: f64 = 170.0;

/// The signed turn from one bearing to another, in (-180, 180]; positive is a right turn.
pub(super) fn turn_deg(before: f64, after: f64) -> f64 {
    let t = (after - before).rem_euclid(360.0);
    if t > 180.0 {
        t - 360.0
    } else {
        t
    }
}

pub(super) fn modifier(turn: f64) -> Modifier {
    let a = turn.abs();
    let right = turn > 0.0;
    if a <= STRAIGHT_MAX_DEG {
        Modifier::Straight
    } else if a <= SLIGHT_MAX_DEG {
        if right {
            Modifier::SlightRight
        } else {
            Modifier::SlightLeft
        }
    } else if a <= TURN_MAX_DEG {
        if right {
            Modifier::Right
        } else {
            Modifier::Left
        }
    } else if a < UTURN_MIN_DEG {
        if right {
            Modifier::SharpRight
        } else {
            Modifier::SharpLeft
        }
    } else {
        Modifier::UTurn
    }
}

/// The bearing of the first non-degenerate segment of `points`.
fn first_bearing(points: &[LatLng]) -> Option<f64> {
    points.windows(2).find(|w| w[0] != w[1]).map(|w| initial_bearing_deg(w[0], w[1]))
}

/// The bearing of the last non-degenerate segment of `points`.
fn last_bearing(points: &[LatLng]) -> Option<f64> {
    points.windows(2).rev().find(|w| w[0] != w[1]).map(|w| initial_bearing_deg(w[0], w[1]))
}

/// The bearing leaving the start of `stretches`, looking past zero-length stretches.
pub(super) fn bearing_out(stretches: &[Stretch]) -> Option<f64> {
    stretches.iter().find_map(|s| first_bearing(&s.geometry))
}

/// The bearing arriving at the end of `stretches`, looking back past zero-length stretches.
pub(super) fn bearing_in(stretches: &[Stretch]) -> Option<f64> {
    stretches.iter().rev().find_map(|s| last_bearing(&s.geometry))
}

/// A bearing as an OSRM response gives it: whole degrees in 0..=359.
pub(super) fn whole(bearing: f64) -> u16 {
    (bearing.round().rem_euclid(360.0) as u16) % 360
}

/// The eight-point compass word for a bearing ("north", "northeast", ...).
pub(super) fn compass(bearing: u16) -> &'static str {
    const WORDS: [&str; 8] = ["north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"];
    WORDS[((u32::from(bearing % 360) * 2 + 45) / 90) as usize % 8]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_angles_fold_into_half_turns() {
        assert_eq!(turn_deg(350.0, 10.0), 20.0);
        assert_eq!(turn_deg(10.0, 350.0), -20.0);
        assert_eq!(turn_deg(0.0, 180.0), 180.0);
        assert_eq!(turn_deg(90.0, 0.0), -90.0);
    }

    #[test]
    fn modifier_thresholds() {
        let cases = [
            (0.0, Modifier::Straight),
            (20.0, Modifier::Straight),
            (-20.5, Modifier::SlightLeft),
            (40.0, Modifier::SlightRight),
            (41.0, Modifier::Right),
            (-120.0, Modifier::Left),
            (121.0, Modifier::SharpRight),
            (-169.0, Modifier::SharpLeft),
            (170.0, Modifier::UTurn),
            (-175.0, Modifier::UTurn),
        ];
        for (turn, expected) in cases {
            assert_eq!(modifier(turn), expected, "{turn}");
        }
    }

    #[test]
    fn compass_words_and_whole_degrees() {
        let cases = [(0, "north"), (22, "north"), (23, "northeast"), (45, "northeast"), (90, "east"), (200, "south")];
        for (b, word) in cases {
            assert_eq!(compass(b), word, "{b}");
        }
        assert_eq!(compass(338), "north");
        assert_eq!(compass(337), "northwest");
        assert_eq!(whole(359.6), 0);
        assert_eq!(whole(-0.4), 0);
        assert_eq!(whole(44.5), 45);
    }
}
