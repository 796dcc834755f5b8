//! Writing an archive: tiles arrive in any order and are spooled to a file beside the output
//! (only their ids, blob offsets and hashes stay in memory); `finish` sorts the entries,
//! lays the blobs out in tile-id order, builds the directories and writes the archive to a
//! temporary file that is renamed over the output once complete.

use super::directory::{self, Entry};
use super::header::{Compression, Header, TileType, HEADER_LEN};
use super::tile_id::{tile_id, tile_of, MAX_ARCHIVE_ZOOM};
use super::PmtilesError;
use crate::TileId;
use flate2::read::GzEncoder;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// What an archive holds, for its header and metadata.
#[derive(Debug, Clone)]
pub struct ArchiveInfo {
    pub tile_type: TileType,
    /// How the tiles given to [`PmtilesWriter::add_tile`] are compressed: `Gzip` for MVT from
    /// the renderer (checked: each tile must start with the gzip magic), `None` for PNG.
    pub tile_compression: Compression,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// (west, south, east, north) in degrees.
    pub bounds: (f64, f64, f64, f64),
    /// (longitude, latitude, zoom): where a viewer starts.
    pub center: (f64, f64, u8),
    /// The JSON metadata object (`name`, `attribution`, `vector_layers`, ...).
    pub metadata: serde_json::Value,
}

/// What [`PmtilesWriter::finish`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Tiles added (the header's addressed tiles).
    pub tiles: u64,
    /// Directory entries (runs of consecutive ids sharing a blob count once).
    pub entries: u64,
    /// Distinct tile contents, each stored once.
    pub contents: u64,
    /// Leaf directories (0: every entry is in the root).
    pub leaves: usize,
    /// Bytes of tile data.
    pub data_bytes: u64,
    /// Bytes of the whole archive.
    pub bytes: u64,
}

/// Writes one archive; see the module documentation. Dropping it unfinished removes its
/// temporary files and leaves the output untouched.
pub struct PmtilesWriter {
    path: PathBuf,
    spool_path: PathBuf,
    spool: Option<BufWriter<File>>,
    spooled: u64,
    info: ArchiveInfo,
    /// Distinct blobs: (offset in the spool, length), indexed by content number.
    blobs: Vec<(u64, u32)>,
    by_hash: HashMap<[u8; 32], u32>,
    /// (tile id, content number) per tile added.
    tiles: Vec<(u64, u32)>,
}

impl PmtilesWriter {
    /// Starts an archive at `path` (written on [`finish`](Self::finish)); the tile data is
    /// spooled to `{path}.{pid}.spool` meanwhile.
    pub fn create(path: impl Into<PathBuf>, info: ArchiveInfo) -> Result<PmtilesWriter, PmtilesError> {
        check_info(&info)?;
        let path = path.into();
        let spool_path = sibling(&path, "spool");
        let file = File::options().read(true).write(true).create(true).truncate(true).open(&spool_path)?;
        let spool = BufWriter::with_capacity(1 << 20, file);
        Ok(PmtilesWriter {
            path,
            spool_path,
            spool: Some(spool),
            spooled: 0,
            info,
            blobs: Vec::new(),
            by_hash: HashMap::new(),
            tiles: Vec::new(),
        })
    }

    /// Adds a tile, in any order. Bytes identical to an earlier tile's are stored once.
    pub fn add_tile(&mut self, tile: TileId, bytes: &[u8]) -> Result<(), PmtilesError> {
        let invalid = |reason: String| PmtilesError::InvalidTile { tile, reason };
        let id = tile_id(tile).ok_or_else(|| invalid("no such tile".into()))?;
        if !(self.info.min_zoom..=self.info.max_zoom).contains(&tile.z) {
            return Err(invalid(format!("the archive holds zooms {} to {}", self.info.min_zoom, self.info.max_zoom)));
        }
        let length = u32::try_from(bytes.len()).map_err(|_| invalid("a tile is at most 4 GiB".into()))?;
        if length == 0 {
            return Err(invalid("a tile has at least one byte".into()));
        }
        if self.info.tile_compression == Compression::Gzip && !bytes.starts_with(&[0x1f, 0x8b]) {
            return Err(invalid("the archive's tiles are gzip-compressed and this one is not".into()));
        }
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        let content = match self.by_hash.get(&hash) {
            Some(&c) => c,
            None => {
                let spool = self.spool.as_mut().ok_or_else(|| invalid("the writer has failed".into()))?;
                if let Err(e) = spool.write_all(bytes) {
                    self.spool = None;
                    return Err(e.into());
                }
                let c = u32::try_from(self.blobs.len()).map_err(|_| invalid("too many distinct tiles".into()))?;
                self.blobs.push((self.spooled, length));
                self.spooled += u64::from(length);
                self.by_hash.insert(hash, c);
                c
            }
        };
        self.tiles.push((id, content));
        Ok(())
    }

    /// Writes the archive and renames it over the output path.
    pub fn finish(mut self) -> Result<WriteSummary, PmtilesError> {
        let spool = self.spool.take().ok_or_else(|| std::io::Error::other("the tile spool failed earlier"))?;
        let mut spool = spool.into_inner().map_err(|e| e.into_error())?;
        self.tiles.sort_unstable_by_key(|&(id, _)| id);
        if let Some(w) = self.tiles.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(PmtilesError::DuplicateTile(tile_of(w[0].0).unwrap_or(TileId { z: 0, x: 0, y: 0 })));
        }
        if self.tiles.is_empty() {
            return Err(PmtilesError::NoTiles);
        }

