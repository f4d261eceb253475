//! Relocation (迁居, measures 2020 art. 30): the supervisee applies a month ahead; the agency of
//! the new place is consulted; the county agency of the current place decides; on approval the
//! case, with its whole file, moves to the receiving unit.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use huijiao_core::api::{
    ConsultationRequest, LeaveDecisionRequest, Problem, RelocationCreateRequest, RelocationView,
    Residence,
};
use huijiao_core::model::{CaseStatus, RequestStatus, Role, UnitKind};
use huijiao_core::policy::leave::{may_approve, ApprovalLevel};
use huijiao_core::policy::requests as rules;
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::officer_level;
use crate::audit::{self, Actor};
use crate::auth::extractor::AuthUser;
use crate::cases::find_case;
use crate::cases::intake::save_case;
use crate::entities::{case, org_unit, relocation_request as rr};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::state::AppState;
use crate::validate::check_coordinates;
use crate::validate::check_text;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_relocation, list_case_relocations))
        .routes(routes!(list_relocations))
        .routes(routes!(get_relocation))
        .routes(routes!(consult))
        .routes(routes!(approve_relocation))
        .routes(routes!(reject_relocation))
        .routes(routes!(cancel_relocation))
}

fn view(r: rr::Model) -> ApiResult<RelocationView> {
    Ok(RelocationView {
        id: r.id,
        case_id: r.case_id,
        from_unit_id: r.from_unit_id,
        to_unit_id: r.to_unit_id,
        new_residence: Residence {
            address: r.new_address,
            lat: r.new_lat,
            lon: r.new_lon,
        },
        move_date: r.move_date,
        reason: r.reason,
        status: RequestStatus::parse(&r.status).ok_or_else(|| ApiError::internal("bad status"))?,
        consulted_by: r.consulted_by,
        consultation_agrees: r.consultation_agrees,
        consultation_opinion: r.consultation_opinion,
        decided_by: r.decided_by,
        decision_opinion: r.decision_opinion,
        version: r.version,
    })
}

/// The supervisee applies to move to a place under another unit.
#[utoipa::path(post, path = "/cases/{id}/relocations", tag = "requests", params(("id" = Uuid, Path)), request_body = RelocationCreateRequest,
    responses((status = 201, body = RelocationView), (status = 422, body = Problem)))]
async fn create_relocation(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(req): Json<RelocationCreateRequest>,
) -> ApiResult<(StatusCode, Json<RelocationView>)> {
    check_text("reason", &req.reason, 2000)?;
    check_text("new_residence.address", &req.new_residence.address, 500)?;
    check_coordinates(
        "new_residence",
        req.new_residence.lat,
        req.new_residence.lon,
    )?;
    rules::check_relocation_date(Utc::now().date_naive(), req.move_date)?;
    let txn = state.db.begin().await?;
    let c = find_case(&txn, &caller, id).await?;
    caller.require(&[Role::Supervisee])?;
    if crate::cases::status(&c)? != CaseStatus::Active {
        return Err(ErrorCode::CaseNotActive.into());
    }
    let to = org_unit::Entity::find_by_id(req.to_unit_id)
        .one(&txn)
        .await?;
    let to = to
        .filter(|u| {
            matches!(
                UnitKind::parse(&u.kind),
                Some(UnitKind::JudicialOffice | UnitKind::CountyAgency)
            )
        })
        .ok_or_else(|| ApiError::field("to_unit_id", "a county agency or judicial office"))?;
    if to.id == c.unit_id {
        return Err(ErrorCode::RelocationSameUnit.into());
    }
    let r = rr::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        from_unit_id: Set(c.unit_id),
        to_unit_id: Set(to.id),
        new_address: Set(req.new_residence.address.trim().into()),
        new_lat: Set(req.new_residence.lat),
        new_lon: Set(req.new_residence.lon),
        move_date: Set(req.move_date),
        reason: Set(req.reason.trim().into()),
        status: Set(RequestStatus::Submitted.as_str().into()),
        consulted_by: Set(None),
        consulted_at: Set(None),
        consultation_agrees: Set(None),
        consultation_opinion: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_opinion: Set(None),
        created_by: Set(caller.id),
        created_at: Set(Utc::now()),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &Actor::from(&caller),
        "relocation.create",
        "relocation",
        Some(r.id.to_string()),
        json!({ "case_id": id, "to_unit_id": to.id }),
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(view(r)?)))
}

