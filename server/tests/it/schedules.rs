//! Check-in schedules: windows by level, sensitive periods, missed windows raising one alert
//! each (exactly once) with escalation.

use crate::common;

use axum::http::StatusCode;
use chrono::{Duration, NaiveTime, TimeZone, Utc};
use common::World;
use huijiao_core::policy::calendar::local_offset;
use huijiao_server::entities::{alert, checkin, face_template};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

fn local(date: chrono::NaiveDate, h: u32) -> chrono::DateTime<Utc> {
    local_offset()
        .from_local_datetime(&date.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap()))
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// The case announced and its face enrolled `days` ago (nothing is owed before either).
async fn enrolled_days_ago(app: &common::TestApp, case_id: Uuid, days: i64) {
    use huijiao_server::entities::case;
    let then = Utc::now() - Duration::days(days);
    case::Entity::update_many()
        .col_expr(
            case::Column::AnnouncedAt,
            sea_orm::sea_query::Expr::value(then),
        )
        .filter(case::Column::Id.eq(case_id))
        .exec(&app.state.db)
        .await
        .unwrap();
    face_template::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        version: Set(1),
        template: Set(vec![0]),
        photo_keys: Set(json!([])),
        photo_hashes: Set(None),
        reference_count: Set(1),
        model: Set("dlib_face_recognition_resnet_v1".into()),
        active: Set(true),
        created_by: Set(Uuid::nil()),
        created_at: Set(Utc::now() - Duration::days(days)),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
}

async fn passed_checkin(
    app: &common::TestApp,
    case_id: Uuid,
    user: Uuid,
    at: chrono::DateTime<Utc>,
) {
    common::insert_checkin(app, case_id, user, "passed", at, None).await;
}

both!(missed_windows_alert_once_and_escalate, |app| {
    let w = World::build(&app).await;
    let case_id: Uuid = w.case_a1.parse().unwrap();
    let (_, me) = w.call(&app, "sv.a1", "GET", "/api/v1/me", None).await;
    let user: Uuid = me["id"].as_str().unwrap().parse().unwrap();
    enrolled_days_ago(&app, case_id, 3).await;
    let today = Utc::now().with_timezone(&local_offset()).date_naive();
    // Strict supervision: daily windows. The day before yesterday was checked in (10:00 local);
    // yesterday only at 21:00 local, after the band closed: that does not count.
    passed_checkin(&app, case_id, user, local(today - Duration::days(2), 10)).await;
    passed_checkin(&app, case_id, user, local(today - Duration::days(1), 21)).await;
    let evening = local(today, 21);
    let events = huijiao_server::checkins::schedule::mark_missed(
        &app.state.db,
        &app.state.config.rules,
        evening,
    )
    .await
    .unwrap();
    // Windows today-3, today-1 and today were missed; today-2 was met.
    assert_eq!(
        events.len(),
        3,
        "{:?}",
        events
            .iter()
            .map(|e| e.view.payload.clone())
            .collect::<Vec<_>>()
    );
    assert!(
        huijiao_server::checkins::schedule::mark_missed(
            &app.state.db,
            &app.state.config.rules,
            evening
        )
        .await
        .unwrap()
        .is_empty(),
        "exactly once"
    );
    assert!(huijiao_server::checkins::schedule::mark_missed(
        &app.state.db,
        &app.state.config.rules,
        evening + Duration::minutes(5)
    )
    .await
    .unwrap()
    .is_empty());
    let alerts = alert::Entity::find()
        .filter(alert::Column::CaseId.eq(case_id))
        .order_by_asc(alert::Column::CreatedAt)
        .all(&app.state.db)
        .await
        .unwrap();
    let severities: Vec<&str> = alerts.iter().map(|a| a.severity.as_str()).collect();
    assert_eq!(
        severities,
        ["medium", "high", "critical"],
        "repeated misses escalate"
    );
    assert_eq!(alerts[2].evidence["sanction_suggestion"], "admonition");
    assert!(alerts
        .iter()
        .all(|a| a.kind == huijiao_core::model::AlertKind::CheckinMissed));
    // Before the band closes today, today's window is not missed yet.
    let other: Uuid = w.case_a2.parse().unwrap();
    enrolled_days_ago(&app, other, 0).await;
    let noon = local(today, 12);
    let e = huijiao_server::checkins::schedule::mark_missed(
        &app.state.db,
        &app.state.config.rules,
        noon,
    )
    .await
    .unwrap();
    assert!(
        e.iter().all(|e| e.view.case_id != other),
        "the window is still open"
    );
    // A case that is not enrolled is not chased.
    let (_, list) = app.get("/api/v1/alerts", w.token("officer.a2")).await;
    assert!(list["items"].as_array().unwrap().is_empty());
});

