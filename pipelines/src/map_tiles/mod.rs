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
//! - Incremental: every run writes a feature index next to the tiles
//!   (`.locus/features-{png|mvt}.bin`: per feature its id, a hash of its content and its box,
//!   see [`locus_tiles::map::changes`]). With `--since last` the new map is diffed against that
//!   index and only tiles whose buffered box meets an added, removed or modified feature are
//!   rendered again (all of them when there is no index yet, or the style, font, scale or
//!   renderer changed); this works on extracts without edit times, such as Geofabrik's. With
//!   `--since TIME` the same is done for the features edited after that time, which needs a
//!   file that carries edit times. The other tiles on disk are kept untouched.
//! - Files are written to a temporary name and renamed into place, so a reader never sees a
//!   half-written tile and a hard-linked copy is never changed through another name.

mod incremental;
mod summary;
mod write;

pub use incremental::{index_path, Scope, Since};
use incremental::{plan, settings_hash, touched, Plan};
use write::{write_archive, write_if_changed, write_tile_json, DedupWriter};

use crate::progress::count_bar;
use locus_tiles::map::changes::FeatureIndex;
use locus_tiles::map::{self, MapError};
use locus_tiles::pmtiles::PmtilesError;
use locus_tiles::raster::text::FontError;
use locus_tiles::raster::Font;
use locus_tiles::render::{Output, RenderError, TileRenderer};
use locus_tiles::style::{Style, StyleError};
use locus_tiles::url::Format;
use locus_tiles::{TileId, MAX_ZOOM};
use rayon::prelude::*;
use std::collections::HashMap;
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
    /// What to render again.
    pub since: Since,
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
    #[error(
        "{0} carries no edit times (extracts such as Geofabrik's leave them out), so --since TIME \
         cannot tell what changed; use --since last to re-render what changed since the last \
         render into the same directory"
    )]
    NoTimestamps(PathBuf),
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
    /// Why those tiles.
    pub scope: Scope,
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

/// The columns and rows (first and last of each) of zoom `z` that `bounds` (world space) meets.
fn tile_span(bounds: [f64; 4], z: u8) -> ([u32; 2], [u32; 2]) {
    let n = 1u64 << z;
    let cell = |v: f64| ((v * n as f64).floor().max(0.0) as u64).min(n - 1) as u32;
    ([cell(bounds[0]), cell(bounds[2])], [cell(bounds[1]), cell(bounds[3])])
}

/// The tiles of zoom `z` over `bounds` (world space).
pub(super) fn tiles_over(bounds: [f64; 4], z: u8) -> impl Iterator<Item = TileId> {
    let ([x0, x1], [y0, y1]) = tile_span(bounds, z);
    (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| TileId { z, x, y }))
}

fn count_tiles(bounds: [f64; 4], zooms: &RangeInclusive<u8>) -> u64 {
    zooms
        .clone()
        .map(|z| {
            let ([x0, x1], [y0, y1]) = tile_span(bounds, z);
            u64::from(x1 - x0 + 1) * u64::from(y1 - y0 + 1)
        })
        .sum()
}

/// The style, and its text (for [`settings_hash`]).
fn load_style(path: Option<&Path>) -> Result<(Style, String), RenderJobError> {
    match path {
        None => Ok((Style::builtin(), locus_tiles::style::DEFAULT_STYLE.to_owned())),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|source| RenderJobError::StyleFile { path: path.to_owned(), source })?;
            Ok((Style::from_json(&text)?, text))
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
    let (style, style_text) = load_style(opts.style.as_deref())?;
    let font = if opts.format == Format::Png { Font::find(opts.font.as_deref())? } else { None };
    let spinner = crate::progress::count_bar(opts.show_progress, 0, "reading");
    let since_ms = match opts.since {
        Since::Time(ms) => Some(ms),
        Since::Everything | Since::LastRender => None,
    };
    let map = map::read(&opts.osm, since_ms)?;
    if since_ms.is_some() && map.report.newest_edit_ms.is_none() {
        return Err(RenderJobError::NoTimestamps(opts.osm.clone()));
    }
    let mut index = FeatureIndex::of(&map);
    index.settings = settings_hash(opts, &style_text, font.as_ref().map(|f| f.path.as_path()));
    index.zooms = (lo, hi);
    spinner.finish_and_clear();
    let read_time = started.elapsed();
    let total = count_tiles(map.bounds, &opts.zooms);
    if total > MAX_TILES {
        return Err(RenderJobError::TooMany(total));
    }
    let index_file = index_path(&opts.out, opts.format);
    let Plan { scope, boxes, full_zooms } = plan(opts, &map, &index, &index_file);
    let positions: Vec<TileId> = opts
        .zooms
        .clone()
        .flat_map(|z| tiles_over(map.bounds, z))
        .filter(|t| boxes.as_ref().is_none_or(|b| full_zooms.contains(&t.z) || touched(*t, b)))
        .collect();
    if !positions.is_empty() {
        // Until this run is done the tiles match no index: a failed run leaves none, and the
        // next `--since last` renders everything.
        match std::fs::remove_file(&index_file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(RenderJobError::Write { path: index_file, source: e });
            }
            _ => {}
        }
    }

    let renderer = TileRenderer::new(&map, &style, font.as_ref(), hi);
    let writer = DedupWriter::new(&opts.out);
    let copies: Mutex<HashMap<String, Arc<Vec<u8>>>> = Mutex::new(HashMap::new());
    let proven = AtomicU64::new(0);
    let outputs = outputs(opts);
    let bar = count_bar(opts.show_progress, positions.len() as u64, "tiles");
    positions.par_iter().try_for_each(|&tile| -> Result<(), RenderJobError> {
        // Every output of a run is of one kind (PNG at one or two scales, or MVT), and a tile
        // shows the same features at either scale.
        let features = renderer.features(tile, outputs[0].0);
        for &(output, high_dpi) in &outputs {
            let key = renderer.copy_key(tile, output, &features);
            let known = key.as_ref().and_then(|k| copies.lock().ok()?.get(k).cloned());
            let bytes = match known {
                Some(bytes) => {
                    proven.fetch_add(1, Ordering::Relaxed);
                    bytes
                }
                None => {
                    let bytes = Arc::new(
                        renderer
                            .render(tile, output, &features)
                            .map_err(|source| RenderJobError::Render { tile, source })?,
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
    write_if_changed(&index_file, &index.to_bytes())?;
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
        scope,
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
