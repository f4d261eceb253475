//! Heartbeats, written by group commit: a request checks its token and beats and queues them;
//! one writer takes every request queued and writes them in one transaction (the callers'
//! accounts, sessions and phones checked for all at once, the study sessions locked in id
//! order, each request judged on its own by the core's `credit`, the beats, sessions and month
//! rows written a statement each). Thousands of people studying at once cost a commit per
//! batch, not per beat. A request's refusal (not its session, ended, another phone) is its
//! own; should the batch fail as a whole, each request is written again alone, so one bad
//! request never fails the others.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use chrono::{DateTime, Utc};
use huijiao_core::api::{Problem, StudyBeats, StudySessionView};
use huijiao_core::policy::calendar::month_of;
use huijiao_core::policy::learning::{
    credit, lesson_completed, Beat, CreditSource, NoCredit, Obligation, StudyClock,
    StudySessionStatus,
};
use huijiao_core::{ErrorCode, Said};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TryIntoModel};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::beat_queue::{BeatAsk, BeatJob};
use super::{beat_writes, face_checks, session_view};
use crate::auth::extractor::{check_live, SuperviseeToken};
use crate::db::any_of;
use crate::entities::{case, lesson, study_beat, study_session};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::group_commit::Writer;
use crate::state::AppState;
use crate::work::Work;

/// Requests a batch takes at most (each up to 200 beats).
const MAX_BATCH: usize = 256;

fn check_beats(req: &StudyBeats) -> ApiResult<()> {
    if req.beats.is_empty() || req.beats.len() > 200 {
        return Err(ApiError::field(
            "beats",
            Said::new("1 to 200 heartbeats", "须为 1 到 200 个心跳"),
        ));
    }
    for (i, b) in req.beats.iter().enumerate() {
        if b.seq == 0 || b.seq > i32::MAX as u32 {
            return Err(ApiError::field(
                format!("beats[{i}].seq"),
                Said::new("a sequence number from 1", "须为从 1 开始的序号"),
            ));
        }
        if b.position_ms > i64::MAX as u64 / 2 {
            return Err(ApiError::field(
                format!("beats[{i}].position_ms"),
                Said::new(
                    "a playback position in milliseconds",
                    "须为以毫秒计的播放位置",
                ),
            ));
        }
    }
    Ok(())
}

