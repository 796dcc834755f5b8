//! Reading OSRM answers in tests: the route's step names as OSRM's cucumber tables list them,
//! maneuvers, modes, and an independent (slow, obvious) decoder of Google's encoded polyline
//! format, so the server's encoder is checked against something it does not share code with.

use serde_json::Value;

/// Decodes an encoded polyline with `precision` decimals (5 for `polyline`, 6 for `polyline6`)
/// into `(lat, lon)` pairs; `None` when the text is not a whole polyline.
pub fn decode_polyline(encoded: &str, precision: u32) -> Option<Vec<(f64, f64)>> {
    let factor = 10f64.powi(precision as i32);
    let mut numbers: Vec<i64> = Vec::new();
    let (mut value, mut shift) = (0i64, 0u32);
    for c in encoded.bytes() {
        if !(63..=126).contains(&c) || shift > 60 {
            return None;
        }
        let chunk = i64::from(c - 63);
        value |= (chunk & 0x1f) << shift;
        shift += 5;
        if chunk < 0x20 {
            numbers.push(if value & 1 == 1 { !(value >> 1) } else { value >> 1 });
            (value, shift) = (0, 0);
        }
    }
    if shift != 0 || numbers.len() % 2 == 1 {
        return None;
    }
    let (mut lat, mut lon) = (0i64, 0i64);
    Some(
        numbers
            .chunks(2)
            .map(|d| {
                lat += d[0];
                lon += d[1];
                (lat as f64 / factor, lon as f64 / factor)
            })
            .collect(),
    )
}

/// Encodes `(lat, lon)` points as a polyline with `precision` decimals (the plain algorithm).
pub fn encode_polyline(points: &[(f64, f64)], precision: u32) -> String {
    let factor = 10f64.powi(precision as i32);
    let mut out = String::new();
    let (mut last_lat, mut last_lon) = (0i64, 0i64);
    for &(lat, lon) in points {
        let (lat, lon) = ((lat * factor).round() as i64, (lon * factor).round() as i64);
        for delta in [lat - last_lat, lon - last_lon] {
            let mut v = if delta < 0 { !(delta << 1) } else { delta << 1 };
            while v >= 0x20 {
                out.push(char::from(((0x20 | (v & 0x1f)) + 63) as u8));
                v >>= 5;
            }
            out.push(char::from((v + 63) as u8));
        }
        (last_lat, last_lon) = (lat, lon);
    }
    out
}

/// Metres between two `(lat, lon)` points on Locus's sphere (an independent haversine).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    const R: f64 = 6_371_008.8;
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let (dla, dlo) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// `(lat, lon)` of an OSRM `[lon, lat]` location.
pub fn lat_lon(location: &Value) -> (f64, f64) {
    let lon = location[0].as_f64().unwrap_or_else(|| panic!("not a [lon, lat] location: {location}"));
    let lat = location[1].as_f64().unwrap_or_else(|| panic!("not a [lon, lat] location: {location}"));
    (lat, lon)
}

/// The steps of every leg of the first route.
pub fn steps(body: &Value) -> Vec<&Value> {
    body["routes"][0]["legs"].as_array().into_iter().flatten().flat_map(|l| l["steps"].as_array()).flatten().collect()
}

/// The route column of a cucumber table: the step names of every leg, comma-separated, without
/// each leg's `arrive` step (it repeats the last name).
pub fn route_names(body: &Value) -> String {
    steps(body)
        .iter()
        .filter(|s| s["maneuver"]["type"] != "arrive")
        .map(|s| s["name"].as_str().unwrap_or("?"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The turns column: each step's maneuver as `type` or `type modifier` (`depart`,
/// `turn left`, `roundabout-exit-2`, `arrive`), comma-separated.
pub fn turns(body: &Value) -> String {
    steps(body)
        .iter()
        .map(|s| {
            let m = &s["maneuver"];
            let kind = m["type"].as_str().unwrap_or("?");
            match (kind, m["modifier"].as_str(), m["exit"].as_u64()) {
                ("roundabout", _, Some(exit)) => format!("roundabout-exit-{exit}"),
                ("depart" | "arrive", _, _) => kind.to_owned(),
                (_, Some(modifier), _) => format!("{kind} {modifier}"),
                (_, None, _) => kind.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The modes column: each step's `mode` except the arrive steps, comma-separated.
pub fn modes(body: &Value) -> String {
    steps(body)
        .iter()
        .filter(|s| s["maneuver"]["type"] != "arrive")
        .map(|s| s["mode"].as_str().unwrap_or("?"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_googles_example() {
        // https://developers.google.com/maps/documentation/utilities/polylinealgorithm
        let points = decode_polyline("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 5).unwrap();
        assert_eq!(points, vec![(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]);
        assert_eq!(decode_polyline("", 5), Some(vec![]));
        assert_eq!(decode_polyline("_p~iF", 5), None);
        assert_eq!(decode_polyline("_p~iF~ps|", 5), None);
        assert_eq!(decode_polyline("a b", 5), None);
        assert_eq!(encode_polyline(&points, 5), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
        let six = [(43.738412, 7.424633), (-0.000001, -179.999999)];
        assert_eq!(decode_polyline(&encode_polyline(&six, 6), 6), Some(six.to_vec()));
    }

    #[test]
    fn haversine_of_one_degree() {
        assert!((distance_m((0.0, 0.0), (1.0, 0.0)) - 111_195.08).abs() < 0.01);
    }
}
