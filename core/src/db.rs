//! The SQL database: SQLite (a file in the data directory) embedded, MySQL/MariaDB in production.
//!
//! Both speak through sqlx's `Any` driver with runtime-checked queries written in the common
//! subset of the two dialects (`?` placeholders, integers, doubles, text), so one query serves
//! both. The schemas live in `core/migrations/{mysql,sqlite}` and are kept identical in meaning.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database url (expected mysql:// or sqlite:): {0}")]
    Url(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    MySql,
}

/// A connection pool and the dialect behind it.
#[derive(Clone, Debug)]
pub struct Database {
    pool: AnyPool,
    kind: DbKind,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MYSQL_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/mysql");

impl Database {
    /// The URL of the embedded database file inside `data_dir`.
    pub fn sqlite_url(data_dir: &Path) -> String {
        format!("sqlite://{}?mode=rwc", data_dir.join("locus.db").display())
    }

    /// Connects and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let kind = if url.starts_with("mysql:") || url.starts_with("mariadb:") {
            DbKind::MySql
        } else if url.starts_with("sqlite:") {
            DbKind::Sqlite
        } else {
            return Err(DbError::Url(url.to_owned()));
        };
        let url = url.replacen("mariadb:", "mysql:", 1);
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = match kind {
            DbKind::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            DbKind::MySql => {
                AnyPoolOptions::new()
                    .max_connections(32)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await?
            }
        };
        let db = Database { pool, kind };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), DbError> {
        match self.kind {
            DbKind::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            DbKind::MySql => MYSQL_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// True when `e` is a violated unique constraint (duplicate key) in either dialect.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_unique_violation() || db.code().is_some_and(|c| c == "23000" || c == "1062" || c == "2067")
        }
        _ => false,
    }
}

/// Milliseconds since the Unix epoch, the unit of every stored timestamp.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
