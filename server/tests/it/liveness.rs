//! Active liveness over HTTP with the real models: the code asks for a straight photo and a
//! turn; a head turned as asked passes, a print of the same photo turned in the hand is
//! refused (`liveness.pose_not_met`) whichever way and however far it turns, a wrong count of
//! frames is refused, a check-in without frames (taken offline) goes to an officer, pose
//! failures count towards the day's cap, and single-photo mode asks for no pose.

use crate::checkins::{b64, brighter, enrolled, face, home, over_the_cap};
use crate::common::{self, TestApp, World};

use axum::http::StatusCode;
use huijiao_core::face::image::Rgb;
use huijiao_core::face::synth::{turn_head, turn_print};
use huijiao_core::policy::liveness::{LivenessMode, Pose};
use serde_json::{json, Value};

async fn challenge(app: &TestApp, w: &World) -> (String, Vec<Pose>) {
    let (s, v) = w
        .call(app, "sv.a1", "POST", "/api/v1/checkins/challenge", None)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let poses = serde_json::from_value(v["poses"].clone()).unwrap();
    (v["nonce"].as_str().unwrap().to_owned(), poses)
}

async fn submit(
    app: &TestApp,
    w: &World,
    nonce: &str,
    photo: &Rgb,
    frames: &[Rgb],
    key: &str,
) -> (StatusCode, Value) {
    let frames: Vec<String> = frames.iter().map(|f| b64(&f.encode_jpeg(90))).collect();
    w.call(app, "sv.a1", "POST", "/api/v1/checkins", Some(json!({ "nonce": nonce, "photo": b64(&photo.encode_jpeg(90)), "frames": frames, "location": home(), "app_version": "1.0.0", "idempotency_key": key }))).await
}

/// A fresh selfie of the enrolled person (each `n` another picture, so none is a replay).
fn selfie(n: usize) -> Rgb {
    let hopper = face("grace_hopper.jpg");
    brighter(
        &hopper.crop(
            10 + 14 * n,
            6 + 8 * n,
            hopper.width - 100,
            hopper.height - 60,
        ),
        (4 + 5 * n) as u8,
    )
}

fn degrees(pose: Pose, by: f32) -> f32 {
    match pose {
        Pose::TurnLeft => by,
        Pose::TurnRight => -by,
        Pose::Straight => 0.0,
    }
}

/// The photo's head turned as each pose after the first asks.
fn turned(app: &TestApp, photo: &Rgb, poses: &[Pose], by: f32) -> Vec<Rgb> {
    let engine = app.state.face.clone().unwrap();
    let landmarks = engine.analyze_image(photo).unwrap().landmarks;
    poses[1..]
        .iter()
        .map(|&p| turn_head(photo, &landmarks, degrees(p, by)))
        .collect()
}

fn pose_failure(got: &(StatusCode, Value), field: &str) {
    common::assert_problem(
        got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "liveness.pose_not_met",
    );
    assert_eq!(got.1["errors"][0]["field"], field, "{}", got.1);
}