/// Whether the caller is an officer of the receiving side.
async fn is_receiving_officer(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    r: &rr::Model,
) -> ApiResult<bool> {
    if caller.role != Role::Officer {
        return Ok(false);
    }
    let to = org_unit::Entity::find_by_id(r.to_unit_id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(caller.covers_unit_path(&to.path))
}

/// A relocation the caller may see: through the case, or as the receiving agency.
async fn find(db: &impl ConnectionTrait, caller: &AuthUser, id: Uuid) -> ApiResult<rr::Model> {
    let r = rr::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if find_case(db, caller, r.case_id).await.is_ok()
        || is_receiving_officer(db, caller, &r).await?
    {
        Ok(r)
    } else {
        Err(ErrorCode::NotFound.into())
    }
}

/// Conditional status change: of two officers acting at once, one succeeds.
async fn set_status(
    db: &impl ConnectionTrait,
    r: &rr::Model,
    version: i32,
    to: RequestStatus,
    set: impl FnOnce(sea_orm::UpdateMany<rr::Entity>) -> sea_orm::UpdateMany<rr::Entity>,
) -> ApiResult<rr::Model> {
    if r.status != RequestStatus::Submitted.as_str() {
        return Err(ErrorCode::RequestTransitionInvalid.into());
    }
    let q = rr::Entity::update_many()
        .col_expr(rr::Column::Status, Expr::value(to.as_str()))
        .col_expr(rr::Column::Version, Expr::value(r.version + 1))
        .filter(rr::Column::Id.eq(r.id))
        .filter(rr::Column::Version.eq(version))
        .filter(rr::Column::Status.eq(RequestStatus::Submitted.as_str()));
    if set(q).exec(db).await?.rows_affected != 1 {
        return Err(ErrorCode::Conflict.into());
    }
    rr::Entity::find_by_id(r.id)
        .one(db)
        .await?
        .ok_or_else(|| ErrorCode::NotFound.into())
}

#[utoipa::path(get, path = "/relocations/{id}", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = RelocationView), (status = 404, body = Problem)))]
async fn get_relocation(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<RelocationView>> {
    Ok(Json(view(find(&state.db, &caller, id).await?)?))
}

#[utoipa::path(get, path = "/cases/{id}/relocations", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<RelocationView>), (status = 404, body = Problem)))]
async fn list_case_relocations(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<RelocationView>>> {
    find_case(&state.db, &caller, id).await?;
    let rows = rr::Entity::find()
        .filter(rr::Column::CaseId.eq(id))
        .order_by_desc(rr::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(view).collect::<ApiResult<_>>()?))
}

/// Open relocations the caller's side acts on: moves out of their jurisdiction to decide, and
/// moves into it to be consulted on.
#[utoipa::path(get, path = "/relocations", tag = "requests",
    responses((status = 200, body = Vec<RelocationView>), (status = 403, body = Problem)))]
async fn list_relocations(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Vec<RelocationView>>> {
    caller.require(&[Role::Officer])?;
    let path = caller.unit_path.clone().ok_or(ErrorCode::Forbidden)?;
    let units_below = sea_orm::sea_query::Query::select()
        .column(org_unit::Column::Id)
        .from(org_unit::Entity)
        .and_where(Expr::col(org_unit::Column::Path).like(format!("{path}%")))
        .to_owned();
    let rows = rr::Entity::find()
        .filter(rr::Column::Status.eq(RequestStatus::Submitted.as_str()))
        .filter(
            sea_orm::Condition::any()
                .add(
                    rr::Column::CaseId.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(case::Column::Id)
                            .from(case::Entity)
                            .cond_where(caller.case_scope()?)
                            .to_owned(),
                    ),
                )
                .add(rr::Column::ToUnitId.in_subquery(units_below)),
        )
        .order_by_asc(rr::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(view).collect::<ApiResult<_>>()?))
}

