//! The navigation handlers: read the request with the wire layer, run the router off the async
//! runtime (a search is CPU work), answer with the wire layer's builders.

use super::nav::{nav_error, nav_response, parse_nav_query, NAV_ALTERNATIVES};
use super::osrm::{
    nearest_response, parse_nearest_options, parse_path, parse_route_options, parse_table_options, pass_through,
    route_response, table_response, Limits, OsrmCode, OsrmError, Service,
};
use crate::api::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use locus_routing::{QueryPoint, RouteError, Router};
use std::sync::Arc;

/// Runs a router query of `searches` point-to-point searches. One search is CPU work of a few
/// hundred microseconds, bounded by the router's limits: it runs inline on the worker, which
/// measured best (London, 16 connections on 2 cores: 19 % more requests/s and half the p99 of
/// `block_in_place`, whose thread hand-off costs more than the search). Longer work (many
/// waypoints, a table) moves off the worker (`block_in_place`) so it does not hold up the
/// other connections queued behind it.
async fn on_router<T: Send + 'static>(
    router: Arc<Router>,
    searches: usize,
    query: impl FnOnce(&Router) -> Result<T, RouteError> + Send + 'static,
) -> Result<T, RouteError> {
    match tokio::runtime::Handle::current().runtime_flavor() {
        tokio::runtime::RuntimeFlavor::MultiThread if searches <= INLINE_SEARCHES => query(&router),
        tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(move || query(&router)),
        _ => tokio::task::spawn_blocking(move || query(&router))
            .await
            .unwrap_or_else(|e| Err(RouteError::Data(format!("routing task failed: {e}")))),
    }
}

/// The searches a route through `points` runs: one per leg, or, with alternatives, several
/// walked ones (never inline).
fn route_searches(points: usize, alternatives: usize) -> usize {
    if alternatives > 0 {
        usize::MAX
    } else {
        points.saturating_sub(1)
    }
}

/// The most searches a query may run inline on an async worker ([`on_router`]).
const INLINE_SEARCHES: usize = 2;

fn osrm_unavailable() -> Response {
    OsrmError::new(OsrmCode::ServiceUnavailable, "routing tiles are not loaded yet; retry later").into_response()
}

/// `GET /route/v1/...`, `/nearest/v1/...`, `/table/v1/...`: OSRM's API.
pub async fn osrm(State(state): State<AppState>, uri: Uri) -> Response {
    let limits = Limits::default();
    let path = match parse_path(uri.path(), &limits) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let Some(router) = state.router.get().cloned() else {
        return osrm_unavailable();
    };
    let raw = uri.query().unwrap_or("");
    let n = path.coordinates.len();
    let (mode, coordinates) = (path.mode, path.coordinates);
    match path.service {
        Service::Route => {
            let options = match parse_route_options(raw, n, &limits) {
                Ok(o) => o,
                Err(e) => return e.into_response(),
            };
            let points = options.common.query_points(&coordinates);
            let alternatives = options.alternatives as usize;
            let searches = route_searches(points.len(), alternatives);
            match on_router(router, searches, move |r| r.route_with_alternatives(mode, &points, alternatives)).await {
                Ok(journeys) => {
                    // Routed through every coordinate; legs break only at the listed waypoints.
                    let journeys: Vec<_> = match &options.waypoints {
                        Some(waypoints) => journeys.into_iter().map(|j| pass_through(j, waypoints)).collect(),
                        None => journeys,
                    };
                    Json(route_response(&journeys, &options)).into_response()
                }
                Err(e) => OsrmError::from_route(e, Service::Route).into_response(),
            }
        }
        Service::Nearest => {
            let options = match parse_nearest_options(raw, &limits) {
                Ok(o) => o,
                Err(e) => return e.into_response(),
            };
            if n != 1 {
                return OsrmError::new(OsrmCode::InvalidOptions, "nearest takes exactly one coordinate")
                    .into_response();
            }
            let point = options.common.query_points(&coordinates)[0];
            let number = options.number as usize;
            match on_router(router, 0, move |r| r.nearest(mode, point, number)).await {
                Ok(waypoints) if waypoints.is_empty() => {
                    OsrmError::from_route(RouteError::NoSegment { index: 0 }, Service::Nearest).into_response()
                }
                Ok(waypoints) => Json(nearest_response(&waypoints, &options)).into_response(),
                Err(e) => OsrmError::from_route(e, Service::Nearest).into_response(),
            }
        }
        Service::Table => {
            let options = match parse_table_options(raw, n) {
                Ok(o) => o,
                Err(e) => return e.into_response(),
            };
            let points = options.common.query_points(&coordinates);
            let pick = |indices: &Option<Vec<usize>>| -> Vec<QueryPoint> {
                match indices {
                    Some(list) => list.iter().filter_map(|&i| points.get(i).copied()).collect(),
                    None => points.clone(),
                }
            };
            let (sources, destinations) = (pick(&options.sources), pick(&options.destinations));
            // A table row is a one-to-many search without a goal to aim at: never inline.
            match on_router(router, usize::MAX, move |r| r.table(mode, &sources, &destinations)).await {
                Ok(matrix) => Json(table_response(&matrix, &options)).into_response(),
                Err(e) => OsrmError::from_route(e, Service::Table).into_response(),
            }
        }
    }
}

/// `GET /v1/nav`: the book's Google-style directions.
pub async fn nav(State(state): State<AppState>, uri: Uri) -> Response {
    let Some(router) = state.router.get().cloned() else {
        return ApiError::unavailable("routing tiles are not loaded yet; retry later").into_response();
    };
    let max_waypoints = router.config().max_waypoints.saturating_sub(2);
    let request = match parse_nav_query(uri.query().unwrap_or(""), max_waypoints) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let points: Vec<QueryPoint> = request.points().into_iter().map(QueryPoint::new).collect();
    let count = points.len();
    let (mode, alternatives) = (request.mode, if request.alternatives { NAV_ALTERNATIVES } else { 0 });
    match on_router(router, route_searches(count, alternatives), move |r| {
        r.route_with_alternatives(mode, &points, alternatives)
    })
    .await
    {
        Ok(journeys) => Json(nav_response(&journeys)).into_response(),
        Err(e) => nav_error(e, count).into_response(),
    }
}
