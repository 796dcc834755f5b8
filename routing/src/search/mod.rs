//! Searching the tiles: exact A* from one snapped point to another ([`route`]) and Dijkstra
//! from one point to many ([`one_to_many`]), both over the same labelled search ([`engine`]).
//!
//! - **State.** The edge we arrived by (the start, when it is a node, is a node state), as in
//!   the flat oracle ([`crate::dijkstra`]): turn restrictions and turn costs at a node depend
//!   on it. Phantom states stand for the snapped start (its first, partial edge) and for each
//!   target (its last, partial edge).
//! - **Costs** are integer milliseconds: the tiles' cumulative travel times plus the turn
//!   costs of junctions and dead ends ([`crate::cost`], from whole-degree bearings stored in the
//!   tiles), so a route's cost equals the flat oracle's to the millisecond. No route turns back
//!   between junctions.
//! - **Heuristic.** The larger of two lower bounds: the chord to the target over the tile set's
//!   speed bound (`max_speed_mps` in the manifest, shaved by 0.5 % and 1 ms for rounding), and
//!   the landmark (ALT) bound from the costs to and from eight landmarks stored with every node
//!   ([`crate::tiles::landmarks`]). Both are admissible, so A* (which reopens a state whenever
//!   it finds it cheaper) is exact.
//! - **Levels** ([`levels`]). Where an overlay exists ([`crate::tiles::overlay`]), a state at a
//!   node whose cell at some level holds neither end of the query jumps to the cell's exits by
//!   the cell's clique instead of walking its edges; the highest such level is used. The found
//!   route's jumps are unpacked into edges by searching each jumped cell again over the level
//!   below, and the unpacked cost must equal the clique's.
//! - **Tiles** are fetched from the [`TileStore`] as the search reaches them; a query holds
//!   the few it touches in a small map.
//! - **Bounds.** A search stops with [`RouteError::TooBig`] past `max_states` settled states,
//!   so an unroutable pair on a huge network costs bounded work.

mod engine;
mod levels;
mod view;

pub(crate) use engine::through_cell;
pub use engine::{one_to_many, route, route_penalized, Found, Piece, Reached, SearchLimits};
pub use view::TileView;
