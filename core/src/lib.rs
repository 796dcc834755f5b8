//! Locus core: what several services truly share.
//!
//! - [`geo`]: the one Earth model (a sphere of mean radius, haversine), validated coordinates,
//!   spherical caps and the longitude/latitude rectangles that cover them.
//! - [`geohash`]: geohash cells (precisions 1-12) and exact cell covers of rectangles.
//! - [`cache`]: the key/value cache trait with an in-process and a Redis implementation.
//! - [`bus`]: the fan-out (pub/sub) trait with an in-process, a Redis and a Redis Cluster
//!   (sharded channels) implementation.
//! - [`db`]: the SQL connection (SQLite embedded, MySQL/MariaDB in production) and its migrations.
//! - [`metrics`]: every Prometheus metric family Locus exports, registered in one place.
//! - [`pbf`]: strict, panic-proof block-by-block reading of OpenStreetMap PBF files;
//!   [`osm_xml`]: streaming OpenStreetMap XML elements.
//! - [`users`]: users and their bearer tokens, shared by every service that authenticates.
//!
//! Nothing here knows HTTP or JSON wire formats.

pub mod bus;
pub mod cache;
pub mod db;
pub mod geo;
pub mod geohash;
pub mod metrics;
pub mod osm_xml;
pub mod pbf;
pub mod users;
