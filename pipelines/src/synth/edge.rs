//! The edge cases every synthetic world holds: points that break naive geometry code.

use super::draw::{gauss, uniform, uniform_above, M_PER_DEG};
use super::world::METROS;
use rand::Rng;

/// The kinds, visited in turn: slot `k` of the edge slots is `KINDS[k % KINDS.len()]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// Within 1 km west of +180 (Fiji or the Bering Strait), sometimes exactly 180.
    AntimeridianWest,
    /// Within 1 km east of -180.
    AntimeridianEast,
    /// Exactly on the seam, spelled +180 or -180 in turn.
    Seam,
    /// `lat` in (89.5, 90].
    NorthPolar,
    /// `lat` in [-90, -89.5).
    SouthPolar,
    /// Exactly on a pole (±90) at any longitude.
    Pole,
    /// `lat == 0` exactly, half of them near the prime meridian.
    Equator,
    /// `lng == 0` exactly, half of them near the equator.
    PrimeMeridian,
    /// `(0, 0)`.
    NullIsland,
    /// A stack of 2-10 businesses at one position in a real metro (one building).
    Stack,
}

pub const KINDS: [EdgeKind; 10] = [
    EdgeKind::AntimeridianWest,
    EdgeKind::AntimeridianEast,
    EdgeKind::Seam,
    EdgeKind::NorthPolar,
    EdgeKind::SouthPolar,
    EdgeKind::Pole,
    EdgeKind::Equator,
    EdgeKind::PrimeMeridian,
    EdgeKind::NullIsland,
    EdgeKind::Stack,
];

/// Within how many metres of the antimeridian its edge points lie.
const SEAM_BAND_M: f64 = 1000.0;

fn seam_latitude<R: Rng>(rng: &mut R) -> f64 {
    let base = if rng.gen::<bool>() { -17.0 } else { 65.5 }; // Fiji or the Bering Strait
    base + uniform(rng, -0.3, 0.3)
}

/// A position of `kind` (for [`EdgeKind::Stack`], the stack's position and its metro index);
/// `flip` picks the other spelling of the seam (-180) or the other pole.
pub fn position<R: Rng>(rng: &mut R, kind: EdgeKind, flip: bool) -> (f64, f64, Option<usize>) {
    match kind {
        EdgeKind::AntimeridianWest | EdgeKind::AntimeridianEast => {
            let lat = seam_latitude(rng);
            let dlng = uniform(rng, 0.0, SEAM_BAND_M) / (M_PER_DEG * lat.to_radians().cos());
            let lng = if kind == EdgeKind::AntimeridianWest { 180.0 - dlng } else { -180.0 + dlng };
            (lat, lng, None)
        }
        EdgeKind::Seam => (seam_latitude(rng), if flip { -180.0 } else { 180.0 }, None),
        EdgeKind::NorthPolar => (uniform_above(rng, 89.5, 90.0), uniform(rng, -180.0, 180.0), None),
        EdgeKind::SouthPolar => (-uniform_above(rng, 89.5, 90.0), uniform(rng, -180.0, 180.0), None),
        EdgeKind::Pole => (if flip { -90.0 } else { 90.0 }, uniform(rng, -180.0, 180.0), None),
        EdgeKind::Equator => {
            let lng = if rng.gen::<bool>() { uniform(rng, -180.0, 180.0) } else { uniform(rng, -0.2, 0.2) };
            (0.0, lng, None)
        }
        EdgeKind::PrimeMeridian => {
            let lat = if rng.gen::<bool>() { uniform(rng, -60.0, 70.0) } else { uniform(rng, -0.2, 0.2) };
            (lat, 0.0, None)
        }
        EdgeKind::NullIsland => (0.0, 0.0, None),
        EdgeKind::Stack => {
            let m = rng.gen_range(0..METROS.len());
            let lat = METROS[m].lat + gauss(rng) * 0.02;
            let lng = METROS[m].lng + gauss(rng) * 0.02;
            (lat, lng, Some(m))
        }
    }
}
