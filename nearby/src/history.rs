//! The location history (`location_history`): every accepted update, written in multi-row
//! inserts by one background task, off the request path. The queue is bounded: when the
//! database falls behind (or is away) new updates are refused, and the session tells its
//! client, rather than memory growing without end. [`HistoryWriter::close`] writes what is
//! queued before it returns, so a graceful shutdown loses nothing it accepted.

use crate::locations::Location;
use locus_core::db::{now_ms, Database};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// One history row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryRow {
    pub user_id: i64,
    pub location: Location,
    pub received_at: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HistoryError {
    #[error("the location history queue is full")]
    Full,
    #[error("the location history writer has stopped")]
    Closed,
}

pub struct HistoryWriter {
    tx: Mutex<Option<mpsc::Sender<HistoryRow>>>,
    task: tokio::sync::Mutex<Option<JoinHandle<()>>>,
}

impl HistoryWriter {
    /// Starts the writer task: a batch goes out when it has `batch` rows or its oldest row
    /// has waited `flush`.
    pub fn start(db: Database, batch: usize, flush: Duration, queue: usize) -> Self {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let task = tokio::spawn(run(db, rx, batch.max(1), flush));
        HistoryWriter { tx: Mutex::new(Some(tx)), task: tokio::sync::Mutex::new(Some(task)) }
    }

    /// Queues a row; refused at once when the queue is full or the writer closed.
    pub fn record(&self, user_id: i64, location: Location) -> Result<(), HistoryError> {
        let tx = self.tx.lock().map_err(|_| HistoryError::Closed)?.clone().ok_or(HistoryError::Closed)?;
        let row = HistoryRow { user_id, location, received_at: now_ms() };
        tx.try_send(row).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => HistoryError::Full,
            mpsc::error::TrySendError::Closed(_) => HistoryError::Closed,
        })
    }

    /// Stops taking rows, writes every queued one, then returns.
    pub async fn close(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        if let Some(task) = self.task.lock().await.take() {
            let _ = task.await;
        }
    }
}

async fn run(db: Database, mut rx: mpsc::Receiver<HistoryRow>, batch: usize, flush: Duration) {
    let metrics = locus_core::metrics::metrics();
    let mut rows: Vec<HistoryRow> = Vec::with_capacity(batch);
    loop {
        let open = if rows.is_empty() {
            match rx.recv().await {
                Some(row) => {
                    rows.push(row);
                    true
                }
                None => false,
            }
        } else {
            match tokio::time::timeout(flush, rx.recv()).await {
                Ok(Some(row)) => {
                    rows.push(row);
                    true
                }
                Ok(None) => false,
                Err(_) => true,
            }
        };
        // Take what else is already queued, up to a batch.
        while rows.len() < batch {
            match rx.try_recv() {
                Ok(row) => rows.push(row),
                Err(_) => break,
            }
        }
        let due = !open
            || rows.len() >= batch
            || rows.first().is_some_and(|r| now_ms() - r.received_at >= flush.as_millis() as i64);
        if due && !rows.is_empty() {
            write_with_retry(&db, &rows, open).await;
            metrics.nearby_history_rows.with_label_values(&["written"]).inc_by(rows.len() as u64);
            rows.clear();
        }
        if !open && rows.is_empty() {
            return;
        }
    }
}

/// Writes one batch, retrying while the database is away. While the writer is open it keeps
/// trying (the bounded queue pushes back meanwhile); once closing, it gives up after a while
/// so shutdown cannot hang on a dead database (the rows are then logged as lost).
async fn write_with_retry(db: &Database, rows: &[HistoryRow], open: bool) {
    let mut backoff = Duration::from_millis(100);
    let mut attempts = 0u32;
    loop {
        match insert(db, rows).await {
            Ok(()) => return,
            Err(e) => {
                attempts += 1;
                if !open && attempts >= 5 {
                    tracing::error!(error = %e, rows = rows.len(), "location history lost: the database is away at shutdown");
                    locus_core::metrics::metrics()
                        .nearby_history_rows
                        .with_label_values(&["lost"])
                        .inc_by(rows.len() as u64);
                    return;
                }
                tracing::warn!(error = %e, rows = rows.len(), attempts, "writing location history failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}

async fn insert(db: &Database, rows: &[HistoryRow]) -> Result<(), sqlx::Error> {
    let values = vec!["(?, ?, ?, ?, ?, ?)"; rows.len()].join(", ");
    let sql = format!(
        "INSERT INTO location_history (user_id, latitude, longitude, accuracy_m, recorded_at, received_at) VALUES {values}"
    );
    let mut query = sqlx::query(&sql);
    for r in rows {
        query = query
            .bind(r.user_id)
            .bind(r.location.lat)
            .bind(r.location.lng)
            .bind(r.location.accuracy_m)
            .bind(r.location.ts)
            .bind(r.received_at);
    }
    query.execute(db.pool()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn count(db: &Database) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM location_history").fetch_one(db.pool()).await.unwrap()
    }

    #[tokio::test]
    async fn close_writes_every_queued_row() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::connect(&Database::sqlite_url(dir.path())).await.unwrap();
        // A long flush interval: only close() can write these.
        let writer = HistoryWriter::start(db.clone(), 1000, Duration::from_secs(3600), 10_000);
        for i in 0..2500 {
            let location = Location { lat: 1.0, lng: 2.0, accuracy_m: None, ts: i };
            writer.record(i % 7, location).unwrap();
        }
        writer.close().await;
        assert_eq!(count(&db).await, 2500);
        let one = Location { lat: 0.0, lng: 0.0, accuracy_m: None, ts: 0 };
        assert_eq!(writer.record(1, one), Err(HistoryError::Closed));
    }

    #[tokio::test]
    async fn rows_go_out_on_the_interval_and_a_full_queue_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::connect(&Database::sqlite_url(dir.path())).await.unwrap();
        let writer = HistoryWriter::start(db.clone(), 1000, Duration::from_millis(50), 10_000);
        let here = Location { lat: 1.0, lng: 2.0, accuracy_m: Some(3.0), ts: 42 };
        writer.record(9, here).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while count(&db).await == 0 {
            assert!(std::time::Instant::now() < deadline, "the row was never flushed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let (lat, ts): (f64, i64) =
            sqlx::query_as("SELECT latitude, recorded_at FROM location_history WHERE user_id = 9")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!((lat, ts), (1.0, 42));

        let tiny = HistoryWriter::start(db.clone(), 1000, Duration::from_secs(3600), 2);
        let refused = (0..100).map(|_| tiny.record(1, here)).filter(|r| r == &Err(HistoryError::Full)).count();
        assert!(refused > 0, "a queue of 2 took 100 rows");
        tiny.close().await;
    }
}
