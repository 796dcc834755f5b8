//! Motorways: dual carriageways (two one-way ways, traffic keeping right) along the plan's
//! lines, with `motorway_link` ramps.
//!
//! - At a **local junction** (a diamond, where an intercity road crosses) each carriageway
//!   diverges into an off-ramp before the road and takes an on-ramp after it; the ramps meet
//!   the road at its terminals, one each side of the motorway.
//! - At a **motorway crossing** (a horizontal and a vertical line) every carriageway of one line
//!   has a link to every carriageway of the other (eight links; they cross without meeting).
//!
//! A line spans from its first to its last local junction: the carriageway towards increasing
//! `u` starts at the first junction's on-ramp and ends at the last one's off-ramp (and the
//! other way round for the other carriageway), so no carriageway is a trap. A line with fewer
//! than two local junctions is not built.

use super::build::Builder;
use super::class::tags;
use super::intercity::LocalJunction;
use super::plan::{Line, Plan, Pt, MOTORWAY_SHAPE_M};
use locus_routing::Tags;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Distance from the motorway's axis to each carriageway, metres.
const CARRIAGEWAY_OFFSET_M: f64 = 12.0;

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Index into the local junctions.
    Local(usize),
    /// Index into the crossings.
    Cross(usize),
}

#[derive(Debug, Clone, Copy)]
struct Junction {
    u: f64,
    /// Distance along the line from the junction to its diverge and merge points.
    reach: f64,
    kind: Kind,
}

/// Where one carriageway leaves (diverge) and rejoins (merge) at one junction.
#[derive(Debug, Clone, Copy, Default)]
struct Keys {
    diverge: Option<(i64, Pt)>,
    merge: Option<(i64, Pt)>,
}

/// Builds the motorway lines of `plan`, joined to the roads at `locals`.
pub fn build(b: &mut Builder, plan: &Plan, locals: &[LocalJunction], rng: &mut ChaCha8Rng) {
    let lines = &plan.lines;
    let ranges: Vec<Option<(f64, f64)>> = (0..lines.len())
        .map(|l| {
            let us: Vec<f64> = locals.iter().filter(|j| j.line == l).map(|j| j.u).collect();
            (us.len() >= 2)
                .then(|| (us.iter().copied().fold(f64::MAX, f64::min), us.iter().copied().fold(f64::MIN, f64::max)))
        })
        .collect();
    let inside = |l: usize, u: f64| ranges[l].is_some_and(|(a, z)| a < u && u < z);
    // (horizontal line, vertical line) pairs that meet inside both spans.
    let mut crosses = Vec::new();
    for (h, hl) in lines.iter().enumerate().filter(|(_, l)| !l.vertical) {
        for (v, vl) in lines.iter().enumerate().filter(|(_, l)| l.vertical) {
            if inside(h, vl.at) && inside(v, hl.at) {
                crosses.push((h, v));
            }
        }
    }
    let (local_reach, cross_reach) = ((0.12 * plan.spacing).min(250.0), (0.15 * plan.spacing).min(350.0));
    // [crossing][0: horizontal line, 1: vertical][0: forward carriageway, 1: backward]
    let mut cross_keys = vec![[[Keys::default(); 2]; 2]; crosses.len()];
    for (l, line) in lines.iter().enumerate() {
        if ranges[l].is_none() {
            continue;
        }
        let mut js: Vec<Junction> = locals
            .iter()
            .enumerate()
            .filter(|(_, j)| j.line == l)
            .map(|(k, j)| Junction { u: j.u, reach: local_reach, kind: Kind::Local(k) })
            .collect();
        for (c, &(h, v)) in crosses.iter().enumerate() {
            if h == l {
                js.push(Junction { u: lines[v].at, reach: cross_reach, kind: Kind::Cross(c) });
            } else if v == l {
                js.push(Junction { u: lines[h].at, reach: cross_reach, kind: Kind::Cross(c) });
            }
        }
        js.sort_by(|a, z| a.u.total_cmp(&z.u));
        let forward = carriageway(b, line, &js, true, rng);
        let backward = carriageway(b, line, &js, false, rng);
        for (k, j) in js.iter().enumerate() {
            match j.kind {
                Kind::Local(i) => {
                    let at = &locals[i];
                    ramp(b, forward[k].diverge, Some(at.forward), Bend::Middle);
                    ramp(b, Some(at.forward), forward[k].merge, Bend::Middle);
                    ramp(b, backward[k].diverge, Some(at.backward), Bend::Middle);
                    ramp(b, Some(at.backward), backward[k].merge, Bend::Middle);
                }
                Kind::Cross(c) => cross_keys[c][usize::from(line.vertical)] = [forward[k], backward[k]],
            }
        }
    }
    for [horizontal, vertical] in &cross_keys {
        for h in horizontal {
            for v in vertical {
                ramp(b, h.diverge, v.merge, Bend::FromHorizontal);
                ramp(b, v.diverge, h.merge, Bend::FromVertical);
            }
        }
    }
}

