//! Parsing `maxspeed` values: numbers with units, words, and country-coded implicit limits.

/// What a `maxspeed` value says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxSpeed {
    /// A limit in km/h.
    Kmh(f64),
    /// `none`: no limit (German Autobahn). A car profile drives its `none` speed (OSRM: 140
    /// km/h before the speed reduction); a cyclist is not capped.
    Unlimited,
    /// A value that is valid OSM but gives no number (`signals`, `variable`, `DE:motorway`): the
    /// road class's default applies.
    Unknown,
}

/// Limits outside this range are taken for typing errors.
const MIN_PLAUSIBLE_KMH: f64 = 1.0;
const MAX_PLAUSIBLE_KMH: f64 = 300.0;
const KMH_PER_MPH: f64 = 1.609344;
const KMH_PER_KNOT: f64 = 1.852;
/// Walking pace, for `maxspeed=walk` (and `DE:walk`).
pub const WALK_KMH: f64 = 5.0;

/// The implicit limit of a road kind in any country (OSRM's `maxspeed_table_default`).
const KIND_DEFAULTS: &[(&str, f64)] = &[("urban", 50.0), ("rural", 90.0), ("trunk", 110.0), ("motorway", 130.0)];

/// The countries whose implicit limits differ from [`KIND_DEFAULTS`] (OSRM's `maxspeed_table`
/// and the OSM wiki's table of default speed limits), keyed in lower case. `None`: no general
/// limit (advisory only), so the class default applies, as OSRM's 0 entries do.
const COUNTRY_LIMITS: &[(&str, Option<f64>)] = &[
    ("at:rural", Some(100.0)),
    ("at:trunk", Some(100.0)),
    ("at:living_street", Some(WALK_KMH)),
    ("be:motorway", Some(120.0)),
    ("be:living_street", Some(20.0)),
    ("be-vlg:rural", Some(70.0)),
    ("by:urban", Some(60.0)),
    ("by:motorway", Some(110.0)),
    ("ch:rural", Some(80.0)),
    ("ch:trunk", Some(100.0)),
    ("ch:motorway", Some(120.0)),
    ("ch:living_street", Some(20.0)),
    ("cz:trunk", None),
    ("cz:motorway", None),
    ("de:living_street", Some(7.0)),
    ("de:rural", Some(100.0)),
    ("de:motorway", None),
    ("de:bicycle_road", Some(30.0)),
    ("dk:rural", Some(80.0)),
    ("es:motorway", Some(120.0)),
    ("fr:rural", Some(80.0)),
    ("fr:living_street", Some(20.0)),
    ("gb:nsl_single", Some(60.0 * KMH_PER_MPH)),
    ("gb:nsl_dual", Some(70.0 * KMH_PER_MPH)),
    ("gb:motorway", Some(70.0 * KMH_PER_MPH)),
    ("nl:rural", Some(80.0)),
    ("nl:trunk", Some(100.0)),
    ("nl:motorway", Some(100.0)),
    ("nl:living_street", Some(15.0)),
    ("no:rural", Some(80.0)),
    ("no:motorway", Some(110.0)),
    ("pl:rural", Some(100.0)),
    ("pl:trunk", Some(120.0)),
    ("pl:motorway", Some(140.0)),
    ("ro:trunk", Some(100.0)),
    ("ru:living_street", Some(20.0)),
    ("ru:urban", Some(60.0)),
    ("ru:motorway", Some(110.0)),
    ("uk:nsl_single", Some(60.0 * KMH_PER_MPH)),
    ("uk:nsl_dual", Some(70.0 * KMH_PER_MPH)),
    ("uk:motorway", Some(70.0 * KMH_PER_MPH)),
    ("za:urban", Some(60.0)),
    ("za:rural", Some(100.0)),
];

/// Parses a `maxspeed` value: `50`, `50 km/h`, `30 mph`, `10 knots`, `none`, `walk`, `signals`,
/// `variable`, `DE:urban`, `FR:rural`, `DE:zone30`, `RU:motorway`, `BE-VLG:rural`, ... A list
/// (`50;30`) is read by its first value, as OSRM does. `None` for anything else (the caller
/// counts it and ignores the tag), including zero, negative, fractional-nonsense and implausible
/// (outside 1..=300 km/h) limits.
pub fn parse_maxspeed(value: &str) -> Option<MaxSpeed> {
    let v = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match v.as_str() {
        "none" | "unlimited" => return Some(MaxSpeed::Unlimited),
        "walk" => return Some(MaxSpeed::Kmh(WALK_KMH)),
        "signals" | "variable" | "implicit" => return Some(MaxSpeed::Unknown),
        _ => {}
    }
    if let Some((country, kind)) = v.split_once(':') {
        return country_limit(country, kind);
    }
    let (number, factor) = if let Some(n) = v.strip_suffix("mph").or_else(|| v.strip_suffix("mp/h")) {
        (n, KMH_PER_MPH)
    } else if let Some(n) = v.strip_suffix("knots").or_else(|| v.strip_suffix("kn")) {
        (n, KMH_PER_KNOT)
    } else if let Some(n) = v.strip_suffix("km/h").or_else(|| v.strip_suffix("kmh")).or_else(|| v.strip_suffix("kph")) {
        (n, 1.0)
    } else {
        (v.as_str(), 1.0)
    };
    plausible(decimal(number)? * factor)
}

