//! What changed between two reads of a map, without edit times: a [`FeatureIndex`] lists each
//! feature's id, a hash of everything a tile shows of it and its bounding box. A render keeps
//! the index of the map it drew next to the tiles; the next render diffs its map against that
//! index ([`diff`]) and redraws only the tiles the changed features' boxes meet.
//!
//! The file: the magic `LOCUSFIX`, a little-endian `u32` version, the settings hash (`u64`),
//! the zoom range (two `u8`s and six bytes of padding), the entry count (`u64`), then per entry
//! its id, hash (`u64` each) and box (four `f64`), and last a checksum (`u64`) of all before it.
//! It is written to a temporary name and renamed into place.

use super::feature::{Brunnel, Geometry};
use super::{Feature, MapData};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"LOCUSFIX";
/// The version of the file layout this build reads and writes.
pub const INDEX_VERSION: u32 = 1;
const HEADER: usize = 8 + 4 + 8 + 8 + 8;
const ENTRY: usize = 8 + 8 + 32;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("cannot read the feature index {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a feature index (wrong magic bytes)")]
    NotIndex { path: PathBuf },
    #[error("{path} is feature index version {found}; this build reads version {INDEX_VERSION}")]
    Version { path: PathBuf, found: u32 },
    #[error("{path} is truncated: {len} bytes where {expected} were announced")]
    Truncated { path: PathBuf, len: u64, expected: u64 },
    #[error("{path} is corrupt: {what}")]
    Corrupt { path: PathBuf, what: &'static str },
    #[error("cannot write the feature index {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

impl IndexError {
    /// Whether the index simply does not exist yet (no render has written it).
    pub fn is_missing(&self) -> bool {
        matches!(self, IndexError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// One feature as the index remembers it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexEntry {
    pub id: u64,
    /// [`content_hash`] of the feature.
    pub hash: u64,
    /// (min x, min y, max x, max y) in world space.
    pub bbox: [f64; 4],
}

/// The features of a rendered map, and what the render used.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureIndex {
    /// A hash of what else decides the tiles' content (style, font, scale, renderer); the
    /// caller sets it. When it differs, every tile is stale.
    pub settings: u64,
    /// The zooms the tiles were rendered at.
    pub zooms: (u8, u8),
    /// In the map's feature order.
    pub entries: Vec<IndexEntry>,
}

/// What [`diff`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub added: u64,
    pub removed: u64,
    pub modified: u64,
    /// The boxes tiles must be redrawn over: the new box of an added feature, the old one of a
    /// removed feature, both of a modified one.
    pub boxes: Vec<[f64; 4]>,
}

impl Changes {
    /// Features added, removed or modified.
    pub fn features(&self) -> u64 {
        self.added + self.removed + self.modified
    }
}

/// A 64-bit hash fed word by word: each step is `fmix64(state ^ word)`, a bijection, so two
/// inputs of the same length differing in one word never collide. Fixed here (not `std`'s
/// hasher) so that the index means the same to every build.
#[derive(Debug, Clone, Copy)]
struct WordHash(u64);

impl WordHash {
    fn new() -> WordHash {
        WordHash(0x9e37_79b9_7f4a_7c15)
    }

    fn word(&mut self, v: u64) {
        let mut h = self.0 ^ v;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        self.0 = h;
    }

    fn bytes(&mut self, b: &[u8]) {
        self.word(b.len() as u64);
        for chunk in b.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.word(u64::from_le_bytes(w));
        }
    }

    fn point(&mut self, p: &[f64; 2]) {
        self.word(p[0].to_bits());
        self.word(p[1].to_bits());
    }
}

