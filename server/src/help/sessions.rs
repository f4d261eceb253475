//! Help sessions: a volunteer of the case's team logs one (the app's id makes a resend the same
//! session), the case's officers are alerted to the risks it flags, confirm it or return it
//! with what to correct, and both sides comment. A volunteer reads only what they wrote.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, SubsecRound, Utc};
use huijiao_core::api::{
    HelpCommentNew, HelpCommentView, HelpSessionAmend, HelpSessionNew, HelpSessionReview,
    HelpSessionView, Page, Problem,
};
use huijiao_core::model::{AlertKind, AuditAction, EventKind, HelpKind, RiskFactor, Role};
use huijiao_core::policy::help::{
    check_session, distinct_risks, risk_alert, HelpAction, HelpStatus, SessionProblem, HELP,
};
use huijiao_core::policy::{case_is_closed, transitions::Party};
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, HelpReader, Officer, Volunteer};
use crate::cases::find_case;
use crate::db::{made_once, Once};
use crate::entities::{case, help_comment, help_session};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest, Paged};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::{check_gps_fix, check_paragraphs, check_risks};
use crate::work::Work;

/// The views of `rows`, with their authors' names and their comments.
pub(super) async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<help_session::Model>,
) -> ApiResult<Vec<HelpSessionView>> {
    let names = crate::org::display_names(db, rows.iter().map(|r| r.author_id)).await?;
    let mut comments: HashMap<Uuid, Vec<HelpCommentView>> = HashMap::new();
    for c in help_comment::Entity::find()
        .filter(help_comment::Column::SessionId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(help_comment::Column::At)
        .all(db)
        .await?
    {
        comments
            .entry(c.session_id)
            .or_default()
            .push(HelpCommentView {
                id: c.id,
                author_id: c.author_id,
                author_role: c.author_role,
                text: c.text,
                at: c.at,
            });
    }
    rows.into_iter()
        .map(|r| {
            Ok(HelpSessionView {
                id: r.id,
                case_id: r.case_id,
                author_id: r.author_id,
                author_name: names.get(&r.author_id).cloned().unwrap_or_default(),
                began_at: r.began_at,
                minutes: u32::try_from(r.minutes).map_err(ApiError::internal)?,
                kind: r.kind,
                place: crate::db::fix_from_json(r.place)?,
                notes: r.notes,
                risks: serde_json::from_value(r.risks).map_err(ApiError::internal)?,
                follow_up: r.follow_up,
                status: r.status,
                reviewed_by: r.reviewed_by,
                reviewed_at: r.reviewed_at,
                review_note: r.review_note,
                alert_id: r.alert_id,
                comments: comments.remove(&r.id).unwrap_or_default(),
                version: r.version,
                created_at: r.created_at,
            })
        })
        .collect()
}

async fn view(db: &impl ConnectionTrait, row: help_session::Model) -> ApiResult<HelpSessionView> {
    Ok(views(db, vec![row]).await?.remove(0))
}

/// What a session says, checked: minutes, notes, risks (each once), follow-up, and when.
struct Checked {
    began_at: DateTime<Utc>,
    minutes: u32,
    kind: HelpKind,
    notes: String,
    risks: Vec<RiskFactor>,
    follow_up: Option<String>,
}

fn check(
    began_at: DateTime<Utc>,
    minutes: u32,
    kind: HelpKind,
    notes: &str,
    risks: &[RiskFactor],
    follow_up: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<Checked> {
    check_session(began_at, minutes, notes, follow_up, now).map_err(|p| match p {
        SessionProblem::Field(field, why) => ApiError::field(field, why),
        SessionProblem::Code(code) => code.into(),
    })?;
    check_risks(risks)?;
    let notes = notes.trim();
    let follow_up = follow_up.map(str::trim).filter(|t| !t.is_empty());
    Ok(Checked {
        began_at: began_at.trunc_subsecs(0),
        minutes,
        kind,
        notes: notes.to_owned(),
        risks: distinct_risks(risks),
        follow_up: follow_up.map(str::to_owned),
    })
}

/// Raises the alert `risks` call for, if any, and points the session at it.
async fn alert_risks(
    work: &Work,
    c: &case::Model,
    s: help_session::Model,
    risks: &[RiskFactor],
) -> ApiResult<help_session::Model> {
    let Some(severity) = risk_alert(risks) else {
        return Ok(s);
    };
    let (alert, event) = crate::alerts::raise(
        work.db(),
        work.now(),
        c,
        AlertKind::HelpRiskFlagged,
        severity,
        json!({ "help_session_id": s.id, "author_id": s.author_id, "risks": risks,
                "began_at": s.began_at, "follow_up": s.follow_up.is_some() }),
    )
    .await?;
    work.publish(event);
    let mut am: help_session::ActiveModel = s.into();
    am.alert_id = Set(Some(alert.id));
    Ok(am.update(work.db()).await?)
}

/// A volunteer or social worker of the case's team logs a help session, once it is over.
/// The same `id` again answers 200 with the session as stored (the outbox's resend); an id
/// another session has is `help.id_taken`.
#[utoipa::path(post, path = "/cases/{id}/help-sessions", tag = "help", params(("id" = Uuid, Path)), request_body = HelpSessionNew,
    responses((status = 201, body = HelpSessionView), (status = 200, body = HelpSessionView), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn log(
    State(state): State<AppState>,
    caller: Volunteer,
    Path(id): Path<Uuid>,
    Json(req): Json<HelpSessionNew>,
) -> ApiResult<(StatusCode, Json<HelpSessionView>)> {
    find_case(&state.db, &caller, id).await?;
    let same = |done: &help_session::Model| {
        done.author_id == caller.id
            && done.case_id == id
            && done.began_at == req.began_at.trunc_subsecs(0)
            && i64::from(done.minutes) == i64::from(req.minutes)
            && done.kind == req.kind
    };
    let taken = ErrorCode::HelpIdTaken;
    let store = async {
        let s = check(
            req.began_at,
            req.minutes,
            req.kind,
            &req.notes,
            &req.risks,
            req.follow_up.as_deref(),
            state.clock.now(),
        )?;
        if let Some(place) = &req.place {
            check_gps_fix("place", place)?;
        }
        store(&state, &caller, id, &req, s).await
    };
    match made_once::<help_session::Entity, _>(&state.db, req.id, same, taken, store).await? {
        Once::Made(v) => Ok((StatusCode::CREATED, Json(v))),
        Once::Again(done) => Ok((StatusCode::OK, Json(view(&state.db, done).await?))),
    }
}

async fn store(
    state: &AppState,
    caller: &Volunteer,
    case_id: Uuid,
    req: &HelpSessionNew,
    s: Checked,
) -> ApiResult<HelpSessionView> {
    let work = Work::begin(state).await?;
    let c = find_case(work.db(), caller, case_id).await?;
    if case_is_closed(c.status) {
        return Err(ErrorCode::CaseClosed.into());
    }
    let now = state.clock.now();
    let row = help_session::ActiveModel {
        id: Set(req.id),
        case_id: Set(c.id),
        author_id: Set(caller.id),
        began_at: Set(s.began_at),
        minutes: Set(i32::try_from(s.minutes).map_err(ApiError::internal)?),
        kind: Set(s.kind),
        place: Set(crate::db::fix_to_json(req.place.as_ref())?),
        notes: Set(s.notes),
        risks: Set(json!(s.risks)),
        follow_up: Set(s.follow_up),
        status: Set(HelpStatus::Logged),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        review_note: Set(None),
        alert_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(work.db())
    .await?;
    let row = alert_risks(&work, &c, row, &s.risks).await?;
    let v = view(work.db(), row).await?;
    work.notify_case(&c, EventKind::HelpSession, &v, false)
        .await?;
    work.commit().await?;
    Ok(v)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HelpQuery {
    /// Only sessions in this status (e.g. `logged`: waiting for the unit).
    pub status: Option<HelpStatus>,
}

/// A case's help sessions, newest first: all of them for its officers, their own for a
/// volunteer of its team.
#[utoipa::path(get, path = "/cases/{id}/help-sessions", tag = "help", params(("id" = Uuid, Path), HelpQuery, PageQuery),
    responses((status = 200, body = Page<HelpSessionView>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: HelpReader,
    Path(id): Path<Uuid>,
    Paged(q, page): Paged<HelpQuery>,
) -> ApiResult<Json<Page<HelpSessionView>>> {
    let c = find_case(&state.db, &caller, id).await?;
    let mut find = help_session::Entity::find().filter(help_session::Column::CaseId.eq(c.id));
    if caller.role == Role::Volunteer {
        find = find.filter(help_session::Column::AuthorId.eq(caller.id));
    }
    list(&state, find, q, page).await
}

/// The sessions the caller may read across cases, newest first: a volunteer's own; for an
/// officer, those of every case in their jurisdiction (`status=logged`: what waits for them).
#[utoipa::path(get, path = "/help-sessions", tag = "help", params(HelpQuery, PageQuery),
    responses((status = 200, body = Page<HelpSessionView>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    caller: HelpReader,
    Paged(q, page): Paged<HelpQuery>,
) -> ApiResult<Json<Page<HelpSessionView>>> {
    let find = match caller.role {
        Role::Volunteer => {
            help_session::Entity::find().filter(help_session::Column::AuthorId.eq(caller.id))
        }
        _ => help_session::Entity::find()
            .filter(help_session::Column::CaseId.in_subquery(caller.case_ids()?)),
    };
    list(&state, find, q, page).await
}

async fn list(
    state: &AppState,
    mut find: sea_orm::Select<help_session::Entity>,
    q: HelpQuery,
    page: PageRequest,
) -> ApiResult<Json<Page<HelpSessionView>>> {
    if let Some(status) = q.status {
        // The vocabulary is open (apps read a newer server's statuses as `unknown`); asked
        // for, an unknown one is a mistake.
        if status == HelpStatus::Unknown {
            return Err(ApiError::field(
                "status",
                Said::new("logged, confirmed or returned", "待确认、已确认或已退回"),
            ));
        }
        find = find.filter(help_session::Column::Status.eq(status.as_str()));
    }
    let rows = page.rows(&state.db, find, Order::NewestFirst).await?;
    Ok(Json(Page {
        items: views(&state.db, rows.items).await?,
        next: rows.next,
    }))
}

crate::seek_by!(help_session, BeganAt, began_at);

/// A session the caller may read (its case's officers; its author), with its case.
async fn readable(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<(help_session::Model, case::Model)> {
    let s = help_session::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| caller.role != Role::Volunteer || s.author_id == caller.id)
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case(db, caller, s.case_id).await?;
    Ok((s, c))
}

/// One help session.
#[utoipa::path(get, path = "/help-sessions/{id}", tag = "help", params(("id" = Uuid, Path)),
    responses((status = 200, body = HelpSessionView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: HelpReader,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<HelpSessionView>> {
    let (s, _) = readable(&state.db, &caller, id).await?;
    Ok(Json(view(&state.db, s).await?))
}

/// The author corrects a session the unit returned, at the version seen; it waits for the
/// unit again. New risk flags raise a new alert.
#[utoipa::path(put, path = "/help-sessions/{id}", tag = "help", params(("id" = Uuid, Path)), request_body = HelpSessionAmend,
    responses((status = 200, body = HelpSessionView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn amend(
    State(state): State<AppState>,
    caller: Volunteer,
    Path(id): Path<Uuid>,
    Json(req): Json<HelpSessionAmend>,
) -> ApiResult<Json<HelpSessionView>> {
    let work = Work::begin(&state).await?;
    let (row, c) = readable(work.db(), &caller, id).await?;
    let s = check(
        req.began_at,
        req.minutes,
        req.kind,
        &req.notes,
        &req.risks,
        req.follow_up.as_deref(),
        // Judged as of the day it was first logged: correcting it late must not make it too
        // old, nor may the correction move it past that day.
        row.created_at,
    )?;
    if case_is_closed(c.status) {
        return Err(ErrorCode::CaseClosed.into());
    }
    let before: Vec<RiskFactor> = serde_json::from_value(row.risks.clone()).unwrap_or_default();
    let minutes = i32::try_from(s.minutes).map_err(ApiError::internal)?;
    let now = state.clock.now();
    let row = apply(
        work.db(),
        &HELP,
        HelpAction::Amend,
        Party::person(Role::Volunteer, None),
        &row,
        Some(req.version),
        |q| {
            q.col_expr(help_session::Column::BeganAt, Expr::value(s.began_at))
                .col_expr(help_session::Column::Minutes, Expr::value(minutes))
                .col_expr(help_session::Column::Kind, Expr::value(s.kind.as_str()))
                .col_expr(help_session::Column::Notes, Expr::value(s.notes.clone()))
                .col_expr(help_session::Column::Risks, Expr::value(json!(s.risks)))
                .col_expr(
                    help_session::Column::FollowUp,
                    Expr::value(s.follow_up.clone()),
                )
                .col_expr(help_session::Column::UpdatedAt, Expr::value(now))
        },
    )
    .await?;
    let new_risks: Vec<RiskFactor> = s
        .risks
        .iter()
        .copied()
        .filter(|r| !before.contains(r))
        .collect();
    let row = alert_risks(&work, &c, row, &new_risks).await?;
    let v = view(work.db(), row).await?;
    work.notify_case(&c, EventKind::HelpSession, &v, false)
        .await?;
    work.commit().await?;
    Ok(Json(v))
}

/// An officer of the case confirms a session (its time then counts in the volunteer's service
/// record) or returns it with what to correct, at the version seen. Audited; the author is
/// told.
#[utoipa::path(post, path = "/help-sessions/{id}/review", tag = "help", params(("id" = Uuid, Path)), request_body = HelpSessionReview,
    responses((status = 200, body = HelpSessionView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<HelpSessionReview>,
) -> ApiResult<Json<HelpSessionView>> {
    let work = Work::begin(&state).await?;
    let (row, c) = readable(work.db(), &caller, id).await?;
    let note = req.note.as_deref().map(str::trim).filter(|t| !t.is_empty());
    match note {
        Some(t) => check_paragraphs("note", t, 2000)?,
        None if !req.confirm => {
            return Err(ApiError::field(
                "note",
                Said::new(
                    "what to correct, when returning it",
                    "退回时须说明需更正之处",
                ),
            ))
        }
        None => {}
    }
    let (action, audit) = if req.confirm {
        (HelpAction::Confirm, AuditAction::HelpSessionConfirmed)
    } else {
        (HelpAction::Return, AuditAction::HelpSessionReturned)
    };
    let party = crate::org::party(work.db(), &caller).await?;
    let now = state.clock.now();
    let row = apply(
        work.db(),
        &HELP,
        action,
        party,
        &row,
        Some(req.version),
        |q| {
            q.col_expr(help_session::Column::ReviewedBy, Expr::value(caller.id))
                .col_expr(help_session::Column::ReviewedAt, Expr::value(now))
                .col_expr(
                    help_session::Column::ReviewNote,
                    Expr::value(note.map(str::to_owned)),
                )
                .col_expr(help_session::Column::UpdatedAt, Expr::value(now))
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        audit,
        "case",
        c.id,
        json!({ "help_session_id": row.id, "author_id": row.author_id, "minutes": row.minutes }),
    )
    .await?;
    let author = row.author_id;
    let v = view(work.db(), row).await?;
    work.notify_helper(&c, author, EventKind::HelpSession, &v)
        .await?;
    work.commit().await?;
    Ok(Json(v))
}

/// An officer of the case or the session's author adds a comment; the other side is told.
#[utoipa::path(post, path = "/help-sessions/{id}/comments", tag = "help", params(("id" = Uuid, Path)), request_body = HelpCommentNew,
    responses((status = 201, body = HelpSessionView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn comment(
    State(state): State<AppState>,
    caller: HelpReader,
    Path(id): Path<Uuid>,
    Json(req): Json<HelpCommentNew>,
) -> ApiResult<(StatusCode, Json<HelpSessionView>)> {
    let work = Work::begin(&state).await?;
    let (row, c) = readable(work.db(), &caller, id).await?;
    let text = req.text.trim();
    check_paragraphs("text", text, 2000)?;
    help_comment::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(row.id),
        author_id: Set(caller.id),
        author_role: Set(caller.role),
        text: Set(text.to_owned()),
        at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await?;
    let author = row.author_id;
    let v = view(work.db(), row).await?;
    work.notify_helper(&c, author, EventKind::HelpSession, &v)
        .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}
