//! The options every OSRM service takes: `radiuses`, `bearings`, `approaches`, `hints`,
//! `generate_hints`, `snapping`, `skip_waypoints` and `exclude`, and the value readers the
//! service options share.
//!
//! `radiuses` and `bearings` travel to the router with each query point: a bearing
//! `{value},{range}` lets a coordinate snap only to a road travelled within `range` degrees of
//! `value`, and the route leaves (or reaches) it only in such a direction, as in OSRM.
//!
//! Accepted but not acted on: `approaches` (validated: count and values; `curb` and `opposite`
//! need the side of the road a point lies on, which the router does not model, so every
//! approach is `unrestricted`), `hints` (Locus answers empty hints) and `snapping`. `exclude`
//! with any class is `InvalidValue`, as OSRM answers for a class its profile does not define.

use super::error::{OsrmCode, OsrmError};
use crate::api::routing::query;
use locus_core::geo::LatLng;
use locus_routing::QueryPoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approach {
    Unrestricted,
    Curb,
    Opposite,
}

/// Options every service takes; per-coordinate lists have one entry per coordinate.
#[derive(Debug, Clone, PartialEq)]
pub struct CommonOptions {
    /// Snap no farther than this many metres; `None` (empty or `unlimited`): the router's default.
    pub radiuses: Option<Vec<Option<f64>>>,
    /// `(bearing, range)` in degrees: the direction of travel at the coordinate.
    pub bearings: Option<Vec<Option<(u16, u16)>>>,
    /// Validated, then ignored (see the module documentation).
    pub approaches: Option<Vec<Option<Approach>>>,
    pub generate_hints: bool,
    pub skip_waypoints: bool,
}

impl Default for CommonOptions {
    fn default() -> Self {
        CommonOptions { radiuses: None, bearings: None, approaches: None, generate_hints: true, skip_waypoints: false }
    }
}

impl CommonOptions {
    /// The router's query points for `coordinates`, with their radiuses and bearings.
    pub fn query_points(&self, coordinates: &[LatLng]) -> Vec<QueryPoint> {
        coordinates
            .iter()
            .enumerate()
            .map(|(i, &at)| QueryPoint {
                at,
                radius_m: self.radiuses.as_ref().and_then(|r| r.get(i).copied().flatten()),
                bearing: self.bearings.as_ref().and_then(|b| b.get(i).copied().flatten()),
            })
            .collect()
    }
}

pub(super) fn invalid_query(msg: impl std::fmt::Display) -> OsrmError {
    OsrmError::new(OsrmCode::InvalidQuery, format!("Query string malformed: {msg}"))
}

pub(super) fn invalid_value(msg: impl Into<String>) -> OsrmError {
    OsrmError::new(OsrmCode::InvalidValue, msg)
}

pub(super) fn pairs(raw: &str) -> Result<Vec<(String, String)>, OsrmError> {
    query::pairs(raw).map_err(invalid_query)
}

pub(super) fn flag(key: &str, v: &str) -> Result<bool, OsrmError> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid_query(format!("{key} must be true or false, got {v:?}"))),
    }
}

/// `v` split on `;` into exactly `n` entries, each empty (`None`) or parsed by `item`.
pub(super) fn per_coordinate<T>(
    key: &str,
    v: &str,
    n: usize,
    item: impl Fn(&str) -> Result<T, OsrmError>,
) -> Result<Vec<Option<T>>, OsrmError> {
    if v.split(';').count() != n {
        return Err(OsrmError::new(
            OsrmCode::InvalidOptions,
            format!("Number of {key} does not match number of coordinates"),
        ));
    }
    v.split(';').map(|s| if s.is_empty() { Ok(None) } else { item(s).map(Some) }).collect()
}

pub(super) fn number(key: &str, s: &str) -> Result<f64, OsrmError> {
    let v = query::number(s).ok_or_else(|| invalid_query(format!("{key}: {s:?} is not a number")))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(invalid_value(format!("{key} must be a finite number")))
    }
}

/// Applies a general option; `Ok(false)` when `key` is not one.
pub(super) fn common(o: &mut CommonOptions, key: &str, v: &str, n: usize) -> Result<bool, OsrmError> {
    match key {
        "radiuses" => {
            o.radiuses = Some(
                per_coordinate(key, v, n, |s| match s {
                    "unlimited" => Ok(None),
                    s => match number(key, s)? {
                        r if r >= 0.0 => Ok(Some(r)),
                        _ => Err(invalid_value("Radiuses must be non-negative numbers or unlimited")),
                    },
                })?
                .into_iter()
                .map(Option::flatten)
                .collect(),
            );
        }
        "bearings" => {
            o.bearings = Some(per_coordinate(key, v, n, |s| {
                let (b, r) = s.split_once(',').ok_or_else(|| invalid_query("bearings are {value},{range}"))?;
                let (b, r) = (query::index(b), query::index(r));
                let (Some(b), Some(r)) = (b, r) else { return Err(invalid_query("bearings are {value},{range}")) };
                if b > 360 || r > 180 {
                    return Err(invalid_value("Bearing values need to be in range 0..360, 0..180"));
                }
                Ok((b as u16, r as u16))
            })?);
        }
        "approaches" => {
            o.approaches = Some(per_coordinate(key, v, n, |s| match s {
                "unrestricted" => Ok(Approach::Unrestricted),
                "curb" => Ok(Approach::Curb),
                "opposite" => Ok(Approach::Opposite),
                other => Err(invalid_query(format!("unknown approach {other:?}"))),
            })?);
        }
        "hints" => {}
        "generate_hints" => o.generate_hints = flag(key, v)?,
        "skip_waypoints" => o.skip_waypoints = flag(key, v)?,
        "snapping" if matches!(v, "default" | "any") => {}
        "exclude" if v.is_empty() => {}
        "exclude" => return Err(invalid_value("Exclude flag combination is not supported.")),
        "snapping" => return Err(invalid_query(format!("snapping must be default or any, got {v:?}"))),
        _ => return Ok(false),
    }
    Ok(true)
}

pub(super) fn unknown(key: &str) -> OsrmError {
    invalid_query(format!("unknown option {key:?}"))
}