/// A hash of everything a tile shows of a feature: its layer, class, first zoom, name, bridge
/// or tunnel, and the exact bits of every coordinate (and how they are grouped into lines,
/// rings and polygons).
pub fn content_hash(f: &Feature) -> u64 {
    let mut h = WordHash::new();
    h.bytes(f.layer.name().as_bytes());
    h.bytes(f.class.as_bytes());
    h.word(u64::from(f.min_zoom));
    match &f.name {
        Some(name) => h.bytes(name.as_bytes()),
        None => h.word(u64::MAX),
    }
    h.word(match f.brunnel {
        None => 0,
        Some(Brunnel::Bridge) => 1,
        Some(Brunnel::Tunnel) => 2,
    });
    match &f.geometry {
        Geometry::Point(p) => {
            h.word(1);
            h.point(p);
        }
        Geometry::Line(points) => {
            h.word(2);
            h.word(points.len() as u64);
            points.iter().for_each(|p| h.point(p));
        }
        Geometry::Area(polygons) => {
            h.word(3);
            h.word(polygons.len() as u64);
            for polygon in polygons {
                h.word(polygon.len() as u64);
                for ring in polygon {
                    h.word(ring.len() as u64);
                    ring.iter().for_each(|p| h.point(p));
                }
            }
        }
    }
    h.0
}

impl FeatureIndex {
    /// The index of a map's features (settings 0, every zoom; the caller sets both).
    pub fn of(map: &MapData) -> FeatureIndex {
        let entries =
            map.features().par_iter().map(|f| IndexEntry { id: f.id, hash: content_hash(f), bbox: f.bbox }).collect();
        FeatureIndex { settings: 0, zooms: (0, crate::MAX_ZOOM), entries }
    }

