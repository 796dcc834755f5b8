//! The data one profile is: what the rule engine ([`super::Profile::way`]) reads. The three
//! instances are `car.rs`, `foot.rs` and `bicycle.rs`.

use super::surface::Surfaces;

/// A profile's table.
#[derive(Debug)]
pub struct Table {
    /// Routable `highway` values and their speed in km/h.
    pub speeds: &'static [(&'static str, f64)],
    /// Ways used without a routable `highway`: `(key, value, km/h)` (`railway=platform`,
    /// `man_made=pier`, ...).
    pub other_ways: &'static [(&'static str, &'static str, f64)],
    /// `highway` values no tag opens (`construction`, `proposed`; the car's `steps`).
    pub never: &'static [&'static str],
    /// `highway` values a walker may use where a `sidewalk` is mapped on the road (the foot
    /// profile's trunks), at the `explicit_kmh` speed.
    pub with_sidewalk: &'static [&'static str],
    /// Speed on a class outside `speeds` that an access tag of this mode in particular opens
    /// (`highway=track + motor_vehicle=yes`, `highway=footway + bicycle=yes`); `None`: such
    /// ways stay closed.
    pub explicit_kmh: Option<f64>,
    /// Access keys, most specific first ([`super::access`]).
    pub access_keys: &'static [&'static str],
    /// `highway` values on which a `private` access (forward) makes the way no start point:
    /// still routable, restricted like any private road, but a route should not start or end
    /// there ([`super::EdgeFlags::NOT_STARTPOINT`]). OSRM's car `service_access_tag_blacklist`,
    /// read by its `WayHandlers.startpoint` only: a private service road is a driveway, which
    /// snapping passes over and a route may still cross.
    pub private_not_startpoint: &'static [&'static str],
    /// `service` values that close the way (the car's `emergency_access`).
    pub closed_services: &'static [&'static str],
    /// `oneway` keys, most specific first ([`super::oneway`]).
    pub oneway_keys: &'static [&'static str],
    /// Motorways and roundabouts are one-way without a tag.
    pub implied_oneway: bool,
    /// `route=*` values carried like a ferry, with their speed when no `duration` is tagged
    /// (`ferry`, the car's `shuttle_train`).
    pub routes: &'static [(&'static str, f64)],
    /// How `maxspeed` sets the speed.
    pub maxspeed: MaxspeedUse,
    /// Speed caps for bad surfaces.
    pub surfaces: &'static Surfaces,
    /// `construction=*` (other than `no`, `minor`, `widening`) on a road closes it.
    pub construction_closes: bool,
    /// The physical limits of the vehicle (`maxheight`, `maxwidth`, ...); `None` for walkers
    /// and cyclists.
    pub vehicle: Option<Vehicle>,
    /// Pushing and cycle lanes (only the bicycle profile has them).
    pub cycling: Option<Cycling>,
    /// `restriction:<suffix>` keys this mode obeys; whether it obeys the plain `restriction`.
    pub restriction_modes: &'static [&'static str],
    pub obeys_plain_restriction: bool,
    /// `area=yes` highways (squares) are routable along their outline.
    pub routes_areas: bool,
    /// `motorroad=yes` shuts this mode out unless an access tag of its own opens the way.
    pub motorroad_forbidden: bool,
    /// Seconds lost passing a node with this `(key, value)`: the car's gates, which someone has
    /// to open (OSRM's car `barrier_penalties`). A node with a tag of this mode's access keys
    /// costs nothing: the access tag decides, not the barrier ([`super::barrier::delay_s`]).
    pub node_delays: &'static [(&'static str, &'static str, f64)],
}

/// How a profile uses `maxspeed`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxspeedUse {
    /// Speed = limit × `factor` wherever a limit is tagged, higher or lower than the class
    /// default (OSRM's car drives at 80 % of the limit); `maxspeed=none` counts as `none_kmh`.
    /// `maxspeed:advisory` comes before `maxspeed`; `source:maxspeed` and `maxspeed:type`
    /// (`DE:urban`) stand in for a missing `maxspeed`.
    Scaled {
        factor: f64,
        none_kmh: f64,
    },
    /// Speed = min(class speed, limit).
    Cap,
    Ignore,
}

/// The size of a vehicle: ways whose physical limits are below it are closed.
#[derive(Debug, Clone, Copy)]
pub struct Vehicle {
    pub height_m: f64,
    /// Ways as narrow as this or narrower are closed.
    pub width_m: f64,
    pub length_m: f64,
    pub weight_t: f64,
}

/// The bicycle's extra rules (OSRM's `cycleway_handler` and `bike_push_handler`).
#[derive(Debug, Clone, Copy)]
pub struct Cycling {
    /// Ways a cyclist may only push on: `(key, value, km/h)` (footways, steps, piers). Steps
    /// are never ridden, not even with `bicycle=yes`.
    pub push_ways: &'static [(&'static str, &'static str, f64)],
    /// Pushing speed elsewhere (against a oneway, `bicycle=dismount`, `foot=yes`).
    pub walk_kmh: f64,
    /// Speed on a cycle lane or track (`cycleway=lane|track|...`).
    pub cycleway_kmh: f64,
}
