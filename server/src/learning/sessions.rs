//! Study sessions: the supervisee's app opens a lesson (one open session a person: opening on
//! a second device ends the first) and sends heartbeats; the core's `credit` decides what each
//! is worth, every beat is kept with what it credited, and the month's ledger grows with it.
//! Beats are taken once by sequence number, so an outbox resending a batch changes nothing.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use huijiao_core::api::{Page, Problem, StudySessionView};
use huijiao_core::model::EventKind;
use huijiao_core::policy::learning::{StudySessionAction, StudySessionStatus, STUDY_SESSION};
use huijiao_core::policy::transitions::Party;
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QuerySelect, UpdateMany,
};
use uuid::Uuid;

use super::courses::lesson_to_study;
use super::session_view;
use crate::auth::extractor::{RequestParty, Supervisee};
use crate::cases::{find_case, own_case};
use crate::entities::study_session;
use crate::error::{ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::step_all;
use crate::work::Work;

/// Opens a lesson for study on this phone; a session open elsewhere ends (that device gets a
/// `study_session` event). Send heartbeats every `heartbeat_secs` from now.
#[utoipa::path(post, path = "/lessons/{id}/sessions", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 201, body = StudySessionView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn open(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<(StatusCode, Json<StudySessionView>)> {
    let work = Work::begin(&state).await?;
    let (l, c) = lesson_to_study(work.db(), &caller, id).await?;
    if l.kind.pacing(l.seek_allowed).is_none() {
        return Err(ErrorCode::LessonNotTimed.into());
    }
    let now = state.clock.now();
    let rules = &state.config.rules.learning;
    if let Some(earlier) = open_of(work.db(), c.id).await? {
        let party = Party::person(caller.role, None);
        let supersede = StudySessionAction::Supersede;
        let ended = end(work.db(), &earlier, supersede, party, now).await?;
        work.notify_case(
            &c,
            EventKind::StudySession,
            &session_view(&ended, rules),
            true,
        )
        .await?;
    }
    let row = study_session::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        lesson_id: Set(l.id),
        device_id: Set(caller.device_id.clone()),
        status: Set(StudySessionStatus::Open),
        opened_at: Set(now),
        ended_at: Set(None),
        last_beat_at: Set(None),
        last_seq: Set(0),
        last_client_ms: Set(0),
        last_position_ms: Set(0),
        last_studying: Set(false),
        credited_ms: Set(0),
        furthest_ms: Set(0),
        completed: Set(false),
        version: Set(1),
        verified_ms: Set(0),
        face_check_by: Set(None),
    }
    .insert(work.db())
    .await?;
    super::face_checks::plan(&work, &state, &row, &l).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(session_view(&row, rules))))
}

async fn open_of(
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> ApiResult<Option<study_session::Model>> {
    Ok(study_session::Entity::find()
        .filter(study_session::Column::CaseId.eq(case_id))
        .filter(study_session::Column::Status.eq(StudySessionStatus::Open.as_str()))
        .one(db)
        .await?)
}

/// Ends session `s` by `action` (ended or superseded), if it is still open: the state table's
/// step, the end time, and the version moved on (the heartbeat's writes read it).
async fn end(
    db: &impl ConnectionTrait,
    s: &study_session::Model,
    action: StudySessionAction,
    party: Party,
    now: DateTime<Utc>,
) -> ApiResult<study_session::Model> {
    step_all(db, &STUDY_SESSION, action, party, |q| {
        ending(q, now).filter(study_session::Column::Id.eq(s.id))
    })
    .await?;
    study_session::Entity::find_by_id(s.id)
        .one(db)
        .await?
        .ok_or_else(|| ErrorCode::NotFound.into())
}

/// What ending a session sets besides its status.
fn ending(
    q: UpdateMany<study_session::Entity>,
    now: DateTime<Utc>,
) -> UpdateMany<study_session::Entity> {
    q.col_expr(study_session::Column::EndedAt, Expr::value(now))
        .col_expr(
            study_session::Column::Version,
            Expr::col(study_session::Column::Version).add(1),
        )
}

/// The caller's own session (else 404), locked for the rest of the transaction.
async fn own_session(
    db: &impl ConnectionTrait,
    caller: &Supervisee,
    id: Uuid,
) -> ApiResult<study_session::Model> {
    let c = own_case(db, caller).await?;
    Ok(study_session::Entity::find_by_id(id)
        .filter(study_session::Column::CaseId.eq(c.id))
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

/// Closes the session (the lesson left); ending one already ended changes nothing.
#[utoipa::path(post, path = "/study-sessions/{id}/end", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, body = StudySessionView), (status = 404, body = Problem)))]
pub async fn finish(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<StudySessionView>> {
    let work = Work::begin(&state).await?;
    let s = own_session(work.db(), &caller, id).await?;
    let s = if s.status == StudySessionStatus::Open {
        let party = Party::person(caller.role, None);
        let now = state.clock.now();
        end(work.db(), &s, StudySessionAction::End, party, now).await?
    } else {
        s
    };
    work.commit().await?;
    Ok(Json(session_view(&s, &state.config.rules.learning)))
}

/// A case's study sessions, latest first: the person's learning record (the supervisee their
/// own, officers of the case).
#[utoipa::path(get, path = "/cases/{id}/study-sessions", tag = "learning", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<StudySessionView>), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<StudySessionView>>> {
    find_case(&state.db, &caller, id).await?;
    let find = study_session::Entity::find().filter(study_session::Column::CaseId.eq(id));
    let rules = &state.config.rules.learning;
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, |s| {
            Ok(session_view(&s, rules))
        })
        .await?,
    ))
}

crate::seek_by!(study_session, OpenedAt, opened_at);

/// Ends the sessions no heartbeat has reached for the idle limit (the app closed or lost):
/// nothing more can be credited to them, and the person's next lesson opens clean.
pub async fn end_silent(
    state: &AppState,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    let cutoff =
        now - chrono::Duration::seconds(i64::from(state.config.rules.learning.idle_stop_secs));
    step_all(
        db,
        &STUDY_SESSION,
        StudySessionAction::End,
        Party::System,
        |q| {
            ending(q, now).filter(
                Condition::any()
                    .add(study_session::Column::LastBeatAt.lt(cutoff))
                    .add(
                        Condition::all()
                            .add(study_session::Column::LastBeatAt.is_null())
                            .add(study_session::Column::OpenedAt.lt(cutoff)),
                    ),
            )
        },
    )
    .await
}
