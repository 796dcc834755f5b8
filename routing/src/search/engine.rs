//! The labelled search behind [`route`] and [`one_to_many`].

use super::levels::Levels;
use super::view::TileView;
use crate::cost::{self, DrivingSide, NodeKind, Transition, TurnModel};
use crate::snap::{EdgePoint, Snap};
use crate::tiles::landmarks;
use crate::tiles::overlay::{Overlay, NO_WAY};
use crate::tiles::store::JumpPath;
use crate::tiles::{
    EdgeRef, NodeRef, Tile, TileStore, NODE_BARRIER, NODE_DEAD_END, NODE_JUNCTION, NODE_LEFT_HAND, NODE_VIA,
};
use crate::RouteError;
use locus_core::geo::{haversine_m, LatLng, EARTH_RADIUS_M};
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

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

/// The cost and length of a cheapest path, without the path (what a table needs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reached {
    pub cost_ms: u64,
    pub length_m: f64,
}

/// One step of a path as the search found it: an edge, or a jump across an overlay cell from
/// one boundary edge to another (unpacked into edges by [`resolve`]).
#[derive(Debug, Clone, Copy)]
enum Step {
    Edge(Piece),
    Jump { level: u8, from: EdgeRef, to: EdgeRef },
}

const EDGE_STATE: u64 = 1 << 63;
const PHANTOM: u64 = 1 << 62;
const START: u64 = PHANTOM | (1 << 40);
const NO_EDGE: u64 = u64::MAX;
const NO_ENDS: u32 = u32::MAX;

fn target_key(i: usize) -> u64 {
    PHANTOM | i as u64
}

#[derive(Debug, Clone, Copy)]
struct Label {
    g: u64,
    length_m: f64,
    pred: u64,
    /// The edge that led here (`NO_EDGE` for the start).
    edge: u64,
    /// Where on `edge` this stretch starts and ends, when not at its ends: an index into
    /// `Search::ends` (`NO_ENDS`: the whole edge). Only the first and last stretch of a path
    /// have them, so they live outside the label, which stays small.
    ends: u32,
    /// The turn cost paid entering `edge`.
    turn_ms: u32,
    /// 0: `edge` was walked; `l`: it was reached by a level-`l` clique from `pred`'s edge.
    level: u8,
    /// The leaf cell of the node this state is at.
    leaf: u32,
}

impl Label {
    fn start() -> Label {
        Label { g: 0, length_m: 0.0, pred: START, edge: NO_EDGE, ends: NO_ENDS, turn_ms: 0, level: 0, leaf: 0 }
    }
}

/// Where a search starts: a snapped point, or (inside a cell) the state of having arrived by
/// an edge.
#[derive(Clone, Copy)]
enum Origin<'s> {
    Point(&'s Snap),
    Arrived(EdgeRef),
}

/// The leaf cells at the ends of a snapped point's edges: the overlay cells a query must walk.
fn protected_leaves(view: &mut TileView, snap: &Snap, out: &mut Vec<u32>) -> Result<(), RouteError> {
    if let Some(n) = snap.node {
        let tile = view.tile(n.tile())?;
        out.push(tile.data.nodes[n.local() as usize].cell);
    }
    for side in &snap.sides {
        let tile = view.tile(side.edge.tile())?;
        let from = tile.edge_source(side.edge.local());
        out.push(tile.data.nodes[from.local() as usize].cell);
        let to = tile.edge(side.edge.local()).to;
        let to_tile = view.tile(to.tile())?;
        out.push(to_tile.data.nodes[to.local() as usize].cell);
    }
    Ok(())
}

/// The best path from `from` to `to`, by A* over the tiles and, away from both ends, the
/// overlay's cliques.
pub fn route(store: &TileStore, from: &Snap, to: &Snap, limits: SearchLimits) -> Result<Option<Found>, RouteError> {
    let mut view = TileView::new(store);
    let mut protected = Vec::new();
    protected_leaves(&mut view, from, &mut protected)?;
    protected_leaves(&mut view, to, &mut protected)?;
    let levels = Levels::query(store.overlay(), &protected);
    let mut search = Search::new(view, levels, std::slice::from_ref(to), &[], Some(to.location), limits);
    let found = search.best_path(from, to);
    store.stats.jumps.fetch_add(search.jumps, Ordering::Relaxed);
    found
}

