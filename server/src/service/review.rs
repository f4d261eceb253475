//! After the activity: the organiser or an officer confirms what a participation credits, or
//! corrects it with the reason (audited; the person is told); the close settles who never
//! came and flags who never checked out; a person's month of service as the ledger has it.

use axum::extract::State;
use chrono::{DateTime, Utc};
use huijiao_core::api::{
    CommunityServiceEntry, CommunityServiceMonthView, Page, Problem, ServiceParticipationView,
    ServiceReview, ShortfallView,
};
use huijiao_core::model::{AlertSeverity, AuditAction, EventKind, Role};
use huijiao_core::policy::learning::{month_standing, Obligation};
use huijiao_core::policy::lecture::lecture_minutes;
use huijiao_core::policy::service::{
    settle_at_close, ActivityAction, ActivityStatus, ParticipationAction, ParticipationStatus,
    ACTIVITY,
};
use huijiao_core::policy::transitions::Party;
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use super::activities::{find_activity, participation_of};
use super::participation_view;
use super::presence::credit;
use crate::actor::Actor;
use crate::auth::extractor::{ActivityStaff, AuthUser, Officer};
use crate::cases::find_case;
use crate::entities::{case, ledger_credit, service_activity, service_participation};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::events::Event;
use crate::ledger::MonthQuery;
use crate::paging::{PageQuery, Paged};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_paragraphs;
use crate::work::Work;

