//! The overlay: for every cell of every level ([`super::partition`]), the cheapest cost from
//! each edge entering the cell to each edge leaving it, through the cell only. A search far
//! from its origin and destination jumps across a whole cell in one step instead of walking its
//! streets: the "switch to higher levels" of the book's routing tiles, kept exact in the way of
//! OSRM's multi-level Dijkstra (MLD).
//!
//! A *boundary edge* is a tile edge whose two ends lie in different leaf cells; it crosses
//! every level up to the highest at which the cells differ, and there it enters one cell and
//! leaves another. The costs are those of the search's own states (the edge a route arrived
//! by), so turn costs, turn restrictions, barriers and the no-turning-back rule hold inside a
//! clique exactly as in the tiles; a clique entry includes the turn into, and the travel time
//! of, the leaving edge.
//!
//! The cliques depend only on the weights, not on the cut: [`super::customize`] recomputes
//! them from the tiles (level by level, each level from the one below), so live speeds apply by
//! re-running it, not by rebuilding the tiles.
//!
//! The file is memory-mapped, not read: a search touches only the cells it jumps across, the
//! operating system keeps the hot ones in its page cache, and a continent's overlay needs no
//! more process memory than a city's. On opening, the checksum is computed by reading the file
//! (not through the mapping) and the tables are checked (every offset, count and row), so a
//! damaged file is refused before use. Like the tiles, the file is replaced by writing a new
//! one and renaming it over the old, never rewritten in place: a running server keeps the
//! version it mapped.
//!
//! ```text
//! overlay.bin (every number little-endian; offsets from the start of the file)
//!   magic "LOCUSOV\0" · version u32 · leaf bits u32 · level count u32 · CRC-32 of the rest u32
//!   per level: index at u64 · entry count u32 · cells at u64 · cell count u32
//!   per level:
//!     index: per entry edge, sorted by edge: EdgeRef u64 · cell (index in the level) u32 · row u32
//!     cells: per cell: cell id u32 · entry count u32 · exit count u32 · 0 u32 · body at u64
//!     bodies, per cell:
//!       entries: EdgeRef u64 each · exits: EdgeRef u64 and the exit's head NodeRef u64 each
//!       costs: entries × exits u32 ms, row by entry (u32::MAX: no way through)
//!       lengths: entries × exits f32 metres, the same order
//! ```

use super::format::{checksum, FormatError};
use super::id::{EdgeRef, NodeRef};
use super::partition::{CellLayout, BITS_PER_LEVEL};
use std::io::Read;
use std::ops::Deref;
use std::path::Path;

pub const OVERLAY_FILE: &str = "overlay.bin";
const MAGIC: &[u8; 8] = b"LOCUSOV\0";
const VERSION: u32 = 2;
const HEADER_BYTES: usize = 24;
const LEVEL_BYTES: usize = 24;
const INDEX_ROW_BYTES: usize = 16;
const CELL_ROW_BYTES: usize = 24;

/// No path through the cell.
pub const NO_WAY: u32 = u32::MAX;

/// One cell's clique as [`super::customize`] computes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CellClique {
    pub cell: u32,
    pub entries: Vec<EdgeRef>,
    pub exits: Vec<EdgeRef>,
    /// The node each exit edge leads to (outside the cell).
    pub exit_heads: Vec<NodeRef>,
    /// `entries.len() × exits.len()` costs in ms, row by entry.
    pub costs: Vec<u32>,
    /// The length in metres of each cheapest way through (0 where there is none).
    pub lengths_m: Vec<f32>,
}

impl CellClique {
    fn body_bytes(entries: usize, exits: usize) -> Option<usize> {
        let grid = entries.checked_mul(exits)?.checked_mul(8)?;
        entries.checked_mul(8)?.checked_add(exits.checked_mul(16)?)?.checked_add(grid)
    }
}

/// A cell's clique, read in place from the overlay file.
#[derive(Debug, Clone, Copy)]
pub struct Clique<'a> {
    pub cell: u32,
    /// Per exit: the edge leaving the cell, then the node it leads to.
    exits: &'a [[u8; 16]],
    /// `entries × exits` costs and lengths, row by entry.
    costs: &'a [[u8; 4]],
    lengths: &'a [[u8; 4]],
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}

/// `bytes` as rows of `N` bytes (its length is a multiple of `N`, checked on decode).
fn rows<const N: usize>(bytes: &[u8]) -> &[[u8; N]] {
    bytes.as_chunks::<N>().0
}

