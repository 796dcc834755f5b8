//! The access hierarchy on ways: who may use a street, in which direction.

use crate::map::Map;
use crate::{detour, draw, long_detour};
use locus_routing::EdgeFlags;
use locus_routing::Mode::{Bicycle as B, Car as C, Foot as F};

#[test]
fn access_no_closes_the_way_to_everyone_its_keys_cover() {
    // (tag on abc, [car, foot, bicycle] route a -> c)
    let cases: &[(&str, [&str; 3])] = &[
        ("access=no", ["adec", "adec", "adec"]),
        ("access=agricultural", ["adec", "adec", "adec"]),
        ("access=forestry", ["adec", "adec", "adec"]),
        ("vehicle=no", ["adec", "abc", "adec"]),
        ("motor_vehicle=no", ["adec", "abc", "abc"]),
        ("motorcar=no", ["adec", "abc", "abc"]),
        ("foot=no", ["abc", "adec", "abc"]),
        ("bicycle=no", ["abc", "abc", "adec"]),
        ("bicycle=use_sidepath", ["abc", "abc", "adec"]),
        ("access=psv", ["adec", "adec", "adec"]),
        ("psv=no", ["abc", "abc", "abc"]),
    ];
    for (tag, [car, foot, bike]) in cases {
        let m = detour(&format!("highway=residential {tag}"), "highway=residential");
        m.check(&[(C, 'a', 'c', Some(car)), (F, 'a', 'c', Some(foot)), (B, 'a', 'c', Some(bike))]);
    }
}

#[test]
fn a_more_specific_key_reopens() {
    // (tags on abc, [car, foot, bicycle] route a -> c); */access.feature hierarchies.
    let cases: &[(&str, [&str; 3])] = &[
        ("access=no foot=yes", ["adec", "abc", "adec"]),
        ("access=no vehicle=yes", ["abc", "adec", "abc"]),
        ("access=no motor_vehicle=yes", ["abc", "adec", "adec"]),
        ("access=no motorcar=yes", ["abc", "adec", "adec"]),
        ("access=no bicycle=yes", ["adec", "adec", "abc"]),
        ("vehicle=no motor_vehicle=yes", ["abc", "abc", "adec"]),
        ("access=yes vehicle=no bicycle=permissive", ["adec", "abc", "abc"]),
        ("motor_vehicle=no motorcar=designated", ["abc", "abc", "abc"]),
        ("access=no motorcar=maybe", ["adec", "adec", "adec"]),
    ];
    for (tag, [car, foot, bike]) in cases {
        let m = detour(&format!("highway=residential {tag}"), "highway=residential");
        m.check(&[(C, 'a', 'c', Some(car)), (F, 'a', 'c', Some(foot)), (B, 'a', 'c', Some(bike))]);
    }
}

#[test]
fn the_modes_own_tag_opens_a_class_its_table_closes() {
    // car/access.feature "Access combinations"; foot/access.feature "Bridleways"
    let m = long_detour("highway=track motor_vehicle=yes", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("abc"))]);
    let m = long_detour("highway=track", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec"))]);
    let m = detour("highway=bridleway foot=yes", "highway=residential");
    m.check(&[(F, 'a', 'c', Some("abc")), (C, 'a', 'c', Some("adec")), (B, 'a', 'c', Some("adec"))]);
    let m = detour("highway=cycleway foot=designated", "highway=residential");
    m.check(&[(F, 'a', 'c', Some("abc"))]);
    let m = detour("highway=motorway foot=yes oneway=no", "highway=residential");
    m.check(&[(F, 'a', 'c', Some("abc"))]);
}

#[test]
fn restricted_access_lets_a_car_start_and_end_there_flagged() {
    // car/access.feature: private, destination, delivery and customers are routable for cars
    // (OSRM's "restricted"); walkers and cyclists are kept out of private and delivery ways.
    for value in ["private", "destination", "delivery", "customers"] {
        let m = Map::new("a-b-c").way("abc", &format!("highway=residential access={value}"));
        m.check(&[(C, 'a', 'c', Some("abc"))]);
        let (g, route) = m.full_route(C, 'a', 'c').unwrap();
        assert!(route.edges.iter().all(|&e| g.edge(e).flags.contains(EdgeFlags::DESTINATION)), "{value}");
        let walk = if matches!(value, "private" | "delivery") { None } else { Some("abc") };
        m.check(&[(F, 'a', 'c', walk), (B, 'a', 'c', walk)]);
    }
}

