//! Answering a roll call: the supervisee's app (on its bound phone) sends its WebRTC offer,
//! the server answers it as a peer of the call and judges the video live on its own task —
//! pictures through the face engine, a head turn asked by a live event at a random moment —
//! then records the verdict, the best snapshot (encrypted) and an alert when it failed.
//! A connection lost before a verdict rings the call again until its deadline.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use huijiao_core::api::{
    Problem, RollCallAnswer, RollCallAnswerView, RollCallTurnView, RollCallWatch, RollCallWatchView,
};
use huijiao_core::face::Template;
use huijiao_core::model::{AlertKind, AlertSeverity, AuditAction, EventKind};
use huijiao_core::policy::liveness::Pose;
use huijiao_core::policy::rollcall::{Judgement, RollCallAction, ROLL_CALL};
use huijiao_core::policy::transitions::Party;
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::judge::{Judge, Verdict};
use super::peer::{self, Call, PeerConfig, PeerError};
use super::recording::{Recorder, Recording};
use super::view;
use crate::actor::Actor;
use crate::auth::extractor::{Officer, Supervisee};
use crate::cases::own_case;
use crate::entities::{case, roll_call};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::events::Event;
use crate::state::AppState;
use crate::transition::apply;
use crate::work::Work;

/// The peer's settings from the server's configuration.
fn peer_config(state: &AppState) -> PeerConfig {
    let rc = &state.config.roll_calls;
    PeerConfig {
        bind: rc.bind,
        advertise: rc.advertise,
        ports: (rc.port_min != 0).then_some((rc.port_min, rc.port_max)),
        sample_every: Duration::from_millis(rc.sample_every_ms),
        idle_timeout: Duration::from_secs(rc.idle_timeout_secs),
    }
}

