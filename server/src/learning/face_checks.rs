//! Face checks while studying (the Changsha "心岸" practice): when a lesson opens for someone
//! with an enrolled face, the jurisdiction's moments are planned (`face_check_moments`, from a
//! seed the app never sees); a heartbeat reaching one asks it (a `study_face_check` event, and
//! `face_check_by` on the session), and the person answers with an ordinary check-in — the
//! same face engine, liveness and replay rules. The check-ins after the asking settle it
//! (`settle_face_check`): passed moves the session's verified point up to what is credited;
//! failed, or nothing by the deadline, takes the time since the last passed check back out of
//! the session and the month, ends the session and alerts the officer. Heartbeats settle and
//! ask; the job `learning.face_checks` settles the ones whose app went quiet.
//! Someone without an enrolled face cannot be checked: their officer is alerted instead.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use huijiao_core::model::{AlertKind, AlertSeverity, AlertState, EventKind};
use huijiao_core::policy::calendar::month_of;
use huijiao_core::policy::checkin::CheckinResult;
use huijiao_core::policy::learning::{
    face_check_moments, settle_face_check, FaceCheckAction, FaceCheckStatus, StudySessionAction,
    StudySessionStatus, FACE_CHECK, STUDY_SESSION,
};
use huijiao_core::policy::transitions::Party;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::beats::add_to_ledger;
use super::session_view;
use crate::db::any_of;
use crate::entities::{alert, case, checkin, lesson, study_face_check, study_session};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::work::Work;

