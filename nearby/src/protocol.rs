//! The WebSocket conversation's JSON messages (the contract clients rely on), and the checks
//! every incoming message passes before it means anything.

use crate::locations::Location;
use serde::{Deserialize, Serialize};

/// Timestamps further than this in the future are refused (client clocks drift, not this far).
const MAX_FUTURE_MS: i64 = 5 * 60 * 1000;
/// Timestamps older than this are refused: a location update is about now.
const MAX_AGE_MS: i64 = 24 * 3600 * 1000;

/// A message from the client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClientMessage {
    /// The client's own location on (re)connecting; answered with the nearby friends.
    Init(Location),
    /// A periodic location update.
    Location(Location),
}

/// `init` and `location` carry the same fields. Unknown fields (a forged `id`, say) are errors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationFields {
    #[serde(rename = "type")]
    _type: String,
    latitude: f64,
    longitude: f64,
    #[serde(default)]
    accuracy: Option<f64>,
    #[serde(default)]
    timestamp: Option<i64>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
}

/// Why a client message was refused: the `error` message's code and text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ProtocolError {
    pub code: &'static str,
    pub message: String,
}

impl ProtocolError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ProtocolError { code, message: message.into() }
    }

    /// Whether the error is a breach of the protocol (counted towards closing the connection)
    /// rather than a value the client may get wrong now and then.
    pub fn is_violation(&self) -> bool {
        !matches!(self.code, "invalid_coordinates" | "invalid_timestamp" | "unavailable")
    }
}

impl ClientMessage {
    /// Parses and validates one text message; `now_ms` is the server's clock.
    pub fn parse(text: &str, now_ms: i64) -> Result<ClientMessage, ProtocolError> {
        let envelope: Envelope = serde_json::from_str(text)
            .map_err(|e| ProtocolError::new("invalid_json", format!("expected a JSON object with a \"type\": {e}")))?;
        let wrap: fn(Location) -> ClientMessage = match envelope.kind.as_str() {
            "init" => ClientMessage::Init,
            "location" => ClientMessage::Location,
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(ProtocolError::new("unknown_type", format!("unknown message type {shown:?}")));
            }
        };
        let f: LocationFields =
            serde_json::from_str(text).map_err(|e| ProtocolError::new("invalid_message", e.to_string()))?;
        if locus_core::geo::LatLng::new(f.latitude, f.longitude).is_err() {
            return Err(ProtocolError::new(
                "invalid_coordinates",
                "latitude must be within [-90, 90] and longitude within [-180, 180]",
            ));
        }
        if f.accuracy.is_some_and(|a| !(a.is_finite() && a >= 0.0)) {
            return Err(ProtocolError::new("invalid_coordinates", "accuracy must be a number of metres, 0 or more"));
        }
        let ts = f.timestamp.unwrap_or(now_ms);
        if ts > now_ms + MAX_FUTURE_MS || ts < now_ms - MAX_AGE_MS {
            return Err(ProtocolError::new(
                "invalid_timestamp",
                "timestamp must be milliseconds since the epoch, within the last day",
            ));
        }
        Ok(wrap(Location { lat: f.latitude, lng: f.longitude, accuracy_m: f.accuracy, ts }))
    }
}

/// A friend in the answer to `init`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyFriend {
    pub id: i64,
    pub latitude: f64,
    pub longitude: f64,
    pub distance_m: f64,
    pub updated_at: i64,
}

/// A message to the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The friends within the radius now, nearest first.
    Nearby {
        friends: Vec<NearbyFriend>,
    },
    /// A friend within the radius moved (or came within it).
    FriendLocation {
        id: i64,
        latitude: f64,
        longitude: f64,
        distance_m: f64,
        timestamp: i64,
    },
    /// A friend left the radius, went inactive, stopped sharing or is no longer a friend.
    FriendGone {
        id: i64,
    },
    /// An opted-in stranger within the radius moved ("nearby random person"; both opted in).
    StrangerLocation {
        id: i64,
        latitude: f64,
        longitude: f64,
        distance_m: f64,
        timestamp: i64,
    },
    /// A stranger left the radius, went inactive or opted out.
    StrangerGone {
        id: i64,
    },
    /// A new friend is followed.
    Subscribe {
        id: i64,
    },
    /// A friend is no longer followed.
    Unsubscribe {
        id: i64,
    },
    Error {
        code: String,
        message: String,
    },
}

