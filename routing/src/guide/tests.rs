//! Guidance scenarios: small legs drawn on a grid of 0.001° (about 111 m) near (0, 0), with x
//! east and y north, checked against the steps they must produce.

use super::*;
use crate::journey::{Leg, Stretch};
use crate::profile::RoadClass;
use locus_core::geo::haversine_m;

fn at(x: f64, y: f64) -> LatLng {
    LatLng::new(y * 0.001, x * 0.001).unwrap()
}

/// A stretch of OSM way `id` called `name` ("" for none) through grid points.
fn way(id: i64, name: &str, points: &[(f64, f64)]) -> Stretch {
    let geometry: Vec<LatLng> = points.iter().map(|&(x, y)| at(x, y)).collect();
    let length_m = geometry.windows(2).map(|w| haversine_m(w[0], w[1])).sum::<f64>();
    Stretch {
        geometry,
        length_m,
        duration_s: length_m / 10.0,
        way_osm_id: id,
        name: (!name.is_empty()).then(|| name.to_owned()),
        reference: None,
        class: RoadClass::Residential,
        flags: EdgeFlags::default(),
    }
}

fn with(mut s: Stretch, flag: EdgeFlags) -> Stretch {
    s.flags.insert(flag);
    s
}

fn class(mut s: Stretch, class: RoadClass) -> Stretch {
    s.class = class;
    s
}

fn leg(stretches: Vec<Stretch>) -> Leg {
    let distance_m = stretches.iter().map(|s| s.length_m).sum();
    let duration_s = stretches.iter().map(|s| s.duration_s).sum();
    Leg { stretches, distance_m, duration_s }
}

/// One line per step: `kind[ modifier][ exit=N] | name | instruction`.
fn render(steps: &[Step], mode: Mode) -> Vec<String> {
    steps
        .iter()
        .map(|s| {
            let mut head = s.maneuver.kind.osrm_name().to_owned();
            if let Some(m) = s.maneuver.modifier {
                head = format!("{head} {}", m.osrm_name());
            }
            if let Some(n) = s.maneuver.exit {
                head = format!("{head} exit={n}");
            }
            format!("{head} | {} | {}", s.name, instruction(s, mode))
        })
        .collect()
}

/// Builds the leg, checks the steps against `expected` and the invariants every answer keeps.
fn check(mode: Mode, stretches: Vec<Stretch>, expected: &[&str]) -> Vec<Step> {
    let leg = leg(stretches);
    let geometry = leg.geometry();
    let (from, to) =
        (geometry.first().copied().unwrap_or(at(0.0, 0.0)), geometry.last().copied().unwrap_or(at(0.0, 0.0)));
    let steps = steps(&leg, mode, from, to);
    assert_eq!(render(&steps, mode), expected);
    // Steps cover the leg exactly: distances add up and each starts where the previous ended.
    let total: f64 = steps.iter().map(|s| s.distance_m).sum();
    assert!((total - leg.distance_m).abs() < 1e-6, "{total} vs {}", leg.distance_m);
    for pair in steps.windows(2) {
        assert_eq!(pair[0].geometry.last(), Some(&pair[1].maneuver.location));
    }
    for s in &steps {
        assert!(s.geometry.len() >= 2);
        assert_eq!(s.geometry.first(), Some(&s.maneuver.location));
    }
    steps
}

const NORTH: [(f64, f64); 2] = [(0.0, 0.0), (0.0, 1.0)];

#[test]
fn straight_road_split_into_stretches_is_one_step() {
    let steps = check(
        Mode::Car,
        vec![
            way(1, "Main", &NORTH),
            way(1, "Main", &[(0.0, 1.0), (0.0, 2.0)]),
            way(1, "Main", &[(0.0, 2.0), (0.0, 3.0)]),
        ],
        &["depart | Main | Head north on Main", "arrive | Main | Arrive at your destination"],
    );
    assert_eq!(steps[0].geometry, vec![at(0.0, 0.0), at(0.0, 1.0), at(0.0, 2.0), at(0.0, 3.0)]);
    assert_eq!((steps[0].maneuver.bearing_before, steps[0].maneuver.bearing_after), (0, 0));
    assert_eq!((steps[1].maneuver.bearing_before, steps[1].geometry.len(), steps[1].distance_m), (0, 2, 0.0));
}

