//! Nearby friends end to end: REST friendships and settings, and real WebSocket clients
//! against embedded servers and (with LOCUS_TEST_MYSQL_URL / LOCUS_TEST_REDIS_URL) against
//! MariaDB and Redis shared by two servers.

use locus_tests::ws::{try_connect, try_connect_to, WsClient, PATIENCE};
use locus_tests::{embedded, eventually, mysql_url, production, redis_url, TestServer};
use locus_web::config::{ServeConfig, Service};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

/// Paris, a friend 1.1 km north of it, and a place 22 km north (beyond the 5-mile radius).
const HOME: (f64, f64) = (48.8566, 2.3522);
const NEAR: (f64, f64) = (48.8666, 2.3522);
const FAR: (f64, f64) = (49.0566, 2.3522);

fn nearby_only(mut config: ServeConfig) -> ServeConfig {
    config.services = vec![Service::Nearby];
    config.no_demo = true;
    config
}

async fn embedded_server() -> (TestServer, tempfile::TempDir) {
    let (config, dir) = embedded();
    (TestServer::start(nearby_only(config)).await, dir)
}

/// Makes `a` and `b` friends through the REST API.
async fn befriend(server: &TestServer, a: (i64, &str), b: (i64, &str)) {
    let (status, request) =
        server.send(Method::POST, "/v1/friends/requests", Some(a.1), Some(&json!({"user_id": b.0}))).await;
    assert_eq!(status, 201, "{request}");
    assert_eq!((request["status"].as_str(), request["to_user"].as_i64()), (Some("pending"), Some(b.0)));
    let id = request["id"].as_i64().expect("request id");
    let (status, accepted) =
        server.send(Method::POST, &format!("/v1/friends/requests/{id}/accept"), Some(b.1), None).await;
    assert_eq!((status, accepted["status"].as_str()), (200, Some("accepted")), "{accepted}");
}

fn ids(nearby: &Value) -> Vec<i64> {
    nearby["friends"].as_array().expect("friends").iter().map(|f| f["id"].as_i64().expect("id")).collect()
}

