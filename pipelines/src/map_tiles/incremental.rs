//! Which tiles a run renders: all of them, those touched by features edited after a time, or
//! those touched by features that differ from the last render's feature index
//! ([`locus_tiles::map::changes`]).

use super::RenderOptions;
use locus_tiles::map::changes::{self, FeatureIndex};
use locus_tiles::map::MapData;
use locus_tiles::raster::{Frame, BUFFER_PX};
use locus_tiles::url::Format;
use locus_tiles::TileId;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Which tiles a run renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// Every tile in the range.
    Everything,
    /// The tiles touched by what was edited after this time (milliseconds since the epoch);
    /// needs a file that carries edit times.
    Time(i64),
    /// The tiles touched by what changed since the last render into the same directory, found
    /// by diffing the map against that render's feature index.
    LastRender,
}

/// Why a run rendered the tiles it did.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Every tile was asked for.
    Everything,
    /// `--since last` found no usable index (`why`), so every tile was rendered.
    NoIndex { why: String },
    /// Features edited after a time; the file's newest edit.
    EditedAfter { features: u64, newest_edit_ms: i64 },
    /// Features that differ from the last render's index; zooms it did not cover (if any) were
    /// rendered in full.
    SinceLastRender { added: u64, removed: u64, modified: u64, new_zooms: Vec<u8> },
}

/// Whether a tile, with the raster buffer (the widest any output reads), meets a changed box.
pub(super) fn touched(tile: TileId, changed: &[[f64; 4]]) -> bool {
    let b = Frame::new(tile, 256.0).world_box(BUFFER_PX);
    changed.iter().any(|c| c[0] <= b[2] && c[2] >= b[0] && c[1] <= b[3] && c[3] >= b[1])
}

/// A hash of what decides a tile's content besides the map: a different one makes every tile
/// on disk stale.
pub(super) fn settings_hash(opts: &RenderOptions, style: &str, font: Option<&Path>) -> u64 {
    let mut h = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION").as_bytes(),
        opts.format.extension().as_bytes(),
        &opts.scale.to_le_bytes(),
        style.as_bytes(),
        font.map(|f| f.as_os_str().as_encoded_bytes()).unwrap_or_default(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    let digest: [u8; 32] = h.finalize().into();
    u64::from_le_bytes([digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7]])
}

/// Where a bucket keeps the feature index of its last render in `format`.
pub fn index_path(out: &Path, format: Format) -> PathBuf {
    out.join(".locus").join(format!("features-{}.bin", format.extension()))
}

/// Which tiles to render: every one (`None`), or those meeting these boxes plus every tile of
/// the listed zooms.
pub(super) struct Plan {
    pub scope: Scope,
    pub boxes: Option<Vec<[f64; 4]>>,
    pub full_zooms: Vec<u8>,
}

pub(super) fn plan(opts: &RenderOptions, map: &MapData, index: &FeatureIndex, path: &Path) -> Plan {
    let everything = |scope| Plan { scope, boxes: None, full_zooms: Vec::new() };
    match opts.since {
        Since::Everything => everything(Scope::Everything),
        Since::Time(_) => Plan {
            scope: Scope::EditedAfter {
                features: map.changed.len() as u64,
                newest_edit_ms: map.report.newest_edit_ms.unwrap_or_default(),
            },
            boxes: Some(map.changed.clone()),
            full_zooms: Vec::new(),
        },
        Since::LastRender => match FeatureIndex::read(path) {
            Err(e) if e.is_missing() => {
                everything(Scope::NoIndex { why: format!("no feature index at {} (first render)", path.display()) })
            }
            Err(e) => everything(Scope::NoIndex { why: e.to_string() }),
            Ok(old) if old.settings != index.settings => everything(Scope::NoIndex {
                why: "the style, font, scale or renderer changed since the last render".into(),
            }),
            Ok(old) => {
                let c = changes::diff(&old, index);
                let full_zooms: Vec<u8> =
                    opts.zooms.clone().filter(|z| !(old.zooms.0..=old.zooms.1).contains(z)).collect();
                let scope = Scope::SinceLastRender {
                    added: c.added,
                    removed: c.removed,
                    modified: c.modified,
                    new_zooms: full_zooms.clone(),
                };
                Plan { scope, boxes: Some(c.boxes), full_zooms }
            }
        },
    }
}
