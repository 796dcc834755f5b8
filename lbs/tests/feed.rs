//! The change-feed follower applies each committed write once, in batches, and counts it once.

use locus_business::repo::BusinessRepo;
use locus_business::BusinessInput;
use locus_core::db::Database;
use locus_core::geo::LatLng;
use locus_lbs::feed::ChangeFollower;
use locus_lbs::memory::MemoryIndex;
use locus_lbs::place::Filter;
use locus_lbs::{IndexKind, PlaceIndex};
use std::sync::Arc;

fn input(n: usize, lat: f64) -> BusinessInput {
    BusinessInput {
        external_id: Some(format!("f{n}")),
        name: format!("F{n}"),
        category: "cafe".into(),
        latitude: lat,
        longitude: 10.0,
        ..Default::default()
    }
}

fn applied_metric() -> u64 {
    locus_core::metrics::metrics().change_feed_applied.with_label_values(&["rtree"]).get()
}

#[tokio::test]
async fn regression_changes_are_applied_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let repo = BusinessRepo::new(Database::connect(&Database::sqlite_url(dir.path())).await.unwrap());
    let index: Arc<dyn PlaceIndex> = Arc::new(MemoryIndex::build(IndexKind::RTree, &repo).await.unwrap());
    let mut follower = ChangeFollower::new(repo.clone(), index.clone(), repo.latest_change_seq().await.unwrap());
    let before = applied_metric();

    // More changes than one feed batch (1,000), so catch-up runs several rounds.
    let items: Vec<BusinessInput> = (0..1500).map(|n| input(n, 50.0 + n as f64 * 1e-5)).collect();
    for chunk in items.chunks(700) {
        repo.upsert_batch(None, chunk).await.unwrap();
    }
    assert_eq!(follower.catch_up().await.unwrap(), 1500);
    assert_eq!(index.len(), 1500);
    assert_eq!(applied_metric() - before, 1500, "each change counted once");

    // A move and a delete.
    let moved = BusinessInput { latitude: -30.0, ..items[0].clone() };
    repo.upsert_batch(None, &[moved]).await.unwrap();
    let gone = repo.places_after(0, 2).await.unwrap()[1].id;
    repo.delete(gone).await.unwrap();
    assert_eq!(follower.catch_up().await.unwrap(), 2);
    assert_eq!(index.len(), 1499);
    let at = LatLng::new(-30.0, 10.0).unwrap();
    assert_eq!(index.within(at, 10.0, &Filter::default()).await.unwrap().len(), 1);
    assert_eq!(follower.catch_up().await.unwrap(), 0);
    assert_eq!(applied_metric() - before, 1502);
}
