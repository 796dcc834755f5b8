//! Writing businesses as the CSV that `locus import businesses` reads.

use crate::import::CSV_FIELDS;
use crate::progress;
use locus_business::BusinessInput;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes a header of [`CSV_FIELDS`] and one row per business to `path`; returns the row count.
///
/// Coordinates are written in Rust's shortest round-trip form, so importing the file back
/// reproduces them bit for bit; absent optional fields are empty cells.
pub fn write_csv(path: &Path, rows: impl IntoIterator<Item = BusinessInput>, show_progress: bool) -> io::Result<u64> {
    let rows = rows.into_iter();
    let bar = progress::count_bar(show_progress, rows.size_hint().1.unwrap_or(0) as u64, "writing");
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, File::create(path)?));
    out.write_record(CSV_FIELDS)?;
    let mut written = 0u64;
    for b in rows {
        out.write_record([
            b.external_id.unwrap_or_default(),
            b.name,
            b.category,
            b.address.unwrap_or_default(),
            b.city.unwrap_or_default(),
            b.country.unwrap_or_default(),
            b.latitude.to_string(),
            b.longitude.to_string(),
            b.phone.unwrap_or_default(),
            b.website.unwrap_or_default(),
            b.opening_hours.unwrap_or_default(),
            b.timezone.unwrap_or_default(),
        ])?;
        written += 1;
        bar.inc(1);
    }
    out.into_inner().map_err(|e| e.into_error())?.flush()?;
    bar.finish_and_clear();
    Ok(written)
}
