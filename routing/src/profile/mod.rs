//! Profiles: what a car, a walker and a cyclist may use, in which direction and how fast.
//!
//! Each profile is a table (`car.rs`, `foot.rs`, `bicycle.rs`) read by one rule engine
//! ([`Profile::way`], [`Profile::barrier_passable`], [`Profile::restriction_applies`]), in the
//! spirit of OSRM's Lua profiles and the OSM wiki's routing tags. The engine, in order:
//!
//! 1. `route=ferry`: a ferry edge, at the ferry speed or, when `duration` parses, at the speed
//!    that makes the whole way take that long (the graph spreads it over the way's segments).
//! 2. `highway=*` (or `man_made=pier`): the class must be in the profile's speed table, or be
//!    allowed by an explicit access tag. `area=yes` is routable only for walkers (along the
//!    outline). `motorroad=yes` shuts out walkers and cyclists.
//! 3. Access ([`access`]): the most specific understood key decides; forbidden drops the way,
//!    destination keeps it with the `DESTINATION` flag.
//! 4. Speed: the class default; a car drives `maxspeed` × 0.8 (OSRM's speed reduction) where
//!    it is tagged, a cyclist never faster than `maxspeed`, a walker ignores it. Garbage
//!    `maxspeed` is ignored and reported.
//! 5. Direction ([`oneway`]).

pub mod access;
pub mod barrier;
mod bicycle;
mod car;
mod foot;
pub mod oneway;
pub mod speed;
pub mod tags;
#[cfg(test)]
mod tests;

use crate::osm::Restriction;
use access::{resolve, Access};
use oneway::Oneway;
use speed::{parse_duration, parse_maxspeed, MaxSpeed};
use std::fmt;
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
    /// Access is `destination` (or `delivery` / `customers`) for this mode.
    pub const DESTINATION: EdgeFlags = EdgeFlags(1 << 1);
    /// `toll=yes`.
    pub const TOLL: EdgeFlags = EdgeFlags(1 << 2);
    pub const ROUNDABOUT: EdgeFlags = EdgeFlags(1 << 3);
    /// A `*_link` road (slip road).
    pub const LINK: EdgeFlags = EdgeFlags(1 << 4);
    /// A cyclist pushes the bicycle here (footways, steps).
    pub const PUSH: EdgeFlags = EdgeFlags(1 << 5);

    pub fn contains(self, other: EdgeFlags) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn insert(&mut self, other: EdgeFlags) {
        self.0 |= other.0;
    }
}

/// A profile's table: the data the rule engine reads.
#[derive(Debug)]
pub struct Table {
    /// Routable `highway` classes and their default speed in km/h.
    pub speeds: &'static [(&'static str, f64)],
    /// Classes on which a cyclist pushes (only the bicycle profile has any).
    pub push: &'static [(&'static str, f64)],
    /// Speed for a class outside `speeds` that an access tag explicitly opens to this mode
    /// (`highway=footway + bicycle=yes`); `None`: such ways stay closed.
    pub explicit_kmh: Option<f64>,
    /// Access keys, most specific first.
    pub access_keys: &'static [&'static str],
    /// Speed on a ferry without a usable `duration`.
    pub ferry_kmh: f64,
    /// How `maxspeed` sets the speed.
    pub maxspeed: MaxspeedUse,
    /// `restriction:<suffix>` keys this mode obeys; whether it obeys the plain `restriction`.
    pub restriction_modes: &'static [&'static str],
    pub obeys_plain_restriction: bool,
    /// `area=yes` highways (pedestrian squares) are routable along their outline.
    pub routes_areas: bool,
    /// `motorroad=yes` shuts this mode out.
    pub motorroad_forbidden: bool,
}

