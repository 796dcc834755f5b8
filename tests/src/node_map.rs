//! Node maps in the style of OSRM's cucumber features: an ASCII drawing whose letters and digits
//! are OSM nodes on a grid, the ways through them with their tags, node tags and turn
//! restrictions, written out as an `.osm` XML file for `locus import osm`.
//!
//! ```text
//! NodeMap::new("
//!     a-b-c
//!     |   |
//!     d---e")
//! .way("abc", "highway=primary oneway=yes")
//! .way("adec", "highway=residential")
//! ```
//!
//! - Characters are `grid_m` metres apart across and down (100 m unless [`NodeMap::grid`] says
//!   otherwise), so `a-b` is 200 m; everything but letters and digits is decoration: the
//!   edges come only from the listed ways. The drawing's common indentation is removed.
//! - Tags are `k=v` separated by spaces (a value cannot hold a space). A way is named after
//!   its node string (way `abc` has `name=abc`), as in OSRM's features, unless its tags give a
//!   `name`; `name=` (empty) leaves the way unnamed.
//! - Node ids are the position of the name in `a..z0..9` plus one; way ids 1000 + the order
//!   the ways were listed in; relation ids 5000 + their order.

use std::fmt::Write;

const NAMES: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
/// Metres per degree of latitude on Locus's sphere (R = 6,371,008.8 m).
const M_PER_DEG: f64 = 111_195.08;

/// A relation member: `(type, name, role)`; a way is named by its node string.
type Member = (&'static str, String, &'static str);

#[derive(Debug, Clone)]
pub struct NodeMap {
    /// (name, row, column)
    nodes: Vec<(char, usize, usize)>,
    node_tags: Vec<(char, String)>,
    ways: Vec<(String, String)>,
    relations: Vec<(Vec<Member>, String)>,
    grid_m: f64,
    /// The position of row 0, column 0: (lat, lon).
    origin: (f64, f64),
}

/// A drawing written with leading indentation: blank leading lines and the common indentation
/// removed, trailing spaces dropped.
pub fn dedent(s: &str) -> String {
    let lines: Vec<&str> = s.lines().skip_while(|l| l.trim().is_empty()).collect();
    let indent =
        lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    lines.iter().map(|l| l.get(indent..).unwrap_or("").trim_end()).collect::<Vec<_>>().join("\n")
}

