//! The synthetic road network: deterministic, of the asked size, with every road class, one
//! connected component for cars, and read back unchanged from its OSM XML.

use locus_pipelines::roads::{generate_roads, write_osm_xml, RoadsOptions};
use locus_routing::osm::{TurnKind, Via};
use locus_routing::{read_xml, shortest_path, Graph, NodeId, OsmData, Profile};
use std::collections::{HashMap, HashSet};

fn roads(nodes: u64, seed: u64) -> OsmData {
    generate_roads(&RoadsOptions { nodes, seed, origin: (45.0, 5.0) }, false)
}

fn count_tag(data: &OsmData, key: &str, value: &str) -> usize {
    data.ways.iter().filter(|w| w.tags.is(key, value)).count()
}

#[test]
fn the_same_nodes_and_seed_give_the_same_network() {
    let (a, b) = (roads(20_000, 7), roads(20_000, 7));
    assert_eq!(a.nodes, b.nodes);
    assert_eq!(a.ways, b.ways);
    assert_eq!(a.restrictions, b.restrictions);
    assert_eq!(a.report, b.report);
    let c = roads(20_000, 8);
    assert_ne!(a.ways, c.ways);
}

#[test]
fn node_count_is_within_five_percent_and_ids_increase() {
    for nodes in [1_000, 20_000, 200_000] {
        let data = roads(nodes, 1);
        let got = data.nodes.len() as f64;
        assert!((got / nodes as f64 - 1.0).abs() <= 0.05, "{nodes}: {got} nodes");
        let mut ids: Vec<i64> = data.nodes.keys().copied().collect();
        ids.sort_unstable();
        assert_eq!(ids.first(), Some(&1), "{nodes}");
        assert_eq!(ids.last(), Some(&(ids.len() as i64)), "{nodes}: node ids are 1..=n");
        assert!(data.ways.iter().enumerate().all(|(k, w)| w.id == k as i64 + 1), "{nodes}: way ids are 1..=n");
        assert!(data.restrictions.windows(2).all(|p| p[0].id < p[1].id));
        assert!(data.restrictions.first().is_none_or(|r| r.id == 1));
        // Every node is used by a way and every reference resolves.
        let used: HashSet<i64> = data.ways.iter().flat_map(|w| w.nodes.iter().copied()).collect();
        assert_eq!(used.len(), data.nodes.len(), "{nodes}");
        assert!(used.iter().all(|id| data.nodes.contains_key(id)), "{nodes}");
        assert!(data.ways.iter().all(|w| w.nodes.len() >= 2 && w.nodes.windows(2).all(|p| p[0] != p[1])));
        for n in data.nodes.values() {
            assert_eq!((n.lat * 1e7).round() / 1e7, n.lat);
            assert!((45.0..50.0).contains(&n.lat) && (5.0..12.0).contains(&n.lon), "{nodes}: {n:?}");
        }
        assert_eq!(data.report.nodes_kept, data.nodes.len() as u64);
        assert_eq!(data.report.ways_kept, data.ways.len() as u64);
    }
}