both!(sensitive_periods_tighten_obligations, |app| {
    let w = World::build(&app).await;
    let path = format!("/api/v1/cases/{}/obligations", w.case_a2);
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{}/levels", w.case_a2),
            w.token("officer.a2"),
            json!({ "level": "lenient", "reason": "表现良好" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, o) = w.call(&app, "sv.a2", "GET", &path, None).await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(
        (
            o["effective_level"].as_str(),
            o["checkin_every_days"].as_u64(),
            o["location_interval_minutes"].as_u64()
        ),
        (Some("lenient"), Some(14), Some(60))
    );
    assert_eq!(o["window_met"], false);
    let today = Utc::now().with_timezone(&local_offset()).date_naive();
    let body = json!({ "name": "春节", "start_date": today - Duration::days(1), "end_date": today + Duration::days(6) });
    assert_eq!(
        app.post(
            "/api/v1/sensitive-periods",
            w.token("officer.county_a"),
            body.clone()
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (s, _) = app
        .post("/api/v1/sensitive-periods", w.token("sys"), body)
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, o) = w.call(&app, "sv.a2", "GET", &path, None).await;
    assert_eq!(
        (
            o["level"].as_str(),
            o["effective_level"].as_str(),
            o["in_sensitive_period"].as_bool(),
            o["checkin_every_days"].as_u64()
        ),
        (Some("lenient"), Some("normal"), Some(true), Some(7))
    );
    let (s, v) = app
        .post(
            "/api/v1/sensitive-periods",
            w.token("sys"),
            json!({ "name": "x", "start_date": today, "end_date": today - Duration::days(1) }),
        )
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("end_date"))
    );
});

