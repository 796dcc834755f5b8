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
