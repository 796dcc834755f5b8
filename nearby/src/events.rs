//! What travels on the pub/sub channels between servers. Each user has two channels: their
//! location channel (their moves, read by the servers of their friends) and their control
//! channel (friendship, settings and token changes, read by the servers holding their own
//! connections).

use crate::locations::Location;
use crate::settings::NearbySettings;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// On a location channel: the user moved.
    Location { id: i64, location: Location },
    /// On a location channel: the user stopped sharing.
    Gone { id: i64 },
    /// On a control channel: the user has a new friend.
    FriendAdded { id: i64 },
    /// On a control channel: the user lost a friend.
    FriendRemoved { id: i64 },
    /// On a control channel: the user's settings changed.
    Settings { settings: NearbySettings },
    /// On a control channel: the user's token was replaced; their connections must end.
    Revoked,
}

impl Event {
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn decode(bytes: &[u8]) -> Option<Event> {
        serde_json::from_slice(bytes).ok()
    }
}

/// The channel a user's moves are published on.
pub fn location_channel(user: i64) -> String {
    format!("nearby:loc:{user}")
}

/// The channel that tells a user's own connections about changes to them.
pub fn control_channel(user: i64) -> String {
    format!("nearby:ctl:{user}")
}

/// Geohash precision of the "nearby random person" area channels (cells of about 4.9 × 4.9 km).
pub const AREA_PRECISION: usize = 5;

/// The area channel of geohash cell `cell`: opted-in users' moves inside it.
pub fn area_channel(cell: &str) -> String {
    format!("nearby:area:{cell}")
}

/// The area cell a location publishes to.
pub fn area_cell(at: &Location) -> Option<String> {
    let p = locus_core::geo::LatLng::new(at.lat, at.lng).ok()?;
    Some(locus_core::geohash::encode(p, AREA_PRECISION))
}

/// The area cells that cover everything within `radius_m` of `at`; only the cell of `at` when
/// that would take more than [`MAX_AREA_CELLS`] (a radius of tens of kilometres).
pub fn area_cells_around(at: &Location, radius_m: f64) -> Vec<String> {
    let Ok(center) = locus_core::geo::LatLng::new(at.lat, at.lng) else { return Vec::new() };
    let rects = locus_core::geo::cap_rects(center, radius_m);
    locus_core::geohash::cover(&rects, AREA_PRECISION, MAX_AREA_CELLS)
        .unwrap_or_else(|| area_cell(at).into_iter().collect())
}

/// The most area channels one session follows.
pub const MAX_AREA_CELLS: usize = 256;
