//! Ferries (`route=ferry`) with and without a `duration`, and the car's shuttle trains.

use crate::map::Map;
use locus_routing::EdgeFlags;
use locus_routing::Mode::{self, Bicycle as B, Car as C, Foot as F};

/// A 200 m road `ab`, a 500 m crossing `bc` tagged `ferry`, a 200 m road `cd`.
fn crossing(ferry: &str) -> Map {
    Map::new("a-b~~~~c-d").way("ab", "highway=residential").way("bc", ferry).way("cd", "highway=residential")
}

/// The seconds the crossing `b` to `c` takes for `mode`.
fn crossing_s(m: &Map, mode: Mode) -> f64 {
    let (g, route) = m.full_route(mode, 'b', 'c').unwrap();
    assert!(route.edges.iter().all(|&e| g.edge(e).flags.contains(EdgeFlags::FERRY)));
    route.duration_s()
}

#[test]
fn ferries_carry_every_mode() {
    let m = crossing("route=ferry");
    m.check(&[(C, 'a', 'd', Some("abcd")), (F, 'd', 'a', Some("dcba")), (B, 'a', 'd', Some("abcd"))]);
    // car/ferry.feature "Ferry with no duration, use default speed": 5 km/h.
    for mode in [C, F, B] {
        assert!((crossing_s(&m, mode) - 500.0 / (5.0 / 3.6)).abs() < 1.0, "{mode}");
    }
}

#[test]
fn a_duration_sets_the_crossing_time() {
    // car/ferry.feature "simple durations" and "ISO 8601 durations"; bicycle/ferry.feature
    for (duration, seconds) in
        [("PT1H", 3600.0), ("00:01:00", 60.0), ("PT1M", 60.0), ("0:10", 600.0), ("1:00", 3600.0), ("25", 1500.0)]
    {
        let m = crossing(&format!("route=ferry duration={duration}"));
        for mode in [C, F, B] {
            assert!((crossing_s(&m, mode) - seconds).abs() < 1.0, "{duration} {mode}: {}", crossing_s(&m, mode));
        }
    }
    // The whole route: the crossing plus two 200 m streets at 25 km/h.
    let m = crossing("route=ferry duration=PT1H");
    let (_, route) = m.full_route(C, 'a', 'd').unwrap();
    assert!((route.duration_s() - (3600.0 + 400.0 / (25.0 / 3.6))).abs() < 1.0, "{}", route.duration_s());
}

#[test]
fn a_duration_spreads_over_a_ferry_of_several_nodes() {
    // bicycle/ferry.feature "Ferry duration, multiple nodes"
    let m = Map::new("x         y\n  a b c d")
        .way("xa", "highway=primary")
        .way("yd", "highway=primary")
        .way("abcd", "route=ferry duration=1:00");
    for mode in [C, F, B] {
        let (_, route) = m.full_route(mode, 'a', 'd').unwrap();
        assert!((route.duration_s() - 3600.0).abs() < 1.0, "{mode}: {}", route.duration_s());
    }
}

#[test]
fn a_bad_duration_is_counted_and_the_ferry_speed_used() {
    for bad in ["PT-5M", "whenever", "99999999999", "00:00"] {
        let m = crossing(&format!("route=ferry duration={bad}"));
        assert!((crossing_s(&m, C) - 360.0).abs() < 1.0, "{bad}");
        assert_eq!(m.graph(C).report().bad_duration, 1, "{bad}");
    }
}

#[test]
fn ferry_access_and_direction() {
    // A passenger ferry: walkers and cyclists only.
    let m = crossing("route=ferry motor_vehicle=no");
    m.check(&[(C, 'a', 'd', None), (F, 'a', 'd', Some("abcd")), (B, 'a', 'd', Some("abcd"))]);
    let m = crossing("route=ferry foot=no");
    m.check(&[(F, 'a', 'd', None), (C, 'a', 'd', Some("abcd"))]);
    // A oneway ferry binds vehicles; walkers obey only oneway:foot.
    let m = crossing("route=ferry oneway=yes");
    m.check(&[(C, 'a', 'd', Some("abcd")), (C, 'd', 'a', None), (B, 'd', 'a', None), (F, 'd', 'a', Some("dcba"))]);
}

#[test]
fn shuttle_trains_carry_cars() {
    let m = crossing("route=shuttle_train");
    m.check(&[(C, 'a', 'd', Some("abcd")), (F, 'a', 'd', None)]);
    assert!((crossing_s(&m, C) - 500.0 / (10.0 / 3.6)).abs() < 1.0);
}
