//! Alerts for officers: raised by failed or doubtful check-ins (and later missed ones, fences,
//! overdue returns), scoped by jurisdiction, acknowledged and resolved with a note, pushed live.

use axum::extract::State;
use chrono::{DateTime, Utc};
use huijiao_core::api::{AlertResolveRequest, AlertView, OwnAlertView, Page, Problem};
use huijiao_core::model::{AlertKind, AlertSeverity, AlertState, AuditAction, EventKind, Role};
use huijiao_core::policy::transitions::{AlertAction, Party, ALERT};
use huijiao_core::{ErrorCode, Label, Lang, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::{Officer, Supervisee};
use crate::cases::identity;
use crate::entities::{alert, case};
use crate::error::{ApiError, ApiResult, Json, Path, Reader};
use crate::events::Event;
use crate::paging::{Order, PageQuery, PageRequest, Paged};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_paragraphs;
use crate::work::Work;

crate::seek_by!(alert, CreatedAt, created_at);

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("alerts", routes);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_alerts))
        .routes(routes!(own_alerts))
        .routes(routes!(get_alert))
        .routes(routes!(acknowledge))
        .routes(routes!(resolve))
}

/// An alert as officers read it in `lang`: what it is about in words, and whose case, named
/// as any list names a person (a minor's name masked).
pub fn view(a: alert::Model, c: &case::Model, lang: Lang) -> ApiResult<AlertView> {
    Ok(AlertView {
        id: a.id,
        case_id: a.case_id,
        title: a.kind.label(lang).to_owned(),
        case_name: identity(c, Role::Officer, false).0,
        kind: a.kind,
        severity: a.severity,
        state: a.state,
        evidence: a.evidence,
        assigned_officer_id: a.assigned_officer_id,
        created_at: a.created_at,
        acknowledged_by: a.acknowledged_by,
        resolved_by: a.resolved_by,
        resolution_note: a.resolution_note,
        cleared_at: a.cleared_at,
    })
}

/// Raises an alert for a case's officer. Returns the event to publish once the transaction
/// has committed (never announce what may still roll back).
pub async fn raise(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    c: &case::Model,
    kind: AlertKind,
    severity: AlertSeverity,
    evidence: serde_json::Value,
) -> ApiResult<(alert::Model, Event)> {
    let a = alert::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        unit_id: Set(c.unit_id),
        kind: Set(kind),
        severity: Set(severity),
        state: Set(AlertState::Open),
        evidence: Set(evidence),
        assigned_officer_id: Set(c.officer_id),
        created_at: Set(now),
        acknowledged_by: Set(None),
        acknowledged_at: Set(None),
        resolved_by: Set(None),
        resolved_at: Set(None),
        resolution_note: Set(None),
        cleared_at: Set(None),
        version: Set(1),
    }
    .insert(db)
    .await?;
    let event = alert_event(db, c, a.clone()).await?;
    Ok((a, event))
}

/// Marks the condition behind an alert as ended (it stays for the officer to handle). Returns
/// the event to publish after the commit, or `None` if it was already cleared.
pub async fn clear(
    db: &impl ConnectionTrait,
    c: &case::Model,
    id: Uuid,
    at: chrono::DateTime<Utc>,
) -> ApiResult<Option<Event>> {
    let done = alert::Entity::update_many()
        .col_expr(alert::Column::ClearedAt, Expr::value(at))
        .filter(alert::Column::Id.eq(id))
        .filter(alert::Column::ClearedAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    let a = alert::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Some(alert_event(db, c, a).await?))
}

/// An alert is news for the case's officers only; a live event is one message for every
/// listener, its title in Chinese (the apps and the console word it from `kind` themselves).
async fn alert_event(
    db: &impl ConnectionTrait,
    c: &case::Model,
    a: alert::Model,
) -> ApiResult<Event> {
    let unit_path = crate::org::unit_path(db, c.unit_id).await?;
    Ok(Event::about_case(
        unit_path,
        c.id,
        None,
        EventKind::Alert,
        &view(a, c, Lang::ZhCn)?,
    ))
}