impl<'a> Clique<'a> {
    pub fn exit_count(&self) -> usize {
        self.exits.len()
    }

    /// Exit `j`: the edge leaving the cell, and the node it leads to.
    pub fn exit(&self, j: usize) -> (EdgeRef, NodeRef) {
        let row = &self.exits[j];
        (EdgeRef(u64_at(row, 0)), NodeRef(u64_at(row, 8)))
    }

    /// Every exit, in order.
    pub fn exits(&self) -> impl Iterator<Item = (EdgeRef, NodeRef)> + 'a {
        self.exits.iter().map(|row| (EdgeRef(u64_at(row, 0)), NodeRef(u64_at(row, 8))))
    }

    /// The cost in ms ([`NO_WAY`]: none) and length in metres from entry `row` to each exit.
    pub fn row(&self, row: usize) -> impl Iterator<Item = (u32, f32)> + 'a {
        let span = row * self.exits.len()..(row + 1) * self.exits.len();
        let (costs, lengths) = (&self.costs[span.clone()], &self.lengths[span]);
        costs.iter().zip(lengths).map(|(c, l)| (u32::from_le_bytes(*c), f32::from_le_bytes(*l)))
    }

    /// The cost and length from entry `row` to exit `j`.
    pub fn through(&self, row: usize, j: usize) -> (u32, f32) {
        let k = row * self.exits.len() + j;
        (u32::from_le_bytes(self.costs[k]), f32::from_le_bytes(self.lengths[k]))
    }
}