#[test]
fn turns_by_angle() {
    let cases: [((f64, f64), &str); 7] = [
        ((1.0, 1.0), "turn right | Side | Turn right onto Side"),
        ((-1.0, 1.0), "turn left | Side | Turn left onto Side"),
        ((1.0, 0.0), "turn sharp right | Side | Sharp right onto Side"),
        ((-1.0, 0.2), "turn sharp left | Side | Sharp left onto Side"),
        ((0.5, 1.9), "turn slight right | Side | Slight right onto Side"),
        ((-0.5, 1.9), "turn slight left | Side | Slight left onto Side"),
        ((0.0, 0.0), "turn uturn | Side | Make a U-turn onto Side"),
    ];
    for (end, line) in cases {
        check(
            Mode::Car,
            vec![way(1, "Main", &NORTH), way(2, "Side", &[(0.0, 1.0), end])],
            &["depart | Main | Head north on Main", line, "arrive | Side | Arrive at your destination"],
        );
    }
}

#[test]
fn bearings_of_a_right_turn() {
    let steps = check(
        Mode::Car,
        vec![way(1, "Main", &[(0.0, 0.0), (1.0, 1.0)]), way(2, "Rue Y", &[(1.0, 1.0), (2.0, 0.0)])],
        &[
            "depart | Main | Head northeast on Main",
            "turn right | Rue Y | Turn right onto Rue Y",
            "arrive | Rue Y | Arrive at your destination",
        ],
    );
    assert_eq!((steps[0].maneuver.bearing_before, steps[0].maneuver.bearing_after), (0, 45));
    assert_eq!((steps[1].maneuver.bearing_before, steps[1].maneuver.bearing_after), (45, 135));
    assert_eq!(steps[2].maneuver.bearing_before, 135);
}

#[test]
fn name_changes_and_same_name_turns() {
    check(
        Mode::Car,
        vec![way(1, "Main", &NORTH), way(2, "Avenue", &[(0.0, 1.0), (0.1, 2.0)])],
        &[
            "depart | Main | Head north on Main",
            "new name straight | Avenue | Continue onto Avenue",
            "arrive | Avenue | Arrive at your destination",
        ],
    );
    // The same name on another way: a slight bend joins the step, a real turn does not.
    check(
        Mode::Car,
        vec![
            way(1, "Main", &NORTH),
            way(2, "Main", &[(0.0, 1.0), (0.5, 2.0)]),
            way(3, "Main", &[(0.5, 2.0), (1.5, 2.0)]),
        ],
        &[
            "depart | Main | Head north on Main",
            "continue right | Main | Turn right to stay on Main",
            "arrive | Main | Arrive at your destination",
        ],
    );
    // The same way turning a corner stays one step; turning back on it is a U-turn.
    check(
        Mode::Car,
        vec![way(1, "Main", &NORTH), way(1, "Main", &[(0.0, 1.0), (1.0, 1.0)])],
        &["depart | Main | Head north on Main", "arrive | Main | Arrive at your destination"],
    );
    check(
        Mode::Car,
        vec![way(1, "Main", &NORTH), way(1, "Main", &[(0.0, 1.0), (0.0, 0.5)])],
        &[
            "depart | Main | Head north on Main",
            "continue uturn | Main | Make a U-turn onto Main",
            "arrive | Main | Arrive at your destination",
        ],
    );
}

#[test]
fn unnamed_roads_and_refs() {
    let mut a = way(2, "Avenue X", &[(0.0, 1.0), (1.0, 1.0)]);
    a.reference = Some("D 12".into());
    check(
        Mode::Car,
        vec![way(1, "", &NORTH), a, way(3, "", &[(1.0, 1.0), (1.0, 2.0)])],
        &[
            "depart |  | Head north",
            "turn right | Avenue X | Turn right onto Avenue X (D 12)",
            "turn left |  | Turn left",
            "arrive |  | Arrive at your destination",
        ],
    );
}

