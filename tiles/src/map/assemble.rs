//! From what the reader kept to world-space features: ways to lines and rings, multipolygon
//! relations to polygons with holes, the coastline to the sea.

use super::classify::zoom_for_size;
use super::feature::{feature_id, ElementKind, Feature, Geometry, Layer};
use super::read::{Described, RawMap};
use super::rings::{join_rings, polygons};
use super::{coast, MapData, MapReport};
use crate::{world_point, WorldPoint};

struct Builder<'a> {
    raw: &'a RawMap,
    features: Vec<Feature>,
    changed: Vec<[f64; 4]>,
    report: MapReport,
}

impl Builder<'_> {
    /// World positions of `refs`; `None` when one is missing from the file.
    fn points(&self, refs: &[i64]) -> Option<Vec<WorldPoint>> {
        refs.iter().map(|id| self.raw.positions.get(id).map(|&(lat, lon)| world_point(lat, lon))).collect()
    }

    fn touches_changed_node(&self, refs: &[i64]) -> bool {
        !self.raw.changed_nodes.is_empty() && refs.iter().any(|id| self.raw.changed_nodes.contains(id))
    }

    fn push(&mut self, id: u64, what: &Described, geometry: Geometry, changed: bool) {
        let Some(kind) = what.kind else { return };
        let bbox = geometry.bbox();
        let min_zoom = if kind.area {
            kind.min_zoom.max(zoom_for_size((bbox[2] - bbox[0]).max(bbox[3] - bbox[1])))
        } else {
            kind.min_zoom
        };
        if changed || what.changed {
            self.changed.push(bbox);
        }
        self.features.push(Feature {
            id,
            layer: kind.layer,
            class: kind.class,
            min_zoom,
            name: what.name.clone(),
            brunnel: what.brunnel,
            geometry,
            bbox,
        });
    }
}

pub fn assemble(raw: RawMap) -> MapData {
    let mut b = Builder { raw: &raw, features: Vec::new(), changed: Vec::new(), report: MapReport::default() };
    let mut coastline = Vec::new();
    for way in &raw.ways {
        let Some(mut points) = b.points(&way.refs) else {
            b.report.missing_nodes += 1;
            continue;
        };
        if way.coastline {
            coastline.push(points.clone());
        }
        let Some(kind) = way.what.kind else { continue };
        let changed = b.touches_changed_node(&way.refs);
        let geometry = if kind.area {
            points.pop();
            if points.len() < 3 {
                continue;
            }
            Geometry::Area(vec![vec![points]])
        } else {
            Geometry::Line(points)
        };
        b.push(feature_id(ElementKind::Way, way.id), &way.what, geometry, changed);
    }
    for relation in &raw.relations {
        let mut rings = [Vec::new(), Vec::new()];
        let mut complete = true;
        for &(way, inner) in &relation.members {
            match raw.member_ways.get(&way) {
                Some(refs) => rings[usize::from(inner)].push(refs.clone()),
                None => complete = false,
            }
        }
        let changed = relation
            .members
            .iter()
            .any(|&(way, _)| raw.member_ways.get(&way).is_some_and(|refs| b.touches_changed_node(refs)));
        let [outer, inner] = rings;
        let (outer, unclosed_outer) = join_rings(outer);
        let (inner, unclosed_inner) = join_rings(inner);
        b.report.unclosed_rings += (unclosed_outer + unclosed_inner) as u64;
        let project =
            |rings: Vec<Vec<i64>>| -> Option<Vec<Vec<WorldPoint>>> { rings.iter().map(|r| b.points(r)).collect() };
        let (Some(outer), Some(inner)) = (project(outer), project(inner)) else {
            b.report.missing_nodes += 1;
            continue;
        };
        if outer.is_empty() {
            if !complete {
                b.report.missing_nodes += 1;
            }
            continue;
        }
        let geometry = Geometry::Area(polygons(outer, inner));
        b.push(feature_id(ElementKind::Relation, relation.id), &relation.what, geometry, changed);
    }
    for node in &raw.points {
        let geometry = Geometry::Point(world_point(node.lat, node.lon));
        b.push(feature_id(ElementKind::Node, node.id), &node.what, geometry, false);
    }
    let bounds = region_bounds(&raw);
    let sea = coast::sea(coastline, bounds);
    if !sea.is_empty() {
        let geometry = Geometry::Area(sea);
        let bbox = geometry.bbox();
        // The sea goes first: everything else is drawn over it.
        b.features.insert(
            0,
            Feature {
                id: 0,
                layer: Layer::Water,
                class: "ocean",
                min_zoom: 0,
                name: None,
                brunnel: None,
                geometry,
                bbox,
            },
        );
    }
    b.report.nodes_read = raw.nodes_read;
    b.report.ways_read = raw.ways_read;
    b.report.relations_read = raw.relations_read;
    b.report.features = b.features.len() as u64;
    let (features, changed, report) = (b.features, b.changed, b.report);
    MapData::new(features, bounds, changed, report)
}

/// The region's extent in world space: the bounds the file declares, else those of its nodes.
fn region_bounds(raw: &RawMap) -> [f64; 4] {
    if let Some([west, south, east, north]) = raw.declared_bounds {
        let (nw, se) = (world_point(north, west), world_point(south, east));
        return [nw[0], nw[1], se[0], se[1]];
    }
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for &(lat, lon) in
        raw.positions.values().chain(raw.points.iter().map(|p| (p.lat, p.lon)).collect::<Vec<_>>().iter())
    {
        let p = world_point(lat, lon);
        b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
    }
    if b[0] > b[2] {
        return [0.0, 0.0, 1.0, 1.0];
    }
    b
}
