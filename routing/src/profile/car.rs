//! The car profile's table (speeds, access, barriers and limits as in OSRM's `car.lua`).

use super::surface;
use super::table::{MaxspeedUse, Table, Vehicle};

pub static TABLE: Table = Table {
    speeds: &[
        ("motorway", 90.0),
        ("motorway_link", 45.0),
        ("trunk", 85.0),
        ("trunk_link", 40.0),
        ("primary", 65.0),
        ("primary_link", 30.0),
        ("secondary", 55.0),
        ("secondary_link", 25.0),
        ("tertiary", 40.0),
        ("tertiary_link", 20.0),
        ("unclassified", 25.0),
        ("residential", 25.0),
        ("living_street", 10.0),
        ("service", 15.0),
    ],
    other_ways: &[],
    never: &["construction", "proposed", "steps"],
    with_sidewalk: &[],
    // OSRM's `default_speed`: a track or a pedestrian street that `motor_vehicle=yes` opens.
    explicit_kmh: Some(10.0),
    access_keys: &["motorcar", "motor_vehicle", "vehicle", "access"],
    private_not_startpoint: &["service"],
    closed_services: &["emergency_access"],
    oneway_keys: &["oneway:motorcar", "oneway:motor_vehicle", "oneway:vehicle", "oneway"],
    implied_oneway: true,
    routes: &[("ferry", 5.0), ("shuttle_train", 10.0)],
    maxspeed: MaxspeedUse::Scaled { factor: 0.8, none_kmh: 140.0 },
    surfaces: &surface::CAR,
    construction_closes: true,
    vehicle: Some(Vehicle { height_m: 2.5, width_m: 1.9, length_m: 4.8, weight_t: 3.5 }),
    cycling: None,
    restriction_modes: &["motorcar", "motor_vehicle", "vehicle"],
    obeys_plain_restriction: true,
    routes_areas: false,
    motorroad_forbidden: false,
    // OSRM's `barrier_penalties` (gate, lift_gate: 60 s). The other gates a car may pass here
    // (`swing_gate`, `sliding_gate`; OSRM's car stops at them) take as long to open.
    node_delays: &[
        ("barrier", "gate", 60.0),
        ("barrier", "lift_gate", 60.0),
        ("barrier", "swing_gate", 60.0),
        ("barrier", "sliding_gate", 60.0),
    ],
};
