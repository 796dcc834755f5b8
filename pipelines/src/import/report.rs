//! What an import did: counts, the first problems found, and how long it took.

use std::fmt;
use std::time::Duration;

/// How many problems (and, separately, warnings) a report lists; the rest are only counted.
pub const MAX_LISTED: usize = 100;

/// A row that was skipped (or, in `warning_details`, kept with a field dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// Where: `line 7` (CSV, JSON lines; the header is line 1 of a CSV), `node 123`, `way 45`.
    pub location: String,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// The outcome of one import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// Rows written as new businesses.
    pub inserted: u64,
    /// Rows whose business existed with other values.
    pub updated: u64,
    /// Rows identical to the stored business.
    pub unchanged: u64,
    /// Rows not written: invalid, unreadable, or repeating an external id seen earlier in the file.
    pub skipped: u64,
    /// The first [`MAX_LISTED`] skipped rows and why.
    pub problems: Vec<RowProblem>,
    /// Rows kept with something dropped (invalid OSM opening hours, ignored CSV columns, ...).
    pub warnings: u64,
    /// The first [`MAX_LISTED`] warnings.
    pub warning_details: Vec<RowProblem>,
    pub elapsed: Duration,
}

impl ImportReport {
    /// Rows read, written or not.
    pub fn rows(&self) -> u64 {
        self.inserted + self.updated + self.unchanged + self.skipped
    }

    /// Rows read per second of wall time.
    pub fn rows_per_second(&self) -> f64 {
        self.rows() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

fn list(f: &mut fmt::Formatter<'_>, title: &str, total: u64, items: &[RowProblem]) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    write!(f, "\n{title}:")?;
    for p in items {
        write!(f, "\n  {p}")?;
    }
    let unlisted = total.saturating_sub(items.len() as u64);
    if unlisted > 0 {
        write!(f, "\n  ... and {unlisted} more")?;
    }
    Ok(())
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "read {} rows in {:.1} s ({:.0} rows/s): {} inserted, {} updated, {} unchanged, {} skipped, {} warnings",
            self.rows(),
            self.elapsed.as_secs_f64(),
            self.rows_per_second(),
            self.inserted,
            self.updated,
            self.unchanged,
            self.skipped,
            self.warnings
        )?;
        list(f, "skipped", self.skipped, &self.problems)?;
        list(f, "warnings", self.warnings, &self.warning_details)
    }
}
