//! The words of a step, in Google's style: "Head northeast on Avenue X", "Turn left onto Rue Y",
//! "At the roundabout, take the 2nd exit onto Z", "Arrive at your destination".
//!
//! A sentence is built once as plain and emphasised parts; [`instruction`] joins them as they
//! are, [`instruction_html`] HTML-escapes every part and wraps the emphasised ones (directions,
//! road names, exit numbers) in `<b>`, as Google's `html_instructions` do.

use super::angle::compass;
use super::{ManeuverKind, Modifier, Step, TravelMode};
use crate::profile::Mode;

enum Part {
    Plain(&'static str),
    Bold(String),
}

use Part::{Bold, Plain};

/// The plain-text instruction of `step` for a route in `mode`.
pub fn instruction(step: &Step, mode: Mode) -> String {
    phrase(step, mode).iter().fold(String::new(), |mut out, part| {
        out.push_str(match part {
            Plain(s) => s,
            Bold(s) => s,
        });
        out
    })
}

/// [`instruction`] with names and directions in `<b>` and every part HTML-escaped.
pub fn instruction_html(step: &Step, mode: Mode) -> String {
    phrase(step, mode).iter().fold(String::new(), |mut out, part| {
        match part {
            Plain(s) => escape_into(s, &mut out),
            Bold(s) => {
                out.push_str("<b>");
                escape_into(s, &mut out);
                out.push_str("</b>");
            }
        }
        out
    })
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The road as a sign would show it: "Name (ref)", the name, the ref, or nothing.
fn road(step: &Step) -> Option<String> {
    let reference = step.reference.as_deref().filter(|r| !r.is_empty());
    match (step.name.is_empty(), reference) {
        (false, Some(r)) => Some(format!("{} ({r})", step.name)),
        (false, None) => Some(step.name.clone()),
        (true, Some(r)) => Some(r.to_owned()),
        (true, None) => None,
    }
}

/// `parts` + " onto <road>" when the road has a name.
fn onto(mut parts: Vec<Part>, step: &Step) -> Vec<Part> {
    if let Some(r) = road(step) {
        parts.push(Plain(" onto "));
        parts.push(Bold(r));
    }
    parts
}

/// The side a modifier points to, for "keep left", "on the right".
fn side(m: Option<Modifier>) -> Option<&'static str> {
    match m? {
        Modifier::SlightLeft | Modifier::Left | Modifier::SharpLeft => Some("left"),
        Modifier::SlightRight | Modifier::Right | Modifier::SharpRight => Some("right"),
        Modifier::UTurn | Modifier::Straight => None,
    }
}

/// "Turn left", "Slight right", "Sharp left", "Continue straight", "Make a U-turn".
fn turn(m: Option<Modifier>) -> Vec<Part> {
    let (lead, word) = match m.unwrap_or(Modifier::Straight) {
        Modifier::UTurn => ("Make a ", "U-turn"),
        Modifier::SharpRight => ("Sharp ", "right"),
        Modifier::Right => ("Turn ", "right"),
        Modifier::SlightRight => ("Slight ", "right"),
        Modifier::Straight => ("Continue ", "straight"),
        Modifier::SlightLeft => ("Slight ", "left"),
        Modifier::Left => ("Turn ", "left"),
        Modifier::SharpLeft => ("Sharp ", "left"),
    };
    vec![Plain(lead), Bold(word.to_owned())]
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The sentence of a step. `mode` words slip-road maneuvers as plain turns when not driving
/// (guidance does not produce them then, but a caller may build steps by hand).
fn phrase(step: &Step, mode: Mode) -> Vec<Part> {
    let m = step.maneuver.modifier;
    let kind = step.maneuver.kind;
    if step.travel_mode == TravelMode::Ferry && kind != ManeuverKind::Arrive {
        return match road(step) {
            None => vec![Plain("Take the ferry")],
            Some(r) if r.to_lowercase().contains("ferry") => vec![Plain("Take the "), Bold(r)],
            Some(r) => vec![Plain("Take the "), Bold(r), Plain(" ferry")],
        };
    }
    let ramp_as_turn = mode != Mode::Car
        && matches!(kind, ManeuverKind::OnRamp | ManeuverKind::OffRamp | ManeuverKind::Merge | ManeuverKind::Fork);
    if ramp_as_turn {
        return onto(turn(m), step);
    }
    match kind {
        ManeuverKind::Depart => {
            let mut parts = vec![Plain("Head "), Bold(compass(step.maneuver.bearing_after).to_owned())];
            if let Some(r) = road(step) {
                parts.push(Plain(" on "));
                parts.push(Bold(r));
            }
            parts
        }
        ManeuverKind::Arrive => vec![Plain("Arrive at your destination")],
        ManeuverKind::Turn => onto(turn(m), step),
        ManeuverKind::NewName => onto(vec![Plain("Continue")], step),
        ManeuverKind::Continue => match (m, road(step)) {
            (Some(Modifier::UTurn), _) | (_, None) => onto(turn(m), step),
            (_, Some(r)) => {
                let mut parts = turn(m);
                parts.push(Plain(" to stay on "));
                parts.push(Bold(r));
                parts
            }
        },
        ManeuverKind::Merge => onto(vec![Plain("Merge")], step),
        ManeuverKind::OnRamp | ManeuverKind::OffRamp => {
            let lead = if kind == ManeuverKind::OnRamp { "Take the ramp" } else { "Take the exit" };
            let mut parts = vec![Plain(lead)];
            if let Some(s) = side(m) {
                parts.extend([Plain(" on the "), Bold(s.to_owned())]);
            }
            onto(parts, step)
        }
        ManeuverKind::Fork => {
            let s = side(m).unwrap_or("straight");
            onto(vec![Plain("Keep "), Bold(s.to_owned()), Plain(" at the fork")], step)
        }
        ManeuverKind::EndOfRoad => {
            let mut parts = vec![Plain("At the end of the road, ")];
            let mut t = turn(m);
            if let Some(Plain(lead)) = t.first_mut() {
                *lead = match *lead {
                    "Turn " => "turn ",
                    "Sharp " => "turn sharp ",
                    "Slight " => "turn slight ",
                    "Make a " => "make a ",
                    _ => "continue ",
                };
            }
            parts.extend(t);
            onto(parts, step)
        }
        ManeuverKind::Roundabout => match step.maneuver.exit {
            Some(n) => onto(vec![Plain("At the roundabout, take the "), Bold(ordinal(n)), Plain(" exit")], step),
            None => vec![Plain("Enter the roundabout")],
        },
        ManeuverKind::ExitRoundabout => onto(vec![Plain("Exit the roundabout")], step),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let cases = [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th")];
        for (n, s) in cases {
            assert_eq!(ordinal(n), s);
        }
        assert_eq!(ordinal(21), "21st");
        assert_eq!(ordinal(112), "112th");
    }

    #[test]
    fn escaping() {
        let mut out = String::new();
        escape_into("A & B <i>\"x\"</i> l'été", &mut out);
        assert_eq!(out, "A &amp; B &lt;i&gt;&quot;x&quot;&lt;/i&gt; l&#39;été");
    }
}
