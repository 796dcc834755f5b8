//! JSON lines: one `BusinessInput` object per line; blank lines are skipped.

use super::sink::{Location, RowSink};
use super::{open, ImportError};
use crate::progress::ProgressReader;
use locus_business::BusinessInput;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Longest line read; a longer one is skipped as a problem without being held in memory.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// Consumes the rest of the current line.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(end) = chunk.iter().position(|&b| b == b'\n') {
            reader.consume(end + 1);
            return Ok(());
        }
        let n = chunk.len();
        reader.consume(n);
    }
}

fn parse(line: &[u8]) -> Result<BusinessInput, String> {
    serde_json::from_slice(line).map_err(|e| {
        // Every line is its own document: "at line 1 column 9" only needs the column.
        format!("invalid JSON: {}", e.to_string().replace(" at line 1 column ", " at column "))
    })
}

pub fn read(path: &Path, sink: &mut RowSink) -> Result<(), ImportError> {
    let io = |source| ImportError::Io { path: path.to_owned(), source };
    let mut reader = BufReader::with_capacity(1 << 16, ProgressReader::new(open(path)?, sink.bar().clone()));
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        line += 1;
        let n = (&mut reader).take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut buf).map_err(io)?;
        if n == 0 {
            return Ok(());
        }
        if buf.len() > MAX_LINE_BYTES {
            skip_line(&mut reader).map_err(io)?;
            sink.skip(Location::Line(line), format!("line longer than {} MiB", MAX_LINE_BYTES >> 20));
            continue;
        }
        let text = buf.trim_ascii();
        if !text.is_empty() {
            sink.accept(Location::Line(line), parse(text))?;
        }
    }
}
