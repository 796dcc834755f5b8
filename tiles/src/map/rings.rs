//! Rings from pieces: the ways of a multipolygon relation joined end to end, and the tests
//! that put each hole in the ring around it.

use crate::WorldPoint;
use rustc_hash::FxHashMap;

/// Joins node-id chains that meet end to end (turning them round where needed) into closed
/// rings; returns the rings (open: the first node not repeated) and the number of chains
/// that could not be closed.
pub fn join_rings(chains: Vec<Vec<i64>>) -> (Vec<Vec<i64>>, usize) {
    let mut rings = Vec::new();
    let mut open: Vec<Option<Vec<i64>>> = Vec::new();
    for chain in chains {
        if chain.len() < 2 {
            continue;
        }
        if chain.len() > 3 && chain.first() == chain.last() {
            let mut ring = chain;
            ring.pop();
            rings.push(ring);
        } else {
            open.push(Some(chain));
        }
    }
    let mut by_end: FxHashMap<i64, Vec<usize>> = FxHashMap::default();
    for (i, c) in open.iter().enumerate() {
        if let Some(c) = c {
            by_end.entry(c[0]).or_default().push(i);
            by_end.entry(c[c.len() - 1]).or_default().push(i);
        }
    }
    let mut unclosed = 0;
    for start in 0..open.len() {
        let Some(mut ring) = open[start].take() else { continue };
        loop {
            let (first, last) = (ring[0], ring[ring.len() - 1]);
            if first == last && ring.len() > 3 {
                ring.pop();
                rings.push(ring);
                break;
            }
            let next = by_end.get(&last).and_then(|ids| ids.iter().copied().find(|&i| open[i].is_some()));
            let Some(next) = next.and_then(|i| open[i].take()) else {
                unclosed += 1;
                break;
            };
            if next[0] == last {
                ring.extend_from_slice(&next[1..]);
            } else {
                ring.extend(next.iter().rev().skip(1));
            }
        }
    }
    (rings, unclosed)
}

/// Whether `p` lies inside `ring` (even-odd rule).
pub fn ring_contains(ring: &[WorldPoint], p: WorldPoint) -> bool {
    let mut inside = false;
    let mut j = ring.len().wrapping_sub(1);
    for i in 0..ring.len() {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0] {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Polygons from outer rings and holes: each hole goes to the first outer ring that holds its
/// first point; holes inside no outer ring are dropped.
pub fn polygons(outers: Vec<Vec<WorldPoint>>, inners: Vec<Vec<WorldPoint>>) -> Vec<Vec<Vec<WorldPoint>>> {
    let mut out: Vec<Vec<Vec<WorldPoint>>> = outers.into_iter().map(|o| vec![o]).collect();
    for hole in inners {
        if let Some(p) = out.iter_mut().find(|p| ring_contains(&p[0], hole[0])) {
            p.push(hole);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_join_in_either_direction() {
        let (rings, unclosed) = join_rings(vec![vec![1, 2, 3], vec![5, 4, 3], vec![5, 6, 1], vec![7, 8]]);
        assert_eq!(rings, vec![vec![1, 2, 3, 4, 5, 6]]);
        assert_eq!(unclosed, 1);
        let (rings, _) = join_rings(vec![vec![1, 2, 3, 1]]);
        assert_eq!(rings, vec![vec![1, 2, 3]]);
    }

    #[test]
    fn holes_go_to_the_ring_around_them() {
        let square = |x: f64, s: f64| vec![[x, 0.0], [x + s, 0.0], [x + s, s], [x, s]];
        let got = polygons(vec![square(0.0, 1.0), square(2.0, 1.0)], vec![square(2.2, 0.5), square(5.0, 0.1)]);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].len(), 1);
        assert_eq!(got[1].len(), 2);
    }
}
