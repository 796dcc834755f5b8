//! The business contract: every backend (SQLite or MySQL, in-process or Redis cache and bus)
//! behaves the same. See `support` for how backends are chosen.

#[macro_use]
mod support;

use locus_business::repo::{BatchSummary, RepoError};
use locus_business::service::{detail_cache_key, Actor, ServiceError, CHANGES_CHANNEL};
use locus_business::{Business, BusinessInput};
use locus_core::db::now_ms;
use locus_core::geo::LatLng;
use locus_core::geohash::{cell_cache_key, encode, INDEX_PRECISIONS};
use sqlx::Row;
use std::time::Duration;
use support::Backend;

contract!(
    crud_round_trip,
    geohash_index_follows_moves_and_deletes,
    rebuild_restores_the_geohash_index,
    change_feed_grows_per_write,
    concurrent_writes_all_reach_the_feed,
    upsert_batch_is_idempotent,
    upsert_batch_refuses_bad_keys,
    duplicate_external_id,
    get_many_keeps_order,
    cache_invalidated_on_write,
    only_owner_or_admin_may_write,
    writes_are_announced,
    places_for_search_indexes,
);

const PARIS: (f64, f64) = (48.8566, 2.3522);
const LYON: (f64, f64) = (45.764, 4.8357);

fn input(name: &str, at: (f64, f64)) -> BusinessInput {
    BusinessInput {
        name: name.into(),
        category: "cafe".into(),
        latitude: at.0,
        longitude: at.1,
        ..Default::default()
    }
}

fn full_input() -> BusinessInput {
    BusinessInput {
        external_id: Some(support::unique_name("ext-")),
        name: "Café de Flore".into(),
        category: "cafe".into(),
        address: Some("172 Boulevard Saint-Germain".into()),
        city: Some("Paris".into()),
        country: Some("FR".into()),
        latitude: 48.85406,
        longitude: 2.33262,
        phone: Some("+33 1 45 48 55 26".into()),
        website: Some("https://cafedeflore.fr".into()),
        opening_hours: Some("Mo-Su 07:30-01:30".into()),
        timezone: Some("Europe/Paris".into()),
    }
}

fn cells(at: (f64, f64)) -> Vec<String> {
    let p = LatLng::new(at.0, at.1).unwrap();
    let mut cells: Vec<String> = INDEX_PRECISIONS
        .iter()
        .map(|&prec| encode(p, prec))
        .collect();
    cells.sort();
    cells
}