#[tokio::test]
async fn friend_requests_and_their_errors() {
    let (server, _dir) = embedded_server().await;
    let (a, ta) = server.user("ana").await;
    let (b, tb) = server.user("ben").await;
    let (c, tc) = server.user("cy").await;

    // No token, a bad token, unknown users, oneself.
    assert_eq!(server.send(Method::GET, "/v1/friends", None, None).await.0, 401);
    assert_eq!(server.send(Method::GET, "/v1/friends", Some("nope"), None).await.0, 401);
    let ask = |token: String, to: Value| {
        let server = &server;
        async move { server.send(Method::POST, "/v1/friends/requests", Some(&token), Some(&json!({"user_id": to}))).await }
    };
    assert_eq!(ask(ta.clone(), json!(999_999)).await.0, 404);
    assert_eq!(ask(ta.clone(), json!(a)).await.1["error"]["code"], "invalid_field");
    assert_eq!(ask(ta.clone(), json!("b")).await.0, 400);

    // A asks B; asking again conflicts; C cannot accept it; B can.
    let (status, request) = ask(ta.clone(), json!(b)).await;
    assert_eq!(status, 201);
    let id = request["id"].as_i64().unwrap();
    assert_eq!(ask(ta.clone(), json!(b)).await.1["error"]["code"], "request_exists");
    let (_, pending) = server.send(Method::GET, "/v1/friends/requests", Some(&tb), None).await;
    assert_eq!(pending["incoming"][0]["from_user"], a);
    let accept = format!("/v1/friends/requests/{id}/accept");
    assert_eq!(server.send(Method::POST, &accept, Some(&tc), None).await.0, 404);
    assert_eq!(server.send(Method::POST, &accept, Some(&ta), None).await.0, 404, "the sender cannot accept");
    assert_eq!(server.send(Method::POST, &accept, Some(&tb), None).await.0, 200);
    assert_eq!(server.send(Method::POST, &accept, Some(&tb), None).await.0, 404, "accepted once");
    assert_eq!(ask(ta.clone(), json!(b)).await.1["error"]["code"], "already_friends");

    let (status, friends) = server.send(Method::GET, "/v1/friends", Some(&ta), None).await;
    assert_eq!((status, friends), (200, json!({"friends": [{"id": b, "name": "ben"}]})));
    let (_, friends) = server.send(Method::GET, "/v1/friends", Some(&tb), None).await;
    assert_eq!(friends, json!({"friends": [{"id": a, "name": "ana"}]}));

    // Crossed requests: C asks A, then A asks C: that accepts C's request.
    assert_eq!(ask(tc.clone(), json!(a)).await.0, 201);
    let (status, crossed) = ask(ta.clone(), json!(c)).await;
    assert_eq!((status, crossed["status"].as_str()), (201, Some("accepted")));
    assert_eq!(
        server.send(Method::GET, "/v1/friends", Some(&ta), None).await.1["friends"].as_array().unwrap().len(),
        2
    );

    // Unfriending works once; declining removes a request.
    assert_eq!(server.send(Method::DELETE, &format!("/v1/friends/{c}"), Some(&ta), None).await.0, 204);
    assert_eq!(server.send(Method::DELETE, &format!("/v1/friends/{c}"), Some(&ta), None).await.0, 404);
    let (_, again) = ask(tc.clone(), json!(a)).await;
    let decline = format!("/v1/friends/requests/{}", again["id"]);
    assert_eq!(server.send(Method::DELETE, &decline, Some(&tb), None).await.0, 404, "not B's request");
    assert_eq!(server.send(Method::DELETE, &decline, Some(&ta), None).await.0, 204);
    assert_eq!(server.send(Method::GET, "/v1/friends/requests", Some(&ta), None).await.1["incoming"], json!([]));

    // Settings: defaults, validation, partial updates.
    let (_, settings) = server.send(Method::GET, "/v1/nearby/settings", Some(&ta), None).await;
    assert_eq!(settings, json!({"radius_m": 8046.72, "sharing": true, "strangers": false}));
    for bad in [json!({"radius_m": -1}), json!({"radius_m": 1e9}), json!({"radius_m": "far"}), json!({"colour": 1})] {
        assert_eq!(server.send(Method::PUT, "/v1/nearby/settings", Some(&ta), Some(&bad)).await.0, 400, "{bad}");
    }
    let (status, settings) =
        server.send(Method::PUT, "/v1/nearby/settings", Some(&ta), Some(&json!({"radius_m": 1000}))).await;
    assert_eq!((status, settings), (200, json!({"radius_m": 1000.0, "sharing": true, "strangers": false})));
}

#[tokio::test]
async fn friend_cap_is_enforced() {
    let (mut config, _dir) = embedded();
    config.nearby_max_friends = 2;
    let server = TestServer::start(nearby_only(config)).await;
    let (hub, th) = server.user("hub").await;
    for i in 0..2 {
        let (f, tf) = server.user(&format!("f{i}")).await;
        befriend(&server, (hub, &th), (f, &tf)).await;
    }
    let (_x, tx) = server.user("x").await;
    let (status, body) =
        server.send(Method::POST, "/v1/friends/requests", Some(&tx), Some(&json!({"user_id": hub}))).await;
    let request = body["id"].as_i64().unwrap_or_default();
    assert_eq!(status, 201, "asking is allowed; accepting is not");
    let (status, body) =
        server.send(Method::POST, &format!("/v1/friends/requests/{request}/accept"), Some(&th), None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("friend_limit")));
}

