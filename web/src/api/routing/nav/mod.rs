//! `GET /v1/nav`: the book's navigation answer in Google's Directions shape. `request` reads
//! the query (Google's `LAT,LNG` order), `response` builds the answer and maps router errors to
//! the house error shape, `text` holds Google's wording of distances, durations and maneuvers.

mod request;
mod response;
mod text;

pub use request::{parse_nav_query, NavRequest, MAX_WAYPOINTS, NAV_ALTERNATIVES};
pub use response::{nav_error, nav_response};
pub use text::{distance_text, duration_text, maneuver};
