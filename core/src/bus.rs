//! Fan-out messaging (pub/sub): Redis in production, in-process embedded.
//!
//! Delivery is at most once: a subscriber that is slow or disconnected may miss messages, so
//! every user of the bus must be able to catch up from durable state (the business change feed
//! re-reads its table; see `locus-lbs`). A Redis server keeps one subscriber connection per
//! process and multiplexes every channel over it, reference-counted. A Redis Cluster
//! ([`cluster::RedisClusterBus`]) uses sharded channels: one subscriber connection per master
//! that owns subscribed channels, each channel on the master of its hash slot.

use async_trait::async_trait;
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};

pub mod cluster;
pub use cluster::RedisClusterBus;

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("pub/sub operation timed out")]
    Timeout,
    #[error("the subscriber connection task has stopped")]
    Closed,
    #[error("redis cluster: {0}")]
    Cluster(String),
}

/// Messages of one channel; dropping it unsubscribes.
pub struct Subscription {
    rx: mpsc::Receiver<Vec<u8>>,
    _guard: Option<Box<dyn Send + Sync>>,
}

impl Subscription {
    /// The next message, or `None` once the bus has shut down.
    pub async fn next(&mut self) -> Option<Vec<u8>> {
        self.rx.recv().await
    }
}

#[async_trait]
pub trait Bus: Send + Sync {
    async fn publish(&self, channel: &str, payload: &[u8]) -> Result<(), BusError>;
    async fn subscribe(&self, channel: &str) -> Result<Subscription, BusError>;
    fn backend(&self) -> &'static str;
}

const SUBSCRIPTION_BUFFER: usize = 1024;

/// Slots of an in-process channel's broadcast ring, allocated up front per channel (tens of
/// thousands of per-user channels must stay small); each subscription's own queue behind it
/// holds [`SUBSCRIPTION_BUFFER`] and is drained at once.
const IN_PROCESS_RING: usize = 64;

/// In-process pub/sub with the same at-most-once semantics as Redis.
#[derive(Default)]
pub struct InProcessBus {
    channels: Arc<Mutex<HashMap<String, broadcast::Sender<Vec<u8>>>>>,
}

#[async_trait]
impl Bus for InProcessBus {
    async fn publish(&self, channel: &str, payload: &[u8]) -> Result<(), BusError> {
        let sender = self.channels.lock().map_err(|_| BusError::Closed)?.get(channel).cloned();
        if let Some(sender) = sender {
            // No receivers is not an error: pub/sub drops messages nobody listens to.
            let _ = sender.send(payload.to_vec());
        }
        Ok(())
    }

    async fn subscribe(&self, channel: &str) -> Result<Subscription, BusError> {
        let mut rx = {
            let mut channels = self.channels.lock().map_err(|_| BusError::Closed)?;
            channels.entry(channel.to_owned()).or_insert_with(|| broadcast::channel(IN_PROCESS_RING).0).subscribe()
        };
        let (tx, out) = mpsc::channel(SUBSCRIPTION_BUFFER);
        let (channels, name) = (self.channels.clone(), channel.to_owned());
        tokio::spawn(async move {
            loop {
                let received = tokio::select! {
                    received = rx.recv() => received,
                    // The subscription was dropped: stop now, not at the next message.
                    _ = tx.closed() => break,
                };
                match received {
                    Ok(msg) => {
                        if tx.send(msg).await.is_err() {
                            break;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
            // The last subscriber of a channel removes it.
            drop(rx);
            if let Ok(mut channels) = channels.lock() {
                if channels.get(&name).is_some_and(|s| s.receiver_count() == 0) {
                    channels.remove(&name);
                }
            }
        });
        Ok(Subscription { rx: out, _guard: None })
    }

    fn backend(&self) -> &'static str {
        "memory"
    }
}

type Subscribers = Arc<Mutex<HashMap<String, Vec<mpsc::Sender<Vec<u8>>>>>>;

/// Redis pub/sub: publishing over a multiplexed connection, receiving over one dedicated
/// subscriber connection per process that reconnects and re-subscribes by itself.
pub struct RedisBus {
    namespace: String,
    publisher: redis::aio::ConnectionManager,
    subscribers: Subscribers,
    control: mpsc::UnboundedSender<Control>,
}

enum Control {
    /// Subscribe, then signal once Redis has acknowledged the SUBSCRIBE.
    Subscribe(String, oneshot::Sender<()>),
    Unsubscribe(String),
}

/// How long `subscribe` waits for Redis to acknowledge; past it the subscription is still
/// registered and takes effect when the subscriber connection is back.
const SUBSCRIBE_ACK_WAIT: Duration = Duration::from_secs(2);

struct Unsubscribe {
    channel: String,
    control: mpsc::UnboundedSender<Control>,
}

impl Drop for Unsubscribe {
    fn drop(&mut self) {
        let _ = self.control.send(Control::Unsubscribe(self.channel.clone()));
    }
}

impl RedisBus {
    /// Connects; every channel is prefixed with `namespace`, like the cache's keys.
    pub async fn connect(url: &str, namespace: &str) -> Result<Self, BusError> {
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(crate::cache::REDIS_TIMEOUT)
            .set_response_timeout(crate::cache::REDIS_TIMEOUT)
            .set_number_of_retries(2);
        let publisher = tokio::time::timeout(Duration::from_secs(5), client.get_connection_manager_with_config(config))
            .await
            .map_err(|_| BusError::Timeout)??;
        let subscribers: Subscribers = Arc::default();
        let (control, control_rx) = mpsc::unbounded_channel();
        tokio::spawn(run_subscriber(client, subscribers.clone(), control_rx));
        Ok(RedisBus { namespace: namespace.to_owned(), publisher, subscribers, control })
    }
}

#[async_trait]
impl Bus for RedisBus {
    async fn publish(&self, channel: &str, payload: &[u8]) -> Result<(), BusError> {
        let mut conn = self.publisher.clone();
        let mut cmd = redis::cmd("PUBLISH");
        cmd.arg(format!("{}{channel}", self.namespace)).arg(payload);
        tokio::time::timeout(crate::cache::REDIS_TIMEOUT, cmd.query_async::<i64>(&mut conn))
            .await
            .map_err(|_| BusError::Timeout)??;
        Ok(())
    }

    async fn subscribe(&self, channel: &str) -> Result<Subscription, BusError> {
        subscribe_local(&self.subscribers, &self.control, format!("{}{channel}", self.namespace)).await
    }

    fn backend(&self) -> &'static str {
        "redis"
    }
}

/// Owns the subscriber connection: (re)connects, (re)subscribes, dispatches messages.
async fn run_subscriber(
    client: redis::Client,
    subscribers: Subscribers,
    mut control: mpsc::UnboundedReceiver<Control>,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let pubsub = match client.get_async_pubsub().await {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "redis subscriber connection failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                if control.is_closed() {
                    return;
                }
                continue;
            }
        };
        backoff = Duration::from_millis(100);
        let (mut sink, mut stream) = pubsub.split();
        let wanted: Vec<String> = match subscribers.lock() {
            Ok(s) => s.keys().cloned().collect(),
            Err(_) => return,
        };
        let mut healthy = true;
        for ch in &wanted {
            if sink.subscribe(ch).await.is_err() {
                healthy = false;
            }
        }
        tracing::info!(channels = wanted.len(), "redis subscriber connected");
        while healthy {
            tokio::select! {
                msg = stream.next() => match msg {
                    Some(msg) => dispatch(&subscribers, msg.get_channel_name(), msg.get_payload_bytes()).await,
                    None => healthy = false,
                },
                cmd = control.recv() => match cmd {
                    Some(Control::Subscribe(ch, ack)) => {
                        healthy = sink.subscribe(&ch).await.is_ok();
                        if healthy {
                            let _ = ack.send(());
                        }
                    }
                    Some(Control::Unsubscribe(ch)) => {
                        if release_local(&subscribers, &ch) {
                            healthy = sink.unsubscribe(&ch).await.is_ok();
                        }
                    }
                    None => return,
                },
            }
        }
        tracing::warn!("redis subscriber connection lost; reconnecting");
    }
}

