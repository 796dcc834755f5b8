//! Gurka-style scenario maps: a small ASCII drawing turned into OSM XML, imported, routed.
//!
//! Every letter or digit of the drawing is a node; characters are 100 m apart across and
//! down, so `a-b` is 200 m. Anything else (`-`, `|`, `/`, `~`, spaces) is decoration: edges
//! come only from the ways listed. Tags are `k=v` separated by spaces (values cannot hold
//! spaces; they are escaped for XML).
//!
//! ```text
//! let m = Map::new("a-b-c\n|   |\nd---e").way("abc", "highway=primary oneway=yes").way("adec", "highway=residential");
//! assert_eq!(m.route(Mode::Car, 'c', 'a').as_deref(), Some("ceda"));
//! ```

use locus_routing::{read_xml, shortest_path, Graph, Mode, OsmData, Profile, Route};
use std::fmt::Write;

const NAMES: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const GRID_M: f64 = 100.0;
const M_PER_DEG: f64 = 111_195.08;

/// A relation member: `(type, name, role)`, a way named by its node string.
type MemberSpec = (&'static str, String, &'static str);

pub struct Map {
    /// (name, row, column)
    nodes: Vec<(char, usize, usize)>,
    node_tags: Vec<(char, String)>,
    ways: Vec<(String, String)>,
    relations: Vec<(Vec<MemberSpec>, String)>,
}

fn node_id(c: char) -> i64 {
    NAMES.find(c).map(|i| i as i64 + 1).unwrap_or_else(|| panic!("node name {c:?} is not a letter or digit"))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn tag_xml(out: &mut String, tags: &str) {
    for kv in tags.split_whitespace() {
        let (k, v) = kv.split_once('=').unwrap_or_else(|| panic!("tag {kv:?} is not k=v"));
        let _ = writeln!(out, r#"    <tag k="{}" v="{}"/>"#, escape(k), escape(v));
    }
}

impl Map {
    pub fn new(drawing: &str) -> Map {
        let mut nodes = Vec::new();
        for (row, line) in drawing.lines().enumerate() {
            for (col, c) in line.chars().enumerate() {
                if c.is_ascii_alphanumeric() {
                    assert!(!nodes.iter().any(|n: &(char, usize, usize)| n.0 == c), "node {c} drawn twice");
                    nodes.push((c, row, col));
                }
            }
        }
        Map { nodes, node_tags: Vec::new(), ways: Vec::new(), relations: Vec::new() }
    }

    /// A way through the named nodes, in order, with `k=v` tags separated by spaces.
    pub fn way(mut self, nodes: &str, tags: &str) -> Map {
        self.ways.push((nodes.to_owned(), tags.to_owned()));
        self
    }

    /// Tags on a node (barriers).
    pub fn node(mut self, name: char, tags: &str) -> Map {
        self.node_tags.push((name, tags.to_owned()));
        self
    }

    /// A relation; members are `(type, name, role)`, a way named by its node string.
    pub fn relation(mut self, members: &[(&'static str, &str, &'static str)], tags: &str) -> Map {
        let members = members.iter().map(|&(t, n, r)| (t, n.to_owned(), r)).collect();
        self.relations.push((members, tags.to_owned()));
        self
    }

    /// `no_left_turn` etc. via a node: `restriction("ab", 'b', "bd", "restriction=no_left_turn")`.
    pub fn restriction(self, from: &str, via: char, to: &str, tags: &str) -> Map {
        let via = via.to_string();
        self.relation(
            &[("way", from, "from"), ("node", &via, "via"), ("way", to, "to")],
            &format!("type=restriction {tags}"),
        )
    }

    fn way_id(&self, nodes: &str) -> i64 {
        let i = self.ways.iter().position(|w| w.0 == nodes).unwrap_or_else(|| panic!("no way {nodes}"));
        1000 + i as i64
    }

    pub fn xml(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"locus-test\">\n",
        );
        for &(c, row, col) in &self.nodes {
            let lat = 1.0 - row as f64 * GRID_M / M_PER_DEG;
            let lon = 1.0 + col as f64 * GRID_M / (M_PER_DEG * 1f64.to_radians().cos());
            let _ = writeln!(out, r#"  <node id="{}" lat="{lat:.7}" lon="{lon:.7}" version="1">"#, node_id(c));
            for (_, tags) in self.node_tags.iter().filter(|t| t.0 == c) {
                tag_xml(&mut out, tags);
            }
            out.push_str("  </node>\n");
        }
        for (i, (nodes, tags)) in self.ways.iter().enumerate() {
            let _ = writeln!(out, r#"  <way id="{}" version="1">"#, 1000 + i);
            for c in nodes.chars() {
                let _ = writeln!(out, r#"    <nd ref="{}"/>"#, node_id(c));
            }
            let name = format!("name=Way_{nodes}");
            tag_xml(&mut out, &format!("{name} {tags}"));
            out.push_str("  </way>\n");
        }
        for (i, (members, tags)) in self.relations.iter().enumerate() {
            let _ = writeln!(out, r#"  <relation id="{}" version="1">"#, 5000 + i);
            for (t, name, role) in members {
                let id = if *t == "way" { self.way_id(name) } else { node_id(name.chars().next().unwrap_or('?')) };
                let _ = writeln!(out, r#"    <member type="{t}" ref="{id}" role="{role}"/>"#);
            }
            tag_xml(&mut out, tags);
            out.push_str("  </relation>\n");
        }
        out.push_str("</osm>\n");
        out
    }

    pub fn data(&self) -> OsmData {
        read_xml(self.xml().as_bytes()).unwrap_or_else(|e| panic!("scenario XML did not import: {e}"))
    }

    pub fn graph(&self, mode: Mode) -> Graph {
        Graph::build(&self.data(), Profile::new(mode))
    }

    /// The full Dijkstra answer between two named nodes.
    pub fn full_route(&self, mode: Mode, from: char, to: char) -> Option<(Graph, Route)> {
        let g = self.graph(mode);
        let (a, b) = (g.node_of_osm(node_id(from))?, g.node_of_osm(node_id(to))?);
        let route = shortest_path(&g, g.weights(), a, b)?;
        Some((g, route))
    }

    /// The route between two named nodes as the names of its nodes (`"abc"`), or `None`.
    pub fn route(&self, mode: Mode, from: char, to: char) -> Option<String> {
        let (g, route) = self.full_route(mode, from, to)?;
        Some(route.nodes.iter().map(|&n| name_of(g.osm_id(n))).collect())
    }

    /// Asserts each `(mode, from, to, expected)`: expected is the node names, or `None`.
    pub fn check(&self, cases: &[(Mode, char, char, Option<&str>)]) {
        for &(mode, from, to, expected) in cases {
            assert_eq!(self.route(mode, from, to).as_deref(), expected, "{mode} {from} -> {to}\n{}", self.xml());
        }
    }
}

fn name_of(osm_id: i64) -> char {
    NAMES.chars().nth((osm_id - 1) as usize).unwrap_or('?')
}
