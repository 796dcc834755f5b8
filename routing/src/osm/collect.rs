//! The validation and filtering both readers share: what to keep of each element.

use super::restriction::{self, Member};
use super::{ImportReport, OsmData, OsmNode, OsmWay};
use crate::profile::Tags;

/// OSM's limit on the length of keys and values.
const MAX_TAG_CHARS: usize = 255;

/// Node tags that matter for routing (barriers, access, and what makes a barrier passable);
/// the others are dropped at read time.
const NODE_KEYS: &[&str] = &[
    "barrier",
    "access",
    "vehicle",
    "motor_vehicle",
    "motorcar",
    "foot",
    "bicycle",
    "highway",
    "locked",
    "bollard",
    "kerb",
    "maxheight",
    "maxheight:physical",
];

/// The tags that make a way worth keeping for some profile: any `highway`, and the ways the
/// profiles use without one (ferries, shuttle trains, piers, platforms).
const ROUTABLE: &[(&str, Option<&str>)] = &[
    ("highway", None),
    ("route", Some("ferry")),
    ("route", Some("shuttle_train")),
    ("man_made", Some("pier")),
    ("railway", Some("platform")),
    ("public_transport", Some("platform")),
];

fn routable_pair(k: &str, v: &str) -> bool {
    ROUTABLE.iter().any(|&(key, value)| key == k && value.is_none_or(|value| value == v) && !v.trim().is_empty())
}

/// Collects the kept elements and counts the rest.
#[derive(Debug, Default)]
pub struct Collector {
    pub data: OsmData,
}

/// Whether a router may use a way with these tags under some profile.
fn routable(tags: &Tags) -> bool {
    tags.iter().any(|(k, v)| routable_pair(k, v.trim()))
}

/// [`routable`] on raw pairs, so a reader can pass over the many ways that are not roads
/// (buildings, land use) before collecting their nodes and tags.
pub fn may_be_routable<'a>(mut pairs: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    pairs.any(|(k, v)| routable_pair(k, v.trim()))
}

/// Only `type=restriction` relations are read; the rest are passed over unparsed.
pub fn may_be_restriction<'a>(mut pairs: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    pairs.any(|kv| kv == ("type", "restriction"))
}

impl Collector {
    fn report(&mut self) -> &mut ImportReport {
        &mut self.data.report
    }

    /// Builds tags from raw pairs, dropping (and counting) empty or over-long ones.
    pub fn tags<'a>(&mut self, pairs: impl Iterator<Item = (&'a str, &'a str)>, keep: impl Fn(&str) -> bool) -> Tags {
        let mut tags = Tags::new();
        for (k, v) in pairs {
            if k.is_empty() || k.chars().count() > MAX_TAG_CHARS || v.chars().count() > MAX_TAG_CHARS {
                self.report().tags_dropped += 1;
                continue;
            }
            if keep(k) {
                tags.insert(k, v);
            }
        }
        tags
    }

    /// Node tags worth keeping.
    pub fn node_tags<'a>(&mut self, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Tags {
        self.tags(pairs, |k| NODE_KEYS.contains(&k))
    }

    /// A way: kept when routable and well formed.
    /// Counts a way read but passed over (see [`may_be_routable`]).
    pub fn skip_way(&mut self) {
        self.report().ways_read += 1;
    }

    /// Counts a relation read but passed over (see [`may_be_restriction`]).
    pub fn skip_relation(&mut self) {
        self.report().relations_read += 1;
    }

    pub fn way(&mut self, id: i64, nodes: Vec<i64>, tags: Tags) {
        self.report().ways_read += 1;
        if !routable(&tags) {
            return;
        }
        if nodes.len() < 2 {
            self.report().ways_invalid += 1;
            self.report().warn(|| format!("way {id}: fewer than two nodes"));
            return;
        }
        self.report().ways_kept += 1;
        self.data.ways.push(OsmWay { id, nodes, tags });
    }

    /// A relation: kept when it is a readable turn restriction.
    pub fn relation(&mut self, id: i64, members: &[Member], tags: &Tags) {
        self.report().relations_read += 1;
        match restriction::parse(id, members, tags) {
            Ok(rs) => {
                self.report().restrictions_kept += rs.len() as u64;
                self.data.restrictions.extend(rs);
            }
            Err(why) => {
                self.report().restrictions_invalid += 1;
                self.report().warn(|| format!("restriction relation {id}: {why}"));
            }
        }
    }

    /// A node the caller knows a kept way needs (or may need).
    pub fn node(&mut self, id: i64, lat: f64, lon: f64, tags: Tags) {
        if !(lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
            self.report().nodes_invalid += 1;
            self.report().warn(|| format!("node {id}: position ({lat}, {lon}) is off the globe"));
            return;
        }
        self.data.nodes.insert(id, OsmNode { lat, lon, tags });
    }

    /// The sorted, deduplicated ids of the nodes the kept ways reference.
    pub fn needed_nodes(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.data.ways.iter().flat_map(|w| w.nodes.iter().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Counts the references to nodes that never came, and hands over the data.
    pub fn finish(mut self) -> OsmData {
        let mut missing = 0;
        let mut ways = 0;
        for way in &self.data.ways {
            let n = way.nodes.iter().filter(|id| !self.data.nodes.contains_key(id)).count() as u64;
            if n > 0 {
                missing += n;
                ways += 1;
                if self.data.report.warnings.len() < super::MAX_WARNINGS {
                    self.data.report.warnings.push(format!("way {}: {n} of its nodes are not in the file", way.id));
                }
            }
        }
        self.data.report.missing_node_refs = missing;
        self.data.report.ways_with_missing_nodes = ways;
        self.data.report.nodes_kept = self.data.nodes.len() as u64;
        self.data
    }
}
