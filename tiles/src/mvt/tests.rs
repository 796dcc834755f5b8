use super::*;
use crate::clip::signed_area;
use geo::Geometry as G;
use mvt_reader::feature::Value as V;
use proptest::prelude::*;

/// A decoded feature's geometry in the encoder's terms (rings open again).
#[derive(Debug, PartialEq)]
enum Decoded {
    Points(Vec<[i32; 2]>),
    Lines(Vec<Vec<[i32; 2]>>),
    Polygons(Vec<Vec<Vec<[i32; 2]>>>),
}

struct DecodedLayer {
    name: String,
    features: Vec<mvt_reader::feature::Feature<i32>>,
}

fn decode(tile: &[u8]) -> Vec<DecodedLayer> {
    let reader = mvt_reader::Reader::new(tile.to_vec()).expect("a valid tile");
    let layers = reader.get_layer_metadata().expect("layers");
    layers
        .iter()
        .map(|layer| {
            assert_eq!((layer.version, layer.extent), (2, EXTENT), "{}", layer.name);
            let features = reader.get_features_as::<i32>(layer.layer_index).expect("features");
            assert_eq!(features.len(), layer.feature_count);
            DecodedLayer { name: layer.name.clone(), features }
        })
        .collect()
}

fn coords(line: &geo::LineString<i32>) -> Vec<[i32; 2]> {
    line.coords().map(|c| [c.x, c.y]).collect()
}

fn ring(line: &geo::LineString<i32>) -> Vec<[i32; 2]> {
    let mut ring = coords(line);
    assert_eq!(ring.first(), ring.last(), "the decoder closes rings");
    ring.pop();
    ring
}

fn geometry(feature: &mvt_reader::feature::Feature<i32>) -> Decoded {
    let polygon = |p: &geo::Polygon<i32>| {
        std::iter::once(ring(p.exterior())).chain(p.interiors().iter().map(ring)).collect::<Vec<_>>()
    };
    match &feature.geometry {
        G::Point(p) => Decoded::Points(vec![[p.x(), p.y()]]),
        G::MultiPoint(ps) => Decoded::Points(ps.iter().map(|p| [p.x(), p.y()]).collect()),
        G::LineString(l) => Decoded::Lines(vec![coords(l)]),
        G::MultiLineString(ls) => Decoded::Lines(ls.iter().map(coords).collect()),
        G::Polygon(p) => Decoded::Polygons(vec![polygon(p)]),
        G::MultiPolygon(ps) => Decoded::Polygons(ps.iter().map(polygon).collect()),
        other => panic!("unexpected geometry {other:?}"),
    }
}

fn area(ring: &[[i32; 2]]) -> f64 {
    signed_area(&ring.iter().map(|p| [f64::from(p[0]), f64::from(p[1])]).collect::<Vec<_>>())
}

fn feature(geometry: Geometry, properties: &[(&str, Value)]) -> Feature {
    Feature { id: None, geometry, properties: properties.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() }
}

fn layer(name: &str, features: Vec<Feature>) -> Layer {
    Layer { name: name.into(), features }
}

/// One feature through the encoder and the decoder.
fn round_trip(geometry: Geometry) -> Option<Decoded> {
    let decoded = decode(&encode(&[layer("l", vec![feature(geometry, &[])])]));
    decoded.first().map(|l| {
        assert_eq!(l.features.len(), 1);
        self::geometry(&l.features[0])
    })
}

/// Clockwise on screen (positive area) and counter-clockwise squares.
fn cw(x: i32, y: i32, size: i32) -> Vec<[i32; 2]> {
    vec![[x, y], [x + size, y], [x + size, y + size], [x, y + size]]
}
fn ccw(x: i32, y: i32, size: i32) -> Vec<[i32; 2]> {
    let mut ring = cw(x, y, size);
    ring.reverse();
    ring
}

#[test]
fn points_decode_exactly_inside_and_in_the_buffer() {
    assert_eq!(round_trip(Geometry::Points(vec![[25, 17]])), Some(Decoded::Points(vec![[25, 17]])));
    let many = vec![[0, 0], [4096, 4096], [-64, 4160], [5, 7], [5, 7], [3, 2]];
    assert_eq!(round_trip(Geometry::Points(many.clone())), Some(Decoded::Points(many)));
    assert_eq!(round_trip(Geometry::Points(vec![])), None);
}

#[test]
fn the_spec_example_point_is_byte_exact() {
    // 4.3.5.1: a point at (25, 17) is [9 50 34].
    assert_eq!(encode_geometry(&Geometry::Points(vec![[25, 17]])), Some((POINT, vec![9, 50, 34])));
    // 4.3.5.3: a linestring (2,2) (2,10) (10,10) is [9 4 4 18 0 16 16 0].
    assert_eq!(
        encode_geometry(&Geometry::Lines(vec![vec![[2, 2], [2, 10], [10, 10]]])),
        Some((LINESTRING, vec![9, 4, 4, 18, 0, 16, 16, 0]))
    );
}

