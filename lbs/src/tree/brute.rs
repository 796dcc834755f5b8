//! The slow twin: a plain scan over every entry, the oracle of the property tests.

use std::collections::HashMap;
use std::mem::size_of;

use locus_core::geo::{haversine_m, LatLng};

use super::topk::TopK;
use super::{Hit, SpatialIndex};

/// Every entry in one `Vec`; each search computes the haversine to all of them.
#[derive(Debug, Default, Clone)]
pub struct BruteForce {
    entries: Vec<(i64, LatLng)>,
    slot: HashMap<i64, usize>,
}

impl BruteForce {
    pub fn new() -> Self {
        Self::default()
    }

    /// An index of `entries`; a repeated id keeps its last location.
    pub fn bulk_load(entries: Vec<(i64, LatLng)>) -> Self {
        let mut index =
            BruteForce { entries: Vec::with_capacity(entries.len()), slot: HashMap::with_capacity(entries.len()) };
        for (id, at) in entries {
            index.upsert(id, at);
        }
        index
    }
}

impl SpatialIndex for BruteForce {
    fn upsert(&mut self, id: i64, at: LatLng) {
        match self.slot.get(&id) {
            Some(&i) => self.entries[i].1 = at,
            None => {
                self.slot.insert(id, self.entries.len());
                self.entries.push((id, at));
            }
        }
    }

    fn remove(&mut self, id: i64) -> bool {
        let Some(i) = self.slot.remove(&id) else {
            return false;
        };
        self.entries.swap_remove(i);
        if let Some(&(moved, _)) = self.entries.get(i) {
            self.slot.insert(moved, i);
        }
        true
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn location(&self, id: i64) -> Option<LatLng> {
        self.slot.get(&id).map(|&i| self.entries[i].1)
    }

    fn visit_within(&self, center: LatLng, radius_m: f64, visit: &mut dyn FnMut(i64, LatLng, f64)) {
        for &(id, at) in &self.entries {
            let d = haversine_m(center, at);
            if d <= radius_m {
                visit(id, at, d);
            }
        }
    }

    fn nearest(&self, center: LatLng, k: usize) -> Vec<Hit> {
        let mut top = TopK::new(k);
        for &(id, at) in &self.entries {
            top.offer(id, haversine_m(center, at));
        }
        top.into_sorted()
    }

    fn heap_bytes(&self) -> usize {
        self.entries.capacity() * size_of::<(i64, LatLng)>() + self.slot.capacity() * (size_of::<(i64, usize)>() + 1)
    }
}
