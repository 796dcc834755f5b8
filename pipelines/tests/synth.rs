//! The synthetic world: deterministic, exact, valid, clustered, and full of edge cases.

use locus_core::geo::{haversine_m, LatLng};
use locus_pipelines::synth::{cluster_centres, demo_region, generate, CLUSTER_COUNT, DEMO_CITIES};
use std::collections::HashMap;

fn ll(lat: f64, lng: f64) -> LatLng {
    LatLng::new(lat, lng).unwrap()
}

#[test]
fn generate_is_deterministic_and_exact() {
    let a: Vec<_> = generate(5_000, 42).collect();
    let b: Vec<_> = generate(5_000, 42).collect();
    assert_eq!(a, b);
    assert_eq!(a.len(), 5_000);
    assert_eq!(generate(0, 42).count(), 0);
    assert_eq!(generate(1234, 1).len(), 1234);
    let c: Vec<_> = generate(5_000, 43).collect();
    assert_ne!(a, c);
    // A shorter run is a prefix of a longer one.
    assert_eq!(&a[..1000], &generate(1000, 42).collect::<Vec<_>>()[..]);
    assert_eq!(a[17].external_id.as_deref(), Some("synth:42:17"));
}

#[test]
fn every_generated_business_is_valid() {
    for b in generate(20_000, 7).chain(demo_region(7)) {
        let id = b.external_id.clone();
        b.validate().unwrap_or_else(|e| panic!("{id:?}: {e}"));
    }
}

#[test]
fn generate_holds_the_edge_cases() {
    let points: Vec<(f64, f64)> = generate(10_000, 3).map(|b| (b.latitude, b.longitude)).collect();
    let any = |f: &dyn Fn(f64, f64) -> bool| points.iter().any(|&(lat, lng)| f(lat, lng));
    let band = 1000.0 / 111_320.0 / 65.8f64.to_radians().cos(); // 1 km in degrees at worst
    assert!(any(&|_, lng| lng < 180.0 && lng > 180.0 - band), "within 1 km west of +180");
    assert!(any(&|_, lng| lng > -180.0 && lng < -180.0 + band), "within 1 km east of -180");
    assert!(any(&|_, lng| lng == 180.0), "exactly +180");
    assert!(any(&|_, lng| lng == -180.0), "exactly -180");
    assert!(any(&|lat, _| lat > 89.5 && lat < 90.0), "north polar");
    assert!(any(&|lat, _| lat < -89.5 && lat > -90.0), "south polar");
    assert!(any(&|lat, _| lat == 90.0), "north pole");
    assert!(any(&|lat, _| lat == -90.0), "south pole");
    assert!(any(&|lat, lng| lat == 0.0 && lng != 0.0), "equator");
    assert!(any(&|lat, lng| lng == 0.0 && lat != 0.0), "prime meridian");
    assert!(any(&|lat, lng| lat == 0.0 && lng == 0.0), "null island");
    let mut stacks: HashMap<(u64, u64), usize> = HashMap::new();
    for &(lat, lng) in &points {
        if (lat, lng) != (0.0, 0.0) {
            *stacks.entry((lat.to_bits(), lng.to_bits())).or_default() += 1;
        }
    }
    assert!(stacks.values().any(|&n| n >= 2), "a stack of businesses at one position");
    let edge = points.iter().filter(|(lat, lng)| lat.abs() > 89.5 || lng.abs() > 179.9 || *lat == 0.0 || *lng == 0.0);
    let share = edge.count() as f64 / points.len() as f64;
    assert!((0.004..0.02).contains(&share), "edge share {share}");
}

#[test]
fn generate_is_clustered() {
    let centres = cluster_centres(11);
    assert_eq!(centres.len(), CLUSTER_COUNT);
    assert_eq!(centres[0].city, Some("Tokyo"));
    let centres: Vec<LatLng> = centres.iter().map(|c| ll(c.lat, c.lng)).collect();
    let points: Vec<LatLng> = generate(5_000, 11).map(|b| ll(b.latitude, b.longitude)).collect();
    let near = points.iter().filter(|p| centres.iter().any(|c| haversine_m(**p, *c) <= 100_000.0)).count();
    let share = near as f64 / points.len() as f64;
    assert!(share > 0.75, "only {share} of the points are within 100 km of a cluster centre");
    // Uneven: the biggest metro holds far more than an average cluster.
    let tokyo = points.iter().filter(|p| haversine_m(**p, centres[0]) <= 60_000.0).count();
    assert!(tokyo as f64 > 5.0 * points.len() as f64 / CLUSTER_COUNT as f64, "Tokyo holds {tokyo}");
}

#[test]
fn demo_region_is_around_its_cities() {
    let demo = demo_region(1);
    assert_eq!(demo.len(), 3_000);
    assert_eq!(demo, demo_region(1));
    for b in &demo {
        let p = ll(b.latitude, b.longitude);
        let city = DEMO_CITIES.iter().find(|c| Some(c.name) == b.city.as_deref()).expect("a demo city");
        assert!(haversine_m(p, ll(city.lat, city.lng)) < 30_000.0, "{b:?}");
        assert_eq!(b.timezone.as_deref(), Some(city.timezone));
    }
    for city in &DEMO_CITIES {
        let centre = ll(city.lat, city.lng);
        let near = demo.iter().filter(|b| haversine_m(ll(b.latitude, b.longitude), centre) < 500.0).count();
        assert!(near >= 20, "{} has {near} businesses within 500 m of its centre", city.name);
    }
}
