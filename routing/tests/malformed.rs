//! Hostile and broken input: clear errors or counted skips, never a panic or a hang.

use locus_routing::osm::read_pbf;
use locus_routing::{read_file, read_xml, Graph, OsmError, Profile};
use std::path::{Path, PathBuf};

const MONACO: &str = "../../shared/data/monaco.osm.pbf";

fn monaco() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(MONACO);
    if path.exists() {
        Some(path)
    } else {
        println!("skipped: {} is absent", path.display());
        None
    }
}

fn xml_err(xml: &str) -> OsmError {
    match read_xml(xml.as_bytes()) {
        Err(e) => e,
        Ok(data) => panic!("accepted {xml:?}: {:?}", data.report),
    }
}

#[test]
fn broken_xml_is_an_error() {
    let cases = [
        "",
        "not xml at all",
        "<html><body/></html>",
        r#"<osm><node id="1" lat="0" lon="0"></osm>"#,
        r#"<osm><way id="1"><nd ref="1"/></wya></osm>"#,
        r#"<osm><node id="1" lat="0" lon="0"/>"#,
        r#"<osm><node id="1" lat="0" lon="0" lat="1"/></osm>"#,
        r#"<osm><node id="1 lat="0"/></osm>"#,
        r#"<osm><tag k="a" v="&bogus;"/></osm>"#,
    ];
    for xml in cases {
        let e = xml_err(xml);
        println!("{xml:?} -> {e}");
    }
}

#[test]
fn bad_elements_are_counted_and_skipped() {
    let long = "x".repeat(300);
    let xml = format!(
        r#"<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lat="0" lon="0"/>
  <node id="2" lat="0.001" lon="0"/>
  <node id="3" lat="95" lon="0"/>
  <node id="4" lat="NaN" lon="0"/>
  <node id="99999999999999999999" lat="0" lon="0"/>
  <node id="5" lon="0"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="{long}"/></way>
  <way id="11"><nd ref="1"/><tag k="highway" v="residential"/></way>
  <way id="12"><nd ref="2"/><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/></way>
  <way id="13"><nd ref="1"/><nd ref="nope"/><tag k="highway" v="residential"/></way>
  <way id="99999999999999999999"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
  <way id="14"><nd ref="1"/><nd ref="2"/><tag k="building" v="yes"/></way>
  <way id="15"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="maxspeed" v="lightspeed"/></way>
  <relation id="20"><member type="way" ref="10" role="from"/><tag k="type" v="restriction"/><tag k="restriction" v="no_left_turn"/></relation>
  <relation id="21"><member type="way" ref="10" role="from"/><member type="node" ref="1" role="via"/><member type="way" ref="15" role="to"/><tag k="type" v="restriction"/><tag k="restriction" v="only_straight_on"/></relation>
</osm>"#
    );
    let data = read_xml(xml.as_bytes()).unwrap();
    let r = &data.report;
    println!("{r:#?}");
    assert_eq!(r.tags_dropped, 1);
    assert_eq!(r.ways_kept, 3, "10, 12, 15");
    assert_eq!(r.ways_invalid, 3, "11 (one node), 13 (bad ref), the huge id");
    assert_eq!(r.nodes_invalid, 4, "3 (off the globe), 4 (NaN), the huge id, 5 (no lat)");
    assert_eq!(r.missing_node_refs, 2, "way 12 refers to the skipped nodes 3 and 4");
    assert_eq!(r.restrictions_kept, 1);
    assert_eq!(r.restrictions_invalid, 1);
    assert!(!r.warnings.is_empty());
    let g = Graph::build(&data, Profile::car());
    assert_eq!(g.report().bad_maxspeed, 1);
    assert_eq!(g.report().segments_missing_nodes, 2);
    assert_eq!(g.node_count(), 2);
    assert_eq!(g.report().restrictions.used, 1);
}

#[test]
fn unknown_file_kinds_are_refused() {
    assert!(matches!(read_file(Path::new("roads.csv")), Err(OsmError::NotOsm(_))));
    assert!(matches!(read_file(Path::new("/nonexistent/roads.osm.pbf")), Err(OsmError::Io { .. })));
}

fn pbf_err(bytes: &[u8]) -> OsmError {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.osm.pbf");
    std::fs::write(&path, bytes).unwrap();
    match read_pbf(&path) {
        Err(e) => e,
        Ok(data) => panic!("accepted {} bytes: {:?}", bytes.len(), data.report),
    }
}

