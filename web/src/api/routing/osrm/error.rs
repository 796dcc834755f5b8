//! OSRM's error answer: HTTP 400 with `{"code": "InvalidQuery", "message": "..."}`, the codes
//! OSRM documents, and the mapping from [`RouteError`].
//!
//! Which code a parse failure gets: a path that does not read as
//! `/{service}/{version}/{profile}/{coordinates}[.json]` (or an unknown profile) is `InvalidUrl`;
//! an unknown service `InvalidService`; a version other than `v1` `InvalidVersion`; a query
//! string that does not parse (unknown option, malformed or repeated value) `InvalidQuery`;
//! options that disagree with the coordinates (counts, indices) `InvalidOptions`; a value out of
//! its range (latitude 91, NaN, a negative radius) `InvalidValue`; more coordinates or results
//! than this server allows `TooBig`.
//!
//! One departure: OSRM never reports a fault of its own data in-band. When routing data cannot
//! be read, Locus answers HTTP 503 with the code `ServiceUnavailable`.

use super::Service;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use locus_routing::RouteError;
use serde_json::{json, Value};

/// The `code` of an OSRM error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OsrmCode {
    InvalidUrl,
    InvalidService,
    InvalidVersion,
    InvalidOptions,
    InvalidQuery,
    InvalidValue,
    NoSegment,
    NoRoute,
    NoTable,
    NoMatch,
    TooBig,
    /// Not an OSRM code: the routing data could not be read (HTTP 503).
    ServiceUnavailable,
}

impl OsrmCode {
    pub fn as_str(self) -> &'static str {
        match self {
            OsrmCode::InvalidUrl => "InvalidUrl",
            OsrmCode::InvalidService => "InvalidService",
            OsrmCode::InvalidVersion => "InvalidVersion",
            OsrmCode::InvalidOptions => "InvalidOptions",
            OsrmCode::InvalidQuery => "InvalidQuery",
            OsrmCode::InvalidValue => "InvalidValue",
            OsrmCode::NoSegment => "NoSegment",
            OsrmCode::NoRoute => "NoRoute",
            OsrmCode::NoTable => "NoTable",
            OsrmCode::NoMatch => "NoMatch",
            OsrmCode::TooBig => "TooBig",
            OsrmCode::ServiceUnavailable => "ServiceUnavailable",
        }
    }

    /// OSRM answers 400 for every error code.
    pub fn status(self) -> StatusCode {
        match self {
            OsrmCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// An OSRM error answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
pub struct OsrmError {
    pub code: OsrmCode,
    pub message: String,
}

impl OsrmError {
    pub fn new(code: OsrmCode, message: impl Into<String>) -> Self {
        OsrmError { code, message: message.into() }
    }

    /// The JSON body: `{"code": ..., "message": ...}`.
    pub fn body(&self) -> Value {
        json!({ "code": self.code.as_str(), "message": self.message })
    }

    /// What a [`RouteError`] from answering `service` means in OSRM's terms.
    pub fn from_route(e: RouteError, service: Service) -> Self {
        match e {
            RouteError::NoSegment { index } => {
                Self::new(OsrmCode::NoSegment, format!("Could not find a matching segment for coordinate {index}"))
            }
            RouteError::NoRoute => match service {
                Service::Route => Self::new(OsrmCode::NoRoute, "Impossible route between points"),
                Service::Table => Self::new(OsrmCode::NoTable, "No table found"),
                Service::Nearest => Self::new(OsrmCode::NoSegment, "Could not find a matching segment"),
            },
            RouteError::ProfileUnavailable(mode) => {
                Self::new(OsrmCode::InvalidUrl, format!("this server has no routing data for the {mode} profile"))
            }
            RouteError::InvalidValue(msg) => Self::new(OsrmCode::InvalidValue, msg),
            RouteError::TooBig(msg) => Self::new(OsrmCode::TooBig, msg),
            RouteError::Data(msg) => {
                tracing::error!(error = %msg, "routing data unavailable");
                Self::new(OsrmCode::ServiceUnavailable, "routing data is unavailable; retry later")
            }
        }
    }
}

impl IntoResponse for OsrmError {
    fn into_response(self) -> Response {
        (self.code.status(), Json(self.body())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use locus_routing::Mode;

    #[test]
    fn route_errors_map_to_osrm_codes() {
        let cases = [
            (RouteError::NoSegment { index: 1 }, Service::Route, "NoSegment", 400),
            (RouteError::NoRoute, Service::Route, "NoRoute", 400),
            (RouteError::NoRoute, Service::Table, "NoTable", 400),
            (RouteError::NoRoute, Service::Nearest, "NoSegment", 400),
            (RouteError::ProfileUnavailable(Mode::Foot), Service::Route, "InvalidUrl", 400),
            (RouteError::InvalidValue("x".into()), Service::Table, "InvalidValue", 400),
            (RouteError::TooBig("x".into()), Service::Table, "TooBig", 400),
            (RouteError::Data("tile 3 truncated".into()), Service::Route, "ServiceUnavailable", 503),
        ];
        for (e, service, code, status) in cases {
            let o = OsrmError::from_route(e, service);
            assert_eq!((o.code.as_str(), o.code.status().as_u16()), (code, status));
        }
        let o = OsrmError::from_route(RouteError::NoSegment { index: 1 }, Service::Route);
        assert_eq!(
            o.body(),
            json!({"code": "NoSegment", "message": "Could not find a matching segment for coordinate 1"})
        );
    }

    #[test]
    fn data_errors_do_not_leak_details() {
        let o = OsrmError::from_route(RouteError::Data("/srv/tiles/2/17.bin: checksum".into()), Service::Route);
        assert!(!o.message.contains("/srv"));
    }
}
