//! Tile-space geometry: clipping to a tile's square (plus its buffer) and simplification.
//!
//! Everything here works in tile space, x east and y south (down), in whatever unit the caller
//! uses (pixels of a raster tile or the integer grid of a vector tile). Rings are open: the
//! first point is not repeated at the end; a ring given closed is read as open.
//!
//! Polygons are clipped ring by ring with Sutherland–Hodgman. A concave ring that leaves and
//! re-enters the square comes back as one ring joined by edges running along the square's
//! border (of zero width): a fill paints the same pixels, and an outline along a tile edge is
//! under the neighbouring tile's outline anyway. Points made at an edge lie exactly on it, so
//! every clipped point is within `[min, max]²`.
//!
//! Coordinates are expected finite; NaN or infinite input gives unspecified (but never
//! panicking) output.

/// A point in tile space: x east, y south (down), in any unit (pixels or MVT extent units).
pub type Pt = [f64; 2];

/// The part of each ring inside the square `[min, max]²` (Sutherland–Hodgman per ring); rings
/// that become degenerate (fewer than 3 distinct points or zero area) are dropped.
///
/// Rings come back open (first point not repeated), in the input's order and orientation,
/// with no point repeated consecutively; input rings may be open or closed.
pub fn clip_polygon(rings: &[Vec<Pt>], min: f64, max: f64) -> Vec<Vec<Pt>> {
    rings.iter().filter_map(|ring| clip_ring(ring, min, max)).collect()
}

/// The pieces of a polyline inside `[min, max]²` (segments crossing the edge are cut at the
/// edge). The square is closed: a segment running along an edge is kept. Pieces have at least
/// 2 distinct points and no point repeated consecutively.
pub fn clip_line(line: &[Pt], min: f64, max: f64) -> Vec<Vec<Pt>> {
    let mut pieces = Vec::new();
    let mut piece: Vec<Pt> = Vec::new();
    for segment in line.windows(2) {
        let (a, b) = (segment[0], segment[1]);
        match clip_segment(a, b, min, max) {
            None => finish_piece(&mut piece, &mut pieces),
            Some((enter, leave, leaves_early)) => {
                if piece.last() != Some(&enter) {
                    finish_piece(&mut piece, &mut pieces);
                    piece.push(enter);
                }
                if piece.last() != Some(&leave) {
                    piece.push(leave);
                }
                if leaves_early {
                    finish_piece(&mut piece, &mut pieces);
                }
            }
        }
    }
    finish_piece(&mut piece, &mut pieces);
    pieces
}

