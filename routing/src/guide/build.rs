//! Cutting a leg into steps.
//!
//! Consecutive stretches join one step unless the joint between them is a maneuver. A joint
//! starts a new step when:
//! - the route enters a roundabout (one `roundabout` step covers the whole ring) or leaves it
//!   (`exit roundabout`);
//! - the travel mode changes (boarding or leaving a ferry, pushing a bicycle);
//! - the road's `name` or `ref` changes, or (driving) the route enters or leaves a slip road;
//! - the turn is sharper than 40° (slight) even on a road of the same name, unless both stretches
//!   are the same OSM way (a way cut at intersections into several stretches is one road);
//! - the route makes a U-turn (≥ 170°), even on the same way.
//!
//! A zero-length stretch (all its points equal) never starts a step; it joins the one it is in.
//!
//! The kind of a maneuver, driving, in this order: entering a slip road from a motorway or trunk
//! is `off ramp`, from any other road `on ramp`; leaving a slip road onto a motorway or trunk is
//! `merge`, onto another road with more than a slight turn `end of road`; a slight turn between
//! two motorways/trunks or two slip roads is `fork`. Then, for every mode: the same name and
//! ref is `continue`, a straight joint onto a new name `new name`, anything else `turn`.
//!
//! Roundabout exits: guidance does not see the roads that leave the ring, so every joint between
//! two roundabout stretches is counted as an exit passed (stretches are cut at intersections),
//! and the exit taken is that count + 1, i.e. the number of ring stretches travelled. A ring
//! split into several OSM ways between two exits over-counts. As OSRM does, the `roundabout`
//! step carries the name of the road it is left by and a modifier for the overall turn from the
//! road before the ring to the road after it; a route that ends on the ring has `exit: None`.

use super::angle::{self, bearing_in, bearing_out, turn_deg, SLIGHT_MAX_DEG};
use super::{Maneuver, ManeuverKind, Modifier, Step, TravelMode};
use crate::journey::{Leg, Stretch};
use crate::profile::{EdgeFlags, Mode, RoadClass};
use locus_core::geo::{initial_bearing_deg, LatLng};

/// The steps of `leg`, from `depart` to `arrive`, for a route in `mode`. `from` and `to` are the
/// leg's snapped waypoints; they place the two steps of a leg without stretches (both waypoints
/// on the same spot).
pub fn steps(leg: &Leg, mode: Mode, from: LatLng, to: LatLng) -> Vec<Step> {
    let s = &leg.stretches;
    let Some(first) = s.first() else { return empty_leg(mode, from, to) };
    let mut runs = vec![Run {
        start: 0,
        end: 0,
        kind: ManeuverKind::Depart,
        modifier: None,
        location: first.geometry.first().copied().unwrap_or(from),
        before: None,
        after: bearing_out(s),
        exit: None,
        signage: first,
        ring_stretches: u32::from(is_ring(first) && !is_point(first)),
    }];
    // The last stretch that goes somewhere: a zero-length stretch (a route that starts, ends or
    // turns exactly at a node) joins the step it is in and never starts one.
    let mut prev = (!is_point(first)).then_some(first);
    for (i, n) in s.iter().enumerate().skip(1) {
        let Some(run) = runs.last_mut() else { break };
        let Some(p) = prev.filter(|_| !is_point(n)) else {
            run.end = i;
            if !is_point(n) {
                // The first stretch with a length names the depart step.
                run.signage = n;
                run.ring_stretches += u32::from(is_ring(n));
                prev = Some(n);
            }
            continue;
        };
        prev = Some(n);
        let (before, after) = (bearing_in(&s[..i]), bearing_out(&s[i..]));
        let turn = match (before, after) {
            (Some(b), Some(a)) => turn_deg(b, a),
            _ => 0.0,
        };
        let Some(kind) = maneuver_kind(p, n, turn, mode) else {
            run.end = i;
            run.ring_stretches += u32::from(is_ring(n));
            continue;
        };
        let mut modifier = angle::modifier(turn);
        let mut exit = None;
        if kind == ManeuverKind::ExitRoundabout && run.kind == ManeuverKind::Roundabout {
            // Close off the roundabout: its exit, the road it leads to and the overall turn.
            let overall = match (run.before, after) {
                (Some(b), Some(a)) => angle::modifier(turn_deg(b, a)),
                _ => modifier,
            };
            run.exit = Some(run.ring_stretches);
            run.signage = n;
            run.modifier = Some(overall);
            (modifier, exit) = (overall, run.exit);
        }
        runs.push(Run {
            start: i,
            end: i,
            kind,
            modifier: Some(modifier),
            location: n.geometry.first().copied().unwrap_or(from),
            before,
            after,
            exit,
            signage: n,
            ring_stretches: u32::from(is_ring(n)),
        });
    }
    let mut out: Vec<Step> = runs.iter().map(|r| r.step(s, mode)).collect();
    let last = &s[s.len() - 1];
    let end = last.geometry.last().copied().unwrap_or(to);
    out.push(arrive(end, bearing_in(s), prev.unwrap_or(last), mode));
    out
}

