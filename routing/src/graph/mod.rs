//! The flat routing graph of one profile: every node a usable way touches, and a directed edge
//! per way segment and allowed direction.
//!
//! - **Nodes** are all the OSM nodes the profile's ways use, not only intersections: a way of
//!   `n` nodes gives `n - 1` segments. It keeps the graph obviously faithful to the map (geometry
//!   is the edge sequence; restrictions and barriers sit on real nodes); contracting degree-2
//!   chains is the tile builder's business. Node ids are the ranks of the OSM ids (sorted), so
//!   an OSM id is found by binary search.
//! - **Edges** are stored sorted by source node with a CSR offset array (`first_out`). Each
//!   carries length (haversine, `locus_core::geo`), free-flow speed, road class, flags and its
//!   way (OSM id, `name`, `ref`).
//! - **Weights** live apart from the edges ([`Weights`]: travel time per edge in whole
//!   milliseconds), so live traffic can swap in another array without a rebuild. Integer
//!   weights make path costs exact and independent of summation order: a faster router can be
//!   checked against [`crate::dijkstra`] for equality, not closeness.
//! - **Turn restrictions** ([`TurnRestrictions`]) are resolved to edge pairs at a via node.
//! - **Barriers** the profile may not pass mark their node blocked: a route may start or end
//!   there but not pass through.

mod build;
mod turns;

use crate::cost::NodeKind;
use crate::profile::{EdgeFlags, Mode, RoadClass};
use locus_core::geo::{haversine_m, LatLng};
use std::ops::Range;

pub use build::BuildReport;
pub use turns::TurnRestrictions;

/// A node of a [`Graph`]: an index into its node arrays.
pub type NodeId = u32;
/// An edge of a [`Graph`]: an index into its edge array and into [`Weights`].
pub type EdgeId = u32;

/// A directed edge: one segment of a way, travelled in one direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    /// Index into [`Graph::ways`].
    pub way: u32,
    pub length_m: f64,
    /// Free-flow speed (for a ferry with a `duration`: the speed that duration implies).
    pub speed_kmh: f64,
    pub class: RoadClass,
    pub flags: EdgeFlags,
}

/// What guidance needs of a way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WayInfo {
    pub osm_id: i64,
    pub name: Option<String>,
    pub reference: Option<String>,
}

/// The travel time of every edge, in milliseconds: the weights a search minimises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    ms: Vec<u32>,
}

impl Weights {
    pub fn from_ms(ms: Vec<u32>) -> Weights {
        Weights { ms }
    }

    /// Weights for driving every edge at the speed `speed_kmh(edge_id, edge)` gives (km/h);
    /// an edge given no positive speed gets the largest weight.
    pub fn from_speeds(graph: &Graph, mut speed_kmh: impl FnMut(EdgeId, &Edge) -> f64) -> Weights {
        let ms =
            graph.edges.iter().enumerate().map(|(i, e)| travel_ms(e.length_m, speed_kmh(i as EdgeId, e))).collect();
        Weights { ms }
    }

    pub fn get(&self, edge: EdgeId) -> u32 {
        self.ms.get(edge as usize).copied().unwrap_or(u32::MAX)
    }

    pub fn as_slice(&self) -> &[u32] {
        &self.ms
    }

    pub fn len(&self) -> usize {
        self.ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ms.is_empty()
    }
}

/// Milliseconds to cover `length_m` at `kmh`, rounded, and at least 1 ms for any length (so
/// no edge is free and every edge's speed, length / time, is bounded: the A* heuristic needs
/// that bound); `u32::MAX` for no speed.
pub fn travel_ms(length_m: f64, kmh: f64) -> u32 {
    if kmh.is_nan() || kmh <= 0.0 {
        return u32::MAX;
    }
    let ms = (length_m / (kmh / 3.6) * 1000.0).round().max(1.0);
    if ms.is_finite() {
        ms.min(f64::from(u32::MAX - 1)) as u32
    } else {
        u32::MAX
    }
}

/// The routing graph of one profile.
///
/// Accessors that take a [`NodeId`] or [`EdgeId`] index the arrays directly, like a slice:
/// ids come from this graph, and an id from elsewhere panics.
#[derive(Debug, Clone)]
pub struct Graph {
    mode: Mode,
    osm_ids: Vec<i64>,
    coords: Vec<LatLng>,
    blocked: Vec<bool>,
    /// Distinct neighbouring nodes, either direction (saturates at 255).
    degree: Vec<u8>,
    /// Nodes where traffic keeps left ([`crate::driving_side`]).
    left_hand: Vec<bool>,
    first_out: Vec<u32>,
    edges: Vec<Edge>,
    ways: Vec<WayInfo>,
    weights: Weights,
    turns: TurnRestrictions,
    report: BuildReport,
}

