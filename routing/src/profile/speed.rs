//! Parsing of the speed and time tags: `maxspeed` and a ferry's `duration`.

/// What a `maxspeed` value says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxSpeed {
    /// A limit in km/h.
    Kmh(f64),
    /// `none`: no limit (German Autobahn); the road class's default speed applies.
    Unlimited,
    /// A value that is valid OSM but gives no number (`signals`, `variable`): the default applies.
    Unknown,
}

/// Limits above this are taken for typing errors.
const MAX_PLAUSIBLE_KMH: f64 = 300.0;
const KMH_PER_MPH: f64 = 1.609344;
const KMH_PER_KNOT: f64 = 1.852;
/// Walking pace, for `maxspeed=walk` (and `DE:walk`).
pub const WALK_KMH: f64 = 5.0;

/// Country-coded implicit limits (`maxspeed=DE:urban`), from the OSM wiki's table of default
/// speed limits. Only the common ones; an unknown code is garbage and counted.
const COUNTRY_LIMITS: &[(&str, f64)] = &[
    ("AT:rural", 100.0),
    ("AT:motorway", 130.0),
    ("BE:rural", 70.0),
    ("BE:motorway", 120.0),
    ("CH:rural", 80.0),
    ("CH:trunk", 100.0),
    ("CH:motorway", 120.0),
    ("DE:rural", 100.0),
    ("DE:bicycle_road", 30.0),
    ("ES:rural", 90.0),
    ("ES:motorway", 120.0),
    ("FR:rural", 80.0),
    ("FR:motorway", 130.0),
    ("GB:nsl_single", 60.0 * KMH_PER_MPH),
    ("GB:nsl_dual", 70.0 * KMH_PER_MPH),
    ("GB:motorway", 70.0 * KMH_PER_MPH),
    ("IT:rural", 90.0),
    ("IT:motorway", 130.0),
    ("NL:rural", 80.0),
    ("NL:motorway", 100.0),
    ("RU:urban", 60.0),
    ("RU:rural", 90.0),
    ("RU:motorway", 110.0),
    ("UK:nsl_single", 60.0 * KMH_PER_MPH),
    ("UK:nsl_dual", 70.0 * KMH_PER_MPH),
    ("UK:motorway", 70.0 * KMH_PER_MPH),
];

/// Parses a `maxspeed` value: `50`, `50 km/h`, `30 mph`, `10 knots`, `none`, `walk`, `signals`,
/// `variable`, `DE:urban`, `DE:zone30`, `FR:rural`, ... `None` for anything else (the caller
/// counts it and ignores the tag), including zero, negative and implausible (> 300 km/h) limits.
pub fn parse_maxspeed(value: &str) -> Option<MaxSpeed> {
    let v = value.trim();
    match v {
        "none" | "unlimited" => return Some(MaxSpeed::Unlimited),
        "walk" => return Some(MaxSpeed::Kmh(WALK_KMH)),
        "signals" | "variable" | "implicit" => return Some(MaxSpeed::Unknown),
        _ => {}
    }
    if let Some((country, kind)) = v.split_once(':') {
        return country_limit(country, kind, v);
    }
    let (number, factor) = if let Some(n) = v.strip_suffix("mph") {
        (n, KMH_PER_MPH)
    } else if let Some(n) = v.strip_suffix("knots") {
        (n, KMH_PER_KNOT)
    } else if let Some(n) = v.strip_suffix("km/h").or_else(|| v.strip_suffix("kmh")).or_else(|| v.strip_suffix("kph")) {
        (n, 1.0)
    } else {
        (v, 1.0)
    };
    plausible(number.trim().parse::<f64>().ok()? * factor)
}

fn plausible(kmh: f64) -> Option<MaxSpeed> {
    if kmh.is_finite() && kmh > 0.0 && kmh <= MAX_PLAUSIBLE_KMH {
        Some(MaxSpeed::Kmh(kmh))
    } else {
        None
    }
}

fn country_limit(country: &str, kind: &str, full: &str) -> Option<MaxSpeed> {
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    match kind {
        "urban" => return Some(MaxSpeed::Kmh(50.0)),
        "living_street" => return Some(MaxSpeed::Kmh(7.0)),
        "walk" => return Some(MaxSpeed::Kmh(WALK_KMH)),
        _ => {}
    }
    if let Some(n) = kind.strip_prefix("zone:").or_else(|| kind.strip_prefix("zone")) {
        return plausible(n.parse::<f64>().ok()?);
    }
    if kind == "motorway" && country == "DE" {
        return Some(MaxSpeed::Unlimited);
    }
    COUNTRY_LIMITS.iter().find(|(code, _)| *code == full).map(|&(_, kmh)| MaxSpeed::Kmh(kmh))
}

