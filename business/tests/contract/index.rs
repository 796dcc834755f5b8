//! The geohash index rows and the reads search indexes are built from.

use crate::*;

contract!(geohash_index_follows_moves_and_deletes, rebuild_restores_the_geohash_index, places_for_search_indexes,);

async fn geohash_index_follows_moves_and_deletes(b: Backend) {
    let svc = b.service();
    let admin = Actor::admin();
    let created = svc.create(&admin, input("a", PARIS)).await.unwrap();
    assert_eq!(index_rows(&b, created.id).await, cells(PARIS), "{}", b.name);
    svc.update(&admin, created.id, input("renamed", PARIS)).await.unwrap();
    assert_eq!(index_rows(&b, created.id).await, cells(PARIS));
    svc.update(&admin, created.id, input("moved", LYON)).await.unwrap();
    assert_eq!(index_rows(&b, created.id).await, cells(LYON), "{}: rows follow the move", b.name);
    svc.delete(&admin, created.id).await.unwrap();
    assert!(index_rows(&b, created.id).await.is_empty(), "{}: rows go with the business", b.name);
}

async fn rebuild_restores_the_geohash_index(b: Backend) {
    let svc = b.service();
    let admin = Actor::admin();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(svc.create(&admin, input(&format!("b{i}"), (PARIS.0 + i as f64 * 0.01, PARIS.1))).await.unwrap().id);
    }
    sqlx::query("DELETE FROM geohash_index WHERE business_id = ?").bind(ids[0]).execute(b.db.pool()).await.unwrap();
    sqlx::query("INSERT INTO geohash_index (geohash, business_id) VALUES ('zzzzzz', 999999)")
        .execute(b.db.pool())
        .await
        .unwrap();
    let mut calls = Vec::new();
    let written = b.repo().rebuild_geohash_index(&mut |done, total| calls.push((done, total))).await.unwrap();
    assert_eq!(written, 15, "{}", b.name);
    assert_eq!(calls.last(), Some(&(5, 5)));
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(index_rows(&b, *id).await, cells((PARIS.0 + i as f64 * 0.01, PARIS.1)));
    }
    assert!(index_rows(&b, 999999).await.is_empty(), "{}: orphan rows removed", b.name);

    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let page = b.repo().distinct_cells_after(&after, 4).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.clone();
        all.extend(page);
    }
    let mut expected: Vec<String> = (0..5).flat_map(|i| cells((PARIS.0 + i as f64 * 0.01, PARIS.1))).collect();
    expected.sort();
    expected.dedup();
    assert_eq!(all, expected, "{}", b.name);
}

async fn places_for_search_indexes(b: Backend) {
    let svc = b.service();
    let repo = b.repo();
    let admin = Actor::admin();
    let full = svc.create(&admin, full_input()).await.unwrap();
    let plain = svc.create(&admin, input("plain", LYON)).await.unwrap();
    let place = repo.place(full.id).await.unwrap().unwrap();
    assert_eq!((place.id, place.latitude, place.longitude), (full.id, full.latitude, full.longitude));
    assert_eq!((place.category.as_str(), place.opening_hours.as_deref()), ("cafe", Some("Mo-Su 07:30-01:30")));
    assert_eq!(place.timezone.as_deref(), Some("Europe/Paris"));
    assert_eq!(repo.place(424242).await.unwrap(), None);

    assert_eq!(repo.places_after(0, 1).await.unwrap(), vec![place.clone()], "{}", b.name);
    let rest = repo.places_after(full.id, 10).await.unwrap();
    assert_eq!(rest.iter().map(|p| p.id).collect::<Vec<_>>(), vec![plain.id]);
    assert_eq!(repo.count().await.unwrap(), 2);

    let lyon6 = cells(LYON).into_iter().find(|c| c.len() == 6).unwrap();
    let paris4 = cells((full.latitude, full.longitude)).into_iter().find(|c| c.len() == 4).unwrap();
    let found = repo.cell_places(&[paris4.clone(), lyon6.clone(), "zzzz".into(), lyon6.clone()]).await.unwrap();
    let mut expected = vec![(paris4, full.id), (lyon6, plain.id)];
    expected.sort();
    assert_eq!(found.iter().map(|(c, p)| (c.clone(), p.id)).collect::<Vec<_>>(), expected, "{}", b.name);
}