#[test]
fn a_private_driveway_is_crossed_only_as_a_last_resort() {
    // OSRM's car: a private service road is restricted like any private road (routable, the
    // turn into it costs the restricted penalty) and is no start point; it is not closed.
    let m = Map::new(&draw(
        "
        x-a-b-c
          |   |
          d---e",
    ))
    .way("xa", "highway=residential")
    .way("abc", "highway=service access=private")
    .way("adec", "highway=residential");
    m.check(&[(C, 'x', 'c', Some("xadec")), (C, 'x', 'b', Some("xab"))]);
    // A square whose only way out is a gated private driveway (Porto's Largo da Lapa and way
    // 452076978): cars get out through it, walkers and cyclists are kept out.
    let m = Map::new("a-b-c-d")
        .way("ab", "highway=residential")
        .way("bc", "highway=service service=driveway access=private")
        .way("cd", "highway=residential")
        .node('b', "barrier=gate");
    m.check(&[(C, 'a', 'd', Some("abcd")), (C, 'd', 'a', Some("dcba")), (F, 'a', 'd', None), (B, 'a', 'd', None)]);
    let (g, route) = m.full_route(C, 'a', 'd').expect("a route");
    let flags: Vec<EdgeFlags> = route.edges.iter().map(|&e| g.edge(e).flags).collect();
    let driveway = EdgeFlags::DESTINATION.union(EdgeFlags::NOT_STARTPOINT);
    assert_eq!(flags.iter().filter(|f| f.contains(driveway)).count(), 1, "{flags:?}");
}

#[test]
fn through_traffic_goes_round_a_destination_only_street() {
    // car/destination.feature "Destination only street": the turn into a restricted way costs
    // the restricted-entry penalty (OSRM's max_turn_weight). OSRM also expects e -> b along
    // bcd, as its waypoint b snaps onto bcd; here routes end at nodes, and b is reached by ab.
    let m = Map::new(&draw(
        "
        a       e
          b c d

        x       y",
    ))
    .way("ab", "highway=residential")
    .way("bcd", "highway=residential access=destination")
    .way("de", "highway=residential")
    .way("axye", "highway=residential");
    m.check(&[
        (C, 'a', 'c', Some("abc")),
        (C, 'a', 'e', Some("axye")),
        (C, 'e', 'c', Some("edc")),
        (C, 'e', 'b', Some("eyxab")),
    ]);
}

#[test]
fn directional_access() {
    // car/access.feature "directional access tags"
    let m = detour("highway=residential access=yes access:backward=no", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("abc")), (C, 'c', 'a', Some("ceda"))]);
    let m = detour("highway=residential access=no access:forward=yes", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("abc")), (C, 'c', 'a', Some("ceda")), (F, 'c', 'a', Some("ceda"))]);
    let m = detour("highway=residential motor_vehicle:forward=no", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec")), (C, 'c', 'a', Some("cba")), (B, 'a', 'c', Some("abc"))]);
    // foot/access.feature "a way with missing :forward tag"
    let m = detour("highway=cycleway foot:backward=designated", "highway=footway");
    m.check(&[(F, 'a', 'c', Some("adec")), (F, 'c', 'a', Some("cba"))]);
}

#[test]
fn motorroads_are_closed_to_walkers_and_cyclists() {
    let m = detour("highway=primary motorroad=yes", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("abc")), (F, 'a', 'c', Some("adec")), (B, 'a', 'c', Some("adec"))]);
}

#[test]
fn walkers_and_cyclists_stay_off_motorways_and_trunks() {
    let m = detour("highway=motorway oneway=no", "highway=footway");
    // Cyclists push along the footway.
    m.check(&[(C, 'a', 'c', Some("abc")), (F, 'a', 'c', Some("adec")), (B, 'a', 'c', Some("adec"))]);
    let m = detour("highway=trunk", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("abc")), (F, 'a', 'c', Some("adec")), (B, 'a', 'c', Some("adec"))]);
    // A sidewalk mapped on the trunk lets walkers use it.
    let m = detour("highway=trunk sidewalk=both", "highway=residential");
    m.check(&[(F, 'a', 'c', Some("abc")), (B, 'a', 'c', Some("adec"))]);
}
