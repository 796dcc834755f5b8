//! OSM XML (`.osm`): one streaming pass over the file's elements
//! ([`locus_core::osm_xml`]); every node's position is held until the end, when the ones no
//! kept way references are dropped. Malformed XML is an error; a node, way or relation with an
//! unreadable id, position or node reference is skipped and counted.

use super::collect::Collector;
use super::restriction::{Member, MemberKind};
use super::{OsmData, OsmError};
use crate::profile::Tags;
use locus_core::osm_xml::{read_osm_xml, ElementKind, OsmXmlError, XmlElement, XmlItem};
use std::collections::HashMap;
use std::io::BufRead;

impl From<OsmXmlError> for OsmError {
    fn from(e: OsmXmlError) -> Self {
        match e {
            OsmXmlError::Xml { position, message } => OsmError::Xml { position, message },
            OsmXmlError::NotOsm(why) => OsmError::NotOsm(why),
        }
    }
}

fn member_kind(kind: ElementKind) -> MemberKind {
    match kind {
        ElementKind::Node => MemberKind::Node,
        ElementKind::Way => MemberKind::Way,
        ElementKind::Relation => MemberKind::Relation,
    }
}

/// Hands one element to the collector, or counts it as unreadable.
fn take(c: &mut Collector, nodes: &mut HashMap<i64, (f64, f64, Tags)>, e: XmlElement) {
    let report = &mut c.data.report;
    match e.kind {
        ElementKind::Node => {
            report.nodes_read += 1;
            match (e.id, e.lat, e.lon) {
                (Some(id), Some(lat), Some(lon)) => {
                    let tags = c.node_tags(e.tag_pairs());
                    nodes.insert(id, (lat, lon, tags));
                }
                (id, ..) => {
                    report.nodes_invalid += 1;
                    report.warn(|| format!("node {id:?}: missing or unreadable id, lat or lon"));
                }
            }
        }
        ElementKind::Way => match e.id {
            Some(id) if !e.unreadable_ref => {
                let tags = c.tags(e.tag_pairs(), |_| true);
                c.way(id, e.refs, tags);
            }
            id => {
                report.ways_read += 1;
                report.ways_invalid += 1;
                report.warn(|| format!("way {id:?}: unreadable id or node reference"));
            }
        },
        ElementKind::Relation => match e.id {
            Some(id) => {
                let tags = c.tags(e.tag_pairs(), |_| true);
                let members: Vec<Member> = e
                    .members
                    .into_iter()
                    .map(|m| Member { kind: member_kind(m.kind), id: m.id, role: m.role })
                    .collect();
                c.relation(id, &members, &tags);
            }
            None => {
                report.relations_read += 1;
                report.restrictions_invalid += 1;
                report.warn(|| "relation with an unreadable id".to_owned());
            }
        },
    }
}

pub fn read(input: impl BufRead) -> Result<OsmData, OsmError> {
    let mut c = Collector::default();
    let mut nodes = HashMap::new();
    read_osm_xml(input, |item| {
        if let XmlItem::Element(e) = item {
            take(&mut c, &mut nodes, e);
        }
    })?;
    for id in c.needed_nodes() {
        if let Some((lat, lon, tags)) = nodes.remove(&id) {
            c.node(id, lat, lon, tags);
        }
    }
    Ok(c.finish())
}
