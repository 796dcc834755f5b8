use super::*;
use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The schedule as `Mo 08:00-12:00,13:00-18:00 | Sa 09:00-13:00` (closed days left out), or
/// `error: <message>`.
fn render(input: &str) -> String {
    match OpeningHours::parse(input) {
        Ok(h) => {
            let days: Vec<String> = (0..7)
                .filter(|d| !h.day(*d).is_empty())
                .map(|d| {
                    let spans: Vec<String> =
                        h.day(d).iter().map(|&(s, e)| format!("{}-{}", hhmm(s), hhmm(e))).collect();
                    format!("{} {}", DAY_NAMES[d], spans.join(","))
                })
                .collect();
            if days.is_empty() {
                "closed".into()
            } else {
                days.join(" | ")
            }
        }
        Err(e) => format!("error: {e}"),
    }
}

fn check(input: &str, expected: &str) {
    assert_eq!(render(input), expected, "input: {input:?}");
}

const ALL_DAY: &str = "Mo 00:00-24:00 | Tu 00:00-24:00 | We 00:00-24:00 | Th 00:00-24:00 | Fr 00:00-24:00 | Sa 00:00-24:00 | Su 00:00-24:00";

#[test]
fn accepted_values() {
    check("24/7", ALL_DAY);
    check("  24/7  ", ALL_DAY);
    check("Mo-Fr 08:00-18:00", "Mo 08:00-18:00 | Tu 08:00-18:00 | We 08:00-18:00 | Th 08:00-18:00 | Fr 08:00-18:00");
    check("Fr-Mo 10:00-12:00", "Mo 10:00-12:00 | Fr 10:00-12:00 | Sa 10:00-12:00 | Su 10:00-12:00");
    check(
        "Mo,We,Fr-Su 09:00-10:00",
        "Mo 09:00-10:00 | We 09:00-10:00 | Fr 09:00-10:00 | Sa 09:00-10:00 | Su 09:00-10:00",
    );
    check("Tu 08:00-12:00,13:00-18:00", "Tu 08:00-12:00,13:00-18:00");
    check("Sa 22:00-02:00", "Sa 22:00-24:00 | Su 00:00-02:00");
    check("Su 22:00-02:00", "Mo 00:00-02:00 | Su 22:00-24:00");
    check("Th 18:00-24:00", "Th 18:00-24:00");
    check("Th 18:00-00:00", "Th 18:00-24:00");
    check("We 9:30-17:00", "We 09:30-17:00");
    check("We", "We 00:00-24:00");
    check("We open", "We 00:00-24:00");
    check("10:00-11:00; Mo-Sa off", "Su 10:00-11:00");
    check(
        "24/7; Su off",
        "Mo 00:00-24:00 | Tu 00:00-24:00 | We 00:00-24:00 | Th 00:00-24:00 | Fr 00:00-24:00 | Sa 00:00-24:00",
    );
    check("Mo-Fr 08:00-18:00; We 10:00-12:00; Tu-Th closed", "Mo 08:00-18:00 | Fr 08:00-18:00");
    check("off", "closed");
    // A later `;` rule replaces the whole day, including what spilled over midnight into it.
    check("Fr 22:00-02:00; Sa 10:00-12:00", "Fr 22:00-24:00 | Sa 10:00-12:00");
    // A `,` rule adds instead.
    check("Fr 22:00-02:00, Sa 10:00-12:00", "Fr 22:00-24:00 | Sa 00:00-02:00,10:00-12:00");
    check("Mo 08:00-09:00; PH off", "Mo 08:00-09:00");
    check("PH 10:00-12:00; Mo 08:00-09:00", "Mo 08:00-09:00");
    check("Su,PH off; Mo 01:00-02:00", "Mo 01:00-02:00");
    check(
        "mo-fr 08:00-09:00;sa OFF",
        "Mo 08:00-09:00 | Tu 08:00-09:00 | We 08:00-09:00 | Th 08:00-09:00 | Fr 08:00-09:00",
    );
    check(
        " Mo - Tu   08:00 - 09:00 ,  10:00-11:00 ;  We  off ",
        "Mo 08:00-09:00,10:00-11:00 | Tu 08:00-09:00,10:00-11:00",
    );
    check("Mo 08:00\u{2013}09:00", "Mo 08:00-09:00");
}

