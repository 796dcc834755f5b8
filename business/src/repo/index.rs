//! The `geohash_index` table (one row per business and index precision) and the reads a search
//! index is built from.

use super::feed::WriteConn;
use super::sql::{place_from_row, placeholders, value_rows, IN_CHUNK, PLACE_COLUMNS};
use super::{BusinessRepo, PlaceRecord, RepoError};
use locus_core::geo::LatLng;
use locus_core::geohash::{index_cells, INDEX_PRECISIONS};
use sqlx::{AnyConnection, Row};

/// Businesses re-indexed per transaction by [`BusinessRepo::rebuild_geohash_index`].
const REBUILD_BATCH: i64 = 1000;

/// Most `(geohash, business_id)` rows per `INSERT`.
const CELL_INSERT_CHUNK: usize = 500;

/// The index cells of a location, coarsest first.
pub(super) fn cells_of(latitude: f64, longitude: f64) -> Result<Vec<String>, RepoError> {
    let p = LatLng::new(latitude, longitude).map_err(|_| RepoError::InvalidLocation { latitude, longitude })?;
    Ok(index_cells(p))
}

pub(super) async fn insert_cells(conn: &mut AnyConnection, rows: &[(String, i64)]) -> Result<u64, sqlx::Error> {
    let mut written = 0;
    for chunk in rows.chunks(CELL_INSERT_CHUNK) {
        let sql = format!("INSERT INTO geohash_index (geohash, business_id) VALUES {}", value_rows(chunk.len(), 2));
        let mut q = sqlx::query(&sql);
        for (cell, id) in chunk {
            q = q.bind(cell.as_str()).bind(*id);
        }
        written += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

pub(super) async fn delete_cells(conn: &mut AnyConnection, ids: &[i64]) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = format!("DELETE FROM geohash_index WHERE business_id IN ({})", placeholders(chunk.len()));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

impl BusinessRepo {
    pub async fn place(&self, id: i64) -> Result<Option<PlaceRecord>, RepoError> {
        let row = sqlx::query(&format!("SELECT {PLACE_COLUMNS} FROM businesses b WHERE b.id = ?"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.map(|r| place_from_row(&r, 0)).transpose()?)
    }

    /// The places among `ids` that exist, in no particular order (one query per 500 ids): what
    /// a change-feed follower reads for a batch of changes.
    pub async fn places(&self, ids: &[i64]) -> Result<Vec<PlaceRecord>, RepoError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IN_CHUNK) {
            let sql = format!("SELECT {PLACE_COLUMNS} FROM businesses b WHERE b.id IN ({})", placeholders(chunk.len()));
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.db.pool()).await? {
                out.push(place_from_row(&row, 0)?);
            }
        }
        Ok(out)
    }

    /// Places with `id > after_id` in id order, at most `limit`: pages for streaming index builds.
    pub async fn places_after(&self, after_id: i64, limit: i64) -> Result<Vec<PlaceRecord>, RepoError> {
        let rows =
            sqlx::query(&format!("SELECT {PLACE_COLUMNS} FROM businesses b WHERE b.id > ? ORDER BY b.id LIMIT ?"))
                .bind(after_id)
                .bind(limit.max(0))
                .fetch_all(self.db.pool())
                .await?;
        Ok(rows.iter().map(|r| place_from_row(r, 0)).collect::<Result<_, _>>()?)
    }

    /// The places indexed under each of `cells` (any index precision), as (cell, place) pairs
    /// ordered by cell then id.
    pub async fn cell_places(&self, cells: &[String]) -> Result<Vec<(String, PlaceRecord)>, RepoError> {
        let mut cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        cells.sort_unstable();
        cells.dedup();
        let mut out = Vec::new();
        for chunk in cells.chunks(IN_CHUNK) {
            let sql = format!(
                "SELECT g.geohash, {PLACE_COLUMNS} FROM geohash_index g JOIN businesses b ON b.id = g.business_id \
                 WHERE g.geohash IN ({}) ORDER BY g.geohash, b.id",
                placeholders(chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for cell in chunk {
                q = q.bind(*cell);
            }
            for row in q.fetch_all(self.db.pool()).await? {
                out.push((row.try_get(0)?, place_from_row(&row, 1)?));
            }
        }
        Ok(out)
    }

    /// Distinct cells of the index greater than `after`, in order, at most `limit`.
    pub async fn distinct_cells_after(&self, after: &str, limit: i64) -> Result<Vec<String>, RepoError> {
        let rows = sqlx::query("SELECT DISTINCT geohash FROM geohash_index WHERE geohash > ? ORDER BY geohash LIMIT ?")
            .bind(after)
            .bind(limit.max(0))
            .fetch_all(self.db.pool())
            .await?;
        Ok(rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?)
    }

    /// Rewrites `geohash_index` from `businesses`, one id range per transaction so searches keep
    /// finding every business meanwhile; rows of businesses that no longer exist go too. Calls
    /// `progress(done, total)` after each batch; returns the index rows written.
    pub async fn rebuild_geohash_index(&self, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<u64, RepoError> {
        let total = u64::try_from(self.count().await?).unwrap_or(0);
        let (mut after, mut done, mut written) = (i64::MIN, 0u64, 0u64);
        loop {
            let (batch, last, rows) = self.rebuild_batch(after).await?;
            written += rows;
            let Some(last) = last else { break };
            done += batch;
            progress(done, total.max(done));
            after = last;
        }
        Ok(written)
    }

    /// Re-indexes the next batch of businesses with `id > after`; returns (businesses, last id,
    /// index rows written). With no businesses left, clears the index above `after`.
    async fn rebuild_batch(&self, after: i64) -> Result<(u64, Option<i64>, u64), RepoError> {
        let mut wc = WriteConn::acquire(&self.db).await?;
        let mut tx = wc.begin().await?;
        let sql = format!(
            "SELECT id, latitude, longitude FROM businesses WHERE id > ? ORDER BY id LIMIT ?{}",
            tx.for_update()
        );
        let page = sqlx::query(&sql).bind(after).bind(REBUILD_BATCH).fetch_all(tx.conn()).await?;
        let mut rows = Vec::with_capacity(page.len() * INDEX_PRECISIONS.len());
        let mut last = None;
        for r in &page {
            let (id, lat, lng): (i64, f64, f64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            last = Some(id);
            match cells_of(lat, lng) {
                Ok(cells) => rows.extend(cells.into_iter().map(|c| (c, id))),
                Err(e) => tracing::warn!(business = id, error = %e, "not indexed"),
            }
        }
        match last {
            Some(last) => {
                sqlx::query("DELETE FROM geohash_index WHERE business_id > ? AND business_id <= ?")
                    .bind(after)
                    .bind(last)
                    .execute(tx.conn())
                    .await?
            }
            None => {
                sqlx::query("DELETE FROM geohash_index WHERE business_id > ?").bind(after).execute(tx.conn()).await?
            }
        };
        let written = insert_cells(tx.conn(), &rows).await?;
        tx.commit(&[]).await?;
        Ok((page.len() as u64, last, written))
    }
}
