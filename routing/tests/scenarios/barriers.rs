//! Node barriers and access tags on nodes: a route may start or end at a blocked node, never
//! pass it.

use crate::detour;
use locus_routing::Mode::{Bicycle as B, Car as C, Foot as F};

/// `a` to `c` for car, foot and bicycle with `tags` on node `b` of the street `abc`.
fn through(tags: &str) -> [String; 3] {
    let m = detour("highway=residential", "highway=residential").node('b', tags);
    [C, F, B].map(|mode| m.route(mode, 'a', 'c').unwrap_or_default())
}

#[test]
fn barriers_per_mode() {
    // (node tags, [car, foot, bicycle]); {car,foot,bicycle}/barrier.feature
    let cases: &[(&str, [&str; 3])] = &[
        ("barrier=gate", ["abc", "abc", "abc"]),
        ("barrier=lift_gate", ["abc", "abc", "abc"]),
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
        ("barrier=gate foot=no", ["abc", "adec", "abc"]),
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
