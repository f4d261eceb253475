//! Configuration: defaults, then an optional TOML file, then `HUIJIAO_*` environment variables
//! (and `DATABASE_URL`). Every setting is documented in docs/operations.md.

use std::path::PathBuf;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: String,
    /// Where the SQLite database, generated keys and local media live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty = `sqlite://<data_dir>/huijiao.db`.
    pub database_url: String,
    /// Connection pool size for PostgreSQL (SQLite always uses one writer connection).
    pub db_max_connections: u32,
    /// Heartbeat batches written at once on PostgreSQL, each on a connection of the pool
    /// (SQLite writes one at a time). Why more than one: a batch waits on a dozen round trips
    /// and a commit; others overlap those waits.
    pub heartbeat_writers: usize,
    /// Log as JSON lines instead of human-readable text.
    pub log_json: bool,
    /// `tracing` filter, e.g. `info,huijiao_server=debug`.
    pub log_filter: String,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Requests running longer are stopped with `request.timeout`.
    pub request_timeout_secs: u64,
    /// What a large upload gets instead (a domain's `uploads`: a lesson's video or audio).
    pub upload_timeout_secs: u64,
    /// Origins allowed by CORS; empty = no cross-origin access.
    pub cors_origins: Vec<String>,
    /// Use the first `X-Forwarded-For` address as the client address (behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// How often background jobs (overdue leaves…) run, in seconds; 0 turns them off here.
    pub jobs_interval_secs: u64,
    /// This system's address as people and other systems reach it: printed on certificates
    /// so that anyone can check one, and the `homePage` of every exported xAPI actor.
    pub public_url: String,
    /// A font with Chinese glyphs (TrueType or OpenType, a collection's first face) that PDFs
    /// are written in; only the glyphs used are embedded.
    pub pdf_font: PathBuf,
    pub auth: AuthConfig,
    /// Directory with the three face models (sha256-checked at start).
    pub model_dir: PathBuf,
    /// Encrypted media: folder (default `<data_dir>/media`), 32-byte key file (default
    /// `<data_dir>/media.key`, generated), and older keys still accepted for reading.
    pub media_dir: Option<PathBuf>,
    pub media_key_file: Option<PathBuf>,
    pub media_old_key_files: Vec<PathBuf>,
    pub checkin: CheckinConfig,
    pub location: LocationConfig,
    pub roll_calls: RollCallConfig,
    /// The jurisdiction's rules: leave (notice, approval levels by length, standing approvals,
    /// 销假 check-in), relocation notice and which visits need approval; defaults are the
    /// national ones. Served to the apps at `GET /rules`.
    pub rules: huijiao_core::policy::JurisdictionRules,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocationConfig {
    /// Dwell, edge margin, accuracy, speed and silence limits.
    pub limits: huijiao_core::policy::location::LocationLimits,
    /// Most points in one batch.
    pub max_batch_points: usize,
    /// Fixes older than this (the phone was offline) are refused, days.
    pub max_fix_age_days: i64,
    /// Raw points are deleted after this many days.
    pub keep_days: i64,
    /// After this many days, points are thinned to one per `thin_bucket_minutes`.
    pub thin_after_days: i64,
    pub thin_bucket_minutes: i64,
}

