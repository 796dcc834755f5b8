//! `oneway` and its relatives: which directions of a way a mode may travel.
//!
//! Each profile lists the keys it reads, most specific first (car: `oneway:motorcar`,
//! `oneway:motor_vehicle`, `oneway:vehicle`, `oneway`; bicycle: `oneway:bicycle`, `oneway`;
//! foot: only `oneway:foot`). The first with a value we understand decides; without one, the
//! implied oneway of motorways and roundabouts holds for vehicles (not for walkers), as in
//! OSRM's `WayHandlers.oneway`. `motorway_link` implies nothing (OSRM's car/oneway.feature).

use super::tags::Tags;

/// The travel directions a way allows, relative to the order of its nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oneway {
    Both,
    Forward,
    Backward,
    /// `reversible`: the direction changes a few times a day. Not routable, as OSRM does,
    /// since we cannot know which way it runs.
    Closed,
}

/// The meaning of a `oneway` value; `None` when not understood (then the implied default holds).
/// `alternating` (a single lane taken in turns, every few minutes) is two-way, as in OSRM.
pub fn oneway_value(value: &str) -> Option<Oneway> {
    Some(match value {
        "yes" | "1" | "true" => Oneway::Forward,
        "-1" | "reverse" => Oneway::Backward,
        "no" | "0" | "false" | "alternating" => Oneway::Both,
        "reversible" => Oneway::Closed,
        _ => return None,
    })
}

/// Roads that are one-way without a `oneway` tag: motorways and roundabouts
/// (`junction=roundabout` / `circular`).
pub fn implied_oneway(tags: &Tags) -> bool {
    tags.is("highway", "motorway") || is_roundabout(tags)
}

pub fn is_roundabout(tags: &Tags) -> bool {
    matches!(tags.get("junction"), Some("roundabout" | "circular"))
}

/// The directions allowed by the first of `keys` with an understood value, else by the implied
/// oneway when `implied` (vehicles) holds.
pub fn directions(tags: &Tags, keys: &[&str], implied: bool) -> Oneway {
    keys.iter().find_map(|k| tags.get(k).and_then(oneway_value)).unwrap_or(if implied && implied_oneway(tags) {
        Oneway::Forward
    } else {
        Oneway::Both
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tags::parse_tags;

    const CAR: &[&str] = &["oneway:motorcar", "oneway:motor_vehicle", "oneway:vehicle", "oneway"];

    #[test]
    fn the_most_specific_oneway_key_decides() {
        let cases: &[(&str, Oneway)] = &[
            ("highway=primary", Oneway::Both),
            ("highway=primary oneway=yes", Oneway::Forward),
            ("highway=primary oneway=perhaps", Oneway::Both),
            ("highway=primary oneway:motorcar=yes oneway:motor_vehicle=no", Oneway::Forward),
            ("highway=primary oneway:vehicle=no oneway=yes", Oneway::Both),
            ("highway=primary oneway:bicycle=no oneway=yes", Oneway::Forward),
            ("highway=motorway", Oneway::Forward),
            ("highway=motorway oneway=perhaps", Oneway::Forward),
            ("highway=motorway_link", Oneway::Both),
            ("highway=primary junction=circular", Oneway::Forward),
            ("highway=primary junction=roundabout oneway=-1", Oneway::Backward),
            ("highway=primary oneway=alternating", Oneway::Both),
            ("highway=primary oneway=reversible", Oneway::Closed),
        ];
        for (tags, expected) in cases {
            assert_eq!(directions(&parse_tags(tags), CAR, true), *expected, "{tags}");
        }
        assert_eq!(directions(&parse_tags("highway=motorway"), &["oneway:foot"], false), Oneway::Both);
    }
}
