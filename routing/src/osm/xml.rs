//! OSM XML (`.osm`): one streaming pass; every node's position is held until the end, when
//! the ones no kept way references are dropped.
//!
//! Malformed XML (mismatched or unclosed elements, a document cut off mid-way, no `<osm>`
//! root) is an error. A well-formed element with a bad attribute (an id that is not a number,
//! a missing `lat`) is skipped and counted. Elements a JOSM file marks deleted
//! (`action="delete"`) or an API history marks invisible (`visible="false"`) are passed over.

use super::collect::Collector;
use super::restriction::{Member, MemberKind};
use super::{OsmData, OsmError};
use crate::profile::Tags;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::BufRead;

/// The element being read, with what has been collected of it.
enum Current {
    None,
    /// A deleted or invisible element, read over.
    Deleted,
    Node {
        id: Option<i64>,
        lat: Option<f64>,
        lon: Option<f64>,
        tags: Vec<(String, String)>,
    },
    Way {
        id: Option<i64>,
        refs: Vec<i64>,
        bad_ref: bool,
        tags: Vec<(String, String)>,
    },
    Relation {
        id: Option<i64>,
        members: Vec<Member>,
        tags: Vec<(String, String)>,
    },
}

fn attributes(e: &BytesStart<'_>, position: u64) -> Result<HashMap<String, String>, OsmError> {
    let mut out = HashMap::new();
    for a in e.attributes() {
        let a = a.map_err(|err| OsmError::Xml { position, message: err.to_string() })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.unescape_value().map_err(|err| OsmError::Xml { position, message: err.to_string() })?;
        out.insert(key, value.into_owned());
    }
    Ok(out)
}

fn num<T: std::str::FromStr>(attrs: &HashMap<String, String>, key: &str) -> Option<T> {
    attrs.get(key).and_then(|v| v.trim().parse().ok())
}

struct State {
    c: Collector,
    current: Current,
    nodes: HashMap<i64, (f64, f64, Tags)>,
}

impl State {
    fn open(&mut self, name: &[u8], attrs: HashMap<String, String>) {
        let deleted =
            attrs.get("action").is_some_and(|a| a == "delete") || attrs.get("visible").is_some_and(|v| v == "false");
        if deleted && matches!(name, b"node" | b"way" | b"relation") {
            self.current = Current::Deleted;
            return;
        }
        match name {
            b"node" => {
                self.current = Current::Node {
                    id: num(&attrs, "id"),
                    lat: num(&attrs, "lat"),
                    lon: num(&attrs, "lon"),
                    tags: Vec::new(),
                }
            }
            b"way" => {
                self.current =
                    Current::Way { id: num(&attrs, "id"), refs: Vec::new(), bad_ref: false, tags: Vec::new() }
            }
            b"relation" => {
                self.current = Current::Relation { id: num(&attrs, "id"), members: Vec::new(), tags: Vec::new() }
            }
            b"tag" => {
                if let (Some(k), Some(v)) = (attrs.get("k"), attrs.get("v")) {
                    match &mut self.current {
                        Current::Node { tags, .. } | Current::Way { tags, .. } | Current::Relation { tags, .. } => {
                            tags.push((k.clone(), v.clone()))
                        }
                        Current::None | Current::Deleted => {}
                    }
                }
            }
            b"nd" => {
                if let Current::Way { refs, bad_ref, .. } = &mut self.current {
                    match num(&attrs, "ref") {
                        Some(r) => refs.push(r),
                        None => *bad_ref = true,
                    }
                }
            }
            b"member" => {
                if let Current::Relation { members, .. } = &mut self.current {
                    let kind = match attrs.get("type").map(String::as_str) {
                        Some("node") => Some(MemberKind::Node),
                        Some("way") => Some(MemberKind::Way),
                        Some("relation") => Some(MemberKind::Relation),
                        _ => None,
                    };
                    if let (Some(kind), Some(id)) = (kind, num(&attrs, "ref")) {
                        let role = attrs.get("role").cloned().unwrap_or_default();
                        members.push(Member { kind, id, role });
                    }
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &[u8]) {
        if !matches!(name, b"node" | b"way" | b"relation") {
            return;
        }
        let report = &mut self.c.data.report;
        match std::mem::replace(&mut self.current, Current::None) {
            Current::Node { id, lat, lon, tags } => {
                report.nodes_read += 1;
                let pairs = tags.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                match (id, lat, lon) {
                    (Some(id), Some(lat), Some(lon)) => {
                        let tags = self.c.node_tags(pairs);
                        self.nodes.insert(id, (lat, lon, tags));
                    }
                    _ => {
                        report.nodes_invalid += 1;
                        report.warn(|| format!("node {id:?}: missing or unreadable id, lat or lon"));
                    }
                }
            }
            Current::Way { id: Some(id), refs, bad_ref: false, tags } => {
                let tags = self.c.tags(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())), |_| true);
                self.c.way(id, refs, tags);
            }
            Current::Way { id, .. } => {
                report.ways_read += 1;
                report.ways_invalid += 1;
                report.warn(|| format!("way {id:?}: unreadable id or node reference"));
            }
            Current::Relation { id: Some(id), members, tags } => {
                let tags = self.c.tags(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())), |_| true);
                self.c.relation(id, &members, &tags);
            }
            Current::Relation { .. } => {
                report.relations_read += 1;
                report.restrictions_invalid += 1;
                report.warn(|| "relation with an unreadable id".to_owned());
            }
            Current::None | Current::Deleted => {}
        }
    }
}

pub fn read(input: impl BufRead) -> Result<OsmData, OsmError> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut state = State { c: Collector::default(), current: Current::None, nodes: HashMap::new() };
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut saw_root = false;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| OsmError::Xml { position, message: e.to_string() })?;
        match event {
            Event::Start(e) | Event::Empty(e) if depth == 0 && e.name().as_ref() != b"osm" => {
                return Err(OsmError::NotOsm(format!(
                    "the root element is <{}>, not <osm>",
                    String::from_utf8_lossy(e.name().as_ref())
                )));
            }
            Event::Start(e) => {
                saw_root = true;
                depth += 1;
                let attrs = attributes(&e, position)?;
                state.open(e.name().as_ref(), attrs);
            }
            Event::Empty(e) => {
                saw_root = true;
                let attrs = attributes(&e, position)?;
                let name = e.name().as_ref().to_vec();
                state.open(&name, attrs);
                state.close(&name);
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                state.close(e.name().as_ref());
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(OsmError::NotOsm("no <osm> element".to_owned()));
    }
    if depth > 0 {
        return Err(OsmError::Xml {
            position: reader.buffer_position(),
            message: "the document ends inside an element".to_owned(),
        });
    }
    let needed = state.c.needed_nodes();
    for id in needed {
        if let Some((lat, lon, tags)) = state.nodes.remove(&id) {
            state.c.node(id, lat, lon, tags);
        }
    }
    Ok(state.c.finish())
}
