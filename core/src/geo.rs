//! The Earth model and coordinate math.
//!
//! Locus measures every distance with the haversine formula on a sphere whose radius is the
//! IUGG mean Earth radius, [`EARTH_RADIUS_M`] = 6,371,008.8 m. A search "within r metres" means
//! exactly the points whose haversine distance is `<= r`.

use std::f64::consts::PI;

/// Mean Earth radius (IUGG R1) in metres: the one radius used for every distance in Locus.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Half the circumference: no two points on the sphere are farther apart than this.
pub const MAX_DISTANCE_M: f64 = PI * EARTH_RADIUS_M;

/// Why a coordinate was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeoError {
    #[error("latitude must be a number in [-90, 90], got {0}")]
    Latitude(f64),
    #[error("longitude must be a number in [-180, 180], got {0}")]
    Longitude(f64),
}

/// A validated WGS84 position in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLng {
    lat: f64,
    lng: f64,
}

impl LatLng {
    /// Validates the ranges; NaN and infinities are refused.
    pub fn new(lat: f64, lng: f64) -> Result<Self, GeoError> {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::Latitude(lat));
        }
        if !(-180.0..=180.0).contains(&lng) {
            return Err(GeoError::Longitude(lng));
        }
        Ok(LatLng { lat, lng })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lng(self) -> f64 {
        self.lng
    }

    /// The point as a unit vector (x towards lng 0 on the equator, z towards the north pole).
    pub fn unit_vector(self) -> [f64; 3] {
        let (lat, lng) = (self.lat.to_radians(), self.lng.to_radians());
        [lat.cos() * lng.cos(), lat.cos() * lng.sin(), lat.sin()]
    }
}

/// Great-circle distance in metres (haversine on the sphere of [`EARTH_RADIUS_M`]).
pub fn haversine_m(a: LatLng, b: LatLng) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlng = (b.lng - a.lng).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlng / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Straight-line (chord) distance between two unit vectors for a great-circle distance `d` metres.
/// Chord length grows monotonically with arc length, so it orders points exactly as `haversine_m` does.
pub fn chord_for_distance(d: f64) -> f64 {
    let angle = (d / EARTH_RADIUS_M).min(PI);
    2.0 * (angle / 2.0).sin()
}

/// Great-circle distance in metres for a chord between two unit vectors.
pub fn distance_for_chord(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord / 2.0).clamp(0.0, 1.0).asin()
}

/// An axis-aligned rectangle in degrees that does not cross the antimeridian (min <= max).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub min_lng: f64,
    pub min_lat: f64,
    pub max_lng: f64,
    pub max_lat: f64,
}

impl Rect {
    pub fn contains(&self, p: LatLng) -> bool {
        (self.min_lng..=self.max_lng).contains(&p.lng) && (self.min_lat..=self.max_lat).contains(&p.lat)
    }
}

/// A bounding box as clients send it: `min_lng > max_lng` means it crosses the antimeridian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BBox {
    /// Validates ranges and `south <= north`; `west > east` is allowed and crosses ±180.
    pub fn new(west: f64, south: f64, east: f64, north: f64) -> Result<Self, GeoError> {
        LatLng::new(south, west)?;
        LatLng::new(north, east)?;
        if south > north {
            return Err(GeoError::Latitude(south));
        }
        Ok(BBox { west, south, east, north })
    }

    /// The box split at the antimeridian into one or two plain rectangles.
    pub fn rects(&self) -> Vec<Rect> {
        if self.west <= self.east {
            vec![Rect { min_lng: self.west, min_lat: self.south, max_lng: self.east, max_lat: self.north }]
        } else {
            vec![
                Rect { min_lng: self.west, min_lat: self.south, max_lng: 180.0, max_lat: self.north },
                Rect { min_lng: -180.0, min_lat: self.south, max_lng: self.east, max_lat: self.north },
            ]
        }
    }

    pub fn contains(&self, p: LatLng) -> bool {
        self.rects().iter().any(|r| r.contains(p)) || self.on_seam(p)
    }

    /// ±180 are the same meridian: a box that reaches one of them holds points stored at the other.
    fn on_seam(&self, p: LatLng) -> bool {
        let lat_ok = (self.south..=self.north).contains(&p.lat);
        lat_ok
            && ((p.lng == -180.0 && (self.east == 180.0 || self.west > self.east && self.west <= 180.0))
                || (p.lng == 180.0 && (self.west == -180.0 || self.west > self.east && self.east >= -180.0)))
    }

    /// A spherical cap that contains the whole box: its centre and radius in metres.
    pub fn bounding_cap(&self) -> (LatLng, f64) {
        let width = if self.west <= self.east { self.east - self.west } else { self.east + 360.0 - self.west };
        let mut center_lng = self.west + width / 2.0;
        if center_lng > 180.0 {
            center_lng -= 360.0;
        }
        let center = LatLng { lat: (self.south + self.north) / 2.0, lng: center_lng };
        // The farthest point of a lat/lng box from its centre lies on its boundary; sampling the
        // boundary densely and adding the sample spacing bounds it from above.
        let mut radius: f64 = 0.0;
        const STEPS: usize = 64;
        for i in 0..=STEPS {
            let t = i as f64 / STEPS as f64;
            let lng = wrap_lng(self.west + width * t);
            let lat = self.south + (self.north - self.south) * t;
            for p in [
                LatLng { lat: self.south, lng },
                LatLng { lat: self.north, lng },
                LatLng { lat, lng: self.west },
                LatLng { lat, lng: self.east },
            ] {
                radius = radius.max(haversine_m(center, p));
            }
        }
        let step_m = (width.max(self.north - self.south) / STEPS as f64).to_radians() * EARTH_RADIUS_M;
        (center, (radius + step_m).min(MAX_DISTANCE_M))
    }
}

