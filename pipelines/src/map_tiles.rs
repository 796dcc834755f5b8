//! `locus tiles render`: a region's map tiles from OpenStreetMap, every zoom in a range, in
//! parallel across cores, into a tile bucket (`{z}/{x}/{y}.png|@2x.png|.mvt` + `tiles.json`)
//! and optionally a PMTiles archive.
//!
//! - Memory: the map's features are held once, indexed; tiles are rendered one at a time per
//!   worker and written as soon as they are done, so no image outlives its tile.
//! - Copies: a tile that shows nothing, or only one area covering it (open sea, a forest's
//!   inside), is provably the same as every other such tile; it is rendered once and the
//!   rest reuse the bytes. Identical tiles are stored once: the bucket's later copies are hard
//!   links to the first file, and the archive stores each content once.
//! - Incremental: with `--since`, only tiles whose buffered box meets a feature edited after
//!   that time are rendered again; the others on disk are kept.
//! - Files are written to a temporary name and renamed into place, so a reader never sees a
//!   half-written tile and a hard-linked copy is never changed through another name.

use crate::progress::count_bar;
use locus_tiles::map::{self, MapData, MapError};
use locus_tiles::mvt::EXTENT;
use locus_tiles::pmtiles::{ArchiveInfo, Compression, PmtilesError, PmtilesWriter, TileType};
use locus_tiles::raster::text::FontError;
use locus_tiles::raster::Font;
use locus_tiles::render::{Output, RenderError, TileRenderer};
use locus_tiles::style::{Style, StyleError};
use locus_tiles::url::Format;
use locus_tiles::{bucket::TileBucket, TileId, MAX_ZOOM};
use rayon::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The most tiles one run renders (z0–17 over a small country is far below it).
pub const MAX_TILES: u64 = 20_000_000;

