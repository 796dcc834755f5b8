//! OpenStreetMap `opening_hours`: the subset businesses use, parsed into a weekly schedule.
//!
//! Supported: `24/7`; rules separated by `;` (a later rule replaces the whole schedule of the
//! weekdays it names, as in opening_hours.js) or by `,` before a weekday (an additional rule that
//! adds to those days); weekday selectors (`Mo`, `Mo-Fr`, the wrapping `Fr-Mo`, lists
//! `Mo,We,Fr-Su`; none = every day); time lists `08:00-12:00,13:00-18:00`; overnight spans
//! `22:00-02:00` (the hours after midnight belong to the next day); `24:00` as an end; `off` /
//! `closed` / `open`. Public and school holidays (`PH`, `SH`) parse but are ignored: Locus has
//! no holiday calendar. Anything else (months, dates, `+`, comments) is refused with the
//! character position of the problem.

use chrono::{Datelike, NaiveDateTime, Timelike};

const DAY_NAMES: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const MINUTES_PER_DAY: u16 = 24 * 60;

/// A weekly schedule: for each weekday (Monday first), the half-open minute ranges it is open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    days: [Vec<(u16, u16)>; 7],
}

/// Why an `opening_hours` value was refused; `at` is a 1-based character position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("empty rule at character {at} (rules are separated by ';')")]
    EmptyRule { at: usize },
    #[error("invalid time {text:?} at character {at}: expected HH:MM with hours 00-23 (24:00 only as an end) and minutes 00-59")]
    InvalidTime { text: String, at: usize },
    #[error("unknown weekday {text:?} at character {at}: expected one of Mo Tu We Th Fr Sa Su")]
    UnknownDay { text: String, at: usize },
    #[error("unexpected {found} at character {at}: expected {expected}")]
    Unexpected { found: String, expected: &'static str, at: usize },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    /// Text of the form digits ':' digits, validated by the parser.
    Time(String),
    AllWeek,
    Dash,
    Comma,
    Semicolon,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("{w:?}"),
            Tok::Time(t) => format!("time {t:?}"),
            Tok::AllWeek => "\"24/7\"".into(),
            Tok::Dash => "'-'".into(),
            Tok::Comma => "','".into(),
            Tok::Semicolon => "';'".into(),
        }
    }
}

/// Tokens with their 1-based character positions.
fn tokenize(s: &str) -> Result<Vec<(Tok, usize)>, HoursError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok = if c.is_ascii_alphabetic() {
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            Tok::Word(chars[start..i].iter().collect())
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ':' || chars[i] == '/') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            if text == "24/7" {
                Tok::AllWeek
            } else if text.contains('/') {
                return Err(HoursError::Unexpected { found: format!("{text:?}"), expected: "a time or 24/7", at });
            } else {
                Tok::Time(text)
            }
        } else {
            i += 1;
            match c {
                '-' | '\u{2013}' | '\u{2014}' => Tok::Dash,
                ',' => Tok::Comma,
                ';' => Tok::Semicolon,
                _ => {
                    return Err(HoursError::Unexpected {
                        found: format!("{c:?}"),
                        expected: "a weekday, a time, '-', ',' or ';'",
                        at,
                    })
                }
            }
        };
        out.push((tok, at));
    }
    Ok(out)
}

/// What one rule does to the days it selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `;`-separated: replaces the days' schedules.
    Replace,
    /// `,`-separated: adds to them.
    Add,
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn peek_at(&self, offset: usize) -> Option<&Tok> {
        self.toks.get(self.pos + offset).map(|(t, _)| t)
    }

    /// Position of the current token (or just past the input).
    fn at(&self) -> usize {
        self.toks.get(self.pos).map(|(_, a)| *a).unwrap_or(self.end)
    }

    fn unexpected(&self, expected: &'static str) -> HoursError {
        let found = self.peek().map(Tok::describe).unwrap_or_else(|| "end of input".into());
        HoursError::Unexpected { found, expected, at: self.at() }
    }
}