    /// The index in its file layout.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.entries.len() * ENTRY + 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&INDEX_VERSION.to_le_bytes());
        out.extend_from_slice(&self.settings.to_le_bytes());
        out.extend_from_slice(&[self.zooms.0, self.zooms.1, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        for e in &self.entries {
            out.extend_from_slice(&e.id.to_le_bytes());
            out.extend_from_slice(&e.hash.to_le_bytes());
            for v in e.bbox {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads an index from its file layout; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<FeatureIndex, IndexError> {
        let path = || path.to_owned();
        let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(IndexError::NotIndex { path: path() });
        }
        let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if version != INDEX_VERSION {
            return Err(IndexError::Version { path: path(), found: version });
        }
        let len = bytes.len() as u64;
        if bytes.len() < HEADER + 8 {
            return Err(IndexError::Truncated { path: path(), len, expected: (HEADER + 8) as u64 });
        }
        let count = word(HEADER - 8);
        let expected = count.checked_mul(ENTRY as u64).and_then(|n| n.checked_add((HEADER + 8) as u64));
        match expected {
            Some(expected) if expected == len => {}
            Some(expected) if expected > len => return Err(IndexError::Truncated { path: path(), len, expected }),
            _ => return Err(IndexError::Corrupt { path: path(), what: "its length does not match its entry count" }),
        }
        let body = bytes.len() - 8;
        if checksum(&bytes[..body]) != word(body) {
            return Err(IndexError::Corrupt { path: path(), what: "its checksum does not match" });
        }
        let zooms = (bytes[20], bytes[21]);
        if zooms.0 > zooms.1 || zooms.1 > crate::MAX_ZOOM {
            return Err(IndexError::Corrupt { path: path(), what: "its zoom range is impossible" });
        }
        let entries = bytes[HEADER..body]
            .chunks_exact(ENTRY)
            .map(|e| {
                let w = |i: usize| u64::from_le_bytes(e[i * 8..i * 8 + 8].try_into().unwrap_or_default());
                IndexEntry { id: w(0), hash: w(1), bbox: [2, 3, 4, 5].map(|i| f64::from_bits(w(i))) }
            })
            .collect();
        Ok(FeatureIndex { settings: word(12), zooms, entries })
    }

    /// Writes the index to `path` (creating its folder) through a temporary file.
    pub fn write(&self, path: &Path) -> Result<(), IndexError> {
        let err = |source| IndexError::Write { path: path.to_owned(), source };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let temp = path.with_extension(format!("bin.tmp{}", std::process::id()));
        std::fs::write(&temp, self.to_bytes()).map_err(err)?;
        std::fs::rename(&temp, path).map_err(err)
    }

    pub fn read(path: &Path) -> Result<FeatureIndex, IndexError> {
        let bytes = std::fs::read(path).map_err(|source| IndexError::Io { path: path.to_owned(), source })?;
        FeatureIndex::from_bytes(&bytes, path)
    }
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut h = WordHash::new();
    h.bytes(bytes);
    h.0
}

/// What changed from `old` to `new`, matching features by id. Ids that occur more than once
/// (none should) are compared as a group: any difference marks the whole group modified.
pub fn diff(old: &FeatureIndex, new: &FeatureIndex) -> Changes {
    let sorted = |index: &FeatureIndex| {
        let mut entries = index.entries.clone();
        entries.sort_unstable_by_key(|e| (e.id, e.hash));
        entries
    };
    let (old, new) = (sorted(old), sorted(new));
    let mut changes = Changes::default();
    let (mut i, mut j) = (0, 0);
    let group = |entries: &[IndexEntry], from: usize| {
        let id = entries[from].id;
        from + entries[from..].iter().take_while(|e| e.id == id).count()
    };
    while i < old.len() || j < new.len() {
        let next_old = old.get(i).map(|e| e.id);
        let next_new = new.get(j).map(|e| e.id);
        match (next_old, next_new) {
            (Some(a), Some(b)) if a == b => {
                let (i_end, j_end) = (group(&old, i), group(&new, j));
                let same = old[i..i_end].iter().map(|e| e.hash).eq(new[j..j_end].iter().map(|e| e.hash));
                if !same {
                    changes.modified += 1;
                    changes.boxes.extend(old[i..i_end].iter().chain(&new[j..j_end]).map(|e| e.bbox));
                }
                (i, j) = (i_end, j_end);
            }
            (Some(a), b) if b.is_none_or(|b| a < b) => {
                let end = group(&old, i);
                changes.removed += (end - i) as u64;
                changes.boxes.extend(old[i..end].iter().map(|e| e.bbox));
                i = end;
            }
            _ => {
                let end = group(&new, j);
                changes.added += (end - j) as u64;
                changes.boxes.extend(new[j..end].iter().map(|e| e.bbox));
                j = end;
            }
        }
    }
    changes
}

/// The world-space boxes tiles must be redrawn over to go from `old` to `new` ([`diff`]).
pub fn changed_boxes(old: &FeatureIndex, new: &FeatureIndex) -> Vec<[f64; 4]> {
    diff(old, new).boxes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::{Layer, MapReport};

    fn feature(id: u64, geometry: Geometry) -> Feature {
        let bbox = geometry.bbox();
        Feature { id, layer: Layer::Roads, class: "primary", min_zoom: 10, name: None, brunnel: None, geometry, bbox }
    }

    fn line(id: u64, x: f64) -> Feature {
        feature(id, Geometry::Line(vec![[x, 0.5], [x + 0.01, 0.51]]))
    }

    fn index(features: Vec<Feature>) -> FeatureIndex {
        FeatureIndex::of(&MapData::new(features, [0.0, 0.0, 1.0, 1.0], Vec::new(), MapReport::default()))
    }

    #[test]
    fn the_hash_sees_every_field_and_every_coordinate_bit() {
        let base = line(8, 0.25);
        let h = content_hash(&base);
        assert_eq!(h, content_hash(&base.clone()), "deterministic");
        let mut variants = Vec::new();
        let mut f = base.clone();
        f.layer = Layer::Water;
        variants.push(f);
        let mut f = base.clone();
        f.class = "secondary";
        variants.push(f);
        let mut f = base.clone();
        f.min_zoom = 11;
        variants.push(f);
        let mut f = base.clone();
        f.name = Some("Rue Grimaldi".into());
        variants.push(f);
        let mut f = base.clone();
        f.name = Some("".into());
        variants.push(f);
        let mut f = base.clone();
        f.brunnel = Some(Brunnel::Tunnel);
        variants.push(f);
        let mut f = base.clone();
        if let Geometry::Line(points) = &mut f.geometry {
            points[1][0] = f64::from_bits(points[1][0].to_bits() + 1);
        }
        variants.push(f);
        let mut f = base.clone();
        if let Geometry::Line(points) = &base.geometry {
            f.geometry = Geometry::Area(vec![vec![points.clone()]]);
        }
        variants.push(f);
        for v in &variants {
            assert_ne!(content_hash(v), h, "{v:?}");
        }
        // The id is the key, not content.
        let mut f = base.clone();
        f.id = 9;
        assert_eq!(content_hash(&f), h);
    }

    #[test]
    fn the_file_round_trips_and_is_written_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".locus/features-png.bin");
        let mut idx = index(vec![line(4, 0.1), line(8, 0.2), feature(0, Geometry::Point([0.3, 0.4]))]);
        idx.settings = 42;
        idx.zooms = (12, 14);
        idx.write(&path).unwrap();
        assert_eq!(FeatureIndex::read(&path).unwrap(), idx);
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["features-png.bin"], "no temporary file left");
        assert!(FeatureIndex::read(&dir.path().join("nope.bin")).unwrap_err().is_missing());
    }

