//! The country plan, decided before any node is made: a lattice of towns (where, how big),
//! the spacing of the lattice, and the motorway lines between its rows and columns.
//!
//! Towns sit at the centres of a `cols` x `rows` lattice of square cells of side
//! [`Plan::spacing`]; a town's size follows the classes of the two lattice lines through it, so
//! cities grow where trunk and primary lines cross. Motorways run along the cell borders
//! (between towns), horizontally after rows `1, 5, 9, ...` and vertically after columns
//! `1, 5, 9, ...`.

use super::class::{col_class, row_class};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A position in metres east (`.0`) and north (`.1`) of the country's south-west corner.
pub type Pt = (f64, f64);

/// A country of `n` nodes has about `n / NODES_PER_TOWN` towns (at least 9).
const NODES_PER_TOWN: f64 = 2000.0;
/// The share of the towns' budget spent on street grids; the rest goes to dead-end closes,
/// which can take any number of nodes and so make the total exact.
const GRID_SHARE: f64 = 0.88;
/// Spacing of the shape nodes of a motorway carriageway, metres.
pub const MOTORWAY_SHAPE_M: f64 = 800.0;

/// One town of the lattice.
#[derive(Debug, Clone)]
pub struct TownPlan {
    pub col: usize,
    pub row: usize,
    pub center: Pt,
    /// Intersections east-west and north-south (at least 3 each).
    pub w: usize,
    pub h: usize,
    /// The side of a block, metres.
    pub block: f64,
}

impl TownPlan {
    /// Intersections plus one shape node per block edge.
    pub fn grid_nodes(&self) -> u64 {
        let (w, h) = (self.w as u64, self.h as u64);
        w * h + (w - 1) * h + w * (h - 1)
    }

    /// The most nodes the town's dead-end closes can take (one close of up to 3 per block).
    pub fn close_capacity(&self) -> u64 {
        3 * (self.w as u64 - 1) * (self.h as u64 - 1)
    }

    /// The width or height of the grid, whichever is larger, metres.
    pub fn extent(&self) -> f64 {
        (self.w.max(self.h) - 1) as f64 * self.block
    }

    /// The south-west intersection, before jitter.
    pub fn origin(&self) -> Pt {
        let half = |n: usize| (n - 1) as f64 * self.block / 2.0;
        (self.center.0 - half(self.w), self.center.1 - half(self.h))
    }
}

/// A motorway line along a cell border: `u` runs along it (x for a horizontal line, y for a
/// vertical one), `v` across it, positive to the left of travel towards increasing `u`. Traffic
/// keeps right: the carriageway towards increasing `u` lies at negative `v`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub vertical: bool,
    /// y of a horizontal line, x of a vertical one.
    pub at: f64,
    /// The lattice row (horizontal) or column (vertical) just before the line.
    pub gap: usize,
    /// The motorway's number (`A1`, `A2`, ...).
    pub number: usize,
}

impl Line {
    pub fn xy(&self, u: f64, v: f64) -> Pt {
        if self.vertical {
            (self.at - v, u)
        } else {
            (u, self.at + v)
        }
    }

    pub fn u_of(&self, p: Pt) -> f64 {
        if self.vertical {
            p.1
        } else {
            p.0
        }
    }

    pub fn v_of(&self, p: Pt) -> f64 {
        if self.vertical {
            self.at - p.0
        } else {
            p.1 - self.at
        }
    }
}

/// The random draws of one town, made once so re-planning with another budget keeps them.
struct Draw {
    mult: f64,
    aspect: f64,
    block: f64,
    jitter: Pt,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub cols: usize,
    pub rows: usize,
    /// The side of a lattice cell, metres.
    pub spacing: f64,
    /// Shape nodes of an intercity road per cell side.
    pub road_shapes: usize,
    /// Row-major: town `(col, row)` is `towns[row * cols + col]`.
    pub towns: Vec<TownPlan>,
    pub lines: Vec<Line>,
}

impl Plan {
    /// The plan of a country of about `nodes` nodes.
    pub fn new(nodes: u64, rng: &mut ChaCha8Rng) -> Plan {
        let count = ((nodes as f64 / NODES_PER_TOWN).round() as usize).max(9);
        let cols = ((count as f64).sqrt().round() as usize).max(3);
        let rows = count.div_ceil(cols).max(3);
        let draws: Vec<Draw> = (0..cols * rows)
            .map(|_| Draw {
                mult: rng.gen_range(0.7..1.3),
                aspect: rng.gen_range(0.8..1.25),
                block: rng.gen_range(90.0..120.0),
                jitter: (rng.gen_range(-1.0..1.0), rng.gen_range(-1.0..1.0)),
            })
            .collect();
        let per_town = nodes as f64 / (cols * rows) as f64;
        let road_shapes = (per_town / 100.0).round().clamp(2.0, 20.0) as usize;
        // The roads between towns take nodes from the towns' budget, and their length depends
        // on the towns' sizes: a few rounds settle it.
        let mut others = 0.0;
        let mut plan = Plan::with(nodes, cols, rows, road_shapes, &draws, others);
        for _ in 0..3 {
            others = plan.estimate_other_nodes();
            plan = Plan::with(nodes, cols, rows, road_shapes, &draws, others);
        }
        plan
    }

