//! Synthetic businesses: an unevenly dense world for load tests, and the embedded demo region.
//!
//! [`generate`] follows `shared/bench/proximity/gen_points.py`: about 80% of the points fall in
//! [`CLUSTER_COUNT`] city clusters (the 40 real metros of [`world::METROS`] first, then random
//! centres on land; weight `rank^-0.9`, Gaussian spread `max(2, 20 * rank^-0.4)` km), about 20%
//! are uniform over coarse land boxes (oceans stay empty), and one point in a hundred is an edge
//! case ([`edge::EdgeKind`]: both sides of and exactly on the antimeridian, `|lat| > 89.5` and
//! exactly ±90, `lat = 0`, `lng = 0`, `(0, 0)`, and stacks of businesses at one position).
//!
//! Output is deterministic for a `(count, seed)` pair (ChaCha8); the cluster centres depend on
//! the seed only, so [`cluster_centres`] names the centres of every `generate(_, seed)`.

mod demo;
mod draw;
mod edge;
pub mod world;
mod write;

pub use demo::{demo_region, DemoCity, DEMO_CITIES, DEMO_PER_CITY};
pub use edge::EdgeKind;
pub use write::write_csv;

use draw::{cumulative, pick, scatter, uniform};
use locus_business::BusinessInput;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use world::{ADJECTIVES, CATEGORIES, HOURS, LAND_BOXES, METROS, STREETS};

/// How many city clusters a synthetic world has.
pub const CLUSTER_COUNT: usize = 300;

/// The share of non-edge points drawn from city clusters (the rest are uniform on land).
const CITY_SHARE: f64 = 0.8;

/// Point `n` is an edge case when `n % EDGE_PERIOD == EDGE_OFFSET`.
const EDGE_PERIOD: u64 = 100;
const EDGE_OFFSET: u64 = 37;

/// One city cluster of a synthetic world.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterCentre {
    /// The metro's name and ISO country code; `None` for the random centres.
    pub city: Option<&'static str>,
    pub country: Option<&'static str>,
    pub lat: f64,
    pub lng: f64,
    /// Relative share of clustered points (`rank^-0.9`).
    pub weight: f64,
    /// Standard deviation of the spread on each axis, in metres.
    pub sigma_m: f64,
}

/// The [`CLUSTER_COUNT`] cluster centres of every world generated with `seed`, by rank.
pub fn cluster_centres(seed: u64) -> Vec<ClusterCentre> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    let boxes = cumulative(world::land_box_areas());
    (1..=CLUSTER_COUNT)
        .map(|rank| {
            let (city, country, lat, lng) = match METROS.get(rank - 1) {
                Some(m) => (Some(m.name), Some(m.country), m.lat, m.lng),
                None => {
                    let b = LAND_BOXES[pick(&mut rng, &boxes)];
                    (None, None, uniform(&mut rng, b.0, b.1), uniform(&mut rng, b.2, b.3))
                }
            };
            let r = rank as f64;
            ClusterCentre {
                city,
                country,
                lat,
                lng,
                weight: r.powf(-0.9),
                sigma_m: (20.0 * r.powf(-0.4)).max(2.0) * 1000.0,
            }
        })
        .collect()
}

/// `count` synthetic businesses for `seed`, lazily; see the module docs for the mix.
///
/// Business `n` (from 0) has external id `synth:<seed>:<n>`, a category from
/// [`world::CATEGORIES`], opening hours from [`world::HOURS`], a city and country when it belongs
/// to a real metro, and no time zone. Every business passes `BusinessInput::validate`.
pub fn generate(count: usize, seed: u64) -> impl ExactSizeIterator<Item = BusinessInput> + Send {
    let centres = cluster_centres(seed);
    let centre_weights = cumulative(centres.iter().map(|c| c.weight));
    Generator {
        rng: ChaCha8Rng::seed_from_u64(seed),
        seed,
        next: 0,
        count: count as u64,
        centres,
        centre_weights,
        box_weights: cumulative(world::land_box_areas()),
        stack: None,
    }
}

struct Generator {
    rng: ChaCha8Rng,
    seed: u64,
    next: u64,
    count: u64,
    centres: Vec<ClusterCentre>,
    centre_weights: Vec<f64>,
    box_weights: Vec<f64>,
    stack: Option<Stack>,
}

/// Businesses still to place at one position (one building).
struct Stack {
    place: Place,
    left: u32,
}

#[derive(Clone, Copy)]
struct Place {
    lat: f64,
    lng: f64,
    city: Option<&'static str>,
    country: Option<&'static str>,
    /// Whether a street address makes sense (a town, not the North Pole).
    urban: bool,
}

impl Place {
    fn bare(lat: f64, lng: f64) -> Self {
        Place { lat, lng, city: None, country: None, urban: false }
    }
}

impl Generator {
    fn place(&mut self, n: u64) -> Place {
        if let Some(stack) = &mut self.stack {
            let place = stack.place;
            stack.left -= 1;
            if stack.left == 0 {
                self.stack = None;
            }
            return place;
        }
        let rng = &mut self.rng;
        if n % EDGE_PERIOD == EDGE_OFFSET {
            let slot = n / EDGE_PERIOD;
            let kind = edge::KINDS[(slot % edge::KINDS.len() as u64) as usize];
            let (lat, lng, metro) = edge::position(rng, kind, (slot / edge::KINDS.len() as u64) & 1 == 1);
            let Some(m) = metro else {
                return Place::bare(lat, lng);
            };
            let place = Place { lat, lng, city: Some(METROS[m].name), country: Some(METROS[m].country), urban: true };
            let size: u32 = rng.gen_range(2..=10);
            self.stack = Some(Stack { place, left: size - 1 });
            return place;
        }
        if rng.gen::<f64>() < CITY_SHARE {
            let c = &self.centres[pick(rng, &self.centre_weights)];
            let (lat, lng) = scatter(rng, c.lat, c.lng, c.sigma_m);
            Place { lat, lng, city: c.city, country: c.country, urban: true }
        } else {
            let b = LAND_BOXES[pick(rng, &self.box_weights)];
            Place::bare(uniform(rng, b.0, b.1), uniform(rng, b.2, b.3))
        }
    }
}

impl Iterator for Generator {
    type Item = BusinessInput;

    fn next(&mut self) -> Option<BusinessInput> {
        if self.next >= self.count {
            return None;
        }
        let n = self.next;
        self.next += 1;
        let place = self.place(n);
        Some(dress(&mut self.rng, format!("synth:{}:{n}", self.seed), n, place))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.count - self.next) as usize;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Generator {}

/// A business at `place` with a drawn category, name, hours and (in towns) street address.
fn dress<R: Rng>(rng: &mut R, external_id: String, n: u64, place: Place) -> BusinessInput {
    let category = CATEGORIES[rng.gen_range(0..CATEGORIES.len())];
    let adjective = ADJECTIVES[rng.gen_range(0..ADJECTIVES.len())];
    let hours = HOURS[rng.gen_range(0..HOURS.len())];
    let address =
        place.urban.then(|| format!("{} {}", rng.gen_range(1..=250), STREETS[rng.gen_range(0..STREETS.len())]));
    BusinessInput {
        external_id: Some(external_id),
        name: format!("{adjective} {} {n}", world::label(category)),
        category: category.to_owned(),
        address,
        city: place.city.map(str::to_owned),
        country: place.country.map(str::to_owned),
        latitude: place.lat,
        longitude: place.lng,
        phone: None,
        website: None,
        opening_hours: hours.map(str::to_owned),
        timezone: None,
    }
}
