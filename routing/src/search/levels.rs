//! Which overlay level a search uses where: the book's "switch to higher levels away from the
//! origin and destination", made exact.
//!
//! A state at a node whose leaf cell is `leaf` uses the highest overlay level whose cell there
//! holds no protected node (the ends of the query's snapped edges). At level 0 the search walks
//! the tile's edges; at level `l` a state that entered a level-`l` cell jumps to the cell's
//! exits by its clique. The cells nest, so a route enters each cell it jumps across by a
//! boundary edge of that cell's level: nothing between the origin and the destination is
//! skipped that could hold a cheaper route, and the cliques hold the exact cheapest way
//! through.

use crate::tiles::overlay::{Clique, Overlay};
use crate::tiles::EdgeRef;

/// A search's use of the overlay.
#[derive(Debug, Clone)]
pub(super) struct Levels<'a> {
    overlay: Option<&'a Overlay>,
    /// The highest level used anywhere.
    cap: u8,
    /// Per level (index `level - 1`), the cells holding a protected node.
    protected: Vec<Vec<u32>>,
    /// Only nodes in this (level, cell) are searched (the cell a clique is computed or
    /// unpacked in); `None`: everywhere.
    scope: Option<(u8, u32)>,
}

impl<'a> Levels<'a> {
    /// A plain search over the tiles.
    pub fn flat() -> Levels<'a> {
        Levels { overlay: None, cap: 0, protected: Vec::new(), scope: None }
    }

    /// A query between points whose snapped edges end in the leaf cells `protected`.
    pub fn query(overlay: Option<&'a Overlay>, protected: &[u32]) -> Levels<'a> {
        let Some(overlay) = overlay else { return Levels::flat() };
        let cap = overlay.depth();
        let protected = (1..=cap)
            .map(|l| {
                let mut cells: Vec<u32> = protected.iter().map(|&leaf| overlay.layout.cell(leaf, l)).collect();
                cells.sort_unstable();
                cells.dedup();
                cells
            })
            .collect();
        Levels { overlay: Some(overlay), cap, protected, scope: None }
    }

    /// A search inside `cell` of `level`, over the levels below it (computing or unpacking
    /// that cell's clique).
    pub fn inside(overlay: &'a Overlay, level: u8, cell: u32) -> Levels<'a> {
        let cap = level.saturating_sub(1).min(overlay.depth());
        Levels {
            overlay: Some(overlay),
            cap,
            protected: vec![Vec::new(); usize::from(cap)],
            scope: Some((level, cell)),
        }
    }

    /// The level a state at a node of leaf cell `leaf` searches at.
    pub fn level_at(&self, leaf: u32) -> u8 {
        let Some(overlay) = self.overlay else { return 0 };
        (1..=self.cap)
            .rev()
            .find(|&l| !self.protected[usize::from(l) - 1].contains(&overlay.layout.cell(leaf, l)))
            .unwrap_or(0)
    }

    /// Whether a node of leaf cell `leaf` may be searched.
    pub fn in_scope(&self, leaf: u32) -> bool {
        match (self.scope, self.overlay) {
            (Some((level, cell)), Some(overlay)) => overlay.layout.cell(leaf, level) == cell,
            _ => true,
        }
    }

    /// The clique of `level` that `edge` enters, and its row.
    pub fn clique(&self, level: u8, edge: EdgeRef) -> Option<(Clique<'a>, usize)> {
        self.overlay?.entered_by(level, edge)
    }
}
