//! Leave (外出) over HTTP: one test per legal rule (measures 2020 art. 27-28), wrong-level
//! approvals, races, cancellation, return, extension and overdue detection.

use crate::common;

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, Utc};
use common::{World, PASSWORD};
use huijiao_core::api::LeaveView;
use huijiao_core::model::LeaveStatus;
use huijiao_core::policy::calendar;
use huijiao_core::policy::requests::VisitorRelation;
use sea_orm::QueryFilter;
use serde_json::{json, Value};

/// A day from today, China time (the calendar the server keeps).
fn day(offset: i64) -> NaiveDate {
    calendar::local_date(Utc::now()) + Duration::days(offset)
}

fn body(start: i64, end: i64, urgent: bool) -> Value {
    json!({
        "reason_category": "medical",
        "reason_text": "陪同母亲就医",
        "destination": { "name": "西安市第一医院", "lat": 34.26, "lon": 108.94 },
        "start_date": day(start), "end_date": day(end),
        "contact_while_away": "13800000000",
        "urgent": urgent, "submit": true,
    })
}

/// A rule, the leave's first and last day (from today), the level it needs, who may not
/// approve it with the code they get, and who approves it.
type Row<'a> = (
    &'a str,
    i64,
    i64,
    &'a str,
    Option<(&'a str, &'a str)>,
    &'a str,
);

/// A passed face check-in just now (written directly: the face path is tested in checkins.rs).
async fn passed_checkin_now(app: &common::TestApp, w: &World) {
    let (_, me) = w.call(app, "sv.a1", "GET", "/api/v1/me", None).await;
    let user = me["id"].as_str().unwrap().parse().unwrap();
    common::insert_checkin(
        app,
        w.case_a1.parse().unwrap(),
        user,
        "passed",
        app.state.clock.now(),
        None,
    )
    .await;
}

async fn city_officer(app: &common::TestApp, w: &World) -> String {
    let (s, v) = app
        .post("/api/v1/users", w.token("sys"), json!({ "username": "officer.city", "password": PASSWORD, "display_name": "市局", "role": "officer", "unit_id": w.city }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    app.login("officer.city").await
}

async fn apply(app: &common::TestApp, w: &World, b: Value) -> (StatusCode, Value) {
    w.call(
        app,
        "sv.a1",
        "POST",
        &format!("/api/v1/cases/{}/leaves", w.case_a1),
        Some(b),
    )
    .await
}

/// The person sets off on the morning of the leave's first day (the clock stands there).
async fn depart_on_first_day(app: &common::TestApp, w: &World, leave: &Value) {
    let first: NaiveDate = leave["start_date"].as_str().unwrap().parse().unwrap();
    app.state
        .clock
        .set(calendar::day_start(first) + Duration::hours(9));
    let path = format!("/api/v1/leaves/{}/depart", leave["id"].as_str().unwrap());
    let (s, v) = w.call(app, "sv.a1", "POST", &path, None).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("active")),
        "{v}"
    );
}

async fn decide(
    app: &common::TestApp,
    token: &str,
    leave: &Value,
    action: &str,
) -> (StatusCode, Value) {
    app.post(
        &format!("/api/v1/leaves/{}/{action}", leave["id"].as_str().unwrap()),
        token,
        json!({ "version": leave["version"], "opinion": "同意" }),
    )
    .await
}

