//! Turn costs: the time a turn takes at a junction, by its angle, as OSRM's profiles model it
//! (a sigmoid of the angle, cheaper on the driving side's turns, plus a fixed U-turn penalty).
//!
//! Both searches charge a turn only where a route has a choice: at a junction (three or more
//! neighbouring nodes) or at a dead end (where the only way on is back). On a road between
//! junctions, going on costs nothing and turning back is not allowed, so a route never turns
//! round in the middle of a street. Bearings are whole degrees, computed once from the map, so
//! the flat oracle and the tiles charge the very same milliseconds.
//!
//! A [`Transition`] also carries the restricted-entry penalty ([`RESTRICTED_ENTRY_MS`]) on
//! entering a destination-only road: in the cost only, so through traffic keeps off such roads
//! while the reported durations stay true.

pub use crate::driving_side::DrivingSide;
use crate::profile::Mode;
use locus_core::geo::{initial_bearing_deg, LatLng};

/// What a move from one edge into the next adds: to the cost the search minimises, and to the
/// travel time reported. They differ by the restricted-entry penalty, which steers routes off
/// destination-only roads without pretending the drive takes longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Transition {
    pub cost_ms: u32,
    pub duration_ms: u32,
}

/// Entering a road that allows only access to destinations (`access=destination`, `private`,
/// `delivery`, `customers` for cars) from one that does not: OSRM's `restricted_penalty`.
pub const RESTRICTED_ENTRY_MS: u32 = 3_000_000;

/// How one mode pays for turns (OSRM: `turn_penalty`, `turn_bias`, `u_turn_penalty`).
#[derive(Debug, Clone, PartialEq)]
pub struct TurnModel {
    /// The cost of a sharp turn, in seconds; a straight crossing costs almost nothing.
    pub penalty_s: f64,
    /// > 1 makes right turns cheaper than left ones (right-hand traffic).
    pub bias: f64,
    /// Added to a turn back the way one came.
    pub u_turn_s: f64,
    /// [`turn_ms`] of every whole-degree angle -179..=180, computed once.
    table: Vec<u32>,
}

impl TurnModel {
    pub fn of(mode: Mode) -> TurnModel {
        let (penalty_s, bias, u_turn_s) = match mode {
            Mode::Car => (7.5, 1.075, 20.0),
            Mode::Bicycle => (6.0, 1.4, 20.0),
            Mode::Foot => (0.0, 1.0, 0.0),
        };
        let table = (-179..=180).map(|angle| sigmoid_ms(penalty_s, bias, f64::from(angle))).collect();
        TurnModel { penalty_s, bias, u_turn_s, table }
    }
}

/// OSRM's turn function: `penalty / (1 + e^-(13/bias · angle/180 - 6.5 · bias))` for right
/// turns, the bias inverted for left ones; in milliseconds.
fn sigmoid_ms(penalty_s: f64, bias: f64, angle: f64) -> u32 {
    if penalty_s <= 0.0 {
        return 0;
    }
    let s = if angle >= 0.0 {
        penalty_s / (1.0 + (-((13.0 / bias) * angle / 180.0 - 6.5 * bias)).exp())
    } else {
        penalty_s / (1.0 + (-((13.0 * bias) * -angle / 180.0 - 6.5 / bias)).exp())
    };
    (s * 1000.0).round() as u32
}

/// A bearing in whole degrees, 0..360, from `a` towards `b`.
pub fn bearing(a: LatLng, b: LatLng) -> u16 {
    (initial_bearing_deg(a, b).round().rem_euclid(360.0) as u16) % 360
}

/// The signed turn angle from travelling at `in_bearing` to leaving at `out_bearing`: 0 is
/// straight on, positive turns right, ±180 turns back.
pub fn turn_angle(in_bearing: u16, out_bearing: u16) -> i32 {
    let d = (i32::from(out_bearing) - i32::from(in_bearing)).rem_euclid(360);
    if d > 180 {
        d - 360
    } else {
        d
    }
}

/// The transition into an edge with `entering` flags from one with `leaving` flags, turning
/// `turn_ms` milliseconds.
pub fn transition(turn_ms: u32, leaving: crate::profile::EdgeFlags, entering: crate::profile::EdgeFlags) -> Transition {
    use crate::profile::EdgeFlags;
    let restricted = entering.contains(EdgeFlags::DESTINATION) && !leaving.contains(EdgeFlags::DESTINATION);
    let penalty = if restricted { RESTRICTED_ENTRY_MS } else { 0 };
    Transition { cost_ms: turn_ms.saturating_add(penalty), duration_ms: turn_ms }
}