/// The names of the (at most) `max_names` longest roads of a leg, in travel order, joined by
/// ", " as OSRM's leg `summary` (a road without a name counts by its `ref`).
pub fn summary(leg: &Leg, max_names: usize) -> String {
    let mut totals: Vec<(&str, f64)> = Vec::new();
    for s in &leg.stretches {
        let label = s.name.as_deref().filter(|n| !n.is_empty()).or(s.reference.as_deref()).unwrap_or("");
        if label.is_empty() {
            continue;
        }
        match totals.iter_mut().find(|(l, _)| *l == label) {
            Some(t) => t.1 += s.length_m,
            None => totals.push((label, s.length_m)),
        }
    }
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].1.total_cmp(&totals[a].1).then(a.cmp(&b)));
    order.truncate(max_names);
    order.sort_unstable();
    order.iter().map(|&i| totals[i].0).collect::<Vec<_>>().join(", ")
}

/// A step under construction: stretches `start..=end` and the maneuver that begins them.
struct Run<'a> {
    start: usize,
    end: usize,
    kind: ManeuverKind,
    modifier: Option<Modifier>,
    location: LatLng,
    before: Option<f64>,
    after: Option<f64>,
    exit: Option<u32>,
    /// The stretch whose name and ref the step carries.
    signage: &'a Stretch,
    ring_stretches: u32,
}

impl Run<'_> {
    fn step(&self, stretches: &[Stretch], mode: Mode) -> Step {
        let part = &stretches[self.start..=self.end];
        let mut geometry: Vec<LatLng> = Vec::new();
        for p in part.iter().flat_map(|s| &s.geometry) {
            if geometry.last() != Some(p) {
                geometry.push(*p);
            }
        }
        if geometry.len() < 2 {
            geometry.push(geometry.last().copied().unwrap_or(self.location));
            geometry.truncate(2);
        }
        Step {
            maneuver: Maneuver {
                kind: self.kind,
                modifier: self.modifier,
                location: self.location,
                bearing_before: self.before.map_or(0, angle::whole),
                bearing_after: self.after.map_or(0, angle::whole),
                exit: self.exit,
            },
            name: self.signage.name.clone().unwrap_or_default(),
            reference: self.signage.reference.clone(),
            distance_m: part.iter().map(|s| s.length_m).sum(),
            duration_s: part.iter().map(|s| s.duration_s).sum(),
            geometry,
            travel_mode: TravelMode::of(mode, part[0].flags),
        }
    }
}

