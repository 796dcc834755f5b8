//! The tile source (`--tiles`) behind a bounded cache of ready responses: the bytes as sent
//! and their strong ETag, so a hot tile is neither read nor hashed again. An entry is one
//! representation (a stored-gzip MVT tile has a gzip and a plain one), weighed by its bytes;
//! absent tiles are not cached. Loads run on the blocking pool, and concurrent misses of one
//! key share one load.

use super::encoding;
use crate::config::{ServeConfig, Service};
use anyhow::Context;
use axum::body::Bytes;
use axum::http::HeaderValue;
use locus_tiles::source::{self, SourceError, TileSource};
use locus_tiles::url::Format;
use locus_tiles::TileId;
use moka::sync::Cache;
use prometheus::IntCounter;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

/// The largest MVT tile unzipped for a client that does not take gzip.
const MAX_PLAIN_TILE_BYTES: u64 = 32 << 20;

/// What a response is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// `gzip`: the client takes gzip (only asked for MVT).
    Tile {
        tile: TileId,
        png: bool,
        high_dpi: bool,
        gzip: bool,
    },
    TileJson,
}

/// A response body ready to send.
#[derive(Debug)]
pub struct Ready {
    pub body: Bytes,
    /// `"` + the first 128 bits of the body's SHA-256 in hex + `"`.
    pub etag: HeaderValue,
    pub content_type: HeaderValue,
    /// Send `Content-Encoding: gzip`.
    pub gzip: bool,
    /// The representation depends on `Accept-Encoding` (MVT).
    pub vary: bool,
}

impl Ready {
    fn new(body: Vec<u8>, content_type: &'static str, gzip: bool, vary: bool) -> Result<Ready, LoadError> {
        let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
        Ok(Ready {
            body: Bytes::from(body),
            etag: HeaderValue::try_from(etag).map_err(|e| LoadError::Damaged(e.to_string()))?,
            content_type: HeaderValue::from_static(content_type),
            gzip,
            vary,
        })
    }
}

#[derive(Debug, Clone)]
pub enum LoadError {
    Missing,
    /// Reading failed (retrying may help).
    Unavailable(String),
    /// The stored bytes are damaged.
    Damaged(String),
}

/// The archive file served whole at `/tiles/tiles.pmtiles`, opened once.
#[derive(Debug)]
pub struct Archive {
    pub file: Arc<File>,
    pub len: u64,
    /// From the file's length and modification time at start.
    pub etag: HeaderValue,
    /// `public, max-age=N`: not `immutable`, as the file may be replaced under its name.
    pub cache_control: HeaderValue,
}

/// The tiles this process serves.
pub struct TileServer {
    source: Arc<dyn TileSource>,
    cache: Option<Cache<Key, Arc<Ready>>>,
    archive: Option<Archive>,
    base_url: Arc<str>,
    cache_control: HeaderValue,
    hits: IntCounter,
    misses: IntCounter,
}

impl TileServer {
    /// The tiles `--tiles` names, when this process serves tiles; a PMTiles archive is opened
    /// and checked here, so a damaged one stops the start.
    pub fn open(config: &ServeConfig) -> anyhow::Result<Option<TileServer>> {
        let Some(path) = config.tiles.as_deref().filter(|_| config.runs(Service::Tiles)) else { return Ok(None) };
        let source: Arc<dyn TileSource> =
            source::open(path).with_context(|| format!("opening the tiles at {}", path.display()))?.into();
        let archive = match source.archive() {
            Some(path) => {
                let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
                let meta = file.metadata()?;
                let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
                let etag = format!("\"{:x}-{:x}\"", meta.len(), mtime.as_nanos());
                Some(Archive {
                    file: Arc::new(file),
                    len: meta.len(),
                    etag: HeaderValue::try_from(etag)?,
                    cache_control: HeaderValue::try_from(format!("public, max-age={}", config.tiles_max_age_s))?,
                })
            }
            None => None,
        };
        let cache = (config.tiles_cache_mb > 0).then(|| {
            Cache::builder()
                .weigher(|_: &Key, r: &Arc<Ready>| u32::try_from(r.body.len() + 256).unwrap_or(u32::MAX))
                .max_capacity(config.tiles_cache_mb.saturating_mul(1 << 20))
                .build()
        });
        let m = &locus_core::metrics::metrics().cache_requests;
        Ok(Some(TileServer {
            source,
            cache,
            archive,
            base_url: config.tiles_base_url.as_str().into(),
            cache_control: HeaderValue::try_from(format!("public, max-age={}, immutable", config.tiles_max_age_s))?,
            hits: m.with_label_values(&["tiles", "hit"]),
            misses: m.with_label_values(&["tiles", "miss"]),
        }))
    }

    /// The response for `key`, from the cache or loaded from the source.
    pub async fn get(&self, key: Key) -> Result<Arc<Ready>, LoadError> {
        if let Some(hit) = self.cache.as_ref().and_then(|c| c.get(&key)) {
            self.hits.inc();
            return Ok(hit);
        }
        let (source, cache, base) = (self.source.clone(), self.cache.clone(), self.base_url.clone());
        let (result, loaded) = tokio::task::spawn_blocking(move || {
            let load = || load(&*source, key, &base).map(Arc::new);
            match cache {
                None => (load(), true),
                Some(cache) => {
                    let mut loaded = false;
                    let result = cache.try_get_with(key, || {
                        loaded = true;
                        load()
                    });
                    (result.map_err(|e| (*e).clone()), loaded)
                }
            }
        })
        .await
        .map_err(|e| LoadError::Unavailable(format!("the tile load did not finish: {e}")))?;
        if self.cache.is_some() {
            if loaded { &self.misses } else { &self.hits }.inc();
        }
        result
    }

    /// `Cache-Control` of tiles and TileJSON.
    pub fn cache_control(&self) -> &HeaderValue {
        &self.cache_control
    }

    pub fn archive(&self) -> Option<&Archive> {
        self.archive.as_ref()
    }
}

fn load(source: &dyn TileSource, key: Key, base_url: &str) -> Result<Ready, LoadError> {
    match key {
        Key::TileJson => {
            let bytes = source.tile_json(base_url).map_err(failed)?.ok_or(LoadError::Missing)?;
            Ready::new(bytes, "application/json", false, false)
        }
        Key::Tile { tile, png: true, high_dpi, .. } => {
            let bytes = source.tile(tile, Format::Png, high_dpi).map_err(failed)?.ok_or(LoadError::Missing)?;
            Ready::new(bytes, "image/png", false, false)
        }
        Key::Tile { tile, png: false, high_dpi, gzip } => {
            let stored = source.tile(tile, Format::Mvt, high_dpi).map_err(failed)?.ok_or(LoadError::Missing)?;
            let mvt = "application/vnd.mapbox-vector-tile";
            if !encoding::is_gzip(&stored) {
                Ready::new(stored, mvt, false, true)
            } else if gzip {
                Ready::new(stored, mvt, true, true)
            } else {
                let plain = encoding::gunzip(&stored, MAX_PLAIN_TILE_BYTES).map_err(LoadError::Damaged)?;
                Ready::new(plain, mvt, false, true)
            }
        }
    }
}

fn failed(e: SourceError) -> LoadError {
    match e {
        SourceError::Io(e) => LoadError::Unavailable(e.to_string()),
        SourceError::Pmtiles(locus_tiles::pmtiles::PmtilesError::Io(e)) => LoadError::Unavailable(e.to_string()),
        SourceError::Pmtiles(e) => LoadError::Damaged(e.to_string()),
    }
}
