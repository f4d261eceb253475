//! Group lectures through the API, on both databases: a county schedules a lecture, the
//! officer's phone shows its rotating code, a supervisee on site checks in with it and a GPS
//! fix inside the venue and the month's ledger is credited — an expired code, another
//! lecture's code, a fix away from the venue or a mock one are refused, a retry returns the
//! attendance taken — and an officer's correction replaces what was credited (audited,
//! the person told), with minors masked in the roster.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use huijiao_core::policy::lecture::{code_window, lecture_code};
use huijiao_server::entities::{audit_entry, checkin, lecture};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use crate::common::{assert_problem, case_body, TestApp, World};

/// The venue: 东岗司法所's hall.
const VENUE: (f64, f64) = (36.0601, 103.8302);

fn lecture_body(unit: &str, starts: chrono::DateTime<Utc>, minutes: i64) -> Value {
    json!({ "unit_id": unit, "title": "社区矫正法专题讲座", "category": "law",
            "place": "城关区司法局三楼会议室", "lat": VENUE.0, "lon": VENUE.1, "radius_m": 150,
            "starts_at": starts, "ends_at": starts + Duration::minutes(minutes) })
}

/// A fix `north_m` metres north of the venue, taken just now.
fn fix(north_m: f64, mock: bool) -> Value {
    json!({ "lat": VENUE.0 + north_m / 111_195.0, "lon": VENUE.1, "accuracy_m": 12.0,
            "fix_time": Utc::now(), "provider": "gps", "mock": mock })
}

