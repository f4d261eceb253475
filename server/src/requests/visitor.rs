//! Visitor requests (会客, law art. 23): meeting the victim, complainant, informant or
//! accomplices needs an officer's approval; other visits are recorded (who, when, where, why).

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{LeaveDecisionRequest, Page, Problem, VisitorCreateRequest, VisitorView};
use huijiao_core::model::{AuditAction, EventKind, RequestStatus};
use huijiao_core::policy::requests::{self as rules};
use huijiao_core::policy::transitions::{Machine, VisitorAction, VISITOR};
use huijiao_core::ErrorCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    UpdateMany,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, Officer, RequestParty, Supervisee};
use crate::cases::find_case;
use crate::entities::visitor_request as vr;
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::validate::{check_paragraphs, check_text};
use crate::work::Work;

use super::workflow::{decide, decided, take, Act, Request};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_visit, list_case_visits))
        .routes(routes!(get_visit))
        .routes(routes!(approve_visit))
        .routes(routes!(reject_visit))
        .routes(routes!(cancel_visit))
}

fn view(v: vr::Model) -> ApiResult<VisitorView> {
    let status = v.status;
    Ok(VisitorView {
        id: v.id,
        case_id: v.case_id,
        visitor_name: v.visitor_name,
        relation: v.relation,
        meeting_at: v.meeting_at,
        place: v.place,
        purpose: v.purpose,
        status,
        decided_by: v.decided_by,
        decision_opinion: v.decision_opinion,
        version: v.version,
    })
}

#[utoipa::path(post, path = "/cases/{id}/visitors", tag = "requests", params(("id" = Uuid, Path)), request_body = VisitorCreateRequest,
    responses((status = 201, body = VisitorView), (status = 422, body = Problem)))]
async fn create_visit(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<VisitorCreateRequest>,
) -> ApiResult<(StatusCode, Json<VisitorView>)> {
    check_text("visitor_name", &req.visitor_name, 200)?;
    check_text("place", &req.place, 500)?;
    check_paragraphs("purpose", &req.purpose, 2000)?;
    let needs = rules::assess_visit(
        &state.config.rules.requests,
        req.relation,
        req.meeting_at,
        state.clock.now(),
    )
    .map_err(|(field, why)| ApiError::field(field, why))?;
    let work = Work::begin(&state).await?;
    find_case(work.db(), &caller, id).await?;
    let v = vr::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        visitor_name: Set(req.visitor_name.trim().into()),
        relation: Set(req.relation),
        meeting_at: Set(req.meeting_at),
        place: Set(req.place.trim().into()),
        purpose: Set(req.purpose.trim().into()),
        status: Set(if needs {
            RequestStatus::Submitted
        } else {
            RequestStatus::Recorded
        }),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_opinion: Set(None),
        created_by: Set(caller.id),
        created_at: Set(state.clock.now()),
        version: Set(1),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::VisitorCreated,
        "visitor",
        v.id,
        json!({ "case_id": id, "relation": v.relation }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view(v)?)))
}

async fn find(db: &impl ConnectionTrait, caller: &AuthUser, id: Uuid) -> ApiResult<vr::Model> {
    let v = vr::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case(db, caller, v.case_id).await?;
    Ok(v)
}

#[utoipa::path(get, path = "/visitors/{id}", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = VisitorView), (status = 404, body = Problem)))]
async fn get_visit(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<VisitorView>> {
    Ok(Json(view(find(&state.db, &caller, id).await?)?))
}

#[utoipa::path(get, path = "/cases/{id}/visitors", tag = "requests", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<VisitorView>), (status = 404, body = Problem)))]
async fn list_case_visits(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<VisitorView>>> {
    find_case(&state.db, &caller, id).await?;
    let find = vr::Entity::find().filter(vr::Column::CaseId.eq(id));
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, view).await?,
    ))
}

crate::seek_by!(visitor_request, MeetingAt, meeting_at);

impl Request for vr::Model {
    type Table = vr::Entity;
    type Action = VisitorAction;
    type View = VisitorView;
    const MACHINE: &'static Machine<RequestStatus, VisitorAction> = &VISITOR;
    const KIND: &'static str = "visitor";
    const EVENT: EventKind = EventKind::Visitor;

    fn case_id(&self) -> Uuid {
        self.case_id
    }

    fn record(q: UpdateMany<vr::Entity>, act: &Act<'_, Self::Action>) -> UpdateMany<vr::Entity> {
        use vr::Column as C;
        decided(q, act, (C::DecidedBy, C::DecidedAt, C::DecisionOpinion))
    }

    async fn view(
        self,
        _db: &impl ConnectionTrait,
        _today: chrono::NaiveDate,
    ) -> ApiResult<VisitorView> {
        view(self)
    }
}

#[utoipa::path(post, path = "/visitors/{id}/approve", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveDecisionRequest,
    responses((status = 200, body = VisitorView), (status = 409, body = Problem)))]
async fn approve_visit(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveDecisionRequest>,
) -> ApiResult<Json<VisitorView>> {
    decide::<vr::Model>(&state, &caller, id, req, VisitorAction::Approve).await
}

#[utoipa::path(post, path = "/visitors/{id}/reject", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveDecisionRequest,
    responses((status = 200, body = VisitorView), (status = 409, body = Problem)))]
async fn reject_visit(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveDecisionRequest>,
) -> ApiResult<Json<VisitorView>> {
    decide::<vr::Model>(&state, &caller, id, req, VisitorAction::Reject).await
}

#[utoipa::path(post, path = "/visitors/{id}/cancel", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = VisitorView), (status = 409, body = Problem)))]
async fn cancel_visit(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<VisitorView>> {
    take::<vr::Model>(&state, &caller, id, VisitorAction::Cancel, None, None).await
}
