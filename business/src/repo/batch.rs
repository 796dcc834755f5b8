//! Idempotent bulk writes keyed by `external_id`, for importers.

use super::feed::WriteConn;
use super::index::{cells_of, delete_cells, insert_cells};
use super::sql::{
    bind_fields, bind_new, business_from_row, insert_businesses_sql, placeholders, same_fields, update_business_sql,
    BUSINESS_COLUMNS, INSERT_CHUNK, IN_CHUNK,
};
use super::{BatchSummary, BusinessRepo, RepoError, Touched};
use crate::model::{Business, BusinessInput};
use locus_core::db::{is_unique_violation, now_ms};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// The batch's keys, checked: each item has an `external_id` and no two share one.
fn batch_keys(items: &[BusinessInput]) -> Result<Vec<&str>, RepoError> {
    let mut seen = HashSet::with_capacity(items.len());
    let mut keys = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let key =
            item.external_id.as_deref().filter(|k| !k.is_empty()).ok_or(RepoError::MissingExternalId { index })?;
        if !seen.insert(key) {
            return Err(RepoError::Duplicate(key.to_owned()));
        }
        keys.push(key);
    }
    Ok(keys)
}

/// The stored businesses with these external ids, by external id.
async fn existing(conn: &mut AnyConnection, keys: &[&str]) -> Result<HashMap<String, Business>, sqlx::Error> {
    let mut out = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(IN_CHUNK) {
        let sql =
            format!("SELECT {BUSINESS_COLUMNS} FROM businesses WHERE external_id IN ({})", placeholders(chunk.len()));
        let mut q = sqlx::query(&sql);
        for key in chunk {
            q = q.bind(*key);
        }
        for row in q.fetch_all(&mut *conn).await? {
            let b = business_from_row(&row)?;
            if let Some(key) = b.external_id.clone() {
                out.insert(key, b);
            }
        }
    }
    Ok(out)
}

/// A unique violation here means a concurrent writer inserted one of the keys first.
fn batch_write_error(e: sqlx::Error) -> RepoError {
    if is_unique_violation(&e) {
        RepoError::Duplicate(format!("one of the batch's external ids was inserted concurrently ({e})"))
    } else {
        RepoError::Db(e)
    }
}

impl BusinessRepo {
    /// Writes `items` keyed by `external_id` in one transaction: inserts the new ones (owned by
    /// `owner_id`), updates those that differ (their owner stays), skips identical ones, so a
    /// repeated batch changes nothing. Every item needs an `external_id`, unique in the batch
    /// ([`RepoError::MissingExternalId`], [`RepoError::Duplicate`]).
    pub async fn upsert_batch(
        &self,
        owner_id: Option<i64>,
        items: &[BusinessInput],
    ) -> Result<BatchSummary, RepoError> {
        Ok(self.upsert_batch_touched(owner_id, items).await?.0)
    }

    /// [`Self::upsert_batch`], also returning the inserted and updated businesses' locations for
    /// cache invalidation.
    pub async fn upsert_batch_touched(
        &self,
        owner_id: Option<i64>,
        items: &[BusinessInput],
    ) -> Result<(BatchSummary, Vec<Touched>), RepoError> {
        let keys = batch_keys(items)?;
        let cells = items.iter().map(|i| cells_of(i.latitude, i.longitude)).collect::<Result<Vec<_>, _>>()?;
        if items.is_empty() {
            return Ok((BatchSummary::default(), Vec::new()));
        }
        let mut wc = WriteConn::acquire(&self.db).await?;
        let result = upsert(&mut wc, owner_id, items, &keys, &cells).await;
        wc.finish().await;
        result
    }
}

async fn upsert(
    wc: &mut WriteConn,
    owner_id: Option<i64>,
    items: &[BusinessInput],
    keys: &[&str],
    cells: &[Vec<String>],
) -> Result<(BatchSummary, Vec<Touched>), RepoError> {
    let mut tx = wc.begin().await?;
    let stored = existing(tx.conn(), keys).await?;
    let mut summary = BatchSummary::default();
    let (mut new, mut changed) = (Vec::new(), Vec::new());
    for (i, item) in items.iter().enumerate() {
        match stored.get(keys[i]) {
            None => new.push(i),
            Some(b) if same_fields(b, item) => summary.unchanged += 1,
            Some(b) => changed.push((i, b)),
        }
    }
    let now = now_ms();
    for chunk in new.chunks(INSERT_CHUNK) {
        let sql = insert_businesses_sql(chunk.len());
        let mut q = sqlx::query(&sql);
        for &i in chunk {
            q = bind_new(q, owner_id, &items[i], now);
        }
        q.execute(tx.conn()).await.map_err(batch_write_error)?;
    }
    let update_sql = update_business_sql();
    for &(i, before) in &changed {
        bind_fields(sqlx::query(&update_sql), &items[i])
            .bind(now)
            .bind(before.id)
            .execute(tx.conn())
            .await
            .map_err(batch_write_error)?;
    }

    let inserted = existing(tx.conn(), &new.iter().map(|&i| keys[i]).collect::<Vec<_>>()).await?;
    let mut cell_rows = Vec::new();
    let mut moved = Vec::new();
    let mut touched = Vec::with_capacity(new.len() + changed.len());
    for &i in &new {
        let id = inserted.get(keys[i]).ok_or(sqlx::Error::RowNotFound)?.id;
        cell_rows.extend(cells[i].iter().map(|c| (c.clone(), id)));
        touched.push(Touched { id, before: None, after: items[i].location() });
    }
    for &(i, before) in &changed {
        if cells_of(before.latitude, before.longitude).ok().as_ref() != Some(&cells[i]) {
            moved.push(before.id);
            cell_rows.extend(cells[i].iter().map(|c| (c.clone(), before.id)));
        }
        touched.push(Touched { id: before.id, before: before.location(), after: items[i].location() });
    }
    delete_cells(tx.conn(), &moved).await?;
    insert_cells(tx.conn(), &cell_rows).await?;
    tx.commit(&touched.iter().map(|t| t.id).collect::<Vec<_>>()).await?;
    summary.inserted = new.len() as u64;
    summary.updated = changed.len() as u64;
    Ok((summary, touched))
}
