//! The location cache: each active user's latest location under one key with a TTL, so a
//! user who stops updating vanishes by themselves (Redis in production, in-process embedded).

use locus_core::cache::{Cache, CacheError};
use locus_core::geo::LatLng;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// Where a user was, and when (milliseconds since the epoch, as the client reported it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub lat: f64,
    pub lng: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
    pub ts: i64,
}

impl Location {
    /// Great-circle metres to `other`.
    pub fn distance_m(&self, other: &Location) -> f64 {
        match (LatLng::new(self.lat, self.lng), LatLng::new(other.lat, other.lng)) {
            (Ok(a), Ok(b)) => locus_core::geo::haversine_m(a, b),
            _ => f64::INFINITY,
        }
    }
}

#[derive(Clone)]
pub struct LocationCache {
    cache: Arc<dyn Cache>,
    ttl: Duration,
}

fn key(user: i64) -> String {
    format!("nearby:loc:{user}")
}

impl LocationCache {
    pub fn new(cache: Arc<dyn Cache>, ttl: Duration) -> Self {
        LocationCache { cache, ttl }
    }

    pub async fn put(&self, user: i64, location: &Location) -> Result<(), CacheError> {
        let value = serde_json::to_vec(location).unwrap_or_default();
        self.cache.set(&key(user), &value, self.ttl).await
    }

    /// The cached locations of `users`, in order; `None` for the inactive (or unreadable).
    pub async fn get_many(&self, users: &[i64]) -> Result<Vec<Option<Location>>, CacheError> {
        let mut out = Vec::with_capacity(users.len());
        for chunk in users.chunks(500) {
            let keys: Vec<String> = chunk.iter().map(|&u| key(u)).collect();
            for value in self.cache.get_many(&keys).await? {
                out.push(value.and_then(|v| serde_json::from_slice(&v).ok()));
            }
        }
        Ok(out)
    }

    pub async fn remove(&self, user: i64) -> Result<(), CacheError> {
        self.cache.delete(&[key(user)]).await
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use locus_core::cache::InProcessCache;

    #[tokio::test]
    async fn locations_expire_after_their_ttl() {
        let cache = LocationCache::new(Arc::new(InProcessCache::new(1 << 20)), Duration::from_millis(100));
        let here = Location { lat: 48.85, lng: 2.35, accuracy_m: Some(5.0), ts: 1 };
        cache.put(7, &here).await.unwrap();
        assert_eq!(cache.get_many(&[7, 8]).await.unwrap(), vec![Some(here), None]);
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(cache.get_many(&[7]).await.unwrap(), vec![None]);
    }

    #[test]
    fn distance_is_great_circle() {
        let paris = Location { lat: 48.8566, lng: 2.3522, accuracy_m: None, ts: 0 };
        let london = Location { lat: 51.5074, lng: -0.1278, accuracy_m: None, ts: 0 };
        assert!((paris.distance_m(&london) - 343_500.0).abs() < 1_500.0);
    }
}
