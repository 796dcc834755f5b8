//! Tile levels, tile keys and the ids of nodes and edges across tiles.
//!
//! Three levels cut the world into square tiles of 4°, 1° and 0.25° (Valhalla's sizes): a node
//! lives at the level of the most important road it touches ([`level_of`]), so motorways,
//! trunks and primaries sit in the few large tiles of level 0, secondaries and tertiaries (and
//! ferries) in level 1, and every local road in the many small tiles of level 2. A tile's index
//! counts row-major from the south-west corner of the world.
//!
//! A [`NodeRef`] / [`EdgeRef`] is `tile << 32 | local index`, with `tile` = `level << 28 | index`
//! (2^28 > 1440 × 720 tiles of the finest level), so an id names its tile with no lookup.

use crate::profile::RoadClass;
use locus_core::geo::LatLng;
use std::fmt;
use std::path::{Path, PathBuf};

/// The edge size in degrees of the tiles of each level, most important level first.
pub const LEVEL_SIZES_DEG: [f64; 3] = [4.0, 1.0, 0.25];

/// The level whose tiles hold the nodes of a road of this class.
pub fn level_of(class: RoadClass) -> u8 {
    match class {
        RoadClass::Motorway | RoadClass::Trunk | RoadClass::Primary => 0,
        RoadClass::Secondary | RoadClass::Tertiary | RoadClass::Ferry => 1,
        _ => 2,
    }
}

/// One tile: a level and an index in that level's grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileKey {
    pub level: u8,
    pub index: u32,
}

impl TileKey {
    fn grid(level: u8) -> (f64, u32, u32) {
        let size = LEVEL_SIZES_DEG[usize::from(level).min(LEVEL_SIZES_DEG.len() - 1)];
        (size, (360.0 / size) as u32, (180.0 / size) as u32)
    }

    /// The tile of `level` that holds `at` (the east and north edges of the world fall in the
    /// last column and row).
    pub fn of(level: u8, at: LatLng) -> TileKey {
        let (size, cols, rows) = Self::grid(level);
        let col = (((at.lng() + 180.0) / size).floor() as i64).clamp(0, i64::from(cols) - 1) as u32;
        let row = (((at.lat() + 90.0) / size).floor() as i64).clamp(0, i64::from(rows) - 1) as u32;
        TileKey { level, index: row * cols + col }
    }

    /// Every tile of `level` that overlaps the box `south..=north`, `west..=east` (degrees; no
    /// antimeridian crossing: the caller splits such a box).
    pub fn covering(level: u8, south: f64, west: f64, north: f64, east: f64) -> Vec<TileKey> {
        let (size, cols, rows) = Self::grid(level);
        let col = |lng: f64| (((lng + 180.0) / size).floor() as i64).clamp(0, i64::from(cols) - 1) as u32;
        let row = |lat: f64| (((lat + 90.0) / size).floor() as i64).clamp(0, i64::from(rows) - 1) as u32;
        let mut keys = Vec::new();
        for r in row(south)..=row(north) {
            for c in col(west)..=col(east) {
                keys.push(TileKey { level, index: r * cols + c });
            }
        }
        keys
    }

    /// The tile's south-west and north-east corners (lat, lng).
    pub fn bounds(self) -> ((f64, f64), (f64, f64)) {
        let (size, cols, _) = Self::grid(self.level);
        let (row, col) = (self.index / cols, self.index % cols);
        let south = f64::from(row) * size - 90.0;
        let west = f64::from(col) * size - 180.0;
        ((south, west), (south + size, west + size))
    }

    pub fn packed(self) -> u32 {
        u32::from(self.level) << 28 | self.index
    }

    pub fn unpack(packed: u32) -> TileKey {
        TileKey { level: (packed >> 28) as u8, index: packed & ((1 << 28) - 1) }
    }

    /// Where the tile lives under a profile's tile root: `{level}/{AAA}/{BBB}/{CCC}.tile`, the
    /// index split in groups of three digits like Valhalla's, so no folder holds more than a
    /// thousand entries and the layout maps one-to-one onto object-store keys.
    pub fn relative_path(self) -> PathBuf {
        let i = self.index;
        Path::new(&self.level.to_string())
            .join(format!("{:03}", i / 1_000_000))
            .join(format!("{:03}", i / 1000 % 1000))
            .join(format!("{:03}.tile", i % 1000))
    }
}

impl fmt::Display for TileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.level, self.index)
    }
}

macro_rules! tile_local_id {
    ($name:ident, $what:literal) => {
        #[doc = concat!("A ", $what, " anywhere: its tile and its index in that tile.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u64);

        impl $name {
            pub fn new(tile: TileKey, local: u32) -> $name {
                $name(u64::from(tile.packed()) << 32 | u64::from(local))
            }

            pub fn tile(self) -> TileKey {
                TileKey::unpack((self.0 >> 32) as u32)
            }

            pub fn local(self) -> u32 {
                self.0 as u32
            }
        }
    };
}

tile_local_id!(NodeRef, "node");
tile_local_id!(EdgeRef, "directed edge");

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lng: f64) -> LatLng {
        LatLng::new(lat, lng).unwrap()
    }

    #[test]
    fn keys_cover_the_world_edges() {
        assert_eq!(TileKey::of(2, at(-90.0, -180.0)).index, 0);
        let top = TileKey::of(2, at(90.0, 180.0));
        assert_eq!(top.index, 1440 * 720 - 1);
        assert_eq!(TileKey::of(0, at(43.73, 7.42)), TileKey { level: 0, index: 33 * 90 + 46 });
    }

    #[test]
    fn bounds_contain_their_points() {
        for (lat, lng) in [(43.7384, 7.4246), (-33.86, 151.2), (0.0, 0.0), (51.5, -0.12)] {
            for level in 0..3 {
                let key = TileKey::of(level, at(lat, lng));
                let ((s, w), (n, e)) = key.bounds();
                assert!(s <= lat && lat < n && w <= lng && lng < e, "{key} {lat},{lng}");
                assert!(TileKey::covering(level, lat - 0.01, lng - 0.01, lat + 0.01, lng + 0.01).contains(&key));
            }
        }
    }

    #[test]
    fn refs_round_trip() {
        let key = TileKey { level: 2, index: 1440 * 720 - 1 };
        let r = NodeRef::new(key, u32::MAX);
        assert_eq!((r.tile(), r.local()), (key, u32::MAX));
        assert_eq!(TileKey::unpack(key.packed()), key);
        assert_eq!(key.relative_path(), Path::new("2/001/036/799.tile"));
    }
}
