//! The business and user API on the embedded default: CRUD, auth, validation, hostile input,
//! restart durability.

use locus_tests::{embedded, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

fn cafe() -> Value {
    json!({
        "name": "Cafe Uno", "category": "cafe", "address": "1 Main St", "city": "Springfield",
        "country": "US", "latitude": 37.7749, "longitude": -122.4194, "phone": "+1 555 0100",
        "website": "https://uno.example", "opening_hours": "Mo-Fr 08:00-18:00; Sa 09:00-13:00",
        "timezone": "America/Los_Angeles"
    })
}

#[tokio::test]
async fn crud_round_trip_with_owner_checks() {
    let (config, _dir) = embedded();
    let server = TestServer::start(config).await;
    let (owner_id, owner) = server.user("owner").await;
    let (_, stranger) = server.user("stranger").await;

    let (status, created) = server.send(Method::POST, "/v1/businesses", Some(&owner), Some(&cafe())).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["owner_id"], owner_id);
    assert_eq!(created["opening_hours"], "Mo-Fr 08:00-18:00; Sa 09:00-13:00");
    assert!(created["created_at"].as_i64().unwrap() > 1_600_000_000_000);

    let (status, read) = server.get(&format!("/v1/businesses/{id}")).await;
    assert_eq!((status, &read), (200, &created));

    let mut changed = cafe();
    changed["name"] = json!("Cafe Dos");
    let (status, body) =
        server.send(Method::PUT, &format!("/v1/businesses/{id}"), Some(&stranger), Some(&changed)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("forbidden")));
    let (status, body) = server.send(Method::PUT, &format!("/v1/businesses/{id}"), None, Some(&changed)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthenticated")));
    let (status, body) =
        server.send(Method::PUT, &format!("/v1/businesses/{id}"), Some("not-a-token"), Some(&changed)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthenticated")));

    let (status, updated) =
        server.send(Method::PUT, &format!("/v1/businesses/{id}"), Some(&owner), Some(&changed)).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "Cafe Dos");
    // The detail cache was invalidated by the write.
    assert_eq!(server.get(&format!("/v1/businesses/{id}")).await.1["name"], "Cafe Dos");

    let (status, _) = server.send(Method::DELETE, &format!("/v1/businesses/{id}"), Some(&stranger), None).await;
    assert_eq!(status, 403);
    let (status, _) = server.send(Method::DELETE, &format!("/v1/businesses/{id}"), Some(&owner), None).await;
    assert_eq!(status, 204);
    let (status, body) = server.get(&format!("/v1/businesses/{id}")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn admin_token_may_change_any_business() {
    let (mut config, _dir) = embedded();
    config.admin_token = Some("admin-secret".into());
    let server = TestServer::start(config).await;
    let (_, owner) = server.user("owner").await;
    let (_, created) = server.send(Method::POST, "/v1/businesses", Some(&owner), Some(&cafe())).await;
    let id = created["id"].as_i64().unwrap();
    let mut changed = cafe();
    changed["category"] = json!("bar");
    let (status, body) =
        server.send(Method::PUT, &format!("/v1/businesses/{id}"), Some("admin-secret"), Some(&changed)).await;
    assert_eq!((status, body["category"].as_str()), (200, Some("bar")));
    let (status, _) = server.send(Method::DELETE, &format!("/v1/businesses/{id}"), Some("admin-secret"), None).await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn hostile_input_gets_clear_errors() {
    let (config, _dir) = embedded();
    let server = TestServer::start(config).await;
    let (_, token) = server.user("owner").await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"name": "x", "category": "cafe", "latitude": 91.0, "longitude": 0.0}), "invalid_field"),
        (json!({"name": "x", "category": "cafe", "latitude": 0.0, "longitude": -181.0}), "invalid_field"),
        (json!({"name": "", "category": "cafe", "latitude": 0.0, "longitude": 0.0}), "invalid_field"),
        (json!({"category": "cafe", "latitude": 0.0, "longitude": 0.0}), "invalid_body"),
        (json!({"name": "x", "category": "cafe", "latitude": "north", "longitude": 0.0}), "invalid_body"),
        (json!({"name": "x", "category": "cafe", "latitude": 0.0, "longitude": 0.0, "bogus": 1}), "invalid_body"),
        (
            json!({"name": "x", "category": "cafe", "latitude": 0.0, "longitude": 0.0, "opening_hours": "Mo-Zz 99:00"}),
            "invalid_field",
        ),
    ];
    for (body, code) in cases {
        let (status, answer) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (400, Some(code)), "{body} -> {answer}");
    }
    // Broken JSON.
    let r = server
        .client
        .post(server.url("/v1/businesses"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "invalid_json");
    // A 1 MB name is refused by the body limit before it is parsed.
    let huge = json!({"name": "n".repeat(1 << 20), "category": "cafe", "latitude": 0.0, "longitude": 0.0});
    let (status, body) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&huge)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (413, Some("payload_too_large")));
    // A name just over the field limit, inside the body limit.
    let long = json!({"name": "n".repeat(201), "category": "cafe", "latitude": 0.0, "longitude": 0.0});
    assert_eq!(server.send(Method::POST, "/v1/businesses", Some(&token), Some(&long)).await.0, 400);
    // Unknown and malformed ids, unknown routes, bad user names.
    assert_eq!(server.get("/v1/businesses/999999").await.0, 404);
    assert_eq!(server.get("/v1/businesses/abc").await.0, 404);
    assert_eq!(server.get("/v1/businesses/99999999999999999999999").await.0, 404);
    assert_eq!(server.get("/v1/nope").await.1["error"]["code"], "not_found");
    assert_eq!(server.send(Method::POST, "/v1/users", None, Some(&json!({"name": ""}))).await.0, 400);
    assert_eq!(server.send(Method::POST, "/v1/users", None, Some(&json!({"name": "a".repeat(101)}))).await.0, 400);
}

#[tokio::test]
async fn duplicate_external_id_conflicts() {
    let (config, _dir) = embedded();
    let server = TestServer::start(config).await;
    let (_, token) = server.user("owner").await;
    let mut body = cafe();
    body["external_id"] = json!("chain:42");
    assert_eq!(server.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await.0, 201);
    let (status, answer) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("duplicate")));
}

#[tokio::test]
async fn acknowledged_writes_survive_a_restart() {
    let (config, _dir) = embedded();
    let server = TestServer::start(config.clone()).await;
    let (_, token) = server.user("owner").await;
    let (_, created) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&cafe())).await;
    let id = created["id"].as_i64().unwrap();
    server.stop().await;

    let server = TestServer::start(config).await;
    let (status, read) = server.get(&format!("/v1/businesses/{id}")).await;
    assert_eq!((status, &read), (200, &created));
    // The token still works after the restart, and search sees the business.
    let mut changed = cafe();
    changed["name"] = json!("After restart");
    assert_eq!(server.send(Method::PUT, &format!("/v1/businesses/{id}"), Some(&token), Some(&changed)).await.0, 200);
    let (_, found) = server.get("/v1/search/nearby?latitude=37.7749&longitude=-122.4194&radius=500").await;
    assert!(found["businesses"].as_array().unwrap().iter().any(|b| b["id"] == id), "{found}");
}
