//! `locus bench nearby`: a load generator for the nearby-friends WebSocket service.
//!
//! It seeds users and friendships straight into the server's database (a ring: user `i` is
//! friends with the `friends / 2` users after it and before it), opens one WebSocket per online
//! user from several loopback source addresses (past one address's 28,000 ephemeral ports),
//! places everyone within a few kilometres so every move is within every friend's radius, and
//! has each client send a random-walk `location` every `interval` (random phase). Each
//! `friend_location` received is matched to the send it reports (the sender's last
//! coordinates), giving the end-to-end delivery latency: publisher send to friend receive.

use anyhow::Context;
use futures::{SinkExt, StreamExt};
use locus_core::db::Database;
use locus_core::users::UserStore;
use locus_nearby::friends::FriendStore;
use rand::{Rng, SeedableRng};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, Clone, clap::Args)]
pub struct NearbyLoad {
    /// The servers, `host:port`, comma separated; clients are dealt to them in turn.
    #[arg(long, value_delimiter = ',', default_value = "127.0.0.1:8080")]
    pub server: Vec<String>,
    /// The server's database (`sqlite://DIR/locus.db?mode=rwc` or `mysql://...`), seeded directly.
    #[arg(long)]
    pub db_url: String,
    /// Connected users.
    #[arg(long, default_value_t = 1000)]
    pub connections: usize,
    /// Friends per user (all of them connected: friends of the ring are online users).
    #[arg(long, default_value_t = 40)]
    pub friends: usize,
    /// Seconds between one client's updates.
    #[arg(long, default_value_t = 30.0)]
    pub interval_s: f64,
    /// Seconds measured, after every client is connected and a warm-up interval.
    #[arg(long, default_value_t = 60.0)]
    pub duration_s: f64,
    /// Loopback source addresses to connect from (127.0.0.1, .2, ...).
    #[arg(long, default_value_t = 4)]
    pub sources: u8,
    /// The servers' process ids, to report their memory and CPU.
    #[arg(long, value_delimiter = ',')]
    pub server_pid: Vec<u32>,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

/// The last position each user sent, and when: a received update is matched against it.
struct LastSent {
    at: Vec<Mutex<(f64, f64, Option<Instant>)>>,
}

#[derive(Default)]
struct Counters {
    sent: AtomicU64,
    delivered: AtomicU64,
    matched: AtomicU64,
    errors: AtomicU64,
}

pub async fn run(load: NearbyLoad) -> anyhow::Result<()> {
    let n = load.connections;
    anyhow::ensure!(n >= 2 && load.friends >= 1 && load.friends < n, "need 2+ connections and 1..connections friends");
    anyhow::ensure!(!load.server.is_empty(), "name at least one --server");
    anyhow::ensure!(load.interval_s > 0.0 && load.duration_s > 0.0, "--interval-s and --duration-s must be positive");
    let started = Instant::now();
    let db = Database::connect(&load.db_url).await.context("connecting to the server's database")?;
    let users = UserStore::new(db.clone());
    let mut ids = Vec::with_capacity(n);
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let (user, token) = users.create(&format!("load-{i}")).await?;
        ids.push(user.id);
        tokens.push(token);
    }
    let half = load.friends.div_ceil(2);
    let mut unique: Vec<(i64, i64)> = (0..n)
        .flat_map(|i| (1..=half).map(move |k| (i, (i + k) % n)))
        .map(|(a, b)| (ids[a].min(ids[b]), ids[a].max(ids[b])))
        .collect();
    unique.sort_unstable();
    unique.dedup();
    FriendStore::new(db, usize::MAX).insert_friendships(&unique).await?;
    println!("seeded {n} users and {} friendships in {:.1} s", unique.len(), started.elapsed().as_secs_f64());