#[test]
fn every_road_class_and_feature_is_there() {
    for nodes in [20_000, 200_000] {
        let data = roads(nodes, 3);
        let mut classes: HashMap<&str, usize> = HashMap::new();
        for w in &data.ways {
            *classes.entry(w.tags.get("highway").unwrap_or("-")).or_default() += 1;
        }
        for class in
            ["motorway", "motorway_link", "trunk", "primary", "secondary", "tertiary", "residential", "service"]
        {
            assert!(classes.get(class).copied().unwrap_or(0) > 0, "{nodes}: no {class}: {classes:?}");
        }
        let residential = classes["residential"];
        assert!(residential * 2 > data.ways.len(), "{nodes}: towns are mostly residential: {classes:?}");
        for w in &data.ways {
            let t = &w.tags;
            match t.get("highway") {
                Some("motorway" | "motorway_link") => assert!(t.is("oneway", "yes"), "{w:?}"),
                Some("service") | None => {}
                Some(_) => assert!(t.get("name").is_some(), "{w:?}"),
            }
            if matches!(t.get("highway"), Some("motorway" | "trunk")) {
                assert!(t.get("ref").is_some(), "{w:?}");
            }
        }
        assert!(count_tag(&data, "oneway", "yes") > count_tag(&data, "highway", "motorway"), "{nodes}");
        assert_eq!(count_tag(&data, "route", "ferry"), 2, "{nodes}");
        assert!(data.ways.iter().filter(|w| w.tags.is("route", "ferry")).all(|w| w.tags.get("duration").is_some()));
        assert!(data.ways.iter().any(|w| w.tags.get("maxspeed").is_some()));
        let barriers = |v: &str| data.nodes.values().filter(|n| n.tags.is("barrier", v)).count();
        assert!(barriers("gate") > 0 && barriers("bollard") > 0, "{nodes}");
        assert!(data.restrictions.iter().any(|r| r.kind == TurnKind::No && r.turn == "left_turn"), "{nodes}");
        assert!(data.restrictions.iter().any(|r| r.kind == TurnKind::Only && r.turn == "straight_on"), "{nodes}");
        // Restrictions are at real intersections: the from way ends and the to way starts there.
        let ways: HashMap<i64, &Vec<i64>> = data.ways.iter().map(|w| (w.id, &w.nodes)).collect();
        for r in &data.restrictions {
            let Via::Node(via) = r.via else { panic!("{r:?}") };
            let ends = |id: i64| ways.get(&id).is_some_and(|n| n.first() == Some(&via) || n.last() == Some(&via));
            assert!(ends(r.from[0]) && ends(r.to[0]), "{r:?}");
        }
    }
}

/// The nodes reachable from `root` (`forward`) or that can reach it, never passing through a
/// blocked node (one may only start or end a route).
fn reach(graph: &Graph, root: NodeId, forward: bool) -> Vec<bool> {
    let n = graph.node_count();
    let mut next: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    for e in graph.edges() {
        if forward {
            next[e.from as usize].push(e.to);
        } else {
            next[e.to as usize].push(e.from);
        }
    }
    let mut seen = vec![false; n];
    seen[root as usize] = true;
    let mut stack = vec![root];
    while let Some(u) = stack.pop() {
        if u != root && graph.is_blocked(u) {
            continue;
        }
        for &v in &next[u as usize] {
            if !seen[v as usize] {
                seen[v as usize] = true;
                stack.push(v);
            }
        }
    }
    seen
}

#[test]
fn cars_can_route_between_any_two_nodes() {
    for (nodes, pairs) in [(1_000, 30), (20_000, 40)] {
        let data = roads(nodes, 5);
        let graph = Graph::build(&data, Profile::car());
        let report = graph.report();
        assert_eq!(graph.node_count(), data.nodes.len(), "{nodes}: every node is a car node");
        assert_eq!(report.ways_unroutable, 0);
        assert_eq!(report.restrictions.used, data.restrictions.len() as u64, "{nodes}: {report:?}");
        assert_eq!(report.restrictions.unresolved, 0);
        assert_eq!(report.bad_maxspeed + report.bad_duration, 0);
        if nodes >= 20_000 {
            assert!(report.barriers_blocking > 0);
        }
        let root = (0..graph.node_count() as NodeId).find(|&v| !graph.is_blocked(v)).unwrap_or(0);
        for forward in [true, false] {
            let seen = reach(&graph, root, forward);
            let missed: Vec<i64> = (0..seen.len()).filter(|&v| !seen[v]).map(|v| graph.osm_id(v as NodeId)).collect();
            assert!(missed.is_empty(), "{nodes}: {} nodes not reached (forward {forward}): {missed:?}", missed.len());
        }
        // Every pair routes, turn restrictions included.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut pick = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % graph.node_count() as u64) as NodeId
        };
        for _ in 0..pairs {
            let (a, b) = (pick(), pick());
            let route = shortest_path(&graph, graph.weights(), a, b);
            assert!(route.is_some(), "{nodes}: no route from {} to {}", graph.osm_id(a), graph.osm_id(b));
        }
    }
}

