//! The sea, built from `natural=coastline` ways (OSM draws them with the land on the left and
//! the water on the right).
//!
//! Within the extract's bounds: coastline ways are joined head to tail into chains; a closed
//! chain is an island; an open chain is cut to the bounds and each end carried to the edge.
//! Walking an open chain, the water is on the right, so a sea ring runs from the end of one
//! chain clockwise round the edge of the bounds to the start of the next chain, along it, and
//! so on until it is back at the first. Islands become holes in the sea ring around them; with
//! no open chain at all, the whole bounds are sea around the islands.

use super::rings::{polygons, ring_contains};
use crate::clip::clip_line;
use crate::WorldPoint;
use rustc_hash::FxHashMap;

/// Joins coastline ways head to tail (never turning one round: direction says where the
/// water is). Returns closed rings (open form) and open chains.
fn chains(ways: Vec<Vec<WorldPoint>>) -> (Vec<Vec<WorldPoint>>, Vec<Vec<WorldPoint>>) {
    let key = |p: WorldPoint| (p[0].to_bits(), p[1].to_bits());
    let mut pieces: Vec<Option<Vec<WorldPoint>>> = ways.into_iter().filter(|w| w.len() >= 2).map(Some).collect();
    let mut by_start: FxHashMap<(u64, u64), usize> = FxHashMap::default();
    for (i, p) in pieces.iter().enumerate() {
        if let Some(p) = p {
            by_start.insert(key(p[0]), i);
        }
    }
    let (mut closed, mut open) = (Vec::new(), Vec::new());
    // Start from pieces nobody continues into, so open chains come out whole.
    let ends: std::collections::HashSet<(u64, u64)> = pieces.iter().flatten().map(|p| key(p[p.len() - 1])).collect();
    let order: Vec<usize> = (0..pieces.len())
        .filter(|&i| pieces[i].as_ref().is_some_and(|p| !ends.contains(&key(p[0]))))
        .chain(0..pieces.len())
        .collect();
    for i in order {
        let Some(mut chain) = pieces[i].take() else { continue };
        while let Some(next) = by_start.get(&key(chain[chain.len() - 1])).and_then(|&j| pieces[j].take()) {
            chain.extend_from_slice(&next[1..]);
        }
        if chain.len() > 3 && key(chain[0]) == key(chain[chain.len() - 1]) {
            chain.pop();
            closed.push(chain);
        } else {
            open.push(chain);
        }
    }
    (closed, open)
}

/// Where a point on the edge of `b` lies going clockwise (on screen, y down) from the
/// north-west corner: 0..1 the north edge, 1..2 the east, 2..3 the south, 3..4 the west.
fn edge_position(b: [f64; 4], p: WorldPoint) -> f64 {
    let (w, h) = (b[2] - b[0], b[3] - b[1]);
    let d = [(p[1] - b[1]).abs(), (p[0] - b[2]).abs(), (p[1] - b[3]).abs(), (p[0] - b[0]).abs()];
    let edge = (0..4).min_by(|&i, &j| d[i].total_cmp(&d[j])).unwrap_or(0);
    let along = match edge {
        0 => (p[0] - b[0]) / w,
        1 => (p[1] - b[1]) / h,
        2 => (b[2] - p[0]) / w,
        _ => (b[3] - p[1]) / h,
    };
    edge as f64 + along.clamp(0.0, 0.999_999)
}

fn corner(b: [f64; 4], i: usize) -> WorldPoint {
    [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]][i % 4]
}

/// The nearest point on the edge of `b` to `p` (inside `b`).
fn to_edge(b: [f64; 4], p: WorldPoint) -> WorldPoint {
    let d = [p[1] - b[1], b[2] - p[0], b[3] - p[1], p[0] - b[0]];
    match (0..4).min_by(|&i, &j| d[i].total_cmp(&d[j])).unwrap_or(0) {
        0 => [p[0], b[1]],
        1 => [b[2], p[1]],
        2 => [p[0], b[3]],
        _ => [b[0], p[1]],
    }
}

