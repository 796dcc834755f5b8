//! Parsing the other measured tags: a ferry's `duration`, and the physical limits a car checks
//! (`maxheight`, `maxwidth`, `width`, `maxlength`, `maxweight`).

use super::speed::decimal;

/// A ferry longer than this is a typing error.
const MAX_DURATION_S: f64 = 31.0 * 86_400.0;

/// Parses a `duration` (of a ferry): ISO 8601 (`PT1H30M`, `PT45M`, `P1DT2H`, `PT90S`),
/// `HH:MM`, `HH:MM:SS`, or a plain number of minutes. Seconds, in `(0, 31 days]`; `None`
/// otherwise (negative, zero, `NaN`, signs, exponents, absurd lengths).
pub fn parse_duration(value: &str) -> Option<f64> {
    let v = value.trim();
    let seconds = if let Some(iso) = v.strip_prefix('P') {
        iso_duration(iso)?
    } else if v.contains(':') {
        let nums = v.split(':').map(|p| decimal(p).filter(|n| n.fract() == 0.0)).collect::<Option<Vec<f64>>>()?;
        match nums.as_slice() {
            [h, m] if *m < 60.0 => h * 3600.0 + m * 60.0,
            [h, m, s] if *m < 60.0 && *s < 60.0 => h * 3600.0 + m * 60.0 + s,
            _ => return None,
        }
    } else {
        decimal(v)? * 60.0
    };
    (seconds.is_finite() && seconds > 0.0 && seconds <= MAX_DURATION_S).then_some(seconds)
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
                let n = decimal(&number)?;
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
    (number.is_empty() && units > 0).then_some(total)
}

/// A length in metres: `2.5`, `2.5 m`, `2.5m`, `250 cm`, `6'`, `6'2"`, `6 ft`. `None` for the
/// words (`default`, `none`, `no-sign`, `unsigned`, `below_default`) and anything implausible.
pub fn parse_length_m(value: &str) -> Option<f64> {
    let v = value.trim();
    let m = if let Some((feet, rest)) = v.split_once('\'') {
        let inches = rest.trim().strip_suffix('"').unwrap_or(rest.trim());
        let inches = if inches.is_empty() { 0.0 } else { decimal(inches)? };
        (decimal(feet)? * 12.0 + inches) * 0.0254
    } else if let Some(n) = v.strip_suffix("ft") {
        decimal(n)? * 0.3048
    } else if let Some(n) = v.strip_suffix("cm") {
        decimal(n)? / 100.0
    } else {
        decimal(v.strip_suffix('m').unwrap_or(v))?
    };
    (m > 0.0 && m < 1000.0).then_some(m)
}

/// A weight in tonnes: `3.5`, `3.5 t`, `3500 kg`, `7000 lbs`. `None` for anything else.
pub fn parse_weight_t(value: &str) -> Option<f64> {
    let v = value.trim();
    let t = if let Some(n) = v.strip_suffix("kg") {
        decimal(n)? / 1000.0
    } else if let Some(n) = v.strip_suffix("lbs") {
        decimal(n)? * 0.000_453_592_37
    } else {
        decimal(v.strip_suffix('t').unwrap_or(v))?
    };
    (t > 0.0 && t < 10_000.0).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let cases: &[(&str, Option<f64>)] = &[
            ("PT1H30M", Some(5400.0)),
            ("PT45M", Some(2700.0)),
            ("PT1M", Some(60.0)),
            ("PT90S", Some(90.0)),
            ("PT1.5H", Some(5400.0)),
            ("P1DT2H", Some(93_600.0)),
            ("01:30", Some(5400.0)),
            ("0:01", Some(60.0)),
            ("00:01:00", Some(60.0)),
            ("0:20:30", Some(1230.0)),
            ("25", Some(1500.0)),
            ("PT", None),
            ("P1H", None),
            ("PT1X", None),
            ("PT-5M", None),
            ("-5", None),
            ("-0:05", None),
            ("1:75", None),
            ("1:30.5", None),
            ("00:00", None),
            ("0", None),
            ("soon", None),
            ("NaN", None),
            ("inf", None),
            ("1e3", None),
            ("99999999", None),
            ("PT99999999999999999999H", None),
            ("99999999999999999999:00", None),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_duration(value), *expected, "duration={value}");
        }
    }

    #[test]
    fn lengths_and_weights() {
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-3);
        assert!(close(parse_length_m("2.5"), 2.5));
        assert!(close(parse_length_m("1 m"), 1.0));
        assert!(close(parse_length_m("1m"), 1.0));
        assert!(close(parse_length_m("6'"), 1.8288));
        assert!(close(parse_length_m("6'2\""), 1.8796));
        assert!(close(parse_length_m("6'3\""), 1.905));
        assert!(close(parse_length_m("7 ft"), 2.1336));
        for bad in ["default", "none", "no-sign", "unsigned", "below_default", "-2", "0", "1e9", "narrow", "'"] {
            assert_eq!(parse_length_m(bad), None, "{bad}");
        }
        assert!(close(parse_weight_t("3.5"), 3.5));
        assert!(close(parse_weight_t("7.5 t"), 7.5));
        assert!(close(parse_weight_t("3000 kg"), 3.0));
        assert_eq!(parse_weight_t("heavy"), None);
    }
}
