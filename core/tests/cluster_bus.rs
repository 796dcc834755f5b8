//! `RedisClusterBus` against a real Redis Cluster (three masters, sharded pub/sub).
//!
//! `scripts/redis-cluster.sh start` provisions one on ports 7101-7103 and `scripts/test.sh` sets
//! `LOCUS_TEST_REDIS_CLUSTER=127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103`. Unset, the tests
//! skip with a note (and fail when `CI` is set); set but unreachable, they fail.
//!
//! Tests run in parallel against one cluster, so each uses a namespace of its own. Only the
//! migration test moves a slot, and it moves one that no other test's channel hashes to; only
//! the reconnection test kills connections, and only those of an ACL user of its own.

use futures::FutureExt;
use locus_core::bus::cluster::key_slot;
use locus_core::bus::{Bus, RedisClusterBus, Subscription};
use redis::aio::MultiplexedConnection;
use redis::Value;
use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::time::{timeout, Instant};

const ENV: &str = "LOCUS_TEST_REDIS_CLUSTER";
/// How long a message may take to arrive, or the bus to recover.
const PATIENCE: Duration = Duration::from_secs(5);
/// The hash tag of the migration test's channel; no other test's channel hashes to its slot.
const MIGRATION_TAG: &str = "locus-test-migration";

/// The cluster's seed nodes, or `None` (skip) when the variable is unset outside CI.
fn seeds() -> Option<Vec<String>> {
    let value = std::env::var(ENV).unwrap_or_default();
    let seeds: Vec<String> = value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if !seeds.is_empty() {
        return Some(seeds);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    assert!(!ci, "{ENV} is not set, and CI is: run scripts/redis-cluster.sh start and set {ENV}={}", default_seeds());
    eprintln!("note: {ENV} is not set; skipping (scripts/redis-cluster.sh start, then {ENV}={})", default_seeds());
    None
}

fn default_seeds() -> &'static str {
    "127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103"
}

/// A namespace no other test (in this or another process) uses.
fn namespace(test: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("locus-test:{test}:{:x}{:x}{n:x}:", nanos % (1 << 48), std::process::id())
}

/// `name`, lengthened if needed so that the namespaced channel keeps off the migration slot.
fn channel(namespace: &str, name: &str) -> String {
    let mut name = name.to_owned();
    while key_slot(format!("{namespace}{name}").as_bytes()) == key_slot(MIGRATION_TAG.as_bytes()) {
        name.push('~');
    }
    name
}

async fn connect(urls: &[String], namespace: &str) -> RedisClusterBus {
    RedisClusterBus::connect(urls, namespace)
        .await
        .unwrap_or_else(|e| panic!("{ENV} is set but the cluster is unreachable: {e}"))
}

/// A plain connection to one node, to look at the cluster from outside the bus.
async fn node(addr: &str) -> MultiplexedConnection {
    let client = redis::Client::open(format!("redis://{addr}")).expect("a node address");
    client.get_multiplexed_async_connection().await.unwrap_or_else(|e| panic!("node {addr} is unreachable: {e}"))
}

async fn query<T: redis::FromRedisValue>(addr: &str, cmd: &redis::Cmd) -> T {
    cmd.query_async(&mut node(addr).await).await.unwrap_or_else(|e| panic!("{addr}: {e}"))
}

/// A master and the slots it serves.
struct Master {
    addr: String,
    id: String,
    ranges: Vec<(u16, u16)>,
}

/// The masters, from `CLUSTER SLOTS`.
async fn masters(seed: &str) -> Vec<Master> {
    let Value::Array(entries) = query::<Value>(seed, redis::cmd("CLUSTER").arg("SLOTS")).await else {
        panic!("CLUSTER SLOTS is not an array")
    };
    let mut masters: Vec<Master> = Vec::new();
    for entry in entries {
        let Value::Array(fields) = entry else { panic!("a CLUSTER SLOTS entry is not an array") };
        let first: u16 = redis::from_redis_value(&fields[0]).expect("first slot");
        let last: u16 = redis::from_redis_value(&fields[1]).expect("last slot");
        let Value::Array(master) = &fields[2] else { panic!("a CLUSTER SLOTS master is not an array") };
        let host: String = redis::from_redis_value(&master[0]).expect("host");
        let port: u16 = redis::from_redis_value(&master[1]).expect("port");
        let id: String = redis::from_redis_value(&master[2]).expect("node id");
        let addr = format!("{host}:{port}");
        match masters.iter_mut().find(|m| m.id == id) {
            Some(m) => m.ranges.push((first, last)),
            None => masters.push(Master { addr, id, ranges: vec![(first, last)] }),
        }
    }
    masters
}

/// The address of the master serving `channel` (namespaced).
fn owner<'a>(masters: &'a [Master], channel: &str) -> &'a Master {
    let slot = key_slot(channel.as_bytes());
    masters.iter().find(|m| m.ranges.iter().any(|(a, b)| (*a..=*b).contains(&slot))).expect("every slot is served")
}

