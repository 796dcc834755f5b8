//! The table that turns OpenStreetMap tags into map features: which layer, which class, from
//! which zoom. One function per element shape; the first matching rule wins.
//!
//! | layer | class | tags | from zoom |
//! |---|---|---|---|
//! | water | `water` | `natural=water`, `waterway=riverbank`, `landuse=reservoir\|basin` (areas) | by size |
//! | water | `ocean` | the sea, built from `natural=coastline` ([`super::coast`]) | 0 |
//! | water | `river`, `canal`, `stream`, `ditch` | `waterway=river\|canal\|stream\|drain\|ditch` (lines) | 8, 10, 13, 14 |
//! | landuse | `park`, `forest`, `grass`, `farmland`, `residential`, `commercial`, `industrial`, `cemetery`, `school`, `hospital`, `pitch`, `sand`, `rock`, `wetland`, `glacier`, `parking`, `pedestrian` | `leisure`, `landuse`, `natural`, `amenity` areas (see [`landuse_class`]) | by size (`parking`, `pedestrian`: 14, 13) |
//! | buildings | `building` | `building=*` except `no` | 14 |
//! | roads | `motorway`, `trunk`, `primary`, `secondary`, `tertiary`, `minor`, `service`, `pedestrian`, `track`, `path` | `highway=*` lines (links join their road's class) | 5, 6, 8, 9, 10, 12, 13, 13, 13, 14 |
//! | roads | `rail`, `transit` | `railway=rail\|light_rail\|narrow_gauge\|funicular`, `railway=subway\|tram\|monorail` | 10, 13 |
//! | places | `city`, `town`, `village`, `suburb`, `hamlet`, `neighbourhood`, `island` | named `place=*` nodes | 4, 8, 11, 12, 13, 14, 12 |
//! | pois | the `amenity`, `shop` or `tourism` value | named nodes with one of those keys | 15 |
//!
//! Areas shown "by size" appear at the zoom where their bounding box spans 4 pixels of a
//! 256-pixel tile, so a forest shows long before a garden.

use super::feature::{Brunnel, Layer};

/// Tag pairs of one element.
pub type Tags<'a> = [(&'a str, &'a str)];

/// What a tagged element becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub layer: Layer,
    pub class: &'static str,
    pub min_zoom: u8,
    /// Drawn as an area (else a line or a point).
    pub area: bool,
}

/// The keys any rule reads; elements without one are passed over before their tags are copied.
pub const KEYS: [&str; 14] = [
    "highway", "railway", "waterway", "natural", "landuse", "leisure", "amenity", "building", "place", "shop",
    "tourism", "area", "water", "type",
];

pub fn tag<'a>(tags: &Tags<'a>, key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn kind(layer: Layer, class: &'static str, min_zoom: u8, area: bool) -> Option<Kind> {
    Some(Kind { layer, class, min_zoom, area })
}

/// The zoom from which an area of this size in world space (the larger side of its bounding
/// box) spans 4 pixels of a 256-pixel tile.
pub fn zoom_for_size(extent: f64) -> u8 {
    if extent <= 0.0 || !extent.is_finite() {
        return crate::MAX_ZOOM;
    }
    (4.0 / (256.0 * extent)).log2().ceil().clamp(0.0, f64::from(crate::MAX_ZOOM)) as u8
}

/// Area classes of `landuse`, `leisure`, `natural` and `amenity`.
pub fn landuse_class(tags: &Tags) -> Option<&'static str> {
    let class = match (tag(tags, "leisure"), tag(tags, "landuse"), tag(tags, "natural"), tag(tags, "amenity")) {
        (Some("park" | "garden" | "nature_reserve" | "playground" | "dog_park"), _, _, _) => "park",
        (Some("pitch" | "sports_centre" | "stadium" | "track"), _, _, _) => "pitch",
        (Some("golf_course"), _, _, _) => "grass",
        (_, Some("forest"), _, _) | (_, _, Some("wood"), _) => "forest",
        (_, Some("grass" | "meadow" | "village_green" | "recreation_ground"), _, _) => "grass",
        (_, _, Some("grassland" | "heath" | "scrub"), _) => "grass",
        (
            _,
            Some("farmland" | "orchard" | "vineyard" | "allotments" | "farmyard" | "greenhouse_horticulture"),
            _,
            _,
        ) => "farmland",
        (_, Some("residential"), _, _) => "residential",
        (_, Some("commercial" | "retail"), _, _) => "commercial",
        (_, Some("industrial" | "construction" | "railway" | "brownfield" | "port"), _, _) => "industrial",
        (_, Some("cemetery"), _, _) | (_, _, _, Some("grave_yard")) => "cemetery",
        (_, _, Some("beach" | "sand"), _) => "sand",
        (_, _, Some("bare_rock" | "scree"), _) => "rock",
        (_, _, Some("wetland"), _) => "wetland",
        (_, _, Some("glacier"), _) => "glacier",
        (_, _, _, Some("school" | "university" | "college" | "kindergarten")) => "school",
        (_, _, _, Some("hospital")) => "hospital",
        (_, _, _, Some("parking")) => "parking",
        _ => return None,
    };
    Some(class)
}