#[test]
fn truncated_and_random_pbf_is_an_error() {
    // Random bytes (a fixed xorshift stream, so the test is repeatable).
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    println!("random: {}", pbf_err(&random));
    println!("empty: {}", pbf_err(&[]));
    println!("three bytes: {}", pbf_err(&[0, 0, 0]));
    let Some(path) = monaco() else { return };
    let bytes = std::fs::read(path).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 1, 100, 5] {
        println!("cut at {cut}: {}", pbf_err(&bytes[..cut]));
    }
    let mut extra = bytes.clone();
    extra.extend_from_slice(b"\0\0\0\x0ftrailing rubbish");
    println!("trailing: {}", pbf_err(&extra));
    // A damaged block in the middle.
    let mut damaged = bytes.clone();
    let mid = damaged.len() / 2;
    for b in &mut damaged[mid..mid + 64] {
        *b ^= 0x5a;
    }
    println!("damaged: {}", pbf_err(&damaged));
    // Random bytes after a valid header block are not OSM either.
    let mut tail = bytes[..bytes.len() / 3].to_vec();
    tail.extend_from_slice(&random[..5000]);
    println!("random tail: {}", pbf_err(&tail));
}

/// A way from node 1 to node 2 with these tags, as OSM XML.
fn way_xml(id: u64, tags: &[(&str, &str)]) -> String {
    let tags: String = tags
        .iter()
        .map(|(k, v)| {
            format!(
                r#"<tag k="{k}" v="{v}"/>"#,
                v = v.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
            )
        })
        .collect();
    format!(r#"<way id="{id}"><nd ref="1"/><nd ref="2"/><nd ref="3"/>{tags}</way>"#)
}

/// Every edge of every profile's graph has a positive, finite speed and a weight a search can
/// use (at least 1 ms, below the "closed" marker).
fn assert_sane(data: &locus_routing::OsmData) -> [Graph; 3] {
    [Profile::car(), Profile::foot(), Profile::bicycle()].map(|p| {
        let g = Graph::build(data, p);
        for (i, e) in g.edges().iter().enumerate() {
            assert!(e.speed_kmh.is_finite() && e.speed_kmh > 0.0, "{:?} edge {i}: {e:?}", p.mode);
            let w = g.weights().get(i as u32);
            assert!(w > 0 && w < u32::MAX, "{:?} edge {i}: weight {w}", p.mode);
        }
        g
    })
}

#[test]
fn absurd_tags_are_counted_or_ignored_never_a_zero_or_negative_speed() {
    let ways: Vec<(&[(&str, &str)], &str)> = vec![
        (&[("highway", "primary"), ("maxspeed", "99999999999")], "bad maxspeed"),
        (&[("highway", "primary"), ("maxspeed", "-5")], "bad maxspeed"),
        (&[("highway", "primary"), ("maxspeed", "1e400")], "bad maxspeed"),
        (&[("highway", "primary"), ("maxspeed", "NaN")], "bad maxspeed"),
        (&[("highway", "primary"), ("maxspeed", "0.0000001")], "bad maxspeed"),
        (&[("highway", "primary"), ("maxspeed:forward", "inf"), ("maxspeed:backward", "-inf")], "bad maxspeed"),
        (&[("highway", "primary"), ("maxspeed:advisory", "ZZ:warp")], "bad maxspeed"),
        (&[("route", "ferry"), ("duration", "PT-5M")], "bad duration"),
        (&[("route", "ferry"), ("duration", "99999999999999999999")], "bad duration"),
        (&[("route", "ferry"), ("duration", "PT99999999999999999999999H")], "bad duration"),
        (&[("route", "ferry"), ("duration", "-1:00")], "bad duration"),
        (&[("route", "ferry"), ("duration", "NaN")], "bad duration"),
        (&[("highway", "primary"), ("width", "-3"), ("maxheight", "1e999"), ("maxweight", "-1 t")], "ignored"),
        (&[("highway", "primary"), ("oneway", "banana"), ("junction", "☃")], "ignored"),
        (&[("highway", "☃"), ("access", "<&>")], "ignored"),
        (&[("highway", "residential"), ("surface", "mud"), ("smoothness", "very_horrible"), ("maxspeed", "1")], "slow"),
        (&[("highway", "primary"), ("cycleway", "opposite"), ("oneway", "-1"), ("bicycle", "dismount")], "ok"),
    ];
    let body: String = ways.iter().enumerate().map(|(i, (tags, _))| way_xml(100 + i as u64, tags)).collect();
    let xml = format!(
        r#"<osm version="0.6">
  <node id="1" lat="0" lon="0"/>
  <node id="2" lat="0.001" lon="0"><tag k="barrier" v="☃"/><tag k="access" v="yes;no;maybe"/></node>
  <node id="3" lat="0.002" lon="0"><tag k="barrier" v="height_restrictor"/><tag k="maxheight" v="-1"/></node>
  {body}
  <relation id="7"><member type="way" ref="100" role="from"/><member type="node" ref="2" role="via"/><member type="way" ref="101" role="to"/><tag k="type" v="restriction"/><tag k="restriction" v="no_☃"/><tag k="except" v=";;,,"/></relation>
</osm>"#
    );
    let data = read_xml(xml.as_bytes()).unwrap();
    let [car, foot, bike] = assert_sane(&data);
    let bad_maxspeed = ways.iter().filter(|w| w.1 == "bad maxspeed").count() as u64;
    let bad_duration = ways.iter().filter(|w| w.1 == "bad duration").count() as u64;
    assert_eq!(car.report().bad_maxspeed, bad_maxspeed);
    assert_eq!(bike.report().bad_maxspeed, bad_maxspeed - 1, "a cyclist does not read maxspeed:advisory");
    assert_eq!(foot.report().bad_maxspeed, 0, "walkers do not read maxspeed");
    for g in [&car, &foot, &bike] {
        assert_eq!(g.report().bad_duration, bad_duration);
    }
    assert_eq!(data.report.restrictions_kept, 1);
}

#[test]
fn random_tag_soup_never_breaks_the_profiles() {
    // A fixed xorshift stream picks tags for 3000 ways from the values the rules read and from
    // garbage; every profile's graph must keep positive finite speeds and usable weights.
    const KEYS: &[(&str, &[&str])] = &[
        (
            "highway",
            &["motorway", "primary", "residential", "footway", "steps", "cycleway", "track", "construction", "☃", ""],
        ),
        ("route", &["ferry", "shuttle_train", "bus"]),
        ("duration", &["PT1H", "PT-5M", "00:00", "0:01", "1e9", "99999999999", "x"]),
        ("maxspeed", &["50", "none", "walk", "DE:urban", "0", "-1", "99999999999", "NaN", "30 mph", "1"]),
        ("maxspeed:forward", &["10", "inf", "300"]),
        ("oneway", &["yes", "-1", "reversible", "alternating", "no", "?"]),
        ("oneway:bicycle", &["no", "yes", "-1"]),
        ("cycleway", &["opposite", "track", "lane", "no"]),
        ("access", &["no", "private", "destination", "yes", "☃"]),
        ("access:backward", &["no", "yes"]),
        ("foot", &["no", "yes", "designated"]),
        ("bicycle", &["dismount", "no", "yes", "use_sidepath"]),
        ("motor_vehicle", &["yes", "no", "agricultural"]),
        ("junction", &["roundabout", "circular"]),
        ("area", &["yes"]),
        ("surface", &["mud", "gravel", "asphalt"]),
        ("smoothness", &["impassable", "very_horrible"]),
        ("width", &["1", "narrow", "-2"]),
        ("sidewalk", &["both", "separate"]),
        ("motorroad", &["yes"]),
    ];
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let mut body = String::new();
    for id in 0..3000u64 {
        let mut tags: Vec<(&str, &str)> = Vec::new();
        for (k, values) in KEYS {
            if next(3) == 0 {
                tags.push((k, values[next(values.len())]));
            }
        }
        body.push_str(&way_xml(1000 + id, &tags));
    }
    let xml = format!(
        r#"<osm><node id="1" lat="0" lon="0"/><node id="2" lat="0.001" lon="0"/><node id="3" lat="0.002" lon="0.001"/>{body}</osm>"#
    );
    let data = read_xml(xml.as_bytes()).unwrap();
    let graphs = assert_sane(&data);
    assert!(graphs.iter().all(|g| g.edge_count() > 0));
}
