//! nginx as the CDN edge in front of a real origin (`deploy/nginx/locus-tiles.conf`): the
//! template rendered into a temporary prefix, nginx run in the foreground on it, and tiles
//! fetched through it. Skipped, with a note, when no `nginx` binary is found (`scripts/test.sh`
//! installs one).

use locus_tests::{embedded, TestServer};
use reqwest::header::HeaderMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The nginx executable: on PATH, or where Debian puts it.
fn nginx_binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|dir| dir.join("nginx")).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path.into_iter().chain([PathBuf::from("/usr/sbin/nginx")]).find(|p| p.is_file())
}

/// A running nginx; dropping it (a panic included) kills it.
struct Nginx {
    child: Child,
    prefix: PathBuf,
    addr: SocketAddr,
}

impl Nginx {
    /// Renders the template for `origin` into `prefix`, starts nginx there in the foreground and
    /// waits until it accepts connections.
    fn start(binary: &Path, prefix: &Path, origin: &str) -> Nginx {
        let template =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx/locus-tiles.conf"))
                .expect("the nginx template");
        let addr = free_port();
        let cache = prefix.join("cache");
        let rendered = template
            .replace("@LISTEN@", &addr.to_string())
            .replace("@UPSTREAM@", origin)
            .replace("@CACHE_DIR@", cache.to_str().expect("a UTF-8 path"))
            .replace("@LOG_DIR@", prefix.to_str().expect("a UTF-8 path"));
        let left: Vec<&str> =
            rendered.lines().filter(|l| !l.trim_start().starts_with('#') && l.contains("@")).collect();
        assert!(left.is_empty(), "placeholders left in the template: {left:?}");
        std::fs::write(prefix.join("locus-tiles.conf"), rendered).unwrap();
        // The minimal main configuration of deploy/nginx/README.md, every path in the prefix.
        // One process (no master), so killing it leaves no worker behind.
        let path = |name: &str| prefix.join(name).to_str().expect("a UTF-8 path").to_owned();
        let main = format!(
            "pid {pid};\nmaster_process off;\nevents {{ worker_connections 64; }}\nhttp {{\n\
             client_body_temp_path {tmp}/body;\nproxy_temp_path {tmp}/proxy;\nfastcgi_temp_path {tmp}/fastcgi;\n\
             uwsgi_temp_path {tmp}/uwsgi;\nscgi_temp_path {tmp}/scgi;\ninclude {conf};\n}}\n",
            pid = path("nginx.pid"),
            tmp = path("tmp"),
            conf = path("locus-tiles.conf"),
        );
        std::fs::write(prefix.join("nginx.conf"), main).unwrap();
        std::fs::create_dir_all(prefix.join("tmp")).unwrap();
        // The workers' user only when started as root (nginx warns otherwise).
        let globals = if running_as_root() { "daemon off; user root;" } else { "daemon off;" };
        let child = Command::new(binary)
            .arg("-p")
            .arg(format!("{}/", prefix.display()))
            .args(["-c", &path("nginx.conf"), "-e", &path("error.log"), "-g", globals])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let mut nginx = Nginx { child, prefix: prefix.to_owned(), addr };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                panic!("nginx exited ({status}):\n{}", nginx.error_log());
            }
            assert!(Instant::now() < deadline, "nginx did not listen on {addr}:\n{}", nginx.error_log());
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.prefix.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A port nothing listens on now (the listener is dropped before nginx binds it).
fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port")
}

