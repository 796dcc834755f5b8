//! Picks the storage, cache and pub/sub implementations from the configuration: MySQL and
//! Redis when their URLs are given, SQLite and in-process otherwise.

use locus_core::bus::{Bus, InProcessBus, RedisBus, RedisClusterBus};
use locus_core::cache::{Cache, InProcessCache, RedisCache};
use locus_core::db::Database;
use std::path::Path;
use std::sync::Arc;

/// In-process cache budget in bytes.
const IN_PROCESS_CACHE_BYTES: u64 = 256 << 20;

#[derive(Clone)]
pub struct Backends {
    pub db: Database,
    pub cache: Arc<dyn Cache>,
    pub bus: Arc<dyn Bus>,
}

impl Backends {
    /// Connects each backend once: MySQL or the SQLite file in `data_dir`; the Redis cache or
    /// the in-process one; pub/sub on the Redis Cluster's sharded channels when
    /// `redis_cluster` names nodes, else on Redis, else in-process.
    pub async fn connect(
        mysql_url: Option<&str>,
        redis_url: Option<&str>,
        redis_cluster: &[String],
        redis_namespace: &str,
        data_dir: &Path,
    ) -> anyhow::Result<Self> {
        use anyhow::Context;
        let db = match mysql_url {
            Some(url) => Database::connect(url).await.context("connecting to MySQL")?,
            None => {
                std::fs::create_dir_all(data_dir)
                    .with_context(|| format!("creating data dir {}", data_dir.display()))?;
                Database::connect(&Database::sqlite_url(data_dir)).await.context("opening the SQLite database")?
            }
        };
        let cache: Arc<dyn Cache> = match redis_url {
            Some(url) => {
                Arc::new(RedisCache::connect(url, redis_namespace).await.context("connecting to Redis (cache)")?)
            }
            None => Arc::new(InProcessCache::new(IN_PROCESS_CACHE_BYTES)),
        };
        let bus: Arc<dyn Bus> = match (redis_cluster, redis_url) {
            ([_, ..], _) => Arc::new(
                RedisClusterBus::connect(redis_cluster, redis_namespace)
                    .await
                    .context("connecting to the Redis Cluster (pub/sub)")?,
            ),
            ([], Some(url)) => {
                Arc::new(RedisBus::connect(url, redis_namespace).await.context("connecting to Redis (pub/sub)")?)
            }
            ([], None) => Arc::new(InProcessBus::default()),
        };
        Ok(Backends { db, cache, bus })
    }
}
