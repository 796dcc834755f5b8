//! `GET /v1/tiles/url`: the book's tile-URL API. The server does the tile math, so clients need
//! not embed it (and the scheme can change without a client release).

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use locus_tiles::url::{tile_url, Format};
use locus_tiles::TileId;
use serde::Deserialize;
use serde_json::{json, Value};

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
