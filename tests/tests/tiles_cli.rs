//! `locus tiles render` as a user runs it: a summary and exit 0 on a real extract; a clear
//! message and a non-zero exit on bad input; then `locus serve --tiles` serves what it wrote.

use locus_tests::{embedded, locus_binary, TestServer};
use std::path::{Path, PathBuf};
use std::process::Command;

fn monaco() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/monaco.osm.pbf")
}

fn render(args: &[&str]) -> (bool, String) {
    let out = Command::new(locus_binary()).args(["tiles", "render"]).args(args).output().expect("run locus");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[tokio::test]
async fn a_rendered_extract_is_served() {
    if !monaco().exists() {
        assert!(std::env::var_os("CI").is_none(), "the Monaco extract is missing");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tiles");
    let osm = monaco().to_string_lossy().into_owned();
    let (ok, text) = render(&["--osm", &osm, "--zoom", "10-13", "--out", out.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(text.contains("tiles:") && text.contains("tiles/s"), "a summary: {text}");

    let (mut config, _data) = embedded();
    config.services = vec![locus_web::config::Service::Tiles];
    config.tiles = Some(out.clone());
    let server = TestServer::start(config).await;
    let (status, body) = server.get("/tiles/tiles.json").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["maxzoom"], 13);
    let response = reqwest::get(server.url("/tiles/13/4264/2987.png")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), std::fs::read(out.join("13/4264/2987.png")).unwrap());
}

#[test]
fn bad_input_exits_non_zero_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let cut = dir.path().join("cut.osm.pbf");
    if let Ok(bytes) = std::fs::read(monaco()) {
        std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    } else {
        std::fs::write(&cut, b"\0\0\0\x0dnot a pbf at all").unwrap();
    }
    for (args, expected) in [
        (vec!["--osm", cut.to_str().unwrap(), "--zoom", "0-2", "--out", out], "not a usable"),
        (vec!["--osm", "/nonexistent.osm.pbf", "--zoom", "0-2", "--out", out], "cannot read"),
        (vec!["--osm", cut.to_str().unwrap(), "--zoom", "5-3", "--out", out], "LOW-HIGH"),
        (vec!["--osm", cut.to_str().unwrap(), "--zoom", "0-99", "--out", out], "LOW-HIGH"),
        (vec!["--osm", cut.to_str().unwrap(), "--out", out, "--format", "mvt", "--scale", "2"], "--scale 2"),
        (vec!["--osm", cut.to_str().unwrap(), "--out", out, "--since", "yesterday"], "RFC 3339"),
    ] {
        let (ok, text) = render(&args);
        assert!(!ok, "{args:?} succeeded: {text}");
        assert!(text.contains(expected), "{args:?}: {text}");
        assert!(!text.contains("panicked"), "{args:?}: {text}");
    }
}
