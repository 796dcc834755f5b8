//! Bulk writes keyed by external_id.

use crate::*;

contract!(upsert_batch_is_idempotent, upsert_batch_refuses_bad_keys,);

pub fn batch(prefix: &str, n: usize) -> Vec<BusinessInput> {
    (0..n)
        .map(|i| BusinessInput {
            external_id: Some(format!("{prefix}{i}")),
            opening_hours: (i % 2 == 0).then(|| "Mo-Fr 08:00-18:00".into()),
            ..input(&format!("item {i}"), (PARIS.0 + (i % 100) as f64 * 0.001, PARIS.1 + (i / 100) as f64 * 0.001))
        })
        .collect()
}

async fn upsert_batch_is_idempotent(b: Backend) {
    let repo = b.repo();
    let prefix = support::unique_name("osm-");
    let mut items = batch(&prefix, 1000);
    let start = repo.latest_change_seq().await.unwrap();
    let started = std::time::Instant::now();
    let first = repo.upsert_batch(None, &items).await.unwrap();
    let took = started.elapsed();
    assert_eq!(first, BatchSummary { inserted: 1000, updated: 0, unchanged: 0 }, "{}", b.name);
    assert!(took < Duration::from_secs(10), "{}: 1000 upserts took {took:?}", b.name);
    assert_eq!(repo.count().await.unwrap(), 1000);
    assert_eq!(repo.changes_since(start, 5000).await.unwrap().len(), 1000);
    let seq = repo.latest_change_seq().await.unwrap();

    let second = repo.upsert_batch(None, &items).await.unwrap();
    assert_eq!(second, BatchSummary { inserted: 0, updated: 0, unchanged: 1000 }, "{}", b.name);
    assert_eq!(repo.latest_change_seq().await.unwrap(), seq, "{}: nothing changed, nothing in the feed", b.name);

    items[3].name = "renamed".into();
    items[4].latitude = LYON.0;
    items[4].longitude = LYON.1;
    items.push(BusinessInput { external_id: Some(format!("{prefix}new")), ..input("new", LYON) });
    let third = repo.upsert_batch(Some(5), &items).await.unwrap();
    assert_eq!(third, BatchSummary { inserted: 1, updated: 2, unchanged: 998 }, "{}", b.name);
    let changes = repo.changes_since(seq, 100).await.unwrap();
    assert_eq!(changes.len(), 3);

    let by_key = |key: String| {
        let repo = repo.clone();
        async move {
            let id = sqlx::query_scalar::<_, i64>("SELECT id FROM businesses WHERE external_id = ?")
                .bind(key)
                .fetch_one(repo.database().pool())
                .await
                .unwrap();
            repo.get(id).await.unwrap().unwrap()
        }
    };
    let renamed = by_key(format!("{prefix}3")).await;
    assert_eq!((renamed.name.as_str(), renamed.owner_id), ("renamed", None), "{}: owner kept on update", b.name);
    let moved = by_key(format!("{prefix}4")).await;
    assert_eq!(index_rows(&b, moved.id).await, cells(LYON), "{}", b.name);
    let new = by_key(format!("{prefix}new")).await;
    assert_eq!(new.owner_id, Some(5));
    assert_eq!(index_rows(&b, new.id).await, cells(LYON));
    let untouched = by_key(format!("{prefix}5")).await;
    assert_eq!(index_rows(&b, untouched.id).await, cells((PARIS.0 + 5.0 * 0.001, PARIS.1)));
}

async fn upsert_batch_refuses_bad_keys(b: Backend) {
    let repo = b.repo();
    let mut items = batch(&support::unique_name("k-"), 3);
    items[1].external_id = None;
    assert!(matches!(repo.upsert_batch(None, &items).await, Err(RepoError::MissingExternalId { index: 1 })));
    items[1].external_id = items[2].external_id.clone();
    match repo.upsert_batch(None, &items).await {
        Err(RepoError::Duplicate(key)) => assert_eq!(Some(key), items[2].external_id),
        other => panic!("{}: expected Duplicate, got {other:?}", b.name),
    }
    assert_eq!(repo.count().await.unwrap(), 0, "{}: a refused batch writes nothing", b.name);
    assert_eq!(repo.upsert_batch(None, &[]).await.unwrap(), BatchSummary::default());
}