/// Wraps any longitude into [-180, 180].
pub fn wrap_lng(lng: f64) -> f64 {
    if (-180.0..=180.0).contains(&lng) {
        lng
    } else {
        (lng + 180.0).rem_euclid(360.0) - 180.0
    }
}

/// Longitude/latitude rectangles whose union contains every point within `radius_m` of `center`.
///
/// Handles the antimeridian (the range is split in two), the poles (a cap that holds a pole spans
/// every longitude) and the seam itself: a rectangle that reaches +180 is paired with a
/// degenerate one at -180 (and the reverse) so points stored at either spelling are found.
pub fn cap_rects(center: LatLng, radius_m: f64) -> Vec<Rect> {
    // A small angular margin keeps floating-point rounding from ever excluding a boundary point.
    const MARGIN_DEG: f64 = 1e-9;
    let angle = radius_m / EARTH_RADIUS_M;
    let dlat = angle.to_degrees() + MARGIN_DEG;
    let min_lat = (center.lat - dlat).max(-90.0);
    let max_lat = (center.lat + dlat).min(90.0);
    let holds_pole = center.lat + angle.to_degrees() >= 90.0 || center.lat - angle.to_degrees() <= -90.0;
    let whole = |min_lat, max_lat| vec![Rect { min_lng: -180.0, min_lat, max_lng: 180.0, max_lat }];
    if holds_pole || angle >= PI / 2.0 {
        return whole(min_lat, max_lat);
    }
    let ratio = angle.sin() / center.lat.to_radians().cos();
    if ratio >= 1.0 {
        return whole(min_lat, max_lat);
    }
    let dlng = ratio.asin().to_degrees() + MARGIN_DEG;
    if dlng >= 180.0 {
        return whole(min_lat, max_lat);
    }
    let (west, east) = (center.lng - dlng, center.lng + dlng);
    let mut rects = Vec::with_capacity(3);
    if west < -180.0 {
        rects.push(Rect { min_lng: west + 360.0, min_lat, max_lng: 180.0, max_lat });
        rects.push(Rect { min_lng: -180.0, min_lat, max_lng: east, max_lat });
    } else if east > 180.0 {
        rects.push(Rect { min_lng: west, min_lat, max_lng: 180.0, max_lat });
        rects.push(Rect { min_lng: -180.0, min_lat, max_lng: east - 360.0, max_lat });
    } else {
        rects.push(Rect { min_lng: west, min_lat, max_lng: east, max_lat });
        if east >= 180.0 {
            rects.push(Rect { min_lng: -180.0, min_lat, max_lng: -180.0, max_lat });
        }
        if west <= -180.0 {
            rects.push(Rect { min_lng: 180.0, min_lat, max_lng: 180.0, max_lat });
        }
    }
    rects
}

/// The point `d` metres from `from` along `bearing` degrees.
pub fn destination(from: LatLng, bearing: f64, d: f64) -> LatLng {
    let (lat1, lng1, brg, ang) =
        (from.lat.to_radians(), from.lng.to_radians(), bearing.to_radians(), d / EARTH_RADIUS_M);
    let lat2 = (lat1.sin() * ang.cos() + lat1.cos() * ang.sin() * brg.cos()).asin();
    let lng2 = lng1 + (brg.sin() * ang.sin() * lat1.cos()).atan2(ang.cos() - lat1.sin() * lat2.sin());
    LatLng { lat: lat2.to_degrees().clamp(-90.0, 90.0), lng: wrap_lng(lng2.to_degrees()) }
}