/// The sea within `bounds` (min x, min y, max x, max y in world space) as polygons with
/// island holes; empty when there is no coastline.
pub fn sea(coastline: Vec<Vec<WorldPoint>>, bounds: [f64; 4]) -> Vec<Vec<Vec<WorldPoint>>> {
    if coastline.is_empty() {
        return Vec::new();
    }
    let (islands, open) = chains(coastline);
    // Work in a local frame (bounds to 0..1) for the clipping, then map back.
    let (w, h) = (bounds[2] - bounds[0], bounds[3] - bounds[1]);
    let local = |p: &WorldPoint| [(p[0] - bounds[0]) / w, (p[1] - bounds[1]) / h];
    let world = |p: [f64; 2]| [bounds[0] + p[0] * w, bounds[1] + p[1] * h];
    let unit = [0.0, 0.0, 1.0, 1.0];
    let mut pieces: Vec<Vec<WorldPoint>> = Vec::new();
    for chain in &open {
        let local_chain: Vec<[f64; 2]> = chain.iter().map(local).collect();
        for mut piece in clip_line(&local_chain, 0.0, 1.0) {
            if piece.len() < 2 {
                continue;
            }
            let (first, last) = (piece[0], piece[piece.len() - 1]);
            piece.insert(0, to_edge(unit, first));
            piece.push(to_edge(unit, last));
            pieces.push(piece);
        }
    }
    let mut rings: Vec<Vec<WorldPoint>> = Vec::new();
    let starts: Vec<f64> = pieces.iter().map(|p| edge_position(unit, p[0])).collect();
    let mut used = vec![false; pieces.len()];
    for first in 0..pieces.len() {
        if used[first] {
            continue;
        }
        let mut ring: Vec<[f64; 2]> = Vec::new();
        let mut current = first;
        let mut closed = false;
        for _ in 0..=pieces.len() {
            used[current] = true;
            ring.extend_from_slice(&pieces[current]);
            let end = edge_position(unit, pieces[current][pieces[current].len() - 1]);
            // The next chain start clockwise from here (this chain's own start included).
            let ahead = |t: f64| (t - end).rem_euclid(4.0);
            let Some(next) = (0..pieces.len())
                .filter(|&i| !used[i] || i == first)
                .min_by(|&i, &j| ahead(starts[i]).total_cmp(&ahead(starts[j])))
            else {
                break;
            };
            // The corners passed on the way there.
            let mut t = end;
            let distance = ahead(starts[next]);
            while (t.floor() + 1.0) - end <= distance {
                let c = (t.floor() as usize + 1) % 4;
                ring.push(corner(unit, c));
                t = t.floor() + 1.0;
            }
            if next == first {
                closed = true;
                break;
            }
            current = next;
        }
        if closed && ring.len() >= 3 {
            rings.push(ring.into_iter().map(world).collect());
        }
    }
    if open.is_empty() {
        rings.push((0..4).map(|i| corner(bounds, i)).collect());
    }
    let islands: Vec<Vec<WorldPoint>> =
        islands.into_iter().filter(|i| rings.iter().any(|r| ring_contains(r, i[0]))).collect();
    polygons(rings, islands)
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: [f64; 4] = [0.0, 0.0, 1.0, 1.0];

    fn area(polys: &[Vec<Vec<WorldPoint>>]) -> f64 {
        let ring_area = |r: &Vec<WorldPoint>| {
            (0..r.len())
                .map(|i| {
                    let (a, b) = (r[i], r[(i + 1) % r.len()]);
                    a[0] * b[1] - b[0] * a[1]
                })
                .sum::<f64>()
                .abs()
                / 2.0
        };
        polys.iter().map(|p| ring_area(&p[0]) - p[1..].iter().map(ring_area).sum::<f64>()).sum()
    }

    #[test]
    fn the_sea_lies_right_of_the_coastline() {
        // Coast running east across the middle (on screen): water to the right = south.
        let coast = vec![vec![[-0.1, 0.5], [0.5, 0.5]], vec![[0.5, 0.5], [1.1, 0.5]]];
        let sea = sea(coast, B);
        assert_eq!(sea.len(), 1);
        assert!((area(&sea) - 0.5).abs() < 1e-9, "{sea:?}");
        assert!(ring_contains(&sea[0][0], [0.5, 0.9]));
        // The same coast running west: the sea is the north half.
        let sea = super::sea(vec![vec![[1.1, 0.5], [-0.1, 0.5]]], B);
        assert!(ring_contains(&sea[0][0], [0.5, 0.1]) && !ring_contains(&sea[0][0], [0.5, 0.9]));
    }

    #[test]
    fn a_coast_ending_inside_reaches_the_edge_and_islands_are_holes() {
        // A bay: the coast enters on the west, ends short of the east edge.
        let coast =
            vec![vec![[-0.2, 0.3], [0.9, 0.3]], vec![[0.4, 0.6], [0.4, 0.7], [0.5, 0.7], [0.5, 0.6], [0.4, 0.6]]];
        let sea = sea(coast, B);
        assert_eq!(sea.len(), 1);
        assert_eq!(sea[0].len(), 2, "the island is a hole");
        assert!((area(&sea) - (0.7 - 0.01)).abs() < 1e-9, "{}", area(&sea));
    }

    #[test]
    fn only_islands_means_sea_all_round() {
        let coast = vec![vec![[0.4, 0.4], [0.4, 0.6], [0.6, 0.6], [0.6, 0.4], [0.4, 0.4]]];
        let sea = sea(coast, B);
        assert!((area(&sea) - 0.96).abs() < 1e-9);
        assert!(super::sea(Vec::new(), B).is_empty());
    }
}
