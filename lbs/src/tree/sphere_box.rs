//! The 3D box around the part of the unit sphere inside a longitude/latitude rectangle.
//!
//! Every unit vector of a point in the rectangle lies in the box, so the straight-line distance
//! from a query's unit vector to the box is a true lower bound of its chord to any such point:
//! the quadtree's k-nearest search orders and prunes nodes by it.

use locus_core::geo::Rect;

/// Widening of every face: far above the rounding of `sin`/`cos`, far below any useful size.
const PAD: f64 = 1e-12;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SphereBox {
    min: [f64; 3],
    max: [f64; 3],
}

impl SphereBox {
    /// The box around the unit vectors of every point of `r` (degrees, not crossing ±180).
    pub(crate) fn around(r: &Rect) -> Self {
        let (lat0, lat1) = (r.min_lat.to_radians(), r.max_lat.to_radians());
        let (lng0, lng1) = (r.min_lng.to_radians(), r.max_lng.to_radians());
        // cos(lat) over [lat0, lat1]: both ends, and 1 at the equator.
        let mut cos_lat = Span::of(lat0.cos(), lat1.cos());
        if r.min_lat <= 0.0 && 0.0 <= r.max_lat {
            cos_lat.include(1.0);
        }
        // cos(lng) and sin(lng): both ends, and the extremes at the axes the range crosses.
        let mut cos_lng = Span::of(lng0.cos(), lng1.cos());
        let mut sin_lng = Span::of(lng0.sin(), lng1.sin());
        let crosses = |deg: f64| r.min_lng <= deg && deg <= r.max_lng;
        if crosses(0.0) {
            cos_lng.include(1.0);
        }
        if crosses(-180.0) || crosses(180.0) {
            cos_lng.include(-1.0);
        }
        if crosses(90.0) {
            sin_lng.include(1.0);
        }
        if crosses(-90.0) {
            sin_lng.include(-1.0);
        }
        let x = cos_lat.times(cos_lng);
        let y = cos_lat.times(sin_lng);
        let z = Span::of(lat0.sin(), lat1.sin());
        SphereBox { min: [x.lo - PAD, y.lo - PAD, z.lo - PAD], max: [x.hi + PAD, y.hi + PAD, z.hi + PAD] }
    }

    /// The squared straight-line distance from `p` to the box (0 inside).
    #[inline]
    pub(crate) fn distance2(&self, p: [f64; 3]) -> f64 {
        let mut sum = 0.0;
        for ((&lo, &hi), &x) in self.min.iter().zip(&self.max).zip(&p) {
            let d = (lo - x).max(x - hi).max(0.0);
            sum += d * d;
        }
        sum
    }
}

/// A closed interval of reals.
#[derive(Clone, Copy)]
struct Span {
    lo: f64,
    hi: f64,
}

impl Span {
    fn of(a: f64, b: f64) -> Self {
        Span { lo: a.min(b), hi: a.max(b) }
    }

    fn include(&mut self, v: f64) {
        self.lo = self.lo.min(v);
        self.hi = self.hi.max(v);
    }

    /// The interval holding every product of a value of `self` and one of `other`.
    fn times(self, other: Span) -> Span {
        let products = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi];
        let mut out = Span::of(products[0], products[1]);
        out.include(products[2]);
        out.include(products[3]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use locus_core::geo::LatLng;
    use proptest::prelude::*;

    proptest! {
        /// Every point of the rectangle lies inside its box.
        #[test]
        fn box_holds_every_point_of_the_rect(
            lng0 in -180.0f64..=180.0, lat0 in -90.0f64..=90.0, w in 0.0f64..=360.0, h in 0.0f64..=180.0,
            tx in 0.0f64..=1.0, ty in 0.0f64..=1.0,
        ) {
            let r = Rect { min_lng: lng0, min_lat: lat0, max_lng: (lng0 + w).min(180.0), max_lat: (lat0 + h).min(90.0) };
            let p = LatLng::new(r.min_lat + (r.max_lat - r.min_lat) * ty, r.min_lng + (r.max_lng - r.min_lng) * tx).unwrap();
            let b = SphereBox::around(&r);
            prop_assert_eq!(b.distance2(p.unit_vector()), 0.0, "{:?} outside {:?}", p, b);
        }
    }

    #[test]
    fn corners_and_axis_crossings_are_inside() {
        let r = Rect { min_lng: -100.0, min_lat: -10.0, max_lng: 100.0, max_lat: 10.0 };
        let b = SphereBox::around(&r);
        for (lat, lng) in [(0.0, 0.0), (0.0, 90.0), (0.0, -90.0), (10.0, 100.0), (-10.0, -100.0)] {
            assert_eq!(b.distance2(LatLng::new(lat, lng).unwrap().unit_vector()), 0.0);
        }
        // The far side of the sphere is well outside.
        assert!(b.distance2(LatLng::new(0.0, 180.0).unwrap().unit_vector()) > 0.5);
    }
}