async fn index_rows(b: &Backend, id: i64) -> Vec<String> {
    sqlx::query("SELECT geohash FROM geohash_index WHERE business_id = ? ORDER BY geohash")
        .bind(id)
        .fetch_all(b.db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

fn assert_fields(b: &Business, i: &BusinessInput) {
    assert_eq!(
        (
            &b.external_id,
            &b.name,
            &b.category,
            &b.address,
            &b.city,
            &b.country
        ),
        (
            &i.external_id,
            &i.name,
            &i.category,
            &i.address,
            &i.city,
            &i.country
        )
    );
    assert_eq!((b.latitude, b.longitude), (i.latitude, i.longitude));
    assert_eq!(
        (&b.phone, &b.website, &b.opening_hours, &b.timezone),
        (&i.phone, &i.website, &i.opening_hours, &i.timezone)
    );
}

async fn crud_round_trip(b: Backend) {
    let svc = b.service();
    let owner = Actor::user(7);
    let t0 = now_ms();
    let created = svc.create(&owner, full_input()).await.unwrap();
    let t1 = now_ms();
    assert_fields(&created, &full_input_like(&created));
    assert_eq!(created.owner_id, Some(7));
    assert!(
        (t0..=t1).contains(&created.created_at),
        "{}: created_at",
        b.name
    );
    assert_eq!(created.updated_at, created.created_at);
    assert_eq!(svc.get(created.id).await.unwrap(), created, "{}", b.name);
    assert_eq!(
        b.repo().get(created.id).await.unwrap(),
        Some(created.clone()),
        "{}: stored as returned",
        b.name
    );

    let changed = BusinessInput {
        external_id: Some(support::unique_name("ext-")),
        name: "Les Deux Magots".into(),
        category: "bar".into(),
        address: None,
        city: Some("Lyon".into()),
        country: None,
        latitude: LYON.0,
        longitude: LYON.1,
        phone: None,
        website: Some("https://example.org".into()),
        opening_hours: Some("24/7".into()),
        timezone: None,
    };
    let updated = svc
        .update(&owner, created.id, changed.clone())
        .await
        .unwrap();
    assert_fields(&updated, &changed);
    assert_eq!(
        (updated.id, updated.owner_id, updated.created_at),
        (created.id, Some(7), created.created_at)
    );
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(svc.get(created.id).await.unwrap(), updated, "{}", b.name);
    assert_eq!(
        b.repo().get(created.id).await.unwrap(),
        Some(updated.clone())
    );

    svc.delete(&owner, created.id).await.unwrap();
    assert!(
        matches!(svc.get(created.id).await, Err(ServiceError::NotFound)),
        "{}",
        b.name
    );
    assert_eq!(b.repo().get(created.id).await.unwrap(), None);
    assert!(matches!(
        svc.delete(&owner, created.id).await,
        Err(ServiceError::NotFound)
    ));
}

/// The input a business was created from (text is stored as validated).
fn full_input_like(b: &Business) -> BusinessInput {
    BusinessInput {
        external_id: b.external_id.clone(),
        ..full_input()
    }
}

async fn geohash_index_follows_moves_and_deletes(b: Backend) {
    let svc = b.service();
    let admin = Actor::admin();
    let created = svc.create(&admin, input("a", PARIS)).await.unwrap();
    assert_eq!(index_rows(&b, created.id).await, cells(PARIS), "{}", b.name);
    svc.update(&admin, created.id, input("renamed", PARIS))
        .await
        .unwrap();
    assert_eq!(index_rows(&b, created.id).await, cells(PARIS));
    svc.update(&admin, created.id, input("moved", LYON))
        .await
        .unwrap();
    assert_eq!(
        index_rows(&b, created.id).await,
        cells(LYON),
        "{}: rows follow the move",
        b.name
    );
    svc.delete(&admin, created.id).await.unwrap();
    assert!(
        index_rows(&b, created.id).await.is_empty(),
        "{}: rows go with the business",
        b.name
    );
}

async fn rebuild_restores_the_geohash_index(b: Backend) {
    let svc = b.service();
    let admin = Actor::admin();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            svc.create(
                &admin,
                input(&format!("b{i}"), (PARIS.0 + i as f64 * 0.01, PARIS.1)),
            )
            .await
            .unwrap()
            .id,
        );
    }
    sqlx::query("DELETE FROM geohash_index WHERE business_id = ?")
        .bind(ids[0])
        .execute(b.db.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO geohash_index (geohash, business_id) VALUES ('zzzzzz', 999999)")
        .execute(b.db.pool())
        .await
        .unwrap();
    let mut calls = Vec::new();
    let written = b
        .repo()
        .rebuild_geohash_index(&mut |done, total| calls.push((done, total)))
        .await
        .unwrap();
    assert_eq!(written, 15, "{}", b.name);
    assert_eq!(calls.last(), Some(&(5, 5)));
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            index_rows(&b, *id).await,
            cells((PARIS.0 + i as f64 * 0.01, PARIS.1))
        );
    }
    assert!(
        index_rows(&b, 999999).await.is_empty(),
        "{}: orphan rows removed",
        b.name
    );

    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let page = b.repo().distinct_cells_after(&after, 4).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.clone();
        all.extend(page);
    }
    let mut expected: Vec<String> = (0..5)
        .flat_map(|i| cells((PARIS.0 + i as f64 * 0.01, PARIS.1)))
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(all, expected, "{}", b.name);
}