fn node_id(c: char) -> i64 {
    NAMES.find(c).map(|i| i as i64 + 1).unwrap_or_else(|| panic!("node name {c:?} is not a lower-case letter or digit"))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn split_tags(tags: &str) -> Vec<(&str, &str)> {
    tags.split_whitespace().map(|kv| kv.split_once('=').unwrap_or_else(|| panic!("tag {kv:?} is not k=v"))).collect()
}

fn tag_xml(out: &mut String, tags: &[(&str, &str)]) {
    for (k, v) in tags {
        let _ = writeln!(out, r#"    <tag k="{}" v="{}"/>"#, escape(k), escape(v));
    }
}

impl NodeMap {
    pub fn new(drawing: &str) -> NodeMap {
        let mut nodes: Vec<(char, usize, usize)> = Vec::new();
        for (row, line) in dedent(drawing).lines().enumerate() {
            for (col, c) in line.chars().enumerate() {
                if c.is_ascii_alphanumeric() {
                    assert!(NAMES.contains(c), "node name {c:?} is not a lower-case letter or digit");
                    assert!(!nodes.iter().any(|n| n.0 == c), "node {c} drawn twice");
                    nodes.push((c, row, col));
                }
            }
        }
        NodeMap {
            nodes,
            node_tags: Vec::new(),
            ways: Vec::new(),
            relations: Vec::new(),
            grid_m: 100.0,
            origin: (1.0, 1.0),
        }
    }

    /// Metres between neighbouring characters of the drawing.
    pub fn grid(mut self, metres: f64) -> NodeMap {
        self.grid_m = metres;
        self
    }

    /// Places row 0, column 0 of the drawing at `(lat, lon)`.
    pub fn origin(mut self, lat: f64, lon: f64) -> NodeMap {
        self.origin = (lat, lon);
        self
    }

    /// A way through the named nodes, in order.
    pub fn way(mut self, nodes: &str, tags: &str) -> NodeMap {
        for c in nodes.chars() {
            assert!(self.nodes.iter().any(|n| n.0 == c), "way {nodes}: node {c} is not drawn");
        }
        assert!(!self.ways.iter().any(|w| w.0 == nodes), "way {nodes} listed twice");
        self.ways.push((nodes.to_owned(), tags.to_owned()));
        self
    }

    /// Tags on a node (barriers, access, traffic signals).
    pub fn node(mut self, name: char, tags: &str) -> NodeMap {
        self.node_tags.push((name, tags.to_owned()));
        self
    }

    /// A relation; members are `(type, name, role)`, a way named by its node string.
    pub fn relation(mut self, members: &[(&'static str, &str, &'static str)], tags: &str) -> NodeMap {
        let members = members.iter().map(|&(t, n, r)| (t, n.to_owned(), r)).collect();
        self.relations.push((members, tags.to_owned()));
        self
    }

    /// A turn restriction from one way to another via a node:
    /// `restriction("ab", 'b', "bd", "restriction=no_left_turn")`.
    pub fn restriction(self, from: &str, via: char, to: &str, tags: &str) -> NodeMap {
        let via = via.to_string();
        self.relation(
            &[("way", from, "from"), ("node", &via, "via"), ("way", to, "to")],
            &format!("type=restriction {tags}"),
        )
    }

    /// `(lat, lon)` of a drawn node.
    pub fn lat_lon(&self, name: char) -> (f64, f64) {
        let &(_, row, col) =
            self.nodes.iter().find(|n| n.0 == name).unwrap_or_else(|| panic!("node {name} is not drawn"));
        self.at(row as f64, col as f64)
    }

    /// `(lat, lon)` of a (fractional) row and column of the drawing's grid.
    pub fn at(&self, row: f64, col: f64) -> (f64, f64) {
        let (lat0, lon0) = self.origin;
        let lat = lat0 - row * self.grid_m / M_PER_DEG;
        let lon = lon0 + col * self.grid_m / (M_PER_DEG * lat0.to_radians().cos());
        // Seven decimals, as the XML holds them, so a query at a node is exactly on it.
        let round7 = |x: f64| (x * 1e7).round() / 1e7;
        (round7(lat), round7(lon))
    }

    /// A node as OSRM's `lon,lat`.
    pub fn coord(&self, name: char) -> String {
        let (lat, lon) = self.lat_lon(name);
        format!("{lon},{lat}")
    }

    /// Nodes as OSRM's `lon,lat;lon,lat...`, e.g. `coords("ac")`.
    pub fn coords(&self, names: &str) -> String {
        names.chars().map(|c| self.coord(c)).collect::<Vec<_>>().join(";")
    }

    fn way_id(&self, nodes: &str) -> i64 {
        let i = self.ways.iter().position(|w| w.0 == nodes).unwrap_or_else(|| panic!("no way {nodes}"));
        1000 + i as i64
    }

    /// The map as OSM XML.
    pub fn xml(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"locus-tests\">\n",
        );
        for &(c, row, col) in &self.nodes {
            let (lat, lon) = self.at(row as f64, col as f64);
            let _ = writeln!(out, r#"  <node id="{}" lat="{lat:.7}" lon="{lon:.7}" version="1">"#, node_id(c));
            for (_, tags) in self.node_tags.iter().filter(|t| t.0 == c) {
                tag_xml(&mut out, &split_tags(tags));
            }
            out.push_str("  </node>\n");
        }
        for (i, (nodes, tags)) in self.ways.iter().enumerate() {
            let _ = writeln!(out, r#"  <way id="{}" version="1">"#, 1000 + i);
            for c in nodes.chars() {
                let _ = writeln!(out, r#"    <nd ref="{}"/>"#, node_id(c));
            }
            let mut tags = split_tags(tags);
            if !tags.iter().any(|(k, _)| *k == "name") {
                tags.insert(0, ("name", nodes.as_str()));
            }
            tags.retain(|(k, v)| !(*k == "name" && v.is_empty()));
            tag_xml(&mut out, &tags);
            out.push_str("  </way>\n");
        }
        for (i, (members, tags)) in self.relations.iter().enumerate() {
            let _ = writeln!(out, r#"  <relation id="{}" version="1">"#, 5000 + i);
            for (t, name, role) in members {
                let id = if *t == "way" { self.way_id(name) } else { node_id(name.chars().next().unwrap_or('?')) };
                let _ = writeln!(out, r#"    <member type="{t}" ref="{id}" role="{role}"/>"#);
            }
            tag_xml(&mut out, &split_tags(tags));
            out.push_str("  </relation>\n");
        }
        out.push_str("</osm>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawing_to_xml() {
        let m = NodeMap::new(
            "
            a-b
              |
              c",
        )
        .way("ab", "highway=primary")
        .way("bc", "highway=residential name=Side")
        .node('b', "barrier=gate")
        .restriction("ab", 'b', "bc", "restriction=no_right_turn");
        let xml = m.xml();
        assert!(xml.contains(r#"<node id="2" lat="1.0000000" lon="1.0017989" version="1">"#), "{xml}");
        assert!(xml.contains(r#"<tag k="name" v="ab"/>"#));
        assert!(xml.contains(r#"<tag k="name" v="Side"/>"#));
        assert!(!xml.contains(r#"v="bc""#));
        assert!(xml.contains(r#"<member type="way" ref="1001" role="to"/>"#));
        let (lat_a, _) = m.lat_lon('a');
        let (lat_c, _) = m.lat_lon('c');
        assert!(((lat_a - lat_c) * M_PER_DEG - 200.0).abs() < 0.1);
        assert_eq!(m.coords("ab"), "1,1;1.0017989,1");
    }
}
