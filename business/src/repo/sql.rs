//! SQL text and row mapping shared by the repository's queries (one text serves both dialects).

use crate::model::{Business, BusinessInput};
use crate::repo::PlaceRecord;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

/// Most ids or keys bound into one `IN (...)` list.
pub(super) const IN_CHUNK: usize = 500;

/// Most rows in one multi-row `INSERT` (15 binds each stays far below both dialects' limits).
pub(super) const INSERT_CHUNK: usize = 200;

/// Every column of `businesses`, in the order [`business_from_row`] reads them.
pub(super) const BUSINESS_COLUMNS: &str = "id, external_id, owner_id, name, category, address, city, country, \
     latitude, longitude, phone, website, opening_hours, timezone, created_at, updated_at";

/// The columns a write replaces, in the order [`bind_fields`] binds them.
pub(super) const WRITABLE: [&str; 12] = crate::model::INPUT_FIELDS;

/// What a search index needs of a business, from table alias `b`.
pub(super) const PLACE_COLUMNS: &str = "b.id, b.latitude, b.longitude, b.category, b.opening_hours, b.timezone";

pub(super) type AnyQuery<'q> = Query<'q, Any, AnyArguments<'q>>;

/// `?, ?, ?` with `n` placeholders.
pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `(?, ?), (?, ?)`: `rows` tuples of `width` placeholders.
pub(super) fn value_rows(rows: usize, width: usize) -> String {
    let row = format!("({})", placeholders(width));
    vec![row.as_str(); rows].join(", ")
}

/// `INSERT INTO businesses (...) VALUES ...` for `rows` rows bound by [`bind_new`].
pub(super) fn insert_businesses_sql(rows: usize) -> String {
    format!(
        "INSERT INTO businesses (owner_id, created_at, updated_at, {}) VALUES {}",
        WRITABLE.join(", "),
        value_rows(rows, 3 + WRITABLE.len())
    )
}

/// `UPDATE businesses SET <writable> = ?, updated_at = ? WHERE id = ?`.
pub(super) fn update_business_sql() -> String {
    let sets: Vec<String> = WRITABLE.iter().map(|c| format!("{c} = ?")).collect();
    format!("UPDATE businesses SET {}, updated_at = ? WHERE id = ?", sets.join(", "))
}

/// Binds the writable fields in [`WRITABLE`] order.
pub(super) fn bind_fields<'q>(q: AnyQuery<'q>, input: &'q BusinessInput) -> AnyQuery<'q> {
    q.bind(input.external_id.as_deref())
        .bind(input.name.as_str())
        .bind(input.category.as_str())
        .bind(input.address.as_deref())
        .bind(input.city.as_deref())
        .bind(input.country.as_deref())
        .bind(input.latitude)
        .bind(input.longitude)
        .bind(input.phone.as_deref())
        .bind(input.website.as_deref())
        .bind(input.opening_hours.as_deref())
        .bind(input.timezone.as_deref())
}

/// Binds one row of [`insert_businesses_sql`].
pub(super) fn bind_new<'q>(q: AnyQuery<'q>, owner_id: Option<i64>, input: &'q BusinessInput, now: i64) -> AnyQuery<'q> {
    bind_fields(q.bind(owner_id).bind(now).bind(now), input)
}

pub(super) fn business_from_row(row: &AnyRow) -> Result<Business, sqlx::Error> {
    Ok(Business {
        id: row.try_get(0)?,
        external_id: row.try_get(1)?,
        owner_id: row.try_get(2)?,
        name: row.try_get(3)?,
        category: row.try_get(4)?,
        address: row.try_get(5)?,
        city: row.try_get(6)?,
        country: row.try_get(7)?,
        latitude: row.try_get(8)?,
        longitude: row.try_get(9)?,
        phone: row.try_get(10)?,
        website: row.try_get(11)?,
        opening_hours: row.try_get(12)?,
        timezone: row.try_get(13)?,
        created_at: row.try_get(14)?,
        updated_at: row.try_get(15)?,
    })
}

/// Reads [`PLACE_COLUMNS`] starting at column `first`.
pub(super) fn place_from_row(row: &AnyRow, first: usize) -> Result<PlaceRecord, sqlx::Error> {
    Ok(PlaceRecord {
        id: row.try_get(first)?,
        latitude: row.try_get(first + 1)?,
        longitude: row.try_get(first + 2)?,
        category: row.try_get(first + 3)?,
        opening_hours: row.try_get(first + 4)?,
        timezone: row.try_get(first + 5)?,
    })
}

/// The business a write of `input` produces.
pub(super) fn business_from_input(
    id: i64,
    owner_id: Option<i64>,
    input: &BusinessInput,
    created_at: i64,
    updated_at: i64,
) -> Business {
    let i = input.clone();
    Business {
        id,
        external_id: i.external_id,
        owner_id,
        name: i.name,
        category: i.category,
        address: i.address,
        city: i.city,
        country: i.country,
        latitude: i.latitude,
        longitude: i.longitude,
        phone: i.phone,
        website: i.website,
        opening_hours: i.opening_hours,
        timezone: i.timezone,
        created_at,
        updated_at,
    }
}

/// True when writing `input` over `b` would change nothing.
pub(super) fn same_fields(b: &Business, i: &BusinessInput) -> bool {
    b.external_id == i.external_id
        && b.name == i.name
        && b.category == i.category
        && b.address == i.address
        && b.city == i.city
        && b.country == i.country
        && b.latitude == i.latitude
        && b.longitude == i.longitude
        && b.phone == i.phone
        && b.website == i.website
        && b.opening_hours == i.opening_hours
        && b.timezone == i.timezone
}
