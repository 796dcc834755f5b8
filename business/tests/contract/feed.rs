//! The change feed: one row per affected business per committed write, in commit order.

use crate::*;
use locus_core::db::DbKind;

contract!(change_feed_grows_per_write, concurrent_writes_all_reach_the_feed, cancelled_write_releases_its_locks,);

async fn change_feed_grows_per_write(b: Backend) {
    let svc = b.service();
    let repo = b.repo();
    let admin = Actor::admin();
    let start = repo.latest_change_seq().await.unwrap();
    let created = svc.create(&admin, input("a", PARIS)).await.unwrap();
    svc.update(&admin, created.id, input("b", PARIS)).await.unwrap();
    let other = svc.create(&admin, input("c", LYON)).await.unwrap();
    svc.delete(&admin, created.id).await.unwrap();
    let changes = repo.changes_since(start, 100).await.unwrap();
    let ids: Vec<i64> = changes.iter().map(|c| c.business_id).collect();
    assert_eq!(ids, vec![created.id, created.id, other.id, created.id], "{}", b.name);
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(repo.latest_change_seq().await.unwrap(), changes[3].seq);
    assert_eq!(repo.changes_since(start, 2).await.unwrap(), changes[..2]);
    assert_eq!(repo.changes_since(changes[1].seq, 100).await.unwrap(), changes[2..]);

    // A failed write leaves no trace in the feed.
    let taken = BusinessInput { external_id: Some(support::unique_name("ext-")), ..input("d", PARIS) };
    svc.create(&admin, taken.clone()).await.unwrap();
    let seq = repo.latest_change_seq().await.unwrap();
    assert!(svc.create(&admin, taken).await.is_err());
    assert_eq!(repo.latest_change_seq().await.unwrap(), seq, "{}", b.name);
}

async fn concurrent_writes_all_reach_the_feed(b: Backend) {
    let svc = b.service();
    let start = b.repo().latest_change_seq().await.unwrap();
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let svc = svc.clone();
            tokio::spawn(async move {
                let created = svc.create(&Actor::user(1), input(&format!("c{i}"), PARIS)).await.unwrap();
                svc.update(&Actor::user(1), created.id, input(&format!("c{i}"), LYON)).await.unwrap();
                created.id
            })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    let changes = b.repo().changes_since(start, 1000).await.unwrap();
    assert_eq!(changes.len(), 32, "{}", b.name);
    for id in ids {
        assert_eq!(changes.iter().filter(|c| c.business_id == id).count(), 2);
        assert_eq!(index_rows(&b, id).await, cells(LYON));
    }
}

/// Regression: a write cancelled while waiting for the writer lock (MySQL: the change-feed
/// `GET_LOCK`, SQLite: the database write lock) must not leave its pooled connection holding
/// that lock once granted, or every later write would stall until `FeedLockTimeout`.
async fn cancelled_write_releases_its_locks(b: Backend) {
    let repo = b.repo();
    // The lock name repo/feed.rs uses.
    let lock = "LEFT(CONCAT('locus_business_changes:', DATABASE()), 64)";
    let (take, release) = match b.db.kind() {
        DbKind::MySql => (format!("SELECT GET_LOCK({lock}, 5)"), format!("SELECT RELEASE_LOCK({lock})")),
        DbKind::Sqlite => ("BEGIN IMMEDIATE".to_owned(), "ROLLBACK".to_owned()),
    };
    let mut blocker = b.db.pool().acquire().await.unwrap();
    sqlx::query(&take).execute(&mut *blocker).await.unwrap();
    let cancelled =
        tokio::time::timeout(Duration::from_millis(300), repo.create(None, &input("cancelled", PARIS))).await;
    assert!(cancelled.is_err(), "{}: the write should have been waiting", b.name);
    sqlx::query(&release).execute(&mut *blocker).await.unwrap();
    drop(blocker);

    let started = std::time::Instant::now();
    let created = repo.create(None, &input("next", PARIS)).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "{}: waited {:?}", b.name, started.elapsed());
    assert_eq!(repo.count().await.unwrap(), 1, "{}: the cancelled write left nothing", b.name);
    let changes = repo.changes_since(0, 10).await.unwrap();
    assert_eq!(changes.iter().map(|c| c.business_id).collect::<Vec<_>>(), vec![created.id]);
}