/// A node as the move rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A barrier this mode may not pass: the only move is back.
    Barrier,
    /// Two neighbours, in the middle of a road: go on, or back only where there is no way on.
    Between,
    /// A junction (three or more neighbours) or a dead end: any move on, each charged a turn;
    /// back only where there is no way on (a dead end, or every other road is one-way in), as
    /// OSRM, which turns back only at dead ends and barriers.
    Junction,
}

/// The one rule for moving from an edge that arrived at a node of `kind` into the next edge,
/// shared by the flat oracle ([`crate::Graph::transition`]) and the tiled search: `None` when
/// the move is not allowed (turn restrictions are checked by the caller). `side` is the
/// driving side at the node ([`crate::driving_side`]). `way_on` says whether
/// the node has an exit other than back where we came from (asked only when it matters);
/// `bearings` are the arriving and leaving segments', `flags` the two edges'.
pub fn step(
    model: &TurnModel,
    (kind, side): (NodeKind, DrivingSide),
    u_turn: bool,
    way_on: impl FnOnce() -> bool,
    (in_bearing, out_bearing): (u16, u16),
    (leaving, entering): (crate::profile::EdgeFlags, crate::profile::EdgeFlags),
) -> Option<Transition> {
    if u_turn && kind != NodeKind::Barrier && way_on() {
        return None;
    }
    let charged = match kind {
        NodeKind::Barrier if !u_turn => return None,
        NodeKind::Between => u_turn,
        NodeKind::Barrier | NodeKind::Junction => true,
    };
    let turn = if charged { turn_ms(model, side, in_bearing, out_bearing, u_turn) } else { 0 };
    Some(transition(turn, leaving, entering))
}

/// The cost in milliseconds of the turn from `in_bearing` to `out_bearing`. In left-hand
/// traffic the turn is mirrored: a right turn costs what a left one costs in right-hand traffic.
pub fn turn_ms(model: &TurnModel, side: DrivingSide, in_bearing: u16, out_bearing: u16, u_turn: bool) -> u32 {
    let angle = match (turn_angle(in_bearing, out_bearing), side) {
        (a, DrivingSide::Left) if a != 180 => -a,
        (a, _) => a,
    };
    let turn = model.table.get((angle + 179) as usize).copied().unwrap_or(0);
    let u_turn_ms = if u_turn { (model.u_turn_s * 1000.0).round() as u32 } else { 0 };
    turn + u_turn_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angles_are_signed_and_wrap() {
        assert_eq!(turn_angle(0, 90), 90);
        assert_eq!(turn_angle(0, 270), -90);
        assert_eq!(turn_angle(350, 10), 20);
        assert_eq!(turn_angle(10, 350), -20);
        assert_eq!(turn_angle(90, 270), 180);
    }

    #[test]
    fn car_turns_cost_like_osrm() {
        let car = TurnModel::of(Mode::Car);
        assert!(turn_ms(&car, DrivingSide::Right, 0, 0, false) < 10, "straight on is almost free");
        let (right, left) =
            (turn_ms(&car, DrivingSide::Right, 0, 90, false), turn_ms(&car, DrivingSide::Right, 0, 270, false));
        assert!((2000..2300).contains(&right) && (5200..5600).contains(&left), "{right} {left}");
        // Left-hand traffic mirrors every turn; turning back is the same on either side.
        let (left_hand_right, left_hand_left) =
            (turn_ms(&car, DrivingSide::Left, 0, 90, false), turn_ms(&car, DrivingSide::Left, 0, 270, false));
        assert_eq!((left_hand_right, left_hand_left), (left, right));
        assert_eq!(turn_ms(&car, DrivingSide::Left, 0, 180, true), turn_ms(&car, DrivingSide::Right, 0, 180, true));
        assert!(turn_ms(&car, DrivingSide::Right, 0, 180, true) > 20_000);
        assert_eq!(turn_ms(&TurnModel::of(Mode::Foot), DrivingSide::Right, 0, 270, true), 0);
    }
}
