//! Speed caps for bad surfaces: `surface`, `tracktype` and `smoothness` (OSRM's
//! `surface_speeds`, `tracktype_speeds`, `smoothness_speeds`; values not listed do not cap).
//! A cap of 0 closes the way (`smoothness=impassable` for wheeled modes).

use super::tags::Tags;

/// The caps (km/h) a profile applies, per tag value.
#[derive(Debug)]
pub struct Surfaces {
    pub surface: &'static [(&'static str, f64)],
    pub tracktype: &'static [(&'static str, f64)],
    pub smoothness: &'static [(&'static str, f64)],
}

impl Surfaces {
    /// The lowest cap the way's tags call for; `None` when nothing caps it.
    pub fn cap(&self, tags: &Tags) -> Option<f64> {
        let look = |key: &str, table: &[(&str, f64)]| {
            let v = tags.get(key)?;
            table.iter().find(|(k, _)| *k == v).map(|&(_, kmh)| kmh)
        };
        [look("surface", self.surface), look("tracktype", self.tracktype), look("smoothness", self.smoothness)]
            .into_iter()
            .flatten()
            .reduce(f64::min)
    }
}

/// OSRM's car caps.
pub static CAR: Surfaces = Surfaces {
    surface: &[
        ("cement", 80.0),
        ("compacted", 80.0),
        ("fine_gravel", 80.0),
        ("paving_stones", 60.0),
        ("metal", 60.0),
        ("bricks", 60.0),
        ("grass", 40.0),
        ("wood", 40.0),
        ("sett", 40.0),
        ("grass_paver", 40.0),
        ("gravel", 40.0),
        ("unpaved", 40.0),
        ("ground", 40.0),
        ("dirt", 40.0),
        ("pebblestone", 40.0),
        ("tartan", 40.0),
        ("cobblestone", 30.0),
        ("clay", 30.0),
        ("earth", 20.0),
        ("stone", 20.0),
        ("rocky", 20.0),
        ("sand", 20.0),
        ("mud", 10.0),
    ],
    tracktype: &[("grade1", 60.0), ("grade2", 40.0), ("grade3", 30.0), ("grade4", 25.0), ("grade5", 20.0)],
    smoothness: &[
        ("intermediate", 80.0),
        ("bad", 40.0),
        ("very_bad", 20.0),
        ("horrible", 10.0),
        ("very_horrible", 5.0),
        ("impassable", 0.0),
    ],
};

/// OSRM's bicycle caps, and `smoothness=impassable` closed ("no wheeled vehicle", OSM wiki).
pub static BICYCLE: Surfaces = Surfaces {
    surface: &[
        ("cobblestone:flattened", 10.0),
        ("paving_stones", 10.0),
        ("compacted", 10.0),
        ("sett", 10.0),
        ("cobblestone", 6.0),
        ("unpaved", 6.0),
        ("fine_gravel", 6.0),
        ("gravel", 6.0),
        ("pebblestone", 6.0),
        ("ground", 6.0),
        ("dirt", 6.0),
        ("earth", 6.0),
        ("grass", 6.0),
        ("mud", 3.0),
        ("sand", 3.0),
    ],
    tracktype: &[],
    smoothness: &[("impassable", 0.0)],
};

/// OSRM's foot caps.
pub static FOOT: Surfaces = Surfaces {
    surface: &[("fine_gravel", 3.75), ("gravel", 3.75), ("pebblestone", 3.75), ("mud", 2.5), ("sand", 2.5)],
    tracktype: &[],
    smoothness: &[],
};
