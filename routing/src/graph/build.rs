//! Building a profile's [`Graph`] from [`OsmData`].

use super::turns::{TurnCounts, TurnRestrictions};
use super::{travel_ms, Edge, Graph, NodeId, WayInfo, Weights};
use crate::driving_side::DrivingSide;
use crate::osm::OsmData;
use crate::profile::{EdgeFlags, Profile, RoadClass};
use locus_core::geo::{haversine_m, LatLng};

/// The delay added to an edge that ends at a traffic signal, in milliseconds.
pub const TRAFFIC_SIGNAL_MS: u32 = 2000;

/// What a build used, skipped and could not resolve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Ways the profile may use / may not use.
    pub ways_used: u64,
    pub ways_unroutable: u64,
    /// Segments dropped because a node of theirs is not in the data.
    pub segments_missing_nodes: u64,
    /// Segments from a node to itself (a repeated node reference), dropped.
    pub segments_degenerate: u64,
    /// Ways whose `maxspeed` / ferry `duration` did not parse (the tag was ignored).
    pub bad_maxspeed: u64,
    pub bad_duration: u64,
    /// Nodes whose barrier this profile may not pass.
    pub barriers_blocking: u64,
    pub restrictions: TurnCounts,
}

/// One usable segment of a way, before node ids are assigned.
struct Segment {
    a: i64,
    b: i64,
    pa: LatLng,
    pb: LatLng,
    length_m: f64,
    way: u32,
    forward_kmh: Option<f64>,
    backward_kmh: Option<f64>,
    class: RoadClass,
    forward_flags: EdgeFlags,
    backward_flags: EdgeFlags,
}

impl Graph {
    /// Builds the graph of `profile` from imported OSM data.
    pub fn build(data: &OsmData, profile: Profile) -> Graph {
        let mut report = BuildReport::default();
        let mut ways = Vec::new();
        let mut segments = Vec::new();
        for way in &data.ways {
            let Some(rule) = profile.way(&way.tags) else {
                report.ways_unroutable += 1;
                continue;
            };
            report.bad_maxspeed += u64::from(rule.bad_maxspeed);
            report.bad_duration += u64::from(rule.bad_duration);
            let index = ways.len() as u32;
            let first = segments.len();
            for pair in way.nodes.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let (Some(na), Some(nb)) = (data.nodes.get(&a), data.nodes.get(&b)) else {
                    report.segments_missing_nodes += 1;
                    continue;
                };
                if a == b {
                    report.segments_degenerate += 1;
                    continue;
                }
                let (pa, pb) = match (LatLng::new(na.lat, na.lon), LatLng::new(nb.lat, nb.lon)) {
                    (Ok(p), Ok(q)) => (p, q),
                    _ => {
                        report.segments_missing_nodes += 1;
                        continue;
                    }
                };
                segments.push(Segment {
                    a,
                    b,
                    pa,
                    pb,
                    length_m: haversine_m(pa, pb),
                    way: index,
                    forward_kmh: rule.forward_kmh,
                    backward_kmh: rule.backward_kmh,
                    class: rule.class,
                    forward_flags: rule.flags_toward(true),
                    backward_flags: rule.flags_toward(false),
                });
            }
            if segments.len() == first {
                continue;
            }
            // A ferry's duration is spread over its segments by length: the speed that makes
            // the whole crossing take that long.
            if let Some(duration_s) = rule.duration_s {
                let total: f64 = segments[first..].iter().map(|s| s.length_m).sum();
                // An implausible duration (faster than any ferry) is ignored and counted.
                match crate::profile::ferry_kmh(total, duration_s) {
                    Some(kmh) => {
                        for s in &mut segments[first..] {
                            s.forward_kmh = s.forward_kmh.map(|_| kmh);
                            s.backward_kmh = s.backward_kmh.map(|_| kmh);
                        }
                    }
                    None if total > 0.0 => report.bad_duration += 1,
                    None => {}
                }
            }
            report.ways_used += 1;
            ways.push(WayInfo {
                osm_id: way.id,
                name: way.tags.get("name").map(str::to_owned),
                reference: way.tags.get("ref").map(str::to_owned),
            });
        }

