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
        .routes(routes!(submit::get_checkin))
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

/// What a face check-in proves of someone's presence at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Passed, fresh, and taken within the place's radius.
    There,
    /// Not the case's, not passed, or not fresh.
    NotPassed,
    /// Passed, but its own fix was elsewhere (or too poor to place it).
    Elsewhere,
}

/// What check-in `id` proves of the case's person being at `place` (centre, radius in metres)
/// at `at`: it must be their own, passed, taken within `fresh_secs` of `at`, and its own fix
/// inside the place — a face taken at home proves nothing at the office.
pub async fn presence(
    db: &impl sea_orm::ConnectionTrait,
    rules: &huijiao_core::policy::checkin::LocationRules,
    case_id: uuid::Uuid,
    id: uuid::Uuid,
    place: ((f64, f64), u32),
    at: chrono::DateTime<chrono::Utc>,
    fresh_secs: u32,
) -> ApiResult<Presence> {
    use crate::entities::checkin;
    use huijiao_core::policy::checkin::{at_place, AtPlace, CheckinResult, Fix};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let fresh = chrono::Duration::seconds(i64::from(fresh_secs));
    let Some(k) = checkin::Entity::find_by_id(id)
        .filter(checkin::Column::CaseId.eq(case_id))
        .one(db)
        .await?
        .filter(|k| k.result == CheckinResult::Passed && (k.created_at - at).abs() <= fresh)
    else {
        return Ok(Presence::NotPassed);
    };
    let fix = Fix {
        lat: k.lat,
        lon: k.lon,
        accuracy_m: k.accuracy_m,
        fix_time: k.fix_time,
        mock: k.mock,
    };
    Ok(
        match at_place(rules, &fix, k.created_at, place.0, place.1) {
            AtPlace::Inside => Presence::There,
            AtPlace::Outside | AtPlace::Unusable => Presence::Elsewhere,
        },
    )
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
