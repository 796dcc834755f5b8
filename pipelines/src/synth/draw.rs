//! Random draws the generator needs beyond `rand`'s uniform ones.

use rand::Rng;

/// Metres per degree of latitude (and of longitude at the equator), as in `gen_points.py`.
pub const M_PER_DEG: f64 = 111_320.0;

/// A standard normal sample (Box-Muller), so no extra crate is needed.
pub fn gauss<R: Rng>(rng: &mut R) -> f64 {
    let u1 = 1.0 - rng.gen::<f64>(); // (0, 1]: ln(u1) is finite
    let u2 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Cumulative sums of `weights`.
pub fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    weights
        .into_iter()
        .scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect()
}

/// An index drawn with probability proportional to its weight, given cumulative weights.
pub fn pick<R: Rng>(rng: &mut R, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = rng.gen::<f64>() * total;
    cumulative.partition_point(|&c| c <= x).min(cumulative.len().saturating_sub(1))
}

/// A uniform draw from `[lo, hi]`.
pub fn uniform<R: Rng>(rng: &mut R, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.gen::<f64>()
}

/// A uniform draw from `(lo, hi]`: never exactly `lo`.
pub fn uniform_above<R: Rng>(rng: &mut R, lo: f64, hi: f64) -> f64 {
    hi - (hi - lo) * rng.gen::<f64>()
}

/// `(lat, lng)` moved by a Gaussian offset of `sigma_m` metres on each axis, clamped to the
/// poles and wrapped at the antimeridian.
pub fn scatter<R: Rng>(rng: &mut R, lat: f64, lng: f64, sigma_m: f64) -> (f64, f64) {
    let dy = gauss(rng) * sigma_m;
    let dx = gauss(rng) * sigma_m;
    let lat2 = (lat + dy / M_PER_DEG).clamp(-90.0, 90.0);
    let lng2 = locus_core::geo::wrap_lng(lng + dx / (M_PER_DEG * lat.to_radians().cos().max(1e-6)));
    (lat2, lng2)
}
