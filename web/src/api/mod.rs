//! The HTTP API: routes, wire types and the error shape. Handlers call the services' domain
//! APIs and translate their errors.

mod auth;
mod businesses;
pub mod error;
mod health;
mod nearby;
mod params;
pub mod routing;
mod search;
pub mod tiles;
mod users;

use crate::config::{ServeConfig, Service};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::Router;
use error::ApiError;
use std::time::Instant;

/// All routes this process serves, given the services it runs.
pub fn router(state: AppState, config: &ServeConfig) -> Router {
    let mut app = Router::new()
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready))
        .route("/metrics", get(health::metrics))
        .route("/openapi.json", get(openapi));
    if config.runs(Service::Business) {
        app = app
            .route("/v1/users", post(users::create))
            .route("/v1/businesses", post(businesses::create))
            .route("/v1/businesses/{id}", get(businesses::get).put(businesses::update).delete(businesses::delete));
    }
    if config.runs(Service::Lbs) {
        app = app
            .route("/v1/search/nearby", get(search::nearby))
            .route("/v1/search/knn", get(search::knn))
            .route("/v1/search/within", get(search::within_bbox).post(search::within_polygon));
    }
    if config.runs(Service::Routing) {
        app = app
            .route("/v1/nav", get(routing::handlers::nav))
            .route("/route/{*rest}", get(routing::handlers::osrm))
            .route("/nearest/{*rest}", get(routing::handlers::osrm))
            .route("/table/{*rest}", get(routing::handlers::osrm));
    }
    if config.runs(Service::Tiles) {
        app = app
            .route("/v1/tiles/url", get(tiles::url))
            .route("/tiles/tiles.json", get(tiles::tile_json))
            .route("/tiles/tiles.pmtiles", get(tiles::archive).options(tiles::archive_preflight))
            .route("/tiles/{z}/{x}/{file}", get(tiles::tile));
    }
    if config.runs(Service::Nearby) {
        app = app
            .route("/v1/friends", get(nearby::list_friends))
            .route("/v1/friends/{id}", delete(nearby::delete_friend))
            .route("/v1/friends/requests", get(nearby::list_requests).post(nearby::create_request))
            .route("/v1/friends/requests/{id}", delete(nearby::delete_request))
            .route("/v1/friends/requests/{id}/accept", post(nearby::accept_request))
            .route("/v1/nearby/settings", get(nearby::get_settings).put(nearby::put_settings))
            .route("/v1/nearby/ws", get(nearby::websocket));
    }
    if config.runs(Service::Business) || config.runs(Service::Nearby) {
        app = app.route("/v1/users/me/token", post(nearby::rotate_token));
    }
    if config.runs(Service::Nearby) && !config.runs(Service::Business) {
        app = app.route("/v1/users", post(users::create));
    }
    app.fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "method not allowed on this route",
            )
        })
        .layer(middleware::from_fn(record_metrics))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// The API description every route is checked against (`tests/tests/openapi.rs`).
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// Counts every request and observes its latency under its route template.
async fn record_metrics(req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let response = next.run(req).await;
    let m = locus_core::metrics::metrics();
    m.http_duration.with_label_values(&[&route, &method]).observe(start.elapsed().as_secs_f64());
    m.http_requests.with_label_values(&[&route, &method, response.status().as_str()]).inc();
    response
}
