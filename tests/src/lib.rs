//! End-to-end test support: start real `locus` servers in-process on ephemeral ports, talk to
//! them over HTTP, and provision isolated MySQL databases. Tests that need MySQL or Redis read
//! `LOCUS_TEST_MYSQL_URL` / `LOCUS_TEST_REDIS_URL`; unset means skip (with a note), set but
//! unreachable means fail.
//!
//! For routing: [`routing_config`] serves the tiles of a data directory, [`node_map`] draws
//! OSRM-cucumber-style maps as OSM XML, [`scenario`] builds and serves them, [`osrm`] reads
//! OSRM answers, and [`locus_binary`] finds (building it when needed) the `locus` executable.
//! For nearby friends, [`ws`] is a real WebSocket client (tokio-tungstenite).

pub mod node_map;
pub mod osrm;
pub mod scenario;
pub mod ws;

use locus_web::config::{ServeConfig, Service};
use locus_web::server::{self, Running};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// A server started for one test; dropping it shuts it down.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    running: Running,
}

impl TestServer {
    /// Starts a server and waits until `/health/ready` answers 200.
    pub async fn start(config: ServeConfig) -> TestServer {
        let server = TestServer::start_unready(config).await;
        server.wait_ready().await;
        server
    }

    /// Starts a server without waiting for it to be ready (to observe it before).
    pub async fn start_unready(mut config: ServeConfig) -> TestServer {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
            .with_test_writer()
            .try_init();
        config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let (stop, stopped) = oneshot::channel::<()>();
        let running = server::start(config, async {
            let _ = stopped.await;
        })
        .await
        .expect("server starts");
        TestServer {
            base: format!("http://{}", running.addr),
            client: reqwest::Client::new(),
            stop: Some(stop),
            running,
        }
    }

    pub async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = self.client.get(self.url("/health/ready")).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "server did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GET returning (status, JSON body).
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.client.get(self.url(path)).send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// GET returning (status, body as text).
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.client.get(self.url(path)).send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }

    /// GET over a bare TCP connection, for requests an HTTP client refuses to send (a path
    /// longer than a URI may be): (status, body as text).
    pub async fn get_raw(&self, path: &str) -> (u16, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let host = self.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
        let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        // The server may answer and close before it has read the whole request.
        let _ = stream.write_all(request.as_bytes()).await;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer);
        let status = answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
        (status, body)
    }

    /// A request with an optional bearer token and JSON body, returning (status, JSON body).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Creates a user and returns (id, token).
    pub async fn user(&self, name: &str) -> (i64, String) {
        let (status, body) =
            self.send(reqwest::Method::POST, "/v1/users", None, Some(&serde_json::json!({ "name": name }))).await;
        assert_eq!(status, 201, "{body}");
        (body["id"].as_i64().expect("id"), body["token"].as_str().expect("token").to_owned())
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.running.abort_background();
        let _ = (&mut self.running.task).await;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.running.abort_background();
    }
}

/// Embedded configuration in a fresh temporary data directory (kept alive by the returned guard).
pub fn embedded() -> (ServeConfig, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    (ServeConfig::embedded(dir.path().to_path_buf(), SocketAddr::from(([127, 0, 0, 1], 0))), dir)
}

/// A routing-only configuration serving the tiles in `data_dir/routing` (nothing is built or
/// generated on start, no demo data).
pub fn routing_config(data_dir: &Path) -> ServeConfig {
    let mut config = ServeConfig::embedded(data_dir.to_path_buf(), SocketAddr::from(([127, 0, 0, 1], 0)));
    config.services = vec![Service::Routing];
    config.no_demo = true;
    config
}

/// The `locus` executable of this build. `CARGO_BIN_EXE_locus` exists only for the web
/// package's own tests, so the binary is built here with the same profile and target directory
/// as this test (a no-op when it is up to date); `LOCUS_BIN` names another one.
pub fn locus_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("LOCUS_BIN") {
        return PathBuf::from(bin);
    }
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            // This test runs as {target}/{profile}/deps/{name}-{hash}.
            let exe = std::env::current_exe().expect("the test's own path");
            let profile_dir = exe.parent().and_then(Path::parent).expect("a test binary lives in {profile}/deps");
            let target_dir = profile_dir.parent().expect("a profile directory lives in the target directory");
            let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
                Some("debug") | None => "dev",
                Some(other) => other,
            };
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
            let status = std::process::Command::new(cargo)
                .args(["build", "--quiet", "-p", "locus-web", "--bin", "locus", "--profile", profile])
                .arg("--manifest-path")
                .arg(&manifest)
                .arg("--target-dir")
                .arg(target_dir)
                .status()
                .expect("run cargo build for the locus binary");
            assert!(status.success(), "building the locus binary failed");
            let bin = profile_dir.join(format!("locus{}", std::env::consts::EXE_SUFFIX));
            assert!(bin.exists(), "{} was not built", bin.display());
            bin
        })
        .clone()
}

pub fn mysql_url() -> Option<String> {
    env_url("LOCUS_TEST_MYSQL_URL")
}

pub fn redis_url() -> Option<String> {
    env_url("LOCUS_TEST_REDIS_URL")
}

fn env_url(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            eprintln!("note: {name} is not set; skipping the part of this test that needs it");
            None
        }
    }
}

/// A new, empty MySQL database on the server of `LOCUS_TEST_MYSQL_URL`; returns its URL.
pub async fn fresh_mysql_database(base_url: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("locus_test_{:016x}", rand::random::<u64>());
    let mut conn =
        sqlx::AnyConnection::connect(base_url).await.expect("LOCUS_TEST_MYSQL_URL is set but MySQL is unreachable");
    sqlx::query(&format!("CREATE DATABASE {name} CHARACTER SET utf8mb4"))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (prefix, _) = base_url.rsplit_once('/').expect("a database URL ends with /<db>");
    format!("{prefix}/{name}")
}

/// A production-mode configuration: a fresh MySQL database and the test Redis.
pub async fn production(mysql: &str, redis: &str) -> (ServeConfig, PathBuf) {
    let url = fresh_mysql_database(mysql).await;
    let (mut config, dir) = embedded();
    // Test runs share one Redis: each database gets its own key namespace.
    config.redis_namespace = format!("{}:", url.rsplit('/').next().unwrap_or("locus_test"));
    config.mysql_url = Some(url);
    config.redis_url = Some(redis.to_owned());
    let path = dir.keep();
    (config, path)
}

/// Polls `check` every 50 ms until it returns true or `within` passes; returns the time taken.
pub async fn eventually<F, Fut>(within: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < within {
        if check().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// `bytes` gzip-compressed (test fixtures: MVT tiles are stored so).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip into memory");
    e.finish().expect("gzip into memory")
}

/// `bytes` gunzipped; panics on bytes that are not gzip.
pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip bytes");
    out
}
