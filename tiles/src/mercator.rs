//! Web Mercator (EPSG:3857) tiles in the XYZ scheme: at zoom `z` the square world map is cut
//! into `2^z × 2^z` tiles, `x` growing east from the antimeridian and `y` growing south from
//! the top edge at latitude [`MAX_LATITUDE`].

use std::f64::consts::PI;

/// The latitude where the square Web Mercator map ends (`atan(sinh(π))`).
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// The deepest zoom served (tiles about 2.4 m across at the equator).
pub const MAX_ZOOM: u8 = 24;

/// One tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TileError {
    #[error("zoom must be 0 to {MAX_ZOOM}, got {0}")]
    Zoom(i64),
    #[error("tile {x}/{y} does not exist at zoom {z} (0 to {max} on each axis)")]
    OutOfRange { z: u8, x: i64, y: i64, max: u64 },
    #[error("latitude must be within ±{MAX_LATITUDE} (Web Mercator) and longitude within ±180, got {0}, {1}")]
    Position(f64, f64),
}

/// Tiles per axis at zoom `z`.
pub fn tiles_per_axis(z: u8) -> u64 {
    1u64 << z
}

impl TileId {
    /// A tile, checked: `z <= MAX_ZOOM`, `x` and `y` below `2^z`.
    pub fn new(z: i64, x: i64, y: i64) -> Result<TileId, TileError> {
        let z = u8::try_from(z).ok().filter(|&z| z <= MAX_ZOOM).ok_or(TileError::Zoom(z))?;
        let n = tiles_per_axis(z);
        if !(0..n as i64).contains(&x) || !(0..n as i64).contains(&y) {
            return Err(TileError::OutOfRange { z, x, y, max: n - 1 });
        }
        Ok(TileId { z, x: x as u32, y: y as u32 })
    }

    /// The tile at zoom `z` that holds a point. Points on a tile's west or north edge belong
    /// to it; longitude 180 is the antimeridian, the same place as -180.
    pub fn containing(lat: f64, lng: f64, z: u8) -> Result<TileId, TileError> {
        if z > MAX_ZOOM {
            return Err(TileError::Zoom(i64::from(z)));
        }
        if !(lat.is_finite() && lng.is_finite() && lat.abs() <= MAX_LATITUDE && lng.abs() <= 180.0) {
            return Err(TileError::Position(lat, lng));
        }
        let n = tiles_per_axis(z) as f64;
        let x = ((lng + 180.0) / 360.0 * n).floor();
        let y = (mercator_y(lat) * n).floor();
        let wrap = |v: f64| (v as u64 % tiles_per_axis(z)) as u32;
        let clamp = |v: f64| v.clamp(0.0, n - 1.0) as u32;
        Ok(TileId { z, x: wrap(x), y: clamp(y) })
    }

    /// (west, south, east, north) in degrees.
    pub fn bounds(self) -> (f64, f64, f64, f64) {
        let n = tiles_per_axis(self.z) as f64;
        let lng = |x: f64| x / n * 360.0 - 180.0;
        let lat = |y: f64| (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
        let (x, y) = (f64::from(self.x), f64::from(self.y));
        (lng(x), lat(y + 1.0), lng(x + 1.0), lat(y))
    }

    /// The tiles within `radius` tiles of this one (a `(2r+1)²` block, this one in the
    /// middle), row by row from the north-west. Columns wrap round the antimeridian; rows stop
    /// at the map's top and bottom edges. A block wider than the world lists each tile once.
    pub fn neighbourhood(self, radius: u32) -> Vec<TileId> {
        let n = tiles_per_axis(self.z) as i64;
        let r = i64::from(radius);
        let mut out = Vec::new();
        for dy in -r..=r {
            let y = i64::from(self.y) + dy;
            if !(0..n).contains(&y) {
                continue;
            }
            for dx in -r..=r {
                let x = (i64::from(self.x) + dx).rem_euclid(n);
                let tile = TileId { z: self.z, x: x as u32, y: y as u32 };
                if !out.contains(&tile) {
                    out.push(tile);
                }
            }
        }
        out
    }
}

/// A point in world space: `[x, y]`, each 0 to 1, x east from the antimeridian and y south from
/// the map's top edge. A tile at zoom `z` spans `1 / 2^z` of it on each axis.
pub type WorldPoint = [f64; 2];

/// A position in world space; latitudes beyond the square map are clamped to its edge.
pub fn world_point(lat: f64, lng: f64) -> WorldPoint {
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE);
    [(lng + 180.0) / 360.0, mercator_y(lat)]
}

