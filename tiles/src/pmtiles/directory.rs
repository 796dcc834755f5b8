//! Directories: lists of entries, each a run of tiles sharing one blob or a leaf directory.
//!
//! On disk a directory is the entry count, then the columns (tile-id deltas, run lengths,
//! lengths, offsets), every number a varint, and the whole compressed by the header's internal
//! compression. An offset is stored as 0 when it continues the previous entry's blob, else as
//! offset + 1. The root directory lives in the first 16 KiB; when the entries do not fit there
//! they are cut into leaf directories, and the root lists the leaves.

use super::header::{Compression, HEADER_LEN, ROOT_SPAN};
use super::PmtilesError;
use flate2::read::{GzDecoder, GzEncoder};
use std::io::Read;

/// The largest directory read, decompressed (at most 2 Mi entries). A leaf of a real
/// archive is well below 1 MiB.
pub const MAX_DIRECTORY_BYTES: u64 = 8 << 20;
/// The largest compressed root directory: it ends within the first 16 KiB of the file.
pub const MAX_ROOT_BYTES: usize = (ROOT_SPAN as usize) - HEADER_LEN;

/// One directory entry: tiles `tile_id .. tile_id + run_length` are the blob at `offset` in the
/// data section; with `run_length == 0`, a leaf directory at `offset` in the leaf section whose
/// first tile is `tile_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub tile_id: u64,
    pub offset: u64,
    pub length: u32,
    pub run_length: u32,
}

impl Entry {
    pub fn is_leaf(&self) -> bool {
        self.run_length == 0
    }
}

/// The entry whose range holds `id` in a sorted directory: a tile entry when its run covers
/// `id`, or the leaf directory that would hold it.
pub fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let at = entries.partition_point(|e| e.tile_id <= id).checked_sub(1)?;
    let e = entries[at];
    if e.is_leaf() || id - e.tile_id < u64::from(e.run_length) {
        Some(e)
    } else {
        None
    }
}

/// A directory serialized and compressed.
pub fn encode(entries: &[Entry], compression: Compression) -> Result<Vec<u8>, PmtilesError> {
    let mut raw = Vec::with_capacity(entries.len() * 6 + 10);
    put_varint(&mut raw, entries.len() as u64);
    let mut last = 0;
    for e in entries {
        put_varint(&mut raw, e.tile_id - last);
        last = e.tile_id;
    }
    for e in entries {
        put_varint(&mut raw, u64::from(e.run_length));
    }
    for e in entries {
        put_varint(&mut raw, u64::from(e.length));
    }
    let mut next = None;
    for e in entries {
        put_varint(&mut raw, if next == Some(e.offset) { 0 } else { e.offset + 1 });
        next = Some(e.offset + u64::from(e.length));
    }
    match compression {
        Compression::None => Ok(raw),
        Compression::Gzip => {
            let mut out = Vec::new();
            GzEncoder::new(&raw[..], flate2::Compression::default()).read_to_end(&mut out)?;
            Ok(out)
        }
        other => Err(PmtilesError::Unsupported(format!("internal compression {other:?}"))),
    }
}

/// A directory from its compressed bytes. Never trusts a count: every entry takes at least
/// four bytes, so a directory cannot claim more entries than its bytes hold; tile ids must
/// ascend and lengths be above 0.
pub fn decode(bytes: &[u8], compression: Compression) -> Result<Vec<Entry>, PmtilesError> {
    let raw = decompress(bytes, compression, MAX_DIRECTORY_BYTES, "a directory")?;
    let mut r = Varints { bytes: &raw, at: 0 };
    let n = r.next()?;
    if n == 0 {
        return Err(PmtilesError::Corrupt("a directory has no entries".into()));
    }
    if n > (raw.len() as u64) / 4 {
        return Err(PmtilesError::Corrupt(format!("a directory of {} bytes claims {n} entries", raw.len())));
    }
    let n = n as usize;
    let mut entries = vec![Entry { tile_id: 0, offset: 0, length: 0, run_length: 0 }; n];
    let mut last = 0u64;
    for (i, e) in entries.iter_mut().enumerate() {
        let delta = r.next()?;
        if i > 0 && delta == 0 {
            return Err(PmtilesError::Corrupt("directory tile ids do not ascend".into()));
        }
        last = last.checked_add(delta).ok_or_else(|| PmtilesError::Corrupt("a tile id overflows".into()))?;
        e.tile_id = last;
    }
    for e in entries.iter_mut() {
        e.run_length = small(r.next()?, "run length")?;
    }
    for e in entries.iter_mut() {
        e.length = small(r.next()?, "length")?;
        if e.length == 0 {
            return Err(PmtilesError::Corrupt("a directory entry has length 0".into()));
        }
    }
    for i in 0..n {
        let v = r.next()?;
        entries[i].offset = if v == 0 && i > 0 {
            let prev = entries[i - 1];
            prev.offset + u64::from(prev.length)
        } else if v == 0 {
            return Err(PmtilesError::Corrupt("the first directory entry continues nothing".into()));
        } else {
            v - 1
        };
        if entries[i].offset.checked_add(u64::from(entries[i].length)).is_none() {
            return Err(PmtilesError::Corrupt("a directory entry ends past 2^64".into()));
        }
    }
    if r.at != raw.len() {
        return Err(PmtilesError::Corrupt("a directory has bytes after its entries".into()));
    }
    Ok(entries)
}

