//! Video roll calls (视频点名): an officer or the system calls a supervisee, whose app answers
//! with live video; the server is a peer of the call and judges it frame by frame (the face
//! and a head turn asked at a random moment), keeps the best snapshot as evidence, and records
//! the verdict. Records and officers' actions (`calls`), answering and the live judging
//! (`answer`), and the jobs that ring, call at random and mark calls missed (`schedule`) build
//! on the media path: the WebRTC peer (`peer`), VP8 through libvpx (`vp8`), H.264 through
//! openh264 (`h264`), the judge of a call's pictures (`judge`), and a Rust caller for the
//! tests and the benchmark (`caller`).

mod answer;
pub mod caller;
mod calls;
#[cfg(feature = "h264")]
pub mod h264;
pub mod judge;
mod page;
pub mod peer;
pub mod recording;
pub mod schedule;
pub mod vp8;

use huijiao_core::api::RollCallView;
use huijiao_core::model::EventKind;
use huijiao_core::policy::liveness::Pose;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::entities::roll_call;
use crate::error::{ApiError, ApiResult};
use crate::jobs::announce;
use crate::push::PushNote;
use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("rollcalls", routes)
    .jobs(JOBS)
    .pages(|| axum::Router::new().route("/roll-call", axum::routing::get(answer_page)));

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(calls::start, calls::list))
        .routes(routes!(calls::stats))
        .routes(routes!(calls::get_one))
        .routes(routes!(calls::of_case))
        .routes(routes!(answer::answer))
        .routes(routes!(answer::watch))
        .routes(routes!(calls::excuse))
        .routes(routes!(calls::review))
        .routes(routes!(calls::snapshot))
        .routes(routes!(calls::recording))
}

pub(crate) fn view(r: &roll_call::Model) -> ApiResult<RollCallView> {
    Ok(RollCallView {
        id: r.id,
        case_id: r.case_id,
        status: r.status,
        initiated_by: r.initiated_by,
        note: r.note.clone(),
        ring_at: r.ring_at,
        answer_by: r.answer_by,
        answered_at: r.answered_at,
        decided_at: r.decided_at,
        challenge: r.challenge.as_deref().and_then(Pose::parse),
        reasons: serde_json::from_value(r.reasons.clone()).map_err(ApiError::internal)?,
        face_distance: r.face_distance,
        frames_judged: r.frames_judged,
        has_snapshot: r.snapshot_key.is_some(),
        has_turn_frame: r.turn_frame_key.is_some(),
        has_recording: r.recording_key.is_some(),
        decision_note: r.decision_note.clone(),
        decided_by: r.decided_by,
        version: r.version,
        created_at: r.created_at,
        ice_servers: vec![],
    })
}

/// The phone's notification that a call is ringing: no name, nothing about the case.
pub(crate) fn ringing_note(r: &roll_call::Model, user_id: uuid::Uuid) -> PushNote {
    PushNote {
        user_id,
        kind: EventKind::RollCall,
        record_id: r.id,
        title_en: "Video roll call: answer now".into(),
        title_zh: "视频点名：请立即应答".into(),
    }
}

pub use page::answer_page;

/// Periodic work of this domain (run by `jobs`).
pub const JOBS: &[crate::jobs::Job] = &[
    crate::jobs::Job {
        name: "rollcalls.ring_due",
        run: |_, w, now| Box::pin(async move { schedule::ring_due(w, now).await }),
    },
    crate::jobs::Job {
        name: "rollcalls.missed",
        run: |s, w, now| {
            Box::pin(async move { Ok(announce(w, schedule::mark_missed(s, w.db(), now).await?)) })
        },
    },
    crate::jobs::Job {
        name: "rollcalls.at_random",
        run: |s, w, now| {
            Box::pin(async move {
                let mut roll = || rand::random::<f64>();
                schedule::call_at_random(s, w, now, &mut roll).await
            })
        },
    },
    crate::jobs::Job {
        name: "rollcalls.retention",
        run: |s, w, now| Box::pin(async move { schedule::purge_evidence(s, w.db(), now).await }),
    },
];