    fn with(nodes: u64, cols: usize, rows: usize, road_shapes: usize, draws: &[Draw], others: f64) -> Plan {
        let weight = |k: usize| row_class(k / cols).town_factor() * col_class(k % cols).town_factor() * draws[k].mult;
        let total: f64 = (0..cols * rows).map(weight).sum();
        let budget = (nodes as f64 - others).max(0.0) * GRID_SHARE;
        let mut towns: Vec<TownPlan> = draws
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let g = budget * weight(k) / total;
                let side = |x: f64| (x / 3.0).sqrt().round().max(3.0) as usize;
                TownPlan {
                    col: k % cols,
                    row: k / cols,
                    center: (0.0, 0.0),
                    w: side(g * d.aspect),
                    h: side(g / d.aspect),
                    block: d.block,
                }
            })
            .collect();
        let largest = towns.iter().map(TownPlan::extent).fold(0.0, f64::max);
        // Wide enough that the largest town leaves room for a motorway and its ramps between
        // it and its neighbours.
        let spacing = (1.6 * largest + 800.0).max(1500.0);
        for (t, d) in towns.iter_mut().zip(draws) {
            t.center = (
                (t.col as f64 + 0.5 + 0.04 * d.jitter.0) * spacing,
                (t.row as f64 + 0.5 + 0.04 * d.jitter.1) * spacing,
            );
        }
        let mut lines = Vec::new();
        let mut number = 1;
        for j in (1..rows.saturating_sub(1)).step_by(4) {
            lines.push(Line { vertical: false, at: (j + 1) as f64 * spacing, gap: j, number });
            number += 1;
        }
        for i in (1..cols.saturating_sub(1)).step_by(4) {
            lines.push(Line { vertical: true, at: (i + 1) as f64 * spacing, gap: i, number });
            number += 1;
        }
        Plan { cols, rows, spacing, road_shapes, towns, lines }
    }

    pub fn town(&self, col: usize, row: usize) -> &TownPlan {
        &self.towns[row * self.cols + col]
    }

    /// The country's height, metres.
    pub fn height(&self) -> f64 {
        self.rows as f64 * self.spacing
    }

    /// Shape nodes of an intercity road `len` metres long.
    pub fn road_shape_count(&self, len: f64) -> usize {
        (len / (self.spacing / self.road_shapes as f64)).round().max(1.0) as usize
    }

    /// Whether the east-west road of row `j` has a junction where it crosses vertical motorway
    /// line `line` (every other row does).
    pub fn junction_on_row(line: &Line, j: usize) -> bool {
        line.vertical && j.is_multiple_of(2)
    }

    /// Whether the north-south road of column `i` has a junction with horizontal line `line`.
    pub fn junction_on_col(line: &Line, i: usize) -> bool {
        !line.vertical && i.is_multiple_of(2)
    }

    /// About how many nodes the intercity roads, ferries and motorways take.
    fn estimate_other_nodes(&self) -> f64 {
        let mut n = 0.0;
        let ext = |c: usize, r: usize| self.town(c, r).extent() / 2.0;
        for r in 0..self.rows {
            for c in 0..self.cols {
                if c + 1 < self.cols {
                    n += self.road_shape_count(self.spacing - ext(c, r) - ext(c + 1, r)) as f64 + 2.0;
                }
                if r + 1 < self.rows {
                    n += self.road_shape_count(self.spacing - ext(c, r) - ext(c, r + 1)) as f64 + 2.0;
                }
            }
        }
        for line in &self.lines {
            let (along, across) = if line.vertical { (self.rows, self.cols) } else { (self.cols, self.rows) };
            let locals = along.div_ceil(2) as f64;
            let crosses = (across / 4) as f64;
            let length = 2.0 * (locals - 1.0) * self.spacing;
            n += 2.0 * (length / MOTORWAY_SHAPE_M + 2.0 * (locals + crosses)) + 4.0 * locals + 4.0 * crosses;
        }
        n + 8.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn towns_leave_room_for_the_motorways() {
        for nodes in [1_000, 20_000, 5_000_000] {
            let plan = Plan::new(nodes, &mut ChaCha8Rng::seed_from_u64(3));
            for t in &plan.towns {
                let reach = (t.w.max(t.h) as f64 / 2.0 + 0.5) * t.block;
                let from_border = 0.5 * plan.spacing - 0.04 * plan.spacing;
                assert!(reach + 300.0 < from_border, "{nodes}: town {t:?} in spacing {}", plan.spacing);
            }
            assert!(plan.lines.iter().any(|l| l.vertical) && plan.lines.iter().any(|l| !l.vertical), "{nodes}");
        }
    }
}