/// How a profile uses `maxspeed`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxspeedUse {
    /// Speed = maxspeed × factor (OSRM's car drives at 80 % of the limit).
    Scaled(f64),
    /// Speed = min(class default, maxspeed).
    Cap,
    Ignore,
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
    pub flags: EdgeFlags,
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

    fn access(&self, tags: &Tags) -> Option<(Access, &'static str)> {
        resolve(|k| tags.get(k).map(str::to_owned), self.table.access_keys)
    }

    /// How this mode may use a way with these tags; `None` when it may not use it at all.
    pub fn way(&self, tags: &Tags) -> Option<WayRule> {
        let t = self.table;
        let access = self.access(tags);
        if matches!(access, Some((Access::Forbidden, _))) {
            return None;
        }
        let mut flags = EdgeFlags::default();
        if matches!(access, Some((Access::Destination, _))) {
            flags.insert(EdgeFlags::DESTINATION);
        }
        if tags.is("toll", "yes") {
            flags.insert(EdgeFlags::TOLL);
        }
        if tags.is("route", "ferry") {
            return self.ferry(tags, flags);
        }
        let highway = tags.get("highway").or_else(|| tags.is("man_made", "pier").then_some("pier"))?;
        if tags.is("area", "yes") && !t.routes_areas {
            return None;
        }
        // An access tag for this mode in particular (not the general `access`) opens classes
        // the table leaves closed; `bicycle=dismount` only lets the cyclist push.
        let explicit = matches!(access, Some((Access::Allowed | Access::Destination, key))
            if key != "access" && tags.get(key) != Some("dismount"));
        if t.motorroad_forbidden && tags.is("motorroad", "yes") && !explicit {
            return None;
        }
        let default_kmh = if let Some(&(_, kmh)) = t.push.iter().find(|(h, _)| *h == highway) {
            if explicit && highway != "steps" {
                t.explicit_kmh?
            } else if explicit || highway != "steps" || tags.is("ramp:bicycle", "yes") {
                flags.insert(EdgeFlags::PUSH);
                kmh
            } else {
                return None;
            }
        } else if let Some(&(_, kmh)) = t.speeds.iter().find(|(h, _)| *h == highway) {
            kmh
        } else if explicit {
            t.explicit_kmh?
        } else {
            return None;
        };
        if highway.ends_with("_link") {
            flags.insert(EdgeFlags::LINK);
        }
        if matches!(tags.get("junction"), Some("roundabout" | "circular")) {
            flags.insert(EdgeFlags::ROUNDABOUT);
        }
        let mut bad_maxspeed = false;
        let mut speed_for = |key: &str| -> f64 {
            let limit = match tags.get(key).or_else(|| tags.get("maxspeed")).map(parse_maxspeed) {
                Some(Some(MaxSpeed::Kmh(v))) => Some(v),
                Some(None) => {
                    bad_maxspeed = true;
                    None
                }
                _ => None,
            };
            match (t.maxspeed, limit) {
                (MaxspeedUse::Scaled(f), Some(v)) => v * f,
                (MaxspeedUse::Cap, Some(v)) => default_kmh.min(v),
                _ => default_kmh,
            }
        };
        let (fwd, bwd) = (speed_for("maxspeed:forward"), speed_for("maxspeed:backward"));
        let (forward_kmh, backward_kmh) = match oneway::directions(self.mode, tags) {
            Oneway::Both => (Some(fwd), Some(bwd)),
            Oneway::Forward => (Some(fwd), None),
            Oneway::Backward => (None, Some(bwd)),
            Oneway::Closed => return None,
        };
        Some(WayRule {
            forward_kmh,
            backward_kmh,
            class: RoadClass::of_highway(highway),
            flags,
            duration_s: None,
            bad_maxspeed,
            bad_duration: false,
        })
    }

    fn ferry(&self, tags: &Tags, mut flags: EdgeFlags) -> Option<WayRule> {
        flags.insert(EdgeFlags::FERRY);
        let (duration_s, bad_duration) = match tags.get("duration").map(parse_duration) {
            Some(Some(s)) => (Some(s), false),
            Some(None) => (None, true),
            None => (None, false),
        };
        let kmh = Some(self.table.ferry_kmh);
        let (forward_kmh, backward_kmh) = match tags.get("oneway").and_then(oneway::oneway_value) {
            Some(Oneway::Forward) => (kmh, None),
            Some(Oneway::Backward) => (None, kmh),
            Some(Oneway::Closed) => return None,
            _ => (kmh, kmh),
        };
        Some(WayRule {
            forward_kmh,
            backward_kmh,
            class: RoadClass::Ferry,
            flags,
            duration_s,
            bad_maxspeed: false,
            bad_duration,
        })
    }

    /// Whether this mode may pass a node with these tags ([`barrier`]).
    pub fn barrier_passable(&self, tags: &Tags) -> bool {
        barrier::passable(self.mode, self.table.access_keys, tags)
    }

    /// Whether a turn restriction binds this mode: the plain `restriction` binds vehicles,
    /// `restriction:<mode>` the modes listed in the table, and `except=*` exempts.
    pub fn restriction_applies(&self, r: &Restriction) -> bool {
        let t = self.table;
        let binds = match r.mode.as_deref() {
            None => t.obeys_plain_restriction,
            Some(m) => t.restriction_modes.contains(&m),
        };
        binds && !r.except.iter().any(|e| t.restriction_modes.contains(&e.as_str()))
    }
}
