//! Production mode: MariaDB + Redis, several instances sharing them.

use locus_lbs::IndexKind;
use locus_tests::{eventually, mysql_url, production, redis_url, TestServer};
use locus_web::config::Service;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn split_services_share_mysql_and_redis() {
    let (Some(mysql), Some(redis)) = (mysql_url(), redis_url()) else { return };
    let (mut config, _) = production(&mysql, &redis).await;
    config.change_poll_ms = 1000;
    let mut business = config.clone();
    business.services = vec![Service::Business];
    let mut lbs_a = config.clone();
    lbs_a.services = vec![Service::Lbs];
    let mut lbs_b = lbs_a.clone();
    lbs_b.index = IndexKind::RTree;
    let mut lbs_geo = lbs_a.clone();
    lbs_geo.index = IndexKind::Geohash;
    let business = TestServer::start(business).await;
    let searchers = [TestServer::start(lbs_a).await, TestServer::start(lbs_b).await, TestServer::start(lbs_geo).await];

    // A business-only process does not serve search, and a search-only one takes no writes.
    assert_eq!(business.get("/v1/search/nearby?latitude=0&longitude=0").await.0, 404);
    assert_eq!(searchers[0].send(Method::POST, "/v1/users", None, Some(&json!({"name": "x"}))).await.0, 404);

    let (_, token) = business.user("owner").await;
    let near = "/v1/search/nearby?latitude=52.52&longitude=13.405&radius=2000";
    for s in &searchers {
        assert_eq!(s.get(near).await.1["total"], 0);
    }
    let mut ids = Vec::new();
    for i in 0..5 {
        let body = json!({"name": format!("Berlin {i}"), "category": "cafe", "latitude": 52.52 + i as f64 * 0.001, "longitude": 13.405});
        let (status, created) = business.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await;
        assert_eq!(status, 201, "{created}");
        ids.push(created["id"].as_i64().unwrap());
    }
    for s in &searchers {
        let took = eventually(Duration::from_secs(5), || async { s.get(near).await.1["total"] == 5 }).await;
        assert!(took.is_some(), "a search instance did not see the writes within 5 s");
    }
    // Stateless: every instance gives the same answer.
    let answers: Vec<_> = futures::future::join_all(searchers.iter().map(|s| s.get(near))).await;
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");

    // The detail cache in Redis is shared and invalidated on write.
    let id = ids[0];
    assert_eq!(searchers[0].get(near).await.1["businesses"][0]["name"], "Berlin 0");
    let body = json!({"name": "Renamed", "category": "cafe", "latitude": 52.52, "longitude": 13.405});
    assert_eq!(business.send(Method::PUT, &format!("/v1/businesses/{id}"), Some(&token), Some(&body)).await.0, 200);
    assert_eq!(business.get(&format!("/v1/businesses/{id}")).await.1["name"], "Renamed");
    for s in &searchers {
        let ok =
            eventually(Duration::from_secs(5), || async { s.get(near).await.1["businesses"][0]["name"] == "Renamed" })
                .await;
        assert!(ok.is_some());
    }
    // Deletes propagate too.
    assert_eq!(business.send(Method::DELETE, &format!("/v1/businesses/{id}"), Some(&token), None).await.0, 204);
    for s in &searchers {
        assert!(eventually(Duration::from_secs(5), || async { s.get(near).await.1["total"] == 4 }).await.is_some());
    }
}

#[tokio::test]
async fn writes_survive_a_restart_on_mysql() {
    let (Some(mysql), Some(redis)) = (mysql_url(), redis_url()) else { return };
    let (config, _) = production(&mysql, &redis).await;
    let server = TestServer::start(config.clone()).await;
    let (_, token) = server.user("owner").await;
    let body =
        json!({"name": "Durable", "category": "shop", "latitude": -33.86, "longitude": 151.2, "opening_hours": "24/7"});
    let (_, created) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await;
    server.stop().await;
    let server = TestServer::start(config).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(server.get(&format!("/v1/businesses/{id}")).await.1, created);
    let (_, found) = server.get("/v1/search/nearby?latitude=-33.86&longitude=151.2&radius=500&open_now=true").await;
    assert_eq!(found["total"], 1);
}

/// A private Redis on its own port that the test can stop and start.
struct OwnRedis {
    port: u16,
    child: Option<std::process::Child>,
}

