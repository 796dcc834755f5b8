//! What follows a committed write: cache invalidation and the announcement on the bus.

use crate::*;

contract!(cache_invalidated_on_write, writes_are_announced,);

async fn cached(b: &Backend, key: &str) -> Option<Vec<u8>> {
    b.cache.get_many(&[key.to_owned()]).await.unwrap().pop().flatten()
}

async fn cache_invalidated_on_write(b: Backend) {
    let svc = b.service();
    let owner = Actor::user(3);
    let created = svc.create(&owner, input("old", PARIS)).await.unwrap();
    assert_eq!(svc.get(created.id).await.unwrap().name, "old");
    assert!(cached(&b, &detail_cache_key(created.id)).await.is_some(), "{}: read-through fills the cache", b.name);
    // A search instance's cell entries at the old and the new place.
    let cell_keys: Vec<String> = cells(PARIS).iter().chain(cells(LYON).iter()).map(|c| cell_cache_key(c)).collect();
    for k in &cell_keys {
        b.cache.set(k, b"[]", Duration::from_secs(60)).await.unwrap();
    }

    svc.update(&owner, created.id, input("new", LYON)).await.unwrap();
    assert_eq!(svc.get(created.id).await.unwrap().name, "new", "{}: stale detail served", b.name);
    for k in &cell_keys {
        assert!(cached(&b, k).await.is_none(), "{}: {k} not invalidated", b.name);
    }

    // A stale entry written by a racing reader is removed by the second delete.
    svc.update(&owner, created.id, input("newer", LYON)).await.unwrap();
    let stale = serde_json::to_vec(&Business { name: "stale".into(), ..created.clone() }).unwrap();
    b.cache.set(&detail_cache_key(created.id), &stale, Duration::from_secs(60)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(svc.get(created.id).await.unwrap().name, "newer", "{}", b.name);

    svc.delete(&owner, created.id).await.unwrap();
    assert!(matches!(svc.get(created.id).await, Err(ServiceError::NotFound)), "{}", b.name);
}

async fn writes_are_announced(b: Backend) {
    let svc = b.service();
    // `subscribe` returns once Redis has acknowledged it, so nothing published later is missed.
    let mut sub = b.bus.subscribe(CHANGES_CHANNEL).await.unwrap();
    let created = svc.create(&Actor::user(1), input("a", PARIS)).await.unwrap();
    // One wake-up per write, carrying how many businesses it touched.
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next()).await.expect("announced").unwrap();
    assert_eq!(msg, b"1", "{}", b.name);
    svc.delete(&Actor::user(1), created.id).await.unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next()).await.expect("announced").unwrap();
    assert_eq!(msg, b"1");

    let summary = svc.import_batch(None, crate::batch::batch(&support::unique_name("imp-"), 3)).await.unwrap();
    assert_eq!(summary.inserted, 3);
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next()).await.expect("import announced").unwrap();
    assert_eq!(msg, b"3", "one announcement for the whole batch");
}
