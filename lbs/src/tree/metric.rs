//! Chord-space bounds shared by the trees: a cheap, conservative pre-filter in front of the one
//! haversine.
//!
//! Chord length between unit vectors grows monotonically with great-circle distance, so a point
//! farther than `chord_for_distance(d)` (plus [`CHORD_EPSILON`]) cannot be within `d` metres. The
//! epsilon is about 6 mm on the Earth, some six orders of magnitude above the rounding error of
//! the unit vectors and of the haversine, so a bound never drops a point the haversine accepts.

use locus_core::geo::chord_for_distance;

/// Slack added to every chord bound, in unit-sphere lengths (about 6.4 mm on the Earth).
pub const CHORD_EPSILON: f64 = 1e-9;

/// The squared chord above which no point can be within `distance_m` metres by haversine.
pub fn chord2_limit(distance_m: f64) -> f64 {
    let chord = chord_for_distance(distance_m.max(0.0)) + CHORD_EPSILON;
    chord * chord
}

/// The squared straight-line distance between two unit vectors.
#[inline]
pub fn chord2(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (dx, dy, dz) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    dx * dx + dy * dy + dz * dz
}
