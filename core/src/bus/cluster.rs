//! Pub/sub over a Redis Cluster with sharded channels (Redis 7: `SPUBLISH`, `SSUBSCRIBE`).
//!
//! A channel lives on the master that owns its hash slot ([`key_slot`]), so channel load spreads
//! over the cluster's masters. Publishing goes over one command connection per master. One
//! subscriber task keeps a RESP3 subscriber connection per master that owns subscribed channels,
//! multiplexes all of that master's channels over it (reference-counted like [`super::RedisBus`]),
//! and when a connection drops or a slot moves (the server pushes `sunsubscribe`, or answers
//! `-MOVED`) it refreshes the slot map (`CLUSTER SLOTS`) and subscribes again where the slots are.
//!
//! Why not `redis::cluster_async`: its node connections take a `sunsubscribe` the server pushes
//! on its own (when a slot migrates) for the reply to whatever command is in flight, and so would
//! answer that command wrongly. Here a subscriber connection carries one command at a time and
//! every reply is checked against the command, so such a push is recognized and acted upon.

use super::{dispatch, release_local, subscribe_local, Bus, BusError, Control, Subscribers, Subscription};
use crate::cache::REDIS_TIMEOUT;
use async_trait::async_trait;
use redis::aio::MultiplexedConnection;
use redis::{
    AsyncConnectionConfig, ConnectionAddr, ConnectionInfo, ErrorKind, IntoConnectionInfo, ProtocolVersion, PushInfo,
    PushKind, Value,
};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// Number of hash slots in a Redis Cluster.
pub const SLOTS: u16 = 16384;

/// How long `connect` may take to discover the cluster.
const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a publish may take, redirect and slot map refresh included (four Redis timeouts).
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(2);
/// How often the subscriber task pings its connections (a silently dead peer sends no EOF).
const HEALTH_INTERVAL: Duration = Duration::from_secs(5);
/// The first resubscription after a problem waits this long (pushes often come in bursts);
/// failed attempts back off up to `MAX_BACKOFF`.
const FIRST_RETRY: Duration = Duration::from_millis(20);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The cluster hash slot of a key or channel name: CRC16 (XMODEM) of the name, or of the part
/// between its first `{` and the next `}` when that part is not empty, modulo 16384.
pub fn key_slot(key: &[u8]) -> u16 {
    let hashed = key
        .iter()
        .position(|&b| b == b'{')
        .and_then(|open| {
            let rest = &key[open + 1..];
            let len = rest.iter().position(|&b| b == b'}')?;
            (len > 0).then(|| &rest[..len])
        })
        .unwrap_or(key);
    crc16(hashed) % SLOTS
}

/// CRC16-CCITT in its XMODEM form (polynomial 0x1021, initial value 0), as the cluster spec uses.
fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &byte in data {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

/// A cluster node's address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Node {
    host: String,
    port: u16,
}

