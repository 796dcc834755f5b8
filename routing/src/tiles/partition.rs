//! Cutting the road graph into nested cells for the overlay ([`super::overlay`]) by recursive
//! bisection with small cuts, in the way of inertial flow (Schild and Sommer, 2015; OSRM's
//! partitioner). A part is sorted along four directions; for each, its first and last quarter
//! become sources and sinks of a unit-capacity flow ([`super::min_cut`]), and the smallest of
//! the four minimum cuts (the better balanced on a tie) splits the part. Cutting few roads
//! matters more than equal halves: every road cut is a boundary edge, and a cell's clique has
//! a row per entering and a column per leaving boundary edge. Each side keeps at least a
//! quarter of the part, and parts of at most the leaf size are not cut further.
//!
//! A node's leaf cell is a `leaf_bits`-bit number whose bits are the cuts taken (the first cut
//! is the top bit; a part that stops early fills the rest with zeros). Dropping the low bits
//! groups leaves into larger cells: the cell of a node at overlay level `l` (1 = the leaves) is
//! `leaf >> (BITS_PER_LEVEL * (l - 1))`, so the cells of a level nest exactly in those of the
//! level above, as the book's tiles nest by zoom.

use super::csr::Csr;
use super::min_cut::{min_cut, FlowGraph, MinCut, Terminal};
use locus_core::geo::LatLng;

/// Each overlay level's cells group `2^BITS_PER_LEVEL` cells of the level below.
pub const BITS_PER_LEVEL: u32 = 4;

/// Cuts allowed beyond those that halve the graph down to the leaf size: a cut may leave up to
/// three quarters of a part on one side, so some branches need more cuts than others.
const SLACK_BITS: u32 = 2;

/// The share of a part's nodes, at each end of a direction, that must stay on that end's side.
const END_SHARE: f64 = 0.25;

/// Directions a part is sorted along, in degrees from east.
const DIRECTIONS_DEG: [f64; 4] = [0.0, 45.0, 90.0, 135.0];

/// Parts of at least this many nodes are cut along their directions on several threads.
const PARALLEL_NODES: usize = 50_000;

/// How the cells were cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellLayout {
    /// Bits of a leaf cell id (the most cuts a branch may take).
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
        if leaf_bits > 0 {
            leaf_bits = (leaf_bits + SLACK_BITS).min(30);
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

/// The leaf cell of each point, cutting the graph of `links` (node index pairs; a road that
/// may be driven both ways is two links, as it would be two boundary edges) into parts of at
/// most about `leaf_nodes` nodes, on `threads` threads.
pub fn leaf_cells(
    points: &[LatLng],
    links: &[(u32, u32)],
    layout: CellLayout,
    leaf_nodes: usize,
    threads: usize,
) -> Vec<u32> {
    let mut cutter = Cutter {
        points,
        heads: Csr::group(points.len(), links.iter().copied()),
        local: vec![NOT_IN_PART; points.len()],
        leaf: vec![0; points.len()],
        leaf_nodes: leaf_nodes.max(1),
        threads,
    };
    let mut stack = vec![((0..points.len() as u32).collect::<Vec<u32>>(), layout.leaf_bits, 0u32)];
    while let Some((part, bits_left, prefix)) = stack.pop() {
        if bits_left == 0 || part.len() <= cutter.leaf_nodes {
            part.iter().for_each(|&p| cutter.leaf[p as usize] = prefix << bits_left);
            continue;
        }
        let (low, high) = cutter.bisect(&part);
        stack.push((low, bits_left - 1, prefix << 1));
        stack.push((high, bits_left - 1, (prefix << 1) | 1));
    }
    cutter.leaf
}

const NOT_IN_PART: u32 = u32::MAX;

/// The state of a partition: the graph, and the scratch space of one cut.
struct Cutter<'a> {
    points: &'a [LatLng],
    /// The head of each link, grouped by tail.
    heads: Csr<u32>,
    /// A node's index in the part being cut ([`NOT_IN_PART`] otherwise).
    local: Vec<u32>,
    leaf: Vec<u32>,
    leaf_nodes: usize,
    threads: usize,
}

