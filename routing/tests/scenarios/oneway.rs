//! Oneway streets, implied oneways, roundabouts and the bicycle's contraflow and pushing.

use crate::map::Map;
use crate::{detour, draw, long_detour};
use locus_routing::Mode::{Bicycle as B, Car as C, Foot as F};

#[test]
fn oneway_is_driven_one_way_only() {
    let m = detour("highway=primary oneway=yes", "highway=residential");
    m.check(&[
        (C, 'a', 'c', Some("abc")),
        (C, 'c', 'a', Some("ceda")),
        // Walkers ignore oneway (foot/oneway.feature).
        (F, 'c', 'a', Some("cba")),
        // A cyclist could push back along abc (400 m at 4 km/h); riding round is faster here.
        (B, 'a', 'c', Some("abc")),
        (B, 'c', 'a', Some("ceda")),
    ]);
    for value in ["1", "true"] {
        detour(&format!("highway=primary oneway={value}"), "highway=residential").check(&[(C, 'c', 'a', Some("ceda"))]);
    }
}

#[test]
fn oneway_minus_one_runs_against_the_node_order() {
    let m = detour("highway=primary oneway=-1", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec")), (C, 'c', 'a', Some("cba")), (F, 'a', 'c', Some("abc"))]);
}

#[test]
fn oneway_no_and_garbage_are_two_way() {
    for value in ["no", "false", "0", "nonsense", "alternating"] {
        let m = detour(&format!("highway=primary oneway={value}"), "highway=residential");
        m.check(&[(C, 'c', 'a', Some("cba")), (B, 'c', 'a', Some("cba"))]);
    }
}

#[test]
fn reversible_ways_are_not_routed() {
    let m = detour("highway=primary oneway=reversible", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec")), (C, 'c', 'a', Some("ceda"))]);
}

#[test]
fn mode_specific_oneways() {
    // car/oneway.feature "Mode specific oneway": the most specific key wins.
    let m = detour("highway=primary oneway:motorcar=yes oneway:motor_vehicle=no", "highway=residential");
    m.check(&[(C, 'c', 'a', Some("ceda")), (B, 'c', 'a', Some("cba"))]);
    let m = detour("highway=primary oneway:vehicle=no oneway=yes", "highway=residential");
    m.check(&[(C, 'c', 'a', Some("cba"))]);
    // Cars ignore oneway:bicycle; cyclists obey it over oneway.
    let m = detour("highway=residential oneway=yes oneway:bicycle=no", "highway=residential");
    m.check(&[(B, 'c', 'a', Some("cba")), (C, 'c', 'a', Some("ceda"))]);
    let m = detour("highway=residential oneway:bicycle=yes foot=no", "highway=residential");
    m.check(&[(B, 'c', 'a', Some("ceda")), (C, 'c', 'a', Some("cba"))]);
    // Walkers obey only oneway:foot.
    let m = detour("highway=footway oneway:foot=yes", "highway=footway");
    m.check(&[(F, 'a', 'c', Some("abc")), (F, 'c', 'a', Some("ceda"))]);
}

#[test]
fn motorways_are_implied_oneway_but_not_their_links() {
    let m = Map::new("a-b-c").way("abc", "highway=motorway");
    m.check(&[(C, 'a', 'c', Some("abc")), (C, 'c', 'a', None), (F, 'a', 'c', None), (B, 'a', 'c', None)]);
    let m = Map::new("a-b-c").way("abc", "highway=motorway oneway=no");
    m.check(&[(C, 'c', 'a', Some("cba"))]);
    // car/oneway.feature: "motorway_link does not imply oneway".
    let m = Map::new("a-b-c").way("abc", "highway=motorway_link");
    m.check(&[(C, 'c', 'a', Some("cba"))]);
}

#[test]
fn roundabouts_are_driven_and_ridden_in_node_order_and_walked_both_ways() {
    for junction in ["roundabout", "circular"] {
        let m = Map::new("a-b\n| |\nd-c").way("abcda", &format!("highway=primary junction={junction}"));
        m.check(&[
            (C, 'a', 'd', Some("abcd")),
            (C, 'd', 'a', Some("da")),
            (F, 'a', 'd', Some("ad")),
            // No pushing against a roundabout (bicycle/pushing.feature).
            (B, 'a', 'd', Some("abcd")),
            (B, 'd', 'a', Some("da")),
        ]);
    }
    let m = Map::new("a-b\n| |\nd-c").way("abcda", "highway=primary junction=roundabout oneway=-1");
    m.check(&[(C, 'a', 'd', Some("ad")), (B, 'a', 'b', Some("adcb"))]);
}

#[test]
fn bicycle_contraflow_on_cycleway_opposite() {
    for tag in ["cycleway=opposite", "cycleway=opposite_lane", "cycleway:left=opposite_track"] {
        let m = detour(&format!("highway=residential oneway=yes foot=no {tag}"), "highway=residential");
        m.check(&[(B, 'c', 'a', Some("cba")), (C, 'c', 'a', Some("ceda"))]);
    }
}

#[test]
fn a_cycle_track_opens_a_motorway_to_cyclists_along_its_direction() {
    // bicycle/cycleway.feature
    let m = detour("highway=motorway cycleway=track", "highway=residential");
    m.check(&[(B, 'a', 'c', Some("abc")), (B, 'c', 'a', Some("ceda")), (F, 'a', 'c', Some("adec"))]);
}

#[test]
fn cyclists_push_against_a_oneway_when_riding_round_is_longer() {
    // bicycle/pushing.feature "Pushing bikes against normal oneways"
    let m = long_detour("highway=primary oneway=yes", "highway=residential");
    m.check(&[(B, 'c', 'a', Some("cba")), (C, 'c', 'a', Some("ceda"))]);
    let (_, route) = m.full_route(B, 'c', 'a').unwrap();
    let push_s = 400.0 / (4.0 / 3.6);
    assert!((route.duration_s() - push_s).abs() < 1.0, "{}", route.duration_s());
    // foot=no forbids pushing (bicycle/oneway.feature).
    let m = long_detour("highway=primary oneway=yes foot=no", "highway=residential");
    m.check(&[(B, 'c', 'a', Some("ceda"))]);
    // ... and nobody pushes against a roundabout.
    let m = long_detour("highway=primary junction=roundabout", "highway=residential");
    m.check(&[(B, 'c', 'a', Some("ceda"))]);
}

#[test]
fn walkers_take_the_short_way_against_a_long_oneway() {
    let m = Map::new(&draw(
        "
        a-b-c
        |   |
        d---e",
    ))
    .way("abc", "highway=residential oneway=-1")
    .way("adec", "highway=residential oneway=yes");
    m.check(&[
        (C, 'a', 'c', Some("adec")),
        (C, 'c', 'a', Some("cba")),
        (F, 'a', 'c', Some("abc")),
        (F, 'c', 'a', Some("cba")),
    ]);
}