#[test]
fn osm_xml_reads_back_unchanged() {
    let data = roads(5_000, 11);
    let mut xml = Vec::new();
    write_osm_xml(&data, &mut xml).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&xml);
    assert!(text.starts_with("<?xml") && text.contains("<osm version=\"0.6\""));
    let back = read_xml(xml.as_slice()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.nodes.len(), data.nodes.len());
    assert_eq!(back.ways.len(), data.ways.len());
    assert_eq!(back.restrictions.len(), data.restrictions.len());
    assert_eq!(back.ways[data.ways.len() / 2], data.ways[data.ways.len() / 2]);
    assert_eq!(back.nodes, data.nodes);
    assert_eq!(back.ways, data.ways);
    assert_eq!(back.restrictions, data.restrictions);
    assert_eq!(back.report, data.report);
    // Awkward names survive escaping.
    let awkward = roads(200_000, 2);
    let names: Vec<&str> =
        awkward.ways.iter().filter_map(|w| w.tags.get("name")).filter(|n| n.contains(['&', '\'', '"', '<'])).collect();
    assert!(!names.is_empty());
    let mut xml = Vec::new();
    write_osm_xml(&awkward, &mut xml).unwrap_or_else(|e| panic!("{e}"));
    let back = read_xml(xml.as_slice()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.ways, awkward.ways);
}

/// The scale run's network, timed: `cargo test --release -p locus-pipelines --test roads --
/// --ignored scale_run`. `LOCUS_ROADS_NODES` changes the size (default 5,000,000);
/// with `LOCUS_ROADS_XML=/tmp/roads.osm` the network is also written there; with
/// `LOCUS_ROADS_CHECK=1` its car graph is built and checked to be one component.
#[test]
#[ignore]
fn scale_run() {
    let nodes: u64 = std::env::var("LOCUS_ROADS_NODES").ok().and_then(|n| n.parse().ok()).unwrap_or(5_000_000);
    let started = std::time::Instant::now();
    let data = roads(nodes, 1);
    let generated = started.elapsed();
    eprintln!(
        "{nodes}: {} nodes, {} ways, {} restrictions in {generated:.2?}",
        data.nodes.len(),
        data.ways.len(),
        data.restrictions.len()
    );
    assert!((data.nodes.len() as f64 / nodes as f64 - 1.0).abs() <= 0.05);
    let mut classes: Vec<(String, usize)> = Vec::new();
    for w in &data.ways {
        let class = w.tags.get("highway").or(w.tags.get("route")).unwrap_or("-");
        match classes.iter_mut().find(|c| c.0 == class) {
            Some(c) => c.1 += 1,
            None => classes.push((class.to_owned(), 1)),
        }
    }
    eprintln!("ways by class: {classes:?}");
    if let Ok(path) = std::env::var("LOCUS_ROADS_XML") {
        let started = std::time::Instant::now();
        let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        write_osm_xml(&data, file).unwrap_or_else(|e| panic!("{path}: {e}"));
        eprintln!("written to {path} in {:.2?}", started.elapsed());
    }
    if std::env::var_os("LOCUS_ROADS_CHECK").is_some() {
        let started = std::time::Instant::now();
        let graph = Graph::build(&data, Profile::car());
        eprintln!("car graph: {} nodes, {} edges in {:.2?}", graph.node_count(), graph.edge_count(), started.elapsed());
        assert_eq!(graph.report().restrictions.used, data.restrictions.len() as u64);
        let root = (0..graph.node_count() as NodeId).find(|&v| !graph.is_blocked(v)).unwrap_or(0);
        for forward in [true, false] {
            assert!(reach(&graph, root, forward).iter().all(|&r| r), "forward {forward}");
        }
    }
}
