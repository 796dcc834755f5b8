//! Speeds: maxspeed, surfaces, ferries, and the sweep that no speed is ever zero.

use super::*;

#[test]
fn maxspeed() {
    check_all(&[
        // car/maxspeed.feature: 80 % of any tagged limit, higher or lower than the class.
        (C, "highway=trunk maxspeed=60", "48/48"),
        (C, "highway=trunk maxspeed=FR:urban", "40/40"),
        (C, "highway=trunk maxspeed=CH:rural", "64/64"),
        (C, "highway=trunk maxspeed=CH:trunk", "80/80"),
        (C, "highway=trunk maxspeed=CH:motorway", "96/96"),
        (C, "highway=residential maxspeed=90", "72/72"),
        (C, "highway=living_street maxspeed=FR:urban", "40/40"),
        (C, "highway=primary maxspeed=30mph", "38.6/38.6"),
        (C, "highway=primary maxspeed=RU:rural", "72/72"),
        (C, "highway=primary maxspeed=DE:urban", "40/40"),
        (C, "highway=motorway maxspeed=DE:motorway", "90/x"),
        (C, "highway=motorway maxspeed=none", "112/x"),
        (C, "highway=residential maxspeed=walk", "4/4"),
        (C, "highway=primary maxspeed=signals", "65/65"),
        (C, "highway=primary maxspeed:forward=60", "48/65"),
        (C, "highway=primary maxspeed:backward=60", "65/48"),
        (C, "highway=primary maxspeed=15 maxspeed:forward=60", "48/12"),
        (C, "highway=primary maxspeed=15 maxspeed:backward=60", "12/48"),
        (C, "highway=primary maxspeed=15 maxspeed:forward=30 maxspeed:backward=60", "24/48"),
        // car/advisory.feature: advisory first; source:maxspeed and maxspeed:type stand in.
        (C, "highway=primary maxspeed=100 maxspeed:advisory=50", "40/40"),
        (C, "highway=primary source:maxspeed=DE:rural", "80/80"),
        (C, "highway=primary maxspeed:type=DE:urban", "40/40"),
        (C, "highway=primary source:maxspeed=sign", "65/65"),
        (C, "highway=secondary access=no maxspeed=100", "-"),
        // Garbage is ignored and counted.
        (C, "highway=primary maxspeed=fast", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=99999", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=99999999999", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=0", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=-50", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=NaN", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=XX:nowhere", "65/65 bad-maxspeed"),
        (C, "highway=primary maxspeed=50;30", "40/40"),
        // bicycle/maxspeed.feature: never faster than the limit.
        (B, "highway=residential maxspeed=10", "10/10"),
        (B, "highway=residential maxspeed=50", "15/15"),
        (B, "highway=residential maxspeed=10 maxspeed:backward=5", "10/5"),
        (B, "highway=residential maxspeed=walk", "5/5"),
        (B, "highway=residential maxspeed=none", "15/15"),
        (B, "highway=residential maxspeed=garbage", "15/15 bad-maxspeed"),
        // foot/maxspeed.feature: walkers ignore it.
        (W, "highway=primary maxspeed=2", "5/5"),
        (W, "highway=primary maxspeed=garbage", "5/5"),
    ]);
}

#[test]
fn surfaces() {
    check_all(&[
        // car/surface.feature: the lowest cap of surface, tracktype, smoothness.
        (C, "highway=motorway oneway=no surface=asphalt", "90/90"),
        (C, "highway=motorway oneway=no surface=cement", "80/80"),
        (C, "highway=motorway oneway=no surface=gravel", "40/40"),
        (C, "highway=motorway oneway=no surface=mud", "10/10"),
        (C, "highway=motorway oneway=no tracktype=grade2", "40/40"),
        (C, "highway=motorway oneway=no smoothness=very_horrible", "5/5"),
        (C, "highway=motorway oneway=no tracktype=grade1 surface=mud smoothness=excellent", "10/10"),
        (C, "highway=service tracktype=grade1 surface=asphalt smoothness=excellent", "15/15"),
        (C, "highway=primary surface=nonsense tracktype=nonsense smoothness=nonsense", "65/65"),
        (C, "highway=primary oneway=yes tracktype=grade5 smoothness=very_bad surface=mud", "10/x"),
        // The limit overrides the cap, as in OSRM (maxspeed runs after surface).
        (C, "highway=primary surface=gravel maxspeed=70", "56/56"),
        (B, "highway=residential surface=gravel", "6/6"),
        (B, "highway=residential surface=paving_stones", "10/10"),
        (B, "highway=footway surface=sand", "3p/3p"),
        (W, "highway=footway surface=gravel", "3.8/3.8"),
        (W, "highway=footway surface=mud", "2.5/2.5"),
    ]);
}