/// The origin: a tiles server over a bucket with tile 3/4/2 (png, mvt) and 3/4/3.png.
async fn origin() -> (TestServer, tempfile::TempDir) {
    let (mut config, dir) = embedded();
    let bucket = dir.path().join("bucket");
    std::fs::create_dir_all(bucket.join("3/4")).unwrap();
    std::fs::write(bucket.join("3/4/2.png"), b"\x89PNG\r\n\x1a\n tile 3/4/2").unwrap();
    std::fs::write(bucket.join("3/4/3.png"), b"\x89PNG\r\n\x1a\n tile 3/4/3").unwrap();
    std::fs::write(bucket.join("3/4/2.mvt"), b"vector tile 3/4/2").unwrap();
    std::fs::write(bucket.join("tiles.json"), br#"{"tilejson":"3.0.0","tiles":["/tiles/{z}/{x}/{y}.png"]}"#).unwrap();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(bucket);
    config.tiles_max_age_s = 86_400;
    (TestServer::start(config).await, dir)
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn get(client: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("a body").to_vec();
    Answer { status, headers, body }
}

#[tokio::test]
async fn the_nginx_edge_caches_tiles_and_serves_them_when_the_origin_is_down() {
    let Some(binary) = nginx_binary() else {
        eprintln!("skipped: no nginx binary on PATH or at /usr/sbin/nginx (scripts/test.sh installs nginx-light)");
        return;
    };
    let (origin, _origin_dir) = origin().await;
    let prefix = tempfile::tempdir().unwrap();
    let edge = Nginx::start(&binary, prefix.path(), origin.base.trim_start_matches("http://"));
    let client = reqwest::Client::new();

    // MISS, then HIT: the origin's body, ETag and Cache-Control.
    let direct = get(&client, &origin.url("/tiles/3/4/2.png"), &[]).await;
    assert_eq!(direct.status, 200);
    let first = get(&client, &edge.url("/tiles/3/4/2.png"), &[]).await;
    assert_eq!((first.status, first.header("x-cache-status")), (200, Some("MISS")), "{}", edge.error_log());
    let second = get(&client, &edge.url("/tiles/3/4/2.png"), &[]).await;
    assert_eq!((second.status, second.header("x-cache-status")), (200, Some("HIT")));
    for answer in [&first, &second] {
        assert_eq!(answer.body, direct.body);
        for header in ["etag", "cache-control", "content-type", "access-control-allow-origin"] {
            assert_eq!(answer.header(header), direct.header(header), "{header}");
        }
    }
    let etag = direct.header("etag").expect("an ETag").to_owned();

    // The edge answers If-None-Match from its cache.
    let revalidated = get(&client, &edge.url("/tiles/3/4/2.png"), &[("if-none-match", &etag)]).await;
    assert_eq!((revalidated.status, revalidated.header("etag")), (304, Some(etag.as_str())));
    assert!(revalidated.body.is_empty());

    // A vector tile, asked for with gzip: whatever encoding and Vary the origin answers with,
    // the edge passes on unchanged (it never compresses again).
    let gzip = [("accept-encoding", "gzip")];
    let direct_mvt = get(&client, &origin.url("/tiles/3/4/2.mvt"), &gzip).await;
    let _ = get(&client, &edge.url("/tiles/3/4/2.mvt"), &gzip).await;
    let mvt = get(&client, &edge.url("/tiles/3/4/2.mvt"), &gzip).await;
    assert_eq!((mvt.status, mvt.header("x-cache-status")), (direct_mvt.status, Some("HIT")));
    assert_eq!(mvt.body, direct_mvt.body);
    for header in ["etag", "content-type", "content-encoding", "vary", "cache-control"] {
        assert_eq!(mvt.header(header), direct_mvt.header(header), "{header}");
    }

    // The API passes through, uncached.
    let api = "/v1/tiles/url?lat=43.7384&lng=7.4246&zoom=14&radius_tiles=0";
    let through = get(&client, &edge.url(api), &[]).await;
    let api_direct = get(&client, &origin.url(api), &[]).await;
    assert_eq!((through.status, &through.body), (200, &api_direct.body));
    assert_eq!(through.header("x-cache-status"), None);

    // The PMTiles archive: a Range request reaches the origin as sent and its answer (206 where
    // the origin serves the archive, 404 where it does not) comes back uncached.
    let range = [("range", "bytes=0-15")];
    let archive_direct = get(&client, &origin.url("/tiles/tiles.pmtiles"), &range).await;
    for _ in 0..2 {
        let archive = get(&client, &edge.url("/tiles/tiles.pmtiles"), &range).await;
        assert_eq!(archive.status, archive_direct.status);
        assert_eq!(archive.header("content-range"), archive_direct.header("content-range"));
        assert_eq!(archive.body, archive_direct.body);
        assert_eq!(archive.header("x-cache-status"), None, "never cached");
    }

    // The origin goes away: what the edge holds is still served, the rest is a gateway error.
    origin.stop().await;
    for _ in 0..2 {
        let cached = get(&client, &edge.url("/tiles/3/4/2.png"), &[]).await;
        assert_eq!(cached.status, 200);
        assert!(matches!(cached.header("x-cache-status"), Some("HIT" | "STALE")), "{:?}", cached.headers);
        assert_eq!((cached.body.as_slice(), cached.header("etag")), (direct.body.as_slice(), Some(etag.as_str())));
    }
    let never_cached = get(&client, &edge.url("/tiles/3/4/3.png"), &[]).await;
    assert!(matches!(never_cached.status, 502 | 504), "{}", never_cached.status);
}
