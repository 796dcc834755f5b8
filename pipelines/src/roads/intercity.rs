//! The roads between towns: one per pair of lattice neighbours, from a gate of one town's main
//! cross to the facing gate of the other, classed by the lattice line (trunk, primary,
//! secondary, tertiary), with gentle bends; and a couple of ferries across lattice cells.
//!
//! Where a road crosses a motorway line at a junction, it gets the two ramp terminals of a
//! diamond interchange (one each side of the motorway), returned for `motorway` to join.

use super::build::Builder;
use super::class::{tags, Route};
use super::plan::{Line, Plan, Pt};
use super::town::Town;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// How far from the motorway's axis the ramps meet the crossing road, metres.
pub const TERMINAL_OFFSET_M: f64 = 60.0;
/// How many ferries a country has (when it has a 2 x 2 lattice cell).
const FERRIES: usize = 2;
/// Ferry speed for the tagged crossing `duration`, km/h.
const FERRY_KMH: f64 = 20.0;

/// Where a road meets a motorway line: the ramp terminals on the road for the carriageway
/// towards increasing `u` (`forward`, at negative `v`) and the other one.
#[derive(Debug, Clone)]
pub struct LocalJunction {
    /// Index into [`Plan::lines`].
    pub line: usize,
    pub u: f64,
    pub forward: (i64, Pt),
    pub backward: (i64, Pt),
}

fn lerp(a: Pt, b: Pt, t: f64) -> Pt {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

/// Builds every intercity road; returns the motorway junctions on them.
pub fn roads(b: &mut Builder, plan: &Plan, towns: &[Town], rng: &mut ChaCha8Rng) -> Vec<LocalJunction> {
    let town = |c: usize, r: usize| &towns[r * plan.cols + c];
    let mut junctions = Vec::new();
    for j in 0..plan.rows {
        for i in 0..plan.cols - 1 {
            let crossing = plan.lines.iter().position(|l| l.vertical && l.gap == i && Plan::junction_on_row(l, j));
            let (from, to) = (town(i, j).east_gate(), town(i + 1, j).west_gate());
            road(b, plan, from, to, Route::row(j), crossing, rng, &mut junctions);
        }
    }
    for i in 0..plan.cols {
        for j in 0..plan.rows - 1 {
            let crossing = plan.lines.iter().position(|l| !l.vertical && l.gap == j && Plan::junction_on_col(l, i));
            let (from, to) = (town(i, j).north_gate(), town(i, j + 1).south_gate());
            road(b, plan, from, to, Route::col(i), crossing, rng, &mut junctions);
        }
    }
    junctions
}

#[allow(clippy::too_many_arguments)]
fn road(
    b: &mut Builder,
    plan: &Plan,
    from: (i64, Pt),
    to: (i64, Pt),
    route: Route,
    crossing: Option<usize>,
    rng: &mut ChaCha8Rng,
    junctions: &mut Vec<LocalJunction>,
) {
    let (pa, pb) = (from.1, to.1);
    let len = (pb.0 - pa.0).hypot(pb.1 - pa.1);
    let normal = ((pa.1 - pb.1) / len, (pb.0 - pa.0) / len);
    let n = plan.road_shape_count(len);
    // A road with a junction runs straight, so the terminals lie on it.
    let bend = if crossing.is_some() { 0.0 } else { rng.gen_range(-0.03..0.03) * len };
    // (position along the road, node): shape nodes first, terminals after.
    let mut points: Vec<(f64, Pt, Option<bool>)> = (1..=n)
        .map(|k| {
            let t = (k as f64 + rng.gen_range(-0.25..0.25)) / (n + 1) as f64;
            let off = bend * (std::f64::consts::PI * t).sin() + rng.gen_range(-4.0..4.0);
            let p = lerp(pa, pb, t);
            (t, (p.0 + normal.0 * off, p.1 + normal.1 * off), None)
        })
        .collect();
    let mut line: Option<(usize, &Line)> = None;
    if let Some(l) = crossing {
        let ln = &plan.lines[l];
        let (va, vb) = (ln.v_of(pa), ln.v_of(pb));
        let terminals: Vec<(f64, bool)> = [(-TERMINAL_OFFSET_M, true), (TERMINAL_OFFSET_M, false)]
            .iter()
            .map(|&(v, forward)| ((v - va) / (vb - va), forward))
            .collect();
        let clearance = 120.0 / len;
        points.retain(|p| terminals.iter().all(|&(t, _)| (p.0 - t).abs() > clearance));
        points.extend(terminals.iter().map(|&(t, forward)| (t, lerp(pa, pb, t), Some(forward))));
        points.sort_by(|x, y| x.0.total_cmp(&y.0));
        line = Some((l, ln));
    }
    let mut nodes = Vec::with_capacity(points.len() + 2);
    nodes.push(from.0);
    let (mut forward, mut backward) = ((0, (0.0, 0.0)), (0, (0.0, 0.0)));
    for &(_, p, terminal) in &points {
        let id = b.node(p);
        nodes.push(id);
        match terminal {
            Some(true) => forward = (id, p),
            Some(false) => backward = (id, p),
            None => {}
        }
    }
    nodes.push(to.0);
    let maxspeed = rng.gen_bool(0.6).then(|| route.class.maxspeed());
    b.way(nodes, route.tags(maxspeed));
    if let Some((l, ln)) = line {
        let u = (ln.u_of(forward.1) + ln.u_of(backward.1)) / 2.0;
        junctions.push(LocalJunction { line: l, u, forward, backward });
    }
}

/// A couple of car ferries across lattice cells, from the north-east corner of one town to
/// the south-west corner of its diagonal neighbour, with a `duration`.
pub fn ferries(b: &mut Builder, plan: &Plan, towns: &[Town], rng: &mut ChaCha8Rng) {
    let town = |c: usize, r: usize| &towns[r * plan.cols + c];
    let mut cells: Vec<(usize, usize)> = Vec::new();
    for _ in 0..FERRIES * 8 {
        if cells.len() == FERRIES {
            break;
        }
        let cell = (rng.gen_range(0..plan.cols - 1), rng.gen_range(0..plan.rows - 1));
        if !cells.contains(&cell) {
            cells.push(cell);
        }
    }
    for (k, &(i, j)) in cells.iter().enumerate() {
        let (from, to) = (town(i, j).north_east(), town(i + 1, j + 1).south_west());
        let (pa, pb) = (from.1, to.1);
        let len = (pb.0 - pa.0).hypot(pb.1 - pa.1);
        let normal = ((pa.1 - pb.1) / len, (pb.0 - pa.0) / len);
        let off = rng.gen_range(0.03..0.08) * len;
        let mut nodes = vec![from.0];
        for t in [0.3, 0.7] {
            let p = lerp(pa, pb, t);
            nodes.push(b.node((p.0 + normal.0 * off, p.1 + normal.1 * off)));
        }
        nodes.push(to.0);
        let minutes = (len / 1000.0 / FERRY_KMH * 60.0).ceil().max(1.0) as u64;
        let duration = format!("{:02}:{:02}", minutes / 60, minutes % 60);
        let name = format!("Ferry {}", k + 1);
        b.way(
            nodes,
            tags(&[
                ("route", "ferry"),
                ("name", &name),
                ("duration", &duration),
                ("motor_vehicle", "yes"),
                ("foot", "yes"),
                ("bicycle", "yes"),
            ]),
        );
    }
}