#[tokio::test]
async fn friends_see_each_other_within_the_radius_and_strangers_see_nothing() {
    let (server, _dir) = embedded_server().await;
    let (a, ta) = server.user("ana").await;
    let (b, tb) = server.user("ben").await;
    let (_c, tc) = server.user("cy").await;
    befriend(&server, (a, &ta), (b, &tb)).await;

    let mut ana = WsClient::connect(&server, &ta).await;
    assert_eq!(ids(&ana.init(HOME.0, HOME.1).await), Vec::<i64>::new(), "ben is not online yet");
    let mut cy = WsClient::connect(&server, &tc).await;
    assert_eq!(ids(&cy.init(NEAR.0, NEAR.1).await), Vec::<i64>::new());

    // Ben comes online near Ana: his init answer has her; she hears of him.
    let mut ben = try_connect(&server, Some(&tb), true).await.expect("a bearer header works too");
    let nearby = ben.init(NEAR.0, NEAR.1).await;
    assert_eq!(ids(&nearby), vec![a]);
    let d = nearby["friends"][0]["distance_m"].as_f64().unwrap();
    assert!((d - 1112.0).abs() < 5.0, "{d}");
    assert!(nearby["friends"][0]["updated_at"].as_i64().unwrap() > 0);
    let seen = ana.expect("friend_location").await;
    assert_eq!((seen["id"].as_i64(), seen["latitude"].as_f64()), (Some(b), Some(NEAR.0)));
    assert!(seen["timestamp"].as_i64().unwrap() > 0);

    // Ben moves beyond the radius: gone; back: seen again.
    ben.location(FAR.0, FAR.1).await;
    assert_eq!(ana.expect("friend_gone").await["id"], b);
    assert_eq!(ben.expect("friend_gone").await["id"], a, "Ana is out of Ben's radius too");
    let now = locus_core::db::now_ms();
    ben.send_json(json!({"type": "location", "latitude": NEAR.0, "longitude": NEAR.1, "timestamp": now})).await;
    assert_eq!(ana.expect("friend_location").await["id"], b);
    assert_eq!(ben.expect("friend_location").await["id"], a, "Ana came back into Ben's view");

    // Cy, a stranger right beside them, heard nothing at all.
    assert_eq!(cy.drain(Duration::from_millis(300)).await, Vec::<Value>::new());

    // A smaller radius on Ana's side hides Ben from her at once.
    server.send(Method::PUT, "/v1/nearby/settings", Some(&ta), Some(&json!({"radius_m": 500}))).await;
    assert_eq!(ana.expect("friend_gone").await["id"], b);
    ben.location(NEAR.0, NEAR.1).await;
    assert_eq!(ana.drain(Duration::from_millis(300)).await, Vec::<Value>::new(), "1.1 km is beyond 500 m");

    // Sharing off: Ben vanishes from Ana's friends (with a wider radius again) and stays away.
    server.send(Method::PUT, "/v1/nearby/settings", Some(&ta), Some(&json!({"radius_m": 8000}))).await;
    assert_eq!(ana.expect("friend_location").await["id"], b);
    server.send(Method::PUT, "/v1/nearby/settings", Some(&tb), Some(&json!({"sharing": false}))).await;
    assert_eq!(ana.expect("friend_gone").await["id"], b);
    ben.location(NEAR.0 + 0.001, NEAR.1).await;
    assert_eq!(ana.drain(Duration::from_millis(300)).await, Vec::<Value>::new());
    let mut ana2 = WsClient::connect(&server, &ta).await;
    assert_eq!(ids(&ana2.init(HOME.0, HOME.1).await), Vec::<i64>::new(), "not in the cache either");
}

