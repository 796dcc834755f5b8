//! `locus-routing` owns the road network a router searches: the travel profiles (car, foot,
//! bicycle) that say which OpenStreetMap ways and nodes each mode may use, how fast and in which
//! direction; the OSM readers (`.osm.pbf`, `.osm` XML) that turn a file into ways, nodes and
//! turn restrictions, counting what they skip; the flat routing graph of one profile (nodes,
//! directed edges, replaceable travel-time weights, turn restrictions, barriers); and the plain
//! Dijkstra over it, the exact oracle every faster router (tiles, A*) is tested against.
//!
//! It does no network or database IO; reading a file is the only IO.
//!
//! ```text
//! osm::read_file ──▶ OsmData ──▶ Graph::build(&data, Profile::car()) ──▶ dijkstra::shortest_path
//!                    (ways, nodes,        (CSR edges + Weights +
//!                     restrictions,        TurnRestrictions + barriers)
//!                     ImportReport)
//! ```

pub mod cost;
pub mod dijkstra;
pub mod driving_side;
pub mod error;
pub mod graph;
pub mod guide;
pub mod journey;
pub mod osm;
pub mod polyline;
pub mod profile;
pub mod router;
pub mod search;
pub mod snap;
pub mod tiles;

pub use dijkstra::{shortest_path, Route};
pub use error::RouteError;
pub use graph::{BuildReport, Edge, EdgeId, Graph, NodeId, TurnRestrictions, WayInfo, Weights};
pub use journey::{Journey, Leg, Matrix, QueryPoint, Stretch, Waypoint};
pub use osm::{read_file, read_xml, ImportReport, OsmData, OsmError};
pub use profile::{EdgeFlags, Mode, Profile, RoadClass, Tags};
pub use router::{Router, RouterConfig};
