//! Cutting the road graph into nested cells for the overlay ([`super::overlay`]): recursive
//! bisection by position, each cut at the median of the longer side of the part's bounding
//! box, to a fixed depth, so every leaf cell holds about the same number of nodes.
//!
//! A node's leaf cell is a `leaf_bits`-bit number whose bits are the cuts taken (the first cut
//! is the top bit). Dropping the low bits groups leaves into larger cells: the cell of a node
//! at overlay level `l` (1 = the leaves) is `leaf >> (BITS_PER_LEVEL * (l - 1))`, so the cells
//! of a level nest exactly in those of the level above, as the book's tiles nest by zoom.

use locus_core::geo::LatLng;

/// Each overlay level's cells group `2^BITS_PER_LEVEL` cells of the level below.
pub const BITS_PER_LEVEL: u32 = 4;

/// How the cells were cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellLayout {
    /// Bits of a leaf cell id (the number of cuts).
    pub leaf_bits: u32,
    /// Overlay levels (0: no overlay; the graph is too small to be worth one).
    pub levels: u8,
}

impl CellLayout {
    /// The layout for `nodes` nodes and leaves of at most about `leaf_nodes` nodes.
    pub fn for_size(nodes: usize, leaf_nodes: usize) -> CellLayout {
        let mut leaf_bits = 0;
        while (nodes >> leaf_bits) > leaf_nodes.max(1) && leaf_bits < 30 {
            leaf_bits += 1;
        }
        CellLayout { leaf_bits, levels: leaf_bits.div_ceil(BITS_PER_LEVEL) as u8 }
    }

    /// The cell holding leaf cell `leaf` at overlay level `level` (1..=levels).
    pub fn cell(&self, leaf: u32, level: u8) -> u32 {
        leaf >> (BITS_PER_LEVEL * (u32::from(level) - 1))
    }

    /// The highest level at which `a` and `b` are in different cells (0: the same leaf).
    pub fn crossing_level(&self, a: u32, b: u32) -> u8 {
        (1..=self.levels).rev().find(|&l| self.cell(a, l) != self.cell(b, l)).unwrap_or(0)
    }
}

/// The leaf cell of each point.
pub fn leaf_cells(points: &[LatLng], layout: CellLayout) -> Vec<u32> {
    let mut leaf = vec![0u32; points.len()];
    let mut order: Vec<u32> = (0..points.len() as u32).collect();
    bisect(points, &mut order, layout.leaf_bits, 0, &mut leaf);
    leaf
}

fn bisect(points: &[LatLng], part: &mut [u32], bits_left: u32, prefix: u32, leaf: &mut [u32]) {
    if bits_left == 0 || part.len() < 2 {
        let id = prefix << bits_left;
        part.iter().for_each(|&p| leaf[p as usize] = id);
        return;
    }
    let (mut south, mut north, mut west, mut east) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &p in part.iter() {
        let at = points[p as usize];
        south = south.min(at.lat());
        north = north.max(at.lat());
        west = west.min(at.lng());
        east = east.max(at.lng());
    }
    let across_lng = (east - west) * ((south + north) / 2.0).to_radians().cos();
    let key = |p: &u32| {
        let at = points[*p as usize];
        if across_lng > north - south {
            (at.lng(), at.lat(), *p)
        } else {
            (at.lat(), at.lng(), *p)
        }
    };
    let middle = part.len() / 2;
    part.select_nth_unstable_by(middle, |a, b| key(a).partial_cmp(&key(b)).unwrap_or(std::cmp::Ordering::Equal));
    let (low, high) = part.split_at_mut(middle);
    bisect(points, low, bits_left - 1, prefix << 1, leaf);
    bisect(points, high, bits_left - 1, (prefix << 1) | 1, leaf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_depth_follows_size() {
        assert_eq!(CellLayout::for_size(100, 256), CellLayout { leaf_bits: 0, levels: 0 });
        assert_eq!(CellLayout::for_size(1000, 256), CellLayout { leaf_bits: 2, levels: 1 });
        let big = CellLayout::for_size(1 << 20, 256);
        assert_eq!((big.leaf_bits, big.levels), (12, 3));
        assert_eq!(big.cell(0b1011_0110_0001, 2), 0b1011_0110);
        assert_eq!(big.crossing_level(0b1011_0110_0001, 0b1011_0110_0011), 1);
        assert_eq!(big.crossing_level(0b1011_0110_0001, 0b0011_0110_0001), 3);
        assert_eq!(big.crossing_level(5, 5), 0);
    }

    #[test]
    fn cells_split_evenly_and_by_position() {
        let points: Vec<LatLng> =
            (0..1024).map(|i| LatLng::new(f64::from(i % 32) * 0.01, f64::from(i / 32) * 0.01).unwrap()).collect();
        let layout = CellLayout::for_size(points.len(), 64);
        let leaf = leaf_cells(&points, layout);
        let mut sizes = vec![0; 1 << layout.leaf_bits];
        leaf.iter().for_each(|&c| sizes[c as usize] += 1);
        assert!(sizes.iter().all(|&s| s == 64), "{sizes:?}");
        // Points next to each other share a cell far more often than not.
        let same = (0..1023).filter(|&i| i % 32 != 31 && leaf[i] == leaf[i + 1]).count();
        assert!(same > 800, "{same}");
    }
}
