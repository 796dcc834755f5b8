//! What the search layer knows of a business besides its position: the attributes filters use.

use chrono::{DateTime, Utc};
use locus_business::hours::{self, OpeningHours};
use locus_business::repo::PlaceRecord;
use locus_core::geo::LatLng;
use std::collections::HashMap;
use std::sync::Arc;

/// The filterable attributes of one business, shared cheaply between index and queries.
#[derive(Debug, Clone)]
pub struct PlaceAttrs {
    pub category: Arc<str>,
    pub hours: Option<Arc<OpeningHours>>,
    pub timezone: Option<Arc<str>>,
}

/// Shares one copy of each distinct category, time zone and opening-hours value between
/// places: a million businesses have a few hundred distinct values.
#[derive(Default)]
pub struct AttrInterner {
    strings: HashMap<String, Arc<str>>,
    hours: HashMap<String, Option<Arc<OpeningHours>>>,
}

impl AttrInterner {
    fn string(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.strings.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.strings.insert(s.to_owned(), a.clone());
        a
    }

    /// Unparsable hours count as unknown (never open).
    fn hours(&mut self, h: &str) -> Option<Arc<OpeningHours>> {
        if let Some(parsed) = self.hours.get(h) {
            return parsed.clone();
        }
        let parsed = OpeningHours::parse(h).ok().map(Arc::new);
        self.hours.insert(h.to_owned(), parsed.clone());
        parsed
    }

    /// The attributes of a stored record.
    pub fn attrs(&mut self, record: &PlaceRecord) -> PlaceAttrs {
        PlaceAttrs {
            category: self.string(&record.category),
            hours: record.opening_hours.as_deref().and_then(|h| self.hours(h)),
            timezone: record.timezone.as_deref().map(|tz| self.string(tz)),
        }
    }
}

impl PlaceAttrs {
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        self.hours.as_ref().is_some_and(|h| hours::is_open(h, self.timezone.as_deref(), at))
    }
}

/// A place found by a search (already filtered): its position and exact distance to the query.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub id: i64,
    pub location: LatLng,
    pub distance_m: f64,
}

/// Conditions a candidate must meet besides distance.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Lower-case category to match exactly.
    pub category: Option<String>,
    /// Only places open at this instant.
    pub open_at: Option<DateTime<Utc>>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.category.is_none() && self.open_at.is_none()
    }

    pub fn accepts(&self, attrs: &PlaceAttrs) -> bool {
        self.category.as_deref().is_none_or(|c| &*attrs.category == c) && self.open_at.is_none_or(|t| attrs.is_open(t))
    }
}

fn by_distance(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    a.distance_m.total_cmp(&b.distance_m).then(a.id.cmp(&b.id))
}

/// Orders candidates by distance, then id, so pages and ties are stable.
pub fn sort_by_distance(candidates: &mut [Candidate]) {
    candidates.sort_unstable_by(by_distance);
}

/// Keeps only the `n` nearest candidates, sorted: a selection, then a sort of the `n`, so a
/// 20-item page of a 6,000-hit search does not sort all 6,000.
pub fn nearest_sorted(candidates: &mut Vec<Candidate>, n: usize) {
    if n == 0 {
        candidates.clear();
        return;
    }
    if candidates.len() > n {
        candidates.select_nth_unstable_by(n - 1, by_distance);
        candidates.truncate(n);
    }
    sort_by_distance(candidates);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_sorted_is_the_prefix_of_a_full_sort() {
        let at = LatLng::new(0.0, 0.0).unwrap();
        // Distances with ties, so the id tie-break matters.
        let all: Vec<Candidate> = (0..200)
            .map(|i| Candidate { id: (i * 7919) % 200, location: at, distance_m: ((i * 31) % 50) as f64 })
            .collect();
        let mut full = all.clone();
        sort_by_distance(&mut full);
        for n in [0, 1, 20, 199, 200, 500] {
            let mut some = all.clone();
            nearest_sorted(&mut some, n);
            let want: Vec<(i64, f64)> = full.iter().take(n).map(|c| (c.id, c.distance_m)).collect();
            assert_eq!(some.iter().map(|c| (c.id, c.distance_m)).collect::<Vec<_>>(), want, "n={n}");
        }
    }
}