/// Douglas–Peucker with the given tolerance: a point is kept when it lies farther than
/// `tolerance` from the segment that would replace it. Keeps the first and last point; a
/// polyline of 2 points (or fewer) is unchanged. With a tolerance of 0, exactly collinear
/// points and repeated points are removed.
pub fn simplify_line(line: &[Pt], tolerance: f64) -> Vec<Pt> {
    if line.len() <= 2 {
        return line.to_vec();
    }
    let keep = douglas_peucker(line, tolerance);
    line.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

/// Simplification of a ring (open, first point not repeated) that never returns fewer than 3
/// points unless the input has fewer (the caller drops rings that collapse below its area
/// threshold). The first point is always kept, kept points stay in ring order, and the result
/// is open.
pub fn simplify_ring(ring: &[Pt], tolerance: f64) -> Vec<Pt> {
    let ring = open(ring);
    if ring.len() <= 3 {
        return ring.to_vec();
    }
    // Douglas–Peucker over the ring closed back onto its first point: the first pass keeps the
    // point farthest from the first one, splitting the ring in two halves.
    let mut closed = ring.to_vec();
    closed.push(ring[0]);
    let mut keep = douglas_peucker(&closed, tolerance);
    keep.pop();
    if keep.iter().filter(|k| **k).count() < 3 {
        // Collapsed to two points or fewer: keep the points that span the most area, the first,
        // the farthest from it, and the farthest from the line through those two.
        let far = farthest_from(ring, |p| distance_sq(p, ring[0])).max(1);
        let off_line = |i: usize| segment_distance_sq(ring[i], ring[0], ring[far]);
        let third = (1..ring.len()).filter(|&i| i != far).max_by(|&i, &j| off_line(i).total_cmp(&off_line(j)));
        keep[far] = true;
        if let Some(third) = third {
            keep[third] = true;
        }
    }
    ring.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

/// Signed area (shoelace) of an open ring in tile space (y down): positive = clockwise on
/// screen. A closed ring (first point repeated) gives the same answer.
pub fn signed_area(ring: &[Pt]) -> f64 {
    let Some(&origin) = ring.first() else { return 0.0 };
    // Relative to the first point, which keeps the products small and the sum accurate far
    // from the origin.
    let mut twice = 0.0;
    for (i, a) in ring.iter().enumerate() {
        let b = ring[(i + 1) % ring.len()];
        let (ax, ay) = (a[0] - origin[0], a[1] - origin[1]);
        let (bx, by) = (b[0] - origin[0], b[1] - origin[1]);
        twice += ax * by - bx * ay;
    }
    twice / 2.0
}

/// One ring clipped by Sutherland–Hodgman against the four edges; `None` when degenerate.
fn clip_ring(ring: &[Pt], min: f64, max: f64) -> Option<Vec<Pt>> {
    let ring = open(ring);
    // Each edge: which coordinate it bounds, and whether it keeps the side above (min) or below (max).
    let edges = [(0, min, true), (0, max, false), (1, min, true), (1, max, false)];
    let mut current = ring.to_vec();
    let mut next = Vec::with_capacity(ring.len() + 4);
    for (axis, bound, keep_above) in edges {
        if current.is_empty() {
            return None;
        }
        let inside = |p: &Pt| if keep_above { p[axis] >= bound } else { p[axis] <= bound };
        next.clear();
        let mut previous = current[current.len() - 1];
        for &point in &current {
            match (inside(&previous), inside(&point)) {
                (true, true) => next.push(point),
                (true, false) => next.push(cut(previous, point, axis, bound)),
                (false, true) => {
                    next.push(cut(previous, point, axis, bound));
                    next.push(point);
                }
                (false, false) => {}
            }
            previous = point;
        }
        std::mem::swap(&mut current, &mut next);
    }
    // Interpolation may stray past the other axis's bounds by rounding; pull it back.
    for p in &mut current {
        p[0] = p[0].clamp(min, max);
        p[1] = p[1].clamp(min, max);
    }
    dedup_ring(&mut current);
    let distinct = {
        let mut points = current.clone();
        points.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        points.dedup();
        points.len()
    };
    (distinct >= 3 && signed_area(&current) != 0.0).then_some(current)
}

/// Where the segment a→b crosses the line `p[axis] = bound` (exactly on it).
fn cut(a: Pt, b: Pt, axis: usize, bound: f64) -> Pt {
    let other = 1 - axis;
    let t = (bound - a[axis]) / (b[axis] - a[axis]);
    let mut p = [0.0; 2];
    p[axis] = bound;
    p[other] = a[other] + t * (b[other] - a[other]);
    p
}

/// Liang–Barsky: the part of a→b inside the square as (enter, leave, whether it leaves before
/// b). A point made at an edge is computed from that edge, so it lies exactly on it.
fn clip_segment(a: Pt, b: Pt, min: f64, max: f64) -> Option<(Pt, Pt, bool)> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    // (t, the edge that sets it): no edge means the segment's own end.
    let mut enter: (f64, Option<(usize, f64)>) = (0.0, None);
    let mut leave: (f64, Option<(usize, f64)>) = (1.0, None);
    for (axis, bound, p, q) in
        [(0, min, -dx, a[0] - min), (0, max, dx, max - a[0]), (1, min, -dy, a[1] - min), (1, max, dy, max - a[1])]
    {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
            continue;
        }
        let t = q / p;
        if p < 0.0 && t > enter.0 {
            enter = (t, Some((axis, bound)));
        } else if p > 0.0 && t < leave.0 {
            leave = (t, Some((axis, bound)));
        }
    }
    // Also false for NaN coordinates.
    if enter.0.partial_cmp(&leave.0).is_none_or(|o| o == std::cmp::Ordering::Greater) {
        return None;
    }
    let at = |edge: Option<(usize, f64)>, end: Pt| match edge {
        None => end,
        Some((axis, bound)) => {
            let mut p = cut(a, b, axis, bound);
            p[1 - axis] = p[1 - axis].clamp(min, max);
            p
        }
    };
    Some((at(enter.1, a), at(leave.1, b), leave.1.is_some()))
}