impl Node {
    /// `host:port`, as in a `-MOVED` answer (IPv6 hosts may be bracketed).
    fn parse(addr: &str) -> Option<Node> {
        let (host, port) = addr.rsplit_once(':')?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        Some(Node { host: host.to_owned(), port: port.parse().ok()? })
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// Which master serves which slots: disjoint ranges sorted by their first slot.
#[derive(Default)]
struct SlotMap {
    ranges: Vec<(u16, u16, Node)>,
}

impl SlotMap {
    fn owner(&self, slot: u16) -> Option<&Node> {
        let after = self.ranges.partition_point(|r| r.0 <= slot);
        let (_, last, node) = self.ranges.get(after.checked_sub(1)?)?;
        (slot <= *last).then_some(node)
    }

    fn masters(&self) -> Vec<Node> {
        let mut nodes: Vec<Node> = Vec::new();
        for (_, _, node) in &self.ranges {
            if !nodes.contains(node) {
                nodes.push(node.clone());
            }
        }
        nodes
    }

    /// Reads a `CLUSTER SLOTS` answer: `[[first, last, [host, port, id, ..], replicas..], ..]`.
    /// A master announced with an empty host is the node that answered.
    fn parse(answer: &Value, answered_by: &Node) -> Option<SlotMap> {
        let Value::Array(entries) = answer else { return None };
        let mut ranges = Vec::with_capacity(entries.len());
        for entry in entries {
            let Value::Array(fields) = entry else { return None };
            let (first, last) = (int(fields.first()?)?, int(fields.get(1)?)?);
            let Value::Array(master) = fields.get(2)? else { return None };
            let host = std::str::from_utf8(bytes(master.first()?)?).ok()?;
            let host = if host.is_empty() { answered_by.host.clone() } else { host.to_owned() };
            let port = u16::try_from(int(master.get(1)?)?).ok()?;
            let first = u16::try_from(first).ok().filter(|s| *s < SLOTS)?;
            let last = u16::try_from(last).ok().filter(|s| *s < SLOTS && *s >= first)?;
            ranges.push((first, last, Node { host, port }));
        }
        ranges.sort_by_key(|r| r.0);
        Some(SlotMap { ranges })
    }
}

fn int(value: &Value) -> Option<i64> {
    match value {
        Value::Int(i) => Some(*i),
        other => std::str::from_utf8(bytes(other)?).ok()?.parse().ok(),
    }
}

fn bytes(value: &Value) -> Option<&[u8]> {
    match value {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.as_bytes()),
        _ => None,
    }
}

/// Whether a command's error means its connection is unusable (as opposed to a server's answer
/// such as `-MOVED`, after which the connection is fine).
fn breaks_connection(error: &BusError) -> bool {
    match error {
        BusError::Redis(e) => e.is_io_error() || e.is_unrecoverable_error(),
        BusError::Timeout | BusError::Closed => true,
        BusError::Cluster(_) => false,
    }
}

/// Opens a multiplexed connection to `node` with the seed's credentials.
async fn connect_node(
    template: &ConnectionInfo,
    node: &Node,
    protocol: ProtocolVersion,
    config: AsyncConnectionConfig,
) -> Result<MultiplexedConnection, BusError> {
    let mut info = template.clone();
    info.addr = ConnectionAddr::Tcp(node.host.clone(), node.port);
    info.redis.protocol = protocol;
    let client = redis::Client::open(info)?;
    let config = config.set_connection_timeout(REDIS_TIMEOUT).set_response_timeout(REDIS_TIMEOUT);
    // Connecting is a TCP connect plus a handshake (HELLO, CLIENT SETINFO): two timeouts at most.
    let connecting = client.get_multiplexed_async_connection_with_config(&config);
    Ok(tokio::time::timeout(REDIS_TIMEOUT * 2, connecting).await.map_err(|_| BusError::Timeout)??)
}

/// Runs one command with the bus's timeout.
async fn query(conn: &mut MultiplexedConnection, cmd: &redis::Cmd) -> Result<Value, BusError> {
    Ok(tokio::time::timeout(REDIS_TIMEOUT, cmd.query_async::<Value>(conn)).await.map_err(|_| BusError::Timeout)??)
}

/// The slot map and the command connections (publishing, discovery), shared by the bus and its
/// subscriber task.
struct Topology {
    /// Credentials and database of the first seed, used for every node.
    template: ConnectionInfo,
    seeds: Vec<Node>,
    slots: RwLock<Arc<SlotMap>>,
    /// Counts slot map refreshes, so callers that saw the same stale map refresh it only once.
    epoch: AtomicU64,
    refreshing: tokio::sync::Mutex<()>,
    /// Whether a refresh started by `refresh_in_background` is under way.
    refreshing_in_background: AtomicBool,
    commands: Mutex<HashMap<Node, MultiplexedConnection>>,
}

impl Topology {
    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    fn map(&self) -> Arc<SlotMap> {
        self.slots.read().map(|m| m.clone()).unwrap_or_default()
    }

    fn owner(&self, slot: u16) -> Option<Node> {
        self.map().owner(slot).cloned()
    }

    /// Reloads the slot map from the first node that answers (known masters, then the seeds),
    /// unless it has been reloaded since the caller read `seen_epoch`.
    async fn refresh(&self, seen_epoch: u64) -> Result<(), BusError> {
        let _one_at_a_time = self.refreshing.lock().await;
        if self.epoch() != seen_epoch {
            return Ok(());
        }
        let mut candidates = self.map().masters();
        for seed in &self.seeds {
            if !candidates.contains(seed) {
                candidates.push(seed.clone());
            }
        }
        let mut last_error = BusError::Cluster("no node to ask for the slot map".to_owned());
        for node in candidates {
            let answer = self.execute(&node, redis::cmd("CLUSTER").arg("SLOTS")).await;
            match answer.map(|a| SlotMap::parse(&a, &node)) {
                Ok(Some(map)) if !map.ranges.is_empty() => {
                    if let Ok(mut slots) = self.slots.write() {
                        *slots = Arc::new(map);
                    }
                    self.epoch.fetch_add(1, Ordering::AcqRel);
                    return Ok(());
                }
                Ok(_) => last_error = BusError::Cluster(format!("{node} gave no usable CLUSTER SLOTS answer")),
                Err(e) => last_error = e,
            }
        }
        Err(last_error)
    }

