//! Nodes and relations: barriers, access on nodes, which turn restrictions bind.

use super::*;

fn passes(mode: Mode, tags: &str) -> bool {
    Profile::new(mode).barrier_passable(&parse_tags(tags))
}

#[test]
fn barriers() {
    // (tags, [car, foot, bicycle]); {car,foot,bicycle}/barrier.feature and access_node.feature.
    let cases: &[(&str, [bool; 3])] = &[
        ("", [true, true, true]),
        ("highway=traffic_signals", [true, true, true]),
        ("barrier=gate", [true, true, true]),
        ("barrier=lift_gate", [true, true, true]),
        ("barrier=swing_gate", [true, true, true]),
        ("barrier=cattle_grid", [true, true, true]),
        ("barrier=border_control", [true, true, true]),
        ("barrier=toll_booth", [true, true, true]),
        ("barrier=sally_port", [true, true, true]),
        ("barrier=entrance", [true, true, true]),
        ("barrier=no", [true, true, true]),
        ("barrier=bollard", [false, true, true]),
        ("barrier=bollard bollard=rising", [true, true, true]),
        ("barrier=block", [false, true, true]),
        ("barrier=cycle_barrier", [false, true, true]),
        ("barrier=kissing_gate", [false, true, true]),
        ("barrier=stile", [false, true, true]),
        ("barrier=full-height_turnstile", [false, true, false]),
        ("barrier=kerb", [false, true, true]),
        ("barrier=kerb kerb=lowered", [true, true, true]),
        ("barrier=kerb highway=crossing", [true, true, true]),
        ("barrier=height_restrictor maxheight=2", [false, true, true]),
        ("barrier=height_restrictor maxheight=3", [true, true, true]),
        ("barrier=some_tag", [false, true, true]),
        ("barrier=wall", [false, false, false]),
        ("barrier=fence", [false, false, false]),
        ("barrier=yes", [false, false, false]),
        ("barrier=gate locked=yes", [false, false, false]),
        // Access tags trump barriers.
        ("barrier=gate access=no", [false, false, false]),
        ("barrier=gate access=yes", [true, true, true]),
        ("barrier=gate access=private", [true, false, false]),
        ("barrier=gate access=agricultural", [false, false, false]),
        ("barrier=gate access=garbagetag", [true, true, true]),
        ("barrier=gate foot=no", [true, false, true]),
        ("barrier=gate locked=yes foot=yes", [false, true, false]),
        ("barrier=bollard motor_vehicle=yes", [true, true, true]),
        ("barrier=bollard access=no", [false, false, false]),
        ("barrier=wall access=yes", [true, true, true]),
        ("barrier=wall access=designated", [true, true, true]),
        ("barrier=lift_gate motor_vehicle=no", [false, true, true]),
        // Access on a node without a barrier (car/access.feature "on nodes").
        ("access=no", [false, false, false]),
        ("access=no motorcar=yes", [true, false, false]),
        ("access=yes vehicle=no", [false, true, false]),
        ("motorcar=no", [false, true, true]),
        ("access=delivery", [true, false, false]),
        ("access=some_tag", [true, true, true]),
        ("bicycle=no", [true, true, false]),
        ("bicycle=no highway=crossing", [true, true, true]),
        ("foot=no highway=crossing", [true, false, true]),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(tags, want)| {
            let got = [Mode::Car, Mode::Foot, Mode::Bicycle].map(|m| passes(m, tags));
            (got != want).then(|| format!("[{tags}]: car/foot/bicycle got {got:?}, want {want:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn node_delays() {
    // (tags, [car, foot, bicycle]) in seconds; OSRM's car `barrier_penalties`, which its
    // `process_node` skips where the node has an access tag (any value).
    let cases: &[(&str, [f64; 3])] = &[
        ("", [0.0, 0.0, 0.0]),
        ("barrier=gate", [60.0, 0.0, 0.0]),
        ("barrier=lift_gate", [60.0, 0.0, 0.0]),
        ("barrier=swing_gate", [60.0, 0.0, 0.0]),
        ("barrier=sliding_gate", [60.0, 0.0, 0.0]),
        ("barrier=entrance", [0.0, 0.0, 0.0]),
        ("barrier=toll_booth", [0.0, 0.0, 0.0]),
        ("barrier=cattle_grid", [0.0, 0.0, 0.0]),
        ("barrier=bollard bollard=rising", [0.0, 0.0, 0.0]),
        // The graph builder adds the traffic-signal delay itself, for every mode.
        ("highway=traffic_signals", [0.0, 0.0, 0.0]),
        // An access tag of the car's keys decides instead: an open gate, or one the driver may open.
        ("barrier=gate access=yes", [0.0, 0.0, 0.0]),
        ("barrier=gate access=permissive", [0.0, 0.0, 0.0]),
        ("barrier=gate access=private", [0.0, 0.0, 0.0]),
        ("barrier=gate motor_vehicle=yes", [0.0, 0.0, 0.0]),
        ("barrier=lift_gate motorcar=destination", [0.0, 0.0, 0.0]),
        ("barrier=gate access=garbagetag", [0.0, 0.0, 0.0]),
        // Keys that are not the car's do not.
        ("barrier=gate foot=yes", [60.0, 0.0, 0.0]),
        ("barrier=gate bicycle=no", [60.0, 0.0, 0.0]),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(tags, want)| {
            let got = [Mode::Car, Mode::Foot, Mode::Bicycle].map(|m| Profile::new(m).node_delay_s(&parse_tags(tags)));
            (got != want).then(|| format!("[{tags}]: car/foot/bicycle got {got:?}, want {want:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn restrictions_bind_by_mode_and_except() {
    use crate::osm::{Restriction, TurnKind, Via};
    let r = |mode: Option<&str>, except: &[&str]| Restriction {
        id: 1,
        kind: TurnKind::No,
        turn: "left_turn".to_owned(),
        mode: mode.map(str::to_owned),
        from: vec![1],
        via: Via::Node(2),
        to: vec![3],
        except: except.iter().map(|s| (*s).to_owned()).collect(),
    };
    let (car, foot, bike) = (Profile::car(), Profile::foot(), Profile::bicycle());
    // (restriction, [car, foot, bicycle]); car/restrictions.feature. Departure: OSRM's bicycle
    // ignores every restriction (bicycle/restrictions.feature); ours obeys the plain one.
    let cases = [
        (r(None, &[]), [true, false, true]),
        (r(None, &["bicycle"]), [true, false, false]),
        (r(None, &["psv", "motorcar"]), [false, false, true]),
        (r(None, &["motor_vehicle"]), [false, false, true]),
        (r(Some("hgv"), &[]), [false, false, false]),
        (r(Some("motorcar"), &[]), [true, false, false]),
        (r(Some("vehicle"), &[]), [true, false, true]),
        (r(Some("bicycle"), &[]), [false, false, true]),
        (r(Some("foot"), &[]), [false, true, false]),
    ];
    for (restriction, want) in cases {
        let got = [&car, &foot, &bike].map(|p| p.restriction_applies(&restriction));
        assert_eq!(got, want, "{restriction:?}");
    }
}