both!(retention_purges_biometrics_on_schedule, |app| {
    let w = World::build(&app).await;
    let case_id: Uuid = w.case_a1.parse().unwrap();
    let (_, me) = w.call(&app, "sv.a1", "GET", "/api/v1/me", None).await;
    let user: Uuid = me["id"].as_str().unwrap().parse().unwrap();
    let media = &app.state.media;
    let now = Utc::now();
    // (days ago, result, alert resolved days ago) → purged?
    let rows: [(i64, &str, Option<i64>, bool); 5] = [
        (89, "passed", None, false),
        (91, "passed", None, true),
        (400, "failed", None, false),
        (400, "needs_review", Some(29), false),
        (400, "failed", Some(31), true),
    ];
    let mut ids = vec![];
    for (i, (age, result, resolved, _)) in rows.iter().enumerate() {
        let key = media
            .put(
                &format!("checkins/{case_id}"),
                format!("photo {i}").as_bytes(),
                case_id.as_bytes(),
            )
            .await
            .unwrap();
        let at = now - Duration::days(*age);
        let id = common::insert_checkin(&app, case_id, user, result, at, Some(key.clone())).await;
        if let Some(days) = resolved {
            let a = common::raise_alert(
                &app,
                case_id,
                huijiao_core::model::AlertKind::CheckinFailed,
                huijiao_core::model::AlertSeverity::High,
                json!({ "checkin_id": id }),
                app.state.clock.now(),
            )
            .await;
            let mut am: alert::ActiveModel = a.into();
            am.state = Set(huijiao_core::model::AlertState::Resolved);
            am.resolved_at = Set(Some(now - Duration::days(*days)));
            am.update(&app.state.db).await.unwrap();
        }
        ids.push((id, key));
    }
    let rules = huijiao_core::policy::checkin::RetentionRules::default();
    let report = huijiao_server::checkins::retention::purge(&app.state.db, media, &rules, now)
        .await
        .unwrap();
    assert_eq!(report.checkin_photos, 2);
    for ((id, key), (_, what, _, purged)) in ids.iter().zip(rows) {
        let row = checkin::Entity::find_by_id(*id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.photo_purged_at.is_some(), purged, "{what}");
        assert_eq!(media.raw(key).await.is_err(), purged, "{what}: file");
    }
    let (_, audit) = app
        .get(
            "/api/v1/audit?action=biometrics.purged",
            w.token("auditadmin"),
        )
        .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);

    // A case closed more than 30 days ago loses every biometric record.
    enrolled_days_ago(&app, case_id, 100).await;
    let (s, _) = app
        .post(
            &format!("/api/v1/cases/{}/status", w.case_a1),
            w.token("officer.a1"),
            json!({ "status": "terminated", "reason": "死亡" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let later = now + Duration::days(31);
    let report = huijiao_server::checkins::retention::purge(&app.state.db, media, &rules, later)
        .await
        .unwrap();
    assert_eq!((report.checkin_photos, report.templates), (3, 1));
    assert_eq!(app.count("face_templates").await, 0);
});

both!(the_system_asks_for_random_checkins, |app| {
    let w = World::build(&app).await;
    let case_id: Uuid = w.case_a1.parse().unwrap();
    let today = Utc::now().with_timezone(&local_offset()).date_naive();
    let (at_night, at_ten) = (local(today, 23), local(today, 10));
    let mut always = || 0.0;
    // Not enrolled: never asked. At night: never asked.
    assert!(huijiao_server::checkins::requests::ask_at_random(
        &app.state.db,
        &app.state.config.rules.checkin_band,
        at_ten,
        300,
        &mut always
    )
    .await
    .unwrap()
    .is_empty());
    enrolled_days_ago(&app, case_id, 1).await;
    assert!(huijiao_server::checkins::requests::ask_at_random(
        &app.state.db,
        &app.state.config.rules.checkin_band,
        at_night,
        300,
        &mut always
    )
    .await
    .unwrap()
    .is_empty());
    let mut never = || 0.999_999;
    assert!(
        huijiao_server::checkins::requests::ask_at_random(
            &app.state.db,
            &app.state.config.rules.checkin_band,
            at_ten,
            300,
            &mut never
        )
        .await
        .unwrap()
        .is_empty(),
        "the dice say no"
    );
    let e = huijiao_server::checkins::requests::ask_at_random(
        &app.state.db,
        &app.state.config.rules.checkin_band,
        at_ten,
        300,
        &mut always,
    )
    .await
    .unwrap();
    assert_eq!((e.len(), e[0].view.kind.as_str()), (1, "checkin_request"));
    assert!(
        huijiao_server::checkins::requests::ask_at_random(
            &app.state.db,
            &app.state.config.rules.checkin_band,
            at_ten,
            300,
            &mut always
        )
        .await
        .unwrap()
        .is_empty(),
        "one open request at a time"
    );
    let (_, list) = w
        .call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/cases/{}/checkin-requests", w.case_a1),
            None,
        )
        .await;
    assert_eq!(
        (
            list["items"][0]["requested_by"].clone(),
            list["items"][0]["status"].as_str()
        ),
        (json!(null), Some("open"))
    );
});

/// The check-in alerts of a case, oldest first.
async fn checkin_alerts(app: &common::TestApp, case_id: Uuid) -> Vec<alert::Model> {
    alert::Entity::find()
        .filter(alert::Column::CaseId.eq(case_id))
        .order_by_asc(alert::Column::CreatedAt)
        .all(&app.state.db)
        .await
        .unwrap()
}

/// A doubtful check-in made yesterday morning (sent offline, without the head poses), and the
/// alert it raised, as `checkins::submit` writes them.
async fn doubtful_yesterday(app: &common::TestApp, w: &World) -> (Uuid, Uuid) {
    let case_id: Uuid = w.case_a1.parse().unwrap();
    let user: Uuid = w.user_id(app, "sv.a1").await.parse().unwrap();
    enrolled_days_ago(app, case_id, 3).await;
    let today = Utc::now().with_timezone(&local_offset()).date_naive();
    let at = local(today - Duration::days(1), 10);
    let id = common::insert_checkin(app, case_id, user, "needs_review", at, None).await;
    use huijiao_core::model::{AlertKind, AlertSeverity};
    let evidence = json!({ "checkin_id": id, "reasons": ["liveness_unchecked"] });
    common::raise_alert(
        app,
        case_id,
        AlertKind::CheckinNeedsReview,
        AlertSeverity::Medium,
        evidence,
        at,
    )
    .await;
    (case_id, id)
}

/// Whether yesterday's window (strict: daily) was recorded missed.
async fn yesterday_missed(app: &common::TestApp, case_id: Uuid) -> bool {
    let yesterday = Utc::now().with_timezone(&local_offset()).date_naive() - Duration::days(1);
    checkin_alerts(app, case_id).await.iter().any(|a| {
        a.kind == huijiao_core::model::AlertKind::CheckinMissed
            && a.evidence["window_start"] == json!(yesterday)
    })
}

both!(a_doubtful_checkin_accepted_on_review_counts, |app| {
    let w = World::build(&app).await;
    let (case_id, id) = doubtful_yesterday(&app, &w).await;
    let rules = &app.state.config.rules;
    // Nobody has looked yet: the window waits for the officer instead of counting as missed.
    huijiao_server::checkins::schedule::mark_missed(&app.state.db, rules, Utc::now())
        .await
        .unwrap();
    assert!(!yesterday_missed(&app, case_id).await);

    let path = format!("/api/v1/checkins/{id}/review");
    let accept = |version: i64, note: &str| {
        Some(json!({ "decision": "accept", "note": note, "version": version }))
    };
    for (who, status, code) in [
        ("sv.a1", StatusCode::FORBIDDEN, "access.forbidden"),
        ("volunteer.a1", StatusCode::FORBIDDEN, "access.forbidden"),
        ("officer.b1", StatusCode::NOT_FOUND, "resource.not_found"),
    ] {
        let got = w.call(&app, who, "POST", &path, accept(1, "本人")).await;
        common::assert_problem(&got, status, code);
    }
    let got = w
        .call(&app, "officer.a1", "POST", &path, accept(1, " "))
        .await;
    common::assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    assert_eq!(got.1["errors"][0]["field"], "note", "{}", got.1);
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &path,
            Some(json!({ "decision": "maybe", "note": "x" })),
        )
        .await;
    assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.1);
    let got = w
        .call(&app, "officer.a1", "POST", &path, accept(2, "本人"))
        .await;
    common::assert_problem(&got, StatusCode::CONFLICT, "resource.conflict");

    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &path,
            accept(1, "电话核实：离线签到，本人"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["result"].as_str(),
            v["version"].as_i64(),
            v["review"]["decision"].as_str()
        ),
        (Some("passed"), Some(2), Some("accept")),
        "{v}"
    );
    let got = w
        .call(&app, "officer.a1", "POST", &path, accept(2, "again"))
        .await;
    common::assert_problem(&got, StatusCode::CONFLICT, "checkin.transition_invalid");

    // The alert is answered with the note; the window counts; the supervisee sees the decision.
    // (The other days' windows had no check-in: they are missed.)
    let alerts = checkin_alerts(&app, case_id).await;
    assert_eq!(
        (alerts[0].kind.as_str(), alerts[0].state.as_str()),
        ("checkin_needs_review", "resolved")
    );
    assert_eq!(
        alerts[0].resolution_note.as_deref(),
        Some("电话核实：离线签到，本人")
    );
    huijiao_server::checkins::schedule::mark_missed(&app.state.db, rules, Utc::now())
        .await
        .unwrap();
    assert!(!yesterday_missed(&app, case_id).await);
    let (_, mine) = w
        .call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/cases/{case_id}/checkins"),
            None,
        )
        .await;
    assert_eq!(
        mine["items"][0]["review"]["note"], "电话核实：离线签到，本人",
        "{mine}"
    );
    let rows = checkin::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(rows.reviewed_by.is_some() && rows.reviewed_at.is_some());
});

