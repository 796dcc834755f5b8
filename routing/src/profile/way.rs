//! The rule engine: how a mode may use one way ([`Profile::way`]). The order of the rules is
//! in the module documentation of [`super`].

use super::access::{resolve_directed, Access, Decision};
use super::cycling;
use super::measure::{parse_duration, parse_length_m, parse_weight_t};
use super::oneway::{self, Oneway};
use super::speed::{parse_maxspeed, MaxSpeed};
use super::table::{MaxspeedUse, Vehicle};
use super::tags::Tags;
use super::{EdgeFlags, Profile, RoadClass, WayRule};

/// One direction of a way while the rules run.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Dir {
    pub kmh: Option<f64>,
    pub flags: EdgeFlags,
    /// An access tag (or `motorroad`) shuts this mode out in this direction: nothing reopens it.
    pub forbidden: bool,
}

/// `construction=*` values that leave the road open.
const CONSTRUCTION_OPEN: &[&str] = &["no", "minor", "widening"];

impl Profile {
    /// How this mode may use a way with these tags; `None` when it may not use it at all.
    pub fn way(&self, tags: &Tags) -> Option<WayRule> {
        let t = self.table;
        if tags.is("impassable", "yes") || tags.is("status", "impassable") {
            return None;
        }
        let access = resolve_directed(tags, t.access_keys, self.mode);
        if access.iter().all(|d| d.is_some_and(|d| d.forbids())) {
            return None;
        }
        let mut common = EdgeFlags::default();
        if tags.is("toll", "yes") {
            common.insert(EdgeFlags::TOLL);
        }
        if let Some(&(_, kmh)) = tags.get("route").and_then(|r| t.routes.iter().find(|(v, _)| *v == r)) {
            return self.ferry(tags, &access, kmh, common);
        }
        let highway = tags.get("highway");
        if highway.is_some_and(|h| t.never.contains(&h))
            || (tags.is("area", "yes") && !t.routes_areas)
            || (t.construction_closes && tags.get("construction").is_some_and(|c| !CONSTRUCTION_OPEN.contains(&c)))
            || tags.get("service").is_some_and(|s| t.closed_services.contains(&s))
            || t.vehicle.is_some_and(|v| too_small(&v, tags))
        {
            return None;
        }
        let cap = t.surfaces.cap(tags);
        if cap.is_some_and(|c| c <= 0.0) {
            return None;
        }

        let base = highway
            .and_then(|h| lookup(t.speeds, h))
            .or_else(|| t.other_ways.iter().find(|(k, v, _)| tags.is(k, v)).map(|w| w.2));
        let sidewalk = highway.is_some_and(|h| t.with_sidewalk.contains(&h)) && has_sidewalk(tags);
        let motorroad = t.motorroad_forbidden && tags.is("motorroad", "yes");
        let mut dirs = [Dir::default(); 2];
        let mut allows_pushing = false;
        for (dir, decision) in dirs.iter_mut().zip(&access) {
            let explicit = decision.is_some_and(|d| d.explicit());
            dir.forbidden = decision.is_some_and(|d| d.forbids()) || (motorroad && !explicit);
            if dir.forbidden {
                continue;
            }
            if decision.is_some_and(|d| d.access == Access::Destination) {
                dir.flags.insert(EdgeFlags::DESTINATION);
            }
            dir.kmh = base.or(if sidewalk || explicit { t.explicit_kmh } else { None });
            allows_pushing |= dir.kmh.is_some();
        }

        let oneway = oneway::directions(tags, t.oneway_keys, t.implied_oneway);
        match oneway {
            Oneway::Closed => return None,
            Oneway::Forward => dirs[1].kmh = None,
            Oneway::Backward => dirs[0].kmh = None,
            Oneway::Both => {}
        }
        if let Some(c) = &t.cycling {
            let dismount = access.iter().flatten().any(|d| d.access == Access::Dismount);
            cycling::apply(c, tags, oneway, allows_pushing, dismount, &mut dirs);
        }
        for dir in &mut dirs {
            if let (Some(kmh), Some(cap)) = (dir.kmh, cap) {
                dir.kmh = Some(kmh.min(cap));
            }
        }
        let bad_maxspeed = apply_maxspeed(t.maxspeed, tags, &mut dirs);

        if let Some(h) = highway {
            if h.ends_with("_link") {
                common.insert(EdgeFlags::LINK);
            }
        }
        if oneway::is_roundabout(tags) {
            common.insert(EdgeFlags::ROUNDABOUT);
        }
        // OSRM's `WayHandlers.startpoint`: it reads the forward access only.
        if highway.is_some_and(|h| t.private_not_startpoint.contains(&h))
            && access[0].is_some_and(|d| d.value == "private")
        {
            common.insert(EdgeFlags::NOT_STARTPOINT);
        }
        let class = highway.map_or(RoadClass::Minor, RoadClass::of_highway);
        let mut rule = finish(dirs, class, common)?;
        rule.bad_maxspeed = bad_maxspeed;
        Some(rule)
    }

