//! Video roll calls through the API, on both databases: an officer calls, the supervisee's
//! phone is pushed and answers with a real WebRTC offer (the Rust caller, VP8 over loopback
//! UDP), the server judges the live video — the enrolled face, turning as the live event asks —
//! and records the verdict with an encrypted snapshot; someone else fails with an alert. Calls
//! not answered in time are missed once, with an escalating alert; officers excuse and review
//! with the version they saw; the system calls at random at the level's rate.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use huijiao_core::api::RollCallTurnView;
use huijiao_core::face::image::Rgb;
use huijiao_core::face::synth::turn_head;
use huijiao_core::policy::liveness::Pose;
use huijiao_server::entities::{case, roll_call};
use huijiao_server::push::InProcessPush;
use huijiao_server::rollcalls::caller::{panning_frame, Caller};
use huijiao_server::rollcalls::schedule;
use huijiao_server::rollcalls::vp8::Encoder;
use huijiao_server::work::Work;
use rand::{Rng, SeedableRng};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use str0m::format::Codec;

use crate::checkins::{enrolled, face};
use crate::common::{assert_problem, Backend, TestApp, World};

/// A server with `officer.a1`'s case enrolled, short roll-call timings, and push notes kept.
async fn app(backend: Backend) -> (TestApp, World, Arc<InProcessPush>) {
    app_with(backend, |_| {}).await
}

async fn app_with(
    backend: Backend,
    tweak: impl FnOnce(&mut huijiao_server::config::Config),
) -> (TestApp, World, Arc<InProcessPush>) {
    let (mut app, w) = enrolled(backend, |c| {
        tweak(c);
        c.rules.roll_calls.challenge_after_secs = 2;
        c.rules.roll_calls.challenge_secs = 4;
        c.rules.roll_calls.max_verify_secs = 20;
        c.roll_calls.sample_every_ms = 400;
        c.roll_calls.ice_servers = vec![huijiao_core::api::IceServerView {
            urls: vec!["turn:turn.example.org:3478".into()],
            username: Some("huijiao".into()),
            credential: Some("secret".into()),
        }];
    })
    .await;
    let push = Arc::new(InProcessPush::default());
    app.state.push = push.clone();
    app.router = huijiao_server::app::router(app.state.clone());
    (app, w, push)
}

