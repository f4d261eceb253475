//! Field work: an officer records a home visit at the residence (elsewhere it is refused), a
//! talk anywhere and an office report proven by the person's passed face check-in; a resend is
//! the same record; risks alert; the schedule follows the level and a due date let pass
//! alerts once; bad input is refused by name, nothing written.

use crate::common;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use common::{assert_problem, World};
use serde_json::{json, Value};

/// A fix `north_m` metres north of the test cases' residence (36.06, 103.83), taken at `at`.
fn fix(north_m: f64, at: DateTime<Utc>) -> Value {
    json!({ "lat": 36.06 + north_m / 111_195.0, "lon": 103.83, "accuracy_m": 12.0,
            "fix_time": at, "provider": "gps", "mock": false })
}

fn home_visit(id: uuid::Uuid, at: DateTime<Utc>, north_m: f64) -> Value {
    json!({
        "id": id, "kind": "home_visit", "at": at, "place": fix(north_m, at),
        "met": ["本人", " 母亲 王某 "], "findings": "居住稳定，在家具厂务工；与母亲关系融洽。",
        "risks": [],
    })
}

both!(officers_record_visits_talks_and_office_reports, |app| {
    let w = World::build(&app).await;
    let visits = format!("/api/v1/cases/{}/visits", w.case_a1);
    let now = Utc::now();
    let id = uuid::Uuid::now_v7();

    // Only officers of the case's jurisdiction record; others learn nothing.
    let got = w
        .call(
            &app,
            "officer.b1",
            "POST",
            &visits,
            Some(home_visit(id, now, 20.0)),
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    for who in ["sv.a1", "volunteer.a1"] {
        let got = w
            .call(&app, who, "POST", &visits, Some(home_visit(id, now, 20.0)))
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    }

    // At the residence: taken, with its distance from it.
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &visits,
            Some(home_visit(id, now - Duration::hours(2), 80.0)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["kind"], "home_visit");
    assert_eq!(v["distance_m"], 80);
    assert_eq!(v["met"], json!(["本人", "母亲 王某"]));
    assert_eq!(v["officer_name"], "officer.a1");
    assert_eq!(v["alert_id"], Value::Null);
    // The outbox's resend is the same record; the same id for another visit is refused.
    let (s, again) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &visits,
            Some(home_visit(id, now - Duration::hours(2), 80.0)),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again, v);
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &visits,
            Some(home_visit(id, now - Duration::hours(1), 80.0)),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "visit.id_taken");
    assert_eq!(app.count("visits").await, 1);

    // Two kilometres away is not a home visit; a talk may be anywhere.
    let far = home_visit(uuid::Uuid::now_v7(), now, 2000.0);
    let got = w
        .call(&app, "officer.a1", "POST", &visits, Some(far.clone()))
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "visit.not_at_residence",
    );
    let mut mocked = home_visit(uuid::Uuid::now_v7(), now, 10.0);
    mocked["place"]["mock"] = json!(true);
    let got = w
        .call(&app, "officer.a1", "POST", &visits, Some(mocked))
        .await;
    assert_problem(&got, StatusCode::UNPROCESSABLE_ENTITY, "visit.fix_unusable");
    let mut talk = far;
    talk["kind"] = json!("talk");
    talk["risks"] = json!(["no_job", "emotional_conflict"]);
    let (s, t) = w
        .call(&app, "officer.a1", "POST", &visits, Some(talk))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    assert_eq!(t["distance_m"], Value::Null);
    // A conflict with someone calls for the officer the same day.
    let alerts = common::open_alerts_of_kind(&app, &w, "visit_risk_flagged").await;
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0]["severity"], "high");
    assert_eq!(t["alert_id"], alerts[0]["id"]);

    // An office report: the person's own passed face check-in around its time, nothing else.
    let person = w.user_id(&app, "sv.a1").await.parse().unwrap();
    let case_a1 = w.case_a1.parse().unwrap();
    let passed = common::insert_checkin(
        &app,
        case_a1,
        person,
        "passed",
        now - Duration::minutes(3),
        None,
    )
    .await;
    let failed = common::insert_checkin(
        &app,
        case_a1,
        person,
        "failed",
        now - Duration::minutes(2),
        None,
    )
    .await;
    let stale = common::insert_checkin(
        &app,
        case_a1,
        person,
        "passed",
        now - Duration::hours(2),
        None,
    )
    .await;
    let other_case = common::insert_checkin(
        &app,
        w.case_a2.parse().unwrap(),
        w.user_id(&app, "sv.a2").await.parse().unwrap(),
        "passed",
        now,
        None,
    )
    .await;
    // The officer's phone at the office, some 60 m from where the person checks in.
    let office = json!({ "lat": 36.0605, "lon": 103.8305, "accuracy_m": 10.0, "fix_time": now, "provider": "gps", "mock": false });
    let report = |checkin: Option<uuid::Uuid>| {
        json!({ "id": uuid::Uuid::now_v7(), "kind": "office_report", "at": now, "checkin_id": checkin,
                "place": office, "met": ["本人"], "findings": "汇报本月务工与思想情况。", "risks": [] })
    };
    for k in [failed, stale, other_case] {
        let got = w
            .call(&app, "officer.a1", "POST", &visits, Some(report(Some(k))))
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "visit.face_not_passed",
        );
    }
    let got = w
        .call(&app, "officer.a1", "POST", &visits, Some(report(None)))
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    assert_eq!(got.1["errors"][0]["field"], "checkin_id");
    // A passed, fresh check-in taken at home, 2.4 km away, proves nothing at the office.
    let at_home = common::insert_checkin(&app, case_a1, person, "passed", now, None).await;
    use huijiao_server::entities::checkin;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    checkin::Entity::update_many()
        .col_expr(
            checkin::Column::Lat,
            sea_orm::sea_query::Expr::value(36.0816),
        )
        .filter(checkin::Column::Id.eq(at_home))
        .exec(&app.state.db)
        .await
        .unwrap();
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &visits,
            Some(report(Some(at_home))),
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "visit.checkin_elsewhere",
    );
    // Without the officer's own fix there is no place to hold it to.
    let mut unplaced = report(Some(passed));
    unplaced["place"] = Value::Null;
    let got = w
        .call(&app, "officer.a1", "POST", &visits, Some(unplaced))
        .await;
    assert_eq!(got.1["errors"][0]["field"], "place", "{}", got.1);
    let (s, r) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &visits,
            Some(report(Some(passed))),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["checkin_id"], passed.to_string());

    // The case's officers read them newest first, by kind too; the person does not.
    let (s, list) = w.call(&app, "officer.county_a", "GET", &visits, None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let kinds: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["office_report", "talk", "home_visit"]);
    let (_, homes) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("{visits}?kind=home_visit"),
            None,
        )
        .await;
    assert_eq!(homes["items"].as_array().unwrap().len(), 1);
    let got = w.call(&app, "sv.a1", "GET", &visits, None).await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let got = w.call(&app, "officer.b1", "GET", &visits, None).await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

    // Every record is audited, without its findings.
    let (_, audit) = w
        .call(
            &app,
            "auditadmin",
            "GET",
            "/api/v1/audit?action=visit.recorded",
            None,
        )
        .await;
    let entries = audit["items"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{audit}");
    assert!(!audit.to_string().contains("家具厂"));

    // Photos of the visit: images only, six at most, for the case's officers; read audited;
    // gone with the case's biometrics once it has been closed a month.
    let b64 = |b: &[u8]| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, b);
    let photo = crate::checkins::fresh_selfie();
    let photos = format!("/api/v1/visits/{}/photos", v["id"].as_str().unwrap());
    let body = json!({ "content_type": "image/jpeg", "content": b64(&photo) });
    let got = w
        .call(&app, "officer.b1", "POST", &photos, Some(body.clone()))
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    let got = w
        .call(&app, "sv.a1", "POST", &photos, Some(body.clone()))
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &photos,
            Some(json!({ "content_type": "application/pdf", "content": b64(b"%PDF-1.4\n") })),
        )
        .await;
    assert_eq!(got.1["errors"][0]["field"], "content_type", "{:?}", got);
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &photos,
            Some(json!({ "content_type": "image/png", "content": b64(&photo) })),
        )
        .await;
    assert_eq!(
        got.1["errors"][0]["field"], "content_type",
        "a JPEG said to be a PNG: {:?}",
        got
    );
    let mut ids = Vec::new();
    for _ in 0..6 {
        let (s, p) = w
            .call(&app, "officer.a1", "POST", &photos, Some(body.clone()))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        ids.push(p["id"].as_str().unwrap().to_owned());
    }
    let got = w
        .call(&app, "officer.a1", "POST", &photos, Some(body.clone()))
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "visit.photos_full");
    let (_, listed) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("{visits}?kind=home_visit"),
            None,
        )
        .await;
    assert_eq!(listed["items"][0]["photo_ids"], json!(ids));
    let one = format!("{photos}/{}", ids[0]);
    let (s, _, bytes) = app
        .call_raw(
            "GET",
            &one,
            Some(w.token("officer.county_a")),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(
        (s, bytes.to_vec()),
        (StatusCode::OK, photo.clone()),
        "the photo as taken"
    );
    let got = w.call(&app, "officer.b1", "GET", &one, None).await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &format!("/api/v1/cases/{}/status", w.case_a1),
            Some(json!({ "status": "terminated", "reason": "死亡" })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let rules = huijiao_core::policy::checkin::RetentionRules::default();
    let report = huijiao_server::checkins::retention::purge(
        &app.state.db,
        &app.state.media,
        &rules,
        Utc::now() + Duration::days(31),
    )
    .await
    .unwrap();
    assert_eq!(report.visit_photos, 6);
    assert_eq!(app.count("visit_photos").await, 0);
    let got = w.call(&app, "officer.a1", "GET", &one, None).await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
});

