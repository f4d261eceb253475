//! Face enrolment and face-verified check-ins: challenge → selfie + GPS fix → verdict.

mod enrol;
pub mod on_site;
pub mod requests;
pub mod retention;
mod review;
pub mod schedule;
mod submit;
pub mod tries;

use axum::extract::DefaultBodyLimit;
use base64::Engine;
use huijiao_core::Said;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiError, ApiResult};
use crate::jobs::announce;
use crate::state::AppState;

/// Photos travel base64 in JSON: up to 5 reference photos of a few MB each.
const PHOTO_BODY_LIMIT: usize = 40 * 1024 * 1024;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("checkins", routes).jobs(JOBS);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enrol::enrol_face, enrol::face_history))
        .routes(routes!(submit::challenge))
        .routes(routes!(submit::submit_checkin))
        .routes(routes!(submit::list_checkins))
        .routes(routes!(submit::checkin_photo))
        .routes(routes!(review::review_checkin))
        .routes(routes!(tries::checkin_tries))
        .routes(routes!(tries::reset_checkin_tries))
        .routes(routes!(
            schedule::declare_sensitive_period,
            schedule::list_sensitive_periods
        ))
        .routes(routes!(schedule::obligations))
        .routes(routes!(
            requests::request_checkin,
            requests::list_checkin_requests
        ))
        .layer(DefaultBodyLimit::max(PHOTO_BODY_LIMIT))
}

/// Whether the case has a passed check-in since `since` (销假 is made with one: it proves who
/// is back). Other domains ask this, never the check-in table.
pub async fn passed_since(
    db: &impl sea_orm::ConnectionTrait,
    case_id: uuid::Uuid,
    since: chrono::DateTime<chrono::Utc>,
) -> ApiResult<bool> {
    use crate::entities::checkin;
    use huijiao_core::policy::checkin::CheckinResult;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(checkin::Entity::find()
        .filter(checkin::Column::CaseId.eq(case_id))
        .filter(checkin::Column::Result.eq(CheckinResult::Passed.as_str()))
        .filter(checkin::Column::CreatedAt.gte(since))
        .one(db)
        .await?
        .is_some())
}

/// Whether check-in `id` is the case's own, passed, and no older than `fresh_secs`: a face
/// proving presence at a lecture or a service activity, moments after it was taken there.
pub async fn passed_lately(
    db: &impl sea_orm::ConnectionTrait,
    case_id: uuid::Uuid,
    id: uuid::Uuid,
    fresh_secs: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<bool> {
    use crate::entities::checkin;
    use huijiao_core::policy::checkin::CheckinResult;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let fresh = now - chrono::Duration::seconds(i64::from(fresh_secs));
    Ok(checkin::Entity::find_by_id(id)
        .filter(checkin::Column::CaseId.eq(case_id))
        .one(db)
        .await?
        .is_some_and(|k| k.result == CheckinResult::Passed && k.created_at >= fresh))
}

/// The case's enrolled face (its active template), if any. Check-ins, roll calls and the
/// random spot checks ask this, never the template table.
pub async fn active_template(
    db: &impl sea_orm::ConnectionTrait,
    case_id: uuid::Uuid,
) -> ApiResult<Option<crate::entities::face_template::Model>> {
    use crate::entities::face_template;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(face_template::Entity::find()
        .filter(face_template::Column::CaseId.eq(case_id))
        .filter(face_template::Column::Active.eq(true))
        .one(db)
        .await?)
}

pub fn decode_photo(field: &str, b64: &str) -> ApiResult<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| {
            ApiError::field(
                field,
                Said::new("base64 of a JPEG or PNG", "须为 JPEG 或 PNG 的 base64"),
            )
        })
        .and_then(|b| {
            if b.is_empty() {
                Err(ApiError::field(field, Said::new("empty", "不能为空")))
            } else {
                Ok(b)
            }
        })
}

/// How a photo is read: a selfie, or a reference photo taken at the office (stricter: one
/// person only, even in the background).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    Selfie,
    Reference,
}

/// Analyses photos off the async executor (face work is CPU-bound); the first that fails
/// comes back with its index.
pub async fn analyze_photos(
    engine: std::sync::Arc<huijiao_core::face::FaceEngine>,
    photos: std::sync::Arc<Vec<Vec<u8>>>,
    kind: PhotoKind,
) -> ApiResult<Result<Vec<huijiao_core::face::FaceAnalysis>, (usize, huijiao_core::face::FaceError)>>
{
    tokio::task::spawn_blocking(move || {
        photos
            .iter()
            .enumerate()
            .map(|(i, p)| {
                match kind {
                    PhotoKind::Selfie => engine.analyze(p),
                    PhotoKind::Reference => engine.analyze_reference(p),
                }
                .map_err(|e| (i, e))
            })
            .collect()
    })
    .await
    .map_err(ApiError::internal)
}

/// A face-engine failure as an API error naming the photo.
pub fn face_error(field: String, e: huijiao_core::face::FaceError) -> ApiError {
    let code = e.code();
    if code == huijiao_core::ErrorCode::Internal {
        return ApiError::internal(e);
    }
    ApiError::from(code).naming(field, code.into())
}

/// Periodic work of this domain (run by `jobs`).
pub const JOBS: &[crate::jobs::Job] = &[
    crate::jobs::Job {
        name: "checkins.missed",
        run: |s, w, now| {
            Box::pin(async move {
                Ok(announce(
                    w,
                    schedule::mark_missed(w.db(), &s.config.rules, now).await?,
                ))
            })
        },
    },
    crate::jobs::Job {
        name: "checkins.requests_expired",
        run: |_, w, now| {
            Box::pin(async move { Ok(announce(w, requests::mark_expired(w.db(), now).await?)) })
        },
    },
    crate::jobs::Job {
        name: "checkins.random_requests",
        run: |s, w, now| {
            Box::pin(async move {
                let mut roll = || rand::random::<f64>();
                let interval = s.config.jobs_interval_secs.max(60);
                let events = requests::ask_at_random(
                    w.db(),
                    &s.config.rules.checkin_band,
                    now,
                    interval,
                    &mut roll,
                )
                .await?;
                Ok(announce(w, events))
            })
        },
    },
    crate::jobs::Job {
        name: "checkins.retention",
        run: |s, w, now| {
            Box::pin(async move {
                let purged =
                    retention::purge(w.db(), &s.media, &s.config.checkin.retention, now).await?;
                Ok(purged.checkin_photos as u64)
            })
        },
    },
];
