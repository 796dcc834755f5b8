//! The tile bucket on disk: `{root}/{z}/{x}/{y}{@2x}.{ext}` and `{root}/tiles.json`, the layout
//! a CDN origin serves. Paths are built from checked numbers only ([`TileId`]), never from
//! request text, so no request can reach outside the root.

use crate::url::Format;
use crate::TileId;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct TileBucket {
    root: PathBuf,
}

impl TileBucket {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        TileBucket { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where a tile's file lives in the bucket.
    pub fn path(&self, tile: TileId, format: Format, high_dpi: bool) -> PathBuf {
        let scale = if high_dpi && format == Format::Png { "@2x" } else { "" };
        self.root.join(tile.z.to_string()).join(tile.x.to_string()).join(format!(
            "{}{scale}.{}",
            tile.y,
            format.extension()
        ))
    }

    /// A tile's bytes; `None` when the bucket does not hold it.
    pub fn read(&self, tile: TileId, format: Format, high_dpi: bool) -> std::io::Result<Option<Vec<u8>>> {
        read_optional(&self.path(tile, format, high_dpi))
    }

    /// The bucket's TileJSON document, if it has one.
    pub fn tile_json(&self) -> std::io::Result<Option<Vec<u8>>> {
        read_optional(&self.root.join("tiles.json"))
    }
}

fn read_optional(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_are_read_from_their_place_in_the_bucket() {
        let dir = tempfile::tempdir().unwrap();
        let bucket = TileBucket::new(dir.path());
        let tile = TileId { z: 3, x: 4, y: 2 };
        std::fs::create_dir_all(dir.path().join("3/4")).unwrap();
        std::fs::write(dir.path().join("3/4/2.png"), b"png").unwrap();
        std::fs::write(dir.path().join("3/4/2@2x.png"), b"png2").unwrap();
        assert_eq!(bucket.read(tile, Format::Png, false).unwrap().as_deref(), Some(&b"png"[..]));
        assert_eq!(bucket.read(tile, Format::Png, true).unwrap().as_deref(), Some(&b"png2"[..]));
        assert_eq!(bucket.read(tile, Format::Mvt, false).unwrap(), None);
        assert_eq!(bucket.tile_json().unwrap(), None);
    }
}
