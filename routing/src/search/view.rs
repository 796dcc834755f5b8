//! The tiles one query has touched.

use crate::tiles::{Tile, TileKey, TileStore};
use crate::RouteError;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A query's handle on the store: each tile is fetched once per query.
pub struct TileView<'a> {
    store: &'a TileStore,
    tiles: FxHashMap<u32, Arc<Tile>>,
    last: Option<(u32, Arc<Tile>)>,
}

impl<'a> TileView<'a> {
    pub fn new(store: &'a TileStore) -> TileView<'a> {
        TileView { store, tiles: FxHashMap::default(), last: None }
    }

    pub fn store(&self) -> &'a TileStore {
        self.store
    }

    /// The tile; an error when it is missing or unreadable (an edge points into it, so the
    /// tile set is damaged).
    pub fn tile(&mut self, key: TileKey) -> Result<Arc<Tile>, RouteError> {
        let packed = key.packed();
        if let Some((k, tile)) = &self.last {
            if *k == packed {
                return Ok(tile.clone());
            }
        }
        let tile = match self.tiles.get(&packed) {
            Some(tile) => tile.clone(),
            None => {
                let tile = self
                    .store
                    .get(key)?
                    .ok_or_else(|| RouteError::Data(format!("tile {key} is referenced but missing")))?;
                self.tiles.insert(packed, tile.clone());
                tile
            }
        };
        self.last = Some((packed, tile.clone()));
        Ok(tile)
    }
}