impl ServerMessage {
    pub fn kind(&self) -> &'static str {
        match self {
            ServerMessage::Nearby { .. } => "nearby",
            ServerMessage::FriendLocation { .. } => "friend_location",
            ServerMessage::FriendGone { .. } => "friend_gone",
            ServerMessage::StrangerLocation { .. } => "stranger_location",
            ServerMessage::StrangerGone { .. } => "stranger_gone",
            ServerMessage::Subscribe { .. } => "subscribe",
            ServerMessage::Unsubscribe { .. } => "unsubscribe",
            ServerMessage::Error { .. } => "error",
        }
    }

    pub fn error(e: &ProtocolError) -> Self {
        ServerMessage::Error { code: e.code.to_owned(), message: e.message.clone() }
    }

    pub fn friend_location(id: i64, at: &Location, distance_m: f64) -> Self {
        ServerMessage::FriendLocation { id, latitude: at.lat, longitude: at.lng, distance_m, timestamp: at.ts }
    }

    pub fn stranger_location(id: i64, at: &Location, distance_m: f64) -> Self {
        ServerMessage::StrangerLocation { id, latitude: at.lat, longitude: at.lng, distance_m, timestamp: at.ts }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn code(text: &str) -> &'static str {
        ClientMessage::parse(text, NOW).map(|_| "ok").unwrap_or_else(|e| e.code)
    }

    #[test]
    fn well_formed_messages_parse() {
        let init = ClientMessage::parse(r#"{"type":"init","latitude":48.8,"longitude":2.3}"#, NOW).unwrap();
        assert_eq!(init, ClientMessage::Init(Location { lat: 48.8, lng: 2.3, accuracy_m: None, ts: NOW }));
        let moved = ClientMessage::parse(
            r#"{"type":"location","latitude":-33.9,"longitude":151.2,"accuracy":12.5,"timestamp":1799999999000}"#,
            NOW,
        )
        .unwrap();
        assert_eq!(
            moved,
            ClientMessage::Location(Location { lat: -33.9, lng: 151.2, accuracy_m: Some(12.5), ts: 1_799_999_999_000 })
        );
    }

    #[test]
    fn hostile_messages_get_their_codes() {
        let cases = [
            ("not json", "invalid_json"),
            ("[1,2]", "invalid_json"),
            (r#"{"latitude":1,"longitude":2}"#, "invalid_json"),
            (r#"{"type":"teleport","latitude":1,"longitude":2}"#, "unknown_type"),
            (r#"{"type":"location","latitude":1}"#, "invalid_message"),
            (r#"{"type":"location","latitude":"1","longitude":2}"#, "invalid_message"),
            (r#"{"type":"location","latitude":1,"longitude":2,"id":99}"#, "invalid_message"),
            (r#"{"type":"location","latitude":1,"longitude":2,"user_id":99}"#, "invalid_message"),
            (r#"{"type":"location","latitude":91,"longitude":2}"#, "invalid_coordinates"),
            (r#"{"type":"location","latitude":1,"longitude":-180.5}"#, "invalid_coordinates"),
            (r#"{"type":"location","latitude":1,"longitude":2,"accuracy":-1}"#, "invalid_coordinates"),
            (r#"{"type":"location","latitude":1e999,"longitude":2}"#, "invalid_message"),
            (r#"{"type":"location","latitude":1,"longitude":2,"timestamp":0}"#, "invalid_timestamp"),
            (r#"{"type":"location","latitude":1,"longitude":2,"timestamp":9999999999999}"#, "invalid_timestamp"),
            (r#"{"type":"init","latitude":90,"longitude":-180}"#, "ok"),
        ];
        for (text, want) in cases {
            assert_eq!(code(text), want, "{text}");
        }
    }

    #[test]
    fn server_messages_use_the_contract_names() {
        let at = Location { lat: 1.5, lng: 2.5, accuracy_m: None, ts: 7 };
        let json: serde_json::Value =
            serde_json::from_str(&ServerMessage::friend_location(3, &at, 10.0).to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type":"friend_location","id":3,"latitude":1.5,"longitude":2.5,"distance_m":10.0,"timestamp":7})
        );
        let gone: serde_json::Value = serde_json::from_str(&ServerMessage::FriendGone { id: 4 }.to_json()).unwrap();
        assert_eq!(gone, serde_json::json!({"type":"friend_gone","id":4}));
    }
}
