//! nginx as the CDN edge in front of a real origin (`deploy/nginx/locus-tiles.conf`): the
//! template rendered into a temporary prefix, nginx run in the foreground on it, and tiles
//! fetched through it, from a bucket origin and from a PMTiles archive origin. Skipped, with a
//! note, when no `nginx` binary is found (`scripts/test.sh` installs one).

use locus_tests::{embedded, gunzip, gzip, TestServer};
use locus_tiles::pmtiles::{ArchiveInfo, Compression, PmtilesWriter, TileType};
use locus_tiles::TileId;
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

/// A bucket origin: tile 3/4/2 (png, gzip mvt), 3/4/3.png and a tiles.json.
async fn bucket_origin() -> (TestServer, tempfile::TempDir) {
    let (mut config, dir) = embedded();
    let bucket = dir.path().join("bucket");
    std::fs::create_dir_all(bucket.join("3/4")).unwrap();
    std::fs::write(bucket.join("3/4/2.png"), b"\x89PNG\r\n\x1a\n tile 3/4/2").unwrap();
    std::fs::write(bucket.join("3/4/3.png"), b"\x89PNG\r\n\x1a\n tile 3/4/3").unwrap();
    std::fs::write(bucket.join("3/4/2.mvt"), gzip(b"vector tile 3/4/2")).unwrap();
    std::fs::write(bucket.join("tiles.json"), br#"{"tilejson":"3.0.0","tiles":["/tiles/{z}/{x}/{y}.png"]}"#).unwrap();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(bucket);
    config.tiles_max_age_s = 86_400;
    (TestServer::start(config).await, dir)
}

/// An archive origin: every PNG tile of zoom 3.
async fn archive_origin() -> (TestServer, tempfile::TempDir) {
    let (mut config, dir) = embedded();
    let path = dir.path().join("world.pmtiles");
    let info = ArchiveInfo {
        tile_type: TileType::Png,
        tile_compression: Compression::None,
        min_zoom: 3,
        max_zoom: 3,
        bounds: (-180.0, -85.0, 180.0, 85.0),
        center: (7.4246, 43.7384, 3),
        metadata: serde_json::json!({"name": "edge test"}),
    };
    let mut writer = PmtilesWriter::create(&path, info).unwrap();
    for x in 0..8 {
        for y in 0..8 {
            writer.add_tile(TileId { z: 3, x, y }, format!("png tile 3/{x}/{y}").as_bytes()).unwrap();
        }
    }
    writer.finish().unwrap();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(path);
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

/// The nginx binary, or `None` after printing that the test is skipped.
fn nginx_or_skip() -> Option<PathBuf> {
    let binary = nginx_binary();
    if binary.is_none() {
        eprintln!("skipped: no nginx binary on PATH or at /usr/sbin/nginx (scripts/test.sh installs nginx-light)");
    }
    binary
}

#[tokio::test]
async fn the_nginx_edge_caches_tiles_and_serves_them_when_the_origin_is_down() {
    let Some(binary) = nginx_or_skip() else { return };
    let (origin, _origin_dir) = bucket_origin().await;
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

    // A vector tile is two representations (the origin's Vary: Accept-Encoding): the edge keeps
    // both and never hands gzip to a client that did not ask for it, nor compresses again.
    for (accept, gzipped) in [(Some("gzip"), true), (None, false), (Some("gzip, deflate, br"), true)] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("accept-encoding", a)).into_iter().collect();
        let from_origin = get(&client, &origin.url("/tiles/3/4/2.mvt"), &headers).await;
        let mut statuses = Vec::new();
        for _ in 0..2 {
            let mvt = get(&client, &edge.url("/tiles/3/4/2.mvt"), &headers).await;
            assert_eq!(mvt.status, 200);
            assert_eq!(mvt.body, from_origin.body, "{accept:?}");
            for header in ["etag", "content-type", "content-encoding", "vary", "cache-control"] {
                assert_eq!(mvt.header(header), from_origin.header(header), "{accept:?}: {header}");
            }
            assert_eq!(mvt.header("content-encoding") == Some("gzip"), gzipped, "{accept:?}");
            let plain = if gzipped { gunzip(&mvt.body) } else { mvt.body.clone() };
            assert_eq!(plain, b"vector tile 3/4/2");
            statuses.push(mvt.header("x-cache-status").map(str::to_owned));
        }
        assert_eq!(statuses, [Some("MISS".to_owned()), Some("HIT".to_owned())], "{accept:?}");
    }

    // The API passes through, uncached.
    let api = "/v1/tiles/url?lat=43.7384&lng=7.4246&zoom=14&radius_tiles=0";
    let through = get(&client, &edge.url(api), &[]).await;
    let api_direct = get(&client, &origin.url(api), &[]).await;
    assert_eq!((through.status, &through.body), (200, &api_direct.body));
    assert_eq!(through.header("x-cache-status"), None);

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

#[tokio::test]
async fn the_nginx_edge_passes_archive_ranges_through_uncached() {
    let Some(binary) = nginx_or_skip() else { return };
    let (origin, _origin_dir) = archive_origin().await;
    let prefix = tempfile::tempdir().unwrap();
    let edge = Nginx::start(&binary, prefix.path(), origin.base.trim_start_matches("http://"));
    let client = reqwest::Client::new();

    let whole = get(&client, &origin.url("/tiles/tiles.pmtiles"), &[]).await;
    assert_eq!(whole.status, 200);
    let archive_etag = whole.header("etag").expect("an archive ETag").to_owned();
    // The header, a range in the middle, the end; and a range whose If-Range is stale.
    let last = whole.body.len() - 1;
    let middle = format!("bytes=100-{}", last / 2);
    let end = format!("bytes={}-", last - 9);
    let cases: Vec<(Vec<(&str, &str)>, u16)> = vec![
        (vec![("range", "bytes=0-126")], 206),
        (vec![("range", &middle)], 206),
        (vec![("range", &end), ("if-range", &archive_etag)], 206),
        (vec![("range", "bytes=0-15"), ("if-range", "\"another version\"")], 200),
    ];
    for (headers, status) in &cases {
        let direct = get(&client, &origin.url("/tiles/tiles.pmtiles"), headers).await;
        assert_eq!(direct.status, *status, "{headers:?}");
        for _ in 0..2 {
            let through = get(&client, &edge.url("/tiles/tiles.pmtiles"), headers).await;
            assert_eq!(through.status, *status, "{headers:?}: {}", edge.error_log());
            assert_eq!(through.header("content-range"), direct.header("content-range"), "{headers:?}");
            assert_eq!(through.header("etag"), Some(archive_etag.as_str()));
            assert_eq!(through.body, direct.body, "{headers:?}");
            assert_eq!(through.header("x-cache-status"), None, "never cached");
        }
    }

    // The archive's tiles are cached like any others.
    let statuses: Vec<Option<String>> = {
        let mut statuses = Vec::new();
        for _ in 0..2 {
            let tile = get(&client, &edge.url("/tiles/3/4/2.png"), &[]).await;
            assert_eq!((tile.status, tile.body.as_slice()), (200, &b"png tile 3/4/2"[..]));
            statuses.push(tile.header("x-cache-status").map(str::to_owned));
        }
        statuses
    };
    assert_eq!(statuses, [Some("MISS".to_owned()), Some("HIT".to_owned())]);
}
