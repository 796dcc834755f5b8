//! The distance as the trees compute it: a cheap, conservative chord pre-filter in front of the
//! one haversine, evaluated with the centre's and each entry's terms computed once.
//!
//! Chord length between unit vectors grows monotonically with great-circle distance, so a point
//! farther than `chord_for_distance(d)` (plus [`CHORD_EPSILON`]) cannot be within `d` metres. The
//! epsilon is about 6 mm on the Earth, some six orders of magnitude above the rounding error of
//! the unit vectors and of the haversine, so a bound never drops a point the haversine accepts.

use locus_core::geo::{chord_for_distance, LatLng, EARTH_RADIUS_M};

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

/// One indexed business with what a search needs precomputed: its unit vector for the chord
/// pre-filter, and its latitude in radians and that latitude's cosine for the haversine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Entry {
    pub(crate) v: [f64; 3],
    pub(crate) at: LatLng,
    lat_rad: f64,
    cos_lat: f64,
    pub(crate) id: i64,
}

impl Entry {
    pub(crate) fn new(id: i64, at: LatLng) -> Self {
        let lat_rad = at.lat().to_radians();
        Entry { v: at.unit_vector(), at, lat_rad, cos_lat: lat_rad.cos(), id }
    }
}

/// A search centre with its terms computed once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Center {
    pub(crate) v: [f64; 3],
    lng: f64,
    lat_rad: f64,
    cos_lat: f64,
}

impl Center {
    pub(crate) fn new(at: LatLng) -> Self {
        let lat_rad = at.lat().to_radians();
        Center { v: at.unit_vector(), lng: at.lng(), lat_rad, cos_lat: lat_rad.cos() }
    }

    #[inline]
    pub(crate) fn chord2(&self, e: &Entry) -> f64 {
        chord2(self.v, e.v)
    }

    /// `haversine_m(centre, e.at)`, bit for bit: the same operations in the same order, with the
    /// cosines taken from the precomputed terms (a property test pins the equality).
    #[inline]
    pub(crate) fn haversine(&self, e: &Entry) -> f64 {
        let dlat = e.lat_rad - self.lat_rad;
        let dlng = (e.at.lng() - self.lng).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + self.cos_lat * e.cos_lat * (dlng / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use locus_core::geo::haversine_m;
    use proptest::prelude::*;

    fn coordinate() -> impl Strategy<Value = (f64, f64)> {
        let lat = prop_oneof![Just(90.0), Just(-90.0), Just(0.0), -90.0f64..=90.0];
        let lng = prop_oneof![Just(180.0), Just(-180.0), Just(0.0), -180.0f64..=180.0];
        (lat, lng)
    }

    proptest! {
        /// The prepared haversine is the core haversine, to the last bit.
        #[test]
        fn prepared_haversine_is_bit_identical((lat1, lng1) in coordinate(), (lat2, lng2) in coordinate(), near in 0.0f64..1e-3) {
            let a = LatLng::new(lat1, lng1).unwrap();
            for b in [LatLng::new(lat2, lng2).unwrap(), LatLng::new((lat1 + near).min(90.0), lng1).unwrap()] {
                let prepared = Center::new(a).haversine(&Entry::new(0, b));
                prop_assert_eq!(prepared.to_bits(), haversine_m(a, b).to_bits(), "{:?} {:?}", a, b);
            }
        }
    }
}
