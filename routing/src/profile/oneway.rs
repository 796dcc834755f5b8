//! `oneway` and its relatives: which directions of a way a mode may travel.

use super::tags::Tags;
use super::Mode;

/// The travel directions a way allows, relative to the order of its nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oneway {
    Both,
    Forward,
    Backward,
    /// `reversible` / `alternating`: the direction changes with the time of day. Not routable,
    /// as OSRM does, since we cannot know which way it runs.
    Closed,
}

/// The meaning of a `oneway` value; `None` when not understood (then the implied default holds).
pub fn oneway_value(value: &str) -> Option<Oneway> {
    Some(match value {
        "yes" | "1" | "true" => Oneway::Forward,
        "-1" | "reverse" => Oneway::Backward,
        "no" | "0" | "false" => Oneway::Both,
        "reversible" | "alternating" => Oneway::Closed,
        _ => return None,
    })
}

/// Roads that are one-way without a `oneway` tag: motorways, motorway links and roundabouts
/// (`junction=roundabout` / `circular`), as the OSM wiki says and OSRM does.
pub fn implied_oneway(tags: &Tags) -> bool {
    matches!(tags.get("highway"), Some("motorway" | "motorway_link"))
        || matches!(tags.get("junction"), Some("roundabout" | "circular"))
}

/// The directions `mode` may use on a way with these tags.
///
/// - car: `oneway`, else the implied oneway;
/// - bicycle: `oneway:bicycle` first; then contraflow (`cycleway=opposite*`, also on
///   `cycleway:left/right/both`) makes a oneway street two-way; then as for a car;
/// - foot: only `oneway:foot`; pedestrians walk both ways on oneway streets and roundabouts.
pub fn directions(mode: Mode, tags: &Tags) -> Oneway {
    let general = || {
        tags.get("oneway").and_then(oneway_value).unwrap_or(if implied_oneway(tags) {
            Oneway::Forward
        } else {
            Oneway::Both
        })
    };
    match mode {
        Mode::Car => general(),
        Mode::Foot => tags.get("oneway:foot").and_then(oneway_value).unwrap_or(Oneway::Both),
        Mode::Bicycle => {
            if let Some(o) = tags.get("oneway:bicycle").and_then(oneway_value) {
                return o;
            }
            let contraflow = ["cycleway", "cycleway:left", "cycleway:right", "cycleway:both"]
                .iter()
                .any(|k| tags.get(k).is_some_and(|v| v.starts_with("opposite")));
            match general() {
                Oneway::Forward | Oneway::Backward if contraflow => Oneway::Both,
                o => o,
            }
        }
    }
}
