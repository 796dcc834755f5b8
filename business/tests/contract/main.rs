//! The business contract: every backend (SQLite or MySQL, in-process or Redis cache and bus)
//! behaves the same. `support` chooses the backends; each module holds one area's checks.

#[macro_use]
mod support;

mod batch;
mod crud;
mod effects;
mod feed;
mod index;

pub use locus_business::repo::{BatchSummary, RepoError};
pub use locus_business::service::{detail_cache_key, Actor, ServiceError, CHANGES_CHANNEL};
pub use locus_business::{Business, BusinessInput};
pub use locus_core::db::now_ms;
pub use locus_core::geo::LatLng;
pub use locus_core::geohash::{cell_cache_key, index_cells};
pub use sqlx::Row;
pub use std::time::Duration;
pub use support::{unique_name, Backend};

pub const PARIS: (f64, f64) = (48.8566, 2.3522);
pub const LYON: (f64, f64) = (45.764, 4.8357);

fn input(name: &str, at: (f64, f64)) -> BusinessInput {
    BusinessInput { name: name.into(), category: "cafe".into(), latitude: at.0, longitude: at.1, ..Default::default() }
}

fn full_input() -> BusinessInput {
    BusinessInput {
        external_id: Some(support::unique_name("ext-")),
        name: "Café de Flore".into(),
        category: "cafe".into(),
        address: Some("172 Boulevard Saint-Germain".into()),
        city: Some("Paris".into()),
        country: Some("FR".into()),
        latitude: 48.85406,
        longitude: 2.33262,
        phone: Some("+33 1 45 48 55 26".into()),
        website: Some("https://cafedeflore.fr".into()),
        opening_hours: Some("Mo-Su 07:30-01:30".into()),
        timezone: Some("Europe/Paris".into()),
    }
}

fn cells(at: (f64, f64)) -> Vec<String> {
    let p = LatLng::new(at.0, at.1).unwrap();
    let mut cells: Vec<String> = index_cells(p);
    cells.sort();
    cells
}

async fn index_rows(b: &Backend, id: i64) -> Vec<String> {
    sqlx::query("SELECT geohash FROM geohash_index WHERE business_id = ? ORDER BY geohash")
        .bind(id)
        .fetch_all(b.db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

fn assert_fields(b: &Business, i: &BusinessInput) {
    assert_eq!(
        (&b.external_id, &b.name, &b.category, &b.address, &b.city, &b.country),
        (&i.external_id, &i.name, &i.category, &i.address, &i.city, &i.country)
    );
    assert_eq!((b.latitude, b.longitude), (i.latitude, i.longitude));
    assert_eq!(
        (&b.phone, &b.website, &b.opening_hours, &b.timezone),
        (&i.phone, &i.website, &i.opening_hours, &i.timezone)
    );
}