#[tokio::test]
async fn friendship_changes_reach_live_connections() {
    let (server, _dir) = embedded_server().await;
    let (a, ta) = server.user("ana").await;
    let (b, tb) = server.user("ben").await;
    let mut ana = WsClient::connect(&server, &ta).await;
    let mut ben = WsClient::connect(&server, &tb).await;
    ana.init(HOME.0, HOME.1).await;
    ben.init(NEAR.0, NEAR.1).await;

    befriend(&server, (a, &ta), (b, &tb)).await;
    // Each is told of the new friend and, both being online and near, sees the other.
    for (client, other) in [(&mut ana, b), (&mut ben, a)] {
        assert_eq!(client.expect("subscribe").await["id"], other);
        assert_eq!(client.expect("friend_location").await["id"], other);
    }
    ben.location(NEAR.0, NEAR.1 + 0.001).await;
    assert_eq!(ana.expect("friend_location").await["longitude"], NEAR.1 + 0.001);

    server.send(Method::DELETE, &format!("/v1/friends/{a}"), Some(&tb), None).await;
    for (client, other) in [(&mut ana, b), (&mut ben, a)] {
        assert_eq!(client.expect("friend_gone").await["id"], other);
        assert_eq!(client.expect("unsubscribe").await["id"], other);
    }
    ben.location(NEAR.0, NEAR.1).await;
    assert_eq!(ana.drain(Duration::from_millis(300)).await, Vec::<Value>::new(), "no longer friends");
}

#[tokio::test]
async fn inactive_friends_expire_after_the_ttl() {
    let (mut config, _dir) = embedded();
    config.nearby_ttl_s = 1;
    let server = TestServer::start(nearby_only(config)).await;
    let (a, ta) = server.user("ana").await;
    let (b, tb) = server.user("ben").await;
    befriend(&server, (a, &ta), (b, &tb)).await;
    let mut ana = WsClient::connect(&server, &ta).await;
    let mut ben = WsClient::connect(&server, &tb).await;
    ana.init(HOME.0, HOME.1).await;
    ben.init(NEAR.0, NEAR.1).await;
    assert_eq!(ana.expect("friend_location").await["id"], b);
    // Ben goes quiet (still connected): within about a TTL he is gone from Ana's map and
    // from the cache.
    let gone = ana.next_within(Duration::from_secs(3)).await.expect("a message within 3 s");
    assert_eq!((gone["type"].as_str(), gone["id"].as_i64()), (Some("friend_gone"), Some(b)));
    let mut ana2 = WsClient::connect(&server, &ta).await;
    assert_eq!(ids(&ana2.init(HOME.0, HOME.1).await), Vec::<i64>::new());
    drop(ben);
}