/// The organiser or an officer of the person confirms a checked-out participation as
/// credited, or corrects any settled one (minutes and the reason; audited), at the version
/// seen. The ledger follows; the person is told.
#[utoipa::path(put, path = "/service-activities/{id}/participants/{case_id}/review", tag = "service",
    params(("id" = Uuid, Path), ("case_id" = Uuid, Path)), request_body = ServiceReview,
    responses((status = 200, body = ServiceParticipationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    caller: ActivityStaff,
    Path((id, case_id)): Path<(Uuid, Uuid)>,
    Json(req): Json<ServiceReview>,
) -> ApiResult<Json<ServiceParticipationView>> {
    let work = Work::begin(&state).await?;
    let a = find_activity(work.db(), &caller, id).await?;
    let organiser = caller.id == a.organiser_id;
    let mut cases = case::Entity::find_by_id(case_id);
    if !organiser {
        cases = cases.filter(caller.case_scope()?);
    }
    // A volunteer finds only the activities they organise; an officer who does not organise
    // it reviews only the people they supervise (the case scope above).
    let c = cases.one(work.db()).await?.ok_or(ErrorCode::NotFound)?;
    let p = participation_of(work.db(), a.id, c.id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let window = lecture_minutes(a.starts_at, a.ends_at)
        .min(state.config.rules.service.max_minutes_per_activity);
    let minutes = match req.minutes {
        Some(m) if m > window => {
            return Err(ApiError::field(
                "minutes",
                Said::new(
                    format!("at most {window}: the activity's window, capped"),
                    format!("不能超过 {window} 分钟（活动时长，且不超过上限）"),
                ),
            ))
        }
        Some(m) => {
            let reason = reason.ok_or_else(|| {
                ApiError::field(
                    "reason",
                    Said::new("why the minutes are corrected", "更正时长须说明理由"),
                )
            })?;
            check_paragraphs("reason", reason, 2000)?;
            m as i32
        }
        None => p.credited_minutes,
    };
    // After a settled close (or a confirmation) only a correction, with its reason, moves it.
    let correcting = req.minutes.is_some();
    if p.status != ParticipationStatus::CheckedOut && !correcting {
        return Err(ErrorCode::ActivityTransitionInvalid.into());
    }
    let now = state.clock.now();
    use service_participation::Column as C;
    let party = Party::person(caller.role, None);
    let confirm = ParticipationAction::Confirm;
    let version = Some(req.version);
    let row = super::take(work.db(), confirm, party, &p, version, now, |q| {
        q.col_expr(C::CreditedMinutes, Expr::value(minutes))
            .col_expr(C::ReviewedBy, Expr::value(caller.id))
            .col_expr(C::ReviewedAt, Expr::value(now))
            .col_expr(C::ReviewReason, Expr::value(reason.map(str::to_owned)))
    })
    .await?;
    credit(work.db(), &a, &row, Some(caller.id), now).await?;
    let action = if correcting {
        AuditAction::ServiceParticipationCorrected
    } else {
        AuditAction::ServiceParticipationConfirmed
    };
    work.audit(
        &Actor::from(&caller),
        action,
        "case",
        c.id,
        json!({ "activity_id": a.id, "participation_id": row.id, "minutes": minutes,
                "was": { "status": p.status, "minutes": p.credited_minutes } }),
    )
    .await?;
    if let Some(alert) = p.alert_id {
        if let Some(event) = crate::alerts::clear(work.db(), &c, alert, now).await? {
            work.publish(event);
        }
    }
    let view = participation_view(&row, &c, caller.role);
    work.notify_case(&c, EventKind::ServiceParticipation, &view, true)
        .await?;
    work.commit().await?;
    Ok(Json(view))
}

/// Settles every activity whose check-out window has closed, once: whoever never checked in
/// is a no-show; whoever checked in and never out is credited nothing and flagged to the
/// officers. The people are told. Returns the alerts' events.
pub async fn close_ended(
    state: &AppState,
    work: &Work,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let db = work.db();
    let rules = &state.config.rules.service;
    let ended = service_activity::Entity::find()
        .filter(service_activity::Column::Status.eq(ActivityStatus::Scheduled))
        .filter(
            service_activity::Column::EndsAt
                .lte(now - chrono::Duration::minutes(i64::from(rules.checkout_grace_mins))),
        )
        .all(db)
        .await?;
    let mut events = Vec::new();
    for a in ended {
        // At the version read: of two runs at once, one settles it.
        let close = apply(
            db,
            &ACTIVITY,
            ActivityAction::Close,
            Party::System,
            &a,
            None,
            |q| q.col_expr(service_activity::Column::ClosedAt, Expr::value(now)),
        );
        match close.await {
            Ok(_) => {}
            Err(e) if e.code == ErrorCode::Conflict => continue,
            Err(e) => return Err(e),
        }
        let open = service_participation::Entity::find()
            .filter(service_participation::Column::ActivityId.eq(a.id))
            .all(db)
            .await?;
        for p in open {
            let Some(action) = settle_at_close(p.status) else {
                continue;
            };
            let c = case::Entity::find_by_id(p.case_id)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::internal("a participation without its case"))?;
            let alert_id = if action == ParticipationAction::MarkIncomplete {
                let (alert, event) = crate::alerts::raise(
                    db,
                    now,
                    &c,
                    huijiao_core::model::AlertKind::ServiceCheckoutMissing,
                    AlertSeverity::Low,
                    json!({ "activity_id": a.id, "title": a.title, "starts_at": a.starts_at,
                            "ends_at": a.ends_at, "checked_in_at": p.checked_in_at }),
                )
                .await?;
                events.push(event);
                Some(alert.id)
            } else {
                None
            };
            use service_participation::Column as C;
            let row = super::take(db, action, Party::System, &p, None, now, |q| {
                q.col_expr(C::AlertId, Expr::value(alert_id))
            })
            .await?;
            let view = participation_view(&row, &c, Role::Supervisee);
            work.notify_case(&c, EventKind::ServiceParticipation, &view, true)
                .await?;
        }
    }
    Ok(events)
}

/// A person's community service in a month: owed, credited, short, and the activities behind
/// it. The person reads their own, officers and the person's volunteers theirs.
#[utoipa::path(get, path = "/cases/{id}/service", tag = "service", params(("id" = Uuid, Path), MonthQuery),
    responses((status = 200, body = CommunityServiceMonthView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn month(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<CommunityServiceMonthView>> {
    let month = q.month_at(state.clock.now())?;
    let c = find_case(&state.db, &caller, id).await?;
    Ok(Json(month_view(&state.db, &state, &c, &month).await?))
}

/// Who in the officer's jurisdiction is short of their community service in a month (default
/// this one, so far), most short first.
#[utoipa::path(get, path = "/service/shortfalls", tag = "service", params(MonthQuery, PageQuery),
    responses((status = 200, body = Page<ShortfallView>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn shortfalls(
    State(state): State<AppState>,
    caller: Officer,
    Paged(q, page): Paged<MonthQuery>,
) -> ApiResult<Json<Page<ShortfallView>>> {
    let month = q.month_at(state.clock.now())?;
    Ok(Json(
        crate::ledger::shortfalls(&state, &caller, Obligation::CommunityService, &month, &page)
            .await?,
    ))
}

async fn month_view(
    db: &impl ConnectionTrait,
    state: &AppState,
    c: &case::Model,
    month: &str,
) -> ApiResult<CommunityServiceMonthView> {
    let credits = ledger_credit::Entity::find()
        .filter(ledger_credit::Column::CaseId.eq(c.id))
        .filter(ledger_credit::Column::Obligation.eq(Obligation::CommunityService))
        .filter(ledger_credit::Column::Month.eq(month))
        .all(db)
        .await?;
    let owed_minutes = crate::ledger::owed(state, c, Obligation::CommunityService, month);
    let standing = month_standing(owed_minutes, credits.iter().map(|r| r.credited_ms).sum());
    let ids: Vec<Uuid> = credits.iter().filter_map(|r| r.participation_id).collect();
    let parts = service_participation::Entity::find()
        .filter(service_participation::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let activities: std::collections::HashMap<Uuid, service_activity::Model> =
        service_activity::Entity::find()
            .filter(
                service_activity::Column::Id
                    .is_in(parts.iter().map(|p| p.activity_id).collect::<Vec<_>>()),
            )
            .order_by_asc(service_activity::Column::StartsAt)
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    let mut participations: Vec<CommunityServiceEntry> = parts
        .iter()
        .filter_map(|p| {
            activities
                .get(&p.activity_id)
                .map(|a| CommunityServiceEntry {
                    activity_id: a.id,
                    title: a.title.clone(),
                    kind: a.kind,
                    starts_at: a.starts_at,
                    status: p.status,
                    credited_minutes: p.credited_minutes.max(0) as u32,
                })
        })
        .collect();
    participations.sort_by_key(|e| e.starts_at);
    Ok(CommunityServiceMonthView {
        case_id: c.id,
        month: month.to_owned(),
        owed_minutes,
        credited_minutes: standing.credited_minutes,
        short_minutes: standing.short_minutes,
        participations,
    })
}
