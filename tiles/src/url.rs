//! Where a tile lives: `{base}/{z}/{x}/{y}{@2x}.{ext}`, the layout of the tile bucket behind the
//! CDN (and of `locus serve`'s `/tiles/...`).

use crate::TileId;

/// The tile formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Mvt,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Mvt => "mvt",
        }
    }
}

/// The URL of `tile` under `base` (no trailing slash needed); `high_dpi` asks for the 512-pixel
/// raster tile.
pub fn tile_url(base: &str, tile: TileId, format: Format, high_dpi: bool) -> String {
    let scale = if high_dpi && format == Format::Png { "@2x" } else { "" };
    format!("{}/{}/{}/{}{scale}.{}", base.trim_end_matches('/'), tile.z, tile.x, tile.y, format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_bucket_layout() {
        let t = TileId { z: 14, x: 8529, y: 5974 };
        assert_eq!(tile_url("/tiles", t, Format::Png, false), "/tiles/14/8529/5974.png");
        assert_eq!(
            tile_url("https://cdn.example/t/", t, Format::Png, true),
            "https://cdn.example/t/14/8529/5974@2x.png"
        );
        assert_eq!(tile_url("/tiles", t, Format::Mvt, true), "/tiles/14/8529/5974.mvt");
    }
}
