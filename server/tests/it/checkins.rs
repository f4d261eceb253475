//! Face-verified check-ins end to end over HTTP with real photos (shared/faces) and the real
//! models: enrolment, pass, wrong person, replay, nonce misuse, device, location findings,
//! idempotent retry, alerts and encryption at rest.

use crate::common;

use axum::http::StatusCode;
use base64::Engine;
use chrono::{Duration, Utc};
use common::{Backend, TestApp, World};
use huijiao_core::face::image::Rgb;
use serde_json::{json, Value};

pub(crate) fn face(name: &str) -> Rgb {
    Rgb::decode(
        &std::fs::read(
            std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
                .join("../../shared/faces")
                .join(name),
        )
        .unwrap(),
    )
    .unwrap()
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(crate) fn brighter(img: &Rgb, by: u8) -> Rgb {
    Rgb::from_raw(
        img.width,
        img.height,
        img.data.iter().map(|v| v.saturating_add(by)).collect(),
    )
}

/// The office's reference photo: the test photo lit from one side and framed differently,
/// so it is the same face but not the same picture as the check-in selfies made from the
/// plain photo (the reference picture itself, or its mirror, would be a replay).
pub(crate) fn reference_photo() -> Rgb {
    let hopper = face("grace_hopper.jpg");
    let mut lit = hopper.clone();
    for y in 0..hopper.height {
        for x in 0..hopper.width {
            let f = 0.45 + 0.55 * x as f32 / hopper.width as f32;
            for c in 0..3 {
                let i = (y * hopper.width + x) * 3 + c;
                lit.data[i] = (f32::from(hopper.data[i]) * f).round() as u8;
            }
        }
    }
    lit.crop(30, 0, hopper.width - 30, hopper.height - 20)
}

/// Check-ins with one photo (a jurisdiction's single-photo mode): what these tests are about
/// is the same with or without poses; `liveness.rs` tests the poses.
async fn app_with_faces(backend: Backend) -> (TestApp, World) {
    app_with_faces_config(backend, |_| {}).await
}

async fn app_with_faces_config(
    backend: Backend,
    tweak: impl FnOnce(&mut huijiao_server::config::Config),
) -> (TestApp, World) {
    enrolled(backend, |c| {
        c.rules.liveness.mode = huijiao_core::policy::liveness::LivenessMode::SinglePhoto;
        tweak(c);
    })
    .await
}

/// A server with the face engine and `officer.a1`'s case enrolled from `reference_photo`.
pub(crate) async fn enrolled(
    backend: Backend,
    tweak: impl FnOnce(&mut huijiao_server::config::Config),
) -> (TestApp, World) {
    let app = TestApp::with_face(backend, |c| {
        c.checkin.max_failed_per_day = 50;
        tweak(c);
    })
    .await;
    let w = World::build(&app).await;
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{}/face", w.case_a1),
            w.token("officer.a1"),
            json!({ "photos": [b64(&reference_photo().encode_png())] }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    (app, w)
}

pub(crate) fn fix(lat: f64, lon: f64, age_secs: i64, accuracy: f64, mock: bool) -> Value {
    json!({ "lat": lat, "lon": lon, "accuracy_m": accuracy, "fix_time": Utc::now() - Duration::seconds(age_secs), "provider": "gps", "mock": mock })
}

/// The enrolled person's face as their phone takes it today: framed closer, in better light.
pub(crate) fn fresh_selfie() -> Vec<u8> {
    let hopper = face("grace_hopper.jpg");
    brighter(
        &hopper.crop(20, 10, hopper.width - 40, hopper.height - 30),
        12,
    )
    .encode_jpeg(88)
}

pub(crate) fn home() -> Value {
    fix(36.061, 103.831, 20, 15.0, false)
}

/// Over the day's cap the app is told at the challenge, before a photo is taken.
pub(crate) async fn over_the_cap(app: &TestApp, w: &World) {
    let got = w
        .call(app, "sv.a1", "POST", "/api/v1/checkins/challenge", None)
        .await;
    common::assert_problem(
        &got,
        StatusCode::TOO_MANY_REQUESTS,
        "checkin.too_many_attempts",
    );
}

pub(crate) async fn challenge(app: &TestApp, w: &World) -> String {
    let (s, v) = w
        .call(app, "sv.a1", "POST", "/api/v1/checkins/challenge", None)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["nonce"].as_str().unwrap().to_owned()
}

async fn checkin(
    app: &TestApp,
    w: &World,
    nonce: &str,
    photo: &[u8],
    location: Value,
    key: &str,
) -> (StatusCode, Value) {
    w.call(app, "sv.a1", "POST", "/api/v1/checkins", Some(json!({ "nonce": nonce, "photo": b64(photo), "location": location, "app_version": "1.0.0", "idempotency_key": key }))).await
}

both!(pass_mismatch_replay_and_alerts, |app| {
    let _ = app;
    let (app, w) = app_with_faces(app.backend).await;
    let selfie = fresh_selfie();
    let n = challenge(&app, &w).await;
    let (s, v) = checkin(&app, &w, &n, &selfie, home(), "key-pass-0001").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["result"], "passed", "{v}");
    assert!(v["face_distance"].as_f64().unwrap() < 0.55);

    // The same photo again: a replay, however good the match.
    let n = challenge(&app, &w).await;
    let (_, v) = checkin(&app, &w, &n, &selfie, home(), "key-replay-01").await;
    assert_eq!(
        (v["result"].as_str(), v["reasons"].clone()),
        (Some("failed"), json!(["replayed_photo"])),
        "{v}"
    );

    // Someone else's face: failed, and the case officer gets an alert, live.
    let mut events = app.state.events.subscribe();
    let n = challenge(&app, &w).await;
    let (_, v) = checkin(
        &app,
        &w,
        &n,
        &face("astronaut.png").encode_jpeg(90),
        home(),
        "key-other-001",
    )
    .await;
    assert_eq!(
        (v["result"].as_str(), v["reasons"][0].as_str()),
        (Some("failed"), Some("face_mismatch")),
        "{v}"
    );
    let e = events.recv().await.unwrap();
    assert_eq!(e.view.kind, "alert");
    let (_, alerts) = app
        .get("/api/v1/alerts?state=open", w.token("officer.a1"))
        .await;
    let alerts = alerts["items"].as_array().unwrap();
    assert_eq!(alerts.len(), 2, "replay and mismatch: {alerts:?}");
    assert!(alerts
        .iter()
        .all(|a| a["kind"] == "checkin_failed" && a["severity"] == "high"));
    // Each says what it is and whose, in the reader's language.
    assert_eq!(
        (alerts[0]["title"].as_str(), alerts[0]["case_name"].as_str()),
        (Some("人脸签到未通过"), Some("测试人1"))
    );
    let (s, _, en) = app
        .call_raw(
            "GET",
            "/api/v1/alerts?state=open",
            Some(w.token("officer.a1")),
            &[("accept-language", "en-GB,en;q=0.9")],
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let en: serde_json::Value = serde_json::from_slice(&en).unwrap();
    assert_eq!(en["items"][0]["title"], "Check-in failed");
    assert_eq!(
        serde_json::from_value::<huijiao_core::api::AlertView>(e.view.payload.clone())
            .unwrap()
            .title,
        "人脸签到未通过",
        "a live event words it in Chinese"
    );
    let (_, none) = app.get("/api/v1/alerts", w.token("officer.b1")).await;
    assert!(
        none["items"].as_array().unwrap().is_empty(),
        "another county sees none"
    );
    // Acknowledge, then resolve with a note.
    let id = alerts[0]["id"].as_str().unwrap();
    assert_eq!(
        app.post(
            &format!("/api/v1/alerts/{id}/acknowledge"),
            w.token("officer.a1"),
            json!({})
        )
        .await
        .0,
        StatusCode::OK
    );
    let (s, v) = app
        .post(
            &format!("/api/v1/alerts/{id}/resolve"),
            w.token("officer.a1"),
            json!({ "note": "电话核实，系他人代签，已训诫" }),
        )
        .await;
    assert_eq!((s, v["state"].as_str()), (StatusCode::OK, Some("resolved")));
    assert_eq!(
        app.post(
            &format!("/api/v1/alerts/{id}/acknowledge"),
            w.token("officer.a1"),
            json!({})
        )
        .await
        .1["code"],
        "alert.transition_invalid"
    );

    // Every attempt is kept.
    let (_, list) = app
        .get(
            &format!("/api/v1/cases/{}/checkins", w.case_a1),
            w.token("officer.a1"),
        )
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    // Photos are encrypted at rest: nothing on disk decodes as an image.
    let media = app.dir.path().join("media");
    let mut files = 0;
    for entry in walk(&media) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            bytes.starts_with(b"HJM1") && Rgb::decode(&bytes).is_err(),
            "{entry:?} is not sealed"
        );
        files += 1;
    }
    assert_eq!(files, 4, "1 reference photo + 3 check-in photos");
    // The officer can view the photo for review; the supervisee cannot fetch it.
    let photo_id = list["items"][0]["id"].as_str().unwrap();
    // One check-in reads as the list has it, for the officer and the person alike.
    for who in ["officer.a1", "sv.a1"] {
        let (s, one) = w
            .call(
                &app,
                who,
                "GET",
                &format!("/api/v1/checkins/{photo_id}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{one}");
        assert_eq!(one, list["items"][0], "{who}");
    }
    let (s, _, bytes) = app
        .call_raw(
            "GET",
            &format!("/api/v1/checkins/{photo_id}/photo"),
            Some(w.token("officer.a1")),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(Rgb::decode(&bytes).is_ok());
    assert_eq!(
        w.call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/checkins/{photo_id}/photo"),
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
});

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

both!(nonce_device_and_idempotency, |app| {
    let _ = app;
    let (app, w) = app_with_faces(app.backend).await;
    let hopper = face("grace_hopper.jpg");
    let selfie = brighter(&hopper, 8).encode_jpeg(85);
    // Unknown nonce.
    let (s, v) = checkin(&app, &w, "not-a-nonce", &selfie, home(), "key-nonce-001").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("checkin.challenge_invalid"))
    );
    // Expired nonce.
    let n = challenge(&app, &w).await;
    {
        use huijiao_server::entities::checkin_challenge as cc;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        cc::Entity::update_many()
            .col_expr(
                cc::Column::ExpiresAt,
                sea_orm::sea_query::Expr::value(Utc::now() - Duration::seconds(1)),
            )
            .filter(cc::Column::UsedAt.is_null())
            .exec(&app.state.db)
            .await
            .unwrap();
    }
    let (_, v) = checkin(&app, &w, &n, &selfie, home(), "key-expired1").await;
    assert_eq!(v["code"], "checkin.challenge_invalid", "expired");
    // Good, then the same nonce reused with another key.
    let n = challenge(&app, &w).await;
    let (s, first) = checkin(&app, &w, &n, &selfie, home(), "key-good-0001").await;
    assert_eq!(
        (s, first["result"].as_str()),
        (StatusCode::CREATED, Some("passed")),
        "{first}"
    );
    let (_, v) = checkin(
        &app,
        &w,
        &n,
        &face("grace_hopper.jpg").flip_horizontal().encode_jpeg(80),
        home(),
        "key-reuse-001",
    )
    .await;
    assert_eq!(v["code"], "checkin.challenge_invalid", "reused");
    // The app retries the first submission (lost response): the first result, nothing new.
    let (s, again) = checkin(&app, &w, &n, &selfie, home(), "key-good-0001").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again, first);
    assert_eq!(app.count("checkins").await, 1);
    // A nonce issued to another phone does not work from this one: the supervisee's token is
    // bound to phone-1, so a challenge for another device cannot even be requested; a token
    // without the device header is refused.
    let (s, _, _) = app
        .call_raw(
            "POST",
            "/api/v1/checkins/challenge",
            Some(w.token("sv.a1")),
            &[("x-device-id", "phone-9")],
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Officers do not check in.
    assert_eq!(
        app.post(
            "/api/v1/checkins/challenge",
            w.token("officer.a1"),
            json!({})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    // Quality problems come back as their own error and leave the challenge usable.
    let n = challenge(&app, &w).await;
    let wall = Rgb::from_raw(300, 300, vec![120; 300 * 300 * 3]).encode_png();
    let (s, v) = checkin(&app, &w, &n, &wall, home(), "key-wall-0001").await;
    assert_eq!(
        (s, v["code"].as_str(), v["errors"][0]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("face.not_found"),
            Some("photo")
        )
    );
    assert_eq!(
        app.count("checkin_rejections").await,
        1,
        "the refused attempt is on record"
    );
    let (s, v) = checkin(
        &app,
        &w,
        &n,
        &brighter(&hopper, 3)
            .crop(5, 5, hopper.width - 10, hopper.height - 10)
            .encode_jpeg(90),
        home(),
        "key-after-wall",
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
});

both!(location_findings, |app| {
    let _ = app;
    // There is one photo of this person: every variant of it is (rightly) a replay of the
    // others, so the replay check is off here to look at location alone.
    let (app, w) = app_with_faces_config(app.backend, |c| c.checkin.replay_lookback = 0).await;
    let hopper = face("grace_hopper.jpg");
    let cases: [(&str, Value, &str, Value); 4] = [
        (
            "mock location",
            fix(36.061, 103.831, 20, 15.0, true),
            "failed",
            json!(["mock_location"]),
        ),
        (
            "stale fix",
            fix(36.061, 103.831, 900, 15.0, false),
            "needs_review",
            json!(["stale_fix"]),
        ),
        (
            "inaccurate fix",
            fix(36.061, 103.831, 20, 900.0, false),
            "needs_review",
            json!(["inaccurate_fix"]),
        ),
        (
            "outside the area",
            fix(34.26, 108.94, 20, 15.0, false),
            "failed",
            json!(["outside_area"]),
        ),
    ];
    for (i, (what, location, result, reasons)) in cases.into_iter().enumerate() {
        let img = hopper.crop(i * 25, i * 20, hopper.width - 100, hopper.height - 100);
        let n = challenge(&app, &w).await;
        let (s, v) = checkin(
            &app,
            &w,
            &n,
            &brighter(&img, (i * 9) as u8).encode_jpeg(85),
            location,
            &format!("key-location-{i}"),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{what}: {v}");
        assert_eq!(
            (v["result"].as_str(), v["reasons"].clone()),
            (Some(result), reasons),
            "{what}"
        );
    }
    let (_, alerts) = app.get("/api/v1/alerts", w.token("officer.a1")).await;
    let kinds: Vec<&str> = alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "checkin_needs_review")
            .count(),
        2
    );
    assert_eq!(kinds.iter().filter(|k| **k == "checkin_failed").count(), 2);
    // Bad coordinates are refused before anything else.
    let n = challenge(&app, &w).await;
    let (s, v) = checkin(&app, &w, &n, &hopper.encode_jpeg(80), json!({ "lat": 95.0, "lon": 0.0, "accuracy_m": 5.0, "fix_time": Utc::now(), "provider": "gps", "mock": false }), "key-bad-coords").await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("location"))
    );
});

both!(enrolment_rules, |app| {
    let _ = app;
    let app = TestApp::with_face(app.backend, |_| {}).await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/cases/{}/face", w.case_a1);
    let t = w.token("officer.a1");
    // Not enrolled yet: the check-in says so.
    let n = challenge(&app, &w).await;
    let (_, v) = checkin(
        &app,
        &w,
        &n,
        &face("grace_hopper.jpg").encode_jpeg(80),
        home(),
        "key-noenrol-1",
    )
    .await;
    assert_eq!(v["code"], "checkin.not_enrolled");
    let (s, v) = app.post(&path, t, json!({ "photos": [] })).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("face.reference_count")
        )
    );
    let wall = Rgb::from_raw(200, 200, vec![90; 200 * 200 * 3]).encode_png();
    let (s, v) = app
        .post(
            &path,
            t,
            json!({ "photos": [b64(&face("grace_hopper.jpg").encode_png()), b64(&wall)] }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str(), v["errors"][0]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("face.not_found"),
            Some("photos[1]")
        )
    );
    let (s, v) = app
        .post(&path, t, json!({ "photos": ["%%%not base64"] }))
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("photos[0]"))
    );
    // Two people as one template: refused, naming the photo that differs.
    let got = app
        .post(
            &path,
            t,
            json!({ "photos": [b64(&face("grace_hopper.jpg").encode_png()), b64(&reference_photo().encode_png()), b64(&face("astronaut.png").encode_png())] }),
        )
        .await;
    common::assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "face.references_differ",
    );
    assert_eq!(got.1["errors"][0]["field"], "photos[2]");
    assert_eq!(app.count("face_templates").await, 0, "nothing half-written");
    // Enrol, re-enrol: history kept, only the newest active.
    for _ in 0..2 {
        let (s, v) = app
            .post(
                &path,
                t,
                json!({ "photos": [b64(&face("grace_hopper.jpg").encode_png())] }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (_, history) = app.get(&path, t).await;
    assert_eq!(
        history
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["version"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2]
    );
    // Only officers of the case enrol; the supervisee cannot enrol a face for themself.
    assert_eq!(
        w.call(
            &app,
            "sv.a1",
            "POST",
            &path,
            Some(json!({ "photos": [b64(&face("astronaut.png").encode_png())] }))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path, w.token("officer.b1"), json!({ "photos": [] }))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
});

/// `main` with `other` scaled to `share` of its height pasted at its top right corner: a
/// second, smaller face in the background.
fn with_face_behind(main: &Rgb, other: &Rgb, share: f32) -> Rgb {
    let h = (main.height as f32 * share) as usize;
    let w = other.width * h / other.height;
    let small = other.resize(w, h);
    let mut out = main.clone();
    for y in 0..h {
        for x in 0..w {
            let (dst, src) = ((y * main.width + main.width - w + x) * 3, (y * w + x) * 3);
            out.data[dst..dst + 3].copy_from_slice(&small.data[src..src + 3]);
        }
    }
    out
}

both!(
    a_reference_holds_one_person_and_one_person_one_case,
    |app| {
        let _ = app;
        let (app, w) = enrolled(app.backend, |_| {}).await;
        // Someone in the background of the office photo (small enough that a selfie's rule lets
        // it pass): refused, nothing stored.
        let crowded = with_face_behind(&face("astronaut.png"), &face("grace_hopper.jpg"), 0.2);
        let path = format!("/api/v1/cases/{}/face", w.case_a2);
        let t = w.token("officer.a2");
        let got = app
            .post(&path, t, json!({ "photos": [b64(&crowded.encode_png())] }))
            .await;
        common::assert_problem(&got, StatusCode::UNPROCESSABLE_ENTITY, "face.multiple");
        assert_eq!(got.1["errors"][0]["field"], "photos[0]");
        assert_eq!(app.count("face_templates").await, 1);
        // The face enrolled for a1, enrolled again for a2 (another office's case): the officer is
        // told at once, and the match is audited with the other case.
        let (s, v) = app
            .post(&path, t, json!({ "photos": [b64(&fresh_selfie())] }))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["same_face_cases"], 1, "{v}");
        assert_eq!(
            app.count("audit_entries WHERE action = 'face.duplicate_suspected'")
                .await,
            1
        );
        // Another person's face matches no one.
        let (s, v) = app
            .post(
                &path,
                t,
                json!({ "photos": [b64(&face("astronaut.png").encode_png())] }),
            )
            .await;
        assert_eq!(
            (s, v["same_face_cases"].as_u64()),
            (StatusCode::CREATED, Some(0)),
            "{v}"
        );
    }
);

both!(unscheduled_checkin_requests, |app| {
    let _ = app;
    let (app, w) = app_with_faces(app.backend).await;
    let path = format!("/api/v1/cases/{}/checkin-requests", w.case_a1);
    let (s, r) = app.post(&path, w.token("officer.a1"), json!({})).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let deadline: chrono::DateTime<Utc> = r["deadline"].as_str().unwrap().parse().unwrap();
    assert!(
        (deadline - Utc::now() - Duration::minutes(30))
            .num_seconds()
            .abs()
            < 60,
        "strict: 30 minutes"
    );
    assert_eq!(
        app.post(
            &path,
            w.token("officer.a1"),
            json!({ "deadline_minutes": 1 })
        )
        .await
        .1["errors"][0]["field"],
        "deadline_minutes"
    );
    assert_eq!(
        w.call(&app, "sv.a1", "POST", &path, Some(json!({})))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // The supervisee checks in in time: met.
    let hopper = face("grace_hopper.jpg");
    let n = challenge(&app, &w).await;
    let (_, v) = checkin(
        &app,
        &w,
        &n,
        &brighter(&hopper, 5).encode_jpeg(85),
        home(),
        "key-request-01",
    )
    .await;
    assert_eq!(v["result"], "passed", "{v}");
    let (_, list) = w.call(&app, "sv.a1", "GET", &path, None).await;
    assert_eq!(
        (
            list["items"][0]["status"].as_str(),
            list["items"][0]["checkin_id"].clone()
        ),
        (Some("met"), v["id"].clone())
    );
    // A second request is not answered: missed once, with an alert.
    app.post(
        &path,
        w.token("officer.a1"),
        json!({ "deadline_minutes": 5 }),
    )
    .await;
    let later = Utc::now() + Duration::minutes(10);
    let events = huijiao_server::checkins::requests::mark_expired(&app.state.db, later)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert!(
        huijiao_server::checkins::requests::mark_expired(&app.state.db, later)
            .await
            .unwrap()
            .is_empty(),
        "once"
    );
    let (_, alerts) = app.get("/api/v1/alerts", w.token("officer.a1")).await;
    assert_eq!(
        alerts["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "checkin_missed")
            .count(),
        1
    );
});

both!(the_enrolment_photo_itself_is_a_replay, |app| {
    let _ = app;
    let (app, w) = app_with_faces(app.backend).await;
    // The reference photo, straight and mirrored (a flipped copy is the same picture).
    let reference = reference_photo();
    for (i, photo) in [reference.clone(), reference.flip_horizontal()]
        .iter()
        .enumerate()
    {
        let n = challenge(&app, &w).await;
        let (s, v) = checkin(
            &app,
            &w,
            &n,
            &photo.encode_jpeg(92),
            home(),
            &format!("key-enrol-replay-{i}"),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(
            (v["result"].as_str(), v["reasons"].clone()),
            (Some("failed"), json!(["replayed_photo"])),
            "photo {i}: {v}"
        );
    }
    // A mirrored copy of an earlier selfie too.
    let hopper = face("grace_hopper.jpg");
    let selfie = brighter(
        &hopper.crop(20, 10, hopper.width - 40, hopper.height - 30),
        12,
    );
    let n = challenge(&app, &w).await;
    let (_, v) = checkin(
        &app,
        &w,
        &n,
        &selfie.encode_jpeg(85),
        home(),
        "key-selfie-0001",
    )
    .await;
    assert_eq!(v["result"], "passed", "{v}");
    let n = challenge(&app, &w).await;
    let (_, v) = checkin(
        &app,
        &w,
        &n,
        &selfie.flip_horizontal().encode_jpeg(85),
        home(),
        "key-selfie-mirror",
    )
    .await;
    assert_eq!(v["reasons"], json!(["replayed_photo"]), "{v}");
});

both!(limits_hold_under_parallel_uploads, |app| {
    let _ = app;
    let (app, w) = app_with_faces_config(app.backend, |c| c.checkin.max_failed_per_day = 3).await;
    let stranger = face("astronaut.png");
    // Eight codes, then eight uploads of someone else at once: the cap holds.
    let mut nonces = Vec::new();
    for _ in 0..8 {
        nonces.push(challenge(&app, &w).await);
    }
    let uploads = nonces.iter().enumerate().map(|(i, n)| {
        let photo = brighter(&stranger, i as u8 * 3).encode_jpeg(85);
        let (app, w) = (&app, &w);
        async move { checkin(app, w, n, &photo, home(), &format!("key-parallel-{i}")).await }
    });
    let answers = futures::future::join_all(uploads).await;
    let stored = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let refused = answers
        .iter()
        .filter(|(s, v)| {
            *s == StatusCode::TOO_MANY_REQUESTS && v["code"] == "checkin.too_many_attempts"
        })
        .count();
    assert_eq!((stored, refused), (3, 5), "{answers:?}");
    assert_eq!(app.count("checkins").await, 3);
    // Over the cap, the app is told at the challenge, before a photo is taken.
    over_the_cap(&app, &w).await;
});

both!(one_key_sent_twice_at_once_gets_the_first_result, |app| {
    let _ = app;
    let (app, w) = app_with_faces(app.backend).await;
    let hopper = face("grace_hopper.jpg");
    // The app sent the same check-in twice (a retry) but asked for a new code the second
    // time: both answers are the one check-in.
    let (n1, n2) = (challenge(&app, &w).await, challenge(&app, &w).await);
    let photo = brighter(&hopper, 8).encode_jpeg(85);
    let (a, b) = tokio::join!(
        checkin(&app, &w, &n1, &photo, home(), "key-twice-0001"),
        checkin(&app, &w, &n2, &photo, home(), "key-twice-0001"),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CREATED],
        "{a:?} {b:?}"
    );
    assert_eq!(a.1["id"], b.1["id"]);
    assert_eq!(app.count("checkins").await, 1);
});

both!(
    a_checkin_outside_the_days_hours_says_it_does_not_count,
    |app| {
        let _ = app;
        use chrono::{NaiveTime, Timelike};
        let now = Utc::now()
            .with_timezone(&huijiao_core::policy::calendar::local_offset())
            .time();
        // Hours that leave out the present moment: later today, or (late at night) earlier.
        let (opens, closes, why) = if now.hour() < 22 {
            (
                NaiveTime::from_hms_opt(now.hour() + 1, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(23, 59, 0).unwrap(),
                "before_hours",
            )
        } else {
            (
                NaiveTime::from_hms_opt(0, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(now.hour() - 1, 0, 0).unwrap(),
                "after_hours",
            )
        };
        let (app, w) = app_with_faces_config(app.backend, |c| {
            c.rules.checkin_band.opens = opens;
            c.rules.checkin_band.closes = closes;
        })
        .await;
        let hopper = face("grace_hopper.jpg");
        let n = challenge(&app, &w).await;
        let selfie = brighter(&hopper, 8).encode_jpeg(85);
        let (s, v) = checkin(&app, &w, &n, &selfie, home(), "key-hours-0001").await;
        assert_eq!(
            (s, v["result"].as_str()),
            (StatusCode::CREATED, Some("passed")),
            "{v}"
        );
        let counted = &v["counted"];
        assert_eq!(
            (counted["counts"].as_bool(), counted["not_counted"].as_str()),
            (Some(false), Some(why)),
            "{v}"
        );
        assert_eq!(counted["opens"], opens.to_string());
        assert!(
            counted["window"]["start"].is_string() && counted["window"]["level"] == "strict",
            "{v}"
        );
        // The retry answers the same.
        let (s, again) = checkin(&app, &w, &n, &selfie, home(), "key-hours-0001").await;
        assert_eq!((s, &again), (StatusCode::OK, &v));
        // Within the hours, it counts.
        let (app, w) = app_with_faces_config(app.backend, |c| {
            c.rules.checkin_band.opens = NaiveTime::MIN;
            c.rules.checkin_band.closes = NaiveTime::from_hms_opt(23, 59, 59).unwrap();
        })
        .await;
        let n = challenge(&app, &w).await;
        let (_, v) = checkin(&app, &w, &n, &selfie, home(), "key-hours-0002").await;
        assert_eq!(
            (
                v["counted"]["counts"].as_bool(),
                &v["counted"]["not_counted"]
            ),
            (Some(true), &Value::Null),
            "{v}"
        );
    }
);