/// Takes heartbeats of an open session (in any order, retries included: each sequence number
/// counts once) and answers with the session as credited.
#[utoipa::path(post, path = "/study-sessions/{id}/beats", tag = "learning", params(("id" = Uuid, Path)), request_body = StudyBeats,
    responses((status = 200, body = StudySessionView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn beats(
    State(state): State<AppState>,
    caller: SuperviseeToken,
    Path(id): Path<Uuid>,
    Json(req): Json<StudyBeats>,
) -> ApiResult<Json<StudySessionView>> {
    check_beats(&req)?;
    let mut beats: Vec<Beat> = req.beats.iter().map(Beat::from).collect();
    beats.sort_by_key(|b| b.seq);
    let ask = BeatAsk {
        caller,
        session: id,
        beats,
    };
    let (reply, answer) = oneshot::channel();
    if let Some(writer) = state.beat_queue.push(BeatJob { ask, reply }) {
        tokio::spawn(write_queued(state.clone(), writer));
    }
    let view = answer
        .await
        .map_err(|_| ApiError::internal("the heartbeat writer stopped"))??;
    Ok(Json(view))
}

async fn write_queued(state: AppState, mut writer: Writer<BeatJob>) {
    while let Some(jobs) = writer.take(MAX_BATCH) {
        // How well requests share commits, for the operator.
        metrics::histogram!("heartbeat_batch_requests").record(jobs.len() as f64);
        let (asks, replies): (Vec<BeatAsk>, Vec<_>) =
            jobs.into_iter().map(|j| (j.ask, j.reply)).unzip();
        let answers = match write_batch(&state, &asks).await {
            Ok(answers) => answers,
            Err(e) if asks.len() == 1 => vec![Err(e)],
            Err(e) => {
                tracing::warn!(error = ?e, requests = asks.len(), "a heartbeat batch failed; writing each alone");
                let mut answers = Vec::with_capacity(asks.len());
                for ask in &asks {
                    answers.push(
                        write_batch(&state, std::slice::from_ref(ask))
                            .await
                            .and_then(|mut a| a.pop().expect("one answer a request")),
                    );
                }
                answers
            }
        };
        for (reply, answer) in replies.into_iter().zip(answers) {
            // A caller gone (its connection closed) needs no answer: its app resends.
            let _ = reply.send(answer);
        }
    }
}

/// Writes a batch in one transaction; the answer of each request, in order.
async fn write_batch(
    state: &AppState,
    asks: &[BeatAsk],
) -> ApiResult<Vec<ApiResult<StudySessionView>>> {
    let now = state.clock.now();
    let rules = &state.config.rules.learning;
    let work = Work::begin(state).await?;
    let db = work.db();
    let callers: Vec<&SuperviseeToken> = asks.iter().map(|a| &a.caller).collect();
    let live = check_live(db, &callers, now).await?;
    let mut ids: Vec<Uuid> = asks.iter().map(|a| a.session).collect();
    ids.sort();
    ids.dedup();
    // In id order, so that another writer locking several of these never waits in a circle.
    let mut sessions: HashMap<Uuid, study_session::Model> = study_session::Entity::find()
        .filter(any_of(db, study_session::Column::Id, ids.iter().copied()))
        .order_by_asc(study_session::Column::Id)
        .lock_exclusive()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let owners = owners_of(db, sessions.values()).await?;
    let lesson_ids: HashSet<Uuid> = sessions.values().map(|s| s.lesson_id).collect();
    let lessons: HashMap<Uuid, lesson::Model> = lesson::Entity::find()
        .filter(any_of(db, lesson::Column::Id, lesson_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut checks = face_checks::open_of(db, &ids).await?;

    let mut answers = Vec::with_capacity(asks.len());
    let mut rows = vec![];
    let mut changed = HashSet::new();
    let mut deltas: HashMap<Uuid, i64> = HashMap::new();
    for (ask, live) in asks.iter().zip(live) {
        if let Err(refused) = live {
            answers.push(Err(refused.into()));
            continue;
        }
        let s = match sessions.get(&ask.session) {
            Some(s) if owners.get(&s.case_id) == Some(&ask.caller.user_id) => s,
            _ => {
                answers.push(Err(ErrorCode::NotFound.into()));
                continue;
            }
        };
        if s.status != StudySessionStatus::Open {
            answers.push(Err(ErrorCode::StudySessionEnded.into()));
            continue;
        }
        if s.device_id.as_deref() != Some(ask.caller.device_id.as_str()) {
            answers.push(Err(ErrorCode::Forbidden.into()));
            continue;
        }
        let l = lessons
            .get(&s.lesson_id)
            .ok_or_else(|| ApiError::internal("a session's lesson is gone"))?;
        let Some(pacing) = l.kind.pacing(l.seek_allowed) else {
            answers.push(Err(ErrorCode::LessonNotTimed.into()));
            continue;
        };
        let wall_ms = (now - s.opened_at).num_milliseconds().max(0) as u64;
        let mut clock = clock_of(s);
        let mut added = 0u64;
        for b in &ask.beats {
            let c = credit(&clock, b, pacing, rules, wall_ms);
            if c.cut == Some(NoCredit::Repeated) {
                continue;
            }
            rows.push(study_beat::Model {
                session_id: s.id,
                seq: b.seq as i32,
                client_ms: b.client_ms,
                position_ms: b.position_ms as i64,
                playing: b.playing,
                foreground: b.foreground,
                idle_secs: b.idle_secs.min(i32::MAX as u32) as i32,
                received_at: now,
                added_ms: c.added_ms as i64,
                cut: c.cut.map(|k| k.as_str().to_owned()),
            });
            added += c.added_ms;
            clock = c.clock;
        }
        let completed = s.completed
            || lesson_completed(
                l.kind,
                l.duration_secs.max(0) as u32,
                l.min_minutes.max(0) as u32,
                &clock,
            );
        // Under the row's lock: the version read (or stepped earlier in this batch) is the
        // one to step.
        let mut next = study_session::Model {
            last_seq: clock.last_seq as i32,
            last_client_ms: clock.last_client_ms,
            last_position_ms: clock.last_position_ms as i64,
            last_studying: clock.last_studying,
            credited_ms: clock.credited_ms as i64,
            furthest_ms: clock.furthest_ms as i64,
            completed,
            last_beat_at: Some(now),
            version: s.version + 1,
            ..s.clone()
        };
        // The checks read up front are current for a session's first request in the batch
        // only; a later one reads them again.
        let open = if changed.insert(s.id) {
            Some(checks.remove(&s.id).unwrap_or_default())
        } else {
            None
        };
        let voided = face_checks::advance(&work, state, &mut next, open, now).await?;
        *deltas.entry(s.id).or_default() += added as i64 - voided as i64;
        answers.push(Ok(session_view(&next, rules)));
        sessions.insert(next.id, next);
    }

    beat_writes::insert_beats(db, &rows).await?;
    let written: Vec<study_session::Model> =
        changed.iter().map(|id| sessions[id].clone()).collect();
    beat_writes::update_sessions(db, &written).await?;
    let deltas: Vec<(&study_session::Model, i64)> = deltas
        .into_iter()
        .filter(|(_, ms)| *ms != 0)
        .map(|(id, ms)| (&sessions[&id], ms))
        .collect();
    add_to_ledger(db, &deltas, month_of(now), now).await?;
    work.commit().await?;
    Ok(answers)
}

/// The supervisee account of each of these sessions' cases.
async fn owners_of(
    db: &impl ConnectionTrait,
    sessions: impl Iterator<Item = &study_session::Model>,
) -> ApiResult<HashMap<Uuid, Uuid>> {
    let cases: HashSet<Uuid> = sessions.map(|s| s.case_id).collect();
    let rows: Vec<(Uuid, Uuid)> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::UserId)
        .filter(any_of(db, case::Column::Id, cases))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

fn clock_of(s: &study_session::Model) -> StudyClock {
    StudyClock {
        last_seq: s.last_seq.max(0) as u32,
        last_client_ms: s.last_client_ms,
        last_position_ms: s.last_position_ms.max(0) as u64,
        last_studying: s.last_studying,
        credited_ms: s.credited_ms.max(0) as u64,
        furthest_ms: s.furthest_ms.max(0) as u64,
    }
}

/// Adds each session's time (negative: taken back) to its row of the month, one row per
/// session and month (the unique key the upsert adds onto), a statement for all.
pub(super) async fn add_to_ledger(
    db: &impl ConnectionTrait,
    deltas: &[(&study_session::Model, i64)],
    month: String,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let rows = deltas
        .iter()
        .map(|(s, ms)| {
            crate::ledger::Entry {
                case_id: s.case_id,
                obligation: Obligation::Education,
                month: month.clone(),
                source: CreditSource::Lesson,
                credited_ms: *ms,
                reason: None,
                created_by: None,
                session_id: Some(s.id),
                attendance_id: None,
                participation_id: None,
            }
            .row(now)
            .try_into_model()
        })
        .collect::<Result<Vec<_>, _>>()?;
    beat_writes::add_lesson_credits(db, &rows).await
}