async fn schedule(app: &TestApp, w: &World, who: &str, body: Value) -> String {
    let (s, v) = w
        .call(app, who, "POST", "/api/v1/lectures", Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

async fn code_of(app: &TestApp, w: &World, who: &str, id: &str) -> Value {
    let (s, v) = w
        .call(
            app,
            who,
            "GET",
            &format!("/api/v1/lectures/{id}/code"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

async fn lecture_minutes_of(app: &TestApp, w: &World, case: &str) -> i64 {
    let (s, month) = w
        .call(
            app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{case}/learning"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{month}");
    month["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "lecture")
        .unwrap()["minutes"]
        .as_i64()
        .unwrap()
}

both!(
    a_lecture_is_attended_by_scanning_its_rotating_code_on_site,
    |app| {
        let w = World::build(&app).await;
        let a1 = w.case_a1.clone();
        // Under way since 5 minutes, two hours long; county A's, so office A1's people attend.
        let starts = Utc::now() - Duration::minutes(5);
        let id = schedule(
            &app,
            &w,
            "officer.county_a",
            lecture_body(&w.county_a, starts, 120),
        )
        .await;
        let attend = format!("/api/v1/lectures/{id}/attendance");
        // The office below runs it on the day; another county does not see it.
        let shown = code_of(&app, &w, "officer.a1", &id).await;
        let code = shown["code"].as_str().unwrap().to_owned();
        assert_eq!(shown["qr"], format!("huijiao:lecture:{id}:{code}"));
        assert_eq!(shown["rotate_secs"], 30);
        let got = w
            .call(
                &app,
                "officer.b1",
                "GET",
                &format!("/api/v1/lectures/{id}/code"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let (_, listed) = w.call(&app, "sv.a1", "GET", "/api/v1/lectures", None).await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
        assert_eq!(listed["items"][0]["minutes"], 120);
        assert_eq!(listed["items"][0]["attendance"], Value::Null);
        let (_, listed) = w
            .call(&app, "officer.b1", "GET", "/api/v1/lectures", None)
            .await;
        assert_eq!(listed, json!({ "items": [] }));

        // Another lecture's code, shown at the same moment, does not fit this one.
        let other = schedule(
            &app,
            &w,
            "officer.county_a",
            lecture_body(&w.county_a, starts, 60),
        )
        .await;
        let other_code = code_of(&app, &w, "officer.county_a", &other).await["code"].clone();
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &attend,
                Some(json!({ "code": other_code, "location": fix(0.0, false) })),
            )
            .await;
        assert_problem(&got, StatusCode::UNPROCESSABLE_ENTITY, "lecture.code_wrong");
        // This lecture's code of two minutes ago: a photo passed on.
        let row = lecture::Entity::find_by_id(id.parse::<uuid::Uuid>().unwrap())
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let secret = hex::decode(&row.code_secret).unwrap();
        let old = lecture_code(
            &secret,
            code_window(Utc::now() - Duration::seconds(120), 30),
        );
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &attend,
                Some(json!({ "code": old, "location": fix(0.0, false) })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "lecture.code_expired",
        );
        // The right code, from home (5 km away), or from a mock-location app.
        let code = code_of(&app, &w, "officer.a1", &id).await["code"].clone();
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &attend,
                Some(json!({ "code": code, "location": fix(5000.0, false) })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "lecture.outside_venue",
        );
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &attend,
                Some(json!({ "code": code, "location": fix(0.0, true) })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "lecture.fix_unusable",
        );
        assert_eq!(lecture_minutes_of(&app, &w, &a1).await, 0);

        // On site with the code on the screen: present, the whole lecture credited.
        let (s, taken) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &attend,
                Some(json!({ "code": code, "location": fix(60.0, false) })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{taken}");
        assert_eq!(taken["mark"], "present");
        assert_eq!(taken["method"], "code");
        assert_eq!(taken["credited_minutes"], 120);
        assert_eq!(lecture_minutes_of(&app, &w, &a1).await, 120);
        // The outbox sends it again later, its code long expired: the same attendance, once.
        let (s, again) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &attend,
                Some(json!({ "code": old, "location": fix(60.0, false) })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{again}");
        assert_eq!(again["updated_at"], taken["updated_at"]);
        assert_eq!(lecture_minutes_of(&app, &w, &a1).await, 120);
        let (_, listed) = w.call(&app, "sv.a1", "GET", "/api/v1/lectures", None).await;
        let mine = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id.as_str())
            .unwrap();
        assert_eq!(mine["attendance"]["mark"], "present");

        // The officer saw them leave after an hour: late is said with the arrival, and
        // replaces what was credited. Audited; the person is told.
        let mark = format!("/api/v1/lectures/{id}/attendance/{a1}");
        let got = w
            .call(
                &app,
                "officer.a1",
                "PUT",
                &mark,
                Some(json!({ "mark": "late", "reason": "中途离场" })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        let arrived = starts + Duration::minutes(60);
        let (s, marked) = w
            .call(
                &app,
                "officer.a1",
                "PUT",
                &mark,
                Some(json!({ "mark": "late", "arrived_at": arrived, "reason": "实际到场一小时" })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{marked}");
        assert_eq!(
            (marked["mark"].as_str(), marked["credited_minutes"].as_i64()),
            (Some("late"), Some(60))
        );
        assert_eq!(marked["method"], "officer");
        assert_eq!(lecture_minutes_of(&app, &w, &a1).await, 60);
        let audited = audit_entry::Entity::find()
            .filter(audit_entry::Column::Action.eq("lecture.marked"))
            .count(&app.state.db)
            .await
            .unwrap();
        assert_eq!(audited, 1);
        // Another county's officer cannot mark office A1's person.
        let got = w
            .call(
                &app,
                "officer.b1",
                "PUT",
                &mark,
                Some(json!({ "mark": "present", "reason": "x" })),
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

        // A minor, excused beforehand by the officer: in the roster, masked.
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
        let minor_id = minor["id"].as_str().unwrap();
        let (s, excused) = w
            .call(
                &app,
                "officer.a1",
                "PUT",
                &format!("/api/v1/lectures/{id}/attendance/{minor_id}"),
                Some(json!({ "mark": "excused", "reason": "就医" })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{excused}");
        assert_eq!(excused["credited_minutes"], 0);
        let (s, roster) = w.call(&app, "officer.a1", "GET", &attend, None).await;
        assert_eq!(s, StatusCode::OK, "{roster}");
        let names: Vec<&str> = roster["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["测试人1", "测***"]);
        // The record as xAPI: the actor is the case's account, never a name; the same ids on
        // every export; the supervisee does not export.
        let xapi = format!("/api/v1/cases/{a1}/xapi-statements");
        let (s, xs) = w.call(&app, "officer.a1", "GET", &xapi, None).await;
        assert_eq!(s, StatusCode::OK, "{xs}");
        assert_eq!(xs.as_array().unwrap().len(), 1, "{xs}");
        assert_eq!(
            xs[0]["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/attended"
        );
        assert_eq!(xs[0]["object"]["id"], format!("urn:huijiao:lecture:{id}"));
        assert_eq!(xs[0]["result"]["duration"], "PT1H");
        assert_eq!(xs[0]["actor"]["account"]["name"], a1.as_str());
        assert!(
            !xs.to_string().contains("测试人") && !xs.to_string().contains("null"),
            "{xs}"
        );
        let (_, again) = w.call(&app, "officer.a1", "GET", &xapi, None).await;
        assert_eq!(again[0]["id"], xs[0]["id"]);
        let got = w.call(&app, "sv.a1", "GET", &xapi, None).await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        // Office A2 supervises neither: its roster of the same lecture is empty.
        let (_, roster) = w.call(&app, "officer.a2", "GET", &attend, None).await;
        assert_eq!(roster, json!({"items": []}));
    }
);

both!(
    a_face_check_in_on_site_attends_a_lecture_when_it_passed,
    |app| {
        let (app, w) = crate::checkins::enrolled(app.backend, |c| {
            c.rules.liveness.mode = huijiao_core::policy::liveness::LivenessMode::SinglePhoto;
        })
        .await;
        let starts = Utc::now() - Duration::minutes(5);
        let id = schedule(
            &app,
            &w,
            "officer.county_a",
            lecture_body(&w.county_a, starts, 120),
        )
        .await;
        let attend = format!("/api/v1/lectures/{id}/attendance");
        let by_face =
            |checkin: &Value| json!({ "location": fix(0.0, false), "checkin_id": checkin["id"] });
        // Neither a code nor a face.
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &attend,
                Some(json!({ "location": fix(0.0, false) })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        assert_eq!(got.1["errors"][0]["field"], "code");
        // Someone else's face: the check-in failed, so it proves nothing.
        let other = crate::checkins::face("astronaut.png").encode_jpeg(90);
        let failed = crate::learning::check_in_with(&app, &w, &other, "lecture-01").await;
        assert_eq!(failed["result"], "failed");
        let got = w
            .call(&app, "sv.a1", "POST", &attend, Some(by_face(&failed)))
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "lecture.face_not_passed",
        );
        // The person's own face, moments before.
        let selfie = crate::checkins::fresh_selfie();
        let passed = crate::learning::check_in_with(&app, &w, &selfie, "lecture-02").await;
        assert_eq!(passed["result"], "passed");
        // Not another person's to give.
        let got = w
            .call(&app, "sv.a2", "POST", &attend, Some(by_face(&passed)))
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "lecture.face_not_passed",
        );
        // Nor good away from the venue.
        let mut away = by_face(&passed);
        away["location"] = fix(2_000.0, false);
        let got = w.call(&app, "sv.a1", "POST", &attend, Some(away)).await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "lecture.outside_venue",
        );
        let (s, v) = w
            .call(&app, "sv.a1", "POST", &attend, Some(by_face(&passed)))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(
            (
                v["method"].as_str(),
                v["checkin_id"].as_str(),
                v["mark"].as_str()
            ),
            (Some("face"), passed["id"].as_str(), Some("present"))
        );
        assert_eq!(lecture_minutes_of(&app, &w, &w.case_a1).await, 120);
        // A face from before the fresh window proves nothing at the next lecture.
        let next = schedule(
            &app,
            &w,
            "officer.county_a",
            lecture_body(&w.county_a, starts, 60),
        )
        .await;
        checkin::Entity::update_many()
            .col_expr(
                checkin::Column::CreatedAt,
                sea_orm::sea_query::Expr::value(Utc::now() - Duration::seconds(301)),
            )
            .filter(
                checkin::Column::Id.eq(passed["id"]
                    .as_str()
                    .unwrap()
                    .parse::<uuid::Uuid>()
                    .unwrap()),
            )
            .exec(&app.state.db)
            .await
            .unwrap();
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/lectures/{next}/attendance"),
                Some(by_face(&passed)),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "lecture.face_not_passed",
        );
    }
);

both!(lectures_not_under_way_and_bad_input_are_refused, |app| {
    let w = World::build(&app).await;
    let now = Utc::now();
    // Tomorrow's lecture: no code yet, no check-in, no one present yet.
    let tomorrow = schedule(
        &app,
        &w,
        "officer.a1",
        lecture_body(&w.office_a1, now + Duration::days(1), 90),
    )
    .await;
    let got = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/lectures/{tomorrow}/code"),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "lecture.not_open");
    let got = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/lectures/{tomorrow}/attendance"),
            Some(json!({ "code": "12345678", "location": fix(0.0, false) })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "lecture.not_open");
    let got = w
        .call(
            &app,
            "officer.a1",
            "PUT",
            &format!("/api/v1/lectures/{tomorrow}/attendance/{}", w.case_a1),
            Some(json!({ "mark": "present", "reason": "x" })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "lecture.not_open");
    // A lecture is scheduled for the officer's own units only.
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            "/api/v1/lectures",
            Some(lecture_body(&w.county_a, now, 60)),
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let got = w
        .call(&app, "volunteer.a1", "GET", "/api/v1/lectures", None)
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let lectures_before = app.count("lectures").await;
    let base = lecture_body(&w.office_a1, now + Duration::hours(1), 60);
    for (field, value) in [
        ("title", json!(" ")),
        ("place", json!("")),
        ("category", json!("astrology")),
        ("lat", json!(91.0)),
        ("radius_m", json!(5)),
        ("radius_m", json!(5000)),
        ("starts_at", json!(now - Duration::days(60))),
        ("ends_at", json!(now + Duration::minutes(65))),
        ("ends_at", json!(now + Duration::hours(10))),
    ] {
        let mut body = base.clone();
        body[field] = value.clone();
        let got = w
            .call(&app, "officer.a1", "POST", "/api/v1/lectures", Some(body))
            .await;
        assert!(
            got.0 == StatusCode::UNPROCESSABLE_ENTITY,
            "{field} = {value}: {got:?}"
        );
    }
    assert_eq!(app.count("lectures").await, lectures_before);
    // Under way: bad marks and bad check-ins change nothing.
    let id = schedule(
        &app,
        &w,
        "officer.a1",
        lecture_body(&w.office_a1, now - Duration::minutes(1), 60),
    )
    .await;
    let mark = format!("/api/v1/lectures/{id}/attendance/{}", w.case_a1);
    for body in [
        json!({ "mark": "asleep", "reason": "x" }),
        json!({ "mark": "present", "reason": "" }),
        json!({ "mark": "late", "arrived_at": now + Duration::hours(3), "reason": "x" }),
    ] {
        let got = w
            .call(&app, "officer.a1", "PUT", &mark, Some(body.clone()))
            .await;
        assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {got:?}");
    }
    let attend = format!("/api/v1/lectures/{id}/attendance");
    for body in [
        json!({ "code": "1234", "location": fix(0.0, false) }),
        json!({ "code": "abcdefgh", "location": fix(0.0, false) }),
        json!({ "code": "12345678" }),
    ] {
        let got = w
            .call(&app, "sv.a1", "POST", &attend, Some(body.clone()))
            .await;
        assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {got:?}");
    }
    assert_eq!(app.count("lecture_attendances").await, 0);
    assert_eq!(app.count("ledger_credits").await, 0);
});
