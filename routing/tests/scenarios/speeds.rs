//! Speeds: `maxspeed`, surfaces, and the roads no speed makes usable (construction,
//! impassable).

use crate::detour;
use crate::map::Map;
use locus_routing::Mode::{self, Bicycle as B, Car as C, Foot as F};

/// Seconds from `a` to `c` along a 400 m street `abc` with these tags.
fn street_s(mode: Mode, tags: &str) -> f64 {
    let m = Map::new("a-b-c").way("abc", tags);
    m.full_route(mode, 'a', 'c').map(|(_, r)| r.duration_s()).unwrap_or(f64::NAN)
}

fn at_kmh(kmh: f64) -> f64 {
    400.0 / (kmh / 3.6)
}

#[test]
fn maxspeed_sets_the_car_speed_at_80_percent() {
    // car/maxspeed.feature (speed column: 4/5 of the limit, higher or lower than the class)
    let cases: &[(&str, f64)] = &[
        ("highway=trunk", 85.0),
        ("highway=trunk maxspeed=60", 48.0),
        ("highway=trunk maxspeed=FR:urban", 40.0),
        ("highway=trunk maxspeed=CH:rural", 64.0),
        ("highway=trunk maxspeed=CH:trunk", 80.0),
        ("highway=trunk maxspeed=CH:motorway", 96.0),
        ("highway=residential maxspeed=90", 72.0),
        ("highway=living_street maxspeed=FR:urban", 40.0),
        ("highway=primary maxspeed=RU:rural", 72.0),
        ("highway=primary maxspeed=DE:urban", 40.0),
        ("highway=primary maxspeed=30mph", 30.0 * 1.609344 * 0.8),
        ("highway=primary maxspeed=10knots", 18.52 * 0.8),
        ("highway=motorway oneway=no maxspeed=none", 112.0),
        ("highway=motorway oneway=no maxspeed=DE:motorway", 90.0),
        ("highway=primary maxspeed=100 maxspeed:advisory=50", 40.0),
        ("highway=primary maxspeed:forward=50", 40.0),
        ("highway=primary maxspeed:backward=50", 65.0),
        // Garbage is ignored.
        ("highway=primary maxspeed=99999999999", 65.0),
        ("highway=primary maxspeed=fast", 65.0),
    ];
    for &(tags, kmh) in cases {
        let s = street_s(C, tags);
        assert!((s - at_kmh(kmh)).abs() < 0.01, "[{tags}]: {s} s, want {} s", at_kmh(kmh));
    }
}

#[test]
fn maxspeed_caps_cyclists_and_not_walkers() {
    // bicycle/maxspeed.feature, foot/maxspeed.feature
    let cases: &[(Mode, &str, f64)] = &[
        (B, "highway=residential", 15.0),
        (B, "highway=residential maxspeed=10", 10.0),
        (B, "highway=residential maxspeed=50", 15.0),
        (B, "highway=residential maxspeed=none", 15.0),
        (F, "highway=residential maxspeed=2", 5.0),
    ];
    for &(mode, tags, kmh) in cases {
        let s = street_s(mode, tags);
        assert!((s - at_kmh(kmh)).abs() < 0.01, "{mode} [{tags}]: {s} s, want {} s", at_kmh(kmh));
    }
}

#[test]
fn a_low_limit_sends_cars_round() {
    // abc at 8 km/h (180 s) loses to the 800 m detour at 25 km/h (115 s); cyclists go straight.
    let m = detour("highway=primary maxspeed=10", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec")), (B, 'a', 'c', Some("abc")), (F, 'a', 'c', Some("abc"))]);
    let m = detour("highway=primary maxspeed=30", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("abc"))]);
    let g = detour("highway=primary maxspeed=lightspeed", "highway=residential").graph(C);
    assert_eq!(g.report().bad_maxspeed, 1);
}

#[test]
fn bad_surfaces_slow_every_mode() {
    // car/surface.feature, bicycle/surface.feature, foot/surface.feature
    let cases: &[(Mode, &str, f64)] = &[
        (C, "highway=primary surface=gravel", 40.0),
        (C, "highway=primary tracktype=grade3 surface=mud", 10.0),
        (C, "highway=primary smoothness=very_horrible", 5.0),
        (B, "highway=residential surface=gravel", 6.0),
        (F, "highway=residential surface=sand", 2.5),
    ];
    for &(mode, tags, kmh) in cases {
        let s = street_s(mode, tags);
        assert!((s - at_kmh(kmh)).abs() < 0.01, "{mode} [{tags}]: {s} s, want {} s", at_kmh(kmh));
    }
    let m = detour("highway=primary surface=mud", "highway=residential");
    m.check(&[(C, 'a', 'c', Some("adec"))]);
}

#[test]
fn closed_roads_are_not_routed() {
    // (tags on abc, [car, foot, bicycle] route a -> c); car/construction.feature, surface.feature
    let cases: &[(&str, [&str; 3])] = &[
        ("highway=construction", ["adec", "adec", "adec"]),
        ("highway=construction access=yes foot=yes bicycle=yes motorcar=yes", ["adec", "adec", "adec"]),
        ("highway=proposed", ["adec", "adec", "adec"]),
        ("highway=residential construction=yes", ["adec", "abc", "adec"]),
        ("highway=residential construction=minor", ["abc", "abc", "abc"]),
        ("highway=residential proposed=yes", ["abc", "abc", "abc"]),
        ("highway=residential impassable=yes", ["adec", "adec", "adec"]),
        ("highway=residential status=impassable", ["adec", "adec", "adec"]),
        ("highway=residential smoothness=impassable", ["adec", "abc", "adec"]),
        ("highway=residential access=yes smoothness=impassable", ["adec", "abc", "adec"]),
        ("highway=residential maxheight=2", ["adec", "abc", "abc"]),
        ("highway=residential width=1.5", ["adec", "abc", "abc"]),
        ("highway=residential maxweight=3", ["adec", "abc", "abc"]),
        ("highway=residential maxheight=default width=narrow", ["abc", "abc", "abc"]),
        ("highway=service service=emergency_access", ["adec", "abc", "abc"]),
    ];
    for (tags, want) in cases {
        let m = detour(tags, "highway=residential");
        let got = [C, F, B].map(|mode| m.route(mode, 'a', 'c').unwrap_or_default());
        assert_eq!(got, want.map(str::to_owned), "[{tags}] car/foot/bicycle");
    }
}
