//! Writer and reader together: round trips, and damaged or hostile archives.

use super::directory::{self, Entry, MAX_ROOT_BYTES};
use super::header::{HEADER_LEN, ROOT_SPAN};
use super::*;
use crate::TileId;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::path::Path;

fn info(tile_type: TileType, tile_compression: Compression, min_zoom: u8, max_zoom: u8) -> ArchiveInfo {
    ArchiveInfo {
        tile_type,
        tile_compression,
        min_zoom,
        max_zoom,
        bounds: (-10.5, 35.25, 30.0, 60.125),
        center: (7.4246, 43.7384, 6),
        metadata: json!({"name": "test", "vector_layers": [{"id": "roads", "fields": {}}]}),
    }
}

/// A tiny deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Every tile of zooms 0 to 8: a third are "ocean" (one shared content, often in runs), the
/// rest distinct with varied lengths, so the directory needs leaves.
fn pyramid() -> Vec<(TileId, Vec<u8>)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut tiles = Vec::new();
    for z in 0..=8u8 {
        for x in 0..1u32 << z {
            for y in 0..1u32 << z {
                let bytes = if y % 3 == 0 || (z >= 6 && x < 8) {
                    b"ocean".to_vec()
                } else {
                    let mut b = format!("{z}/{x}/{y}:").into_bytes();
                    b.resize(b.len() + (rng.next() % 300) as usize, b'.');
                    b
                };
                tiles.push((TileId { z, x, y }, bytes));
            }
        }
    }
    tiles
}

fn write(path: &Path, info: ArchiveInfo, tiles: &[(TileId, Vec<u8>)]) -> WriteSummary {
    let mut w = PmtilesWriter::create(path, info).unwrap();
    for (tile, bytes) in tiles {
        w.add_tile(*tile, bytes).unwrap();
    }
    w.finish().unwrap()
}

#[test]
fn a_pyramid_reads_back_tile_for_tile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.pmtiles");
    let mut tiles = pyramid();
    // Shuffled: the writer must lay the data out in tile-id order itself.
    let mut rng = Rng(7);
    for i in (1..tiles.len()).rev() {
        tiles.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    let summary = write(&path, info(TileType::Png, Compression::None, 0, 8), &tiles);

    // The expected counts, computed independently: runs of consecutive ids with equal bytes.
    let mut by_id: Vec<(u64, &[u8])> = tiles.iter().map(|(t, b)| (tile_id(*t).unwrap(), &b[..])).collect();
    by_id.sort();
    let distinct: HashSet<&[u8]> = by_id.iter().map(|&(_, b)| b).collect();
    let runs = 1 + by_id.windows(2).filter(|w| !(w[1].0 == w[0].0 + 1 && w[1].1 == w[0].1)).count();
    assert_eq!(summary.tiles, 87_381);
    assert_eq!(summary.contents, distinct.len() as u64);
    assert_eq!(summary.entries, runs as u64);
    assert!(summary.entries < summary.tiles * 9 / 10, "runs merge: {summary:?}");
    assert!(summary.leaves >= 2, "the directory needs leaves: {summary:?}");
    assert_eq!(summary.bytes, std::fs::metadata(&path).unwrap().len());

    let reader = PmtilesReader::open(&path).unwrap();
    let h = reader.header();
    assert_eq!(
        (h.addressed_tiles, h.tile_entries, h.tile_contents),
        (summary.tiles, summary.entries, summary.contents)
    );
    assert!(h.clustered && h.leaf_length > 0);
    assert!(h.root_offset + h.root_length <= ROOT_SPAN && h.root_length as usize <= MAX_ROOT_BYTES);
    assert_eq!(
        (h.tile_type, h.tile_compression, h.internal_compression),
        (TileType::Png, Compression::None, Compression::Gzip)
    );
    assert_eq!(
        (h.min_zoom, h.max_zoom, h.bounds, h.center),
        (0, 8, (-10.5, 35.25, 30.0, 60.125), (7.4246, 43.7384, 6))
    );
    assert_eq!(reader.metadata()["name"], "test");
    for (tile, bytes) in &tiles {
        assert_eq!(reader.get(*tile).unwrap().as_deref(), Some(&bytes[..]), "{tile:?}");
    }
    assert_eq!(reader.get(TileId { z: 9, x: 0, y: 0 }).unwrap(), None);
    assert_eq!(reader.get(TileId { z: 2, x: 4, y: 0 }).unwrap(), None, "no such tile");

    // Clustered: each blob either follows the last new one or points back to an earlier one.
    let entries = reader.entries().unwrap();
    assert_eq!(entries.len() as u64, summary.entries);
    assert_eq!(entries.iter().map(|e| u64::from(e.run_length)).sum::<u64>(), summary.tiles);
    let mut end = 0;
    for e in &entries {
        assert!(e.offset <= end, "{e:?} after {end}");
        end = end.max(e.offset + u64::from(e.length));
    }
    assert_eq!(end, h.data_length);
    assert!(dir.path().read_dir().unwrap().count() == 1, "no temporary files left behind");
}