    /// Starts a refresh without waiting for it, unless one is under way.
    fn refresh_in_background(self: &Arc<Self>) {
        if self.refreshing_in_background.swap(true, Ordering::AcqRel) {
            return;
        }
        let topology = self.clone();
        tokio::spawn(async move {
            if let Err(e) = topology.refresh(topology.epoch()).await {
                tracing::warn!(error = %e, "redis cluster slot map refresh failed");
            }
            topology.refreshing_in_background.store(false, Ordering::Release);
        });
    }

    /// Runs a command on `node`'s command connection (opened on first use, forgotten once broken).
    async fn execute(&self, node: &Node, cmd: &redis::Cmd) -> Result<Value, BusError> {
        let cached = self.commands.lock().map_err(|_| BusError::Closed)?.get(node).cloned();
        let mut conn = match cached {
            Some(conn) => conn,
            None => {
                let conn =
                    connect_node(&self.template, node, ProtocolVersion::RESP2, AsyncConnectionConfig::new()).await?;
                self.commands.lock().map_err(|_| BusError::Closed)?.insert(node.clone(), conn.clone());
                conn
            }
        };
        let result = query(&mut conn, cmd).await;
        if let Err(e) = &result {
            if breaks_connection(e) {
                if let Ok(mut commands) = self.commands.lock() {
                    commands.remove(node);
                }
            }
        }
        result
    }
}

/// Redis Cluster pub/sub over sharded channels; see the module documentation.
pub struct RedisClusterBus {
    namespace: String,
    topology: Arc<Topology>,
    subscribers: Subscribers,
    control: mpsc::UnboundedSender<Control>,
}

impl RedisClusterBus {
    /// Discovers the cluster from the first of `urls` that answers (`redis://host:port` or plain
    /// `host:port`; the first one's credentials are used for every node) and starts the
    /// subscriber task. Every channel is prefixed with `namespace`, like RedisBus's, and routed
    /// by the hash slot of the prefixed name.
    pub async fn connect(urls: &[String], namespace: &str) -> Result<Self, BusError> {
        let mut template = None;
        let mut seeds = Vec::new();
        for url in urls.iter().map(|u| u.trim()).filter(|u| !u.is_empty()) {
            let url = if url.contains("://") { url.to_owned() } else { format!("redis://{url}") };
            let info = url.as_str().into_connection_info()?;
            let ConnectionAddr::Tcp(host, port) = &info.addr else {
                return Err(BusError::Cluster(format!("{url}: only plain TCP cluster nodes are supported")));
            };
            seeds.push(Node { host: host.clone(), port: *port });
            template.get_or_insert(info);
        }
        let template = template.ok_or_else(|| BusError::Cluster("no seed node given".to_owned()))?;
        let topology = Arc::new(Topology {
            template,
            seeds,
            slots: RwLock::default(),
            epoch: AtomicU64::new(0),
            refreshing: tokio::sync::Mutex::new(()),
            refreshing_in_background: AtomicBool::new(false),
            commands: Mutex::default(),
        });
        tokio::time::timeout(DISCOVERY_TIMEOUT, topology.refresh(0)).await.map_err(|_| BusError::Timeout)??;
        let subscribers: Subscribers = Arc::default();
        let (control, control_rx) = mpsc::unbounded_channel();
        let (pushes_tx, pushes_rx) = mpsc::unbounded_channel();
        let task = Subscriber {
            topology: topology.clone(),
            subscribers: subscribers.clone(),
            nodes: HashMap::new(),
            acks: HashMap::new(),
            pushes: pushes_tx,
            next_generation: 0,
            resync_at: None,
            backoff: FIRST_RETRY,
        };
        tokio::spawn(task.run(control_rx, pushes_rx));
        Ok(RedisClusterBus { namespace: namespace.to_owned(), topology, subscribers, control })
    }
}

impl RedisClusterBus {
    /// `SPUBLISH` on the master of the channel's slot, following one `-MOVED`.
    async fn spublish(&self, channel: &str, payload: &[u8]) -> Result<(), BusError> {
        let slot = key_slot(channel.as_bytes());
        let seen = self.topology.epoch();
        let owner = match self.topology.owner(slot) {
            Some(node) => node,
            None => {
                self.topology.refresh(seen).await?;
                self.topology.owner(slot).ok_or_else(|| BusError::Cluster(format!("no master serves slot {slot}")))?
            }
        };
        let mut cmd = redis::cmd("SPUBLISH");
        cmd.arg(channel).arg(payload);
        match self.topology.execute(&owner, &cmd).await {
            Ok(_) => Ok(()),
            Err(BusError::Redis(e)) if e.kind() == ErrorKind::Moved => {
                // The slot has moved: learn the new map, then follow the redirect (the node that
                // answered knows better than a map read from a node that may lag behind).
                let target = e.redirect_node().and_then(|(addr, _)| Node::parse(addr));
                tracing::debug!(%owner, slot, "redis cluster moved a channel's slot; following the redirect");
                if let Err(e) = self.topology.refresh(seen).await {
                    tracing::warn!(error = %e, "redis cluster slot map refresh failed");
                }
                let target = target
                    .or_else(|| self.topology.owner(slot))
                    .ok_or_else(|| BusError::Cluster(format!("no master serves slot {slot}")))?;
                self.topology.execute(&target, &cmd).await.map(drop)
            }
            Err(e) => {
                // Not retried: the message may have gone out. The master may have failed over,
                // so the next publish should find the slot's new master.
                if breaks_connection(&e) {
                    self.topology.refresh_in_background();
                }
                Err(e)
            }
        }
    }
}

#[async_trait]
impl Bus for RedisClusterBus {
    async fn publish(&self, channel: &str, payload: &[u8]) -> Result<(), BusError> {
        let channel = format!("{}{channel}", self.namespace);
        tokio::time::timeout(PUBLISH_TIMEOUT, self.spublish(&channel, payload)).await.map_err(|_| BusError::Timeout)?
    }

