//! Huijiao server: the record of community corrections. Organised by domain; each domain
//! module exposes `routes()` merged under `/api/v1` in `app`.

pub mod actor;
pub mod alerts;
pub mod apidoc;
pub mod app;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod casefile;
pub mod cases;
pub mod checkins;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod entities;
pub mod error;
pub mod events;
pub mod group_commit;
pub mod help;
pub mod investigations;
pub mod jobs;
pub mod learning;
pub mod ledger;
pub mod locations;
pub mod media;
pub mod org;
pub mod paging;
pub mod pdf;
pub mod push;
pub mod queue;
pub mod requests;
pub mod rollcalls;
pub mod sanctions;
pub mod secrets;
pub mod service;
pub mod state;
pub mod transition;
pub mod validate;
pub mod visits;
pub mod work;

use std::net::SocketAddr;

use config::Config;
use state::AppState;

/// Connects, migrates and builds the state: everything `serve` needs before listening.
pub async fn prepare(config: Config) -> anyhow::Result<AppState> {
    secrets::make_private(&config.data_dir)?;
    let db = db::connect(&config.database_url(), config.db_max_connections).await?;
    db::migrate(&db).await?;
    AppState::new(db, config)
}

/// Loads and checks the face models named in the configuration (a start-up error if missing
/// or altered). A relative `model_dir` is taken from the working directory, so the error names
/// the folder it resolved to and how to fill it.
pub fn load_face(state: &mut AppState) -> anyhow::Result<()> {
    let dir = std::path::absolute(&state.config.model_dir)?;
    let engine = huijiao_core::face::FaceEngine::load(&dir, state.config.checkin.quality)
        .map_err(|e| {
            anyhow::anyhow!(
                "face models: {e}\n  looked in {} (model_dir = {:?}{})\n  fix: set HUIJIAO_MODEL_DIR \
                 (or model_dir in the config file) to the folder with the three models, or build \
                 them there with `scripts/rebuild-models.sh {}`",
                dir.display(),
                state.config.model_dir,
                if state.config.model_dir.is_relative() {
                    ", relative to the working directory"
                } else {
                    ""
                },
                dir.display(),
            )
        })?;
    state.face = Some(std::sync::Arc::new(engine));
    Ok(())
}

/// Serves until `shutdown` resolves, then drains in-flight requests.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let events = state.events.clone();
    let shutdown = async move {
        shutdown.await;
        events.close();
    };
    let app = app::router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}
