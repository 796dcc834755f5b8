//! Strict parsing of query-string parameters, with errors that name the parameter.

use super::error::ApiError;
use chrono::{DateTime, Utc};
use locus_core::geo::LatLng;
use std::collections::HashMap;
use std::str::FromStr;

pub struct Params(pub HashMap<String, String>);

impl Params {
    fn raw(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// An optional parameter parsed as `T`; a present but malformed one is an error.
    pub fn opt<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        match self.raw(name) {
            None | Some("") => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| ApiError::bad_request("invalid_query", format!("{name}: cannot parse {v:?}"))),
        }
    }

    pub fn required<T: FromStr>(&self, name: &str) -> Result<T, ApiError> {
        self.opt(name)?.ok_or_else(|| ApiError::bad_request("invalid_query", format!("{name} is required")))
    }

    pub fn finite(&self, name: &str) -> Result<Option<f64>, ApiError> {
        match self.opt::<f64>(name)? {
            Some(v) if !v.is_finite() => {
                Err(ApiError::bad_request("invalid_query", format!("{name} must be a finite number")))
            }
            other => Ok(other),
        }
    }

    /// `latitude` and `longitude` (also accepted as `lat`/`lng`) as a validated point.
    pub fn point(&self) -> Result<LatLng, ApiError> {
        let lat = self.finite("latitude")?.or(self.finite("lat")?);
        let lng = self.finite("longitude")?.or(self.finite("lng")?);
        let (Some(lat), Some(lng)) = (lat, lng) else {
            return Err(ApiError::bad_request("invalid_query", "latitude and longitude are required"));
        };
        LatLng::new(lat, lng).map_err(|e| ApiError::bad_request("invalid_coordinates", e.to_string()))
    }

    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.raw(name) {
            None | Some("") | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(v) => {
                Err(ApiError::bad_request("invalid_query", format!("{name}: expected true or false, got {v:?}")))
            }
        }
    }

    /// The instant `open_now` refers to: now, or `at` (RFC 3339) when given.
    pub fn instant(&self) -> Result<DateTime<Utc>, ApiError> {
        match self.raw("at") {
            None | Some("") => Ok(Utc::now()),
            Some(v) => DateTime::parse_from_rfc3339(v).map(|t| t.with_timezone(&Utc)).map_err(|_| {
                ApiError::bad_request("invalid_query", format!("at: expected an RFC 3339 time, got {v:?}"))
            }),
        }
    }
}
