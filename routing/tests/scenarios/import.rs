//! Reading quirks that reach the graph: missing nodes, deleted elements, re-weighting.

use crate::{detour, map::Map};
use locus_routing::Mode::Car as C;
use locus_routing::{read_xml, shortest_path, Graph, Profile, Weights};

#[test]
fn same_node_route_is_empty() {
    let m = Map::new("a-b").way("ab", "highway=residential");
    let (_, route) = m.full_route(C, 'a', 'a').unwrap();
    assert!(route.edges.is_empty());
    assert_eq!(route.cost, 0);
}

#[test]
fn ways_with_missing_nodes_keep_their_other_segments() {
    // Way abc refers to node 99, which the file does not have.
    let xml = Map::new("a-b-c").way("abc", "highway=residential").xml().replace(
        r#"<nd ref="3"/>"#,
        r#"<nd ref="3"/>
    <nd ref="99"/>"#,
    );
    let data = read_xml(xml.as_bytes()).unwrap();
    assert_eq!(data.report.missing_node_refs, 1);
    assert_eq!(data.report.ways_with_missing_nodes, 1);
    let g = Graph::build(&data, Profile::car());
    assert_eq!(g.report().segments_missing_nodes, 1);
    assert_eq!(g.node_count(), 3);
}

#[test]
fn elements_a_josm_file_deleted_are_not_read() {
    // JOSM keeps deleted elements in the file with action="delete"; the API history marks old
    // versions visible="false".
    let xml = detour("highway=primary", "highway=residential")
        .xml()
        .replace(r#"<way id="1000" version="1">"#, r#"<way id="1000" version="1" action="delete">"#)
        .replace(r#"<node id="4" "#, r#"<node id="4" visible="false" "#);
    let data = read_xml(xml.as_bytes()).unwrap();
    assert_eq!(data.ways.len(), 1, "only adec is left");
    assert!(!data.nodes.contains_key(&4), "d is deleted");
    assert_eq!(data.report.missing_node_refs, 1, "adec refers to the deleted d");
    assert_eq!(data.report.ways_invalid, 0);
    assert_eq!(data.report.nodes_invalid, 0);
}

#[test]
fn new_weights_reroute_without_a_rebuild() {
    let m = detour("highway=primary", "highway=primary");
    let (g, route) = m.full_route(C, 'a', 'c').unwrap();
    assert_eq!(route.nodes.len(), 3, "abc first");
    // A jam on b: every edge of way abc crawls at 5 km/h.
    let jammed = Weights::from_speeds(&g, |_, e| {
        if g.ways()[e.way as usize].name.as_deref() == Some("Way_abc") {
            5.0
        } else {
            e.speed_kmh
        }
    });
    let rerouted = shortest_path(&g, &jammed, route.nodes[0], route.nodes[2]).unwrap();
    assert_eq!(rerouted.nodes.len(), 4, "adec once abc is jammed");
    assert!(rerouted.cost > route.cost);
    let closed = Weights::from_speeds(&g, |_, _| 0.0);
    assert!(shortest_path(&g, &closed, route.nodes[0], route.nodes[2]).is_none());
}
