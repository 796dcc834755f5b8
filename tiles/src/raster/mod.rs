//! Raster tiles: a tile's features drawn with the style, anti-aliased (tiny-skia), encoded as
//! PNG (image). 256 × 256 pixels, or 512 × 512 at scale 2 with every width doubled.

mod labels;
pub mod text;

use crate::clip::{clip_line, clip_polygon, signed_area, simplify_line, simplify_ring, Pt};
use crate::map::{Feature, Geometry, MapData};
use crate::style::{Colour, Rule, Style};
use crate::TileId;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::ImageEncoder;
pub use text::Font;
use tiny_skia::{FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform};

/// Pixels beyond the tile's edge whose features are still drawn (half the widest line, and
/// room for place labels that cross into this tile).
pub const BUFFER_PX: f64 = 128.0;

/// Draws tiles of one map in one style.
pub struct RasterRenderer<'a> {
    pub map: &'a MapData,
    pub style: &'a Style,
    pub font: Option<&'a Font>,
}

#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("scale must be 1 or 2, got {0}")]
    Scale(u32),
    #[error("encoding a PNG failed: {0}")]
    Encode(String),
}

/// World space to a tile's pixels.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    origin: [f64; 2],
    pixels_per_world: f64,
    pub size: f64,
}

impl Frame {
    pub fn new(tile: TileId, size: f64) -> Frame {
        let b = tile.world_bounds();
        Frame { origin: [b[0], b[1]], pixels_per_world: size / (b[2] - b[0]), size }
    }

    pub fn pixel(&self, p: [f64; 2]) -> Pt {
        [(p[0] - self.origin[0]) * self.pixels_per_world, (p[1] - self.origin[1]) * self.pixels_per_world]
    }

    /// [`Frame::pixel`] of each point.
    pub fn pixels(&self, points: &[[f64; 2]]) -> Vec<Pt> {
        points.iter().map(|p| self.pixel(*p)).collect()
    }

    /// The world box `buffer` pixels around the tile.
    pub fn world_box(&self, buffer: f64) -> [f64; 4] {
        let b = buffer / self.pixels_per_world;
        let far = self.size / self.pixels_per_world;
        [self.origin[0] - b, self.origin[1] - b, self.origin[0] + far + b, self.origin[1] + far + b]
    }
}

pub(crate) fn paint(colour: Colour) -> Paint<'static> {
    let mut p = Paint::default();
    let [r, g, b, a] = colour.0;
    p.set_color_rgba8(r, g, b, a);
    p.anti_alias = true;
    p
}

fn polyline_path(pb: &mut PathBuilder, points: &[Pt], close: bool) {
    for (i, p) in points.iter().enumerate() {
        if i == 0 {
            pb.move_to(p[0] as f32, p[1] as f32);
        } else {
            pb.line_to(p[0] as f32, p[1] as f32);
        }
    }
    if close {
        pb.close();
    }
}

/// The feature's geometry in pixels, clipped to the buffered tile and simplified to a third of
/// a pixel; `None` when nothing of it is left.
fn feature_path(f: &Feature, frame: &Frame, clip: f64) -> Option<tiny_skia::Path> {
    let (min, max) = (-clip, frame.size + clip);
    let mut pb = PathBuilder::new();
    match &f.geometry {
        Geometry::Point(_) => return None,
        Geometry::Line(points) => {
            for piece in clip_line(&frame.pixels(points), min, max) {
                polyline_path(&mut pb, &simplify_line(&piece, 0.3), false);
            }
        }
        Geometry::Area(polygons) => {
            for polygon in polygons {
                let rings: Vec<Vec<Pt>> = polygon.iter().map(|r| frame.pixels(r)).collect();
                for ring in clip_polygon(&rings, min, max) {
                    polyline_path(&mut pb, &simplify_ring(&ring, 0.3), true);
                }
            }
        }
    }
    pb.finish()
}