#[tokio::test]
async fn hostile_clients_get_errors_then_a_policy_close_and_the_server_stays_healthy() {
    let (server, _dir) = embedded_server().await;
    let (a, ta) = server.user("ana").await;
    let (b, tb) = server.user("ben").await;
    befriend(&server, (a, &ta), (b, &tb)).await;

    // No token, a wrong one, on the URL and in the header.
    assert_eq!(try_connect(&server, None, false).await.err(), Some(401));
    assert_eq!(try_connect(&server, Some("0000"), false).await.err(), Some(401));
    assert_eq!(try_connect(&server, Some("0000"), true).await.err(), Some(401));

    let mut ana = WsClient::connect(&server, &ta).await;
    ana.init(HOME.0, HOME.1).await;
    let mut ben = WsClient::connect(&server, &tb).await;
    ben.init(NEAR.0, NEAR.1).await;
    ana.expect("friend_location").await;

    // Each bad message gets its error code; none reaches the friend.
    let cases = [
        ("{not json".to_owned(), "invalid_json"),
        (json!({"type": "teleport"}).to_string(), "unknown_type"),
        (json!({"type": "location", "latitude": 95.0, "longitude": 2.0}).to_string(), "invalid_coordinates"),
        (
            json!({"type": "location", "latitude": 48.0, "longitude": 2.0, "timestamp": 5}).to_string(),
            "invalid_timestamp",
        ),
        // A forged sender: the server never takes an id from the client.
        (json!({"type": "location", "id": a, "latitude": 48.0, "longitude": 2.0}).to_string(), "invalid_message"),
        (
            format!(r#"{{"type":"location","latitude":48.0,"longitude":2.0,"pad":"{}"}}"#, "x".repeat(5000)),
            "message_too_large",
        ),
    ];
    for (text, code) in &cases {
        ben.send_text(text).await;
        let error = ben.expect("error").await;
        assert_eq!(error["code"], *code, "{}", &text[..text.len().min(80)]);
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        tokio::time::sleep(Duration::from_millis(250)).await; // stay under the rate limit
    }
    assert_eq!(ana.drain(Duration::from_millis(300)).await, Vec::<Value>::new());

    // Repeated breaches close the connection with 1008.
    for _ in 0..10 {
        ben.send_text("{").await;
    }
    assert_eq!(ben.expect_close().await, 1008);

    // A flood: beyond 5 messages a second, `rate_limited` errors, then a 1008 close.
    let mut flood = WsClient::connect(&server, &tb).await;
    for i in 0..40 {
        flood.location(NEAR.0 + f64::from(i) * 1e-5, NEAR.1).await;
    }
    let mut refused = 0;
    let close = loop {
        match flood.next_within(PATIENCE).await {
            Ok(m) if m["code"] == "rate_limited" => refused += 1,
            Ok(_) => {}
            Err(close) => break close,
        }
    };
    assert!(refused >= 5, "{refused} refusals");
    assert_eq!(close, Some(1008), "refusals in a row end in a policy close");

    // The server is fine and a well-behaved client still works.
    assert_eq!(server.get("/health/live").await.0, 200);
    let mut ana2 = WsClient::connect(&server, &ta).await;
    assert_eq!(ids(&ana2.init(HOME.0, HOME.1).await), vec![b]);
    let metrics = server.get_text("/metrics").await.1;
    assert!(metrics.contains("locus_nearby_messages_total{direction=\"in\",type=\"refused\"}"), "{metrics}");
    assert!(metrics.contains("locus_nearby_connections"));
}

#[tokio::test]
async fn a_revoked_token_is_refused_and_its_connections_close() {
    let (server, _dir) = embedded_server().await;
    let (_a, ta) = server.user("ana").await;
    let mut ana = WsClient::connect(&server, &ta).await;
    ana.init(HOME.0, HOME.1).await;
    let (status, rotated) = server.send(Method::POST, "/v1/users/me/token", Some(&ta), None).await;
    assert_eq!(status, 200);
    let fresh = rotated["token"].as_str().expect("a new token").to_owned();
    assert_eq!(ana.expect_close().await, 1008, "the live connection of the old token closes");
    assert_eq!(try_connect(&server, Some(&ta), false).await.err(), Some(401));
    assert_eq!(server.send(Method::GET, "/v1/friends", Some(&ta), None).await.0, 401);
    assert_eq!(server.send(Method::GET, "/v1/friends", Some(&fresh), None).await.0, 200);
    WsClient::connect(&server, &fresh).await.init(HOME.0, HOME.1).await;
}

#[tokio::test]
async fn shutdown_closes_sockets_with_1001_and_keeps_every_acknowledged_update() {
    let (mut config, dir) = embedded();
    config = nearby_only(config);
    let server = TestServer::start(config.clone()).await;
    let (_a, ta) = server.user("ana").await;
    let mut ana = WsClient::connect(&server, &ta).await;
    ana.init(HOME.0, HOME.1).await;
    for i in 0..4 {
        ana.location(HOME.0 + f64::from(i) * 1e-4, HOME.1).await;
    }
    // The updates were taken (no error came back) before the shutdown starts.
    assert_eq!(ana.drain(Duration::from_millis(300)).await, Vec::<Value>::new());
    let stopping = tokio::spawn(server.stop());
    assert_eq!(ana.expect_close().await, 1001);
    stopping.await.expect("the server stops");

    // init + 4 locations, all in the history after a restart.
    let restarted = TestServer::start(config).await;
    let db = locus_core::db::Database::connect(&locus_core::db::Database::sqlite_url(dir.path())).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM location_history").fetch_one(db.pool()).await.unwrap();
    assert_eq!(rows, 5);
    drop(restarted);
}

#[tokio::test]
async fn two_servers_sharing_mysql_and_redis_deliver_across() {
    let (Some(mysql), Some(redis)) = (mysql_url(), redis_url()) else { return };
    let (config, _) = production(&mysql, &redis).await;
    let config = nearby_only(config);
    let one = TestServer::start(config.clone()).await;
    let two = TestServer::start(config.clone()).await;
    let (a, ta) = one.user("ana").await;
    let (b, tb) = one.user("ben").await;
    let (_c, tc) = two.user("cy").await;
    befriend(&two, (a, &ta), (b, &tb)).await;

    let mut ana = WsClient::connect(&one, &ta).await;
    let mut ben = WsClient::connect(&two, &tb).await;
    let mut cy = WsClient::connect(&two, &tc).await;
    ana.init(HOME.0, HOME.1).await;
    cy.init(HOME.0, HOME.1).await;
    assert_eq!(ids(&ben.init(NEAR.0, NEAR.1).await), vec![a], "Ana's location is in the shared Redis");
    assert_eq!(ana.expect("friend_location").await["id"], b, "across servers over Redis pub/sub");
    for i in 1..=3 {
        ben.location(NEAR.0 + f64::from(i) * 1e-4, NEAR.1).await;
        let seen = ana.expect("friend_location").await;
        assert!((seen["latitude"].as_f64().unwrap() - (NEAR.0 + f64::from(i) * 1e-4)).abs() < 1e-9);
    }
    // A friendship change made through server one reaches Ben's socket on server two.
    one.send(Method::DELETE, &format!("/v1/friends/{b}"), Some(&ta), None).await;
    assert_eq!(ben.expect("friend_gone").await["id"], a);
    assert_eq!(ben.expect("unsubscribe").await["id"], a);
    assert_eq!(cy.drain(Duration::from_millis(300)).await, Vec::<Value>::new());

    // The history is in MySQL once the servers drain.
    drop((ana, ben, cy));
    one.stop().await;
    two.stop().await;
    let db = locus_core::db::Database::connect(config.mysql_url.as_deref().unwrap()).await.unwrap();
    let rows = eventually(PATIENCE, || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM location_history").fetch_one(db.pool()).await.unwrap();
        n == 6
    })
    .await;
    assert!(rows.is_some(), "init x3 + 3 updates of Ben");
}

