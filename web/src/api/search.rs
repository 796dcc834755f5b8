//! `/v1/search/*`: nearby (radius), k-nearest and area search.

use super::error::ApiError;
use super::params::Params;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::Json;
use geo::{Coord, LineString, Polygon};
use locus_core::geo::BBox;
use locus_lbs::cursor::Cursor;
use locus_lbs::place::Filter;
use locus_lbs::search::{Found, NearbyQuery, Page, DEFAULT_RADIUS_M, MAX_PAGE};
use locus_lbs::Searcher;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

const DEFAULT_LIMIT: usize = 20;
/// The most positions a polygon may have.
const MAX_POLYGON_POSITIONS: usize = 10_000;

#[derive(Serialize)]
pub struct FoundJson {
    #[serde(flatten)]
    business: locus_business::Business,
    distance_m: f64,
}

#[derive(Serialize)]
pub struct PageJson {
    total: usize,
    businesses: Vec<FoundJson>,
    next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    radius_expanded_to: Option<f64>,
}

fn found_json(found: Vec<Found>) -> Vec<FoundJson> {
    found
        .into_iter()
        .map(|f| FoundJson { business: f.business, distance_m: (f.distance_m * 100.0).round() / 100.0 })
        .collect()
}

impl From<Page> for PageJson {
    fn from(p: Page) -> Self {
        PageJson {
            total: p.total,
            businesses: found_json(p.results),
            next_cursor: p.next_cursor,
            radius_expanded_to: p.radius_expanded_to,
        }
    }
}

fn searcher(state: &AppState) -> Result<Arc<Searcher>, ApiError> {
    state.searcher.get().cloned().ok_or_else(|| ApiError::unavailable("the search index is still being built"))
}

fn params(q: Result<Query<HashMap<String, String>>, QueryRejection>) -> Result<Params, ApiError> {
    Ok(Params(q?.0))
}

fn filter(p: &Params) -> Result<Filter, ApiError> {
    let category = p.opt::<String>("category")?.map(|c| c.trim().to_lowercase());
    let open_at = if p.flag("open_now")? { Some(p.instant()?) } else { None };
    Ok(Filter { category, open_at })
}

fn paging(p: &Params) -> Result<(usize, Option<Cursor>), ApiError> {
    let limit = p.opt::<usize>("limit")?.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::bad_request("invalid_query", format!("limit must be in 1..={MAX_PAGE}")));
    }
    let cursor = match p.opt::<String>("cursor")? {
        Some(c) => Some(
            Cursor::decode(&c)
                .ok_or_else(|| ApiError::bad_request("invalid_cursor", "cursor is not one this server issued"))?,
        ),
        None => None,
    };
    Ok((limit, cursor))
}

/// `GET /v1/search/nearby?latitude&longitude[&radius][&category][&open_now][&at][&limit][&cursor][&min_results]`
pub async fn nearby(
    State(state): State<AppState>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<PageJson>, ApiError> {
    let p = params(q)?;
    let center = p.point()?;
    let radius_m = p.finite("radius")?.unwrap_or(DEFAULT_RADIUS_M);
    let (limit, cursor) = paging(&p)?;
    let query =
        NearbyQuery { center, radius_m, filter: filter(&p)?, limit, cursor, min_results: p.opt("min_results")? };
    Ok(Json(searcher(&state)?.nearby(&query).await?.into()))
}

#[derive(Serialize)]
pub struct KnnJson {
    businesses: Vec<FoundJson>,
}

/// `GET /v1/search/knn?latitude&longitude&k[&category][&open_now]`
pub async fn knn(
    State(state): State<AppState>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<KnnJson>, ApiError> {
    let p = params(q)?;
    let center = p.point()?;
    let k = p.opt::<usize>("k")?.unwrap_or(10);
    let found = searcher(&state)?.nearest(center, k, &filter(&p)?).await?;
    Ok(Json(KnnJson { businesses: found_json(found) }))
}

/// `GET /v1/search/within?bbox=minLng,minLat,maxLng,maxLat` (minLng > maxLng crosses ±180).
pub async fn within_bbox(
    State(state): State<AppState>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<PageJson>, ApiError> {
    let p = params(q)?;
    let raw: String = p.required("bbox")?;
    let parts: Vec<f64> =
        raw.split(',').map(|s| s.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| bad_bbox())?;
    let [w, s, e, n] = parts[..] else { return Err(bad_bbox()) };
    if parts.iter().any(|v| !v.is_finite()) {
        return Err(bad_bbox());
    }
    let bbox = BBox::new(w, s, e, n).map_err(|e| ApiError::bad_request("invalid_coordinates", e.to_string()))?;
    let (limit, cursor) = paging(&p)?;
    Ok(Json(searcher(&state)?.within_bbox(bbox, &filter(&p)?, limit, cursor).await?.into()))
}

fn bad_bbox() -> ApiError {
    ApiError::bad_request("invalid_query", "bbox must be four numbers: minLng,minLat,maxLng,maxLat")
}

/// `POST /v1/search/within` with a GeoJSON Polygon (or a Feature holding one); paging and
/// filters in the query string.
pub async fn within_polygon(
    State(state): State<AppState>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<PageJson>, ApiError> {
    let p = params(q)?;
    let Json(body) = body?;
    let polygon = parse_polygon(&body)?;
    let (limit, cursor) = paging(&p)?;
    Ok(Json(searcher(&state)?.within_polygon(&polygon, &filter(&p)?, limit, cursor).await?.into()))
}

/// A GeoJSON Polygon geometry, or a Feature whose geometry is one.
fn parse_polygon(v: &Value) -> Result<Polygon<f64>, ApiError> {
    let bad = |m: &str| ApiError::bad_request("invalid_geojson", m.to_owned());
    let geometry = match v.get("type").and_then(Value::as_str) {
        Some("Feature") => v.get("geometry").ok_or_else(|| bad("a Feature needs a geometry"))?,
        Some("Polygon") => v,
        _ => return Err(bad("expected a GeoJSON Polygon or a Feature with a Polygon geometry")),
    };
    if geometry.get("type").and_then(Value::as_str) != Some("Polygon") {
        return Err(bad("the geometry must be a Polygon"));
    }
    let rings = geometry
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("coordinates must be an array of rings"))?;
    let mut positions = 0;
    let mut parsed = Vec::with_capacity(rings.len());
    for ring in rings {
        let ring = ring.as_array().ok_or_else(|| bad("each ring must be an array of positions"))?;
        positions += ring.len();
        if positions > MAX_POLYGON_POSITIONS {
            return Err(bad("the polygon has too many positions"));
        }
        let coords = ring
            .iter()
            .map(|pos| {
                let pair = pos
                    .as_array()
                    .filter(|a| a.len() >= 2)
                    .ok_or_else(|| bad("each position must be [longitude, latitude]"))?;
                let (x, y) = (pair[0].as_f64(), pair[1].as_f64());
                match (x, y) {
                    (Some(x), Some(y)) if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
                        Ok(Coord { x, y })
                    }
                    _ => Err(ApiError::bad_request(
                        "invalid_coordinates",
                        "positions must be [longitude in -180..180, latitude in -90..90]",
                    )),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        if coords.len() < 4 || coords.first() != coords.last() {
            return Err(bad("each ring needs at least 4 positions and must be closed (first == last)"));
        }
        parsed.push(LineString::new(coords));
    }
    let mut rings = parsed.into_iter();
    let exterior = rings.next().ok_or_else(|| bad("a polygon needs an exterior ring"))?;
    Ok(Polygon::new(exterior, rings.collect()))
}
