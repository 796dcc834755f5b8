use super::super::common::Approach;
use super::*;
use locus_core::geo::LatLng;

fn route(q: &str, n: usize) -> Result<RouteOptions, OsrmError> {
    parse_route_options(q, n, &Limits::default())
}

fn code<T>(r: Result<T, OsrmError>) -> &'static str {
    match r {
        Ok(_) => "Ok",
        Err(e) => e.code.as_str(),
    }
}

#[test]
fn route_defaults_are_osrms() {
    let o = route("", 2).unwrap();
    assert_eq!(o, RouteOptions::default());
    assert!(!o.steps && o.alternatives == 0 && o.overview == Overview::Simplified);
    assert_eq!((o.geometries, o.common.generate_hints), (Geometries::Polyline, true));
}

#[test]
fn route_options_parse() {
    let o = route(
        "steps=true&overview=full&geometries=polyline6&alternatives=2&continue_straight=false\
         &radiuses=10;unlimited;&annotations=duration,distance&waypoints=0;2&generate_hints=false\
         &bearings=90,20;;0,180&approaches=curb;;unrestricted&hints=;;&snapping=any&exclude=",
        3,
    )
    .unwrap();
    assert!(o.steps);
    assert_eq!((o.overview, o.geometries, o.alternatives), (Overview::Full, Geometries::Polyline6, 2));
    assert_eq!(o.continue_straight, Some(false));
    assert_eq!(o.common.radiuses, Some(vec![Some(10.0), None, None]));
    assert!(o.annotations.duration && o.annotations.distance && !o.annotations.nodes);
    assert_eq!(o.waypoints, Some(vec![0, 2]));
    assert!(!o.common.generate_hints);
    assert_eq!(o.common.bearings, Some(vec![Some((90, 20)), None, Some((0, 180))]));
    assert_eq!(o.common.approaches, Some(vec![Some(Approach::Curb), None, Some(Approach::Unrestricted)]));
    assert_eq!(route("alternatives=true", 2).unwrap().alternatives, 1);
    assert_eq!(route("overview=false&geometries=geojson", 2).unwrap().overview, Overview::False);
    assert!(route("annotations=true", 2).unwrap().annotations.nodes);
    assert!(!route("annotations=false", 2).unwrap().annotations.any());
    assert_eq!(route("continue_straight=default", 2).unwrap().continue_straight, None);
}

#[test]
fn query_points_carry_radiuses() {
    let o = route("radiuses=5;unlimited", 2).unwrap();
    let at = LatLng::new(1.0, 2.0).unwrap();
    let q = o.common.query_points(&[at, at]);
    assert_eq!((q[0].radius_m, q[1].radius_m, q[0].at), (Some(5.0), None, at));
    assert_eq!(RouteOptions::default().common.query_points(&[at])[0].radius_m, None);
}

#[test]
fn query_points_carry_bearings() {
    let at = LatLng::new(1.0, 2.0).unwrap();
    let o = route("bearings=0,20;;360,180&radiuses=;7;", 3).unwrap();
    let q = o.common.query_points(&[at, at, at]);
    assert_eq!(q.iter().map(|q| q.bearing).collect::<Vec<_>>(), [Some((0, 20)), None, Some((360, 180))]);
    assert_eq!(q[1].radius_m, Some(7.0));
    // Approaches are validated and then ignored: they leave the query points as they are.
    let with = route("approaches=curb;opposite", 2).unwrap().common.query_points(&[at, at]);
    assert_eq!(with, RouteOptions::default().common.query_points(&[at, at]));
    assert_eq!(with[0], locus_routing::QueryPoint::new(at));
    let nearest = parse_nearest_options("bearings=90,45", &Limits::default()).unwrap();
    assert_eq!(nearest.common.query_points(&[at])[0].bearing, Some((90, 45)));
}

#[test]
fn waypoints_are_validated_as_leg_ends() {
    assert_eq!(route("waypoints=0;2", 3).unwrap().waypoints, Some(vec![0, 2]));
    assert_eq!(route("waypoints=0;1;2", 3).unwrap().waypoints, Some(vec![0, 1, 2]));
    assert_eq!(route("waypoints=0;3", 4).unwrap().waypoints, Some(vec![0, 3]));
    for q in
        ["waypoints=1;2", "waypoints=0;1", "waypoints=0;2;1;2", "waypoints=0;1;1;2", "waypoints=2;0", "waypoints=0;3"]
    {
        assert_eq!(code(route(q, 3)), "InvalidOptions", "{q}");
    }
    assert_eq!(code(route("waypoints=0;;2", 3)), "InvalidQuery");
    assert_eq!(code(route("waypoints=", 3)), "InvalidQuery");
}

