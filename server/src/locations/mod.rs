//! Location reports and electronic fences (电子围墙): batches from the phone, fences drawn by
//! officers, the state-based rules that turn fixes into violations, tracks, positions, and the
//! periodic silence and retention work.

pub(crate) mod demo;
pub mod fences;
pub mod index;
pub mod ingest;
pub mod monitor;
pub mod rules;
mod track;

use chrono::{DateTime, Utc};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::{effective_level, Jurisdiction};
use sea_orm::ConnectionTrait;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::entities::case;
use crate::error::ApiResult;
use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain =
    crate::domain::Domain::new("locations", routes).jobs(JOBS);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ingest::submit_batch))
        .routes(routes!(fences::create_fence, fences::list_fences))
        .routes(routes!(fences::own_areas))
        .routes(routes!(
            fences::get_fence,
            fences::update_fence,
            fences::archive_fence
        ))
        .routes(routes!(track::track))
        .routes(routes!(track::current_positions))
}

pub async fn in_sensitive_period_at(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
) -> ApiResult<bool> {
    crate::checkins::schedule::in_sensitive_period(db, local_date(at)).await
}

/// Minutes between location reports for the level in force (one stricter in a sensitive period).
pub fn interval_for(j: &Jurisdiction, c: &case::Model, sensitive: bool) -> u32 {
    j.obligations(effective_level(c.level, sensitive))
        .location_interval_minutes
}

pub async fn interval_minutes(
    db: &impl ConnectionTrait,
    j: &Jurisdiction,
    c: &case::Model,
    at: DateTime<Utc>,
) -> ApiResult<u32> {
    Ok(interval_for(j, c, in_sensitive_period_at(db, at).await?))
}

/// Periodic work of this domain (run by `jobs`).
pub const JOBS: &[crate::jobs::Job] = &[
    crate::jobs::Job {
        name: "locations.silence",
        run: |s, w, now| {
            Box::pin(async move {
                let events = monitor::mark_silent(
                    w.db(),
                    &s.config.location,
                    &s.config.rules.supervision,
                    now,
                )
                .await?;
                Ok(crate::jobs::announce(w, events))
            })
        },
    },
    crate::jobs::Job {
        name: "locations.retention",
        run: |s, w, now| {
            Box::pin(async move {
                let purged = monitor::purge(w.db(), &s.config.location, now).await?;
                Ok(purged.deleted + purged.thinned)
            })
        },
    },
];