#[test]
fn the_order_tiles_arrive_in_does_not_change_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let mut tiles: Vec<_> = pyramid().into_iter().filter(|(t, _)| t.z <= 5).collect();
    tiles.sort_by_key(|(t, _)| tile_id(*t));
    write(&dir.path().join("a.pmtiles"), info(TileType::Png, Compression::None, 0, 5), &tiles);
    tiles.reverse();
    write(&dir.path().join("b.pmtiles"), info(TileType::Png, Compression::None, 0, 5), &tiles);
    let a = std::fs::read(dir.path().join("a.pmtiles")).unwrap();
    assert_eq!(a, std::fs::read(dir.path().join("b.pmtiles")).unwrap());
    let h = Header::decode(&a).unwrap();
    assert_eq!(h.leaf_length, 0, "a small archive has only a root directory");
}

#[test]
fn gzip_tiles_are_checked_and_stored_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.pmtiles");
    let gz = |s: &str| {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(s.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let mut w = PmtilesWriter::create(&path, info(TileType::Mvt, Compression::Gzip, 3, 3)).unwrap();
    let t = TileId { z: 3, x: 4, y: 2 };
    let err = w.add_tile(t, b"plain").unwrap_err();
    assert!(matches!(err, PmtilesError::InvalidTile { .. }), "{err}");
    w.add_tile(t, &gz("roads")).unwrap();
    w.finish().unwrap();
    let reader = PmtilesReader::open(&path).unwrap();
    assert_eq!(reader.get(t).unwrap(), Some(gz("roads")));
    assert_eq!((reader.header().tile_type, reader.header().tile_compression), (TileType::Mvt, Compression::Gzip));
}

#[test]
fn the_writer_refuses_what_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pmtiles");
    let png = || info(TileType::Png, Compression::None, 2, 4);
    let t = TileId { z: 3, x: 1, y: 1 };
    let invalid = |i: ArchiveInfo| matches!(PmtilesWriter::create(&path, i), Err(PmtilesError::InvalidInfo(_)));
    assert!(invalid(ArchiveInfo { min_zoom: 5, ..png() }));
    assert!(invalid(ArchiveInfo { max_zoom: 32, ..png() }));
    assert!(invalid(ArchiveInfo { bounds: (0.0, 10.0, 1.0, 5.0), ..png() }));
    assert!(invalid(ArchiveInfo { bounds: (f64::NAN, 0.0, 1.0, 5.0), ..png() }));
    assert!(invalid(ArchiveInfo { center: (181.0, 0.0, 3), ..png() }));
    assert!(invalid(ArchiveInfo { tile_compression: Compression::Zstd, ..png() }));
    assert!(invalid(ArchiveInfo { metadata: json!([1]), ..png() }));

    let mut w = PmtilesWriter::create(&path, png()).unwrap();
    for (tile, bytes) in [(TileId { z: 1, x: 0, y: 0 }, &b"x"[..]), (TileId { z: 3, x: 8, y: 0 }, b"x"), (t, b"")] {
        assert!(matches!(w.add_tile(tile, bytes), Err(PmtilesError::InvalidTile { .. })), "{tile:?}");
    }
    drop(w);
    assert_eq!(dir.path().read_dir().unwrap().count(), 0, "an unfinished writer leaves nothing");

    let w = PmtilesWriter::create(&path, png()).unwrap();
    assert!(matches!(w.finish(), Err(PmtilesError::NoTiles)));
    let mut w = PmtilesWriter::create(&path, png()).unwrap();
    w.add_tile(t, b"one").unwrap();
    w.add_tile(t, b"two").unwrap();
    assert!(matches!(w.finish(), Err(PmtilesError::DuplicateTile(d)) if d == t));
    assert!(!path.exists());
}