#[test]
fn roundabout_second_exit() {
    let ring = |pts: &[(f64, f64)]| with(way(10, "Place Ronde", pts), EdgeFlags::ROUNDABOUT);
    let steps = check(
        Mode::Car,
        vec![
            way(1, "Approach", &[(0.0, -2.0), (0.0, -1.0)]),
            ring(&[(0.0, -1.0), (0.7, -0.7), (1.0, 0.0)]),
            ring(&[(1.0, 0.0), (0.7, 0.7), (0.0, 1.0)]),
            way(2, "Exit Road", &[(0.0, 1.0), (0.0, 2.0)]),
        ],
        &[
            "depart | Approach | Head north on Approach",
            "roundabout straight exit=2 | Exit Road | At the roundabout, take the 2nd exit onto Exit Road",
            "exit roundabout straight exit=2 | Exit Road | Exit the roundabout onto Exit Road",
            "arrive | Exit Road | Arrive at your destination",
        ],
    );
    assert_eq!(steps[1].geometry.len(), 5);
    let html = instruction_html(&steps[1], Mode::Car);
    assert_eq!(html, "At the roundabout, take the <b>2nd</b> exit onto <b>Exit Road</b>");
    // Ending on the ring: no exit.
    check(
        Mode::Car,
        vec![way(1, "Approach", &[(0.0, -2.0), (0.0, -1.0)]), ring(&[(0.0, -1.0), (0.7, -0.7), (1.0, 0.0)])],
        &[
            "depart | Approach | Head north on Approach",
            "roundabout right | Place Ronde | Enter the roundabout",
            "arrive | Place Ronde | Arrive at your destination",
        ],
    );
}

#[test]
fn ferry_crossing() {
    let steps = check(
        Mode::Car,
        vec![
            way(1, "Quay", &NORTH),
            class(with(way(2, "Island Ferry", &[(0.0, 1.0), (0.0, 5.0)]), EdgeFlags::FERRY), RoadClass::Ferry),
            way(3, "Harbour Road", &[(0.0, 5.0), (0.0, 6.0)]),
        ],
        &[
            "depart | Quay | Head north on Quay",
            "new name straight | Island Ferry | Take the Island Ferry",
            "new name straight | Harbour Road | Continue onto Harbour Road",
            "arrive | Harbour Road | Arrive at your destination",
        ],
    );
    let modes: Vec<&str> = steps.iter().map(|s| s.travel_mode.osrm_name()).collect();
    assert_eq!(modes, ["driving", "ferry", "driving", "driving"]);
    // An unnamed ferry on a road of no name still starts its own step.
    check(
        Mode::Foot,
        vec![way(1, "", &NORTH), with(way(2, "", &[(0.0, 1.0), (0.0, 3.0)]), EdgeFlags::FERRY)],
        &["depart |  | Head north", "continue straight |  | Take the ferry", "arrive |  | Arrive at your destination"],
    );
}

#[test]
fn motorway_ramps_forks_and_merges() {
    let link = |id, pts: &[(f64, f64)]| class(with(way(id, "", pts), EdgeFlags::LINK), RoadClass::Motorway);
    let motorway = |id, name, pts: &[(f64, f64)]| class(way(id, name, pts), RoadClass::Motorway);
    let expected = [
        "depart | Main | Head north on Main",
        "on ramp slight right |  | Take the ramp on the right",
        "merge slight left | A1 | Merge onto A1",
        "fork slight right | A2 | Keep right at the fork onto A2",
        "off ramp slight right |  | Take the exit on the right",
        "end of road right | Local | At the end of the road, turn right onto Local",
        "arrive | Local | Arrive at your destination",
    ];
    let route = vec![
        class(way(1, "Main", &NORTH), RoadClass::Primary),
        link(2, &[(0.0, 1.0), (0.5, 2.0)]),
        motorway(3, "A1", &[(0.5, 2.0), (0.5, 4.0)]),
        motorway(4, "A2", &[(0.5, 4.0), (1.0, 5.0), (1.0, 6.0)]),
        link(5, &[(1.0, 6.0), (1.5, 7.0)]),
        class(way(6, "Local", &[(1.5, 7.0), (2.5, 7.0)]), RoadClass::Secondary),
    ];
    check(Mode::Car, route.clone(), &expected);
    // Walking the same line: no ramps, only names and turns.
    check(
        Mode::Foot,
        route,
        &[
            "depart | Main | Head north on Main",
            "turn slight right |  | Slight right",
            "turn slight left | A1 | Slight left onto A1",
            "turn slight right | A2 | Slight right onto A2",
            "turn slight right |  | Slight right",
            "turn right | Local | Turn right onto Local",
            "arrive | Local | Arrive at your destination",
        ],
    );
}