/// Parses a `duration` (of a ferry): ISO 8601 (`PT1H30M`, `PT45M`, `P1DT2H`, `PT90S`),
/// `HH:MM`, `HH:MM:SS`, or a plain number of minutes. Seconds, > 0; `None` otherwise.
pub fn parse_duration(value: &str) -> Option<f64> {
    let v = value.trim();
    let seconds = if let Some(iso) = v.strip_prefix('P') {
        iso_duration(iso)?
    } else if v.contains(':') {
        let parts: Vec<&str> = v.split(':').collect();
        let nums = parts.iter().map(|p| p.trim().parse::<u32>().ok()).collect::<Option<Vec<u32>>>()?;
        match nums.as_slice() {
            [h, m] if *m < 60 => f64::from(*h) * 3600.0 + f64::from(*m) * 60.0,
            [h, m, s] if *m < 60 && *s < 60 => f64::from(*h) * 3600.0 + f64::from(*m) * 60.0 + f64::from(*s),
            _ => return None,
        }
    } else {
        v.parse::<f64>().ok()? * 60.0
    };
    // A ferry longer than a month is a typing error.
    if seconds.is_finite() && seconds > 0.0 && seconds <= 31.0 * 86_400.0 {
        Some(seconds)
    } else {
        None
    }
}

/// The part of an ISO 8601 duration after `P`: `[nD][T[nH][nM][nS]]`.
fn iso_duration(s: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut number = String::new();
    let mut in_time = false;
    let mut units = 0;
    for c in s.chars() {
        match c {
            '0'..='9' | '.' => number.push(c),
            'T' if !in_time && number.is_empty() => in_time = true,
            'D' | 'H' | 'M' | 'S' => {
                let n: f64 = number.parse().ok()?;
                number.clear();
                total += n * match (c, in_time) {
                    ('D', false) => 86_400.0,
                    ('H', true) => 3600.0,
                    ('M', true) => 60.0,
                    ('S', true) => 1.0,
                    _ => return None,
                };
                units += 1;
            }
            _ => return None,
        }
    }
    if number.is_empty() && units > 0 {
        Some(total)
    } else {
        None
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
        check("50", Some(MaxSpeed::Kmh(50.0)));
        check(" 50 km/h", Some(MaxSpeed::Kmh(50.0)));
        check("70kmh", Some(MaxSpeed::Kmh(70.0)));
        check("30 mph", Some(MaxSpeed::Kmh(48.28032)));
        check("20mph", Some(MaxSpeed::Kmh(32.18688)));
        check("10 knots", Some(MaxSpeed::Kmh(18.52)));
        check("none", Some(MaxSpeed::Unlimited));
        check("walk", Some(MaxSpeed::Kmh(5.0)));
        check("signals", Some(MaxSpeed::Unknown));
        check("DE:urban", Some(MaxSpeed::Kmh(50.0)));
        check("DE:rural", Some(MaxSpeed::Kmh(100.0)));
        check("DE:motorway", Some(MaxSpeed::Unlimited));
        check("FR:rural", Some(MaxSpeed::Kmh(80.0)));
        check("DE:zone30", Some(MaxSpeed::Kmh(30.0)));
        check("DE:zone:20", Some(MaxSpeed::Kmh(20.0)));
        check("GB:nsl_single", Some(MaxSpeed::Kmh(96.56064)));
        check("IT:living_street", Some(MaxSpeed::Kmh(7.0)));
    }

    #[test]
    fn maxspeed_garbage_is_refused() {
        for bad in ["", "fast", "0", "-30", "50;30", "9999", "NaN", "inf", "XX:nowhere", "de:urban", "1e400"] {
            check(bad, None);
        }
    }

    #[test]
    fn durations() {
        let cases: &[(&str, Option<f64>)] = &[
            ("PT1H30M", Some(5400.0)),
            ("PT45M", Some(2700.0)),
            ("PT90S", Some(90.0)),
            ("P1DT2H", Some(93_600.0)),
            ("01:30", Some(5400.0)),
            ("0:20:30", Some(1230.0)),
            ("25", Some(1500.0)),
            ("PT", None),
            ("P1H", None),
            ("PT1X", None),
            ("1:75", None),
            ("00:00", None),
            ("soon", None),
            ("99999999", None),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_duration(value), *expected, "duration={value}");
        }
    }
}
