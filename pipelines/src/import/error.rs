//! Why an import stopped. Bad rows are not errors: they are skipped and listed in the report.

use locus_business::repo::RepoError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot tell the format of {0}: expected a .csv, .jsonl, .ndjson, .osm.pbf or .pbf file")]
    UnknownFormat(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is empty")]
    Empty(PathBuf),
    #[error("{path} is not a text file (it holds binary data); expected {expected}")]
    Binary { path: PathBuf, expected: &'static str },
    #[error("{path}: CSV header: {message}")]
    Header { path: PathBuf, message: String },
    #[error("{path}: corrupt or truncated OSM PBF file: {message}")]
    Pbf { path: PathBuf, message: String },
    /// A batch failed at the database level. Earlier batches stay committed; re-running the
    /// import after the cause is fixed is idempotent.
    #[error("database write failed after {committed} rows were committed: {source}")]
    Database {
        committed: u64,
        #[source]
        source: RepoError,
    },
    /// The reader stopped because the writer went away (only ever seen inside an import).
    #[error("the import was stopped")]
    Stopped,
    #[error("the import worker failed: {0}")]
    Worker(String),
}
