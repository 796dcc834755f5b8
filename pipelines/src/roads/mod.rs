//! A synthetic, country-sized road network for the routing scale run (`locus generate roads
//! --nodes N`): deterministic for `(nodes, seed)`, of exactly `nodes` nodes (above the
//! smallest country's ~260), in the neutral [`OsmData`] form the routing importer produces,
//! and as OSM XML ([`write_osm_xml`]).
//!
//! The country ([`plan`]) is a lattice of towns whose size follows the roads through them:
//!
//! - **towns** ([`town`]): a residential street grid (blocks of 90-120 m, a shape node mid
//!   block) around a main cross that carries the routes through the town; some one-way
//!   streets, bollards mid block, `no_left_turn` / `only_straight_on` restrictions at real
//!   intersections, dead-end closes (some with a gate at the tip), `maxspeed` on some streets;
//! - **intercity roads** ([`intercity`]) between lattice neighbours, classed by lattice line:
//!   `trunk` and `primary` every fourth row or column, `secondary` between them, `tertiary` on
//!   the rest, named `Route n` with a `ref` (`N7`, `D8`) on the important ones; two ferries
//!   (`route=ferry` with a `duration`);
//! - **motorways** ([`motorway`]) between the rows and columns of towns: dual carriageways
//!   (two opposite one-way ways, `ref=A1`) with `motorway_link` ramps at diamond interchanges
//!   with the roads they cross, and links between crossing motorways.
//!
//! The whole network is one strongly connected component for cars: only a bollard's or gate's
//! own node cannot be passed through, and it can still be a route's start or end (each
//! module says why its part keeps this). Node, way and relation ids start at 1 and increase in
//! the order the elements are made; positions are rounded to OSM's 7 decimals.

mod build;
mod class;
mod intercity;
mod motorway;
mod plan;
mod town;
mod xml;

pub use xml::write_osm_xml;

use crate::progress::count_bar;
use build::Builder;
use locus_routing::OsmData;
use plan::Plan;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadsOptions {
    /// How many nodes (exact, except that smaller requests get the smallest country: a 3 x 3
    /// lattice of small towns, about 260 nodes).
    pub nodes: u64,
    pub seed: u64,
    /// Latitude and longitude of the country's south-west corner (moved south if the country
    /// would reach past 89°N).
    pub origin: (f64, f64),
}

impl Default for RoadsOptions {
    fn default() -> Self {
        RoadsOptions { nodes: 100_000, seed: 1, origin: (45.0, 5.0) }
    }
}

/// A random stream of `seed`: 0 plans the country and builds the roads between towns; each
/// town has its own two (grid, closes), so a town does not change when another one does.
fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Generates the road network of `opts`; `progress` draws a bar over the towns.
pub fn generate_roads(opts: &RoadsOptions, progress: bool) -> OsmData {
    let mut rng = stream(opts.seed, 0);
    let plan = Plan::new(opts.nodes, &mut rng);
    let mut b =
        Builder::new(opts.origin, plan.height(), (opts.nodes as usize).saturating_add(opts.nodes as usize / 16));
    let bar = count_bar(progress, 2 * plan.towns.len() as u64, "roads");
    bar.set_message("towns");
    let towns: Vec<town::Town> = (0..plan.towns.len())
        .map(|k| {
            let t = town::grid(&mut b, &plan, k, opts.seed, &mut stream(opts.seed, 2 * k as u64 + 1));
            bar.inc(1);
            t
        })
        .collect();
    bar.set_message("roads, motorways");
    let junctions = intercity::roads(&mut b, &plan, &towns, &mut rng);
    intercity::ferries(&mut b, &plan, &towns, &mut rng);
    motorway::build(&mut b, &plan, &junctions, &mut rng);

    // Dead-end closes spend what is left of the budget, shared by the room each town has.
    bar.set_message("closes");
    let left = opts.nodes.saturating_sub(b.node_count());
    let room: Vec<u64> = plan.towns.iter().map(|t| t.close_capacity()).collect();
    for (k, count) in share(left, &room).into_iter().enumerate() {
        town::closes(&mut b, &towns[k], count, &mut stream(opts.seed, 2 * k as u64 + 2));
        bar.inc(1);
    }
    bar.finish_and_clear();
    b.finish()
}

/// Splits `total` in proportion to `room`, never giving one more than its room; the sum is
/// `total` when the rooms allow it.
fn share(total: u64, room: &[u64]) -> Vec<u64> {
    let all: u64 = room.iter().sum();
    if total >= all {
        return room.to_vec();
    }
    let mut out: Vec<u64> =
        room.iter().map(|&r| (u128::from(total) * u128::from(r) / u128::from(all)) as u64).collect();
    let mut left = total - out.iter().sum::<u64>();
    for (o, &r) in out.iter_mut().zip(room) {
        if left == 0 {
            break;
        }
        let extra = (r - *o).min(left);
        *o += extra;
        left -= extra;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_is_exact_and_bounded() {
        assert_eq!(share(10, &[5, 5, 10]), vec![3, 2, 5]);
        assert_eq!(share(100, &[5, 5]), vec![5, 5]);
        assert_eq!(share(0, &[5, 5]), vec![0, 0]);
        let s = share(1001, &[7, 300, 999, 3]);
        assert_eq!(s.iter().sum::<u64>(), 1001);
        assert!(s.iter().zip([7, 300, 999, 3]).all(|(a, b)| *a <= b));
    }
}