#[test]
fn lines_decode_exactly_without_repeats_or_stubs() {
    let line = vec![[2, 2], [2, 10], [10, 10], [10, 10], [-30, 5000]];
    assert_eq!(
        round_trip(Geometry::Lines(vec![line])),
        Some(Decoded::Lines(vec![vec![[2, 2], [2, 10], [10, 10], [-30, 5000]]]))
    );
    let multi = vec![vec![[1, 1], [3, 5]], vec![[7, 7], [7, 7]], vec![[9, 9]], vec![], vec![[0, 4096], [4096, 0]]];
    assert_eq!(
        round_trip(Geometry::Lines(multi)),
        Some(Decoded::Lines(vec![vec![[1, 1], [3, 5]], vec![[0, 4096], [4096, 0]]]))
    );
    assert_eq!(round_trip(Geometry::Lines(vec![vec![[5, 5], [5, 5]], vec![[1, 2]]])), None);
}

#[test]
fn polygons_with_holes_and_multipolygons_decode_exactly_and_oriented() {
    // Given with the exterior counter-clockwise and the hole clockwise: both turned.
    let with_hole = vec![ccw(0, 0, 100), cw(10, 10, 20)];
    let island = vec![cw(200, 200, 50)];
    let decoded = round_trip(Geometry::Polygons(vec![with_hole, island])).unwrap();
    let mut exterior = ccw(0, 0, 100);
    exterior.reverse();
    let mut hole = cw(10, 10, 20);
    hole.reverse();
    assert_eq!(decoded, Decoded::Polygons(vec![vec![exterior, hole], vec![cw(200, 200, 50)]]));
    let Decoded::Polygons(polygons) = decoded else { unreachable!() };
    for polygon in &polygons {
        assert!(area(&polygon[0]) > 0.0, "exterior clockwise on screen: {polygon:?}");
        assert!(polygon[1..].iter().all(|hole| area(hole) < 0.0), "holes the other way: {polygon:?}");
    }

    // Two holes, closed rings, repeated points: the encoder opens and cleans them.
    let mut closed = cw(0, 0, 1000);
    closed.push([0, 0]);
    closed.insert(1, [0, 0]);
    let polygon = vec![closed, ccw(100, 100, 10), cw(500, 500, 10)];
    assert_eq!(
        round_trip(Geometry::Polygons(vec![polygon])),
        Some(Decoded::Polygons(vec![vec![cw(0, 0, 1000), ccw(100, 100, 10), ccw_reversed(500, 500, 10)]]))
    );
}

/// `cw` reversed in place: what the encoder makes of a clockwise hole.
fn ccw_reversed(x: i32, y: i32, size: i32) -> Vec<[i32; 2]> {
    let mut ring = cw(x, y, size);
    ring.reverse();
    ring
}

#[test]
fn degenerate_rings_and_polygons_are_dropped() {
    let flat = vec![[0, 0], [10, 0], [20, 0]];
    let two = vec![[0, 0], [10, 10], [10, 10], [0, 0]];
    // A degenerate hole goes, the polygon stays.
    assert_eq!(
        round_trip(Geometry::Polygons(vec![vec![cw(0, 0, 100), flat.clone(), two.clone()]])),
        Some(Decoded::Polygons(vec![vec![cw(0, 0, 100)]]))
    );
    // A degenerate exterior takes its holes with it.
    assert_eq!(
        round_trip(Geometry::Polygons(vec![vec![flat.clone(), cw(10, 10, 5)], vec![cw(0, 0, 8)]])),
        Some(Decoded::Polygons(vec![vec![cw(0, 0, 8)]]))
    );
    assert_eq!(round_trip(Geometry::Polygons(vec![vec![flat], vec![two], vec![]])), None);
    assert_eq!(round_trip(Geometry::Polygons(vec![])), None);
}

