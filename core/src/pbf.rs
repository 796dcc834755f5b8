//! Reading OpenStreetMap PBF files block by block, strictly: the one reader behind every OSM
//! import (businesses in `locus-pipelines`, roads in `locus-routing`).
//!
//! A file is accepted only when it is a complete PBF file: an `OSMHeader` block first, every
//! block whole and decodable, no stray bytes after the last block. The third-party decoder runs
//! behind `catch_unwind` (it can panic on crafted input, also lazily while elements are
//! iterated), so a hostile file is an error, never a crash.

use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Why a scan stopped.
#[derive(Debug, thiserror::Error)]
pub enum ScanError<E> {
    /// The file is not a complete, decodable PBF file.
    #[error("{0}")]
    Invalid(String),
    /// The visitor refused a block.
    #[error(transparent)]
    Visit(E),
}

/// Hands every data block of `reader` to `visit`, in file order; returns the number of blocks.
pub fn scan_blocks<R: Read + Send, E>(
    reader: R,
    mut visit: impl FnMut(&PrimitiveBlock) -> Result<(), E>,
) -> Result<u64, ScanError<E>> {
    let count = Arc::new(AtomicU64::new(0));
    let reader = Counting { inner: reader, count: count.clone() };
    let mut blocks = 0u64;
    let mut clean_end = 0u64;
    for blob in BlobReader::new(reader) {
        let blob = blob.map_err(|e| ScanError::Invalid(e.to_string()))?;
        let outcome = catch_unwind(AssertUnwindSafe(|| match blob.decode() {
            Err(e) => Err(ScanError::Invalid(e.to_string())),
            Ok(BlobDecode::OsmHeader(_)) if blocks == 0 => Ok(()),
            Ok(BlobDecode::OsmData(block)) if blocks > 0 => visit(&block).map_err(ScanError::Visit),
            Ok(BlobDecode::Unknown(_)) if blocks > 0 => Ok(()),
            Ok(_) => Err(ScanError::Invalid("it does not start with an OSMHeader block".into())),
        }));
        match outcome {
            Ok(result) => result?,
            Err(_) => return Err(ScanError::Invalid(format!("block {blocks} is malformed (the decoder gave up)"))),
        }
        blocks += 1;
        clean_end = count.load(Ordering::Relaxed);
    }
    if blocks == 0 {
        return Err(ScanError::Invalid("it holds no complete block".into()));
    }
    let stray = count.load(Ordering::Relaxed) - clean_end;
    if stray > 0 {
        return Err(ScanError::Invalid(format!("it ends with {stray} bytes of a cut-off block")));
    }
    Ok(blocks)
}

/// Why a file could not be scanned.
#[derive(Debug, thiserror::Error)]
pub enum FileScanError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Not a complete, decodable PBF file.
    #[error("{0}")]
    Invalid(String),
}

/// Hands every data block of the file at `path` to `visit`, in order, reading through a 1 MiB
/// buffer; the passes of the OSM readers (routing tiles, map tiles) go through here.
pub fn scan_file(path: &std::path::Path, mut visit: impl FnMut(&PrimitiveBlock)) -> Result<u64, FileScanError> {
    let file = std::fs::File::open(path)?;
    scan_blocks(std::io::BufReader::with_capacity(1 << 20, file), |block| {
        visit(block);
        Ok::<_, std::convert::Infallible>(())
    })
    .map_err(|e| FileScanError::Invalid(e.to_string()))
}

/// The bounding box the file's `OSMHeader` block declares, as (west, south, east, north) in
/// degrees; `None` when the header has none. Only the first block is read.
pub fn header_bbox<R: Read + Send>(reader: R) -> Result<Option<[f64; 4]>, String> {
    let blob = BlobReader::new(reader).next().ok_or("the file is empty")?.map_err(|e| e.to_string())?;
    match catch_unwind(AssertUnwindSafe(|| blob.decode())) {
        Ok(Ok(BlobDecode::OsmHeader(header))) => Ok(header
            .bbox()
            // osmpbf's docs and the format disagree on which of top/bottom is north; take both.
            .map(|b| [b.left, b.top.min(b.bottom), b.right, b.top.max(b.bottom)])
            .filter(|b| b.iter().all(|v| v.is_finite()) && b[0] < b[2] && b[1] < b[3])),
        Ok(Ok(_)) => Err("it does not start with an OSMHeader block".into()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("its header block is malformed (the decoder gave up)".into()),
    }
}

/// A reader that counts the bytes read through it (to tell a cut-off last block).
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monaco() -> Option<Vec<u8>> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/monaco.osm.pbf")).ok()
    }

    #[test]
    fn whole_files_pass_and_damaged_ones_fail() {
        let Some(bytes) = monaco() else {
            eprintln!("note: monaco.osm.pbf absent; skipping");
            return;
        };
        let blocks = scan_blocks(&bytes[..], |_| Ok::<_, ()>(())).unwrap();
        assert!(blocks > 1);
        for bad in [&bytes[..bytes.len() / 2], &bytes[..bytes.len() - 1], &bytes[..200], &b"garbage"[..], &[][..]] {
            assert!(matches!(scan_blocks(bad, |_| Ok::<_, ()>(())), Err(ScanError::Invalid(_))));
        }
        let mut trailing = bytes.clone();
        trailing.extend_from_slice(b"\0\0\0\x0ejunk");
        assert!(scan_blocks(&trailing[..], |_| Ok::<_, ()>(())).is_err());
        assert!(matches!(scan_blocks(&bytes[..], |_| Err("stop")), Err(ScanError::Visit("stop"))));
    }
}
