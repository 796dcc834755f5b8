//! Compressed sparse rows: items grouped by a node index (offsets plus one flat array), the
//! adjacency form every graph pass of the tile builder uses.

/// Items grouped by node: `of(v)` is node `v`'s slice, in the order the items came.
#[derive(Debug, Clone, Default)]
pub struct Csr<T> {
    first: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy + Default> Csr<T> {
    /// Groups `(node, item)` pairs over nodes `0..n`.
    pub fn group(n: usize, pairs: impl Iterator<Item = (u32, T)> + Clone) -> Csr<T> {
        let mut first = vec![0u32; n + 1];
        for (node, _) in pairs.clone() {
            first[node as usize + 1] += 1;
        }
        for i in 1..=n {
            first[i] += first[i - 1];
        }
        let mut fill = first.clone();
        let mut items = vec![T::default(); first[n] as usize];
        for (node, item) in pairs {
            items[fill[node as usize] as usize] = item;
            fill[node as usize] += 1;
        }
        Csr { first, items }
    }

    pub fn of(&self, node: u32) -> &[T] {
        &self.items[self.first[node as usize] as usize..self.first[node as usize + 1] as usize]
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.first.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_their_order() {
        let csr = Csr::group(3, [(2, 'a'), (0, 'b'), (2, 'c')].into_iter());
        assert_eq!((csr.of(0), csr.of(1), csr.of(2)), (&['b'][..], &[][..], &['a', 'c'][..]));
    }
}