both!(approval_level_follows_the_rules, |app| {
    let _ = app;
    // Leaves far ahead keep the two-month window out of each row.
    let app =
        common::TestApp::with_config(app.backend, |c| c.rules.leave.max_ahead_days = 400).await;
    let w = World::build(&app).await;
    let city = city_officer(&app, &w).await;
    let office = w.token("officer.a1").to_owned();
    let county = w.token("officer.county_a").to_owned();
    // (rule, start, end, expected level, who may not approve + their refusal, who approves);
    // rows lie more than two months apart so the two-month total does not mix them.
    let table: [Row; 4] = [
        (
            "art. 28: ≤ 7 days → judicial office",
            10,
            16,
            "judicial_office",
            None,
            &office,
        ),
        (
            "art. 28: 8 days → county agency",
            90,
            97,
            "county_agency",
            Some((&office, "leave.needs_county_approval")),
            &county,
        ),
        (
            "one approval ≤ 30 days: 30 → county",
            200,
            229,
            "county_agency",
            Some((&office, "leave.needs_county_approval")),
            &county,
        ),
        (
            "one approval ≤ 30 days: 31 → one level up",
            300,
            330,
            "city",
            Some((&county, "leave.needs_city_approval")),
            &city,
        ),
    ];
    for (rule, start, end, level, refused, approver) in table {
        let created = apply(&app, &w, body(start, end, false)).await;
        let l: LeaveView = common::body(created.clone());
        assert_eq!(l.required_level.as_str(), level, "{rule}");
        assert_eq!(l.status, LeaveStatus::Submitted);
        let l = created.1;
        if let Some((who, code)) = refused {
            let got = decide(&app, who, &l, "approve").await;
            common::assert_problem(&got, StatusCode::FORBIDDEN, code);
        }
        let v: LeaveView = common::body(decide(&app, approver, &l, "approve").await);
        assert_eq!(v.status, LeaveStatus::Approved, "{rule}");
        let last = v.steps.last().unwrap();
        assert_eq!(
            (last.action.as_str(), last.opinion.as_deref()),
            ("approve", Some("同意"))
        );
        assert!(
            last.level.is_some() && last.actor_id.is_some(),
            "who and at which level"
        );
    }
});

both!(notice_period_and_urgent_requests, |app| {
    let w = World::build(&app).await;
    let (s, v) = apply(&app, &w, body(3, 4, false)).await;
    assert_eq!(s, StatusCode::CREATED, "3 days ahead is enough: {v}");
    assert_eq!(v["late_notice"], false);
    let (s, v) = apply(&app, &w, body(2, 2, false)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("leave.notice_too_short")
        )
    );
    let (s, v) = apply(&app, &w, body(1, 1, true)).await;
    assert_eq!(s, StatusCode::CREATED, "urgent is allowed, flagged: {v}");
    assert_eq!(
        (v["late_notice"].as_bool(), v["urgent"].as_bool()),
        (Some(true), Some(true))
    );
    let (s, v) = apply(&app, &w, body(-1, 2, true)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("leave.dates_invalid")
        )
    );
    let (s, v) = apply(&app, &w, body(9, 8, false)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("leave.dates_invalid")
        )
    );
    let mut bad = body(10, 11, false);
    bad["destination"]["lat"] = json!(123.0);
    let (s, v) = apply(&app, &w, bad).await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("destination"))
    );
    let (s, v) = apply(&app, &w, body(3, 4, false)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("leave.overlaps")),
        "same days twice"
    );
});

both!(two_month_total_goes_one_level_up, |app| {
    let w = World::build(&app).await;
    let county = w.token("officer.county_a");
    // 25 days approved, then 6 more within 60 days: 31 > 30 → a 6-day leave needs the county.
    let (_, first) = apply(&app, &w, body(3, 27, false)).await;
    assert_eq!(first["required_level"], "county_agency");
    assert_eq!(
        decide(&app, county, &first, "approve").await.0,
        StatusCode::OK
    );
    let (_, second) = apply(&app, &w, body(40, 45, false)).await;
    assert_eq!(
        (
            second["window_total_days"].as_i64(),
            second["required_level"].as_str()
        ),
        (Some(31), Some("county_agency"))
    );
    // 5 days would make exactly 30: the office decides.
    let (_, third) = apply(&app, &w, body(50, 50, false)).await;
    assert_eq!(third["required_level"], "judicial_office", "{third}");
});