    async fn subscribe(&self, channel: &str) -> Result<Subscription, BusError> {
        subscribe_local(&self.subscribers, &self.control, format!("{}{channel}", self.namespace)).await
    }

    fn backend(&self) -> &'static str {
        "redis-cluster"
    }
}

/// A push from a subscriber connection: the node and connection generation it came from.
type Push = (Node, u64, PushInfo);

/// One master's subscriber connection and the channels subscribed over it.
struct NodeSubscriber {
    conn: MultiplexedConnection,
    /// Tells this connection's pushes from those of an earlier connection to the same node.
    generation: u64,
    channels: HashSet<String>,
}

/// The subscriber task's state. Only this task sends commands on the subscriber connections,
/// one at a time, so a reply always belongs to the command just sent unless the server pushed
/// something of its own in between (which the reply check notices).
struct Subscriber {
    topology: Arc<Topology>,
    subscribers: Subscribers,
    nodes: HashMap<Node, NodeSubscriber>,
    /// `subscribe` calls waiting for the server to acknowledge their channel.
    acks: HashMap<String, Vec<oneshot::Sender<()>>>,
    pushes: mpsc::UnboundedSender<Push>,
    next_generation: u64,
    /// When to refresh the slot map and resubscribe what is missing, if something went wrong.
    resync_at: Option<Instant>,
    backoff: Duration,
}