/// The signed-in supervisee's own alerts, newest first: the app shows them so that nothing is
/// raised behind their back.
#[utoipa::path(get, path = "/me/alerts", tag = "alerts", params(PageQuery),
    responses((status = 200, body = Page<OwnAlertView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn own_alerts(
    State(state): State<AppState>,
    caller: Supervisee,
    Reader(lang): Reader,
    page: PageRequest,
) -> ApiResult<Json<Page<OwnAlertView>>> {
    let c = crate::cases::own_case(&state.db, &caller).await?;
    let staff_notes = AlertKind::ALL.iter().filter(|k| k.is_staff_note());
    let find = alert::Entity::find()
        .filter(alert::Column::CaseId.eq(c.id))
        .filter(alert::Column::Kind.is_not_in(staff_notes.map(|k| k.as_str())));
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, |a| {
            Ok(OwnAlertView {
                id: a.id,
                title: a.kind.label(lang).to_owned(),
                kind: a.kind,
                severity: a.severity,
                state: a.state,
                created_at: a.created_at,
                cleared_at: a.cleared_at,
            })
        })
        .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    pub state: Option<AlertState>,
    pub case_id: Option<Uuid>,
    pub severity: Option<AlertSeverity>,
    pub kind: Option<AlertKind>,
}

/// Alerts in the caller's jurisdiction, newest first.
#[utoipa::path(get, path = "/alerts", tag = "alerts", params(AlertQuery, PageQuery),
    responses((status = 200, body = Page<AlertView>), (status = 403, body = Problem)))]
