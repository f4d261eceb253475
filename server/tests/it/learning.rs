//! Education through the API, on both databases: a county officer authors and publishes a
//! course, the supervisee studies a video lesson with heartbeats and the month's ledger is
//! credited from them — retries counted once, a jump ahead not at all, never more than the
//! server's own clock allows — one session a person at a time, officers adjust with a reason,
//! silent sessions are ended by a job, and a month closed short raises one alert, escalating
//! when the month before was short too.

use axum::http::StatusCode;
use chrono::Utc;
use huijiao_core::policy::learning::Obligation;
use huijiao_server::entities::{session, study_session};
use huijiao_server::learning::{assignments, sessions};
use huijiao_server::ledger;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::common::{assert_problem, TestApp, World};

fn course_body() -> Value {
    json!({
        "title": "社区矫正法律知识",
        "category": "law",
        "description": "第一单元",
        "lessons": [
            { "title": "社区矫正法导读", "kind": "video", "duration_secs": 600, "min_minutes": 9 },
            { "title": "请假与外出规定", "kind": "text", "body": "未经批准不得离开所居住的市、县。", "min_minutes": 5 },
            { "title": "小测验", "kind": "quiz", "min_minutes": 0,
              "questions": [{ "kind": "true_false", "prompt": "外出须经批准。", "options": ["对", "错"], "key": [0], "points": 1 }] }
        ]
    })
}

/// Beats `from..=to` of a video watched straight through: every 30 s, position with the clock.
fn watched(from: u32, to: u32) -> Value {
    let beats: Vec<Value> = (from..=to)
        .map(|seq| {
            let ms = i64::from(seq - 1) * 30_000;
            json!({ "seq": seq, "client_ms": 1_700_000_000_000i64 + ms, "position_ms": ms,
                    "playing": true, "foreground": true, "idle_secs": 3 })
        })
        .collect();
    json!({ "beats": beats })
}

/// Moves a session's opening back, as if it had been open that long (the credit never passes
/// the time the server saw).
async fn opened_ago(app: &TestApp, id: &str, minutes: i64) {
    study_session::Entity::update_many()
        .col_expr(
            study_session::Column::OpenedAt,
            Expr::value(Utc::now() - chrono::Duration::minutes(minutes)),
        )
        .filter(study_session::Column::Id.eq(id.parse::<uuid::Uuid>().unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
}

async fn published_course(app: &TestApp, w: &World) -> Value {
    publish(app, w, course_body()).await
}

/// A course authored by county A's officer from `body`, then published.
async fn publish(app: &TestApp, w: &World, body: Value) -> Value {
    let (s, course) = w
        .call(
            app,
            "officer.county_a",
            "POST",
            "/api/v1/courses",
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{course}");
    let id = course["id"].as_str().unwrap();
    let (s, course) = w
        .call(
            app,
            "officer.county_a",
            "POST",
            &format!("/api/v1/courses/{id}/publish"),
            Some(json!({ "version": 1 })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{course}");
    course
}

both!(
    a_video_lesson_studied_with_heartbeats_credits_the_month,
    |app| {
        let w = World::build(&app).await;
        let a1 = w.case_a1.clone();
        // Announced before this month began: the whole month is owed.
        crate::common::announced_at(&app, &a1, chrono::Utc::now() - chrono::Duration::days(40))
            .await;
        // A judicial office follows education; it does not author it.
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                "/api/v1/courses",
                Some(course_body()),
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "learning.author_level");
        let (s, draft) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                "/api/v1/courses",
                Some(course_body()),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{draft}");
        assert_eq!(draft["status"], "draft");
        assert_eq!(draft["lessons"].as_array().unwrap().len(), 3);
        let course_id = draft["id"].as_str().unwrap().to_owned();
        let video = draft["lessons"][0]["id"].as_str().unwrap().to_owned();
        let text = draft["lessons"][1]["id"].as_str().unwrap().to_owned();
        let quiz = draft["lessons"][2]["id"].as_str().unwrap().to_owned();
        // A draft reaches nobody.
        let (_, mine) = w.call(&app, "sv.a1", "GET", "/api/v1/courses", None).await;
        assert_eq!(mine, json!({ "items": [] }));
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{video}/sessions"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        // Published at the version seen; the office below sees it, another county does not.
        let publish = format!("/api/v1/courses/{course_id}/publish");
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &publish,
                Some(json!({ "version": 7 })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "resource.conflict");
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &publish,
                Some(json!({ "version": 1 })),
            )
            .await;
        // The office below does not even see the county's draft.
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let (s, course) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &publish,
                Some(json!({ "version": 1 })),
            )
            .await;
        assert_eq!(
            (s, course["status"].as_str()),
            (StatusCode::OK, Some("published"))
        );
        // Published from above: the office follows it, but it is not theirs to retire.
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!("/api/v1/courses/{course_id}/archive"),
                Some(json!({ "version": 2 })),
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        let (s, _) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/courses/{course_id}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let got = w
            .call(
                &app,
                "officer.b1",
                "GET",
                &format!("/api/v1/courses/{course_id}"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let (_, mine) = w.call(&app, "sv.a1", "GET", "/api/v1/courses", None).await;
        assert_eq!(mine["items"][0]["id"], course_id.as_str(), "{mine}");

        // A quiz is not studied by the clock.
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{quiz}/sessions"),
                None,
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "learning.lesson_not_timed",
        );

        // Ten minutes of the video, watched straight through.
        let (s, session) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{video}/sessions"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{session}");
        assert_eq!(session["heartbeat_secs"], 30);
        let sid = session["id"].as_str().unwrap().to_owned();
        let beats_path = format!("/api/v1/study-sessions/{sid}/beats");
        // Sent at once (the phone was offline), before the server saw the time pass: only what
        // the server's own clock allows.
        let (s, early) = w
            .call(&app, "sv.a1", "POST", &beats_path, Some(watched(1, 3)))
            .await;
        assert_eq!(s, StatusCode::OK, "{early}");
        assert!(early["credited_secs"].as_u64().unwrap() <= 2, "{early}");
        opened_ago(&app, &sid, 15).await;
        let (_, done) = w
            .call(&app, "sv.a1", "POST", &beats_path, Some(watched(1, 21)))
            .await;
        assert_eq!(done["last_seq"], 21, "{done}");
        let credited = done["credited_secs"].as_u64().unwrap();
        assert!((538..=600).contains(&credited), "{done}");
        assert_eq!(done["completed"], true, "{done}");
        // The outbox sends the batch again: nothing changes.
        let (_, again) = w
            .call(&app, "sv.a1", "POST", &beats_path, Some(watched(1, 21)))
            .await;
        assert_eq!(again["credited_secs"], done["credited_secs"]);
        assert_eq!(app.count("study_beats").await, 21);

        let ledger = format!("/api/v1/cases/{a1}/learning");
        let (s, month) = w.call(&app, "sv.a1", "GET", &ledger, None).await;
        assert_eq!(s, StatusCode::OK, "{month}");
        let minutes = (credited / 60) as i64;
        assert_eq!(month["owed_minutes"], 480);
        assert_eq!(month["credited_minutes"], minutes);
        assert_eq!(month["short_minutes"], 480 - minutes);
        assert_eq!(
            month["by_source"][0],
            json!({ "source": "lesson", "minutes": minutes })
        );

        // An officer adds a lecture on paper, with the reason; audited; the volunteer sees it.
        let this_month = month["month"].as_str().unwrap().to_owned();
        let before = app.count("audit_entries").await;
        let (s, adjusted) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &format!("/api/v1/cases/{a1}/learning/adjustments"),
            Some(json!({ "month": this_month, "minutes": 60, "reason": "参加线下法治讲座（纸质签到）" })),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{adjusted}");
        assert_eq!(adjusted["credited_minutes"], minutes + 60);
        assert_eq!(adjusted["adjustments"][0]["minutes"], 60);
        assert_eq!(app.count("audit_entries").await, before + 1);
        let (s, seen) = w.call(&app, "volunteer.a1", "GET", &ledger, None).await;
        assert_eq!(
            (s, &seen["credited_minutes"]),
            (StatusCode::OK, &json!(minutes + 60))
        );
        let got = w.call(&app, "officer.b1", "GET", &ledger, None).await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

        // One lesson at a time: opening another ends the first.
        let (_, second) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{text}/sessions"),
                None,
            )
            .await;
        let got = w
            .call(&app, "sv.a1", "POST", &beats_path, Some(watched(22, 22)))
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "learning.session_ended");
        let (_, record) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/cases/{a1}/study-sessions"),
                None,
            )
            .await;
        assert_eq!(record["items"][0]["id"], second["id"]);
        assert_eq!(record["items"][1]["status"], "superseded");

        // Jumping ahead in a video that does not allow it credits nothing.
        let (_, jump) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{video}/sessions"),
                None,
            )
            .await;
        let jid = jump["id"].as_str().unwrap().to_owned();
        opened_ago(&app, &jid, 15).await;
        let mut beats = watched(1, 2);
        beats["beats"][1]["position_ms"] = json!(400_000);
        let (_, jumped) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/study-sessions/{jid}/beats"),
                Some(beats),
            )
            .await;
        assert_eq!(jumped["credited_secs"], 0, "{jumped}");

        // Closing is final, and closing twice harmless.
        let end = format!("/api/v1/study-sessions/{jid}/end");
        let (_, ended) = w.call(&app, "sv.a1", "POST", &end, None).await;
        assert_eq!(ended["status"], "ended");
        let (s, again) = w.call(&app, "sv.a1", "POST", &end, None).await;
        assert_eq!((s, &again["status"]), (StatusCode::OK, &json!("ended")));

        // A session the app left without closing is ended once the idle limit passes.
        let (_, left) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{text}/sessions"),
                None,
            )
            .await;
        opened_ago(&app, left["id"].as_str().unwrap(), 10).await;
        assert_eq!(
            sessions::end_silent(&app.state, &app.state.db, Utc::now())
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            sessions::end_silent(&app.state, &app.state.db, Utc::now())
                .await
                .unwrap(),
            0
        );

        // Archived: nobody starts it any more; the time credited stays.
        let (s, archived) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &format!("/api/v1/courses/{course_id}/archive"),
                Some(json!({ "version": 2 })),
            )
            .await;
        assert_eq!(
            (s, archived["status"].as_str()),
            (StatusCode::OK, Some("archived"))
        );
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{video}/sessions"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let (_, month) = w.call(&app, "sv.a1", "GET", &ledger, None).await;
        assert_eq!(month["credited_minutes"], minutes + 60);
    }
);

