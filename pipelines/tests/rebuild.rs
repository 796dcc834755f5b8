//! `rebuild-index`: a wiped geohash index comes back whole and the cached cells are dropped.

mod common;

use common::fixture;
use locus_core::cache::{Cache, InProcessCache};
use locus_core::geohash::cell_cache_key;
use locus_pipelines::import::{import_businesses, ImportOptions};
use locus_pipelines::rebuild::rebuild_index;
use locus_pipelines::synth::{generate, write_csv};
use std::time::Duration;

#[tokio::test]
async fn rebuild_restores_a_wiped_index_and_invalidates_cells() {
    let f = fixture().await;
    let csv = f.dir.path().join("synth.csv");
    write_csv(&csv, generate(3_000, 21), false).unwrap();
    import_businesses(&f.service, &csv, ImportOptions::default()).await.unwrap();
    let businesses = f.repo.count().await.unwrap();
    assert_eq!(businesses, 3_000);
    let cells = f.scalar("SELECT COUNT(DISTINCT geohash) FROM geohash_index").await;

    let cache = InProcessCache::new(1 << 20);
    let cached: Vec<String> =
        f.repo.distinct_cells_after("", 5).await.unwrap().iter().map(|c| cell_cache_key(c)).collect();
    for key in &cached {
        cache.set(key, b"stale", Duration::from_secs(60)).await.unwrap();
    }
    f.execute("DELETE FROM geohash_index").await;

    let report = rebuild_index(&f.repo, &cache, false).await.unwrap();
    println!("{report}");
    assert_eq!(f.scalar("SELECT COUNT(*) FROM geohash_index").await, 3 * businesses);
    assert_eq!(report.rows_written, 3 * businesses as u64);
    assert_eq!(report.old_cells_invalidated, 0);
    assert_eq!(report.cells_invalidated, cells as u64);
    assert!(cache.get_many(&cached).await.unwrap().iter().all(Option::is_none));

    // A second rebuild changes nothing but drops the cells of the index before and after.
    let again = rebuild_index(&f.repo, &cache, false).await.unwrap();
    assert_eq!(f.scalar("SELECT COUNT(*) FROM geohash_index").await, 3 * businesses);
    assert_eq!((again.old_cells_invalidated, again.cells_invalidated), (cells as u64, cells as u64));
}
