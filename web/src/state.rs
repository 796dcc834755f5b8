//! What every handler can reach.

use locus_business::service::BusinessService;
use locus_core::db::Database;
use locus_core::users::UserStore;
use locus_lbs::Searcher;
use std::sync::{Arc, OnceLock};

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub db: Database,
    pub users: UserStore,
    pub businesses: Arc<BusinessService>,
    /// Set once the search index is built; until then the instance is not ready.
    pub searcher: OnceLock<Arc<Searcher>>,
    /// SHA-256 of the configured admin token.
    pub admin_token_hash: Option<String>,
    /// Whether this process serves search at all.
    pub serves_search: bool,
    /// Set once the routing tiles are open; until then a routing instance is not ready.
    pub router: OnceLock<Arc<locus_routing::Router>>,
    /// Whether this process serves routing at all.
    pub serves_routing: bool,
    /// The base of the tile URLs the tile-URL API hands out.
    pub tiles_base_url: String,
    /// The tiles served at `/tiles/...` (`--tiles`), if any.
    pub tiles: Option<Arc<crate::api::tiles::TileServer>>,
    /// The nearby-friends service, when this process runs it.
    pub nearby: Option<Arc<locus_nearby::NearbyService>>,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}