        // Blobs in order of their first tile: the data section is clustered.
        let mut placed = vec![u64::MAX; self.blobs.len()];
        let mut order = Vec::with_capacity(self.blobs.len());
        let mut data_len = 0u64;
        let mut entries: Vec<Entry> = Vec::new();
        for &(id, content) in &self.tiles {
            let c = content as usize;
            if placed[c] == u64::MAX {
                placed[c] = data_len;
                data_len += u64::from(self.blobs[c].1);
                order.push(c);
            }
            let (offset, length) = (placed[c], self.blobs[c].1);
            match entries.last_mut() {
                Some(last)
                    if last.offset == offset
                        && last.tile_id + u64::from(last.run_length) == id
                        && last.run_length < u32::MAX =>
                {
                    last.run_length += 1
                }
                _ => entries.push(Entry { tile_id: id, offset, length, run_length: 1 }),
            }
        }

        let internal = Compression::Gzip;
        let (root, leaves, n_leaves) = directory::build(&entries, internal)?;
        let metadata = serde_json::to_vec(&self.info.metadata).map_err(std::io::Error::other)?;
        let mut metadata_gz = Vec::new();
        GzEncoder::new(&metadata[..], flate2::Compression::default()).read_to_end(&mut metadata_gz)?;

        let root_offset = HEADER_LEN as u64;
        let metadata_offset = root_offset + root.len() as u64;
        let leaf_offset = metadata_offset + metadata_gz.len() as u64;
        let data_offset = leaf_offset + leaves.len() as u64;
        let header = Header {
            root_offset,
            root_length: root.len() as u64,
            metadata_offset,
            metadata_length: metadata_gz.len() as u64,
            leaf_offset,
            leaf_length: leaves.len() as u64,
            data_offset,
            data_length: data_len,
            addressed_tiles: self.tiles.len() as u64,
            tile_entries: entries.len() as u64,
            tile_contents: self.blobs.len() as u64,
            clustered: true,
            internal_compression: internal,
            tile_compression: self.info.tile_compression,
            tile_type: self.info.tile_type,
            min_zoom: self.info.min_zoom,
            max_zoom: self.info.max_zoom,
            bounds: self.info.bounds,
            center: self.info.center,
        };

        let tmp_path = sibling(&self.path, "tmp");
        let result = (|| -> Result<(), PmtilesError> {
            let mut out = BufWriter::with_capacity(1 << 20, File::create(&tmp_path)?);
            out.write_all(&header.encode())?;
            out.write_all(&root)?;
            out.write_all(&metadata_gz)?;
            out.write_all(&leaves)?;
            let spool_order = order.iter().enumerate().all(|(i, &c)| c == i);
            if spool_order {
                // Tiles came in id order: the spool is the data section.
                out.flush()?;
                spool.seek(SeekFrom::Start(0))?;
                std::io::copy(&mut (&mut spool).take(data_len), out.get_mut())?;
            } else {
                let mut buf = Vec::new();
                for &c in &order {
                    let (at, len) = self.blobs[c];
                    buf.resize(len as usize, 0);
                    spool.read_exact_at(&mut buf, at)?;
                    out.write_all(&buf)?;
                }
            }
            let out = out.into_inner().map_err(|e| e.into_error())?;
            out.sync_all()?;
            std::fs::rename(&tmp_path, &self.path)?;
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp_path);
        }
        result?;
        let bytes = data_offset + data_len;
        Ok(WriteSummary {
            tiles: self.tiles.len() as u64,
            entries: entries.len() as u64,
            contents: self.blobs.len() as u64,
            leaves: n_leaves,
            data_bytes: data_len,
            bytes,
        })
    }
}

impl Drop for PmtilesWriter {
    fn drop(&mut self) {
        self.spool = None;
        let _ = std::fs::remove_file(&self.spool_path);
    }
}

/// `{path}.{pid}.{suffix}`: a temporary file in the output's directory (so the rename stays on
/// one file system).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "archive".into());
    name.push(format!(".{}.{suffix}", std::process::id()));
    path.with_file_name(name)
}

fn check_info(info: &ArchiveInfo) -> Result<(), PmtilesError> {
    let bad = |m: String| Err(PmtilesError::InvalidInfo(m));
    if info.min_zoom > info.max_zoom || info.max_zoom > MAX_ARCHIVE_ZOOM {
        return bad(format!("zooms {} to {} (0 <= min <= max <= {MAX_ARCHIVE_ZOOM})", info.min_zoom, info.max_zoom));
    }
    if !matches!(info.tile_compression, Compression::None | Compression::Gzip) {
        return bad(format!("tile compression {:?} (none or gzip)", info.tile_compression));
    }
    let (w, s, e, n) = info.bounds;
    let lng = |v: f64| v.is_finite() && v.abs() <= 180.0;
    let lat = |v: f64| v.is_finite() && v.abs() <= 90.0;
    if !(lng(w) && lng(e) && lat(s) && lat(n) && s <= n) {
        return bad(format!("bounds {:?} (west, south, east, north in degrees)", info.bounds));
    }
    let (clng, clat, _) = info.center;
    if !(lng(clng) && lat(clat)) {
        return bad(format!("center {:?} (longitude, latitude, zoom)", info.center));
    }
    if !info.metadata.is_object() {
        return bad("metadata must be a JSON object".into());
    }
    Ok(())
}
