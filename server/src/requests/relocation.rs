//! Relocation (迁居, measures 2020 art. 30): the supervisee applies a month ahead; the agency of
//! the new place is consulted; the county agency of the current place decides; on approval the
//! case, with its whole file, moves to the receiving unit.

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{
    ConsultationRequest, LeaveDecisionRequest, Page, Problem, RelocationCreateRequest,
    RelocationView, Residence,
};
use huijiao_core::model::{AuditAction, EventKind, RequestStatus, Role};
use huijiao_core::policy::requests as rules;
use huijiao_core::policy::transitions::{Machine, RelocationAction, RELOCATION};
use huijiao_core::ErrorCode;
use huijiao_core::Said;
use sea_orm::sea_query::Expr;
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
use crate::cases::intake::save_case;
use crate::entities::{case, org_unit, relocation_request as rr};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::org::party;
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_coordinates;
use crate::validate::{check_paragraphs, check_text};
use crate::work::Work;

use super::workflow::{decide, decided, take, Act, Request};

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
    let status = r.status;
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
        status,
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
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<RelocationCreateRequest>,
) -> ApiResult<(StatusCode, Json<RelocationView>)> {
    check_paragraphs("reason", &req.reason, 2000)?;
    check_text("new_residence.address", &req.new_residence.address, 500)?;
    check_coordinates(
        "new_residence",
        req.new_residence.lat,
        req.new_residence.lon,
    )?;
    rules::check_relocation_date(
        &state.config.rules.requests,
        state.clock.today(),
        req.move_date,
    )?;
    let work = Work::begin(&state).await?;
    let c = find_case(work.db(), &caller, id).await?;
    huijiao_core::policy::require_active(c.status)?;
    let to = org_unit::Entity::find_by_id(req.to_unit_id)
        .one(work.db())
        .await?;
    let to = to
        .filter(|u| rules::may_receive_relocation(u.kind))
        .ok_or_else(|| {
            ApiError::field(
                "to_unit_id",
                Said::new(
                    "a county agency or judicial office",
                    "须为县级社区矫正机构或司法所",
                ),
            )
        })?;
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
        status: Set(RequestStatus::Submitted),
        consulted_by: Set(None),
        consulted_at: Set(None),
        consultation_agrees: Set(None),
        consultation_opinion: Set(None),
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
        AuditAction::RelocationCreated,
        "relocation",
        r.id,
        json!({ "case_id": id, "to_unit_id": to.id }),
    )
    .await?;
    work.commit().await?;
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

#[utoipa::path(get, path = "/relocations/{id}", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = RelocationView), (status = 404, body = Problem)))]
async fn get_relocation(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<RelocationView>> {
    Ok(Json(view(find(&state.db, &caller, id).await?)?))
}

#[utoipa::path(get, path = "/cases/{id}/relocations", tag = "requests", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<RelocationView>), (status = 404, body = Problem)))]
async fn list_case_relocations(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<RelocationView>>> {
    find_case(&state.db, &caller, id).await?;
    let find = rr::Entity::find().filter(rr::Column::CaseId.eq(id));
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, view).await?,
    ))
}

crate::seek_by!(relocation_request, CreatedAt, created_at);

/// Open relocations the caller's side acts on: moves out of their jurisdiction to decide, and
/// moves into it to be consulted on.
#[utoipa::path(get, path = "/relocations", tag = "requests", params(PageQuery),
    responses((status = 200, body = Page<RelocationView>), (status = 403, body = Problem)))]
async fn list_relocations(
    State(state): State<AppState>,
    caller: Officer,
    page: PageRequest,
) -> ApiResult<Json<Page<RelocationView>>> {
    let find = open_for(&caller)?;
    Ok(Json(
        page.read(&state.db, find, Order::OldestFirst, view).await?,
    ))
}

/// Open relocations `caller`'s side acts on: moves out of their jurisdiction to decide, and
/// moves into it to be consulted on (the list reads this; the work queue each part).
pub(crate) fn open_for(caller: &AuthUser) -> ApiResult<sea_orm::Select<rr::Entity>> {
    Ok(rr::Entity::find()
        .filter(rr::Column::Status.eq(RequestStatus::Submitted.as_str()))
        .filter(
            sea_orm::Condition::any()
                .add(rr::Column::CaseId.in_subquery(caller.case_ids()?))
                .add(rr::Column::ToUnitId.in_subquery(units_below(caller)?)),
        ))
}

/// Open moves of the caller's cases the receiving side has given its opinion on: to decide.
pub(crate) fn to_decide(caller: &AuthUser) -> ApiResult<sea_orm::Select<rr::Entity>> {
    Ok(rr::Entity::find()
        .filter(rr::Column::Status.eq(RequestStatus::Submitted.as_str()))
        .filter(rr::Column::ConsultedBy.is_not_null())
        .filter(rr::Column::CaseId.in_subquery(caller.case_ids()?)))
}

/// Open moves into the caller's jurisdiction that wait for its opinion.
pub(crate) fn to_consult(caller: &AuthUser) -> ApiResult<sea_orm::Select<rr::Entity>> {
    Ok(rr::Entity::find()
        .filter(rr::Column::Status.eq(RequestStatus::Submitted.as_str()))
        .filter(rr::Column::ConsultedBy.is_null())
        .filter(rr::Column::ToUnitId.in_subquery(units_below(caller)?)))
}

