//! The business service: what the HTTP layer calls. Checks who may write, validates, writes
//! through the repository, keeps the detail cache fresh and announces changes on the bus.
//!
//! A write, once started, runs to completion in its own task (commit, cache invalidation and
//! announcement) even if the caller goes away, so a dropped request never leaves a stale cache.

mod cached;

use crate::model::{Business, BusinessInput, ValidationError};
use crate::repo::{BatchSummary, BusinessRepo, RepoError, Touched};
use locus_core::bus::Bus;
use locus_core::cache::Cache;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub use cached::detail_cache_key;

/// The bus channel on which every committed write publishes the business id (decimal text).
pub const CHANGES_CHANNEL: &str = "locus:business-changes";

/// How long a business detail stays in the cache.
pub const DETAIL_TTL: Duration = Duration::from_secs(3600);

/// Who is asking. No user and not admin is anonymous.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub is_admin: bool,
}

impl Actor {
    pub fn user(id: i64) -> Self {
        Actor { user_id: Some(id), is_admin: false }
    }

    pub fn admin() -> Self {
        Actor { user_id: None, is_admin: true }
    }

    pub fn is_authenticated(&self) -> bool {
        self.user_id.is_some() || self.is_admin
    }

    /// May this actor change `b`? Its owner or an admin.
    pub fn may_change(&self, b: &Business) -> bool {
        self.is_admin || (self.user_id.is_some() && self.user_id == b.owner_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("business not found")]
    NotFound,
    #[error("only the business's owner or an admin may change it")]
    Forbidden,
    #[error("authentication required")]
    Unauthenticated,
    #[error("invalid {0}")]
    Validation(#[from] ValidationError),
    #[error("external_id {0:?} is already used by another business")]
    Duplicate(String),
    #[error("storage: {0}")]
    Storage(String),
}

impl From<RepoError> for ServiceError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::Duplicate(key) => ServiceError::Duplicate(key),
            other => ServiceError::Storage(other.to_string()),
        }
    }
}

/// Business CRUD with a read-through detail cache.
#[derive(Clone)]
pub struct BusinessService {
    repo: BusinessRepo,
    cache: Arc<dyn Cache>,
    bus: Arc<dyn Bus>,
}

/// Runs a write in its own task so that dropping the caller cannot interrupt it half-way.
async fn detached<T: Send + 'static>(
    write: impl Future<Output = Result<T, ServiceError>> + Send + 'static,
) -> Result<T, ServiceError> {
    tokio::spawn(write).await.map_err(|e| ServiceError::Storage(format!("write task failed: {e}")))?
}

impl BusinessService {
    pub fn new(repo: BusinessRepo, cache: Arc<dyn Cache>, bus: Arc<dyn Bus>) -> Self {
        BusinessService { repo, cache, bus }
    }

    pub fn repo(&self) -> &BusinessRepo {
        &self.repo
    }

    /// Creates a business owned by the actor (an admin without a user id creates an unowned one).
    pub async fn create(&self, actor: &Actor, input: BusinessInput) -> Result<Business, ServiceError> {
        if !actor.is_authenticated() {
            return Err(ServiceError::Unauthenticated);
        }
        let input = input.validate()?;
        let (this, owner) = (self.clone(), actor.user_id);
        detached(async move {
            let created = this.repo.create(owner, &input).await?;
            this.after_write(&[Touched::new(created.id, None, Some(&created))]).await;
            Ok(created)
        })
        .await
    }

    /// Replaces the writable fields of a business the actor may change.
    pub async fn update(&self, actor: &Actor, id: i64, input: BusinessInput) -> Result<Business, ServiceError> {
        if !actor.is_authenticated() {
            return Err(ServiceError::Unauthenticated);
        }
        let input = input.validate()?;
        let (this, actor) = (self.clone(), *actor);
        detached(async move {
            this.authorize(&actor, id).await?;
            let (before, after) = this.repo.update(id, &input).await?.ok_or(ServiceError::NotFound)?;
            this.after_write(&[Touched::new(id, Some(&before), Some(&after))]).await;
            Ok(after)
        })
        .await
    }

    /// Deletes a business the actor may change.
    pub async fn delete(&self, actor: &Actor, id: i64) -> Result<(), ServiceError> {
        if !actor.is_authenticated() {
            return Err(ServiceError::Unauthenticated);
        }
        let (this, actor) = (self.clone(), *actor);
        detached(async move {
            this.authorize(&actor, id).await?;
            let before = this.repo.delete(id).await?.ok_or(ServiceError::NotFound)?;
            this.after_write(&[Touched::new(id, Some(&before), None)]).await;
            Ok(())
        })
        .await
    }

    /// Bulk import: [`BusinessRepo::upsert_batch`] followed by [`Self::after_write`]. Items are
    /// not validated here; importers validate each and count the rejects.
    pub async fn import_batch(
        &self,
        owner_id: Option<i64>,
        items: Vec<BusinessInput>,
    ) -> Result<BatchSummary, ServiceError> {
        let this = self.clone();
        detached(async move {
            let (summary, touched) = this.repo.upsert_batch_touched(owner_id, &items).await?;
            this.after_write(&touched).await;
            Ok(summary)
        })
        .await
    }

    /// NotFound when `id` does not exist, Forbidden when the actor may not change it.
    async fn authorize(&self, actor: &Actor, id: i64) -> Result<(), ServiceError> {
        let current = self.repo.get(id).await?.ok_or(ServiceError::NotFound)?;
        if actor.may_change(&current) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }
}
