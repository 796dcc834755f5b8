//! Nearby friends: live location sharing between friends (the book's "Nearby Friends").
//!
//! This crate owns the friend graph, the per-user sharing settings, the location cache with
//! its TTL, the per-user pub/sub channels, the batched location history, and the WebSocket
//! conversation with each client (as JSON messages; the HTTP upgrade itself is the web
//! crate's). The flow of one location update:
//!
//! 1. a client's `location` message reaches its [`session`] on some server;
//! 2. the session queues it for the [`history`] table, stores it in the [`locations`] cache
//!    (TTL: a user silent that long is inactive) and publishes it on the user's channel;
//! 3. every server with a connected friend holds a subscription to that channel in its
//!    [`hub`] (one per channel and server, whatever the number of local watchers), which hands
//!    the update to each local friend's session;
//! 4. each such session computes the distance to its own user and forwards it only within
//!    the radius, or tells its client the friend is gone.
//!
//! Friendship and settings changes travel on each user's control channel, so they reach live
//! sessions on any server at once. Modules: [`friends`] (requests and friendships, SQL),
//! [`settings`] (radius and sharing, SQL), [`locations`], [`history`], [`events`] (what
//! travels on the channels), [`protocol`] (the client's JSON messages), [`hub`], [`session`],
//! [`service`] (the whole assembled), [`config`].

pub mod config;
pub mod events;
pub mod friends;
pub mod history;
pub mod hub;
pub mod locations;
pub mod protocol;
pub mod service;
pub mod session;
pub mod settings;

pub use config::NearbyConfig;
pub use service::NearbyService;
