//! Profiles: what a car, a walker and a cyclist may use, in which direction and how fast.
//!
//! Each profile is a [`Table`] (`car.rs`, `foot.rs`, `bicycle.rs`) read by one rule engine
//! ([`Profile::way`], [`Profile::barrier_passable`], [`Profile::restriction_applies`]), in the
//! spirit of OSRM's Lua profiles (`car.lua`, `foot.lua`, `bicycle.lua`, whose cucumber
//! features the tests follow) and the OSM wiki's routing tags. For a way, in order:
//!
//! 1. Closed for everyone: `impassable=yes`, `status=impassable`.
//! 2. Access ([`access`]), per direction (`access:forward` ...): the most specific understood
//!    key decides; forbidden in both directions drops the way; a car's restricted access
//!    (`destination`, `delivery`, `customers`, `private`) keeps it with the `DESTINATION` flag,
//!    on a private service road (a driveway) also with `NOT_STARTPOINT`, as OSRM's car does.
//! 3. `route=ferry` (car also `shuttle_train`): a ferry edge at the route speed, or at the speed
//!    that makes the whole way take its `duration` ([`measure`]).
//! 4. Closed by the table: `highway` values no tag opens (`construction`, `proposed`; the car's
//!    `steps`), `area=yes` for cars, `construction=*` for vehicles, `service=emergency_access`,
//!    physical limits below the car (`maxheight` < 2.5 m, `maxwidth`/`width` ≤ 1.9 m,
//!    `maxlength` < 4.8 m, `maxweight` < 3.5 t), `smoothness=impassable` for wheels ([`surface`]).
//! 5. Speed: the class speed of `highway` (or of `railway=platform`, `man_made=pier`, ...); a
//!    class outside the table only where an access tag of this mode opens it (`explicit_kmh`),
//!    or, for walkers, a trunk with a mapped `sidewalk`. `motorroad=yes` shuts out walkers and
//!    cyclists unless their own access tag opens it.
//! 6. Direction ([`oneway`]): the mode's `oneway` keys, else implied on motorways and
//!    roundabouts for vehicles; `reversible` closes the way.
//! 7. The bicycle's cycle lanes, contraflow, pushing and `dismount` ([`cycling`]).
//! 8. Surface caps ([`surface`]), then `maxspeed` ([`speed`]): a car drives 80 % of the limit
//!    (advisory first; `none` = 140 km/h; `DE:urban`-style codes from a table), a cyclist
//!    never faster than the limit, a walker ignores it. Garbage `maxspeed` is ignored and
//!    counted.
//!
//! For a node: whether the mode may pass it ([`Profile::barrier_passable`]), and the time it
//! loses doing so ([`Profile::node_delay_s`]: 60 s for a car at a gate, as OSRM's car).

pub mod access;
pub mod barrier;
mod bicycle;
mod car;
mod cycling;
mod foot;
pub mod measure;
pub mod oneway;
pub mod speed;
pub mod surface;
pub mod table;
pub mod tags;
#[cfg(test)]
mod tests;
mod way;

use crate::osm::Restriction;
use std::fmt;
pub use table::{Cycling, MaxspeedUse, Table, Vehicle};
pub use tags::Tags;

/// A travel mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Car,
    Foot,
    Bicycle,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Car, Mode::Foot, Mode::Bicycle];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Car => "car",
            Mode::Foot => "foot",
            Mode::Bicycle => "bicycle",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Road importance, most important first; the later tile levels cut by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum RoadClass {
    Motorway,
    Trunk,
    Primary,
    Secondary,
    Tertiary,
    Unclassified,
    Residential,
    Service,
    /// Tracks, paths, footways, cycleways, steps, pedestrian streets, piers, ...
    Minor,
    Ferry,
}

impl RoadClass {
    /// The class of a `highway` value (`_link`s take their road's class).
    pub fn of_highway(highway: &str) -> RoadClass {
        match highway.strip_suffix("_link").unwrap_or(highway) {
            "motorway" => RoadClass::Motorway,
            "trunk" => RoadClass::Trunk,
            "primary" => RoadClass::Primary,
            "secondary" => RoadClass::Secondary,
            "tertiary" => RoadClass::Tertiary,
            "unclassified" | "road" => RoadClass::Unclassified,
            "residential" | "living_street" => RoadClass::Residential,
            "service" => RoadClass::Service,
            _ => RoadClass::Minor,
        }
    }
}

/// Edge attributes kept for cost models and guidance, as bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EdgeFlags(pub u8);

