//! Streaming OSM XML (`.osm`): the elements of a file, one at a time, for every reader of map
//! data (the routing import and the map tile renderer each turn them into their own model).
//!
//! Malformed XML (mismatched or unclosed elements, a document cut off inside an element, a root
//! that is not `<osm>`) is an error. A well-formed element with an unreadable attribute (an id
//! that is not a number, a missing `lat`) is passed on with that field `None`, for the caller to
//! count or skip. Elements a JOSM file marks deleted (`action="delete"`) or an API history marks
//! invisible (`visible="false"`) are read over and never passed on.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::BufRead;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OsmXmlError {
    #[error("malformed OSM XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("not an OSM file: {0}")]
    NotOsm(String),
}

/// The kind of an element or of a relation member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementKind {
    Node,
    Way,
    Relation,
}

impl ElementKind {
    fn of(name: &[u8]) -> Option<ElementKind> {
        match name {
            b"node" => Some(ElementKind::Node),
            b"way" => Some(ElementKind::Way),
            b"relation" => Some(ElementKind::Relation),
            _ => None,
        }
    }
}

/// A relation member whose type and ref could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlMember {
    pub kind: ElementKind,
    pub id: i64,
    pub role: String,
}

/// A node, way or relation as written; `None` where an attribute is missing or unreadable.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlElement {
    pub kind: ElementKind,
    pub id: Option<i64>,
    /// Nodes only.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The `timestamp` attribute as written (RFC 3339 in OSM files).
    pub timestamp: Option<String>,
    pub tags: Vec<(String, String)>,
    /// Ways only: the node refs that could be read, in order.
    pub refs: Vec<i64>,
    /// Ways only: whether some `<nd>` had an unreadable `ref` (it is missing from `refs`).
    pub unreadable_ref: bool,
    /// Relations only.
    pub members: Vec<XmlMember>,
}

impl XmlElement {
    fn new(kind: ElementKind, attrs: &[(String, String)]) -> XmlElement {
        XmlElement {
            kind,
            id: number(attrs, "id"),
            lat: number(attrs, "lat"),
            lon: number(attrs, "lon"),
            timestamp: get(attrs, "timestamp").map(str::to_owned),
            tags: Vec::new(),
            refs: Vec::new(),
            unreadable_ref: false,
            members: Vec::new(),
        }
    }

    /// The tags as string pairs.
    pub fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// What a file holds, in the order written.
#[derive(Debug, Clone, PartialEq)]
pub enum XmlItem {
    /// `<bounds>`: west, south, east, north, as written (unchecked).
    Bounds([f64; 4]),
    Element(XmlElement),
}

fn get<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn number<T: std::str::FromStr>(attrs: &[(String, String)], key: &str) -> Option<T> {
    get(attrs, key).and_then(|v| v.trim().parse().ok())
}

fn attributes(e: &BytesStart<'_>, position: u64) -> Result<Vec<(String, String)>, OsmXmlError> {
    let malformed = |message: String| OsmXmlError::Xml { position, message };
    e.attributes()
        .map(|a| {
            let a = a.map_err(|err| malformed(err.to_string()))?;
            let value = a.unescape_value().map_err(|err| malformed(err.to_string()))?;
            Ok((String::from_utf8_lossy(a.key.as_ref()).into_owned(), value.into_owned()))
        })
        .collect()
}

/// Reads `input` to the end, handing each item to `visit` as it is complete.
pub fn read_osm_xml(input: impl BufRead, mut visit: impl FnMut(XmlItem)) -> Result<(), OsmXmlError> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut saw_root = false;
    // The element being read, and whether it is read over (deleted or invisible).
    let mut current: Option<(XmlElement, bool)> = None;
    loop {
        let position = reader.buffer_position();
        let event =
            reader.read_event_into(&mut buf).map_err(|e| OsmXmlError::Xml { position, message: e.to_string() })?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.name();
            if depth == 0 && name.as_ref() != b"osm" {
                let name = String::from_utf8_lossy(name.as_ref()).into_owned();
                return Err(OsmXmlError::NotOsm(format!("the root element is <{name}>, not <osm>")));
            }
            saw_root = true;
            let attrs = attributes(e, position)?;
            match (name.as_ref(), current.as_mut()) {
                (b"bounds", _) => {
                    if let [Some(w), Some(s), Some(e), Some(n)] =
                        ["minlon", "minlat", "maxlon", "maxlat"].map(|k| number::<f64>(&attrs, k))
                    {
                        visit(XmlItem::Bounds([w, s, e, n]));
                    }
                }
                (b"tag", Some((el, _))) => {
                    if let (Some(k), Some(v)) = (get(&attrs, "k"), get(&attrs, "v")) {
                        el.tags.push((k.to_owned(), v.to_owned()));
                    }
                }
                (b"nd", Some((el, _))) if el.kind == ElementKind::Way => match number(&attrs, "ref") {
                    Some(r) => el.refs.push(r),
                    None => el.unreadable_ref = true,
                },
                (b"member", Some((el, _))) if el.kind == ElementKind::Relation => {
                    let kind = get(&attrs, "type").and_then(|t| ElementKind::of(t.as_bytes()));
                    if let (Some(kind), Some(id)) = (kind, number(&attrs, "ref")) {
                        let role = get(&attrs, "role").unwrap_or_default().to_owned();
                        el.members.push(XmlMember { kind, id, role });
                    }
                }
                (other, _) => {
                    if let Some(kind) = ElementKind::of(other) {
                        let skipped =
                            get(&attrs, "action") == Some("delete") || get(&attrs, "visible") == Some("false");
                        current = Some((XmlElement::new(kind, &attrs), skipped));
                    }
                }
            }
            if empty && ElementKind::of(name.as_ref()).is_some() {
                finish(current.take(), &mut visit);
            }
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if ElementKind::of(e.name().as_ref()).is_some() {
                    finish(current.take(), &mut visit);
                }
            }
            Event::Eof if depth > 0 => {
                return Err(OsmXmlError::Xml { position, message: "the document ends inside an element".into() });
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(OsmXmlError::NotOsm("no <osm> element".into()));
    }
    Ok(())
}

