//! Routing scenarios, one small hand-drawn map per profile rule and mode (in the style of
//! Valhalla's gurka and OSRM's cucumber tests): draw, import as OSM XML, build the graph,
//! route with Dijkstra, assert. Each module follows one family of OSRM's features:
//!
//! | module | rules | OSRM features |
//! |---|---|---|
//! | `oneway` | oneway, implied oneway, roundabouts, contraflow, pushing back | `*/oneway.feature`, `*/roundabout.feature`, `bicycle/pushing.feature` |
//! | `access` | the access hierarchy, restricted access, directions | `*/access.feature`, `car/destination.feature` |
//! | `restrictions` | turn restrictions by mode, `except`, via node | `*/restrictions.feature` |
//! | `barriers` | node barriers and access on nodes | `*/barrier.feature`, `*/access_node.feature` |
//! | `ferries` | ferries, durations, shuttle trains | `*/ferry.feature` |
//! | `speeds` | `maxspeed`, surfaces, closed and construction roads | `*/maxspeed.feature`, `car/surface.feature`, `car/construction.feature` |
//! | `areas` | pedestrian areas, steps, platforms, piers | `*/area.feature`, `*/way.feature` |
//! | `import` | reading quirks that reach the graph | |

mod access;
mod areas;
mod barriers;
mod ferries;
mod import;
mod map;
mod oneway;
mod restrictions;
mod speeds;

use map::Map;

/// A drawing written with leading indentation (for readability in the source): the common
/// indentation is removed.
pub fn draw(s: &str) -> String {
    let lines: Vec<&str> = s.lines().skip_while(|l| l.trim().is_empty()).collect();
    let indent =
        lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    lines.iter().map(|l| l.get(indent..).unwrap_or("").trim_end()).collect::<Vec<_>>().join("\n")
}

/// A street `abc` (400 m) with a detour `adec` (800 m).
pub fn detour(abc: &str, adec: &str) -> Map {
    Map::new(&draw(
        "
        a-b-c
        |   |
        d---e",
    ))
    .way("abc", abc)
    .way("adec", adec)
}

/// A street `abc` (400 m) with a detour `adec` of 2400 m: long enough that pushing a bicycle
/// or walking the street beats riding round.
pub fn long_detour(abc: &str, adec: &str) -> Map {
    Map::new(&draw(
        "
        a-b-c
        |   |
        |   |
        |   |
        |   |
        |   |
        |   |
        |   |
        |   |
        |   |
        d---e",
    ))
    .way("abc", abc)
    .way("adec", adec)
}

/// `a` to `d` turning left at `b`, or on by `c` and back along the diagonal; with `e`, a dead
/// end south of `b`.
pub fn crossing(with_e: bool) -> Map {
    let drawing = if with_e { "    d\n    | \\\na---b---c\n    |\n    e" } else { "    d\n    | \\\na---b---c" };
    let m = Map::new(drawing)
        .way("ab", "highway=residential")
        .way("bc", "highway=residential")
        .way("bd", "highway=residential")
        .way("cd", "highway=residential");
    if with_e {
        m.way("be", "highway=residential")
    } else {
        m
    }
}
