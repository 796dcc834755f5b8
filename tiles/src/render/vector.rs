//! Vector tiles: a tile's features cut to the tile (plus a buffer), simplified for its zoom
//! and encoded as a Mapbox Vector Tile with the layers water, landuse, buildings, roads,
//! places and pois. Each feature carries `class` and, when it has them, `name` and `brunnel`.

use crate::clip::{clip_line, clip_polygon, simplify_line, simplify_ring, Pt};
use crate::map::{Feature, Geometry, Layer as MapLayer};
use crate::mvt::{self, Value, EXTENT};
use crate::raster::Frame;
use crate::TileId;

/// Extent units beyond the tile's edge kept, so lines and fills join across tiles (4 pixels of
/// a 256-pixel tile).
pub const BUFFER: f64 = 64.0;

/// How far (in extent units) a simplified line may stray: coarser below the deepest zoom,
/// finer at it, since clients stretch the deepest tiles over the zooms beyond.
fn tolerance(z: u8, max_zoom: u8) -> f64 {
    if z >= max_zoom {
        1.0
    } else {
        4.0
    }
}

fn quantize(points: &[Pt]) -> Vec<[i32; 2]> {
    points.iter().map(|p| [p[0].round() as i32, p[1].round() as i32]).collect()
}

fn geometry(f: &Feature, frame: &Frame, tolerance: f64) -> Option<mvt::Geometry> {
    let (min, max) = (-BUFFER, f64::from(EXTENT) + BUFFER);
    match &f.geometry {
        Geometry::Point(p) => {
            let q = frame.pixel(*p);
            (q[0] >= min && q[0] <= max && q[1] >= min && q[1] <= max).then(|| mvt::Geometry::Points(quantize(&[q])))
        }
        Geometry::Line(points) => {
            let lines: Vec<Vec<[i32; 2]>> = clip_line(&frame.pixels(points), min, max)
                .iter()
                .map(|piece| quantize(&simplify_line(piece, tolerance)))
                .collect();
            (!lines.is_empty()).then_some(mvt::Geometry::Lines(lines))
        }
        Geometry::Area(polygons) => {
            let mut out = Vec::new();
            for polygon in polygons {
                let rings: Vec<Vec<Pt>> = polygon.iter().map(|r| frame.pixels(r)).collect();
                let Some(exterior) = clip_polygon(&rings[..1], min, max).pop() else { continue };
                let mut clipped = vec![quantize(&simplify_ring(&exterior, tolerance))];
                for hole in clip_polygon(&rings[1..], min, max) {
                    clipped.push(quantize(&simplify_ring(&hole, tolerance)));
                }
                out.push(clipped);
            }
            (!out.is_empty()).then_some(mvt::Geometry::Polygons(out))
        }
    }
}

/// The vector tile of `tile` from its features (those whose box meets the buffered tile and
/// that show at its zoom), uncompressed.
pub fn encode(tile: TileId, features: &[&Feature], max_zoom: u8) -> Vec<u8> {
    let frame = Frame::new(tile, f64::from(EXTENT));
    let tolerance = tolerance(tile.z, max_zoom);
    let mut layers: Vec<mvt::Layer> =
        MapLayer::ALL.iter().map(|l| mvt::Layer { name: l.name().to_owned(), features: Vec::new() }).collect();
    for f in features {
        let Some(geometry) = geometry(f, &frame, tolerance) else { continue };
        let mut properties = vec![("class".to_owned(), Value::String(f.class.to_owned()))];
        if let Some(name) = &f.name {
            properties.push(("name".to_owned(), Value::String(name.to_string())));
        }
        if let Some(b) = f.brunnel {
            properties.push(("brunnel".to_owned(), Value::String(b.name().to_owned())));
        }
        let layer = MapLayer::ALL.iter().position(|l| *l == f.layer).unwrap_or(0);
        layers[layer].features.push(mvt::Feature { id: (f.id != 0).then_some(f.id), geometry, properties });
    }
    mvt::encode(&layers)
}

/// The world box of a tile with its buffer.
pub fn query_box(tile: TileId) -> [f64; 4] {
    Frame::new(tile, f64::from(EXTENT)).world_box(BUFFER)
}
