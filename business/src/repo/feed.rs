//! Write transactions and the change feed (`business_changes`).
//!
//! Followers read the feed by `seq`, so a row must never become visible after a row with a
//! higher `seq`. SQLite guarantees that by itself: write transactions start with
//! `BEGIN IMMEDIATE` and so run one at a time. MySQL allocates `seq` at insert but publishes it
//! at commit, so two writers could commit out of order; there every write appends its change
//! rows and commits while holding a named lock (`GET_LOCK`), released right after the commit.
//! A connection dropped while it may hold that lock (a cancelled request) is closed instead of
//! returned to the pool, which releases the lock on the server.

use super::sql::{value_rows, INSERT_CHUNK};
use super::{BusinessRepo, Change, RepoError};
use locus_core::db::{now_ms, Database, DbKind};
use sqlx::any::AnyQueryResult;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Connection, Row, Transaction};

/// How long a MySQL writer waits for the change-feed lock, in seconds.
const FEED_LOCK_WAIT_S: i64 = 10;

/// The per-database lock name (`GET_LOCK` names are server-wide and at most 64 characters).
const FEED_LOCK_NAME: &str = "LEFT(CONCAT('locus_business_changes:', DATABASE()), 64)";

/// A pooled connection dedicated to one write.
pub(super) struct WriteConn {
    conn: PoolConnection<Any>,
    kind: DbKind,
    lock_held: bool,
}

/// An open write transaction on a [`WriteConn`].
pub(super) struct WriteTx<'c> {
    tx: Transaction<'c, Any>,
    kind: DbKind,
    lock_held: &'c mut bool,
}

impl WriteConn {
    pub(super) async fn acquire(db: &Database) -> Result<Self, RepoError> {
        Ok(WriteConn { conn: db.pool().acquire().await?, kind: db.kind(), lock_held: false })
    }

    /// Starts the transaction (on SQLite `BEGIN IMMEDIATE`, taking the write lock up front so a
    /// read-then-write transaction never fails to upgrade).
    pub(super) async fn begin(&mut self) -> Result<WriteTx<'_>, RepoError> {
        let WriteConn { conn, kind, lock_held } = self;
        let tx = match kind {
            DbKind::Sqlite => Connection::begin_with(&mut **conn, "BEGIN IMMEDIATE").await?,
            DbKind::MySql => Connection::begin(&mut **conn).await?,
        };
        Ok(WriteTx { tx, kind: *kind, lock_held })
    }

    /// Releases the change-feed lock if this connection may still hold it.
    pub(super) async fn finish(mut self) {
        if !self.lock_held {
            return;
        }
        let released = sqlx::query(&format!("SELECT RELEASE_LOCK({FEED_LOCK_NAME})")).execute(&mut *self.conn).await;
        match released {
            Ok(_) => self.lock_held = false,
            Err(e) => {
                tracing::warn!(error = %e, "releasing the change-feed lock failed; closing the connection")
            }
        }
    }
}

impl Drop for WriteConn {
    fn drop(&mut self) {
        if self.lock_held {
            self.conn.close_on_drop();
        }
    }
}

impl WriteTx<'_> {
    pub(super) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// The id the last `INSERT` on this transaction generated (sqlx's `Any` driver reports it
    /// for MySQL only; SQLite is asked).
    pub(super) async fn inserted_id(&mut self, done: &AnyQueryResult) -> Result<i64, sqlx::Error> {
        match done.last_insert_id() {
            Some(id) => Ok(id),
            None => sqlx::query_scalar("SELECT last_insert_rowid()").fetch_one(&mut *self.tx).await,
        }
    }

    /// ` FOR UPDATE` on MySQL (row locks for read-then-write); nothing on SQLite, whose
    /// `BEGIN IMMEDIATE` already excludes other writers.
    pub(super) fn for_update(&self) -> &'static str {
        match self.kind {
            DbKind::MySql => " FOR UPDATE",
            DbKind::Sqlite => "",
        }
    }

    /// Appends one change row per id (in order) and commits.
    pub(super) async fn commit(mut self, changed: &[i64]) -> Result<(), RepoError> {
        if self.kind == DbKind::MySql && !changed.is_empty() {
            // Set before asking: the server may grant the lock even if this future is dropped.
            *self.lock_held = true;
            let granted: Option<i64> = sqlx::query_scalar(&format!("SELECT GET_LOCK({FEED_LOCK_NAME}, ?)"))
                .bind(FEED_LOCK_WAIT_S)
                .fetch_one(&mut *self.tx)
                .await?;
            if granted != Some(1) {
                return Err(RepoError::FeedLockTimeout);
            }
        }
        let now = now_ms();
        for chunk in changed.chunks(INSERT_CHUNK) {
            let sql =
                format!("INSERT INTO business_changes (business_id, changed_at) VALUES {}", value_rows(chunk.len(), 2));
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id).bind(now);
            }
            q.execute(&mut *self.tx).await?;
        }
        self.tx.commit().await?;
        Ok(())
    }
}

impl BusinessRepo {
    /// Changes with `seq > after_seq`, oldest first, at most `limit`. A gap in `seq` is a
    /// rolled-back write, never a change still to appear.
    pub async fn changes_since(&self, after_seq: i64, limit: i64) -> Result<Vec<Change>, RepoError> {
        let rows = sqlx::query("SELECT seq, business_id FROM business_changes WHERE seq > ? ORDER BY seq LIMIT ?")
            .bind(after_seq)
            .bind(limit.max(0))
            .fetch_all(self.db.pool())
            .await?;
        rows.iter()
            .map(|r| Ok(Change { seq: r.try_get(0)?, business_id: r.try_get(1)? }))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The highest `seq` in the feed, 0 when it is empty: where a freshly built index starts
    /// following (read it before reading the businesses).
    pub async fn latest_change_seq(&self) -> Result<i64, RepoError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM business_changes").fetch_one(self.db.pool()).await?)
    }
}
