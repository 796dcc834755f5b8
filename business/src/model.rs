//! The business record and the rules a write must satisfy.

use crate::hours::OpeningHours;
use locus_core::geo::LatLng;
use serde::{Deserialize, Serialize};

/// A stored business, as reads return it. Timestamps are ms since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Business {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub owner_id: Option<i64>,
    pub name: String,
    pub category: String,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// OpenStreetMap `opening_hours` syntax, e.g. `Mo-Fr 08:00-18:00; Sa 09:00-13:00`.
    pub opening_hours: Option<String>,
    /// IANA time zone the opening hours are in (e.g. `Europe/Paris`); UTC when absent.
    pub timezone: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The fields a client (or an importer) writes. Unknown JSON fields are refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessInput {
    #[serde(default)]
    pub external_id: Option<String>,
    pub name: String,
    pub category: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub opening_hours: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
}

/// The writable fields by name, in declaration order: the column list of SQL writes and the
/// header `locus generate` writes and `locus import` reads.
pub const INPUT_FIELDS: [&str; 12] = [
    "external_id",
    "name",
    "category",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "phone",
    "website",
    "opening_hours",
    "timezone",
];

/// A write that broke a rule; `field` names the offending field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> ValidationError {
    ValidationError { field, message: message.into() }
}

/// Maximum length in characters of each text field.
pub const LIMITS: [(&str, usize); 10] = [
    ("external_id", 200),
    ("name", 200),
    ("category", 64),
    ("address", 500),
    ("city", 200),
    ("country", 100),
    ("phone", 64),
    ("website", 500),
    ("opening_hours", 1000),
    ("timezone", 64),
];

fn limit(field: &str) -> usize {
    LIMITS.iter().find(|(f, _)| *f == field).map(|(_, n)| *n).unwrap_or(0)
}

fn check_text(field: &'static str, value: &mut Option<String>) -> Result<(), ValidationError> {
    if let Some(v) = value {
        let trimmed = v.trim();
        if trimmed.is_empty() {
            *value = None;
            return Ok(());
        }
        if trimmed.chars().count() > limit(field) {
            return Err(invalid(field, format!("at most {} characters", limit(field))));
        }
        if trimmed.chars().any(|c| c.is_control()) {
            return Err(invalid(field, "control characters are not allowed"));
        }
        *v = trimmed.to_owned();
    }
    Ok(())
}

impl BusinessInput {
    /// Trims text, checks sizes, coordinates, the opening hours syntax and the time zone.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        let mut name = Some(std::mem::take(&mut self.name));
        check_text("name", &mut name)?;
        self.name = name.ok_or_else(|| invalid("name", "is required"))?;
        let mut category = Some(std::mem::take(&mut self.category));
        check_text("category", &mut category)?;
        self.category = category.ok_or_else(|| invalid("category", "is required"))?.to_lowercase();
        check_text("external_id", &mut self.external_id)?;
        check_text("address", &mut self.address)?;
        check_text("city", &mut self.city)?;
        check_text("country", &mut self.country)?;
        check_text("phone", &mut self.phone)?;
        check_text("website", &mut self.website)?;
        check_text("opening_hours", &mut self.opening_hours)?;
        check_text("timezone", &mut self.timezone)?;
        LatLng::new(self.latitude, self.longitude).map_err(|e| {
            let field = if matches!(e, locus_core::geo::GeoError::Latitude(_)) { "latitude" } else { "longitude" };
            invalid(field, e.to_string())
        })?;
        if let Some(h) = &self.opening_hours {
            OpeningHours::parse(h).map_err(|e| invalid("opening_hours", e.to_string()))?;
        }
        if let Some(tz) = &self.timezone {
            tz.parse::<chrono_tz::Tz>().map_err(|_| invalid("timezone", format!("unknown IANA time zone {tz:?}")))?;
        }
        Ok(self)
    }

    pub fn location(&self) -> Option<LatLng> {
        LatLng::new(self.latitude, self.longitude).ok()
    }
}

impl Business {
    pub fn location(&self) -> Option<LatLng> {
        LatLng::new(self.latitude, self.longitude).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> BusinessInput {
        BusinessInput {
            name: " Cafe ".into(),
            category: "Cafe".into(),
            latitude: 1.0,
            longitude: 2.0,
            ..Default::default()
        }
    }

    #[test]
    fn validation_trims_and_normalises() {
        let v = input().validate().unwrap();
        assert_eq!((v.name.as_str(), v.category.as_str()), ("Cafe", "cafe"));
    }

    #[test]
    fn validation_refuses_bad_fields() {
        let cases: Vec<(BusinessInput, &str)> = vec![
            (BusinessInput { latitude: 91.0, ..input() }, "latitude"),
            (BusinessInput { longitude: f64::NAN, ..input() }, "longitude"),
            (BusinessInput { name: "  ".into(), ..input() }, "name"),
            (BusinessInput { name: "x".repeat(201), ..input() }, "name"),
            (BusinessInput { opening_hours: Some("Mo-Fr 25:00-26:00".into()), ..input() }, "opening_hours"),
            (BusinessInput { timezone: Some("Mars/Olympus".into()), ..input() }, "timezone"),
        ];
        for (case, field) in cases {
            assert_eq!(case.validate().unwrap_err().field, field);
        }
    }
}