// Many phones beating at once are written together (one commit for the batch): each
// request is still judged on its own, and what an outbox sends twice counts once.
both!(
    heartbeats_arriving_together_are_each_judged_and_counted_once,
    |app| {
        let w = World::build(&app).await;
        let course = published_course(&app, &w).await;
        let video = course["lessons"][0]["id"].as_str().unwrap().to_owned();
        let mut paths = vec![];
        for who in ["sv.a1", "sv.a2"] {
            let (s, session) = w
                .call(
                    &app,
                    who,
                    "POST",
                    &format!("/api/v1/lessons/{video}/sessions"),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{session}");
            let sid = session["id"].as_str().unwrap().to_owned();
            opened_ago(&app, &sid, 15).await;
            paths.push(format!("/api/v1/study-sessions/{sid}/beats"));
        }
        // Each request carries every beat not yet acknowledged (1..=i), as the outbox does, so
        // whatever order they are taken in, all ten beats count, and each once.
        let mut calls = vec![];
        for i in 1..=10 {
            calls.push(("sv.a1", &paths[0], i, StatusCode::OK));
            calls.push(("sv.a1", &paths[0], i, StatusCode::OK));
            calls.push(("sv.a2", &paths[1], i, StatusCode::OK));
            // Someone else's session, in the same batches: refused alone.
            calls.push(("sv.a2", &paths[0], i, StatusCode::NOT_FOUND));
        }
        let answers = futures::future::join_all(
            calls
                .iter()
                .map(|(who, path, i, _)| w.call(&app, who, "POST", path, Some(watched(1, *i)))),
        )
        .await;
        for ((who, path, i, want), (s, body)) in calls.iter().zip(&answers) {
            assert_eq!(s, want, "{who} {path} 1..={i}: {body}");
        }
        for (who, path) in [("sv.a1", &paths[0]), ("sv.a2", &paths[1])] {
            let (s, last) = w.call(&app, who, "POST", path, Some(watched(1, 10))).await;
            assert_eq!(s, StatusCode::OK, "{last}");
            assert_eq!(last["last_seq"], 10, "{last}");
            assert_eq!(last["credited_secs"], 270, "nine steps of 30 s: {last}");
        }
        assert_eq!(app.count("study_beats").await, 20);
        for (who, case) in [("sv.a1", &w.case_a1), ("sv.a2", &w.case_a2)] {
            let (_, month) = w
                .call(
                    &app,
                    who,
                    "GET",
                    &format!("/api/v1/cases/{case}/learning"),
                    None,
                )
                .await;
            assert_eq!(month["credited_minutes"], 4, "{month}");
        }
        assert_eq!(
            app.count("ledger_credits").await,
            2,
            "one row a session and month"
        );
        // A session ended at the server (a lock, a logout elsewhere) stops the very next beat
        // though the token is unexpired; the other request of the batch goes through.
        let a2 = w.user_id(&app, "sv.a2").await;
        session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
            .filter(session::Column::UserId.eq(a2.parse::<uuid::Uuid>().unwrap()))
            .exec(&app.state.db)
            .await
            .unwrap();
        let (mine, theirs) = futures::join!(
            w.call(&app, "sv.a1", "POST", &paths[0], Some(watched(1, 11))),
            w.call(&app, "sv.a2", "POST", &paths[1], Some(watched(1, 11)))
        );
        assert_eq!(mine.0, StatusCode::OK, "{}", mine.1);
        assert_eq!(mine.1["last_seq"], 11);
        assert_problem(&theirs, StatusCode::UNAUTHORIZED, "auth.session_revoked");
        assert_eq!(app.count("study_beats").await, 21);
    }
);

both!(bad_input_to_learning_is_refused_and_writes_nothing, |app| {
    let w = World::build(&app).await;
    let a1 = w.case_a1.clone();
    let tables = [
        "courses",
        "lessons",
        "study_sessions",
        "study_beats",
        "ledger_credits",
    ];
    let counts = async || {
        let mut n = Vec::new();
        for t in tables {
            n.push(app.count(t).await);
        }
        n
    };
    let before = counts().await;
    let bad_courses = [
        (json!({ "lessons": [] }), "lessons"),
        (json!({ "title": " " }), "title"),
        (json!({ "category": "astrology" }), "category"),
        (
            json!({ "lessons": [{ "title": "x", "kind": "hologram", "min_minutes": 1 }] }),
            "lessons[0].kind",
        ),
        (
            json!({ "lessons": [{ "title": "x", "kind": "text", "min_minutes": 1 }] }),
            "lessons[0].body",
        ),
        (
            json!({ "lessons": [{ "title": "x", "kind": "video", "min_minutes": 1 }] }),
            "lessons[0].duration_secs",
        ),
        (
            json!({ "lessons": [{ "title": "x", "kind": "video", "duration_secs": 60, "min_minutes": 5 }] }),
            "lessons[0].min_minutes",
        ),
        (
            json!({ "lessons": [{ "title": "x", "kind": "pdf", "body": "y", "min_minutes": 1 }] }),
            "lessons[0].body",
        ),
    ];
    for (patch, field) in bad_courses {
        let mut body = course_body();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                "/api/v1/courses",
                Some(body),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        assert!(got.1.to_string().contains(field), "{field}: {}", got.1);
    }
    let course = published_course(&app, &w).await;
    let video = course["lessons"][0]["id"].as_str().unwrap().to_owned();
    let (_, session) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/lessons/{video}/sessions"),
            None,
        )
        .await;
    let beats_path = format!(
        "/api/v1/study-sessions/{}/beats",
        session["id"].as_str().unwrap()
    );
    let before = {
        let mut b = before;
        b[0] += 1;
        b[1] += 3;
        b[2] += 1;
        b
    };
    assert_eq!(counts().await, before);
    let mut zero = watched(1, 2);
    zero["beats"][0]["seq"] = json!(0);
    for body in [
        json!({ "beats": [] }),
        zero,
        json!({ "beats": [{ "seq": 1 }] }),
    ] {
        let (s, v) = w.call(&app, "sv.a1", "POST", &beats_path, Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    }
    let adjust = format!("/api/v1/cases/{a1}/learning/adjustments");
    let next_year = format!("{}-01", chrono::Datelike::year(&Utc::now()) + 1);
    for (body, field) in [
        (
            json!({ "month": "2026-13", "minutes": 10, "reason": "x" }),
            "month",
        ),
        (
            json!({ "month": next_year, "minutes": 10, "reason": "x" }),
            "month",
        ),
        (
            json!({ "month": "2026-11", "minutes": 0, "reason": "x" }),
            "minutes",
        ),
        (
            json!({ "month": "2026-11", "minutes": 10, "reason": "" }),
            "reason",
        ),
    ] {
        let got = w
            .call(&app, "officer.a1", "POST", &adjust, Some(body))
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        assert!(got.1.to_string().contains(field), "{field}: {}", got.1);
    }
    let got = w
        .call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/cases/{a1}/learning?month=11-2026"),
            None,
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    // A supervisee cannot author, adjust or publish.
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            "/api/v1/courses",
            Some(course_body()),
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &adjust,
            Some(json!({ "month": "2026-11", "minutes": 600, "reason": "x" })),
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    assert_eq!(counts().await, before);
});

both!(
    a_month_short_of_its_minutes_is_raised_once_and_escalates,
    |app| {
        let w = World::build(&app).await;
        let (a1, a2) = (w.case_a1.clone(), w.case_a2.clone());
        // Both announced in September: October and November are owed.
        let september = "2026-09-01T01:00:00Z".parse().unwrap();
        for case in [&a1, &a2] {
            crate::common::announced_at(&app, case, september).await;
        }
        // October: a1's lecture hours were entered by the officer; a2 studied nothing.
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!("/api/v1/cases/{a1}/learning/adjustments"),
                Some(json!({ "month": "2026-10", "minutes": 480, "reason": "十月集中教育八小时" })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["short_minutes"], 0, "{v}");
        let (_, short) = w
            .call(
                &app,
                "officer.county_a",
                "GET",
                "/api/v1/learning/shortfalls?month=2026-10",
                None,
            )
            .await;
        assert_eq!(short["items"].as_array().unwrap().len(), 1, "{short}");
        assert_eq!(short["items"][0]["case_id"], a2.as_str());
        assert_eq!(short["items"][0]["short_minutes"], 480);
        let (_, none) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                "/api/v1/learning/shortfalls?month=2026-10",
                None,
            )
            .await;
        assert_eq!(none, json!({"items": []}), "a2 is not a1's office's");

        let shortfall_alerts = async || {
            let (_, alerts) = w
                .call(&app, "officer.county_a", "GET", "/api/v1/alerts", None)
                .await;
            alerts["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["kind"] == "learning_shortfall")
                .cloned()
                .collect::<Vec<Value>>()
        };
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        // 08:00 on 3 November in Beijing: October is closed, once however often the job runs.
        let november = at("2026-11-03T00:00:00Z");
        for _ in 0..2 {
            ledger::close_last_month(&app.state, &app.state.db, Obligation::Education, november)
                .await
                .unwrap();
        }
        let alerts = shortfall_alerts().await;
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0]["case_id"], a2.as_str());
        assert_eq!(alerts[0]["severity"], "medium");
        assert_eq!(alerts[0]["evidence"]["month"], "2026-10");
        assert!(alerts[0]["evidence"]["sanction_suggestion"].is_null());
        assert_eq!(app.count("ledger_months").await, 2);
        // November closed on 1 December (00:30 Beijing is still 30 November in UTC): a2 short
        // again after being told — an admonition is suggested; a1's first shortfall is a notice.
        ledger::close_last_month(
            &app.state,
            &app.state.db,
            Obligation::Education,
            at("2026-11-30T16:30:00Z"),
        )
        .await
        .unwrap();
        let alerts = shortfall_alerts().await;
        assert_eq!(alerts.len(), 3, "{alerts:?}");
        let of = |case: &str| {
            alerts
                .iter()
                .find(|a| a["case_id"] == case && a["evidence"]["month"] == "2026-11")
                .unwrap()
                .clone()
        };
        assert_eq!(of(&a2)["severity"], "high");
        assert_eq!(of(&a2)["evidence"]["sanction_suggestion"], "admonition");
        assert_eq!(of(&a1)["severity"], "medium");
        assert!(of(&a1)["evidence"]["sanction_suggestion"].is_null());
        let got = w
            .call(&app, "sv.a1", "GET", "/api/v1/learning/shortfalls", None)
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    }
);

