//! The embedded default's demo data: a few thousand businesses around five real city centres.

use super::draw::scatter;
use super::{dress, Place};
use locus_business::BusinessInput;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A demo city: its centre (WGS84 degrees), ISO country code and IANA time zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoCity {
    pub name: &'static str,
    pub country: &'static str,
    pub timezone: &'static str,
    pub lat: f64,
    pub lng: f64,
}

/// The demo region's centres:
///
/// | city          | latitude | longitude | time zone           |
/// |---------------|----------|-----------|---------------------|
/// | San Francisco | 37.7749  | -122.4194 | America/Los_Angeles |
/// | Paris         | 48.8566  | 2.3522    | Europe/Paris        |
/// | Tokyo         | 35.6762  | 139.6503  | Asia/Tokyo          |
/// | London        | 51.5074  | -0.1278   | Europe/London       |
/// | Sydney        | -33.8688 | 151.2093  | Australia/Sydney    |
pub const DEMO_CITIES: [DemoCity; 5] = [
    DemoCity { name: "San Francisco", country: "US", timezone: "America/Los_Angeles", lat: 37.7749, lng: -122.4194 },
    DemoCity { name: "Paris", country: "FR", timezone: "Europe/Paris", lat: 48.8566, lng: 2.3522 },
    DemoCity { name: "Tokyo", country: "JP", timezone: "Asia/Tokyo", lat: 35.6762, lng: 139.6503 },
    DemoCity { name: "London", country: "GB", timezone: "Europe/London", lat: 51.5074, lng: -0.1278 },
    DemoCity { name: "Sydney", country: "AU", timezone: "Australia/Sydney", lat: -33.8688, lng: 151.2093 },
];

/// Businesses per demo city.
pub const DEMO_PER_CITY: usize = 600;

/// `DEMO_PER_CITY` businesses around each of [`DEMO_CITIES`] (3,000 in all), deterministic for
/// `seed`: 60% within a Gaussian spread of 1 km of the centre, 40% of 4 km, so a search of a
/// few hundred metres at any listed centre finds dozens. External ids are `demo:<seed>:<n>`;
/// each business carries its city's time zone, so "open now" answers are meaningful.
pub fn demo_region(seed: u64) -> Vec<BusinessInput> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(2);
    let mut out = Vec::with_capacity(DEMO_CITIES.len() * DEMO_PER_CITY);
    for city in &DEMO_CITIES {
        for _ in 0..DEMO_PER_CITY {
            let n = out.len() as u64;
            let sigma_m = if rng.gen::<f64>() < 0.6 { 1_000.0 } else { 4_000.0 };
            let (lat, lng) = scatter(&mut rng, city.lat, city.lng, sigma_m);
            let place = Place { lat, lng, city: Some(city.name), country: Some(city.country), urban: true };
            let mut business = dress(&mut rng, format!("demo:{seed}:{n}"), n, place);
            business.timezone = Some(city.timezone.to_owned());
            out.push(business);
        }
    }
    out
}