impl Default for LocationConfig {
    fn default() -> Self {
        LocationConfig {
            limits: Default::default(),
            max_batch_points: 1000,
            max_fix_age_days: 30,
            keep_days: 365,
            thin_after_days: 90,
            thin_bucket_minutes: 15,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckinConfig {
    /// How long a check-in code lives.
    pub challenge_ttl_secs: i64,
    /// Failed (or review) check-ins a day before the app is told to call the officer.
    pub max_failed_per_day: u64,
    /// A photo whose aligned-face hash is within this many bits of a recent one is a replay.
    pub replay_max_hamming: u32,
    /// How many recent check-ins the replay check looks at.
    pub replay_lookback: u64,
    pub location: huijiao_core::policy::checkin::LocationRules,
    #[serde(rename = "match")]
    pub match_policy: huijiao_core::face::MatchPolicy,
    pub quality: huijiao_core::face::QualityLimits,
    pub retention: huijiao_core::policy::checkin::RetentionRules,
}

impl Default for CheckinConfig {
    fn default() -> Self {
        CheckinConfig {
            challenge_ttl_secs: 120,
            max_failed_per_day: 3,
            replay_max_hamming: 6,
            replay_lookback: 50,
            location: Default::default(),
            match_policy: Default::default(),
            quality: Default::default(),
            retention: Default::default(),
        }
    }
}

/// The server's side of video roll calls (`[roll_calls]`; the jurisdiction's rules for them are
/// `[rules.roll_calls]`). Each call is one UDP socket on `bind`; phones reach it directly, so
/// `bind` (or `advertise`, behind a 1:1 NAT) must be an address they can reach, and the port
/// range open in the firewall.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RollCallConfig {
    pub bind: std::net::IpAddr,
    pub advertise: Option<std::net::IpAddr>,
    /// UDP ports the calls use, inclusive; `0, 0` = any the system gives.
    pub port_min: u16,
    pub port_max: u16,
    /// One picture judged per this many milliseconds of video.
    pub sample_every_ms: u64,
    /// A call whose video stops this long ends (connection lost).
    pub idle_timeout_secs: u64,
    /// After answering, video must arrive within this, or the call rings again.
    pub connect_timeout_secs: u64,
    /// Pictures judged at once over all calls (each takes a core for ~20 ms); beyond it a
    /// call's picture waits its turn while its peer drops the ones it cannot queue.
    pub judge_workers: usize,
    /// STUN/TURN servers handed to the apps (e.g. a `coturn` for phones behind symmetric NAT).
    pub ice_servers: Vec<huijiao_core::api::IceServerView>,
    /// Days a call's snapshot is kept, then purged (the verdict stays).
    pub snapshot_keep_days: i64,
}

impl Default for RollCallConfig {
    fn default() -> Self {
        RollCallConfig {
            bind: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            advertise: None,
            port_min: 0,
            port_max: 0,
            sample_every_ms: 1000,
            idle_timeout_secs: 10,
            connect_timeout_secs: 20,
            judge_workers: 2,
            ice_servers: vec![],
            snapshot_keep_days: 180,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// JWT issuer and audience.
    pub issuer: String,
    pub audience: String,
    /// PKCS#8 DER Ed25519 key; empty = `<data_dir>/jwt-ed25519.pk8`, generated on first start.
    pub jwt_key_file: Option<PathBuf>,
    /// 32-byte key (file) for the keyed hash of national ids; generated like the JWT key.
    pub id_hmac_key_file: Option<PathBuf>,
    pub access_ttl_secs: i64,
    /// Clock skew tolerated on token expiry, seconds.
    pub clock_leeway_secs: u64,
    pub refresh_ttl_secs: i64,
    /// Failed logins in a row before the account locks.
    pub lockout_threshold: i32,
    pub lockout_minutes: i64,
    /// Failed logins from one client address (any user names) before that address is
    /// refused for `lockout_minutes`: one address cannot lock every account it can name.
    pub address_max_failures: i32,
    /// Argon2id cost: memory in KiB, iterations, parallelism (OWASP defaults).
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            db_max_connections: 10,
            heartbeat_writers: 2,
            log_json: false,
            log_filter: "info".into(),
            max_body_bytes: 1024 * 1024,
            request_timeout_secs: 30,
            upload_timeout_secs: 1800,
            cors_origins: vec![],
            trust_forwarded_for: false,
            jobs_interval_secs: 300,
            public_url: "https://huijiao.example".into(),
            pdf_font: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc".into(),
            auth: AuthConfig::default(),
            model_dir: PathBuf::from("../shared/models"),
            media_dir: None,
            media_key_file: None,
            media_old_key_files: vec![],
            checkin: CheckinConfig::default(),
            location: LocationConfig::default(),
            roll_calls: RollCallConfig::default(),
            rules: Default::default(),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            issuer: "huijiao".into(),
            audience: "huijiao-api".into(),
            jwt_key_file: None,
            id_hmac_key_file: None,
            access_ttl_secs: 600,
            clock_leeway_secs: 30,
            refresh_ttl_secs: 30 * 24 * 3600,
            lockout_threshold: 5,
            lockout_minutes: 15,
            address_max_failures: 20,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            argon2_parallelism: 1,
        }
    }
}

impl Config {
    /// Loads defaults < TOML file (if given) < `HUIJIAO_*` env (`__` separates nesting,
    /// e.g. `HUIJIAO_AUTH__LOCKOUT_THRESHOLD`) < `DATABASE_URL`.
    pub fn load(file: Option<&std::path::Path>) -> anyhow::Result<Config> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                anyhow::bail!("config file {} does not exist", file.display());
            }
            fig = fig.merge(Toml::file(file));
        }
        // Only variables naming a setting: HUIJIAO_CONFIG, HUIJIAO_ADMIN_PASSWORD and the
        // test suite's variables share the prefix but are not settings.
        let settings = serde_json::to_value(Config::default())?;
        let settings: Vec<String> = settings
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        fig = fig.merge(
            Env::prefixed("HUIJIAO_")
                .filter(move |key| {
                    let top = key
                        .as_str()
                        .split("__")
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    settings.contains(&top)
                })
                .split("__"),
        );
        // The rules are also an API type that must tolerate unknown fields (old apps, new
        // servers), so the configuration checks their keys here.
        let known = serde_json::to_value(huijiao_core::policy::JurisdictionRules::default())?;
        if let Ok(rules) = fig.find_value("rules") {
            check_known_keys("rules", &rules, &known)?;
        }
        if let Ok(url) = std::env::var("DATABASE_URL") {
            fig = fig.merge(Serialized::default("database_url", url));
        }
        let config: Config = fig.extract()?;
        config
            .rules
            .check()
            .map_err(|e| anyhow::anyhow!("rules.{e}"))?;
        if config.heartbeat_writers == 0
            || config.heartbeat_writers >= config.db_max_connections as usize
        {
            anyhow::bail!(
                "heartbeat_writers must be at least 1 and leave db_max_connections others"
            );
        }
        let rc = &config.roll_calls;
        if rc.port_min > rc.port_max || (rc.port_min == 0) != (rc.port_max == 0) {
            anyhow::bail!("roll_calls: port_min..=port_max must be a range, or both 0");
        }
        if rc.judge_workers == 0 || rc.sample_every_ms == 0 {
            anyhow::bail!("roll_calls: judge_workers and sample_every_ms must be at least 1");
        }
        Ok(config)
    }

    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("huijiao.db").display()
            )
        } else {
            self.database_url.clone()
        }
    }
}

/// Refuses a configured key that `known` (the defaults, as JSON) does not have, at any depth:
/// a misspelt rule would otherwise be ignored silently and the national default applied.
fn check_known_keys(
    at: &str,
    given: &figment::value::Value,
    known: &serde_json::Value,
) -> anyhow::Result<()> {
    for (key, value) in given.as_dict().into_iter().flatten() {
        let Some(inner) = known.get(key) else {
            anyhow::bail!("unknown setting {at}.{key}");
        };
        check_known_keys(&format!("{at}.{key}"), value, inner)?;
    }
    Ok(())
}