/// Registers a local subscriber of `channel` (already namespaced); the first one asks the
/// subscriber task to subscribe and waits for the server's acknowledgement, so a message
/// published after `subscribe` returns is delivered (while the server is away, it gives up
/// waiting but keeps the subscription, which takes effect once the connection is back).
async fn subscribe_local(
    subscribers: &Subscribers,
    control: &mpsc::UnboundedSender<Control>,
    channel: String,
) -> Result<Subscription, BusError> {
    let (tx, rx) = mpsc::channel(SUBSCRIPTION_BUFFER);
    let first = {
        let mut subs = subscribers.lock().map_err(|_| BusError::Closed)?;
        let list = subs.entry(channel.clone()).or_default();
        list.push(tx);
        list.len() == 1
    };
    if first {
        let (ack, acked) = oneshot::channel();
        control.send(Control::Subscribe(channel.clone(), ack)).map_err(|_| BusError::Closed)?;
        let _ = tokio::time::timeout(SUBSCRIBE_ACK_WAIT, acked).await;
    }
    let guard = Unsubscribe { channel, control: control.clone() };
    Ok(Subscription { rx, _guard: Some(Box::new(guard)) })
}

/// Forgets the dropped local subscribers of `channel`; true when none is left, so the server
/// must be told to unsubscribe.
fn release_local(subscribers: &Subscribers, channel: &str) -> bool {
    let Ok(mut subs) = subscribers.lock() else { return false };
    let Some(list) = subs.get_mut(channel) else { return false };
    list.retain(|tx| !tx.is_closed());
    if list.is_empty() {
        subs.remove(channel);
        return true;
    }
    false
}

async fn dispatch(subscribers: &Subscribers, channel: &str, payload: &[u8]) {
    let targets: Vec<mpsc::Sender<Vec<u8>>> = match subscribers.lock() {
        Ok(s) => s.get(channel).cloned().unwrap_or_default(),
        Err(_) => return,
    };
    for tx in targets {
        // A full subscriber loses this message (at-most-once) rather than stalling the rest.
        let _ = tx.try_send(payload.to_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_process_bus_fans_out() {
        let bus = InProcessBus::default();
        let mut a = bus.subscribe("c").await.unwrap();
        let mut b = bus.subscribe("c").await.unwrap();
        let mut other = bus.subscribe("d").await.unwrap();
        bus.publish("c", b"hello").await.unwrap();
        assert_eq!(a.next().await.unwrap(), b"hello");
        assert_eq!(b.next().await.unwrap(), b"hello");
        assert!(tokio::time::timeout(Duration::from_millis(50), other.next()).await.is_err());
    }

    #[tokio::test]
    async fn in_process_channels_go_away_with_their_last_subscriber() {
        let bus = InProcessBus::default();
        let a = bus.subscribe("c").await.unwrap();
        let b = bus.subscribe("c").await.unwrap();
        drop(a);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(bus.channels.lock().unwrap().len(), 1, "b still listens");
        drop(b);
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while !bus.channels.lock().unwrap().is_empty() {
            assert!(std::time::Instant::now() < deadline, "the channel outlived its subscribers");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}
