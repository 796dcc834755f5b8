//! Routing scenarios in the style of OSRM's cucumber features, end to end: a small hand-drawn
//! node map is written as OSM XML, built into routing tiles (in-process with `import_osm`, or
//! by the `locus import osm` binary in the `binary_*` tests), served, and queried through
//! `/route/v1` like an OSRM client. Each table row is `(from, to, route)`: the route is the step names of the
//! answer without the arrive step (a way is named after its nodes unless tagged otherwise;
//! consecutive segments of one way are one step), `""` when the answer is `NoRoute`.
//!
//! | test | rule | OSRM features |
//! |---|---|---|
//! | `oneway_*` | oneway, `-1`, `oneway:bicycle`, `cycleway=opposite`, pushing | `*/oneway.feature`, `bicycle/pushing.feature` |
//! | `access_*` | the access hierarchy, restricted access, areas | `*/access.feature`, `car/destination.feature`, `foot/area.feature` |
//! | `restriction_*` | turn restrictions via a node, by mode, `except` | `*/restrictions.feature` |
//! | `barrier_*` | node barriers per mode | `*/barrier.feature` |
//! | `ferry_*` | ferries with and without `duration` | `*/ferry.feature` |
//! | `maxspeed_*` | `maxspeed` on durations and route choice | `car/maxspeed.feature` |
//! | `roundabout_*` | implied oneway, roundabout maneuvers and exits | `guidance/roundabout.feature` |
//! | `names_*` | step names, merged segments, maneuvers, `/v1/nav` wording | `guidance/*.feature` |
//! | `uturn_*` | u-turns at dead ends | `car/uturn.feature` |
//! | `unroutable_*`, `far_*` | `NoRoute`, `NoSegment`, `radiuses` | `testbot/impedance.feature`, `options/*` |
//! | `alternatives_*` | alternative routes (`alternatives`), not made up where there are none | `testbot/alternative.feature` |
//! | `binary_*` | `locus import osm` on a drawn map and on an editor's file (`tests/fixtures/routing`) | |

use locus_tests::node_map::NodeMap;
use locus_tests::osrm::{distance_m, lat_lon, modes, route_names, steps, turns};
use locus_tests::scenario::{import_with_binary, write_osm, RoutingMap};
use locus_tests::{routing_config, TestServer};
use serde_json::Value;

/// A street `abc` (400 m) with a detour `adec` (800 m).
fn detour(abc: &str, adec: &str) -> NodeMap {
    NodeMap::new(
        "
        a-b-c
        |   |
        d---e",
    )
    .way("abc", abc)
    .way("adec", adec)
}

/// A street `abc` (400 m) with a detour `adec` of 2400 m: long enough that pushing a bicycle
/// along the street beats riding round.
fn long_detour(abc: &str, adec: &str) -> NodeMap {
    NodeMap::new(
        "
        a-b-c
        |   |
        |   |
        |   |
        |   |
        |   |
        |   |
        |   |
        |   |
        |   |
        d---e",
    )
    .way("abc", abc)
    .way("adec", adec)
}

