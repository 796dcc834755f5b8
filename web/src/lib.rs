//! The `locus` binary's library: configuration, backend selection, the HTTP API (the only
//! place that speaks HTTP and JSON), the server lifecycle, and the nearby-friends load
//! generator (`loadgen`, a WebSocket client). `main.rs` adds the CLI.

pub mod api;
pub mod backends;
pub mod config;
pub mod loadgen;
pub mod routing;
pub mod server;
pub mod state;