#[test]
fn layers_features_and_properties_decode() {
    let tile = encode(&[
        layer(
            "roads",
            vec![
                Feature {
                    id: Some(7),
                    geometry: Geometry::Lines(vec![vec![[0, 0], [10, 10]]]),
                    properties: vec![
                        ("class".into(), Value::String("primary".into())),
                        ("lanes".into(), Value::Int(2)),
                    ],
                },
                feature(Geometry::Lines(vec![vec![[5, 5], [5, 5]]]), &[("class", Value::String("dropped".into()))]),
                feature(Geometry::Lines(vec![vec![[0, 10], [10, 0]]]), &[]),
            ],
        ),
        layer("empty", vec![]),
        layer("all degenerate", vec![feature(Geometry::Points(vec![]), &[])]),
        layer(
            "water",
            vec![feature(Geometry::Polygons(vec![vec![cw(0, 0, 64)]]), &[("name", Value::String("Lac".into()))])],
        ),
    ]);
    let layers = decode(&tile);
    let names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["roads", "water"]);
    assert_eq!(layers[0].features.len(), 2);
    let first = &layers[0].features[0];
    assert_eq!(first.id, Some(7));
    let properties = first.properties.as_ref().unwrap();
    assert_eq!(properties.len(), 2);
    assert_eq!(properties["class"], V::String("primary".into()));
    assert_eq!(properties["lanes"], V::UInt(2));
    assert_eq!(layers[0].features[1].id, None);
    assert!(layers[0].features[1].properties.as_ref().is_none_or(|p| p.is_empty()));
    assert_eq!(layers[1].features[0].properties.as_ref().unwrap()["name"], V::String("Lac".into()));
    // The dropped feature's property never reached the layer's tables.
    assert!(!tile.windows(7).any(|w| w == b"dropped"));
}

#[test]
fn property_values_of_every_type() {
    let values = [
        ("string", Value::String("Café ☕".into()), V::String("Café ☕".into())),
        ("empty", Value::String(String::new()), V::String(String::new())),
        ("zero", Value::Int(0), V::UInt(0)),
        ("int", Value::Int(300), V::UInt(300)),
        ("negative", Value::Int(-3), V::SInt(-3)),
        ("max", Value::Int(i64::MAX), V::UInt(i64::MAX as u64)),
        ("min", Value::Int(i64::MIN), V::SInt(i64::MIN)),
        ("double", Value::Double(-2.25), V::Double(-2.25)),
        ("tiny", Value::Double(f64::MIN_POSITIVE), V::Double(f64::MIN_POSITIVE)),
        ("true", Value::Bool(true), V::Bool(true)),
        ("false", Value::Bool(false), V::Bool(false)),
    ];
    let properties: Vec<(&str, Value)> = values.iter().map(|(k, v, _)| (*k, v.clone())).collect();
    let mut first = feature(Geometry::Points(vec![[1, 1]]), &properties);
    first.id = Some(u64::MAX);
    // A key given twice keeps its first value.
    first.properties.push(("int".into(), Value::Int(1)));
    let layers = decode(&encode(&[layer("values", vec![first])]));
    let decoded = &layers[0].features[0];
    assert_eq!(decoded.id, Some(u64::MAX));
    let got = decoded.properties.as_ref().unwrap();
    assert_eq!(got.len(), values.len());
    for (key, _, expected) in &values {
        assert_eq!(&got[*key], expected, "{key}");
    }
}

/// The repeated `keys` (3) and `values` (4) fields of each layer, counted by walking the
/// wire format (the decoder above hides the tables).
fn table_sizes(tile: &[u8]) -> Vec<(usize, usize)> {
    fn varint(bytes: &[u8], at: &mut usize) -> u64 {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = bytes[*at];
            *at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return v;
            }
            shift += 7;
        }
    }
    /// (field, payload) of each length-delimited field; other fields skipped.
    fn fields(bytes: &[u8]) -> Vec<(u64, &[u8])> {
        let (mut at, mut out) = (0, Vec::new());
        while at < bytes.len() {
            let key = varint(bytes, &mut at);
            match key & 7 {
                0 => {
                    varint(bytes, &mut at);
                }
                1 => at += 8,
                2 => {
                    let len = varint(bytes, &mut at) as usize;
                    out.push((key >> 3, &bytes[at..at + len]));
                    at += len;
                }
                other => panic!("wire type {other}"),
            }
        }
        out
    }
    fields(tile)
        .into_iter()
        .filter(|(f, _)| *f == 3)
        .map(|(_, layer)| {
            let fields = fields(layer);
            (fields.iter().filter(|(f, _)| *f == 3).count(), fields.iter().filter(|(f, _)| *f == 4).count())
        })
        .collect()
}

