//! One client's WebSocket conversation, from its first message to its close: who of its
//! friends it follows, where they are, which of them its client is shown, and the checks
//! (size, JSON, rate) every incoming message passes. Transport-agnostic: the web crate
//! adapts its WebSocket to [`Socket`].

use crate::events::{area_cell, area_cells_around, area_channel, control_channel, location_channel, Event};
use crate::hub::{Delivery, SessionId, Source};
use crate::locations::Location;
use crate::protocol::{ClientMessage, NearbyFriend, ProtocolError, ServerMessage};
use crate::service::NearbyService;
use crate::settings::NearbySettings;
use locus_core::db::now_ms;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Close codes (RFC 6455).
pub const CLOSE_GOING_AWAY: u16 = 1001;
pub const CLOSE_POLICY_VIOLATION: u16 = 1008;
pub const CLOSE_INTERNAL_ERROR: u16 = 1011;

/// What the transport received.
#[derive(Debug)]
pub enum Inbound {
    Text(String),
    /// A binary message of this many bytes (the protocol is text).
    Binary(usize),
}

/// The client's side of a session, as the session sees it.
pub trait Socket: Send {
    /// The next message; `None` once the client has gone.
    fn recv(&mut self) -> impl Future<Output = Option<Inbound>> + Send;
    /// Sends a message; `false` once the client has gone.
    fn send(&mut self, message: &ServerMessage) -> impl Future<Output = bool> + Send;
    fn close(&mut self, code: u16, reason: &str) -> impl Future<Output = ()> + Send;
}

/// Deliveries waiting for one session; beyond this it misses updates (at most once).
const DELIVERY_QUEUE: usize = 1024;

/// A token bucket: `rate` messages per second, bursts of `rate`.
struct RateLimit {
    rate: f64,
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    fn new(per_s: u32) -> Self {
        let rate = f64::from(per_s.max(1));
        RateLimit { rate, tokens: rate, at: Instant::now() }
    }

    fn allow(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * self.rate).min(self.rate);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

struct Session<'a, S: Socket> {
    service: &'a NearbyService,
    socket: S,
    id: SessionId,
    user: i64,
    settings: NearbySettings,
    me: Option<Location>,
    friends: HashSet<i64>,
    /// Friends heard from (inside the radius or not) and those the client is shown.
    friend_view: People,
    /// "Nearby random person" (only while the user opted in): the area channels followed, and
    /// the opted-in strangers heard of and shown.
    areas: HashSet<String>,
    stranger_view: People,
    tx: mpsc::Sender<Delivery>,
    limit: RateLimit,
    violations: u32,
}

/// Someone's latest location, and when this server last heard of it (ms since the epoch; the
/// client's own timestamp may be skewed).
#[derive(Debug, Clone, Copy)]
struct Known {
    at: Location,
    heard_ms: i64,
}

/// Who a location is about: a friend or an opted-in stranger, told apart by the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crowd {
    Friends,
    Strangers,
}

impl Crowd {
    fn located(self, id: i64, at: &Location, distance_m: f64) -> ServerMessage {
        match self {
            Crowd::Friends => ServerMessage::friend_location(id, at, distance_m),
            Crowd::Strangers => ServerMessage::stranger_location(id, at, distance_m),
        }
    }

    fn gone(self, id: i64) -> ServerMessage {
        match self {
            Crowd::Friends => ServerMessage::FriendGone { id },
            Crowd::Strangers => ServerMessage::StrangerGone { id },
        }
    }
}

/// The people of one crowd a session has heard of, and those its client is shown.
#[derive(Default)]
struct People {
    known: HashMap<i64, Known>,
    shown: HashSet<i64>,
}

/// Resolves once the service drains (or its signal is gone).
async fn draining(signal: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = signal.wait_for(|draining| *draining).await.is_ok();
}

