//! Community service through the API, on both databases: a county schedules an activity run
//! by a volunteer; people sign up up to its capacity (or are assigned); on site each checks in
//! and out with a GPS fix inside the place and the organiser's rotating code or a passed face
//! check-in (the real engine: someone else's face is refused); the overlap with the window is
//! credited to the month's ledger; the organiser confirms, an officer corrects (audited); the
//! close flags a missing check-out; the month end alerts a shortfall once; minors are masked
//! in the roster.

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use huijiao_core::policy::calendar::month_of;
use huijiao_core::policy::learning::Obligation;
use huijiao_server::entities::{audit_entry, service_activity, service_participation};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::common::{assert_problem, case_body, TestApp, World};

/// The place: a park by the river, 城关区.
const PLACE: (f64, f64) = (36.0612, 103.8312);

fn activity_body(
    unit: &str,
    starts: DateTime<Utc>,
    minutes: i64,
    capacity: u32,
    organiser: Option<&str>,
) -> Value {
    json!({ "unit_id": unit, "title": "滨河公园清洁", "kind": "cleaning",
            "place": "滨河公园东门", "lat": PLACE.0, "lon": PLACE.1, "radius_m": 200,
            "starts_at": starts, "ends_at": starts + Duration::minutes(minutes),
            "capacity": capacity, "organiser_id": organiser, "notes": "自带手套" })
}

/// A fix `north_m` metres north of the place, taken just now.
fn fix(north_m: f64, mock: bool) -> Value {
    json!({ "lat": PLACE.0 + north_m / 111_195.0, "lon": PLACE.1, "accuracy_m": 12.0,
            "fix_time": Utc::now(), "provider": "gps", "mock": mock })
}

