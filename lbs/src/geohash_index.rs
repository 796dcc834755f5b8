//! The book's geohash index: the SQL table `geohash_index (geohash, business_id)` at precisions
//! 4-6, read through a cell cache (`locus:lbs:cell:<geohash>` in Redis, or in-process).
//!
//! A search picks the precision from the radius (the book's table), covers the search cap with
//! every cell that intersects it (not only the 9 neighbours, so nothing at a cell border, the
//! antimeridian or a pole is missed), loads the cells from the cache (misses from SQL, then
//! cached, empty cells too) and keeps the places whose haversine distance is within the radius.
//! The instance holds no state: writers invalidate the cells they touch.

use crate::cell_codec;
use crate::index::{IndexError, IndexKind, PlaceChange, PlaceIndex};
use crate::place::{nearest_sorted, sort_by_distance, AttrInterner, Candidate, Filter};
use async_trait::async_trait;
use locus_business::repo::{BusinessRepo, PlaceRecord};
use locus_core::cache::Cache;
use locus_core::geo::{cap_rects, haversine_m, LatLng, MAX_DISTANCE_M};
use locus_core::geohash::{cell_cache_key, cover, index_cell_keys, precision_for_radius, INDEX_PRECISIONS};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The most cells one search may read; larger areas are refused.
pub const MAX_CELLS: usize = 20_000;
/// How long a cell stays cached; writers also delete the cells they change.
pub const CELL_TTL: Duration = Duration::from_secs(300);
/// Rows per page when a k-nearest search has to scan the table.
const SCAN_PAGE: i64 = 20_000;

pub struct GeohashIndex {
    repo: BusinessRepo,
    cache: Arc<dyn Cache>,
}

impl GeohashIndex {
    pub fn new(repo: BusinessRepo, cache: Arc<dyn Cache>) -> Self {
        GeohashIndex { repo, cache }
    }

    /// The cells to read for a cap: the book's precision for the radius, coarser if too many.
    fn cells_for(center: LatLng, radius_m: f64) -> Result<Vec<String>, IndexError> {
        let rects = cap_rects(center, radius_m);
        let finest = precision_for_radius(radius_m);
        for precision in (INDEX_PRECISIONS[0]..=finest).rev() {
            if let Some(cells) = cover(&rects, precision, MAX_CELLS) {
                return Ok(cells);
            }
        }
        Err(IndexError::AreaTooLarge("geohash"))
    }

    /// The places of each cell, from the cache or (for misses) from SQL, refilling the cache.
    async fn load_cells(&self, cells: &[String]) -> Result<Vec<PlaceRecord>, IndexError> {
        let keys: Vec<String> = cells.iter().map(|c| cell_cache_key(c)).collect();
        let cached = match self.cache.get_many(&keys).await {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(error = %e, "cell cache unavailable; reading SQL");
                vec![None; keys.len()]
            }
        };
        let metrics = &locus_core::metrics::metrics().cache_requests;
        let mut places = Vec::new();
        let mut missing = Vec::new();
        for (cell, value) in cells.iter().zip(cached) {
            match value.and_then(|bytes| cell_codec::decode(&bytes)) {
                Some(mut list) => {
                    metrics.with_label_values(&["cell", "hit"]).inc();
                    places.append(&mut list);
                }
                None => {
                    metrics.with_label_values(&["cell", "miss"]).inc();
                    missing.push(cell.clone());
                }
            }
        }
        if !missing.is_empty() {
            let rows = self.repo.cell_places(&missing).await.map_err(|e| IndexError::Storage(e.to_string()))?;
            let mut by_cell: HashMap<String, Vec<PlaceRecord>> =
                missing.iter().map(|c| (c.clone(), Vec::new())).collect();
            for (cell, record) in rows {
                by_cell.entry(cell).or_default().push(record);
            }
            // Refill the missed cells concurrently: one round trip's wait, not one per cell.
            let writes = by_cell.iter().map(|(cell, list)| {
                let (key, value) = (cell_cache_key(cell), cell_codec::encode(list));
                async move { self.cache.set(&key, &value, CELL_TTL).await }
            });
            if let Some(Err(e)) = futures::future::join_all(writes).await.into_iter().find(Result::is_err) {
                tracing::warn!(error = %e, "cell cache write failed");
            }
            places.extend(by_cell.into_values().flatten());
        }
        Ok(places)
    }
}

