//! The labelled search behind [`route`] and [`one_to_many`].

use super::view::TileView;
use crate::cost::{self, NodeKind, Transition, TurnModel};
use crate::snap::{EdgePoint, Snap};
use crate::tiles::landmarks;
use crate::tiles::{EdgeRef, NodeRef, Tile, TileStore, NODE_BARRIER, NODE_DEAD_END, NODE_JUNCTION, NODE_VIA};
use crate::RouteError;
use locus_core::geo::{haversine_m, LatLng, EARTH_RADIUS_M};
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Bounds on one search.
#[derive(Debug, Clone, Copy)]
pub struct SearchLimits {
    /// Settled states before the search gives up with [`RouteError::TooBig`].
    pub max_states: usize,
}

impl Default for SearchLimits {
    fn default() -> Self {
        SearchLimits { max_states: 4_000_000 }
    }
}

/// A stretch of one edge on a found path: the whole edge, or part of it at either end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    pub edge: EdgeRef,
    /// Where on the edge the piece starts and ends; `None`: the edge's start / end.
    pub from: Option<EdgePoint>,
    pub to: Option<EdgePoint>,
    /// The turn cost paid entering this piece, in ms (part of the path's cost).
    pub turn_ms: u32,
}

/// A cheapest path.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub cost_ms: u64,
    pub length_m: f64,
    pub pieces: Vec<Piece>,
}

const EDGE_STATE: u64 = 1 << 63;
const PHANTOM: u64 = 1 << 62;
const START: u64 = PHANTOM | (1 << 40);
const NO_EDGE: u64 = u64::MAX;

fn target_key(i: usize) -> u64 {
    PHANTOM | i as u64
}

#[derive(Debug, Clone, Copy)]
struct Label {
    g: u64,
    length_m: f64,
    pred: u64,
    /// The edge that led here (`NO_EDGE` for the start node).
    edge: u64,
    from: Option<EdgePoint>,
    to: Option<EdgePoint>,
    /// The turn cost paid entering `edge`.
    turn_ms: u32,
}

/// The best path from `from` to `to`, by A*.
pub fn route(store: &TileStore, from: &Snap, to: &Snap, limits: SearchLimits) -> Result<Option<Found>, RouteError> {
    let mut search = Search::new(store, std::slice::from_ref(to), Some(to.location), limits);
    search.mark_goal(to)?;
    search.run(from)?;
    Ok(search.found.into_iter().next().flatten())
}

/// The best path from `from` to each of `targets` (`None` where unreachable), by Dijkstra.
pub fn one_to_many(
    store: &TileStore,
    from: &Snap,
    targets: &[Snap],
    limits: SearchLimits,
) -> Result<Vec<Option<Found>>, RouteError> {
    let mut search = Search::new(store, targets, None, limits);
    search.run(from)?;
    Ok(search.found)
}

struct Search<'a> {
    view: TileView<'a>,
    labels: FxHashMap<u64, Label>,
    heap: BinaryHeap<Reverse<(u64, u64, u64)>>,
    node_targets: FxHashMap<NodeRef, Vec<usize>>,
    edge_targets: FxHashMap<EdgeRef, Vec<(usize, EdgePoint)>>,
    /// The target as a unit vector, for the heuristic.
    goal: Option<[f64; 3]>,
    /// Milliseconds per unit of chord length (the Earth's radius over the speed bound, shaved).
    ms_per_chord: f64,
    /// The landmark values of the nodes a route must enter the target through.
    goal_marks: Vec<Vec<u32>>,
    found: Vec<Option<Found>>,
    remaining: usize,
    limits: SearchLimits,
    turns: &'a TurnModel,
}