async fn list_alerts(
    State(state): State<AppState>,
    caller: Officer,
    Reader(lang): Reader,
    Paged(q, page): Paged<AlertQuery>,
) -> ApiResult<Json<Page<AlertView>>> {
    if q.state == Some(AlertState::Unknown) {
        return Err(ApiError::field(
            "state",
            Said::new(
                "open, acknowledged, resolved or withdrawn",
                "须为 open（待处理）、acknowledged（已确认）、resolved（已解决）或 withdrawn（已撤销）",
            ),
        ));
    }
    if q.severity == Some(AlertSeverity::Unknown) {
        return Err(ApiError::field(
            "severity",
            Said::new(
                "low, medium, high or critical",
                "须为 low、medium、high 或 critical",
            ),
        ));
    }
    if q.kind == Some(AlertKind::Unknown) {
        return Err(ApiError::field(
            "kind",
            Said::new("a known alert kind", "须为已知的预警类型"),
        ));
    }
    let mut find =
        alert::Entity::find().filter(alert::Column::CaseId.in_subquery(caller.case_ids()?));
    if let Some(s) = q.state {
        find = find.filter(alert::Column::State.eq(s.as_str()));
    }
    if let Some(c) = q.case_id {
        find = find.filter(alert::Column::CaseId.eq(c));
    }
    if let Some(s) = q.severity {
        find = find.filter(alert::Column::Severity.eq(s.as_str()));
    }
    if let Some(k) = q.kind {
        find = find.filter(alert::Column::Kind.eq(k.as_str()));
    }
    let Page { items, next } = page.rows(&state.db, find, Order::NewestFirst).await?;
    let cases: HashMap<Uuid, case::Model> = case::Entity::find()
        .filter(case::Column::Id.is_in(items.iter().map(|a| a.case_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let items = items
        .into_iter()
        .map(|a| {
            let c = cases.get(&a.case_id).ok_or(ErrorCode::Internal)?;
            view(a, c, lang)
        })
        .collect::<ApiResult<_>>()?;
    Ok(Json(Page { items, next }))
}

/// One alert of a case in the caller's jurisdiction.
#[utoipa::path(get, path = "/alerts/{id}", tag = "alerts", params(("id" = Uuid, Path)),
    responses((status = 200, body = AlertView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_alert(
    State(state): State<AppState>,
    caller: Officer,
    Reader(lang): Reader,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AlertView>> {
    let a = alert::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = crate::cases::find_case(&state.db, &caller, a.case_id).await?;
    Ok(Json(view(a, &c, lang)?))
}

async fn take(
    state: &AppState,
    caller: &Officer,
    lang: Lang,
    id: Uuid,
    action: AlertAction,
    note: Option<String>,
) -> ApiResult<Json<AlertView>> {
    let work = Work::begin(state).await?;
    let a = alert::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = crate::cases::find_case(work.db(), caller, a.case_id).await?;
    let a = act(&work, caller, &c, &a, action, note, state.clock.now()).await?;
    work.commit().await?;
    Ok(Json(view(a, &c, lang)?))
}

/// An officer takes `action` on alert `a` of case `c`: through the state table, audited, and
/// announced to the other officers' screens (one officer acknowledges for all).
pub async fn act(
    work: &Work,
    caller: &Officer,
    c: &case::Model,
    a: &alert::Model,
    action: AlertAction,
    note: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<alert::Model> {
    let party = Party::person(caller.role, None);
    let a = apply(
        work.db(),
        &ALERT,
        action,
        party,
        a,
        None,
        |q| match action {
            AlertAction::Acknowledge => q
                .col_expr(alert::Column::AcknowledgedBy, Expr::value(caller.id))
                .col_expr(alert::Column::AcknowledgedAt, Expr::value(now)),
            AlertAction::Resolve | AlertAction::Withdraw => q
                .col_expr(alert::Column::ResolvedBy, Expr::value(caller.id))
                .col_expr(alert::Column::ResolvedAt, Expr::value(now))
                .col_expr(alert::Column::ResolutionNote, Expr::value(note)),
        },
    )
    .await?;
    work.audit(
        &Actor::from(caller),
        AuditAction::from(action),
        "alert",
        a.id,
        json!({ "case_id": a.case_id }),
    )
    .await?;
    work.notify_case(c, EventKind::Alert, &view(a.clone(), c, Lang::ZhCn)?, false)
        .await?;
    Ok(a)
}

/// A fact an officer's own decision establishes (a doubtful check-in or roll call rejected on
/// review): raised so that it counts where such facts count (the month's assessment), and
/// resolved at once by that decision, with its note.
#[allow(clippy::too_many_arguments)]
pub async fn raise_decided(
    work: &Work,
    caller: &Officer,
    c: &case::Model,
    kind: AlertKind,
    severity: AlertSeverity,
    evidence: serde_json::Value,
    note: &str,
    now: DateTime<Utc>,
) -> ApiResult<alert::Model> {
    let (raised, _) = raise(work.db(), now, c, kind, severity, evidence).await?;
    act(
        work,
        caller,
        c,
        &raised,
        AlertAction::Resolve,
        Some(note.to_owned()),
        now,
    )
    .await
}

/// An officer's decision on a record closes the alerts it raised (those of `kinds` whose
/// evidence names it: `about` = (evidence key, record id)): `Resolve` what the decision
/// answers (a review answers "needs review"), `Withdraw` what no longer holds (an excused
/// roll call, an accepted check-in: counted nowhere since). Alerts already past the action are
/// left as they are. Returns how many changed.
#[allow(clippy::too_many_arguments)]
pub async fn close_about(
    work: &Work,
    caller: &Officer,
    c: &case::Model,
    about: (&str, Uuid),
    kinds: &[AlertKind],
    action: AlertAction,
    note: &str,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let party = Party::person(caller.role, None);
    let candidates = alert::Entity::find()
        .filter(alert::Column::CaseId.eq(c.id))
        .filter(alert::Column::Kind.is_in(kinds.iter().map(|k| k.as_str())))
        .all(work.db())
        .await?;
    let mut changed = 0;
    for a in candidates {
        let names_it =
            a.evidence.get(about.0).and_then(|v| v.as_str()) == Some(about.1.to_string().as_str());
        if names_it && ALERT.check(action, a.state, party).is_ok() {
            act(work, caller, c, &a, action, Some(note.to_owned()), now).await?;
            changed += 1;
        }
    }
    Ok(changed)
}

#[utoipa::path(post, path = "/alerts/{id}/acknowledge", tag = "alerts", params(("id" = Uuid, Path)),
    responses((status = 200, body = AlertView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn acknowledge(
    State(state): State<AppState>,
    caller: Officer,
    Reader(lang): Reader,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AlertView>> {
    take(&state, &caller, lang, id, AlertAction::Acknowledge, None).await
}

/// Resolves with a note saying what was done.
#[utoipa::path(post, path = "/alerts/{id}/resolve", tag = "alerts", params(("id" = Uuid, Path)), request_body = AlertResolveRequest,
    responses((status = 200, body = AlertView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn resolve(
    State(state): State<AppState>,
    caller: Officer,
    Reader(lang): Reader,
    Path(id): Path<Uuid>,
    Json(req): Json<AlertResolveRequest>,
) -> ApiResult<Json<AlertView>> {
    check_paragraphs("note", &req.note, 2000)?;
    take(
        &state,
        &caller,
        lang,
        id,
        AlertAction::Resolve,
        Some(req.note.trim().into()),
    )
    .await
}
