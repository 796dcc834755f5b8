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
//! ```text
//! overlay.bin
//!   magic "LOCUSOV\0" · version u32 · leaf bits u32 · level count u32 · CRC-32 of the rest u32
//!   per level: cell count u32, then per cell:
//!     cell id u32 · entry count u32 · exit count u32
//!     entries: EdgeRef u64 each · exits: EdgeRef u64 and the exit's head NodeRef u64 each
//!     costs: entries × exits u32 ms, row by entry (u32::MAX: no way through)
//!     lengths: entries × exits f32 metres, the same order
//! ```

use super::format::{checksum, FormatError, Reader};
use super::id::{EdgeRef, NodeRef};
use super::partition::CellLayout;
use rustc_hash::FxHashMap;
use std::path::Path;

pub const OVERLAY_FILE: &str = "overlay.bin";
const MAGIC: &[u8; 8] = b"LOCUSOV\0";
const VERSION: u32 = 1;
const HEADER_BYTES: usize = 24;

/// No path through the cell.
pub const NO_WAY: u32 = u32::MAX;

/// One cell's clique.
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
    /// The costs from entry `row` to every exit.
    pub fn row(&self, row: usize) -> (&[u32], &[f32]) {
        let n = self.exits.len();
        (&self.costs[row * n..(row + 1) * n], &self.lengths_m[row * n..(row + 1) * n])
    }
}

/// The cliques of one level, and where each entry edge's row is.
#[derive(Debug, Clone, Default)]
pub struct OverlayLevel {
    pub cells: Vec<CellClique>,
    /// Entry edge → (index into `cells`, row).
    entry_at: FxHashMap<u64, (u32, u32)>,
}

impl OverlayLevel {
    pub fn new(cells: Vec<CellClique>) -> OverlayLevel {
        let mut entry_at = FxHashMap::default();
        for (c, cell) in cells.iter().enumerate() {
            for (row, e) in cell.entries.iter().enumerate() {
                entry_at.insert(e.0, (c as u32, row as u32));
            }
        }
        OverlayLevel { cells, entry_at }
    }

    /// The clique an edge enters, and its row there.
    pub fn entered_by(&self, edge: EdgeRef) -> Option<(&CellClique, usize)> {
        let &(c, row) = self.entry_at.get(&edge.0)?;
        Some((&self.cells[c as usize], row as usize))
    }
}

/// Every level's cliques, level 1 (the leaves) first.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub layout: CellLayout,
    pub levels: Vec<OverlayLevel>,
}

impl Overlay {
    /// An overlay with no level computed yet.
    pub fn empty(layout: CellLayout) -> Overlay {
        Overlay { layout, levels: Vec::new() }
    }

    /// The computed levels (`levels.len()`, at most `layout.levels`).
    pub fn depth(&self) -> u8 {
        self.levels.len() as u8
    }

    /// The level `level` (1-based).
    pub fn level(&self, level: u8) -> Option<&OverlayLevel> {
        self.levels.get(usize::from(level).checked_sub(1)?)
    }

    /// The cost and length of the jump across a level-`level` cell from entry `from` to exit
    /// `to`.
    pub fn jump(&self, level: u8, from: EdgeRef, to: EdgeRef) -> Option<(u32, f32)> {
        let (clique, row) = self.level(level)?.entered_by(from)?;
        let j = clique.exits.iter().position(|&e| e == to)?;
        let (costs, lengths) = clique.row(row);
        Some((costs[j], lengths[j])).filter(|(c, _)| *c != NO_WAY)
    }

