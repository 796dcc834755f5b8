//! Every Prometheus metric family Locus exports, in one place.

use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry};
use std::sync::LazyLock;

/// The metric families; [`metrics()`] returns the process-wide instance.
pub struct Metrics {
    pub registry: Registry,
    /// `locus_http_requests_total{route,method,status}`
    pub http_requests: IntCounterVec,
    /// `locus_http_request_duration_seconds{route,method}`
    pub http_duration: HistogramVec,
    /// `locus_cache_requests_total{cache,result="hit"|"miss"|"error"}`
    pub cache_requests: IntCounterVec,
    /// `locus_index_entries{index}`: businesses held by the in-memory search index.
    pub index_entries: IntGaugeVec,
    /// `locus_change_feed_applied_total{index}`: business changes applied to a search index.
    pub change_feed_applied: IntCounterVec,
    /// `locus_routing_tile_cache{profile,stat="loads"|"hits"|"cached_tiles"|"cached_bytes"|"overlay_jumps"}`:
    /// the routing tile cache, and how many overlay cells searches have jumped across, read
    /// from the router at each scrape.
    pub routing_tile_cache: IntGaugeVec,
    /// `locus_nearby_connections`: open nearby-friends WebSocket connections.
    pub nearby_connections: IntGauge,
    /// `locus_nearby_messages_total{direction="in"|"out",type}`: WebSocket messages by type.
    pub nearby_messages: IntCounterVec,
    /// `locus_nearby_history_rows_total{result="written"|"refused"|"lost"}`: location history rows.
    pub nearby_history_rows: IntCounterVec,
}

/// The names of every family, for tests and documentation.
pub const FAMILIES: [&str; 9] = [
    "locus_http_requests_total",
    "locus_http_request_duration_seconds",
    "locus_cache_requests_total",
    "locus_index_entries",
    "locus_change_feed_applied_total",
    "locus_routing_tile_cache",
    "locus_nearby_connections",
    "locus_nearby_messages_total",
    "locus_nearby_history_rows_total",
];

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process-wide metric families.
pub fn metrics() -> &'static Metrics {
    &METRICS
}

impl Metrics {
    fn new() -> Self {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new(FAMILIES[0], "HTTP requests by route, method and status"),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let http_duration = HistogramVec::new(
            HistogramOpts::new(FAMILIES[1], "HTTP request latency by route").buckets(vec![
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            &["route", "method"],
        )
        .expect("valid metric");
        let cache_requests =
            IntCounterVec::new(Opts::new(FAMILIES[2], "Cache look-ups by cache and result"), &["cache", "result"])
                .expect("valid metric");
        let index_entries =
            IntGaugeVec::new(Opts::new(FAMILIES[3], "Entries in the search index"), &["index"]).expect("valid metric");
        let change_feed_applied =
            IntCounterVec::new(Opts::new(FAMILIES[4], "Business changes applied to the search index"), &["index"])
                .expect("valid metric");
        let routing_tile_cache = IntGaugeVec::new(
            Opts::new(
                FAMILIES[5],
                "Routing tiles loaded from disk, cache hits, and tiles and bytes cached, by profile",
            ),
            &["profile", "stat"],
        )
        .expect("valid metric");
        let nearby_connections =
            IntGauge::new(FAMILIES[6], "Open nearby-friends WebSocket connections").expect("valid metric");
        let nearby_messages = IntCounterVec::new(
            Opts::new(FAMILIES[7], "Nearby-friends WebSocket messages by direction and type"),
            &["direction", "type"],
        )
        .expect("valid metric");
        let nearby_history_rows =
            IntCounterVec::new(Opts::new(FAMILIES[8], "Location history rows by outcome"), &["result"])
                .expect("valid metric");
        for c in [
            Box::new(http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(http_duration.clone()),
            Box::new(cache_requests.clone()),
            Box::new(index_entries.clone()),
            Box::new(change_feed_applied.clone()),
            Box::new(routing_tile_cache.clone()),
            Box::new(nearby_connections.clone()),
            Box::new(nearby_messages.clone()),
            Box::new(nearby_history_rows.clone()),
        ] {
            registry.register(c).expect("metric registered once");
        }
        Metrics {
            registry,
            http_requests,
            http_duration,
            cache_requests,
            index_entries,
            change_feed_applied,
            routing_tile_cache,
            nearby_connections,
            nearby_messages,
            nearby_history_rows,
        }
    }

    /// The text exposition format of every family.
    pub fn render(&self) -> String {
        let encoder = prometheus::TextEncoder::new();
        encoder.encode_to_string(&self.registry.gather()).unwrap_or_default()
    }
}
