//! What the search layer knows of a business besides its position: the attributes filters use.

use chrono::{DateTime, Utc};
use locus_business::hours::{self, OpeningHours};
use locus_business::repo::PlaceRecord;
use locus_core::geo::LatLng;
use std::sync::Arc;

/// The filterable attributes of one business, shared cheaply between index and queries.
#[derive(Debug, Clone)]
pub struct PlaceAttrs {
    pub category: Arc<str>,
    pub hours: Option<Arc<OpeningHours>>,
    pub timezone: Option<Arc<str>>,
}

impl PlaceAttrs {
    /// Attributes of a stored record; unparsable hours count as unknown (never open).
    pub fn from_record(record: &PlaceRecord, intern: &mut impl FnMut(&str) -> Arc<str>) -> Self {
        PlaceAttrs {
            category: intern(&record.category),
            hours: record.opening_hours.as_deref().and_then(|h| OpeningHours::parse(h).ok()).map(Arc::new),
            timezone: record.timezone.as_deref().map(&mut *intern),
        }
    }

    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        self.hours.as_ref().is_some_and(|h| hours::is_open(h, self.timezone.as_deref(), at))
    }
}

/// A place found by a search: position, exact distance to the query and its attributes.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub location: LatLng,
    pub distance_m: f64,
    pub attrs: PlaceAttrs,
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

/// Orders candidates by distance, then id, so pages and ties are stable.
pub fn sort_by_distance(candidates: &mut [Candidate]) {
    candidates.sort_unstable_by(|a, b| a.distance_m.total_cmp(&b.distance_m).then(a.id.cmp(&b.id)));
}