fn is_water_area(tags: &Tags) -> bool {
    matches!(tag(tags, "natural"), Some("water" | "bay"))
        || tag(tags, "waterway") == Some("riverbank")
        || matches!(tag(tags, "landuse"), Some("reservoir" | "basin"))
}

/// An area: a closed way or a multipolygon relation with these tags.
pub fn area(tags: &Tags) -> Option<Kind> {
    if is_water_area(tags) {
        return kind(Layer::Water, "water", 0, true);
    }
    if let Some(class) = landuse_class(tags) {
        let min_zoom = match class {
            "parking" => 14,
            _ => 0,
        };
        return kind(Layer::Landuse, class, min_zoom, true);
    }
    if tag(tags, "highway") == Some("pedestrian") || tag(tags, "place") == Some("square") {
        return kind(Layer::Landuse, "pedestrian", 13, true);
    }
    match tag(tags, "building") {
        Some("no") | None => None,
        Some(_) => kind(Layer::Buildings, "building", 14, true),
    }
}

/// The class and first zoom of a `highway=*` line.
pub fn road_class(highway: &str) -> Option<(&'static str, u8)> {
    Some(match highway {
        "motorway" | "motorway_link" => ("motorway", 5),
        "trunk" | "trunk_link" => ("trunk", 6),
        "primary" | "primary_link" => ("primary", 8),
        "secondary" | "secondary_link" => ("secondary", 9),
        "tertiary" | "tertiary_link" => ("tertiary", 10),
        "unclassified" | "residential" | "living_street" | "road" => ("minor", 12),
        "service" => ("service", 13),
        "pedestrian" => ("pedestrian", 13),
        "track" => ("track", 13),
        "footway" | "path" | "cycleway" | "bridleway" | "steps" | "corridor" => ("path", 14),
        _ => return None,
    })
}

/// A way: an area when it is closed and tagged as one, else a line.
pub fn way(tags: &Tags, closed: bool) -> Option<Kind> {
    let area_tag = tag(tags, "area");
    if closed && area_tag != Some("no") {
        let line_by_default = tag(tags, "highway").is_some() || tag(tags, "railway").is_some();
        if !line_by_default || area_tag == Some("yes") {
            if let Some(k) = area(tags) {
                return Some(k);
            }
        }
    }
    if area_tag == Some("yes") {
        return None;
    }
    if let Some((class, min_zoom)) = tag(tags, "highway").and_then(road_class) {
        return kind(Layer::Roads, class, min_zoom, false);
    }
    match tag(tags, "railway") {
        Some("rail" | "light_rail" | "narrow_gauge" | "funicular") => return kind(Layer::Roads, "rail", 10, false),
        Some("subway" | "tram" | "monorail") => return kind(Layer::Roads, "transit", 13, false),
        _ => {}
    }
    match tag(tags, "waterway") {
        Some("river") => kind(Layer::Water, "river", 8, false),
        Some("canal") => kind(Layer::Water, "canal", 10, false),
        Some("stream") => kind(Layer::Water, "stream", 13, false),
        Some("drain" | "ditch") => kind(Layer::Water, "ditch", 14, false),
        _ => None,
    }
}

/// A multipolygon relation.
pub fn relation(tags: &Tags) -> Option<Kind> {
    match tag(tags, "type") {
        Some("multipolygon") => area(tags),
        _ => None,
    }
}