#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub osm: PathBuf,
    pub out: PathBuf,
    pub zooms: RangeInclusive<u8>,
    pub format: Format,
    /// PNG only: 2 also renders the 512-pixel `@2x` tiles.
    pub scale: u32,
    pub style: Option<PathBuf>,
    pub font: Option<PathBuf>,
    pub pmtiles: Option<PathBuf>,
    /// Re-render only what changed after this time (milliseconds since the epoch).
    pub since_ms: Option<i64>,
    /// Where clients fetch the tiles, for `tiles.json`.
    pub base_url: String,
    pub show_progress: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderJobError {
    #[error(transparent)]
    Map(#[from] MapError),
    #[error(transparent)]
    Style(#[from] StyleError),
    #[error(transparent)]
    Font(#[from] FontError),
    #[error("cannot read the style {path}: {source}")]
    StyleFile { path: PathBuf, source: std::io::Error },
    #[error("zooms must be within 0 to {MAX_ZOOM} and rising, got {0}-{1}")]
    Zooms(u8, u8),
    #[error("scale must be 1 or 2 (and 2 is for PNG only)")]
    Scale,
    #[error("{0} tiles is more than one run renders ({MAX_TILES}); narrow the zooms")]
    TooMany(u64),
    #[error("rendering tile {tile:?} failed: {source}")]
    Render { tile: TileId, source: RenderError },
    #[error("writing {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the PMTiles archive: {0}")]
    Archive(#[from] PmtilesError),
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct RenderSummary {
    pub out: PathBuf,
    pub features: u64,
    /// Tiles in the range over the region.
    pub tiles: u64,
    /// Tiles rendered or copied in this run (all of them, or those `--since` touched).
    pub written: u64,
    /// Tiles whose render was skipped as a proven copy.
    pub proven_copies: u64,
    /// Tiles stored as a link to an identical earlier tile.
    pub deduplicated: u64,
    /// Bytes of the distinct tiles written.
    pub stored_bytes: u64,
    /// Bytes of every tile written, copies counted each time.
    pub tile_bytes: u64,
    pub labels_font: Option<PathBuf>,
    pub archive: Option<(PathBuf, u64)>,
    pub read_time: Duration,
    pub elapsed: Duration,
    pub peak_rss_bytes: Option<u64>,
}

/// The tiles of zoom `z` over `bounds` (world space).
fn tiles_over(bounds: [f64; 4], z: u8) -> impl Iterator<Item = TileId> {
    let n = 1u64 << z;
    let cell = |v: f64| ((v * n as f64).floor().max(0.0) as u64).min(n - 1) as u32;
    let (x0, y0, x1, y1) = (cell(bounds[0]), cell(bounds[1]), cell(bounds[2]), cell(bounds[3]));
    (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| TileId { z, x, y }))
}

fn count_tiles(bounds: [f64; 4], zooms: &RangeInclusive<u8>) -> u64 {
    zooms
        .clone()
        .map(|z| {
            let n = (1u64 << z) as f64;
            let span = |a: f64, b: f64| ((b * n).floor().min(n - 1.0) - (a * n).floor().max(0.0) + 1.0).max(0.0) as u64;
            span(bounds[0], bounds[2]) * span(bounds[1], bounds[3])
        })
        .sum()
}

/// Whether a tile (with a 128-pixel buffer, the widest any output reads) meets a changed box.
fn touched(tile: TileId, changed: &[[f64; 4]]) -> bool {
    let b = tile.world_bounds();
    let pad = (b[2] - b[0]) / 2.0;
    changed.iter().any(|c| c[0] <= b[2] + pad && c[2] >= b[0] - pad && c[1] <= b[3] + pad && c[3] >= b[1] - pad)
}

/// Writes tiles into the bucket, each distinct content once.
struct DedupWriter {
    bucket: TileBucket,
    first_path: Mutex<HashMap<[u8; 32], PathBuf>>,
    deduplicated: AtomicU64,
    stored_bytes: AtomicU64,
    tile_bytes: AtomicU64,
}

impl DedupWriter {
    fn write(&self, tile: TileId, format: Format, high_dpi: bool, bytes: &[u8]) -> Result<(), RenderJobError> {
        let path = self.bucket.path(tile, format, high_dpi);
        let err = |source| RenderJobError::Write { path: path.clone(), source };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let temp = path.with_extension(format!("{}.tmp{}", format.extension(), std::process::id()));
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        let earlier = self.first_path.lock().map_err(|_| err(std::io::Error::other("a worker panicked")))?.get(&hash).cloned();
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

fn load_style(path: Option<&Path>) -> Result<Style, RenderJobError> {
    match path {
        None => Ok(Style::builtin()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|source| RenderJobError::StyleFile { path: path.to_owned(), source })?;
            Ok(Style::from_json(&text)?)
        }
    }
}

/// The outputs one tile position gets.
fn outputs(opts: &RenderOptions) -> Vec<(Output, bool)> {
    match opts.format {
        Format::Mvt => vec![(Output::Mvt, false)],
        Format::Png if opts.scale == 2 => vec![(Output::Png { scale: 1 }, false), (Output::Png { scale: 2 }, true)],
        Format::Png => vec![(Output::Png { scale: 1 }, false)],
    }
}

pub fn render_tiles(opts: &RenderOptions) -> Result<RenderSummary, RenderJobError> {
    let started = Instant::now();
    let (lo, hi) = (*opts.zooms.start(), *opts.zooms.end());
    if lo > hi || hi > MAX_ZOOM {
        return Err(RenderJobError::Zooms(lo, hi));
    }
    if !(1..=2).contains(&opts.scale) || (opts.scale == 2 && opts.format != Format::Png) {
        return Err(RenderJobError::Scale);
    }
    let style = load_style(opts.style.as_deref())?;
    let font = if opts.format == Format::Png { Font::find(opts.font.as_deref())? } else { None };
    let spinner = crate::progress::count_bar(opts.show_progress, 0, "reading");
    let map = map::read(&opts.osm, opts.since_ms)?;
    spinner.finish_and_clear();
    let read_time = started.elapsed();
    let total = count_tiles(map.bounds, &opts.zooms);
    if total > MAX_TILES {
        return Err(RenderJobError::TooMany(total));
    }
    let positions: Vec<TileId> = opts
        .zooms
        .clone()
        .flat_map(|z| tiles_over(map.bounds, z))
        .filter(|t| opts.since_ms.is_none() || touched(*t, &map.changed))
        .collect();

    let renderer = TileRenderer::new(&map, &style, font.as_ref(), hi);
    let writer = DedupWriter {
        bucket: TileBucket::new(&opts.out),
        first_path: Mutex::new(HashMap::new()),
        deduplicated: AtomicU64::new(0),
        stored_bytes: AtomicU64::new(0),
        tile_bytes: AtomicU64::new(0),
    };
    let copies: Mutex<HashMap<String, Arc<Vec<u8>>>> = Mutex::new(HashMap::new());
    let proven = AtomicU64::new(0);
    let outputs = outputs(opts);
    let bar = count_bar(opts.show_progress, positions.len() as u64, "tiles");
    positions.par_iter().try_for_each(|&tile| -> Result<(), RenderJobError> {
        for &(output, high_dpi) in &outputs {
            let features = renderer.features(tile, output);
            let key = renderer.copy_key(tile, output, &features);
            let known = key.as_ref().and_then(|k| copies.lock().ok()?.get(k).cloned());
            let bytes = match known {
                Some(bytes) => {
                    proven.fetch_add(1, Ordering::Relaxed);
                    bytes
                }
                None => {
                    let bytes = Arc::new(
                        renderer.render(tile, output, &features).map_err(|source| RenderJobError::Render { tile, source })?,
                    );
                    if let (Some(k), Ok(mut c)) = (key, copies.lock()) {
                        c.insert(k, bytes.clone());
                    }
                    bytes
                }
            };
            writer.write(tile, opts.format, high_dpi, &bytes)?;
        }
        bar.inc(1);
        Ok(())
    })?;
    bar.finish_and_clear();

    write_tile_json(opts, &map)?;
    let archive = match &opts.pmtiles {
        Some(path) => Some((path.clone(), write_archive(opts, &map, path)?)),
        None => None,
    };
    let per_position = outputs.len() as u64;
    Ok(RenderSummary {
        out: opts.out.clone(),
        features: map.report.features,
        tiles: total * per_position,
        written: positions.len() as u64 * per_position,
        proven_copies: proven.into_inner(),
        deduplicated: writer.deduplicated.into_inner(),
        stored_bytes: writer.stored_bytes.into_inner(),
        tile_bytes: writer.tile_bytes.into_inner(),
        labels_font: font.map(|f| f.path),
        archive,
        read_time,
        elapsed: started.elapsed(),
        peak_rss_bytes: crate::osm_tiles::peak_rss_bytes(),
    })
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
    json!(locus_tiles::map::Layer::ALL
        .iter()
        .map(|l| json!({"id": l.name(), "fields": fields}))
        .collect::<Vec<_>>())
}

/// `tiles.json` (TileJSON 3.0.0). An incremental run keeps the zoom range the bucket had.
fn write_tile_json(opts: &RenderOptions, map: &MapData) -> Result<(), RenderJobError> {
    let path = opts.out.join("tiles.json");
    let (mut lo, mut hi) = (*opts.zooms.start(), *opts.zooms.end());
    if opts.since_ms.is_some() {
        if let Some(old) = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok()) {
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
    let err = |source| RenderJobError::Write { path: path.clone(), source };
    std::fs::create_dir_all(&opts.out).map_err(err)?;
    let temp = path.with_extension("json.tmp");
    std::fs::write(&temp, serde_json::to_vec_pretty(&doc).unwrap_or_default()).map_err(err)?;
    std::fs::rename(&temp, &path).map_err(err)
}

/// Packs the bucket's tiles of this format (scale 1) into a PMTiles archive; returns its size.
fn write_archive(opts: &RenderOptions, map: &MapData, path: &Path) -> Result<u64, RenderJobError> {
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

impl fmt::Display for RenderSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        let mib = |b: u64| b as f64 / (1 << 20) as f64;
        writeln!(f, "map tiles in {}", self.out.display())?;
        writeln!(f, "read:    {} features in {:.2} s", self.features, self.read_time.as_secs_f64())?;
        writeln!(
            f,
            "tiles:   {} written of {} in range; {} proven copies not rendered; {} stored as links to identical tiles",
            self.written, self.tiles, self.proven_copies, self.deduplicated
        )?;
        writeln!(
            f,
            "bytes:   {:.2} MiB stored ({:.2} MiB of tiles before deduplication)",
            mib(self.stored_bytes),
            mib(self.tile_bytes)
        )?;
        match &self.labels_font {
            Some(font) => writeln!(f, "labels:  {}", font.display())?,
            None => writeln!(f, "labels:  none (vector tiles carry names; for PNG no font was found, see --font)")?,
        }
        if let Some((path, bytes)) = &self.archive {
            writeln!(f, "archive: {} ({:.2} MiB)", path.display(), mib(*bytes))?;
        }
        let render_secs = (secs - self.read_time.as_secs_f64()).max(1e-9);
        write!(f, "time:    {secs:.2} s, {:.0} tiles/s", self.written as f64 / render_secs)?;
        if let Some(peak) = self.peak_rss_bytes {
            write!(f, "; peak memory {:.1} MiB", mib(peak))?;
        }
        Ok(())
    }
}
