//! Labels on raster tiles: place names at their point, street names along the straightest
//! stretch of their road. Labels are placed in a fixed order (places by size, then roads by
//! class) and one that would overlap a placed label is left out.
//!
//! A place label may cross the tile's edge: the neighbouring tile finds the same place in its
//! buffer and draws the same label at the same spot, so the halves meet. A street label is
//! drawn only where it fits inside the tile, so it is never cut.

use super::text::{Font, TextPath};
use super::{paint, Frame};
use crate::clip::{clip_line, simplify_line, Pt};
use crate::map::{Feature, Geometry, Layer};
use crate::style::{Colour, Style};
use crate::TileId;
use tiny_skia::{FillRule, LineJoin, Pixmap, Stroke, Transform};

/// An axis-aligned box a placed label takes: (min x, min y, max x, max y).
type Box2 = [f32; 4];

fn overlaps(a: &Box2, b: &Box2) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

struct Placer<'a> {
    pixmap: &'a mut Pixmap,
    style: &'a Style,
    placed: Vec<Box2>,
    scale: f32,
}

impl Placer<'_> {
    /// Draws `text` (baseline-left at the origin) moved by `transform`, with the halo under it.
    fn draw(&mut self, text: &TextPath, transform: Transform, colour: Colour) {
        let labels = &self.style.labels;
        let halo =
            Stroke { width: labels.halo_width * 2.0 * self.scale, line_join: LineJoin::Round, ..Stroke::default() };
        self.pixmap.stroke_path(&text.path, &paint(labels.halo), &halo, transform, None);
        self.pixmap.fill_path(&text.path, &paint(colour), FillRule::Winding, transform, None);
    }

    fn free(&self, b: &Box2) -> bool {
        !self.placed.iter().any(|p| overlaps(p, b))
    }
}

pub fn draw(
    pixmap: &mut Pixmap,
    style: &Style,
    font: &Font,
    features: &[&Feature],
    tile: TileId,
    frame: &Frame,
    scale: u32,
) {
    let mut placer = Placer { pixmap, style, placed: Vec::new(), scale: scale as f32 };
    let mut places: Vec<(&Feature, f32)> = features
        .iter()
        .filter(|f| f.layer == Layer::Places && f.min_zoom <= tile.z)
        .filter_map(|f| style.labels.places.get(f.class).map(|&size| (*f, size)))
        .collect();
    places.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    for (f, size) in places {
        let (Geometry::Point(p), Some(name)) = (&f.geometry, &f.name) else { continue };
        let Some(text) = font.text_path(name, size * placer.scale) else { continue };
        let [x, y] = frame.pixel(*p);
        let (x, y) = (x as f32 - text.width / 2.0, y as f32 + (text.ascent - text.descent) / 2.0);
        let pad = 2.0 * placer.scale;
        let b = [x - pad, y - text.ascent - pad, x + text.width + pad, y + text.descent + pad];
        if placer.free(&b) {
            placer.placed.push(b);
            placer.draw(&text, Transform::from_translate(x, y), style.labels.place_text);
        }
    }
    let mut roads: Vec<(&Feature, f32)> = features
        .iter()
        .filter(|f| f.layer == Layer::Roads && f.name.is_some() && f.min_zoom <= tile.z)
        .filter_map(|f| style.road_label(f, tile.z).map(|size| (*f, size)))
        .collect();
    roads.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    let mut named: Vec<(&str, Pt)> = Vec::new();
    for (f, size) in roads {
        let (Geometry::Line(points), Some(name)) = (&f.geometry, &f.name) else { continue };
        let Some(text) = font.text_path(name, size * placer.scale) else { continue };
        let px = frame.pixels(points);
        let margin = 4.0 * f64::from(placer.scale);
        let Some((mid, angle)) = straightest_stretch(&px, f64::from(text.width) + 2.0 * margin, frame.size) else {
            continue;
        };
        // One label per street name within half a tile.
        let near = |(n, p): &(&str, Pt)| *n == &**name && (p[0] - mid[0]).hypot(p[1] - mid[1]) < frame.size / 2.0;
        if named.iter().any(near) {
            continue;
        }
        let (w, h) = (text.width, text.ascent + text.descent);
        let (cos, sin) = (angle.cos() as f32, angle.sin() as f32);
        let half = [(w / 2.0 * cos).abs() + (h / 2.0 * sin).abs(), (w / 2.0 * sin).abs() + (h / 2.0 * cos).abs()];
        let (cx, cy) = (mid[0] as f32, mid[1] as f32);
        let b = [cx - half[0], cy - half[1], cx + half[0], cy + half[1]];
        let inside = b[0] >= 1.0 && b[1] >= 1.0 && b[2] <= frame.size as f32 - 1.0 && b[3] <= frame.size as f32 - 1.0;
        if !inside || !placer.free(&b) {
            continue;
        }
        placer.placed.push(b);
        named.push((name, mid));
        let transform = Transform::from_translate(-w / 2.0, (text.ascent - text.descent) / 2.0)
            .post_rotate(angle.to_degrees() as f32)
            .post_translate(cx, cy);
        placer.draw(&text, transform, style.labels.text);
    }
}

/// The middle and direction (radians, reading left to right) of the longest straight stretch
/// of a line inside the tile, if it is at least `length` pixels long.
fn straightest_stretch(px: &[Pt], length: f64, size: f64) -> Option<(Pt, f64)> {
    let mut best: Option<(f64, Pt, Pt)> = None;
    for piece in clip_line(px, 0.0, size) {
        let simple = simplify_line(&piece, 1.5);
        for w in simple.windows(2) {
            let d = (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]);
            if best.as_ref().is_none_or(|b| d > b.0) {
                best = Some((d, w[0], w[1]));
            }
        }
    }
    let (d, mut a, mut b) = best?;
    if d < length {
        return None;
    }
    if b[0] < a[0] {
        std::mem::swap(&mut a, &mut b);
    }
    Some(([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0], (b[1] - a[1]).atan2(b[0] - a[0])))
}