/// A published course whose only lesson is a quiz of three questions (5 + 3 + 2 points; pass
/// at 70 %, two attempts).
async fn quiz(app: &TestApp, w: &World) -> (String, Value) {
    let body = json!({
        "title": "法律知识测验", "category": "law",
        "lessons": [{ "title": "第一单元测验", "kind": "quiz", "min_minutes": 0, "pass_percent": 70, "max_attempts": 2,
            "questions": [
                { "kind": "single", "prompt": "离开所居住的市、县须经谁批准？", "options": ["无需批准", "社区矫正机构", "邻居"], "key": [1], "points": 5 },
                { "kind": "multiple", "prompt": "哪些须按时报告？", "options": ["生活情况", "工作情况", "天气"], "key": [0, 1], "points": 3 },
                { "kind": "true_false", "prompt": "变更执行地须提前一个月申请。", "options": ["对", "错"], "key": [0], "points": 2 }
            ] }]
    });
    let course = publish(app, w, body).await;
    let lesson = course["lessons"][0]["id"].as_str().unwrap().to_owned();
    (lesson, course)
}

/// Answers for `attempt`'s questions: the right ones for prompts starting with one of
/// `right`, a wrong one otherwise.
fn answers(attempt: &Value, right: &[&str]) -> Value {
    let answers: Vec<Value> = attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let prompt = q["prompt"].as_str().unwrap();
            let (key, wrong) = match prompt {
                p if p.starts_with("离开") => (json!([1]), json!([0])),
                p if p.starts_with("哪些") => (json!([0, 1]), json!([0, 1, 2])),
                _ => (json!([0]), json!([1])),
            };
            let right = right.iter().any(|r| prompt.starts_with(r));
            json!({ "question_id": q["id"], "chosen": if right { key } else { wrong } })
        })
        .collect();
    json!({ "answers": answers })
}

both!(
    a_quiz_is_scored_on_the_server_and_its_attempts_are_limited,
    |app| {
        let w = World::build(&app).await;
        let a1 = w.case_a1.clone();
        let (lesson, course) = quiz(&app, &w).await;
        assert_eq!(course["lessons"][0]["questions"], 3);
        assert_eq!(course["lessons"][0]["pass_percent"], 70);
        // The keys never reach the app: not in the course, not in the attempt.
        assert!(!course.to_string().contains("\"key\""), "{course}");
        let start = format!("/api/v1/lessons/{lesson}/attempts");
        let (s, first) = w.call(&app, "sv.a1", "POST", &start, None).await;
        assert_eq!(s, StatusCode::CREATED, "{first}");
        assert_eq!(first["attempt_no"], 1);
        assert_eq!(first["questions"].as_array().unwrap().len(), 3);
        assert!(!first.to_string().contains("\"key\""), "{first}");
        assert_eq!(first["max_points"], 10);
        // Asking again gives back the open attempt, not a second one.
        let (s, same) = w.call(&app, "sv.a1", "POST", &start, None).await;
        assert_eq!((s, &same["id"]), (StatusCode::OK, &first["id"]));
        // 5 of 10 points: below 70 %.
        let submit = format!(
            "/api/v1/quiz-attempts/{}/submit",
            first["id"].as_str().unwrap()
        );
        let (s, scored) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &submit,
                Some(answers(&first, &["离开"])),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{scored}");
        assert_eq!(
            (&scored["points"], &scored["percent"], &scored["passed"]),
            (&json!(5), &json!(50), &json!(false)),
            "{scored}"
        );
        let right: Vec<bool> = scored["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["right"].as_bool().unwrap())
            .collect();
        assert_eq!(right.iter().filter(|r| **r).count(), 1);
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &submit,
                Some(answers(&first, &["离开"])),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "learning.attempt_submitted");
        // The second and last attempt: all right.
        let (_, second) = w.call(&app, "sv.a1", "POST", &start, None).await;
        assert_eq!(second["attempt_no"], 2);
        let (_, passed) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!(
                    "/api/v1/quiz-attempts/{}/submit",
                    second["id"].as_str().unwrap()
                ),
                Some(answers(&second, &["离开", "哪些", "变更"])),
            )
            .await;
        assert_eq!(
            (&passed["points"], &passed["passed"]),
            (&json!(10), &json!(true)),
            "{passed}"
        );
        let got = w.call(&app, "sv.a1", "POST", &start, None).await;
        assert_problem(&got, StatusCode::CONFLICT, "learning.attempts_exhausted");
        // The officer sees both attempts with the answers; the volunteer does not.
        let record = format!("/api/v1/cases/{a1}/quiz-attempts");
        let (s, attempts) = w.call(&app, "officer.a1", "GET", &record, None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(attempts["items"].as_array().unwrap().len(), 2);
        let got = w.call(&app, "volunteer.a1", "GET", &record, None).await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        // A quiz is not studied by the clock, and a lesson that is not a quiz has no attempts.
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{lesson}/sessions"),
                None,
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "learning.lesson_not_timed",
        );
        let text = published_course(&app, &w).await["lessons"][1]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{text}/attempts"),
                None,
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "learning.not_a_quiz",
        );
    }
);

