//! One table-driven test per profile rule: `check_all(&[(mode, tags, expected)])` where `expected`
//! reads `"<forward>/<backward> flags"` (km/h, `x` where closed; a `p` after a speed: the
//! cyclist pushes in that direction, a `d`: restricted access there; then the way's flags as
//! words: `ferry`, `toll`, `roundabout`, `link`, `nostart`) or `"-"` for "not routable". The cases follow OSRM's cucumber features (`features/{car,foot,bicycle}/*.feature`)
//! where we match them; departures are commented.

mod directions;
mod nodes;
mod speeds;
mod ways;

use super::tags::parse_tags;
use super::{EdgeFlags as F, Mode, Profile, WayRule};

fn kmh(v: Option<f64>, flags: F) -> String {
    let mut s = match v {
        None => return "x".to_owned(),
        Some(v) if (v - v.round()).abs() < 1e-9 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    };
    if flags.contains(F::PUSH) {
        s.push('p');
    }
    if flags.contains(F::DESTINATION) {
        s.push('d');
    }
    s
}

pub(super) fn describe(rule: Option<WayRule>) -> String {
    let Some(r) = rule else { return "-".to_owned() };
    let mut s = format!("{}/{}", kmh(r.forward_kmh, r.flags_toward(true)), kmh(r.backward_kmh, r.flags_toward(false)));
    for (flag, word) in [
        (F::FERRY, "ferry"),
        (F::TOLL, "toll"),
        (F::ROUNDABOUT, "roundabout"),
        (F::LINK, "link"),
        (F::NOT_STARTPOINT, "nostart"),
    ] {
        if r.flags.contains(flag) {
            s.push(' ');
            s.push_str(word);
        }
    }
    if let Some(d) = r.duration_s {
        s.push_str(&format!(" {d:.0}s"));
    }
    if r.bad_maxspeed {
        s.push_str(" bad-maxspeed");
    }
    if r.bad_duration {
        s.push_str(" bad-duration");
    }
    s
}

pub(super) fn check_all(cases: &[(Mode, &str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(mode, tags, expected)| {
            let got = describe(Profile::new(mode).way(&parse_tags(tags)));
            (got != expected).then(|| format!("{mode} on [{tags}]: got {got:?}, want {expected:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

use Mode::{Bicycle as B, Car as C, Foot as W};