both!(approve_after_cancel_and_double_approval, |app| {
    let w = World::build(&app).await;
    let (_, l) = apply(&app, &w, body(10, 12, false)).await;
    let (s, _) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/leaves/{}/cancel", l["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = decide(&app, w.token("officer.a1"), &l, "approve").await;
    common::assert_problem(&(s, v), StatusCode::CONFLICT, "leave.transition_invalid");

    // Two officers approve at once: one wins, the other gets a conflict, one approval recorded.
    let (_, l) = apply(&app, &w, body(20, 22, false)).await;
    let (a, b) = tokio::join!(
        decide(&app, w.token("officer.a1"), &l, "approve"),
        decide(&app, w.token("officer.county_a"), &l, "approve")
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let (_, v) = app
        .get(
            &format!("/api/v1/leaves/{}", l["id"].as_str().unwrap()),
            w.token("officer.a1"),
        )
        .await;
    assert_eq!(
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["action"] == "approve")
            .count(),
        1
    );
    // A decision on a stale version is refused too.
    let (_, l) = apply(&app, &w, body(30, 31, false)).await;
    let stale = json!({ "id": l["id"], "version": 0 });
    assert_eq!(
        decide(&app, w.token("officer.a1"), &stale, "approve")
            .await
            .0,
        StatusCode::CONFLICT
    );
    // Reject with a reason.
    let (s, v) = decide(&app, w.token("officer.a1"), &l, "reject").await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("rejected"))
    );
});

both!(queue_shows_what_each_level_decides, |app| {
    let w = World::build(&app).await;
    let (_, short) = apply(&app, &w, body(10, 12, false)).await;
    let (_, long) = apply(&app, &w, body(20, 29, false)).await;
    let ids = |v: Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let (_, q) = app.get("/api/v1/leaves", w.token("officer.a1")).await;
    assert_eq!(ids(q), vec![short["id"].as_str().unwrap()]);
    let (_, q) = app.get("/api/v1/leaves", w.token("officer.county_a")).await;
    assert_eq!(ids(q), vec![long["id"].as_str().unwrap()]);
    let (_, q) = app
        .get(
            "/api/v1/leaves?include_lower=true",
            w.token("officer.county_a"),
        )
        .await;
    assert_eq!(ids(q).len(), 2);
    let (_, q) = app.get("/api/v1/leaves", w.token("officer.a2")).await;
    assert!(
        q["items"].as_array().unwrap().is_empty(),
        "a sibling office sees nothing"
    );
    let (s, _) = w.call(&app, "sv.a1", "GET", "/api/v1/leaves", None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

both!(depart_return_overdue_and_the_location_hook, |app| {
    let w = World::build(&app).await;
    let (_, l) = apply(&app, &w, body(3, 5, false)).await;
    let id = l["id"].as_str().unwrap().to_owned();
    let path = |a: &str| format!("/api/v1/leaves/{id}/{a}");
    assert_eq!(
        w.call(&app, "sv.a1", "POST", &path("depart"), None).await.1["code"],
        "leave.transition_invalid",
        "not approved yet"
    );
    decide(&app, w.token("officer.a1"), &l, "approve").await;
    let case_id: uuid::Uuid = w.case_a1.parse().unwrap();
    let on_leave = huijiao_server::requests::leave::leave_on(&app.state.db, case_id, day(4))
        .await
        .unwrap();
    assert_eq!(
        on_leave.unwrap().name,
        "西安市第一医院",
        "the activity area is suspended for the dates"
    );
    assert!(
        huijiao_server::requests::leave::leave_on(&app.state.db, case_id, day(6))
            .await
            .unwrap()
            .is_none()
    );
    depart_on_first_day(&app, &w, &l).await;
    assert_eq!(
        w.call(&app, "sv.a1", "POST", &path("cancel"), None).await.0,
        StatusCode::CONFLICT,
        "too late to cancel"
    );

    // Not back by the end date: marked overdue once, with the sanction suggestion.
    // The job runs on the morning of day 8, and the person reports back later that day.
    app.state
        .clock
        .set(calendar::day_start(day(8)) + Duration::hours(9));
    let work = huijiao_server::work::Work::begin(&app.state).await.unwrap();
    let marked = huijiao_server::requests::leave::mark_overdue(&work, app.state.clock.now())
        .await
        .unwrap();
    work.commit().await.unwrap();
    assert_eq!(marked, 1);
    let work = huijiao_server::work::Work::begin(&app.state).await.unwrap();
    assert_eq!(
        huijiao_server::requests::leave::mark_overdue(
            &work,
            app.state.clock.now() + Duration::days(1)
        )
        .await
        .unwrap(),
        0,
        "exactly once"
    );
    work.commit().await.unwrap();
    let (_, v) = app
        .get(&format!("/api/v1/leaves/{id}"), w.token("officer.a1"))
        .await;
    assert_eq!(v["status"], "overdue");
    assert_eq!(v["sanction_suggestion"], "admonition");
    let (_, audit) = app
        .get(
            "/api/v1/audit?action=leave.marked_overdue",
            w.token("auditadmin"),
        )
        .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
    // The officer is alerted.
    let (_, alerts) = app.get("/api/v1/alerts", w.token("officer.a1")).await;
    assert_eq!(alerts["items"][0]["kind"], "leave_overdue");
    assert_eq!(
        alerts["items"][0]["evidence"]["sanction_suggestion"],
        "admonition"
    );
    // 销假 comes with a check-in: without a recent passed one it is refused.
    let (s, v) = w.call(&app, "sv.a1", "POST", &path("return"), None).await;
    common::assert_problem(&(s, v), StatusCode::CONFLICT, "leave.return_needs_checkin");
    passed_checkin_now(&app, &w).await;
    // The late return is still reported and kept.
    let (s, v) = w.call(&app, "sv.a1", "POST", &path("return"), None).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("returned"))
    );
    let actions: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["submit", "approve", "depart", "overdue", "return"]
    );
});