/// One carriageway of `line` through junctions `js` (sorted by `u`); the keys it made at each.
fn carriageway(b: &mut Builder, line: &Line, js: &[Junction], forward: bool, rng: &mut ChaCha8Rng) -> Vec<Keys> {
    let last = js.len() - 1;
    // (u, junction, is a merge point), in travel order.
    let mut points = Vec::with_capacity(2 * js.len());
    if forward {
        for (k, j) in js.iter().enumerate() {
            if k > 0 {
                points.push((j.u - j.reach, k, false));
            }
            if k < last {
                points.push((j.u + j.reach, k, true));
            }
        }
    } else {
        for (k, j) in js.iter().enumerate().rev() {
            if k < last {
                points.push((j.u + j.reach, k, false));
            }
            if k > 0 {
                points.push((j.u - j.reach, k, true));
            }
        }
    }
    let v = if forward { -CARRIAGEWAY_OFFSET_M } else { CARRIAGEWAY_OFFSET_M };
    let number = line.number.to_string();
    let base: Tags = tags(&[
        ("highway", "motorway"),
        ("oneway", "yes"),
        ("ref", &format!("A{number}")),
        ("name", &format!("Motorway {number}")),
        ("lanes", "2"),
    ]);
    let mut keys = vec![Keys::default(); js.len()];
    let mut prev: Option<(i64, f64)> = None;
    for (u, k, merge) in points {
        let mut nodes = Vec::new();
        if let Some((id, pu)) = prev {
            nodes.push(id);
            let shapes = ((u - pu).abs() / MOTORWAY_SHAPE_M).floor() as usize;
            for s in 1..=shapes {
                let su = pu + (u - pu) * s as f64 / (shapes + 1) as f64;
                nodes.push(b.node(line.xy(su, v)));
            }
        }
        let p = line.xy(u, v);
        let id = b.node(p);
        if !nodes.is_empty() {
            nodes.push(id);
            let mut t = base.clone();
            if rng.gen_bool(0.7) {
                t.insert("maxspeed", "130");
            }
            b.way(nodes, t);
        }
        if merge {
            keys[k].merge = Some((id, p));
        } else {
            keys[k].diverge = Some((id, p));
        }
        prev = Some((id, u));
    }
    keys
}

/// Where a ramp's one bend node lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bend {
    Middle,
    /// A link between crossing motorways, leaving a horizontal (or vertical) line: half-way
    /// between the middle and the corner where the two carriageways meet.
    FromHorizontal,
    FromVertical,
}

/// A one-way `motorway_link` from `from` to `to` (when both exist) through one bend node.
fn ramp(b: &mut Builder, from: Option<(i64, Pt)>, to: Option<(i64, Pt)>, bend: Bend) {
    let (Some((a, pa)), Some((z, pz))) = (from, to) else {
        return;
    };
    let mid = ((pa.0 + pz.0) / 2.0, (pa.1 + pz.1) / 2.0);
    let corner = match bend {
        Bend::Middle => mid,
        Bend::FromHorizontal => (pz.0, pa.1),
        Bend::FromVertical => (pa.0, pz.1),
    };
    let bend = ((mid.0 + corner.0) / 2.0, (mid.1 + corner.1) / 2.0);
    let m = b.node(bend);
    b.way(vec![a, m, z], tags(&[("highway", "motorway_link"), ("oneway", "yes")]));
}