impl Subscriber {
    async fn run(mut self, mut control: mpsc::UnboundedReceiver<Control>, mut pushes: mpsc::UnboundedReceiver<Push>) {
        let mut health = tokio::time::interval(HEALTH_INTERVAL);
        health.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let resync_at = self.resync_at;
            let resync_due = async move {
                match resync_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                cmd = control.recv() => match cmd {
                    Some(Control::Subscribe(channel, ack)) => self.subscribe(channel, ack).await,
                    Some(Control::Unsubscribe(channel)) => self.unsubscribe(channel).await,
                    // The bus and every subscription are gone.
                    None => return,
                },
                Some((node, generation, push)) = pushes.recv() => self.on_push(node, generation, push).await,
                () = resync_due => self.resync().await,
                _ = health.tick() => self.check_health().await,
            }
        }
    }

    fn wanted(&self) -> Vec<String> {
        self.subscribers.lock().map(|s| s.keys().cloned().collect()).unwrap_or_default()
    }

    fn is_wanted(&self, channel: &str) -> bool {
        self.subscribers.lock().map(|s| s.contains_key(channel)).unwrap_or(false)
    }

    fn is_subscribed(&self, channel: &str) -> bool {
        self.nodes.values().any(|n| n.channels.contains(channel))
    }

    /// Resynchronizes soon, unless that is already planned.
    fn schedule_resync(&mut self) {
        if self.resync_at.is_none() {
            self.resync_at = Some(Instant::now() + self.backoff);
        }
    }

    fn acknowledge(&mut self, channel: &str) {
        for ack in self.acks.remove(channel).unwrap_or_default() {
            let _ = ack.send(());
        }
    }

    async fn subscribe(&mut self, channel: String, ack: oneshot::Sender<()>) {
        if !self.is_wanted(&channel) {
            return; // Dropped before we got here.
        }
        self.acks.entry(channel.clone()).or_default().push(ack);
        if self.is_subscribed(&channel) {
            self.acknowledge(&channel);
            return;
        }
        let Some(owner) = self.topology.owner(key_slot(channel.as_bytes())) else {
            self.schedule_resync();
            return;
        };
        if !self.subscribe_on(&owner, &[channel]).await {
            self.schedule_resync();
        }
    }

    async fn unsubscribe(&mut self, channel: String) {
        if !release_local(&self.subscribers, &channel) {
            return; // Other local subscribers remain.
        }
        self.acks.remove(&channel);
        let Some(node) = self.nodes.iter().find(|(_, n)| n.channels.contains(&channel)).map(|(k, _)| k.clone()) else {
            return;
        };
        self.unsubscribe_on(&node, &channel).await;
        self.drop_idle_connections();
    }

    /// Subscribes `channels` on `node`'s subscriber connection (opening it when needed) and
    /// acknowledges them; false when something failed and a resynchronization is needed.
    async fn subscribe_on(&mut self, node: &Node, channels: &[String]) -> bool {
        if !self.nodes.contains_key(node) {
            match self.open(node).await {
                Ok(subscriber) => {
                    self.nodes.insert(node.clone(), subscriber);
                }
                Err(e) => {
                    tracing::warn!(%node, error = %e, "redis cluster subscriber connection failed");
                    return false;
                }
            }
        }
        for channel in channels {
            if self.nodes.get(node).is_some_and(|n| n.channels.contains(channel)) {
                self.acknowledge(channel);
                continue;
            }
            // Several channels in one SSUBSCRIBE must share a slot, and each gets a reply of its
            // own, so channels go one by one.
            let mut cmd = redis::cmd("SSUBSCRIBE");
            cmd.arg(channel);
            match self.command(node, &cmd).await {
                Ok(reply) if is_reply(&reply, &PushKind::SSubscribe, channel) => {
                    if let Some(n) = self.nodes.get_mut(node) {
                        n.channels.insert(channel.clone());
                    }
                    self.acknowledge(channel);
                }
                Ok(_) => {
                    tracing::info!(%node, "redis cluster pushed a message of its own in place of a reply; resubscribing");
                    return false;
                }
                Err(e) => {
                    tracing::info!(%node, %channel, error = %e, "redis cluster refused SSUBSCRIBE; resubscribing");
                    return false;
                }
            }
        }
        true
    }

    /// Unsubscribes `channel` on `node` and forgets it there. Failing is harmless: a node that
    /// no longer serves the slot has unsubscribed by itself, and a broken connection is closed.
    async fn unsubscribe_on(&mut self, node: &Node, channel: &str) {
        if let Some(n) = self.nodes.get_mut(node) {
            n.channels.remove(channel);
        }
        let mut cmd = redis::cmd("SUNSUBSCRIBE");
        cmd.arg(channel);
        if let Err(e) = self.command(node, &cmd).await {
            tracing::debug!(%node, %channel, error = %e, "redis cluster SUNSUBSCRIBE failed");
        }
    }

    /// Without channels a subscriber connection has no purpose: close it.
    fn drop_idle_connections(&mut self) {
        self.nodes.retain(|_, n| !n.channels.is_empty());
    }

    async fn open(&mut self, node: &Node) -> Result<NodeSubscriber, BusError> {
        let generation = self.next_generation;
        self.next_generation += 1;
        let (pushes, from) = (self.pushes.clone(), node.clone());
        let forward = move |push: PushInfo| pushes.send((from.clone(), generation, push));
        let config = AsyncConnectionConfig::new().set_push_sender(forward);
        let conn = connect_node(&self.topology.template, node, ProtocolVersion::RESP3, config).await?;
        Ok(NodeSubscriber { conn, generation, channels: HashSet::new() })
    }

    /// Runs a command on `node`'s subscriber connection; a broken connection is closed (the
    /// server then forgets its subscriptions) and a resynchronization planned.
    async fn command(&mut self, node: &Node, cmd: &redis::Cmd) -> Result<Value, BusError> {
        let mut conn = self.nodes.get(node).map(|n| n.conn.clone()).ok_or(BusError::Closed)?;
        let result = query(&mut conn, cmd).await;
        if let Err(e) = &result {
            if breaks_connection(e) {
                tracing::warn!(%node, error = %e, "redis cluster subscriber connection broke; reconnecting");
                self.lose(node);
            }
        }
        result
    }

    fn lose(&mut self, node: &Node) {
        if let Some(lost) = self.nodes.remove(node) {
            if lost.channels.iter().any(|c| self.is_wanted(c)) {
                self.schedule_resync();
            }
        }
    }

    async fn on_push(&mut self, node: Node, generation: u64, push: PushInfo) {
        if self.nodes.get(&node).is_none_or(|n| n.generation != generation) {
            return; // From a connection closed since.
        }
        match push.kind {
            PushKind::SMessage => {
                if let [channel, payload] = push.data.as_slice() {
                    let channel = bytes(channel).and_then(|c| std::str::from_utf8(c).ok());
                    if let (Some(channel), Some(payload)) = (channel, bytes(payload)) {
                        dispatch(&self.subscribers, channel, payload).await;
                    }
                }
            }
            PushKind::SUnsubscribe => {
                // The answer to our own SUNSUBSCRIBE (for a channel nobody here wants any more),
                // or the server dropping a channel whose slot has left this node.
                let Some(channel) = push.data.first().and_then(bytes).and_then(|c| std::str::from_utf8(c).ok()) else {
                    return;
                };
                if let Some(n) = self.nodes.get_mut(&node) {
                    n.channels.remove(channel);
                }
                if self.is_wanted(channel) && !self.is_subscribed(channel) {
                    tracing::info!(%node, %channel, "redis cluster moved a subscribed slot; resubscribing");
                    self.schedule_resync();
                }
            }
            PushKind::Disconnection => {
                tracing::warn!(%node, "redis cluster subscriber connection lost; reconnecting");
                self.lose(&node);
            }
            _ => {}
        }
    }

    /// Refreshes the slot map, moves every subscription to the master that owns its slot and
    /// subscribes whatever is missing; on failure, tries again later, backing off.
    async fn resync(&mut self) {
        self.resync_at = None;
        let healthy = self.try_resync().await;
        if healthy {
            let channels: usize = self.nodes.values().map(|n| n.channels.len()).sum();
            tracing::info!(nodes = self.nodes.len(), channels, "redis cluster subscriber resynchronized");
            self.backoff = FIRST_RETRY;
        } else {
            self.backoff = (self.backoff * 2).clamp(Duration::from_millis(100), MAX_BACKOFF);
            self.resync_at = Some(Instant::now() + self.backoff);
        }
    }

    async fn try_resync(&mut self) -> bool {
        if let Err(e) = self.topology.refresh(self.topology.epoch()).await {
            tracing::warn!(error = %e, retry_in = ?self.backoff, "redis cluster slot map refresh failed");
            return false;
        }
        let map = self.topology.map();
        let wanted = self.wanted();
        let wanted_set: HashSet<&str> = wanted.iter().map(String::as_str).collect();
        let mut healthy = true;
        // Subscriptions on a node that no longer owns their slot (or nobody wants).
        let stale: Vec<(Node, String)> = self
            .nodes
            .iter()
            .flat_map(|(node, n)| n.channels.iter().map(move |c| (node, c)))
            .filter(|(node, c)| !wanted_set.contains(c.as_str()) || map.owner(key_slot(c.as_bytes())) != Some(*node))
            .map(|(node, c)| (node.clone(), c.clone()))
            .collect();
        for (node, channel) in stale {
            self.unsubscribe_on(&node, &channel).await;
        }
        // What is missing, grouped by the master that owns it.
        let mut missing: HashMap<Node, Vec<String>> = HashMap::new();
        for channel in wanted.into_iter().filter(|c| !self.is_subscribed(c)) {
            match map.owner(key_slot(channel.as_bytes())) {
                Some(owner) => missing.entry(owner.clone()).or_default().push(channel),
                None => healthy = false,
            }
        }
        for (node, channels) in missing {
            healthy &= self.subscribe_on(&node, &channels).await;
        }
        self.drop_idle_connections();
        healthy
    }

    /// Pings every subscriber connection (closing those that do not answer) and checks that
    /// every wanted channel is subscribed somewhere.
    async fn check_health(&mut self) {
        let nodes: Vec<Node> = self.nodes.keys().cloned().collect();
        for node in nodes {
            let _ = self.command(&node, &redis::cmd("PING")).await;
        }
        if self.wanted().iter().any(|c| !self.is_subscribed(c)) {
            self.schedule_resync();
        }
    }
}

