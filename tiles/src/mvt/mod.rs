//! Mapbox Vector Tiles (specification 2.1): the encoder, written by hand over the protobuf wire
//! format (varints, length-delimited messages, packed `uint32` arrays), with no code generation.
//!
//! The messages and fields written:
//! - `Tile { layers = 3 }`
//! - `Layer { version = 15 (always 2, written first), name = 1, features = 2, keys = 3,
//!   values = 4, extent = 5 }`
//! - `Feature { id = 1, tags = 2 (packed), type = 3, geometry = 4 (packed) }`
//! - `Value { string = 1, double = 3, uint = 5, sint = 6, bool = 7 }`: a [`Value::Int`] is
//!   written as `uint` when it is not negative and as `sint` (zigzag) when it is, the shortest
//!   encodings; `float` (2) and `int` (4) are never written.
//!
//! Geometry is a list of command integers (`MoveTo` = 1, `LineTo` = 2, `ClosePath` = 7, as
//! `(id & 7) | (count << 3)`) each followed by its zigzag-encoded deltas from the cursor.
//! Keys and values are deduplicated per layer (values byte for byte: `0.0` and `-0.0` are two
//! values). Coordinates are in tile units (`0..=EXTENT` is the tile; outside is the buffer,
//! which the specification allows); deltas wrap at `i32`, which the specification leaves
//! unsupported, so coordinates should stay within ±2³⁰.

use std::collections::HashMap;

/// Tile units per tile side, written in every layer.
pub const EXTENT: u32 = 4096;

/// A property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Int(i64),
    Double(f64),
    Bool(bool),
}

/// A feature's geometry in tile units (x right, y down).
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    /// One point, or a multipoint when more than one.
    Points(Vec<[i32; 2]>),
    /// Lines; repeated consecutive points are dropped, then lines of fewer than 2 points.
    Lines(Vec<Vec<[i32; 2]>>),
    /// Polygons, each a list of rings: the exterior first, then its holes. Rings open (first point not repeated).
    /// The encoder orients them as the spec requires (exterior: positive area in tile coordinates, i.e.
    /// clockwise on screen with y down; holes the opposite), drops repeated consecutive points and rings
    /// that are degenerate after that, and drops polygons whose exterior is degenerate.
    Polygons(Vec<Vec<Vec<[i32; 2]>>>),
}

/// A feature: an optional id, its geometry and its properties (a key given twice in one
/// feature is written once, with its first value).
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub id: Option<u64>,
    pub geometry: Geometry,
    pub properties: Vec<(String, Value)>,
}

/// A named layer. Layers given with the same name are written as one (the specification
/// forbids two layers of one name), their features in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub name: String,
    pub features: Vec<Feature>,
}

/// Encodes a tile; layers with no (non-degenerate) features are left out; an empty tile is valid (zero bytes).
///
/// Features with nothing left to draw are left out: no points, no line of 2 distinct points,
/// or no polygon whose exterior ring survives (see [`Geometry::Polygons`]).
pub fn encode(layers: &[Layer]) -> Vec<u8> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_name: HashMap<&str, Vec<&Feature>> = HashMap::new();
    for layer in layers {
        let features = by_name.entry(layer.name.as_str()).or_insert_with(|| {
            order.push(layer.name.as_str());
            Vec::new()
        });
        features.extend(&layer.features);
    }
    let mut tile = Vec::new();
    for name in order {
        let mut writer = LayerWriter::default();
        for feature in &by_name[name] {
            writer.feature(feature);
        }
        if writer.count > 0 {
            put_bytes(&mut tile, TILE_LAYERS, &writer.finish(name));
        }
    }
    tile
}

// Field numbers of vector_tile.proto.
const TILE_LAYERS: u32 = 3;
const LAYER_NAME: u32 = 1;
const LAYER_FEATURES: u32 = 2;
const LAYER_KEYS: u32 = 3;
const LAYER_VALUES: u32 = 4;
const LAYER_EXTENT: u32 = 5;
const LAYER_VERSION: u32 = 15;
const FEATURE_ID: u32 = 1;
const FEATURE_TAGS: u32 = 2;
const FEATURE_TYPE: u32 = 3;
const FEATURE_GEOMETRY: u32 = 4;
const VALUE_STRING: u32 = 1;
const VALUE_DOUBLE: u32 = 3;
const VALUE_UINT: u32 = 5;
const VALUE_SINT: u32 = 6;
const VALUE_BOOL: u32 = 7;