both!(a_turned_head_passes_a_turned_print_does_not, |app| {
    let _ = app;
    let (app, w) = enrolled(app.backend, |c| c.rules.liveness.turns = 2).await;

    let (n, poses) = challenge(&app, &w).await;
    assert_eq!(poses.len(), 3);
    assert_eq!(poses[0], Pose::Straight);
    assert!(poses[1..].contains(&Pose::TurnLeft) && poses[1..].contains(&Pose::TurnRight));
    let photo = selfie(0);
    let frames = turned(&app, &photo, &poses, 30.0);
    let (s, v) = submit(&app, &w, &n, &photo, &frames, "live-key-0001").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["result"].as_str(), v["reasons"].clone()),
        (Some("passed"), json!([])),
        "{v}"
    );

    // The same photo printed and turned in the hand, each way, a little and a lot: refused,
    // naming the frame, and the code stays usable for a retake.
    let photo = selfie(1);
    let axis = {
        let lm = app
            .state
            .face
            .clone()
            .unwrap()
            .analyze_image(&photo)
            .unwrap()
            .landmarks;
        (lm[0][0] + lm[1][0]) / 2.0
    };
    let (n, poses) = challenge(&app, &w).await;
    for by in [20.0, 40.0] {
        let prints: Vec<Rgb> = poses[1..]
            .iter()
            .map(|&p| turn_print(&photo, axis, degrees(p, by)))
            .collect();
        let got = submit(&app, &w, &n, &photo, &prints, "live-key-print").await;
        pose_failure(&got, "frames[0]");
    }
    // Turned the wrong way round.
    let mut frames = turned(&app, &photo, &poses, 30.0);
    frames.reverse();
    pose_failure(
        &submit(&app, &w, &n, &photo, &frames, "live-key-swap").await,
        "frames[0]",
    );
    // A "straight" photo that is itself turned.
    let turned_photo = frames[0].clone();
    pose_failure(
        &submit(
            &app,
            &w,
            &n,
            &turned_photo,
            &turned(&app, &photo, &poses, 30.0),
            "live-key-side",
        )
        .await,
        "photo",
    );
    // Then the real thing on the same code.
    let frames = turned(&app, &photo, &poses, 30.0);
    let (s, v) = submit(&app, &w, &n, &photo, &frames, "live-key-0002").await;
    assert_eq!(
        (s, v["result"].as_str()),
        (StatusCode::CREATED, Some("passed")),
        "{v}"
    );

    // Someone else turning their head as asked: the pose is shown, the face is not the one
    // enrolled.
    let (n, poses) = challenge(&app, &w).await;
    let stranger = face("astronaut.png");
    let frames = turned(&app, &stranger, &poses, 30.0);
    let photo = selfie(2);
    let (_, v) = submit(&app, &w, &n, &photo, &frames, "live-key-0003").await;
    assert_eq!(v["result"], "failed", "{v}");
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .contains(&json!("face_mismatch")),
        "{v}"
    );
});

both!(frames_missing_or_miscounted, |app| {
    let _ = app;
    let (app, w) = enrolled(app.backend, |_| {}).await;
    let (n, poses) = challenge(&app, &w).await;
    assert_eq!(poses.len(), 2, "one turn by default");
    let photo = selfie(3);
    // One frame too many.
    let frames = turned(
        &app,
        &photo,
        &[Pose::Straight, Pose::TurnLeft, Pose::TurnRight],
        30.0,
    );
    let got = submit(&app, &w, &n, &photo, &frames, "count-key-001").await;
    common::assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "liveness.frame_count",
    );
    let got = submit(
        &app,
        &w,
        &n,
        &photo,
        &[photo.clone(), photo.clone(), photo.clone()],
        "count-key-002",
    )
    .await;
    common::assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "liveness.frame_count",
    );
    // None at all (a check-in taken offline): the face matches, but nothing shows it was live,
    // so an officer looks.
    let (s, v) = submit(&app, &w, &n, &photo, &[], "count-key-003").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["result"].as_str(), v["reasons"].clone()),
        (Some("needs_review"), json!(["liveness_unchecked"])),
        "{v}"
    );
});

both!(pose_failures_count_towards_the_days_cap, |app| {
    let _ = app;
    let (app, w) = enrolled(app.backend, |c| c.checkin.max_failed_per_day = 2).await;
    for i in 0..2 {
        let (n, poses) = challenge(&app, &w).await;
        let photo = selfie(4 + i);
        let still = vec![photo.clone(); poses.len() - 1];
        pose_failure(
            &submit(&app, &w, &n, &photo, &still, &format!("cap-key-{i:04}")).await,
            "frames[0]",
        );
    }
    over_the_cap(&app, &w).await;
    assert_eq!(app.count("checkin_rejections").await, 2);
    assert_eq!(app.count("checkins").await, 0);
});

both!(single_photo_mode_asks_for_no_pose, |app| {
    let _ = app;
    let (app, w) = enrolled(app.backend, |c| {
        c.rules.liveness.mode = LivenessMode::SinglePhoto
    })
    .await;
    let (n, poses) = challenge(&app, &w).await;
    assert_eq!(poses, [Pose::Straight]);
    let photo = selfie(6);
    let got = submit(
        &app,
        &w,
        &n,
        &photo,
        std::slice::from_ref(&photo),
        "single-key-1",
    )
    .await;
    common::assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "liveness.frame_count",
    );
    let (s, v) = submit(&app, &w, &n, &photo, &[], "single-key-2").await;
    assert_eq!(
        (s, v["result"].as_str()),
        (StatusCode::CREATED, Some("passed")),
        "{v}"
    );
    let (_, rules) = w.call(&app, "sv.a1", "GET", "/api/v1/rules", None).await;
    assert_eq!(rules["liveness"]["mode"], "single_photo", "{rules}");
});