/// The maneuver at the joint between `p` and `n`, or `None` when `n` continues `p`'s step.
fn maneuver_kind(p: &Stretch, n: &Stretch, turn: f64, mode: Mode) -> Option<ManeuverKind> {
    match (is_ring(p), is_ring(n)) {
        (true, true) => return None,
        (false, true) => return Some(ManeuverKind::Roundabout),
        (true, false) => return Some(ManeuverKind::ExitRoundabout),
        (false, false) => {}
    }
    let modifier = angle::modifier(turn);
    let mode_changed = TravelMode::of(mode, p.flags) != TravelMode::of(mode, n.flags);
    if p.way_osm_id == n.way_osm_id && !mode_changed && modifier != Modifier::UTurn {
        return None;
    }
    let same_signage = p.name == n.name && p.reference == n.reference;
    let link_changed = mode == Mode::Car && is_link(p) != is_link(n);
    if same_signage && !mode_changed && !link_changed && turn.abs() <= SLIGHT_MAX_DEG {
        return None;
    }
    if mode == Mode::Car {
        let (lp, ln) = (is_link(p), is_link(n));
        if ln && !lp {
            return Some(if is_highway(p) { ManeuverKind::OffRamp } else { ManeuverKind::OnRamp });
        }
        if lp && !ln && is_highway(n) {
            return Some(ManeuverKind::Merge);
        }
        if lp && !ln && turn.abs() > SLIGHT_MAX_DEG {
            return Some(ManeuverKind::EndOfRoad);
        }
        let slight = matches!(modifier, Modifier::SlightLeft | Modifier::SlightRight);
        if slight && ((is_highway(p) && is_highway(n)) || (lp && ln)) {
            return Some(ManeuverKind::Fork);
        }
    }
    Some(if same_signage {
        ManeuverKind::Continue
    } else if modifier == Modifier::Straight {
        ManeuverKind::NewName
    } else {
        ManeuverKind::Turn
    })
}

/// A stretch that does not move (all its points equal).
fn is_point(s: &Stretch) -> bool {
    s.geometry.windows(2).all(|w| w[0] == w[1])
}

fn is_ring(s: &Stretch) -> bool {
    s.flags.contains(EdgeFlags::ROUNDABOUT)
}

fn is_link(s: &Stretch) -> bool {
    s.flags.contains(EdgeFlags::LINK)
}

/// A motorway or trunk carriageway (not its slip roads).
fn is_highway(s: &Stretch) -> bool {
    matches!(s.class, RoadClass::Motorway | RoadClass::Trunk) && !is_link(s)
}

fn arrive(at: LatLng, before: Option<f64>, last: &Stretch, mode: Mode) -> Step {
    Step {
        maneuver: Maneuver {
            kind: ManeuverKind::Arrive,
            modifier: None,
            location: at,
            bearing_before: before.map_or(0, angle::whole),
            bearing_after: 0,
            exit: None,
        },
        name: last.name.clone().unwrap_or_default(),
        reference: last.reference.clone(),
        distance_m: 0.0,
        duration_s: 0.0,
        geometry: vec![at, at],
        travel_mode: TravelMode::of(mode, last.flags),
    }
}

/// `depart` at `from` and `arrive` at `to` for a leg that travels no road.
fn empty_leg(mode: Mode, from: LatLng, to: LatLng) -> Vec<Step> {
    let bearing = (from != to).then(|| initial_bearing_deg(from, to));
    let travel_mode = TravelMode::of(mode, EdgeFlags::default());
    let depart = Step {
        maneuver: Maneuver {
            kind: ManeuverKind::Depart,
            modifier: None,
            location: from,
            bearing_before: 0,
            bearing_after: bearing.map_or(0, angle::whole),
            exit: None,
        },
        name: String::new(),
        reference: None,
        distance_m: 0.0,
        duration_s: 0.0,
        geometry: vec![from, to],
        travel_mode,
    };
    let mut arrive = depart.clone();
    arrive.maneuver = Maneuver {
        kind: ManeuverKind::Arrive,
        modifier: None,
        location: to,
        bearing_before: bearing.map_or(0, angle::whole),
        bearing_after: 0,
        exit: None,
    };
    arrive.geometry = vec![to, to];
    vec![depart, arrive]
}
