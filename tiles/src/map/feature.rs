//! A map feature: what a tile draws or encodes, in world space.

use crate::WorldPoint;

/// The layers of the map, as the vector tiles name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    Water,
    Landuse,
    Buildings,
    Roads,
    Places,
    Pois,
}

impl Layer {
    pub const ALL: [Layer; 6] =
        [Layer::Water, Layer::Landuse, Layer::Buildings, Layer::Roads, Layer::Places, Layer::Pois];

    pub fn name(self) -> &'static str {
        match self {
            Layer::Water => "water",
            Layer::Landuse => "landuse",
            Layer::Buildings => "buildings",
            Layer::Roads => "roads",
            Layer::Places => "places",
            Layer::Pois => "pois",
        }
    }

    pub fn from_name(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// A polygon: its exterior ring first, then its holes. Rings are open (the first point is not
/// repeated at the end).
pub type Polygon = Vec<Vec<WorldPoint>>;

#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    Point(WorldPoint),
    Line(Vec<WorldPoint>),
    Area(Vec<Polygon>),
}

impl Geometry {
    /// (min x, min y, max x, max y) in world space.
    pub fn bbox(&self) -> [f64; 4] {
        let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        let mut add = |p: &WorldPoint| {
            b[0] = b[0].min(p[0]);
            b[1] = b[1].min(p[1]);
            b[2] = b[2].max(p[0]);
            b[3] = b[3].max(p[1]);
        };
        match self {
            Geometry::Point(p) => add(p),
            Geometry::Line(points) => points.iter().for_each(&mut add),
            Geometry::Area(polygons) => polygons.iter().flatten().flatten().for_each(&mut add),
        }
        b
    }
}

/// Whether a road or railway runs over a bridge or through a tunnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Brunnel {
    Bridge,
    Tunnel,
}

impl Brunnel {
    pub fn name(self) -> &'static str {
        match self {
            Brunnel::Bridge => "bridge",
            Brunnel::Tunnel => "tunnel",
        }
    }
}

/// One thing on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The OSM element it came from, unique across element kinds ([`feature_id`]); 0 for
    /// derived features such as the sea.
    pub id: u64,
    pub layer: Layer,
    /// What it is within its layer: `motorway`, `park`, `water`, `city`, ... (the table in
    /// [`super::classify`]); the style and the vector tiles' `class` property use it.
    pub class: &'static str,
    /// The first zoom that shows it.
    pub min_zoom: u8,
    pub name: Option<Box<str>>,
    pub brunnel: Option<Brunnel>,
    pub geometry: Geometry,
    pub bbox: [f64; 4],
}

/// The OSM element kinds a feature id encodes (OSM ids are unique per kind only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementKind {
    Node = 1,
    Way = 2,
    Relation = 3,
}

/// A feature id unique across OSM element kinds: `id * 4 + kind` (negative ids, used by
/// editors for new elements, fold onto their absolute value).
pub fn feature_id(kind: ElementKind, osm_id: i64) -> u64 {
    osm_id.unsigned_abs().wrapping_mul(4) + kind as u64
}
