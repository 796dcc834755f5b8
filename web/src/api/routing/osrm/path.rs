//! The path of an OSRM request: `/{service}/{version}/{profile}/{coordinates}[.json]`, where
//! coordinates are `{lon},{lat};{lon},{lat}...`, `polyline({polyline})` or
//! `polyline6({polyline6})`. The number of coordinates is checked before any is parsed, so
//! 10,000 of them cost a scan of the string, not 10,000 parses.
//!
//! A coordinate that reads as numbers but is no place (`NaN`, `inf`, `1e999`, latitude 91) is
//! `InvalidValue` ("Invalid coordinate value."), as OSRM answers; one that does not read as
//! `{lon},{lat}` in decimal numbers (`0x10`, `7.42`, three numbers) is `InvalidUrl`.

use super::error::{OsrmCode, OsrmError};
use crate::api::routing::query;
use locus_core::geo::LatLng;
use locus_routing::polyline::{self, PolylineError, Precision};
use locus_routing::Mode;

/// The OSRM services Locus answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Route,
    Nearest,
    Table,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Route => "route",
            Service::Nearest => "nearest",
            Service::Table => "table",
        }
    }
}

/// How much one request may ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Coordinates of a `route` request (OSRM's `max_locations_viaroute`).
    pub max_route_coordinates: usize,
    /// Coordinates of a `table` request (OSRM's `max_locations_distance_table`).
    pub max_table_coordinates: usize,
    /// `number` of a `nearest` request (OSRM's `max_results_nearest`).
    pub max_nearest_results: u32,
    /// `alternatives` of a `route` request (OSRM's `max_alternatives`).
    pub max_alternatives: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_route_coordinates: 500, max_table_coordinates: 100, max_nearest_results: 100, max_alternatives: 3 }
    }
}

/// A parsed request path.
#[derive(Debug, Clone, PartialEq)]
pub struct OsrmPath {
    pub service: Service,
    pub mode: Mode,
    pub coordinates: Vec<LatLng>,
}

/// Parses a whole request path such as `/route/v1/driving/13.38,52.51;13.39,52.52.json` (its
/// segments percent-encoded, without the query string).
pub fn parse_path(path: &str, limits: &Limits) -> Result<OsrmPath, OsrmError> {
    let malformed = || OsrmError::new(OsrmCode::InvalidUrl, format!("URL string malformed: {path:?}"));
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let [service, version, profile, coordinates] = segments[..] else { return Err(malformed()) };
    let decode = |s: &str| query::percent_decode(s).map_err(|e| OsrmError::new(OsrmCode::InvalidUrl, e.to_string()));
    let service = match decode(service)?.as_str() {
        "route" => Service::Route,
        "nearest" => Service::Nearest,
        "table" => Service::Table,
        other => {
            return Err(OsrmError::new(OsrmCode::InvalidService, format!("Service {other} not found!")));
        }
    };
    let version = decode(version)?;
    if version != "v1" {
        return Err(OsrmError::new(OsrmCode::InvalidVersion, format!("Service {version} not found!")));
    }
    parse_parts(service, &decode(profile)?, &decode(coordinates)?, limits)
}

/// Parses the profile and coordinates of a path whose service is known (a handler mounted at
/// `/route/v1/{profile}/{coordinates}` passes the decoded path parameters).
pub fn parse_parts(service: Service, profile: &str, coordinates: &str, limits: &Limits) -> Result<OsrmPath, OsrmError> {
    let mode = parse_profile(profile)?;
    let max = match service {
        Service::Route => limits.max_route_coordinates,
        Service::Table => limits.max_table_coordinates,
        Service::Nearest => 1,
    };
    let coordinates = parse_coordinates(coordinates, max).map_err(|e| match (service, e.code) {
        (Service::Nearest, OsrmCode::TooBig) => {
            OsrmError::new(OsrmCode::InvalidOptions, "Only one input coordinate is supported")
        }
        (Service::Table, OsrmCode::TooBig) => OsrmError::new(OsrmCode::TooBig, "Too many table coordinates"),
        _ => e,
    })?;
    if service == Service::Route && coordinates.len() < 2 {
        return Err(OsrmError::new(OsrmCode::InvalidOptions, "Number of coordinates needs to be at least two."));
    }
    Ok(OsrmPath { service, mode, coordinates })
}

/// `car`/`driving`, `foot`/`walking`, `bicycle`/`bike`/`cycling`.
pub fn parse_profile(profile: &str) -> Result<Mode, OsrmError> {
    match profile {
        "car" | "driving" => Ok(Mode::Car),
        "foot" | "walking" => Ok(Mode::Foot),
        "bicycle" | "bike" | "cycling" => Ok(Mode::Bicycle),
        other => Err(OsrmError::new(
            OsrmCode::InvalidUrl,
            format!("unknown profile {other:?}: use car (driving), foot (walking) or bicycle (cycling)"),
        )),
    }
}

