//! Geohash cells and exact covers.
//!
//! A geohash of precision `p` names one cell of a regular grid over longitude [-180, 180] and
//! latitude [-90, 90]: `5p` bits interleaved, longitude first, so the grid has
//! `2^ceil(5p/2)` columns and `2^floor(5p/2)` rows. The proximity index stores every business
//! under its cells at [`INDEX_PRECISIONS`] and answers a search with the cells that cover the
//! search cap (computed by rectangle, not by the 9-neighbour rule, so large radii and polar or
//! antimeridian searches are covered too).

use crate::geo::{LatLng, Rect};

/// The precisions the geohash index is stored at (the book's geohash_4..geohash_6).
pub const INDEX_PRECISIONS: [usize; 3] = [4, 5, 6];

const BASE32: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

fn grid(precision: usize) -> (u32, u32) {
    let bits = 5 * precision as u32;
    (bits.div_ceil(2), bits / 2)
}

/// Column and row of the cell holding `p` at `precision` (1..=12).
fn cell_of(p: LatLng, precision: usize) -> (u64, u64) {
    let (lng_bits, lat_bits) = grid(precision);
    (axis_index(p.lng(), -180.0, 360.0, lng_bits), axis_index(p.lat(), -90.0, 180.0, lat_bits))
}

fn axis_index(v: f64, min: f64, span: f64, bits: u32) -> u64 {
    let n = 1u64 << bits;
    let i = ((v - min) / span * n as f64).floor();
    (i.max(0.0) as u64).min(n - 1)
}

fn cell_name(col: u64, row: u64, precision: usize) -> String {
    let (lng_bits, lat_bits) = grid(precision);
    let mut out = String::with_capacity(precision);
    let (mut lng_left, mut lat_left) = (lng_bits, lat_bits);
    let mut acc = 0usize;
    for bit in 0..5 * precision {
        let b = if bit % 2 == 0 {
            lng_left -= 1;
            (col >> lng_left) & 1
        } else {
            lat_left -= 1;
            (row >> lat_left) & 1
        };
        acc = (acc << 1) | b as usize;
        if bit % 5 == 4 {
            out.push(BASE32[acc] as char);
            acc = 0;
        }
    }
    out
}

/// The geohash of `p` at `precision` (1..=12).
pub fn encode(p: LatLng, precision: usize) -> String {
    let (col, row) = cell_of(p, precision);
    cell_name(col, row, precision)
}

/// The cells at `precision` that intersect any of `rects`, without duplicates.
///
/// Returns `None` when the cover would exceed `max_cells` (the caller should pick a coarser
/// precision).
pub fn cover(rects: &[Rect], precision: usize, max_cells: usize) -> Option<Vec<String>> {
    let (lng_bits, lat_bits) = grid(precision);
    let mut cells = Vec::new();
    for r in rects {
        let (c0, c1) = (axis_index(r.min_lng, -180.0, 360.0, lng_bits), axis_index(r.max_lng, -180.0, 360.0, lng_bits));
        let (r0, r1) = (axis_index(r.min_lat, -90.0, 180.0, lat_bits), axis_index(r.max_lat, -90.0, 180.0, lat_bits));
        let count = (c1 - c0 + 1) * (r1 - r0 + 1);
        if cells.len() as u64 + count > max_cells as u64 {
            return None;
        }
        for col in c0..=c1 {
            for row in r0..=r1 {
                cells.push(cell_name(col, row, precision));
            }
        }
    }
    cells.sort_unstable();
    cells.dedup();
    Some(cells)
}

/// The finest index precision whose cells are at least as tall as the search radius, as in the
/// book's table (500 m -> 6, 1-2 km -> 5, 5-20 km -> 4).
pub fn precision_for_radius(radius_m: f64) -> usize {
    match radius_m {
        r if r <= 610.0 => 6,
        r if r <= 2_400.0 => 5,
        _ => 4,
    }
}

/// The cells a place is indexed under, one per [`INDEX_PRECISIONS`], coarsest first.
pub fn index_cells(p: LatLng) -> Vec<String> {
    INDEX_PRECISIONS.iter().map(|&precision| encode(p, precision)).collect()
}

/// The cache keys of the cells a place is indexed under: what a write at `p` makes stale.
pub fn index_cell_keys(p: LatLng) -> impl Iterator<Item = String> {
    index_cells(p).into_iter().map(|c| cell_cache_key(&c))
}

/// The cache key under which a cell's entries are kept.
pub fn cell_cache_key(cell: &str) -> String {
    format!("locus:lbs:cell:{cell}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn book_example_google_hq() {
        let p = LatLng::new(37.422, -122.084).unwrap();
        assert_eq!(encode(p, 6), "9q9hvu");
    }

    proptest! {
        #[test]
        fn encode_matches_the_geohash_crate(lat in -90.0f64..90.0, lng in -180.0f64..180.0, precision in 1usize..=12) {
            let p = LatLng::new(lat, lng).unwrap();
            let theirs = geohash::encode(geohash::Coord { x: lng, y: lat }, precision).unwrap();
            prop_assert_eq!(encode(p, precision), theirs);
        }

        #[test]
        fn cover_contains_the_cell_of_every_point_in_the_rect(
            lng0 in -180.0f64..180.0, lat0 in -90.0f64..90.0, w in 0.0f64..2.0, h in 0.0f64..2.0,
            tx in 0.0f64..=1.0, ty in 0.0f64..=1.0, precision in 3usize..=6,
        ) {
            let r = Rect { min_lng: lng0, min_lat: lat0, max_lng: (lng0 + w).min(180.0), max_lat: (lat0 + h).min(90.0) };
            let p = LatLng::new(r.min_lat + (r.max_lat - r.min_lat) * ty, r.min_lng + (r.max_lng - r.min_lng) * tx).unwrap();
            if let Some(cells) = cover(&[r], precision, 1_000_000) {
                prop_assert!(cells.contains(&encode(p, precision)));
            }
        }
    }

    #[test]
    fn edges_clamp_into_the_grid() {
        for (lat, lng) in [(90.0, 180.0), (-90.0, -180.0), (90.0, -180.0)] {
            let p = LatLng::new(lat, lng).unwrap();
            assert_eq!(encode(p, 6).len(), 6);
        }
        assert_eq!(encode(LatLng::new(90.0, 180.0).unwrap(), 1), "z");
        assert_eq!(encode(LatLng::new(-90.0, -180.0).unwrap(), 1), "0");
    }
}
