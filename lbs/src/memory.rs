//! The in-memory index: a quadtree or R-tree of positions plus the attributes filters need.
//! Built once from the business table at start-up (the instance is not ready until then), then
//! kept fresh by the change feed.

use crate::index::{IndexError, IndexKind, PlaceChange, PlaceIndex};
use crate::place::{sort_by_distance, AttrInterner, Candidate, Filter, PlaceAttrs};
use crate::tree::{self, SpatialIndex, TreeKind};
use async_trait::async_trait;
use locus_business::repo::{BusinessRepo, PlaceRecord};
use locus_core::geo::LatLng;
use std::collections::HashMap;
use std::sync::RwLock;

/// Rows read per page while building.
const BUILD_PAGE: i64 = 20_000;

pub struct MemoryIndex {
    kind: IndexKind,
    inner: RwLock<Inner>,
}

struct Inner {
    tree: Box<dyn SpatialIndex>,
    attrs: HashMap<i64, PlaceAttrs>,
    interner: AttrInterner,
}

impl Inner {
    fn upsert(&mut self, record: &PlaceRecord) {
        let Ok(at) = LatLng::new(record.latitude, record.longitude) else { return };
        let attrs = self.interner.attrs(record);
        self.tree.upsert(record.id, at);
        self.attrs.insert(record.id, attrs);
    }
}

fn tree_kind(kind: IndexKind) -> TreeKind {
    match kind {
        IndexKind::RTree => TreeKind::RTree,
        _ => TreeKind::Quadtree,
    }
}

impl MemoryIndex {
    /// Reads every business from the table and bulk-loads the tree.
    pub async fn build(kind: IndexKind, repo: &BusinessRepo) -> Result<Self, IndexError> {
        let mut entries = Vec::new();
        let mut inner_attrs = HashMap::new();
        let mut interner = AttrInterner::default();
        let mut after = 0;
        loop {
            let page = repo.places_after(after, BUILD_PAGE).await.map_err(|e| IndexError::Storage(e.to_string()))?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for record in &page {
                let Ok(at) = LatLng::new(record.latitude, record.longitude) else { continue };
                entries.push((record.id, at));
                inner_attrs.insert(record.id, interner.attrs(record));
            }
            tokio::task::yield_now().await;
        }
        let tree = tokio::task::spawn_blocking(move || tree::build(tree_kind(kind), entries))
            .await
            .map_err(|e| IndexError::Storage(format!("index build failed: {e}")))?;
        let index = MemoryIndex { kind, inner: RwLock::new(Inner { tree, attrs: inner_attrs, interner }) };
        index.report_size();
        Ok(index)
    }

    fn report_size(&self) {
        let len = self.len() as i64;
        locus_core::metrics::metrics().index_entries.with_label_values(&[&self.kind.to_string()]).set(len);
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, Inner>, IndexError> {
        self.inner.read().map_err(|_| IndexError::Storage("index lock poisoned".into()))
    }
}

#[async_trait]
impl PlaceIndex for MemoryIndex {
    fn kind(&self) -> IndexKind {
        self.kind
    }

    async fn within(&self, center: LatLng, radius_m: f64, filter: &Filter) -> Result<Vec<Candidate>, IndexError> {
        let inner = self.read()?;
        let mut out = Vec::new();
        let unfiltered = filter.is_empty();
        inner.tree.visit_within(center, radius_m, &mut |id, location, distance_m| {
            if unfiltered || inner.attrs.get(&id).is_some_and(|attrs| filter.accepts(attrs)) {
                out.push(Candidate { id, location, distance_m });
            }
        });
        Ok(out)
    }

    async fn nearest(&self, center: LatLng, k: usize, filter: &Filter) -> Result<Option<Vec<Candidate>>, IndexError> {
        if !filter.is_empty() {
            return Ok(None);
        }
        let inner = self.read()?;
        let mut out: Vec<Candidate> = inner
            .tree
            .nearest(center, k)
            .into_iter()
            .filter_map(|hit| {
                let location = inner.tree.location(hit.id)?;
                Some(Candidate { id: hit.id, location, distance_m: hit.distance_m })
            })
            .collect();
        sort_by_distance(&mut out);
        Ok(Some(out))
    }

    async fn apply(&self, change: PlaceChange) -> Result<(), IndexError> {
        {
            let mut inner = self.inner.write().map_err(|_| IndexError::Storage("index lock poisoned".into()))?;
            match change {
                PlaceChange::Upsert(record) => inner.upsert(&record),
                PlaceChange::Remove(id) => {
                    inner.tree.remove(id);
                    inner.attrs.remove(&id);
                }
            }
        }
        self.report_size();
        Ok(())
    }

    fn len(&self) -> usize {
        self.inner.read().map(|i| i.tree.len()).unwrap_or(0)
    }
}
