//! One server's subscriptions: at most one bus subscription per channel, however many local
//! sessions watch it, and the fan-out of each message to those sessions. The bus below
//! multiplexes every channel of the process over one Redis connection (or a few, one per
//! cluster node), so a server with 20,000 connections holds one subscriber connection.

use crate::events::Event;
use locus_core::bus::{Bus, BusError, Subscription};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// A session's number, unique in this process.
pub type SessionId = u64;

/// What a channel is to the session watching it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The location channel of this friend.
    Friend(i64),
    /// The session's own user's control channel.
    Control,
    /// An area channel ("nearby random person"): opted-in users' moves in one geohash cell.
    Area,
}

/// One message for one session.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub source: Source,
    pub event: Arc<Event>,
}

struct Watcher {
    session: SessionId,
    source: Source,
    tx: mpsc::Sender<Delivery>,
}

struct Channel {
    watchers: Vec<Watcher>,
    /// Turns true once the bus has the subscription; later watchers wait for it.
    ready: watch::Receiver<bool>,
    pump: Option<tokio::task::AbortHandle>,
}

type Channels = Arc<Mutex<HashMap<String, Channel>>>;

/// How long a watcher waits for a channel another session is subscribing.
const READY_WAIT: Duration = Duration::from_secs(3);

pub struct Hub {
    bus: Arc<dyn Bus>,
    channels: Channels,
}

impl Hub {
    pub fn new(bus: Arc<dyn Bus>) -> Self {
        Hub { bus, channels: Arc::default() }
    }

    /// `session` receives the messages of `channel` on `tx` from now on. Returns once the
    /// subscription is in place, so a message published afterwards arrives.
    pub async fn watch(
        &self,
        channel: &str,
        source: Source,
        session: SessionId,
        tx: mpsc::Sender<Delivery>,
    ) -> Result<(), BusError> {
        let (mut ready, subscribe) = {
            let mut channels = self.channels.lock().map_err(|_| BusError::Closed)?;
            match channels.get_mut(channel) {
                Some(ch) => {
                    ch.watchers.push(Watcher { session, source, tx });
                    (ch.ready.clone(), None)
                }
                None => {
                    let (set_ready, ready) = watch::channel(false);
                    let watchers = vec![Watcher { session, source, tx }];
                    channels.insert(channel.to_owned(), Channel { watchers, ready: ready.clone(), pump: None });
                    (ready, Some(set_ready))
                }
            }
        };
        let Some(set_ready) = subscribe else {
            // Another session is subscribing this channel: wait for it. If its subscription
            // failed, the channel (with this watcher) is gone and the caller must know.
            let subscribed = matches!(tokio::time::timeout(READY_WAIT, ready.wait_for(|r| *r)).await, Ok(Ok(_)));
            return if subscribed { Ok(()) } else { Err(BusError::Timeout) };
        };
        match self.bus.subscribe(channel).await {
            Ok(subscription) => {
                let pump = tokio::spawn(pump(self.channels.clone(), channel.to_owned(), subscription));
                let mut channels = self.channels.lock().map_err(|_| BusError::Closed)?;
                match channels.get_mut(channel) {
                    // Everyone left while subscribing: drop the subscription again.
                    None => pump.abort(),
                    Some(ch) => ch.pump = Some(pump.abort_handle()),
                }
                let _ = set_ready.send(true);
                Ok(())
            }
            Err(e) => {
                if let Ok(mut channels) = self.channels.lock() {
                    channels.remove(channel);
                }
                // Dropping `set_ready` wakes the sessions waiting on this channel with an error.
                drop(set_ready);
                Err(e)
            }
        }
    }

    /// `session` no longer receives `channel`; the last watcher to leave unsubscribes.
    pub fn unwatch(&self, channel: &str, session: SessionId) {
        let Ok(mut channels) = self.channels.lock() else { return };
        let Some(ch) = channels.get_mut(channel) else { return };
        ch.watchers.retain(|w| w.session != session);
        if ch.watchers.is_empty() {
            if let Some(pump) = channels.remove(channel).and_then(|ch| ch.pump) {
                pump.abort();
            }
        }
    }

    /// Channels this server is subscribed to.
    pub fn channel_count(&self) -> usize {
        self.channels.lock().map(|c| c.len()).unwrap_or(0)
    }

    /// Publishes `event` on `channel`.
    pub async fn publish(&self, channel: &str, event: &Event) -> Result<(), BusError> {
        self.bus.publish(channel, &event.encode()).await
    }
}

/// Reads one channel's subscription and hands each message to its watchers. A watcher whose
/// queue is full misses the message (at most once, like the bus) rather than holding up the
/// others; its next update supersedes it.
async fn pump(channels: Channels, channel: String, mut subscription: Subscription) {
    while let Some(bytes) = subscription.next().await {
        let Some(event) = Event::decode(&bytes) else {
            tracing::warn!(%channel, "undecodable nearby event dropped");
            continue;
        };
        let event = Arc::new(event);
        let targets: Vec<(Source, mpsc::Sender<Delivery>)> = match channels.lock() {
            Ok(c) => c.get(&channel).map(|ch| ch.watchers.iter().map(|w| (w.source, w.tx.clone())).collect()),
            Err(_) => return,
        }
        .unwrap_or_default();
        for (source, tx) in targets {
            let _ = tx.try_send(Delivery { source, event: event.clone() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use locus_core::bus::InProcessBus;

    #[tokio::test]
    async fn one_subscription_per_channel_fans_out_and_the_last_watcher_unsubscribes() {
        let hub = Hub::new(Arc::new(InProcessBus::default()));
        let (tx1, mut rx1) = mpsc::channel(8);
        let (tx2, mut rx2) = mpsc::channel(8);
        hub.watch("c", Source::Friend(5), 1, tx1).await.unwrap();
        hub.watch("c", Source::Friend(5), 2, tx2.clone()).await.unwrap();
        assert_eq!(hub.channel_count(), 1);
        hub.publish("c", &Event::Gone { id: 5 }).await.unwrap();
        for rx in [&mut rx1, &mut rx2] {
            let got = tokio::time::timeout(Duration::from_secs(1), rx.recv()).await.unwrap().unwrap();
            assert_eq!((got.source, &*got.event), (Source::Friend(5), &Event::Gone { id: 5 }));
        }
        hub.unwatch("c", 1);
        assert_eq!(hub.channel_count(), 1);
        hub.unwatch("c", 2);
        assert_eq!(hub.channel_count(), 0);
        hub.publish("c", &Event::Gone { id: 5 }).await.unwrap();
        assert!(tokio::time::timeout(Duration::from_millis(50), rx2.recv()).await.is_err());
    }
}