fn finish_piece(piece: &mut Vec<Pt>, pieces: &mut Vec<Vec<Pt>>) {
    if piece.len() >= 2 {
        pieces.push(std::mem::take(piece));
    } else {
        piece.clear();
    }
}

/// The Douglas–Peucker keep flags of a polyline of 3 points or more (iterative, no recursion).
fn douglas_peucker(line: &[Pt], tolerance: f64) -> Vec<bool> {
    let mut keep = vec![false; line.len()];
    keep[0] = true;
    keep[line.len() - 1] = true;
    let tolerance_sq = tolerance.max(0.0).powi(2);
    let mut stack = vec![(0, line.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        if last <= first + 1 {
            continue;
        }
        let (mut farthest, mut farthest_sq) = (first, -1.0);
        for (i, p) in line.iter().enumerate().take(last).skip(first + 1) {
            let d = segment_distance_sq(*p, line[first], line[last]);
            if d > farthest_sq {
                (farthest, farthest_sq) = (i, d);
            }
        }
        if farthest_sq > tolerance_sq {
            keep[farthest] = true;
            stack.push((first, farthest));
            stack.push((farthest, last));
        }
    }
    keep
}

/// The squared distance from p to the segment a–b (to a when the segment is a point).
fn segment_distance_sq(p: Pt, a: Pt, b: Pt) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length_sq = dx * dx + dy * dy;
    if length_sq == 0.0 {
        return distance_sq(p, a);
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length_sq).clamp(0.0, 1.0);
    distance_sq(p, [a[0] + t * dx, a[1] + t * dy])
}

fn distance_sq(a: Pt, b: Pt) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// The index of the point with the largest measure (the first on a tie).
fn farthest_from(ring: &[Pt], measure: impl Fn(Pt) -> f64) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, p) in ring.iter().enumerate() {
        let m = measure(*p);
        if m > best.1 {
            best = (i, m);
        }
    }
    best.0
}

/// The ring without a repeated closing point.
fn open(ring: &[Pt]) -> &[Pt] {
    match ring {
        [first, .., last] if ring.len() > 1 && first == last => &ring[..ring.len() - 1],
        _ => ring,
    }
}