/// `a` east to `b`, where `d` is a left turn and `c` straight on; `cd` a diagonal back to `d`
/// and, with `e`, a dead end south of `b`. Every way residential.
fn crossing(with_e: bool) -> NodeMap {
    let m = NodeMap::new(
        "
            d
            | \\
        a---b---c
            |
            e",
    )
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

/// The route's duration and distance.
fn totals(body: &Value) -> (f64, f64) {
    let r = &body["routes"][0];
    (r["duration"].as_f64().unwrap(), r["distance"].as_f64().unwrap())
}

// ---------------------------------------------------------------------------------------------
// oneway

#[tokio::test]
async fn oneway_car_forbidden_against_foot_allowed() {
    let m = RoutingMap::serve(detour("highway=primary oneway=yes", "highway=residential")).await;
    m.check_modes(&[
        // from, to, [car, foot, bicycle]
        ('a', 'c', ["abc", "abc", "abc"]),
        // A cyclist could push back along abc (400 m at 4 km/h); riding round is faster.
        ('c', 'a', ["adec", "abc", "adec"]),
    ])
    .await;
    let m = RoutingMap::serve(detour("highway=primary oneway=-1", "highway=residential")).await;
    m.check_modes(&[('a', 'c', ["adec", "abc", "adec"]), ('c', 'a', ["abc", "abc", "abc"])]).await;
}

#[tokio::test]
async fn oneway_bicycle_contraflow() {
    for tags in [
        "highway=residential oneway=yes oneway:bicycle=no",
        "highway=residential oneway=yes cycleway=opposite",
        "highway=residential oneway=yes cycleway=opposite_lane",
    ] {
        let m = RoutingMap::serve(detour(tags, "highway=residential")).await;
        m.check_modes(&[('c', 'a', ["adec", "abc", "abc"])]).await;
        // Ridden, not pushed.
        assert_eq!(modes(&m.ok("bicycle", "ca").await), "cycling", "{tags}");
    }
}

#[tokio::test]
async fn oneway_cyclists_push_against_a_oneway_when_riding_round_is_longer() {
    let m = RoutingMap::serve(long_detour("highway=primary oneway=yes", "highway=residential")).await;
    m.check_modes(&[('c', 'a', ["adec", "abc", "abc"])]).await;
    let body = m.ok("bicycle", "ca").await;
    assert_eq!(modes(&body), "pushing bike");
    let (duration, _) = totals(&body);
    assert!((duration - 400.0 / (4.0 / 3.6)).abs() < 1.0, "{duration}");
}

#[tokio::test]
async fn oneway_implied_on_motorways() {
    let m = RoutingMap::serve(NodeMap::new("a-b-c").way("abc", "highway=motorway")).await;
    m.check("car", &[('a', 'c', "abc"), ('c', 'a', "")]).await;
}

// ---------------------------------------------------------------------------------------------
// access

#[tokio::test]
async fn access_tags_per_mode() {
    // (tags on abc, [car, foot, bicycle] from a to c); the detour adec is residential.
    let cases: &[(&str, [&str; 3])] = &[
        ("highway=residential", ["abc", "abc", "abc"]),
        ("highway=residential access=no", ["adec", "adec", "adec"]),
        ("highway=residential motor_vehicle=no", ["adec", "abc", "abc"]),
        ("highway=residential motorcar=no", ["adec", "abc", "abc"]),
        ("highway=residential vehicle=no", ["adec", "abc", "adec"]),
        ("highway=residential foot=no", ["abc", "adec", "abc"]),
        ("highway=residential bicycle=no", ["abc", "abc", "adec"]),
        ("highway=residential access=no foot=yes", ["adec", "abc", "adec"]),
        ("highway=residential access=no bicycle=yes", ["adec", "adec", "abc"]),
        // A footway: cyclists would push (slower than riding round) unless bicycle=yes.
        ("highway=footway", ["adec", "abc", "adec"]),
        ("highway=footway bicycle=yes", ["adec", "abc", "abc"]),
        ("highway=cycleway", ["adec", "adec", "abc"]),
        ("highway=steps", ["adec", "abc", "adec"]),
        // Restricted access: a car may use the way (OSRM's "restricted"), walkers and cyclists
        // are kept out of private ways only.
        ("highway=residential access=private", ["abc", "adec", "adec"]),
        ("highway=residential access=destination", ["abc", "abc", "abc"]),
    ];
    for (tags, want) in cases {
        let m = RoutingMap::serve(detour(tags, "highway=residential")).await;
        m.check_modes(&[('a', 'c', *want)]).await;
    }
}

#[tokio::test]
async fn access_private_street_can_be_start_and_end() {
    let m = RoutingMap::serve(NodeMap::new("a-b-c").way("abc", "highway=residential access=private")).await;
    m.check("car", &[('a', 'c', "abc"), ('c', 'a', "abc")]).await;
}

#[tokio::test]
async fn access_destination_only_street_is_not_a_through_road() {
    // car/destination.feature "Destination only street": a car may reach bcd, not cross it.
    let m = RoutingMap::serve(
        NodeMap::new(
            "
            a       e
              b c d

            x       y",
        )
        .way("ab", "highway=residential")
        .way("bcd", "highway=residential access=destination")
        .way("de", "highway=residential")
        .way("axye", "highway=residential"),
    )
    .await;
    // OSRM also lists a to d as "ab,bcd" and e to b as "de,bcd". Those ends are junctions with
    // an unrestricted street too, and Locus may arrive there by it without entering the
    // restricted one, which is as good an answer; only ends inside bcd are pinned.
    m.check(
        "car",
        &[
            ('a', 'b', "ab"),
            ('a', 'c', "ab,bcd"),
            ('a', 'e', "axye"),
            ('e', 'd', "de"),
            ('e', 'c', "de,bcd"),
            ('e', 'a', "axye"),
        ],
    )
    .await;
}

#[tokio::test]
async fn access_pedestrian_area() {
    // foot/area.feature "Route along edge of a squares": walked (and a bicycle pushed) along the
    // outline; a car snaps to the nearest road it may use instead.
    let m = RoutingMap::serve(
        NodeMap::new(
            "
            x
            |
            a-b
            | |
            d-c",
        )
        .way("xa", "highway=primary")
        .way("abcda", "highway=pedestrian area=yes"),
    )
    .await;
    m.check("foot", &[('x', 'c', "xa,abcda"), ('b', 'd', "abcda")]).await;
    let body = m.ok("bicycle", "xc").await;
    assert_eq!((route_names(&body).as_str(), modes(&body).as_str()), ("xa,abcda", "cycling,pushing bike"));
    let body = m.ok("car", "xc").await;
    assert_eq!(route_names(&body), "xa");
    assert!(distance_m(lat_lon(&body["waypoints"][1]["location"]), m.map.lat_lon('a')) < 1.0, "{body}");
}

// ---------------------------------------------------------------------------------------------
// turn restrictions

#[tokio::test]
async fn restriction_no_left_turn_via_node() {
    let m = RoutingMap::serve(crossing(false)).await;
    m.check_modes(&[('a', 'd', ["ab,bd", "ab,bd", "ab,bd"])]).await;
    let m = RoutingMap::serve(crossing(false).restriction("ab", 'b', "bd", "restriction=no_left_turn")).await;
    m.check_modes(&[
        // Walkers ignore plain restrictions; cyclists obey them (a departure from OSRM's
        // bicycle profile, which ignores every turn restriction).
        ('a', 'd', ["ab,bc,cd", "ab,bd", "ab,bc,cd"]),
        ('d', 'a', ["bd,ab", "bd,ab", "bd,ab"]),
        ('c', 'd', ["cd", "cd", "cd"]),
    ])
    .await;
}

#[tokio::test]
async fn restriction_only_straight_on_via_node() {
    let m = RoutingMap::serve(crossing(true).restriction("ab", 'b', "bc", "restriction=only_straight_on")).await;
    m.check_modes(&[
        ('a', 'd', ["ab,bc,cd", "ab,bd", "ab,bc,cd"]),
        ('a', 'c', ["ab,bc", "ab,bc", "ab,bc"]),
        // The restriction binds only the way from a.
        ('d', 'e', ["bd,be", "bd,be", "bd,be"]),
    ])
    .await;
}

#[tokio::test]
async fn restriction_by_mode_and_except() {
    // (restriction tags, [car, foot, bicycle] from a to d)
    let cases: &[(&str, [&str; 3])] = &[
        // A lorry's restriction does not bind a car.
        ("restriction:hgv=no_left_turn", ["ab,bd", "ab,bd", "ab,bd"]),
        ("restriction:motorcar=no_left_turn", ["ab,bc,cd", "ab,bd", "ab,bd"]),
        ("restriction:bicycle=no_left_turn", ["ab,bd", "ab,bd", "ab,bc,cd"]),
        ("restriction=no_left_turn except=motorcar", ["ab,bd", "ab,bd", "ab,bc,cd"]),
        ("restriction=no_left_turn except=bicycle", ["ab,bc,cd", "ab,bd", "ab,bd"]),
    ];
    for (tags, want) in cases {
        let m = RoutingMap::serve(crossing(false).restriction("ab", 'b', "bd", tags)).await;
        m.check_modes(&[('a', 'd', *want)]).await;
    }
}

// ---------------------------------------------------------------------------------------------
// barriers (routing/src/profile/barrier.rs: a car passes gates, lift gates, toll booths, ...
// but not bollards; walkers and cyclists pass everything but walls and fences; `locked=yes`
// closes any barrier; an access tag on the node decides first)

#[tokio::test]
async fn barrier_per_mode() {
    // (tags on node b, [car, foot, bicycle] from a to c). A car may pass a gate but loses 60 s
    // opening it (OSRM's barrier obstacle), more than the 400 m detour costs.
    let cases: &[(&str, [&str; 3])] = &[
        ("barrier=gate", ["adec", "abc", "abc"]),
        ("barrier=lift_gate", ["adec", "abc", "abc"]),
        ("barrier=toll_booth", ["abc", "abc", "abc"]),
        ("barrier=bollard", ["adec", "abc", "abc"]),
        ("barrier=bollard bollard=rising", ["abc", "abc", "abc"]),
        ("barrier=cycle_barrier", ["adec", "abc", "abc"]),
        ("barrier=kissing_gate", ["adec", "abc", "abc"]),
        ("barrier=wall", ["adec", "adec", "adec"]),
        ("barrier=fence", ["adec", "adec", "adec"]),
        ("barrier=gate locked=yes", ["adec", "adec", "adec"]),
        ("barrier=gate access=private", ["abc", "adec", "adec"]),
        ("barrier=bollard motor_vehicle=yes", ["abc", "abc", "abc"]),
        ("access=no", ["adec", "adec", "adec"]),
    ];
    for (tags, want) in cases {
        let m = RoutingMap::serve(detour("highway=residential", "highway=residential").node('b', tags)).await;
        m.check_modes(&[('a', 'c', *want)]).await;
    }
}

#[tokio::test]
async fn barrier_blocked_node_may_start_or_end_a_route() {
    let m = RoutingMap::serve(detour("highway=residential", "highway=residential").node('b', "barrier=bollard")).await;
    m.check("car", &[('a', 'b', "abc"), ('b', 'c', "abc"), ('a', 'c', "adec")]).await;
}

// ---------------------------------------------------------------------------------------------
// ferries

/// A 200 m road `ab`, a 500 m crossing `bc` with these tags, a 200 m road `cd`.
fn ferry(tags: &str) -> NodeMap {
    NodeMap::new("a-b~~~~c-d").way("ab", "highway=residential").way("bc", tags).way("cd", "highway=residential")
}

/// The duration of the ferry step of a route.
fn ferry_step_s(body: &Value) -> f64 {
    let s = steps(body).into_iter().find(|s| s["mode"] == "ferry").expect("a ferry step");
    s["duration"].as_f64().unwrap()
}

#[tokio::test]
async fn ferry_with_duration() {
    let m = RoutingMap::serve(ferry("route=ferry duration=PT1H")).await;
    m.check_modes(&[('a', 'd', ["ab,bc,cd"; 3]), ('d', 'a', ["cd,bc,ab"; 3])]).await;
    // (profile, modes, km/h on the 400 m of road)
    for (profile, mode, kmh) in [("car", "driving", 25.0), ("foot", "walking", 5.0), ("bicycle", "cycling", 15.0)] {
        let body = m.ok(profile, "ad").await;
        assert_eq!(modes(&body), format!("{mode},ferry,{mode}"), "{profile}");
        assert!((ferry_step_s(&body) - 3600.0).abs() <= 0.5, "{profile}: {body}");
        let (duration, distance) = totals(&body);
        let want = 3600.0 + 400.0 / (kmh / 3.6);
        assert!((duration - want).abs() <= 0.5, "{profile}: {duration} s, want {want}");
        assert!((distance - 900.0).abs() < 2.0, "{profile}: {distance} m");
    }
}

#[tokio::test]
async fn ferry_durations_in_several_notations() {
    for (duration, seconds) in [("00:10", 600.0), ("PT30M", 1800.0), ("1:30", 5400.0), ("25", 1500.0)] {
        let m = RoutingMap::serve(ferry(&format!("route=ferry duration={duration}"))).await;
        let body = m.ok("car", "ad").await;
        assert!((ferry_step_s(&body) - seconds).abs() <= 0.5, "duration={duration}: {body}");
    }
    // Without a duration: the ferry speed, 5 km/h.
    let m = RoutingMap::serve(ferry("route=ferry")).await;
    let body = m.ok("car", "ad").await;
    assert!((ferry_step_s(&body) - 360.0).abs() <= 0.5, "{body}");
}

#[tokio::test]
async fn ferry_for_foot_passengers_only() {
    // A kilometre grid, so the two shores are 5 km apart: further than a point snaps.
    let m = RoutingMap::serve(ferry("route=ferry motor_vehicle=no").grid(1000.0)).await;
    m.check_modes(&[('a', 'd', ["", "ab,bc,cd", "ab,bc,cd"]), ('a', 'b', ["ab", "ab", "ab"])]).await;
}

// ---------------------------------------------------------------------------------------------
// maxspeed

#[tokio::test]
async fn maxspeed_sets_the_duration() {
    // (tags of the 400 m street abc, profile, km/h driven)
    let cases: &[(&str, &str, f64)] = &[
        ("highway=primary", "car", 65.0),
        ("highway=primary maxspeed=50", "car", 40.0),
        ("highway=primary maxspeed=30mph", "car", 30.0 * 1.609344 * 0.8),
        ("highway=residential maxspeed=90", "car", 72.0),
        ("highway=motorway oneway=no maxspeed=none", "car", 112.0),
        ("highway=primary maxspeed=fast", "car", 65.0),
        ("highway=residential maxspeed=10", "bicycle", 10.0),
        ("highway=residential maxspeed=50", "bicycle", 15.0),
        ("highway=residential maxspeed=2", "foot", 5.0),
    ];
    for &(tags, profile, kmh) in cases {
        let m = RoutingMap::serve(NodeMap::new("a-b-c").way("abc", tags)).await;
        let (duration, distance) = totals(&m.ok(profile, "ac").await);
        let want = 400.0 / (kmh / 3.6);
        assert!((duration - want).abs() <= 0.1, "{profile} [{tags}]: {duration} s, want {want}");
        assert!((distance - 400.0).abs() < 1.0, "{distance}");
    }
}

#[tokio::test]
async fn maxspeed_low_limit_sends_cars_round() {
    // abc at 8 km/h (180 s) loses to the 800 m detour at 25 km/h (115 s).
    let m = RoutingMap::serve(detour("highway=primary maxspeed=10", "highway=residential")).await;
    m.check_modes(&[('a', 'c', ["adec", "abc", "abc"])]).await;
    let m = RoutingMap::serve(detour("highway=primary maxspeed=30", "highway=residential")).await;
    m.check("car", &[('a', 'c', "abc")]).await;
}

// ---------------------------------------------------------------------------------------------
// roundabouts

/// A roundabout `bgdcb` (counter-clockwise, as drawn) with four roads out: `ab` west, `gh`
/// south, `df` east, `ci` north.
fn roundabout(ring_tags: &str) -> NodeMap {
    NodeMap::new(
        "
              i
              |
              c
            /   \\
        a-b       d-f
            \\   /
              g
              |
              h",
    )
    .way("ab", "highway=primary")
    .way("gh", "highway=primary")
    .way("df", "highway=primary")
    .way("ci", "highway=primary")
    .way("bgdcb", ring_tags)
}

/// The exit of the roundabout step of a route.
fn exit_of(body: &Value) -> Option<u64> {
    steps(body).into_iter().find(|s| s["maneuver"]["type"] == "roundabout").and_then(|s| s["maneuver"]["exit"].as_u64())
}

#[tokio::test]
async fn roundabout_exits_and_names() {
    let m = RoutingMap::serve(roundabout("highway=primary junction=roundabout")).await;
    // The roundabout step carries the name of the road it is left by, as in OSRM.
    m.check(
        "car",
        &[
            ('a', 'h', "ab,gh,gh"),
            ('a', 'f', "ab,df,df"),
            ('a', 'i', "ab,ci,ci"),
            ('f', 'a', "df,ab,ab"),
            ('h', 'a', "gh,ab,ab"),
        ],
    )
    .await;
    for (route, exit) in [("ah", 1), ("af", 2), ("ai", 3), ("fa", 2), ("ha", 3)] {
        let body = m.ok("car", route).await;
        assert_eq!(exit_of(&body), Some(exit), "{route}: {}", turns(&body));
        let t = turns(&body);
        assert!(t.starts_with(&format!("depart,roundabout-exit-{exit},exit roundabout")), "{route}: {t}");
        assert!(t.ends_with(",arrive"), "{route}: {t}");
    }
}

#[tokio::test]
async fn roundabout_implies_oneway() {
    let m = RoutingMap::serve(roundabout("highway=primary junction=roundabout")).await;
    // g to b is one ring segment (447 m) against the ring: a car goes round the other three.
    let (_, car) = totals(&m.ok("car", "gb").await);
    let (_, foot) = totals(&m.ok("foot", "gb").await);
    assert!((car - 3.0 * 447.2).abs() < 5.0, "car {car} m");
    assert!((foot - 447.2).abs() < 5.0, "foot {foot} m");
    // A walker takes the short way against the ring from h to a.
    let body = m.ok("foot", "ha").await;
    assert_eq!(route_names(&body), "gh,ab,ab");
    assert_eq!(exit_of(&body), Some(1));
    // oneway=no on the ring lifts the implication.
    let m = RoutingMap::serve(roundabout("highway=primary junction=roundabout oneway=no")).await;
    let (_, car) = totals(&m.ok("car", "gb").await);
    assert!((car - 447.2).abs() < 5.0, "car {car} m");
}

// ---------------------------------------------------------------------------------------------
// names of the steps

/// Main runs east in two ways (`ab`, `bc`), becomes High (`cd`), Side turns south (`de`), an
/// unnamed way east (`ef`); `bg` is another way named Main turning south.
fn names_map() -> NodeMap {
    NodeMap::new(
        "
        a-b-c-d
          |   |
          g   e-f",
    )
    .way("ab", "highway=residential name=Main")
    .way("bc", "highway=residential name=Main")
    .way("cd", "highway=residential name=High")
    .way("de", "highway=residential name=Side")
    .way("ef", "highway=residential name=")
    .way("bg", "highway=residential name=Main")
}

#[tokio::test]
async fn names_of_the_steps() {
    let m = RoutingMap::serve(names_map()).await;
    m.check(
        "car",
        &[
            // Two ways of one name, straight on: one step.
            ('a', 'c', "Main"),
            ('a', 'd', "Main,High"),
            ('a', 'e', "Main,High,Side"),
            // An unnamed way: an empty name.
            ('a', 'f', "Main,High,Side,"),
            // The same name round a corner is a new step ("continue").
            ('a', 'g', "Main,Main"),
            ('f', 'a', ",Side,High,Main"),
        ],
    )
    .await;
    let body = m.ok("car", "af").await;
    assert_eq!(turns(&body), "depart,new name straight,turn right,turn left,arrive");
    assert_eq!(turns(&m.ok("car", "ag").await), "depart,continue right,arrive");
    // A step's maneuver is where its road begins: Side at d.
    let side = steps(&body).into_iter().find(|s| s["name"] == "Side").expect("a Side step");
    assert!(distance_m(lat_lon(&side["maneuver"]["location"]), m.map.lat_lon('d')) < 1.0, "{side}");
    // The leg's summary names its longest roads.
    assert!(body["routes"][0]["legs"][0]["summary"].as_str().is_some_and(|s| s.contains("Main")), "{body}");
}

#[tokio::test]
async fn names_with_several_waypoints() {
    // Two legs: each has its own depart and arrive.
    let m = RoutingMap::serve(names_map()).await;
    let body = m.ok("car", "adf").await;
    assert_eq!(body["routes"][0]["legs"].as_array().map(Vec::len), Some(2));
    assert_eq!(route_names(&body), "Main,High,Side,");
    assert_eq!(turns(&body), "depart,new name straight,arrive,depart,turn left,arrive");
}

#[tokio::test]
async fn names_in_nav_instructions() {
    let m = RoutingMap::serve(names_map()).await;
    let (a, f) = (m.map.lat_lon('a'), m.map.lat_lon('f'));
    let path = format!("/v1/nav?origin={},{}&destination={},{}", a.0, a.1, f.0, f.1);
    let (status, body) = m.server.get(&path).await;
    assert_eq!(status, 200, "{body}");
    let said: Vec<&str> = body["routes"][0]["legs"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["html_instructions"].as_str().unwrap())
        .collect();
    assert_eq!(
        said,
        [
            "Head <b>east</b> on <b>Main</b>",
            "Continue onto <b>High</b>",
            "Turn <b>right</b> onto <b>Side</b>",
            "Turn <b>left</b>",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// u-turns

#[tokio::test]
async fn uturn_at_a_dead_end() {
    // No left turn at b: the dead end e (200 m there and back) beats going round by c.
    let m = RoutingMap::serve(crossing(true).restriction("ab", 'b', "bd", "restriction=no_left_turn")).await;
    m.check("car", &[('a', 'd', "ab,be,be,bd")]).await;
    let body = m.ok("car", "ad").await;
    assert_eq!(turns(&body), "depart,turn right,continue uturn,new name straight,arrive");
    let (_, distance) = totals(&body);
    assert!((distance - 1000.0).abs() < 2.0, "{distance}");
}

#[tokio::test]
async fn uturn_between_legs_at_a_dead_end() {
    // Out to the dead end c and back: two legs, the second starts where the first ended.
    let m = RoutingMap::serve(NodeMap::new("a-b-c").way("abc", "highway=residential")).await;
    let body = m.ok("car", "aca").await;
    assert_eq!(route_names(&body), "abc,abc");
    let (_, distance) = totals(&body);
    assert!((distance - 800.0).abs() < 1.0, "{distance}");
}

// ---------------------------------------------------------------------------------------------
// unroutable pairs, far points

#[tokio::test]
async fn unroutable_islands() {
    // Two islands 7 km apart (a kilometre grid): further than a point snaps to another road.
    let m = RoutingMap::serve(
        NodeMap::new("a-b      c-d").grid(1000.0).way("ab", "highway=residential").way("cd", "highway=residential"),
    )
    .await;
    m.check_modes(&[('a', 'd', ["", "", ""]), ('d', 'a', ["", "", ""]), ('a', 'b', ["ab", "ab", "ab"])]).await;
    let (status, body) = m.route("car", "ad", "").await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "NoRoute", "{body}");
    assert!(body["message"].as_str().is_some_and(|s| !s.is_empty()), "{body}");
}

#[tokio::test]
async fn far_points_have_no_segment() {
    let m = RoutingMap::serve(
        NodeMap::new(
            "
              1

            a-b-c",
        )
        .way("abc", "highway=residential"),
    )
    .await;
    // 20 km north of the map.
    let (lat, lon) = m.map.lat_lon('a');
    let far = format!("{lon},{}", lat + 0.18);
    for path in [
        format!("/route/v1/driving/{far};{}", m.map.coord('c')),
        format!("/route/v1/driving/{};{far}", m.map.coord('a')),
        format!("/nearest/v1/driving/{far}"),
    ] {
        let (status, body) = m.server.get(&path).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("NoSegment")), "{path}: {body}");
    }
    // `1` is 200 m from the road: within the default radius, not within 100 m.
    let body = m.ok("car", "1c").await;
    let w = &body["waypoints"][0];
    assert!((w["distance"].as_f64().unwrap() - 200.0).abs() < 1.0, "{w}");
    assert!(distance_m(lat_lon(&w["location"]), m.map.lat_lon('b')) < 1.0, "{w}");
    let (status, body) = m.route("car", "1c", "&radiuses=100;unlimited").await;
    assert_eq!((status, body["code"].as_str()), (400, Some("NoSegment")), "{body}");
    let (status, body) = m.route("car", "1c", "&radiuses=250;10").await;
    assert_eq!((status, body["code"].as_str()), (200, Some("Ok")), "{body}");
}

// ---------------------------------------------------------------------------------------------
// through the binary

#[tokio::test]
async fn binary_import_of_a_node_map() {
    let map = crossing(false).restriction("ab", 'b', "bd", "restriction=no_left_turn");
    let dir = tempfile::tempdir().unwrap();
    let osm = write_osm(&map, dir.path());
    let said = import_with_binary(&osm, dir.path()).await;
    assert!(said.contains("kept 4 nodes, 4 ways, 1 turn restrictions"), "{said}");
    let m = RoutingMap::serve_built(map, dir, osm).await;
    m.check_modes(&[('a', 'd', ["ab,bc,cd", "ab,bd", "ab,bc,cd"]), ('d', 'a', ["bd,ab", "bd,ab", "bd,ab"])]).await;
}

/// `lon,lat` of the village fixture's nodes, by id.
fn village(ids: &[usize]) -> String {
    const NODES: [(f64, f64); 6] =
        [(0.0, 0.0), (7.0, 48.0), (7.003, 48.0), (7.006, 48.0), (7.003, 48.0027), (7.006, 48.0027)];
    ids.iter().map(|&i| format!("{},{}", NODES[i].0, NODES[i].1)).collect::<Vec<_>>().join(";")
}

#[tokio::test]
async fn binary_import_of_an_editor_file() {
    // tests/fixtures/routing/village.osm: names with spaces, accents and an apostrophe, a ref,
    // a pedestrian square, a oneway, and a way deleted in the editor.
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/routing/village.osm");
    let dir = tempfile::tempdir().unwrap();
    let said = import_with_binary(&fixture, dir.path()).await;
    assert!(said.contains("kept 5 nodes, 4 ways"), "{said}");
    let s = TestServer::start(routing_config(dir.path())).await;
    // (profile, node ids, route)
    let cases: &[(&str, &[usize], &str)] = &[
        ("car", &[1, 5], "Rue de l'Église,Impasse du Moulin"),
        ("car", &[4, 5], "Chemin des Vignes,Rue de l'Église,Impasse du Moulin"),
        ("foot", &[4, 5], "Place du Marché"),
        ("foot", &[1, 4], "Rue de l'Église,Chemin des Vignes"),
        ("bicycle", &[1, 4], "Rue de l'Église,Chemin des Vignes"),
    ];
    for &(profile, ids, want) in cases {
        let (status, body) = s.get(&format!("/route/v1/{profile}/{}?steps=true", village(ids))).await;
        assert_eq!(status, 200, "{profile} {ids:?}: {body}");
        assert_eq!(route_names(&body), want, "{profile} {ids:?}");
    }
    let (_, body) = s.get(&format!("/route/v1/car/{}?steps=true", village(&[1, 5]))).await;
    assert_eq!(steps(&body)[0]["ref"], "D 12", "{body}");
    // Google's wording, HTML-escaped.
    let (status, nav) = s.get("/v1/nav?origin=48.0027,7.003&destination=48.0027,7.006").await;
    assert_eq!(status, 200, "{nav}");
    let said: Vec<&str> = nav["routes"][0]["legs"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["html_instructions"].as_str().unwrap())
        .collect();
    assert_eq!(
        said,
        [
            "Head <b>south</b> on <b>Chemin des Vignes</b>",
            "Turn <b>left</b> onto <b>Rue de l&#39;Église (D 12)</b>",
            "Turn <b>left</b> onto <b>Impasse du Moulin</b>",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// alternatives

/// The step names of every route of an answer.
fn every_route_names(body: &Value) -> Vec<String> {
    let routes = body["routes"].as_array().cloned().unwrap_or_default();
    routes.into_iter().map(|r| route_names(&serde_json::json!({ "routes": [r] }))).collect()
}

/// Two ways of about the same length from `a` to `c` (over `b` and over `d`), and `aec`, a
/// long way round.
fn diamond() -> NodeMap {
    NodeMap::new(
        "
            b
        a       c
            d




            e",
    )
    .way("abc", "highway=residential")
    .way("adc", "highway=residential")
    .way("aec", "highway=residential")
}

#[tokio::test]
async fn alternatives_offer_the_other_way_but_not_the_long_way_round() {
    let m = RoutingMap::serve(diamond()).await;
    let (status, body) = m.route("car", "ac", "&alternatives=3").await;
    assert_eq!(status, 200, "{body}");
    let mut names = every_route_names(&body);
    assert_eq!(names.len(), 2, "the best, the other side of the diamond, not aec (too long): {body}");
    let durations: Vec<f64> =
        body["routes"].as_array().unwrap().iter().map(|r| r["duration"].as_f64().unwrap()).collect();
    assert!(durations[0] <= durations[1] && durations[1] <= durations[0] * 1.25, "{durations:?}");
    names.sort();
    assert_eq!(names, ["abc", "adc"]);
    // The best route is the one asked for without alternatives.
    let (_, alone) = m.route("car", "ac", "").await;
    assert_eq!(alone["routes"].as_array().map(Vec::len), Some(1));
    assert_eq!(alone["routes"][0]["duration"], body["routes"][0]["duration"]);
    // `true` asks for one.
    let (_, one) = m.route("car", "ac", "&alternatives=true").await;
    assert_eq!(one["routes"].as_array().map(Vec::len), Some(2), "{one}");
    // The book's API: Google's `alternatives=true`.
    let (a, c) = (m.map.lat_lon('a'), m.map.lat_lon('c'));
    let nav = |extra: &str| format!("/v1/nav?origin={},{}&destination={},{}{extra}", a.0, a.1, c.0, c.1);
    let (status, body) = m.server.get(&nav("&alternatives=true")).await;
    assert_eq!(status, 200, "{body}");
    let summaries: Vec<&str> =
        body["routes"].as_array().unwrap().iter().map(|r| r["summary"].as_str().unwrap()).collect();
    assert_eq!(summaries.len(), 2, "{body}");
    assert_ne!(summaries[0], summaries[1]);
    let (_, body) = m.server.get(&nav("")).await;
    assert_eq!(body["routes"].as_array().map(Vec::len), Some(1));
    let (status, body) = m.server.get(&nav("&alternatives=maybe")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_query")), "{body}");
}

#[tokio::test]
async fn alternatives_are_not_made_up_where_there_is_one_way_or_several_waypoints() {
    let m = RoutingMap::serve(detour("highway=residential", "highway=residential")).await;
    // adec is twice as long as abc: no alternative.
    let (_, body) = m.route("car", "ac", "&alternatives=2").await;
    assert_eq!(every_route_names(&body), ["abc"], "{body}");
    let m = RoutingMap::serve(diamond()).await;
    let (_, body) = m.route("car", "abc", "&alternatives=2").await;
    assert_eq!(body["code"], "Ok", "{body}");
    assert_eq!(body["routes"].as_array().map(Vec::len), Some(1), "through a waypoint: {body}");
}
