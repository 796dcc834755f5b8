//! Routing scenarios, one small hand-drawn map per profile rule (in the style of Valhalla's
//! gurka and OSRM's cucumber tests): draw, import as OSM XML, route with Dijkstra, assert.

mod map;

use locus_routing::{EdgeFlags, Mode};
use map::Map;
use Mode::{Bicycle as B, Car as C, Foot as F};

/// A oneway-or-not street `abc` with a longer two-way detour `adec`.
fn detour(abc: &str, adec: &str) -> Map {
    Map::new(
        "a-b-c
         |   |
         d---e"
            .lines()
            .map(str::trim_start)
            .collect::<Vec<_>>()
            .join("\n")
            .as_str(),
    )
    .way("abc", abc)
    .way("adec", adec)
}

#[test]
fn oneway_is_driven_one_way_only() {
    let m = detour("highway=primary oneway=yes", "highway=residential");
    m.check(&[
        (C, 'a', 'c', Some("abc")),
        (C, 'c', 'a', Some("ceda")),
        (F, 'c', 'a', Some("cba")),
        (B, 'c', 'a', Some("ceda")),
    ]);
}

#[test]
fn oneway_minus_one_runs_against_the_node_order() {
    let m = detour("highway=primary oneway=-1", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec")), (C, 'c', 'a', Some("cba"))]);
}

#[test]
fn reversible_ways_are_not_routed() {
    let m = detour("highway=primary oneway=reversible", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec")), (C, 'c', 'a', Some("ceda"))]);
}

#[test]
fn oneway_only_way_gives_no_route_back() {
    let m = Map::new("a-b-c").way("abc", "highway=motorway");
    m.check(&[(C, 'a', 'c', Some("abc")), (C, 'c', 'a', None), (F, 'a', 'c', None)]);
}

#[test]
fn roundabout_is_driven_in_node_order() {
    let m = Map::new("a-b\n| |\nd-c").way("abcda", "highway=primary junction=roundabout");
    m.check(&[(C, 'a', 'd', Some("abcd")), (C, 'd', 'a', Some("da")), (F, 'a', 'd', Some("ad"))]);
}

#[test]
fn bicycle_contraflow_on_cycleway_opposite() {
    let m = detour("highway=residential oneway=yes cycleway=opposite", "highway=residential");
    m.check(&[(B, 'c', 'a', Some("cba")), (C, 'c', 'a', Some("ceda"))]);
    let m = detour("highway=residential oneway=yes oneway:bicycle=no", "highway=residential");
    m.check(&[(B, 'c', 'a', Some("cba")), (C, 'c', 'a', Some("ceda"))]);
}

#[test]
fn access_no_and_private_close_the_way() {
    for tag in ["access=no", "access=private", "motor_vehicle=no", "motorcar=private"] {
        let m = detour(&format!("highway=residential {tag}"), "highway=residential");
        m.check(&[
            (C, 'a', 'c', Some("adec")),
            (F, 'a', 'c', Some(if tag.starts_with("access") { "adec" } else { "abc" })),
        ]);
    }
    let m = detour("highway=residential access=no foot=yes", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec")), (F, 'a', 'c', Some("abc")), (B, 'a', 'c', Some("adec"))]);
}

#[test]
fn access_destination_is_routed_and_flagged() {
    let m = detour("highway=residential access=destination", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("abc"))]);
    let (g, route) = m.full_route(C, 'a', 'c').unwrap();
    assert!(route.edges.iter().all(|&e| g.edge(e).flags.contains(EdgeFlags::DESTINATION)));
}

#[test]
fn foot_is_refused_on_motorways() {
    let m = detour("highway=motorway oneway=no", "highway=footway");
    // Cyclists push along the footway.
    m.check(&[(C, 'a', 'c', Some("abc")), (F, 'a', 'c', Some("adec")), (B, 'a', 'c', Some("adec"))]);
}

/// `a` to `d` turning left at `b`, or on by `c` and back along the diagonal; with `e`, a dead
/// end south of `b`.
fn crossing(with_e: bool) -> Map {
    let drawing = if with_e { "    d\n    | \\\na---b---c\n    |\n    e" } else { "    d\n    | \\\na---b---c" };
    let m = Map::new(drawing)
        .way("ab", "highway=residential")
        .way("bc", "highway=residential")
        .way("bd", "highway=residential")
        .way("cd", "highway=residential");
    if with_e {
        m.way("be", "highway=residential")
    } else {
        m
    }
}

#[test]
fn no_left_turn_via_node() {
    crossing(false).check(&[(C, 'a', 'd', Some("abd"))]);
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction=no_left_turn");
    m.check(&[
        (C, 'a', 'd', Some("abcd")),
        (C, 'd', 'a', Some("dba")),
        (C, 'c', 'd', Some("cd")),
        (B, 'a', 'd', Some("abcd")),
        (F, 'a', 'd', Some("abd")),
    ]);
}

#[test]
fn u_turn_at_a_dead_end_gets_round_a_restriction() {
    // Regression pin for the stage-one turn model: u-turns are allowed, so the dead end at e
    // (400 m there and back) beats the diagonal detour.
    let m = crossing(true).restriction("ab", 'b', "bd", "restriction=no_left_turn");
    m.check(&[(C, 'a', 'd', Some("abebd"))]);
}

#[test]
fn only_straight_on_via_node() {
    let m = crossing(true).restriction("ab", 'b', "bc", "restriction=only_straight_on");
    // Straight on to c, then back: u-turns are allowed in this stage.
    m.check(&[
        (C, 'a', 'd', Some("abcd")),
        (C, 'a', 'e', Some("abcbe")),
        (C, 'a', 'c', Some("abc")),
        (C, 'd', 'e', Some("dbe")),
    ]);
}

#[test]
fn restrictions_bind_only_their_modes() {
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction:hgv=no_left_turn");
    m.check(&[(C, 'a', 'd', Some("abd"))]);
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction=no_left_turn except=motorcar");
    m.check(&[(C, 'a', 'd', Some("abd")), (B, 'a', 'd', Some("abcd"))]);
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction:bicycle=no_left_turn");
    m.check(&[(C, 'a', 'd', Some("abd")), (B, 'a', 'd', Some("abcd"))]);
}

#[test]
fn no_u_turn_forbids_only_the_u_turn() {
    let m = Map::new("a-b-c").way("abc", "highway=residential").restriction("abc", 'c', "abc", "restriction=no_u_turn");
    m.check(&[(C, 'a', 'c', Some("abc")), (C, 'c', 'a', Some("cba"))]);
    let g = m.graph(C);
    assert_eq!(g.report().restrictions.used, 1);
    // Regression pin: "only straight on" back onto the way it came by, at the way's end, names
    // no usable turn; it is counted unresolved instead of closing every turn there.
    let m = Map::new("a-b-c-d").way("abc", "highway=residential").way("cd", "highway=residential").restriction(
        "abc",
        'c',
        "abc",
        "restriction=only_straight_on",
    );
    m.check(&[(C, 'a', 'd', Some("abcd"))]);
    assert_eq!(m.graph(C).report().restrictions.unresolved, 1);
}

#[test]
fn gate_blocks_cars_not_walkers() {
    let m = detour("highway=residential", "highway=residential").node('b', "barrier=gate");
    m.check(&[
        (C, 'a', 'c', Some("adec")),
        (F, 'a', 'c', Some("abc")),
        (B, 'a', 'c', Some("abc")),
        (C, 'a', 'b', Some("ab")),
    ]);
    let m = detour("highway=residential", "highway=residential").node('b', "barrier=gate access=yes");
    m.check(&[(C, 'a', 'c', Some("abc"))]);
}

#[test]
fn bollard_blocks_cars_not_bicycles() {
    let m = detour("highway=residential", "highway=residential").node('b', "barrier=bollard");
    m.check(&[(C, 'a', 'c', Some("adec")), (B, 'a', 'c', Some("abc")), (F, 'a', 'c', Some("abc"))]);
    let m = detour("highway=residential", "highway=residential").node('b', "barrier=stile");
    m.check(&[(C, 'a', 'c', Some("adec")), (B, 'a', 'c', Some("adec")), (F, 'a', 'c', Some("abc"))]);
}

#[test]
fn ferry_with_duration() {
    let m = Map::new("a-b~~~~c-d")
        .way("ab", "highway=residential")
        .way("bc", "route=ferry duration=PT1H")
        .way("cd", "highway=residential");
    m.check(&[(C, 'a', 'd', Some("abcd")), (F, 'd', 'a', Some("dcba"))]);
    let (g, route) = m.full_route(C, 'a', 'd').unwrap();
    let road_s = 2.0 * 200.0 / (25.0 / 3.6);
    assert!((route.duration_s() - (3600.0 + road_s)).abs() < 1.0, "{}", route.duration_s());
    assert!(route.edges.iter().any(|&e| g.edge(e).flags.contains(EdgeFlags::FERRY)));
    // Without a duration: the ferry speed (5 km/h) over the 500 m crossing.
    let m = Map::new("a-b~~~~c-d")
        .way("ab", "highway=residential")
        .way("bc", "route=ferry")
        .way("cd", "highway=residential");
    let (_, route) = m.full_route(C, 'a', 'd').unwrap();
    assert!((route.duration_s() - (500.0 / (5.0 / 3.6) + road_s)).abs() < 1.0, "{}", route.duration_s());
}

#[test]
fn steps_are_for_walkers() {
    let m = detour("highway=steps", "highway=path");
    m.check(&[(F, 'a', 'c', Some("abc")), (B, 'a', 'c', Some("adec")), (C, 'a', 'c', None)]);
}

#[test]
fn pedestrian_area_is_walked_along_its_outline() {
    let m =
        Map::new("a-b\n| |\nd-c\n  |\n  e").way("abcda", "highway=pedestrian area=yes").way("ce", "highway=footway");
    let walk = m.route(F, 'a', 'e').unwrap();
    assert!(walk == "abce" || walk == "adce", "{walk}");
    m.check(&[(C, 'a', 'c', None), (B, 'a', 'c', None)]);
}

#[test]
fn same_node_route_is_empty() {
    let m = Map::new("a-b").way("ab", "highway=residential");
    let (_, route) = m.full_route(C, 'a', 'a').unwrap();
    assert!(route.edges.is_empty());
    assert_eq!(route.cost, 0);
}

#[test]
fn ways_with_missing_nodes_keep_their_other_segments() {
    // Way abc refers to node 99, which the file does not have.
    let xml = Map::new("a-b-c").way("abc", "highway=residential").xml().replace(
        r#"<nd ref="3"/>"#,
        r#"<nd ref="3"/>
    <nd ref="99"/>"#,
    );
    let data = locus_routing::read_xml(xml.as_bytes()).unwrap();
    assert_eq!(data.report.missing_node_refs, 1);
    assert_eq!(data.report.ways_with_missing_nodes, 1);
    let g = locus_routing::Graph::build(&data, locus_routing::Profile::car());
    assert_eq!(g.report().segments_missing_nodes, 1);
    assert_eq!(g.node_count(), 3);
}

#[test]
fn new_weights_reroute_without_a_rebuild() {
    let m = detour("highway=primary", "highway=primary");
    let (g, route) = m.full_route(C, 'a', 'c').unwrap();
    assert_eq!(route.nodes.len(), 3, "abc first");
    // A jam on b: every edge of way abc crawls at 5 km/h.
    let jammed = locus_routing::Weights::from_speeds(&g, |_, e| {
        if g.ways()[e.way as usize].name.as_deref() == Some("Way_abc") {
            5.0
        } else {
            e.speed_kmh
        }
    });
    let rerouted = locus_routing::shortest_path(&g, &jammed, route.nodes[0], route.nodes[2]).unwrap();
    assert_eq!(rerouted.nodes.len(), 4, "adec once abc is jammed");
    assert!(rerouted.cost > route.cost);
    let closed = locus_routing::Weights::from_speeds(&g, |_, _| 0.0);
    assert!(locus_routing::shortest_path(&g, &closed, route.nodes[0], route.nodes[2]).is_none());
}
