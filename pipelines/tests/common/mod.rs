//! Fixtures shared by the pipeline tests: a SQLite database in a temporary directory.

#![allow(dead_code)]

use locus_business::repo::BusinessRepo;
use locus_business::service::BusinessService;
use locus_core::bus::InProcessBus;
use locus_core::cache::InProcessCache;
use locus_core::db::Database;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;

pub struct Fixture {
    pub dir: TempDir,
    pub repo: BusinessRepo,
    pub service: BusinessService,
}

pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::connect(&Database::sqlite_url(dir.path())).await.expect("sqlite");
    let repo = BusinessRepo::new(db);
    let service =
        BusinessService::new(repo.clone(), Arc::new(InProcessCache::new(1 << 24)), Arc::new(InProcessBus::default()));
    Fixture { repo, service, dir }
}

impl Fixture {
    /// Writes `content` to `name` in the fixture's directory.
    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).expect("write fixture file");
        path
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(self.repo.database().pool()).await.expect(sql)
    }

    pub async fn execute(&self, sql: &str) {
        sqlx::query(sql).execute(self.repo.database().pool()).await.expect(sql);
    }
}

/// The Monaco extract shipped in `shared/data`, when present.
pub fn monaco() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/monaco.osm.pbf");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("note: {} is absent; skipping the OSM import test", path.display());
        None
    }
}

/// The locations of a report's problems, e.g. `["line 3", "line 5"]`.
pub fn locations(problems: &[locus_pipelines::import::RowProblem]) -> Vec<String> {
    problems.iter().map(|p| p.location.clone()).collect()
}