/// A node: a named place or point of interest.
pub fn node(tags: &Tags) -> Option<Kind> {
    tag(tags, "name")?;
    if let Some(place) = tag(tags, "place") {
        let (class, min_zoom) = match place {
            "city" => ("city", 4),
            "town" => ("town", 8),
            "village" => ("village", 11),
            "suburb" | "borough" => ("suburb", 12),
            "hamlet" => ("hamlet", 13),
            "neighbourhood" | "quarter" => ("neighbourhood", 14),
            "island" | "islet" => ("island", 12),
            _ => return None,
        };
        return kind(Layer::Places, class, min_zoom, false);
    }
    let value = tag(tags, "amenity").or_else(|| tag(tags, "shop")).or_else(|| tag(tags, "tourism"))?;
    kind(Layer::Pois, poi_class(value), 15, false)
}

/// POI classes are the tag value itself; the few kept as static strings cover the common ones,
/// the rest share `other`.
fn poi_class(value: &str) -> &'static str {
    const KNOWN: [&str; 24] = [
        "restaurant",
        "cafe",
        "bar",
        "pub",
        "fast_food",
        "bank",
        "atm",
        "pharmacy",
        "hospital",
        "school",
        "fuel",
        "parking",
        "place_of_worship",
        "post_office",
        "police",
        "supermarket",
        "bakery",
        "convenience",
        "clothes",
        "hotel",
        "museum",
        "attraction",
        "viewpoint",
        "information",
    ];
    KNOWN.into_iter().find(|k| *k == value).unwrap_or("other")
}

/// `bridge=*` / `tunnel=*` of a road or railway.
pub fn brunnel(tags: &Tags) -> Option<Brunnel> {
    match (tag(tags, "bridge"), tag(tags, "tunnel")) {
        (Some(b), _) if b != "no" => Some(Brunnel::Bridge),
        (_, Some(t)) if t != "no" => Some(Brunnel::Tunnel),
        _ => None,
    }
}

/// The label of a feature: its `name`, else a road's `ref`.
pub fn label<'a>(tags: &Tags<'a>) -> Option<&'a str> {
    tag(tags, "name").or_else(|| tag(tags, "ref")).filter(|n| !n.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(tags: &[(&str, &str)], closed: bool, expected: Option<(&str, &str, u8)>) {
        let got = way(tags, closed).map(|k| (k.layer.name(), k.class, k.min_zoom));
        assert_eq!(got, expected, "{tags:?} closed={closed}");
    }

    #[test]
    fn ways_become_the_features_the_table_lists() {
        check(&[("highway", "motorway_link")], false, Some(("roads", "motorway", 5)));
        check(&[("highway", "residential")], true, Some(("roads", "minor", 12)));
        check(&[("highway", "pedestrian"), ("area", "yes")], true, Some(("landuse", "pedestrian", 13)));
        check(&[("highway", "pedestrian"), ("area", "yes")], false, None);
        check(&[("leisure", "park")], true, Some(("landuse", "park", 0)));
        check(&[("leisure", "park")], false, None);
        check(&[("natural", "water")], true, Some(("water", "water", 0)));
        check(&[("waterway", "river")], false, Some(("water", "river", 8)));
        check(&[("building", "yes")], true, Some(("buildings", "building", 14)));
        check(&[("building", "no")], true, None);
        check(&[("railway", "rail"), ("bridge", "yes")], false, Some(("roads", "rail", 10)));
        check(&[("landuse", "forest"), ("area", "no")], true, None);
        check(&[("highway", "proposed")], false, None);
    }

    #[test]
    fn nodes_need_a_name() {
        assert_eq!(node(&[("place", "town")]), None);
        assert_eq!(node(&[("place", "town"), ("name", "Vaduz")]).map(|k| k.class), Some("town"));
        assert_eq!(
            node(&[("amenity", "cafe"), ("name", "X")]).map(|k| (k.layer, k.class)),
            Some((Layer::Pois, "cafe"))
        );
        assert_eq!(node(&[("shop", "kiosk"), ("name", "X")]).map(|k| k.class), Some("other"));
    }

    #[test]
    fn areas_show_when_they_span_four_pixels() {
        assert_eq!(zoom_for_size(1.0), 0);
        assert_eq!(zoom_for_size(4.0 / 256.0 / 1024.0), 10);
        assert_eq!(zoom_for_size(0.0), crate::MAX_ZOOM);
    }
}
