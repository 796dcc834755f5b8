//! `locus rebuild-index`: rebuilds the geohash index from the business table, then drops the
//! cached cells so every cache refills from the rebuilt table.
//!
//! Cells are invalidated twice over: those of the index as it was (a cell that the rebuild
//! empties must not keep serving its stale businesses) and those of the rebuilt index. Both are
//! paged through in batches of [`CELL_BATCH`], so memory stays flat however large the index is.

use crate::progress;
use locus_business::repo::{BusinessRepo, RepoError};
use locus_core::cache::{Cache, CacheError};
use locus_core::geohash::cell_cache_key;
use std::fmt;
use std::time::{Duration, Instant};

/// Cells read, and cache keys deleted, per round trip.
pub const CELL_BATCH: i64 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error("rebuilding the geohash index: {0}")]
    Repo(#[from] RepoError),
    /// The index was rebuilt but some cached cells may be stale until they expire; running the
    /// job again is safe.
    #[error("invalidating cached cells after {invalidated} of them: {source}")]
    Cache {
        invalidated: u64,
        #[source]
        source: CacheError,
    },
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RebuildReport {
    /// Index rows written (one per business and index precision).
    pub rows_written: u64,
    /// Cells of the rebuilt index whose cache keys were deleted.
    pub cells_invalidated: u64,
    /// Cells of the index before the rebuild whose cache keys were deleted.
    pub old_cells_invalidated: u64,
    pub elapsed: Duration,
}

impl fmt::Display for RebuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wrote {} index rows and invalidated {} cached cells ({} from before the rebuild) in {:.1} s",
            self.rows_written,
            self.cells_invalidated,
            self.old_cells_invalidated,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Deletes the cache key of every cell in the index; returns how many cells there were.
async fn invalidate_cells(repo: &BusinessRepo, cache: &dyn Cache, done_before: u64) -> Result<u64, RebuildError> {
    let mut after = String::new();
    let mut count = 0u64;
    loop {
        let cells = repo.distinct_cells_after(&after, CELL_BATCH).await?;
        let Some(last) = cells.last() else {
            return Ok(count);
        };
        after = last.clone();
        let keys: Vec<String> = cells.iter().map(|c| cell_cache_key(c)).collect();
        cache.delete(&keys).await.map_err(|source| RebuildError::Cache { invalidated: done_before + count, source })?;
        count += keys.len() as u64;
        if (cells.len() as i64) < CELL_BATCH {
            return Ok(count);
        }
    }
}

/// Rebuilds the geohash index and invalidates the cached cells (see the module docs).
pub async fn rebuild_index(
    repo: &BusinessRepo,
    cache: &dyn Cache,
    show_progress: bool,
) -> Result<RebuildReport, RebuildError> {
    let started = Instant::now();
    let old_cells_invalidated = invalidate_cells(repo, cache, 0).await?;
    let bar = progress::count_bar(show_progress, 0, "rebuilding index");
    let mut on_progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let rows_written = repo.rebuild_geohash_index(&mut on_progress).await?;
    bar.finish_and_clear();
    let cells_invalidated = invalidate_cells(repo, cache, old_cells_invalidated).await?;
    Ok(RebuildReport { rows_written, cells_invalidated, old_cells_invalidated, elapsed: started.elapsed() })
}
