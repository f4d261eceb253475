//! The correction team (矫正小组): officer, volunteers or social workers, family, employer.
//! A volunteer sees exactly the cases whose team they are on.

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{Problem, TeamMemberRequest, TeamMemberView};
use huijiao_core::model::{AuditAction, EventKind, Role, TeamMemberKind};
use huijiao_core::ErrorCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::{find_case, find_case_for_write};
use crate::audit::Actor;
use crate::auth::extractor::{AuthUser, Officer};
use crate::entities::{case, org_unit, team_member, user};
use crate::error::{ApiResult, Json, Path};
use crate::state::AppState;
use crate::validate::check_text;
use crate::work::Work;

fn member_view(m: team_member::Model) -> ApiResult<TeamMemberView> {
    Ok(TeamMemberView {
        id: m.id,
        kind: m.kind,
        user_id: m.user_id,
        name: m.name,
        phone: m.phone,
        relation: m.relation,
        added_at: m.added_at,
        removed_at: m.removed_at,
    })
}

/// A volunteer or social worker put on (or taken off: `removed_at`) a team hears of it live,
/// so their app lists the case at once (or stops).
async fn tell_helper(work: &Work, c: &case::Model, m: &TeamMemberView) -> ApiResult<()> {
    match (m.kind, m.user_id) {
        (TeamMemberKind::Volunteer | TeamMemberKind::SocialWorker, Some(helper)) => {
            work.notify_helper(c, helper, EventKind::TeamAssignment, m)
                .await
        }
        _ => Ok(()),
    }
}

/// Adds a member to the case's correction team.
#[utoipa::path(post, path = "/cases/{id}/team", tag = "cases", params(("id" = Uuid, Path)), request_body = TeamMemberRequest,
    responses((status = 201, body = TeamMemberView), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<TeamMemberRequest>,
) -> ApiResult<(StatusCode, Json<TeamMemberView>)> {
    check_text("name", &req.name, 200)?;
    let work = Work::begin(&state).await?;
    let txn = work.db();
    let c = find_case_for_write(txn, &caller, id).await?;
    let wanted_role = match req.kind {
        TeamMemberKind::Officer => Some(Role::Officer),
        TeamMemberKind::Volunteer | TeamMemberKind::SocialWorker => Some(Role::Volunteer),
        TeamMemberKind::Family | TeamMemberKind::Employer => None,
    };
    match (wanted_role, req.user_id) {
        (Some(role), Some(uid)) => {
            let u = user::Entity::find_by_id(uid)
                .one(txn)
                .await?
                .ok_or(ErrorCode::TeamMemberInvalid)?;
            let unit = match u.unit_id {
                Some(unit) => org_unit::Entity::find_by_id(unit).one(txn).await?,
                None => None,
            };
            if u.role != role || !unit.is_some_and(|unit| caller.covers_unit_path(&unit.path)) {
                return Err(ErrorCode::TeamMemberInvalid.into());
            }
            let already = team_member::Entity::find()
                .filter(team_member::Column::CaseId.eq(id))
                .filter(team_member::Column::UserId.eq(uid))
                .filter(team_member::Column::RemovedAt.is_null())
                .one(txn)
                .await?;
            if already.is_some() {
                return Err(ErrorCode::Conflict.into());
            }
        }
        (None, None) => {}
        _ => return Err(ErrorCode::TeamMemberInvalid.into()),
    }
    let m = team_member::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        kind: Set(req.kind),
        user_id: Set(req.user_id),
        name: Set(req.name.trim().into()),
        phone: Set(req.phone),
        relation: Set(req.relation),
        added_by: Set(caller.id),
        added_at: Set(state.clock.now()),
        removed_at: Set(None),
    }
    .insert(txn)
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::TeamMemberAdded,
        "case",
        id,
        json!({ "member_id": m.id, "kind": m.kind, "user_id": m.user_id }),
    )
    .await?;
    let view = member_view(m)?;
    tell_helper(&work, &c, &view).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The current team.
#[utoipa::path(get, path = "/cases/{id}/team", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<TeamMemberView>), (status = 404, body = Problem)))]
pub async fn list_team(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<TeamMemberView>>> {
    find_case(&state.db, &caller, id).await?;
    let rows = team_member::Entity::find()
        .filter(team_member::Column::CaseId.eq(id))
        .filter(team_member::Column::RemovedAt.is_null())
        .order_by_asc(team_member::Column::AddedAt)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(member_view)
            .collect::<ApiResult<_>>()?,
    ))
}

/// Removes a member (kept in history, no longer sees the case).
#[utoipa::path(delete, path = "/cases/{id}/team/{member_id}", tag = "cases", params(("id" = Uuid, Path), ("member_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: Officer,
    Path((id, member_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let m = team_member::Entity::find_by_id(member_id)
        .filter(team_member::Column::CaseId.eq(id))
        .filter(team_member::Column::RemovedAt.is_null())
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let mut am: team_member::ActiveModel = m.into();
    am.removed_at = Set(Some(state.clock.now()));
    let m = am.update(work.db()).await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::TeamMemberRemoved,
        "case",
        id,
        json!({ "member_id": member_id }),
    )
    .await?;
    tell_helper(&work, &c, &member_view(m)?).await?;
    work.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
