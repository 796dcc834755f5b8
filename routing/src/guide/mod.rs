//! Guidance: turns a [`Leg`](crate::Leg) into the steps a driver, walker or cyclist follows, as
//! OSRM names them (`depart`, `turn`, `new name`, `continue`, `merge`, `on ramp`, `off ramp`,
//! `fork`, `end of road`, `roundabout`, `exit roundabout`, `arrive`), and words each step the way
//! Google's directions do ("Head northeast on Avenue X", "Turn left onto Rue Y").
//!
//! - `angle`: bearings at joints, the turn angle and its [`Modifier`] (thresholds there), compass words.
//! - `build`: which joints between stretches start a new step, and what kind of maneuver it is.
//! - `text`: the instruction sentences, plain and with Google's `<b>` markup.
//!
//! Guidance sees only the stretches the route travelled, not the other roads at each
//! intersection, so kinds that depend on them (fork, end of road, roundabout exit numbers) are
//! inferred from the two stretches at a joint; `build` documents each inference.

mod angle;
mod build;
mod text;

#[cfg(test)]
mod tests;

pub use build::{steps, summary};
pub use text::{instruction, instruction_html};

use crate::profile::{EdgeFlags, Mode};
use locus_core::geo::LatLng;

/// What the traveller does at a maneuver point; the names are OSRM's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ManeuverKind {
    Depart,
    Turn,
    /// The road's name changes; no turn.
    NewName,
    /// Stay on the same road through a marked turn (or a U-turn).
    Continue,
    Merge,
    OnRamp,
    OffRamp,
    Fork,
    EndOfRoad,
    /// Enter a roundabout; `exit` says which exit to take.
    Roundabout,
    ExitRoundabout,
    Arrive,
}

impl ManeuverKind {
    /// The `maneuver.type` of an OSRM response.
    pub fn osrm_name(self) -> &'static str {
        match self {
            ManeuverKind::Depart => "depart",
            ManeuverKind::Turn => "turn",
            ManeuverKind::NewName => "new name",
            ManeuverKind::Continue => "continue",
            ManeuverKind::Merge => "merge",
            ManeuverKind::OnRamp => "on ramp",
            ManeuverKind::OffRamp => "off ramp",
            ManeuverKind::Fork => "fork",
            ManeuverKind::EndOfRoad => "end of road",
            ManeuverKind::Roundabout => "roundabout",
            ManeuverKind::ExitRoundabout => "exit roundabout",
            ManeuverKind::Arrive => "arrive",
        }
    }
}

/// The direction of a maneuver; the names are OSRM's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modifier {
    UTurn,
    SharpRight,
    Right,
    SlightRight,
    Straight,
    SlightLeft,
    Left,
    SharpLeft,
}

impl Modifier {
    /// The `maneuver.modifier` of an OSRM response.
    pub fn osrm_name(self) -> &'static str {
        match self {
            Modifier::UTurn => "uturn",
            Modifier::SharpRight => "sharp right",
            Modifier::Right => "right",
            Modifier::SlightRight => "slight right",
            Modifier::Straight => "straight",
            Modifier::SlightLeft => "slight left",
            Modifier::Left => "left",
            Modifier::SharpLeft => "sharp left",
        }
    }
}

/// How a step is travelled; the names are OSRM's `mode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TravelMode {
    Driving,
    Walking,
    Cycling,
    Ferry,
    PushingBike,
}

impl TravelMode {
    /// The travel mode on a stretch with `flags` for a route in `mode`.
    pub fn of(mode: Mode, flags: EdgeFlags) -> TravelMode {
        if flags.contains(EdgeFlags::FERRY) {
            return TravelMode::Ferry;
        }
        match mode {
            Mode::Car => TravelMode::Driving,
            Mode::Foot => TravelMode::Walking,
            Mode::Bicycle if flags.contains(EdgeFlags::PUSH) => TravelMode::PushingBike,
            Mode::Bicycle => TravelMode::Cycling,
        }
    }

    /// The step `mode` of an OSRM response.
    pub fn osrm_name(self) -> &'static str {
        match self {
            TravelMode::Driving => "driving",
            TravelMode::Walking => "walking",
            TravelMode::Cycling => "cycling",
            TravelMode::Ferry => "ferry",
            TravelMode::PushingBike => "pushing bike",
        }
    }
}

/// Where and how a step begins.
#[derive(Debug, Clone, PartialEq)]
pub struct Maneuver {
    pub kind: ManeuverKind,
    /// `None` for `depart` and `arrive`.
    pub modifier: Option<Modifier>,
    pub location: LatLng,
    /// Degrees clockwise from north of the travel arriving at `location` (0 for `depart`).
    pub bearing_before: u16,
    /// Degrees clockwise from north of the travel leaving `location` (0 for `arrive`).
    pub bearing_after: u16,
    /// For `roundabout` and `exit roundabout`: the exit taken (1 = first).
    pub exit: Option<u32>,
}

/// One instruction's worth of travel: from its maneuver to the next step's maneuver.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub maneuver: Maneuver,
    /// The road travelled in this step (for a roundabout, the road it is left by, as OSRM does);
    /// empty when it has no name.
    pub name: String,
    pub reference: Option<String>,
    pub distance_m: f64,
    pub duration_s: f64,
    /// From the maneuver location to the next step's (two equal points for `arrive`).
    pub geometry: Vec<LatLng>,
    pub travel_mode: TravelMode,
}