both!(extension_crossing_thirty_days_goes_up, |app| {
    let w = World::build(&app).await;
    let city = city_officer(&app, &w).await;
    let (_, l) = apply(&app, &w, body(3, 27, false)).await;
    assert_eq!(l["days"], 25);
    decide(&app, w.token("officer.county_a"), &l, "approve").await;
    let id = l["id"].as_str().unwrap();
    let (s, ext) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/leaves/{id}/extend"),
            Some(json!({ "new_end_date": day(33), "reason_text": "病情需要继续治疗" })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ext}");
    assert_eq!(
        (ext["days"].as_i64(), ext["required_level"].as_str()),
        (Some(31), Some("city"))
    );
    assert_eq!(ext["parent_id"], l["id"]);
    let (s, v) = decide(&app, w.token("officer.county_a"), &ext, "approve").await;
    common::assert_problem(&(s, v), StatusCode::FORBIDDEN, "leave.needs_city_approval");
    assert_eq!(decide(&app, &city, &ext, "approve").await.0, StatusCode::OK);
    let (_, parent) = app
        .get(&format!("/api/v1/leaves/{id}"), w.token("officer.a1"))
        .await;
    assert_eq!(
        parent["end_date"],
        json!(day(33)),
        "the approved extension moves the end"
    );
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/leaves/{id}/extend"),
            Some(json!({ "new_end_date": day(20), "reason_text": "x" })),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("leave.dates_invalid")
        ),
        "an extension must extend"
    );
});

both!(the_job_runner_marks_overdue_once, |app| {
    let w = World::build(&app).await;
    // A leave that ended yesterday while away.
    let (_, l) = apply(&app, &w, body(3, 4, false)).await;
    decide(&app, w.token("officer.a1"), &l, "approve").await;
    depart_on_first_day(&app, &w, &l).await;
    let id: uuid::Uuid = l["id"].as_str().unwrap().parse().unwrap();
    use huijiao_server::entities::leave_request as lr;
    use sea_orm::{ColumnTrait, EntityTrait};
    lr::Entity::update_many()
        .col_expr(
            lr::Column::EndDate,
            sea_orm::sea_query::Expr::value(day(-1)),
        )
        .filter(lr::Column::Id.eq(id))
        .exec(&app.state.db)
        .await
        .unwrap();
    // Two instances run the jobs at once: the leave is marked exactly once.
    let (a, b) = tokio::join!(
        huijiao_server::app::run_jobs(&app.state),
        huijiao_server::app::run_jobs(&app.state)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a.count("leave.overdue") + b.count("leave.overdue"),
        1,
        "{a:?} {b:?}"
    );
    assert_eq!(
        huijiao_server::app::run_jobs(&app.state)
            .await
            .unwrap()
            .count("leave.overdue"),
        0
    );
});