// GeomType.
const POINT: u64 = 1;
const LINESTRING: u64 = 2;
const POLYGON: u64 = 3;

// Commands.
const MOVE_TO: u32 = 1;
const LINE_TO: u32 = 2;
const CLOSE_PATH: u32 = 7;

/// A value as written, hashable so equal values share one entry of the layer's table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum WireValue {
    String(String),
    Uint(u64),
    Sint(i64),
    /// The bits of the double: byte-for-byte identity.
    Double(u64),
    Bool(bool),
}

impl WireValue {
    fn of(value: &Value) -> WireValue {
        match value {
            Value::String(s) => WireValue::String(s.clone()),
            Value::Int(i) => u64::try_from(*i).map_or(WireValue::Sint(*i), WireValue::Uint),
            Value::Double(d) => WireValue::Double(d.to_bits()),
            Value::Bool(b) => WireValue::Bool(*b),
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            WireValue::String(s) => put_bytes(out, VALUE_STRING, s.as_bytes()),
            WireValue::Uint(u) => put_uint(out, VALUE_UINT, *u),
            WireValue::Sint(i) => put_uint(out, VALUE_SINT, ((*i << 1) ^ (*i >> 63)) as u64),
            WireValue::Double(bits) => {
                put_key(out, VALUE_DOUBLE, WIRE_FIXED64);
                out.extend_from_slice(&bits.to_le_bytes());
            }
            WireValue::Bool(b) => put_uint(out, VALUE_BOOL, u64::from(*b)),
        }
    }
}

/// One layer being written: its encoded features and its key and value tables.
#[derive(Default)]
struct LayerWriter {
    features: Vec<u8>,
    count: usize,
    keys: Vec<String>,
    key_index: HashMap<String, u32>,
    values: Vec<WireValue>,
    value_index: HashMap<WireValue, u32>,
}

impl LayerWriter {
    /// Appends the feature unless its geometry is empty once degenerate parts are dropped.
    fn feature(&mut self, feature: &Feature) {
        let Some((kind, geometry)) = encode_geometry(&feature.geometry) else { return };
        let mut tags = Vec::with_capacity(feature.properties.len() * 2);
        let mut seen: Vec<u32> = Vec::with_capacity(feature.properties.len());
        for (key, value) in &feature.properties {
            let key = self.key(key);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            tags.push(key);
            tags.push(self.value(WireValue::of(value)));
        }
        let mut message = Vec::with_capacity(geometry.len() * 2 + tags.len() + 16);
        if let Some(id) = feature.id {
            put_uint(&mut message, FEATURE_ID, id);
        }
        put_packed(&mut message, FEATURE_TAGS, &tags);
        put_uint(&mut message, FEATURE_TYPE, kind);
        put_packed(&mut message, FEATURE_GEOMETRY, &geometry);
        put_bytes(&mut self.features, LAYER_FEATURES, &message);
        self.count += 1;
    }

    fn key(&mut self, key: &str) -> u32 {
        if let Some(&i) = self.key_index.get(key) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.keys.push(key.to_owned());
        self.key_index.insert(key.to_owned(), i);
        i
    }

    fn value(&mut self, value: WireValue) -> u32 {
        if let Some(&i) = self.value_index.get(&value) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(value.clone());
        self.value_index.insert(value, i);
        i
    }

    fn finish(self, name: &str) -> Vec<u8> {
        let mut layer = Vec::with_capacity(self.features.len() + 64);
        put_uint(&mut layer, LAYER_VERSION, 2);
        put_bytes(&mut layer, LAYER_NAME, name.as_bytes());
        layer.extend_from_slice(&self.features);
        for key in &self.keys {
            put_bytes(&mut layer, LAYER_KEYS, key.as_bytes());
        }
        let mut message = Vec::new();
        for value in &self.values {
            message.clear();
            value.encode(&mut message);
            put_bytes(&mut layer, LAYER_VALUES, &message);
        }
        put_uint(&mut layer, LAYER_EXTENT, u64::from(EXTENT));
        layer
    }
}

