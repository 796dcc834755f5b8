//! PMTiles tile ids: one number per tile, counting every tile of the zooms below and then the
//! tile's position on the zoom's Hilbert curve (`0` is 0/0/0; zoom 1 is `1..=4`; zoom 2 starts
//! at `5`). Ids of neighbouring tiles are close, so a run of tiles is a run of ids.

use crate::TileId;

/// The deepest zoom whose ids fit in 64 bits.
pub const MAX_ARCHIVE_ZOOM: u8 = 31;

/// The id of the first tile of zoom `z`: the number of tiles of every zoom below,
/// `(4^z - 1) / 3` (`z` up to 32, where it is one past the last id of zoom 31).
pub fn first_id(z: u8) -> u64 {
    debug_assert!(z <= MAX_ARCHIVE_ZOOM + 1);
    (((1u128 << (2 * u32::from(z))) - 1) / 3) as u64
}

/// A tile's id; `None` for a zoom past [`MAX_ARCHIVE_ZOOM`] or x/y outside the zoom.
pub fn tile_id(tile: TileId) -> Option<u64> {
    if tile.z > MAX_ARCHIVE_ZOOM {
        return None;
    }
    let n = 1u64 << tile.z;
    let (mut x, mut y) = (u64::from(tile.x), u64::from(tile.y));
    if x >= n || y >= n {
        return None;
    }
    // The Hilbert distance, from the largest quadrant down: each step adds the quadrant's
    // place on the curve and turns the rest into that quadrant's frame.
    let mut d = 0u64;
    let mut s = n / 2;
    while s > 0 {
        let rx = u64::from(x & s != 0);
        let ry = u64::from(y & s != 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    Some(first_id(tile.z) + d)
}

/// The tile of an id; `None` past the ids of zoom [`MAX_ARCHIVE_ZOOM`].
pub fn tile_of(id: u64) -> Option<TileId> {
    let z = (0..=MAX_ARCHIVE_ZOOM).find(|&z| id < first_id(z + 1))?;
    let n = 1u64 << z;
    let mut t = id - first_id(z);
    let (mut x, mut y) = (0u64, 0u64);
    let mut s = 1u64;
    while s < n {
        let rx = 1 & (t / 2);
        let ry = 1 & (t ^ rx);
        if ry == 0 {
            if rx == 1 {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        x += s * rx;
        y += s * ry;
        t /= 4;
        s *= 2;
    }
    Some(TileId { z, x: x as u32, y: y as u32 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(z: u8, x: u32, y: u32) -> TileId {
        TileId { z, x, y }
    }

    #[test]
    fn ids_match_the_spec_table() {
        // PMTiles v3 spec, section 4.1.
        let cases = [
            (t(0, 0, 0), 0),
            (t(1, 0, 0), 1),
            (t(1, 0, 1), 2),
            (t(1, 1, 1), 3),
            (t(1, 1, 0), 4),
            (t(2, 0, 0), 5),
            (t(12, 3423, 1763), 19_078_479),
        ];
        for (tile, id) in cases {
            assert_eq!(tile_id(tile), Some(id), "{tile:?}");
            assert_eq!(tile_of(id), Some(tile), "{id}");
        }
        assert_eq!(first_id(3), 21);
        assert_eq!(tile_id(t(2, 3, 0)), Some(first_id(3) - 1), "zoom 2 ends at its north-east corner");
    }

    #[test]
    fn every_tile_of_a_zoom_gets_its_own_id_and_back() {
        for z in 0..=5u8 {
            let n = 1u32 << z;
            let mut seen = vec![false; (n * n) as usize];
            for x in 0..n {
                for y in 0..n {
                    let id = tile_id(t(z, x, y)).unwrap();
                    let k = (id - first_id(z)) as usize;
                    assert!(!seen[k], "{z}/{x}/{y} shares id {id}");
                    seen[k] = true;
                    assert_eq!(tile_of(id), Some(t(z, x, y)));
                }
            }
        }
    }

    #[test]
    fn neighbours_on_the_curve_are_neighbours_on_the_map() {
        for z in 1..=6u8 {
            for id in first_id(z)..first_id(z + 1) - 1 {
                let (a, b) = (tile_of(id).unwrap(), tile_of(id + 1).unwrap());
                assert_eq!(a.x.abs_diff(b.x) + a.y.abs_diff(b.y), 1, "{a:?} then {b:?}");
            }
        }
    }

    #[test]
    fn impossible_tiles_have_no_id() {
        assert_eq!(tile_id(t(3, 8, 0)), None);
        assert_eq!(tile_id(t(32, 0, 0)), None);
        assert!(tile_id(t(31, u32::MAX >> 1, 0)).is_some());
        assert_eq!(tile_of(first_id(32)), None);
        assert_eq!(tile_of(u64::MAX), None);
    }
}