/// An archive put together by hand, directories uncompressed, so tests can lie in it.
fn crafted(root: &[Entry], leaves: &[u8], data: &[u8], edit: impl FnOnce(&mut Header)) -> Vec<u8> {
    let root = directory::encode(root, Compression::None).unwrap();
    let metadata = br#"{"name":"crafted"}"#;
    let root_offset = HEADER_LEN as u64;
    let metadata_offset = root_offset + root.len() as u64;
    let leaf_offset = metadata_offset + metadata.len() as u64;
    let data_offset = leaf_offset + leaves.len() as u64;
    let mut h = Header {
        root_offset,
        root_length: root.len() as u64,
        metadata_offset,
        metadata_length: metadata.len() as u64,
        leaf_offset,
        leaf_length: leaves.len() as u64,
        data_offset,
        data_length: data.len() as u64,
        addressed_tiles: 0,
        tile_entries: 0,
        tile_contents: 0,
        clustered: false,
        internal_compression: Compression::None,
        tile_compression: Compression::None,
        tile_type: TileType::Png,
        min_zoom: 0,
        max_zoom: 3,
        bounds: (-180.0, -85.0, 180.0, 85.0),
        center: (0.0, 0.0, 0),
    };
    edit(&mut h);
    [&h.encode()[..], &root, metadata, leaves, data].concat()
}

fn open_bytes(bytes: &[u8]) -> Result<PmtilesReader, PmtilesError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pmtiles");
    std::fs::write(&path, bytes).unwrap();
    PmtilesReader::open(&path)
}

fn e(tile_id: u64, offset: u64, length: u32, run_length: u32) -> Entry {
    Entry { tile_id, offset, length, run_length }
}

#[test]
fn a_crafted_archive_is_read_like_a_written_one() {
    let bytes = crafted(&[e(0, 0, 3, 1), e(1, 3, 2, 4)], &[], b"abcde", |_| {});
    let r = open_bytes(&bytes).unwrap();
    assert_eq!(r.get(TileId { z: 0, x: 0, y: 0 }).unwrap().as_deref(), Some(&b"abc"[..]));
    assert_eq!(r.get(TileId { z: 1, x: 1, y: 0 }).unwrap().as_deref(), Some(&b"de"[..]), "id 4, in the run");
    assert_eq!(r.get(TileId { z: 2, x: 0, y: 0 }).unwrap(), None);
    assert_eq!(r.metadata(), &json!({"name": "crafted"}));
}

