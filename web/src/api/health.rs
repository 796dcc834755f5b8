//! `/health/live`, `/health/ready` and Prometheus `/metrics`.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

pub async fn live() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Ready when the database answers and, for a search instance, the index is built.
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let index_ready = !state.serves_search || state.searcher.get().is_some();
    let db_ready = state.db.ping().await;
    let status = if index_ready && db_ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let index_entries = state.searcher.get().map(|s| s.index().len());
    (
        status,
        Json(
            json!({ "ready": status == StatusCode::OK, "index_built": index_ready, "database": db_ready, "index_entries": index_entries }),
        ),
    )
}

pub async fn metrics() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], locus_core::metrics::metrics().render())
}