/// Why a session ended.
enum End {
    ClientGone,
    Close(u16, &'static str),
}

/// Runs one authenticated user's session until the client leaves or the server drains.
pub async fn run<S: Socket>(service: &NearbyService, user: i64, mut socket: S) {
    let Some(guard) = service.open_session() else {
        socket.close(CLOSE_GOING_AWAY, "server shutting down").await;
        return;
    };
    let (tx, mut deliveries) = mpsc::channel(DELIVERY_QUEUE);
    let mut session = Session {
        service,
        socket,
        id: guard.id,
        user,
        settings: NearbySettings { radius_m: service.config.default_radius_m, sharing: true, strangers: false },
        me: None,
        friends: HashSet::new(),
        friend_view: People::default(),
        areas: HashSet::new(),
        stranger_view: People::default(),
        tx,
        limit: RateLimit::new(service.config.max_updates_per_s),
        violations: 0,
    };
    let end = match session.start().await {
        Err(e) => {
            tracing::warn!(error = %e, user, "nearby session could not start");
            End::Close(CLOSE_INTERNAL_ERROR, "service unavailable")
        }
        Ok(()) => session.serve(&mut deliveries).await,
    };
    session.stop().await;
    if let End::Close(code, reason) = end {
        session.socket.close(code, reason).await;
    }
    drop(guard);
}

impl<S: Socket> Session<'_, S> {
    /// Reads the user's settings and friends, and follows their channels.
    async fn start(&mut self) -> Result<(), String> {
        let service = self.service;
        self.settings = service.settings.get(self.user).await.map_err(|e| e.to_string())?;
        let friends = service.friends.friends_of(self.user).await.map_err(|e| e.to_string())?;
        service
            .hub
            .watch(&control_channel(self.user), Source::Control, self.id, self.tx.clone())
            .await
            .map_err(|e| e.to_string())?;
        let id = self.id;
        let follows = friends.iter().map(|&f| {
            let tx = self.tx.clone();
            async move { (f, service.hub.watch(&location_channel(f), Source::Friend(f), id, tx).await) }
        });
        for (friend, followed) in futures::future::join_all(follows).await {
            match followed {
                Ok(()) => {
                    self.friends.insert(friend);
                }
                Err(e) => {
                    self.service.hub.unwatch(&location_channel(friend), self.id);
                    return Err(format!("following friend {friend}: {e}"));
                }
            }
        }
        Ok(())
    }

    /// Stops following every channel.
    async fn stop(&mut self) {
        let hub = &self.service.hub;
        hub.unwatch(&control_channel(self.user), self.id);
        for friend in &self.friends {
            hub.unwatch(&location_channel(*friend), self.id);
        }
        for area in &self.areas {
            hub.unwatch(&area_channel(area), self.id);
        }
    }

    async fn serve(&mut self, deliveries: &mut mpsc::Receiver<Delivery>) -> End {
        let mut shutdown = self.service.shutdown_signal();
        let ttl = self.service.config.location_ttl;
        let mut sweep = tokio::time::interval((ttl / 4).clamp(Duration::from_millis(50), Duration::from_secs(10)));
        loop {
            let step = tokio::select! {
                inbound = self.socket.recv() => match inbound {
                    None => return End::ClientGone,
                    Some(inbound) => self.on_inbound(inbound).await,
                },
                Some(delivery) = deliveries.recv() => self.on_delivery(delivery).await,
                _ = sweep.tick() => self.expire_inactive().await,
                _ = draining(&mut shutdown) => Err(End::Close(CLOSE_GOING_AWAY, "server shutting down")),
            };
            if let Err(end) = step {
                return end;
            }
        }
    }

    async fn send(&mut self, message: ServerMessage) -> Result<(), End> {
        locus_core::metrics::metrics().nearby_messages.with_label_values(&["out", message.kind()]).inc();
        if self.socket.send(&message).await {
            Ok(())
        } else {
            Err(End::ClientGone)
        }
    }

