//! `locus serve` configuration: one typed struct from flags, then `LOCUS_*` environment
//! variables, then defaults.

use clap::Args;
use locus_lbs::IndexKind;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The services one process can run; several processes may split them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Service {
    /// Users and business CRUD (`/v1/users`, `/v1/businesses`).
    Business,
    /// Location-based search (`/v1/search/*`).
    Lbs,
    /// Navigation (`/v1/nav`, OSRM's `/route/v1`, `/nearest/v1`, `/table/v1`) over the routing
    /// tiles in the data directory.
    Routing,
    /// Nearby friends: friendships and settings (`/v1/friends`, `/v1/nearby/settings`) and the
    /// live location WebSocket (`/v1/nearby/ws`).
    Nearby,
    /// Map tiles: the tile-URL API (`/v1/tiles/url`) and, with `--tiles DIR|FILE.pmtiles`,
    /// the tiles themselves (`/tiles/...`).
    Tiles,
}

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "LOCUS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory for the embedded SQLite database.
    #[arg(long, env = "LOCUS_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Services to run, comma separated.
    #[arg(long, env = "LOCUS_SERVICES", value_delimiter = ',', default_value = "business,lbs,routing,nearby,tiles")]
    pub services: Vec<Service>,
    /// MySQL/MariaDB URL (mysql://user:pass@host:port/db); embedded SQLite when absent.
    #[arg(long, env = "LOCUS_MYSQL_URL")]
    pub mysql_url: Option<String>,
    /// Redis URL (redis://host:port); in-process cache and pub/sub when absent.
    #[arg(long, env = "LOCUS_REDIS_URL")]
    pub redis_url: Option<String>,
    /// Redis Cluster nodes (host:port, comma separated) for pub/sub: channels become sharded
    /// channels (SSUBSCRIBE/SPUBLISH), spread over the cluster's masters by hash slot. The
    /// cache stays on --redis-url.
    #[arg(long, env = "LOCUS_REDIS_CLUSTER", value_delimiter = ',')]
    pub redis_cluster: Vec<String>,
    /// Prefix of every Redis key and channel, so several deployments can share one Redis.
    #[arg(long, env = "LOCUS_REDIS_NAMESPACE", default_value = "")]
    pub redis_namespace: String,
    /// Search index: geohash (SQL + cache), quadtree or rtree (in memory).
    #[arg(long, env = "LOCUS_INDEX", default_value = "quadtree")]
    pub index: IndexKind,
    /// A token that may change any business.
    #[arg(long, env = "LOCUS_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Do not load the demo region into an empty embedded database.
    #[arg(long, env = "LOCUS_NO_DEMO")]
    pub no_demo: bool,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "LOCUS_MAX_BODY_BYTES", default_value_t = 64 * 1024)]
    pub max_body_bytes: usize,
    /// How often each search instance re-reads the change feed, in milliseconds (announcements
    /// over pub/sub wake it sooner).
    #[arg(long, env = "LOCUS_CHANGE_POLL_MS", default_value_t = 1000)]
    pub change_poll_ms: u64,
    /// An OpenStreetMap file (.osm.pbf or .osm) to route on: its tiles are built into the data
    /// directory on start when they are missing or older than the file.
    #[arg(long, env = "LOCUS_OSM")]
    pub osm: Option<PathBuf>,
    /// Memory for cached routing tiles, per profile, in MiB.
    #[arg(long, env = "LOCUS_ROUTING_CACHE_MB", default_value_t = 512)]
    pub routing_cache_mb: u64,
    /// Tiles to serve at `/tiles/{z}/{x}/{y}.png|@2x.png|.mvt` and `/tiles/tiles.json`: a
    /// bucket directory (`{z}/{x}/{y}.{ext}` plus `tiles.json`) or a PMTiles archive (a file
    /// ending in `.pmtiles`, also served whole at `/tiles/tiles.pmtiles`).
    #[arg(long, env = "LOCUS_TILES", value_name = "DIR|FILE.pmtiles")]
    pub tiles: Option<PathBuf>,
    /// Memory for ready tile responses kept in front of the tile source, in MiB (0: none).
    #[arg(long, env = "LOCUS_TILES_CACHE_MB", default_value_t = 64)]
    pub tiles_cache_mb: u64,
    /// `Cache-Control: max-age` of served tiles, in seconds.
    #[arg(long, env = "LOCUS_TILES_MAX_AGE_S", default_value_t = 86_400)]
    pub tiles_max_age_s: u64,
    /// Where map tiles are served from (a CDN in production), as the tile-URL API hands them out.
    #[arg(long, env = "LOCUS_TILES_BASE_URL", default_value = "/tiles")]
    pub tiles_base_url: String,
    /// Nearby friends: the radius for users who did not choose one, in metres (5 miles).
    #[arg(long, env = "LOCUS_NEARBY_RADIUS_M", default_value_t = locus_nearby::config::DEFAULT_RADIUS_M)]
    pub nearby_radius_m: f64,
    /// Nearby friends: seconds after a user's last update that they count as inactive.
    #[arg(long, env = "LOCUS_NEARBY_TTL_S", default_value_t = 600)]
    pub nearby_ttl_s: u64,
    /// Nearby friends: messages a connection may send per second before it is refused.
    #[arg(long, env = "LOCUS_NEARBY_MAX_UPDATES_PER_S", default_value_t = 5)]
    pub nearby_max_updates_per_s: u32,
    /// Nearby friends: the most friends one user may have.
    #[arg(long, env = "LOCUS_NEARBY_MAX_FRIENDS", default_value_t = 5000)]
    pub nearby_max_friends: usize,
}

impl ServeConfig {
    pub fn runs(&self, service: Service) -> bool {
        self.services.contains(&service)
    }

    /// The nearby service's settings from these flags.
    pub fn nearby(&self) -> locus_nearby::NearbyConfig {
        locus_nearby::NearbyConfig {
            default_radius_m: self.nearby_radius_m,
            location_ttl: Duration::from_secs(self.nearby_ttl_s.max(1)),
            max_updates_per_s: self.nearby_max_updates_per_s.max(1),
            max_friends: self.nearby_max_friends,
            ..Default::default()
        }
    }

    pub fn change_poll(&self) -> Duration {
        Duration::from_millis(self.change_poll_ms.max(10))
    }

    /// Defaults with the given data directory and address, for tests and embedding.
    pub fn embedded(data_dir: PathBuf, addr: SocketAddr) -> Self {
        ServeConfig {
            addr,
            data_dir,
            services: vec![Service::Business, Service::Lbs, Service::Routing, Service::Nearby, Service::Tiles],
            osm: None,
            routing_cache_mb: 512,
            mysql_url: None,
            redis_url: None,
            redis_cluster: Vec::new(),
            redis_namespace: String::new(),
            index: IndexKind::Quadtree,
            admin_token: None,
            no_demo: true,
            max_body_bytes: 64 * 1024,
            change_poll_ms: 1000,
            tiles: None,
            tiles_cache_mb: 64,
            tiles_max_age_s: 86_400,
            tiles_base_url: "/tiles".into(),
            nearby_radius_m: locus_nearby::config::DEFAULT_RADIUS_M,
            nearby_ttl_s: 600,
            nearby_max_updates_per_s: 5,
            nearby_max_friends: 5000,
        }
    }
}
