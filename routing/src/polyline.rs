//! Google's encoded polyline format (precision 5, and OSRM's `polyline6` at precision 6) and
//! Douglas–Peucker simplification for overview geometries.
//!
//! Encoding follows Google's algorithm: each coordinate is rounded to an integer at the chosen
//! precision, stored as the difference from the previous point (latitude first), zig-zag signed
//! and written in 5-bit chunks offset by 63. Decoding is strict and linear in the input: a
//! character outside `?`..`~`, a value cut short, a value wider than 32 bits, a latitude without
//! its longitude or a position outside the WGS84 ranges is an error that names the offset.

use locus_core::geo::{haversine_m, LatLng, EARTH_RADIUS_M};

/// The number of decimal digits kept per coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Google's default and OSRM's `polyline`: 1e-5 degrees (about a metre).
    Five,
    /// OSRM's `polyline6`: 1e-6 degrees.
    Six,
}

impl Precision {
    pub fn factor(self) -> f64 {
        match self {
            Precision::Five => 1e5,
            Precision::Six => 1e6,
        }
    }
}

/// Why an encoded polyline was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PolylineError {
    #[error("invalid character {found:?} at offset {offset} (expected '?' to '~')")]
    InvalidCharacter { offset: usize, found: char },
    #[error("the polyline ends inside a value (offset {offset})")]
    Truncated { offset: usize },
    #[error("value at offset {offset} is wider than 32 bits")]
    Overflow { offset: usize },
    #[error("point {index} is outside the WGS84 ranges (lat {lat}, lng {lng})")]
    OutOfRange { index: usize, lat: f64, lng: f64 },
    #[error("more than {max} points")]
    TooManyPoints { max: usize },
}

/// Encodes `points` (latitude first, as Google does).
pub fn encode(points: &[LatLng], precision: Precision) -> String {
    let factor = precision.factor();
    let mut out = String::with_capacity(points.len() * 8);
    let (mut prev_lat, mut prev_lng) = (0i64, 0i64);
    for p in points {
        let (lat, lng) = ((p.lat() * factor).round() as i64, (p.lng() * factor).round() as i64);
        encode_value(lat - prev_lat, &mut out);
        encode_value(lng - prev_lng, &mut out);
        (prev_lat, prev_lng) = (lat, lng);
    }
    out
}

fn encode_value(delta: i64, out: &mut String) {
    let mut v = (if delta < 0 { !(delta << 1) } else { delta << 1 }) as u64;
    while v >= 0x20 {
        out.push(char::from((0x20 | (v & 0x1f)) as u8 + 63));
        v >>= 5;
    }
    out.push(char::from(v as u8 + 63));
}

/// Decodes a polyline; see the module documentation for what is refused.
pub fn decode(encoded: &str, precision: Precision) -> Result<Vec<LatLng>, PolylineError> {
    decode_at_most(encoded, precision, usize::MAX)
}

/// [`decode`] that stops with [`PolylineError::TooManyPoints`] as soon as the polyline holds more
/// than `max` points, so a hostile input costs no more than `max` points of work and memory.
pub fn decode_at_most(encoded: &str, precision: Precision, max: usize) -> Result<Vec<LatLng>, PolylineError> {
    let factor = precision.factor();
    let bytes = encoded.as_bytes();
    let mut points = Vec::new();
    let (mut lat, mut lng) = (0i64, 0i64);
    let mut offset = 0;
    while offset < bytes.len() {
        if points.len() == max {
            return Err(PolylineError::TooManyPoints { max });
        }
        let dlat = decode_value(encoded, &mut offset)?;
        if offset >= bytes.len() {
            return Err(PolylineError::Truncated { offset });
        }
        let dlng = decode_value(encoded, &mut offset)?;
        // Each delta fits in 32 bits and a valid running sum stays within ±180e6, so this never
        // overflows; the range check below stops the sum from drifting.
        lat += dlat;
        lng += dlng;
        let (la, ln) = (lat as f64 / factor, lng as f64 / factor);
        let p = LatLng::new(la, ln).map_err(|_| PolylineError::OutOfRange { index: points.len(), lat: la, lng: ln })?;
        points.push(p);
    }
    Ok(points)
}