both!(
    visits_fall_due_by_level_and_overdue_ones_alert_once,
    |app| {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let w = World::build(&app).await;
        let due = format!("/api/v1/cases/{}/visits/due", w.case_a1);
        // case_a1 was announced twenty days ago; a new intake is strict: a home visit within 30
        // days, an office report within 15.
        let announced = Utc::now() - Duration::days(20);
        huijiao_server::entities::case::Entity::update_many()
            .col_expr(
                huijiao_server::entities::case::Column::AnnouncedAt,
                sea_orm::sea_query::Expr::value(announced),
            )
            .filter(
                huijiao_server::entities::case::Column::Id
                    .eq(w.case_a1.parse::<uuid::Uuid>().unwrap()),
            )
            .exec(&app.state.db)
            .await
            .unwrap();
        let local = |t: DateTime<Utc>| {
            t.with_timezone(&huijiao_core::policy::calendar::local_offset())
                .date_naive()
        };
        let (today, since) = (local(Utc::now()), local(announced));
        let (s, v) = w.call(&app, "officer.a1", "GET", &due, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let by_kind = |v: &Value, k: &str| {
            v.as_array()
                .unwrap()
                .iter()
                .find(|d| d["kind"] == k)
                .cloned()
        };
        let home = by_kind(&v, "home_visit").expect("home visit due");
        assert_eq!(home["level"], "strict");
        assert_eq!(home["due_on"], json!(since + Duration::days(30)));
        assert_eq!(home["last_on"], Value::Null);
        assert_eq!(home["overdue_days"], 0);
        let office = by_kind(&v, "office_report").unwrap();
        assert_eq!(office["due_on"], json!(since + Duration::days(15)));
        assert_eq!(office["overdue_days"], (today - since).num_days() - 15);
        // The person sees their office report only: home visits may come unannounced.
        let (s, mine) = w.call(&app, "sv.a1", "GET", &due, None).await;
        assert_eq!(s, StatusCode::OK, "{mine}");
        assert_eq!(mine.as_array().unwrap().len(), 1);
        assert_eq!(mine[0]["kind"], "office_report");
        let got = w.call(&app, "sv.a2", "GET", &due, None).await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

        // The late office report alerts once, however often the job runs (case_a2, announced
        // today, owes nothing yet).
        let j = app.state.config.rules.supervision;
        let at = |days: i64| Utc::now() + Duration::days(days);
        for n in [1, 0] {
            let events = huijiao_server::visits::raise_overdue(&app.state.db, &j, at(0))
                .await
                .unwrap();
            assert_eq!(events.len(), n);
        }
        let overdue = common::open_alerts_of_kind(&app, &w, "visit_overdue").await;
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0]["evidence"]["kind"], "office_report");
        assert_eq!(
            overdue[0]["evidence"]["due_on"],
            json!(since + Duration::days(15))
        );

        // A home visit today moves its date a month on: eleven days from now it is not late
        // (without it, it would be: due ten days from now).
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!("/api/v1/cases/{}/visits", w.case_a1),
                Some(home_visit(uuid::Uuid::now_v7(), Utc::now(), 30.0)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let events = huijiao_server::visits::raise_overdue(&app.state.db, &j, at(11))
            .await
            .unwrap();
        assert_eq!(events.len(), 0);
        let (_, v) = w.call(&app, "officer.a1", "GET", &due, None).await;
        let home = by_kind(&v, "home_visit").unwrap();
        assert_eq!(home["last_on"], json!(today));
        assert_eq!(home["due_on"], json!(today + Duration::days(30)));
        // Sixteen days on, case_a2's first office report is late; case_a1's old due date was
        // already raised and nothing new is due yet.
        let events = huijiao_server::visits::raise_overdue(&app.state.db, &j, at(16))
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(
            common::open_alerts_of_kind(&app, &w, "visit_overdue")
                .await
                .len(),
            1,
            "a1's officer sees a1's only"
        );

        // Lenient: a home visit every 90 days, an office report every 60.
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!("/api/v1/cases/{}/levels", w.case_a1),
                Some(json!({ "level": "lenient", "reason": "表现良好，考核合格" })),
            )
            .await;
        assert!(s.is_success(), "{s} {v}");
        let (_, v) = w.call(&app, "officer.a1", "GET", &due, None).await;
        assert_eq!(
            by_kind(&v, "home_visit").unwrap()["due_on"],
            json!(today + Duration::days(90))
        );
        assert_eq!(
            by_kind(&v, "office_report").unwrap()["due_on"],
            json!(since + Duration::days(60))
        );
    }
);