/// Parses the coordinates segment (with an optional `.json` format suffix); more than `max`
/// coordinates is `TooBig`.
pub fn parse_coordinates(segment: &str, max: usize) -> Result<Vec<LatLng>, OsrmError> {
    let malformed = |why: &str| OsrmError::new(OsrmCode::InvalidUrl, format!("URL string malformed: {why}"));
    let body = segment.strip_suffix(".json").unwrap_or(segment);
    if body.ends_with(".flatbuffers") {
        return Err(malformed("only the json format is supported"));
    }
    for (prefix, precision) in [("polyline(", Precision::Five), ("polyline6(", Precision::Six)] {
        if let Some(rest) = body.strip_prefix(prefix) {
            let encoded = rest.strip_suffix(')').ok_or_else(|| malformed("missing ) after the polyline"))?;
            let points = polyline::decode_at_most(encoded, precision, max).map_err(|e| match e {
                PolylineError::TooManyPoints { .. } => too_big(max),
                PolylineError::OutOfRange { .. } => OsrmError::new(OsrmCode::InvalidValue, "Invalid coordinate value."),
                other => malformed(&other.to_string()),
            })?;
            if points.is_empty() {
                return Err(malformed("empty polyline"));
            }
            return Ok(points);
        }
    }
    if body.is_empty() {
        return Err(malformed("no coordinates"));
    }
    if body.split(';').count() > max {
        return Err(too_big(max));
    }
    let invalid_value = || OsrmError::new(OsrmCode::InvalidValue, "Invalid coordinate value.");
    body.split(';')
        .enumerate()
        .map(|(i, pair)| {
            let not_lon_lat = || malformed(&format!("coordinate {i} is not lon,lat"));
            let (lon, lat) = pair.split_once(',').ok_or_else(not_lon_lat)?;
            match (query::number(lon), query::number(lat)) {
                (Some(lon), Some(lat)) => LatLng::new(lat, lon).map_err(|_| invalid_value()),
                // Numbers, but no place (OSRM's parser reads them, its coordinate check refuses them).
                (lon_v, lat_v) if (lon_v.is_some() || non_finite(lon)) && (lat_v.is_some() || non_finite(lat)) => {
                    Err(invalid_value())
                }
                _ => Err(not_lon_lat()),
            }
        })
        .collect()
}

/// `nan`, `inf` or `infinity` in any case, signed or not: what a floating-point parser reads as
/// a number that is not finite.
fn non_finite(s: &str) -> bool {
    let word = s.strip_prefix(['+', '-']).unwrap_or(s);
    ["nan", "inf", "infinity"].iter().any(|w| word.eq_ignore_ascii_case(w))
}

