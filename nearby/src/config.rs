//! The knobs of the nearby service, with the book's defaults.

use std::time::Duration;

/// Five miles, the book's "nearby".
pub const DEFAULT_RADIUS_M: f64 = 8_046.72;

#[derive(Debug, Clone)]
pub struct NearbyConfig {
    /// Radius for users who did not choose one.
    pub default_radius_m: f64,
    /// The largest radius a user may choose.
    pub max_radius_m: f64,
    /// A user whose location is older than this is inactive: gone from the cache and from
    /// their friends' maps.
    pub location_ttl: Duration,
    /// Friends a user may have (the book: 5000, as Facebook).
    pub max_friends: usize,
    /// Location updates a connection may send per second (a burst of as many is allowed).
    pub max_updates_per_s: u32,
    /// The largest WebSocket message accepted, in bytes.
    pub max_message_bytes: usize,
    /// Protocol violations (oversized or broken messages, floods) a connection may commit in a
    /// row before it is closed with code 1008.
    pub max_violations: u32,
    /// Location history: rows per insert, the longest a row waits, and the queue bound.
    pub history_batch: usize,
    pub history_flush: Duration,
    pub history_queue: usize,
}

impl Default for NearbyConfig {
    fn default() -> Self {
        NearbyConfig {
            default_radius_m: DEFAULT_RADIUS_M,
            max_radius_m: 100_000.0,
            location_ttl: Duration::from_secs(600),
            max_friends: 5000,
            max_updates_per_s: 5,
            max_message_bytes: 4096,
            max_violations: 5,
            history_batch: 500,
            history_flush: Duration::from_millis(500),
            history_queue: 100_000,
        }
    }
}