/// Removes consecutive repeated points, the wrap-around from last to first included.
fn dedup_ring(ring: &mut Vec<Pt>) {
    ring.dedup();
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The same ring whatever point it starts at (orientation kept).
    fn canonical(ring: &[Pt]) -> Vec<Pt> {
        let start = (0..ring.len())
            .min_by(|&i, &j| ring[i].partial_cmp(&ring[j]).unwrap_or(std::cmp::Ordering::Equal))
            .unwrap_or(0);
        ring[start..].iter().chain(&ring[..start]).copied().collect()
    }

    fn check_polygon(rings: &[Vec<Pt>], min: f64, max: f64, expected: &[Vec<Pt>]) {
        let got: Vec<Vec<Pt>> = clip_polygon(rings, min, max).iter().map(|r| canonical(r)).collect();
        let expected: Vec<Vec<Pt>> = expected.iter().map(|r| canonical(r)).collect();
        assert_eq!(got, expected, "clip_polygon({rings:?}, {min}, {max})");
    }

    /// Pieces equal to the expected ones within rounding, edge coordinates exactly on the edge.
    fn check_line(line: &[Pt], min: f64, max: f64, expected: &[Vec<Pt>]) {
        let got = clip_line(line, min, max);
        let close = |a: &Pt, b: &Pt| (a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9;
        let same = got.len() == expected.len()
            && got.iter().zip(expected).all(|(g, e)| g.len() == e.len() && g.iter().zip(e).all(|(a, b)| close(a, b)));
        assert!(same, "clip_line({line:?}, {min}, {max}) = {got:?}, expected {expected:?}");
        for (g, e) in got.iter().flatten().zip(expected.iter().flatten()) {
            for axis in 0..2 {
                if e[axis] == min || e[axis] == max {
                    assert_eq!(g[axis], e[axis], "{g:?} lies on the edge");
                }
            }
        }
    }

    #[test]
    fn a_square_overlapping_the_tile_keeps_the_overlap() {
        // Clockwise on screen (y down), sticking out past the right and bottom edges.
        let square = vec![[200.0, 200.0], [300.0, 200.0], [300.0, 300.0], [200.0, 300.0]];
        check_polygon(
            std::slice::from_ref(&square),
            0.0,
            256.0,
            &[vec![[200.0, 200.0], [256.0, 200.0], [256.0, 256.0], [200.0, 256.0]]],
        );
        // Orientation is kept: a counter-clockwise hole stays counter-clockwise.
        let hole: Vec<Pt> = square.iter().rev().copied().collect();
        let clipped = clip_polygon(&[hole], 0.0, 256.0);
        assert_eq!(clipped.len(), 1);
        assert_eq!(signed_area(&clipped[0]), -56.0 * 56.0);
        // A closed input ring comes back open.
        let mut closed = square.clone();
        closed.push(square[0]);
        assert_eq!(clip_polygon(&[closed], 0.0, 256.0)[0].len(), 4);
    }

    #[test]
    fn a_polygon_containing_the_tile_becomes_the_tile_square() {
        let big = vec![[-1000.0, -500.0], [5000.0, -700.0], [4000.0, 6000.0], [-900.0, 5000.0]];
        check_polygon(
            &[big],
            -64.0,
            4160.0,
            &[vec![[-64.0, -64.0], [4160.0, -64.0], [4160.0, 4160.0], [-64.0, 4160.0]]],
        );
    }

    #[test]
    fn rings_outside_or_degenerate_are_dropped() {
        let outside = vec![[300.0, 0.0], [400.0, 0.0], [400.0, 100.0]];
        // Straddles x < 0 only along its left side: clipped to a zero-width sliver on x = 0.
        let sliver = vec![[-50.0, 10.0], [0.0, 20.0], [-50.0, 30.0]];
        let two_points = vec![[10.0, 10.0], [20.0, 20.0]];
        let collinear = vec![[10.0, 10.0], [20.0, 20.0], [30.0, 30.0]];
        let inside = vec![[10.0, 10.0], [20.0, 10.0], [20.0, 20.0]];
        let clipped = clip_polygon(&[outside, sliver, two_points, collinear, inside.clone()], 0.0, 256.0);
        assert_eq!(clipped, vec![inside]);
        assert!(clip_polygon(&[], 0.0, 256.0).is_empty());
    }

    #[test]
    fn a_line_crossing_the_tile_twice_gives_two_pieces() {
        // In from the left, out at the top, back in from the top, out at the right.
        let line = vec![[-10.0, 50.0], [50.0, -10.0], [150.0, -10.0], [210.0, 50.0]];
        check_line(&line, 0.0, 200.0, &[vec![[0.0, 40.0], [40.0, 0.0]], vec![[160.0, 0.0], [200.0, 40.0]]]);
        // Wholly inside: unchanged.
        let inside = vec![[1.0, 1.0], [5.0, 9.0], [7.0, 2.0]];
        assert_eq!(clip_line(&inside, 0.0, 10.0), vec![inside]);
        // Leaving and coming back in the middle of the line.
        let zigzag = vec![[5.0, 5.0], [15.0, 5.0], [15.0, 6.0], [5.0, 6.0]];
        assert_eq!(clip_line(&zigzag, 0.0, 10.0), vec![vec![[5.0, 5.0], [10.0, 5.0]], vec![[10.0, 6.0], [5.0, 6.0]]]);
    }

    #[test]
    fn lines_entirely_outside_give_nothing() {
        for line in [
            vec![[-10.0, -10.0], [-5.0, 300.0]],
            vec![[300.0, 10.0], [400.0, 20.0], [500.0, -10.0]],
            // Passes by the corner without touching the square.
            vec![[-10.0, 5.0], [5.0, -10.0]],
            vec![[50.0, 50.0]],
            vec![],
        ] {
            assert!(clip_line(&line, 0.0, 256.0).is_empty(), "{line:?}");
        }
        // Touching the corner only: a single point, no piece.
        assert!(clip_line(&[[-10.0, 10.0], [10.0, -10.0]], 0.0, 256.0).is_empty());
    }

    #[test]
    fn simplify_keeps_endpoints_and_removes_collinear_points() {
        let line = vec![[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.05], [4.0, 0.0], [4.0, 4.0]];
        assert_eq!(simplify_line(&line, 0.0), vec![[0.0, 0.0], [2.0, 0.0], [3.0, 0.05], [4.0, 0.0], [4.0, 4.0]]);
        assert_eq!(simplify_line(&line, 0.1), vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0]]);
        assert_eq!(simplify_line(&line, 100.0), vec![[0.0, 0.0], [4.0, 4.0]]);
        let two = vec![[0.0, 0.0], [0.0, 0.0]];
        assert_eq!(simplify_line(&two, 1.0), two);
        // Repeated points go with a zero tolerance.
        assert_eq!(simplify_line(&[[0.0, 0.0], [0.0, 0.0], [3.0, 3.0]], 0.0), vec![[0.0, 0.0], [3.0, 3.0]]);
    }

    #[test]
    fn simplified_rings_keep_three_points_and_their_orientation() {
        // A square with a point in the middle of each side.
        let ring =
            vec![[0.0, 0.0], [5.0, 0.0], [10.0, 0.0], [10.0, 5.0], [10.0, 10.0], [5.0, 10.0], [0.0, 10.0], [0.0, 5.0]];
        let simple = simplify_ring(&ring, 0.5);
        assert_eq!(simple, vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]);
        assert_eq!(signed_area(&simple), 100.0);
        // A huge tolerance still leaves a triangle, clockwise like the input.
        let triangle = simplify_ring(&ring, 1000.0);
        assert_eq!(triangle.len(), 3);
        assert!(signed_area(&triangle) > 0.0, "{triangle:?}");
        let reversed: Vec<Pt> = ring.iter().rev().copied().collect();
        assert!(signed_area(&simplify_ring(&reversed, 1000.0)) < 0.0);
        // Fewer than three points: unchanged; a closed ring is read as open.
        assert_eq!(simplify_ring(&[[0.0, 0.0], [1.0, 1.0]], 5.0).len(), 2);
        let mut closed = ring.clone();
        closed.push(ring[0]);
        assert_eq!(simplify_ring(&closed, 0.5), simple);
    }

    #[test]
    fn signed_area_is_positive_clockwise_on_screen() {
        let clockwise = [[0.0, 0.0], [4.0, 0.0], [4.0, 3.0], [0.0, 3.0]];
        assert_eq!(signed_area(&clockwise), 12.0);
        let mut counter = clockwise;
        counter.reverse();
        assert_eq!(signed_area(&counter), -12.0);
        assert_eq!(signed_area(&[[1e9, 1e9], [1e9 + 4.0, 1e9], [1e9 + 4.0, 1e9 + 3.0], [1e9, 1e9 + 3.0]]), 12.0);
        assert_eq!(signed_area(&[]), 0.0);
    }

    /// A simple (star-shaped) ring: points at increasing angles around a centre, no step wider
    /// than a half turn (a wider one could make two edges cross).
    fn star_ring() -> impl Strategy<Value = Vec<Pt>> {
        (
            -300.0..600.0_f64,
            -300.0..600.0_f64,
            proptest::collection::vec((1.0..400.0_f64, 0.6..1.0_f64), 3..24),
            any::<bool>(),
        )
            .prop_map(|(cx, cy, spokes, reverse)| {
                let total: f64 = spokes.iter().map(|(_, step)| step).sum();
                let mut angle = 0.0;
                let mut ring: Vec<Pt> = spokes
                    .iter()
                    .map(|(radius, step)| {
                        angle += step / total * std::f64::consts::TAU;
                        [cx + radius * angle.cos(), cy + radius * angle.sin()]
                    })
                    .collect();
                if reverse {
                    ring.reverse();
                }
                ring
            })
    }

    fn any_line() -> impl Strategy<Value = Vec<Pt>> {
        lines(0)
    }

    fn lines(at_least: usize) -> impl Strategy<Value = Vec<Pt>> {
        proptest::collection::vec((-500.0..800.0_f64, -500.0..800.0_f64).prop_map(|(x, y)| [x, y]), at_least..30)
    }

    proptest! {
        #[test]
        fn clipped_polygons_stay_inside_and_never_grow(ring in star_ring()) {
            let (min, max) = (0.0, 256.0);
            let area = signed_area(&ring);
            for clipped in clip_polygon(std::slice::from_ref(&ring), min, max) {
                for p in &clipped {
                    prop_assert!(p[0] >= min && p[0] <= max && p[1] >= min && p[1] <= max, "{p:?}");
                }
                let clipped_area = signed_area(&clipped);
                prop_assert!(clipped_area.abs() <= area.abs() * (1.0 + 1e-9) + 1e-9, "{clipped_area} > {area}");
                prop_assert!(clipped_area.abs() <= (max - min) * (max - min) * (1.0 + 1e-9));
                prop_assert!(clipped_area * area >= 0.0, "orientation kept");
            }
        }

        /// The slow twin: the area of `geo`'s boolean intersection with the square.
        #[test]
        fn clipped_area_is_the_intersection_area(ring in star_ring()) {
            use geo::{Area, BooleanOps};
            let (min, max) = (0.0, 256.0);
            let clipped: f64 = clip_polygon(std::slice::from_ref(&ring), min, max).iter().map(|r| signed_area(r).abs()).sum();
            let polygon = geo::Polygon::new(ring.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>().into(), vec![]);
            let square = geo::Rect::new((min, min), (max, max)).to_polygon();
            let expected = polygon.intersection(&square).unsigned_area();
            // geo snaps to a fixed-point grid, so the error scales with the square, not the overlap.
            prop_assert!((clipped - expected).abs() <= 1e-6 * (max - min) * (max - min), "{clipped} != {expected}");
        }

        #[test]
        fn clipped_lines_stay_inside(line in any_line()) {
            let (min, max) = (-16.0, 272.0);
            for piece in clip_line(&line, min, max) {
                prop_assert!(piece.len() >= 2);
                prop_assert!(piece.windows(2).all(|w| w[0] != w[1]));
                for p in &piece {
                    prop_assert!(p[0] >= min && p[0] <= max && p[1] >= min && p[1] <= max, "{p:?}");
                }
            }
        }

        /// The slow twin: `geo`'s Ramer–Douglas–Peucker.
        #[test]
        fn simplify_line_agrees_with_geo(line in lines(2), tolerance in 0.5..200.0_f64) {
            use geo::Simplify;
            let ours = simplify_line(&line, tolerance);
            let theirs: Vec<Pt> = geo::LineString::from(line.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>())
                .simplify(&tolerance)
                .coords()
                .map(|c| [c.x, c.y])
                .collect();
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn simplified_rings_keep_their_first_point_and_three_points(ring in star_ring(), tolerance in 0.0..500.0_f64) {
            let simple = simplify_ring(&ring, tolerance);
            prop_assert!(simple.len() >= 3 && simple.len() <= ring.len());
            prop_assert_eq!(simple[0], ring[0]);
            prop_assert!(simple.iter().all(|p| ring.contains(p)));
        }
    }
}