    #[test]
    fn truncated_corrupt_and_other_version_files_are_clear_errors() {
        let idx = index(vec![line(4, 0.1), line(8, 0.2)]);
        let bytes = idx.to_bytes();
        let path = Path::new("features-png.bin");
        let read = |b: &[u8]| FeatureIndex::from_bytes(b, path).unwrap_err();

        for cut in [0, 5, 20, HEADER + 3, bytes.len() - 1] {
            let err = read(&bytes[..cut]);
            let ok = if cut < 12 {
                matches!(err, IndexError::NotIndex { .. })
            } else {
                matches!(err, IndexError::Truncated { .. })
            };
            assert!(ok, "cut at {cut}: {err}");
        }
        let mut flipped = bytes.clone();
        flipped[HEADER + 10] ^= 0x40;
        let err = read(&flipped);
        assert!(matches!(err, IndexError::Corrupt { .. }) && err.to_string().contains("checksum"), "{err}");
        let mut longer = bytes.clone();
        longer.extend_from_slice(&[0; 48]);
        assert!(matches!(read(&longer), IndexError::Corrupt { .. }));
        let mut v2 = bytes.clone();
        v2[8] = 2;
        let err = read(&v2);
        assert!(matches!(err, IndexError::Version { found: 2, .. }) && err.to_string().contains("version 1"), "{err}");
        let err = read(b"PNG\x89 not an index at all");
        assert!(err.to_string().contains("not a feature index"), "{err}");
    }

    #[test]
    fn the_diff_lists_added_removed_and_modified_boxes() {
        let old = index(vec![line(4, 0.1), line(8, 0.2), line(12, 0.3)]);
        assert_eq!(diff(&old, &old.clone()), Changes::default());
        let mut moved = line(8, 0.6);
        moved.name = Some("moved".into());
        let new = index(vec![line(4, 0.1), moved.clone(), line(16, 0.7)]);
        let changes = diff(&old, &new);
        assert_eq!((changes.added, changes.removed, changes.modified), (1, 1, 1));
        assert_eq!(changes.features(), 3);
        let mut boxes = changes.boxes.clone();
        boxes.sort_by(|a, b| a[0].total_cmp(&b[0]));
        assert_eq!(boxes, [line(8, 0.2).bbox, line(12, 0.3).bbox, moved.bbox, line(16, 0.7).bbox]);
        assert_eq!(changed_boxes(&old, &new), changes.boxes);
        // Feature order alone is no change.
        let reordered = index(vec![line(12, 0.3), line(4, 0.1), line(8, 0.2)]);
        assert!(changed_boxes(&old, &reordered).is_empty());
    }
}
