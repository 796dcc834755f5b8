//! Reading the map features of an OSM XML file (`.osm`): one streaming parse into elements,
//! then the same collector as the PBF reader, relations first. Elements a JOSM file marks
//! deleted (`action="delete"`) or an API history marks invisible (`visible="false"`) are passed
//! over; an element with an unreadable id or position is skipped; malformed XML is an error.

use super::read::{wanted_tags, Collector, RawMap};
use super::MapError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::BufRead;
use std::path::Path;

type OwnedTags = Vec<(String, String)>;

#[derive(Default)]
struct Element {
    kind: &'static str,
    id: Option<i64>,
    lat: Option<f64>,
    lon: Option<f64>,
    ms: Option<i64>,
    skip: bool,
    tags: OwnedTags,
    refs: Vec<i64>,
    /// Way members: (id, inner).
    members: Vec<(i64, bool)>,
}

fn attrs(e: &BytesStart<'_>, position: u64) -> Result<Vec<(String, String)>, MapError> {
    e.attributes()
        .map(|a| {
            let a = a.map_err(|err| MapError::Xml { position, message: err.to_string() })?;
            let value = a.unescape_value().map_err(|err| MapError::Xml { position, message: err.to_string() })?;
            Ok((String::from_utf8_lossy(a.key.as_ref()).into_owned(), value.into_owned()))
        })
        .collect()
}

fn get<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn parse<T: std::str::FromStr>(attrs: &[(String, String)], key: &str) -> Option<T> {
    get(attrs, key).and_then(|v| v.trim().parse().ok())
}

fn borrowed(tags: &OwnedTags) -> Option<Vec<(&str, &str)>> {
    wanted_tags(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

pub fn read_xml(input: impl BufRead, path: &Path, since_ms: Option<i64>) -> Result<RawMap, MapError> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let (mut nodes, mut ways, mut relations) = (Vec::new(), Vec::new(), Vec::new());
    let mut bounds = None;
    let mut current: Option<Element> = None;
    let mut saw_root = false;
    let mut depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| MapError::Xml { position, message: e.to_string() })?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let a = attrs(e, position)?;
            match e.name().as_ref() {
                b"osm" => saw_root = true,
                b"bounds" => {
                    let v = ["minlon", "minlat", "maxlon", "maxlat"].map(|k| parse::<f64>(&a, k));
                    if let [Some(w), Some(s), Some(e), Some(n)] = v {
                        bounds = Some([w, s, e, n]).filter(|b| b[0] < b[2] && b[1] < b[3]);
                    }
                }
                name @ (b"node" | b"way" | b"relation") => {
                    let element = Element {
                        kind: match name {
                            b"node" => "node",
                            b"way" => "way",
                            _ => "relation",
                        },
                        id: parse(&a, "id"),
                        lat: parse::<f64>(&a, "lat").filter(|v| v.abs() <= 90.0),
                        lon: parse::<f64>(&a, "lon").filter(|v| v.abs() <= 180.0),
                        ms: get(&a, "timestamp")
                            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                            .map(|t| t.timestamp_millis()),
                        skip: get(&a, "action") == Some("delete") || get(&a, "visible") == Some("false"),
                        ..Element::default()
                    };
                    current = Some(element);
                }
                b"tag" => {
                    if let (Some(el), Some(k), Some(v)) = (current.as_mut(), get(&a, "k"), get(&a, "v")) {
                        if !k.is_empty() && k.len() <= 255 && v.len() <= 255 {
                            el.tags.push((k.to_owned(), v.to_owned()));
                        }
                    }
                }
                b"nd" => match (current.as_mut(), parse::<i64>(&a, "ref")) {
                    (Some(el), Some(r)) => el.refs.push(r),
                    (Some(el), None) => el.skip = true,
                    _ => {}
                },
                b"member" => {
                    if let (Some(el), Some("way"), Some(r)) =
                        (current.as_mut(), get(&a, "type"), parse::<i64>(&a, "ref"))
                    {
                        el.members.push((r, get(&a, "role") == Some("inner")));
                    }
                }
                _ => {}
            }
            if empty && matches!(e.name().as_ref(), b"node" | b"way" | b"relation") {
                finish(current.take(), &mut nodes, &mut ways, &mut relations);
            }
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Eof if depth > 0 => {
                return Err(MapError::Xml {
                    position,
                    message: "the document ends inside an element (cut off?)".into(),
                });
            }
            Event::End(e) if matches!(e.name().as_ref(), b"node" | b"way" | b"relation") => {
                finish(current.take(), &mut nodes, &mut ways, &mut relations);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(MapError::Xml { position: 0, message: format!("{} has no <osm> element", path.display()) });
    }
    let mut c = Collector::new(since_ms, bounds);
    for r in &relations {
        c.relation(r.id.unwrap_or_default(), borrowed(&r.tags), r.members.iter().copied(), r.ms);
    }
    for w in ways {
        let tags = borrowed(&w.tags);
        c.way(w.id.unwrap_or_default(), w.refs.clone(), tags, w.ms);
    }
    c.ways_done();
    for n in &nodes {
        if let (Some(lat), Some(lon)) = (n.lat, n.lon) {
            c.node(n.id.unwrap_or_default(), lat, lon, n.ms, borrowed(&n.tags));
        }
    }
    Ok(c.finish())
}

/// Files a finished element under its kind, unless it is to be passed over.
fn finish(element: Option<Element>, nodes: &mut Vec<Element>, ways: &mut Vec<Element>, relations: &mut Vec<Element>) {
    let Some(e) = element.filter(|e| !e.skip && e.id.is_some()) else { return };
    match e.kind {
        "node" => nodes.push(e),
        "way" if e.refs.len() >= 2 => ways.push(e),
        "relation" => relations.push(e),
        _ => {}
    }
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
