//! Google's words for figures and maneuvers: "5.4 km", "7 mins", "1 hour 5 mins", and the
//! `maneuver` names of its Directions API ("turn-left", "roundabout-right", "ferry", ...).

use locus_routing::guide::{ManeuverKind, Modifier, Step, TravelMode};

/// Metres as Google writes them in metric units: "87 m", "5.4 km", "123 km".
pub fn distance_text(metres: u64) -> String {
    if metres < 1000 {
        format!("{metres} m")
    } else if metres < 100_000 {
        format!("{:.1} km", metres as f64 / 1000.0)
    } else {
        format!("{:.0} km", metres as f64 / 1000.0)
    }
}

/// Seconds as Google writes them: "1 min" (never less), "7 mins", "1 hour 5 mins", "2 days 3 hours".
pub fn duration_text(seconds: u64) -> String {
    let minutes = ((seconds + 30) / 60).max(1);
    let plural = |n: u64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    if days > 0 {
        if hours > 0 {
            format!("{} {}", plural(days, "day"), plural(hours, "hour"))
        } else {
            plural(days, "day")
        }
    } else if hours > 0 {
        if mins > 0 {
            format!("{} {}", plural(hours, "hour"), plural(mins, "min"))
        } else {
            plural(hours, "hour")
        }
    } else {
        plural(mins, "min")
    }
}

fn left(m: Option<Modifier>) -> Option<bool> {
    match m? {
        Modifier::SlightLeft | Modifier::Left | Modifier::SharpLeft => Some(true),
        Modifier::SlightRight | Modifier::Right | Modifier::SharpRight => Some(false),
        Modifier::UTurn | Modifier::Straight => None,
    }
}

/// Google's `maneuver` for a step, or `None` where Google gives none (the first step, a
/// plain name change). U-turns are `uturn-left`: Locus routes drive on the right.
pub fn maneuver(step: &Step) -> Option<&'static str> {
    let m = step.maneuver.modifier;
    let side = |l: &'static str, r: &'static str| left(m).map(|is_left| if is_left { l } else { r });
    if step.travel_mode == TravelMode::Ferry && step.maneuver.kind != ManeuverKind::Depart {
        return Some("ferry");
    }
    match step.maneuver.kind {
        ManeuverKind::Depart | ManeuverKind::Arrive | ManeuverKind::NewName | ManeuverKind::ExitRoundabout => None,
        ManeuverKind::Turn | ManeuverKind::EndOfRoad | ManeuverKind::Continue => Some(match m? {
            Modifier::UTurn => "uturn-left",
            Modifier::SharpRight => "turn-sharp-right",
            Modifier::Right => "turn-right",
            Modifier::SlightRight if step.maneuver.kind == ManeuverKind::Continue => "keep-right",
            Modifier::SlightRight => "turn-slight-right",
            Modifier::Straight => "straight",
            Modifier::SlightLeft if step.maneuver.kind == ManeuverKind::Continue => "keep-left",
            Modifier::SlightLeft => "turn-slight-left",
            Modifier::Left => "turn-left",
            Modifier::SharpLeft => "turn-sharp-left",
        }),
        ManeuverKind::Merge => Some("merge"),
        ManeuverKind::OnRamp | ManeuverKind::OffRamp => side("ramp-left", "ramp-right"),
        ManeuverKind::Fork => side("fork-left", "fork-right"),
        ManeuverKind::Roundabout => side("roundabout-left", "roundabout-right"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use locus_core::geo::LatLng;
    use locus_routing::guide::Maneuver;

    #[test]
    fn distances() {
        let cases = [(0, "0 m"), (87, "87 m"), (999, "999 m"), (1000, "1.0 km"), (5371, "5.4 km"), (123_456, "123 km")];
        for (m, text) in cases {
            assert_eq!(distance_text(m), text);
        }
    }

    #[test]
    fn durations() {
        let cases = [
            (0, "1 min"),
            (29, "1 min"),
            (90, "2 mins"),
            (398, "7 mins"),
            (3600, "1 hour"),
            (3900, "1 hour 5 mins"),
            (7200 + 1800, "2 hours 30 mins"),
            (86_400, "1 day"),
            (86_400 * 2 + 3 * 3600 + 600, "2 days 3 hours"),
        ];
        for (s, text) in cases {
            assert_eq!(duration_text(s), text, "{s}");
        }
    }

    #[test]
    fn google_maneuver_names() {
        let step = |kind, modifier, travel_mode| Step {
            maneuver: Maneuver {
                kind,
                modifier,
                location: LatLng::new(0.0, 0.0).unwrap(),
                bearing_before: 0,
                bearing_after: 0,
                exit: None,
            },
            name: String::new(),
            reference: None,
            distance_m: 0.0,
            duration_s: 0.0,
            geometry: vec![],
            travel_mode,
        };
        use ManeuverKind as K;
        use Modifier as M;
        let d = TravelMode::Driving;
        let cases = [
            (step(K::Depart, None, d), None),
            (step(K::Turn, Some(M::Left), d), Some("turn-left")),
            (step(K::Turn, Some(M::SlightRight), d), Some("turn-slight-right")),
            (step(K::Turn, Some(M::SharpLeft), d), Some("turn-sharp-left")),
            (step(K::Turn, Some(M::UTurn), d), Some("uturn-left")),
            (step(K::Continue, Some(M::SlightLeft), d), Some("keep-left")),
            (step(K::Continue, Some(M::Straight), d), Some("straight")),
            (step(K::NewName, Some(M::Straight), d), None),
            (step(K::Merge, Some(M::SlightLeft), d), Some("merge")),
            (step(K::OnRamp, Some(M::SlightRight), d), Some("ramp-right")),
            (step(K::OffRamp, Some(M::SlightLeft), d), Some("ramp-left")),
            (step(K::Fork, Some(M::SlightLeft), d), Some("fork-left")),
            (step(K::Roundabout, Some(M::Right), d), Some("roundabout-right")),
            (step(K::Roundabout, Some(M::Straight), d), None),
            (step(K::NewName, Some(M::Straight), TravelMode::Ferry), Some("ferry")),
        ];
        for (s, expected) in cases {
            assert_eq!(maneuver(&s), expected, "{:?} {:?}", s.maneuver.kind, s.maneuver.modifier);
        }
    }
}
