//! Turn restrictions (`type=restriction` relations) via a node, by mode and `except`.

use crate::crossing;
use crate::map::Map;
use locus_routing::Mode::{Bicycle as B, Car as C, Foot as F};

#[test]
fn no_left_turn_via_node() {
    crossing(false).check(&[(C, 'a', 'd', Some("abd"))]);
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction=no_left_turn");
    m.check(&[
        (C, 'a', 'd', Some("abcd")),
        (C, 'd', 'a', Some("dba")),
        (C, 'c', 'd', Some("cd")),
        // Walkers ignore plain restrictions (foot/restrictions.feature). Cyclists obey them:
        // a departure from OSRM, whose bicycle profile ignores every turn restriction.
        (B, 'a', 'd', Some("abcd")),
        (F, 'a', 'd', Some("abd")),
    ]);
    assert_eq!(m.graph(C).report().restrictions.used, 1);
    assert_eq!(m.graph(F).report().restrictions.other_modes, 1);
}

#[test]
fn any_no_value_is_a_no_restriction() {
    // car/restrictions.feature "Handle any no_* relation"
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction=no_weird_zigzags");
    m.check(&[(C, 'a', 'd', Some("abcd"))]);
}

#[test]
fn unrecognised_restrictions_are_counted_and_ignored() {
    // car/restrictions.feature "Ignore unrecognized restriction"
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction=yield");
    m.check(&[(C, 'a', 'd', Some("abd"))]);
    assert_eq!(m.data().report.restrictions_invalid, 1);
    // A conditional restriction alone is not supported: counted, ignored.
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction:conditional=no_left_turn_@_(Mo-Fr_07:00-09:00)");
    m.check(&[(C, 'a', 'd', Some("abd"))]);
    assert_eq!(m.data().report.restrictions_invalid, 1);
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
    m.check(&[
        (C, 'a', 'd', Some("abcd")),
        (C, 'a', 'c', Some("abc")),
        (C, 'd', 'e', Some("dbe")),
        (F, 'a', 'e', Some("abe")),
    ]);
    // Straight on to c first, then back to b by whatever the turn model allows (a u-turn at c,
    // or round by d): never the forbidden right turn at b.
    let to_e = m.route(C, 'a', 'e').unwrap_or_default();
    assert!(to_e.starts_with("abc") && to_e.ends_with("be"), "{to_e}");
}

#[test]
fn restrictions_bind_only_their_modes() {
    // car/restrictions.feature ":hgv-qualified" and ":motorcar-qualified"
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction:hgv=no_left_turn");
    m.check(&[(C, 'a', 'd', Some("abd"))]);
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction:motorcar=no_left_turn");
    m.check(&[(C, 'a', 'd', Some("abcd")), (B, 'a', 'd', Some("abd"))]);
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction=no_left_turn except=bicycle");
    m.check(&[(C, 'a', 'd', Some("abcd")), (B, 'a', 'd', Some("abd"))]);
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction:bicycle=no_left_turn");
    m.check(&[(C, 'a', 'd', Some("abd")), (B, 'a', 'd', Some("abcd"))]);
    let m = crossing(false).restriction("ab", 'b', "bd", "restriction:foot=no_left_turn");
    m.check(&[(C, 'a', 'd', Some("abd")), (F, 'a', 'd', Some("abcd"))]);
}

#[test]
fn except_exempts_the_modes_it_lists() {
    // car/restrictions.feature "Except tag and on no_ / only_ restrictions"
    for except in ["motorcar", "psv;motorcar", "bus,motor_vehicle", "vehicle"] {
        let m = crossing(false).restriction("ab", 'b', "bd", &format!("restriction=no_left_turn except={except}"));
        m.check(&[(C, 'a', 'd', Some("abd"))]);
    }
    let m = crossing(true).restriction("ab", 'b', "bc", "restriction=only_straight_on except=motorcar");
    m.check(&[(C, 'a', 'e', Some("abe"))]);
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
fn via_way_restrictions_are_counted_unsupported() {
    let m = crossing(true).relation(
        &[("way", "ab", "from"), ("way", "bc", "via"), ("way", "cd", "to")],
        "type=restriction restriction=no_left_turn",
    );
    assert_eq!(m.data().report.restrictions_kept, 1);
    assert_eq!(m.graph(C).report().restrictions.via_way_unsupported, 1);
}
