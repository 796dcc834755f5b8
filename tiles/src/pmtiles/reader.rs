//! Reading an archive with positioned reads (`pread`), so one reader serves many threads:
//! the header, root directory and metadata are read and checked on open; a tile is found by
//! walking root → leaf directories, the leaves kept in a small bounded cache.

use super::directory::{self, Entry};
use super::header::{Compression, Header, HEADER_LEN, ROOT_SPAN};
use super::tile_id::tile_id;
use super::PmtilesError;
use crate::TileId;
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The largest tile read.
pub const MAX_TILE_BYTES: u64 = 64 << 20;
/// The largest metadata read, compressed or not.
pub const MAX_METADATA_BYTES: u64 = 16 << 20;
/// Leaf directories nest at most this deep (the spec discourages more than one level).
const MAX_DEPTH: usize = 4;
/// The leaf cache holds at most this many directories and entries (about 24 MiB).
const LEAF_CACHE_DIRS: usize = 64;
const LEAF_CACHE_ENTRIES: usize = 1 << 20;

/// An open archive; `Send + Sync`, every method takes `&self`.
pub struct PmtilesReader {
    file: File,
    len: u64,
    header: Header,
    root: Arc<Vec<Entry>>,
    metadata: serde_json::Value,
    leaves: Mutex<LeafCache>,
}

impl std::fmt::Debug for PmtilesReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PmtilesReader").field("len", &self.len).field("header", &self.header).finish_non_exhaustive()
    }
}

