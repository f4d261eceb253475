//! Shared application state, built from parts that do not import it back: keys
//! (`auth::tokens`, `secrets`), media (`media`), the event bus (`events::bus`), the fence index
//! (`locations::index`), the unit-path cache (`org::paths`), push (`push`) and the live
//! roll calls (`rollcalls::peer`).

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::tokens::JwtKeys;
use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub jwt: Arc<JwtKeys>,
    /// Key of the HMAC that stands in for national ids (duplicate detection without storing them).
    pub id_hmac_key: Arc<[u8; 32]>,
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// Loaded by `serve` (or a test); check-ins answer `checkin.face_unavailable` without it.
    pub face: Option<Arc<huijiao_core::face::FaceEngine>>,
    pub media: crate::media::MediaStore,
    pub events: crate::events::bus::EventBus,
    /// Fences in force, in memory (R-tree).
    pub fences: crate::locations::index::SharedIndex,
    pub unit_paths: crate::org::paths::PathCache,
    /// Push notifications to phones (in-process until a vendor client is configured).
    pub push: Arc<dyn crate::push::Push>,
    /// Face work of live roll calls in flight, over all calls (`roll_calls.judge_workers`).
    pub rollcall_pool: Arc<tokio::sync::Semaphore>,
    /// Roll calls whose video is flowing now, for officers to join.
    pub live_calls: crate::rollcalls::peer::LiveCalls,
    /// Heartbeats waiting for the next group commit.
    pub beat_queue: crate::group_commit::GroupCommit<crate::learning::beat_queue::BeatJob>,
    /// The time every handler and job reads (tests set it).
    pub clock: crate::clock::Clock,
    /// Sign-ins in line per name (`auth::throttle::Gates`).
    pub login_gates: crate::auth::throttle::Gates,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> anyhow::Result<AppState> {
        crate::secrets::make_private(&config.data_dir)?;
        let jwt_path = config
            .auth
            .jwt_key_file
            .clone()
            .unwrap_or_else(|| config.data_dir.join("jwt-ed25519.pk8"));
        let jwt = JwtKeys::load_or_generate(&jwt_path, &config.auth)?;
        let hmac_path = config
            .auth
            .id_hmac_key_file
            .clone()
            .unwrap_or_else(|| config.data_dir.join("id-hmac.key"));
        let key = crate::secrets::load_or_generate_secret(&hmac_path, 32, |_| Ok(()))?;
        let id_hmac_key: [u8; 32] = key
            .try_into()
            .map_err(|_| anyhow::anyhow!("{} must hold exactly 32 bytes", hmac_path.display()))?;
        let media = crate::media::MediaStore::local(
            &config
                .media_dir
                .clone()
                .unwrap_or_else(|| config.data_dir.join("media")),
            &config
                .media_key_file
                .clone()
                .unwrap_or_else(|| config.data_dir.join("media.key")),
            &config.media_old_key_files,
        )?;
        Ok(AppState {
            clock: crate::clock::Clock::system(),
            login_gates: Default::default(),
            face: None,
            media,
            events: crate::events::bus::EventBus::default(),
            fences: Default::default(),
            unit_paths: Default::default(),
            push: Arc::new(crate::push::InProcessPush::default()),
            live_calls: Default::default(),
            // PostgreSQL takes several batches at once (row locks keep them apart); SQLite
            // writes one transaction at a time whatever we do.
            beat_queue: crate::group_commit::GroupCommit::new(
                match sea_orm::ConnectionTrait::get_database_backend(&db) {
                    sea_orm::DatabaseBackend::Sqlite => 1,
                    _ => config.heartbeat_writers,
                },
            ),
            rollcall_pool: Arc::new(tokio::sync::Semaphore::new(config.roll_calls.judge_workers)),
            db,
            config: Arc::new(config),
            jwt: Arc::new(jwt),
            id_hmac_key: Arc::new(id_hmac_key),
            metrics: None,
        })
    }

    /// Keyed hash of a national id: equal ids give equal hashes, the id cannot be read back.
    pub fn id_hash(&self, normalised_id: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&self.id_hmac_key[..])
            .expect("HMAC takes any key length");
        mac.update(normalised_id.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}