#[test]
fn pushing_a_bicycle_is_its_own_step() {
    let steps = check(
        Mode::Bicycle,
        vec![way(1, "Quai", &NORTH), with(way(2, "Quai", &[(0.0, 1.0), (0.0, 2.0)]), EdgeFlags::PUSH)],
        &[
            "depart | Quai | Head north on Quai",
            "continue straight | Quai | Continue straight to stay on Quai",
            "arrive | Quai | Arrive at your destination",
        ],
    );
    assert_eq!(steps[1].travel_mode, TravelMode::PushingBike);
    assert_eq!(steps[0].travel_mode, TravelMode::Cycling);
}

#[test]
fn zero_length_stretches_do_not_hide_the_turn() {
    check(
        Mode::Car,
        vec![
            way(1, "Main", &NORTH),
            way(2, "Dot", &[(0.0, 1.0), (0.0, 1.0)]),
            way(3, "Side", &[(0.0, 1.0), (-1.0, 1.0)]),
        ],
        &[
            "depart | Main | Head north on Main",
            "turn left | Side | Turn left onto Side",
            "arrive | Side | Arrive at your destination",
        ],
    );
    // Starting and ending on a node: the empty stretches join the first and last steps.
    check(
        Mode::Car,
        vec![
            way(7, "Start", &[(0.0, 0.0), (0.0, 0.0)]),
            way(1, "Main", &NORTH),
            way(3, "Side", &[(0.0, 1.0), (-1.0, 1.0)]),
            way(8, "End", &[(-1.0, 1.0), (-1.0, 1.0)]),
        ],
        &[
            "depart | Main | Head north on Main",
            "turn left | Side | Turn left onto Side",
            "arrive | Side | Arrive at your destination",
        ],
    );
}

#[test]
fn leg_without_stretches_departs_and_arrives_at_the_waypoint() {
    let w = at(3.0, 4.0);
    let steps = steps(&leg(vec![]), Mode::Foot, w, w);
    assert_eq!(render(&steps, Mode::Foot), ["depart |  | Head north", "arrive |  | Arrive at your destination"]);
    for s in &steps {
        assert_eq!((s.maneuver.location, s.distance_m, s.travel_mode), (w, 0.0, TravelMode::Walking));
        assert_eq!(s.geometry, vec![w, w]);
    }
}

#[test]
fn html_instructions_escape_names() {
    let steps = check(
        Mode::Car,
        vec![way(1, "Avenue X", &[(0.0, 0.0), (1.0, 1.0)]), way(2, "Rue <Y> & Co", &[(1.0, 1.0), (0.0, 2.0)])],
        &[
            "depart | Avenue X | Head northeast on Avenue X",
            "turn left | Rue <Y> & Co | Turn left onto Rue <Y> & Co",
            "arrive | Rue <Y> & Co | Arrive at your destination",
        ],
    );
    let html: Vec<String> = steps.iter().map(|s| instruction_html(s, Mode::Car)).collect();
    assert_eq!(
        html,
        [
            "Head <b>northeast</b> on <b>Avenue X</b>",
            "Turn <b>left</b> onto <b>Rue &lt;Y&gt; &amp; Co</b>",
            "Arrive at your destination",
        ]
    );
}

#[test]
fn summary_names_the_longest_roads_in_travel_order() {
    let l = leg(vec![
        way(1, "Short", &[(0.0, 0.0), (0.0, 0.5)]),
        way(2, "Long", &[(0.0, 0.5), (0.0, 5.0)]),
        way(3, "", &[(0.0, 5.0), (0.0, 9.0)]),
        way(4, "Middle", &[(0.0, 9.0), (0.0, 11.0)]),
        way(5, "Short", &[(0.0, 11.0), (0.0, 11.5)]),
    ]);
    assert_eq!(summary(&l, 2), "Long, Middle");
    assert_eq!(summary(&l, 1), "Long");
    assert_eq!(summary(&l, 5), "Short, Long, Middle");
    assert_eq!(summary(&leg(vec![]), 2), "");
}