async fn start(app: &TestApp, w: &World, who: &str, cases: &[&str]) -> Value {
    let (s, v) = w
        .call(
            app,
            who,
            "POST",
            "/api/v1/roll-calls",
            Some(json!({ "case_ids": cases, "note": "例行点名" })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

async fn get(app: &TestApp, w: &World, id: &str) -> Value {
    let (s, v) = w
        .call(
            app,
            "officer.a1",
            "GET",
            &format!("/api/v1/roll-calls/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// An officer joins call `id` to watch it (through the router, as the app would) and receives
/// for three seconds; how many frames reached them.
async fn watch(router: axum::Router, token: String, id: String) -> usize {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let (mut officer, offer) = Caller::watcher().await.unwrap();
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/api/v1/roll-calls/{id}/watch"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            json!({ "sdp_offer": offer }).to_string(),
        ))
        .unwrap();
    let res = router.oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    officer
        .accept(body["sdp_answer"].as_str().unwrap())
        .unwrap();
    let mut nothing = |_: usize, _: bool| Vec::new();
    let watched = officer
        .stream(&mut nothing, 15, Duration::from_secs(3), 0.0, || true)
        .await;
    assert!(watched.is_ok_and(|r| r.connected));
    officer.received.len()
}

/// The supervisee answers call `id` from the phone showing `photo`, turning the head when the
/// server asks; returns the call once it has its verdict. With `watched`, an officer joins once
/// the video flows; the frames they received come back too.
async fn answer_live(
    app: &TestApp,
    w: &World,
    id: &str,
    photo: &Rgb,
    watched: bool,
) -> (Value, usize) {
    let engine = app.state.face.clone().unwrap();
    let landmarks = engine.analyze_image(photo).map(|a| a.landmarks).ok();
    let turned = |deg: f32| landmarks.map(|l| turn_head(photo, &l, deg));
    let (left, right) = (turned(30.0), turned(-30.0));
    let mut events = app.state.events.subscribe();
    let asked: Arc<Mutex<Option<Pose>>> = Arc::default();
    let decided = Arc::new(AtomicBool::new(false));
    let (told, over, call_id) = (asked.clone(), decided.clone(), id.to_owned());
    let officer = watched.then(|| (app.router.clone(), w.token("officer.a1").to_owned()));
    let watching: Arc<Mutex<Option<tokio::task::JoinHandle<usize>>>> = Arc::default();
    let joined = watching.clone();
    let listener = tokio::spawn(async move {
        let mut officer = officer;
        while let Ok(e) = events.recv().await {
            let p = &e.view.payload;
            match e.view.kind.as_str() {
                "roll_call_turn" => {
                    let turn: RollCallTurnView = serde_json::from_value(p.clone()).unwrap();
                    assert_eq!(turn.roll_call_id.to_string(), call_id);
                    assert!(turn.instruction_zh.contains("转头"), "{turn:?}");
                    *told.lock().unwrap() = Some(turn.pose);
                }
                "roll_call" if p["id"] == call_id.as_str() && p["status"] == "verifying" => {
                    if let Some((router, token)) = officer.take() {
                        let watcher = tokio::spawn(watch(router, token, call_id.clone()));
                        *joined.lock().unwrap() = Some(watcher);
                    }
                }
                "roll_call"
                    if p["id"] == call_id.as_str()
                        && !["answered", "verifying"].contains(&p["status"].as_str().unwrap()) =>
                {
                    over.store(true, Ordering::SeqCst);
                }
                _ => {}
            }
        }
    });
    let (mut caller, offer) = Caller::offer(Codec::Vp8).await.unwrap();
    let (s, v) = w
        .call(
            app,
            "sv.a1",
            "POST",
            &format!("/api/v1/roll-calls/{id}/answer"),
            Some(json!({ "sdp_offer": offer })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["roll_call"]["status"], "answered");
    caller.accept(v["sdp_answer"].as_str().unwrap()).unwrap();
    let mut encoder = Encoder::new(640, 480, 800).unwrap();
    let mut video = |n: usize, keyframe: bool| {
        let shown = match (*asked.lock().unwrap(), &left, &right) {
            (Some(Pose::TurnLeft), Some(l), _) => l,
            (Some(Pose::TurnRight), _, Some(r)) => r,
            _ => photo,
        };
        encoder
            .encode(&panning_frame(shown, n), 66, keyframe)
            .unwrap()
            .remove(0)
            .data
    };
    let _ = caller
        .stream(&mut video, 15, Duration::from_secs(30), 0.0, || {
            !decided.load(Ordering::SeqCst)
        })
        .await;
    drop(caller);
    listener.abort();
    let watcher = watching.lock().unwrap().take();
    let seen = match watcher {
        Some(w) => w.await.unwrap(),
        None => 0,
    };
    for _ in 0..100 {
        let v = get(app, w, id).await;
        if !["answered", "verifying"].contains(&v["status"].as_str().unwrap()) {
            return (v, seen);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no verdict for {id}");
}

macro_rules! both_with_face {
    ($name:ident, |$backend:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $backend = Backend::Sqlite;
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $backend = Backend::Postgres;
                $body
            }
        }
    };
}

both_with_face!(a_live_answer_passes_and_someone_else_fails, |backend| {
    let (app, w, push) = app(backend).await;
    let (a1, a2) = (w.case_a1.as_str(), w.case_a2.as_str());
    // The county calls both of its people: one is enrolled, the other has no face to verify.
    let v = start(&app, &w, "officer.county_a", &[a1, a2]).await;
    assert_eq!(v["started"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["skipped"][0]["case_id"], a2);
    assert_eq!(v["skipped"][0]["code"], "checkin.not_enrolled");
    let call = &v["started"][0];
    assert_eq!(
        (call["status"].as_str(), call["case_id"].as_str()),
        (Some("ringing"), Some(a1))
    );
    assert!(call["initiated_by"].is_string());
    let id = call["id"].as_str().unwrap().to_owned();
    // The phone is woken, with nothing on the lock screen about the case.
    let notes = push.sent();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].record_id.to_string(), id);
    assert!(!notes[0].title_zh.contains("测试人"));
    // The phone gets the TURN server to offer through; officers' views do not carry it.
    let (_, mine) = w
        .call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/roll-calls/{id}"),
            None,
        )
        .await;
    assert_eq!(
        mine["ice_servers"][0]["urls"][0],
        "turn:turn.example.org:3478"
    );
    assert_eq!(get(&app, &w, &id).await["ice_servers"], json!([]));
    // Never two open at once.
    let again = start(&app, &w, "officer.a1", &[a1]).await;
    assert_eq!(
        again["skipped"][0]["code"], "rollcall.already_open",
        "{again}"
    );
    // Another office's officer cannot call, see or decide it.
    let got = w
        .call(
            &app,
            "officer.b1",
            "POST",
            "/api/v1/roll-calls",
            Some(json!({ "case_ids": [a1] })),
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    let got = w
        .call(
            &app,
            "officer.b1",
            "GET",
            &format!("/api/v1/roll-calls/{id}"),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

    let (done, watched) = answer_live(&app, &w, &id, &face("grace_hopper.jpg"), true).await;
    assert_eq!(done["status"], "passed", "{done}");
    // The officer who joined saw the call live while it was judged; now it is over.
    assert!(watched >= 10, "{watched} frames reached the officer");
    let (_, entries) = app
        .get(
            "/api/v1/audit?action=roll_call.watched",
            w.token("auditadmin"),
        )
        .await;
    assert_eq!(
        entries["items"][0]["detail"]["roll_call_id"],
        id.as_str(),
        "{entries}"
    );
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &format!("/api/v1/roll-calls/{id}/watch"),
            Some(json!({ "sdp_offer": "v=0" })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "rollcall.not_live");
    assert!(["turn_left", "turn_right"].contains(&done["challenge"].as_str().unwrap()));
    assert!(done["face_distance"].as_f64().unwrap() < 0.55);
    assert!(done["frames_judged"].as_i64().unwrap() >= 5);
    assert_eq!(done["has_snapshot"], true);
    assert_eq!(done["has_turn_frame"], true);
    assert_eq!(done["has_recording"], false, "recording is off by default");
    let passed_id = id.clone();
    // The snapshot is the officers', read audited; encrypted at rest (not a JPEG on disk).
    let before = app.count("audit_entries").await;
    let (s, _, jpeg) = app
        .call_raw(
            "GET",
            &format!("/api/v1/roll-calls/{id}/snapshot"),
            Some(w.token("officer.a1")),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(jpeg.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert_eq!(app.count("audit_entries").await, before + 1);
    let (s, _, turn) = app
        .call_raw(
            "GET",
            &format!("/api/v1/roll-calls/{id}/snapshot?frame=turn"),
            Some(w.token("officer.a1")),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        turn.starts_with(&[0xFF, 0xD8]) && turn != jpeg,
        "the turn, not the best match"
    );
    assert_eq!(media_files(&app), 2);
    let got = w
        .call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/roll-calls/{id}/snapshot"),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    // Answering again: it is over.
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/roll-calls/{id}/answer"),
            Some(json!({ "sdp_offer": "v=0" })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "rollcall.transition_invalid");

    // Someone else answers the next call on the phone: failed, an alert, no snapshot of them.
    let v = start(&app, &w, "officer.a1", &[a1]).await;
    let id = v["started"][0]["id"].as_str().unwrap().to_owned();
    let (done, _) = answer_live(&app, &w, &id, &face("astronaut.png"), false).await;
    assert_eq!(done["status"], "failed", "{done}");
    assert_eq!(done["reasons"], json!(["face_mismatch"]));
    assert_eq!(
        (
            done["has_snapshot"].as_bool(),
            done["has_turn_frame"].as_bool()
        ),
        (Some(false), Some(false))
    );
    let (_, alerts) = w
        .call(&app, "officer.a1", "GET", "/api/v1/alerts", None)
        .await;
    assert!(alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["kind"] == "roll_call_failed" && a["evidence"]["roll_call_id"] == id.as_str()));
    // The case's history, as the supervisee sees it.
    let (s, mine) = w
        .call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/cases/{a1}/roll-calls"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let statuses: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["failed", "passed"]);

    // The evidence is purged on schedule (the stranger failed before any turn was asked and
    // left no picture); the verdicts stay.
    assert_eq!(media_files(&app), 2);
    let keep = app.state.config.roll_calls.snapshot_keep_days;
    let soon = Utc::now() + chrono::Duration::days(keep - 1);
    assert_eq!(
        schedule::purge_evidence(&app.state, &app.state.db, soon)
            .await
            .unwrap(),
        0
    );
    let later = Utc::now() + chrono::Duration::days(keep + 1);
    assert_eq!(
        schedule::purge_evidence(&app.state, &app.state.db, later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(media_files(&app), 0);
    let gone = get(&app, &w, &passed_id).await;
    assert_eq!(
        (
            gone["status"].as_str(),
            gone["has_snapshot"].as_bool(),
            gone["has_turn_frame"].as_bool()
        ),
        (Some("passed"), Some(false), Some(false))
    );
    let got = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/roll-calls/{passed_id}/snapshot"),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
});

both_with_face!(
    a_recorded_call_keeps_its_video_until_its_own_retention,
    |backend| {
        let (app, w, _) = app_with(backend, |c| {
            c.rules.roll_calls.record_video = true;
            c.rules.roll_calls.recording_keep_days = 7;
        })
        .await;
        let v = start(&app, &w, "officer.a1", &[w.case_a1.as_str()]).await;
        let id = v["started"][0]["id"].as_str().unwrap().to_owned();
        let (done, _) = answer_live(&app, &w, &id, &face("grace_hopper.jpg"), false).await;
        assert_eq!(done["status"], "passed", "{done}");
        assert_eq!(done["has_recording"], true, "{done}");
        // Two pictures and the video, each sealed.
        assert_eq!(media_files(&app), 3);
        let before = app.count("audit_entries").await;
        let (s, headers, ivf) = app
            .call_raw(
                "GET",
                &format!("/api/v1/roll-calls/{id}/recording"),
                Some(w.token("officer.a1")),
                &[],
                None,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers["content-type"], "video/x-ivf");
        assert_eq!(
            app.count("audit_entries").await,
            before + 1,
            "the read is audited"
        );
        // The phone's own VP8, as sent: it decodes, from its first frame, to the person's face.
        let frames = ivf_frames(&ivf);
        assert!(frames.len() >= 15, "{} frames", frames.len());
        let mut decoder = huijiao_server::rollcalls::vp8::Decoder::new().unwrap();
        let first = decoder.decode(frames[0], true).unwrap().expect("a picture");
        assert_eq!((first.width, first.height), (640, 480));
        assert!(app
            .state
            .face
            .as_ref()
            .unwrap()
            .analyze_image(&first)
            .is_ok());
        for f in &frames[1..] {
            decoder.decode(f, false).unwrap();
        }
        // Not the supervisee's to read.
        let got = w
            .call(
                &app,
                "sv.a1",
                "GET",
                &format!("/api/v1/roll-calls/{id}/recording"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        // The video goes after its own (shorter) retention; the pictures and the verdict stay.
        let later = Utc::now() + chrono::Duration::days(8);
        assert_eq!(
            schedule::purge_evidence(&app.state, &app.state.db, later)
                .await
                .unwrap(),
            1
        );
        assert_eq!(media_files(&app), 2);
        let kept = get(&app, &w, &id).await;
        assert_eq!(
            (
                kept["status"].as_str(),
                kept["has_recording"].as_bool(),
                kept["has_snapshot"].as_bool()
            ),
            (Some("passed"), Some(false), Some(true))
        );
        let got = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/roll-calls/{id}/recording"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    }
);

/// The frames of an IVF file, after checking its header.
fn ivf_frames(ivf: &[u8]) -> Vec<&[u8]> {
    assert_eq!(&ivf[0..4], b"DKIF");
    assert_eq!(&ivf[8..12], b"VP80");
    let count = u32::from_le_bytes(ivf[24..28].try_into().unwrap()) as usize;
    let mut frames = Vec::new();
    let mut at = 32;
    while at + 12 <= ivf.len() {
        let len = u32::from_le_bytes(ivf[at..at + 4].try_into().unwrap()) as usize;
        frames.push(&ivf[at + 12..at + 12 + len]);
        at += 12 + len;
    }
    assert_eq!((at, frames.len()), (ivf.len(), count));
    frames
}

/// Files under the media store of roll calls (the enrolment photos live elsewhere), each
/// checked to be sealed (no JPEG or IVF on disk).
fn media_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        return count(&p);
                    }
                    let bytes = std::fs::read(&p).unwrap();
                    assert!(
                        !bytes.starts_with(&[0xFF, 0xD8]) && !bytes.starts_with(b"DKIF"),
                        "{p:?} is a plain JPEG or video"
                    );
                    1
                })
                .sum()
        })
    }
    count(&app.dir.path().join("media").join("rollcalls"))
}

both_with_face!(a_call_cut_off_rings_again_until_its_deadline, |backend| {
    // The phone's video stops (lost network): after two seconds of silence the call ends.
    let (app, w, push) = app_with(backend, |c| c.roll_calls.idle_timeout_secs = 2).await;
    let v = start(&app, &w, "officer.a1", &[w.case_a1.as_str()]).await;
    let id = v["started"][0]["id"].as_str().unwrap().to_owned();
    let (mut caller, offer) = Caller::offer(Codec::Vp8).await.unwrap();
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/roll-calls/{id}/answer"),
            Some(json!({ "sdp_offer": offer })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    caller.accept(v["sdp_answer"].as_str().unwrap()).unwrap();
    let photo = face("grace_hopper.jpg");
    let mut encoder = Encoder::new(640, 480, 800).unwrap();
    let mut video = |n: usize, keyframe: bool| {
        encoder
            .encode(&panning_frame(&photo, n), 66, keyframe)
            .unwrap()
            .remove(0)
            .data
    };
    // A second of video, before any turn is asked, then nothing.
    caller
        .stream(&mut video, 15, Duration::from_secs(1), 0.0, || true)
        .await
        .unwrap();
    assert_eq!(get(&app, &w, &id).await["status"], "verifying");
    drop(caller);
    let mut now = Value::Null;
    for _ in 0..100 {
        now = get(&app, &w, &id).await;
        if now["status"] != "verifying" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Nothing decided, nothing lost: it rings again (the phone too) until its deadline.
    assert_eq!(now["status"], "ringing", "{now}");
    assert!(now["decided_at"].is_null() && now["reasons"] == json!([]));
    assert_eq!(push.sent().len(), 2, "rang, and rang again");
    let (_, alerts) = w
        .call(&app, "officer.a1", "GET", "/api/v1/alerts", None)
        .await;
    assert!(alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["evidence"]["roll_call_id"] != id.as_str()));
});

/// Sets a call's answer deadline in the past, as if its time had run out.
async fn expire(app: &TestApp, id: &str) {
    roll_call::Entity::update_many()
        .col_expr(
            roll_call::Column::AnswerBy,
            Expr::value(Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(roll_call::Column::Id.eq(id.parse::<uuid::Uuid>().unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
}

fn alerts_of_kind(alerts: &Value, kind: &str) -> Vec<Value> {
    alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == kind)
        .cloned()
        .collect()
}

both_with_face!(unanswered_calls_are_missed_once_and_escalate, |backend| {
    let (app, w, _) = app(backend).await;
    let a1 = w.case_a1.as_str();
    let v = start(&app, &w, "officer.a1", &[a1]).await;
    let id = v["started"][0]["id"].as_str().unwrap().to_owned();
    expire(&app, &id).await;
    let missed = schedule::mark_missed(&app.state, &app.state.db, Utc::now())
        .await
        .unwrap();
    assert_eq!(missed.len(), 2, "the alert and the call's own event");
    assert_eq!(get(&app, &w, &id).await["status"], "missed");
    // Once: the next run finds nothing.
    assert!(schedule::mark_missed(&app.state, &app.state.db, Utc::now())
        .await
        .unwrap()
        .is_empty());
    let (_, alerts) = w
        .call(&app, "officer.a1", "GET", "/api/v1/alerts", None)
        .await;
    let first = alerts_of_kind(&alerts, "roll_call_missed");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["severity"], "high");
    assert!(first[0]["evidence"]["sanction_suggestion"].is_null());

    // The second call is answered too late: refused, and missed at once (no job needed);
    // a second miss in 90 days suggests an admonition (measures art. 35).
    let v = start(&app, &w, "officer.a1", &[a1]).await;
    let id2 = v["started"][0]["id"].as_str().unwrap().to_owned();
    expire(&app, &id2).await;
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/roll-calls/{id2}/answer"),
            Some(json!({ "sdp_offer": "v=0" })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "rollcall.deadline_passed");
    assert_eq!(get(&app, &w, &id2).await["status"], "missed");
    let (_, alerts) = w
        .call(&app, "officer.a1", "GET", "/api/v1/alerts", None)
        .await;
    let missed = alerts_of_kind(&alerts, "roll_call_missed");
    assert_eq!(missed.len(), 2);
    assert!(
        missed
            .iter()
            .any(|a| a["evidence"]["sanction_suggestion"] == "admonition"),
        "{missed:?}"
    );

    // The officer learns he was in hospital: excused with the reason, with the version seen.
    let seen = get(&app, &w, &id).await;
    let stale = seen["version"].as_i64().unwrap() - 1;
    let path = format!("/api/v1/roll-calls/{id}/excuse");
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &path,
            Some(json!({ "reason": "住院治疗", "version": stale })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "resource.conflict");
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &path,
            Some(json!({ "reason": "  " })),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &path,
            Some(json!({ "reason": "我在医院" })),
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &path,
            Some(json!({ "reason": "住院治疗", "version": seen["version"] })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["decision_note"].as_str()),
        (Some("excused"), Some("住院治疗"))
    );
    // The excused call's miss is withdrawn with the reason, counted nowhere (the month's
    // assessment counts the other miss only); the other call's stays open.
    let (_, alerts) = w
        .call(&app, "officer.a1", "GET", "/api/v1/alerts", None)
        .await;
    let missed = alerts_of_kind(&alerts, "roll_call_missed");
    let states: Vec<(&str, &str)> = missed
        .iter()
        .map(|a| {
            let call = a["evidence"]["roll_call_id"].as_str().unwrap();
            (
                if call == id { "excused" } else { "other" },
                a["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(states.len(), 2);
    assert!(states.contains(&("excused", "withdrawn")), "{states:?}");
    assert!(states.contains(&("other", "open")), "{states:?}");
    let month = huijiao_core::policy::calendar::month_of(chrono::Utc::now());
    let (s, draft) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{a1}/assessments/draft?month={month}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{draft}");
    let missed: Vec<&Value> = draft["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["fact"] == "roll_call_missed")
        .collect();
    assert_eq!(missed.len(), 1, "{draft}");
    assert_eq!(missed[0]["count"], 1, "{draft}");
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &path,
            Some(json!({ "reason": "再次" })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "rollcall.transition_invalid");
    // Only a call that needs review can be reviewed.
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &format!("/api/v1/roll-calls/{id2}/review"),
            Some(json!({ "decision": "confirm", "note": "本人" })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "rollcall.transition_invalid");

    // A call set for later rings when due, not before.
    let at = Utc::now() + chrono::Duration::hours(2);
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            "/api/v1/roll-calls",
            Some(json!({ "case_ids": [a1], "at": at })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let later = v["started"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(v["started"][0]["status"], "scheduled");
    let w0 = Work::begin(&app.state).await.unwrap();
    assert_eq!(schedule::ring_due(&w0, Utc::now()).await.unwrap(), 0);
    assert_eq!(schedule::ring_due(&w0, at).await.unwrap(), 1);
    w0.commit().await.unwrap();
    assert_eq!(get(&app, &w, &later).await["status"], "ringing");
    // The officer's lists: today's, and by status.
    let (s, ringing) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/roll-calls?status=ringing",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ringing["items"].as_array().unwrap().len(), 1);
    let got = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/roll-calls?status=asleep",
            None,
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    // The statistics per unit over the last 30 days: the office's calls (one excused, one
    // missed; the one set for later rings in two hours, outside the period); the county sees
    // both its offices, the other with nothing yet.
    let (s, stats) = w
        .call(
            &app,
            "officer.county_a",
            "GET",
            "/api/v1/roll-calls/stats",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{stats}");
    let stats = stats.as_array().unwrap();
    assert_eq!(stats.len(), 2, "{stats:?}");
    let office = stats
        .iter()
        .find(|u| u["unit_id"] == w.office_a1.as_str())
        .unwrap();
    let t = &office["tally"];
    assert_eq!(
        [
            &t["calls"],
            &t["open"],
            &t["missed"],
            &t["excused"],
            &t["answered_in_time"]
        ],
        [&json!(2), &json!(0), &json!(1), &json!(1), &json!(0)],
        "{office}"
    );
    assert_eq!(
        (t["answered_in_time_pct"].as_f64(), t["passed_pct"].as_f64()),
        (Some(0.0), Some(0.0))
    );
    let other = stats
        .iter()
        .find(|u| u["unit_id"] != w.office_a1.as_str())
        .unwrap();
    assert_eq!(other["tally"]["calls"], 0);
    assert!(other["tally"]["passed_pct"].is_null());
    let got = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/roll-calls/stats?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
            None,
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    let got = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/roll-calls?limit=0",
            None,
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
});

both_with_face!(the_system_calls_at_random_at_the_levels_rate, |backend| {
    // The job runs hourly here: 12 runs in each day's hours.
    let (app, w, push) = app_with(backend, |c| c.jobs_interval_secs = 3600).await;
    case::Entity::update_many()
        .col_expr(case::Column::Level, Expr::value("strict"))
        .filter(case::Column::Id.eq(w.case_a1.parse::<uuid::Uuid>().unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
    // Over a quarter, each run rolls once per active case with a login, in the day's hours only;
    // each call is closed before the next run (an answered call is not open).
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261202);
    let mut roll = || rng.gen::<f64>();
    let mut called = 0;
    let start_day = chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let interval = app.state.config.jobs_interval_secs as i64;
    for run in 0..(90 * 24 * 3600 / interval) {
        let now = start_day + chrono::Duration::seconds(run * interval);
        let work = Work::begin(&app.state).await.unwrap();
        let n = schedule::call_at_random(&app.state, &work, now, &mut roll)
            .await
            .unwrap();
        work.commit().await.unwrap();
        if n > 0 {
            called += n;
            roll_call::Entity::update_many()
                .col_expr(roll_call::Column::Status, Expr::value("passed"))
                .filter(roll_call::Column::Status.eq("ringing"))
                .exec(&app.state.db)
                .await
                .unwrap();
        }
    }
    // Strict: 4 a month, 12 in the quarter on average (normal would be 3); the normal case
    // a2 has no face enrolled, so it is passed over whatever the roll.
    assert!(
        (6..=20).contains(&called),
        "{called} system calls in 90 days"
    );
    let all = roll_call::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(all.len() as u64, called);
    assert!(all
        .iter()
        .all(|c| c.case_id.to_string() == w.case_a1 && c.initiated_by.is_none()));
    // Each rang the phone, and every call rang inside the day's hours (08:00–20:00 local).
    assert_eq!(push.sent().len() as u64, called);
    let (_, calls) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{}/roll-calls", w.case_a1),
            None,
        )
        .await;
    for c in calls["items"].as_array().unwrap() {
        let at: chrono::DateTime<Utc> = serde_json::from_value(c["ring_at"].clone()).unwrap();
        let local = at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
        assert!((8..20).contains(&chrono::Timelike::hour(&local)), "{local}");
    }
});

both!(
    bad_input_to_roll_calls_is_refused_and_writes_nothing,
    |app| {
        let w = World::build(&app).await;
        let a1 = w.case_a1.as_str();
        let post = |who: &'static str, path: String, body: Value| {
            let (app, w) = (&app, &w);
            async move { w.call(app, who, "POST", &path, Some(body)).await }
        };
        let start = "/api/v1/roll-calls".to_owned();
        let invalid = |got: &(StatusCode, Value), field: &str| {
            assert_problem(
                got,
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_field",
            );
            assert_eq!(got.1["errors"][0]["field"], field, "{got:?}");
        };
        invalid(
            &post("officer.a1", start.clone(), json!({ "case_ids": [] })).await,
            "case_ids",
        );
        let many: Vec<String> = (0..101).map(|_| uuid::Uuid::now_v7().to_string()).collect();
        invalid(
            &post("officer.a1", start.clone(), json!({ "case_ids": many })).await,
            "case_ids",
        );
        let next_month = Utc::now() + chrono::Duration::days(8);
        invalid(
            &post(
                "officer.a1",
                start.clone(),
                json!({ "case_ids": [a1], "at": next_month }),
            )
            .await,
            "at",
        );
        invalid(
            &post(
                "officer.a1",
                start.clone(),
                json!({ "case_ids": [a1], "note": "长".repeat(501) }),
            )
            .await,
            "note",
        );
        let got = post(
            "officer.a1",
            start.clone(),
            json!({ "case_ids": [a1], "colour": "red" }),
        )
        .await;
        assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{got:?}");
        // The offer is checked before anything is looked up.
        let any = uuid::Uuid::now_v7();
        for (who, verb) in [("sv.a1", "answer"), ("officer.a1", "watch")] {
            let path = format!("/api/v1/roll-calls/{any}/{verb}");
            invalid(
                &post(who, path.clone(), json!({ "sdp_offer": "  " })).await,
                "sdp_offer",
            );
            invalid(
                &post(who, path, json!({ "sdp_offer": "v".repeat(20_001) })).await,
                "sdp_offer",
            );
        }
        let got = post(
            "officer.a1",
            format!("/api/v1/roll-calls/{any}/review"),
            json!({ "decision": "maybe", "note": "x" }),
        )
        .await;
        assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{got:?}");
        let got = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/roll-calls/{any}/snapshot?frame=profile"),
                None,
            )
            .await;
        assert!(
            got.0 == StatusCode::BAD_REQUEST || got.0 == StatusCode::UNPROCESSABLE_ENTITY,
            "{got:?}"
        );
        assert_eq!(app.count("roll_calls").await, 0);
    }
);
