//! The SQL repository: the `businesses` table, its `geohash_index` rows and the
//! `business_changes` feed, always written together in one transaction.
//!
//! Queries are runtime-checked text in the common subset of MySQL and SQLite (`?` binds only),
//! run through sqlx's `Any` driver. Inputs are expected to be validated
//! ([`BusinessInput::validate`]) but are only ever bound, never spliced into SQL.

mod batch;
mod feed;
mod index;
mod sql;

use crate::model::{Business, BusinessInput};
use feed::{WriteConn, WriteTx};
use locus_core::db::{is_unique_violation, now_ms, Database};
use locus_core::geo::LatLng;
use sql::{business_from_input, business_from_row, BUSINESS_COLUMNS, IN_CHUNK};

/// What a search index needs of a business.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRecord {
    pub id: i64,
    pub latitude: f64,
    pub longitude: f64,
    pub category: String,
    pub opening_hours: Option<String>,
    pub timezone: Option<String>,
}

/// One row of the change feed: business `business_id` was written (created, updated or deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub business_id: i64,
}

/// What [`BusinessRepo::upsert_batch`] did with its items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A business a committed write touched, with its location before and after (`None` when it
/// did not exist): what cache invalidation needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Touched {
    pub id: i64,
    pub before: Option<LatLng>,
    pub after: Option<LatLng>,
}

impl Touched {
    pub fn new(id: i64, before: Option<&Business>, after: Option<&Business>) -> Self {
        Touched { id, before: before.and_then(Business::location), after: after.and_then(Business::location) }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// Another business already has this `external_id`.
    #[error("external_id {0:?} is already used by another business")]
    Duplicate(String),
    #[error("item {index} of the batch has no external_id (bulk writes are keyed by it)")]
    MissingExternalId { index: usize },
    #[error("invalid location latitude {latitude}, longitude {longitude}")]
    InvalidLocation { latitude: f64, longitude: f64 },
    #[error("timed out waiting for the change feed lock")]
    FeedLockTimeout,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// Maps a failed write of a business row, naming the `external_id` on a unique violation.
fn write_error(e: sqlx::Error, external_id: Option<&str>) -> RepoError {
    if is_unique_violation(&e) {
        RepoError::Duplicate(external_id.unwrap_or_default().to_owned())
    } else {
        RepoError::Db(e)
    }
}

/// Businesses, their geohash index rows and the change feed in the shared SQL database.
#[derive(Clone, Debug)]
pub struct BusinessRepo {
    db: Database,
}

impl BusinessRepo {
    pub fn new(db: Database) -> Self {
        BusinessRepo { db }
    }

    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Inserts a business owned by `owner_id`.
    pub async fn create(&self, owner_id: Option<i64>, input: &BusinessInput) -> Result<Business, RepoError> {
        let cells = index::cells_of(input.latitude, input.longitude)?;
        let mut wc = WriteConn::acquire(&self.db).await?;
        let result = async {
            let mut tx = wc.begin().await?;
            let now = now_ms();
            let sql = sql::insert_businesses_sql(1);
            let done = sql::bind_new(sqlx::query(&sql), owner_id, input, now)
                .execute(tx.conn())
                .await
                .map_err(|e| write_error(e, input.external_id.as_deref()))?;
            let id = tx.inserted_id(&done).await?;
            index::insert_cells(tx.conn(), &cells.iter().map(|c| (c.clone(), id)).collect::<Vec<_>>()).await?;
            tx.commit(&[id]).await?;
            Ok(business_from_input(id, owner_id, input, now, now))
        }
        .await;
        wc.finish().await;
        result
    }

    pub async fn get(&self, id: i64) -> Result<Option<Business>, RepoError> {
        let row = sqlx::query(&format!("SELECT {BUSINESS_COLUMNS} FROM businesses WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.as_ref().map(business_from_row).transpose()?)
    }

    /// The businesses among `ids` that exist, in no particular order, each once.
    pub async fn get_many(&self, ids: &[i64]) -> Result<Vec<Business>, RepoError> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IN_CHUNK) {
            let sql =
                format!("SELECT {BUSINESS_COLUMNS} FROM businesses WHERE id IN ({})", sql::placeholders(chunk.len()));
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.db.pool()).await? {
                out.push(business_from_row(&row)?);
            }
        }
        Ok(out)
    }

    /// Replaces the writable fields (owner and `created_at` stay); returns (before, after), or
    /// `None` when there is no such business.
    pub async fn update(&self, id: i64, input: &BusinessInput) -> Result<Option<(Business, Business)>, RepoError> {
        let cells = index::cells_of(input.latitude, input.longitude)?;
        let mut wc = WriteConn::acquire(&self.db).await?;
        let result = async {
            let mut tx = wc.begin().await?;
            let Some(before) = locked_row(&mut tx, id).await? else {
                return Ok(None);
            };
            let now = now_ms();
            let sql = sql::update_business_sql();
            sql::bind_fields(sqlx::query(&sql), input)
                .bind(now)
                .bind(id)
                .execute(tx.conn())
                .await
                .map_err(|e| write_error(e, input.external_id.as_deref()))?;
            if index::cells_of(before.latitude, before.longitude).ok().as_ref() != Some(&cells) {
                index::delete_cells(tx.conn(), &[id]).await?;
                index::insert_cells(tx.conn(), &cells.iter().map(|c| (c.clone(), id)).collect::<Vec<_>>()).await?;
            }
            tx.commit(&[id]).await?;
            let after = business_from_input(id, before.owner_id, input, before.created_at, now);
            Ok(Some((before, after)))
        }
        .await;
        wc.finish().await;
        result
    }

    /// Deletes a business and its index rows; returns what was deleted.
    pub async fn delete(&self, id: i64) -> Result<Option<Business>, RepoError> {
        let mut wc = WriteConn::acquire(&self.db).await?;
        let result = async {
            let mut tx = wc.begin().await?;
            let Some(before) = locked_row(&mut tx, id).await? else {
                return Ok(None);
            };
            sqlx::query("DELETE FROM businesses WHERE id = ?").bind(id).execute(tx.conn()).await?;
            index::delete_cells(tx.conn(), &[id]).await?;
            tx.commit(&[id]).await?;
            Ok(Some(before))
        }
        .await;
        wc.finish().await;
        result
    }

    pub async fn count(&self) -> Result<i64, RepoError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM businesses").fetch_one(self.db.pool()).await?)
    }
}

/// The business `id`, its row locked until the transaction ends (MySQL `FOR UPDATE`; SQLite's
/// write transaction already excludes other writers).
async fn locked_row(tx: &mut WriteTx<'_>, id: i64) -> Result<Option<Business>, RepoError> {
    let sql = format!("SELECT {BUSINESS_COLUMNS} FROM businesses WHERE id = ?{}", tx.for_update());
    match sqlx::query(&sql).bind(id).fetch_optional(tx.conn()).await? {
        Some(row) => Ok(Some(business_from_row(&row)?)),
        None => Ok(None),
    }
}