#[tokio::test]
async fn two_servers_deliver_across_over_redis_cluster_sharded_channels() {
    let (Some(mysql), Some(redis)) = (mysql_url(), redis_url()) else { return };
    let cluster: Vec<String> = std::env::var("LOCUS_TEST_REDIS_CLUSTER")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_owned())
        .collect();
    if cluster.is_empty() {
        assert!(std::env::var_os("CI").is_none(), "CI must set LOCUS_TEST_REDIS_CLUSTER (scripts/test.sh does)");
        eprintln!("note: LOCUS_TEST_REDIS_CLUSTER is not set; skipping");
        return;
    }
    let (mut config, _) = production(&mysql, &redis).await;
    config.redis_cluster = cluster.clone();
    let config = nearby_only(config);
    let one = TestServer::start(config.clone()).await;
    let two = TestServer::start(config.clone()).await;
    let mut users = Vec::new();
    for name in ["ana", "ben", "cy", "di"] {
        users.push(one.user(name).await);
    }
    // Ana is friends with everyone else; they connect to server two, she to server one.
    let (a, ta) = users[0].clone();
    for (f, tf) in &users[1..] {
        befriend(&one, (a, &ta), (*f, tf)).await;
    }
    let mut ana = WsClient::connect(&one, &ta).await;
    ana.init(HOME.0, HOME.1).await;
    let mut friends = Vec::new();
    for (_, tf) in &users[1..] {
        let mut client = WsClient::connect(&two, tf).await;
        assert_eq!(ids(&client.init(NEAR.0, NEAR.1).await), vec![a]);
        friends.push(client);
    }
    let mut heard = Vec::new();
    for _ in 0..3 {
        heard.push(ana.expect("friend_location").await["id"].as_i64().unwrap());
    }
    heard.sort_unstable();
    assert_eq!(heard, users[1..].iter().map(|u| u.0).collect::<Vec<_>>(), "every friend's move crossed the cluster");
    ana.location(HOME.0 + 0.001, HOME.1).await;
    for client in &mut friends {
        assert_eq!(client.expect("friend_location").await["id"], a);
    }

    // The channels are sharded channels on the cluster's masters, not classic ones.
    let mut sharded = 0;
    for node in &cluster {
        let client = redis::Client::open(format!("redis://{node}")).expect("a node URL");
        let mut conn = client.get_multiplexed_async_connection().await.expect("a cluster node");
        let names: Vec<String> =
            redis::cmd("PUBSUB").arg("SHARDCHANNELS").arg("*nearby:loc:*").query_async(&mut conn).await.unwrap();
        sharded += names.iter().filter(|n| n.starts_with(&config.redis_namespace)).count();
    }
    assert!(sharded >= 4, "{sharded} sharded location channels of this test on the cluster");
}

