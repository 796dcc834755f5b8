//! The [`Builder`]: hands out increasing ids, projects plan metres to degrees and collects the
//! elements into an [`OsmData`].

use super::plan::Pt;
use locus_core::geo::EARTH_RADIUS_M;
use locus_routing::osm::{OsmNode, OsmWay, Restriction, TurnKind, Via};
use locus_routing::{OsmData, Tags};
use std::collections::HashMap;

/// Metres per degree of latitude on the Locus Earth.
const M_PER_DEG: f64 = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// Rounds degrees to OSM's 7 decimals, the precision the XML writer prints: what is generated
/// is exactly what a reader of the file gets back.
fn round7(deg: f64) -> f64 {
    (deg * 1e7).round() / 1e7
}

/// Collects the network. Ids of nodes, ways and relations start at 1 and increase in the
/// order the elements are made.
pub struct Builder {
    data: OsmData,
    next_node: i64,
    next_relation: i64,
    lat0: f64,
    lon0: f64,
    /// Metres per degree of longitude at the country's middle latitude (an equirectangular
    /// projection: the street grids stay square grids in degrees, with right angles).
    m_per_deg_lon: f64,
}

impl Builder {
    /// A builder for a country `height_m` tall whose south-west corner is `origin` (lat, lon),
    /// moved south if the country would not fit below 89°N.
    pub fn new(origin: (f64, f64), height_m: f64, nodes: usize) -> Builder {
        let height_deg = height_m / M_PER_DEG;
        let lat0 = origin.0.min(89.0 - height_deg).max(-89.0);
        let mid = (lat0 + height_deg / 2.0).clamp(-89.0, 89.0);
        let data = OsmData { nodes: HashMap::with_capacity(nodes), ..OsmData::default() };
        Builder {
            data,
            next_node: 1,
            next_relation: 1,
            lat0,
            lon0: origin.1,
            m_per_deg_lon: M_PER_DEG * mid.to_radians().cos().max(0.01),
        }
    }

    /// The id the next node will get.
    pub fn next_node_id(&self) -> i64 {
        self.next_node
    }

    pub fn node_count(&self) -> u64 {
        self.data.nodes.len() as u64
    }

    /// `(lat, lon)` of a plan position, rounded to 7 decimals, longitude wrapped to ±180.
    pub fn lat_lon(&self, p: Pt) -> (f64, f64) {
        let lat = self.lat0 + p.1 / M_PER_DEG;
        let mut lon = self.lon0 + p.0 / self.m_per_deg_lon;
        if !(-180.0..=180.0).contains(&lon) {
            lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
        }
        (round7(lat), round7(lon))
    }

    pub fn node(&mut self, p: Pt) -> i64 {
        self.node_tagged(p, Tags::new())
    }

    pub fn node_tagged(&mut self, p: Pt, tags: Tags) -> i64 {
        let id = self.next_node;
        self.next_node += 1;
        let (lat, lon) = self.lat_lon(p);
        self.data.nodes.insert(id, OsmNode { lat, lon, tags });
        id
    }

    pub fn way(&mut self, nodes: Vec<i64>, tags: Tags) -> i64 {
        let id = self.data.ways.len() as i64 + 1;
        debug_assert!(nodes.len() >= 2, "way {id} has {} nodes", nodes.len());
        self.data.ways.push(OsmWay { id, nodes, tags });
        id
    }

    /// A plain (all modes) turn restriction via a node.
    pub fn restriction(&mut self, kind: TurnKind, turn: &str, from: i64, via: i64, to: i64) {
        let id = self.next_relation;
        self.next_relation += 1;
        self.data.restrictions.push(Restriction {
            id,
            kind,
            turn: turn.to_owned(),
            mode: None,
            from: vec![from],
            via: Via::Node(via),
            to: vec![to],
            except: Vec::new(),
        });
    }

    /// The network, with a report that counts it as a reader of its XML would.
    pub fn finish(mut self) -> OsmData {
        let r = &mut self.data.report;
        r.nodes_read = self.data.nodes.len() as u64;
        r.nodes_kept = r.nodes_read;
        r.ways_read = self.data.ways.len() as u64;
        r.ways_kept = r.ways_read;
        r.relations_read = self.data.restrictions.len() as u64;
        r.restrictions_kept = r.relations_read;
        self.data
    }
}

/// A well-mixed 64-bit hash (SplitMix64's finaliser).
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A deterministic value in `[-1, 1)` for `(key, index)`: the jitter of grid nodes, computed
/// from their index so a position can be found again without storing it.
pub fn jitter(key: u64, index: u64) -> f64 {
    (mix(key ^ mix(index)) >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_rounded_and_wrapped() {
        let b = Builder::new((45.0, 179.99), 10_000.0, 0);
        let (lat, lon) = b.lat_lon((5_000.0, 1_000.0));
        assert_eq!(lat, round7(lat));
        assert!((-180.0..=-179.9).contains(&lon), "{lon}");
        assert!((lat - 45.0 - 1_000.0 / M_PER_DEG).abs() < 1e-7);
        let far_north = Builder::new((88.0, 0.0), 500_000.0, 0);
        assert!(far_north.lat_lon((0.0, 500_000.0)).0 <= 89.0 + 1e-7);
        let j: Vec<f64> = (0..1000).map(|i| jitter(7, i)).collect();
        assert!(j.iter().all(|v| (-1.0..1.0).contains(v)));
        assert!(j.iter().any(|&v| v < -0.9) && j.iter().any(|&v| v > 0.9));
    }
}
