//! Where readers put rows: validation, external ids, duplicate detection and batching.
//!
//! Readers run on a blocking thread and hand each row to a [`RowSink`] with its location. A
//! valid row joins the current batch; a full batch of [`BATCH_SIZE`] goes over a bounded
//! channel to the async writer. An invalid row is counted and listed, never written in part.
//!
//! Repeated external ids are caught across the whole file with a 128-bit fingerprint of each id
//! accepted so far: about 32 bytes a row (some 30 MB per million rows), the price of "the first
//! row with an id wins" and of re-imports that come back all `unchanged`.

use super::report::{RowProblem, MAX_LISTED};
use super::ImportError;
use indicatif::ProgressBar;
use locus_business::BusinessInput;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt;
use tokio::sync::mpsc;

/// Rows per `upsert_batch` call (one transaction each).
pub const BATCH_SIZE: usize = 1000;

/// Longest message kept for one problem; longer ones (a serde error quoting a huge value) are cut.
const MAX_MESSAGE_CHARS: usize = 300;

/// Where a row came from, for problem reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Line(u64),
    Node(i64),
    Way(i64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Node(id) => write!(f, "node {id}"),
            Location::Way(id) => write!(f, "way {id}"),
        }
    }
}

/// What the reader side saw.
#[derive(Debug, Default)]
pub struct Tally {
    pub accepted: u64,
    pub skipped: u64,
    pub problems: Vec<RowProblem>,
    pub warnings: u64,
    pub warning_details: Vec<RowProblem>,
}

pub struct RowSink {
    tx: mpsc::Sender<Vec<BusinessInput>>,
    batch: Vec<BusinessInput>,
    /// 128-bit fingerprints of the external ids accepted so far (the first row with an id wins).
    seen: HashSet<u128>,
    tally: Tally,
    bar: ProgressBar,
}

/// The id of a row that has none: `import:` and the hex SHA-256 of the JSON array
/// `[name, category, latitude, longitude]` of the validated row, so re-importing the same file
/// finds the same businesses.
pub fn derived_external_id(b: &BusinessInput) -> String {
    // `+ 0.0` turns -0.0 into 0.0: the same position must give the same id.
    let key = serde_json::json!([b.name, b.category, b.latitude + 0.0, b.longitude + 0.0]);
    format!("import:{}", hex::encode(Sha256::digest(key.to_string().as_bytes())))
}

fn fingerprint(external_id: &str) -> u128 {
    let digest = Sha256::digest(external_id.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(bytes)
}

fn shorten(mut message: String) -> String {
    if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
        message.truncate(cut);
        message.push_str("...");
    }
    message
}

impl RowSink {
    pub fn new(tx: mpsc::Sender<Vec<BusinessInput>>, bar: ProgressBar) -> Self {
        RowSink { tx, batch: Vec::with_capacity(BATCH_SIZE), seen: HashSet::new(), tally: Tally::default(), bar }
    }

    /// Validates `row` (already an error message when the reader could not build it) and queues
    /// it, or records why it is skipped. Fails only when the writer has gone away.
    pub fn accept(&mut self, at: Location, row: Result<BusinessInput, String>) -> Result<(), ImportError> {
        let mut input = match row.and_then(|r| r.validate().map_err(|e| e.to_string())) {
            Ok(input) => input,
            Err(message) => {
                self.skip(at, message);
                return Ok(());
            }
        };
        let id = match input.external_id.take() {
            Some(id) => id,
            None => derived_external_id(&input),
        };
        if !self.seen.insert(fingerprint(&id)) {
            self.skip(at, format!("external_id {id:?} repeats an earlier row, which was kept"));
            return Ok(());
        }
        input.external_id = Some(id);
        self.batch.push(input);
        self.tally.accepted += 1;
        if self.batch.len() >= BATCH_SIZE {
            self.flush()?;
        }
        Ok(())
    }

    /// Records a skipped row.
    pub fn skip(&mut self, at: Location, message: String) {
        self.tally.skipped += 1;
        if self.tally.problems.len() < MAX_LISTED {
            self.tally.problems.push(RowProblem { location: at.to_string(), message: shorten(message) });
        }
    }

    /// Records a warning: something was dropped or ignored, the row (or file) is still imported.
    pub fn warn(&mut self, location: String, message: String) {
        tracing::debug!(%location, %message, "import warning");
        self.tally.warnings += 1;
        if self.tally.warning_details.len() < MAX_LISTED {
            self.tally.warning_details.push(RowProblem { location, message: shorten(message) });
        }
    }

    pub fn bar(&self) -> &ProgressBar {
        &self.bar
    }

    fn flush(&mut self) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_SIZE));
        self.tx.blocking_send(batch).map_err(|_| ImportError::Stopped)?;
        self.bar.set_message(format!("{} rows, {} skipped", self.tally.accepted, self.tally.skipped));
        Ok(())
    }

    /// Sends the last partial batch and returns the tally.
    pub fn finish(mut self) -> Result<Tally, ImportError> {
        self.flush()?;
        Ok(self.tally)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, lat: f64) -> BusinessInput {
        BusinessInput {
            name: name.into(),
            category: "Cafe".into(),
            latitude: lat,
            longitude: 7.0,
            ..Default::default()
        }
    }

    #[test]
    fn derived_ids_depend_on_the_validated_row_only() {
        let id = derived_external_id(&row("Cafe", 43.0).validate().unwrap());
        assert!(id.starts_with("import:") && id.len() == "import:".len() + 64, "{id}");
        assert_eq!(id, derived_external_id(&row("  Cafe ", 43.0).validate().unwrap()));
        assert_ne!(id, derived_external_id(&row("Cafe", 43.000001).validate().unwrap()));
        let zero = derived_external_id(&row("Cafe", 0.0));
        assert_eq!(zero, derived_external_id(&row("Cafe", -0.0)));
    }
}
