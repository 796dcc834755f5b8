//! Create, read, update, delete through the service: fields, timestamps, ownership, keys.

use crate::*;

contract!(crud_round_trip, duplicate_external_id, get_many_keeps_order, only_owner_or_admin_may_write,);

async fn crud_round_trip(b: Backend) {
    let svc = b.service();
    let owner = Actor::user(7);
    let t0 = now_ms();
    let created = svc.create(&owner, full_input()).await.unwrap();
    let t1 = now_ms();
    assert_fields(&created, &full_input_like(&created));
    assert_eq!(created.owner_id, Some(7));
    assert!((t0..=t1).contains(&created.created_at), "{}: created_at", b.name);
    assert_eq!(created.updated_at, created.created_at);
    assert_eq!(svc.get(created.id).await.unwrap(), created, "{}", b.name);
    assert_eq!(b.repo().get(created.id).await.unwrap(), Some(created.clone()), "{}: stored as returned", b.name);

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
    let updated = svc.update(&owner, created.id, changed.clone()).await.unwrap();
    assert_fields(&updated, &changed);
    assert_eq!((updated.id, updated.owner_id, updated.created_at), (created.id, Some(7), created.created_at));
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(svc.get(created.id).await.unwrap(), updated, "{}", b.name);
    assert_eq!(b.repo().get(created.id).await.unwrap(), Some(updated.clone()));

    svc.delete(&owner, created.id).await.unwrap();
    assert!(matches!(svc.get(created.id).await, Err(ServiceError::NotFound)), "{}", b.name);
    assert_eq!(b.repo().get(created.id).await.unwrap(), None);
    assert!(matches!(svc.delete(&owner, created.id).await, Err(ServiceError::NotFound)));
}

/// The input a business was created from (text is stored as validated).
fn full_input_like(b: &Business) -> BusinessInput {
    BusinessInput { external_id: b.external_id.clone(), ..full_input() }
}

async fn duplicate_external_id(b: Backend) {
    let svc = b.service();
    let admin = Actor::admin();
    let key = support::unique_name("dup-");
    let with_key = BusinessInput { external_id: Some(key.clone()), ..input("a", PARIS) };
    svc.create(&admin, with_key.clone()).await.unwrap();
    match svc.create(&admin, with_key.clone()).await {
        Err(ServiceError::Duplicate(k)) => assert_eq!(k, key),
        other => panic!("{}: expected Duplicate, got {other:?}", b.name),
    }
    let other = svc.create(&admin, input("b", PARIS)).await.unwrap();
    assert!(matches!(svc.update(&admin, other.id, with_key.clone()).await, Err(ServiceError::Duplicate(_))));
    assert!(matches!(b.repo().create(None, &with_key).await, Err(RepoError::Duplicate(k)) if k == key));
    assert_eq!(svc.get(other.id).await.unwrap().name, "b", "{}: the refused update changed nothing", b.name);
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
        names(svc.get_many(&[c.id, 424242, a.id, bb.id, a.id]).await.unwrap()),
        ["c", "a", "b", "a"],
        "{}",
        b.name
    );
    svc.delete(&admin, bb.id).await.unwrap();
    assert_eq!(names(svc.get_many(&[bb.id, a.id, c.id]).await.unwrap()), ["a", "c"], "{}", b.name);
    assert_eq!(names(svc.get_many(&[c.id, a.id]).await.unwrap()), ["c", "a"]);
    assert!(svc.get_many(&[]).await.unwrap().is_empty());
}

async fn only_owner_or_admin_may_write(b: Backend) {
    let svc = b.service();
    let (owner, stranger, anonymous) = (Actor::user(1), Actor::user(2), Actor::default());
    assert!(matches!(svc.create(&anonymous, input("x", PARIS)).await, Err(ServiceError::Unauthenticated)));
    let mine = svc.create(&owner, input("mine", PARIS)).await.unwrap();
    assert!(matches!(svc.update(&stranger, mine.id, input("theirs", PARIS)).await, Err(ServiceError::Forbidden)));
    assert!(matches!(svc.delete(&stranger, mine.id).await, Err(ServiceError::Forbidden)));
    assert!(matches!(svc.update(&anonymous, mine.id, input("x", PARIS)).await, Err(ServiceError::Unauthenticated)));
    assert!(matches!(svc.delete(&anonymous, mine.id).await, Err(ServiceError::Unauthenticated)));
    assert!(matches!(svc.update(&owner, 424242, input("x", PARIS)).await, Err(ServiceError::NotFound)));
    match svc.update(&owner, mine.id, input("", PARIS)).await {
        Err(ServiceError::Validation(e)) => assert_eq!(e.field, "name"),
        other => panic!("{}: expected Validation, got {other:?}", b.name),
    }
    assert_eq!(svc.get(mine.id).await.unwrap().name, "mine", "{}", b.name);

    let by_admin = svc.update(&Actor::admin(), mine.id, input("admin was here", PARIS)).await.unwrap();
    assert_eq!(by_admin.owner_id, Some(1), "{}: an admin's update keeps the owner", b.name);
    svc.update(&owner, mine.id, input("mine again", PARIS)).await.unwrap();
    let unowned = svc.create(&Actor::admin(), input("unowned", PARIS)).await.unwrap();
    assert_eq!(unowned.owner_id, None);
    assert!(matches!(svc.delete(&owner, unowned.id).await, Err(ServiceError::Forbidden)));
    svc.delete(&Actor::admin(), unowned.id).await.unwrap();
    svc.delete(&owner, mine.id).await.unwrap();
}