/// The overlay file's bytes: mapped from disk, or held (as built, and in tests).
#[derive(Debug)]
enum Bytes {
    Held(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Held(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

/// Where a level's tables are in the file.
#[derive(Debug, Clone, Copy)]
struct LevelTables {
    index_at: usize,
    entries: usize,
    cells_at: usize,
    cells: usize,
}

/// Every level's cliques, level 1 (the leaves) first.
#[derive(Debug)]
pub struct Overlay {
    pub layout: CellLayout,
    bytes: Bytes,
    levels: Vec<LevelTables>,
}

impl Overlay {
    /// The overlay of the cliques computed so far (`levels[0]` is level 1).
    pub fn from_cliques(layout: CellLayout, levels: &[Vec<CellClique>]) -> Result<Overlay, FormatError> {
        Overlay::decode(encode(layout, levels))
    }

    /// The computed levels (at most `layout.levels`).
    pub fn depth(&self) -> u8 {
        self.levels.len() as u8
    }

    /// Cells of level `level` (1-based).
    pub fn cell_count(&self, level: u8) -> usize {
        self.tables(level).map_or(0, |t| t.cells)
    }

    /// Boundary edges entering the cells of level `level`.
    pub fn entry_count(&self, level: u8) -> usize {
        self.tables(level).map_or(0, |t| t.entries)
    }

    fn tables(&self, level: u8) -> Option<LevelTables> {
        self.levels.get(usize::from(level).checked_sub(1)?).copied()
    }

    /// The file's bytes (as written).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The clique of level `level` that `edge` enters, and its row there.
    pub fn entered_by(&self, level: u8, edge: EdgeRef) -> Option<(Clique<'_>, usize)> {
        let t = self.tables(level)?;
        let index: &[[u8; INDEX_ROW_BYTES]] = rows(&self.bytes[t.index_at..t.index_at + t.entries * INDEX_ROW_BYTES]);
        let at = index.binary_search_by_key(&edge.0, |row| u64_at(row, 0)).ok()?;
        let (cell, row) = (u32_at(&index[at], 8) as usize, u32_at(&index[at], 12) as usize);
        Some((self.clique(t, cell), row))
    }

    fn clique(&self, t: LevelTables, index: usize) -> Clique<'_> {
        let bytes: &[u8] = &self.bytes;
        let at = t.cells_at + index * CELL_ROW_BYTES;
        let (entries, exits) = (u32_at(bytes, at + 4) as usize, u32_at(bytes, at + 8) as usize);
        // Past the entry edges (the index holds them): exits, then costs, then lengths.
        let exits_at = u64_at(bytes, at + 16) as usize + entries * 8;
        let costs_at = exits_at + exits * 16;
        let lengths_at = costs_at + entries * exits * 4;
        Clique {
            cell: u32_at(bytes, at),
            exits: rows(&bytes[exits_at..costs_at]),
            costs: rows(&bytes[costs_at..lengths_at]),
            lengths: rows(&bytes[lengths_at..lengths_at + entries * exits * 4]),
        }
    }

    /// The cost and length of the jump across a level-`level` cell from entry `from` to exit
    /// `to`.
    pub fn jump(&self, level: u8, from: EdgeRef, to: EdgeRef) -> Option<(u32, f32)> {
        let (clique, row) = self.entered_by(level, from)?;
        let j = clique.exits().position(|(exit, _)| exit == to)?;
        Some(clique.through(row, j)).filter(|(c, _)| *c != NO_WAY)
    }

    /// Reads an overlay file's bytes, checking everything.
    pub fn decode(bytes: Vec<u8>) -> Result<Overlay, FormatError> {
        let crc = body_checksum(&bytes)?;
        Overlay::check(Bytes::Held(bytes), crc)
    }

    /// Checks the header, the checksum (`crc` computed over the file as it was read) and every
    /// table.
    fn check(bytes: Bytes, crc: u32) -> Result<Overlay, FormatError> {
        let b: &[u8] = &bytes;
        if b.len() < HEADER_BYTES {
            return Err(FormatError::Length);
        }
        if &b[..8] != MAGIC {
            return Err(FormatError::Magic);
        }
        let version = u32_at(b, 8);
        if version != VERSION {
            return Err(FormatError::Version(version));
        }
        let (leaf_bits, depth) = (u32_at(b, 12), u32_at(b, 16) as usize);
        if u32_at(b, 20) != crc {
            return Err(FormatError::Checksum);
        }
        if leaf_bits > 30 {
            return Err(FormatError::Invalid("overlay leaf bits"));
        }
        let layout = CellLayout { leaf_bits, levels: leaf_bits.div_ceil(BITS_PER_LEVEL) as u8 };
        if depth > usize::from(layout.levels) {
            return Err(FormatError::Invalid("overlay level count"));
        }
        let within = |at: usize, rows: usize, row_bytes: usize| {
            rows.checked_mul(row_bytes).and_then(|n| n.checked_add(at)).is_some_and(|end| end <= b.len())
        };
        let mut levels = Vec::with_capacity(depth);
        for l in 0..depth {
            let at = HEADER_BYTES + l * LEVEL_BYTES;
            if !within(at, 1, LEVEL_BYTES) {
                return Err(FormatError::Length);
            }
            let t = LevelTables {
                index_at: u64_at(b, at) as usize,
                entries: u32_at(b, at + 8) as usize,
                cells_at: u64_at(b, at + 12) as usize,
                cells: u32_at(b, at + 20) as usize,
            };
            if !within(t.index_at, t.entries, INDEX_ROW_BYTES) || !within(t.cells_at, t.cells, CELL_ROW_BYTES) {
                return Err(FormatError::Length);
            }
            let mut entries_of = Vec::with_capacity(t.cells);
            for c in 0..t.cells {
                let row = t.cells_at + c * CELL_ROW_BYTES;
                let (entries, exits) = (u32_at(b, row + 4) as usize, u32_at(b, row + 8) as usize);
                let body_at = u64_at(b, row + 16) as usize;
                match CellClique::body_bytes(entries, exits) {
                    Some(len) if within(body_at, 1, len) => entries_of.push(entries),
                    _ => return Err(FormatError::Length),
                }
            }
            let mut previous = None;
            for i in 0..t.entries {
                let row = t.index_at + i * INDEX_ROW_BYTES;
                let (edge, cell, entry) = (u64_at(b, row), u32_at(b, row + 8) as usize, u32_at(b, row + 12) as usize);
                if previous.is_some_and(|p| p >= edge) {
                    return Err(FormatError::Invalid("overlay index out of order"));
                }
                if entries_of.get(cell).is_none_or(|&n| entry >= n) || EdgeRef(edge).tile().level > 2 {
                    return Err(FormatError::Invalid("overlay index entry"));
                }
                previous = Some(edge);
            }
            levels.push(t);
        }
        Ok(Overlay { layout, bytes, levels })
    }

    /// The overlay of the tiles under `root`, mapped; `Ok(None)` when they have none.
    pub fn open(root: &Path) -> Result<Option<Overlay>, String> {
        let path = root.join(OVERLAY_FILE);
        let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let mut file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        // The checksum from reading the file: the mapping itself stays cold until searched.
        let crc = streamed_checksum(&mut file).map_err(|e| fail(&e))?;
        // SAFETY: the file is never written in place while it may be mapped; a new overlay is
        // written beside it and renamed over it ([`Overlay::write`]), so these pages do not
        // change under the mapping.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| fail(&e))?;
        Overlay::check(Bytes::Mapped(map), crc.ok_or(FormatError::Length).map_err(|e| fail(&e))?)
            .map(Some)
            .map_err(|e| fail(&e))
    }

    /// Writes the overlay under `root`: beside the old file, then renamed over it.
    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        let fresh = root.join(format!("{OVERLAY_FILE}.new"));
        std::fs::write(&fresh, self.as_bytes())?;
        std::fs::rename(&fresh, root.join(OVERLAY_FILE))
    }
}

/// The checksum of a whole file's bytes (everything but the stored checksum).
fn body_checksum(bytes: &[u8]) -> Result<u32, FormatError> {
    if bytes.len() < HEADER_BYTES {
        return Err(FormatError::Length);
    }
    Ok(checksum(&bytes[..HEADER_BYTES - 4], &bytes[HEADER_BYTES..]))
}

/// [`body_checksum`] of a file, read in pieces; `None` when it is shorter than a header.
fn streamed_checksum(file: &mut std::fs::File) -> std::io::Result<Option<u32>> {
    let mut header = [0u8; HEADER_BYTES];
    if let Err(e) = file.read_exact(&mut header) {
        return if e.kind() == std::io::ErrorKind::UnexpectedEof { Ok(None) } else { Err(e) };
    }
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&header[..HEADER_BYTES - 4]);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut chunk)?;
        if n == 0 {
            return Ok(Some(hasher.finalize()));
        }
        hasher.update(&chunk[..n]);
    }
}

