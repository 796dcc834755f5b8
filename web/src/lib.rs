//! The `locus` binary's library: configuration, backend selection, the HTTP API (the only
//! place that speaks HTTP and JSON) and the server lifecycle. `main.rs` adds the CLI.

pub mod api;
pub mod backends;
pub mod config;
pub mod routing;
pub mod server;
pub mod state;