// A leave's last day ends at midnight China time. At 01:00 in China the UTC date is still the
// last day: the return is overdue all the same, not eight hours later.
both!(a_return_is_overdue_from_midnight_china_time, |app| {
    let w = World::build(&app).await;
    let (_, l) = apply(&app, &w, body(3, 4, false)).await;
    decide(&app, w.token("officer.a1"), &l, "approve").await;
    let id = l["id"].as_str().unwrap();
    depart_on_first_day(&app, &w, &l).await;
    let last_day = day(4);
    let overdue_runs = || async {
        huijiao_server::jobs::run(&app.state, huijiao_server::requests::JOBS)
            .await
            .unwrap()
            .count("leave.overdue")
    };
    // 23:59 on the last day, China time: not yet.
    let midnight = calendar::day_start(last_day + Duration::days(1));
    app.state.clock.set(midnight - Duration::minutes(1));
    assert_eq!(overdue_runs().await, 0);
    // 01:00 the next morning, still the last day in UTC: overdue.
    app.state.clock.set(midnight + Duration::hours(1));
    assert_eq!(
        app.state.clock.now().date_naive(),
        last_day,
        "the UTC date lags"
    );
    assert_eq!(overdue_runs().await, 1);
    let (_, v) = app
        .get(&format!("/api/v1/leaves/{id}"), w.token("officer.a1"))
        .await;
    assert_eq!(v["status"], "overdue");
    assert_eq!(v["sanction_suggestion"], "admonition", "one day late");
});

both!(evidence_attachments, |app| {
    let w = World::build(&app).await;
    let (_, l) = apply(&app, &w, body(10, 12, false)).await;
    let path = format!("/api/v1/leaves/{}/attachments", l["id"].as_str().unwrap());
    let pdf = b"%PDF-1.4\n% medical certificate\n";
    let b64 = |b: &[u8]| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, b);
    let (s, a) = w.call(&app, "sv.a1", "POST", &path, Some(json!({ "kind": "medical", "content_type": "application/pdf", "content": b64(pdf) }))).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    // Content must be what it claims.
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &path,
            Some(json!({ "kind": "medical", "content_type": "image/png", "content": b64(pdf) })),
        )
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("content_type"))
    );
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &path,
            Some(
                json!({ "kind": "bribe", "content_type": "application/pdf", "content": b64(pdf) }),
            ),
        )
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("kind"))
    );
    // Files are what they claim all the way through, not just in their first bytes.
    let png_then_html = [
        b"\x89PNG\r\n\x1a\n".as_slice(),
        b"<html><script>alert(1)</script></html>",
    ]
    .concat();
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    let ihdr = [20_000u32.to_be_bytes(), 20_000u32.to_be_bytes()].concat();
    bomb.extend(&ihdr);
    bomb.extend([8, 2, 0, 0, 0]);
    let crc = crc32(&bomb[12..]);
    bomb.extend(crc.to_be_bytes());
    bomb.extend(b"\0\0\0\0IEND\xaeB`\x82");
    let open_action = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF";
    let escaped =
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Names << /J#61vaScript 2 0 R >> >> endobj\n%%EOF";
    let hidden = {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<< /S /JavaScript /JS (app.alert(1)) >>")
            .unwrap();
        let stream = z.finish().unwrap();
        [
            b"%PDF-1.5\n3 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n".as_slice(),
            &stream,
            b"\nendstream\nendobj\n%%EOF",
        ]
        .concat()
    };
    for (what, ct, bytes) in [
        ("PNG header then HTML", "image/png", png_then_html),
        ("400-megapixel PNG", "image/png", bomb),
        (
            "PDF that runs a script on opening",
            "application/pdf",
            open_action.to_vec(),
        ),
        (
            "the script's name escaped",
            "application/pdf",
            escaped.to_vec(),
        ),
        (
            "the script in a compressed stream",
            "application/pdf",
            hidden,
        ),
    ] {
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &path,
                Some(json!({ "kind": "medical", "content_type": ct, "content": b64(&bytes) })),
            )
            .await;
        common::assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        assert_eq!(got.1["errors"][0]["field"], "content", "{what}: {}", got.1);
    }
    // The officer reads it; a sibling office cannot; on disk it is sealed.
    let (_, list) = app.get(&path, w.token("officer.a1")).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (s, _, bytes) = app
        .call_raw(
            "GET",
            &format!("{path}/{}", a["id"].as_str().unwrap()),
            Some(w.token("officer.a1")),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!((s, bytes.as_slice()), (StatusCode::OK, pdf.as_slice()));
    let (_, h, _) = app
        .call_raw(
            "GET",
            &format!("{path}/{}", a["id"].as_str().unwrap()),
            Some(w.token("officer.a1")),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert!(h
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(
        app.get(&path, w.token("officer.a2")).await.0,
        StatusCode::NOT_FOUND
    );
    // Once decided, the file set is closed.
    decide(&app, w.token("officer.a1"), &l, "approve").await;
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &path,
            Some(
                json!({ "kind": "other", "content_type": "application/pdf", "content": b64(pdf) }),
            ),
        )
        .await;
    common::assert_problem(&(s, v), StatusCode::CONFLICT, "leave.transition_invalid");
});