fn decode_value(encoded: &str, offset: &mut usize) -> Result<i64, PolylineError> {
    let bytes = encoded.as_bytes();
    let start = *offset;
    let mut result: u64 = 0;
    let mut shift = 0u32;
    loop {
        let Some(&b) = bytes.get(*offset) else {
            return Err(PolylineError::Truncated { offset: *offset });
        };
        if !(63..=126).contains(&b) {
            let found = encoded.get(*offset..).and_then(|s| s.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(PolylineError::InvalidCharacter { offset: *offset, found });
        }
        let chunk = u64::from(b - 63);
        *offset += 1;
        // Google's values are 32-bit: at most seven 5-bit chunks, the last holding 2 bits.
        if shift >= 35 || (shift == 30 && chunk & 0x1f > 0b11) {
            return Err(PolylineError::Overflow { offset: start });
        }
        result |= (chunk & 0x1f) << shift;
        shift += 5;
        if chunk < 0x20 {
            break;
        }
    }
    let v = (result >> 1) as i64;
    Ok(if result & 1 == 1 { !v } else { v })
}

/// Douglas–Peucker: the subset of `points` (first and last always kept, order preserved) such that
/// every dropped point lies within `tolerance_m` metres of the kept segment that spans it.
/// A tolerance that is not a positive number returns the points unchanged. Iterative, so a long
/// line cannot overflow the stack; O(n log n) typical, O(n²) worst case.
pub fn simplify(points: &[LatLng], tolerance_m: f64) -> Vec<LatLng> {
    if points.len() <= 2 || tolerance_m.is_nan() || tolerance_m <= 0.0 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    let last = points.len() - 1;
    keep[0] = true;
    keep[last] = true;
    let mut stack = vec![(0usize, last)];
    while let Some((first, end)) = stack.pop() {
        let mut farthest = (0.0f64, 0usize);
        for (i, &p) in points.iter().enumerate().take(end).skip(first + 1) {
            let d = segment_distance_m(p, points[first], points[end]);
            if d > farthest.0 {
                farthest = (d, i);
            }
        }
        if farthest.0 > tolerance_m {
            keep[farthest.1] = true;
            stack.push((first, farthest.1));
            stack.push((farthest.1, end));
        }
    }
    points.iter().zip(keep).filter_map(|(&p, k)| k.then_some(p)).collect()
}

/// The tolerance [`simplify`] uses for an overview (OSRM's `overview=simplified`, Google's
/// `overview_polyline`): OSRM simplifies for the zoom level at which the whole route fits the
/// screen; here that is a two-thousandth of the diagonal of the route's bounding box (about half
/// a pixel on a 1000-pixel-wide map), at least one metre.
pub fn overview_tolerance_m(points: &[LatLng]) -> f64 {
    let Some(first) = points.first() else { return 1.0 };
    let (mut s, mut w, mut n, mut e) = (first.lat(), first.lng(), first.lat(), first.lng());
    for p in points {
        (s, w, n, e) = (s.min(p.lat()), w.min(p.lng()), n.max(p.lat()), e.max(p.lng()));
    }
    match (LatLng::new(s, w), LatLng::new(n, e)) {
        (Ok(sw), Ok(ne)) => (haversine_m(sw, ne) / 2000.0).max(1.0),
        _ => 1.0,
    }
}

/// Distance in metres from `p` to the segment `a`–`b`, in a local equirectangular projection
/// centred on `p` (exact enough at the scale of road geometry; longitudes are unwrapped across
/// the antimeridian).
fn segment_distance_m(p: LatLng, a: LatLng, b: LatLng) -> f64 {
    let k = p.lat().to_radians().cos();
    let project = |q: LatLng| {
        let mut dlng = q.lng() - p.lng();
        if dlng > 180.0 {
            dlng -= 360.0;
        } else if dlng < -180.0 {
            dlng += 360.0;
        }
        (dlng.to_radians() * k * EARTH_RADIUS_M, (q.lat() - p.lat()).to_radians() * EARTH_RADIUS_M)
    };
    let ((ax, ay), (bx, by)) = (project(a), project(b));
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let (cx, cy) = (ax + t * dx, ay + t * dy);
    (cx * cx + cy * cy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ll(lat: f64, lng: f64) -> LatLng {
        LatLng::new(lat, lng).unwrap()
    }

    /// Google's documented example.
    const GOOGLE: &str = "_p~iF~ps|U_ulLnnqC_mqNvxq`@";

    #[test]
    fn google_known_vector() {
        let points = [ll(38.5, -120.2), ll(40.7, -120.95), ll(43.252, -126.453)];
        assert_eq!(encode(&points, Precision::Five), GOOGLE);
        let decoded = decode(GOOGLE, Precision::Five).unwrap();
        assert_eq!(decoded.len(), 3);
        for (d, p) in decoded.iter().zip(points) {
            assert!((d.lat() - p.lat()).abs() < 1e-9 && (d.lng() - p.lng()).abs() < 1e-9);
        }
        // The same string read at precision 6 is the same digits a tenth as large.
        let six = decode(GOOGLE, Precision::Six).unwrap();
        assert!((six[0].lat() - 3.85).abs() < 1e-9 && (six[0].lng() + 12.02).abs() < 1e-9);
        // Google's single-value example: -179.9832104 encodes as `~oia@`.
        let mut out = String::new();
        encode_value((-179.9832104f64 * 1e5).round() as i64, &mut out);
        assert_eq!(out, "`~oia@");
    }

    #[test]
    fn empty_and_extremes() {
        assert_eq!(encode(&[], Precision::Five), "");
        assert_eq!(decode("", Precision::Six).unwrap(), vec![]);
        let corners = [ll(90.0, 180.0), ll(-90.0, -180.0), ll(90.0, -180.0), ll(0.0, 0.0)];
        for precision in [Precision::Five, Precision::Six] {
            assert_eq!(decode(&encode(&corners, precision), precision).unwrap(), corners);
        }
    }

    #[test]
    fn malformed_input_is_an_error() {
        use PolylineError::*;
        let check = |s: &str, expected: PolylineError| assert_eq!(decode(s, Precision::Five), Err(expected), "{s:?}");
        check("_p~iF", Truncated { offset: 5 });
        check("_p~iF~ps|", Truncated { offset: 9 });
        check("_p~iF ps|U", InvalidCharacter { offset: 5, found: ' ' });
        check("_p~iF~ps|U\u{e9}", InvalidCharacter { offset: 10, found: '\u{e9}' });
        check("??>?", InvalidCharacter { offset: 2, found: '>' });
        // Seven chunks whose last carries more than two bits, and eight chunks.
        check("~~~~~~C??", Overflow { offset: 0 });
        check("~~~~~~~???", Overflow { offset: 0 });
        // A well-formed value that walks off the globe (latitude 100 at precision 5, 10 at 6).
        let far = encode_far();
        assert!(matches!(decode(&far, Precision::Five), Err(OutOfRange { index: 0, .. })));
        assert!(decode(&far, Precision::Six).is_ok());
    }

    fn encode_far() -> String {
        let mut s = String::new();
        encode_value(10_000_000, &mut s);
        encode_value(0, &mut s);
        s
    }

    #[test]
    fn decode_at_most_stops_early() {
        let points: Vec<LatLng> = (0..10_000).map(|i| ll(f64::from(i) * 1e-4, 0.0)).collect();
        let s = encode(&points, Precision::Five);
        assert_eq!(decode_at_most(&s, Precision::Five, 100), Err(PolylineError::TooManyPoints { max: 100 }));
        assert_eq!(decode_at_most(&s, Precision::Five, 10_000).unwrap().len(), 10_000);
    }

    #[test]
    fn simplify_straight_line_and_corner() {
        let line: Vec<LatLng> = (0..=10).map(|i| ll(0.0, f64::from(i) * 0.001)).collect();
        assert_eq!(simplify(&line, 1.0), vec![line[0], line[10]]);
        let mut corner = line.clone();
        corner.push(ll(0.005, 0.010));
        assert_eq!(simplify(&corner, 1.0), vec![line[0], line[10], corner[11]]);
        // Non-positive or NaN tolerance keeps everything; short inputs are returned as they are.
        assert_eq!(simplify(&corner, 0.0), corner);
        assert_eq!(simplify(&corner, f64::NAN), corner);
        assert_eq!(simplify(&line[..2], 100.0), line[..2].to_vec());
        assert_eq!(simplify(&[], 100.0), vec![]);
    }

    #[test]
    fn simplify_across_the_antimeridian() {
        let pts = [ll(0.0, 179.999), ll(0.000001, 180.0), ll(0.0, -179.999)];
        assert_eq!(simplify(&pts, 1.0), vec![pts[0], pts[2]]);
    }

    #[test]
    fn overview_tolerance_scales_with_extent() {
        assert_eq!(overview_tolerance_m(&[]), 1.0);
        assert_eq!(overview_tolerance_m(&[ll(1.0, 1.0), ll(1.0, 1.0001)]), 1.0);
        let t = overview_tolerance_m(&[ll(0.0, 0.0), ll(0.0, 1.0)]);
        assert!((t - 111_195.0 / 2000.0).abs() < 1.0, "{t}");
    }

    fn points(max: usize) -> impl Strategy<Value = Vec<LatLng>> {
        prop::collection::vec((-90.0f64..=90.0, -180.0f64..=180.0).prop_map(|(a, b)| ll(a, b)), 0..max)
    }

    fn track() -> impl Strategy<Value = Vec<LatLng>> {
        (-60.0f64..60.0, -170.0f64..170.0, prop::collection::vec((-0.001f64..0.001, -0.001f64..0.001), 0..200))
            .prop_map(|(lat, lng, steps)| {
                let mut p = (lat, lng);
                steps
                    .into_iter()
                    .map(|(a, b)| {
                        p = (p.0 + a, p.1 + b);
                        ll(p.0, p.1)
                    })
                    .collect()
            })
    }

    proptest! {
        #[test]
        fn round_trips(pts in points(50)) {
            for (precision, tolerance) in [(Precision::Five, 1e-5), (Precision::Six, 1e-6)] {
                let back = decode(&encode(&pts, precision), precision).unwrap();
                prop_assert_eq!(back.len(), pts.len());
                for (b, p) in back.iter().zip(&pts) {
                    prop_assert!((b.lat() - p.lat()).abs() <= tolerance, "{b:?} {p:?}");
                    prop_assert!((b.lng() - p.lng()).abs() <= tolerance, "{b:?} {p:?}");
                }
            }
        }

        #[test]
        fn decode_never_panics(s in ".{0,64}", t in "[?-~]{0,64}") {
            let _ = decode(&s, Precision::Five);
            let _ = decode(&t, Precision::Six);
        }

        /// Every dropped point lies within the tolerance of the simplified line, the ends are
        /// kept and the result is an ordered subset of the input.
        #[test]
        fn simplify_stays_within_tolerance(pts in track(), tolerance in 0.5f64..200.0) {
            let simple = simplify(&pts, tolerance);
            prop_assert_eq!(simple.first(), pts.first());
            prop_assert_eq!(simple.last(), pts.last());
            let mut it = pts.iter();
            for s in &simple {
                prop_assert!(it.any(|p| p == s), "not an ordered subset");
            }
            for p in &pts {
                let d = simple.windows(2).map(|w| segment_distance_m(*p, w[0], w[1])).fold(f64::INFINITY, f64::min);
                prop_assert!(simple.len() < 2 || d <= tolerance + 1e-6, "{p:?} is {d} m away");
            }
        }
    }
}