#[test]
fn damaged_archives_are_errors_on_open() {
    let good = crafted(&[e(0, 0, 3, 1)], &[], b"abc", |_| {});
    assert!(open_bytes(&good).is_ok());
    let with = |edit: fn(&mut Header)| crafted(&[e(0, 0, 3, 1)], &[], b"abc", edit);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty file", vec![]),
        ("truncated header", good[..60].to_vec()),
        ("bad magic", [&b"PNTiles"[..], &good[7..]].concat()),
        ("version 2", [&good[..7], &[2], &good[8..]].concat()),
        ("truncated data", good[..good.len() - 1].to_vec()),
        ("root past the end", with(|h| h.root_offset = 1 << 40)),
        ("root length absurd", with(|h| h.root_length = u64::MAX)),
        ("root over the header", with(|h| h.root_offset = 0)),
        ("root beyond 16 KiB", with(|h| h.root_offset = ROOT_SPAN)),
        ("empty root", with(|h| h.root_length = 0)),
        ("metadata length absurd", with(|h| h.metadata_length = u64::MAX - 10)),
        ("metadata offset wraps", with(|h| h.metadata_offset = u64::MAX)),
        ("data past the end", with(|h| h.data_offset = 1 << 50)),
        ("data length absurd", with(|h| h.data_length = 1 << 62)),
        ("leaves past the end", with(|h| h.leaf_length = 4096)),
        ("brotli directories", with(|h| h.internal_compression = Compression::Brotli)),
        ("gzip claimed, none given", with(|h| h.internal_compression = Compression::Gzip)),
        ("metadata not JSON", with(|h| h.metadata_length -= 1)),
        ("min zoom above max", with(|h| h.min_zoom = 5)),
    ];
    for (what, bytes) in cases {
        let err = open_bytes(&bytes).expect_err(what);
        assert!(!matches!(err, PmtilesError::Io(_)), "{what}: {err}");
    }
}

#[test]
fn hostile_directories_are_errors_on_lookup() {
    let tile = |id| tile_of(id).unwrap();
    // A tile entry past the data section, and one 4 GiB long.
    let r = open_bytes(&crafted(&[e(0, 2, 3, 1), e(1, 0, u32::MAX, 1)], &[], b"abc", |_| {})).unwrap();
    assert!(matches!(r.get(tile(0)), Err(PmtilesError::Corrupt(_))));
    assert!(matches!(r.get(tile(1)), Err(PmtilesError::TooLarge { .. })));

    // A leaf entry past the leaf section; a leaf that lists itself forever; a leaf of garbage.
    let looping = directory::encode(&[e(0, 0, 9, 0)], Compression::None).unwrap();
    assert_eq!(looping.len(), 5);
    let leaves = [&looping[..], &[0xff, 0xff, 0xff]].concat();
    let root = [e(0, 0, 5, 0), e(5, 5, 3, 0), e(21, 100, 5, 0)];
    // The looping leaf's single entry says "length 9"; make it 5 so it points at itself.
    let leaves = {
        let mut l = leaves;
        l[3] = 5;
        l
    };
    let r = open_bytes(&crafted(&root, &leaves, b"abc", |_| {})).unwrap();
    for id in [0, 5, 21] {
        let err = r.get(tile(id)).expect_err("hostile leaf");
        assert!(matches!(err, PmtilesError::Corrupt(_)), "{id}: {err}");
    }
    assert!(r.entries().is_err());
}

#[test]
fn no_mutation_of_an_archive_panics() {
    // Every byte of the header and the directories, set to values that matter to parsers.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.pmtiles");
    let tiles: Vec<_> = pyramid().into_iter().filter(|(t, _)| t.z <= 3).collect();
    write(&path, info(TileType::Png, Compression::None, 0, 3), &tiles);
    let good = std::fs::read(&path).unwrap();
    let span = Header::decode(&good).unwrap().data_offset as usize;
    let mut outcomes: HashMap<&str, usize> = HashMap::new();
    let mut rng = Rng(42);
    for i in 0..span * 4 {
        let mut bad = good.clone();
        let at = i % span;
        bad[at] = match i / span {
            0 => 0xff,
            1 => 0,
            2 => bad[at] ^ 1,
            _ => rng.next() as u8,
        };
        let outcome = match open_bytes(&bad) {
            Err(_) => "refused",
            Ok(r) => {
                if tiles.iter().all(|(t, _)| r.get(*t).is_ok()) {
                    "read"
                } else {
                    "lookup error"
                }
            }
        };
        *outcomes.entry(outcome).or_default() += 1;
    }
    assert!(outcomes["refused"] > 0, "{outcomes:?}");
}