fn too_big(max: usize) -> OsrmError {
    OsrmError::new(OsrmCode::TooBig, format!("Number of entries is higher than current maximum ({max})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<OsrmPath, OsrmError>) -> &'static str {
        match r {
            Ok(_) => "Ok",
            Err(e) => e.code.as_str(),
        }
    }

    #[test]
    fn paths_as_osrm_documents_them() {
        let l = Limits::default();
        let p = parse_path("/route/v1/driving/13.388860,52.517037;13.397634,52.529407.json", &l).unwrap();
        assert_eq!((p.service, p.mode, p.coordinates.len()), (Service::Route, Mode::Car, 2));
        assert_eq!((p.coordinates[0].lng(), p.coordinates[0].lat()), (13.388860, 52.517037));
        let p = parse_path("table/v1/foot/13.38,52.51;13.39,52.52;13.40,52.53", &l).unwrap();
        assert_eq!((p.service, p.mode, p.coordinates.len()), (Service::Table, Mode::Foot, 3));
        let p = parse_path("/nearest/v1/bike/13.38,52.51", &l).unwrap();
        assert_eq!((p.service, p.mode), (Service::Nearest, Mode::Bicycle));
        for profile in ["car", "driving", "foot", "walking", "bicycle", "cycling"] {
            assert!(parse_profile(profile).is_ok());
        }
    }

    #[test]
    fn polyline_coordinates() {
        let l = Limits::default();
        // Google's example, percent-encoded as a client sends it (` is %60).
        let p = parse_path("/route/v1/car/polyline(_p~iF~ps%7CU_ulLnnqC_mqNvxq%60@)", &l).unwrap();
        assert_eq!(p.coordinates.len(), 3);
        assert!((p.coordinates[2].lng() + 126.453).abs() < 1e-9);
        let p = parse_parts(Service::Route, "car", "polyline6(_p~iF~ps|U_ulLnnqC)", &l).unwrap();
        assert!((p.coordinates[0].lat() - 3.85).abs() < 1e-9);
        for (bad, expected) in [
            ("polyline(_p~iF~ps|U", "InvalidUrl"),
            ("polyline(_p~iF)", "InvalidUrl"),
            ("polyline( )", "InvalidUrl"),
            ("polyline()", "InvalidUrl"),
        ] {
            assert_eq!(code(parse_parts(Service::Route, "car", bad, &l)), expected, "{bad}");
        }
        // Latitude 50 at precision 6 reads as latitude 500 at precision 5.
        let fifty = polyline::encode(&[LatLng::new(50.0, 0.0).unwrap()], Precision::Six);
        assert_eq!(code(parse_parts(Service::Nearest, "car", &format!("polyline({fifty})"), &l)), "InvalidValue");
        assert_eq!(code(parse_parts(Service::Nearest, "car", &format!("polyline6({fifty})"), &l)), "Ok");
    }

    #[test]
    fn hostile_paths() {
        let l = Limits::default();
        let cases = [
            ("/route/v1/driving/NaN,52.5;13.3,52.5", "InvalidValue"),
            ("/route/v1/driving/inf,52.5;13.3,52.5", "InvalidValue"),
            ("/route/v1/driving/13.3,-Infinity;13.3,52.5", "InvalidValue"),
            ("/route/v1/driving/nan,nan;13.3,52.5", "InvalidValue"),
            ("/route/v1/driving/13.3,52.5;+INF,52.5", "InvalidValue"),
            ("/table/v1/driving/13.3,52.5;NaN,52.5", "InvalidValue"),
            ("/nearest/v1/driving/NaN,52.5", "InvalidValue"),
            ("/route/v1/driving/13.3,1e999;13.3,52.5", "InvalidValue"),
            ("/route/v1/driving/NaN,0x10;13.3,52.5", "InvalidUrl"),
            ("/route/v1/driving/nano,52.5;13.3,52.5", "InvalidUrl"),
            ("/route/v1/driving/NaN;13.3,52.5", "InvalidUrl"),
            ("/route/v1/driving/0x10,52.5;13.3,52.5", "InvalidUrl"),
            ("/route/v1/driving/1e999,52.5;13.3,52.5", "InvalidValue"),
            ("/route/v1/driving/13.3,91;13.3,52.5", "InvalidValue"),
            ("/route/v1/driving/181,0;13.3,52.5", "InvalidValue"),
            ("/route/v1/driving/13.3,52.5;;13.4,52.5", "InvalidUrl"),
            ("/route/v1/driving/13.3,52.5;13.4,52.5;", "InvalidUrl"),
            ("/route/v1/driving/13.3,52.5,7;13.4,52.5", "InvalidUrl"),
            ("/route/v1/driving/13.3;52.5", "InvalidUrl"),
            ("/route/v1/driving/", "InvalidUrl"),
            ("/route/v1/driving/13.3,52.5", "InvalidOptions"),
            ("/route/v1/driving/13.3,52.5;13.4,52.5.flatbuffers", "InvalidUrl"),
            ("/route/v1/driving/13.3,52.5;13.4,52.5.xml", "InvalidUrl"),
            ("/route/v1/driving/13.3,52.5;13.4,%zz", "InvalidUrl"),
            ("/route/v1/hovercraft/13.3,52.5;13.4,52.5", "InvalidUrl"),
            ("/route/v2/driving/13.3,52.5;13.4,52.5", "InvalidVersion"),
            ("/match/v1/driving/13.3,52.5;13.4,52.5", "InvalidService"),
            ("/route/v1/driving", "InvalidUrl"),
            ("/route/v1/driving/13.3,52.5;13.4,52.5/extra", "InvalidUrl"),
            ("", "InvalidUrl"),
            ("/nearest/v1/car/13.3,52.5;13.4,52.5", "InvalidOptions"),
        ];
        for (path, expected) in cases {
            assert_eq!(code(parse_path(path, &l)), expected, "{path}");
        }
    }

    #[test]
    fn too_many_coordinates_is_too_big() {
        let l = Limits::default();
        let many = vec!["13.3,52.5"; 10_000].join(";");
        assert_eq!(code(parse_parts(Service::Route, "car", &many, &l)), "TooBig");
        let e = parse_parts(Service::Table, "car", &many, &l).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (OsrmCode::TooBig, "Too many table coordinates"));
        let at_limit = vec!["13.3,52.5"; 500].join(";");
        assert_eq!(parse_parts(Service::Route, "car", &at_limit, &l).unwrap().coordinates.len(), 500);
        let small = Limits { max_table_coordinates: 2, ..Limits::default() };
        assert_eq!(code(parse_parts(Service::Table, "car", "1,1;2,2;3,3", &small)), "TooBig");
        // The same through a polyline: decoding stops at the limit.
        let points: Vec<LatLng> = (0..10_000).map(|i| LatLng::new(0.0, f64::from(i) * 1e-4).unwrap()).collect();
        let encoded = format!("polyline({})", polyline::encode(&points, Precision::Five));
        assert_eq!(code(parse_parts(Service::Route, "car", &encoded, &l)), "TooBig");
    }
}
