//! Node barriers and access tags on nodes: a route may start or end at a blocked node, never
//! pass it.

use crate::{detour, long_detour};
use locus_routing::Mode::{Bicycle as B, Car as C, Foot as F};

/// `a` to `c` for car, foot and bicycle with `tags` on node `b` of the street `abc`.
fn through(tags: &str) -> [String; 3] {
    let m = detour("highway=residential", "highway=residential").node('b', tags);
    [C, F, B].map(|mode| m.route(mode, 'a', 'c').unwrap_or_default())
}

#[test]
fn barriers_per_mode() {
    // (node tags, [car, foot, bicycle]); {car,foot,bicycle}/barrier.feature. A car may pass a
    // gate but loses 60 s opening it, more than the 400 m detour costs: it drives round
    // (`a_car_opens_a_gate_when_the_way_round_is_longer` shows it passes).
    let cases: &[(&str, [&str; 3])] = &[
        ("barrier=gate", ["adec", "abc", "abc"]),
        ("barrier=lift_gate", ["adec", "abc", "abc"]),
        ("barrier=cattle_grid", ["abc", "abc", "abc"]),
        ("barrier=toll_booth", ["abc", "abc", "abc"]),
        ("barrier=border_control", ["abc", "abc", "abc"]),
        ("barrier=entrance", ["abc", "abc", "abc"]),
        ("barrier=bollard", ["adec", "abc", "abc"]),
        ("barrier=bollard bollard=rising", ["abc", "abc", "abc"]),
        ("barrier=block", ["adec", "abc", "abc"]),
        ("barrier=cycle_barrier", ["adec", "abc", "abc"]),
        ("barrier=kissing_gate", ["adec", "abc", "abc"]),
        ("barrier=stile", ["adec", "abc", "abc"]),
        ("barrier=kerb", ["adec", "abc", "abc"]),
        ("barrier=kerb kerb=lowered", ["abc", "abc", "abc"]),
        ("barrier=some_tag", ["adec", "abc", "abc"]),
        ("barrier=wall", ["adec", "adec", "adec"]),
        ("barrier=fence", ["adec", "adec", "adec"]),
        ("barrier=height_restrictor maxheight=2.1", ["adec", "abc", "abc"]),
        ("barrier=gate locked=yes", ["adec", "adec", "adec"]),
    ];
    for (tags, want) in cases {
        assert_eq!(through(tags), want.map(str::to_owned), "[{tags}] car/foot/bicycle");
    }
}

#[test]
fn access_tags_trump_barriers() {
    let cases: &[(&str, [&str; 3])] = &[
        ("barrier=gate access=yes", ["abc", "abc", "abc"]),
        ("barrier=gate access=no", ["adec", "adec", "adec"]),
        // A private gate lets a car reach the private way behind it (the way's access decides).
        ("barrier=gate access=private", ["abc", "adec", "adec"]),
        ("barrier=gate access=agricultural", ["adec", "adec", "adec"]),
        // No key of the car's: the car still opens the gate (60 s) and drives round.
        ("barrier=gate foot=no", ["adec", "adec", "abc"]),
        ("barrier=bollard motor_vehicle=yes", ["abc", "abc", "abc"]),
        ("barrier=bollard access=no bicycle=yes", ["adec", "adec", "abc"]),
        ("barrier=wall access=permissive", ["abc", "abc", "abc"]),
        ("barrier=lift_gate motor_vehicle=no", ["adec", "abc", "abc"]),
    ];
    for (tags, want) in cases {
        assert_eq!(through(tags), want.map(str::to_owned), "[{tags}] car/foot/bicycle");
    }
}

#[test]
fn a_car_opens_a_gate_when_the_way_round_is_longer() {
    // OSRM's car `barrier_penalties`: 60 s at a gate or lift gate without an access tag.
    let open = long_detour("highway=residential", "highway=residential");
    let plain = open.full_route(C, 'a', 'c').expect("a route").1.duration_s();
    for tags in ["barrier=gate", "barrier=lift_gate"] {
        let gated = long_detour("highway=residential", "highway=residential").node('b', tags);
        let (_, route) = gated.full_route(C, 'a', 'c').expect("a route through the gate");
        assert_eq!(gated.route(C, 'a', 'c').as_deref(), Some("abc"), "[{tags}]");
        assert!((route.duration_s() - plain - 60.0).abs() < 0.5, "[{tags}] {} vs {plain}", route.duration_s());
        // Walkers and cyclists open nothing.
        let walked = gated.full_route(F, 'a', 'c').expect("a walk").1.duration_s();
        assert!((walked - open.full_route(F, 'a', 'c').expect("a walk").1.duration_s()).abs() < 0.5);
    }
    // An access tag on the gate decides instead: an open gate costs nothing.
    let open_gate = long_detour("highway=residential", "highway=residential").node('b', "barrier=gate access=yes");
    let through = open_gate.full_route(C, 'a', 'c').expect("a route").1.duration_s();
    assert!((through - plain).abs() < 0.5, "{through} vs {plain}");
}

#[test]
fn access_on_a_node_without_a_barrier() {
    // car/access.feature and bicycle/access_node.feature "Access tag hierarchy on nodes"
    let cases: &[(&str, [&str; 3])] = &[
        ("access=no", ["adec", "adec", "adec"]),
        ("access=no motorcar=yes", ["abc", "adec", "adec"]),
        ("access=yes vehicle=no", ["adec", "abc", "adec"]),
        ("vehicle=no motor_vehicle=yes", ["abc", "abc", "adec"]),
        ("bicycle=no", ["abc", "abc", "adec"]),
        // A cyclist ignores access on a crossing node: it speaks of crossing, not riding along.
        ("bicycle=no highway=crossing", ["abc", "abc", "abc"]),
        ("access=some_tag", ["abc", "abc", "abc"]),
    ];
    for (tags, want) in cases {
        assert_eq!(through(tags), want.map(str::to_owned), "[{tags}] car/foot/bicycle");
    }
}

#[test]
fn a_blocked_node_may_start_or_end_a_route() {
    let m = detour("highway=residential", "highway=residential").node('b', "barrier=bollard");
    m.check(&[(C, 'a', 'b', Some("ab")), (C, 'b', 'c', Some("bc")), (C, 'a', 'c', Some("adec"))]);
    assert_eq!(m.graph(C).report().barriers_blocking, 1);
    assert_eq!(m.graph(F).report().barriers_blocking, 0);
}