/// The best path from `from` to `to` when walking the whole of an edge of `penalties` costs
/// that many ms more: the search behind alternative routes. It walks the tiles (a clique
/// cannot see a penalty); the penalties only raise costs, so the heuristic stays admissible.
/// The path's cost is returned without its penalties.
pub fn route_penalized(
    store: &TileStore,
    from: &Snap,
    to: &Snap,
    limits: SearchLimits,
    penalties: &FxHashMap<u64, u32>,
) -> Result<Option<Found>, RouteError> {
    let mut search =
        Search::new(TileView::new(store), Levels::flat(), std::slice::from_ref(to), &[], Some(to.location), limits);
    search.penalties = Some(penalties);
    let Some(mut found) = search.best_path(from, to)? else { return Ok(None) };
    let paid: u64 = found
        .pieces
        .iter()
        .filter(|p| p.from.is_none() && p.to.is_none())
        .map(|p| u64::from(search.penalty(p.edge)))
        .sum();
    found.cost_ms = found.cost_ms.saturating_sub(paid);
    Ok(Some(found))
}

/// The cost and length of the best path from `from` to each of `targets` (`None` where
/// unreachable), by Dijkstra.
pub fn one_to_many(
    store: &TileStore,
    from: &Snap,
    targets: &[Snap],
    limits: SearchLimits,
) -> Result<Vec<Option<Reached>>, RouteError> {
    let mut view = TileView::new(store);
    let mut protected = Vec::new();
    protected_leaves(&mut view, from, &mut protected)?;
    for t in targets {
        protected_leaves(&mut view, t, &mut protected)?;
    }
    let levels = Levels::query(store.overlay(), &protected);
    let mut search = Search::new(view, levels, targets, &[], None, limits);
    search.run(Origin::Point(from))?;
    store.stats.jumps.fetch_add(search.jumps, Ordering::Relaxed);
    Ok(search.reached())
}

/// The cost and length of the cheapest way through `cell` of overlay `level`, from having
/// arrived by boundary edge `entry` to having left by each of `exits`: a row of the cell's
/// clique, searched over the tiles and the levels of `overlay` below `level`.
pub(crate) fn through_cell(
    store: &TileStore,
    overlay: &Overlay,
    (level, cell): (u8, u32),
    entry: EdgeRef,
    exits: &[EdgeRef],
    limits: SearchLimits,
) -> Result<Vec<Option<Reached>>, RouteError> {
    let levels = Levels::inside(overlay, level, cell);
    let mut search = Search::new(TileView::new(store), levels, &[], exits, None, limits);
    search.run(Origin::Arrived(entry))?;
    Ok(search.reached())
}

/// The edges of a found path, each jump across a cell replaced by the edges it stands for.
fn resolve(store: &TileStore, limits: SearchLimits, steps: Vec<Step>, end: Label) -> Result<Found, RouteError> {
    let mut found = Found { cost_ms: end.g, length_m: end.length_m, pieces: Vec::with_capacity(steps.len() * 4) };
    for step in steps {
        match step {
            Step::Edge(piece) => found.pieces.push(piece),
            Step::Jump { level, from, to } => {
                let (_, clique_length_m) = jump_of(store, level, from, to)?;
                let path = unpack(store, limits, level, from, to)?;
                found.length_m += path.length_m - f64::from(clique_length_m);
                found.pieces.extend_from_slice(&path.pieces);
            }
        }
    }
    Ok(found)
}

fn jump_of(store: &TileStore, level: u8, from: EdgeRef, to: EdgeRef) -> Result<(u32, f32), RouteError> {
    store
        .overlay()
        .and_then(|o| o.jump(level, from, to))
        .ok_or_else(|| RouteError::Data(format!("overlay level {level} has no jump {from:?} → {to:?}")))
}

/// The edges a jump across a level-`level` cell from `from` to `to` stands for: the cell
/// searched again over the level below (A* towards the exit), its own jumps unpacked in turn.
/// Unpacked jumps are kept in the store's bounded cache: routes share their corridors.
fn unpack(
    store: &TileStore,
    limits: SearchLimits,
    level: u8,
    from: EdgeRef,
    to: EdgeRef,
) -> Result<Arc<JumpPath>, RouteError> {
    let key = (level, from.0, to.0);
    if let Some(path) = store.unpacked_jumps().get(&key) {
        return Ok(path);
    }
    let overlay = store.overlay().ok_or_else(|| RouteError::Data("a jump without an overlay".into()))?;
    let (cost_ms, _) = jump_of(store, level, from, to)?;
    let mut view = TileView::new(store);
    let tile = view.tile(from.tile())?;
    let head = tile.edge(from.local()).to;
    let leaf = view.tile(head.tile())?.data.nodes[head.local() as usize].cell;
    let levels = Levels::inside(overlay, level, overlay.layout.cell(leaf, level));
    let exit_tile = view.tile(to.tile())?;
    let tail = exit_tile.edge_source(to.local());
    let goal = view.tile(tail.tile())?.data.nodes[tail.local() as usize].at;
    let mut search = Search::new(view, levels, &[], &[to], Some(goal), limits);
    search.mark_goal_nodes(vec![tail])?;
    search.run(Origin::Arrived(from))?;
    let inner = search.found.first().copied().flatten().map(|key| search.unwind(key));
    let (steps, end) = inner.ok_or_else(|| {
        RouteError::Data(format!("overlay level {level}: no way from {from:?} to {to:?} in its cell"))
    })?;
    if end.g != u64::from(cost_ms) {
        return Err(RouteError::Data(format!(
            "overlay level {level}: the clique says {cost_ms} ms from {from:?} to {to:?}, the cell {}",
            end.g
        )));
    }
    let found = resolve(store, limits, steps, end)?;
    let path = Arc::new(JumpPath { pieces: found.pieces, length_m: found.length_m });
    store.unpacked_jumps().insert(key, path.clone());
    Ok(path)
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
    /// Targets that are states: having arrived by the edge (inside a cell).
    state_targets: FxHashMap<u64, Vec<usize>>,
    levels: Levels<'a>,
    /// Partial-edge ends of labels (see `Label::ends`).
    ends: Vec<(Option<EdgePoint>, Option<EdgePoint>)>,
    /// Per target, the settled key it was reached by.
    found: Vec<Option<u64>>,
    remaining: usize,
    limits: SearchLimits,
    turns: &'a TurnModel,
    /// States that jumped across a cell.
    jumps: u64,
    /// Extra cost in ms of walking whole edges (the alternatives' search).
    penalties: Option<&'a FxHashMap<u64, u32>>,
}