/// How many connections `addr` has subscribed to the shard channel.
async fn shard_subscribers(addr: &str, channel: &str) -> i64 {
    let counts: Vec<(String, i64)> = query(addr, redis::cmd("PUBSUB").arg("SHARDNUMSUB").arg(channel)).await;
    counts.first().map(|(_, n)| *n).unwrap_or(0)
}

async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + PATIENCE;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn receive(sub: &mut Subscription) -> Option<Vec<u8>> {
    timeout(PATIENCE, sub.next()).await.ok().flatten()
}

/// Publishes `payload` every 100 ms until `sub` receives it (publishing while the bus is still
/// resubscribing may be lost: delivery is at most once).
async fn deliver_eventually(publisher: &dyn Bus, sub: &mut Subscription, channel: &str, payload: &[u8]) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let _ = publisher.publish(channel, payload).await;
        if let Ok(Some(message)) = timeout(Duration::from_millis(100), sub.next()).await {
            assert_eq!(message, payload, "on {channel}");
            return;
        }
        assert!(Instant::now() < deadline, "{channel} received nothing within {PATIENCE:?}");
    }
}

#[tokio::test]
async fn channels_spread_over_the_masters_and_every_message_reaches_its_channel() {
    let Some(seeds) = seeds() else { return };
    let ns = namespace("spread");
    let bus = connect(&seeds, &ns).await;
    assert_eq!(bus.backend(), "redis-cluster");
    let masters = masters(&seeds[0]).await;
    let names: Vec<String> = (0..200).map(|i| channel(&ns, &format!("channel-{i}"))).collect();
    let used: HashSet<&str> = names.iter().map(|n| owner(&masters, &format!("{ns}{n}")).addr.as_str()).collect();
    assert!(used.len() >= 2, "200 channels all hash to the slots of one master: {used:?}");

    let mut subs = Vec::new();
    for name in &names {
        subs.push(bus.subscribe(name).await.expect("subscribe"));
    }
    // Each channel is subscribed on the master that owns its slot, and nowhere else.
    let mut found = 0;
    for master in &masters {
        let here: Vec<String> =
            query(&master.addr, redis::cmd("PUBSUB").arg("SHARDCHANNELS").arg(format!("{ns}*"))).await;
        for channel in &here {
            assert_eq!(owner(&masters, channel).addr, master.addr, "{channel} subscribed on the wrong master");
        }
        found += here.len();
    }
    assert_eq!(found, names.len());

    for (i, name) in names.iter().enumerate() {
        bus.publish(name, format!("message {i}").as_bytes()).await.expect("publish");
    }
    for (i, sub) in subs.iter_mut().enumerate() {
        assert_eq!(receive(sub).await, Some(format!("message {i}").into_bytes()), "on {}", names[i]);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    for (i, sub) in subs.iter_mut().enumerate() {
        assert!(sub.next().now_or_never().is_none(), "{} received a message twice or one of another", names[i]);
    }
}

#[tokio::test]
async fn a_message_published_by_one_server_reaches_the_subscribers_of_another() {
    let Some(seeds) = seeds() else { return };
    let ns = namespace("servers");
    let (a, b) = (connect(&seeds, &ns).await, connect(&seeds, &ns).await);
    let (changes, quiet) = (channel(&ns, "changes"), channel(&ns, "quiet"));
    let mut on_b = b.subscribe(&changes).await.expect("subscribe on B");
    let mut on_a = a.subscribe(&changes).await.expect("subscribe on A");
    let mut nobody_publishes = b.subscribe(&quiet).await.expect("subscribe to the quiet channel");

    a.publish(&changes, b"hello").await.expect("publish on A");
    assert_eq!(receive(&mut on_b).await.as_deref(), Some(&b"hello"[..]));
    assert_eq!(receive(&mut on_a).await.as_deref(), Some(&b"hello"[..]));
    assert!(timeout(Duration::from_millis(100), nobody_publishes.next()).await.is_err());
}

#[tokio::test]
async fn dropping_the_last_local_subscription_unsubscribes_on_the_master() {
    let Some(seeds) = seeds() else { return };
    let ns = namespace("refcount");
    let bus = connect(&seeds, &ns).await;
    let name = channel(&ns, "shared");
    let full = format!("{ns}{name}");
    let masters = masters(&seeds[0]).await;
    let master = &owner(&masters, &full).addr;

    let first = bus.subscribe(&name).await.expect("subscribe");
    let mut second = bus.subscribe(&name).await.expect("subscribe again");
    // Both local subscribers share one server subscription.
    assert_eq!(shard_subscribers(master, &full).await, 1);

    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(shard_subscribers(master, &full).await, 1, "unsubscribed while a local subscriber remained");
    bus.publish(&name, b"still here").await.expect("publish");
    assert_eq!(receive(&mut second).await.as_deref(), Some(&b"still here"[..]));

    drop(second);
    let full = full.as_str();
    eventually(
        "the master has no subscriber of the channel",
        || async move { shard_subscribers(master, full).await == 0 },
    )
    .await;
}

#[tokio::test]
async fn subscriptions_come_back_after_the_server_kills_the_subscriber_connections() {
    let Some(seeds) = seeds() else { return };
    let ns = namespace("reconnect");
    // An ACL user of this test's own, so that the kill spares the connections of other tests.
    // (ACL users are per node, so it is made on every master; the bus finds the masters from
    // the seed and must log in to each with the seed's credentials.)
    let user = ns.replace(':', "-").trim_end_matches('-').to_owned();
    let masters = masters(&seeds[0]).await;
    for master in &masters {
        let setuser =
            redis::cmd("ACL").arg("SETUSER").arg(&user).arg("on").arg(">pw").arg("~*").arg("&*").arg("+@all").clone();
        let _: () = query(&master.addr, &setuser).await;
    }
    let urls = vec![format!("redis://{user}:pw@{}", seeds[0])];
    let bus = connect(&urls, &ns).await;
    let names: Vec<String> = (0..30).map(|i| channel(&ns, &format!("channel-{i}"))).collect();
    let used: HashSet<&str> = names.iter().map(|n| owner(&masters, &format!("{ns}{n}")).addr.as_str()).collect();
    let mut subs = Vec::new();
    for name in &names {
        subs.push(bus.subscribe(name).await.expect("subscribe"));
    }
    for (name, sub) in names.iter().zip(&mut subs) {
        bus.publish(name, b"before").await.expect("publish");
        assert_eq!(receive(sub).await.as_deref(), Some(&b"before"[..]), "on {name}");
    }

    let mut killed = 0;
    for master in &masters {
        let kill = redis::cmd("CLIENT").arg("KILL").arg("TYPE").arg("pubsub").arg("USER").arg(&user).clone();
        killed += query::<i64>(&master.addr, &kill).await;
    }
    // One subscriber connection per master that owns subscribed channels.
    assert_eq!(killed, used.len() as i64, "subscriber connections killed");

    for (name, sub) in names.iter().zip(&mut subs) {
        deliver_eventually(&bus, sub, name, b"after").await;
    }
    for master in &masters {
        let _: i64 = query(&master.addr, redis::cmd("ACL").arg("DELUSER").arg(&user)).await;
    }
}

/// Moves an empty slot from one master to another, the way `redis-cli --cluster reshard` does.
async fn move_slot(masters: &[Master], slot: u16, from: &Master, to: &Master) {
    let setslot = |state: &str, id: &str| redis::cmd("CLUSTER").arg("SETSLOT").arg(slot).arg(state).arg(id).clone();
    let _: () = query(&to.addr, &setslot("IMPORTING", &from.id)).await;
    let _: () = query(&from.addr, &setslot("MIGRATING", &to.id)).await;
    let keys: Vec<String> = query(&from.addr, redis::cmd("CLUSTER").arg("GETKEYSINSLOT").arg(slot).arg(10)).await;
    assert!(keys.is_empty(), "slot {slot} holds keys: {keys:?}");
    let _: () = query(&to.addr, &setslot("NODE", &to.id)).await;
    let _: () = query(&from.addr, &setslot("NODE", &to.id)).await;
    for other in masters.iter().filter(|m| m.id != from.id && m.id != to.id) {
        let _: () = query(&other.addr, &setslot("NODE", &to.id)).await;
    }
}

#[tokio::test]
async fn subscriptions_and_publishers_follow_a_migrated_slot() {
    let Some(seeds) = seeds() else { return };
    let ns = namespace("migration");
    let masters = masters(&seeds[0]).await;
    assert!(masters.len() >= 2, "the test cluster needs two masters");
    let slot = key_slot(MIGRATION_TAG.as_bytes());
    for master in &masters {
        // Clear what an interrupted earlier run may have left half done.
        let _: () = query(&master.addr, redis::cmd("CLUSTER").arg("SETSLOT").arg(slot).arg("STABLE")).await;
    }
    let name = format!("{{{MIGRATION_TAG}}}changes");
    let full = format!("{ns}{name}");
    let home = owner(&masters, &full);
    let away = masters.iter().find(|m| m.id != home.id).expect("another master");

    let subscriber = connect(&seeds, &ns).await;
    // Connected before the move, so its slot map is stale afterwards: it must follow MOVED.
    let publisher = connect(&seeds, &ns).await;
    let mut sub = subscriber.subscribe(&name).await.expect("subscribe");
    assert_eq!(shard_subscribers(&home.addr, &full).await, 1);

    let full = full.as_str();
    for (from, to) in [(home, away), (away, home)] {
        move_slot(&masters, slot, from, to).await;
        eventually("the channel is subscribed on the slot's new master", || async move {
            shard_subscribers(&to.addr, full).await == 1
        })
        .await;
        assert_eq!(shard_subscribers(&from.addr, full).await, 0);
        publisher.publish(&name, format!("served by {}", to.addr).as_bytes()).await.expect("publish after the move");
        assert_eq!(receive(&mut sub).await, Some(format!("served by {}", to.addr).into_bytes()));
    }
}