    /// A ferry (or another carried route, the car's `shuttle_train`): at the route's speed or,
    /// when `duration` parses, at the speed that makes the whole way take that long (the graph
    /// spreads it over the way's segments). Direction: the mode's `oneway` keys, nothing implied.
    fn ferry(
        &self,
        tags: &Tags,
        access: &[Option<Decision<'_>>; 2],
        kmh: f64,
        mut common: EdgeFlags,
    ) -> Option<WayRule> {
        let t = self.table;
        common.insert(EdgeFlags::FERRY);
        let mut dirs = [Dir::default(); 2];
        for (dir, decision) in dirs.iter_mut().zip(access) {
            if decision.is_some_and(|d| d.forbids()) {
                continue;
            }
            if decision.is_some_and(|d| d.access == Access::Destination) {
                dir.flags.insert(EdgeFlags::DESTINATION);
            }
            dir.kmh = Some(kmh);
        }
        match oneway::directions(tags, t.oneway_keys, false) {
            Oneway::Closed => return None,
            Oneway::Forward => dirs[1].kmh = None,
            Oneway::Backward => dirs[0].kmh = None,
            Oneway::Both => {}
        }
        let mut rule = finish(dirs, RoadClass::Ferry, common)?;
        match tags.get("duration").map(parse_duration) {
            Some(Some(s)) => rule.duration_s = Some(s),
            Some(None) => rule.bad_duration = true,
            None => {}
        }
        Some(rule)
    }
}

fn lookup(table: &[(&str, f64)], key: &str) -> Option<f64> {
    table.iter().find(|(k, _)| *k == key).map(|&(_, v)| v)
}

/// A sidewalk mapped on the road itself (`separate` means it is a way of its own).
fn has_sidewalk(tags: &Tags) -> bool {
    matches!(tags.get("sidewalk"), Some("both" | "left" | "right" | "yes"))
        || ["sidewalk:both", "sidewalk:left", "sidewalk:right"].iter().any(|k| tags.is(k, "yes"))
}

/// Whether the way's physical limits are below the vehicle (OSRM's `handle_height`, `_width`,
/// `_length`, `_weight`). Values that do not parse (`default`, `none`, `narrow`) limit nothing.
fn too_small(v: &Vehicle, tags: &Tags) -> bool {
    let first = |keys: &[&str], parse: fn(&str) -> Option<f64>| keys.iter().find_map(|k| tags.get(k).and_then(parse));
    first(&["maxheight:physical", "maxheight"], parse_length_m).is_some_and(|h| h < v.height_m)
        || first(&["maxwidth:physical", "maxwidth", "width", "est_width"], parse_length_m)
            .is_some_and(|w| w <= v.width_m)
        || first(&["maxlength"], parse_length_m).is_some_and(|l| l < v.length_m)
        || first(&["maxweight"], parse_weight_t).is_some_and(|w| w < v.weight_t)
}

/// Applies `maxspeed` to the open directions; true when a limit was tagged but did not parse.
fn apply_maxspeed(rule: MaxspeedUse, tags: &Tags, dirs: &mut [Dir; 2]) -> bool {
    // Keys that count as garbage when they do not parse; the others are only hints.
    const STRICT: &[&str] = &["maxspeed:advisory", "maxspeed"];
    let keys: &[&str] = match rule {
        MaxspeedUse::Scaled { .. } => &["maxspeed:advisory", "maxspeed", "source:maxspeed", "maxspeed:type"],
        MaxspeedUse::Cap => &["maxspeed"],
        MaxspeedUse::Ignore => return false,
    };
    let mut bad = false;
    for (dir, sub) in dirs.iter_mut().zip(["forward", "backward"]) {
        let Some((key, value)) =
            keys.iter().find_map(|&k| tags.get_sub(k, sub).or_else(|| tags.get(k)).map(|v| (k, v)))
        else {
            continue;
        };
        let limit = parse_maxspeed(value);
        bad |= limit.is_none() && STRICT.contains(&key);
        let (Some(kmh), Some(limit)) = (dir.kmh, limit) else { continue };
        dir.kmh = Some(match (rule, limit) {
            (MaxspeedUse::Scaled { factor, .. }, MaxSpeed::Kmh(v)) => v * factor,
            (MaxspeedUse::Scaled { factor, none_kmh }, MaxSpeed::Unlimited) => none_kmh * factor,
            (MaxspeedUse::Cap, MaxSpeed::Kmh(v)) => kmh.min(v),
            _ => kmh,
        });
    }
    bad
}

/// The rule from the two directions: `None` when neither is open. Flags both open directions
/// share go to `flags`, the rest to `forward_flags` / `backward_flags`.
fn finish(dirs: [Dir; 2], class: RoadClass, common: EdgeFlags) -> Option<WayRule> {
    // Defensive: a speed that is not a positive number closes its direction.
    let speed = |d: &Dir| d.kmh.filter(|k| k.is_finite() && *k > 0.0);
    let [f, b] = dirs;
    let (forward_kmh, backward_kmh) = (speed(&f), speed(&b));
    let shared = match (forward_kmh, backward_kmh) {
        (Some(_), Some(_)) => f.flags.intersection(b.flags),
        (Some(_), None) => f.flags,
        (None, Some(_)) => b.flags,
        (None, None) => return None,
    };
    Some(WayRule {
        forward_kmh,
        backward_kmh,
        class,
        flags: common.union(shared),
        forward_flags: forward_kmh.map_or_else(EdgeFlags::default, |_| f.flags.difference(shared)),
        backward_flags: backward_kmh.map_or_else(EdgeFlags::default, |_| b.flags.difference(shared)),
        duration_s: None,
        bad_maxspeed: false,
        bad_duration: false,
    })
}