impl OwnRedis {
    fn start(port: u16) -> OwnRedis {
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server is installed (scripts/test.sh installs it)");
        let mut redis = OwnRedis { port, child: Some(child) };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = redis.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            assert!(exited.is_none(), "redis-server exited at start ({exited:?}); is port {port} taken?");
            assert!(std::time::Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        redis
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test]
async fn redis_outage_degrades_and_recovers() {
    let (Some(mysql), Some(_)) = (mysql_url(), redis_url()) else { return };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut redis = OwnRedis::start(port);
    let url = format!("redis://127.0.0.1:{}", redis.port);
    let (mut config, _) = production(&mysql, &url).await;
    config.index = IndexKind::Geohash;
    config.change_poll_ms = 300;
    let server = TestServer::start(config).await;
    let (_, token) = server.user("owner").await;
    let body = json!({"name": "Resilient", "category": "cafe", "latitude": 35.68, "longitude": 139.69});
    let (_, created) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await;
    let id = created["id"].as_i64().unwrap();
    let near = "/v1/search/nearby?latitude=35.68&longitude=139.69&radius=500";
    assert!(eventually(Duration::from_secs(5), || async { server.get(near).await.1["total"] == 1 }).await.is_some());

    redis.stop();
    // Reads and searches fall back to MySQL; writes still commit and still reach search
    // through the change table.
    assert_eq!(server.get(&format!("/v1/businesses/{id}")).await.0, 200);
    assert_eq!(server.get(near).await.1["total"], 1);
    let second =
        json!({"name": "Written while Redis is away", "category": "cafe", "latitude": 35.6801, "longitude": 139.69});
    let (status, _) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&second)).await;
    assert_eq!(status, 201);
    assert!(eventually(Duration::from_secs(5), || async { server.get(near).await.1["total"] == 2 }).await.is_some());
    assert_eq!(server.get("/health/live").await.0, 200);

    // Redis comes back: the cache and the announcements work again without a restart.
    let redis = OwnRedis::start(port);
    let third = json!({"name": "After recovery", "category": "cafe", "latitude": 35.6802, "longitude": 139.69});
    assert_eq!(server.send(Method::POST, "/v1/businesses", Some(&token), Some(&third)).await.0, 201);
    assert!(eventually(Duration::from_secs(5), || async { server.get(near).await.1["total"] == 3 }).await.is_some());
    let text = server.client.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("result=\"error\""), "cache errors were counted");
    drop(redis);
}

/// A private MariaDB server in a temporary data directory that the test can stop and start.
struct OwnMariadb {
    dir: tempfile::TempDir,
    port: u16,
    child: Option<std::process::Child>,
}

impl OwnMariadb {
    fn install() -> OwnMariadb {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mariadb-install-db")
            .args(["--no-defaults", "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"])
            .arg(format!("--datadir={}", dir.path().join("data").display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("mariadb-install-db is installed (scripts/test.sh installs mariadb-server)");
        assert!(status.success());
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        OwnMariadb { dir, port, child: None }
    }

    fn start(&mut self) {
        // Debian installs it in /usr/sbin, which a non-root PATH may lack.
        let binary =
            if std::path::Path::new("/usr/sbin/mariadbd").exists() { "/usr/sbin/mariadbd" } else { "mariadbd" };
        let child = std::process::Command::new(binary)
            .args(["--no-defaults", "--user=root", "--bind-address=127.0.0.1", "--skip-log-error"])
            .arg(format!("--port={}", self.port))
            .arg(format!("--datadir={}", self.dir.path().join("data").display()))
            .arg(format!("--socket={}", self.dir.path().join("sock").display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("mariadbd");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            let exited = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            assert!(exited.is_none(), "mariadbd exited at start ({exited:?}); is port {} taken?", self.port);
            assert!(std::time::Instant::now() < deadline, "mariadbd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn url(&self) -> String {
        format!("mysql://root@127.0.0.1:{}/mysql", self.port)
    }
}

impl Drop for OwnMariadb {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test]
async fn mysql_outage_degrades_and_recovers() {
    let (Some(_), Some(redis)) = (mysql_url(), redis_url()) else { return };
    let mut mariadb = OwnMariadb::install();
    mariadb.start();
    let (mut config, _) = production(&mariadb.url(), &redis).await;
    config.change_poll_ms = 300;
    let server = TestServer::start(config).await;
    let (_, token) = server.user("owner").await;
    let body = json!({"name": "Before", "category": "cafe", "latitude": -23.55, "longitude": -46.63});
    assert_eq!(server.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await.0, 201);
    let near = "/v1/search/nearby?latitude=-23.55&longitude=-46.63&radius=500";
    assert!(eventually(Duration::from_secs(5), || async { server.get(near).await.1["total"] == 1 }).await.is_some());
    // Let the write's delayed second cache eviction pass, then warm the detail cache.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(server.get(near).await.1["total"], 1);

    mariadb.stop();
    // Still alive, honestly not ready, and every answer is a clear JSON error or a result.
    assert_eq!(server.get("/health/live").await.0, 200);
    assert_eq!(server.get("/health/ready").await.0, 503);
    let (status, answer) = server.send(Method::POST, "/v1/businesses", Some(&token), Some(&body)).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (503, Some("unavailable")), "{answer}");
    // Search runs from memory and hydrates from the Redis detail cache.
    let (status, found) = server.get(near).await;
    assert_eq!((status, found["total"].as_u64()), (200, Some(1)), "{found}");

    mariadb.start();
    assert!(eventually(Duration::from_secs(20), || async { server.get("/health/ready").await.0 == 200 })
        .await
        .is_some());
    let after = json!({"name": "After", "category": "cafe", "latitude": -23.5501, "longitude": -46.63});
    assert!(
        eventually(Duration::from_secs(10), || async {
            server.send(Method::POST, "/v1/businesses", Some(&token), Some(&after)).await.0 == 201
        })
        .await
        .is_some(),
        "writes work again once MySQL is back"
    );
    assert!(eventually(Duration::from_secs(5), || async { server.get(near).await.1["total"] == 2 }).await.is_some());
}