both!(bad_quizzes_and_answers_are_refused, |app| {
    let w = World::build(&app).await;
    let base = |question: Value| json!({ "title": "测验", "category": "law", "lessons": [{ "title": "测验", "kind": "quiz", "min_minutes": 0, "questions": [question] }] });
    for (question, field) in [
        (
            json!({ "kind": "single", "prompt": "?", "options": ["a", "b"], "key": [2], "points": 1 }),
            "questions[0].key",
        ),
        (
            json!({ "kind": "single", "prompt": "?", "options": ["a", "b"], "key": [0, 1], "points": 1 }),
            "questions[0].key",
        ),
        (
            json!({ "kind": "true_false", "prompt": "?", "options": ["a", "b", "c"], "key": [0], "points": 1 }),
            "questions[0].options",
        ),
        (
            json!({ "kind": "essay", "prompt": "?", "options": ["a", "b"], "key": [0], "points": 1 }),
            "questions[0].kind",
        ),
        (
            json!({ "kind": "single", "prompt": "?", "options": ["a", "b"], "key": [0], "points": 0 }),
            "questions[0].points",
        ),
        (
            json!({ "kind": "single", "prompt": " ", "options": ["a", "b"], "key": [0], "points": 1 }),
            "questions[0].prompt",
        ),
    ] {
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                "/api/v1/courses",
                Some(base(question)),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        assert!(got.1.to_string().contains(field), "{field}: {}", got.1);
    }
    // A pass mark on a lesson with no questions to pass (any lesson may carry a test).
    let mut body = course_body();
    body["lessons"][1]["pass_percent"] = json!(80);
    let got = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            "/api/v1/courses",
            Some(body),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    assert_eq!(app.count("courses").await, 0);
    assert_eq!(app.count("quiz_questions").await, 0);
    let (lesson, _) = quiz(&app, &w).await;
    let (_, attempt) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/lessons/{lesson}/attempts"),
            None,
        )
        .await;
    let submit = format!(
        "/api/v1/quiz-attempts/{}/submit",
        attempt["id"].as_str().unwrap()
    );
    let q0 = attempt["questions"][0]["id"].clone();
    for answers in [
        json!([{ "question_id": uuid::Uuid::now_v7(), "chosen": [0] }]),
        json!([{ "question_id": q0, "chosen": [9] }]),
        json!([{ "question_id": q0, "chosen": [0] }, { "question_id": q0, "chosen": [1] }]),
    ] {
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &submit,
                Some(json!({ "answers": answers })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
    }
    // Nothing was scored: the attempt is still open and takes a good submission.
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &submit,
            Some(json!({ "answers": [] })),
        )
        .await;
    assert_eq!((s, &v["points"]), (StatusCode::OK, &json!(0)), "{v}");
    // Someone else's attempt is not theirs to submit.
    let got = w
        .call(
            &app,
            "sv.a2",
            "POST",
            &submit,
            Some(json!({ "answers": [] })),
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
});