impl Cutter<'_> {
    /// Splits `part` in two along its smallest cut.
    fn bisect(&mut self, part: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let n = part.len();
        for (i, &p) in part.iter().enumerate() {
            self.local[p as usize] = i as u32;
        }
        let mut links = Vec::new();
        for (i, &p) in part.iter().enumerate() {
            for &h in self.heads.of(p) {
                let h = self.local[h as usize];
                if h != NOT_IN_PART {
                    links.push((i as u32, h));
                }
            }
        }
        part.iter().for_each(|&p| self.local[p as usize] = NOT_IN_PART);
        let graph = FlowGraph::new(n, &links);
        drop(links);

        let mean_lat = part.iter().map(|&p| self.points[p as usize].lat()).sum::<f64>() / n as f64;
        let east_scale = mean_lat.to_radians().cos();
        let ends = ((n as f64 * END_SHARE) as usize).max(1);
        let points = self.points;
        let cut_along = |direction: f64| {
            let (sin, cos) = direction.to_radians().sin_cos();
            let along = |i: u32| {
                let at = points[part[i as usize] as usize];
                at.lng() * east_scale * cos + at.lat() * sin
            };
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_by(|&a, &b| along(a).total_cmp(&along(b)).then(a.cmp(&b)));
            let mut terminal = vec![Terminal::Neither; n];
            order[..ends].iter().for_each(|&i| terminal[i as usize] = Terminal::Source);
            order[n - ends..].iter().for_each(|&i| terminal[i as usize] = Terminal::Sink);
            min_cut(&graph, &terminal)
        };
        // The directions are independent: large parts cut on `threads` threads at once.
        if n < PARALLEL_NODES || self.threads < 2 {
            return split(part, &best_side(DIRECTIONS_DEG.iter().map(|&d| cut_along(d)), n));
        }
        let cuts: Vec<MinCut> = std::thread::scope(|scope| {
            let chunk = DIRECTIONS_DEG.len().div_ceil(self.threads.max(1));
            let handles: Vec<_> = DIRECTIONS_DEG
                .chunks(chunk)
                .map(|some| scope.spawn(move || some.iter().map(|&d| cut_along(d)).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        split(part, &best_side(cuts.into_iter(), n))
    }
}

/// The side of the cut crossing the fewest links; of those, the best balanced.
fn best_side(cuts: impl Iterator<Item = MinCut>, n: usize) -> Vec<bool> {
    // (links cut, nodes on the smaller side, the side)
    let mut best: Option<(usize, usize, Vec<bool>)> = None;
    for cut in cuts {
        for side in [cut.smallest_source_side, cut.largest_source_side] {
            let on = side.iter().filter(|&&s| s).count();
            let smaller = on.min(n - on);
            let better = best
                .as_ref()
                .is_none_or(|(links, balance, _)| cut.links < *links || (cut.links == *links && smaller > *balance));
            if better {
                best = Some((cut.links, smaller, side));
            }
        }
    }
    best.map(|(_, _, side)| side).unwrap_or_default()
}

/// The members of `part` on the side (`true`) and off it.
fn split(part: &[u32], side: &[bool]) -> (Vec<u32>, Vec<u32>) {
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for (&p, &s) in part.iter().zip(side) {
        if s {
            on.push(p);
        } else {
            off.push(p);
        }
    }
    (on, off)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_depth_follows_size() {
        assert_eq!(CellLayout::for_size(100, 256), CellLayout { leaf_bits: 0, levels: 0 });
        assert_eq!(CellLayout::for_size(1000, 256), CellLayout { leaf_bits: 4, levels: 1 });
        let big = CellLayout::for_size(1 << 20, 256);
        assert_eq!((big.leaf_bits, big.levels), (14, 4));
        assert_eq!(big.cell(0b1011_0110_0001, 2), 0b1011_0110);
        assert_eq!(big.crossing_level(0b1011_0110_0001, 0b1011_0110_0011), 1);
        assert_eq!(big.crossing_level(0b1011_0110_0001, 0b0011_0110_0001), 3);
        assert_eq!(big.crossing_level(5, 5), 0);
    }

    /// A `w` × `h` street grid at `(lat0, lng0)`, 0.001° apart, every street both ways.
    fn grid(w: u32, h: u32, lat0: f64, lng0: f64, first: u32) -> (Vec<LatLng>, Vec<(u32, u32)>) {
        let points = (0..w * h)
            .map(|i| LatLng::new(lat0 + f64::from(i / w) * 0.001, lng0 + f64::from(i % w) * 0.001).unwrap())
            .collect();
        let mut links = Vec::new();
        for i in 0..w * h {
            if i % w + 1 < w {
                links.extend([(first + i, first + i + 1), (first + i + 1, first + i)]);
            }
            if i / w + 1 < h {
                links.extend([(first + i, first + i + w), (first + i + w, first + i)]);
            }
        }
        (points, links)
    }

    fn crossing(links: &[(u32, u32)], leaf: &[u32]) -> usize {
        links.iter().filter(|(a, b)| leaf[*a as usize] != leaf[*b as usize]).count()
    }

    #[test]
    fn a_grid_is_cut_into_small_leaves_along_short_lines() {
        let (points, links) = grid(32, 32, 45.0, 5.0, 0);
        let layout = CellLayout::for_size(points.len(), 64);
        let leaf = leaf_cells(&points, &links, layout, 64, 2);
        let mut sizes = std::collections::BTreeMap::<u32, usize>::new();
        leaf.iter().for_each(|&c| *sizes.entry(c).or_default() += 1);
        // A branch whose cuts were uneven may run out of bits a little above the leaf size.
        assert!(sizes.values().all(|&s| s <= 2 * 64), "{sizes:?}");
        assert!(sizes.len() >= 16, "{sizes:?}");
        // Straight cuts into 16 squares of 8 × 8 would cross 2 × 2 × 3 × 32 = 384 links; a
        // cut that wanders costs more.
        let cut = crossing(&links, &leaf);
        assert!(cut <= 2 * 384, "{cut} links cut");
    }

    #[test]
    fn two_towns_joined_by_one_road_are_cut_at_the_road() {
        let (mut points, mut links) = grid(12, 12, 45.0, 5.0, 0);
        let (far_points, far_links) = grid(12, 12, 45.0, 5.1, 144);
        points.extend(far_points);
        links.extend(far_links);
        // The road between them: a chain of 10 nodes, 11 links each way.
        let road: Vec<u32> = (0..10).map(|i| 288 + i).collect();
        points.extend((0..10).map(|i| LatLng::new(45.005, 5.02 + f64::from(i) * 0.007).unwrap()));
        let mut chain = vec![5 * 12 + 11];
        chain.extend(&road);
        chain.push(144 + 5 * 12);
        for pair in chain.windows(2) {
            links.extend([(pair[0], pair[1]), (pair[1], pair[0])]);
        }
        let layout = CellLayout::for_size(points.len(), 64);
        let leaf = leaf_cells(&points, &links, layout, 64, 2);
        let top = |n: usize| leaf[n] >> (layout.leaf_bits - 1);
        assert!((0..144).all(|n| top(n) == top(0)) && (144..288).all(|n| top(n) == top(144)));
        assert_ne!(top(0), top(144));
        let links_cut_at_the_top = links.iter().filter(|(a, b)| top(*a as usize) != top(*b as usize)).count();
        assert_eq!(links_cut_at_the_top, 2, "one road, both ways");
    }

    #[test]
    fn islands_cost_no_cut() {
        let (mut points, mut links) = grid(10, 10, 45.0, 5.0, 0);
        let (island, island_links) = grid(10, 10, 45.0, 5.005, 100);
        points.extend(island);
        links.extend(island_links);
        let layout = CellLayout::for_size(points.len(), 100);
        let leaf = leaf_cells(&points, &links, layout, 100, 1);
        assert_eq!(crossing(&links, &leaf), 0);
        assert_ne!(leaf[0], leaf[100]);
    }
}