both!(
    a_doubtful_checkin_rejected_on_review_fails_and_is_judged,
    |app| {
        let w = World::build(&app).await;
        let (case_id, id) = doubtful_yesterday(&app, &w).await;
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!("/api/v1/checkins/{id}/review"),
                Some(json!({ "decision": "reject", "note": "照片非本人" })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["result"].as_str(), v["review"]["decision"].as_str()),
            (Some("failed"), Some("reject"))
        );
        // A failure that counts (answered by this decision), and yesterday's window, closed and
        // unmet, is missed at once.
        let alerts = checkin_alerts(&app, case_id).await;
        let failed: Vec<_> = alerts
            .iter()
            .filter(|a| a.kind == huijiao_core::model::AlertKind::CheckinFailed)
            .collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(
            (
                failed[0].state.as_str(),
                failed[0].evidence["checkin_id"].as_str()
            ),
            ("resolved", Some(id.to_string().as_str()))
        );
        assert!(yesterday_missed(&app, case_id).await);
    }
);

both!(tries_run_out_and_an_officer_gives_them_back, |app| {
    let _ = app;
    let app = common::TestApp::with_config(app.backend, |c| c.checkin.max_failed_per_day = 2).await;
    let w = World::build(&app).await;
    let case_id: Uuid = w.case_a1.parse().unwrap();
    let user: Uuid = w.user_id(&app, "sv.a1").await.parse().unwrap();
    for _ in 0..2 {
        common::insert_checkin(
            &app,
            case_id,
            user,
            "failed",
            Utc::now() - Duration::hours(1),
            None,
        )
        .await;
    }
    let tries = format!("/api/v1/cases/{case_id}/checkin-tries");
    let (s, v) = w.call(&app, "sv.a1", "GET", &tries, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["used"].as_u64(),
            v["limit"].as_u64(),
            v["remaining"].as_u64()
        ),
        (Some(2), Some(2), Some(0))
    );
    let got = w
        .call(&app, "sv.a1", "POST", "/api/v1/checkins/challenge", None)
        .await;
    common::assert_problem(
        &got,
        StatusCode::TOO_MANY_REQUESTS,
        "checkin.too_many_attempts",
    );
    // Asking for a check-in the person cannot make is refused, with what to do.
    let ask = format!("/api/v1/cases/{case_id}/checkin-requests");
    let got = w
        .call(&app, "officer.a1", "POST", &ask, Some(json!({})))
        .await;
    common::assert_problem(&got, StatusCode::CONFLICT, "checkin.tries_exhausted");

    let reset = format!("{tries}/reset");
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &reset,
            Some(json!({ "reason": "" })),
        )
        .await;
    common::assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    assert_eq!(got.1["errors"][0]["field"], "reason");
    for (who, status) in [
        ("sv.a1", StatusCode::FORBIDDEN),
        ("officer.b1", StatusCode::NOT_FOUND),
    ] {
        let got = w
            .call(&app, who, "POST", &reset, Some(json!({ "reason": "x" })))
            .await;
        assert_eq!(got.0, status, "{who}: {}", got.1);
    }
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &reset,
            Some(json!({ "reason": "电话确认：摄像头故障已修复" })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["used"].as_u64(), v["remaining"].as_u64()),
        (Some(0), Some(2)),
        "{v}"
    );
    assert!(v["last_reset_at"].is_string());
    let (s, v) = w
        .call(&app, "sv.a1", "POST", "/api/v1/checkins/challenge", None)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = w
        .call(&app, "officer.a1", "POST", &ask, Some(json!({})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // What failed stays on record.
    assert_eq!(app.count("checkins").await, 2);
    assert_eq!(app.count("checkin_try_resets").await, 1);
});

