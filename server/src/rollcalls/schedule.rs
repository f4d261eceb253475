//! Roll calls over time: calls set for later ring when due; the system calls at random inside
//! the day's hours at each level's rate (DOMAIN.md §6: strict ≥ 1 a week, normal ≥ 1 a
//! month, lenient on demand; one level stricter in a sensitive period); calls not answered by
//! their deadline — or whose judging was cut off by a restart — are missed, each exactly once,
//! with an alert that escalates with the misses of 90 days; snapshots are purged on schedule.

use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

use huijiao_core::model::{AlertKind, AuditAction, CaseStatus, EventKind};
use huijiao_core::policy::calendar::local_offset;
use huijiao_core::policy::rollcall::{
    missed_escalation, system_call_chance, RollCallAction, RollCallStatus, ROLL_CALL,
};
use huijiao_core::policy::transitions::Party;
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::view;
use crate::actor::Actor;
use crate::entities::{case, roll_call};
use crate::error::ApiResult;
use crate::events::Event;
use crate::state::AppState;
use crate::transition::apply;
use crate::work::Work;

/// Calls set for later whose time has come start ringing (live event, push).
pub async fn ring_due(w: &Work, now: DateTime<Utc>) -> ApiResult<u64> {
    let due = roll_call::Entity::find()
        .filter(roll_call::Column::Status.eq(RollCallStatus::Scheduled.as_str()))
        .filter(roll_call::Column::RingAt.lte(now))
        .all(w.db())
        .await?;
    let mut rung = 0;
    for row in due {
        let Some(c) = case::Entity::find_by_id(row.case_id).one(w.db()).await? else {
            continue;
        };
        let row = apply(
            w.db(),
            &ROLL_CALL,
            RollCallAction::Ring,
            Party::System,
            &row,
            None,
            |q| q.col_expr(roll_call::Column::UpdatedAt, Expr::value(now)),
        )
        .await?;
        w.notify_case(&c, EventKind::RollCall, &view(&row)?, true)
            .await?;
        if let Some(user) = c.user_id {
            w.push(super::ringing_note(&row, user));
        }
        rung += 1;
    }
    Ok(rung)
}