impl GeohashIndex {
    async fn nearest_by_scan(&self, center: LatLng, k: usize, filter: &Filter) -> Result<Vec<Candidate>, IndexError> {
        let mut best: Vec<Candidate> = Vec::with_capacity(k + 1);
        let mut interner = AttrInterner::default();
        let mut after = 0;
        loop {
            let page =
                self.repo.places_after(after, SCAN_PAGE).await.map_err(|e| IndexError::Storage(e.to_string()))?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for record in &page {
                let Ok(location) = LatLng::new(record.latitude, record.longitude) else { continue };
                let distance_m = haversine_m(center, location);
                if best.len() == k && best.last().is_some_and(|w| w.distance_m < distance_m) {
                    continue;
                }
                if filter.is_empty() || filter.accepts(&interner.attrs(record)) {
                    best.push(Candidate { id: record.id, location, distance_m });
                    sort_by_distance(&mut best);
                    best.truncate(k);
                }
            }
        }
        Ok(best)
    }
}

#[async_trait]
impl PlaceIndex for GeohashIndex {
    fn kind(&self) -> IndexKind {
        IndexKind::Geohash
    }

    async fn within(&self, center: LatLng, radius_m: f64, filter: &Filter) -> Result<Vec<Candidate>, IndexError> {
        let cells = Self::cells_for(center, radius_m)?;
        let places = self.load_cells(&cells).await?;
        let mut interner = AttrInterner::default();
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for record in places {
            let Ok(location) = LatLng::new(record.latitude, record.longitude) else { continue };
            let distance_m = haversine_m(center, location);
            if distance_m > radius_m || !seen.insert(record.id) {
                continue;
            }
            if filter.category.as_deref().is_some_and(|c| c != record.category) {
                continue;
            }
            if filter.is_empty() || filter.accepts(&interner.attrs(&record)) {
                out.push(Candidate { id: record.id, location, distance_m });
            }
        }
        Ok(out)
    }

    /// Widens the radius 4x per step while the cover stays readable; beyond that (k places
    /// farther than a few thousand km) it scans the table, which no geohash cover can avoid.
    async fn nearest(&self, center: LatLng, k: usize, filter: &Filter) -> Result<Option<Vec<Candidate>>, IndexError> {
        let mut radius = 1_000.0;
        while radius < MAX_DISTANCE_M {
            match self.within(center, radius, filter).await {
                Ok(mut found) if found.len() >= k => {
                    nearest_sorted(&mut found, k);
                    return Ok(Some(found));
                }
                Ok(_) => radius *= 4.0,
                Err(IndexError::AreaTooLarge(_)) => break,
                Err(e) => return Err(e),
            }
        }
        self.nearest_by_scan(center, k, filter).await.map(Some)
    }

    /// Cells are invalidated by the writer; the feed evicts the new position's cells once more in
    /// case that eviction was lost (e.g. Redis was briefly away).
    async fn apply(&self, change: PlaceChange) -> Result<(), IndexError> {
        if let PlaceChange::Upsert(record) = change {
            if let Ok(at) = LatLng::new(record.latitude, record.longitude) {
                let keys: Vec<String> = index_cell_keys(at).collect();
                if let Err(e) = self.cache.delete(&keys).await {
                    tracing::warn!(error = %e, "cell cache eviction failed");
                }
            }
        }
        Ok(())
    }

    fn len(&self) -> usize {
        0
    }
}