#[test]
fn keys_and_values_are_shared_within_a_layer() {
    let park = || {
        feature(
            Geometry::Points(vec![[1, 2]]),
            &[("kind", Value::String("park".into())), ("size", Value::Int(3)), ("lit", Value::Bool(true))],
        )
    };
    let other = feature(
        Geometry::Points(vec![[3, 4]]),
        &[("kind", Value::String("pond".into())), ("depth", Value::Int(3)), ("zero", Value::Double(0.0))],
    );
    let signed = feature(Geometry::Points(vec![[5, 6]]), &[("zero", Value::Double(-0.0))]);
    let one = encode(&[layer("a", vec![park()])]);
    let two = encode(&[layer("a", vec![park(), park()])]);
    // kind, size, lit, depth, zero / "park", 3, true, "pond", 0.0, -0.0.
    let all = encode(&[layer("a", vec![park(), park(), other, signed]), layer("b", vec![park()])]);
    assert_eq!(table_sizes(&one), [(3, 3)]);
    assert_eq!(table_sizes(&two), [(3, 3)]);
    assert_eq!(table_sizes(&all), [(5, 6), (3, 3)], "tables are per layer; 0.0 and -0.0 are two values");
    // The second feature adds only its own message: field and length (2 bytes), tags (2 + 6),
    // type (2), geometry (2 + 3); nothing in the tables.
    assert_eq!(two.len() - one.len(), 17);
    // And the decoder reads every feature's properties through the shared tables.
    let layers = decode(&all);
    assert_eq!(layers[0].features[1].properties.as_ref().unwrap()["kind"], V::String("park".into()));
    let pond = layers[0].features[2].properties.as_ref().unwrap();
    assert_eq!(
        (&pond["kind"], &pond["depth"], &pond["zero"]),
        (&V::String("pond".into()), &V::UInt(3), &V::Double(0.0))
    );
    let zero = &layers[0].features[3].properties.as_ref().unwrap()["zero"];
    assert!(matches!(zero, V::Double(z) if z.is_sign_negative()));
}

#[test]
fn layers_of_one_name_are_written_as_one() {
    let point = |x| feature(Geometry::Points(vec![[x, 0]]), &[]);
    let layers = decode(&encode(&[layer("a", vec![point(1)]), layer("b", vec![point(2)]), layer("a", vec![point(3)])]));
    let summary: Vec<(&str, usize)> = layers.iter().map(|l| (l.name.as_str(), l.features.len())).collect();
    assert_eq!(summary, [("a", 2), ("b", 1)]);
    assert_eq!(geometry(&layers[0].features[1]), Decoded::Points(vec![[3, 0]]));
}

#[test]
fn an_empty_tile_is_zero_bytes() {
    assert!(encode(&[]).is_empty());
    assert!(encode(&[layer("nothing", vec![])]).is_empty());
    assert!(mvt_reader::Reader::new(Vec::new()).unwrap().get_layer_names().unwrap().is_empty());
}

fn coordinate() -> impl Strategy<Value = [i32; 2]> {
    // Mostly a small grid so repeats happen, sometimes anywhere in a generous buffer.
    prop_oneof![(0..8, 0..8).prop_map(|(x, y)| [x, y]), (-10_000..10_000, -10_000..10_000).prop_map(|(x, y)| [x, y]),]
}

proptest! {
    #[test]
    fn lines_round_trip(lines in proptest::collection::vec(proptest::collection::vec(coordinate(), 0..12), 0..5)) {
        let expected: Vec<Vec<[i32; 2]>> =
            lines.iter().map(|l| without_repeats(l)).filter(|l| l.len() >= 2).collect();
        let decoded = round_trip(Geometry::Lines(lines));
        if expected.is_empty() {
            prop_assert_eq!(decoded, None);
        } else {
            prop_assert_eq!(decoded, Some(Decoded::Lines(expected)));
        }
    }

    #[test]
    fn points_round_trip(points in proptest::collection::vec(coordinate(), 1..20)) {
        prop_assert_eq!(round_trip(Geometry::Points(points.clone())), Some(Decoded::Points(points)));
    }

    /// Rectangles with a rectangular hole, in either orientation: the decoder finds as many
    /// polygons and holes as were given, exteriors positive and holes negative.
    #[test]
    fn rectangles_with_holes_round_trip_oriented(
        boxes in proptest::collection::vec((0..4000, 0..4000, 4..500, any::<bool>(), any::<bool>()), 1..5),
    ) {
        let polygons: Vec<Vec<Vec<[i32; 2]>>> = boxes
            .iter()
            .enumerate()
            .map(|(i, &(x, y, size, outer_cw, inner_cw))| {
                // Side by side so polygons never overlap.
                let x = x + i as i32 * 5000;
                let outer = if outer_cw { cw(x, y, size) } else { ccw(x, y, size) };
                let inner = if inner_cw { cw(x + 1, y + 1, size - 2) } else { ccw(x + 1, y + 1, size - 2) };
                vec![outer, inner]
            })
            .collect();
        let Some(Decoded::Polygons(decoded)) = round_trip(Geometry::Polygons(polygons.clone())) else {
            return Err(TestCaseError::fail("no polygons"));
        };
        prop_assert_eq!(decoded.len(), polygons.len());
        for (got, given) in decoded.iter().zip(&polygons) {
            prop_assert_eq!(got.len(), 2);
            prop_assert!(area(&got[0]) > 0.0 && area(&got[1]) < 0.0);
            prop_assert_eq!(area(&got[0]).abs(), area(&given[0]).abs());
            prop_assert_eq!(area(&got[1]).abs(), area(&given[1]).abs());
        }
    }
}
