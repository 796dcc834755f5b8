//! The OSRM-compatible API (<https://project-osrm.org/docs/v5.24.0/api/>), so OSRM clients
//! work unchanged: `path` parses `/{service}/v1/{profile}/{coordinates}`, `common` and `options`
//! the query options, `response` builds the answers, `error` the error codes.
//!
//! A handler reads the path and query, then the options against the number of coordinates,
//! asks the router, and answers with a builder or an [`OsrmError`]:
//!
//! ```text
//! parse_parts(Service::Route, profile, coords, &limits)? ─▶ parse_route_options(query, n, &limits)?
//!   ─▶ router(mode, options.common.query_points(&coords)) ─▶ route_response(&journeys, &options)
//!                                                   └ Err(e) ─▶ OsrmError::from_route(e, Service::Route)
//! ```

mod common;
mod error;
mod options;
mod path;
mod response;

pub use common::{Approach, CommonOptions};
pub use error::{OsrmCode, OsrmError};
pub use options::{
    parse_nearest_options, parse_route_options, parse_table_options, Annotations, FallbackCoordinate, Geometries,
    NearestOptions, Overview, RouteOptions, TableOptions,
};
pub use path::{parse_coordinates, parse_parts, parse_path, parse_profile, Limits, OsrmPath, Service};
pub use response::{
    geometry, leg_ends, location, nearest_response, pass_through, round1, route_response, table_response,
};
