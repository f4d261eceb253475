//! Roll calls as records: an officer calls one person or a selection (now or at a set time),
//! lists and reads them, excuses one with a reason, decides one that needs review, and looks
//! at the snapshot a call kept (audited).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use huijiao_core::api::{
    EvidenceFrame, Page, Problem, RollCallExcuse, RollCallReview, RollCallReviewDecision,
    RollCallSkipped, RollCallStart, RollCallStartView, RollCallUnitStats, RollCallView,
};
use huijiao_core::model::{AlertKind, AlertSeverity, AuditAction, EventKind};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::rollcall::{
    check_start, RollCallAction, RollCallRules, RollCallStatus, RollCallTally, OPEN, ROLL_CALL,
};
use huijiao_core::policy::transitions::{AlertAction, Party};
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::view;
use crate::actor::Actor;
use crate::alerts::{close_about, raise_decided};
use crate::auth::extractor::{Officer, RequestParty};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{case, org_unit, roll_call};
use crate::error::{ApiError, ApiResult, Json, Path, Query, Reader};
use crate::paging::{Order, PageQuery, PageRequest, Paged};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_paragraphs;
use crate::work::Work;

/// Opens a call on `c` ringing at `ring_at` (scheduled when that is later than `now`), or says
/// why not: the case is not active or has no app login, no face is enrolled to verify, or a
/// call is already open. Under the case's lock, so two starts at once open one call (the
/// partial unique index is the backstop).
pub(crate) async fn open_call(
    db: &impl ConnectionTrait,
    rules: &RollCallRules,
    c: &case::Model,
    initiated_by: Option<Uuid>,
    note: Option<String>,
    ring_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ApiResult<Result<roll_call::Model, ErrorCode>> {
    if huijiao_core::policy::require_active(c.status).is_err() {
        return Ok(Err(ErrorCode::CaseNotActive));
    }
    if c.user_id.is_none() {
        return Ok(Err(ErrorCode::NoAppLogin));
    }
    if crate::checkins::active_template(db, c.id).await?.is_none() {
        return Ok(Err(ErrorCode::NotEnrolled));
    }
    case::Entity::find_by_id(c.id)
        .lock_exclusive()
        .one(db)
        .await?;
    if open_of(db, c.id).await?.is_some() {
        return Ok(Err(ErrorCode::RollCallAlreadyOpen));
    }
    let date = local_date(ring_at);
    let sensitive = crate::checkins::schedule::in_sensitive_period(db, date).await?;
    let level = huijiao_core::policy::effective_level(c.level, sensitive);
    let status = if ring_at > now {
        RollCallStatus::Scheduled
    } else {
        RollCallStatus::Ringing
    };
    let ring_at = ring_at.max(now);
    let row = roll_call::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        status: Set(status),
        initiated_by: Set(initiated_by),
        note: Set(note),
        ring_at: Set(ring_at),
        answer_by: Set(ring_at + Duration::minutes(i64::from(rules.answer_minutes.of(level)))),
        answered_at: Set(None),
        device_id: Set(None),
        decided_at: Set(None),
        challenge: Set(None),
        reasons: Set(json!([])),
        face_distance: Set(None),
        frames_judged: Set(0),
        snapshot_key: Set(None),
        turn_frame_key: Set(None),
        snapshot_purged_at: Set(None),
        recording_key: Set(None),
        recording_type: Set(None),
        recording_purged_at: Set(None),
        decision_note: Set(None),
        decided_by: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(Ok(row))
}

/// The case's open call, if any.
pub(crate) async fn open_of(
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> ApiResult<Option<roll_call::Model>> {
    Ok(roll_call::Entity::find()
        .filter(roll_call::Column::CaseId.eq(case_id))
        .filter(roll_call::Column::Status.is_in(OPEN.map(|s| s.as_str())))
        .one(db)
        .await?)
}

/// Calls the selected people (a judicial office's whole list at once, or one person): each
/// gets a call ringing now (or at `at`), a live event and a push notification. Someone who
/// cannot be called is listed with the reason; one outside the officer's jurisdiction is a 404
/// for the whole request.
#[utoipa::path(post, path = "/roll-calls", tag = "rollcalls", request_body = RollCallStart,
    responses((status = 201, body = RollCallStartView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn start(
    State(state): State<AppState>,
    caller: Officer,
    Reader(lang): Reader,
    Json(req): Json<RollCallStart>,
) -> ApiResult<(StatusCode, Json<RollCallStartView>)> {
    let now = state.clock.now();
    check_start(req.case_ids.len(), req.at, now).map_err(|p| ApiError::field(p.field, p.said))?;
    let mut ids = req.case_ids.clone();
    ids.sort();
    ids.dedup();
    if let Some(note) = &req.note {
        check_paragraphs("note", note, 500)?;
    }
    let ring_at = req.at.unwrap_or(now);
    let work = Work::begin(&state).await?;
    let mut started = Vec::new();
    let mut skipped = Vec::new();
    for id in ids {
        let c = find_case_for_write(work.db(), &caller, id).await?;
        let note = req.note.as_deref().map(str::trim).map(str::to_owned);
        let rules = &state.config.rules.roll_calls;
        match open_call(work.db(), rules, &c, Some(caller.id), note, ring_at, now).await? {
            Ok(row) => {
                work.audit(
                    &Actor::from(&caller),
                    AuditAction::RollCallStarted,
                    "case",
                    c.id,
                    json!({ "roll_call_id": row.id, "ring_at": row.ring_at }),
                )
                .await?;
                let v = view(&row)?;
                if row.status == RollCallStatus::Ringing {
                    if let Some(user) = c.user_id {
                        work.push(super::ringing_note(&row, user));
                    }
                }
                work.notify_case(&c, EventKind::RollCall, &v, true).await?;
                started.push(v);
            }
            Err(code) => skipped.push(RollCallSkipped {
                case_id: c.id,
                code: code.code().into(),
                message: code.message(lang).into(),
            }),
        }
    }
    work.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(RollCallStartView { started, skipped }),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RollCallQuery {
    /// e.g. `needs_review` for the review queue.
    pub status: Option<RollCallStatus>,
    /// Calls ringing at or after this time (a date: from its start, China time).
    #[serde(
        default,
        deserialize_with = "huijiao_core::policy::calendar::period::start_opt"
    )]
    pub from: Option<DateTime<Utc>>,
    /// … and before this one (a date: up to its end).
    #[serde(
        default,
        deserialize_with = "huijiao_core::policy::calendar::period::end_opt"
    )]
    pub to: Option<DateTime<Utc>>,
}

crate::seek_by!(roll_call, RingAt, ring_at);

/// Roll calls in the officer's jurisdiction, latest ringing first: today's, or the review queue
/// (`status=needs_review`).
#[utoipa::path(get, path = "/roll-calls", tag = "rollcalls", params(RollCallQuery, PageQuery),
    responses((status = 200, body = Page<RollCallView>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Officer,
    Paged(q, page): Paged<RollCallQuery>,
) -> ApiResult<Json<Page<RollCallView>>> {
    if q.status == Some(RollCallStatus::Unknown) {
        return Err(ApiError::field(
            "status",
            Said::new("a roll-call status", "须为视频点名状态"),
        ));
    }
    let mut find =
        roll_call::Entity::find().filter(roll_call::Column::CaseId.in_subquery(caller.case_ids()?));
    if let Some(s) = q.status {
        find = find.filter(roll_call::Column::Status.eq(s.as_str()));
    }
    if let Some(from) = q.from {
        find = find.filter(roll_call::Column::RingAt.gte(from));
    }
    if let Some(to) = q.to {
        find = find.filter(roll_call::Column::RingAt.lt(to));
    }
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, |r| view(&r))
            .await?,
    ))
}