impl<'a> RasterRenderer<'a> {
    /// The features this style shows on `tile`, with the buffer around it.
    pub fn features(&self, tile: TileId) -> Vec<&'a Feature> {
        let frame = Frame::new(tile, 256.0);
        self.map.query(frame.world_box(BUFFER_PX)).into_iter().filter(|f| self.style.shows(f, tile.z)).collect()
    }

    /// Draws `tile` at `scale` (1 or 2).
    pub fn draw(&self, tile: TileId, scale: u32, features: &[&Feature]) -> Result<Pixmap, RasterError> {
        if !(1..=2).contains(&scale) {
            return Err(RasterError::Scale(scale));
        }
        let size = 256 * scale;
        let mut pixmap = Pixmap::new(size, size).ok_or(RasterError::Scale(scale))?;
        let [r, g, b, a] = self.style.background.0;
        pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, a));
        let frame = Frame::new(tile, f64::from(size));
        let zoom = f32::from(tile.z);
        let widths: Vec<f32> =
            self.style.rules.iter().map(|r| r.width.as_ref().map_or(1.0, |w| w.at(zoom)) * scale as f32).collect();
        // One clipped path per feature, shared by its rules (casing and fill): clipped beyond
        // half the widest line, so no cut end shows.
        let margin = f64::from(widths.iter().copied().fold(1.0, f32::max)) + 2.0;
        let mut paths: Vec<Option<Option<tiny_skia::Path>>> = features.iter().map(|_| None).collect();
        for (rule, &width) in self.style.rules.iter().zip(&widths) {
            for (i, f) in features.iter().enumerate().filter(|(_, f)| rule.matches(f, tile.z)) {
                let Some(path) = paths[i].get_or_insert_with(|| feature_path(f, &frame, margin)) else { continue };
                self.paint_rule(&mut pixmap, rule, f, path, width, scale);
            }
        }
        if let Some(font) = self.font {
            labels::draw(&mut pixmap, self.style, font, features, tile, &frame, scale);
        }
        Ok(pixmap)
    }

    fn paint_rule(
        &self,
        pixmap: &mut Pixmap,
        rule: &Rule,
        f: &Feature,
        path: &tiny_skia::Path,
        width: f32,
        scale: u32,
    ) {
        let is_area = matches!(f.geometry, Geometry::Area(_));
        let bounds = path.bounds();
        if let (Some(fill), true) = (rule.fill, is_area && bounds.width() > 0.0 && bounds.height() > 0.0) {
            pixmap.fill_path(path, &paint(fill), FillRule::EvenOdd, Transform::identity(), None);
        }
        if let Some(line) = rule.line {
            let mut stroke = Stroke {
                width,
                line_cap: if is_area { LineCap::Butt } else { LineCap::Round },
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            let dashed;
            let mut path = path;
            if let Some([on, off]) = rule.dash {
                // Dashed here, so a path too short to dash is drawn plain instead of dropped.
                if let Some(d) = StrokeDash::new(vec![on * scale as f32, off * scale as f32], 0.0)
                    .and_then(|dash| path.dash(&dash, 1.0))
                {
                    dashed = d;
                    path = &dashed;
                }
                stroke.line_cap = LineCap::Butt;
            }
            pixmap.stroke_path(path, &paint(line), &stroke, Transform::identity(), None);
        }
    }

    /// Whether every pixel of `tile` is provably the same whatever the zoom: no feature shows
    /// there but one area that covers the tile and its buffer. Returns what the tile's image is
    /// then a function of (the rules that draw that area), so equal keys mean equal images.
    pub fn uniform_key(&self, tile: TileId, features: &[&Feature]) -> Option<String> {
        let key = |rules: Vec<&str>| Some(format!("raster:{}", rules.join(",")));
        match features {
            [] => key(Vec::new()),
            [only] if covers_tile(only, tile, BUFFER_PX) => {
                let rules: Vec<&Rule> = self.style.rules.iter().filter(|r| r.matches(only, tile.z)).collect();
                // A line along the area's outline would not be uniform near its edge, but the
                // edge is beyond the buffer; the fill colour is all that shows.
                key(rules.iter().map(|r| r.id.as_str()).collect())
            }
            _ => None,
        }
    }
}

/// Whether an area covers the tile and `buffer` pixels (of a 256-pixel tile) around it.
pub fn covers_tile(f: &Feature, tile: TileId, buffer: f64) -> bool {
    let Geometry::Area(polygons) = &f.geometry else { return false };
    let frame = Frame::new(tile, 256.0);
    let (min, max) = (-buffer, 256.0 + buffer);
    let square = (max - min) * (max - min);
    let mut area = 0.0;
    for polygon in polygons {
        let rings: Vec<Vec<Pt>> = polygon.iter().map(|r| frame.pixels(r)).collect();
        // A hole reaching into the square leaves part of it uncovered.
        if !clip_polygon(&rings[1..], min, max).is_empty() {
            return false;
        }
        area += clip_polygon(&rings[..1], min, max).iter().map(|r| signed_area(r).abs()).sum::<f64>();
    }
    (area - square).abs() < 1e-6 * square
}

/// PNG bytes of a drawn tile.
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, RasterError> {
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&rgba, pixmap.width(), pixmap.height(), image::ExtendedColorType::Rgba8)
        .map_err(|e| RasterError::Encode(e.to_string()))?;
    Ok(out)
}
