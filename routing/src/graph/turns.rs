//! Turn restrictions resolved onto the graph: `(from edge, via node, to edge)` pairs.

use super::{EdgeId, Graph, NodeId};
use crate::osm::{Restriction, TurnKind, Via};
use crate::profile::Profile;
use std::collections::{HashMap, HashSet};

/// The turns a profile may not take. A turn is a pair of edges meeting at a via node (the
/// `to` of the first is the `from` of the second).
///
/// - `no_*`: the pair is in `forbidden`;
/// - `only_*`: the from edge has an entry in `only` listing the to edges allowed; every other
///   turn from it is forbidden.
///
/// A search needs edge-based state only at via nodes ([`TurnRestrictions::is_via`]); elsewhere a
/// node-based state is exact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TurnRestrictions {
    forbidden: HashSet<(EdgeId, EdgeId)>,
    only: HashMap<EdgeId, Vec<EdgeId>>,
    via: HashSet<NodeId>,
}

/// What became of a profile's restrictions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TurnCounts {
    pub used: u64,
    pub other_modes: u64,
    pub via_way_unsupported: u64,
    pub unresolved: u64,
}

impl TurnRestrictions {
    /// Whether the turn from edge `from` into edge `to` is allowed.
    pub fn allowed(&self, from: EdgeId, to: EdgeId) -> bool {
        if let Some(only) = self.only.get(&from) {
            if !only.contains(&to) {
                return false;
            }
        }
        !self.forbidden.contains(&(from, to))
    }

    /// Whether some restriction has this node as its via.
    pub fn is_via(&self, node: NodeId) -> bool {
        self.via.contains(&node)
    }

    pub fn is_empty(&self) -> bool {
        self.forbidden.is_empty() && self.only.is_empty()
    }

    /// The forbidden `(from, to)` edge pairs.
    pub fn forbidden(&self) -> impl Iterator<Item = (EdgeId, EdgeId)> + '_ {
        self.forbidden.iter().copied()
    }

    /// For each from edge under an `only_*` restriction, the to edges allowed.
    pub fn only(&self) -> impl Iterator<Item = (EdgeId, &[EdgeId])> + '_ {
        self.only.iter().map(|(&from, to)| (from, to.as_slice()))
    }

    /// The number of forbidden pairs and of `only` from-edges.
    pub fn len(&self) -> (usize, usize) {
        (self.forbidden.len(), self.only.len())
    }

    /// Resolves `restrictions` on `graph` for `profile`. A restriction whose ways or via node
    /// the profile does not use, or whose via node is not on both ways, is unresolved and
    /// counted; restrictions with via ways are counted as unsupported.
    pub(super) fn resolve(graph: &Graph, profile: &Profile, restrictions: &[Restriction]) -> (Self, TurnCounts) {
        let mut t = TurnRestrictions::default();
        let mut counts = TurnCounts::default();
        // The edges into each via node, found in one pass over the edges.
        let mut incoming: HashMap<NodeId, Vec<EdgeId>> = restrictions
            .iter()
            .filter_map(|r| match r.via {
                Via::Node(v) => graph.node_of_osm(v),
                Via::Ways(_) => None,
            })
            .map(|v| (v, Vec::new()))
            .collect();
        for (e, edge) in graph.edges().iter().enumerate() {
            if let Some(list) = incoming.get_mut(&edge.to) {
                list.push(e as EdgeId);
            }
        }
        for r in restrictions {
            if !profile.restriction_applies(r) {
                counts.other_modes += 1;
                continue;
            }
            let via = match r.via {
                Via::Node(v) => v,
                Via::Ways(_) => {
                    counts.via_way_unsupported += 1;
                    continue;
                }
            };
            let Some(v) = graph.node_of_osm(via) else {
                counts.unresolved += 1;
                continue;
            };
            let way_of = |e: EdgeId| graph.way(e).osm_id;
            let into: Vec<EdgeId> = incoming
                .get(&v)
                .map(|list| list.iter().copied().filter(|&e| r.from.contains(&way_of(e))).collect())
                .unwrap_or_default();
            let out: Vec<EdgeId> = graph.out_edges(v).filter(|&e| r.to.contains(&way_of(e))).collect();
            if into.is_empty() || out.is_empty() {
                counts.unresolved += 1;
                continue;
            }
            let u_turn = r.turn == "u_turn";
            let mut resolved = false;
            for &e in &into {
                // On the same way, a to edge is the u-turn when it leads back where e came from.
                let targets: Vec<EdgeId> = out
                    .iter()
                    .copied()
                    .filter(|&f| way_of(f) != way_of(e) || u_turn == (graph.edge(f).to == graph.edge(e).from))
                    .collect();
                if targets.is_empty() {
                    continue;
                }
                resolved = true;
                match r.kind {
                    TurnKind::No => t.forbidden.extend(targets.into_iter().map(|f| (e, f))),
                    TurnKind::Only => t.only.entry(e).or_default().extend(targets),
                }
            }
            if resolved {
                counts.used += 1;
                t.via.insert(v);
            } else {
                counts.unresolved += 1;
            }
        }
        (t, counts)
    }
}