#[tokio::test]
async fn nearby_strangers_see_only_each_other_and_only_when_opted_in() {
    let (server, _dir) = embedded_server().await;
    let (a, ta) = server.user("ana").await;
    let (b, tb) = server.user("ben").await;
    let (_c, tc) = server.user("cy").await;
    let (d, td) = server.user("di").await;
    befriend(&server, (a, &ta), (d, &td)).await;
    let opt_in = json!({"strangers": true});
    for token in [&ta, &tb, &td] {
        let (status, settings) = server.send(Method::PUT, "/v1/nearby/settings", Some(token), Some(&opt_in)).await;
        assert_eq!((status, settings["strangers"].as_bool()), (200, Some(true)));
    }

    let mut ana = WsClient::connect(&server, &ta).await;
    ana.init(HOME.0, HOME.1).await;
    let mut cy = WsClient::connect(&server, &tc).await;
    cy.init(NEAR.0, NEAR.1).await;
    // Ben, an opted-in stranger, appears to Ana; Cy, not opted in, appears to nobody and sees nobody.
    let mut ben = WsClient::connect(&server, &tb).await;
    ben.init(NEAR.0, NEAR.1).await;
    let seen = ana.expect("stranger_location").await;
    assert_eq!((seen["id"].as_i64(), seen["latitude"].as_f64()), (Some(b), Some(NEAR.0)));
    ana.location(HOME.0, HOME.1 + 0.0005).await;
    assert_eq!(ben.expect("stranger_location").await["id"], a);
    cy.location(NEAR.0, NEAR.1 + 0.0005).await;
    assert_eq!(ana.drain(Duration::from_millis(300)).await, Vec::<Value>::new(), "Cy did not opt in");
    assert_eq!(cy.drain(Duration::from_millis(100)).await, Vec::<Value>::new(), "nor does Cy see strangers");

    // Di, a friend who also opted in, is a friend to Ana, never a stranger.
    let mut di = WsClient::connect(&server, &td).await;
    di.init(NEAR.0, NEAR.1).await;
    let got = ana.drain(Duration::from_millis(500)).await;
    assert!(got.iter().any(|m| m["type"] == "friend_location" && m["id"] == d), "{got:?}");
    assert!(!got.iter().any(|m| m["type"] == "stranger_location" && m["id"] == d), "{got:?}");

    // Far away, then opted out: gone.
    ben.location(FAR.0, FAR.1).await;
    assert_eq!(ana.expect("stranger_gone").await["id"], b);
    ben.location(NEAR.0, NEAR.1).await;
    assert_eq!(ana.expect("stranger_location").await["id"], b);
    server.send(Method::PUT, "/v1/nearby/settings", Some(&tb), Some(&json!({"strangers": false}))).await;
    assert_eq!(ana.expect("stranger_gone").await["id"], b);
    ben.location(NEAR.0, NEAR.1 + 0.001).await;
    assert_eq!(ana.drain(Duration::from_millis(300)).await, Vec::<Value>::new(), "Ben opted out");
    assert_eq!(cy.drain(Duration::from_millis(100)).await, Vec::<Value>::new());
}

