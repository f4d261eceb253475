//! Rewards and sanctions (考核奖惩): what the facts the system sees support, by the measures'
//! grounds (`policy::sanctions`; `facts`); an officer of the case proposes on one ground with
//! the reason; the county agency approves or rejects at the version seen (a judicial office
//! cannot); the person is told of an approved decision and acknowledges it. Each step is
//! audited. A supervisee sees only the decisions in force. Electronic tag orders (`tags`).

mod document;
mod facts;
mod tags;

pub use tags::alert_expiring;

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{
    Page, Problem, SanctionAdviceView, SanctionDecision, SanctionGroundView, SanctionProposal,
    SanctionView,
};
use huijiao_core::model::{AuditAction, EventKind, Role};
use huijiao_core::policy::sanctions::{ground, SanctionAction, SanctionStatus, SANCTION};
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, Officer, RequestParty, Supervisee};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{case, sanction};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_paragraphs;
use crate::work::Work;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain =
    crate::domain::Domain::new("sanctions", routes).jobs(JOBS);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(advice))
        .routes(routes!(propose, of_case))
        .routes(routes!(get_one))
        .routes(routes!(decide))
        .routes(routes!(acknowledge))
        .routes(routes!(document::document))
        .routes(routes!(tags::order, tags::of_case))
        .routes(routes!(tags::end))
}

pub const JOBS: &[crate::jobs::Job] = &[crate::jobs::Job {
    name: "sanctions.tag_expiry",
    run: |_, w, now| {
        Box::pin(async move { Ok(crate::jobs::announce(w, alert_expiring(w.db(), now).await?)) })
    },
}];

fn view(s: &sanction::Model) -> SanctionView {
    SanctionView {
        id: s.id,
        case_id: s.case_id,
        sanction: s.sanction,
        ground: SanctionGroundView::of(&s.ground),
        reason: s.reason.clone(),
        status: s.status,
        proposed_by: s.proposed_by,
        proposed_at: s.proposed_at,
        decided_by: s.decided_by,
        decided_at: s.decided_at,
        decision_note: s.decision_note.clone(),
        acknowledged_at: s.acknowledged_at,
        version: s.version,
    }
}