    async fn on_inbound(&mut self, inbound: Inbound) -> Result<(), End> {
        let parsed = match inbound {
            Inbound::Binary(_) => Err(ProtocolError::new("unsupported", "messages are JSON text")),
            Inbound::Text(text) if text.len() > self.service.config.max_message_bytes => Err(ProtocolError::new(
                "message_too_large",
                format!("messages are at most {} bytes", self.service.config.max_message_bytes),
            )),
            Inbound::Text(_) if !self.limit.allow() => Err(ProtocolError::new(
                "rate_limited",
                format!("at most {} messages per second", self.service.config.max_updates_per_s),
            )),
            Inbound::Text(text) => ClientMessage::parse(&text, now_ms()),
        };
        let message = match parsed {
            Ok(m) => m,
            Err(e) => return self.refuse(e).await,
        };
        self.violations = 0;
        match message {
            ClientMessage::Init(at) => {
                locus_core::metrics::metrics().nearby_messages.with_label_values(&["in", "init"]).inc();
                self.move_to(at).await?;
                self.follow_areas().await;
                self.send_nearby().await
            }
            ClientMessage::Location(at) => {
                locus_core::metrics::metrics().nearby_messages.with_label_values(&["in", "location"]).inc();
                self.move_to(at).await?;
                self.follow_areas().await;
                self.reconsider_all().await
            }
        }
    }

    /// Answers a bad message with an `error`; repeated breaches close the connection.
    async fn refuse(&mut self, e: ProtocolError) -> Result<(), End> {
        locus_core::metrics::metrics().nearby_messages.with_label_values(&["in", "refused"]).inc();
        self.send(ServerMessage::error(&e)).await?;
        if e.is_violation() {
            self.violations += 1;
            if self.violations >= self.service.config.max_violations {
                return Err(End::Close(CLOSE_POLICY_VIOLATION, "too many invalid messages"));
            }
        }
        Ok(())
    }

    /// The user is at `at`: history, cache, and the user's channel (when sharing).
    async fn move_to(&mut self, at: Location) -> Result<(), End> {
        let previous = self.me.replace(at);
        if !self.settings.sharing {
            return Ok(());
        }
        let service = self.service;
        if let Err(e) = service.history.record(self.user, at) {
            locus_core::metrics::metrics().nearby_history_rows.with_label_values(&["refused"]).inc();
            let e = ProtocolError::new("unavailable", format!("location history: {e}; retry later"));
            self.send(ServerMessage::error(&e)).await?;
        }
        let cached = service.locations.put(self.user, &at).await;
        let event = Event::Location { id: self.user, location: at };
        let mut published = service.hub.publish(&location_channel(self.user), &event).await;
        if self.settings.strangers {
            // On the cell it is in now, and on the one it left, whose strangers must see it go.
            let cells: HashSet<String> =
                [area_cell(&at), previous.as_ref().and_then(area_cell)].into_iter().flatten().collect();
            for cell in cells {
                published = published.and(service.hub.publish(&area_channel(&cell), &event).await);
            }
        }
        if let Err(e) = cached.map_err(|e| e.to_string()).and(published.map_err(|e| e.to_string())) {
            tracing::warn!(error = %e, user = self.user, "a location update did not reach the cache or the channel");
            let e = ProtocolError::new("unavailable", "friends may not see this update; retry later");
            self.send(ServerMessage::error(&e)).await?;
        }
        Ok(())
    }