impl EdgeFlags {
    pub const FERRY: EdgeFlags = EdgeFlags(1);
    /// Access is restricted for this mode (`destination`, `delivery`, `customers`; a car's
    /// `private`): a route may start or end here; a cost model should keep through traffic off.
    pub const DESTINATION: EdgeFlags = EdgeFlags(1 << 1);
    /// `toll=yes`.
    pub const TOLL: EdgeFlags = EdgeFlags(1 << 2);
    pub const ROUNDABOUT: EdgeFlags = EdgeFlags(1 << 3);
    /// A `*_link` road (slip road).
    pub const LINK: EdgeFlags = EdgeFlags(1 << 4);
    /// A cyclist pushes the bicycle here (footways, steps, against a oneway, `dismount`).
    pub const PUSH: EdgeFlags = EdgeFlags(1 << 5);
    /// Not a start point (OSRM's `is_startpoint = false`): a route may cross this edge but
    /// should not start or end on it, so snapping should pass over it. A car's private service
    /// road (a driveway; [`table::Table::private_not_startpoint`]).
    pub const NOT_STARTPOINT: EdgeFlags = EdgeFlags(1 << 6);

    pub fn contains(self, other: EdgeFlags) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn insert(&mut self, other: EdgeFlags) {
        self.0 |= other.0;
    }

    pub fn union(self, other: EdgeFlags) -> EdgeFlags {
        EdgeFlags(self.0 | other.0)
    }

    pub fn intersection(self, other: EdgeFlags) -> EdgeFlags {
        EdgeFlags(self.0 & other.0)
    }

    pub fn difference(self, other: EdgeFlags) -> EdgeFlags {
        EdgeFlags(self.0 & !other.0)
    }
}

/// A routing profile.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    pub mode: Mode,
    table: &'static Table,
}

/// How a mode may use one way.
#[derive(Debug, Clone, PartialEq)]
pub struct WayRule {
    /// Speeds in km/h along (forward) and against (backward) the node order; `None` where the
    /// mode may not travel that way.
    pub forward_kmh: Option<f64>,
    pub backward_kmh: Option<f64>,
    pub class: RoadClass,
    /// Flags of both directions.
    pub flags: EdgeFlags,
    /// Flags of one direction only (a cyclist pushing against a oneway, `access:forward=
    /// destination`): an edge along the node order has `flags | forward_flags`, an edge
    /// against it `flags | backward_flags` ([`WayRule::flags_toward`]).
    pub forward_flags: EdgeFlags,
    pub backward_flags: EdgeFlags,
    /// The ferry crossing's whole duration in seconds, when tagged.
    pub duration_s: Option<f64>,
    /// The way had a `maxspeed` (or `duration`) value that did not parse and was ignored.
    pub bad_maxspeed: bool,
    pub bad_duration: bool,
}

impl Profile {
    pub fn new(mode: Mode) -> Profile {
        let table = match mode {
            Mode::Car => &car::TABLE,
            Mode::Foot => &foot::TABLE,
            Mode::Bicycle => &bicycle::TABLE,
        };
        Profile { mode, table }
    }

    pub fn car() -> Profile {
        Profile::new(Mode::Car)
    }

    pub fn foot() -> Profile {
        Profile::new(Mode::Foot)
    }

    pub fn bicycle() -> Profile {
        Profile::new(Mode::Bicycle)
    }

    pub fn table(&self) -> &'static Table {
        self.table
    }

    /// Whether this mode may pass a node with these tags ([`barrier`]).
    pub fn barrier_passable(&self, tags: &Tags) -> bool {
        barrier::passable(self.mode, self.table, tags)
    }

    /// The seconds this mode loses passing a node with these tags ([`barrier::delay_s`]; the
    /// car's gates), for the graph builder to add to the edges into the node as it adds the
    /// traffic-signal delay.
    pub fn node_delay_s(&self, tags: &Tags) -> f64 {
        barrier::delay_s(self.table, tags)
    }

    /// Whether a turn restriction binds this mode: the plain `restriction` binds vehicles (not
    /// walkers), `restriction:<mode>` the modes listed in the table, and `except=*` exempts.
    pub fn restriction_applies(&self, r: &Restriction) -> bool {
        let t = self.table;
        let binds = match r.mode.as_deref() {
            None => t.obeys_plain_restriction,
            Some(m) => t.restriction_modes.contains(&m),
        };
        binds && !r.except.iter().any(|e| t.restriction_modes.contains(&e.as_str()))
    }
}

impl WayRule {
    /// The flags of an edge along (`forward`) or against the node order.
    pub fn flags_toward(&self, forward: bool) -> EdgeFlags {
        self.flags.union(if forward { self.forward_flags } else { self.backward_flags })
    }
}

/// The fastest a ferry's `duration` may make it, in km/h (a fast catamaran runs 70): a shorter
/// duration over the way's length is a typing error, and an absurd speed would only weaken the
/// A* bound. The graph builder spreads a duration over the way ([`ferry_kmh`]).
pub const FERRY_MAX_KMH: f64 = 120.0;

/// The speed that makes a ferry of `length_m` take `duration_s`, `None` when that is not a
/// positive speed of at most [`FERRY_MAX_KMH`] (the caller then keeps the route speed and
/// counts a bad duration).
pub fn ferry_kmh(length_m: f64, duration_s: f64) -> Option<f64> {
    let kmh = length_m / duration_s * 3.6;
    (kmh.is_finite() && kmh > 0.0 && kmh <= FERRY_MAX_KMH).then_some(kmh)
}