fn finish(element: Option<(XmlElement, bool)>, visit: &mut impl FnMut(XmlItem)) {
    if let Some((element, false)) = element {
        visit(XmlItem::Element(element));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Result<Vec<XmlItem>, OsmXmlError> {
        let mut out = Vec::new();
        read_osm_xml(text.as_bytes(), |i| out.push(i))?;
        Ok(out)
    }

    #[test]
    fn elements_come_out_whole_and_in_order() {
        let text = r#"<?xml version="1.0"?>
<osm version="0.6">
  <bounds minlat="1" minlon="2" maxlat="3" maxlon="4"/>
  <node id="1" lat="0.5" lon="0.25" timestamp="2024-05-01T00:00:00Z"><tag k="name" v="A &amp; B"/></node>
  <node id="x" lat="0.5"/>
  <node id="9" lat="1" lon="1" action="delete"/>
  <way id="2"><nd ref="1"/><nd ref="?"/><nd ref="3"/><tag k="highway" v="primary"/></way>
  <relation id="3" visible="true"><member type="way" ref="2" role="outer"/><member type="area" ref="1" role="x"/><member type="node" ref="1"/></relation>
</osm>"#;
        let got = items(text).unwrap();
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[0], XmlItem::Bounds([2.0, 1.0, 4.0, 3.0]));
        let XmlItem::Element(node) = &got[1] else { panic!("{got:?}") };
        assert_eq!((node.kind, node.id, node.lat, node.lon), (ElementKind::Node, Some(1), Some(0.5), Some(0.25)));
        assert_eq!(node.timestamp.as_deref(), Some("2024-05-01T00:00:00Z"));
        assert_eq!(node.tag_pairs().collect::<Vec<_>>(), [("name", "A & B")]);
        let XmlItem::Element(bad) = &got[2] else { panic!() };
        assert_eq!((bad.id, bad.lon), (None, None), "unreadable fields are None, the element still comes");
        let XmlItem::Element(way) = &got[3] else { panic!() };
        assert_eq!((way.refs.as_slice(), way.unreadable_ref), (&[1, 3][..], true));
        let XmlItem::Element(relation) = &got[4] else { panic!() };
        let members: Vec<_> = relation.members.iter().map(|m| (m.kind, m.id, m.role.as_str())).collect();
        assert_eq!(members, [(ElementKind::Way, 2, "outer"), (ElementKind::Node, 1, "")]);
    }

    #[test]
    fn malformed_or_foreign_documents_are_errors() {
        for text in ["<osm><node id='1'></osm>", "<osm><way id='1'>", "<osm>"] {
            assert!(matches!(items(text), Err(OsmXmlError::Xml { .. })), "{text}");
        }
        for text in ["not xml at all", "<gpx></gpx>", ""] {
            assert!(matches!(items(text), Err(OsmXmlError::NotOsm(_))), "{text}");
        }
    }
}