/// A jurisdiction's own leave rules (here: a judicial office approves up to 10 days) come from
/// the configuration, are served to the apps as they are enforced, and decide the level.
async fn jurisdiction_rules(backend: common::Backend) {
    let app = common::TestApp::with_config(backend, |c| {
        c.rules.leave.office_max_days = 10;
        c.rules.requests.relocation_notice_days = 10;
        c.rules.requests.visits_needing_approval = vec![VisitorRelation::Victim];
    })
    .await;
    let w = World::build(&app).await;
    let rules: huijiao_core::policy::JurisdictionRules =
        common::body(w.call(&app, "sv.a1", "GET", "/api/v1/rules", None).await);
    assert_eq!(rules.leave.office_max_days, 10);
    assert_eq!(
        rules.leave.min_notice_days, 3,
        "the others stay the national defaults"
    );
    assert_eq!(rules.requests.relocation_notice_days, 10);
    // A move 15 days ahead is early enough here (30 days nationally).
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/cases/{}/relocations", w.case_a1),
            Some(json!({ "to_unit_id": w.office_b1, "new_residence": { "address": "七里河区示例路9号", "lat": 36.07, "lon": 103.78 }, "move_date": day(15), "reason": "工作调动" })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Here only meeting the victim needs approval: meeting an accomplice is recorded.
    let visit = |relation: &str| json!({ "visitor_name": "某某", "relation": relation, "meeting_at": chrono::Utc::now() + Duration::days(2), "place": "家中", "purpose": "探望" });
    let path = format!("/api/v1/cases/{}/visitors", w.case_a1);
    let (_, v) = w
        .call(&app, "sv.a1", "POST", &path, Some(visit("accomplice")))
        .await;
    assert_eq!(v["status"], "recorded", "{v}");
    let (_, v) = w
        .call(&app, "sv.a1", "POST", &path, Some(visit("victim")))
        .await;
    assert_eq!(v["status"], "submitted", "{v}");
    // Ten days: the county's under the national default, the office's here.
    let (s, v) = apply(&app, &w, body(5, 14, false)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["days"].as_i64(), v["required_level"].as_str()),
        (Some(10), Some("judicial_office"))
    );
    let (s, v) = apply(&app, &w, body(20, 30, false)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        v["required_level"], "county_agency",
        "11 days is over this jurisdiction's limit"
    );
}

mod jurisdiction_rules_come_from_configuration {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::jurisdiction_rules(crate::common::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::jurisdiction_rules(crate::common::Backend::Postgres).await
    }
}

