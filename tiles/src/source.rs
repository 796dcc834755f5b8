//! Where served tiles come from: one trait, [`TileSource`], over the tile bucket (a directory)
//! and a PMTiles archive (one file), so the server has one code path for both, like martin's
//! `Source`. **API boundary:** a source hands out bytes as stored (MVT usually gzipped);
//! content negotiation, ETags and caching belong to the server.

use crate::bucket::TileBucket;
use crate::pmtiles::{Compression, PmtilesError, PmtilesReader, TileType};
use crate::url::Format;
use crate::TileId;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Pmtiles(#[from] PmtilesError),
}

/// A set of tiles to serve.
pub trait TileSource: Send + Sync {
    /// A tile's bytes as stored; `None` when the source does not hold it (in this format and
    /// scale).
    fn tile(&self, tile: TileId, format: Format, high_dpi: bool) -> Result<Option<Vec<u8>>, SourceError>;

    /// The TileJSON document, if there is one; `tiles_base_url` is where clients fetch this
    /// server's tiles (`--tiles-base-url`).
    fn tile_json(&self, tiles_base_url: &str) -> Result<Option<Vec<u8>>, SourceError>;

    /// The file behind the source when it is one archive that clients may also read whole
    /// (by range requests).
    fn archive(&self) -> Option<&Path> {
        None
    }
}

/// The source `locus serve --tiles PATH` names: a PMTiles archive when `PATH` ends in
/// `.pmtiles` (and is not a directory), else a tile bucket.
pub fn open(path: &Path) -> Result<Box<dyn TileSource>, SourceError> {
    let archive = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pmtiles")) && !path.is_dir();
    if archive {
        Ok(Box::new(PmtilesSource::open(path)?))
    } else {
        Ok(Box::new(TileBucket::new(path)))
    }
}

impl TileSource for TileBucket {
    fn tile(&self, tile: TileId, format: Format, high_dpi: bool) -> Result<Option<Vec<u8>>, SourceError> {
        Ok(self.read(tile, format, high_dpi)?)
    }

    /// The bucket's own `tiles.json`, as written.
    fn tile_json(&self, _tiles_base_url: &str) -> Result<Option<Vec<u8>>, SourceError> {
        Ok(TileBucket::tile_json(self)?)
    }
}

/// A PMTiles archive of PNG or MVT tiles, compressed with gzip or not at all. One archive
/// holds one format at one scale: `@2x` and the other format are never in it.
#[derive(Debug)]
pub struct PmtilesSource {
    path: PathBuf,
    reader: PmtilesReader,
    format: Format,
}

impl PmtilesSource {
    pub fn open(path: &Path) -> Result<PmtilesSource, PmtilesError> {
        let reader = PmtilesReader::open(path)?;
        let h = reader.header();
        let format = match h.tile_type {
            TileType::Png => Format::Png,
            TileType::Mvt => Format::Mvt,
            other => return Err(PmtilesError::Unsupported(format!("serving {other:?} tiles (png or mvt)"))),
        };
        if !matches!(h.tile_compression, Compression::None | Compression::Gzip) {
            return Err(PmtilesError::Unsupported(format!(
                "serving {:?}-compressed tiles (gzip or none)",
                h.tile_compression
            )));
        }
        Ok(PmtilesSource { path: path.to_owned(), reader, format })
    }

    pub fn reader(&self) -> &PmtilesReader {
        &self.reader
    }

    pub fn format(&self) -> Format {
        self.format
    }
}

impl TileSource for PmtilesSource {
    fn tile(&self, tile: TileId, format: Format, high_dpi: bool) -> Result<Option<Vec<u8>>, SourceError> {
        if format != self.format || high_dpi {
            return Ok(None);
        }
        Ok(self.reader.get(tile)?)
    }

    /// TileJSON 3.0.0 from the header (zooms, bounds, centre) over the archive's metadata
    /// (name, attribution, `vector_layers`, ...); the header wins where both speak.
    fn tile_json(&self, tiles_base_url: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let h = self.reader.header();
        let mut doc = match self.reader.metadata() {
            Value::Object(m) => m.clone(),
            _ => Default::default(),
        };
        let base = tiles_base_url.trim_end_matches('/');
        let (w, s, e, n) = h.bounds;
        let (lng, lat, zoom) = h.center;
        for (key, value) in [
            ("tilejson", json!("3.0.0")),
            ("tiles", json!([format!("{base}/{{z}}/{{x}}/{{y}}.{}", self.format.extension())])),
            ("scheme", json!("xyz")),
            ("minzoom", json!(h.min_zoom)),
            ("maxzoom", json!(h.max_zoom)),
            ("bounds", json!([w, s, e, n])),
            ("center", json!([lng, lat, zoom])),
        ] {
            doc.insert(key.to_owned(), value);
        }
        Ok(Some(serde_json::to_vec(&Value::Object(doc)).map_err(std::io::Error::other)?))
    }

    fn archive(&self) -> Option<&Path> {
        Some(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pmtiles::{ArchiveInfo, PmtilesWriter};

    #[test]
    fn an_archive_serves_its_one_format_and_describes_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pmtiles");
        let mut w = PmtilesWriter::create(
            &path,
            ArchiveInfo {
                tile_type: TileType::Png,
                tile_compression: Compression::None,
                min_zoom: 2,
                max_zoom: 5,
                bounds: (-1.5, 40.0, 3.25, 45.5),
                center: (1.0, 42.0, 4),
                metadata: json!({"name": "demo", "minzoom": 99, "attribution": "© OpenStreetMap"}),
            },
        )
        .unwrap();
        let t = TileId { z: 3, x: 4, y: 2 };
        w.add_tile(t, b"png").unwrap();
        w.finish().unwrap();

        let source = open(&path).unwrap();
        assert_eq!(source.archive(), Some(path.as_path()));
        assert_eq!(source.tile(t, Format::Png, false).unwrap().as_deref(), Some(&b"png"[..]));
        assert_eq!(source.tile(t, Format::Png, true).unwrap(), None, "no @2x in a one-scale archive");
        assert_eq!(source.tile(t, Format::Mvt, false).unwrap(), None);
        let doc: Value = serde_json::from_slice(&source.tile_json("https://cdn.example/t/").unwrap().unwrap()).unwrap();
        assert_eq!(
            doc,
            json!({
                "tilejson": "3.0.0",
                "tiles": ["https://cdn.example/t/{z}/{x}/{y}.png"],
                "scheme": "xyz",
                "name": "demo",
                "attribution": "© OpenStreetMap",
                "minzoom": 2,
                "maxzoom": 5,
                "bounds": [-1.5, 40.0, 3.25, 45.5],
                "center": [1.0, 42.0, 4],
            })
        );

        let bucket = open(dir.path()).unwrap();
        assert_eq!(bucket.archive(), None);
        assert_eq!(bucket.tile(t, Format::Png, false).unwrap(), None);
        assert!(open(&dir.path().join("missing.pmtiles")).is_err());
    }
}