/// The units at and below the caller's.
fn units_below(caller: &AuthUser) -> ApiResult<sea_orm::sea_query::SelectStatement> {
    let path = caller.unit_path.clone().ok_or(ErrorCode::Forbidden)?;
    Ok(sea_orm::sea_query::Query::select()
        .column(org_unit::Column::Id)
        .from(org_unit::Entity)
        .and_where(Expr::col(org_unit::Column::Path).like(format!("{path}%")))
        .to_owned())
}

/// The receiving agency's opinion (征求意见).
#[utoipa::path(post, path = "/relocations/{id}/consult", tag = "requests", params(("id" = Uuid, Path)), request_body = ConsultationRequest,
    responses((status = 200, body = RelocationView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn consult(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<ConsultationRequest>,
) -> ApiResult<Json<RelocationView>> {
    check_paragraphs("opinion", &req.opinion, 2000)?;
    let work = Work::begin(&state).await?;
    let r = find(work.db(), &caller, id).await?;
    // The opinion is the receiving side's: the case's own officers cannot give it.
    if !is_receiving_officer(work.db(), &caller, &r).await? {
        return Err(ErrorCode::Forbidden.into());
    }
    let now = state.clock.now();
    let party = party(work.db(), &caller).await?;
    let r = apply(
        work.db(),
        &RELOCATION,
        RelocationAction::Consult,
        party,
        &r,
        Some(req.version),
        |q| {
            q.col_expr(rr::Column::ConsultedBy, Expr::value(caller.id))
                .col_expr(rr::Column::ConsultedAt, Expr::value(now))
                .col_expr(rr::Column::ConsultationAgrees, Expr::value(req.agree))
                .col_expr(
                    rr::Column::ConsultationOpinion,
                    Expr::value(req.opinion.trim()),
                )
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::RelocationConsulted,
        "relocation",
        id,
        json!({ "agree": req.agree }),
    )
    .await?;
    work.commit().await?;
    Ok(Json(view(r)?))
}

impl Request for rr::Model {
    type Table = rr::Entity;
    type Action = RelocationAction;
    type View = RelocationView;
    const MACHINE: &'static Machine<RequestStatus, RelocationAction> = &RELOCATION;
    const KIND: &'static str = "relocation";
    const EVENT: EventKind = EventKind::Relocation;

    fn case_id(&self) -> Uuid {
        self.case_id
    }

    fn record(q: UpdateMany<rr::Entity>, act: &Act<'_, Self::Action>) -> UpdateMany<rr::Entity> {
        use rr::Column as C;
        decided(q, act, (C::DecidedBy, C::DecidedAt, C::DecisionOpinion))
    }

    /// Approved only once the receiving side agreed (measures art. 30).
    async fn check(&self, _work: &Work, act: &Act<'_, RelocationAction>) -> ApiResult<()> {
        if act.action == RelocationAction::Approve && self.consultation_agrees != Some(true) {
            return Err(ErrorCode::RelocationConsultationRequired.into());
        }
        Ok(())
    }

    /// On approval the whole file moves: every record hangs off the case, so moving the case
    /// moves it.
    async fn follow(
        &self,
        work: &Work,
        act: &Act<'_, RelocationAction>,
        _done: &rr::Model,
    ) -> ApiResult<()> {
        if act.action != RelocationAction::Approve {
            return Ok(());
        }
        let c = case::Entity::find_by_id(self.case_id)
            .one(work.db())
            .await?
            .ok_or(ErrorCode::NotFound)?;
        let version = c.version;
        let mut am: case::ActiveModel = c.into();
        am.unit_id = Set(self.to_unit_id);
        am.officer_id = Set(None);
        am.residence_address = Set(self.new_address.clone());
        am.residence_lat = Set(self.new_lat);
        am.residence_lon = Set(self.new_lon);
        save_case(work.db(), act.now, am, version).await?;
        work.audit(
            &Actor::from(act.caller),
            AuditAction::CaseTransferred,
            "case",
            self.case_id,
            json!({ "from_unit_id": self.from_unit_id, "to_unit_id": self.to_unit_id, "relocation": self.id }),
        )
        .await
    }

    async fn view(
        self,
        _db: &impl ConnectionTrait,
        _today: chrono::NaiveDate,
    ) -> ApiResult<RelocationView> {
        view(self)
    }
}

/// Approves (county agency of the current place, after the new place agreed): the case moves.
#[utoipa::path(post, path = "/relocations/{id}/approve", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveDecisionRequest,
    responses((status = 200, body = RelocationView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn approve_relocation(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveDecisionRequest>,
) -> ApiResult<Json<RelocationView>> {
    decide::<rr::Model>(&state, &caller, id, req, RelocationAction::Approve).await
}

#[utoipa::path(post, path = "/relocations/{id}/reject", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveDecisionRequest,
    responses((status = 200, body = RelocationView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn reject_relocation(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveDecisionRequest>,
) -> ApiResult<Json<RelocationView>> {
    decide::<rr::Model>(&state, &caller, id, req, RelocationAction::Reject).await
}

#[utoipa::path(post, path = "/relocations/{id}/cancel", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = RelocationView), (status = 409, body = Problem)))]
async fn cancel_relocation(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<RelocationView>> {
    take::<rr::Model>(&state, &caller, id, RelocationAction::Cancel, None, None).await
}
