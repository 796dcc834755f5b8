//! The map's look as data: a JSON style file holds the background, the draw rules in order
//! (layer, classes, zoom range, fill or line colour, width by zoom, dashes) and the labels.
//! `tiles/styles/default.json` is built in; `--style FILE` replaces it.

use crate::map::{Brunnel, Feature, Layer};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// An RGBA colour, written `#rrggbb` or `#rrggbbaa`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub [u8; 4]);

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Colour::parse(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not a #rrggbb or #rrggbbaa colour")))
    }
}

impl Colour {
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.strip_prefix('#')?;
        if !(hex.len() == 6 || hex.len() == 8) || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        let alpha = if hex.len() == 8 { byte(6)? } else { 255 };
        Some(Colour([byte(0)?, byte(2)?, byte(4)?, alpha]))
    }
}

/// A value by zoom: `[[zoom, value], ...]` in rising zoom, linear between stops, held flat
/// beyond the first and last.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "Vec<[f32; 2]>")]
pub struct Stops(Vec<[f32; 2]>);

impl TryFrom<Vec<[f32; 2]>> for Stops {
    type Error = String;
    fn try_from(stops: Vec<[f32; 2]>) -> Result<Self, String> {
        if stops.is_empty()
            || stops.windows(2).any(|w| w[0][0] >= w[1][0])
            || stops.iter().flatten().any(|v| !v.is_finite())
        {
            return Err("stops must be [[zoom, value], ...] with rising zooms".into());
        }
        Ok(Stops(stops))
    }
}

impl Stops {
    pub fn at(&self, zoom: f32) -> f32 {
        let s = &self.0;
        if zoom <= s[0][0] {
            return s[0][1];
        }
        for w in s.windows(2) {
            if zoom <= w[1][0] {
                let t = (zoom - w[0][0]) / (w[1][0] - w[0][0]);
                return w[0][1] + t * (w[1][1] - w[0][1]);
            }
        }
        s[s.len() - 1][1]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrunnelFilter {
    Bridge,
    Tunnel,
    /// Neither bridge nor tunnel.
    None,
}

/// One draw rule: features of `layer` (and of `classes`, when given) between the zooms.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    #[serde(deserialize_with = "layer")]
    pub layer: Layer,
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub brunnel: Option<BrunnelFilter>,
    #[serde(default)]
    pub min_zoom: u8,
    #[serde(default = "max_zoom")]
    pub max_zoom: u8,
    pub fill: Option<Colour>,
    pub line: Option<Colour>,
    /// Line width in pixels of a 256-pixel tile.
    pub width: Option<Stops>,
    pub dash: Option<[f32; 2]>,
}

fn max_zoom() -> u8 {
    crate::MAX_ZOOM
}

fn layer<'de, D: Deserializer<'de>>(d: D) -> Result<Layer, D::Error> {
    let name = String::deserialize(d)?;
    Layer::from_name(&name).ok_or_else(|| D::Error::custom(format!("unknown layer {name:?}")))
}

impl Rule {
    /// Whether this rule draws `f` at zoom `z`.
    pub fn matches(&self, f: &Feature, z: u8) -> bool {
        f.layer == self.layer
            && (self.min_zoom..=self.max_zoom).contains(&z)
            && f.min_zoom <= z
            && (self.classes.is_empty() || self.classes.iter().any(|c| c == f.class))
            && match self.brunnel {
                None => true,
                Some(BrunnelFilter::Bridge) => f.brunnel == Some(Brunnel::Bridge),
                Some(BrunnelFilter::Tunnel) => f.brunnel == Some(Brunnel::Tunnel),
                Some(BrunnelFilter::None) => f.brunnel.is_none(),
            }
    }
}

/// Labels along roads of some classes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadLabels {
    pub classes: Vec<String>,
    pub min_zoom: u8,
    /// Text size in pixels.
    pub size: Stops,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// The font family wanted (informational: the renderer finds a system font file).
    pub font: String,
    pub text: Colour,
    pub place_text: Colour,
    pub halo: Colour,
    pub halo_width: f32,
    /// Text size in pixels of each place class that is labelled.
    pub places: BTreeMap<String, f32>,
    pub roads: Vec<RoadLabels>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    pub background: Colour,
    pub rules: Vec<Rule>,
    pub labels: Labels,
}

/// The built-in style's source.
pub const DEFAULT_STYLE: &str = include_str!("../styles/default.json");

#[derive(Debug, thiserror::Error)]
#[error("the style is not valid: {0}")]
pub struct StyleError(String);

impl Style {
    pub fn from_json(text: &str) -> Result<Style, StyleError> {
        serde_json::from_str(text).map_err(|e| StyleError(e.to_string()))
    }

    /// The built-in style.
    pub fn builtin() -> Style {
        // A unit test parses the built-in file, so this cannot fail in a build that passed them.
        Style::from_json(DEFAULT_STYLE).unwrap_or_else(|e| panic!("the built-in style: {e}"))
    }

    /// Whether anything of this style shows `f` at zoom `z`.
    pub fn shows(&self, f: &Feature, z: u8) -> bool {
        f.min_zoom <= z
            && (self.rules.iter().any(|r| r.matches(f, z))
                || (f.layer == Layer::Places && f.name.is_some() && self.labels.places.contains_key(f.class))
                || (f.layer == Layer::Roads && f.name.is_some() && self.road_label(f, z).is_some()))
    }

    /// The text size of a road's label at zoom `z`, if it gets one.
    pub fn road_label(&self, f: &Feature, z: u8) -> Option<f32> {
        self.labels
            .roads
            .iter()
            .find(|r| z >= r.min_zoom && r.classes.iter().any(|c| c == f.class))
            .map(|r| r.size.at(f32::from(z)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_style_parses() {
        let style = Style::builtin();
        assert_eq!(style.background, Colour([0xf2, 0xef, 0xe9, 255]));
        assert!(style.rules.iter().any(|r| r.id == "road-motorway"));
    }

    #[test]
    fn widths_grow_between_stops() {
        let s = Stops::try_from(vec![[10.0, 1.0], [14.0, 5.0]]).unwrap();
        assert_eq!((s.at(5.0), s.at(12.0), s.at(20.0)), (1.0, 3.0, 5.0));
    }

    #[test]
    fn bad_styles_are_refused_with_the_reason() {
        for (text, reason) in [
            (r##"{"background":"red","rules":[],"labels":{}}"##, "colour"),
            (r##"{"background":"#fff000","rules":[{"id":"x","layer":"lava"}]}"##, "unknown layer"),
            (r##"{"background":"#fff000","rules":[{"id":"x","layer":"roads","width":[[5,1],[3,2]]}]}"##, "rising"),
            (r##"{"background":"#fff000","rules":[{"id":"x","layer":"roads","colour":"#000000"}]}"##, "unknown field"),
        ] {
            let err = Style::from_json(text).unwrap_err().to_string();
            assert!(err.contains(reason), "{err}");
        }
    }
}
