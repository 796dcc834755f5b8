//! The `locus` binary as a user runs it: generate, import (good, bad and corrupt input),
//! rebuild-index, serve and a graceful stop on SIGTERM.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn locus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_locus")).args(args).env("RUST_LOG", "warn").output().expect("run locus")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn generate_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    for path in [&a, &b] {
        let out = locus(&["generate", "businesses", "--count", "500", "--seed", "9", "--out", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out));
    }
    let content = std::fs::read_to_string(&a).unwrap();
    assert_eq!(content.lines().count(), 501);
    assert_eq!(content, std::fs::read_to_string(&b).unwrap());
}

#[test]
fn import_reports_bad_rows_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("shops.csv");
    let mut f = std::fs::File::create(&csv).unwrap();
    writeln!(f, "name,category,latitude,longitude,city").unwrap();
    writeln!(f, "Good One,cafe,48.85,2.35,Paris").unwrap();
    writeln!(f, "Bad Lat,cafe,95,2.35,Paris").unwrap();
    writeln!(f, ",cafe,48.85,2.35,Paris").unwrap();
    writeln!(f, "Not A Number,cafe,NaN,2.35,Paris").unwrap();
    writeln!(f, "Good Two,bar,-17.0,180,Suva").unwrap();
    drop(f);
    let data = dir.path().join("data");
    let args = ["import", "businesses", csv.to_str().unwrap(), "--data-dir", data.to_str().unwrap()];
    let out = locus(&args);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("2 inserted") && said.contains("3 skipped"), "{said}");
    for line in ["line 3", "line 4", "line 5"] {
        assert!(said.contains(line), "{line} not reported: {said}");
    }
    let again = text(&locus(&args));
    assert!(again.contains("0 inserted") && again.contains("2 unchanged"), "{again}");

    let out = locus(&["rebuild-index", "--data-dir", data.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn unreadable_input_fails_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let missing = locus(&["import", "businesses", "/nonexistent/file.csv", "--data-dir", data.to_str().unwrap()]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("error:"));
    let garbage = dir.path().join("garbage.osm.pbf");
    std::fs::write(&garbage, (0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect::<Vec<u8>>())
        .unwrap();
    let out = locus(&["import", "businesses", garbage.to_str().unwrap(), "--data-dir", data.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("error:"));
    let no_header = dir.path().join("x.csv");
    std::fs::write(&no_header, "foo,bar\n1,2\n").unwrap();
    let out = locus(&["import", "businesses", no_header.to_str().unwrap(), "--data-dir", data.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    let bad_flag = locus(&["serve", "--index", "btree"]);
    assert!(!bad_flag.status.success());
    assert!(text(&bad_flag).contains("btree"));
}

#[test]
fn serve_answers_then_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_locus"))
        .args(["serve", "--addr", &addr, "--data-dir", dir.path().to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let body = loop {
        if let Some(body) = http_get(&addr, "/v1/search/nearby?latitude=37.7749&longitude=-122.4194&radius=2000") {
            if body.contains("\"total\"") {
                break body;
            }
        }
        assert!(Instant::now() < deadline, "locus serve did not answer");
        std::thread::sleep(Duration::from_millis(100));
    };
    // The embedded default carries the demo region: a first search finds something.
    assert!(!body.contains("\"total\":0"), "{body}");
    // A second server on the same port fails with a message instead of panicking.
    let clash = locus(&["serve", "--addr", &addr, "--data-dir", dir.path().to_str().unwrap()]);
    assert!(!clash.status.success());
    assert!(text(&clash).contains("binding"), "{}", text(&clash));

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(Instant::now() < deadline, "locus serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A minimal HTTP/1.1 GET (the binary's tests need no HTTP client crate).
fn http_get(addr: &str, path: &str) -> Option<String> {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}