/// The geometry's type and command integers; `None` when nothing is left to draw.
fn encode_geometry(geometry: &Geometry) -> Option<(u64, Vec<u32>)> {
    let mut path = Path::default();
    let kind = match geometry {
        Geometry::Points(points) => {
            if points.is_empty() {
                return None;
            }
            path.command(MOVE_TO, points.len());
            for &p in points {
                path.point(p);
            }
            POINT
        }
        Geometry::Lines(lines) => {
            for line in lines {
                let line = without_repeats(line);
                if line.len() < 2 {
                    continue;
                }
                path.command(MOVE_TO, 1);
                path.point(line[0]);
                path.command(LINE_TO, line.len() - 1);
                for &p in &line[1..] {
                    path.point(p);
                }
            }
            LINESTRING
        }
        Geometry::Polygons(polygons) => {
            for polygon in polygons {
                let mut rings = polygon.iter();
                let Some(exterior) = rings.next().and_then(|r| oriented(r, true)) else { continue };
                path.ring(&exterior);
                for hole in rings.filter_map(|r| oriented(r, false)) {
                    path.ring(&hole);
                }
            }
            POLYGON
        }
    };
    (!path.integers.is_empty()).then_some((kind, path.integers))
}

/// Command and parameter integers, with the cursor they are relative to.
#[derive(Default)]
struct Path {
    integers: Vec<u32>,
    cursor: [i32; 2],
}

impl Path {
    fn command(&mut self, id: u32, count: usize) {
        // A count above 2²⁹ - 1 (half a billion points in one command) cannot be written.
        self.integers.push((id & 0x7) | ((count as u32) << 3));
    }

    fn point(&mut self, p: [i32; 2]) {
        for (to, from) in p.into_iter().zip(self.cursor) {
            let delta = to.wrapping_sub(from);
            self.integers.push(((delta << 1) ^ (delta >> 31)) as u32);
        }
        self.cursor = p;
    }

    /// An open ring of 3 distinct points or more: MoveTo, LineTo, ClosePath.
    fn ring(&mut self, ring: &[[i32; 2]]) {
        self.command(MOVE_TO, 1);
        self.point(ring[0]);
        self.command(LINE_TO, ring.len() - 1);
        for &p in &ring[1..] {
            self.point(p);
        }
        self.command(CLOSE_PATH, 1);
    }
}

/// The points with consecutive repeats removed.
fn without_repeats(points: &[[i32; 2]]) -> Vec<[i32; 2]> {
    let mut out = points.to_vec();
    out.dedup();
    out
}

/// The ring open, without repeated points, turned to positive area (exterior) or negative
/// (hole); `None` when fewer than 3 points remain or its area is zero.
fn oriented(ring: &[[i32; 2]], exterior: bool) -> Option<Vec<[i32; 2]>> {
    let mut ring = without_repeats(ring);
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if ring.len() < 3 {
        return None;
    }
    let area = twice_area(&ring);
    if area == 0 {
        return None;
    }
    if (area > 0) != exterior {
        ring.reverse();
    }
    Some(ring)
}

/// Twice the signed area (surveyor's formula), exact: positive is clockwise on screen.
fn twice_area(ring: &[[i32; 2]]) -> i128 {
    let mut sum: i128 = 0;
    for (i, a) in ring.iter().enumerate() {
        let b = ring[(i + 1) % ring.len()];
        sum += i128::from(a[0]) * i128::from(b[1]) - i128::from(b[0]) * i128::from(a[1]);
    }
    sum
}

// The protobuf wire format.
const WIRE_VARINT: u32 = 0;
const WIRE_FIXED64: u32 = 1;
const WIRE_LEN: u32 = 2;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_key(out: &mut Vec<u8>, field: u32, wire: u32) {
    put_varint(out, u64::from((field << 3) | wire));
}

fn put_uint(out: &mut Vec<u8>, field: u32, v: u64) {
    put_key(out, field, WIRE_VARINT);
    put_varint(out, v);
}

fn put_bytes(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    put_key(out, field, WIRE_LEN);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// A packed repeated `uint32`; nothing when empty.
fn put_packed(out: &mut Vec<u8>, field: u32, values: &[u32]) {
    if values.is_empty() {
        return;
    }
    let mut packed = Vec::with_capacity(values.len() * 2);
    for &v in values {
        put_varint(&mut packed, u64::from(v));
    }
    put_bytes(out, field, &packed);
}

/// Checked by decoding with `mvt-reader`, a decoder written independently of this encoder.
#[cfg(test)]
mod tests;