both!(
    bad_visits_are_refused_by_name_and_nothing_is_written,
    |app| {
        let w = World::build(&app).await;
        let visits = format!("/api/v1/cases/{}/visits", w.case_a1);
        let now = Utc::now();
        let ok = home_visit(uuid::Uuid::now_v7(), now, 10.0);
        let with = |field: &str, value: Value| {
            let mut b = ok.clone();
            b[field] = value;
            b
        };
        let cases: Vec<(Value, &str, Option<&str>)> = vec![
            (
                with("findings", json!("  ")),
                "request.invalid_field",
                Some("findings"),
            ),
            (
                with("met", json!(["本人", ""])),
                "request.invalid_field",
                Some("met[1]"),
            ),
            (
                with("met", json!(vec!["某人"; 21])),
                "request.invalid_field",
                Some("met"),
            ),
            (
                with("place", Value::Null),
                "request.invalid_field",
                Some("place"),
            ),
            (
                with(
                    "place",
                    json!({ "lat": 95.0, "lon": 103.83, "accuracy_m": 5.0, "fix_time": now, "provider": "gps", "mock": false }),
                ),
                "request.invalid_field",
                Some("place"),
            ),
            (
                with("checkin_id", json!(uuid::Uuid::now_v7())),
                "request.invalid_field",
                Some("checkin_id"),
            ),
            (
                with("risks", json!(vec!["no_job"; 7])),
                "request.invalid_field",
                Some("risks"),
            ),
            (
                with("kind", json!("phone_call")),
                "request.invalid_field",
                None,
            ),
            (with("surprise", json!(1)), "request.invalid_field", None),
            (
                with("at", json!(now + Duration::minutes(10))),
                "visit.in_future",
                None,
            ),
            (
                with("at", json!(now - Duration::days(8))),
                "visit.too_old",
                None,
            ),
        ];
        for (body, code, field) in cases {
            let got = w
                .call(&app, "officer.a1", "POST", &visits, Some(body.clone()))
                .await;
            assert_eq!(got.1["code"], code, "{body} → {:?}", got);
            if let Some(f) = field {
                assert_eq!(got.1["errors"][0]["field"], f, "{:?}", got);
            }
        }
        let got = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("{visits}?kind=phone_call"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::BAD_REQUEST, "request.invalid_query");
        assert_eq!(got.1["errors"][0]["field"], "kind");
        // A closed case takes no more visits.
        let (s, v) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &format!("/api/v1/cases/{}/status", w.case_a1),
                Some(json!({ "status": "terminated", "reason": "再犯罪，依法终止" })),
            )
            .await;
        assert!(s.is_success(), "{s} {v}");
        let got = w.call(&app, "officer.a1", "POST", &visits, Some(ok)).await;
        assert_problem(&got, StatusCode::CONFLICT, "case.closed");
        let (_, due) = w
            .call(&app, "officer.a1", "GET", &format!("{visits}/due"), None)
            .await;
        assert_eq!(due, json!([]), "nothing is due of a closed case");
        assert_eq!(app.count("visits").await, 0);
        assert_eq!(app.count("alerts").await, 0);
    }
);