#[test]
fn hostile_route_options() {
    let cases = [
        ("steps=yes", "InvalidQuery"),
        ("steps=true&steps=false", "InvalidQuery"),
        ("steps", "InvalidQuery"),
        ("stepz=true", "InvalidQuery"),
        ("overview=half", "InvalidQuery"),
        ("geometries=wkt", "InvalidQuery"),
        ("alternatives=-1", "InvalidQuery"),
        ("alternatives=99", "TooBig"),
        ("alternatives=99999999999999999999", "InvalidQuery"),
        ("annotations=duration,colour", "InvalidQuery"),
        ("radiuses=10", "InvalidOptions"),
        ("radiuses=10;20;30", "InvalidOptions"),
        ("radiuses=10;-1", "InvalidValue"),
        ("radiuses=10;NaN", "InvalidQuery"),
        ("radiuses=10;1e999", "InvalidValue"),
        ("radiuses=10;abc", "InvalidQuery"),
        ("bearings=90,10", "InvalidOptions"),
        ("bearings=400,10;0,0", "InvalidValue"),
        ("bearings=90;0,0", "InvalidQuery"),
        ("approaches=curb;sideways", "InvalidQuery"),
        ("waypoints=1", "InvalidOptions"),
        ("waypoints=0;0;1", "InvalidOptions"),
        ("waypoints=0;5", "InvalidOptions"),
        ("waypoints=1;0", "InvalidOptions"),
        ("waypoints=0;x", "InvalidQuery"),
        ("exclude=toll", "InvalidValue"),
        ("snapping=never", "InvalidQuery"),
        ("generate_hints=1", "InvalidQuery"),
        ("continue_straight=maybe", "InvalidQuery"),
        ("steps=%zz", "InvalidQuery"),
    ];
    for (q, expected) in cases {
        assert_eq!(code(route(q, 2)), expected, "{q}");
    }
    // A radius list as long as 10,000 coordinates against a route of 2.
    let long = format!("radiuses={}", vec!["5"; 10_000].join(";"));
    assert_eq!(code(route(&long, 2)), "InvalidOptions");
}

#[test]
fn table_options() {
    let o = parse_table_options("", 3).unwrap();
    assert_eq!((o.sources.clone(), o.destinations.clone(), o.durations, o.distances), (None, None, true, false));
    let o = parse_table_options(
        "sources=0;1&destinations=all&annotations=distance,duration&fallback_speed=20&fallback_coordinate=snapped&scale_factor=0.5",
        3,
    )
    .unwrap();
    assert_eq!((o.sources, o.destinations, o.durations, o.distances), (Some(vec![0, 1]), None, true, true));
    assert_eq!((o.fallback_speed_mps, o.scale_factor), (Some(20.0), Some(0.5)));
    assert_eq!(o.fallback_coordinate, FallbackCoordinate::Snapped);
    let o = parse_table_options("fallback_coordinate=input", 3).unwrap();
    assert_eq!((o.fallback_coordinate, o.fallback_speed_mps), (FallbackCoordinate::Input, None));
    assert_eq!(parse_table_options("", 3).unwrap().fallback_coordinate, FallbackCoordinate::Input);
    assert!(parse_table_options("annotations=distance", 3).is_ok_and(|o| !o.durations && o.distances));
    let cases = [
        ("sources=3", "InvalidOptions"),
        ("sources=0;1;2;0", "InvalidOptions"),
        ("sources=", "InvalidQuery"),
        ("sources=0;;1", "InvalidQuery"),
        ("destinations=-1", "InvalidQuery"),
        ("annotations=speed", "InvalidQuery"),
        ("fallback_speed=0", "InvalidValue"),
        ("fallback_speed=inf", "InvalidQuery"),
        ("scale_factor=1e999", "InvalidValue"),
        ("fallback_coordinate=moon", "InvalidQuery"),
        ("steps=true", "InvalidQuery"),
        ("radiuses=1;2", "InvalidOptions"),
    ];
    for (q, expected) in cases {
        assert_eq!(code(parse_table_options(q, 3)), expected, "{q}");
    }
}

#[test]
fn nearest_options() {
    let l = Limits::default();
    assert_eq!(parse_nearest_options("", &l).unwrap().number, 1);
    assert_eq!(parse_nearest_options("number=3&radiuses=50", &l).unwrap().number, 3);
    for (q, expected) in [
        ("number=0", "InvalidOptions"),
        ("number=101", "TooBig"),
        ("number=1.5", "InvalidQuery"),
        ("number=", "InvalidQuery"),
        ("radiuses=50;50", "InvalidOptions"),
        ("alternatives=true", "InvalidQuery"),
    ] {
        assert_eq!(code(parse_nearest_options(q, &l)), expected, "{q}");
    }
}
