//! One table-driven test per profile rule: `check(mode, tags, expected)` where `expected`
//! reads `"<forward>/<backward> flags"` (km/h, `x` where closed) or `"-"` for "not routable".

use super::tags::parse_tags;
use super::{Mode, Profile, WayRule};

fn kmh(v: Option<f64>) -> String {
    match v {
        None => "x".to_owned(),
        Some(v) if (v - v.round()).abs() < 1e-9 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

fn describe(rule: Option<WayRule>) -> String {
    let Some(r) = rule else { return "-".to_owned() };
    let mut s = format!("{}/{}", kmh(r.forward_kmh), kmh(r.backward_kmh));
    use super::EdgeFlags as F;
    for (flag, word) in [
        (F::FERRY, "ferry"),
        (F::DESTINATION, "dest"),
        (F::TOLL, "toll"),
        (F::ROUNDABOUT, "roundabout"),
        (F::LINK, "link"),
        (F::PUSH, "push"),
    ] {
        if r.flags.contains(flag) {
            s.push(' ');
            s.push_str(word);
        }
    }
    if let Some(d) = r.duration_s {
        s.push_str(&format!(" {d:.0}s"));
    }
    if r.bad_maxspeed {
        s.push_str(" bad-maxspeed");
    }
    if r.bad_duration {
        s.push_str(" bad-duration");
    }
    s
}

fn check(mode: Mode, tags: &str, expected: &str) {
    let got = describe(Profile::new(mode).way(&parse_tags(tags)));
    assert_eq!(got, expected, "{mode} on [{tags}]");
}

fn check_all(cases: &[(Mode, &str, &str)]) {
    for &(mode, tags, expected) in cases {
        check(mode, tags, expected);
    }
}

use Mode::{Bicycle as B, Car as C, Foot as F};

#[test]
fn highway_classes_and_default_speeds() {
    check_all(&[
        (C, "highway=motorway", "90/x"),
        (C, "highway=primary", "65/65"),
        (C, "highway=residential", "25/25"),
        (C, "highway=living_street", "10/10"),
        (C, "highway=service", "15/15"),
        (C, "highway=footway", "-"),
        (C, "highway=cycleway", "-"),
        (C, "highway=track", "-"),
        (C, "highway=construction", "-"),
        (C, "building=yes", "-"),
        (F, "highway=footway", "5/5"),
        (F, "highway=primary", "5/5"),
        (F, "highway=motorway", "-"),
        (F, "highway=motorway_link", "-"),
        (F, "highway=cycleway", "-"),
        (F, "man_made=pier", "5/5"),
        (B, "highway=cycleway", "15/15"),
        (B, "highway=track", "12/12"),
        (B, "highway=living_street", "10/10"),
        (B, "highway=motorway", "-"),
        (B, "highway=footway", "4/4 push"),
        (B, "highway=footway bicycle=yes", "15/15"),
        (B, "highway=footway bicycle=dismount", "4/4 push"),
        (B, "highway=primary_link", "15/15 link"),
    ]);
}

#[test]
fn maxspeed() {
    check_all(&[
        (C, "highway=primary maxspeed=50", "40/40"),
        (C, "highway=primary maxspeed=30mph", "38.6/38.6"),
        (C, "highway=motorway maxspeed=none", "90/x"),
        (C, "highway=residential maxspeed=walk", "4/4"),
        (C, "highway=residential maxspeed=DE:urban", "40/40"),
        (C, "highway=primary maxspeed=fast", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=99999", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=100 maxspeed:backward=50", "80/40"),
        (B, "highway=primary maxspeed=10", "10/10"),
        (B, "highway=primary maxspeed=50", "15/15"),
        (F, "highway=primary maxspeed=2", "5/5"),
    ]);
}

#[test]
fn access_hierarchy() {
    check_all(&[
        (C, "highway=residential access=no", "-"),
        (C, "highway=residential access=private", "-"),
        (C, "highway=residential access=destination", "25/25 dest"),
        (C, "highway=residential access=delivery", "25/25 dest"),
        (C, "highway=residential access=customers", "25/25 dest"),
        (C, "highway=residential access=permissive", "25/25"),
        (C, "highway=residential access=no motor_vehicle=yes", "25/25"),
        (C, "highway=residential vehicle=no", "-"),
        (C, "highway=residential motor_vehicle=no motorcar=designated", "25/25"),
        (C, "highway=residential motorcar=no", "-"),
        (C, "highway=residential access=garbage", "25/25"),
        (C, "highway=service access=agricultural", "-"),
        (C, "highway=footway motorcar=yes", "-"),
        (F, "highway=residential access=no", "-"),
        (F, "highway=residential access=no foot=yes", "5/5"),
        (F, "highway=residential vehicle=no", "5/5"),
        (F, "highway=footway foot=private", "-"),
        (F, "highway=cycleway foot=designated", "5/5"),
        (F, "highway=primary motorroad=yes", "-"),
        (B, "highway=residential vehicle=no", "-"),
        (B, "highway=residential motor_vehicle=no", "15/15"),
        (B, "highway=residential vehicle=no bicycle=yes", "15/15"),
        (B, "highway=residential access=destination", "15/15 dest"),
        (B, "highway=trunk motorroad=yes", "-"),
        (B, "highway=path bicycle=no", "-"),
    ]);
}

#[test]
fn oneway() {
    check_all(&[
        (C, "highway=primary oneway=yes", "65/x"),
        (C, "highway=primary oneway=1", "65/x"),
        (C, "highway=primary oneway=true", "65/x"),
        (C, "highway=primary oneway=-1", "x/65"),
        (C, "highway=primary oneway=no", "65/65"),
        (C, "highway=primary oneway=reversible", "-"),
        (C, "highway=primary oneway=perhaps", "65/65"),
        (C, "highway=motorway", "90/x"),
        (C, "highway=motorway oneway=no", "90/90"),
        (C, "highway=motorway_link", "45/x link"),
        (C, "highway=primary junction=roundabout", "65/x roundabout"),
        (C, "highway=primary junction=circular", "65/x roundabout"),
        (F, "highway=primary oneway=yes", "5/5"),
        (F, "highway=primary junction=roundabout", "5/5 roundabout"),
        (F, "highway=footway oneway:foot=yes", "5/x"),
        (B, "highway=residential oneway=yes", "15/x"),
        (B, "highway=residential oneway=yes oneway:bicycle=no", "15/15"),
        (B, "highway=residential oneway=yes cycleway=opposite", "15/15"),
        (B, "highway=residential oneway=yes cycleway=opposite_lane", "15/15"),
        (B, "highway=residential oneway=-1 cycleway:left=opposite_track", "15/15"),
        (B, "highway=cycleway oneway:bicycle=yes", "15/x"),
    ]);
}

#[test]
fn ferries() {
    check_all(&[
        (C, "route=ferry", "5/5 ferry"),
        (C, "route=ferry duration=PT1H30M", "5/5 ferry 5400s"),
        (C, "route=ferry duration=01:15", "5/5 ferry 4500s"),
        (C, "route=ferry duration=whenever", "5/5 ferry bad-duration"),
        (C, "route=ferry motor_vehicle=no", "-"),
        (C, "route=ferry oneway=yes toll=yes", "5/x ferry toll"),
        (F, "route=ferry foot=yes", "5/5 ferry"),
        (B, "route=ferry", "5/5 ferry"),
    ]);
}

#[test]
fn areas_and_steps() {
    check_all(&[
        (F, "highway=pedestrian area=yes", "5/5"),
        (C, "highway=pedestrian area=yes", "-"),
        (C, "highway=service area=yes", "-"),
        (B, "highway=pedestrian area=yes", "-"),
        (F, "highway=steps", "5/5"),
        (C, "highway=steps", "-"),
        (B, "highway=steps", "-"),
        (B, "highway=steps ramp:bicycle=yes", "2/2 push"),
        (B, "highway=steps bicycle=yes", "2/2 push"),
    ]);
}

fn check_barrier(mode: Mode, tags: &str, passable: bool) {
    assert_eq!(Profile::new(mode).barrier_passable(&parse_tags(tags)), passable, "{mode} through [{tags}]");
}

#[test]
fn barriers() {
    let cases: &[(&str, [bool; 3])] = &[
        // tags: car, foot, bicycle
        ("", [true, true, true]),
        ("highway=traffic_signals", [true, true, true]),
        ("barrier=gate", [false, true, true]),
        ("barrier=gate access=yes", [true, true, true]),
        ("barrier=gate access=private", [false, false, false]),
        ("barrier=gate foot=no", [false, false, true]),
        ("barrier=lift_gate", [true, true, true]),
        ("barrier=lift_gate motor_vehicle=no", [false, true, true]),
        ("barrier=bollard", [false, true, true]),
        ("barrier=bollard motor_vehicle=yes", [true, true, true]),
        ("barrier=block", [false, true, true]),
        ("barrier=kerb", [false, true, true]),
        ("barrier=cycle_barrier", [false, true, true]),
        ("barrier=stile", [false, true, false]),
        ("barrier=kissing_gate bicycle=yes", [false, true, true]),
        ("barrier=toll_booth", [true, true, true]),
        ("barrier=cattle_grid", [true, true, true]),
        ("barrier=fence", [false, false, false]),
        ("barrier=something_new", [false, true, true]),
    ];
    for (tags, [car, foot, bicycle]) in cases {
        check_barrier(Mode::Car, tags, *car);
        check_barrier(Mode::Foot, tags, *foot);
        check_barrier(Mode::Bicycle, tags, *bicycle);
    }
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
    let cases = [
        (r(None, &[]), [true, false, true]),
        (r(None, &["bicycle"]), [true, false, false]),
        (r(None, &["psv", "motorcar"]), [false, false, true]),
        (r(Some("hgv"), &[]), [false, false, false]),
        (r(Some("motorcar"), &[]), [true, false, false]),
        (r(Some("bicycle"), &[]), [false, false, true]),
        (r(Some("foot"), &[]), [false, true, false]),
    ];
    for (restriction, [c, f, b]) in cases {
        assert_eq!(
            [
                car.restriction_applies(&restriction),
                foot.restriction_applies(&restriction),
                bike.restriction_applies(&restriction)
            ],
            [c, f, b],
            "{restriction:?}"
        );
    }
}