both!(every_state_change_is_pushed_live, |app| {
    let w = World::build(&app).await;
    let mut events = app.state.events.subscribe();
    let mut heard = |kind: &str| {
        let mut seen = Vec::new();
        while let Ok(e) = events.try_recv() {
            if e.view.kind == kind {
                assert!(
                    e.unit_path.contains(&w.office_a1),
                    "the case's officers hear it"
                );
                let p = &e.view.payload;
                seen.push(
                    p["status"]
                        .as_str()
                        .or(p["state"].as_str())
                        .unwrap_or("")
                        .to_owned(),
                );
            }
        }
        seen
    };
    // A draft is not news; submitting it is, and so is every step after.
    let mut draft = body(3, 5, false);
    draft["submit"] = json!(false);
    let (_, l) = apply(&app, &w, draft).await;
    assert!(heard("leave").is_empty());
    let id = l["id"].as_str().unwrap().to_owned();
    let act = |a: &'static str| {
        let (app, w, id) = (&app, &w, id.clone());
        async move {
            let got = w
                .call(
                    app,
                    "sv.a1",
                    "POST",
                    &format!("/api/v1/leaves/{id}/{a}"),
                    None,
                )
                .await;
            assert_eq!(got.0, StatusCode::OK, "{a}: {}", got.1);
            got.1
        }
    };
    let l = act("submit").await;
    decide(&app, w.token("officer.a1"), &l, "approve").await;
    app.state
        .clock
        .set(calendar::day_start(day(3)) + Duration::hours(9));
    act("depart").await;
    passed_checkin_now(&app, &w).await;
    act("return").await;
    assert_eq!(
        heard("leave"),
        ["submitted", "approved", "active", "returned"]
    );

    // An alert acknowledged and resolved by one officer updates everyone's list.
    let a = common::raise_alert(
        &app,
        w.case_a1.parse().unwrap(),
        huijiao_core::model::AlertKind::CheckinMissed,
        huijiao_core::model::AlertSeverity::Medium,
        json!({}),
        app.state.clock.now(),
    )
    .await;
    let t = w.token("officer.a1");
    let (s, v) = app
        .call(
            "POST",
            &format!("/api/v1/alerts/{}/acknowledge", a.id),
            Some(t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = app
        .post(
            &format!("/api/v1/alerts/{}/resolve", a.id),
            t,
            json!({ "note": "已电话联系" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(heard("alert"), ["acknowledged", "resolved"]);
});

/// CRC-32 (PNG chunks).
fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

both!(a_leave_is_taken_on_its_dates_and_within_the_term, |app| {
    let w = World::build(&app).await;
    let (_, l) = apply(&app, &w, body(5, 9, false)).await;
    decide(&app, w.token("officer.a1"), &l, "approve").await;
    let depart = format!("/api/v1/leaves/{}/depart", l["id"].as_str().unwrap());
    // Five days early: refused; nothing moves.
    let got = w.call(&app, "sv.a1", "POST", &depart, None).await;
    common::assert_problem(&got, StatusCode::CONFLICT, "leave.departure_outside_dates");
    // The evening before the first day: allowed (an evening train).
    app.state
        .clock
        .set(calendar::day_start(day(4)) + Duration::hours(20));
    let (s, v) = w.call(&app, "sv.a1", "POST", &depart, None).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("active")),
        "{v}"
    );
    // Back two days after the last day, before the overdue job ran: the late return is
    // raised as the job would have.
    app.state
        .clock
        .set(calendar::day_start(day(11)) + Duration::hours(9));
    let user: uuid::Uuid = w.user_id(&app, "sv.a1").await.parse().unwrap();
    let case_id: uuid::Uuid = w.case_a1.parse().unwrap();
    common::insert_checkin(&app, case_id, user, "passed", app.state.clock.now(), None).await;
    let back = format!("/api/v1/leaves/{}/return", l["id"].as_str().unwrap());
    let (s, v) = w.call(&app, "sv.a1", "POST", &back, None).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("returned")),
        "{v}"
    );
    let late = common::open_alerts_of_kind(&app, &w, "leave_overdue").await;
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0]["evidence"]["days_overdue"], 2);

    // Far ahead, or past the term's end: refused by name.
    app.state.clock.set(Utc::now());
    let got = apply(&app, &w, body(400, 402, false)).await;
    common::assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "leave.too_far_ahead",
    );
    // The term ends in 30 days.
    use huijiao_server::entities::case;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    case::Entity::update_many()
        .col_expr(
            case::Column::EndDate,
            sea_orm::sea_query::Expr::value(day(30)),
        )
        .filter(case::Column::Id.eq(case_id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let got = apply(&app, &w, body(28, 32, false)).await;
    common::assert_problem(&got, StatusCode::UNPROCESSABLE_ENTITY, "leave.beyond_term");
});