/// Whether `reply` is the `kind` push (`ssubscribe`, `sunsubscribe`) for `channel`.
fn is_reply(reply: &Value, kind: &PushKind, channel: &str) -> bool {
    match reply {
        Value::Push { kind: k, data } => k == kind && data.first().and_then(bytes) == Some(channel.as_bytes()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_is_the_xmodem_variant_of_the_cluster_spec() {
        assert_eq!(crc16(b"123456789"), 0x31C3);
        assert_eq!(crc16(b""), 0);
    }

    #[test]
    fn slots_of_known_keys() {
        // Values as `CLUSTER KEYSLOT` gives them.
        let check = |key: &str, slot: u16| assert_eq!(key_slot(key.as_bytes()), slot, "{key}");
        check("foo", 12182);
        check("bar", 5061);
        check("123456789", 12739);
        check("{bar", 4015);
        check("{user1000}.following", 3443);
        check("foo{}{bar}", 8363);
        check("", 0);
    }

    #[test]
    fn hash_tags() {
        let slot = |key: &str| key_slot(key.as_bytes());
        assert_eq!(slot("{user1000}.following"), slot("{user1000}.followers"));
        assert_eq!(slot("{user1000}.following"), slot("user1000"));
        // Only the first `{`, up to the next `}`; an empty tag hashes the whole key.
        assert_eq!(slot("foo{bar}{zap}"), slot("bar"));
        assert_eq!(slot("foo{{bar}}zap"), slot("{bar"));
        assert_eq!(slot("foo{}{bar}"), crc16(b"foo{}{bar}") % SLOTS);
        assert_eq!(slot("foo{bar"), crc16(b"foo{bar") % SLOTS);
        assert_eq!(slot("foo}bar{"), crc16(b"foo}bar{") % SLOTS);
    }

    #[test]
    fn slot_map_finds_owners_and_gaps() {
        let node = |port| Node { host: "127.0.0.1".to_owned(), port };
        let answer = Value::Array(vec![
            Value::Array(vec![
                Value::Int(5461),
                Value::Int(10922),
                Value::Array(vec![
                    Value::BulkString(b"".to_vec()),
                    Value::Int(7102),
                    Value::BulkString(b"id2".to_vec()),
                ]),
            ]),
            Value::Array(vec![
                Value::Int(0),
                Value::Int(5460),
                Value::Array(vec![Value::BulkString(b"10.0.0.1".to_vec()), Value::Int(7101)]),
                Value::Array(vec![Value::BulkString(b"10.0.0.9".to_vec()), Value::Int(7109)]),
            ]),
        ]);
        let map = SlotMap::parse(&answer, &node(7102)).unwrap();
        assert_eq!(map.owner(0), Some(&Node { host: "10.0.0.1".to_owned(), port: 7101 }));
        assert_eq!(map.owner(5460).map(|n| n.port), Some(7101));
        // An empty host is the node that answered.
        assert_eq!(map.owner(5461), Some(&node(7102)));
        assert_eq!(map.owner(10922), Some(&node(7102)));
        assert_eq!(map.owner(10923), None);
        assert_eq!(map.masters().len(), 2);
        assert!(SlotMap::parse(&Value::Int(1), &node(1)).is_none());
    }

    #[test]
    fn moved_addresses() {
        assert_eq!(Node::parse("127.0.0.1:7102"), Some(Node { host: "127.0.0.1".to_owned(), port: 7102 }));
        assert_eq!(Node::parse("[::1]:7000"), Some(Node { host: "::1".to_owned(), port: 7000 }));
        assert_eq!(Node::parse("nohost"), None);
    }
}
