//! The read-through detail cache and what every write does to caches and subscribers.
//!
//! Cache and bus failures never fail a request: a failed look-up is a miss, a failed
//! invalidation or announcement is logged (the change feed table is the durable record).

use super::{BusinessService, ServiceError, CHANGES_CHANNEL, DETAIL_TTL};
use crate::model::Business;
use crate::repo::Touched;
use futures::future::join_all;
use locus_core::geohash::index_cell_keys;
use locus_core::metrics::metrics;
use std::collections::HashMap;
use std::time::Duration;

/// The `cache` label of this cache's metrics.
const CACHE_LABEL: &str = "business";

/// Most keys per cache delete.
const DELETE_CHUNK: usize = 1000;

/// A reader that missed the cache, read the old row and stores it just after a write's
/// invalidation would leave a stale entry; deleting the keys once more after this delay
/// removes it.
const SECOND_DELETE_AFTER: Duration = Duration::from_secs(1);

/// The cache key of a business's detail.
pub fn detail_cache_key(id: i64) -> String {
    format!("locus:business:{id}")
}

fn count(result: &str, n: usize) {
    metrics().cache_requests.with_label_values(&[CACHE_LABEL, result]).inc_by(n as u64);
}

impl BusinessService {
    /// A business by id, from the cache when it holds it.
    pub async fn get(&self, id: i64) -> Result<Business, ServiceError> {
        let mut found = self.get_many(&[id]).await?;
        found.pop().ok_or(ServiceError::NotFound)
    }

    /// The businesses among `ids` that exist, in the order of `ids`: one cache look-up for all,
    /// one database query for the misses, which then fill the cache.
    pub async fn get_many(&self, ids: &[i64]) -> Result<Vec<Business>, ServiceError> {
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let keys: Vec<String> = unique.iter().map(|&id| detail_cache_key(id)).collect();
        let mut found: HashMap<i64, Business> = HashMap::with_capacity(unique.len());
        let cache_up = match self.cache.get_many(&keys).await {
            Ok(values) => {
                for (&id, value) in unique.iter().zip(values) {
                    match value.map(|v| serde_json::from_slice::<Business>(&v)) {
                        Some(Ok(b)) if b.id == id => {
                            count("hit", 1);
                            found.insert(id, b);
                        }
                        Some(_) => {
                            count("error", 1);
                            tracing::warn!(business = id, "undecodable detail cache entry; reading the database");
                        }
                        None => count("miss", 1),
                    }
                }
                true
            }
            Err(e) => {
                count("error", unique.len());
                tracing::warn!(error = %e, backend = self.cache.backend(), "detail cache look-up failed");
                false
            }
        };
        let missing: Vec<i64> = unique.iter().copied().filter(|id| !found.contains_key(id)).collect();
        if !missing.is_empty() {
            let loaded = self.repo.get_many(&missing).await?;
            if cache_up {
                self.fill(&loaded).await;
            }
            found.extend(loaded.into_iter().map(|b| (b.id, b)));
        }
        Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
    }

    async fn fill(&self, loaded: &[Business]) {
        let sets = loaded.iter().filter_map(|b| {
            let json = serde_json::to_vec(b).ok()?;
            Some(async move { (b.id, self.cache.set(&detail_cache_key(b.id), &json, DETAIL_TTL).await) })
        });
        for (id, result) in join_all(sets).await {
            if let Err(e) = result {
                tracing::warn!(business = id, error = %e, "storing a business in the detail cache failed");
            }
        }
    }

    /// After a committed write: deletes the touched businesses' detail keys and the geohash cell
    /// keys of their old and new locations at every index precision (again a moment later),
    /// then publishes each id on [`CHANGES_CHANNEL`]. Never fails; problems are logged.
    pub async fn after_write(&self, touched: &[Touched]) {
        if touched.is_empty() {
            return;
        }
        let mut keys: Vec<String> = touched.iter().map(|t| detail_cache_key(t.id)).collect();
        for location in touched.iter().flat_map(|t| [t.before, t.after]).flatten() {
            keys.extend(index_cell_keys(location));
        }
        keys.sort_unstable();
        keys.dedup();
        self.invalidate(&keys).await;
        let cache = self.cache.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SECOND_DELETE_AFTER).await;
            for chunk in keys.chunks(DELETE_CHUNK) {
                if cache.delete(chunk).await.is_err() {
                    break;
                }
            }
        });
        // One announcement per write, however many businesses it touched: followers read the
        // change table for the details, so the message only has to wake them.
        let payload = touched.len().to_string();
        if let Err(e) = self.bus.publish(CHANGES_CHANNEL, payload.as_bytes()).await {
            tracing::warn!(error = %e, backend = self.bus.backend(), "announcing business changes failed");
        }
    }

    async fn invalidate(&self, keys: &[String]) {
        for chunk in keys.chunks(DELETE_CHUNK) {
            if let Err(e) = self.cache.delete(chunk).await {
                tracing::warn!(error = %e, backend = self.cache.backend(), keys = keys.len(), "cache invalidation failed");
                break;
            }
        }
    }
}