impl Graph {
    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn node_count(&self) -> usize {
        self.osm_ids.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The node of an OSM node id, when the profile uses it.
    pub fn node_of_osm(&self, osm_id: i64) -> Option<NodeId> {
        self.osm_ids.binary_search(&osm_id).ok().map(|i| i as NodeId)
    }

    pub fn osm_id(&self, node: NodeId) -> i64 {
        self.osm_ids[node as usize]
    }

    pub fn coord(&self, node: NodeId) -> LatLng {
        self.coords[node as usize]
    }

    /// Whether a barrier at this node stops this profile.
    pub fn is_blocked(&self, node: NodeId) -> bool {
        self.blocked[node as usize]
    }

    /// How many distinct nodes `node` has a road to or from.
    pub fn degree(&self, node: NodeId) -> u8 {
        self.degree[node as usize]
    }

    /// The whole-degree bearing of an edge, from its start towards its end.
    pub fn bearing(&self, edge: EdgeId) -> u16 {
        let e = &self.edges[edge as usize];
        crate::cost::bearing(self.coords[e.from as usize], self.coords[e.to as usize])
    }

    /// What moving from edge `from` into edge `to` (which leaves `from`'s end) adds; `None`
    /// when the move is not allowed. The rules, as OSRM's:
    /// - a turn restriction forbids it;
    /// - at a barrier this mode may not pass, the only move is back the way we came;
    /// - between junctions (a node with two neighbours) a route goes on, and turns back only
    ///   where there is no other way on (a oneway pointing back at it);
    /// - junctions, dead ends and every U-turn charge [`crate::cost::turn_ms`];
    /// - entering a destination-only road adds the restricted-entry penalty to the cost
    ///   ([`crate::cost::transition`]).
    pub fn transition(
        &self,
        from: EdgeId,
        to: EdgeId,
        model: &crate::cost::TurnModel,
    ) -> Option<crate::cost::Transition> {
        let (a, b) = (&self.edges[from as usize], &self.edges[to as usize]);
        if !self.turns.allowed(from, to) {
            return None;
        }
        let node = a.to;
        let kind = if self.blocked[node as usize] {
            NodeKind::Barrier
        } else if self.degree[node as usize] == 2 {
            NodeKind::Between
        } else {
            NodeKind::Junction
        };
        let way_on = || self.out_edges(node).any(|e| self.edges[e as usize].to != a.from);
        crate::cost::step(
            model,
            (kind, self.driving_side(node)),
            b.to == a.from,
            way_on,
            (self.bearing(from), self.bearing(to)),
            (a.flags, b.flags),
        )
    }

    /// The side traffic keeps to at `node`.
    pub fn driving_side(&self, node: NodeId) -> crate::driving_side::DrivingSide {
        if self.left_hand[node as usize] {
            crate::driving_side::DrivingSide::Left
        } else {
            crate::driving_side::DrivingSide::Right
        }
    }

    /// The ids of the edges leaving `node`.
    pub fn out_edges(&self, node: NodeId) -> Range<EdgeId> {
        let i = node as usize;
        self.first_out[i]..self.first_out[i + 1]
    }

    pub fn edge(&self, edge: EdgeId) -> &Edge {
        &self.edges[edge as usize]
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    pub fn way(&self, edge: EdgeId) -> &WayInfo {
        &self.ways[self.edges[edge as usize].way as usize]
    }

    pub fn ways(&self) -> &[WayInfo] {
        &self.ways
    }

    /// The free-flow weights computed at build time.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    pub fn turns(&self) -> &TurnRestrictions {
        &self.turns
    }

    pub fn report(&self) -> &BuildReport {
        &self.report
    }

    /// The node nearest to a position (a linear scan: the slow twin of snapping).
    pub fn nearest_node(&self, at: LatLng) -> Option<NodeId> {
        self.coords
            .iter()
            .enumerate()
            .map(|(i, &c)| (haversine_m(at, c), i))
            .min_by(|x, y| x.0.total_cmp(&y.0))
            .map(|(_, i)| i as NodeId)
    }
}