both!(
    a_lessons_file_goes_in_before_publishing_and_is_served_in_byte_ranges,
    |app| {
        let w = World::build(&app).await;
        let (s, draft) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                "/api/v1/courses",
                Some(course_body()),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{draft}");
        let course_id = draft["id"].as_str().unwrap().to_owned();
        let video = draft["lessons"][0]["id"].as_str().unwrap().to_owned();
        let media = format!("/api/v1/lessons/{video}/media");
        // An MP4 (its `ftyp` box, then the media), 1000 bytes.
        let mp4 = fake_mp4(1000);
        let put = |who: &'static str, body: Vec<u8>, content_type: &'static str| {
            let token = w.token(who).to_owned();
            let media = media.clone();
            let app = &app;
            async move {
                let (s, _, b) = app
                    .call_raw(
                        "PUT",
                        &media,
                        Some(&token),
                        &[],
                        Some(body),
                        Some(content_type),
                    )
                    .await;
                (
                    s,
                    serde_json::from_slice::<Value>(&b).unwrap_or(Value::Null),
                )
            }
        };
        // Not what a video lesson takes; not the county's to change from below.
        let got = put(
            "officer.county_a",
            b"%PDF-1.7\n".to_vec(),
            "application/pdf",
        )
        .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "learning.media_invalid",
        );
        let got = put(
            "officer.county_a",
            b"not really a video".to_vec(),
            "video/mp4",
        )
        .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "learning.media_invalid",
        );
        // An MP4's first box, then a web page: it would be served to every supervisee.
        let mut page = fake_mp4(1000)[..24].to_vec();
        page.extend(b"<html><script>fetch('/api/v1/me')</script></html>");
        let got = put("officer.county_a", page, "video/mp4").await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "learning.media_invalid",
        );
        let got = put("officer.a1", mp4.clone(), "video/mp4").await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let (s, lesson) = put("officer.county_a", mp4.clone(), "video/mp4").await;
        assert_eq!(s, StatusCode::OK, "{lesson}");
        assert_eq!(
            (
                lesson["media_type"].as_str(),
                lesson["media_bytes"].as_i64()
            ),
            (Some("video/mp4"), Some(1000))
        );
        // Not seen before publishing; then served whole or in ranges to the person studying.
        let get = |range: Option<&'static str>| {
            let token = w.token("sv.a1").to_owned();
            let media = media.clone();
            let app = &app;
            async move {
                let mut headers = vec![("x-device-id", "phone-1")];
                if let Some(r) = range {
                    headers.push(("range", r));
                }
                app.call_raw("GET", &media, Some(&token), &headers, None, None)
                    .await
            }
        };
        assert_eq!(get(None).await.0, StatusCode::NOT_FOUND);
        let (s, _) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &format!("/api/v1/courses/{course_id}/publish"),
                Some(json!({ "version": 1 })),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, h, whole) = get(None).await;
        assert_eq!((s, whole.as_slice()), (StatusCode::OK, mp4.as_slice()));
        assert_eq!(h["accept-ranges"], "bytes");
        assert_eq!(h["content-type"], "video/mp4");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["content-security-policy"], "sandbox");
        assert_eq!(
            h["content-disposition"],
            format!("inline; filename=\"{video}.mp4\"")
        );
        let (s, h, part) = get(Some("bytes=100-199")).await;
        assert_eq!(s, StatusCode::PARTIAL_CONTENT);
        assert_eq!(h["content-range"], "bytes 100-199/1000");
        assert_eq!(part.as_slice(), &mp4[100..200]);
        let (s, h, tail) = get(Some("bytes=-24")).await;
        assert_eq!(
            (s, h["content-range"].to_str().unwrap()),
            (StatusCode::PARTIAL_CONTENT, "bytes 976-999/1000")
        );
        assert_eq!(tail.as_slice(), &mp4[976..]);
        let (s, h, _) = get(Some("bytes=1000-")).await;
        assert_eq!(s, StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(h["content-range"], "bytes */1000");
        // Published: the file no longer changes under the people studying it.
        let got = put("officer.county_a", mp4.clone(), "video/mp4").await;
        assert_problem(
            &got,
            StatusCode::CONFLICT,
            "learning.course_transition_invalid",
        );
        // Another county's supervisee does not reach it.
        let (s, _, _) = app
            .call_raw("GET", &media, Some(w.token("officer.b1")), &[], None, None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

both!(assigned_courses_come_with_progress_and_their_dates, |app| {
    let w = World::build(&app).await;
    let (a1, a2) = (w.case_a1.clone(), w.case_a2.clone());
    let course = published_course(&app, &w).await;
    let course_id = course["id"].as_str().unwrap().to_owned();
    let assign = format!("/api/v1/courses/{course_id}/assignments");
    let today = Utc::now()
        .with_timezone(&huijiao_core::policy::calendar::local_offset())
        .date_naive();
    // To a1 alone, due in a week; to the county's lenient-level people, due tomorrow.
    let (s, one) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &assign,
            Some(json!({ "case_id": a1, "due_on": today + chrono::Duration::days(7) })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{one}");
    let (s, _) = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            &assign,
            Some(json!({ "level": "lenient", "due_on": today + chrono::Duration::days(1) })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let mine = format!("/api/v1/cases/{a1}/assigned-courses");
    let (s, list) = w.call(&app, "sv.a1", "GET", &mine, None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "a1 is not at the lenient level: {list}"
    );
    assert_eq!(list[0]["due_on"], json!(today + chrono::Duration::days(7)));
    assert_eq!(
        (&list[0]["lessons"], &list[0]["lessons_completed"]),
        (&json!(3), &json!(0))
    );
    // a2 was not named, and is not lenient: nothing.
    let (_, theirs) = w
        .call(
            &app,
            "officer.a2",
            "GET",
            &format!("/api/v1/cases/{a2}/assigned-courses"),
            None,
        )
        .await;
    assert_eq!(theirs, json!([]));
    // Passing the quiz completes one lesson; the volunteer sees the progress.
    let quiz = course["lessons"][2]["id"].as_str().unwrap().to_owned();
    pass_test(&app, &w, &quiz).await;
    let (s, seen) = w.call(&app, "volunteer.a1", "GET", &mine, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(seen[0]["lessons_completed"], 1, "{seen}");
    assert_eq!(seen[0]["overdue"], false);
    // Bad input: a date gone, a person outside the office, a draft.
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &assign,
            Some(json!({ "due_on": today - chrono::Duration::days(1) })),
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
            "POST",
            &assign,
            Some(json!({ "case_id": a2, "due_on": today })),
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    let (_, draft) = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            "/api/v1/courses",
            Some(course_body()),
        )
        .await;
    let got = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            &format!(
                "/api/v1/courses/{}/assignments",
                draft["id"].as_str().unwrap()
            ),
            Some(json!({ "due_on": today })),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::CONFLICT,
        "learning.course_transition_invalid",
    );
    assert_eq!(app.count("course_assignments").await, 2);

    // A week and a day later: a1 has not finished the course — one alert, however often the
    // job runs; the lenient-level assignment reached nobody.
    let later = Utc::now() + chrono::Duration::days(8);
    for _ in 0..2 {
        assignments::raise_overdue(&app.state.db, later)
            .await
            .unwrap();
    }
    let (_, alerts) = w
        .call(&app, "officer.county_a", "GET", "/api/v1/alerts", None)
        .await;
    let overdue: Vec<&Value> = alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "learning_overdue")
        .collect();
    assert_eq!(overdue.len(), 1, "{alerts}");
    assert_eq!(overdue[0]["case_id"], a1.as_str());
    assert_eq!(overdue[0]["evidence"]["lessons_completed"], 1);
    // Nothing is overdue before its date.
    assert!(assignments::raise_overdue(&app.state.db, Utc::now())
        .await
        .unwrap()
        .is_empty());
});

/// A body that arrives in two halves `gap` apart, as over a slow link.
fn slow_body(bytes: Vec<u8>, gap: std::time::Duration) -> axum::body::Body {
    use futures::StreamExt as _;
    let (first, second) = bytes.split_at(bytes.len() / 2);
    let (first, second) = (first.to_vec(), second.to_vec());
    let halves = futures::stream::iter([(first, false), (second, true)]).then(
        move |(half, late)| async move {
            if late {
                tokio::time::sleep(gap).await;
            }
            Ok::<_, std::io::Error>(half)
        },
    );
    axum::body::Body::from_stream(halves)
}

both!(a_slow_upload_gets_longer_than_a_request, |app| {
    use tower::ServiceExt as _;
    let app = TestApp::with_config(app.backend, |c| {
        c.request_timeout_secs = 1;
        c.upload_timeout_secs = 30;
    })
    .await;
    let w = World::build(&app).await;
    let (s, draft) = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            "/api/v1/courses",
            Some(course_body()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{draft}");
    let video = draft["lessons"][0]["id"].as_str().unwrap().to_owned();
    let send = |method: &str, path: String, body: Vec<u8>, content_type: &str| {
        let req = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header(
                "authorization",
                format!("Bearer {}", w.token("officer.county_a")),
            )
            .header("content-type", content_type)
            .body(slow_body(body, std::time::Duration::from_millis(1500)))
            .unwrap();
        let router = app.router.clone();
        async move {
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap();
            (
                status,
                serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
            )
        }
    };
    // A lesson's video over a slow link: taken, though it took longer than a request may.
    let mp4 = fake_mp4(4000);
    let (s, v) = send(
        "PUT",
        format!("/api/v1/lessons/{video}/media"),
        mp4,
        "video/mp4",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["media_bytes"], 4000);
    // Anything else that slow is stopped, in the envelope.
    let body = serde_json::to_vec(&course_body()).unwrap();
    let got = send("POST", "/api/v1/courses".into(), body, "application/json").await;
    assert_problem(&got, StatusCode::REQUEST_TIMEOUT, "request.timeout");
});

/// Takes the one true/false question of a lesson's test, answering "true" (its key).
async fn pass_test(app: &TestApp, w: &World, lesson: &str) {
    let (s, attempt) = w
        .call(
            app,
            "sv.a1",
            "POST",
            &format!("/api/v1/lessons/{lesson}/attempts"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{attempt}");
    let q = &attempt["questions"][0];
    let (_, scored) = w
        .call(
            app,
            "sv.a1",
            "POST",
            &format!(
                "/api/v1/quiz-attempts/{}/submit",
                attempt["id"].as_str().unwrap()
            ),
            Some(json!({ "answers": [{ "question_id": q["id"], "chosen": [0] }] })),
        )
        .await;
    assert_eq!(scored["passed"], true, "{scored}");
}

fn true_false() -> Value {
    json!([{ "kind": "true_false", "prompt": "外出须经批准。", "options": ["对", "错"], "key": [0], "points": 1 }])
}

both!(
    a_lesson_is_done_by_its_own_rule_and_reported_satisfied,
    |app| {
        let w = World::build(&app).await;
        let a1 = w.case_a1.clone();
        let course = publish(&app, &w, json!({
        "title": "请假制度", "category": "law",
        "lessons": [
            // A video with a test after it: studied through and passed (the default).
            { "title": "请假规定", "kind": "video", "duration_secs": 600, "min_minutes": 9,
              "questions": true_false() },
            // A reading one may test out of: either will do.
            { "title": "外出须知", "kind": "text", "body": "未经批准不得离开所居住的市、县。",
              "min_minutes": 5, "questions": true_false(), "move_on": "completed_or_passed",
              "pass_percent": 100, "max_attempts": 2 },
            // A short reading without the county's face checks.
            { "title": "报到须知", "kind": "text", "body": "按时报到。", "min_minutes": 1,
              "face_checks": { "at_start": false, "per_hour": 0 } }
        ]
    }))
    .await;
        let lesson = |i: usize| course["lessons"][i]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            course["lessons"][0]["move_on"], "completed_and_passed",
            "{course}"
        );
        assert_eq!(course["lessons"][0]["questions"], 1);
        assert_eq!(course["lessons"][0]["pass_percent"], 60);
        assert_eq!(course["lessons"][1]["move_on"], "completed_or_passed");
        assert_eq!(course["lessons"][1]["max_attempts"], 2);
        assert_eq!(course["lessons"][2]["move_on"], "completed");
        assert_eq!(
            course["lessons"][2]["face_checks"],
            json!({ "at_start": false, "per_hour": 0 })
        );
        assert_eq!(course["lessons"][0]["face_checks"], Value::Null);
        let today = Utc::now()
            .with_timezone(&huijiao_core::policy::calendar::local_offset())
            .date_naive();
        let (s, _) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!(
                    "/api/v1/courses/{}/assignments",
                    course["id"].as_str().unwrap()
                ),
                Some(json!({ "case_id": a1, "due_on": today + chrono::Duration::days(7) })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let done = || async {
            let (_, list) = w
                .call(
                    &app,
                    "sv.a1",
                    "GET",
                    &format!("/api/v1/cases/{a1}/assigned-courses"),
                    None,
                )
                .await;
            list[0]["lessons_completed"].as_u64().unwrap()
        };
        assert_eq!(done().await, 0);
        // Testing out of the reading: done.
        pass_test(&app, &w, &lesson(1)).await;
        assert_eq!(done().await, 1);
        // The video's test passed, the video not watched: not yet.
        pass_test(&app, &w, &lesson(0)).await;
        assert_eq!(done().await, 1);
        let (_, session) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{}/sessions", lesson(0)),
                None,
            )
            .await;
        let sid = session["id"].as_str().unwrap().to_owned();
        opened_ago(&app, &sid, 15).await;
        let (_, watched_through) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/study-sessions/{sid}/beats"),
                Some(watched(1, 21)),
            )
            .await;
        assert_eq!(watched_through["completed"], true, "{watched_through}");
        assert_eq!(done().await, 2);

        // The record says so: one `satisfied` a lesson done, when its last need was met.
        let (s, statements) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/cases/{a1}/xapi-statements"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{statements}");
        let satisfied: Vec<&Value> = statements
            .as_array()
            .unwrap()
            .iter()
            .filter(|st| st["verb"]["id"] == "https://w3id.org/xapi/adl/verbs/satisfied")
            .collect();
        assert_eq!(satisfied.len(), 2, "{statements}");
        let of = |i: usize| {
            satisfied
                .iter()
                .find(|st| st["object"]["id"].as_str().unwrap().ends_with(&lesson(i)))
                .unwrap_or_else(|| panic!("lesson {i} satisfied: {statements}"))
        };
        let passed_video = statements
            .as_array()
            .unwrap()
            .iter()
            .find(|st| {
                st["verb"]["display"]["en-US"] == "passed"
                    && st["object"]["id"].as_str().unwrap().ends_with(&lesson(0))
            })
            .unwrap();
        assert!(
            of(0)["timestamp"].as_str() > passed_video["timestamp"].as_str(),
            "the video was satisfied when watched, after its test: {statements}"
        );
        assert_eq!(of(0)["result"]["completion"], true);
        of(1);

        // Rules a lesson cannot meet, and face checks where nothing is studied by the clock.
        let bad = [
            (
                "lessons[0].move_on",
                json!({ "title": "视频", "kind": "video", "duration_secs": 600, "min_minutes": 5, "move_on": "passed" }),
            ),
            (
                "lessons[0].move_on",
                json!({ "title": "测验", "kind": "quiz", "min_minutes": 0, "questions": true_false(), "move_on": "completed_or_passed" }),
            ),
            (
                "lessons[0].move_on",
                json!({ "title": "视频", "kind": "video", "duration_secs": 600, "min_minutes": 5, "move_on": "someday" }),
            ),
            (
                "lessons[0].face_checks",
                json!({ "title": "测验", "kind": "quiz", "min_minutes": 0, "questions": true_false(), "face_checks": { "at_start": true, "per_hour": 0 } }),
            ),
            (
                "lessons[0].face_checks",
                json!({ "title": "视频", "kind": "video", "duration_secs": 600, "min_minutes": 5, "face_checks": { "at_start": true, "per_hour": 13 } }),
            ),
            (
                "lessons[0].pass_percent",
                json!({ "title": "阅读", "kind": "text", "body": "正文", "min_minutes": 5, "pass_percent": 80 }),
            ),
            (
                "lessons[0].questions",
                json!({ "title": "测验", "kind": "quiz", "min_minutes": 0 }),
            ),
        ];
        let before = app.count("lessons").await;
        for (field, l) in bad {
            let got = w
                .call(
                    &app,
                    "officer.county_a",
                    "POST",
                    "/api/v1/courses",
                    Some(json!({ "title": "错误", "category": "law", "lessons": [l] })),
                )
                .await;
            assert_problem(
                &got,
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_field",
            );
            assert_eq!(got.1["errors"][0]["field"], field, "{l}: {}", got.1);
        }
        assert_eq!(app.count("lessons").await, before, "nothing written");
    }
);

both!(a_lessons_own_face_checks_replace_the_jurisdictions, |app| {
    // The county checks faces at the start of every lesson and once an hour.
    let (app, w) = crate::checkins::enrolled(app.backend, |c| {
        c.rules.learning.face_check_at_start = true;
        c.rules.learning.face_checks_per_hour = 1;
    })
    .await;
    let course = publish(
        &app,
        &w,
        json!({
            "title": "入矫教育", "category": "entry_exit",
            "lessons": [
                { "title": "导读", "kind": "text", "body": "欢迎。", "min_minutes": 5,
                  "face_checks": { "at_start": false, "per_hour": 0 } },
                { "title": "宣誓", "kind": "text", "body": "遵纪守法。", "min_minutes": 60,
                  "face_checks": { "at_start": true, "per_hour": 0 } },
                { "title": "法规", "kind": "text", "body": "社区矫正法。", "min_minutes": 60 }
            ]
        }),
    )
    .await;
    let mut planned = vec![];
    for i in 0..3 {
        let lesson = course["lessons"][i]["id"].as_str().unwrap();
        let before = app.count("study_face_checks").await;
        let (s, v) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lessons/{lesson}/sessions"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        planned.push(app.count("study_face_checks").await - before);
    }
    // None; the start only; the county's start and one in the hour.
    assert_eq!(planned, [0, 1, 2]);
});

both!(
    studying_without_an_enrolled_face_alerts_the_officer_once,
    |app| {
        // The county checks faces at the start of every lesson; sv.a1 has no enrolled face.
        let app = TestApp::with_config(app.backend, |c| {
            c.rules.learning.face_check_at_start = true;
        })
        .await;
        let w = World::build(&app).await;
        let course = publish(
            &app,
            &w,
            json!({
                "title": "入矫教育", "category": "entry_exit",
                "lessons": [
                    { "title": "法规", "kind": "text", "body": "社区矫正法。", "min_minutes": 60 },
                    { "title": "导读", "kind": "text", "body": "欢迎。", "min_minutes": 5,
                      "face_checks": { "at_start": false, "per_hour": 0 } }
                ]
            }),
        )
        .await;
        let open = |i: usize| {
            let lesson = course["lessons"][i]["id"].as_str().unwrap().to_owned();
            let (app, w) = (&app, &w);
            async move {
                let (s, v) = w
                    .call(
                        app,
                        "sv.a1",
                        "POST",
                        &format!("/api/v1/lessons/{lesson}/sessions"),
                        None,
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{v}");
                v
            }
        };
        // A lesson that checks no face asks for nothing and alerts nothing.
        open(1).await;
        assert!(
            crate::common::open_alerts_of_kind(&app, &w, "study_without_face")
                .await
                .is_empty()
        );
        let first = open(0).await;
        let second = open(0).await;
        assert_eq!(
            app.count("study_face_checks").await,
            0,
            "nothing to check against"
        );
        let alerts = crate::common::open_alerts_of_kind(&app, &w, "study_without_face").await;
        assert_eq!(alerts.len(), 1, "once while unresolved: {alerts:?}");
        assert_eq!(alerts[0]["evidence"]["session_id"], first["id"]);
        assert_eq!(alerts[0]["severity"], "low");
        // Resolved (the face being enrolled), the next such lesson alerts again.
        let id = alerts[0]["id"].as_str().unwrap();
        for (action, body) in [
            ("acknowledge", json!({})),
            ("resolve", json!({ "note": "已采集人脸" })),
        ] {
            let (s, v) = w
                .call(
                    &app,
                    "officer.a1",
                    "POST",
                    &format!("/api/v1/alerts/{id}/{action}"),
                    Some(body),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{action}: {v}");
        }
        let third = open(0).await;
        let alerts = crate::common::open_alerts_of_kind(&app, &w, "study_without_face").await;
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0]["evidence"]["session_id"], third["id"]);
        assert_ne!(second["id"], third["id"]);
    }
);

/// Check-ins while studying, with the office's photos: `checkins.rs` made the enrolment.
pub(crate) async fn check_in_with(app: &TestApp, w: &World, photo: &[u8], key: &str) -> Value {
    let nonce = crate::checkins::challenge(app, w).await;
    let (s, v) = w
        .call(app, "sv.a1", "POST", "/api/v1/checkins", Some(json!({ "nonce": nonce, "photo": crate::checkins::b64(photo), "location": crate::checkins::home(), "app_version": "1.0.0", "idempotency_key": key })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

/// Makes a session's planned checks due now (their moments were drawn at random).
async fn checks_due_now(app: &TestApp, session: &str) {
    use huijiao_server::entities::study_face_check;
    study_face_check::Entity::update_many()
        .col_expr(
            study_face_check::Column::DueAt,
            Expr::value(Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(study_face_check::Column::SessionId.eq(session.parse::<uuid::Uuid>().unwrap()))
        .filter(study_face_check::Column::Status.eq("scheduled"))
        .exec(&app.state.db)
        .await
        .unwrap();
}

both!(
    face_checks_while_studying_take_time_back_to_the_last_passed_one,
    |app| {
        let (app, w) = crate::checkins::enrolled(app.backend, |c| {
            c.rules.liveness.mode = huijiao_core::policy::liveness::LivenessMode::SinglePhoto;
            c.rules.learning.face_check_at_start = true;
            c.rules.learning.face_checks_per_hour = 12;
            c.rules.learning.face_check_deadline_secs = 60;
        })
        .await;
        let course = published_course(&app, &w).await;
        let video = course["lessons"][0]["id"].as_str().unwrap().to_owned();
        let open = format!("/api/v1/lessons/{video}/sessions");
        let (s, session) = w.call(&app, "sv.a1", "POST", &open, None).await;
        assert_eq!(s, StatusCode::CREATED, "{session}");
        let id = session["id"].as_str().unwrap().to_owned();
        opened_ago(&app, &id, 30).await;
        let beats = format!("/api/v1/study-sessions/{id}/beats");
        // The first heartbeat asks for the face, live and in the answer.
        let mut events = app.state.events.subscribe();
        let (_, v) = w
            .call(&app, "sv.a1", "POST", &beats, Some(watched(1, 3)))
            .await;
        let asked_by = v["face_check_by"]
            .as_str()
            .expect("a face check asked")
            .to_owned();
        assert_eq!(v["credited_secs"], 60);
        let e = events.recv().await.unwrap();
        assert_eq!(e.view.kind, "study_face_check");
        // The right face (a fresh selfie): passed at the next heartbeat; 120 s are now safe.
        let selfie = crate::checkins::fresh_selfie();
        assert_eq!(
            check_in_with(&app, &w, &selfie, "study-check-01").await["result"],
            "passed"
        );
        let (_, v) = w
            .call(&app, "sv.a1", "POST", &beats, Some(watched(4, 5)))
            .await;
        assert_eq!(
            (v["face_check_by"].clone(), v["credited_secs"].as_u64()),
            (Value::Null, Some(120)),
            "{asked_by}"
        );
        // The next check comes; someone else's face answers it. The minute since the pass is
        // taken back, the session is over, the officer alerted.
        checks_due_now(&app, &id).await;
        let (_, v) = w
            .call(&app, "sv.a1", "POST", &beats, Some(watched(6, 6)))
            .await;
        assert!(v["face_check_by"].is_string(), "{v}");
        let other = crate::checkins::face("astronaut.png").encode_jpeg(90);
        assert_eq!(
            check_in_with(&app, &w, &other, "study-check-02").await["result"],
            "failed"
        );
        let (s, v) = w
            .call(&app, "sv.a1", "POST", &beats, Some(watched(7, 7)))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["status"].as_str(), v["credited_secs"].as_u64()),
            (Some("voided"), Some(120)),
            "{v}"
        );
        let got = w
            .call(&app, "sv.a1", "POST", &beats, Some(watched(8, 8)))
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "learning.session_ended");
        let (_, month) = w
            .call(
                &app,
                "sv.a1",
                "GET",
                &format!("/api/v1/cases/{}/learning", w.case_a1),
                None,
            )
            .await;
        assert_eq!(month["by_source"][0]["minutes"], 2, "{month}");
        let (_, alerts) = w
            .call(&app, "officer.a1", "GET", "/api/v1/alerts?state=open", None)
            .await;
        let study: Vec<&Value> = alerts["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "study_face_check_failed")
            .collect();
        assert_eq!(study.len(), 1, "{alerts}");

        // A new session; the check asked at its start goes unanswered and the app goes quiet:
        // past the deadline the job takes the time back just the same.
        let (_, session) = w.call(&app, "sv.a1", "POST", &open, None).await;
        let id = session["id"].as_str().unwrap().to_owned();
        opened_ago(&app, &id, 30).await;
        let beats = format!("/api/v1/study-sessions/{id}/beats");
        let (_, v) = w
            .call(&app, "sv.a1", "POST", &beats, Some(watched(1, 4)))
            .await;
        assert_eq!(v["credited_secs"], 90);
        assert!(v["face_check_by"].is_string(), "{v}");
        {
            use huijiao_server::entities::study_face_check;
            study_face_check::Entity::update_many()
                .col_expr(
                    study_face_check::Column::Deadline,
                    Expr::value(Utc::now() - chrono::Duration::seconds(1)),
                )
                .filter(study_face_check::Column::Status.eq("asked"))
                .exec(&app.state.db)
                .await
                .unwrap();
        }
        let report = huijiao_server::app::run_jobs(&app.state).await.unwrap();
        assert!(
            report.ran.contains(&("learning.face_checks", 1)),
            "{report:?}"
        );
        let (_, sessions) = w
            .call(
                &app,
                "sv.a1",
                "GET",
                &format!("/api/v1/cases/{}/study-sessions", w.case_a1),
                None,
            )
            .await;
        assert_eq!(
            (
                sessions["items"][0]["status"].as_str(),
                sessions["items"][0]["credited_secs"].as_u64()
            ),
            (Some("voided"), Some(0)),
            "{sessions}"
        );
        let (_, month) = w
            .call(
                &app,
                "sv.a1",
                "GET",
                &format!("/api/v1/cases/{}/learning", w.case_a1),
                None,
            )
            .await;
        assert_eq!(month["by_source"][0]["minutes"], 2, "{month}");
        // Run again, nothing more is settled.
        let report = huijiao_server::app::run_jobs(&app.state).await.unwrap();
        assert!(
            report.ran.contains(&("learning.face_checks", 0)),
            "{report:?}"
        );
        // As xAPI: each session launched, then terminated with the time it kept.
        let (_, xs) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/cases/{}/xapi-statements", w.case_a1),
                None,
            )
            .await;
        let said = |verb: &str| -> Vec<String> {
            let mut d: Vec<String> = xs
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x["verb"]["display"]["en-US"] == verb)
                .map(|x| x["result"]["duration"].as_str().unwrap_or("-").to_owned())
                .collect();
            d.sort();
            d
        };
        assert_eq!(said("launched"), ["-", "-"], "{xs}");
        assert_eq!(said("terminated"), ["PT0S", "PT2M"], "{xs}");
        assert_eq!(xs.as_array().unwrap().len(), 4, "{xs}");
    }
);

both!(a_reflection_is_reviewed_returned_and_rewritten, |app| {
    let w = World::build(&app).await;
    let course = published_course(&app, &w).await;
    let lesson = course["lessons"][1]["id"].as_str().unwrap().to_owned();
    let write = format!("/api/v1/lessons/{lesson}/reflection");
    let text = "学习了外出请假的规定，明白了未经批准不得离开所居住的市、县。".repeat(4);
    // A line is not a reflection.
    let got = w
        .call(
            &app,
            "sv.a1",
            "PUT",
            &write,
            Some(json!({ "text": "很好" })),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    let (s, r) = w
        .call(&app, "sv.a1", "PUT", &write, Some(json!({ "text": text })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(
        (r["status"].as_str(), r["version"].as_i64()),
        (Some("submitted"), Some(1))
    );
    let id = r["id"].as_str().unwrap().to_owned();
    // Waiting for review, it is not rewritten.
    let got = w
        .call(&app, "sv.a1", "PUT", &write, Some(json!({ "text": text })))
        .await;
    assert_problem(
        &got,
        StatusCode::CONFLICT,
        "learning.reflection_transition_invalid",
    );
    let (s, one) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/reflections/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{one}");
    assert_eq!((&one["text"], &one["version"]), (&r["text"], &r["version"]));
    let review = format!("/api/v1/reflections/{id}/review");
    let got = w
        .call(
            &app,
            "officer.b1",
            "POST",
            &review,
            Some(json!({ "accept": true, "version": 1 })),
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    // Returned, with what to improve (a return without it is refused).
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &review,
            Some(json!({ "accept": false, "version": 1 })),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    let (s, r) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &review,
            Some(json!({ "accept": false, "comment": "请结合自身经历谈谈体会", "version": 1 })),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("returned")),
        "{r}"
    );
    let rewritten = format!("{text}我曾因探亲未按时报告，今后一定提前申请。");
    let (s, r) = w
        .call(
            &app,
            "sv.a1",
            "PUT",
            &write,
            Some(json!({ "text": rewritten })),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str(), r["version"].as_i64()),
        (StatusCode::OK, Some("submitted"), Some(3)),
        "{r}"
    );
    // A screen from before the rewrite cannot accept what it did not read.
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &review,
            Some(json!({ "accept": true, "version": 2 })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "resource.conflict");
    let (s, r) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &review,
            Some(json!({ "accept": true, "version": 3 })),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{r}"
    );
    let (_, mine) = w
        .call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/cases/{}/reflections", w.case_a1),
            None,
        )
        .await;
    assert_eq!(mine["items"][0]["text"], rewritten.as_str());
    assert_eq!(mine["items"][0]["lesson_title"], "请假与外出规定");
    // The volunteer follows progress, not the person's writing.
    let got = w
        .call(
            &app,
            "volunteer.a1",
            "GET",
            &format!("/api/v1/cases/{}/reflections", w.case_a1),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
});

both!(a_written_answer_is_graded_by_an_officer, |app| {
    let w = World::build(&app).await;
    let body = json!({
        "title": "心理健康", "category": "psychology",
        "lessons": [{ "title": "情绪管理测验", "kind": "quiz", "min_minutes": 0, "pass_percent": 60,
            "questions": [
                { "kind": "single", "prompt": "情绪低落时可以向谁求助？", "options": ["不告诉任何人", "社区矫正工作人员", "网友"], "key": [1], "points": 4 },
                { "kind": "short_text", "prompt": "结合自身，谈谈遇到烦心事时你会怎么做。", "options": [], "key": [], "points": 6 }
            ] }]
    });
    let course = publish(&app, &w, body).await;
    let lesson = course["lessons"][0]["id"].as_str().unwrap().to_owned();
    let (s, attempt) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/lessons/{lesson}/attempts"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{attempt}");
    let id = attempt["id"].as_str().unwrap().to_owned();
    let q = |kind: &str| -> String {
        attempt["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["kind"] == kind)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (single, text) = (q("single"), q("short_text"));
    let submit = format!("/api/v1/quiz-attempts/{id}/submit");
    // A written question is answered in words, not options; a choice not in words.
    for bad in [
        json!([{ "question_id": text, "chosen": [0] }]),
        json!([{ "question_id": text, "text": "  " }]),
        json!([{ "question_id": single, "chosen": [1], "text": "社区矫正工作人员" }]),
    ] {
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &submit,
                Some(json!({ "answers": bad })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
    }
    let (s, done) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &submit,
            Some(json!({ "answers": [
            { "question_id": single, "chosen": [1] },
            { "question_id": text, "text": "先冷静下来，和家人或矫正工作人员谈一谈。" }
        ] })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(
        (
            done["awaiting_review"].as_bool(),
            done["passed"].clone(),
            done["points"].as_i64()
        ),
        (Some(true), Value::Null, Some(4)),
        "{done}"
    );
    // The officer opens the attempt to grade it: the written answer is there.
    let (s, one) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/quiz-attempts/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{one}");
    assert_eq!(one, done);
    let grade = format!("/api/v1/quiz-attempts/{id}/grade");
    let version = done["version"].as_i64().unwrap();
    let got = w
        .call(
            &app,
            "officer.b1",
            "POST",
            &grade,
            Some(json!({ "grades": [{ "question_id": text, "points": 5 }], "version": version })),
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    for bad in [
        json!([{ "question_id": text, "points": 7 }]),
        json!([{ "question_id": single, "points": 4 }]),
        json!([]),
    ] {
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &grade,
                Some(json!({ "grades": bad, "version": version })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
    }
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &grade,
            Some(
                json!({ "grades": [{ "question_id": text, "points": 5 }], "version": version + 1 }),
            ),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "resource.conflict");
    let (s, graded) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &grade,
            Some(json!({ "grades": [{ "question_id": text, "points": 5 }], "version": version })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{graded}");
    assert_eq!(
        (
            graded["awaiting_review"].as_bool(),
            graded["passed"].as_bool(),
            graded["points"].as_i64(),
            graded["percent"].as_i64()
        ),
        (Some(false), Some(true), Some(9), Some(90)),
        "{graded}"
    );
    let written = graded["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["question_id"] == text.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (written["awarded"].as_i64(), written["right"].as_bool()),
        (Some(5), Some(false)),
        "{written}"
    );
    assert_eq!(written["text"], "先冷静下来，和家人或矫正工作人员谈一谈。");
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &grade,
            Some(
                json!({ "grades": [{ "question_id": text, "points": 6 }], "version": version + 1 }),
            ),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "learning.not_awaiting_review");
});

both!(nothing_is_owed_before_the_announcement, |app| {
    let w = World::build(&app).await;
    // Both cases' terms began before October; a1 was announced only on 15 November, a2 in
    // September. October: only a2 owes (and is short); November: a1 owes half.
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    crate::common::announced_at(&app, &w.case_a1, at("2026-11-15T02:00:00Z")).await;
    crate::common::announced_at(&app, &w.case_a2, at("2026-09-01T02:00:00Z")).await;
    ledger::close_last_month(
        &app.state,
        &app.state.db,
        Obligation::Education,
        at("2026-11-03T00:00:00Z"),
    )
    .await
    .unwrap();
    let (_, alerts) = w
        .call(&app, "officer.county_a", "GET", "/api/v1/alerts", None)
        .await;
    let short: Vec<&Value> = alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "learning_shortfall")
        .collect();
    assert_eq!(short.len(), 1, "{alerts}");
    assert_eq!(short[0]["case_id"], w.case_a2.as_str());
    let (_, november) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{}/learning?month=2026-11", w.case_a1),
            None,
        )
        .await;
    assert_eq!(
        november["owed_minutes"], 256,
        "16 of 30 days of 480: {november}"
    );
    // Nor is a month before it assessed.
    let got = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!(
                "/api/v1/cases/{}/assessments/draft?month=2026-10",
                w.case_a1
            ),
            None,
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
});

/// An MP4 of `total` bytes as its container has it: an `ftyp` box, then an `mdat` box with
/// the rest.
pub(crate) fn fake_mp4(total: usize) -> Vec<u8> {
    let mut mp4 = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2".to_vec();
    mp4.extend(((total - 24) as u32).to_be_bytes());
    mp4.extend(b"mdat");
    mp4.extend((0..total - 32).map(|i| (i % 251) as u8));
    mp4
}

both!(a_lesson_file_is_streamed_in_small_chunks, |app| {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let w = World::build(&app).await;
    let course = published_course(&app, &w).await;
    // The published course's video lesson gets a 3 MiB file (written as an upload would).
    let lesson: uuid::Uuid = course["lessons"][0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mp4 = fake_mp4(3 << 20);
    let key = app
        .state
        .media
        .put_public_stream(
            "lessons/test",
            futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(mp4.clone()))]),
            64 << 20,
            |_| Ok(()),
        )
        .await
        .unwrap()
        .0;
    use huijiao_server::entities::lesson as l;
    l::Entity::update_many()
        .col_expr(l::Column::MediaKey, Expr::value(key))
        .col_expr(l::Column::MediaType, Expr::value("video/mp4"))
        .col_expr(l::Column::MediaBytes, Expr::value(mp4.len() as i64))
        .filter(l::Column::Id.eq(lesson))
        .exec(&app.state.db)
        .await
        .unwrap();
    let req = axum::http::Request::get(format!("/api/v1/lessons/{lesson}/media"))
        .header("authorization", format!("Bearer {}", w.token("sv.a1")))
        .header("x-device-id", "phone-1")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-length"], (3u64 << 20).to_string());
    // Frame by frame: never the whole file at once.
    let mut body = res.into_body();
    let (mut frames, mut largest, mut got) = (0, 0, Vec::new());
    while let Some(frame) = body.frame().await {
        let data = frame.unwrap().into_data().unwrap();
        frames += 1;
        largest = largest.max(data.len());
        got.extend_from_slice(&data);
    }
    assert_eq!(got, mp4);
    assert!(
        frames > 100 && largest <= 64 << 10,
        "{frames} frames, largest {largest} bytes"
    );
});

both!(
    a_pdf_lesson_with_active_content_is_refused_and_a_clean_one_served_inert,
    |app| {
        let w = World::build(&app).await;
        let (s, draft) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                "/api/v1/courses",
                Some(
                    json!({ "title": "宪法读本", "category": "law", "description": null,
                    "lessons": [{ "title": "宪法全文", "kind": "pdf", "min_minutes": 10 }] }),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{draft}");
        let lesson = draft["lessons"][0]["id"].as_str().unwrap().to_owned();
        let media = format!("/api/v1/lessons/{lesson}/media");
        let put = |body: Vec<u8>| {
            let (token, media, app) = (w.token("officer.county_a").to_owned(), media.clone(), &app);
            async move {
                let (s, _, b) = app
                    .call_raw(
                        "PUT",
                        &media,
                        Some(&token),
                        &[],
                        Some(body),
                        Some("application/pdf"),
                    )
                    .await;
                (
                    s,
                    serde_json::from_slice::<Value>(&b).unwrap_or(Value::Null),
                )
            }
        };
        let pdf = |catalog: &str, stream: &[u8]| {
            let mut out = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R ".to_vec();
            out.extend(catalog.as_bytes());
            out.extend(b">>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
            out.extend(b"3 0 obj\n<< /Filter /FlateDecode >>\nstream\n");
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut z, stream).unwrap();
            out.extend(z.finish().unwrap());
            out.extend(b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
            out
        };
        // Script run on opening, a program launched, script hidden in a compressed stream or
        // behind a name escape: every supervisee of the county would open it.
        for bad in [
            pdf(
                "/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ",
                b"BT ET",
            ),
            pdf("/OpenAction << /S /Launch /F (cmd.exe) >> ", b"BT ET"),
            pdf("", b"<< /S /JavaScript /JS (this.submitForm()) >>"),
            pdf("/AA << /O << /S /J#61vaScript /JS (x) >> >> ", b"BT ET"),
        ] {
            let got = put(bad).await;
            assert_problem(
                &got,
                StatusCode::UNPROCESSABLE_ENTITY,
                "learning.media_invalid",
            );
        }
        assert_eq!(
            app.count("lessons WHERE media_key IS NOT NULL").await,
            0,
            "nothing kept"
        );
        // A plain document goes in, and comes out as a document that runs nothing.
        let clean = pdf("", b"BT /F1 12 Tf (Constitution) Tj ET");
        let (s, l) = put(clean.clone()).await;
        assert_eq!(s, StatusCode::OK, "{l}");
        assert_eq!(l["media_type"], "application/pdf");
        let (s, headers, body) = app
            .call_raw(
                "GET",
                &media,
                Some(w.token("officer.county_a")),
                &[],
                None,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(body, clean);
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["content-security-policy"], "sandbox");
        assert!(headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline; filename="));
    }
);