impl<'a> Search<'a> {
    fn new(store: &'a TileStore, targets: &[Snap], goal: Option<LatLng>, limits: SearchLimits) -> Search<'a> {
        let mut node_targets: FxHashMap<NodeRef, Vec<usize>> = FxHashMap::default();
        let mut edge_targets: FxHashMap<EdgeRef, Vec<(usize, EdgePoint)>> = FxHashMap::default();
        for (i, t) in targets.iter().enumerate() {
            match t.node {
                Some(n) => node_targets.entry(n).or_default().push(i),
                None => {
                    for side in &t.sides {
                        edge_targets.entry(side.edge).or_default().push((i, *side));
                    }
                }
            }
        }
        let ms_per_chord = EARTH_RADIUS_M * 1000.0 / store.manifest.max_speed_mps.max(0.1) * 0.995;
        Search {
            view: TileView::new(store),
            labels: FxHashMap::with_capacity_and_hasher(1 << 13, Default::default()),
            heap: BinaryHeap::with_capacity(1 << 12),
            node_targets,
            edge_targets,
            goal: goal.map(LatLng::unit_vector),
            ms_per_chord,
            goal_marks: Vec::new(),
            found: vec![None; targets.len()],
            remaining: targets.len(),
            limits,
            turns: store.turns(),
        }
    }

    /// A lower bound on the cost from `at` (a unit vector) to the goal: the chord, never
    /// longer than the great-circle distance, at the speed bound.
    fn h(&self, at: [f64; 3]) -> u64 {
        match self.goal {
            Some(g) => {
                let chord = ((at[0] - g[0]).powi(2) + (at[1] - g[1]).powi(2) + (at[2] - g[2]).powi(2)).sqrt();
                ((chord * self.ms_per_chord).floor() as u64).saturating_sub(1)
            }
            None => 0,
        }
    }

    /// The heuristic at a node of a tile: the larger of the straight-line and the landmark
    /// bounds (both admissible).
    fn h_node(&self, tile: &Tile, local: u32) -> u64 {
        if self.goal.is_none() {
            return 0;
        }
        let straight = self.h(tile.units[local as usize]);
        let marks = tile.landmarks(local);
        if marks.is_empty() || self.goal_marks.is_empty() {
            return straight;
        }
        let alt = self.goal_marks.iter().map(|t| landmarks::lower_bound(marks, t)).min().unwrap_or(0);
        straight.max(u64::from(alt))
    }

    fn relax(&mut self, key: u64, label: Label, h: u64) {
        if self.labels.get(&key).is_some_and(|l| l.g <= label.g) {
            return;
        }
        self.labels.insert(key, label);
        self.heap.push(Reverse((label.g + h, label.g, key)));
    }

    fn offer_target(&mut self, i: usize, label: Label, at: LatLng) {
        if self.found[i].is_none() {
            let h = self.h(at.unit_vector());
            self.relax(target_key(i), label, h);
        }
    }

    /// The landmark values of the nodes through which a route reaches `to`.
    fn mark_goal(&mut self, to: &Snap) -> Result<(), RouteError> {
        let entries: Vec<NodeRef> = match to.node {
            Some(n) => vec![n],
            None => to
                .sides
                .iter()
                .map(|s| self.view.tile(s.edge.tile()).map(|t| t.edge_source(s.edge.local())))
                .collect::<Result<_, _>>()?,
        };
        for n in entries {
            let tile = self.view.tile(n.tile())?;
            let marks = tile.landmarks(n.local());
            if marks.is_empty() {
                self.goal_marks.clear();
                return Ok(());
            }
            self.goal_marks.push(marks.to_vec());
        }
        Ok(())
    }

    /// The state for arriving at `node` by `edge`: the edge (turn costs and restrictions at
    /// the node depend on it).
    fn arrive(&mut self, node: NodeRef, edge: EdgeRef, label: Label) -> Result<(), RouteError> {
        let tile = self.view.tile(node.tile())?;
        let h = self.h_node(&tile, node.local());
        self.relax(edge.0 | EDGE_STATE, Label { edge: edge.0, ..label }, h);
        Ok(())
    }

    fn run(&mut self, from: &Snap) -> Result<(), RouteError> {
        self.seed(from)?;
        let mut settled = 0usize;
        while let Some(Reverse((_, g, key))) = self.heap.pop() {
            let Some(label) = self.labels.get(&key).copied() else { continue };
            if label.g < g {
                continue;
            }
            settled += 1;
            if settled > self.limits.max_states {
                return Err(RouteError::TooBig(format!("the search gave up after {} states", self.limits.max_states)));
            }
            if key & PHANTOM != 0 && key != START {
                let i = (key & !PHANTOM) as usize;
                if self.found[i].is_none() {
                    self.found[i] = Some(self.unwind(key));
                    self.remaining -= 1;
                }
                if self.remaining == 0 {
                    return Ok(());
                }
                continue;
            }
            let (node, arrived_by) = if key & EDGE_STATE != 0 {
                let edge = EdgeRef(key & !EDGE_STATE);
                let tile = self.view.tile(edge.tile())?;
                (tile.edge(edge.local()).to, Some(edge))
            } else {
                (NodeRef(key), None)
            };
            if let Some(targets) = self.node_targets.get(&node).cloned() {
                for i in targets {
                    if self.found[i].is_none() {
                        self.found[i] = Some(self.unwind(key));
                        self.remaining -= 1;
                    }
                }
                if self.remaining == 0 {
                    return Ok(());
                }
            }
            self.expand(key, node, arrived_by, label)?;
        }
        Ok(())
    }

    fn seed(&mut self, from: &Snap) -> Result<(), RouteError> {
        let start = Label { g: 0, length_m: 0.0, pred: START, edge: NO_EDGE, from: None, to: None, turn_ms: 0 };
        if let Some(node) = from.node {
            let tile = self.view.tile(node.tile())?;
            let h = self.h_node(&tile, node.local());
            // A route starts from a node state whatever the node, like the flat oracle.
            self.labels.insert(node.0, start);
            self.heap.push(Reverse((h, 0, node.0)));
            return Ok(());
        }
        for side in &from.sides {
            let tile = self.view.tile(side.edge.tile())?;
            let e = *tile.edge(side.edge.local());
            // A target further along the same edge.
            if let Some(targets) = self.edge_targets.get(&side.edge).cloned() {
                for (i, p) in targets {
                    if (p.segment, p.fraction) >= (side.segment, side.fraction) && p.offset_ms >= side.offset_ms {
                        let length_m = partial_length(&tile, p) - partial_length(&tile, *side);
                        let g = u64::from(p.offset_ms - side.offset_ms);
                        let label = Label {
                            g,
                            length_m,
                            pred: START,
                            edge: side.edge.0,
                            from: Some(*side),
                            to: Some(p),
                            turn_ms: 0,
                        };
                        self.offer_target(i, label, from.location);
                    }
                }
            }
            let w = tile.weight(side.edge.local());
            let label = Label {
                g: u64::from(w - side.offset_ms),
                length_m: tile.lengths_m[side.edge.local() as usize] - partial_length(&tile, *side),
                pred: START,
                edge: side.edge.0,
                from: Some(*side),
                to: None,
                turn_ms: 0,
            };
            self.arrive(e.to, side.edge, label)?;
        }
        Ok(())
    }

    fn expand(&mut self, key: u64, node: NodeRef, arrived_by: Option<EdgeRef>, label: Label) -> Result<(), RouteError> {
        let tile = self.view.tile(node.tile())?;
        let flags = tile.data.nodes[node.local() as usize].flags;
        // How we came in: the last segment's bearing, the node before this one, the flags.
        let came = match arrived_by {
            Some(a) => {
                let a_tile = self.view.tile(a.tile())?;
                let shape = a_tile.shape(a.local());
                let edge = a_tile.edge(a.local());
                Some((a, edge.bearing_end, shape[shape.len() - 2].at, edge.flags))
            }
            None => None,
        };
        // The move rules are `cost::step`'s, as for the flat oracle.
        let kind = if flags & NODE_BARRIER != 0 {
            NodeKind::Barrier
        } else if flags & (NODE_JUNCTION | NODE_DEAD_END) != 0 {
            NodeKind::Junction
        } else {
            NodeKind::Between
        };
        for o in tile.out_edges(node.local()) {
            let w = tile.weight(o);
            if w == u32::MAX {
                continue;
            }
            let out = tile.edge(o);
            let mut step = Transition::default();
            if let Some((a, a_bearing, before, a_flags)) = came {
                if flags & NODE_VIA != 0 && !tile.turn_allowed(node.local(), a, o) {
                    continue;
                }
                let u_turn = tile.shape(o)[1].at == before;
                let way_on = || tile.out_edges(node.local()).any(|x| tile.shape(x)[1].at != before);
                match cost::step(self.turns, kind, u_turn, way_on, (a_bearing, out.bearing_start), (a_flags, out.flags))
                {
                    Some(s) => step = s,
                    None => continue,
                }
            }
            let turn = step.duration_ms;
            let edge = EdgeRef::new(node.tile(), o);
            if let Some(targets) = self.edge_targets.get(&edge).cloned() {
                for (i, p) in targets {
                    let t = Label {
                        g: label.g + u64::from(step.cost_ms) + u64::from(p.offset_ms),
                        length_m: label.length_m + partial_length(&tile, p),
                        pred: key,
                        edge: edge.0,
                        from: None,
                        to: Some(p),
                        turn_ms: turn,
                    };
                    let at = tile.point_at(p.edge.local(), p.segment, p.fraction);
                    self.offer_target(i, t, at);
                }
            }
            let next = Label {
                g: label.g + u64::from(step.cost_ms) + u64::from(w),
                length_m: label.length_m + tile.lengths_m[o as usize],
                pred: key,
                edge: edge.0,
                from: None,
                to: None,
                turn_ms: turn,
            };
            self.arrive(out.to, edge, next)?;
        }
        Ok(())
    }

    fn unwind(&self, mut key: u64) -> Found {
        let end = self.labels[&key];
        let mut pieces = Vec::new();
        while let Some(l) = self.labels.get(&key) {
            if l.edge != NO_EDGE {
                pieces.push(Piece { edge: EdgeRef(l.edge), from: l.from, to: l.to, turn_ms: l.turn_ms });
            }
            if l.pred == START {
                break;
            }
            key = l.pred;
        }
        pieces.reverse();
        Found { cost_ms: end.g, length_m: end.length_m, pieces }
    }
}

/// Metres from an edge's start to a point on it.
pub(crate) fn partial_length(tile: &Tile, p: EdgePoint) -> f64 {
    let shape = tile.shape(p.edge.local());
    let k = p.segment as usize;
    let before: f64 = shape[..=k].windows(2).map(|w| haversine_m(w[0].at, w[1].at)).sum();
    before + haversine_m(shape[k].at, shape[k + 1].at) * p.fraction
}
