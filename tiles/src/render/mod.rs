//! Rendering one tile, in either format: which features it shows, whether it is provably a
//! copy of another tile (so the work can be skipped), and its bytes: PNG ([`crate::raster`])
//! or gzip-compressed MVT ([`vector`]).

pub mod vector;

use crate::map::{Feature, MapData};
use crate::raster::{covers_tile, encode_png, Font, RasterError, RasterRenderer};
use crate::style::Style;
use crate::TileId;
use flate2::write::GzEncoder;
use std::io::Write;

/// What a render produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// PNG at scale 1 (256 px) or 2 (512 px).
    Png { scale: u32 },
    /// Gzip-compressed Mapbox Vector Tile.
    Mvt,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Raster(#[from] RasterError),
    #[error("compressing a vector tile failed: {0}")]
    Gzip(#[from] std::io::Error),
}

/// Renders tiles of one map.
pub struct TileRenderer<'a> {
    raster: RasterRenderer<'a>,
    /// The deepest zoom of the tile set (vector tiles there keep more detail).
    pub max_zoom: u8,
}

impl<'a> TileRenderer<'a> {
    pub fn new(map: &'a MapData, style: &'a Style, font: Option<&'a Font>, max_zoom: u8) -> TileRenderer<'a> {
        TileRenderer { raster: RasterRenderer { map, style, font }, max_zoom }
    }

    /// The features a tile shows in `output`: for PNG what the style draws, for MVT every
    /// feature from its zoom on, and at the deepest zoom every feature (clients stretch those
    /// tiles over the zooms beyond, where the rest would show).
    pub fn features(&self, tile: TileId, output: Output) -> Vec<&'a Feature> {
        match output {
            Output::Png { .. } => self.raster.features(tile),
            Output::Mvt => {
                let deepest = tile.z >= self.max_zoom;
                self.raster
                    .map
                    .query(vector::query_box(tile))
                    .into_iter()
                    .filter(|f| deepest || f.min_zoom <= tile.z)
                    .collect()
            }
        }
    }

    /// A key naming the tile's content when it is provably the same as every other tile with
    /// that key (no feature, or one area covering the tile and its buffer): such tiles are
    /// rendered once.
    pub fn copy_key(&self, tile: TileId, output: Output, features: &[&Feature]) -> Option<String> {
        match output {
            Output::Png { scale } => self.raster.uniform_key(tile, features).map(|k| format!("{k}@{scale}")),
            Output::Mvt => match features {
                [] => Some("mvt:empty".into()),
                [only] if covers_tile(only, tile, vector::BUFFER / 16.0) => {
                    Some(format!("mvt:{}:{}:{:?}", only.id, only.class, only.name))
                }
                _ => None,
            },
        }
    }

    pub fn render(&self, tile: TileId, output: Output, features: &[&Feature]) -> Result<Vec<u8>, RenderError> {
        match output {
            Output::Png { scale } => Ok(encode_png(&self.raster.draw(tile, scale, features)?)?),
            Output::Mvt => {
                let raw = vector::encode(tile, features, self.max_zoom);
                let mut gz = GzEncoder::new(Vec::with_capacity(raw.len() / 2 + 32), flate2::Compression::default());
                gz.write_all(&raw)?;
                Ok(gz.finish()?)
            }
        }
    }
}