/// The latitude of a world-space `y`.
pub fn world_lat(y: f64) -> f64 {
    (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees()
}

impl TileId {
    /// The tile's (west, north, east, south) edges in world space.
    pub fn world_bounds(self) -> [f64; 4] {
        let size = 1.0 / tiles_per_axis(self.z) as f64;
        let (x, y) = (f64::from(self.x) * size, f64::from(self.y) * size);
        [x, y, x + size, y + size]
    }
}

/// A latitude's distance from the map's top edge, as a fraction of the map's height.
fn mercator_y(lat: f64) -> f64 {
    let phi = lat.to_radians();
    (1.0 - (phi.tan() + 1.0 / phi.cos()).ln() / PI) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_fall_in_the_tiles_osm_gives_them() {
        // (lat, lng, zoom, x, y), as an independent implementation of the OpenStreetMap wiki's
        // slippy-map formula (Python, asinh form) computes them.
        let cases = [
            (0.0, 0.0, 0, 0, 0),
            (51.5074, -0.1278, 10, 511, 340),
            (43.7384, 7.4246, 14, 8529, 5974),
            (48.8566, 2.3522, 12, 2074, 1409),
            (-33.8688, 151.2093, 10, 942, 614),
            (MAX_LATITUDE, -180.0, 5, 0, 0),
            (-MAX_LATITUDE, 179.999_999, 5, 31, 31),
            (0.0, 180.0, 3, 0, 4),
        ];
        for (lat, lng, z, x, y) in cases {
            assert_eq!(TileId::containing(lat, lng, z).unwrap(), TileId { z, x, y }, "{lat},{lng} z{z}");
        }
    }

    #[test]
    fn a_tile_holds_its_own_bounds() {
        for tile in
            [TileId { z: 0, x: 0, y: 0 }, TileId { z: 14, x: 8529, y: 5974 }, TileId { z: 20, x: 1, y: 1_048_574 }]
        {
            let (w, s, e, n) = tile.bounds();
            assert!(w < e && s < n, "{tile:?}");
            let inside = TileId::containing((s + n) / 2.0, (w + e) / 2.0, tile.z).unwrap();
            assert_eq!(inside, tile);
        }
        let (w, s, e, n) = TileId { z: 0, x: 0, y: 0 }.bounds();
        assert_eq!((w, e), (-180.0, 180.0));
        assert!((n - MAX_LATITUDE).abs() < 1e-9 && (s + MAX_LATITUDE).abs() < 1e-9);
        // Monaco's z14 tile, bounds as the same independent implementation gives them.
        let (w, s, e, n) = TileId { z: 14, x: 8529, y: 5974 }.bounds();
        assert!((w - 7.404_785_156).abs() < 1e-8 && (e - 7.426_757_812).abs() < 1e-8, "{w} {e}");
        assert!((s - 43.723_474_896).abs() < 1e-8 && (n - 43.739_352_079).abs() < 1e-8, "{s} {n}");
    }

    #[test]
    fn hostile_tiles_and_points_are_refused() {
        assert_eq!(TileId::new(25, 0, 0), Err(TileError::Zoom(25)));
        assert_eq!(TileId::new(-1, 0, 0), Err(TileError::Zoom(-1)));
        assert!(matches!(TileId::new(3, 8, 0), Err(TileError::OutOfRange { .. })));
        assert!(matches!(TileId::new(3, 0, -1), Err(TileError::OutOfRange { .. })));
        assert!(matches!(TileId::new(24, i64::MAX, 0), Err(TileError::OutOfRange { .. })));
        assert_eq!(TileId::new(24, (1 << 24) - 1, 0).unwrap().x, (1 << 24) - 1);
        for (lat, lng) in [(86.0, 0.0), (f64::NAN, 0.0), (0.0, 180.5), (0.0, f64::INFINITY)] {
            assert!(matches!(TileId::containing(lat, lng, 3), Err(TileError::Position(..))), "{lat},{lng}");
        }
        assert_eq!(TileId::containing(0.0, 0.0, 30), Err(TileError::Zoom(30)));
    }

    #[test]
    fn neighbourhoods_wrap_east_west_and_stop_at_the_poles() {
        let corner = TileId { z: 2, x: 0, y: 0 };
        let around = corner.neighbourhood(1);
        assert_eq!(around.len(), 6, "the top row has nothing north of it");
        assert!(around.contains(&TileId { z: 2, x: 3, y: 1 }), "west of x=0 is x=3");
        assert_eq!(around[0], TileId { z: 2, x: 3, y: 0 });
        assert_eq!(TileId { z: 0, x: 0, y: 0 }.neighbourhood(2), vec![TileId { z: 0, x: 0, y: 0 }]);
        assert_eq!(TileId { z: 10, x: 511, y: 340 }.neighbourhood(1).len(), 9);
    }
}
