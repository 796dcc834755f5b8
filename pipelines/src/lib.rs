//! Locus pipelines: the offline jobs, each a library function the `locus` command line calls.
//!
//! - [`import`]: `locus import businesses FILE`, bulk loading businesses from CSV, JSON lines or
//!   an OpenStreetMap PBF extract through the business repository, idempotently.
//! - [`rebuild`]: `locus rebuild-index`, rebuilding the geohash index from the business table and
//!   invalidating the cached cells.
//! - [`synth`]: deterministic synthetic businesses (an unevenly dense world for load tests, and
//!   the embedded default's demo region) and a CSV writer for them.
//!
//! The jobs talk to storage only through `locus-business` and the `locus-core` traits; they know
//! nothing of HTTP. Progress bars are drawn only when asked for.

pub mod import;
mod progress;
pub mod rebuild;
pub mod synth;
