//! The change feed follower: keeps an instance's index fresh.
//!
//! Every committed business write appends a row to `business_changes` and is announced on the
//! bus ([`CHANGES_CHANNEL`]). Each search instance reads the table from the last sequence number
//! it applied, woken at once by the announcement and at least every `poll` interval, so a lost
//! announcement (Redis away, a slow subscriber) delays a change by one poll at most.

use crate::index::{PlaceChange, PlaceIndex};
use locus_business::repo::BusinessRepo;
use locus_business::repo::PlaceRecord;
use locus_business::service::{detail_cache_key, CHANGES_CHANNEL};
use locus_core::bus::Bus;
use locus_core::cache::Cache;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

const BATCH: i64 = 1_000;

pub struct ChangeFollower {
    repo: BusinessRepo,
    index: Arc<dyn PlaceIndex>,
    next_after: i64,
    detail_cache: Option<Arc<dyn Cache>>,
}

impl ChangeFollower {
    /// `after_seq` is the last change the index already reflects (read before building it).
    pub fn new(repo: BusinessRepo, index: Arc<dyn PlaceIndex>, after_seq: i64) -> Self {
        // Touch the series so /metrics lists it from the start.
        locus_core::metrics::metrics().change_feed_applied.with_label_values(&[&index.kind().to_string()]);
        ChangeFollower { repo, index, next_after: after_seq, detail_cache: None }
    }

    /// Also evicts each changed business's detail entry from `cache`. Writers through the
    /// service evict it themselves; this covers writers that cannot reach this instance's cache
    /// (a CLI import next to an embedded server, a write while Redis was away).
    pub fn with_detail_cache(mut self, cache: Arc<dyn Cache>) -> Self {
        self.detail_cache = Some(cache);
        self
    }

    /// Applies every change recorded since the last call; returns how many businesses changed.
    pub async fn catch_up(&mut self) -> Result<usize, String> {
        let mut applied = 0;
        loop {
            let changes = self.repo.changes_since(self.next_after, BATCH).await.map_err(|e| e.to_string())?;
            let Some(last) = changes.last() else { return Ok(applied) };
            let last_seq = last.seq;
            let ids: BTreeSet<i64> = changes.iter().map(|c| c.business_id).collect();
            if let Some(cache) = &self.detail_cache {
                let keys: Vec<String> = ids.iter().map(|&id| detail_cache_key(id)).collect();
                if let Err(e) = cache.delete(&keys).await {
                    tracing::warn!(error = %e, "detail cache eviction failed");
                }
            }
            let ids: Vec<i64> = ids.into_iter().collect();
            let mut current: HashMap<i64, PlaceRecord> =
                self.repo.places(&ids).await.map_err(|e| e.to_string())?.into_iter().map(|p| (p.id, p)).collect();
            for &id in &ids {
                let change = match current.remove(&id) {
                    Some(record) => PlaceChange::Upsert(record),
                    None => PlaceChange::Remove(id),
                };
                self.index.apply(change).await.map_err(|e| e.to_string())?;
            }
            applied += ids.len();
            locus_core::metrics::metrics()
                .change_feed_applied
                .with_label_values(&[&self.index.kind().to_string()])
                .inc_by(ids.len() as u64);
            self.next_after = last_seq;
            if (changes.len() as i64) < BATCH {
                return Ok(applied);
            }
        }
    }

    /// Runs until the task is dropped: subscribe, then catch up on every wake-up.
    pub async fn run(mut self, bus: Arc<dyn Bus>, poll: Duration) {
        let mut subscription = match bus.subscribe(CHANGES_CHANNEL).await {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::warn!(error = %e, "change announcements unavailable; polling only");
                None
            }
        };
        loop {
            if let Err(e) = self.catch_up().await {
                tracing::warn!(error = %e, "change feed catch-up failed; will retry");
            }
            match subscription.as_mut() {
                Some(s) => {
                    tokio::select! {
                        msg = s.next() => if msg.is_none() { subscription = None },
                        _ = tokio::time::sleep(poll) => {}
                    }
                }
                None => tokio::time::sleep(poll).await,
            }
        }
    }
}