    /// The answer to `init`: every friend with a cached location within the radius.
    async fn send_nearby(&mut self) -> Result<(), End> {
        let friends: Vec<i64> = self.friends.iter().copied().collect();
        match self.service.locations.get_many(&friends).await {
            Ok(found) => {
                self.friend_view.known.clear();
                for (friend, at) in friends.into_iter().zip(found) {
                    if let Some(at) = at {
                        self.friend_view.known.insert(friend, Known { at, heard_ms: at.ts.min(now_ms()) });
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading friends' locations failed; answering from what this session heard");
            }
        }
        let Some(me) = self.me else { return Ok(()) };
        let mut nearby: Vec<NearbyFriend> = self
            .friend_view
            .known
            .iter()
            .map(|(&id, k)| (id, k.at, me.distance_m(&k.at)))
            .filter(|(_, _, d)| *d <= self.settings.radius_m)
            .map(|(id, at, d)| NearbyFriend {
                id,
                latitude: at.lat,
                longitude: at.lng,
                distance_m: d,
                updated_at: at.ts,
            })
            .collect();
        nearby.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m).then(a.id.cmp(&b.id)));
        self.friend_view.shown = nearby.iter().map(|f| f.id).collect();
        self.send(ServerMessage::Nearby { friends: nearby }).await
    }

    /// After the user moved or the radius changed: who comes into view, who leaves it.
    async fn reconsider_all(&mut self) -> Result<(), End> {
        self.reconsider_strangers().await?;
        let known: Vec<(i64, Location)> = self.friend_view.known.iter().map(|(&id, k)| (id, k.at)).collect();
        for (id, at) in known {
            let Some(me) = self.me else { return Ok(()) };
            let d = me.distance_m(&at);
            if d > self.settings.radius_m {
                self.hide(Crowd::Friends, id).await?;
            } else if self.friend_view.shown.insert(id) {
                self.send(Crowd::Friends.located(id, &at, d)).await?;
            }
        }
        Ok(())
    }

    fn people(&mut self, crowd: Crowd) -> &mut People {
        match crowd {
            Crowd::Friends => &mut self.friend_view,
            Crowd::Strangers => &mut self.stranger_view,
        }
    }

    /// Someone moved: shown within the radius, gone beyond it.
    async fn moved(&mut self, crowd: Crowd, id: i64, at: Location, heard_ms: i64) -> Result<(), End> {
        self.people(crowd).known.insert(id, Known { at, heard_ms });
        let Some(me) = self.me else { return Ok(()) };
        let d = me.distance_m(&at);
        if d <= self.settings.radius_m {
            self.people(crowd).shown.insert(id);
            self.send(crowd.located(id, &at, d)).await
        } else {
            self.hide(crowd, id).await
        }
    }

    /// Takes someone off the client's map, if they were on it.
    async fn hide(&mut self, crowd: Crowd, id: i64) -> Result<(), End> {
        if self.people(crowd).shown.remove(&id) {
            self.send(crowd.gone(id)).await?;
        }
        Ok(())
    }

    /// Forgets someone altogether (inactive, opted out, unfriended).
    async fn leave(&mut self, crowd: Crowd, id: i64) -> Result<(), End> {
        self.people(crowd).known.remove(&id);
        self.hide(crowd, id).await
    }

    async fn on_delivery(&mut self, delivery: Delivery) -> Result<(), End> {
        match (delivery.source, &*delivery.event) {
            // A friend's channel speaks only of that friend, and only while they are a friend.
            (Source::Friend(f), Event::Location { id, location }) if *id == f && self.friends.contains(&f) => {
                self.moved(Crowd::Friends, f, *location, now_ms()).await
            }
            (Source::Friend(f), Event::Gone { id }) if *id == f => self.leave(Crowd::Friends, f).await,
            (Source::Control, Event::FriendAdded { id }) => self.befriend(*id).await,
            (Source::Control, Event::FriendRemoved { id }) => self.unfriend(*id).await,
            (Source::Control, Event::Settings { settings }) => {
                self.settings = *settings;
                self.follow_areas().await;
                if !settings.strangers {
                    self.stranger_view.known.clear();
                }
                self.reconsider_all().await
            }
            (Source::Area, Event::Location { id, location })
                if self.settings.strangers && *id != self.user && !self.friends.contains(id) =>
            {
                self.moved(Crowd::Strangers, *id, *location, now_ms()).await
            }
            (Source::Area, Event::Gone { id }) => self.leave(Crowd::Strangers, *id).await,
            // A friend's own channel carries their moves; a stranger who is not opted in never
            // publishes on an area channel.
            (Source::Area, Event::Location { .. }) => Ok(()),
            (Source::Control, Event::Revoked) => Err(End::Close(CLOSE_POLICY_VIOLATION, "token revoked")),
            (source, event) => {
                tracing::warn!(?source, ?event, user = self.user, "nearby event on the wrong channel ignored");
                Ok(())
            }
        }
    }

