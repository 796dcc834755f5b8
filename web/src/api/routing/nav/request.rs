//! The query of `GET /v1/nav`: `origin=LAT,LNG&destination=LAT,LNG[&mode=driving|walking|cycling]
//! [&waypoints=LAT,LNG|LAT,LNG]`, in Google's order (latitude first).
//!
//! Errors, in the house shape (`{"error": {"code", "message"}}`), all HTTP 400:
//! `invalid_query` for a missing, repeated or malformed parameter, an unknown mode or a place
//! given by name (only coordinates are understood); `invalid_coordinates` for a latitude or
//! longitude out of range or not finite; `too_many_waypoints` past the limit. Other parameters
//! Google clients send (`key`, `language`, `units`, ...) are ignored.

use crate::api::error::ApiError;
use crate::api::routing::query;
use locus_core::geo::LatLng;
use locus_routing::Mode;

/// Google's limit on intermediate waypoints.
pub const MAX_WAYPOINTS: usize = 25;

#[derive(Debug, Clone, PartialEq)]
pub struct NavRequest {
    pub origin: LatLng,
    pub destination: LatLng,
    /// Points to pass through in order, between origin and destination.
    pub waypoints: Vec<LatLng>,
    pub mode: Mode,
    /// `alternatives=true`: other routes after the best (Google's flag; up to
    /// [`NAV_ALTERNATIVES`]).
    pub alternatives: bool,
}

/// How many alternatives `alternatives=true` asks for.
pub const NAV_ALTERNATIVES: usize = 2;

impl NavRequest {
    /// Origin, waypoints, destination: the points to route through, in order.
    pub fn points(&self) -> Vec<LatLng> {
        let mut p = Vec::with_capacity(self.waypoints.len() + 2);
        p.push(self.origin);
        p.extend(&self.waypoints);
        p.push(self.destination);
        p
    }
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_query", message)
}

/// Parses the raw query string (without `?`), allowing at most `max_waypoints` waypoints.
pub fn parse_nav_query(raw: &str, max_waypoints: usize) -> Result<NavRequest, ApiError> {
    let pairs = query::pairs(raw).map_err(|e| invalid(e.to_string()))?;
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let required = |key: &str| get(key).filter(|v| !v.is_empty()).ok_or_else(|| invalid(format!("{key} is required")));
    let origin = point("origin", required("origin")?)?;
    let destination = point("destination", required("destination")?)?;
    let mode = match get("mode").unwrap_or("driving") {
        "driving" => Mode::Car,
        "walking" => Mode::Foot,
        "cycling" | "bicycling" => Mode::Bicycle,
        other => return Err(invalid(format!("mode must be driving, walking or cycling, got {other:?}"))),
    };
    let waypoints = match get("waypoints") {
        None | Some("") => Vec::new(),
        Some(list) => {
            if list.split('|').count() > max_waypoints {
                return Err(ApiError::bad_request(
                    "too_many_waypoints",
                    format!("at most {max_waypoints} waypoints are allowed"),
                ));
            }
            list.split('|').map(|w| point("waypoints", w)).collect::<Result<_, _>>()?
        }
    };
    let alternatives = match get("alternatives").unwrap_or("false") {
        "true" => true,
        "false" | "" => false,
        other => return Err(invalid(format!("alternatives must be true or false, got {other:?}"))),
    };
    Ok(NavRequest { origin, destination, waypoints, mode, alternatives })
}

/// `LAT,LNG` (spaces around the numbers allowed, as Google does).
fn point(key: &str, v: &str) -> Result<LatLng, ApiError> {
    let parts = v.split_once(',').map(|(a, b)| (query::number(a.trim()), query::number(b.trim())));
    let Some((Some(lat), Some(lng))) = parts else {
        return Err(invalid(format!("{key} must be LAT,LNG in degrees (place names are not supported), got {v:?}")));
    };
    LatLng::new(lat, lng).map_err(|e| ApiError::bad_request("invalid_coordinates", format!("{key}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<NavRequest, ApiError>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(e) => {
                assert_eq!(e.status.as_u16(), 400);
                e.code
            }
        }
    }

    #[test]
    fn parses_google_style_queries() {
        let r = parse_nav_query("origin=48.8566,2.3522&destination=48.86,2.35&key=abc&language=fr", 25).unwrap();
        assert_eq!((r.origin.lat(), r.origin.lng(), r.mode), (48.8566, 2.3522, Mode::Car));
        assert!(r.waypoints.is_empty());
        let r = parse_nav_query(
            "origin=48.8566,2.3522&destination=48.86,2.35&mode=walking&waypoints=48.857,2.351%7C48.858,%202.352",
            25,
        )
        .unwrap();
        assert_eq!(r.mode, Mode::Foot);
        assert_eq!(r.waypoints.len(), 2);
        assert_eq!(r.points().len(), 4);
        assert_eq!(r.points()[3], r.destination);
        for (mode, expected) in [("cycling", Mode::Bicycle), ("bicycling", Mode::Bicycle), ("driving", Mode::Car)] {
            let q = format!("origin=1,1&destination=2,2&mode={mode}");
            assert_eq!(parse_nav_query(&q, 25).unwrap().mode, expected);
        }
    }

    #[test]
    fn hostile_queries() {
        let many = vec!["1,1"; 10_000].join("|");
        let too_many = format!("origin=1,1&destination=2,2&waypoints={many}");
        let cases = [
            ("", "invalid_query"),
            ("origin=1,1", "invalid_query"),
            ("destination=1,1", "invalid_query"),
            ("origin=&destination=1,1", "invalid_query"),
            ("origin=NaN,1&destination=1,1", "invalid_query"),
            ("origin=1e999,1&destination=1,1", "invalid_coordinates"),
            ("origin=91,1&destination=1,1", "invalid_coordinates"),
            ("origin=1,-181&destination=1,1", "invalid_coordinates"),
            ("origin=Paris&destination=1,1", "invalid_query"),
            ("origin=1,1,1&destination=1,1", "invalid_query"),
            ("origin=1;1&destination=1,1", "invalid_query"),
            ("origin=1,1&destination=1,1&mode=transit", "invalid_query"),
            ("origin=1,1&destination=1,1&mode=", "invalid_query"),
            ("origin=1,1&origin=2,2&destination=1,1", "invalid_query"),
            ("origin=1,1&destination=1,1&waypoints=1,1||2,2", "invalid_query"),
            ("origin=1,1&destination=1,1&waypoints=via:1,1", "invalid_query"),
            ("origin=1,1&destination=1,1&waypoints=optimize:true|1,1", "invalid_query"),
            ("origin=1,1&destination=1,1&waypoints=1,1|", "invalid_query"),
            ("origin=%zz&destination=1,1", "invalid_query"),
            (too_many.as_str(), "too_many_waypoints"),
        ];
        for (q, expected) in cases {
            assert_eq!(code(parse_nav_query(q, MAX_WAYPOINTS)), expected, "{q}");
        }
        assert_eq!(code(parse_nav_query("origin=1,1&destination=1,1&waypoints=1,1|2,2", 1)), "too_many_waypoints");
    }
}