#[test]
fn refused_values() {
    check("", "error: empty rule at character 1 (rules are separated by ';')");
    check("Mo 08:00-09:00;; Tu off", "error: empty rule at character 16 (rules are separated by ';')");
    check("Mo 08:00-09:00;", "error: empty rule at character 16 (rules are separated by ';')");
    check("25:00-26:00", "error: invalid time \"25:00\" at character 1: expected HH:MM with hours 00-23 (24:00 only as an end) and minutes 00-59");
    check("Mo 10:60-11:00", "error: invalid time \"10:60\" at character 4: expected HH:MM with hours 00-23 (24:00 only as an end) and minutes 00-59");
    check("Mo 24:00-11:00", "error: invalid time \"24:00\" at character 4: expected HH:MM with hours 00-23 (24:00 only as an end) and minutes 00-59");
    check("Mo 1000-11:00", "error: invalid time \"1000\" at character 4: expected HH:MM with hours 00-23 (24:00 only as an end) and minutes 00-59");
    check("Mo-Xx 10:00-11:00", "error: unknown weekday \"Xx\" at character 4: expected one of Mo Tu We Th Fr Sa Su");
    check(
        "Monday 10:00-11:00",
        "error: unknown weekday \"Monday\" at character 1: expected one of Mo Tu We Th Fr Sa Su",
    );
    check("Mo- 10:00-11:00", "error: unexpected time \"10:00\" at character 5: expected a weekday after '-'");
    check("Mo 10:00", "error: unexpected end of input at character 9: expected '-' and an end time");
    check("Mo 10:00-", "error: unexpected end of input at character 10: expected an end time HH:MM");
    check("Mo 10:00+", "error: unexpected '+' at character 9: expected a weekday, a time, '-', ',' or ';'");
    check("Mo 10:00-12:00 Tu 10:00-11:00", "error: unexpected \"Tu\" at character 16: expected ';' between rules");
    check(
        "Mo 10:00-12:00 \"by appointment\"",
        "error: unexpected '\"' at character 16: expected a weekday, a time, '-', ',' or ';'",
    );
    check("12/25", "error: unexpected \"12/25\" at character 1: expected a time or 24/7");
}

fn at(date: (i32, u32, u32), h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(date.0, date.1, date.2).and_then(|d| d.and_hms_opt(h, m, 30)).unwrap()
}

// 2024-06-07 is a Friday, 2024-06-08 a Saturday, 2024-06-10 a Monday.
const FRI: (i32, u32, u32) = (2024, 6, 7);
const SAT: (i32, u32, u32) = (2024, 6, 8);
const SUN: (i32, u32, u32) = (2024, 6, 9);
const MON: (i32, u32, u32) = (2024, 6, 10);

#[test]
fn open_at_local_times() {
    let cases: &[(&str, NaiveDateTime, bool)] = &[
        ("Mo-Fr 08:00-18:00", at(FRI, 8, 0), true),
        ("Mo-Fr 08:00-18:00", at(FRI, 17, 59), true),
        ("Mo-Fr 08:00-18:00", at(FRI, 18, 0), false),
        ("Mo-Fr 08:00-18:00", at(FRI, 7, 59), false),
        ("Mo-Fr 08:00-18:00", at(SAT, 12, 0), false),
        ("Fr 22:00-02:00", at(FRI, 23, 59), true),
        ("Fr 22:00-02:00", at(SAT, 1, 59), true),
        ("Fr 22:00-02:00", at(SAT, 2, 0), false),
        ("Fr 22:00-02:00", at(FRI, 1, 0), false),
        ("Su 20:00-03:00", at(MON, 2, 0), true),
        ("Sa 08:00-24:00", at(SAT, 23, 59), true),
        ("Sa 08:00-24:00", at(SUN, 0, 0), false),
        ("24/7; Su off", at(SUN, 12, 0), false),
        ("24/7; Su off", at(MON, 0, 0), true),
        ("off", at(MON, 12, 0), false),
    ];
    for (input, local, open) in cases {
        let hours = OpeningHours::parse(input).unwrap();
        assert_eq!(hours.is_open_at(*local), *open, "{input:?} at {local}");
    }
}

#[test]
fn open_in_a_time_zone() {
    let hours = OpeningHours::parse("Mo-Fr 09:00-17:00").unwrap();
    // 07:30 UTC on a Friday in June is 09:30 in Paris (UTC+2) and 03:30 in New York.
    let t = Utc.with_ymd_and_hms(2024, 6, 7, 7, 30, 0).unwrap();
    assert!(is_open(&hours, Some("Europe/Paris"), t));
    assert!(!is_open(&hours, Some("America/New_York"), t));
    assert!(!is_open(&hours, None, t));
    assert!(!is_open(&hours, Some("Mars/Olympus"), t), "an unknown zone counts as UTC");
    // 23:30 UTC on Friday is already Saturday in Tokyo.
    let late = Utc.with_ymd_and_hms(2024, 6, 7, 23, 30, 0).unwrap();
    assert!(!is_open(&OpeningHours::parse("Fr 00:00-24:00").unwrap(), Some("Asia/Tokyo"), late));
}

#[test]
fn long_input_parses_quickly() {
    let rule = "Mo-Fr 08:00-12:00,13:00-18:00; ";
    let mut input = rule.repeat(1000 / rule.len());
    input.push_str("Sa off");
    assert!(input.len() <= 1000);
    let started = std::time::Instant::now();
    for _ in 0..100 {
        OpeningHours::parse(&input).unwrap();
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "100 parses took {:?}", started.elapsed());
}

proptest! {
    #[test]
    fn parse_never_panics(s in "\\PC{0,200}") {
        let _ = OpeningHours::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_near_misses(s in "[MoTuWeThFrSaSuPHf0-9:;,/ \\-]{0,120}") {
        if let Ok(h) = OpeningHours::parse(&s) {
            let _ = h.is_open_at(at(MON, 0, 0));
        }
    }
}
