//! Text as vector paths: glyph outlines from a TrueType font (ab_glyph), laid out on one line
//! with kerning, so labels can be filled, haloed and rotated like any other path.

use ab_glyph::{Font as _, FontArc, OutlineCurve, PxScale, ScaleFont as _};
use std::path::{Path, PathBuf};
use tiny_skia::{PathBuilder, Point};

/// System fonts tried in order when none is named: DejaVu Sans (Debian's `fonts-dejavu-core`),
/// then Liberation Sans and Noto Sans.
pub const SYSTEM_FONTS: [&str; 4] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/noto/NotoSans-Regular.ttf",
];

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("cannot read the font {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a TrueType or OpenType font")]
    Invalid { path: PathBuf },
}

/// A font the labels are drawn with.
#[derive(Clone)]
pub struct Font {
    font: FontArc,
    pub path: PathBuf,
}

/// A line of text as a path: the baseline's left end at (0, 0), y down.
pub struct TextPath {
    pub path: tiny_skia::Path,
    pub width: f32,
    /// Height above the baseline (the font's ascent at this size).
    pub ascent: f32,
    pub descent: f32,
}

impl Font {
    pub fn open(path: &Path) -> Result<Font, FontError> {
        let bytes = std::fs::read(path).map_err(|source| FontError::Io { path: path.to_owned(), source })?;
        let font = FontArc::try_from_vec(bytes).map_err(|_| FontError::Invalid { path: path.to_owned() })?;
        Ok(Font { font, path: path.to_owned() })
    }

    /// The font named, else the first system font found; `Ok(None)` when there is none (the
    /// tiles are then drawn without labels).
    pub fn find(named: Option<&Path>) -> Result<Option<Font>, FontError> {
        if let Some(path) = named {
            return Font::open(path).map(Some);
        }
        Ok(SYSTEM_FONTS.iter().map(Path::new).find(|p| p.is_file()).and_then(|p| Font::open(p).ok()))
    }

    /// `text` at `size` pixels; `None` when no glyph of it has an outline.
    pub fn text_path(&self, text: &str, size: f32) -> Option<TextPath> {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let (hs, vs) = (scaled.h_scale_factor(), scaled.v_scale_factor());
        let mut pb = PathBuilder::new();
        let mut pen = 0.0f32;
        let mut previous = None;
        for c in text.chars() {
            let id = self.font.glyph_id(c);
            if let Some(prev) = previous {
                pen += scaled.kern(prev, id);
            }
            if let Some(outline) = self.font.outline(id) {
                let at = |p: ab_glyph::Point| Point::from_xy(pen + p.x * hs, -p.y * vs);
                let mut last: Option<Point> = None;
                for curve in &outline.curves {
                    let (start, end) = match curve {
                        OutlineCurve::Line(a, b) | OutlineCurve::Quad(a, _, b) | OutlineCurve::Cubic(a, _, _, b) => {
                            (at(*a), at(*b))
                        }
                    };
                    if last != Some(start) {
                        if last.is_some() {
                            pb.close();
                        }
                        pb.move_to(start.x, start.y);
                    }
                    match curve {
                        OutlineCurve::Line(_, _) => pb.line_to(end.x, end.y),
                        OutlineCurve::Quad(_, c1, _) => {
                            let c1 = at(*c1);
                            pb.quad_to(c1.x, c1.y, end.x, end.y)
                        }
                        OutlineCurve::Cubic(_, c1, c2, _) => {
                            let (c1, c2) = (at(*c1), at(*c2));
                            pb.cubic_to(c1.x, c1.y, c2.x, c2.y, end.x, end.y)
                        }
                    }
                    last = Some(end);
                }
                if last.is_some() {
                    pb.close();
                }
            }
            pen += scaled.h_advance(id);
            previous = Some(id);
        }
        Some(TextPath { path: pb.finish()?, width: pen, ascent: scaled.ascent(), descent: -scaled.descent() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_as_wide_as_its_glyphs() {
        let Some(font) = Font::find(None).unwrap() else {
            eprintln!("no system font; skipped");
            return;
        };
        let short = font.text_path("Rue", 12.0).unwrap();
        let long = font.text_path("Rue Grimaldi", 12.0).unwrap();
        assert!(long.width > 2.5 * short.width && short.width > 12.0, "{} {}", short.width, long.width);
        let bounds = long.path.bounds();
        assert!(bounds.top() < -5.0 && bounds.bottom() < 4.0, "glyphs sit on the baseline");
        assert!(font.text_path(" ", 12.0).is_none());
    }

    #[test]
    fn a_missing_or_bad_font_is_a_clear_error() {
        assert!(matches!(Font::find(Some(Path::new("/nonexistent.ttf"))), Err(FontError::Io { .. })));
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.ttf");
        std::fs::write(&bad, b"not a font").unwrap();
        assert!(matches!(Font::open(&bad), Err(FontError::Invalid { .. })));
    }
}
