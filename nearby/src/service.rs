//! The nearby service assembled: stores, cache, history, hub, and the operations the REST
//! API calls. Each change that live sessions must see is published on the control channels
//! of the users it concerns, so it reaches their sessions on whatever server they are.

use crate::config::NearbyConfig;
use crate::events::{area_cell, area_channel, control_channel, location_channel, Event};
use crate::friends::{FriendError, FriendRequest, FriendStore, RequestOutcome};
use crate::history::HistoryWriter;
use crate::hub::{Hub, SessionId};
use crate::locations::LocationCache;
use crate::settings::{NearbySettings, SettingsError, SettingsPatch, SettingsStore};
use locus_core::bus::Bus;
use locus_core::cache::Cache;
use locus_core::db::Database;
use locus_core::users::{User, UserError, UserStore};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

pub struct NearbyService {
    pub config: NearbyConfig,
    pub friends: FriendStore,
    pub settings: SettingsStore,
    pub locations: LocationCache,
    pub history: HistoryWriter,
    pub hub: Hub,
    users: UserStore,
    sessions: SessionCount,
    /// Flips to true when the server drains: sessions close with 1001.
    shutdown: watch::Sender<bool>,
}

/// Live sessions, so draining can wait for the last one.
#[derive(Default)]
struct SessionCount {
    next_id: AtomicU64,
    open: AtomicUsize,
    draining: AtomicBool,
    changed: Notify,
}

/// Keeps a session counted while it lives.
pub struct SessionGuard<'a> {
    count: &'a SessionCount,
    pub id: SessionId,
}

impl Drop for SessionGuard<'_> {
    fn drop(&mut self) {
        self.count.open.fetch_sub(1, Ordering::SeqCst);
        locus_core::metrics::metrics().nearby_connections.dec();
        self.count.changed.notify_waiters();
    }
}

impl NearbyService {
    pub fn new(config: NearbyConfig, db: Database, cache: Arc<dyn Cache>, bus: Arc<dyn Bus>) -> Self {
        let history =
            HistoryWriter::start(db.clone(), config.history_batch, config.history_flush, config.history_queue);
        NearbyService {
            friends: FriendStore::new(db.clone(), config.max_friends),
            settings: SettingsStore::new(db.clone(), config.default_radius_m, config.max_radius_m),
            locations: LocationCache::new(cache, config.location_ttl),
            history,
            hub: Hub::new(bus),
            users: UserStore::new(db),
            sessions: SessionCount::default(),
            shutdown: watch::channel(false).0,
            config,
        }
    }

    /// Counts a new session; `None` while draining (the client should connect elsewhere).
    pub fn open_session(&self) -> Option<SessionGuard<'_>> {
        if self.sessions.draining.load(Ordering::SeqCst) {
            return None;
        }
        self.sessions.open.fetch_add(1, Ordering::SeqCst);
        locus_core::metrics::metrics().nearby_connections.inc();
        Some(SessionGuard { count: &self.sessions, id: self.sessions.next_id.fetch_add(1, Ordering::Relaxed) })
    }

    pub fn is_draining(&self) -> bool {
        self.sessions.draining.load(Ordering::SeqCst)
    }

    pub fn open_sessions(&self) -> usize {
        self.sessions.open.load(Ordering::SeqCst)
    }

    /// Resolves when the server starts draining.
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// Graceful shutdown: refuse new sessions, close the open ones with 1001 (clients
    /// reconnect to another server), wait for them up to `grace`, then write the queued
    /// location history.
    pub async fn drain(&self, grace: Duration) {
        self.sessions.draining.store(true, Ordering::SeqCst);
        let _ = self.shutdown.send(true);
        let deadline = tokio::time::Instant::now() + grace;
        while self.open_sessions() > 0 {
            let notified = self.sessions.changed.notified();
            if self.open_sessions() == 0 || tokio::time::timeout_at(deadline, notified).await.is_err() {
                break;
            }
        }
        if self.open_sessions() > 0 {
            tracing::warn!(open = self.open_sessions(), "nearby sessions still open after the drain grace period");
        }
        self.history.close().await;
        tracing::info!("nearby service drained");
    }

    /// `from` asks `to`; when `to` had asked first, they are friends now.
    pub async fn request_friend(&self, from: i64, to: i64) -> Result<RequestOutcome, FriendError> {
        let outcome = self.friends.request(from, to).await?;
        if let RequestOutcome::Accepted(r) = &outcome {
            self.announce_friendship(r).await;
        }
        Ok(outcome)
    }

    pub async fn accept_request(&self, user: i64, id: i64) -> Result<FriendRequest, FriendError> {
        let request = self.friends.accept(user, id).await?;
        self.announce_friendship(&request).await;
        Ok(request)
    }

    pub async fn unfriend(&self, user: i64, friend: i64) -> Result<(), FriendError> {
        self.friends.unfriend(user, friend).await?;
        self.tell(user, &Event::FriendRemoved { id: friend }).await;
        self.tell(friend, &Event::FriendRemoved { id: user }).await;
        Ok(())
    }

    /// `user`'s friends with their names.
    pub async fn friends_of(&self, user: i64) -> Result<Vec<User>, FriendError> {
        let ids = self.friends.friends_of(user).await?;
        self.users.find_many(&ids).await.map_err(|e| match e {
            UserError::Db(e) => FriendError::Db(e),
            UserError::InvalidName => FriendError::UnknownUser(user),
        })
    }

    /// Applies a settings change and tells the user's sessions. Turning sharing off removes
    /// the user from the cache and from every friend's map at once.
    pub async fn update_settings(&self, user: i64, patch: SettingsPatch) -> Result<NearbySettings, SettingsError> {
        let (before, settings) = self.settings.update(user, patch).await?;
        if before.strangers && before.sharing && !(settings.strangers && settings.sharing) {
            self.leave_area(user).await;
        }
        self.tell(user, &Event::Settings { settings }).await;
        if !settings.sharing {
            if let Err(e) = self.locations.remove(user).await {
                tracing::warn!(error = %e, user, "could not drop a location from the cache");
            }
            if let Err(e) = self.hub.publish(&location_channel(user), &Event::Gone { id: user }).await {
                tracing::warn!(error = %e, user, "could not announce that a user stopped sharing");
            }
        }
        Ok(settings)
    }

    /// Replaces the user's token; their open connections close.
    pub async fn rotate_token(&self, user: i64) -> Result<String, UserError> {
        let token = self.users.rotate_token(user).await?;
        self.tell(user, &Event::Revoked).await;
        Ok(token)
    }

    /// Tells the strangers around the user's last location that the user left.
    async fn leave_area(&self, user: i64) {
        let Ok(found) = self.locations.get_many(&[user]).await else { return };
        let Some(cell) = found.into_iter().flatten().next().and_then(|at| area_cell(&at)) else { return };
        if let Err(e) = self.hub.publish(&area_channel(&cell), &Event::Gone { id: user }).await {
            tracing::warn!(error = %e, user, "could not announce that a user left the strangers' map");
        }
    }

    async fn announce_friendship(&self, r: &FriendRequest) {
        self.tell(r.from_user, &Event::FriendAdded { id: r.to_user }).await;
        self.tell(r.to_user, &Event::FriendAdded { id: r.from_user }).await;
    }

    /// Publishes on `user`'s control channel. A lost message leaves a live session behind
    /// until it reconnects (the database already holds the change), so it is logged, not
    /// failed.
    async fn tell(&self, user: i64, event: &Event) {
        if let Err(e) = self.hub.publish(&control_channel(user), event).await {
            tracing::warn!(error = %e, user, "could not tell a user's sessions about a change");
        }
    }
}