impl PmtilesReader {
    /// Opens an archive, checking its header against the file and reading its root directory
    /// and metadata.
    pub fn open(path: impl AsRef<Path>) -> Result<PmtilesReader, PmtilesError> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        let mut head = vec![0u8; len.min(HEADER_LEN as u64) as usize];
        file.read_exact_at(&mut head, 0)?;
        let header = Header::decode(&head)?;
        if !matches!(header.internal_compression, Compression::None | Compression::Gzip) {
            return Err(PmtilesError::Unsupported(format!(
                "internal compression {:?} (gzip or none)",
                header.internal_compression
            )));
        }
        let h = &header;
        for (what, offset, length) in [
            ("the root directory", h.root_offset, h.root_length),
            ("the metadata", h.metadata_offset, h.metadata_length),
            ("the leaf directories", h.leaf_offset, h.leaf_length),
            ("the tile data", h.data_offset, h.data_length),
        ] {
            // An empty section may sit anywhere; a section with bytes lies after the header.
            let end = offset.checked_add(length).filter(|&end| end <= len);
            if (length > 0 && offset < HEADER_LEN as u64) || end.is_none() {
                return Err(PmtilesError::Corrupt(format!(
                    "{what} (offset {offset}, length {length}) lies outside the {len}-byte file"
                )));
            }
        }
        if h.root_length == 0 || h.root_offset + h.root_length > ROOT_SPAN {
            return Err(PmtilesError::Corrupt(format!(
                "the root directory (offset {}, length {}) must be non-empty and end within the first {ROOT_SPAN} bytes",
                h.root_offset, h.root_length
            )));
        }
        if h.metadata_length > MAX_METADATA_BYTES {
            return Err(PmtilesError::TooLarge { what: "the metadata".into(), max: MAX_METADATA_BYTES });
        }
        let root = directory::decode(&read(&file, h.root_offset, h.root_length)?, h.internal_compression)?;
        let metadata = if h.metadata_length == 0 {
            serde_json::Value::Object(Default::default())
        } else {
            let raw = read(&file, h.metadata_offset, h.metadata_length)?;
            let json = directory::decompress(&raw, h.internal_compression, MAX_METADATA_BYTES, "the metadata")?;
            match serde_json::from_slice(&json) {
                Ok(v @ serde_json::Value::Object(_)) => v,
                Ok(_) => return Err(PmtilesError::Corrupt("the metadata is not a JSON object".into())),
                Err(e) => return Err(PmtilesError::Corrupt(format!("the metadata is not JSON: {e}"))),
            }
        };
        Ok(PmtilesReader {
            file,
            len,
            header,
            root: Arc::new(root),
            metadata,
            leaves: Mutex::new(LeafCache::default()),
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The JSON metadata object.
    pub fn metadata(&self) -> &serde_json::Value {
        &self.metadata
    }

    /// The archive's size in bytes, as opened.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A tile's bytes as stored (compressed as the header's tile compression says); `None`
    /// when the archive does not hold it.
    pub fn get(&self, tile: TileId) -> Result<Option<Vec<u8>>, PmtilesError> {
        match tile_id(tile) {
            Some(id) => self.get_id(id),
            None => Ok(None),
        }
    }

    /// A tile's bytes by tile id.
    pub fn get_id(&self, id: u64) -> Result<Option<Vec<u8>>, PmtilesError> {
        let mut dir = self.root.clone();
        for _ in 0..MAX_DEPTH {
            let Some(e) = directory::find(&dir, id) else { return Ok(None) };
            if !e.is_leaf() {
                return self.blob(e).map(Some);
            }
            dir = self.leaf(e)?;
        }
        Err(PmtilesError::Corrupt(format!("leaf directories nest deeper than {MAX_DEPTH} levels")))
    }

    /// Every tile entry, in tile-id order, reading every leaf directory (for checks and tools;
    /// the leaf cache is bypassed).
    pub fn entries(&self) -> Result<Vec<Entry>, PmtilesError> {
        let mut out = Vec::new();
        self.collect(&self.root, 0, &mut out)?;
        Ok(out)
    }

    fn collect(&self, dir: &[Entry], depth: usize, out: &mut Vec<Entry>) -> Result<(), PmtilesError> {
        if depth >= MAX_DEPTH {
            return Err(PmtilesError::Corrupt(format!("leaf directories nest deeper than {MAX_DEPTH} levels")));
        }
        for e in dir {
            if e.is_leaf() {
                self.collect(&self.read_leaf(*e)?, depth + 1, out)?;
            } else {
                out.push(*e);
            }
        }
        Ok(())
    }

    fn blob(&self, e: Entry) -> Result<Vec<u8>, PmtilesError> {
        let length = u64::from(e.length);
        if length > MAX_TILE_BYTES {
            return Err(PmtilesError::TooLarge { what: format!("tile {}", e.tile_id), max: MAX_TILE_BYTES });
        }
        if e.offset.checked_add(length).is_none_or(|end| end > self.header.data_length) {
            return Err(PmtilesError::Corrupt(format!(
                "tile {} (offset {}, length {length}) lies outside the tile data",
                e.tile_id, e.offset
            )));
        }
        read(&self.file, self.header.data_offset + e.offset, length)
    }

    fn leaf(&self, e: Entry) -> Result<Arc<Vec<Entry>>, PmtilesError> {
        if let Some(dir) = self.leaves.lock().unwrap_or_else(|p| p.into_inner()).get(e.offset) {
            return Ok(dir);
        }
        let dir = Arc::new(self.read_leaf(e)?);
        self.leaves.lock().unwrap_or_else(|p| p.into_inner()).insert(e.offset, dir.clone());
        Ok(dir)
    }

    fn read_leaf(&self, e: Entry) -> Result<Vec<Entry>, PmtilesError> {
        let length = u64::from(e.length);
        if e.offset.checked_add(length).is_none_or(|end| end > self.header.leaf_length) {
            return Err(PmtilesError::Corrupt(format!(
                "a leaf directory (offset {}, length {length}) lies outside the leaf section",
                e.offset
            )));
        }
        let bytes = read(&self.file, self.header.leaf_offset + e.offset, length)?;
        directory::decode(&bytes, self.header.internal_compression)
    }
}

/// `length` bytes at `offset` (the caller has checked they lie within the file).
fn read(file: &File, offset: u64, length: u64) -> Result<Vec<u8>, PmtilesError> {
    let mut buf = vec![0u8; length as usize];
    file.read_exact_at(&mut buf, offset).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => PmtilesError::Corrupt("the file is shorter than it was".into()),
        _ => PmtilesError::Io(e),
    })?;
    Ok(buf)
}

/// Recently used leaf directories by offset, bounded by count and by entries; the least
/// recently used goes first.
#[derive(Default)]
struct LeafCache {
    dirs: HashMap<u64, (Arc<Vec<Entry>>, u64)>,
    entries: usize,
    clock: u64,
}

impl LeafCache {
    fn get(&mut self, offset: u64) -> Option<Arc<Vec<Entry>>> {
        self.clock += 1;
        let clock = self.clock;
        self.dirs.get_mut(&offset).map(|(dir, used)| {
            *used = clock;
            dir.clone()
        })
    }

    fn insert(&mut self, offset: u64, dir: Arc<Vec<Entry>>) {
        if dir.len() > LEAF_CACHE_ENTRIES || self.dirs.contains_key(&offset) {
            return;
        }
        while self.dirs.len() >= LEAF_CACHE_DIRS || self.entries + dir.len() > LEAF_CACHE_ENTRIES {
            let Some((&oldest, _)) = self.dirs.iter().min_by_key(|(_, (_, used))| *used) else { break };
            if let Some((old, _)) = self.dirs.remove(&oldest) {
                self.entries -= old.len();
            }
        }
        self.clock += 1;
        self.entries += dir.len();
        self.dirs.insert(offset, (dir, self.clock));
    }
}
