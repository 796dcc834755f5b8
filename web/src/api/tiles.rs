//! Map tiles over HTTP: the book's tile-URL API (`GET /v1/tiles/url`: the server does the tile
//! math, so clients need not embed it) and a CDN origin for the tiles `--tiles` names, a bucket
//! directory or a PMTiles archive, through one [`TileSource`](locus_tiles::source::TileSource):
//!
//! - `GET /tiles/{z}/{x}/{y}.png|@2x.png|.mvt` and `GET /tiles/tiles.json` (for an archive,
//!   TileJSON 3.0.0 built from its header and metadata): a strong ETag per representation
//!   (SHA-256 of the bytes sent), 304 on a matching `If-None-Match`, `Cache-Control: public,
//!   max-age=N, immutable`, CORS; 400 for a malformed or impossible z/x/y, 404 for a tile the
//!   source does not hold (an archive holds one format at one scale, so no `@2x`).
//! - MVT tiles are stored gzip-compressed: sent as stored with `Content-Encoding: gzip` when
//!   `Accept-Encoding` allows gzip, unzipped otherwise, always with `Vary: Accept-Encoding`.
//! - Ready responses (bytes and ETag) are kept in a cache weighed by bytes
//!   (`--tiles-cache-mb`), so a hot tile is neither read nor hashed per request
//!   (`locus_cache_requests_total{cache="tiles"}` counts hits and misses).
//! - `GET|HEAD /tiles/tiles.pmtiles`: the archive itself for PMTiles clients, with
//!   `Accept-Ranges: bytes`, one range per request (206, or 416 past the end; a multi-range or
//!   malformed `Range` gets the whole file, 200), an ETag from the file's length and
//!   modification time, 304, CORS exposing the range headers; bodies stream from the file.
mod encoding;
mod range;
mod store;

pub use store::TileServer;

use super::error::ApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use locus_tiles::url::{tile_url, Format};
use locus_tiles::TileId;
use range::Ranged;
use serde::Deserialize;
use serde_json::{json, Value};
use store::{Key, LoadError, Ready};

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

/// `GET /tiles/{z}/{x}/{file}` (`{y}.png`, `{y}@2x.png`, `{y}.mvt`): a tile, as the module
/// documentation describes.
pub async fn tile(
    State(state): State<AppState>,
    Path((z, x, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let tiles = served(&state)?;
    let (y, high_dpi, format) = parse_tile_file(&file)?;
    let number = |s: &str| -> Result<i64, ApiError> {
        if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad_request("invalid_path", "z, x and y are whole numbers"));
        }
        s.parse().map_err(|_| ApiError::bad_request("invalid_path", "z, x and y are whole numbers"))
    };
    let tile = TileId::new(number(&z)?, number(&x)?, number(y)?)
        .map_err(|e| ApiError::bad_request("invalid_tile", e.to_string()))?;
    let gzip = format == Format::Mvt && encoding::accepts_gzip(&headers);
    let key = Key::Tile { tile, png: format == Format::Png, high_dpi, gzip };
    let ready = tiles.get(key).await.map_err(|e| load_failed(e, "no such tile"))?;
    Ok(respond(&ready, tiles.cache_control(), &headers))
}

/// `GET /tiles/tiles.json`: the tile set's TileJSON document.
pub async fn tile_json(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let tiles = served(&state)?;
    let ready = tiles.get(Key::TileJson).await.map_err(|e| load_failed(e, "this tile set has no tiles.json"))?;
    Ok(respond(&ready, tiles.cache_control(), &headers))
}

/// `GET|HEAD /tiles/tiles.pmtiles`: the archive, whole or one byte range of it.
pub async fn archive(State(state): State<AppState>, method: Method, headers: HeaderMap) -> Result<Response, ApiError> {
    let tiles = served(&state)?;
    let archive = tiles.archive().ok_or_else(|| ApiError::not_found("the tiles served are not a PMTiles archive"))?;
    let mut h = HeaderMap::new();
    h.insert(header::ETAG, archive.etag.clone());
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CACHE_CONTROL, archive.cache_control.clone());
    h.extend(cors());
    if fresh(&headers, &archive.etag) {
        return Ok((StatusCode::NOT_MODIFIED, h).into_response());
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.pmtiles"));
    // A range is honoured only for the representation the client names in If-Range.
    let range_header = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let stale = headers.get(header::IF_RANGE).is_some_and(|v| v.as_bytes() != archive.etag.as_bytes());
    let (status, start, len) = match range::parse(range_header.filter(|_| !stale), archive.len) {
        Ranged::Full => (StatusCode::OK, 0, archive.len),
        Ranged::Part { start, end } => {
            h.insert(header::CONTENT_RANGE, header_value(format!("bytes {start}-{end}/{}", archive.len))?);
            (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
        }
        Ranged::Unsatisfiable => {
            let mut response = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range_not_satisfiable",
                format!("the archive has {} bytes", archive.len),
            )
            .into_response();
            response.headers_mut().insert(header::CONTENT_RANGE, header_value(format!("bytes */{}", archive.len))?);
            response.headers_mut().extend(cors());
            return Ok(response);
        }
    };
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        range::body(archive.file.clone(), start, len).await.map_err(|e| {
            tracing::error!(error = %e, "reading the tile archive failed");
            ApiError::unavailable("the tile store is unavailable; retry later")
        })?
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = h;
    Ok(response)
}

/// `OPTIONS /tiles/tiles.pmtiles`: the CORS preflight of a browser that sends `Range`.
pub async fn archive_preflight() -> Response {
    let mut h = cors();
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("Range, If-None-Match, If-Range"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    (StatusCode::NO_CONTENT, h).into_response()
}

fn header_value(value: String) -> Result<HeaderValue, ApiError> {
    HeaderValue::try_from(value)
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "a response header is invalid"))
}

fn served(state: &AppState) -> Result<&TileServer, ApiError> {
    state.tiles.as_deref().ok_or_else(|| ApiError::not_found("this server serves no tiles"))
}

fn load_failed(e: LoadError, missing: &str) -> ApiError {
    match e {
        LoadError::Missing => ApiError::not_found(missing),
        LoadError::Unavailable(e) => {
            tracing::error!(error = %e, "reading a tile failed");
            ApiError::unavailable("the tile store is unavailable; retry later")
        }
        LoadError::Damaged(e) => {
            tracing::error!(error = %e, "a stored tile is damaged");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "damaged_tile", "the stored tile is damaged")
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

/// A ready response with its strong ETag, long-lived public caching and CORS; 304 when the
/// client has it.
fn respond(ready: &Ready, cache_control: &HeaderValue, request: &HeaderMap) -> Response {
    let mut h = HeaderMap::with_capacity(8);
    h.insert(header::ETAG, ready.etag.clone());
    h.insert(header::CACHE_CONTROL, cache_control.clone());
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    if ready.vary {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let mut response = if fresh(request, &ready.etag) {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        h.insert(header::CONTENT_TYPE, ready.content_type.clone());
        if ready.gzip {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        Response::new(Body::from(ready.body.clone()))
    };
    *response.headers_mut() = h;
    response
}

/// Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110 asks for it) or `*`.
fn fresh(request: &HeaderMap, etag: &HeaderValue) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t).as_bytes() == etag.as_bytes())
}

/// CORS for the archive: any origin, and the headers a range reader needs to see.
fn cors() -> HeaderMap {
    let mut h = HeaderMap::with_capacity(2);
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag, Content-Range, Content-Length, Accept-Ranges"),
    );
    h
}