/// What the facts about a person support, gravest first, with the facts themselves. Officers
/// of the case only.
#[utoipa::path(get, path = "/cases/{id}/sanction-advice", tag = "sanctions", params(("id" = Uuid, Path)),
    responses((status = 200, body = SanctionAdviceView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn advice(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<SanctionAdviceView>> {
    let c = find_case(&state.db, &caller, id).await?;
    Ok(Json(facts::advice(&state.db, &c, state.clock.now()).await?))
}

/// An officer of the case proposes a commendation or a sanction on one of the measures'
/// grounds, with the reason; the case's officers hear it. Audited.
#[utoipa::path(post, path = "/cases/{id}/sanctions", tag = "sanctions", params(("id" = Uuid, Path)), request_body = SanctionProposal,
    responses((status = 201, body = SanctionView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn propose(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<SanctionProposal>,
) -> ApiResult<(StatusCode, Json<SanctionView>)> {
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let g = ground(req.ground.trim()).ok_or_else(|| {
        ApiError::field(
            "ground",
            Said::new(
                "one of the measures' grounds, by its code (GET /cases/{id}/sanction-advice)",
                "须为实施办法所列情形之一的代码",
            ),
        )
    })?;
    check_paragraphs("reason", &req.reason, 5000)?;
    let row = sanction::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        sanction: Set(g.sanction),
        ground: Set(g.code.to_owned()),
        reason: Set(req.reason.trim().to_owned()),
        status: Set(SanctionStatus::Proposed),
        proposed_by: Set(caller.id),
        proposed_at: Set(state.clock.now()),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(None),
        acknowledged_at: Set(None),
        version: Set(1),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::SanctionProposed,
        "case",
        c.id,
        json!({ "sanction_id": row.id, "sanction": g.sanction, "ground": g.code, "article": g.article }),
    )
    .await?;
    let v = view(&row);
    work.notify_case(&c, EventKind::Sanction, &v, false).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A case's rewards and sanctions, newest first: all of them for its officers, the decisions
/// in force for the person.
#[utoipa::path(get, path = "/cases/{id}/sanctions", tag = "sanctions", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<SanctionView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<SanctionView>>> {
    let c = find_case(&state.db, &caller, id).await?;
    let mut find = sanction::Entity::find().filter(sanction::Column::CaseId.eq(c.id));
    if caller.role != Role::Officer {
        let in_force = SanctionStatus::ALL.iter().filter(|s| s.in_force());
        find = find.filter(sanction::Column::Status.is_in(in_force.map(|s| s.as_str())));
    }
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, |s| Ok(view(&s)))
            .await?,
    ))
}

crate::seek_by!(sanction, ProposedAt, proposed_at);

/// The sanction and its case, if the caller may see the case.
async fn find(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<(sanction::Model, case::Model)> {
    let s = sanction::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case(db, caller, s.case_id).await?;
    // A proposal is the officers' until decided.
    if caller.role == Role::Supervisee && !s.status.in_force() {
        return Err(ErrorCode::NotFound.into());
    }
    Ok((s, c))
}

/// One reward or sanction: any for the case's officers, a decision in force for the person.
#[utoipa::path(get, path = "/sanctions/{id}", tag = "sanctions", params(("id" = Uuid, Path)),
    responses((status = 200, body = SanctionView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<SanctionView>> {
    let (s, _) = find(&state.db, &caller, id).await?;
    Ok(Json(view(&s)))
}

/// The county agency approves or rejects a proposal at the version seen, with its note; the
/// person hears an approved decision. Audited.
#[utoipa::path(post, path = "/sanctions/{id}/decide", tag = "sanctions", params(("id" = Uuid, Path)), request_body = SanctionDecision,
    responses((status = 200, body = SanctionView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<SanctionDecision>,
) -> ApiResult<Json<SanctionView>> {
    let work = Work::begin(&state).await?;
    let (s, c) = find(work.db(), &caller, id).await?;
    check_paragraphs("note", &req.note, 2000)?;
    let (action, audit) = if req.approve {
        (SanctionAction::Approve, AuditAction::SanctionApproved)
    } else {
        (SanctionAction::Reject, AuditAction::SanctionRejected)
    };
    let party = crate::org::party(work.db(), &caller).await?;
    let now = state.clock.now();
    let note = req.note.trim().to_owned();
    let row = apply(
        work.db(),
        &SANCTION,
        action,
        party,
        &s,
        Some(req.version),
        |q| {
            q.col_expr(sanction::Column::DecidedBy, Expr::value(caller.id))
                .col_expr(sanction::Column::DecidedAt, Expr::value(now))
                .col_expr(sanction::Column::DecisionNote, Expr::value(note))
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        audit,
        "case",
        c.id,
        json!({ "sanction_id": row.id, "sanction": row.sanction, "ground": row.ground }),
    )
    .await?;
    let v = view(&row);
    work.notify_case(&c, EventKind::Sanction, &v, req.approve)
        .await?;
    work.commit().await?;
    Ok(Json(v))
}

/// The person acknowledges a decision they were told of; the officers hear it. Audited.
#[utoipa::path(post, path = "/sanctions/{id}/acknowledge", tag = "sanctions", params(("id" = Uuid, Path)),
    responses((status = 200, body = SanctionView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<SanctionView>> {
    let work = Work::begin(&state).await?;
    let (s, c) = find(work.db(), &caller, id).await?;
    let party = crate::org::party(work.db(), &caller).await?;
    let now = state.clock.now();
    let row = apply(
        work.db(),
        &SANCTION,
        SanctionAction::Acknowledge,
        party,
        &s,
        None,
        |q| q.col_expr(sanction::Column::AcknowledgedAt, Expr::value(now)),
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::SanctionAcknowledged,
        "case",
        c.id,
        json!({ "sanction_id": row.id }),
    )
    .await?;
    let v = view(&row);
    work.notify_case(&c, EventKind::Sanction, &v, false).await?;
    work.commit().await?;
    Ok(Json(v))
}
