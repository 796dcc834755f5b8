//! Fixtures shared by the pipeline tests: a SQLite database in a temporary directory.

#![allow(dead_code)]

use locus_business::repo::BusinessRepo;
use locus_core::db::Database;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub struct Fixture {
    pub dir: TempDir,
    pub repo: BusinessRepo,
}

pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::connect(&Database::sqlite_url(dir.path())).await.expect("sqlite");
    Fixture { repo: BusinessRepo::new(db), dir }
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