    /// A new friend: follow them, tell the client, show them if they are near.
    async fn befriend(&mut self, id: i64) -> Result<(), End> {
        if id == self.user || self.friends.contains(&id) {
            return Ok(());
        }
        if let Err(e) =
            self.service.hub.watch(&location_channel(id), Source::Friend(id), self.id, self.tx.clone()).await
        {
            tracing::warn!(error = %e, friend = id, "could not follow a new friend");
            self.service.hub.unwatch(&location_channel(id), self.id);
            return Ok(());
        }
        self.friends.insert(id);
        self.send(ServerMessage::Subscribe { id }).await?;
        if let Ok(found) = self.service.locations.get_many(&[id]).await {
            if let Some(Some(at)) = found.into_iter().next() {
                return self.moved(Crowd::Friends, id, at, at.ts.min(now_ms())).await;
            }
        }
        Ok(())
    }

    async fn unfriend(&mut self, id: i64) -> Result<(), End> {
        if !self.friends.remove(&id) {
            return Ok(());
        }
        self.service.hub.unwatch(&location_channel(id), self.id);
        self.leave(Crowd::Friends, id).await?;
        self.send(ServerMessage::Unsubscribe { id }).await
    }

    /// Friends and strangers silent for longer than the TTL are inactive: gone from the map.
    async fn expire_inactive(&mut self) -> Result<(), End> {
        let oldest = now_ms() - self.service.config.location_ttl.as_millis() as i64;
        for crowd in [Crowd::Friends, Crowd::Strangers] {
            let people = self.people(crowd);
            let stale: Vec<i64> = people.known.iter().filter(|(_, k)| k.heard_ms < oldest).map(|(&id, _)| id).collect();
            for id in stale {
                self.leave(crowd, id).await?;
            }
        }
        Ok(())
    }

    /// Follows the area channels around the user while they opted in to strangers (and none
    /// otherwise).
    async fn follow_areas(&mut self) {
        let wanted: HashSet<String> = match (self.settings.strangers && self.settings.sharing, self.me) {
            (true, Some(me)) => area_cells_around(&me, self.settings.radius_m).into_iter().collect(),
            _ => HashSet::new(),
        };
        let hub = &self.service.hub;
        for gone in self.areas.difference(&wanted) {
            hub.unwatch(&area_channel(gone), self.id);
        }
        let new: Vec<String> = wanted.difference(&self.areas).cloned().collect();
        for cell in new {
            if let Err(e) = hub.watch(&area_channel(&cell), Source::Area, self.id, self.tx.clone()).await {
                tracing::warn!(error = %e, "could not follow an area channel");
                hub.unwatch(&area_channel(&cell), self.id);
                continue;
            }
            self.areas.insert(cell);
        }
        self.areas.retain(|c| wanted.contains(c));
    }

    /// After the user moved or changed settings: strangers coming into view or leaving it.
    async fn reconsider_strangers(&mut self) -> Result<(), End> {
        let shown: Vec<i64> = self.stranger_view.shown.iter().copied().collect();
        for id in shown {
            let near = matches!((self.me, self.stranger_view.known.get(&id)),
                (Some(me), Some(k)) if me.distance_m(&k.at) <= self.settings.radius_m);
            if !(self.settings.strangers && !self.friends.contains(&id) && near) {
                self.hide(Crowd::Strangers, id).await?;
            }
        }
        Ok(())
    }
}
