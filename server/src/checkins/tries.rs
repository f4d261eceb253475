//! The day's check-in tries: failed and doubtful check-ins and poses not shown count, over the
//! last 24 hours or since an officer last reset them; at the limit the check-in code is refused
//! (429) and the app tells the supervisee to call their officer, who can give the tries back.

use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use huijiao_core::api::{CheckinTriesReset, CheckinTriesView, Problem};
use huijiao_core::model::AuditAction;
use huijiao_core::policy::checkin::CheckinResult;
use huijiao_core::ErrorCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::Actor;
use crate::auth::extractor::{Officer, RequestParty};
use crate::cases::{find_case, find_case_for_write};
use crate::config::CheckinConfig;
use crate::entities::{checkin, checkin_rejection, checkin_try_reset};
use crate::error::{ApiResult, Json, Path};
use crate::state::AppState;
use crate::validate::check_text;
use crate::work::Work;

/// The case's tries as of `now`.
pub async fn tries(
    db: &impl ConnectionTrait,
    cfg: &CheckinConfig,
    case_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<CheckinTriesView> {
    let last_reset = checkin_try_reset::Entity::find()
        .filter(checkin_try_reset::Column::CaseId.eq(case_id))
        .order_by_desc(checkin_try_reset::Column::CreatedAt)
        .one(db)
        .await?
        .map(|r| r.created_at);
    let since = last_reset.map_or(now - Duration::hours(24), |r| {
        r.max(now - Duration::hours(24))
    });
    let failed = checkin::Entity::find()
        .filter(checkin::Column::CaseId.eq(case_id))
        .filter(checkin::Column::CreatedAt.gte(since))
        .filter(checkin::Column::Result.ne(CheckinResult::Passed.as_str()))
        .count(db)
        .await?;
    // A head that does not turn as asked is someone trying photos, or someone who needs the
    // officer's help: either way it counts (a blurred or dark photo does not).
    let poses_not_shown = checkin_rejection::Entity::find()
        .filter(checkin_rejection::Column::CaseId.eq(case_id))
        .filter(checkin_rejection::Column::CreatedAt.gte(since))
        .filter(checkin_rejection::Column::Code.eq(ErrorCode::LivenessPoseNotMet.code()))
        .count(db)
        .await?;
    let used = u32::try_from(failed + poses_not_shown).unwrap_or(u32::MAX);
    let limit = u32::try_from(cfg.max_failed_per_day).unwrap_or(u32::MAX);
    Ok(CheckinTriesView {
        used,
        limit,
        remaining: limit.saturating_sub(used),
        since,
        last_reset_at: last_reset,
    })
}

/// 429 once the case has used the day's tries (the app then tells the supervisee to call
/// their officer).
pub async fn refuse_over_cap(
    db: &impl ConnectionTrait,
    cfg: &CheckinConfig,
    case_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if tries(db, cfg, case_id, now).await?.remaining == 0 {
        return Err(ErrorCode::TooManyAttempts.into());
    }
    Ok(())
}

/// The case's check-in tries today (the supervisee sees their own).
#[utoipa::path(get, path = "/cases/{id}/checkin-tries", tag = "checkins", params(("id" = Uuid, Path)),
    responses((status = 200, body = CheckinTriesView), (status = 404, body = Problem)))]
pub async fn checkin_tries(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<CheckinTriesView>> {
    let c = find_case(&state.db, &caller, id).await?;
    let now = state.clock.now();
    Ok(Json(
        tries(&state.db, &state.config.checkin, c.id, now).await?,
    ))
}

/// Gives the supervisee the day's tries back (after a call, a camera fixed, a photo retaken at
/// the office): what failed stays on record, only the count starts again. Audited.
#[utoipa::path(post, path = "/cases/{id}/checkin-tries/reset", tag = "checkins", params(("id" = Uuid, Path)), request_body = CheckinTriesReset,
    responses((status = 200, body = CheckinTriesView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reset_checkin_tries(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<CheckinTriesReset>,
) -> ApiResult<Json<CheckinTriesView>> {
    check_text("reason", &req.reason, 500)?;
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    huijiao_core::policy::require_active(c.status)?;
    let now = state.clock.now();
    let before = tries(work.db(), &state.config.checkin, c.id, now).await?;
    checkin_try_reset::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        reset_by: Set(caller.id),
        reason: Set(req.reason.trim().into()),
        created_at: Set(now),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::CheckinTriesRestored,
        "case",
        c.id,
        json!({ "used_before": before.used, "reason": req.reason.trim() }),
    )
    .await?;
    let after = tries(work.db(), &state.config.checkin, c.id, now).await?;
    work.commit().await?;
    Ok(Json(after))
}
