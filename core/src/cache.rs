//! The key/value cache behind read-through caching: Redis in production, in-process embedded.
//!
//! Errors from the cache are reported, and callers treat them as a miss: a cache that went away
//! slows requests down but never fails them.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("cache operation timed out")]
    Timeout,
}

/// A byte-valued cache with per-entry time to live.
#[async_trait]
pub trait Cache: Send + Sync {
    /// Values for `keys`, in order; `None` where absent.
    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, CacheError>;
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError>;
    async fn delete(&self, keys: &[String]) -> Result<(), CacheError>;
    /// Which backend this is, for metrics and logs.
    fn backend(&self) -> &'static str;
}

/// A bounded in-process cache (the embedded mode's stand-in for Redis).
pub struct InProcessCache {
    entries: moka::future::Cache<String, Arc<(Instant, Vec<u8>)>>,
}

impl InProcessCache {
    /// A cache holding at most `max_bytes` of values.
    pub fn new(max_bytes: u64) -> Self {
        let entries = moka::future::Cache::builder()
            .weigher(|k: &String, v: &Arc<(Instant, Vec<u8>)>| (k.len() + v.1.len()).try_into().unwrap_or(u32::MAX))
            .max_capacity(max_bytes)
            .build();
        InProcessCache { entries }
    }
}

#[async_trait]
impl Cache for InProcessCache {
    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, CacheError> {
        let now = Instant::now();
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            out.push(match self.entries.get(k).await {
                Some(e) if e.0 > now => Some(e.1.clone()),
                _ => None,
            });
        }
        Ok(out)
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        self.entries.insert(key.to_owned(), Arc::new((Instant::now() + ttl, value.to_vec()))).await;
        Ok(())
    }

    async fn delete(&self, keys: &[String]) -> Result<(), CacheError> {
        for k in keys {
            self.entries.invalidate(k).await;
        }
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "memory"
    }
}

/// Redis (or any RESP server) as the cache; one multiplexed, self-reconnecting connection.
pub struct RedisCache {
    conn: redis::aio::ConnectionManager,
    timeout: Duration,
    namespace: String,
}

/// How long one Redis call may take before the caller treats it as failed.
pub const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

impl RedisCache {
    /// Connects; every key is stored under `namespace` (so deployments or test runs can share
    /// one Redis without seeing each other's entries).
    pub async fn connect(url: &str, namespace: &str) -> Result<Self, CacheError> {
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(REDIS_TIMEOUT)
            .set_response_timeout(REDIS_TIMEOUT)
            .set_number_of_retries(2);
        let conn = tokio::time::timeout(Duration::from_secs(5), client.get_connection_manager_with_config(config))
            .await
            .map_err(|_| CacheError::Timeout)??;
        Ok(RedisCache { conn, timeout: REDIS_TIMEOUT, namespace: namespace.to_owned() })
    }

    fn keys(&self, keys: &[String]) -> Vec<String> {
        keys.iter().map(|k| format!("{}{k}", self.namespace)).collect()
    }

    async fn run<T: redis::FromRedisValue>(&self, cmd: redis::Cmd) -> Result<T, CacheError> {
        let mut conn = self.conn.clone();
        tokio::time::timeout(self.timeout, cmd.query_async(&mut conn))
            .await
            .map_err(|_| CacheError::Timeout)?
            .map_err(Into::into)
    }
}

#[async_trait]
impl Cache for RedisCache {
    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, CacheError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut cmd = redis::cmd("MGET");
        cmd.arg(self.keys(keys));
        self.run(cmd).await
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let mut cmd = redis::cmd("SET");
        cmd.arg(format!("{}{key}", self.namespace)).arg(value).arg("PX").arg(ttl.as_millis().max(1) as u64);
        self.run::<()>(cmd).await
    }

    async fn delete(&self, keys: &[String]) -> Result<(), CacheError> {
        if keys.is_empty() {
            return Ok(());
        }
        let mut cmd = redis::cmd("DEL");
        cmd.arg(self.keys(keys));
        self.run::<()>(cmd).await
    }

    fn backend(&self) -> &'static str {
        "redis"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_process_cache_expires_and_deletes() {
        let cache = InProcessCache::new(1 << 20);
        cache.set("a", b"1", Duration::from_millis(30)).await.unwrap();
        cache.set("b", b"2", Duration::from_secs(60)).await.unwrap();
        let keys = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(cache.get_many(&keys).await.unwrap(), vec![Some(b"1".to_vec()), Some(b"2".to_vec()), None]);
        tokio::time::sleep(Duration::from_millis(50)).await;
        cache.delete(&keys[1..2]).await.unwrap();
        assert_eq!(cache.get_many(&keys).await.unwrap(), vec![None, None, None]);
    }
}