/// The file of `levels` (`levels[0]` is level 1).
fn encode(layout: CellLayout, levels: &[Vec<CellClique>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    for v in [VERSION, layout.leaf_bits, levels.len() as u32, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let table_at = out.len();
    out.resize(table_at + levels.len() * LEVEL_BYTES, 0);
    for (l, cells) in levels.iter().enumerate() {
        let mut index: Vec<(u64, u32, u32)> = cells
            .iter()
            .enumerate()
            .flat_map(|(c, cell)| cell.entries.iter().enumerate().map(move |(row, e)| (e.0, c as u32, row as u32)))
            .collect();
        index.sort_unstable();
        let index_at = out.len();
        for (edge, cell, row) in &index {
            out.extend_from_slice(&edge.to_le_bytes());
            out.extend_from_slice(&cell.to_le_bytes());
            out.extend_from_slice(&row.to_le_bytes());
        }
        let cells_at = out.len();
        out.resize(cells_at + cells.len() * CELL_ROW_BYTES, 0);
        for (c, cell) in cells.iter().enumerate() {
            let body_at = out.len() as u64;
            let row = cells_at + c * CELL_ROW_BYTES;
            for (k, v) in [cell.cell, cell.entries.len() as u32, cell.exits.len() as u32, 0].into_iter().enumerate() {
                put(&mut out, row + 4 * k, &v.to_le_bytes());
            }
            put(&mut out, row + 16, &body_at.to_le_bytes());
            cell.entries.iter().for_each(|e| out.extend_from_slice(&e.0.to_le_bytes()));
            for (e, h) in cell.exits.iter().zip(&cell.exit_heads) {
                out.extend_from_slice(&e.0.to_le_bytes());
                out.extend_from_slice(&h.0.to_le_bytes());
            }
            cell.costs.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
            cell.lengths_m.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        }
        let at = table_at + l * LEVEL_BYTES;
        put(&mut out, at, &(index_at as u64).to_le_bytes());
        put(&mut out, at + 8, &(index.len() as u32).to_le_bytes());
        put(&mut out, at + 12, &(cells_at as u64).to_le_bytes());
        put(&mut out, at + 20, &(cells.len() as u32).to_le_bytes());
    }
    let crc = body_checksum(&out).expect("a whole header");
    put(&mut out, HEADER_BYTES - 4, &crc.to_le_bytes());
    out
}

/// Writes `bytes` over `out` at `at` (a table slot reserved earlier).
fn put(out: &mut [u8], at: usize, bytes: &[u8]) {
    out[at..at + bytes.len()].copy_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiles::TileKey;

    fn sample() -> Overlay {
        let key = TileKey { level: 2, index: 7 };
        let clique = CellClique {
            cell: 3,
            entries: vec![EdgeRef::new(key, 4), EdgeRef::new(key, 1)],
            exits: vec![EdgeRef::new(key, 2), EdgeRef::new(key, 5)],
            exit_heads: vec![NodeRef::new(key, 9), NodeRef::new(key, 8)],
            costs: vec![1500, NO_WAY, 700, 900],
            lengths_m: vec![320.5, 0.0, 80.0, 95.5],
        };
        let lone = CellClique {
            cell: 0,
            entries: vec![EdgeRef::new(key, 3)],
            exits: vec![],
            exit_heads: vec![],
            costs: vec![],
            lengths_m: vec![],
        };
        Overlay::from_cliques(CellLayout { leaf_bits: 6, levels: 2 }, &[vec![lone, clique]]).unwrap()
    }

    #[test]
    fn round_trips_and_finds_entries() {
        let overlay = sample();
        let back = Overlay::decode(overlay.as_bytes().to_vec()).unwrap();
        assert_eq!(back.layout, overlay.layout);
        assert_eq!((back.depth(), back.cell_count(1), back.entry_count(1)), (1, 2, 3));
        let key = TileKey { level: 2, index: 7 };
        let (cell, row) = back.entered_by(1, EdgeRef::new(key, 1)).unwrap();
        assert_eq!((cell.cell, row, cell.exit_count()), (3, 1, 2));
        assert_eq!(cell.exit(1), (EdgeRef::new(key, 5), NodeRef::new(key, 8)));
        assert_eq!(cell.through(1, 1), (900, 95.5));
        assert!(back.entered_by(1, EdgeRef::new(key, 2)).is_none(), "an exit is no entry");
        assert!(back.entered_by(2, EdgeRef::new(key, 1)).is_none(), "no such level");
        assert_eq!(back.jump(1, EdgeRef::new(key, 4), EdgeRef::new(key, 2)), Some((1500, 320.5)));
        assert_eq!(back.jump(1, EdgeRef::new(key, 4), EdgeRef::new(key, 5)), None, "no way through");
        assert_eq!(back.jump(1, EdgeRef::new(key, 3), EdgeRef::new(key, 2)), None, "no such exit");
    }

    #[test]
    fn a_written_overlay_is_mapped_back() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Overlay::open(dir.path()).unwrap().is_none(), "none yet");
        let overlay = sample();
        overlay.write(dir.path()).unwrap();
        let mapped = Overlay::open(dir.path()).unwrap().unwrap();
        assert_eq!(mapped.as_bytes(), overlay.as_bytes());
        let key = TileKey { level: 2, index: 7 };
        assert_eq!(mapped.jump(1, EdgeRef::new(key, 1), EdgeRef::new(key, 2)), Some((700, 80.0)));
        assert!(!dir.path().join(format!("{OVERLAY_FILE}.new")).exists());
    }

    #[test]
    fn damage_is_an_error() {
        let bytes = sample().as_bytes().to_vec();
        for cut in [0, 10, HEADER_BYTES, HEADER_BYTES + 10, bytes.len() - 1] {
            assert!(Overlay::decode(bytes[..cut].to_vec()).is_err(), "cut at {cut}");
        }
        for at in [9, HEADER_BYTES + 3, bytes.len() - 1] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 1;
            assert!(Overlay::decode(flipped).is_err(), "bit flipped at {at}");
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(Overlay::decode(flipped).unwrap_err(), FormatError::Checksum);
    }

    /// Tables that pass the checksum but point outside the file are still refused.
    #[test]
    fn tables_are_checked_behind_the_checksum() {
        let mut bytes = sample().as_bytes().to_vec();
        // The level's cell table offset, pointed past the end.
        let at = HEADER_BYTES + 12;
        bytes[at..at + 8].copy_from_slice(&(u64::MAX / 2).to_le_bytes());
        let crc = body_checksum(&bytes).unwrap();
        bytes[HEADER_BYTES - 4..HEADER_BYTES].copy_from_slice(&crc.to_le_bytes());
        assert_eq!(Overlay::decode(bytes).unwrap_err(), FormatError::Length);
    }
}