impl<'a> Search<'a> {
    fn new(
        view: TileView<'a>,
        levels: Levels<'a>,
        targets: &[Snap],
        state_targets: &[EdgeRef],
        goal: Option<LatLng>,
        limits: SearchLimits,
    ) -> Search<'a> {
        let store = view.store();
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
        let mut by_state: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for (i, e) in state_targets.iter().enumerate() {
            by_state.entry(e.0).or_default().push(targets.len() + i);
        }
        let target_count = targets.len() + state_targets.len();
        let ms_per_chord = EARTH_RADIUS_M * 1000.0 / store.manifest.max_speed_mps.max(0.1) * 0.995;
        Search {
            view,
            labels: FxHashMap::with_capacity_and_hasher(1024, Default::default()),
            heap: BinaryHeap::with_capacity(256),
            node_targets,
            edge_targets,
            goal: goal.map(LatLng::unit_vector),
            ms_per_chord,
            goal_marks: Vec::new(),
            state_targets: by_state,
            ends: Vec::new(),
            levels,
            found: vec![None; target_count],
            remaining: target_count,
            limits,
            turns: store.turns(),
            jumps: 0,
            penalties: None,
        }
    }

    /// The extra cost of walking the whole of `edge`.
    fn penalty(&self, edge: EdgeRef) -> u32 {
        self.penalties.and_then(|p| p.get(&edge.0)).copied().unwrap_or(0)
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

    /// The cheapest path from `from` to the one target `to`, its jumps unpacked.
    fn best_path(&mut self, from: &Snap, to: &Snap) -> Result<Option<Found>, RouteError> {
        self.mark_goal(to)?;
        self.run(Origin::Point(from))?;
        let Some(key) = self.found.first().copied().flatten() else { return Ok(None) };
        let (steps, end) = self.unwind(key);
        resolve(self.view.store(), self.limits, steps, end).map(Some)
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
        self.mark_goal_nodes(entries)
    }

    /// The landmark values of `entries`, the nodes through which a route reaches its target.
    fn mark_goal_nodes(&mut self, entries: Vec<NodeRef>) -> Result<(), RouteError> {
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
        let leaf = tile.data.nodes[node.local() as usize].cell;
        if !self.levels.in_scope(leaf) && !self.state_targets.contains_key(&edge.0) {
            return Ok(());
        }
        let h = self.h_node(&tile, node.local());
        self.relax(edge.0 | EDGE_STATE, Label { edge: edge.0, leaf, ..label }, h);
        Ok(())
    }

    fn push_ends(&mut self, from: Option<EdgePoint>, to: Option<EdgePoint>) -> u32 {
        self.ends.push((from, to));
        self.ends.len() as u32 - 1
    }

    /// Records target `i` as reached by the settled `key`.
    fn reach(&mut self, i: usize, key: u64) {
        if self.found[i].is_none() {
            self.found[i] = Some(key);
            self.remaining -= 1;
        }
    }

    fn run(&mut self, origin: Origin) -> Result<(), RouteError> {
        match origin {
            Origin::Point(from) => self.seed(from)?,
            Origin::Arrived(edge) => {
                let tile = self.view.tile(edge.tile())?;
                let head = tile.edge(edge.local()).to;
                let leaf = self.view.tile(head.tile())?.data.nodes[head.local() as usize].cell;
                self.labels.insert(edge.0 | EDGE_STATE, Label { leaf, ..Label::start() });
                self.heap.push(Reverse((0, 0, edge.0 | EDGE_STATE)));
            }
        }
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
                self.reach((key & !PHANTOM) as usize, key);
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
            let node_targets = self.node_targets.get(&node).cloned().unwrap_or_default();
            let state_targets = self.state_targets.get(&(key & !EDGE_STATE)).filter(|_| arrived_by.is_some());
            for i in node_targets.into_iter().chain(state_targets.cloned().unwrap_or_default()) {
                self.reach(i, key);
            }
            if self.remaining == 0 {
                return Ok(());
            }
            if !self.levels.in_scope(label.leaf) {
                continue;
            }
            if let Some(edge) = arrived_by {
                let level = self.levels.level_at(label.leaf);
                if level > 0 && self.jump(key, edge, level, label)? {
                    continue;
                }
            }
            self.expand(key, node, arrived_by, label)?;
        }
        Ok(())
    }

    /// From a state that entered a cell of `level` by `edge`, to every exit of the cell by its
    /// clique; `false` when `edge` enters no such cell (then the tiles are walked).
    fn jump(&mut self, key: u64, edge: EdgeRef, level: u8, label: Label) -> Result<bool, RouteError> {
        let Some((clique, row)) = self.levels.clique(level, edge) else { return Ok(false) };
        self.jumps += 1;
        for ((cost, length), (exit, head)) in clique.row(row).zip(clique.exits()) {
            if cost == NO_WAY {
                continue;
            }
            let next = Label {
                g: label.g + u64::from(cost),
                length_m: label.length_m + f64::from(length),
                pred: key,
                ends: NO_ENDS,
                turn_ms: 0,
                level,
                ..label
            };
            self.arrive(head, exit, next)?;
        }
        Ok(true)
    }

    fn seed(&mut self, from: &Snap) -> Result<(), RouteError> {
        if let Some(node) = from.node {
            let tile = self.view.tile(node.tile())?;
            let h = self.h_node(&tile, node.local());
            let start = Label { leaf: tile.data.nodes[node.local() as usize].cell, ..Label::start() };
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
                            ends: self.push_ends(Some(*side), Some(p)),
                            turn_ms: 0,
                            level: 0,
                            leaf: 0,
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
                ends: self.push_ends(Some(*side), None),
                turn_ms: 0,
                level: 0,
                leaf: 0,
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
        let side = if flags & NODE_LEFT_HAND != 0 { DrivingSide::Left } else { DrivingSide::Right };
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
                let bearings = (a_bearing, out.bearing_start);
                match cost::step(self.turns, (kind, side), u_turn, way_on, bearings, (a_flags, out.flags)) {
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
                        ends: self.push_ends(None, Some(p)),
                        turn_ms: turn,
                        level: 0,
                        leaf: 0,
                    };
                    let at = tile.point_at(p.edge.local(), p.segment, p.fraction);
                    self.offer_target(i, t, at);
                }
            }
            let next = Label {
                g: label.g + u64::from(step.cost_ms) + u64::from(w) + u64::from(self.penalty(edge)),
                length_m: label.length_m + tile.lengths_m[o as usize],
                pred: key,
                edge: edge.0,
                ends: NO_ENDS,
                turn_ms: turn,
                level: 0,
                leaf: 0,
            };
            self.arrive(out.to, edge, next)?;
        }
        Ok(())
    }

    /// The steps of the path to the settled `key`, and its label.
    fn unwind(&self, mut key: u64) -> (Vec<Step>, Label) {
        let end = self.labels[&key];
        let mut steps = Vec::new();
        while let Some(l) = self.labels.get(&key) {
            if l.edge != NO_EDGE {
                let edge = EdgeRef(l.edge);
                steps.push(match l.level {
                    0 => {
                        let (from, to) = self.ends.get(l.ends as usize).copied().unwrap_or((None, None));
                        Step::Edge(Piece { edge, from, to, turn_ms: l.turn_ms })
                    }
                    level => Step::Jump { level, from: EdgeRef(l.pred & !EDGE_STATE), to: edge },
                });
            }
            if l.pred == START {
                break;
            }
            key = l.pred;
        }
        steps.reverse();
        (steps, end)
    }

    /// Per target, the cost and length it was reached at.
    fn reached(&self) -> Vec<Option<Reached>> {
        self.found
            .iter()
            .map(|k| k.map(|k| Reached { cost_ms: self.labels[&k].g, length_m: self.labels[&k].length_m }))
            .collect()
    }
}

/// Metres from an edge's start to a point on it.
pub(crate) fn partial_length(tile: &Tile, p: EdgePoint) -> f64 {
    let shape = tile.shape(p.edge.local());
    let k = p.segment as usize;
    let before: f64 = shape[..=k].windows(2).map(|w| haversine_m(w[0].at, w[1].at)).sum();
    before + haversine_m(shape[k].at, shape[k + 1].at) * p.fraction
}
