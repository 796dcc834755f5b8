//! `locus import businesses FILE`: bulk loading businesses from CSV, JSON lines or OSM PBF.
//!
//! The format comes from the file name ([`Format::from_path`]). A reader on a blocking thread
//! turns the file into rows; each row is validated (`BusinessInput::validate`) and given an
//! external id when it has none ([`derived_external_id`]), then rows go in batches of
//! [`BATCH_SIZE`] through `BusinessRepo::upsert_batch`, one transaction per batch, while the
//! reader carries on. A bad row is skipped and reported by line number (or OSM element), never
//! half-applied. Within one file the first row with an external id wins; later ones are skipped.
//!
//! Re-importing a file is idempotent: every row comes back `unchanged`. A failure partway
//! (a database error, a file cut short) leaves the batches before it committed; running the
//! import again after fixing the cause completes it.
//!
//! Telling running servers about the new data is the caller's job (it publishes on the
//! business change channel); this module only writes.

mod csv_rows;
mod error;
mod json_lines;
mod osm;
mod report;
mod sink;

pub use csv_rows::{CSV_FIELDS, REQUIRED_CSV_FIELDS};
pub use error::ImportError;
pub use json_lines::MAX_LINE_BYTES;
pub use report::{ImportReport, RowProblem, MAX_LISTED};
pub use sink::{derived_external_id, BATCH_SIZE};

use crate::progress;
use locus_business::service::BusinessService;
use sink::RowSink;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tokio::sync::mpsc;

/// Batches the reader may run ahead of the database writer.
const QUEUED_BATCHES: usize = 4;

/// The file formats `locus import businesses` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.csv`: a header row of [`CSV_FIELDS`] names, then one business per row.
    Csv,
    /// `.jsonl`, `.ndjson`: one `BusinessInput` JSON object per line.
    JsonLines,
    /// `.osm.pbf`, `.pbf`: an OpenStreetMap extract.
    OsmPbf,
}

impl Format {
    /// The format named by the file's extension (case-insensitive), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "pbf" => Some(Format::OsmPbf),
            _ => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Format::Csv => "CSV text",
            Format::JsonLines => "JSON lines",
            Format::OsmPbf => "OSM PBF",
        }
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The user the imported businesses belong to (`None`: no owner).
    pub owner_id: Option<i64>,
    /// Draw a progress bar on the terminal.
    pub show_progress: bool,
}

pub(crate) fn open(path: &Path) -> Result<File, ImportError> {
    File::open(path).map_err(|source| ImportError::Io { path: path.to_owned(), source })
}

/// Refuses an empty file, and a text format whose first 8 KiB hold a NUL byte (no CSV or JSON
/// text does): a binary file renamed `.csv` fails here, before anything is written.
fn precheck(path: &Path, format: Format) -> Result<u64, ImportError> {
    let io = |source| ImportError::Io { path: path.to_owned(), source };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len == 0 {
        return Err(ImportError::Empty(path.to_owned()));
    }
    if format != Format::OsmPbf {
        let mut head = Vec::with_capacity(8192);
        open(path)?.take(8192).read_to_end(&mut head).map_err(io)?;
        if head.contains(&0) {
            return Err(ImportError::Binary { path: path.to_owned(), expected: format.describe() });
        }
    }
    Ok(len)
}

fn read(format: Format, path: &Path, mut sink: RowSink) -> Result<sink::Tally, ImportError> {
    match format {
        Format::Csv => csv_rows::read(path, &mut sink)?,
        Format::JsonLines => json_lines::read(path, &mut sink)?,
        Format::OsmPbf => osm::read(path, &mut sink)?,
    }
    sink.finish()
}

/// Imports the businesses in `path` (see the module docs).
///
/// Rows are written through `service`, so each batch also evicts the detail and geohash-cell
/// cache entries of the businesses it changed and announces the change to search instances.
pub async fn import_businesses(
    service: &BusinessService,
    path: &Path,
    opts: ImportOptions,
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let format = Format::from_path(path).ok_or_else(|| ImportError::UnknownFormat(path.to_owned()))?;
    let worker_path: PathBuf = path.to_owned();
    let len = tokio::task::spawn_blocking(move || precheck(&worker_path, format))
        .await
        .map_err(|e| ImportError::Worker(e.to_string()))??;
    let bar = progress::bytes_bar(opts.show_progress, len, "importing");
    let (tx, mut rx) = mpsc::channel(QUEUED_BATCHES);
    let sink = RowSink::new(tx, bar.clone());
    let worker_path = path.to_owned();
    let worker = tokio::task::spawn_blocking(move || read(format, &worker_path, sink));

    let mut report = ImportReport::default();
    let mut failure = None;
    while let Some(batch) = rx.recv().await {
        match service.repo().upsert_batch_touched(opts.owner_id, &batch).await {
            Ok((s, touched)) => {
                service.after_write(&touched).await;
                report.inserted += s.inserted;
                report.updated += s.updated;
                report.unchanged += s.unchanged;
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    drop(rx); // a reader blocked on a full queue now stops
    let read = worker.await;
    bar.finish_and_clear();
    let committed = report.inserted + report.updated + report.unchanged;
    if let Some(source) = failure {
        return Err(ImportError::Database { committed, source });
    }
    let tally = match read.map_err(|e| ImportError::Worker(e.to_string()))? {
        Ok(tally) => tally,
        Err(e) => {
            if committed > 0 {
                tracing::warn!(committed, "import failed after some rows were committed; re-running it is idempotent");
            }
            return Err(e);
        }
    };
    report.skipped = tally.skipped;
    report.problems = tally.problems;
    report.warnings = tally.warnings;
    report.warning_details = tally.warning_details;
    report.elapsed = started.elapsed();
    Ok(report)
}