        let mut osm_ids: Vec<i64> = segments.iter().flat_map(|s| [s.a, s.b]).collect();
        osm_ids.sort_unstable();
        osm_ids.dedup();
        let id = |osm: i64| osm_ids.binary_search(&osm).map(|i| i as NodeId).unwrap_or(NodeId::MAX);

        let mut edges = Vec::with_capacity(segments.len() * 2);
        let mut at: Vec<Option<LatLng>> = vec![None; osm_ids.len()];
        for s in &segments {
            let (a, b) = (id(s.a), id(s.b));
            at[a as usize] = Some(s.pa);
            at[b as usize] = Some(s.pb);
            let edge = |from, to, speed_kmh, flags| Edge {
                from,
                to,
                way: s.way,
                length_m: s.length_m,
                speed_kmh,
                class: s.class,
                flags,
            };
            if let Some(kmh) = s.forward_kmh {
                edges.push(edge(a, b, kmh, s.forward_flags));
            }
            if let Some(kmh) = s.backward_kmh {
                edges.push(edge(b, a, kmh, s.backward_flags));
            }
        }
        drop(segments);
        edges.sort_by_key(|e| (e.from, e.to, e.way));
        let mut first_out = vec![0u32; osm_ids.len() + 1];
        for e in &edges {
            first_out[e.from as usize + 1] += 1;
        }
        for i in 1..first_out.len() {
            first_out[i] += first_out[i - 1];
        }

        // Every node is the end of some segment, so every position is known.
        let coords: Vec<LatLng> = at.into_iter().flatten().collect();
        debug_assert_eq!(coords.len(), osm_ids.len());
        let mut blocked = Vec::with_capacity(osm_ids.len());
        for osm in &osm_ids {
            let node = data.nodes.get(osm);
            let stops = node.is_some_and(|n| !profile.barrier_passable(&n.tags));
            report.barriers_blocking += u64::from(stops);
            blocked.push(stops);
        }

        // Time lost at a node, on every edge into it: waiting at traffic signals (OSRM's
        // `traffic_light_penalty`, 2 s, in all three of its profiles) and opening a gate the
        // mode passes (the profile's `node_delay_s`; OSRM's car `barrier_penalties`).
        let entry_delay_ms: Vec<u32> = osm_ids
            .iter()
            .zip(&blocked)
            .map(|(osm, &stops)| {
                let Some(node) = data.nodes.get(osm) else { return 0 };
                let signal = if node.tags.is("highway", "traffic_signals") { TRAFFIC_SIGNAL_MS } else { 0 };
                let gate = if stops { 0.0 } else { profile.node_delay_s(&node.tags) };
                signal.saturating_add((gate * 1000.0).round() as u32)
            })
            .collect();
        let weights = Weights::from_ms(
            edges
                .iter()
                .map(|e| {
                    let ms = travel_ms(e.length_m, e.speed_kmh);
                    let delay = entry_delay_ms[e.to as usize];
                    if delay > 0 && ms != u32::MAX {
                        ms.saturating_add(delay).min(u32::MAX - 1)
                    } else {
                        ms
                    }
                })
                .collect(),
        );
        let degree = degrees(osm_ids.len(), &edges);
        let left_hand = coords.iter().map(|&c| crate::driving_side::at(c) == DrivingSide::Left).collect();
        let mut graph = Graph {
            mode: profile.mode,
            osm_ids,
            coords,
            blocked,
            degree,
            left_hand,
            first_out,
            edges,
            ways,
            weights,
            turns: TurnRestrictions::default(),
            report,
        };
        let (turns, counts) = TurnRestrictions::resolve(&graph, &profile, &data.restrictions);
        graph.turns = turns;
        graph.report.restrictions = counts;
        graph
    }
}

/// Distinct neighbours of every node, in either direction, saturating at 255.
fn degrees(nodes: usize, edges: &[Edge]) -> Vec<u8> {
    let mut pairs: Vec<(NodeId, NodeId)> = edges.iter().flat_map(|e| [(e.from, e.to), (e.to, e.from)]).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut degree = vec![0u8; nodes];
    for (a, _) in pairs {
        degree[a as usize] = degree[a as usize].saturating_add(1);
    }
    degree
}
