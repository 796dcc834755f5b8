//! The k best hits seen so far, by (distance, id): the collector behind every `nearest`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::metric::chord2_limit;
use super::{sort_hits, Hit};

/// A hit ordered by (distance, id), so the heap's top is the worst of the kept hits.
#[derive(Clone, Copy)]
struct Ranked(Hit);

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.distance_m.total_cmp(&other.0.distance_m).then(self.0.id.cmp(&other.0.id))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Keeps the k smallest hits offered.
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<Ranked>,
}

impl TopK {
    pub(crate) fn new(k: usize) -> Self {
        TopK { k, heap: BinaryHeap::with_capacity(k.saturating_add(1).min(4096)) }
    }

    /// Offers a hit; true when it was kept.
    pub(crate) fn offer(&mut self, id: i64, distance_m: f64) -> bool {
        let hit = Ranked(Hit { id, distance_m });
        if self.heap.len() < self.k {
            self.heap.push(hit);
            return true;
        }
        match self.heap.peek_mut() {
            Some(mut worst) if hit < *worst => {
                *worst = hit;
                true
            }
            _ => false,
        }
    }

    /// The k-th smallest distance once k hits are held: nothing farther can enter any more.
    pub(crate) fn kth(&self) -> Option<f64> {
        if self.heap.len() < self.k {
            return None;
        }
        self.heap.peek().map(|worst| worst.0.distance_m)
    }

    /// Offers a hit and, once k are held, tightens `limit2` (a squared chord) to the k-th
    /// distance's bound, so the search can skip whatever lies beyond it.
    pub(crate) fn offer_bounded(&mut self, id: i64, distance_m: f64, limit2: &mut f64) {
        if self.offer(id, distance_m) {
            if let Some(kth) = self.kth() {
                *limit2 = chord2_limit(kth);
            }
        }
    }

    pub(crate) fn into_sorted(self) -> Vec<Hit> {
        let mut hits: Vec<Hit> = self.heap.into_iter().map(|r| r.0).collect();
        sort_hits(&mut hits);
        hits
    }
}