/// Marks one call missed (it must be ringing, answered or verifying; the conditional update
/// makes it once) and raises its alert: urgent, and with a sanction suggestion once misses
/// repeat within 90 days (`policy::rollcall::missed_escalation`). Returns the events.
pub(crate) async fn miss(
    db: &(impl ConnectionTrait + TransactionTrait),
    row: &roll_call::Model,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let row = apply(
        db,
        &ROLL_CALL,
        RollCallAction::Miss,
        Party::System,
        row,
        None,
        |q| {
            q.col_expr(roll_call::Column::DecidedAt, Expr::value(now))
                .col_expr(roll_call::Column::UpdatedAt, Expr::value(now))
        },
    )
    .await?;
    let c = case::Entity::find_by_id(row.case_id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let misses = roll_call::Entity::find()
        .filter(roll_call::Column::CaseId.eq(c.id))
        .filter(roll_call::Column::Status.eq(RollCallStatus::Missed.as_str()))
        .filter(roll_call::Column::RingAt.gte(now - Duration::days(90)))
        .count(db)
        .await?;
    let (severity, suggestion) = missed_escalation(misses);
    let (alert, alert_event) = crate::alerts::raise(
        db, now,
        &c,
        AlertKind::RollCallMissed,
        severity,
        json!({ "roll_call_id": row.id, "answer_by": row.answer_by, "misses_90d": misses, "sanction_suggestion": suggestion }),
    )
    .await?;
    crate::audit::record(
        db,
        &Actor::default(),
        AuditAction::RollCallMissed,
        "case",
        Some(c.id.to_string()),
        json!({ "roll_call_id": row.id, "alert_id": alert.id }),
    )
    .await?;
    let unit_path = crate::org::unit_path(db, c.unit_id).await?;
    let event = Event::about_case(
        unit_path,
        c.id,
        c.user_id,
        EventKind::RollCall,
        &view(&row)?,
    );
    Ok(vec![alert_event, event])
}

/// Calls past their answer deadline, and calls answered but never brought to a verdict (the
/// server restarted mid-call: nothing judges them any more), are missed.
pub async fn mark_missed<C: ConnectionTrait + TransactionTrait>(
    state: &AppState,
    db: &C,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let cfg = &state.config;
    let stale_after = Duration::seconds(
        (cfg.roll_calls.connect_timeout_secs + u64::from(cfg.rules.roll_calls.max_verify_secs))
            as i64
            + 60,
    );
    let unanswered = roll_call::Entity::find()
        .filter(roll_call::Column::Status.eq(RollCallStatus::Ringing.as_str()))
        .filter(roll_call::Column::AnswerBy.lt(now))
        .all(db)
        .await?;
    let cut_off = roll_call::Entity::find()
        .filter(roll_call::Column::Status.is_in([
            RollCallStatus::Answered.as_str(),
            RollCallStatus::Verifying.as_str(),
        ]))
        .filter(roll_call::Column::AnsweredAt.lt(now - stale_after))
        .all(db)
        .await?;
    let mut events = Vec::new();
    for row in unanswered.iter().chain(&cut_off) {
        let txn = db.begin().await?;
        match miss(&txn, row, now).await {
            Ok(e) => {
                txn.commit().await?;
                events.extend(e);
            }
            // Answered or missed meanwhile (by the call itself, or another run).
            Err(e) if e.code == ErrorCode::Conflict => txn.rollback().await?,
            Err(e) => return Err(e),
        }
    }
    Ok(events)
}

/// The system's random roll calls: during the day's hours (`rules.checkin_band`), each active
/// case with an app login is called with its level's chance per run (`roll`: `rand` in
/// service, a seeded generator in tests; one roll per case, in id order). A case that has a
/// call open or no face enrolled is passed over. Returns how many were called.
pub async fn call_at_random(
    state: &AppState,
    w: &Work,
    now: DateTime<Utc>,
    roll: &mut impl FnMut() -> f64,
) -> ApiResult<u64> {
    let rules = &state.config.rules;
    let band = rules.checkin_band;
    let local = now.with_timezone(&local_offset());
    if local.time() < band.opens || local.time() >= band.closes {
        return Ok(0);
    }
    let sensitive = crate::checkins::schedule::in_sensitive_period(
        w.db(),
        huijiao_core::policy::calendar::local_date(now),
    )
    .await?;
    let interval = state.config.jobs_interval_secs.max(60);
    let cases = case::Entity::find()
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .filter(case::Column::UserId.is_not_null())
        .order_by_asc(case::Column::Id)
        .all(w.db())
        .await?;
    let mut called = 0;
    for c in cases {
        let chance = system_call_chance(&rules.supervision, c.level, sensitive, interval, &band);
        if roll() >= chance {
            continue;
        }
        let txn = w.db().begin().await?;
        match super::calls::open_call(&txn, &rules.roll_calls, &c, None, None, now, now).await {
            Ok(Ok(row)) => {
                txn.commit().await?;
                w.audit(
                    &Actor::default(),
                    AuditAction::RollCallStarted,
                    "case",
                    c.id,
                    json!({ "roll_call_id": row.id, "random": true }),
                )
                .await?;
                w.notify_case(&c, EventKind::RollCall, &view(&row)?, true)
                    .await?;
                if let Some(user) = c.user_id {
                    w.push(super::ringing_note(&row, user));
                }
                called += 1;
            }
            Ok(Err(_)) => txn.rollback().await?,
            Err(e) if e.code == ErrorCode::Conflict => txn.rollback().await?,
            Err(e) => return Err(e),
        }
    }
    Ok(called)
}

/// Deletes a call's evidence when its time is up: the pictures (snapshot and challenge frame)
/// `roll_calls.snapshot_keep_days` after the verdict, the recording
/// `rules.roll_calls.recording_keep_days` after it, and all of it once the case has been closed
/// longer than `checkin.retention.after_close_days`. The verdict stays. Audited per case.
pub async fn purge_evidence(
    state: &AppState,
    db: &(impl ConnectionTrait + TransactionTrait),
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    let pictures_due = now - Duration::days(state.config.roll_calls.snapshot_keep_days);
    let recordings_due =
        now - Duration::days(i64::from(state.config.rules.roll_calls.recording_keep_days));
    let closed = crate::checkins::retention::closed_before(
        db,
        now,
        state.config.checkin.retention.after_close_days,
    )
    .await?;
    let with_evidence = roll_call::Entity::find()
        .filter(
            Condition::any()
                .add(roll_call::Column::SnapshotKey.is_not_null())
                .add(roll_call::Column::TurnFrameKey.is_not_null())
                .add(roll_call::Column::RecordingKey.is_not_null()),
        )
        .all(db)
        .await?;
    // Per case: calls whose pictures, and whose recordings, went.
    let mut per_case: BTreeMap<Uuid, (u64, u64)> = BTreeMap::new();
    for row in with_evidence {
        let closed = closed.contains(&row.case_id);
        let due = |after: DateTime<Utc>| closed || row.decided_at.is_some_and(|d| d < after);
        let pictures: Vec<&String> = [&row.snapshot_key, &row.turn_frame_key]
            .into_iter()
            .flatten()
            .filter(|_| due(pictures_due))
            .collect();
        let recording = row.recording_key.as_ref().filter(|_| due(recordings_due));
        if pictures.is_empty() && recording.is_none() {
            continue;
        }
        // The files first: a crash between the two leaves a row naming nothing, never a
        // picture or a video nobody knows about.
        for key in pictures.iter().copied().chain(recording) {
            state.media.delete(key).await?;
        }
        let none = || Expr::value(Option::<String>::None);
        let mut update = roll_call::Entity::update_many().filter(roll_call::Column::Id.eq(row.id));
        let count = per_case.entry(row.case_id).or_default();
        if !pictures.is_empty() {
            update = update
                .col_expr(roll_call::Column::SnapshotKey, none())
                .col_expr(roll_call::Column::TurnFrameKey, none())
                .col_expr(roll_call::Column::SnapshotPurgedAt, Expr::value(now));
            count.0 += 1;
        }
        if recording.is_some() {
            update = update
                .col_expr(roll_call::Column::RecordingKey, none())
                .col_expr(roll_call::Column::RecordingPurgedAt, Expr::value(now));
            count.1 += 1;
        }
        update.exec(db).await?;
    }
    let mut purged = 0;
    for (case_id, (pictures, recordings)) in per_case {
        crate::audit::record(
            db,
            &Actor::default(),
            AuditAction::BiometricsPurged,
            "case",
            Some(case_id.to_string()),
            json!({ "roll_call_snapshots": pictures, "roll_call_recordings": recordings }),
        )
        .await?;
        purged += pictures + recordings;
    }
    Ok(purged)
}
