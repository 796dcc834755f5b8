//! The one interface every search index implements, and how an index is chosen.

use crate::place::{Candidate, Filter};
use async_trait::async_trait;
use locus_business::repo::PlaceRecord;
use locus_core::geo::LatLng;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("storage: {0}")]
    Storage(String),
    #[error("the area is too large for the {0} index")]
    AreaTooLarge(&'static str),
}

/// Which index answers searches (`locus serve --index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    /// The book's geohash table in SQL with a cell cache (Redis or in-process); no state in the instance.
    Geohash,
    /// The book's in-memory quadtree (leaves split above 100 entries).
    Quadtree,
    /// An in-memory R-tree (rstar) over unit vectors.
    RTree,
}

impl FromStr for IndexKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "geohash" => Ok(IndexKind::Geohash),
            "quadtree" => Ok(IndexKind::Quadtree),
            "rtree" => Ok(IndexKind::RTree),
            other => Err(format!("unknown index {other:?} (expected geohash, quadtree or rtree)")),
        }
    }
}

impl fmt::Display for IndexKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IndexKind::Geohash => "geohash",
            IndexKind::Quadtree => "quadtree",
            IndexKind::RTree => "rtree",
        })
    }
}

/// A change to apply to an index, read from the change feed.
#[derive(Debug, Clone)]
pub enum PlaceChange {
    Upsert(PlaceRecord),
    Remove(i64),
}

/// A spatial index of businesses. Every answer is exact (haversine on the mean sphere).
#[async_trait]
pub trait PlaceIndex: Send + Sync {
    fn kind(&self) -> IndexKind;

    /// Every place within `radius_m` of `center` that passes `filter`, in any order.
    async fn within(&self, center: LatLng, radius_m: f64, filter: &Filter) -> Result<Vec<Candidate>, IndexError>;

    /// The `k` nearest places passing `filter`, sorted by (distance, id); `None` when the index
    /// has no native k-nearest search for this filter and the caller should expand radii.
    async fn nearest(&self, center: LatLng, k: usize, filter: &Filter) -> Result<Option<Vec<Candidate>>, IndexError>;

    /// Applies one change from the feed.
    async fn apply(&self, change: PlaceChange) -> Result<(), IndexError>;

    /// Entries held in memory (0 for indexes that keep none).
    fn len(&self) -> usize;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