both!(staff_notes_stay_with_staff_and_alerts_filter, |app| {
    use huijiao_core::model::{AlertKind, AlertSeverity};
    let w = World::build(&app).await;
    let case_id: Uuid = w.case_a1.parse().unwrap();
    let now = Utc::now();
    for (kind, severity) in [
        (AlertKind::CheckinMissed, AlertSeverity::High),
        (AlertKind::HelpRiskFlagged, AlertSeverity::Medium),
        (AlertKind::VisitRiskFlagged, AlertSeverity::High),
    ] {
        common::raise_alert(&app, case_id, kind, severity, json!({}), now).await;
    }
    // The person sees what is about their own obligations, not what staff noted of them.
    let (s, mine) = w
        .call(&app, "sv.a1", "GET", "/api/v1/me/alerts", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{mine}");
    let kinds: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["checkin_missed"]);
    // Officers filter by severity and kind; an unknown one is named.
    let count = |v: &serde_json::Value| v["items"].as_array().unwrap().len();
    let (_, high) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/alerts?severity=high",
            None,
        )
        .await;
    assert_eq!(count(&high), 2, "{high}");
    let (_, risk) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/alerts?kind=help_risk_flagged",
            None,
        )
        .await;
    assert_eq!(count(&risk), 1, "{risk}");
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/alerts?severity=dire",
            None,
        )
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("severity")),
        "{v}"
    );
});
