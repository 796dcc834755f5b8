//! Reading the map features of an OSM XML file (`.osm`): one streaming parse into elements
//! ([`locus_core::osm_xml`]), then the same collector as the PBF reader, relations first. An
//! element with an unreadable id, position or node reference is skipped; malformed XML is an
//! error.

use super::read::{wanted_tags, Collector, RawMap};
use super::MapError;
use locus_core::osm_xml::{read_osm_xml, ElementKind, OsmXmlError, XmlElement, XmlItem};
use std::io::BufRead;
use std::path::Path;

/// The tags a feature may use: keys of 1 to 255 bytes, values of at most 255, as OSM allows.
fn borrowed(e: &XmlElement) -> Option<Vec<(&str, &str)>> {
    wanted_tags(e.tag_pairs().filter(|(k, v)| !k.is_empty() && k.len() <= 255 && v.len() <= 255))
}

fn edited_ms(e: &XmlElement) -> Option<i64> {
    let t = e.timestamp.as_deref()?;
    chrono::DateTime::parse_from_rfc3339(t).ok().map(|t| t.timestamp_millis())
}

pub fn read_xml(input: impl BufRead, path: &Path, since_ms: Option<i64>) -> Result<RawMap, MapError> {
    let (mut nodes, mut ways, mut relations) = (Vec::new(), Vec::new(), Vec::new());
    let mut bounds = None;
    read_osm_xml(input, |item| match item {
        XmlItem::Bounds(b) => bounds = Some(b).filter(|b| b[0] < b[2] && b[1] < b[3]),
        XmlItem::Element(e) if e.id.is_none() => {}
        XmlItem::Element(e) => match e.kind {
            ElementKind::Node => nodes.push(e),
            ElementKind::Way if e.refs.len() >= 2 && !e.unreadable_ref => ways.push(e),
            ElementKind::Way => {}
            ElementKind::Relation => relations.push(e),
        },
    })
    .map_err(|e| match e {
        OsmXmlError::Xml { position, message } => MapError::Xml { position, message },
        OsmXmlError::NotOsm(why) => MapError::Xml { position: 0, message: format!("{}: {why}", path.display()) },
    })?;
    let mut c = Collector::new(since_ms, bounds);
    for r in &relations {
        let members = r.members.iter().filter(|m| m.kind == ElementKind::Way).map(|m| (m.id, m.role == "inner"));
        c.relation(r.id.unwrap_or_default(), borrowed(r), members, edited_ms(r));
    }
    for w in &ways {
        c.way(w.id.unwrap_or_default(), w.refs.clone(), borrowed(w), edited_ms(w));
    }
    c.ways_done();
    for n in &nodes {
        let lat = n.lat.filter(|v| v.abs() <= 90.0);
        let lon = n.lon.filter(|v| v.abs() <= 180.0);
        if let (Some(lat), Some(lon)) = (lat, lon) {
            c.node(n.id.unwrap_or_default(), lat, lon, edited_ms(n), borrowed(n));
        }
    }
    Ok(c.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = r#"<?xml version="1.0"?>
<osm version="0.6">
  <bounds minlat="0.0" minlon="0.0" maxlat="0.01" maxlon="0.01"/>
  <node id="1" lat="0.001" lon="0.001" timestamp="2024-05-01T00:00:00Z"/>
  <node id="2" lat="0.001" lon="0.009"/>
  <node id="3" lat="0.009" lon="0.009"/>
  <node id="4" lat="0.009" lon="0.001"/>
  <node id="5" lat="0.005" lon="0.005"><tag k="place" v="village"/><tag k="name" v="Middle"/></node>
  <node id="6" lat="0.005" lon="0.005" action="delete"><tag k="place" v="town"/><tag k="name" v="Gone"/></node>
  <way id="10" timestamp="2020-01-01T00:00:00Z"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="name" v="High Street"/></way>
  <way id="11"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/><tag k="leisure" v="park"/></way>
  <way id="12"><nd ref="2"/><nd ref="3"/></way>
  <way id="13"><nd ref="3"/><nd ref="4"/><nd ref="1"/><nd ref="2"/></way>
  <relation id="20"><member type="way" ref="12" role="outer"/><member type="way" ref="13" role="outer"/><tag k="type" v="multipolygon"/><tag k="natural" v="water"/></relation>
</osm>"#;

    #[test]
    fn xml_elements_become_the_same_features_as_pbf_ones() {
        let raw = read_xml(MAP.as_bytes(), Path::new("t.osm"), Some(1_700_000_000_000)).unwrap();
        assert_eq!(raw.declared_bounds, Some([0.0, 0.0, 0.01, 0.01]));
        let classes: Vec<&str> = raw.ways.iter().filter_map(|w| w.what.kind.map(|k| k.class)).collect();
        assert_eq!(classes, ["primary", "park"]);
        assert_eq!(raw.ways[0].what.name.as_deref(), Some("High Street"));
        assert_eq!(raw.relations.len(), 1);
        assert_eq!(raw.member_ways.len(), 2, "member ways are kept for the rings");
        assert_eq!(raw.points.len(), 1, "the deleted node is passed over");
        assert_eq!(raw.positions.len(), 4);
        assert!(raw.changed_nodes.contains(&1) && !raw.ways[0].what.changed);
        assert_eq!(raw.newest_edit_ms, Some(1_714_521_600_000));
    }

    #[test]
    fn malformed_xml_is_an_error() {
        for text in ["<osm><node id='1'></osm>", "<osm><way id='1'>", "not xml at all"] {
            assert!(read_xml(text.as_bytes(), Path::new("t.osm"), None).is_err(), "{text}");
        }
    }
}