/// Decompressed bytes, refusing more than `limit` (a small file must not expand without
/// bound).
pub fn decompress(bytes: &[u8], compression: Compression, limit: u64, what: &str) -> Result<Vec<u8>, PmtilesError> {
    let out = match compression {
        Compression::None => bytes.to_vec(),
        Compression::Gzip => {
            let mut out = Vec::new();
            GzDecoder::new(bytes)
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(|e| PmtilesError::Corrupt(format!("{what} does not gunzip: {e}")))?;
            out
        }
        other => return Err(PmtilesError::Unsupported(format!("internal compression {other:?}"))),
    };
    if out.len() as u64 > limit {
        return Err(PmtilesError::TooLarge { what: what.to_owned(), max: limit });
    }
    Ok(out)
}

fn small(v: u64, what: &str) -> Result<u32, PmtilesError> {
    u32::try_from(v).map_err(|_| PmtilesError::Corrupt(format!("a directory {what} of {v} exceeds 32 bits")))
}

/// The directories of a sorted list of tile entries: the compressed root and the leaf
/// section (empty when every entry fits in the root). Leaves start at 4,096 entries (or a
/// 3,500th of the entries) and grow by a fifth until the root that lists them fits in 16 KiB.
pub fn build(entries: &[Entry], compression: Compression) -> Result<(Vec<u8>, Vec<u8>, usize), PmtilesError> {
    let root = encode(entries, compression)?;
    if root.len() <= MAX_ROOT_BYTES {
        return Ok((root, Vec::new(), 0));
    }
    let mut per_leaf = (entries.len() / 3500).max(4096);
    loop {
        let mut leaves = Vec::new();
        let mut root_entries = Vec::new();
        for chunk in entries.chunks(per_leaf) {
            let leaf = encode(chunk, compression)?;
            root_entries.push(Entry {
                tile_id: chunk[0].tile_id,
                offset: leaves.len() as u64,
                length: u32::try_from(leaf.len())
                    .map_err(|_| PmtilesError::TooLarge { what: "a leaf directory".into(), max: u32::MAX.into() })?,
                run_length: 0,
            });
            leaves.extend_from_slice(&leaf);
        }
        let root = encode(&root_entries, compression)?;
        if root.len() <= MAX_ROOT_BYTES {
            return Ok((root, leaves, root_entries.len()));
        }
        per_leaf += per_leaf / 5 + 1;
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Varints<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Varints<'_> {
    fn next(&mut self) -> Result<u64, PmtilesError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or_else(|| PmtilesError::Corrupt("a directory ends early".into()))?;
            self.at += 1;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(PmtilesError::Corrupt("a directory varint exceeds 64 bits".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(tile_id: u64, offset: u64, length: u32, run_length: u32) -> Entry {
        Entry { tile_id, offset, length, run_length }
    }

    #[test]
    fn a_directory_is_columns_of_varints() {
        // Tiles 5 (blob 0..10), 6-8 (blob 10..310, contiguous), 300 (back to blob 0).
        let entries = [e(5, 0, 10, 1), e(6, 10, 300, 3), e(300, 0, 10, 1)];
        let raw = encode(&entries, Compression::None).unwrap();
        #[rustfmt::skip]
        let expected = [
            3,                   // entries
            5, 1, 0xa6, 0x02,    // tile id deltas: 5, 1, 294
            1, 3, 1,             // run lengths
            10, 0xac, 0x02, 10,  // lengths: 10, 300, 10
            1, 0, 1,             // offsets: 0 + 1, contiguous, 0 + 1
        ];
        assert_eq!(raw, expected);
        assert_eq!(decode(&raw, Compression::None).unwrap(), entries);
        let gz = encode(&entries, Compression::Gzip).unwrap();
        assert_eq!(&gz[..2], &[0x1f, 0x8b]);
        assert_eq!(decode(&gz, Compression::Gzip).unwrap(), entries);
    }

    #[test]
    fn find_looks_up_runs_and_leaves() {
        let tiles = [e(5, 0, 10, 1), e(6, 10, 300, 3), e(300, 0, 10, 1)];
        assert_eq!(find(&tiles, 4), None);
        assert_eq!(find(&tiles, 5), Some(tiles[0]));
        assert_eq!(find(&tiles, 8), Some(tiles[1]));
        assert_eq!(find(&tiles, 9), None);
        assert_eq!(find(&tiles, 301), None);
        let leaves = [e(0, 0, 50, 0), e(1000, 50, 40, 0)];
        assert_eq!(find(&leaves, 999), Some(leaves[0]));
        assert_eq!(find(&leaves, u64::MAX), Some(leaves[1]));
    }

    #[test]
    fn damaged_directories_are_errors() {
        let good = encode(&[e(5, 0, 10, 1), e(6, 10, 300, 3)], Compression::None).unwrap();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("empty", vec![]),
            ("no entries", vec![0]),
            ("truncated", good[..good.len() - 1].to_vec()),
            ("trailing bytes", [&good[..], &[0]].concat()),
            ("huge count", vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 1, 1, 1]),
            ("overlong varint", vec![0xff; 11]),
            ("zero length", vec![1, 5, 1, 0, 1]),
            ("run length past 32 bits", vec![1, 5, 0x80, 0x80, 0x80, 0x80, 0x10, 1, 1]),
            ("ids not ascending", vec![2, 5, 0, 1, 1, 1, 1, 1, 0]),
            ("first offset continues nothing", vec![1, 5, 1, 1, 0]),
        ];
        for (what, bytes) in cases {
            assert!(matches!(decode(&bytes, Compression::None), Err(PmtilesError::Corrupt(_))), "{what}");
        }
        assert!(matches!(decode(&good, Compression::Gzip), Err(PmtilesError::Corrupt(_))), "not gzip");
        assert!(matches!(decode(&good, Compression::Brotli), Err(PmtilesError::Unsupported(_))));
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit() {
        let zeros = vec![0u8; 4 << 20];
        let mut gz = Vec::new();
        GzEncoder::new(&zeros[..], flate2::Compression::best()).read_to_end(&mut gz).unwrap();
        assert!(gz.len() < 10_000);
        let err = decompress(&gz, Compression::Gzip, 1 << 20, "a directory").unwrap_err();
        assert!(matches!(err, PmtilesError::TooLarge { .. }), "{err}");
    }

    #[test]
    fn entries_that_overflow_the_root_go_to_leaves() {
        // Sparse ids and varied lengths do not compress away: 40,000 entries need leaves.
        let mut entries = Vec::new();
        let (mut id, mut offset) = (0u64, 0u64);
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..40_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            id += 1 + state % 200;
            let length = 1 + (state >> 20) as u32 % 5000;
            entries.push(e(id, offset, length, 1));
            offset += u64::from(length);
        }
        let (root, leaves, n_leaves) = build(&entries, Compression::Gzip).unwrap();
        assert!(root.len() <= MAX_ROOT_BYTES);
        assert!(n_leaves >= 2, "{n_leaves} leaves");
        let root = decode(&root, Compression::Gzip).unwrap();
        assert!(root.iter().all(Entry::is_leaf));
        let mut all = Vec::new();
        for leaf in &root {
            let bytes = &leaves[leaf.offset as usize..(leaf.offset + u64::from(leaf.length)) as usize];
            let part = decode(bytes, Compression::Gzip).unwrap();
            assert_eq!(part[0].tile_id, leaf.tile_id);
            all.extend(part);
        }
        assert_eq!(all, entries);
    }
}
