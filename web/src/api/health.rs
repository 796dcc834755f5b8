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
    let routing_ready = !state.serves_routing || state.router.get().is_some();
    let db_ready = state.db.ping().await;
    let ready = index_ready && routing_ready && db_ready;
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let index_entries = state.searcher.get().map(|s| s.index().len());
    (
        status,
        Json(json!({
            "ready": ready,
            "index_built": index_ready,
            "routing_tiles_open": routing_ready,
            "database": db_ready,
            "index_entries": index_entries,
        })),
    )
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let m = locus_core::metrics::metrics();
    if let Some(router) = state.router.get() {
        for mode in router.modes() {
            let Ok(store) = router.store(mode) else { continue };
            let (tiles, bytes) = store.cached();
            let load = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed) as i64;
            for (stat, value) in [
                ("loads", load(&store.stats.loads)),
                ("hits", load(&store.stats.hits)),
                ("cached_tiles", tiles as i64),
                ("cached_bytes", bytes as i64),
                ("overlay_jumps", load(&store.stats.jumps)),
            ] {
                m.routing_tile_cache.with_label_values(&[mode.name(), stat]).set(value);
            }
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], m.render())
}

#[cfg(test)]
mod tests {
    use crate::config::ServeConfig;
    use crate::state::{AppState, Shared};
    use axum::body::Body;
    use axum::http::Request;
    use locus_business::repo::BusinessRepo;
    use locus_business::service::BusinessService;
    use locus_core::bus::InProcessBus;
    use locus_core::cache::InProcessCache;
    use locus_core::db::Database;
    use locus_core::users::UserStore;
    use locus_lbs::memory::MemoryIndex;
    use locus_lbs::{IndexKind, Searcher};
    use std::sync::Arc;
    use tower::ServiceExt;

    /// The book's rule: a search instance reports ready only once its index is built.
    #[tokio::test]
    async fn ready_only_after_the_index_is_built() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::connect(&Database::sqlite_url(dir.path())).await.unwrap();
        let repo = BusinessRepo::new(db.clone());
        let businesses = Arc::new(BusinessService::new(
            repo.clone(),
            Arc::new(InProcessCache::new(1 << 20)),
            Arc::new(InProcessBus::default()),
        ));
        let state = AppState::new(Shared {
            db: db.clone(),
            users: UserStore::new(db),
            businesses: businesses.clone(),
            searcher: Default::default(),
            admin_token_hash: None,
            serves_search: true,
            router: Default::default(),
            serves_routing: false,
            tiles_base_url: "/tiles".into(),
            tiles: None,
            nearby: None,
        });
        let config = ServeConfig::embedded(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
        let app = crate::api::router(state.clone(), &config);
        let ready = |app: axum::Router| async move {
            app.oneshot(Request::get("/health/ready").body(Body::empty()).unwrap()).await.unwrap().status()
        };
        assert_eq!(ready(app.clone()).await, 503);
        let search =
            app.clone().oneshot(Request::get("/v1/search/nearby?latitude=0&longitude=0").body(Body::empty()).unwrap());
        assert_eq!(search.await.unwrap().status(), 503);
        let index = Arc::new(MemoryIndex::build(IndexKind::Quadtree, &repo).await.unwrap());
        let _ = state.searcher.set(Arc::new(Searcher::new(index, businesses)));
        assert_eq!(ready(app).await, 200);
    }
}