/// Answers a ringing roll call with the app's WebRTC offer (SDP, candidates gathered); the
/// server's SDP answer comes back, and the video is judged live: follow the `roll_call_turn`
/// event when it comes. The verdict arrives as a `roll_call` event.
#[utoipa::path(post, path = "/roll-calls/{id}/answer", tag = "rollcalls", params(("id" = Uuid, Path)), request_body = RollCallAnswer,
    responses((status = 200, body = RollCallAnswerView), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 503, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<RollCallAnswer>,
) -> ApiResult<Json<RollCallAnswerView>> {
    check_offer(&req.sdp_offer)?;
    let c = own_case(&state.db, &caller).await?;
    let row = roll_call::Entity::find_by_id(id)
        .filter(roll_call::Column::CaseId.eq(c.id))
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let now = state.clock.now();
    if row.status == huijiao_core::policy::rollcall::RollCallStatus::Ringing && row.answer_by < now
    {
        // Too late: recorded as missed now rather than at the job's next run (unless a run
        // just did).
        let work = Work::begin(&state).await?;
        if let Ok(events) = super::schedule::miss(work.db(), &row, now).await {
            work.publish_all(events);
            work.commit().await?;
        }
        return Err(ErrorCode::RollCallDeadlinePassed.into());
    }
    ROLL_CALL.check(
        RollCallAction::Answer,
        row.status,
        Party::person(caller.role, None),
    )?;
    let engine = state.face.clone().ok_or(ErrorCode::FaceUnavailable)?;
    let t = crate::checkins::active_template(&state.db, c.id)
        .await?
        .ok_or(ErrorCode::NotEnrolled)?;
    let template = Template::from_bytes(&state.media.keys.open(&t.template, c.id.as_bytes())?)
        .ok_or_else(|| ApiError::internal("unreadable face template"))?;

    // The peer first: an offer it cannot take leaves the call ringing, untouched.
    let (sdp_answer, media) = peer::answer(&peer_config(&state), &req.sdp_offer)
        .await
        .map_err(offer_error)?;
    // Recording starts before the first frame can arrive.
    let recorder = state
        .config
        .rules
        .roll_calls
        .record_video
        .then(|| Recorder::start(&media.feed));
    let work = Work::begin(&state).await?;
    // Dropping `media` on an error below hangs the peer up.
    let row = apply(
        work.db(),
        &ROLL_CALL,
        RollCallAction::Answer,
        Party::person(caller.role, None),
        &row,
        None,
        |q| {
            q.col_expr(roll_call::Column::AnsweredAt, Expr::value(now))
                .col_expr(
                    roll_call::Column::DeviceId,
                    Expr::value(caller.device_id.clone()),
                )
                .col_expr(roll_call::Column::UpdatedAt, Expr::value(now))
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::RollCallAnswered,
        "case",
        c.id,
        json!({ "roll_call_id": row.id }),
    )
    .await?;
    let v = view(&row)?;
    work.notify_case(&c, EventKind::RollCall, &v, true).await?;
    work.commit().await?;

    let unit_path = crate::org::unit_path(&state.db, c.unit_id).await?;
    let judge = Judge {
        engine,
        template: Arc::new(template),
        policy: state.config.checkin.match_policy,
        rules: state.config.rules.roll_calls,
        liveness: state.config.rules.liveness,
        pool: state.rollcall_pool.clone(),
    };
    let call = Session {
        media,
        recorder,
        judge,
        unit_path,
    };
    tokio::spawn(session(state.clone(), c, row.id, call));
    Ok(Json(RollCallAnswerView {
        sdp_answer,
        roll_call: v,
    }))
}

/// An officer joins a call whose video is flowing, to watch it live (the phone's own video,
/// relayed; the server keeps judging). Audited.
#[utoipa::path(post, path = "/roll-calls/{id}/watch", tag = "rollcalls", params(("id" = Uuid, Path)), request_body = RollCallWatch,
    responses((status = 200, body = RollCallWatchView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn watch(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<RollCallWatch>,
) -> ApiResult<Json<RollCallWatchView>> {
    check_offer(&req.sdp_offer)?;
    let (_, c) = super::calls::find_call(&state.db, &caller, id).await?;
    let feed = state.live_calls.get(id).ok_or(ErrorCode::RollCallNotLive)?;
    let (sdp_answer, watching) = peer::watch(&peer_config(&state), &req.sdp_offer, &feed)
        .await
        .map_err(offer_error)?;
    crate::audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::RollCallWatched,
        "case",
        Some(c.id.to_string()),
        json!({ "roll_call_id": id }),
    )
    .await?;
    // The relay runs until the call or the officer's connection ends.
    tokio::spawn(watching.finished());
    Ok(Json(RollCallWatchView { sdp_answer }))
}

fn check_offer(offer: &str) -> ApiResult<()> {
    if offer.trim().is_empty() || offer.len() > 20_000 {
        return Err(ApiError::field(
            "sdp_offer",
            Said::new(
                "a WebRTC SDP offer, at most 20,000 characters",
                "须为 WebRTC SDP offer，最多 20000 个字符",
            ),
        ));
    }
    Ok(())
}

/// An offer the peer could not take as the API's error (422 naming `sdp_offer`).
fn offer_error(e: PeerError) -> ApiError {
    match e {
        PeerError::Io(e) => ApiError::internal(e),
        e => ApiError::from(ErrorCode::RollCallOfferInvalid)
            .naming("sdp_offer", Said::new(e.to_string(), e.to_string())),
    }
}

/// What the supervisee is told to do for the asked turn.
fn turn_instruction(pose: Pose) -> Said {
    match pose {
        Pose::TurnLeft => Said::new("Turn your head to your left now", "请现在向左转头"),
        Pose::TurnRight => Said::new("Turn your head to your right now", "请现在向右转头"),
        _ => Said::new("Look straight at the camera", "请正视镜头"),
    }
}

/// What a call's session runs on: the media, its recording if the rules want one, the judge,
/// and where the call's events go.
struct Session {
    media: Call,
    recorder: Option<Recorder>,
    judge: Judge,
    unit_path: String,
}

/// A call's life after the answer: the first picture must come within the connect timeout
/// (else it rings again), then the judge runs until its verdict or the connection's end.
async fn session(state: AppState, c: case::Model, id: Uuid, call: Session) {
    let Session {
        mut media,
        recorder,
        judge,
        unit_path,
    } = call;
    let connect = Duration::from_secs(state.config.roll_calls.connect_timeout_secs);
    let first = tokio::time::timeout(connect, media.samples.recv()).await;
    // Officers may join while the video flows; the feed closes with the call.
    state.live_calls.add(id, media.feed.clone());
    let verdict = match first {
        Ok(Some(first)) => {
            if let Err(e) = verifying(&state, &c, id).await {
                tracing::warn!(roll_call = %id, error = ?e.code, "roll call not moved to verifying");
                media.hang_up();
                return;
            }
            // The judge reads the first picture like the others.
            let (tx, mut pictures) = mpsc::channel(4);
            let _ = tx.try_send(first);
            let (_, closed) = mpsc::channel(1);
            let mut upstream = std::mem::replace(&mut media.samples, closed);
            tokio::spawn(async move {
                while let Some(s) = upstream.recv().await {
                    if tx.send(s).await.is_err() {
                        break;
                    }
                }
            });
            let within_secs = judge.rules.challenge_secs;
            let events = state.events.clone();
            let ask = |pose: Pose| {
                let said = turn_instruction(pose);
                let turn = RollCallTurnView {
                    roll_call_id: id,
                    pose,
                    instruction_en: said.en.to_string(),
                    instruction_zh: said.zh.to_string(),
                    within_secs,
                };
                events.publish(Event::about_case(
                    unit_path.clone(),
                    c.id,
                    c.user_id,
                    EventKind::RollCallTurn,
                    &turn,
                ));
            };
            judge.run(&mut pictures, ask, rand::random::<bool>).await
        }
        // No video in time, or the connection went first.
        _ => Verdict {
            judgement: None,
            asked: None,
            frames_judged: 0,
            best: None,
            turn: None,
        },
    };
    state.live_calls.remove(id);
    let recording = match recorder {
        Some(r) => r.finish().await,
        None => None,
    };
    media.hang_up();
    drop(media);
    if let Err(e) = record(&state, &c, id, verdict, recording).await {
        tracing::error!(roll_call = %id, error = ?e.code, "roll call verdict not recorded");
    }
}

/// Answered → verifying: the video is arriving.
async fn verifying(state: &AppState, c: &case::Model, id: Uuid) -> ApiResult<()> {
    let work = Work::begin(state).await?;
    let row = roll_call::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let now = state.clock.now();
    let row = apply(
        work.db(),
        &ROLL_CALL,
        RollCallAction::Verify,
        Party::System,
        &row,
        None,
        |q| q.col_expr(roll_call::Column::UpdatedAt, Expr::value(now)),
    )
    .await?;
    work.notify_case(c, EventKind::RollCall, &view(&row)?, true)
        .await?;
    work.commit().await
}

/// Records how the call ended: the verdict with its evidence, or — the connection lost first —
/// ringing again until the deadline (missed after it; an attempt without a verdict keeps no
/// recording: the next answer records anew).
async fn record(
    state: &AppState,
    c: &case::Model,
    id: Uuid,
    verdict: Verdict,
    recording: Option<Recording>,
) -> ApiResult<()> {
    let now = state.clock.now();
    let (action, reasons, alert) = match verdict.judgement {
        Some(Judgement::Passed) => (RollCallAction::Pass, vec![], None),
        Some(Judgement::Failed(r)) => (
            RollCallAction::Fail,
            vec![r],
            Some((AlertKind::RollCallFailed, AlertSeverity::High)),
        ),
        Some(Judgement::NeedsReview(r)) => (
            RollCallAction::Refer,
            vec![r],
            Some((AlertKind::RollCallNeedsReview, AlertSeverity::Medium)),
        ),
        // The judge only returns a decision or the end of the pictures.
        Some(Judgement::Pending { .. }) | None => (RollCallAction::Drop, vec![], None),
    };
    let work = Work::begin(state).await?;
    let row = roll_call::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if action == RollCallAction::Drop {
        if row.answer_by < now {
            let events = super::schedule::miss(work.db(), &row, now).await?;
            work.publish_all(events);
        } else {
            let row = apply(
                work.db(),
                &ROLL_CALL,
                action,
                Party::System,
                &row,
                None,
                |q| q.col_expr(roll_call::Column::UpdatedAt, Expr::value(now)),
            )
            .await?;
            work.notify_case(c, EventKind::RollCall, &view(&row)?, true)
                .await?;
            if let Some(user) = c.user_id {
                work.push(super::ringing_note(&row, user));
            }
        }
        return work.commit().await;
    }
    // Evidence: the frame closest to the enrolled face and the challenge's frame, encrypted,
    // bound to the case.
    let mut evidence = Vec::new();
    for picture in [verdict.best.as_ref().map(|b| &b.1), verdict.turn.as_ref()] {
        evidence.push(match picture {
            Some(p) => Some(
                state
                    .media
                    .put(
                        &format!("rollcalls/{}", c.id),
                        &p.encode_jpeg(85),
                        c.id.as_bytes(),
                    )
                    .await?,
            ),
            None => None,
        });
    }
    let (snapshot, turn_frame) = (evidence[0].clone(), evidence[1].clone());
    let recording_type = recording.as_ref().map(|r| r.media_type);
    let recording_key = match &recording {
        Some(r) => {
            let key = state
                .media
                .put(&format!("rollcalls/{}", c.id), &r.bytes, c.id.as_bytes())
                .await?;
            evidence.push(Some(key.clone()));
            Some(key)
        }
        None => None,
    };
    let distance = verdict.best.as_ref().map(|b| f64::from(b.0));
    let challenge = verdict.asked.map(|(p, _)| p.as_str());
    let judged = verdict.frames_judged as i32;
    let stored = apply(
        work.db(),
        &ROLL_CALL,
        action,
        Party::System,
        &row,
        None,
        |q| {
            q.col_expr(roll_call::Column::DecidedAt, Expr::value(now))
                .col_expr(roll_call::Column::Reasons, Expr::value(json!(reasons)))
                .col_expr(roll_call::Column::FaceDistance, Expr::value(distance))
                .col_expr(roll_call::Column::FramesJudged, Expr::value(judged))
                .col_expr(roll_call::Column::Challenge, Expr::value(challenge))
                .col_expr(roll_call::Column::SnapshotKey, Expr::value(snapshot))
                .col_expr(roll_call::Column::TurnFrameKey, Expr::value(turn_frame))
                .col_expr(roll_call::Column::RecordingKey, Expr::value(recording_key))
                .col_expr(
                    roll_call::Column::RecordingType,
                    Expr::value(recording_type),
                )
                .col_expr(roll_call::Column::UpdatedAt, Expr::value(now))
        },
    )
    .await;
    let row = match stored {
        Ok(row) => row,
        Err(e) => {
            for key in evidence.iter().flatten() {
                state.media.delete(key).await?;
            }
            return Err(e);
        }
    };
    if let Some((kind, severity)) = alert {
        let (_, e) = crate::alerts::raise(
            work.db(),
            now,
            c,
            kind,
            severity,
            json!({ "roll_call_id": row.id, "reasons": reasons }),
        )
        .await?;
        work.publish(e);
    }
    work.audit(
        &Actor::default(),
        AuditAction::RollCallDecided,
        "case",
        c.id,
        json!({ "roll_call_id": row.id, "status": row.status, "reasons": reasons }),
    )
    .await?;
    work.notify_case(c, EventKind::RollCall, &view(&row)?, true)
        .await?;
    work.commit().await
}
