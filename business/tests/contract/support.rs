//! Backends for the contract suite: SQLite in a temp dir with in-process cache and bus (always),
//! SQLite with Redis (`LOCUS_TEST_REDIS_URL`), and MySQL in a database of its own
//! (`LOCUS_TEST_MYSQL_URL`, with Redis when that is set too). Redis keys and channels get a
//! per-backend prefix so parallel tests never see each other's entries.

use locus_business::repo::BusinessRepo;
use locus_business::service::BusinessService;
use locus_core::bus::{Bus, InProcessBus, RedisBus};
use locus_core::cache::{Cache, InProcessCache, RedisCache};
use locus_core::db::Database;
use sqlx::Connection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub const MYSQL_ENV: &str = "LOCUS_TEST_MYSQL_URL";
pub const REDIS_ENV: &str = "LOCUS_TEST_REDIS_URL";

/// A name no other test (in this or another process) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}{:x}{:x}{:x}", nanos % (1 << 48), std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// One configuration under test.
pub struct Backend {
    pub name: &'static str,
    pub db: Database,
    pub cache: Arc<dyn Cache>,
    pub bus: Arc<dyn Bus>,
    _cleanup: Cleanup,
}

enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    MySql { root_url: String, database: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::MySql { root_url, database } = self {
            let (url, sql) = (root_url.clone(), format!("DROP DATABASE IF EXISTS `{database}`"));
            // Best effort, on a thread of its own: this may run inside (or after) a runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let mut conn = sqlx::AnyConnection::connect(&url).await.ok()?;
                    sqlx::query(&sql).execute(&mut conn).await.ok()
                })
            })
            .join();
        }
    }
}

impl Backend {
    pub fn service(&self) -> BusinessService {
        BusinessService::new(BusinessRepo::new(self.db.clone()), self.cache.clone(), self.bus.clone())
    }

    pub fn repo(&self) -> BusinessRepo {
        BusinessRepo::new(self.db.clone())
    }

    pub async fn sqlite_memory() -> Backend {
        let (db, dir) = sqlite().await;
        Backend {
            name: "sqlite/memory",
            db,
            cache: Arc::new(InProcessCache::new(16 << 20)),
            bus: Arc::new(InProcessBus::default()),
            _cleanup: Cleanup::Dir(dir),
        }
    }

    pub async fn sqlite_redis() -> Option<Backend> {
        let (cache, bus) = redis().await?;
        let (db, dir) = sqlite().await;
        Some(Backend { name: "sqlite/redis", db, cache, bus, _cleanup: Cleanup::Dir(dir) })
    }

    pub async fn mysql() -> Option<Backend> {
        let Ok(root_url) = std::env::var(MYSQL_ENV) else {
            eprintln!("note: {MYSQL_ENV} unset; skipping the MySQL backend");
            return None;
        };
        sqlx::any::install_default_drivers();
        let database = unique_name("locus_test_");
        let mut root = sqlx::AnyConnection::connect(&root_url)
            .await
            .unwrap_or_else(|e| panic!("{MYSQL_ENV} is set but MySQL is unreachable: {e}"));
        sqlx::query(&format!("CREATE DATABASE `{database}`")).execute(&mut root).await.expect("create test database");
        let cleanup = Cleanup::MySql { root_url: root_url.clone(), database: database.clone() };
        let db = Database::connect(&with_database(&root_url, &database)).await.expect("connect to the test database");
        let (cache, bus, name) = match redis().await {
            Some((cache, bus)) => (cache, bus, "mysql/redis"),
            None => (memory_cache(), Arc::new(InProcessBus::default()) as Arc<dyn Bus>, "mysql/memory"),
        };
        Some(Backend { name, db, cache, bus, _cleanup: cleanup })
    }
}

fn memory_cache() -> Arc<dyn Cache> {
    Arc::new(InProcessCache::new(16 << 20))
}

async fn sqlite() -> (Database, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::connect(&Database::sqlite_url(dir.path())).await.expect("open sqlite");
    (db, dir)
}

/// `url` with its database path replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{database}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

async fn redis() -> Option<(Arc<dyn Cache>, Arc<dyn Bus>)> {
    let Ok(url) = std::env::var(REDIS_ENV) else {
        eprintln!("note: {REDIS_ENV} unset; skipping the Redis cache and bus");
        return None;
    };
    // Each test gets its own key and channel namespace on the shared Redis.
    let prefix = unique_name("locus-test-") + ":";
    let cache = RedisCache::connect(&url, &prefix)
        .await
        .unwrap_or_else(|e| panic!("{REDIS_ENV} is set but Redis is unreachable: {e}"));
    let bus = RedisBus::connect(&url, &prefix)
        .await
        .unwrap_or_else(|e| panic!("{REDIS_ENV} is set but Redis is unreachable: {e}"));
    Some((Arc::new(cache), Arc::new(bus)))
}

/// Generates, for each contract test `f(Backend)`, one `#[tokio::test]` per backend.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::support::Backend;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_memory() {
                super::$name(Backend::sqlite_memory().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_redis() {
                if let Some(b) = Backend::sqlite_redis().await {
                    super::$name(b).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                if let Some(b) = Backend::mysql().await {
                    super::$name(b).await;
                }
            }
        }
    )*};
}