async fn change_feed_grows_per_write(b: Backend) {
    let svc = b.service();
    let repo = b.repo();
    let admin = Actor::admin();
    let start = repo.latest_change_seq().await.unwrap();
    let created = svc.create(&admin, input("a", PARIS)).await.unwrap();
    svc.update(&admin, created.id, input("b", PARIS))
        .await
        .unwrap();
    let other = svc.create(&admin, input("c", LYON)).await.unwrap();
    svc.delete(&admin, created.id).await.unwrap();
    let changes = repo.changes_since(start, 100).await.unwrap();
    let ids: Vec<i64> = changes.iter().map(|c| c.business_id).collect();
    assert_eq!(
        ids,
        vec![created.id, created.id, other.id, created.id],
        "{}",
        b.name
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(repo.latest_change_seq().await.unwrap(), changes[3].seq);
    assert_eq!(repo.changes_since(start, 2).await.unwrap(), changes[..2]);
    assert_eq!(
        repo.changes_since(changes[1].seq, 100).await.unwrap(),
        changes[2..]
    );

    // A failed write leaves no trace in the feed.
    let taken = BusinessInput {
        external_id: Some(support::unique_name("ext-")),
        ..input("d", PARIS)
    };
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
                let created = svc
                    .create(&Actor::user(1), input(&format!("c{i}"), PARIS))
                    .await
                    .unwrap();
                svc.update(&Actor::user(1), created.id, input(&format!("c{i}"), LYON))
                    .await
                    .unwrap();
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

fn batch(prefix: &str, n: usize) -> Vec<BusinessInput> {
    (0..n)
        .map(|i| BusinessInput {
            external_id: Some(format!("{prefix}{i}")),
            opening_hours: (i % 2 == 0).then(|| "Mo-Fr 08:00-18:00".into()),
            ..input(
                &format!("item {i}"),
                (
                    PARIS.0 + (i % 100) as f64 * 0.001,
                    PARIS.1 + (i / 100) as f64 * 0.001,
                ),
            )
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
    assert_eq!(
        first,
        BatchSummary {
            inserted: 1000,
            updated: 0,
            unchanged: 0
        },
        "{}",
        b.name
    );
    assert!(
        took < Duration::from_secs(10),
        "{}: 1000 upserts took {took:?}",
        b.name
    );
    assert_eq!(repo.count().await.unwrap(), 1000);
    assert_eq!(repo.changes_since(start, 5000).await.unwrap().len(), 1000);
    let seq = repo.latest_change_seq().await.unwrap();

    let second = repo.upsert_batch(None, &items).await.unwrap();
    assert_eq!(
        second,
        BatchSummary {
            inserted: 0,
            updated: 0,
            unchanged: 1000
        },
        "{}",
        b.name
    );
    assert_eq!(
        repo.latest_change_seq().await.unwrap(),
        seq,
        "{}: nothing changed, nothing in the feed",
        b.name
    );

    items[3].name = "renamed".into();
    items[4].latitude = LYON.0;
    items[4].longitude = LYON.1;
    items.push(BusinessInput {
        external_id: Some(format!("{prefix}new")),
        ..input("new", LYON)
    });
    let third = repo.upsert_batch(Some(5), &items).await.unwrap();
    assert_eq!(
        third,
        BatchSummary {
            inserted: 1,
            updated: 2,
            unchanged: 998
        },
        "{}",
        b.name
    );
    let changes = repo.changes_since(seq, 100).await.unwrap();
    assert_eq!(changes.len(), 3);

    let by_key = |key: String| {
        let repo = repo.clone();
        async move {
            let id =
                sqlx::query_scalar::<_, i64>("SELECT id FROM businesses WHERE external_id = ?")
                    .bind(key)
                    .fetch_one(repo.database().pool())
                    .await
                    .unwrap();
            repo.get(id).await.unwrap().unwrap()
        }
    };
    let renamed = by_key(format!("{prefix}3")).await;
    assert_eq!(
        (renamed.name.as_str(), renamed.owner_id),
        ("renamed", None),
        "{}: owner kept on update",
        b.name
    );
    let moved = by_key(format!("{prefix}4")).await;
    assert_eq!(index_rows(&b, moved.id).await, cells(LYON), "{}", b.name);
    let new = by_key(format!("{prefix}new")).await;
    assert_eq!(new.owner_id, Some(5));
    assert_eq!(index_rows(&b, new.id).await, cells(LYON));
    let untouched = by_key(format!("{prefix}5")).await;
    assert_eq!(
        index_rows(&b, untouched.id).await,
        cells((PARIS.0 + 5.0 * 0.001, PARIS.1))
    );
}

async fn upsert_batch_refuses_bad_keys(b: Backend) {
    let repo = b.repo();
    let mut items = batch(&support::unique_name("k-"), 3);
    items[1].external_id = None;
    assert!(matches!(
        repo.upsert_batch(None, &items).await,
        Err(RepoError::MissingExternalId { index: 1 })
    ));
    items[1].external_id = items[2].external_id.clone();
    match repo.upsert_batch(None, &items).await {
        Err(RepoError::Duplicate(key)) => assert_eq!(Some(key), items[2].external_id),
        other => panic!("{}: expected Duplicate, got {other:?}", b.name),
    }
    assert_eq!(
        repo.count().await.unwrap(),
        0,
        "{}: a refused batch writes nothing",
        b.name
    );
    assert_eq!(
        repo.upsert_batch(None, &[]).await.unwrap(),
        BatchSummary::default()
    );
}

async fn duplicate_external_id(b: Backend) {
    let svc = b.service();
    let admin = Actor::admin();
    let key = support::unique_name("dup-");
    let with_key = BusinessInput {
        external_id: Some(key.clone()),
        ..input("a", PARIS)
    };
    svc.create(&admin, with_key.clone()).await.unwrap();
    match svc.create(&admin, with_key.clone()).await {
        Err(ServiceError::Duplicate(k)) => assert_eq!(k, key),
        other => panic!("{}: expected Duplicate, got {other:?}", b.name),
    }
    let other = svc.create(&admin, input("b", PARIS)).await.unwrap();
    assert!(matches!(
        svc.update(&admin, other.id, with_key.clone()).await,
        Err(ServiceError::Duplicate(_))
    ));
    assert!(
        matches!(b.repo().create(None, &with_key).await, Err(RepoError::Duplicate(k)) if k == key)
    );
    assert_eq!(
        svc.get(other.id).await.unwrap().name,
        "b",
        "{}: the refused update changed nothing",
        b.name
    );
}

async fn get_many_keeps_order(b: Backend) {
    let svc = b.service();
    let admin = Actor::admin();
    let a = svc.create(&admin, input("a", PARIS)).await.unwrap();
    let bb = svc.create(&admin, input("b", PARIS)).await.unwrap();
    let c = svc.create(&admin, input("c", LYON)).await.unwrap();
    let names = |v: Vec<Business>| v.into_iter().map(|b| b.name).collect::<Vec<_>>();
    // Cold, then with `a` cached, then fully cached.
    assert_eq!(
        names(
            svc.get_many(&[c.id, 424242, a.id, bb.id, a.id])
                .await
                .unwrap()
        ),
        ["c", "a", "b", "a"],
        "{}",
        b.name
    );
    svc.delete(&admin, bb.id).await.unwrap();
    assert_eq!(
        names(svc.get_many(&[bb.id, a.id, c.id]).await.unwrap()),
        ["a", "c"],
        "{}",
        b.name
    );
    assert_eq!(
        names(svc.get_many(&[c.id, a.id]).await.unwrap()),
        ["c", "a"]
    );
    assert!(svc.get_many(&[]).await.unwrap().is_empty());
}

async fn cached(b: &Backend, key: &str) -> Option<Vec<u8>> {
    b.cache
        .get_many(&[key.to_owned()])
        .await
        .unwrap()
        .pop()
        .flatten()
}

async fn cache_invalidated_on_write(b: Backend) {
    let svc = b.service();
    let owner = Actor::user(3);
    let created = svc.create(&owner, input("old", PARIS)).await.unwrap();
    assert_eq!(svc.get(created.id).await.unwrap().name, "old");
    assert!(
        cached(&b, &detail_cache_key(created.id)).await.is_some(),
        "{}: read-through fills the cache",
        b.name
    );
    // A search instance's cell entries at the old and the new place.
    let cell_keys: Vec<String> = cells(PARIS)
        .iter()
        .chain(cells(LYON).iter())
        .map(|c| cell_cache_key(c))
        .collect();
    for k in &cell_keys {
        b.cache
            .set(k, b"[]", Duration::from_secs(60))
            .await
            .unwrap();
    }

    svc.update(&owner, created.id, input("new", LYON))
        .await
        .unwrap();
    assert_eq!(
        svc.get(created.id).await.unwrap().name,
        "new",
        "{}: stale detail served",
        b.name
    );
    for k in &cell_keys {
        assert!(
            cached(&b, k).await.is_none(),
            "{}: {k} not invalidated",
            b.name
        );
    }

    // A stale entry written by a racing reader is removed by the second delete.
    svc.update(&owner, created.id, input("newer", LYON))
        .await
        .unwrap();
    let stale = serde_json::to_vec(&Business {
        name: "stale".into(),
        ..created.clone()
    })
    .unwrap();
    b.cache
        .set(
            &detail_cache_key(created.id),
            &stale,
            Duration::from_secs(60),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        svc.get(created.id).await.unwrap().name,
        "newer",
        "{}",
        b.name
    );

    svc.delete(&owner, created.id).await.unwrap();
    assert!(
        matches!(svc.get(created.id).await, Err(ServiceError::NotFound)),
        "{}",
        b.name
    );
}

async fn only_owner_or_admin_may_write(b: Backend) {
    let svc = b.service();
    let (owner, stranger, anonymous) = (Actor::user(1), Actor::user(2), Actor::default());
    assert!(matches!(
        svc.create(&anonymous, input("x", PARIS)).await,
        Err(ServiceError::Unauthenticated)
    ));
    let mine = svc.create(&owner, input("mine", PARIS)).await.unwrap();
    assert!(matches!(
        svc.update(&stranger, mine.id, input("theirs", PARIS)).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        svc.delete(&stranger, mine.id).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        svc.update(&anonymous, mine.id, input("x", PARIS)).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        svc.delete(&anonymous, mine.id).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        svc.update(&owner, 424242, input("x", PARIS)).await,
        Err(ServiceError::NotFound)
    ));
    match svc.update(&owner, mine.id, input("", PARIS)).await {
        Err(ServiceError::Validation(e)) => assert_eq!(e.field, "name"),
        other => panic!("{}: expected Validation, got {other:?}", b.name),
    }
    assert_eq!(svc.get(mine.id).await.unwrap().name, "mine", "{}", b.name);

    let by_admin = svc
        .update(&Actor::admin(), mine.id, input("admin was here", PARIS))
        .await
        .unwrap();
    assert_eq!(
        by_admin.owner_id,
        Some(1),
        "{}: an admin's update keeps the owner",
        b.name
    );
    svc.update(&owner, mine.id, input("mine again", PARIS))
        .await
        .unwrap();
    let unowned = svc
        .create(&Actor::admin(), input("unowned", PARIS))
        .await
        .unwrap();
    assert_eq!(unowned.owner_id, None);
    assert!(matches!(
        svc.delete(&owner, unowned.id).await,
        Err(ServiceError::Forbidden)
    ));
    svc.delete(&Actor::admin(), unowned.id).await.unwrap();
    svc.delete(&owner, mine.id).await.unwrap();
}

async fn writes_are_announced(b: Backend) {
    let svc = b.service();
    let mut sub = b.bus.subscribe(CHANGES_CHANNEL).await.unwrap();
    // A Redis subscription becomes active asynchronously.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let created = svc
        .create(&Actor::user(1), input("a", PARIS))
        .await
        .unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .expect("announced")
        .unwrap();
    assert_eq!(msg, created.id.to_string().into_bytes(), "{}", b.name);
    svc.delete(&Actor::user(1), created.id).await.unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .expect("announced")
        .unwrap();
    assert_eq!(msg, created.id.to_string().into_bytes());

    let summary = svc
        .import_batch(None, batch(&support::unique_name("imp-"), 3))
        .await
        .unwrap();
    assert_eq!(summary.inserted, 3);
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(5), sub.next())
            .await
            .expect("import announced")
            .unwrap();
    }
}

async fn places_for_search_indexes(b: Backend) {
    let svc = b.service();
    let repo = b.repo();
    let admin = Actor::admin();
    let full = svc.create(&admin, full_input()).await.unwrap();
    let plain = svc.create(&admin, input("plain", LYON)).await.unwrap();
    let place = repo.place(full.id).await.unwrap().unwrap();
    assert_eq!(
        (place.id, place.latitude, place.longitude),
        (full.id, full.latitude, full.longitude)
    );
    assert_eq!(
        (place.category.as_str(), place.opening_hours.as_deref()),
        ("cafe", Some("Mo-Su 07:30-01:30"))
    );
    assert_eq!(place.timezone.as_deref(), Some("Europe/Paris"));
    assert_eq!(repo.place(424242).await.unwrap(), None);

    assert_eq!(
        repo.places_after(0, 1).await.unwrap(),
        vec![place.clone()],
        "{}",
        b.name
    );
    let rest = repo.places_after(full.id, 10).await.unwrap();
    assert_eq!(
        rest.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![plain.id]
    );
    assert_eq!(repo.count().await.unwrap(), 2);

    let lyon6 = cells(LYON).into_iter().find(|c| c.len() == 6).unwrap();
    let paris4 = cells((full.latitude, full.longitude))
        .into_iter()
        .find(|c| c.len() == 4)
        .unwrap();
    let found = repo
        .cell_places(&[paris4.clone(), lyon6.clone(), "zzzz".into(), lyon6.clone()])
        .await
        .unwrap();
    let mut expected = vec![(paris4, full.id), (lyon6, plain.id)];
    expected.sort();
    assert_eq!(
        found
            .iter()
            .map(|(c, p)| (c.clone(), p.id))
            .collect::<Vec<_>>(),
        expected,
        "{}",
        b.name
    );
}