/// A call and the case it belongs to, if the caller may see that case (else 404).
pub(super) async fn find_call(
    db: &impl ConnectionTrait,
    caller: &crate::auth::extractor::AuthUser,
    id: Uuid,
) -> ApiResult<(roll_call::Model, case::Model)> {
    let row = roll_call::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case(db, caller, row.case_id).await?;
    Ok((row, c))
}

/// A roll call. The supervisee reading their ringing call also gets the STUN/TURN servers to
/// make the WebRTC offer with.
#[utoipa::path(get, path = "/roll-calls/{id}", tag = "rollcalls", params(("id" = Uuid, Path)),
    responses((status = 200, body = RollCallView), (status = 404, body = Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<RollCallView>> {
    let (row, _) = find_call(&state.db, &caller, id).await?;
    let mut v = view(&row)?;
    if caller.role == huijiao_core::model::Role::Supervisee && row.status == RollCallStatus::Ringing
    {
        v.ice_servers = state.config.roll_calls.ice_servers.clone();
    }
    Ok(Json(v))
}

/// A case's roll calls, latest first (the supervisee sees their own).
#[utoipa::path(get, path = "/cases/{id}/roll-calls", tag = "rollcalls", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<RollCallView>), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<RollCallView>>> {
    find_case(&state.db, &caller, id).await?;
    let find = roll_call::Entity::find().filter(roll_call::Column::CaseId.eq(id));
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, |r| view(&r))
            .await?,
    ))
}

