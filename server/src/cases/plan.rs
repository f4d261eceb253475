//! The correction plan (矫正方案): one per person, versioned, never overwritten.

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{PlanUpdateRequest, PlanView, Problem};
use huijiao_core::model::AuditAction;
use huijiao_core::ErrorCode;
use huijiao_core::Said;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::{find_case, find_case_for_write, strings};
use crate::audit::Actor;
use crate::auth::extractor::{AuthUser, Officer};
use crate::entities::correction_plan;
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::state::AppState;
use crate::validate::check_paragraphs;
use crate::work::Work;

fn plan_view(p: correction_plan::Model) -> PlanView {
    PlanView {
        case_id: p.case_id,
        version: p.version,
        measures: strings(&p.measures),
        text: p.text,
        created_by: p.created_by,
        created_at: p.created_at,
    }
}

/// Saves a new version of the plan, based on `base_version` (0 for the first).
#[utoipa::path(put, path = "/cases/{id}/plan", tag = "cases", params(("id" = Uuid, Path)), request_body = PlanUpdateRequest,
    responses((status = 201, body = PlanView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_plan(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<PlanUpdateRequest>,
) -> ApiResult<(StatusCode, Json<PlanView>)> {
    check_paragraphs("text", &req.text, 20_000)?;
    if req.measures.is_empty() || req.measures.len() > 100 {
        return Err(ApiError::field(
            "measures",
            Said::new("1 to 100 measures", "须有 1 到 100 项措施"),
        ));
    }
    for (i, m) in req.measures.iter().enumerate() {
        check_paragraphs(&format!("measures[{i}]"), m, 1000)?;
    }
    let work = Work::begin(&state).await?;
    find_case_for_write(work.db(), &caller, id).await?;
    let latest = correction_plan::Entity::find()
        .filter(correction_plan::Column::CaseId.eq(id))
        .order_by_desc(correction_plan::Column::Version)
        .one(work.db())
        .await?
        .map_or(0, |p| p.version);
    if latest != req.base_version {
        return Err(ErrorCode::PlanVersionConflict.into());
    }
    let plan = correction_plan::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        version: Set(latest + 1),
        text: Set(req.text.trim().into()),
        measures: Set(json!(req
            .measures
            .iter()
            .map(|m| m.trim())
            .collect::<Vec<_>>())),
        created_by: Set(caller.id),
        created_at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await
    .map_err(|e| match ApiError::from(e) {
        // Another officer saved the same base version a moment earlier.
        e if e.code == ErrorCode::Conflict => ErrorCode::PlanVersionConflict.into(),
        e => e,
    })?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::PlanUpdated,
        "case",
        id,
        json!({ "version": plan.version }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(plan_view(plan))))
}

/// The current plan.
#[utoipa::path(get, path = "/cases/{id}/plan", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = PlanView), (status = 404, body = Problem)))]
pub async fn get_plan(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<PlanView>> {
    find_case(&state.db, &caller, id).await?;
    let plan = correction_plan::Entity::find()
        .filter(correction_plan::Column::CaseId.eq(id))
        .order_by_desc(correction_plan::Column::Version)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(plan_view(plan)))
}

/// Every version of the plan, oldest first.
#[utoipa::path(get, path = "/cases/{id}/plans", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<PlanView>), (status = 404, body = Problem)))]
pub async fn list_plans(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<PlanView>>> {
    find_case(&state.db, &caller, id).await?;
    let plans = correction_plan::Entity::find()
        .filter(correction_plan::Column::CaseId.eq(id))
        .order_by_asc(correction_plan::Column::Version)
        .all(&state.db)
        .await?;
    Ok(Json(plans.into_iter().map(plan_view).collect()))
}
