//! Computing the overlay's cliques ([`super::overlay`]) from the tiles as they are written: the
//! "customization" of a multi-level Dijkstra. Level 1 searches each leaf cell's edges; each
//! higher level searches its cells over the cliques of the level below, so a level costs about
//! as much as the one under it. Each row of a clique is one search of the router's own engine,
//! confined to the cell ([`crate::search::through_cell`]), so the cliques are exact by
//! construction: the same states, turn costs, restrictions and rules as a route.
//!
//! Nothing here depends on how the graph was built: given tiles whose edge weights changed
//! (live traffic), re-running [`customize`] refreshes the cliques without touching the tiles.

use super::id::{EdgeRef, NodeRef, TileKey};
use super::overlay::{CellClique, Overlay, NO_WAY};
use super::partition::CellLayout;
use super::store::TileStore;
use crate::search::{through_cell, SearchLimits};
use crate::RouteError;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A boundary edge: its ends' leaf cells and the node it leads to.
#[derive(Debug, Clone, Copy)]
struct Boundary {
    edge: EdgeRef,
    tail_leaf: u32,
    head_leaf: u32,
    head: NodeRef,
}

/// Every tile edge whose ends lie in different leaf cells.
fn boundary_edges(store: &TileStore) -> Result<Vec<Boundary>, RouteError> {
    let mut out = Vec::new();
    for level in &store.manifest.levels {
        for &index in &level.tiles {
            let key = TileKey { level: level.level, index };
            let tile = store.get(key)?.ok_or_else(|| RouteError::Data(format!("tile {key} is listed but missing")))?;
            for (n, node) in tile.data.nodes.iter().enumerate() {
                for local in tile.out_edges(n as u32) {
                    let head = tile.edge(local).to;
                    let head_tile = if head.tile() == key {
                        tile.clone()
                    } else {
                        store
                            .get(head.tile())?
                            .ok_or_else(|| RouteError::Data(format!("tile {} is missing", head.tile())))?
                    };
                    let head_leaf = head_tile
                        .data
                        .nodes
                        .get(head.local() as usize)
                        .ok_or_else(|| RouteError::Data(format!("edge to a missing node in tile {}", head.tile())))?
                        .cell;
                    if head_leaf != node.cell {
                        out.push(Boundary { edge: EdgeRef::new(key, local), tail_leaf: node.cell, head_leaf, head });
                    }
                }
            }
        }
    }
    out.sort_by_key(|b| b.edge.0);
    Ok(out)
}

/// The cliques of every level of `layout` for the tiles in `store`, computed on `threads`
/// threads; `progress(cells done, cells in all)` after each cell.
pub fn customize(
    store: &TileStore,
    layout: CellLayout,
    threads: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Overlay, RouteError> {
    let boundary = boundary_edges(store)?;
    let mut done_levels: Vec<Vec<CellClique>> = Vec::new();
    let assemble = |levels: &[Vec<CellClique>]| {
        Overlay::from_cliques(layout, levels).map_err(|e| RouteError::Data(format!("overlay as computed: {e}")))
    };
    let mut overlay = assemble(&done_levels)?;
    let mut skeletons = Vec::new();
    for level in 1..=layout.levels {
        let mut cells: FxHashMap<u32, CellClique> = FxHashMap::default();
        for b in boundary.iter().filter(|b| layout.crossing_level(b.tail_leaf, b.head_leaf) >= level) {
            let entering = cells.entry(layout.cell(b.head_leaf, level)).or_default();
            entering.entries.push(b.edge);
            let leaving = cells.entry(layout.cell(b.tail_leaf, level)).or_default();
            leaving.exits.push(b.edge);
            leaving.exit_heads.push(b.head);
        }
        let mut cells: Vec<CellClique> =
            cells.into_iter().map(|(cell, clique)| CellClique { cell, ..clique }).collect();
        cells.sort_by_key(|c| c.cell);
        skeletons.push(cells);
    }
    let total: usize = skeletons.iter().map(Vec::len).sum();
    let done = AtomicUsize::new(0);
    for (level, cells) in (1..).zip(skeletons) {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<(usize, Result<CellClique, RouteError>)>> = Mutex::new(Vec::with_capacity(cells.len()));
        std::thread::scope(|scope| {
            for _ in 0..threads.max(1) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(cell) = cells.get(i) else { break };
                    let clique = fill(store, &overlay, level, cell.clone());
                    results.lock().unwrap_or_else(|e| e.into_inner()).push((i, clique));
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                });
            }
        });
        let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
        results.sort_by_key(|(i, _)| *i);
        done_levels.push(results.into_iter().map(|(_, c)| c).collect::<Result<Vec<_>, _>>()?);
        overlay = assemble(&done_levels)?;
    }
    Ok(overlay)
}

/// One cell's clique: a confined search from each entry to all exits.
fn fill(store: &TileStore, overlay: &Overlay, level: u8, mut clique: CellClique) -> Result<CellClique, RouteError> {
    let n = clique.exits.len();
    clique.costs = Vec::with_capacity(clique.entries.len() * n);
    clique.lengths_m = Vec::with_capacity(clique.entries.len() * n);
    let limits = SearchLimits { max_states: usize::MAX };
    for &entry in &clique.entries {
        for reached in through_cell(store, overlay, (level, clique.cell), entry, &clique.exits, limits)? {
            match reached {
                Some(r) if r.cost_ms < u64::from(NO_WAY) => {
                    clique.costs.push(r.cost_ms as u32);
                    clique.lengths_m.push(r.length_m as f32);
                }
                _ => {
                    clique.costs.push(NO_WAY);
                    clique.lengths_m.push(0.0);
                }
            }
        }
    }
    Ok(clique)
}