    let last = Arc::new(LastSent { at: (0..n).map(|_| Mutex::new((0.0, 0.0, None))).collect() });
    let counters = Arc::new(Counters::default());
    let index_of: Arc<std::collections::HashMap<i64, usize>> =
        Arc::new(ids.iter().enumerate().map(|(i, &id)| (id, i)).collect());
    let (latency_tx, mut latency_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u32>>();
    let measure_from = Instant::now() + Duration::from_secs(5) + Duration::from_secs_f64(load.interval_s);
    let connect_started = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    let (connected_tx, mut connected_rx) = tokio::sync::mpsc::channel::<anyhow::Result<()>>(n);
    for (i, token) in tokens.into_iter().enumerate() {
        let source = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1 + (i % usize::from(load.sources.max(1))) as u8));
        let ctx = Client {
            index: i,
            token,
            server: load.server[i % load.server.len().max(1)].clone(),
            source,
            interval: Duration::from_secs_f64(load.interval_s),
            until: measure_from + Duration::from_secs_f64(load.duration_s),
            measure_from,
            last: last.clone(),
            counters: counters.clone(),
            index_of: index_of.clone(),
            seed: load.seed.wrapping_add(i as u64),
        };
        let (latency_tx, connected_tx) = (latency_tx.clone(), connected_tx.clone());
        tasks.push(tokio::spawn(async move { ctx.run(connected_tx, latency_tx).await }));
        // Pace the handshakes a little so the accept queue keeps up.
        if i % 200 == 199 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    drop((latency_tx, connected_tx));
    let mut failed = 0;
    for _ in 0..n {
        if let Some(Err(e)) = connected_rx.recv().await {
            failed += 1;
            if failed <= 3 {
                eprintln!("connection failed: {e:#}");
            }
        }
    }
    println!("connected {} of {n} clients in {:.1} s", n - failed, connect_started.elapsed().as_secs_f64());
    let cpu_before: Vec<Option<f64>> = load.server_pid.iter().map(|&p| process_cpu_s(p)).collect();
    let measure_started = Instant::now().max(measure_from);
    for t in tasks {
        let _ = t.await;
    }
    let measured_s = measure_started.elapsed().as_secs_f64().max(1e-3);
    let mut latencies: Vec<u32> = Vec::new();
    while let Some(mut batch) = latency_rx.recv().await {
        latencies.append(&mut batch);
    }
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    println!(
        "connections {} · friends each {} · interval {:.1} s · measured {:.1} s",
        n - failed,
        load.friends,
        load.interval_s,
        measured_s
    );
    println!(
        "updates sent {} · deliveries {} ({:.0}/s) · matched {} · errors {}",
        counters.sent.load(Ordering::Relaxed),
        counters.delivered.load(Ordering::Relaxed),
        counters.delivered.load(Ordering::Relaxed) as f64 / measured_s,
        latencies.len(),
        counters.errors.load(Ordering::Relaxed)
    );
    println!(
        "delivery latency ms: p50 {:.2} · p90 {:.2} · p99 {:.2} · max {:.2}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    let per_server = (n - failed).div_ceil(load.server_pid.len().max(1)).max(1);
    for (&pid, before) in load.server_pid.iter().zip(cpu_before) {
        let rss = process_rss_kib(pid).unwrap_or(0);
        let cpu = match (before, process_cpu_s(pid)) {
            (Some(a), Some(b)) => format!("{:.0} %", (b - a) / measured_s * 100.0),
            _ => "n/a".into(),
        };
        println!(
            "server {pid}: RSS {} MiB ({:.1} KiB per connection) · CPU {cpu} of one core",
            rss / 1024,
            rss as f64 / per_server as f64
        );
    }
    let own = process_cpu_s(std::process::id()).unwrap_or(0.0);
    println!("load generator CPU {:.0} s in all (it shares the machine)", own);
    Ok(())
}

struct Client {
    index: usize,
    token: String,
    server: String,
    source: IpAddr,
    interval: Duration,
    until: Instant,
    measure_from: Instant,
    last: Arc<LastSent>,
    counters: Arc<Counters>,
    index_of: Arc<std::collections::HashMap<i64, usize>>,
    seed: u64,
}

impl Client {
    async fn run(
        self,
        connected: tokio::sync::mpsc::Sender<anyhow::Result<()>>,
        latencies: tokio::sync::mpsc::UnboundedSender<Vec<u32>>,
    ) {
        let stream = match self.connect().await {
            Ok(s) => {
                let _ = connected.send(Ok(())).await;
                s
            }
            Err(e) => {
                let _ = connected.send(Err(e)).await;
                return;
            }
        };
        drop(connected);
        let (mut sink, mut source) = stream.split();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(self.seed);
        // Everyone within about 3 km of central Paris.
        let (mut lat, mut lng): (f64, f64) = (48.85 + rng.gen_range(-0.013..0.013), 2.35 + rng.gen_range(-0.02..0.02));
        let init = serde_json::json!({"type": "init", "latitude": lat, "longitude": lng}).to_string();
        if sink.send(Message::Text(init.into())).await.is_err() {
            return;
        }
        let first = tokio::time::Instant::now() + self.interval.mul_f64(rng.gen::<f64>());
        let mut tick = tokio::time::interval_at(first, self.interval);
        let mut samples = Vec::new();
        let deadline = tokio::time::Instant::from_std(self.until);
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => break,
                _ = tick.tick() => {
                    lat = (lat + rng.gen_range(-0.0002..0.0002)).clamp(48.83, 48.87);
                    lng = (lng + rng.gen_range(-0.0003..0.0003)).clamp(2.32, 2.38);
                    if let Ok(mut slot) = self.last.at[self.index].lock() {
                        *slot = (lat, lng, Some(Instant::now()));
                    }
                    let msg = serde_json::json!({"type": "location", "latitude": lat, "longitude": lng}).to_string();
                    if sink.send(Message::Text(msg.into())).await.is_err() {
                        break;
                    }
                    self.counters.sent.fetch_add(1, Ordering::Relaxed);
                }
                msg = source.next() => match msg {
                    Some(Ok(Message::Text(text))) => self.on_message(&text, &mut samples),
                    Some(Ok(_)) => {}
                    _ => break,
                },
            }
        }
        let _ = latencies.send(samples);
        let _ = sink.close().await;
    }

    fn on_message(&self, text: &str, samples: &mut Vec<u32>) {
        let now = Instant::now();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else { return };
        match v["type"].as_str() {
            Some("friend_location") => {
                self.counters.delivered.fetch_add(1, Ordering::Relaxed);
                let (Some(id), Some(lat), Some(lng)) =
                    (v["id"].as_i64(), v["latitude"].as_f64(), v["longitude"].as_f64())
                else {
                    return;
                };
                let Some(&from) = self.index_of.get(&id) else { return };
                let sent = self.last.at[from].lock().map(|s| *s).ok();
                if let Some((sent_lat, sent_lng, Some(at))) = sent {
                    if sent_lat == lat && sent_lng == lng && at >= self.measure_from {
                        self.counters.matched.fetch_add(1, Ordering::Relaxed);
                        samples.push(now.duration_since(at).as_micros().min(u128::from(u32::MAX)) as u32);
                    }
                }
            }
            Some("error") => {
                self.counters.errors.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }

    async fn connect(&self) -> anyhow::Result<tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>> {
        let addr: SocketAddr = tokio::net::lookup_host(&self.server).await?.next().context("the server address")?;
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::new(self.source, 0))?;
        let stream = socket.connect(addr).await.context("TCP connect")?;
        stream.set_nodelay(true)?;
        let url = format!("ws://{}/v1/nearby/ws?token={}", self.server, self.token);
        let (ws, _) = tokio_tungstenite::client_async(url, stream).await.context("WebSocket handshake")?;
        Ok(ws)
    }
}

fn process_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// User plus system CPU seconds of a process so far.
fn process_cpu_s(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let (utime, stime): (f64, f64) = (fields.get(11)?.parse().ok()?, fields.get(12)?.parse().ok()?);
    Some((utime + stime) / 100.0)
}