/// A plain non-negative decimal (`50`, `7.5`): no sign, exponent, `inf` or `NaN`.
pub fn decimal(s: &str) -> Option<f64> {
    let s = s.trim();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let dots = s.bytes().filter(|&b| b == b'.').count();
    if digits == 0 || digits + dots != s.len() || dots > 1 {
        return None;
    }
    s.parse().ok()
}

fn plausible(kmh: f64) -> Option<MaxSpeed> {
    (kmh.is_finite() && (MIN_PLAUSIBLE_KMH..=MAX_PLAUSIBLE_KMH).contains(&kmh)).then_some(MaxSpeed::Kmh(kmh))
}

/// `XX:kind` or `XX-REGION:kind`, already in lower case.
fn country_limit(country: &str, kind: &str) -> Option<MaxSpeed> {
    let (code, region) = country.split_once('-').unwrap_or((country, ""));
    let region_ok = region.is_empty() || (region.len() <= 3 && region.bytes().all(|b| b.is_ascii_alphanumeric()));
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) || !region_ok {
        return None;
    }
    if kind == "walk" {
        return Some(MaxSpeed::Kmh(WALK_KMH));
    }
    if let Some(n) = kind.strip_prefix("zone:").or_else(|| kind.strip_prefix("zone")) {
        return plausible(decimal(n)?);
    }
    let full = format!("{country}:{kind}");
    if let Some(&(_, limit)) = COUNTRY_LIMITS.iter().find(|(k, _)| *k == full) {
        return Some(limit.map_or(MaxSpeed::Unknown, MaxSpeed::Kmh));
    }
    match KIND_DEFAULTS.iter().find(|(k, _)| *k == kind) {
        Some(&(_, kmh)) => Some(MaxSpeed::Kmh(kmh)),
        // A limit set by law but with no one number (Germany's "Schrittgeschwindigkeit" aside).
        None if kind == "living_street" || kind.starts_with("nsl") => Some(MaxSpeed::Unknown),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(value: &str, expected: Option<MaxSpeed>) {
        match (parse_maxspeed(value), expected) {
            (Some(MaxSpeed::Kmh(a)), Some(MaxSpeed::Kmh(b))) => assert!((a - b).abs() < 1e-6, "{value}: {a} != {b}"),
            (got, want) => assert_eq!(got, want, "maxspeed={value}"),
        }
    }

    #[test]
    fn maxspeed_values() {
        use MaxSpeed::{Kmh, Unknown, Unlimited};
        let cases: &[(&str, MaxSpeed)] = &[
            ("50", Kmh(50.0)),
            (" 50 km/h", Kmh(50.0)),
            ("70kmh", Kmh(70.0)),
            ("7.5", Kmh(7.5)),
            ("30 mph", Kmh(48.28032)),
            ("20mph", Kmh(32.18688)),
            ("20 mp/h", Kmh(32.18688)),
            ("10 knots", Kmh(18.52)),
            ("50;30", Kmh(50.0)),
            ("none", Unlimited),
            ("walk", Kmh(5.0)),
            ("signals", Unknown),
            ("DE:urban", Kmh(50.0)),
            ("de:urban", Kmh(50.0)),
            ("DE:rural", Kmh(100.0)),
            ("DE:motorway", Unknown),
            ("FR:urban", Kmh(50.0)),
            ("FR:rural", Kmh(80.0)),
            ("IT:rural", Kmh(90.0)),
            ("XY:motorway", Kmh(130.0)),
            ("CH:trunk", Kmh(100.0)),
            ("RU:rural", Kmh(90.0)),
            ("RU:urban", Kmh(60.0)),
            ("RU:motorway", Kmh(110.0)),
            ("BE-VLG:rural", Kmh(70.0)),
            ("DE:zone30", Kmh(30.0)),
            ("DE:zone:20", Kmh(20.0)),
            ("DE:walk", Kmh(5.0)),
            ("GB:nsl_single", Kmh(96.56064)),
            ("IT:living_street", Unknown),
            ("DE:living_street", Kmh(7.0)),
        ];
        for &(value, expected) in cases {
            check(value, Some(expected));
        }
    }

    #[test]
    fn maxspeed_garbage_is_refused() {
        for bad in [
            "",
            "fast",
            "0",
            "0.5",
            "-30",
            "+30",
            "9999",
            "99999999999",
            "NaN",
            "inf",
            "1e400",
            "1e2",
            "5.0.0",
            "XX:nowhere",
            "DEU:urban",
            "D1:urban",
            "DE:zone",
            "DE:zone999",
            ":urban",
            "mph",
        ] {
            check(bad, None);
        }
    }
}
