//! Map tiles over HTTP: the book's tile-URL API (`GET /v1/tiles/url`: the server does the tile
//! math, so clients need not embed it) and the tile bucket served as a CDN origin
//! (`GET /tiles/{z}/{x}/{y}.png|@2x.png|.mvt`, `GET /tiles/tiles.json`).

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use locus_tiles::url::{tile_url, Format};
use locus_tiles::TileId;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The widest neighbourhood one call returns (an 11 × 11 block).
const MAX_RADIUS_TILES: u32 = 5;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TileUrlQuery {
    lat: f64,
    lng: f64,
    zoom: i64,
    #[serde(default = "one")]
    radius_tiles: u32,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    scale: Option<u8>,
}

fn one() -> u32 {
    1
}

/// `{"zoom", "tile": {z, x, y, url}, "tiles": [{z, x, y, url}, ...]}`: the tile holding the
/// point and those within `radius_tiles` of it (default 1: the 3 × 3 block), north-west first.
pub async fn url(
    State(state): State<AppState>,
    query: Result<Query<TileUrlQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query?;
    let format = match q.format.as_deref() {
        None | Some("png") => Format::Png,
        Some("mvt") => Format::Mvt,
        Some(other) => {
            let shown: String = other.chars().take(20).collect();
            return Err(ApiError::bad_request("invalid_query", format!("format must be png or mvt, got {shown:?}")));
        }
    };
    let high_dpi = match q.scale {
        None | Some(1) => false,
        Some(2) => true,
        Some(other) => {
            return Err(ApiError::bad_request("invalid_query", format!("scale must be 1 or 2, got {other}")))
        }
    };
    if q.radius_tiles > MAX_RADIUS_TILES {
        return Err(ApiError::bad_request("invalid_query", format!("radius_tiles must be 0 to {MAX_RADIUS_TILES}")));
    }
    let zoom = u8::try_from(q.zoom)
        .map_err(|_| ApiError::bad_request("invalid_query", format!("zoom must be 0 to {}", locus_tiles::MAX_ZOOM)))?;
    let center =
        TileId::containing(q.lat, q.lng, zoom).map_err(|e| ApiError::bad_request("invalid_query", e.to_string()))?;
    let base = state.tiles_base_url.as_str();
    let describe = |t: TileId| json!({ "z": t.z, "x": t.x, "y": t.y, "url": tile_url(base, t, format, high_dpi) });
    let tiles: Vec<Value> = center.neighbourhood(q.radius_tiles).into_iter().map(describe).collect();
    Ok(Json(json!({ "zoom": zoom, "tile": describe(center), "tiles": tiles })))
}

/// `GET /tiles/{z}/{x}/{file}` (`{y}.png`, `{y}@2x.png`, `{y}.mvt`): a tile from the bucket
/// named by `--tiles`, with CDN semantics: a strong ETag (SHA-256 of the bytes), 304 on a
/// matching `If-None-Match`, `Cache-Control: public, max-age=N, immutable`, CORS for browsers;
/// 400 for a malformed or impossible z/x/y, 404 for a tile the bucket does not hold.
pub async fn tile(
    State(state): State<AppState>,
    Path((z, x, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let bucket = state.tile_bucket.as_ref().ok_or_else(|| ApiError::not_found("this server serves no tiles"))?;
    let (y, high_dpi, format) = parse_tile_file(&file)?;
    let number = |s: &str| -> Result<i64, ApiError> {
        if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad_request("invalid_path", "z, x and y are whole numbers"));
        }
        s.parse().map_err(|_| ApiError::bad_request("invalid_path", "z, x and y are whole numbers"))
    };
    let tile = TileId::new(number(&z)?, number(&x)?, number(y)?)
        .map_err(|e| ApiError::bad_request("invalid_tile", e.to_string()))?;
    let bytes = match bucket.read(tile, format, high_dpi) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(ApiError::not_found("no such tile")),
        Err(e) => {
            tracing::error!(error = %e, "reading a tile failed");
            return Err(ApiError::unavailable("the tile store is unavailable; retry later"));
        }
    };
    let content_type = match format {
        Format::Png => "image/png",
        Format::Mvt => "application/vnd.mapbox-vector-tile",
    };
    Ok(cached_response(bytes, content_type, state.tiles_max_age_s, &headers))
}

/// `GET /tiles/tiles.json`: the bucket's TileJSON document.
pub async fn tile_json(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let bucket = state.tile_bucket.as_ref().ok_or_else(|| ApiError::not_found("this server serves no tiles"))?;
    match bucket.tile_json() {
        Ok(Some(bytes)) => Ok(cached_response(bytes, "application/json", state.tiles_max_age_s, &headers)),
        Ok(None) => Err(ApiError::not_found("this tile set has no tiles.json")),
        Err(e) => {
            tracing::error!(error = %e, "reading tiles.json failed");
            Err(ApiError::unavailable("the tile store is unavailable; retry later"))
        }
    }
}

/// `{y}.png` → (y, false, Png); `{y}@2x.png` → (y, true, Png); `{y}.mvt` → (y, false, Mvt).
fn parse_tile_file(file: &str) -> Result<(&str, bool, Format), ApiError> {
    let bad = || ApiError::bad_request("invalid_path", "a tile is {y}.png, {y}@2x.png or {y}.mvt");
    let (stem, format) = if let Some(stem) = file.strip_suffix(".png") {
        (stem, Format::Png)
    } else if let Some(stem) = file.strip_suffix(".mvt") {
        (stem, Format::Mvt)
    } else {
        return Err(bad());
    };
    match stem.strip_suffix("@2x") {
        Some(y) if format == Format::Png => Ok((y, true, format)),
        Some(_) => Err(bad()),
        None => Ok((stem, false, format)),
    }
}

/// The bytes with a strong ETag, long-lived public caching and CORS; 304 when the client has them.
fn cached_response(bytes: Vec<u8>, content_type: &'static str, max_age_s: u64, request: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&bytes))[..32]);
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let cache_control = format!("public, max-age={max_age_s}, immutable");
    let common = [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, cache_control),
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (StatusCode::OK, common, [(header::CONTENT_TYPE, content_type)], bytes).into_response()
}