fn day_index(word: &str) -> Option<usize> {
    DAY_NAMES.iter().position(|d| d.eq_ignore_ascii_case(word))
}

fn is_holiday(word: &str) -> bool {
    word.eq_ignore_ascii_case("PH") || word.eq_ignore_ascii_case("SH")
}

/// `off`, `closed` or `open`: a rule body rather than a weekday.
fn is_state_word(word: &str) -> bool {
    ["off", "closed", "open"].iter().any(|s| s.eq_ignore_ascii_case(word))
}

fn is_selector_word(word: &str) -> bool {
    day_index(word).is_some() || is_holiday(word)
}

/// Parses `HH:MM` into minutes since midnight; `24:00` only when `is_end`.
fn parse_time(text: &str, at: usize, is_end: bool) -> Result<u16, HoursError> {
    let bad = || HoursError::InvalidTime { text: text.to_owned(), at };
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    match (h, m) {
        (24, 0) if is_end => Ok(MINUTES_PER_DAY),
        (0..=23, 0..=59) => Ok(h * 60 + m),
        _ => Err(bad()),
    }
}

/// The selected weekdays (`None` when the selector names only holidays, so the rule is ignored).
fn parse_selector(p: &mut Parser) -> Result<Option<[bool; 7]>, HoursError> {
    let mut days = [false; 7];
    let mut any_weekday = false;
    loop {
        let at = p.at();
        let word = match p.peek() {
            Some(Tok::Word(w)) => w.clone(),
            _ => return Err(p.unexpected("a weekday")),
        };
        p.pos += 1;
        if is_holiday(&word) {
            // Holidays are unknown to Locus: the item selects nothing.
        } else {
            let from = day_index(&word).ok_or(HoursError::UnknownDay { text: word, at })?;
            let mut to = from;
            if p.peek() == Some(&Tok::Dash) {
                p.pos += 1;
                let at = p.at();
                to = match p.peek() {
                    Some(Tok::Word(w)) => day_index(w).ok_or_else(|| HoursError::UnknownDay { text: w.clone(), at })?,
                    _ => return Err(p.unexpected("a weekday after '-'")),
                };
                p.pos += 1;
            }
            let mut d = from;
            loop {
                days[d] = true;
                if d == to {
                    break;
                }
                d = (d + 1) % 7;
            }
            any_weekday = true;
        }
        // A comma continues the list only when another weekday or holiday follows.
        match (p.peek(), p.peek_at(1)) {
            (Some(Tok::Comma), Some(Tok::Word(w))) if is_selector_word(w) => p.pos += 1,
            _ => break,
        }
    }
    Ok(any_weekday.then_some(days))
}

/// Time spans as (start, end) minutes; `end <= start` wraps past midnight.
fn parse_spans(p: &mut Parser) -> Result<Vec<(u16, u16)>, HoursError> {
    let mut spans = Vec::new();
    loop {
        let start = match p.toks.get(p.pos) {
            Some((Tok::Time(t), at)) => parse_time(t, *at, false)?,
            _ => return Err(p.unexpected("a time range HH:MM-HH:MM")),
        };
        p.pos += 1;
        if p.peek() != Some(&Tok::Dash) {
            return Err(p.unexpected("'-' and an end time"));
        }
        p.pos += 1;
        let end = match p.toks.get(p.pos) {
            Some((Tok::Time(t), at)) => parse_time(t, *at, true)?,
            _ => return Err(p.unexpected("an end time HH:MM")),
        };
        p.pos += 1;
        spans.push((start, end));
        match (p.peek(), p.peek_at(1)) {
            (Some(Tok::Comma), Some(Tok::Time(_))) => p.pos += 1,
            _ => break,
        }
    }
    Ok(spans)
}

/// What a rule says about the selected days.
enum Body {
    Spans(Vec<(u16, u16)>),
    Closed,
}

