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
    pub async fn connect(
        mysql_url: Option<&str>,
        redis_url: Option<&str>,
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
        let (cache, bus): (Arc<dyn Cache>, Arc<dyn Bus>) = match redis_url {
            Some(url) => (
                Arc::new(RedisCache::connect(url, redis_namespace).await.context("connecting to Redis (cache)")?),
                Arc::new(RedisBus::connect(url, redis_namespace).await.context("connecting to Redis (pub/sub)")?),
            ),
            None => (Arc::new(InProcessCache::new(IN_PROCESS_CACHE_BYTES)), Arc::new(InProcessBus::default())),
        };
        Ok(Backends { db, cache, bus })
    }

    /// Moves pub/sub onto a Redis Cluster (sharded channels: each on the master of its hash
    /// slot), keeping the cache where it is.
    pub async fn with_cluster_bus(mut self, nodes: &[String], namespace: &str) -> anyhow::Result<Self> {
        use anyhow::Context;
        if !nodes.is_empty() {
            let bus = RedisClusterBus::connect(nodes, namespace).await.context("connecting to the Redis Cluster")?;
            self.bus = Arc::new(bus);
        }
        Ok(self)
    }
}