/// An officer's decision on a call (excuse, confirm, reject): the state table decides whether
/// it may be taken, the version the officer saw must still be the call's.
async fn decide(
    state: &AppState,
    caller: &Officer,
    id: Uuid,
    action: RollCallAction,
    note: &str,
    version: Option<i32>,
) -> ApiResult<Json<RollCallView>> {
    check_paragraphs(
        if action == RollCallAction::Excuse {
            "reason"
        } else {
            "note"
        },
        note,
        2000,
    )?;
    let work = Work::begin(state).await?;
    let row = roll_call::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case_for_write(work.db(), caller, row.case_id).await?;
    let now = state.clock.now();
    let note = note.trim().to_owned();
    let decided = note.clone();
    let row = apply(
        work.db(),
        &ROLL_CALL,
        action,
        Party::person(caller.role, None),
        &row,
        version,
        |q| {
            q.col_expr(roll_call::Column::DecisionNote, Expr::value(decided))
                .col_expr(roll_call::Column::DecidedBy, Expr::value(caller.id))
                .col_expr(roll_call::Column::DecidedAt, Expr::value(now))
                .col_expr(roll_call::Column::UpdatedAt, Expr::value(now))
        },
    )
    .await?;
    // What the call raised follows the decision: an excuse withdraws its miss or failure
    // (counted nowhere since), a review answers "needs review", and a rejection is a failure
    // that counts.
    let about = ("roll_call_id", row.id);
    let needs_review = [AlertKind::RollCallNeedsReview];
    match action {
        RollCallAction::Excuse => {
            let raised = [AlertKind::RollCallMissed, AlertKind::RollCallFailed];
            let withdraw = AlertAction::Withdraw;
            close_about(&work, caller, &c, about, &raised, withdraw, &note, now).await?;
        }
        _ => {
            let resolve = AlertAction::Resolve;
            close_about(&work, caller, &c, about, &needs_review, resolve, &note, now).await?;
        }
    }
    if action == RollCallAction::Reject {
        let evidence = json!({ "roll_call_id": row.id, "reviewed": true });
        let (kind, severity) = (AlertKind::RollCallFailed, AlertSeverity::High);
        raise_decided(&work, caller, &c, kind, severity, evidence, &note, now).await?;
    }
    let audited = if action == RollCallAction::Excuse {
        AuditAction::RollCallExcused
    } else {
        AuditAction::RollCallReviewed
    };
    work.audit(
        &Actor::from(caller),
        audited,
        "case",
        c.id,
        json!({ "roll_call_id": row.id, "action": action, "status": row.status }),
    )
    .await?;
    let v = view(&row)?;
    work.notify_case(&c, EventKind::RollCall, &v, true).await?;
    work.commit().await?;
    Ok(Json(v))
}