/// The receiving agency's opinion (征求意见).
#[utoipa::path(post, path = "/relocations/{id}/consult", tag = "requests", params(("id" = Uuid, Path)), request_body = ConsultationRequest,
    responses((status = 200, body = RelocationView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn consult(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(req): Json<ConsultationRequest>,
) -> ApiResult<Json<RelocationView>> {
    check_text("opinion", &req.opinion, 2000)?;
    let txn = state.db.begin().await?;
    let r = find(&txn, &caller, id).await?;
    if !is_receiving_officer(&txn, &caller, &r).await?
        || officer_level(&txn, &caller).await? < ApprovalLevel::CountyAgency
    {
        return Err(ErrorCode::Forbidden.into());
    }
    let now = Utc::now();
    let r = set_status(&txn, &r, req.version, RequestStatus::Submitted, |q| {
        q.col_expr(rr::Column::ConsultedBy, Expr::value(caller.id))
            .col_expr(rr::Column::ConsultedAt, Expr::value(now))
            .col_expr(rr::Column::ConsultationAgrees, Expr::value(req.agree))
            .col_expr(
                rr::Column::ConsultationOpinion,
                Expr::value(req.opinion.trim()),
            )
    })
    .await?;
    audit::record(
        &txn,
        &Actor::from(&caller),
        "relocation.consult",
        "relocation",
        Some(id.to_string()),
        json!({ "agree": req.agree }),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(view(r)?))
}

async fn decide(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    req: LeaveDecisionRequest,
    approve: bool,
) -> ApiResult<Json<RelocationView>> {
    check_text("opinion", &req.opinion, 2000)?;
    let txn = state.db.begin().await?;
    let r = rr::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case(&txn, caller, r.case_id).await?;
    let c_user = c.user_id;
    caller.require(&[Role::Officer])?;
    if !may_approve(officer_level(&txn, caller).await?, rules::RELOCATION_LEVEL) {
        return Err(rules::RELOCATION_LEVEL.needs_code().into());
    }
    if approve && r.consultation_agrees != Some(true) {
        return Err(ErrorCode::RelocationConsultationRequired.into());
    }
    let now = Utc::now();
    let to = if approve {
        RequestStatus::Approved
    } else {
        RequestStatus::Rejected
    };
    let decided = set_status(&txn, &r, req.version, to, |q| {
        q.col_expr(rr::Column::DecidedBy, Expr::value(caller.id))
            .col_expr(rr::Column::DecidedAt, Expr::value(now))
            .col_expr(rr::Column::DecisionOpinion, Expr::value(req.opinion.trim()))
    })
    .await?;
    if approve {
        // The whole file moves: every record hangs off the case, so moving the case moves it.
        let version = c.version;
        let mut am: case::ActiveModel = c.into();
        am.unit_id = Set(r.to_unit_id);
        am.officer_id = Set(None);
        am.residence_address = Set(r.new_address.clone());
        am.residence_lat = Set(r.new_lat);
        am.residence_lon = Set(r.new_lon);
        save_case(&txn, am, version).await?;
        audit::record(
            &txn,
            &Actor::from(caller),
            "case.transferred",
            "case",
            Some(r.case_id.to_string()),
            json!({ "from_unit_id": r.from_unit_id, "to_unit_id": r.to_unit_id, "relocation": id }),
        )
        .await?;
    }
    let action = if approve {
        "relocation.approve"
    } else {
        "relocation.reject"
    };
    audit::record(
        &txn,
        &Actor::from(caller),
        action,
        "relocation",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    let unit_path = crate::org::unit_path(&txn, r.from_unit_id).await?;
    txn.commit().await?;
    let v = view(decided)?;
    state.events.publish(crate::events::Event {
        unit_path,
        supervisee: c_user,
        view: huijiao_core::api::EventView {
            kind: "relocation".into(),
            case_id: r.case_id,
            payload: serde_json::to_value(&v).unwrap_or_default(),
        },
    });
    Ok(Json(v))
}

/// Approves (county agency of the current place, after the new place agreed): the case moves.
#[utoipa::path(post, path = "/relocations/{id}/approve", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveDecisionRequest,
    responses((status = 200, body = RelocationView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn approve_relocation(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveDecisionRequest>,
) -> ApiResult<Json<RelocationView>> {
    decide(&state, &caller, id, req, true).await
}

#[utoipa::path(post, path = "/relocations/{id}/reject", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveDecisionRequest,
    responses((status = 200, body = RelocationView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn reject_relocation(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveDecisionRequest>,
) -> ApiResult<Json<RelocationView>> {
    decide(&state, &caller, id, req, false).await
}

#[utoipa::path(post, path = "/relocations/{id}/cancel", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = RelocationView), (status = 409, body = Problem)))]
async fn cancel_relocation(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<RelocationView>> {
    let txn = state.db.begin().await?;
    let r = rr::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case(&txn, &caller, r.case_id).await?;
    caller.require(&[Role::Supervisee])?;
    let r = set_status(&txn, &r, r.version, RequestStatus::Cancelled, |q| q).await?;
    audit::record(
        &txn,
        &Actor::from(&caller),
        "relocation.cancel",
        "relocation",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(view(r)?))
}
