//! Routing scenarios over HTTP: a [`NodeMap`] written as `.osm` XML, its tiles built (in-process
//! with `import_osm`, or by the `locus import osm` binary), a routing server started on them, and
//! OSRM requests checked against cucumber-style tables:
//!
//! ```text
//! let m = RoutingMap::serve(map).await;
//! m.check("car", &[
//!     // from, to, route (the step names, without the arrive step; "" = NoRoute)
//!     ('a', 'c', "abc"),
//!     ('c', 'a', "adec"),
//! ]).await;
//! ```

use crate::node_map::NodeMap;
use crate::osrm::route_names;
use crate::{routing_config, TestServer};
use locus_pipelines::osm_tiles::{import_osm, OsmTilesOptions};
use serde_json::Value;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A drawn map, its tiles and a server answering on them.
pub struct RoutingMap {
    pub map: NodeMap,
    pub server: TestServer,
    /// The `.osm` file the tiles were built from.
    pub osm: PathBuf,
    _dir: tempfile::TempDir,
}

/// Writes `map` as `dir/map.osm` and returns its path.
pub fn write_osm(map: &NodeMap, dir: &Path) -> PathBuf {
    let osm = dir.join("map.osm");
    std::fs::write(&osm, map.xml()).expect("write the map's OSM XML");
    osm
}

/// Runs `locus import osm {osm} --data-dir {data_dir}` (the built binary, see
/// [`crate::locus_binary`]) and returns what it printed; panics when it fails.
pub async fn import_with_binary(osm: &Path, data_dir: &Path) -> String {
    let (osm, data_dir) = (osm.to_owned(), data_dir.to_owned());
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(crate::locus_binary())
            .args(["import", "osm"])
            .arg(&osm)
            .arg("--data-dir")
            .arg(&data_dir)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run locus import osm")
    })
    .await
    .expect("the import task");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "locus import osm failed: {said}");
    said
}

impl RoutingMap {
    /// Builds the map's tiles in-process and serves them.
    pub async fn serve(map: NodeMap) -> RoutingMap {
        let dir = tempfile::tempdir().expect("temp dir");
        let osm = write_osm(&map, dir.path());
        let (file, data) = (osm.clone(), dir.path().to_path_buf());
        let built = tokio::task::spawn_blocking(move || import_osm(&file, &data, &OsmTilesOptions::default()))
            .await
            .expect("the import task");
        if let Err(e) = built {
            panic!("import failed: {e}\n{}", map.xml());
        }
        RoutingMap::serve_built(map, dir, osm).await
    }

    /// Serves tiles already built in `dir/routing` from `osm`.
    pub async fn serve_built(map: NodeMap, dir: tempfile::TempDir, osm: PathBuf) -> RoutingMap {
        let server = TestServer::start(routing_config(dir.path())).await;
        RoutingMap { map, server, osm, _dir: dir }
    }

    /// `GET /route/v1/{profile}/{the named nodes}?steps=true{extra}`: (status, body).
    pub async fn route(&self, profile: &str, waypoints: &str, extra: &str) -> (u16, Value) {
        let path = format!("/route/v1/{profile}/{}?steps=true{extra}", self.map.coords(waypoints));
        self.server.get(&path).await
    }

    /// The answer of a route that must succeed.
    pub async fn ok(&self, profile: &str, waypoints: &str) -> Value {
        let (status, body) = self.route(profile, waypoints, "").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (200, Some("Ok")),
            "{profile} {waypoints}: {body}\n{}",
            self.map.xml()
        );
        body
    }

    /// What a table row compares: the step names, `""` for `NoRoute`, `!Code` for another error.
    async fn outcome(&self, profile: &str, waypoints: &str) -> String {
        let (status, body) = self.route(profile, waypoints, "").await;
        match (status, body["code"].as_str()) {
            (200, Some("Ok")) => route_names(&body),
            (400, Some("NoRoute")) => String::new(),
            (_, code) => format!("!{} (HTTP {status})", code.unwrap_or("no code")),
        }
    }

    /// Checks every row `(from, to, route)` of a cucumber table for `profile`; `route` is the
    /// comma-separated step names without the arrive step, `""` when there is no route
    /// (`NoRoute`). Reports every failing row at once, with the map.
    pub async fn check(&self, profile: &str, rows: &[(char, char, &str)]) {
        let failures = self.failures(profile, rows).await;
        assert!(failures.is_empty(), "\n{failures}\n{}", self.map.xml());
    }

    /// [`RoutingMap::check`] for every profile: rows `(from, to, [car, foot, bicycle])`.
    pub async fn check_modes(&self, rows: &[(char, char, [&str; 3])]) {
        let mut failures = String::new();
        for (i, profile) in ["car", "foot", "bicycle"].into_iter().enumerate() {
            let table: Vec<(char, char, &str)> = rows.iter().map(|&(f, t, r)| (f, t, r[i])).collect();
            failures += &self.failures(profile, &table).await;
        }
        assert!(failures.is_empty(), "\n{failures}\n{}", self.map.xml());
    }

    async fn failures(&self, profile: &str, rows: &[(char, char, &str)]) -> String {
        let mut failures = String::new();
        for &(from, to, expected) in rows {
            let got = self.outcome(profile, &format!("{from}{to}")).await;
            if got != expected {
                let _ = writeln!(failures, "| {profile} | {from} | {to} | expected {expected:?} | got {got:?} |");
            }
        }
        failures
    }
}