/// The initial great-circle bearing from `a` towards `b`, in degrees clockwise from true north,
/// in `[0, 360)`. Coincident points (and the poles, where north is undefined) give 0.
pub fn initial_bearing_deg(a: LatLng, b: LatLng) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlng = (b.lng - a.lng).to_radians();
    let y = dlng.sin() * lat2.cos();
    let x = lat1.cos() * lat2.sin() - lat1.sin() * lat2.cos() * dlng.cos();
    if y == 0.0 && x == 0.0 {
        return 0.0;
    }
    let deg = y.atan2(x).to_degrees().rem_euclid(360.0);
    // rem_euclid can round a tiny negative angle up to exactly 360.
    if deg >= 360.0 {
        0.0
    } else {
        deg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ll(lat: f64, lng: f64) -> LatLng {
        LatLng::new(lat, lng).unwrap()
    }

    #[test]
    fn rejects_out_of_range_and_nan() {
        assert!(LatLng::new(f64::NAN, 0.0).is_err());
        assert!(LatLng::new(0.0, f64::INFINITY).is_err());
        assert!(LatLng::new(90.000001, 0.0).is_err());
        assert!(LatLng::new(0.0, -180.1).is_err());
        assert!(LatLng::new(-90.0, 180.0).is_ok());
    }

    #[test]
    fn haversine_known_values() {
        // One degree of arc on the mean sphere.
        let one_degree = EARTH_RADIUS_M * PI / 180.0;
        assert!((haversine_m(ll(0.0, 0.0), ll(0.0, 1.0)) - one_degree).abs() < 1e-6);
        assert!((haversine_m(ll(0.0, 179.5), ll(0.0, -179.5)) - one_degree).abs() < 1e-6);
        assert!((haversine_m(ll(90.0, 0.0), ll(-90.0, 0.0)) - MAX_DISTANCE_M).abs() < 1e-6);
        // The same pole spelled with two longitudes.
        assert!(haversine_m(ll(90.0, 10.0), ll(90.0, -170.0)) < 1e-6);
    }

    #[test]
    fn chord_round_trips() {
        for d in [0.0, 1.0, 500.0, 20_000.0, 5_000_000.0] {
            assert!((distance_for_chord(chord_for_distance(d)) - d).abs() < 1e-6);
        }
    }

    #[test]
    fn bbox_across_antimeridian() {
        let b = BBox::new(170.0, -20.0, -170.0, -10.0).unwrap();
        assert_eq!(b.rects().len(), 2);
        assert!(b.contains(ll(-15.0, 179.0)));
        assert!(b.contains(ll(-15.0, -175.0)));
        assert!(b.contains(ll(-15.0, -180.0)));
        assert!(!b.contains(ll(-15.0, 0.0)));
        let (c, r) = b.bounding_cap();
        for p in [ll(-20.0, 170.0), ll(-10.0, -170.0), ll(-20.0, -170.0)] {
            assert!(haversine_m(c, p) <= r);
        }
    }

    #[test]
    fn initial_bearing_known_values() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(initial_bearing_deg(ll(0.0, 0.0), ll(1.0, 0.0)), 0.0));
        assert!(close(initial_bearing_deg(ll(0.0, 0.0), ll(0.0, 1.0)), 90.0));
        assert!(close(initial_bearing_deg(ll(0.0, 0.0), ll(-1.0, 0.0)), 180.0));
        assert!(close(initial_bearing_deg(ll(0.0, 0.0), ll(0.0, -1.0)), 270.0));
        // Across the antimeridian the short way is east.
        assert!(close(initial_bearing_deg(ll(0.0, 179.5), ll(0.0, -179.5)), 90.0));
        assert_eq!(initial_bearing_deg(ll(10.0, 10.0), ll(10.0, 10.0)), 0.0);
        // Great circle from (50, 0) to (50, 10) leaves north of east.
        let b = initial_bearing_deg(ll(50.0, 0.0), ll(50.0, 10.0));
        assert!(b > 80.0 && b < 90.0, "{b}");
        // Matches `destination`, which walks the same great circle.
        let p = destination(ll(48.85, 2.35), 33.0, 5_000.0);
        assert!((initial_bearing_deg(ll(48.85, 2.35), p) - 33.0).abs() < 1e-6);
    }

    proptest! {
        /// Every point within the radius lies in one of the cover rectangles.
        #[test]
        fn cap_rects_cover_the_cap(
            lat in -90.0f64..=90.0, lng in -180.0f64..=180.0,
            bearing in 0.0f64..360.0, frac in 0.0f64..=1.0, radius in 1.0f64..50_000.0,
        ) {
            let center = ll(lat, lng);
            let p = destination(center, bearing, radius * frac);
            prop_assume!(haversine_m(center, p) <= radius);
            let rects = cap_rects(center, radius);
            prop_assert!(rects.iter().any(|r| r.contains(p)), "{p:?} not in {rects:?}");
        }
    }
}