/// A `locus serve --services nearby` process of the real binary.
struct Process {
    child: std::process::Child,
    base: String,
}

impl Process {
    async fn start(mysql_url: &str, redis: &str, namespace: &str, data_dir: &std::path::Path) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new(locus_tests::locus_binary())
            .args(["serve", "--services", "nearby", "--no-demo", "--addr", &format!("127.0.0.1:{port}")])
            .args(["--mysql-url", mysql_url, "--redis-url", redis, "--redis-namespace", namespace])
            .arg("--data-dir")
            .arg(data_dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start locus serve");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let up = eventually(Duration::from_secs(30), || async {
            client.get(format!("{base}/health/live")).send().await.is_ok_and(|r| r.status() == 200)
        })
        .await;
        assert!(up.is_some(), "locus serve did not come up on {base}");
        Process { child, base }
    }

    /// SIGTERM, then the exit status.
    fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("run kill");
        assert!(sent.success());
        self.child.wait().expect("wait for locus serve")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[tokio::test]
async fn two_locus_processes_share_redis_and_drain_on_sigterm() {
    let (Some(mysql), Some(redis)) = (mysql_url(), redis_url()) else { return };
    let (config, dir) = production(&mysql, &redis).await;
    let url = config.mysql_url.clone().unwrap();
    let one = Process::start(&url, &redis, &config.redis_namespace, &dir.join("one")).await;
    let mut two = Process::start(&url, &redis, &config.redis_namespace, &dir.join("two")).await;
    let http = reqwest::Client::new();
    let mut users = Vec::new();
    for name in ["ana", "ben"] {
        let r = http.post(format!("{}/v1/users", one.base)).json(&json!({"name": name})).send().await.unwrap();
        let body: Value = r.json().await.unwrap();
        users.push((body["id"].as_i64().unwrap(), body["token"].as_str().unwrap().to_owned()));
    }
    let ((a, ta), (b, tb)) = (users[0].clone(), users[1].clone());
    let asked: Value = http
        .post(format!("{}/v1/friends/requests", two.base))
        .bearer_auth(&ta)
        .json(&json!({"user_id": b}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let accept = format!("{}/v1/friends/requests/{}/accept", one.base, asked["id"]);
    assert_eq!(http.post(accept).bearer_auth(&tb).send().await.unwrap().status(), 200);

    let mut ana = try_connect_to(&one.base, Some(&ta), false).await.expect("ana on process one");
    let mut ben = try_connect_to(&two.base, Some(&tb), true).await.expect("ben on process two");
    ana.init(HOME.0, HOME.1).await;
    assert_eq!(ids(&ben.init(NEAR.0, NEAR.1).await), vec![a]);
    assert_eq!(ana.expect("friend_location").await["id"], b, "from process two to process one");
    for i in 1..=3 {
        ben.location(NEAR.0 + f64::from(i) * 1e-4, NEAR.1).await;
        assert_eq!(ana.expect("friend_location").await["id"], b);
    }
    // SIGTERM to process two: Ben's socket closes with 1001, the process exits cleanly, and
    // every update it took is in MySQL.
    let status = two.terminate();
    assert_eq!(ben.expect_close().await, 1001);
    assert!(status.success(), "{status}");
    let db = locus_core::db::Database::connect(&url).await.unwrap();
    let bens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM location_history WHERE user_id = ?")
        .bind(b)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(bens, 4, "init + 3 updates, written before exit");
    drop(one);
}