fn parse_body(p: &mut Parser) -> Result<Body, HoursError> {
    match p.peek() {
        Some(Tok::Time(_)) => Ok(Body::Spans(parse_spans(p)?)),
        Some(Tok::Word(w)) if w.eq_ignore_ascii_case("off") || w.eq_ignore_ascii_case("closed") => {
            p.pos += 1;
            Ok(Body::Closed)
        }
        Some(Tok::Word(w)) if w.eq_ignore_ascii_case("open") => {
            p.pos += 1;
            Ok(Body::Spans(vec![(0, MINUTES_PER_DAY)]))
        }
        // A weekday selector alone means the whole day.
        None | Some(Tok::Semicolon) | Some(Tok::Comma) => Ok(Body::Spans(vec![(0, MINUTES_PER_DAY)])),
        _ => Err(p.unexpected("a time range, \"off\" or \"closed\"")),
    }
}

impl OpeningHours {
    /// Parses an `opening_hours` value (see the module documentation for the subset).
    pub fn parse(s: &str) -> Result<Self, HoursError> {
        let toks = tokenize(s)?;
        let end = s.chars().count() + 1;
        let mut p = Parser { toks, pos: 0, end };
        let mut hours = OpeningHours::default();
        let mut mode = Mode::Replace;
        loop {
            if matches!(p.peek(), None | Some(Tok::Semicolon)) {
                return Err(HoursError::EmptyRule { at: p.at() });
            }
            hours.apply_rule(&mut p, mode)?;
            match p.peek() {
                None => return Ok(hours),
                Some(Tok::Semicolon) => mode = Mode::Replace,
                Some(Tok::Comma) if matches!(p.peek_at(1), Some(Tok::Word(w)) if is_selector_word(w)) => {
                    mode = Mode::Add
                }
                _ => return Err(p.unexpected("';' between rules")),
            }
            p.pos += 1;
        }
    }

    fn apply_rule(&mut self, p: &mut Parser, mode: Mode) -> Result<(), HoursError> {
        let (days, body) = if p.peek() == Some(&Tok::AllWeek) {
            p.pos += 1;
            (Some([true; 7]), Body::Spans(vec![(0, MINUTES_PER_DAY)]))
        } else {
            let days = match p.peek() {
                Some(Tok::Word(w)) if !is_state_word(w) => parse_selector(p)?,
                _ => Some([true; 7]),
            };
            (days, parse_body(p)?)
        };
        let Some(days) = days else { return Ok(()) };
        if mode == Mode::Replace {
            for (d, selected) in days.iter().enumerate() {
                if *selected {
                    self.days[d].clear();
                }
            }
        }
        if let Body::Spans(spans) = body {
            for (d, _) in days.iter().enumerate().filter(|(_, s)| **s) {
                for &(start, end) in &spans {
                    if end > start {
                        self.days[d].push((start, end));
                    } else {
                        // Overnight: until midnight today, then from midnight on the next day.
                        self.days[d].push((start, MINUTES_PER_DAY));
                        if end > 0 {
                            self.days[(d + 1) % 7].push((0, end));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Open at this local wall-clock time?
    pub fn is_open_at(&self, local: NaiveDateTime) -> bool {
        let day = local.weekday().num_days_from_monday() as usize;
        let minute = (local.hour() * 60 + local.minute()) as u16;
        self.days[day].iter().any(|&(start, end)| start <= minute && minute < end)
    }

    /// The open minute ranges of a weekday (0 = Monday), unmerged, in rule order.
    pub fn day(&self, weekday: usize) -> &[(u16, u16)] {
        self.days.get(weekday).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Open at `at` (UTC) in IANA zone `tz` (`None` = UTC)? An unknown zone counts as UTC.
pub fn is_open(hours: &OpeningHours, tz: Option<&str>, at: chrono::DateTime<chrono::Utc>) -> bool {
    let zone = tz.and_then(|z| z.parse::<chrono_tz::Tz>().ok()).unwrap_or(chrono_tz::UTC);
    hours.is_open_at(at.with_timezone(&zone).naive_local())
}

#[cfg(test)]
#[path = "hours_tests.rs"]
mod tests;