/// Plans a new session's checks by the lesson's own policy or else the jurisdiction's. Someone
/// without an enrolled face can be asked nothing (there is nothing to check against): then the
/// officer is alerted (`study_without_face`, once while one is unresolved) so that the time
/// does not go unchecked unseen.
pub(super) async fn plan(
    work: &Work,
    state: &AppState,
    s: &study_session::Model,
    l: &lesson::Model,
) -> ApiResult<()> {
    let db = work.db();
    let rules = state.config.rules.learning.for_lesson(l.face_checks());
    if !(rules.face_check_at_start || rules.face_checks_per_hour > 0) {
        return Ok(());
    }
    if crate::checkins::active_template(db, s.case_id)
        .await?
        .is_none()
    {
        return alert_unchecked(work, s, l).await;
    }
    let lesson_secs = if l.duration_secs > 0 {
        l.duration_secs
    } else {
        l.min_minutes * 60
    };
    let moments = face_check_moments(&rules, rand::random::<u64>(), lesson_secs.max(0) as u32);
    for secs in moments {
        study_face_check::ActiveModel {
            id: Set(Uuid::now_v7()),
            session_id: Set(s.id),
            case_id: Set(s.case_id),
            due_at: Set(s.opened_at + Duration::seconds(i64::from(secs))),
            asked_at: Set(None),
            deadline: Set(None),
            status: Set(FaceCheckStatus::Scheduled),
            checkin_id: Set(None),
            voided_ms: Set(None),
            settled_at: Set(None),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn alert_unchecked(
    work: &Work,
    s: &study_session::Model,
    l: &lesson::Model,
) -> ApiResult<()> {
    let db = work.db();
    let unresolved = alert::Entity::find()
        .filter(alert::Column::CaseId.eq(s.case_id))
        .filter(alert::Column::Kind.eq(AlertKind::StudyWithoutFace.as_str()))
        .filter(alert::Column::State.is_not_in(AlertState::CLOSED.map(AlertState::as_str)))
        .one(db)
        .await?;
    if unresolved.is_some() {
        return Ok(());
    }
    let c = case_of(db, s).await?;
    let (_, alert) = crate::alerts::raise(
        db,
        work.now(),
        &c,
        AlertKind::StudyWithoutFace,
        AlertSeverity::Low,
        json!({ "session_id": s.id, "lesson_id": l.id }),
    )
    .await?;
    work.publish(alert);
    Ok(())
}

async fn case_of(db: &impl ConnectionTrait, s: &study_session::Model) -> ApiResult<case::Model> {
    case::Entity::find_by_id(s.case_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::internal("a session's case is gone"))
}

/// The checks still to settle of these sessions (scheduled or asked), by session, soonest
/// first.
pub(super) async fn open_of(
    db: &impl ConnectionTrait,
    sessions: &[Uuid],
) -> ApiResult<HashMap<Uuid, Vec<study_face_check::Model>>> {
    let mut by_session: HashMap<Uuid, Vec<study_face_check::Model>> = HashMap::new();
    for check in study_face_check::Entity::find()
        .filter(any_of(
            db,
            study_face_check::Column::SessionId,
            sessions.iter().copied(),
        ))
        .filter(study_face_check::Column::Status.is_in([
            FaceCheckStatus::Scheduled.as_str(),
            FaceCheckStatus::Asked.as_str(),
        ]))
        .order_by_asc(study_face_check::Column::DueAt)
        .all(db)
        .await?
    {
        by_session.entry(check.session_id).or_default().push(check);
    }
    Ok(by_session)
}

/// At a heartbeat of an open session (`s` as it will be written): settles the check asked,
/// then asks the next one due. `open` is the session's checks from `open_of` when the caller
/// read them up front (else they are read here). Returns the milliseconds taken back (0
/// unless a check failed or was missed; then `s` is voided).
pub(super) async fn advance(
    work: &Work,
    state: &AppState,
    s: &mut study_session::Model,
    open: Option<Vec<study_face_check::Model>>,
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    let open = match open {
        Some(open) => open,
        None => open_of(work.db(), &[s.id])
            .await?
            .remove(&s.id)
            .unwrap_or_default(),
    };
    let mut waiting = false;
    for check in open.iter().filter(|c| c.status == FaceCheckStatus::Asked) {
        let voided = settle(work, state, s, check.clone(), now).await?;
        if s.status == StudySessionStatus::Voided {
            return Ok(voided);
        }
        waiting |= s.face_check_by.is_some();
    }
    let due = open
        .iter()
        .find(|c| c.status == FaceCheckStatus::Scheduled && c.due_at <= now);
    if let (false, Some(check)) = (waiting, due) {
        let deadline = now
            + Duration::seconds(i64::from(
                state.config.rules.learning.face_check_deadline_secs,
            ));
        let mut row: study_face_check::ActiveModel = check.clone().into();
        row.status = Set(FACE_CHECK.check(FaceCheckAction::Ask, check.status, Party::System)?);
        row.asked_at = Set(Some(now));
        row.deadline = Set(Some(deadline));
        row.update(work.db()).await?;
        s.face_check_by = Some(deadline);
        let c = case_of(work.db(), s).await?;
        let view = session_view(s, &state.config.rules.learning);
        work.notify_case(&c, EventKind::StudyFaceCheck, &view, true)
            .await?;
    }
    Ok(0)
}

/// Settles an asked check from the case's check-ins since it was asked, if it can be settled
/// now; a failed or missed one voids `s` back to its last passed check (the ledger follows,
/// the officer is alerted). Returns the milliseconds taken back.
async fn settle(
    work: &Work,
    state: &AppState,
    s: &mut study_session::Model,
    check: study_face_check::Model,
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    let (Some(asked), Some(deadline)) = (check.asked_at, check.deadline) else {
        return Ok(0);
    };
    let tries = checkin::Entity::find()
        .filter(checkin::Column::CaseId.eq(s.case_id))
        .filter(checkin::Column::CreatedAt.gte(asked))
        .filter(checkin::Column::CreatedAt.lte(deadline))
        .order_by_asc(checkin::Column::CreatedAt)
        .all(work.db())
        .await?;
    let results: Vec<CheckinResult> = tries.iter().map(|t| t.result).collect();
    let Some(action) = settle_face_check(&results, now > deadline) else {
        return Ok(0);
    };
    let status = FACE_CHECK.check(action, check.status, Party::System)?;
    let by = |r: CheckinResult| tries.iter().find(|t| t.result == r).map(|t| t.id);
    let mut row: study_face_check::ActiveModel = check.clone().into();
    row.status = Set(status);
    row.settled_at = Set(Some(now));
    s.face_check_by = None;
    if status == FaceCheckStatus::Passed {
        row.checkin_id = Set(by(CheckinResult::Passed));
        row.update(work.db()).await?;
        s.verified_ms = s.credited_ms;
        return Ok(0);
    }
    let voided = (s.credited_ms - s.verified_ms).max(0);
    row.checkin_id = Set(by(CheckinResult::Failed));
    row.voided_ms = Set(Some(voided));
    row.update(work.db()).await?;
    s.credited_ms = s.verified_ms;
    s.status = STUDY_SESSION.check(StudySessionAction::Void, s.status, Party::System)?;
    s.ended_at = s.ended_at.or(Some(now));
    let c = case_of(work.db(), s).await?;
    let (_, alert) = crate::alerts::raise(
        work.db(),
        now,
        &c,
        AlertKind::StudyFaceCheckFailed,
        AlertSeverity::Medium,
        json!({ "session_id": s.id, "check_id": check.id, "status": status,
                "checkin_id": by(CheckinResult::Failed), "voided_minutes": voided / 60_000 }),
    )
    .await?;
    work.publish(alert);
    let view = session_view(s, &state.config.rules.learning);
    work.notify_case(&c, EventKind::StudySession, &view, true)
        .await?;
    Ok(voided as u64)
}

/// The job: settles the asked checks past their deadline whatever became of their session
/// (closed, superseded, gone quiet), so leaving the lesson when asked takes the time back too.
pub async fn settle_overdue(state: &AppState, work: &Work, now: DateTime<Utc>) -> ApiResult<u64> {
    let overdue = study_face_check::Entity::find()
        .filter(study_face_check::Column::Status.eq(FaceCheckStatus::Asked.as_str()))
        .filter(study_face_check::Column::Deadline.lt(now))
        .order_by_asc(study_face_check::Column::Deadline)
        .all(work.db())
        .await?;
    let mut settled = 0;
    for check in overdue {
        // Under the session's lock, as a heartbeat settles it: one of the two settles it.
        let Some(mut s) = study_session::Entity::find_by_id(check.session_id)
            .lock_exclusive()
            .one(work.db())
            .await?
        else {
            continue;
        };
        let Some(check) = study_face_check::Entity::find_by_id(check.id)
            .one(work.db())
            .await?
            .filter(|c| c.status == FaceCheckStatus::Asked)
        else {
            continue;
        };
        let voided = settle(work, state, &mut s, check, now).await?;
        s.version += 1;
        study_session::ActiveModel::from(s.clone())
            .reset_all()
            .update(work.db())
            .await?;
        if voided > 0 {
            add_to_ledger(work.db(), &[(&s, -(voided as i64))], month_of(now), now).await?;
        }
        settled += 1;
    }
    Ok(settled)
}
