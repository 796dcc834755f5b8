//! Writing a run's output: tiles into the bucket (each distinct content once, copies as hard
//! links), `tiles.json`, and the PMTiles archive.

use super::{tiles_over, RenderJobError, RenderOptions, Since};
use locus_tiles::bucket::TileBucket;
use locus_tiles::map::MapData;
use locus_tiles::mvt::EXTENT;
use locus_tiles::pmtiles::{ArchiveInfo, Compression, PmtilesWriter, TileType};
use locus_tiles::url::Format;
use locus_tiles::TileId;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Writes tiles into the bucket, each distinct content once.
pub(super) struct DedupWriter {
    bucket: TileBucket,
    first_path: Mutex<HashMap<[u8; 32], PathBuf>>,
    pub deduplicated: AtomicU64,
    pub stored_bytes: AtomicU64,
    pub tile_bytes: AtomicU64,
}

impl DedupWriter {
    pub fn new(out: &Path) -> DedupWriter {
        DedupWriter {
            bucket: TileBucket::new(out),
            first_path: Mutex::new(HashMap::new()),
            deduplicated: AtomicU64::new(0),
            stored_bytes: AtomicU64::new(0),
            tile_bytes: AtomicU64::new(0),
        }
    }

    pub fn write(&self, tile: TileId, format: Format, high_dpi: bool, bytes: &[u8]) -> Result<(), RenderJobError> {
        let path = self.bucket.path(tile, format, high_dpi);
        let err = |source| RenderJobError::Write { path: path.clone(), source };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let temp = path.with_extension(format!("{}.tmp{}", format.extension(), std::process::id()));
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        let earlier =
            self.first_path.lock().map_err(|_| err(std::io::Error::other("a worker panicked")))?.get(&hash).cloned();
        self.tile_bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let _ = std::fs::remove_file(&temp);
        let linked = earlier.as_ref().is_some_and(|first| std::fs::hard_link(first, &temp).is_ok());
        if linked {
            self.deduplicated.fetch_add(1, Ordering::Relaxed);
        } else {
            std::fs::write(&temp, bytes).map_err(err)?;
            self.stored_bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        std::fs::rename(&temp, &path).map_err(err)?;
        if earlier.is_none() {
            if let Ok(mut first) = self.first_path.lock() {
                first.entry(hash).or_insert(path);
            }
        }
        Ok(())
    }
}

/// Writes `bytes` to `path` through a temporary file, unless the file already holds them.
pub(super) fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), RenderJobError> {
    let err = |source| RenderJobError::Write { path: path.to_owned(), source };
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp{}", std::process::id()));
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, bytes).map_err(err)?;
    std::fs::rename(&temp, path).map_err(err)
}

/// (west, south, east, north) in degrees, and a centre (lon, lat, zoom).
fn geographic(map: &MapData, zooms: &RangeInclusive<u8>) -> ([f64; 4], (f64, f64, u8)) {
    let b = map.bounds;
    let lon = |x: f64| x * 360.0 - 180.0;
    let bounds = [lon(b[0]), locus_tiles::mercator::world_lat(b[3]), lon(b[2]), locus_tiles::mercator::world_lat(b[1])];
    let zoom = (*zooms.start()).max((*zooms.end()).min(13));
    let centre = ((bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0, zoom);
    (bounds, centre)
}

fn vector_layers() -> serde_json::Value {
    let fields = json!({"class": "String", "name": "String", "brunnel": "String"});
    json!(locus_tiles::map::Layer::ALL.iter().map(|l| json!({"id": l.name(), "fields": fields})).collect::<Vec<_>>())
}

/// `tiles.json` (TileJSON 3.0.0). An incremental run keeps the zoom range the bucket had.
pub(super) fn write_tile_json(opts: &RenderOptions, map: &MapData) -> Result<(), RenderJobError> {
    let path = opts.out.join("tiles.json");
    let (mut lo, mut hi) = (*opts.zooms.start(), *opts.zooms.end());
    if opts.since != Since::Everything {
        if let Some(old) = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        {
            let zoom = |k: &str| old[k].as_u64().and_then(|z| u8::try_from(z).ok());
            lo = zoom("minzoom").map_or(lo, |z| z.min(lo));
            hi = zoom("maxzoom").map_or(hi, |z| z.max(hi));
        }
    }
    let (bounds, centre) = geographic(map, &(lo..=hi));
    let base = opts.base_url.trim_end_matches('/');
    let mut doc = json!({
        "tilejson": "3.0.0",
        "name": opts.osm.file_name().map(|n| n.to_string_lossy().into_owned()),
        "attribution": "© OpenStreetMap contributors",
        "scheme": "xyz",
        "tiles": [format!("{base}/{{z}}/{{x}}/{{y}}.{}", opts.format.extension())],
        "minzoom": lo,
        "maxzoom": hi,
        "bounds": bounds,
        "center": [centre.0, centre.1, centre.2],
        "format": opts.format.extension(),
    });
    if opts.format == Format::Mvt {
        doc["vector_layers"] = vector_layers();
        doc["extent"] = json!(EXTENT);
    }
    if opts.scale == 2 {
        doc["tiles_2x"] = json!([format!("{base}/{{z}}/{{x}}/{{y}}@2x.png")]);
    }
    write_if_changed(&path, &serde_json::to_vec_pretty(&doc).unwrap_or_default())
}

/// Packs the bucket's tiles of this format (scale 1) into a PMTiles archive; returns its size.
pub(super) fn write_archive(opts: &RenderOptions, map: &MapData, path: &Path) -> Result<u64, RenderJobError> {
    let (bounds, centre) = geographic(map, &opts.zooms);
    let mut metadata = json!({
        "name": opts.osm.file_name().map(|n| n.to_string_lossy().into_owned()),
        "attribution": "© OpenStreetMap contributors",
        "format": opts.format.extension(),
    });
    if opts.format == Format::Mvt {
        metadata["vector_layers"] = vector_layers();
    }
    let (tile_type, tile_compression) = match opts.format {
        Format::Mvt => (TileType::Mvt, Compression::Gzip),
        Format::Png => (TileType::Png, Compression::None),
    };
    let info = ArchiveInfo {
        tile_type,
        tile_compression,
        min_zoom: *opts.zooms.start(),
        max_zoom: *opts.zooms.end(),
        bounds: (bounds[0], bounds[1], bounds[2], bounds[3]),
        center: centre,
        metadata,
    };
    let mut archive = PmtilesWriter::create(path, info)?;
    let bucket = TileBucket::new(&opts.out);
    for z in opts.zooms.clone() {
        for tile in tiles_over(map.bounds, z) {
            let file = bucket.path(tile, opts.format, false);
            match std::fs::read(&file) {
                Ok(bytes) => archive.add_tile(tile, &bytes)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(RenderJobError::Write { path: file, source }),
            }
        }
    }
    Ok(archive.finish()?.bytes)
}
