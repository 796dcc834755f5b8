//! Locus pipelines: the offline jobs, each a library function the `locus` command line calls.
//!
//! - [`import`]: `locus import businesses FILE`, bulk loading businesses from CSV, JSON lines or
//!   an OpenStreetMap PBF extract through the business repository, idempotently.
//! - [`map_tiles`]: `locus tiles render`, OpenStreetMap to raster (PNG) or vector (MVT) map
//!   tiles in a CDN-ready bucket and a PMTiles archive, in parallel, copies stored once.
//! - [`osm_tiles`]: `locus import osm FILE`, OpenStreetMap to the routing tiles of every
//!   profile, written beside the previous set and swapped in when complete.
//! - [`rebuild`]: `locus rebuild-index`, rebuilding the geohash index from the business table and
//!   invalidating the cached cells.
//! - [`roads`]: `locus generate roads`, a deterministic synthetic country-sized road network
//!   (towns, intercity roads by class, motorways, ferries) for the routing scale run, and an OSM
//!   XML writer.
//! - [`synth`]: deterministic synthetic businesses (an unevenly dense world for load tests, and
//!   the embedded default's demo region) and a CSV writer for them.
//!
//! The jobs talk to storage only through `locus-business` and the `locus-core` traits; they know
//! nothing of HTTP. Progress bars are drawn only when asked for.

pub mod import;
pub mod map_tiles;
pub mod osm_tiles;
mod progress;
pub mod rebuild;
pub mod roads;
pub mod synth;
