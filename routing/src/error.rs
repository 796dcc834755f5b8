//! Why a routing query has no answer. The web crate maps each kind to OSRM's codes
//! (`NoSegment`, `NoRoute`, `InvalidValue`, `TooBig`, ...) and to HTTP statuses.

use crate::profile::Mode;

/// Why a query could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// No road the profile may use lies within the snapping radius of query point `index`.
    #[error("could not find a matching segment for coordinate {index}")]
    NoSegment { index: usize },
    /// The waypoints are on the network but not connected for this profile.
    #[error("no route found between the given coordinates")]
    NoRoute,
    /// This router has no tiles for the profile.
    #[error("no routing data for profile {0}")]
    ProfileUnavailable(Mode),
    /// A parameter is out of range (too many coordinates, a radius too large, ...).
    #[error("{0}")]
    InvalidValue(String),
    /// The query would do more work than this router allows.
    #[error("{0}")]
    TooBig(String),
    /// A tile could not be read: the data directory is damaged or was changed under us.
    #[error("routing data unavailable: {0}")]
    Data(String),
}