/// Excuses a call (ill, in hospital, called off): before it is answered, or after it was
/// missed or failed. The reason is kept; what the miss or failure raised is withdrawn (it
/// counts nowhere, the month's assessment included).
#[utoipa::path(post, path = "/roll-calls/{id}/excuse", tag = "rollcalls", params(("id" = Uuid, Path)), request_body = RollCallExcuse,
    responses((status = 200, body = RollCallView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn excuse(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<RollCallExcuse>,
) -> ApiResult<Json<RollCallView>> {
    decide(
        &state,
        &caller,
        id,
        RollCallAction::Excuse,
        &req.reason,
        req.version,
    )
    .await
}

/// Decides a call that needs review, from its snapshot: it was the supervisee (passed) or not
/// (failed).
#[utoipa::path(post, path = "/roll-calls/{id}/review", tag = "rollcalls", params(("id" = Uuid, Path)), request_body = RollCallReview,
    responses((status = 200, body = RollCallView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<RollCallReview>,
) -> ApiResult<Json<RollCallView>> {
    let action = match req.decision {
        RollCallReviewDecision::Confirm => RollCallAction::Confirm,
        RollCallReviewDecision::Reject => RollCallAction::Reject,
    };
    decide(&state, &caller, id, action, &req.note, req.version).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SnapshotQuery {
    /// `best` (default) or `turn`.
    pub frame: Option<EvidenceFrame>,
}

/// A picture a call kept as evidence, for the officers of the case only. Audited.
#[utoipa::path(get, path = "/roll-calls/{id}/snapshot", tag = "rollcalls", params(("id" = Uuid, Path), SnapshotQuery),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn snapshot(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Query(q): Query<SnapshotQuery>,
) -> ApiResult<Response> {
    let (row, c) = find_call(&state.db, &caller, id).await?;
    let frame = q.frame.unwrap_or(EvidenceFrame::Best);
    let key = match frame {
        EvidenceFrame::Best => row.snapshot_key,
        EvidenceFrame::Turn => row.turn_frame_key,
    }
    .ok_or(ErrorCode::NotFound)?;
    let bytes = state.media.get(&key, c.id.as_bytes()).await?;
    crate::audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::RollCallSnapshotRead,
        "case",
        Some(c.id.to_string()),
        json!({ "roll_call_id": id, "frame": frame }),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

/// The call's recording (where the jurisdiction records calls): the video the phone sent, as
/// it sent it — VP8 in IVF, or H.264 as an Annex-B stream. Officers of the case only; audited.
#[utoipa::path(get, path = "/roll-calls/{id}/recording", tag = "rollcalls", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "video/x-ivf", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn recording(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let (row, c) = find_call(&state.db, &caller, id).await?;
    let (Some(key), Some(media_type)) = (row.recording_key, row.recording_type) else {
        return Err(ErrorCode::NotFound.into());
    };
    let bytes = state.media.get(&key, c.id.as_bytes()).await?;
    crate::audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::RollCallRecordingRead,
        "case",
        Some(c.id.to_string()),
        json!({ "roll_call_id": id }),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// Calls ringing at or after this time (a date: from its start, China time); default 30
    /// days ago.
    #[serde(
        default,
        deserialize_with = "huijiao_core::policy::calendar::period::start_opt"
    )]
    pub from: Option<DateTime<Utc>>,
    /// … and before this one (a date: up to its end); default now. At most 366 days after
    /// `from`.
    #[serde(
        default,
        deserialize_with = "huijiao_core::policy::calendar::period::end_opt"
    )]
    pub to: Option<DateTime<Utc>>,
}

/// Roll-call statistics per unit over a period (answered within the deadline, passed), for
/// the units in the officer's jurisdiction, each counting its own cases' calls.
#[utoipa::path(get, path = "/roll-calls/stats", tag = "rollcalls", params(StatsQuery),
    responses((status = 200, body = Vec<RollCallUnitStats>), (status = 403, body = Problem)))]
pub async fn stats(
    State(state): State<AppState>,
    caller: Officer,
    Query(q): Query<StatsQuery>,
) -> ApiResult<Json<Vec<RollCallUnitStats>>> {
    let to = q.to.unwrap_or_else(|| state.clock.now());
    let from = q.from.unwrap_or(to - Duration::days(30));
    if from >= to || to - from > Duration::days(366) {
        return Err(ApiError::field(
            "to",
            Said::new(
                "after `from`, at most 366 days later",
                "须晚于 from，且最多晚 366 天",
            ),
        ));
    }
    let cases: std::collections::HashMap<Uuid, Uuid> = case::Entity::find()
        .filter(caller.case_scope()?)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.unit_id))
        .collect();
    let calls = roll_call::Entity::find()
        .filter(roll_call::Column::CaseId.is_in(cases.keys().copied()))
        .filter(roll_call::Column::RingAt.gte(from))
        .filter(roll_call::Column::RingAt.lt(to))
        .all(&state.db)
        .await?;
    let mut per_unit: std::collections::BTreeMap<Uuid, RollCallTally> = cases
        .values()
        .map(|u| (*u, RollCallTally::default()))
        .collect();
    for call in calls {
        let in_time = call.answered_at.is_some_and(|a| a <= call.answer_by);
        if let Some(tally) = cases.get(&call.case_id).and_then(|u| per_unit.get_mut(u)) {
            tally.add(call.status, in_time);
        }
    }
    let names: std::collections::HashMap<Uuid, String> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(per_unit.keys().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(Json(
        per_unit
            .into_iter()
            .map(|(unit_id, tally)| RollCallUnitStats {
                unit_id,
                unit_name: names.get(&unit_id).cloned().unwrap_or_default(),
                tally,
            })
            .collect(),
    ))
}
