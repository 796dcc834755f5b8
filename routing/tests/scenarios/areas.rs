//! Pedestrian areas, steps, platforms and piers.

use crate::detour;
use crate::map::Map;
use locus_routing::Mode::{Bicycle as B, Car as C, Foot as F};

#[test]
fn pedestrian_area_is_walked_along_its_outline() {
    // foot/area.feature "Route along edge of a squares"
    let m =
        Map::new("a-b\n| |\nd-c\n  |\n  e").way("abcda", "highway=pedestrian area=yes").way("ce", "highway=footway");
    let walk = m.route(F, 'a', 'e').unwrap();
    assert!(walk == "abce" || walk == "adce", "{walk}");
    m.check(&[(F, 'a', 'b', Some("ab")), (F, 'b', 'a', Some("ba")), (C, 'a', 'c', None)]);
    // bicycle/pushing.feature "Push bikes on pedestrian areas"
    let push = m.route(B, 'a', 'c').unwrap();
    assert!(push == "abc" || push == "adc", "{push}");
}

#[test]
fn any_highway_area_is_routed_for_walkers_and_cyclists_not_cars() {
    // foot/area.feature, bicycle/area.feature: a residential square.
    let m = Map::new("x\na-b\n| |\nd-c").way("xa", "highway=primary").way("abcda", "highway=residential area=yes");
    m.check(&[(F, 'x', 'd', Some("xad")), (B, 'x', 'b', Some("xab")), (C, 'x', 'b', None)]);
    // "Don't route on buildings"
    let m = Map::new("x\na-b\n| |\nd-c").way("xa", "highway=primary").way("abcda", "building=yes area=yes access=yes");
    m.check(&[(F, 'x', 'c', None), (B, 'x', 'c', None)]);
}

#[test]
fn steps_are_walked_and_bicycles_carried_slowly() {
    let m = detour("highway=steps", "highway=path");
    m.check(&[(F, 'a', 'c', Some("abc")), (B, 'a', 'c', Some("adec")), (C, 'a', 'c', None)]);
    // Carrying a bicycle up 400 m of steps (2 km/h, 720 s) beats a 2400 m ride on gravel (6 km/h).
    let m = crate::long_detour("highway=steps", "highway=path surface=gravel");
    m.check(&[(B, 'a', 'c', Some("abc"))]);
    let m = crate::long_detour("highway=steps foot=no", "highway=path surface=gravel");
    m.check(&[(B, 'a', 'c', Some("adec")), (F, 'a', 'c', Some("adec"))]);
}

#[test]
fn footways_are_pushed_unless_bicycles_are_allowed() {
    // bicycle/pushing.feature "Pushing bikes on pedestrian-only ways"
    let m = crate::long_detour("highway=footway", "highway=residential");
    m.check(&[(B, 'a', 'c', Some("abc")), (C, 'a', 'c', Some("adec"))]);
    let (_, pushed) = m.full_route(B, 'a', 'c').unwrap();
    assert!((pushed.duration_s() - 400.0 / (4.0 / 3.6)).abs() < 1.0, "{}", pushed.duration_s());
    let m = crate::long_detour("highway=footway bicycle=yes", "highway=residential");
    let (_, ridden) = m.full_route(B, 'a', 'c').unwrap();
    assert!((ridden.duration_s() - 400.0 / (15.0 / 3.6)).abs() < 1.0, "{}", ridden.duration_s());
    let m = crate::long_detour("highway=primary bicycle=dismount", "highway=residential");
    let (_, dismounted) = m.full_route(B, 'a', 'c').unwrap();
    assert!((dismounted.duration_s() - 400.0 / (4.0 / 3.6)).abs() < 1.0, "{}", dismounted.duration_s());
}

#[test]
fn platforms_and_piers() {
    // foot/area.feature "railway platforms"; bicycle/way.feature "man_made structures"
    let m = Map::new("x-a-b-y").way("xa", "highway=primary").way("ab", "railway=platform").way("by", "highway=primary");
    m.check(&[(F, 'x', 'y', Some("xaby")), (B, 'x', 'y', Some("xaby")), (C, 'x', 'y', None)]);
    let m = Map::new("x-a-b").way("xa", "highway=residential").way("ab", "man_made=pier");
    m.check(&[(F, 'x', 'b', Some("xab")), (B, 'x', 'b', Some("xab")), (C, 'x', 'b', None)]);
    let m = Map::new("x-a-b").way("xa", "highway=residential").way("ab", "highway=pier");
    m.check(&[(F, 'x', 'b', Some("xab")), (B, 'x', 'b', None)]);
}