async fn schedule(app: &TestApp, w: &World, body: Value) -> String {
    let (s, v) = w
        .call(
            app,
            "officer.county_a",
            "POST",
            "/api/v1/service-activities",
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

/// Moves an activity's window so that it began `ago` minutes ago (time passes in a test by
/// moving the record, not by waiting).
async fn began_ago(app: &TestApp, id: &str, ago: i64, minutes: i64) {
    let starts = Utc::now() - Duration::minutes(ago);
    service_activity::Entity::update_many()
        .col_expr(service_activity::Column::StartsAt, Expr::value(starts))
        .col_expr(
            service_activity::Column::EndsAt,
            Expr::value(starts + Duration::minutes(minutes)),
        )
        .filter(service_activity::Column::Id.eq(id.parse::<Uuid>().unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
}

/// Runs the close as the job would after the check-out window.
async fn close(app: &TestApp) {
    let work = huijiao_server::work::Work::begin(&app.state).await.unwrap();
    let at = Utc::now() + Duration::hours(14);
    huijiao_server::service::close_ended(&app.state, &work, at)
        .await
        .unwrap();
    work.commit().await.unwrap();
}

async fn code_of(app: &TestApp, w: &World, who: &str, id: &str) -> String {
    let (s, v) = w
        .call(
            app,
            who,
            "GET",
            &format!("/api/v1/service-activities/{id}/code"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["qr"],
        format!("huijiao:service:{id}:{}", v["code"].as_str().unwrap())
    );
    v["code"].as_str().unwrap().to_owned()
}

async fn service_month(app: &TestApp, w: &World, case: &str) -> Value {
    let (s, v) = w
        .call(
            app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{case}/service"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

both!(
    community_service_is_credited_for_verified_presence_on_site,
    |app| {
        let w = World::build(&app).await;
        let a1 = w.case_a1.clone();
        // Announced before this month began: the whole month is owed.
        crate::common::announced_at(&app, &a1, chrono::Utc::now() - chrono::Duration::days(40))
            .await;
        let vol = w.user_id(&app, "volunteer.a1").await;
        // County A's activity, three hours, two places, run by a volunteer of office A1.
        let id = schedule(
            &app,
            &w,
            activity_body(
                &w.county_a,
                Utc::now() + Duration::minutes(20),
                180,
                2,
                Some(&vol),
            ),
        )
        .await;
        let participants = format!("/api/v1/service-activities/{id}/participants");
        let (s, p) = w
            .call(&app, "sv.a1", "POST", &participants, Some(json!({})))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        assert_eq!(p["status"], "signed_up");
        // Sent again (the outbox): the place already held.
        let (s, again) = w
            .call(&app, "sv.a1", "POST", &participants, Some(json!({})))
            .await;
        assert_eq!((s, &again["id"]), (StatusCode::OK, &p["id"]));
        // The officer assigns a minor of office A1 (the person is told): the last place.
        let (s, minor) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                "/api/v1/cases",
                Some(case_body(&w.office_a1, 9, true)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{minor}");
        let minor_id = minor["id"].as_str().unwrap().to_owned();
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &participants,
                Some(json!({ "case_id": minor_id })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        // Over capacity: refused, nothing written.
        let got = w
            .call(&app, "sv.a2", "POST", &participants, Some(json!({})))
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "activity.full");
        // Another county's officer does not see it; a supervisee cannot sign someone else up.
        let got = w
            .call(
                &app,
                "officer.b1",
                "POST",
                &participants,
                Some(json!({ "case_id": a1 })),
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let got = w
            .call(
                &app,
                "sv.a2",
                "POST",
                &participants,
                Some(json!({ "case_id": a1 })),
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        assert_eq!(app.count("service_participations").await, 2);
        let (_, listed) = w
            .call(&app, "sv.a1", "GET", "/api/v1/service-activities", None)
            .await;
        assert_eq!(listed["items"][0]["taken"], 2, "{listed}");
        assert_eq!(listed["items"][0]["participation"]["status"], "signed_up");

        // The organiser's roster: every name masked (a volunteer needs the person, not the
        // papers); the officer's: the adult's name, the minor's masked.
        let (s, roster) = w
            .call(&app, "volunteer.a1", "GET", &participants, None)
            .await;
        assert_eq!(s, StatusCode::OK, "{roster}");
        let names: Vec<&str> = roster
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 2);
        assert!(names.iter().all(|n| n.contains('*')), "{names:?}");
        let (_, roster) = w.call(&app, "officer.a1", "GET", &participants, None).await;
        let name_of = |case: &str| {
            roster
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["case_id"] == case)
                .unwrap()["name"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert!(!name_of(&a1).contains('*'));
        assert!(name_of(&minor_id).contains('*'));
        let got = w
            .call(&app, "volunteer.a1.other", "GET", &participants, None)
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

        // Under way since 100 minutes. Refused: no proof, another code, a fix away from the
        // place, a mock fix. Nothing changes.
        began_ago(&app, &id, 100, 180).await;
        let check_in = format!("/api/v1/service-activities/{id}/check-in");
        let code = code_of(&app, &w, "volunteer.a1", &id).await;
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &check_in,
                Some(json!({ "location": fix(0.0, false) })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        let wrong = if code == "00000000" {
            "11111111"
        } else {
            "00000000"
        };
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &check_in,
                Some(json!({ "location": fix(0.0, false), "code": wrong })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "activity.code_wrong",
        );
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &check_in,
                Some(json!({ "location": fix(900.0, false), "code": code })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "activity.outside_place",
        );
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &check_in,
                Some(json!({ "location": fix(0.0, true), "code": code })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "activity.fix_unusable",
        );
        // Checking out before checking in is refused.
        let check_out = format!("/api/v1/service-activities/{id}/check-out");
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &check_out,
                Some(json!({ "location": fix(0.0, false), "code": code })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "activity.transition_invalid");
        // Someone not signed up cannot check in.
        let got = w
            .call(
                &app,
                "sv.a2",
                "POST",
                &check_in,
                Some(json!({ "location": fix(0.0, false), "code": code })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "activity.not_signed_up");

        let (s, v) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &check_in,
                Some(json!({ "location": fix(30.0, false), "code": code })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["status"].as_str(), v["check_in_proof"].as_str()),
            (Some("checked_in"), Some("code"))
        );
        let (s, again) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &check_in,
                Some(json!({ "location": fix(30.0, false), "code": code })),
            )
            .await;
        assert_eq!(
            (s, &again["version"]),
            (StatusCode::OK, &v["version"]),
            "a retry changes nothing"
        );
        // The person came early (before the start): only the window counts, so 100 minutes.
        service_participation::Entity::update_many()
            .col_expr(
                service_participation::Column::CheckedInAt,
                Expr::value(Utc::now() - Duration::minutes(130)),
            )
            .filter(
                service_participation::Column::Id.eq(v["id"]
                    .as_str()
                    .unwrap()
                    .parse::<Uuid>()
                    .unwrap()),
            )
            .exec(&app.state.db)
            .await
            .unwrap();
        let (s, out) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &check_out,
                Some(json!({ "location": fix(10.0, false), "code": code })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{out}");
        assert_eq!(
            (out["status"].as_str(), out["credited_minutes"].as_u64()),
            (Some("checked_out"), Some(100))
        );
        let month = service_month(&app, &w, &a1).await;
        assert_eq!(
            (
                month["owed_minutes"].as_u64(),
                month["credited_minutes"].as_i64(),
                month["short_minutes"].as_i64()
            ),
            (Some(480), Some(100), Some(380)),
            "{month}"
        );
        assert_eq!(month["participations"][0]["title"], "滨河公园清洁");
        // Education's ledger is apart.
        let (_, learning) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/cases/{a1}/learning"),
                None,
            )
            .await;
        assert_eq!(learning["credited_minutes"], 0, "{learning}");

        // The organiser confirms at the version seen; a stale screen gets a conflict.
        let review = format!("{participants}/{a1}/review");
        let got = w
            .call(
                &app,
                "volunteer.a1",
                "PUT",
                &review,
                Some(json!({ "version": 1 })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "resource.conflict");
        let (s, confirmed) = w
            .call(
                &app,
                "volunteer.a1",
                "PUT",
                &review,
                Some(json!({ "version": out["version"] })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{confirmed}");
        assert_eq!(
            (
                confirmed["status"].as_str(),
                confirmed["credited_minutes"].as_u64()
            ),
            (Some("confirmed"), Some(100))
        );
        assert!(
            confirmed["name"].as_str().unwrap().contains('*'),
            "masked for the volunteer"
        );

        // The close: the minor never came (no-show); nothing credited.
        close(&app).await;
        let (_, roster) = w.call(&app, "officer.a1", "GET", &participants, None).await;
        let minor_row = roster
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["case_id"] == minor_id.as_str())
            .unwrap()
            .clone();
        assert_eq!(minor_row["status"], "no_show");

        // A second activity: checked in, never out. The close credits nothing and flags it once.
        let second = schedule(
            &app,
            &w,
            activity_body(
                &w.county_a,
                Utc::now() + Duration::minutes(20),
                120,
                5,
                None,
            ),
        )
        .await;
        let (s, _) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/service-activities/{second}/participants"),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        began_ago(&app, &second, 10, 120).await;
        let code2 = code_of(&app, &w, "officer.county_a", &second).await;
        let (s, v) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/service-activities/{second}/check-in"),
                Some(json!({ "location": fix(0.0, false), "code": code2 })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        close(&app).await;
        close(&app).await;
        let (_, alerts) = w
            .call(&app, "officer.a1", "GET", "/api/v1/alerts", None)
            .await;
        let missing: Vec<&Value> = alerts["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "service_checkout_missing")
            .collect();
        assert_eq!(missing.len(), 1, "{alerts}");
        assert_eq!(missing[0]["evidence"]["activity_id"], second.as_str());
        let review2 = format!("/api/v1/service-activities/{second}/participants/{a1}/review");
        let (_, roster2) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/service-activities/{second}/participants"),
                None,
            )
            .await;
        assert_eq!(
            (
                roster2[0]["status"].as_str(),
                roster2[0]["credited_minutes"].as_u64()
            ),
            (Some("incomplete"), Some(0))
        );
        // Confirming as is cannot credit what was not verified; a correction needs its reason.
        let got = w
            .call(
                &app,
                "officer.a1",
                "PUT",
                &review2,
                Some(json!({ "version": roster2[0]["version"] })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "activity.transition_invalid");
        let got = w
            .call(
                &app,
                "officer.a1",
                "PUT",
                &review2,
                Some(json!({ "version": roster2[0]["version"], "minutes": 60 })),
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
                "PUT",
                &review2,
                Some(json!({ "version": roster2[0]["version"], "minutes": 121, "reason": "x" })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        let (s, fixed) = w.call(&app, "officer.a1", "PUT", &review2, Some(json!({ "version": roster2[0]["version"], "minutes": 60, "reason": "手机没电未能签退，组织者证实在场至十点" }))).await;
        assert_eq!(s, StatusCode::OK, "{fixed}");
        assert_eq!(
            (fixed["status"].as_str(), fixed["credited_minutes"].as_u64()),
            (Some("confirmed"), Some(60))
        );
        let corrected = audit_entry::Entity::find()
            .filter(audit_entry::Column::Action.eq("service_participation.corrected"))
            .count(&app.state.db)
            .await
            .unwrap();
        assert_eq!(corrected, 1);
        assert_eq!(service_month(&app, &w, &a1).await["credited_minutes"], 160);

        // The officers' list of who is short this month: a1 among them, 320 minutes short.
        let (s, short) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                "/api/v1/service/shortfalls",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{short}");
        let mine = short["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["case_id"] == a1.as_str())
            .unwrap();
        assert_eq!(
            (mine["short_minutes"].as_i64(), mine["obligation"].as_str()),
            (Some(320), Some("community_service"))
        );

        // The month end: a1 is short of 480 minutes, alerted once however often the job runs.
        let first =
            NaiveDate::parse_from_str(&format!("{}-01", month_of(Utc::now())), "%Y-%m-%d").unwrap();
        let next_month = (first + Duration::days(40))
            .with_day(2)
            .unwrap()
            .and_hms_opt(4, 0, 0)
            .unwrap()
            .and_utc();
        for _ in 0..2 {
            huijiao_server::ledger::close_last_month(
                &app.state,
                &app.state.db,
                Obligation::CommunityService,
                next_month,
            )
            .await
            .unwrap();
        }
        let (_, alerts) = w
            .call(&app, "officer.a1", "GET", "/api/v1/alerts", None)
            .await;
        let short: Vec<&Value> = alerts["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "service_shortfall" && a["case_id"] == a1.as_str())
            .collect();
        assert_eq!(short.len(), 1, "{alerts}");
        assert_eq!(short[0]["evidence"]["credited_minutes"], 160);
        assert_eq!(short[0]["evidence"]["obligation"], "community_service");
        // Education's month is closed on its own (none of it closed here).
        let education = alerts["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "learning_shortfall")
            .count();
        assert_eq!(education, 0);
    }
);

both!(a_face_check_in_proves_presence_only_when_it_passed, |app| {
    let (app, w) = crate::checkins::enrolled(app.backend, |c| {
        c.rules.liveness.mode = huijiao_core::policy::liveness::LivenessMode::SinglePhoto;
    })
    .await;
    let id = schedule(
        &app,
        &w,
        activity_body(&w.county_a, Utc::now() + Duration::minutes(20), 60, 3, None),
    )
    .await;
    let (s, _) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/service-activities/{id}/participants"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    began_ago(&app, &id, 5, 60).await;
    let check_in = format!("/api/v1/service-activities/{id}/check-in");
    // Someone else's face: the check-in failed, so it proves nothing.
    let other = crate::checkins::face("astronaut.png").encode_jpeg(90);
    let failed = crate::learning::check_in_with(&app, &w, &other, "service-01").await;
    assert_eq!(failed["result"], "failed");
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &check_in,
            Some(json!({ "location": fix(0.0, false), "checkin_id": failed["id"] })),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "activity.face_not_passed",
    );
    // The person's own face, moments before: checked in, by face.
    let selfie = crate::checkins::fresh_selfie();
    let passed = crate::learning::check_in_with(&app, &w, &selfie, "service-02").await;
    assert_eq!(passed["result"], "passed");
    // Another person's passed check-in id is not theirs to give.
    let got = w
        .call(
            &app,
            "sv.a2",
            "POST",
            &check_in,
            Some(json!({ "location": fix(0.0, false), "checkin_id": passed["id"] })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "activity.not_signed_up");
    // Passed, but its own fix 2.4 km from the venue (where the phone now says it is): no.
    let far = {
        use huijiao_server::entities::checkin;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
        let id: uuid::Uuid = passed["id"].as_str().unwrap().parse().unwrap();
        let row = checkin::Entity::find_by_id(id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let mut copy: checkin::ActiveModel = row.clone().into();
        copy.id = Set(uuid::Uuid::now_v7());
        copy.idempotency_key = Set(format!("far-{id}"));
        copy.lat = Set(row.lat + 0.0216);
        copy.insert(&app.state.db).await.unwrap().id
    };
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &check_in,
            Some(json!({ "location": fix(0.0, false), "checkin_id": far })),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "activity.outside_place",
    );
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &check_in,
            Some(json!({ "location": fix(0.0, false), "checkin_id": passed["id"] })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["check_in_proof"].as_str()),
        (Some("checked_in"), Some("face"))
    );
});

both!(bad_activities_are_refused_and_nothing_is_written, |app| {
    let w = World::build(&app).await;
    let soon = Utc::now() + Duration::hours(2);
    let good = activity_body(&w.county_a, soon, 120, 5, None);
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    let sv_a1 = w.user_id(&app, "sv.a1").await;
    let cases = [
        ("title", with("title", json!("  "))),
        ("kind", with("kind", json!("karaoke"))),
        ("radius_m", with("radius_m", json!(5))),
        ("lat", with("lat", json!(91.0))),
        (
            "starts_at",
            with("starts_at", json!(Utc::now() - Duration::hours(1))),
        ),
        (
            "ends_at",
            with("ends_at", json!(soon + Duration::minutes(10))),
        ),
        (
            "ends_at",
            with("ends_at", json!(soon + Duration::hours(13))),
        ),
        ("capacity", with("capacity", json!(0))),
        ("organiser_id", with("organiser_id", json!(sv_a1))),
        ("organiser_id", with("organiser_id", json!(Uuid::now_v7()))),
    ];
    for (field, body) in cases {
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                "/api/v1/service-activities",
                Some(body),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        assert_eq!(got.1["errors"][0]["field"], field, "{}", got.1);
    }
    // Someone else's unit, or a supervisee: refused.
    let got = w
        .call(
            &app,
            "officer.b1",
            "POST",
            "/api/v1/service-activities",
            Some(good.clone()),
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            "/api/v1/service-activities",
            Some(good.clone()),
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    assert_eq!(app.count("service_activities").await, 0);
    // An unknown month is refused on the month view.
    let got = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{}/service?month=2026-13", w.case_a1),
            None,
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
});

both!(an_activity_called_off_gives_every_place_back, |app| {
    let w = World::build(&app).await;
    let id = schedule(
        &app,
        &w,
        activity_body(
            &w.county_a,
            Utc::now() + Duration::minutes(60),
            120,
            3,
            None,
        ),
    )
    .await;
    let participants = format!("/api/v1/service-activities/{id}/participants");
    let (s, _) = w
        .call(&app, "sv.a1", "POST", &participants, Some(json!({})))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let cancel = format!("/api/v1/service-activities/{id}/cancel");
    let body = json!({ "reason": "暴雨预警，活动取消" });
    // Only an officer whose jurisdiction holds it; with a reason.
    let got = w
        .call(&app, "officer.b1", "POST", &cancel, Some(body.clone()))
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    let got = w
        .call(&app, "officer.a1", "POST", &cancel, Some(body.clone()))
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let got = w
        .call(&app, "sv.a1", "POST", &cancel, Some(body.clone()))
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let got = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            &cancel,
            Some(json!({ "reason": " " })),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );

    let mut events = app.state.events.subscribe();
    let (s, v) = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            &cancel,
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["cancel_reason"].as_str(), v["taken"].as_u64()),
        (Some("暴雨预警，活动取消"), Some(0))
    );
    let e = events.recv().await.unwrap();
    assert_eq!(e.view.kind, "service_participation");
    let (_, listed) = w
        .call(&app, "sv.a1", "GET", "/api/v1/service-activities", None)
        .await;
    assert_eq!(
        listed["items"][0]["participation"]["status"], "withdrawn",
        "{listed}"
    );
    // Nothing more happens on it.
    let got = w
        .call(&app, "sv.a1", "POST", &participants, Some(json!({})))
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "activity.cancelled");
    let got = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            &cancel,
            Some(body.clone()),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "activity.cancelled");
    let got = w
        .call(
            &app,
            "officer.county_a",
            "GET",
            &format!("/api/v1/service-activities/{id}/code"),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "activity.cancelled");
    let cancelled = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("service_activity.cancelled"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(cancelled, 1);

    // Once begun, an activity is not cancelled: its minutes are corrected person by person.
    let begun = schedule(
        &app,
        &w,
        activity_body(
            &w.county_a,
            Utc::now() + Duration::minutes(60),
            120,
            3,
            None,
        ),
    )
    .await;
    began_ago(&app, &begun, 5, 120).await;
    let got = w
        .call(
            &app,
            "officer.county_a",
            "POST",
            &format!("/api/v1/service-activities/{begun}/cancel"),
            Some(body),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "activity.cancel_too_late");
    // A check-in whose fix is not a place at all is refused by the field at fault.
    let (s, _) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/service-activities/{begun}/participants"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "sign-up closes at the start");
    // Nobody withdraws who never signed up.
    let got = w
        .call(
            &app,
            "sv.a1",
            "DELETE",
            &format!(
                "/api/v1/service-activities/{begun}/participants/{}",
                w.case_a1
            ),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "activity.not_signed_up");
    let got = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/service-activities/{begun}/check-in"),
            Some(json!({ "code": "12345678", "location": { "lat": 200.0, "lon": 103.83, "accuracy_m": 10.0, "fix_time": Utc::now(), "provider": "gps", "mock": false } })))
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    assert_eq!(got.1["errors"][0]["field"], "location", "{}", got.1);
});