#[test]
fn ferries() {
    check_all(&[
        (C, "route=ferry", "5/5 ferry"),
        (C, "route=ferry motorcar=yes", "5/5 ferry"),
        (C, "route=ferry duration=PT1H30M", "5/5 ferry 5400s"),
        (C, "route=ferry duration=00:01:00", "5/5 ferry 60s"),
        (C, "route=ferry duration=01:15", "5/5 ferry 4500s"),
        (C, "route=ferry duration=20", "5/5 ferry 1200s"),
        (C, "route=ferry duration=whenever", "5/5 ferry bad-duration"),
        (C, "route=ferry duration=PT-5M", "5/5 ferry bad-duration"),
        (C, "route=ferry duration=99999999999", "5/5 ferry bad-duration"),
        (C, "route=ferry motor_vehicle=no", "-"),
        (C, "route=ferry oneway=yes toll=yes", "5/x ferry toll"),
        (C, "route=ferry oneway=reversible", "-"),
        (C, "route=ferry access=private", "5d/5d ferry"),
        (C, "route=shuttle_train", "10/10 ferry"),
        (W, "route=ferry foot=yes", "5/5 ferry"),
        (W, "route=ferry foot=no", "-"),
        (W, "route=ferry oneway=yes", "5/5 ferry"),
        (W, "route=shuttle_train", "-"),
        (B, "route=ferry", "5/5 ferry"),
        (B, "route=ferry duration=1:00", "5/5 ferry 3600s"),
        (B, "route=bus", "-"),
    ]);
}

#[test]
fn ferry_speed_from_duration_is_bounded() {
    use crate::profile::ferry_kmh;
    assert!(ferry_kmh(1000.0, 60.0).is_some_and(|k| (k - 60.0).abs() < 1e-9));
    assert_eq!(ferry_kmh(100_000.0, 1.0), None);
    assert_eq!(ferry_kmh(0.0, 60.0), None);
    assert_eq!(ferry_kmh(1000.0, 0.0), None);
    assert_eq!(ferry_kmh(1000.0, -5.0), None);
}

#[test]
fn every_open_direction_has_a_positive_finite_speed() {
    // A sweep over combinations of the tags the rules read: whatever a way says, a rule never
    // hands the graph a zero, negative or non-finite speed.
    let highways = ["motorway", "primary", "footway", "steps", "cycleway", "runway", "construction", ""];
    let extras = [
        "",
        "maxspeed=99999999999",
        "maxspeed=0.0001",
        "maxspeed=-1",
        "maxspeed=walk",
        "maxspeed=none",
        "maxspeed:forward=1 maxspeed:backward=300",
        "surface=mud smoothness=very_horrible tracktype=grade5",
        "oneway=-1 cycleway=opposite foot=yes",
        "bicycle=dismount surface=sand",
        "route=ferry duration=PT-5M",
        "access:forward=no access:backward=destination",
        "area=yes junction=roundabout oneway=reversible",
    ];
    for mode in Mode::ALL {
        for h in highways {
            for e in extras {
                let tags = parse_tags(&format!("highway={h} {e}"));
                if let Some(r) = Profile::new(mode).way(&tags) {
                    for kmh in [r.forward_kmh, r.backward_kmh].into_iter().flatten() {
                        assert!(kmh.is_finite() && kmh > 0.0, "{mode} on {tags:?}: {kmh}");
                    }
                    assert!(r.forward_kmh.is_some() || r.backward_kmh.is_some(), "{mode} on {tags:?}");
                }
            }
        }
    }
}