    /// In-memory size of the cliques, in bytes (for the build summary).
    pub fn bytes(&self) -> usize {
        self.levels
            .iter()
            .flat_map(|l| &l.cells)
            .map(|c| c.entries.len() * 8 + c.exits.len() * 16 + c.costs.len() * 8 + 12)
            .sum()
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(self.bytes() + 4 * self.levels.len());
        for level in &self.levels {
            body.extend_from_slice(&(level.cells.len() as u32).to_le_bytes());
            for c in &level.cells {
                for v in [c.cell, c.entries.len() as u32, c.exits.len() as u32] {
                    body.extend_from_slice(&v.to_le_bytes());
                }
                c.entries.iter().for_each(|e| body.extend_from_slice(&e.0.to_le_bytes()));
                for (e, h) in c.exits.iter().zip(&c.exit_heads) {
                    body.extend_from_slice(&e.0.to_le_bytes());
                    body.extend_from_slice(&h.0.to_le_bytes());
                }
                c.costs.iter().for_each(|v| body.extend_from_slice(&v.to_le_bytes()));
                c.lengths_m.iter().for_each(|v| body.extend_from_slice(&v.to_le_bytes()));
            }
        }
        let mut out = Vec::with_capacity(HEADER_BYTES + body.len());
        out.extend_from_slice(MAGIC);
        for v in [VERSION, self.layout.leaf_bits, self.levels.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let crc = checksum(&out, &body);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Reads an overlay file's bytes, checking everything.
    pub fn decode(bytes: &[u8]) -> Result<Overlay, FormatError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8)? != MAGIC {
            return Err(FormatError::Magic);
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(FormatError::Version(version));
        }
        let (leaf_bits, depth, crc) = (r.u32()?, r.u32()?, r.u32()?);
        if leaf_bits > 30 {
            return Err(FormatError::Invalid("overlay leaf bits"));
        }
        let layout = CellLayout { leaf_bits, levels: leaf_bits.div_ceil(super::partition::BITS_PER_LEVEL) as u8 };
        if depth > u32::from(layout.levels) {
            return Err(FormatError::Invalid("overlay level count"));
        }
        if checksum(&bytes[..HEADER_BYTES - 4], &bytes[HEADER_BYTES..]) != crc {
            return Err(FormatError::Checksum);
        }
        let mut levels = Vec::with_capacity(depth as usize);
        for _ in 0..depth {
            let count = r.u32()? as usize;
            let mut cells = Vec::with_capacity(count.min(bytes.len() / 12));
            for _ in 0..count {
                let (cell, n_in, n_out) = (r.u32()?, r.u32()? as usize, r.u32()? as usize);
                let cells_bytes = (n_in as u64 * 8) + (n_out as u64 * 16) + (n_in as u64 * n_out as u64 * 8);
                if cells_bytes > (bytes.len() - r.at) as u64 {
                    return Err(FormatError::Length);
                }
                let entries = (0..n_in).map(|_| r.u64().map(EdgeRef)).collect::<Result<Vec<_>, _>>()?;
                let mut exits = Vec::with_capacity(n_out);
                let mut exit_heads = Vec::with_capacity(n_out);
                for _ in 0..n_out {
                    exits.push(EdgeRef(r.u64()?));
                    exit_heads.push(NodeRef(r.u64()?));
                }
                let costs = (0..n_in * n_out).map(|_| r.u32()).collect::<Result<Vec<_>, _>>()?;
                let lengths_m =
                    (0..n_in * n_out).map(|_| r.u32().map(f32::from_bits)).collect::<Result<Vec<_>, _>>()?;
                if lengths_m.iter().any(|l| !l.is_finite() || *l < 0.0) {
                    return Err(FormatError::Invalid("overlay length"));
                }
                if entries.iter().chain(&exits).any(|e| e.tile().level > 2)
                    || exit_heads.iter().any(|h| h.tile().level > 2)
                {
                    return Err(FormatError::Invalid("overlay edge reference level"));
                }
                cells.push(CellClique { cell, entries, exits, exit_heads, costs, lengths_m });
            }
            levels.push(OverlayLevel::new(cells));
        }
        if r.at != bytes.len() {
            return Err(FormatError::Length);
        }
        Ok(Overlay { layout, levels })
    }

    /// The overlay of the tiles under `root`; `Ok(None)` when they have none.
    pub fn read(root: &Path) -> Result<Option<Overlay>, String> {
        let path = root.join(OVERLAY_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => Overlay::decode(&bytes).map(Some).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        std::fs::write(root.join(OVERLAY_FILE), self.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiles::TileKey;

    fn sample() -> Overlay {
        let key = TileKey { level: 2, index: 7 };
        let clique = CellClique {
            cell: 3,
            entries: vec![EdgeRef::new(key, 1), EdgeRef::new(key, 4)],
            exits: vec![EdgeRef::new(key, 2)],
            exit_heads: vec![NodeRef::new(key, 9)],
            costs: vec![1500, NO_WAY],
            lengths_m: vec![320.5, 0.0],
        };
        Overlay { layout: CellLayout { leaf_bits: 6, levels: 2 }, levels: vec![OverlayLevel::new(vec![clique])] }
    }

    #[test]
    fn round_trips_and_finds_entries() {
        let overlay = sample();
        let back = Overlay::decode(&overlay.encode()).unwrap();
        assert_eq!(back.layout, overlay.layout);
        assert_eq!(back.levels[0].cells, overlay.levels[0].cells);
        let key = TileKey { level: 2, index: 7 };
        let (cell, row) = back.level(1).unwrap().entered_by(EdgeRef::new(key, 4)).unwrap();
        assert_eq!((cell.cell, row, cell.row(row)), (3, 1, (&[NO_WAY][..], &[0.0f32][..])));
        assert!(back.level(1).unwrap().entered_by(EdgeRef::new(key, 2)).is_none());
        assert!(back.level(2).is_none());
        assert_eq!(back.jump(1, EdgeRef::new(key, 1), EdgeRef::new(key, 2)), Some((1500, 320.5)));
        assert_eq!(back.jump(1, EdgeRef::new(key, 4), EdgeRef::new(key, 2)), None, "no way through");
        assert_eq!(back.jump(2, EdgeRef::new(key, 1), EdgeRef::new(key, 2)), None, "no such level");
    }

    #[test]
    fn damage_is_an_error() {
        let bytes = sample().encode();
        for cut in [0, 10, HEADER_BYTES, bytes.len() - 1] {
            assert!(Overlay::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(Overlay::decode(&flipped).unwrap_err(), FormatError::Checksum);
    }
}
