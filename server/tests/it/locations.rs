//! Location reports and fences over HTTP: inside/outside/edge with dwell and accuracy, timed
//! zones switching on and off, one alert per violation cleared when the state clears, the
//! leave hook, anomalies (mock, impossible speed, silence), idempotent all-or-nothing batches,
//! tracks, positions and retention.

use crate::common;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Timelike, Utc};
use common::World;
use huijiao_core::model::{AlertSeverity, AlertState};
use huijiao_core::policy::calendar::local_offset;
use huijiao_server::entities::{alert, last_position, location_point};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;

/// The residence of case a1 (common::case_body).
const HOME: (f64, f64) = (36.06, 103.83);

fn north(metres: f64) -> (f64, f64) {
    (HOME.0 + metres / 111_195.0, HOME.1)
}

fn minutes_ago(m: f64) -> DateTime<Utc> {
    Utc::now() - Duration::milliseconds((m * 60_000.0) as i64)
}

fn fix(pos: (f64, f64), accuracy: f64, at: DateTime<Utc>) -> Value {
    json!({ "lat": pos.0, "lon": pos.1, "accuracy_m": accuracy, "fix_time": at, "provider": "gps", "mock": false, "battery": 80 })
}

async fn send(app: &common::TestApp, w: &World, points: Vec<Value>) -> (StatusCode, Value) {
    send_as(app, w, Uuid::new_v4(), points).await
}

async fn send_as(
    app: &common::TestApp,
    w: &World,
    batch: Uuid,
    points: Vec<Value>,
) -> (StatusCode, Value) {
    w.call(
        app,
        "sv.a1",
        "POST",
        "/api/v1/locations/batches",
        Some(json!({ "batch_id": batch, "points": points })),
    )
    .await
}

async fn alerts(app: &common::TestApp, w: &World, kind: &str) -> Vec<alert::Model> {
    alert::Entity::find()
        .filter(alert::Column::CaseId.eq(w.case_a1.parse::<Uuid>().unwrap()))
        .filter(alert::Column::Kind.eq(kind))
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn fence(app: &common::TestApp, w: &World, body: Value) -> Value {
    let (s, v) = app
        .post("/api/v1/fences", w.token("officer.a1"), body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

fn home_area(w: &World) -> Value {
    json!({ "name": "居住地区县", "kind": "activity_area", "shape": { "type": "Circle", "center": [HOME.1, HOME.0], "radius_m": 2000.0 }, "case_id": w.case_a1 })
}

both!(batches_store_and_answer_the_interval, |app| {
    let w = World::build(&app).await;
    let points: Vec<Value> = (0..5)
        .map(|i| {
            fix(
                north(f64::from(i) * 20.0),
                10.0,
                minutes_ago(10.0 - f64::from(i)),
            )
        })
        .collect();
    let batch = Uuid::new_v4();
    let (s, v) = send_as(&app, &w, batch, points.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["accepted"], 5);
    assert_eq!(v["duplicate"], false);
    // New intakes are strict: every 10 minutes.
    assert_eq!(v["interval_minutes"], 10);
    // The phone lost the answer and sends again: stored once.
    let (s, v) = send_as(&app, &w, batch, points.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["duplicate"], true);
    assert_eq!(app.count("location_points").await, 5);
    // The same id for other points is a client bug, refused.
    let (s, v) = send_as(&app, &w, batch, points[..2].to_vec()).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["code"], "location.batch_id_reused");

    // Officers see the track and the last position.
    let from = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let to = Utc::now().to_rfc3339();
    let (s, t) = app
        .call(
            "GET",
            &format!(
                "/api/v1/cases/{}/track?from={}&to={}&tolerance_m=0",
                w.case_a1,
                urlencode(&from),
                urlencode(&to)
            ),
            Some(w.token("officer.a1")),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["total_points"], 5);
    assert_eq!(t["points"].as_array().unwrap().len(), 5);
    // A backwards or too long range, or a nonsense tolerance, is refused with the field.
    let week_ago = (Utc::now() - Duration::days(40)).to_rfc3339();
    for (query, field) in [
        (
            format!("from={}&to={}", urlencode(&to), urlencode(&from)),
            "to",
        ),
        (
            format!("from={}&to={}", urlencode(&week_ago), urlencode(&to)),
            "to",
        ),
        (
            format!(
                "from={}&to={}&tolerance_m=-1",
                urlencode(&from),
                urlencode(&to)
            ),
            "tolerance_m",
        ),
    ] {
        let (s, v) = app
            .get(
                &format!("/api/v1/cases/{}/track?{query}", w.case_a1),
                w.token("officer.a1"),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {v}");
        assert_eq!(v["errors"][0]["field"], field, "{v}");
    }
    // Points on a straight line simplify to its ends.
    let (_, t) = app
        .call(
            "GET",
            &format!(
                "/api/v1/cases/{}/track?from={}&to={}",
                w.case_a1,
                urlencode(&from),
                urlencode(&to)
            ),
            Some(w.token("officer.a1")),
            None,
        )
        .await;
    assert_eq!(t["points"].as_array().unwrap().len(), 2);
    let (s, pos) = app
        .get("/api/v1/locations/current", w.token("officer.a1"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let mine: Vec<&Value> = pos["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["case_id"] == w.case_a1.as_str())
        .collect();
    assert_eq!(mine.len(), 1);
    assert!((mine[0]["lat"].as_f64().unwrap() - north(80.0).0).abs() < 1e-9);
    assert_eq!(mine[0]["silent"], false);
    // Another office sees none of it.
    let (_, pos) = app
        .get("/api/v1/locations/current", w.token("officer.b1"))
        .await;
    assert_eq!(pos, json!({"items": []}));
});

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

both!(bad_batches_are_refused_whole, |app| {
    let w = World::build(&app).await;
    let good = fix(HOME, 10.0, minutes_ago(1.0));
    let cases: Vec<(Value, &str)> = vec![
        (json!([]), "points"),
        (
            json!([good, fix((91.0, 103.0), 10.0, minutes_ago(1.0))]),
            "points[1].lat",
        ),
        (
            json!([good, fix((36.0, 181.0), 10.0, minutes_ago(1.0))]),
            "points[1].lon",
        ),
        (
            json!([fix(HOME, -1.0, minutes_ago(1.0))]),
            "points[0].accuracy_m",
        ),
        (
            json!([fix(HOME, 10.0, Utc::now() + Duration::hours(1))]),
            "points[0].fix_time",
        ),
        (
            json!([fix(HOME, 10.0, Utc::now() - Duration::days(40))]),
            "points[0].fix_time",
        ),
        (
            json!([{ "lat": 36.0, "lon": 103.0, "accuracy_m": 5.0, "fix_time": Utc::now(), "provider": "gps", "mock": false, "battery": 101 }]),
            "points[0].battery",
        ),
    ];
    for (points, field) in cases {
        let (s, v) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                "/api/v1/locations/batches",
                Some(json!({ "batch_id": Uuid::new_v4(), "points": points })),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert_eq!(v["code"], "request.invalid_field");
        assert_eq!(v["errors"][0]["field"], field, "{v}");
    }
    // NaN is not JSON; a string where a number belongs is refused by the parser.
    let (s, v) = w
        .call(&app, "sv.a1", "POST", "/api/v1/locations/batches", Some(json!({ "batch_id": Uuid::new_v4(), "points": [{ "lat": "NaN", "lon": 103.0, "accuracy_m": 5.0, "fix_time": Utc::now(), "provider": "gps", "mock": false }] })))
        .await;
    assert!(s.is_client_error(), "{v}");
    let too_many: Vec<Value> = (0..1001).map(|_| good.clone()).collect();
    let (s, v) = send(&app, &w, too_many).await;
    assert_eq!(v["errors"][0]["field"], "points", "{s} {v}");
    // Only supervisees report.
    let (s, _) = app
        .post(
            "/api/v1/locations/batches",
            w.token("officer.a1"),
            json!({ "batch_id": Uuid::new_v4(), "points": [good] }),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(app.count("location_points").await, 0);
    assert_eq!(app.count("location_batches").await, 0);
});

both!(fences_are_validated_and_scoped, |app| {
    let w = World::build(&app).await;
    let a1 = w.token("officer.a1");
    let bowtie = json!({ "type": "Polygon", "coordinates": [[[103.80, 36.00], [103.90, 36.10], [103.90, 36.00], [103.80, 36.10], [103.80, 36.00]]] });
    let open_ring = json!({ "type": "Polygon", "coordinates": [[[103.80, 36.00], [103.90, 36.00], [103.90, 36.10], [103.80, 36.10]]] });
    let circle = json!({ "type": "Circle", "center": [103.83, 36.06], "radius_m": 500.0 });
    let bad: Vec<(Value, &str)> = vec![
        (
            json!({ "name": "x", "kind": "activity_area", "shape": bowtie, "case_id": w.case_a1 }),
            "shape.coordinates",
        ),
        (
            json!({ "name": "x", "kind": "activity_area", "shape": open_ring, "case_id": w.case_a1 }),
            "shape.coordinates[0]",
        ),
        (
            json!({ "name": "x", "kind": "activity_area", "shape": { "type": "Circle", "center": [103.83, 91.0], "radius_m": 500.0 }, "case_id": w.case_a1 }),
            "shape.center",
        ),
        (
            json!({ "name": "x", "kind": "activity_area", "shape": circle, "case_id": w.case_a1, "unit_id": w.county_a }),
            "case_id",
        ),
        (
            json!({ "name": "x", "kind": "activity_area", "shape": circle }),
            "case_id",
        ),
        (
            json!({ "name": "x", "kind": "exclusion_zone", "shape": circle, "case_id": w.case_a1, "prohibition_order": 5 }),
            "prohibition_order",
        ),
        (
            json!({ "name": "x", "kind": "exclusion_zone", "shape": circle, "case_id": w.case_a1, "schedule": { "windows": [{ "days": [0], "start": "08:00", "end": "09:00" }] } }),
            "schedule.windows[0].days",
        ),
        (
            json!({ "name": "  ", "kind": "exclusion_zone", "shape": circle, "case_id": w.case_a1 }),
            "name",
        ),
    ];
    for (body, field) in bad {
        let (s, v) = app.post("/api/v1/fences", a1, body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert_eq!(v["errors"][0]["field"], field, "{v}");
    }
    assert_eq!(app.count("fences").await, 0);

    // A prohibition order's zone for the supervisee; a county boundary for everyone in it.
    let zone = fence(&app, &w, json!({ "name": "酒吧一条街", "kind": "exclusion_zone", "shape": circle, "case_id": w.case_a1, "prohibition_order": 0 })).await;
    assert_eq!(zone["active_now"], true);
    let county = w.token("officer.county_a");
    let square = json!({ "type": "Polygon", "coordinates": [[[103.5, 35.8], [104.2, 35.8], [104.2, 36.3], [103.5, 36.3], [103.5, 35.8]]] });
    let (s, boundary) = app
        .post("/api/v1/fences", county, json!({ "name": "城关区", "kind": "activity_area", "shape": square, "unit_id": w.county_a }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{boundary}");
    // GeoJSON out as it came in.
    assert_eq!(boundary["shape"], square);
    // An office officer cannot draw for the county above them, nor for another office's case.
    let (s, _) = app
        .post(
            "/api/v1/fences",
            a1,
            json!({ "name": "x", "kind": "activity_area", "shape": square, "unit_id": w.county_a }),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            "/api/v1/fences",
            w.token("officer.b1"),
            json!({ "name": "x", "kind": "activity_area", "shape": circle, "case_id": w.case_a1 }),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The case's fences include its county's.
    let (s, list) = app
        .get(&format!("/api/v1/fences?case_id={}", w.case_a1), a1)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");

    // A stale screen cannot overwrite a newer drawing.
    let id = zone["id"].as_str().unwrap();
    let put = |version: i64| json!({ "version": version, "name": "酒吧街", "shape": circle, "schedule": { "windows": [{ "days": [5, 6], "start": "20:00", "end": "04:00" }] } });
    let (s, v) = app
        .call(
            "PUT",
            &format!("/api/v1/fences/{id}"),
            Some(a1),
            Some(put(1)),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 2);
    let (s, v) = app
        .call(
            "PUT",
            &format!("/api/v1/fences/{id}"),
            Some(a1),
            Some(put(1)),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("resource.conflict"))
    );
    let (s, _) = app
        .call("DELETE", &format!("/api/v1/fences/{id}"), Some(a1), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app
        .call("DELETE", &format!("/api/v1/fences/{id}"), Some(a1), None)
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("fence.archived"))
    );
    let (_, list) = app
        .get(&format!("/api/v1/fences?case_id={}", w.case_a1), a1)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // Volunteers and supervisees do not see fences (a zone may be a victim's home).
    let (s, _) = app.get("/api/v1/fences", w.token("volunteer.a1")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = w.call(&app, "sv.a1", "GET", "/api/v1/fences", None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

both!(
    leaving_the_area_opens_one_alert_that_clears_on_return,
    |app| {
        let w = World::build(&app).await;
        fence(&app, &w, home_area(&w)).await;
        // Inside: nothing.
        let (s, v) = send(&app, &w, vec![fix(HOME, 10.0, minutes_ago(30.0))]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        // Out, 5 km away, for 90 s: under the 120 s dwell.
        let out = north(5000.0);
        send(
            &app,
            &w,
            vec![
                fix(out, 10.0, minutes_ago(20.0)),
                fix(out, 10.0, minutes_ago(18.5)),
            ],
        )
        .await;
        assert!(alerts(&app, &w, "outside_activity_area").await.is_empty());
        // Still out at 3 min: one alert; more fixes outside add none.
        send(&app, &w, vec![fix(out, 10.0, minutes_ago(17.0))]).await;
        send(
            &app,
            &w,
            (0..5)
                .map(|i| fix(out, 10.0, minutes_ago(16.0 - f64::from(i))))
                .collect(),
        )
        .await;
        let raised = alerts(&app, &w, "outside_activity_area").await;
        assert_eq!(raised.len(), 1);
        assert_eq!(raised[0].severity, AlertSeverity::High);
        assert!(raised[0].cleared_at.is_none());
        // At the edge (1990 m: inside by 10 m with 30 m accuracy): not sure, nothing changes.
        send(&app, &w, vec![fix(north(1990.0), 30.0, minutes_ago(10.0))]).await;
        assert!(alerts(&app, &w, "outside_activity_area").await[0]
            .cleared_at
            .is_none());
        // Back home: cleared, not deleted; the officer still sees it.
        send(&app, &w, vec![fix(HOME, 10.0, minutes_ago(5.0))]).await;
        let after = alerts(&app, &w, "outside_activity_area").await;
        assert_eq!(after.len(), 1);
        assert!(after[0].cleared_at.is_some());
        assert_eq!(after[0].state, AlertState::Open);
        // Leaving again is a new violation.
        send(
            &app,
            &w,
            vec![
                fix(out, 10.0, minutes_ago(4.0)),
                fix(out, 10.0, minutes_ago(1.0)),
            ],
        )
        .await;
        assert_eq!(alerts(&app, &w, "outside_activity_area").await.len(), 2);
    }
);

both!(
    accuracy_and_margin_prevent_false_alarms_at_the_edge,
    |app| {
        let w = World::build(&app).await;
        fence(&app, &w, home_area(&w)).await;
        // 60 m outside with 30 m accuracy (+50 m margin): could be inside. For 10 minutes.
        let edge = north(2060.0);
        let pts = (0..10)
            .map(|i| fix(edge, 30.0, minutes_ago(20.0 - f64::from(i))))
            .collect();
        send(&app, &w, pts).await;
        // Far out but with a useless 2 km fix.
        let vague = (0..5)
            .map(|i| fix(north(4000.0), 2000.0, minutes_ago(9.0 - f64::from(i))))
            .collect();
        send(&app, &w, vague).await;
        assert!(alerts(&app, &w, "outside_activity_area").await.is_empty());
        // 200 m outside with 30 m accuracy for 3 minutes: certain.
        let out = north(2200.0);
        send(
            &app,
            &w,
            vec![
                fix(out, 30.0, minutes_ago(4.0)),
                fix(out, 30.0, minutes_ago(1.0)),
            ],
        )
        .await;
        assert_eq!(alerts(&app, &w, "outside_activity_area").await.len(), 1);
    }
);

/// "HH:MM" in China time, `m` minutes from `at`.
fn hhmm(at: DateTime<Utc>, m: i64) -> String {
    let t = (at + Duration::minutes(m)).with_timezone(&local_offset());
    format!("{:02}:{:02}", t.hour(), t.minute())
}

both!(timed_exclusion_zones_switch_on_and_off, |app| {
    let w = World::build(&app).await;
    let bar = north(3000.0);
    let t0 = minutes_ago(120.0);
    // In force from 10 minutes before t0 to 20 minutes after, every day.
    let days = json!([1, 2, 3, 4, 5, 6, 7]);
    fence(&app, &w, json!({ "name": "酒吧", "kind": "exclusion_zone", "shape": { "type": "Circle", "center": [bar.1, bar.0], "radius_m": 300.0 }, "case_id": w.case_a1, "prohibition_order": 0, "schedule": { "windows": [{ "days": days, "start": hhmm(t0, -10), "end": hhmm(t0, 20) }] } })).await;
    // A school zone in force only at another time of day: never applies below.
    let school = north(3100.0);
    fence(&app, &w, json!({ "name": "学校", "kind": "exclusion_zone", "shape": { "type": "Circle", "center": [school.1, school.0], "radius_m": 300.0 }, "case_id": w.case_a1, "schedule": { "windows": [{ "days": days, "start": hhmm(t0, 60), "end": hhmm(t0, 61) }] } })).await;
    let at = |m: i64| t0 + Duration::minutes(m);
    // Inside the bar zone while it is in force, past the dwell: one alert.
    send(
        &app,
        &w,
        vec![
            fix(bar, 10.0, at(0)),
            fix(bar, 10.0, at(3)),
            fix(bar, 10.0, at(5)),
        ],
    )
    .await;
    let raised = alerts(&app, &w, "in_exclusion_zone").await;
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_eq!(raised[0].evidence["fence_name"], "酒吧");
    // Still there when the window closes: the rule no longer applies, the alert clears.
    send(
        &app,
        &w,
        vec![fix(bar, 10.0, at(25)), fix(bar, 10.0, at(40))],
    )
    .await;
    let after = alerts(&app, &w, "in_exclusion_zone").await;
    assert_eq!(after.len(), 1);
    assert!(after[0].cleared_at.is_some());
});

both!(approved_leave_suspends_the_activity_area, |app| {
    let w = World::build(&app).await;
    fence(&app, &w, home_area(&w)).await;
    let today = Utc::now().with_timezone(&local_offset()).date_naive();
    let (s, l) = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/cases/{}/leaves", w.case_a1), Some(json!({
            "reason_category": "medical", "reason_text": "就医", "destination": { "name": "西安", "lat": 34.26, "lon": 108.94 },
            "start_date": today, "end_date": today + Duration::days(2),
            "contact_while_away": "13800000000", "urgent": true, "submit": true })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    let (s, v) = app
        .post(
            &format!("/api/v1/leaves/{}/approve", l["id"].as_str().unwrap()),
            w.token("officer.a1"),
            json!({ "version": l["version"], "opinion": "同意" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Far away (Xi'an), for up to an hour: allowed. The leave starts at local midnight, so in
    // the first hour of the day (China time) the fixes span only the time since then.
    let local = Utc::now().with_timezone(&local_offset());
    let since_midnight = f64::from(local.num_seconds_from_midnight()) / 60.0;
    let span = (since_midnight - 0.05).clamp(0.01, 60.0);
    let away = (34.26, 108.94);
    send(
        &app,
        &w,
        (0..6)
            .map(|i| fix(away, 10.0, minutes_ago(span * (1.0 - f64::from(i) / 6.0))))
            .collect(),
    )
    .await;
    assert!(alerts(&app, &w, "outside_activity_area").await.is_empty());
});

both!(mock_locations_and_jumps_are_flagged, |app| {
    let w = World::build(&app).await;
    let mut fake = fix(HOME, 5.0, minutes_ago(30.0));
    fake["mock"] = json!(true);
    let mut fake2 = fake.clone();
    fake2["fix_time"] = json!(minutes_ago(29.0));
    send(&app, &w, vec![fake, fake2]).await;
    let mock = alerts(&app, &w, "mock_location").await;
    assert_eq!(mock.len(), 1);
    // A real fix clears it.
    send(&app, &w, vec![fix(HOME, 5.0, minutes_ago(20.0))]).await;
    assert!(alerts(&app, &w, "mock_location").await[0]
        .cleared_at
        .is_some());
    // 50 km in one minute.
    send(&app, &w, vec![fix(north(50_000.0), 5.0, minutes_ago(19.0))]).await;
    let jumps = alerts(&app, &w, "impossible_speed").await;
    assert_eq!(jumps.len(), 1);
    assert!(jumps[0].evidence["speed_mps"].as_f64().unwrap() > 500.0);
    // A car at 20 m/s is fine.
    send(
        &app,
        &w,
        vec![fix(north(50_000.0 + 1200.0), 5.0, minutes_ago(18.0))],
    )
    .await;
    assert_eq!(alerts(&app, &w, "impossible_speed").await.len(), 1);
});

both!(
    silence_raises_a_critical_alert_once_and_a_report_clears_it,
    |app| {
        let w = World::build(&app).await;
        send(&app, &w, vec![fix(HOME, 10.0, minutes_ago(1.0))]).await;
        let case_id: Uuid = w.case_a1.parse().unwrap();
        // Heard from last 45 minutes ago: more than 3 strict intervals of 10 minutes.
        let lp = last_position::Entity::find_by_id(case_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        last_position::ActiveModel {
            received_at: Set(Utc::now() - Duration::minutes(45)),
            ..lp.into()
        }
        .update(&app.state.db)
        .await
        .unwrap();
        let report = huijiao_server::app::run_jobs(&app.state).await.unwrap();
        assert!(report.count("locations.silence") >= 1, "{report:?}");
        huijiao_server::app::run_jobs(&app.state).await.unwrap();
        let silent = alerts(&app, &w, "location_silence").await;
        assert_eq!(silent.len(), 1);
        assert_eq!(silent[0].severity, AlertSeverity::Critical);
        let (_, pos) = app
            .get("/api/v1/locations/current", w.token("officer.a1"))
            .await;
        let me = pos["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["case_id"] == w.case_a1.as_str())
            .unwrap();
        assert_eq!(me["silent"], true);
        // The phone is back.
        send(&app, &w, vec![fix(HOME, 10.0, Utc::now())]).await;
        assert!(alerts(&app, &w, "location_silence").await[0]
            .cleared_at
            .is_some());
        // Case a2's phone never reported but was approved just now: not silent yet.
        let a2: Uuid = w.case_a2.parse().unwrap();
        let any_a2 = alert::Entity::find()
            .filter(alert::Column::CaseId.eq(a2))
            .filter(alert::Column::Kind.eq("location_silence"))
            .all(&app.state.db)
            .await
            .unwrap();
        assert!(any_a2.is_empty());
    }
);

both!(raw_points_are_thinned_then_deleted, |app| {
    let w = World::build(&app).await;
    let case_id: Uuid = w.case_a1.parse().unwrap();
    let now = Utc::now();
    // A bucket boundary to anchor the rows (15-minute buckets by default).
    let anchor = |days: i64| {
        let t = now - Duration::days(days);
        t - Duration::seconds(t.timestamp().rem_euclid(900))
    };
    let mut rows = vec![];
    for (days, count) in [(400, 3), (100, 10), (10, 10)] {
        for i in 0..count {
            rows.push((anchor(days) + Duration::seconds(i * 60), days));
        }
    }
    for (at, _) in &rows {
        location_point::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            case_id: Set(case_id),
            fix_time: Set(*at),
            lat: Set(HOME.0),
            lon: Set(HOME.1),
            accuracy_m: Set(10.0),
            speed_mps: Set(None),
            provider: Set("gps".into()),
            mock: Set(false),
            battery: Set(None),
            thinned: Set(false),
        }
        .insert(&app.state.db)
        .await
        .unwrap();
    }
    let purged =
        huijiao_server::locations::monitor::purge(&app.state.db, &app.state.config.location, now)
            .await
            .unwrap();
    // 3 past a year deleted; 10 within one 15-minute bucket after 90 days become 1; recent kept.
    assert_eq!(purged.deleted, 3);
    assert_eq!(purged.thinned, 9);
    assert_eq!(app.count("location_points").await, 11);
    // Running again changes nothing.
    let again =
        huijiao_server::locations::monitor::purge(&app.state.db, &app.state.config.location, now)
            .await
            .unwrap();
    assert_eq!(again, Default::default());
});

both!(
    a_supervisee_sees_their_alerts_and_areas_but_no_exclusion_zone,
    |app| {
        let w = World::build(&app).await;
        let area = fence(&app, &w, home_area(&w)).await;
        fence(&app, &w, json!({ "name": "被害人住所", "kind": "exclusion_zone", "shape": { "type": "Circle", "center": [103.9, 36.1], "radius_m": 300.0 }, "case_id": w.case_a1 })).await;
        let mut fake = fix(HOME, 5.0, minutes_ago(30.0));
        fake["mock"] = json!(true);
        send(&app, &w, vec![fake]).await;

        let (s, areas) = w.call(&app, "sv.a1", "GET", "/api/v1/me/areas", None).await;
        assert_eq!(s, StatusCode::OK, "{areas}");
        let ids: Vec<_> = areas
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].clone())
            .collect();
        assert_eq!(ids, [area["id"].clone()], "the activity area only: {areas}");
        let (s, own) = w
            .call(&app, "sv.a1", "GET", "/api/v1/me/alerts", None)
            .await;
        assert_eq!(s, StatusCode::OK, "{own}");
        let own = own["items"].as_array().unwrap();
        assert_eq!(own.len(), 1);
        assert_eq!(
            (
                own[0]["kind"].as_str(),
                own[0]["state"].as_str(),
                own[0]["title"].as_str()
            ),
            (Some("mock_location"), Some("open"), Some("疑似虚拟定位"))
        );
        assert!(
            own[0].get("evidence").is_none() && own[0].get("resolution_note").is_none(),
            "{own:?}"
        );
        // Another supervisee sees none of it; officers use the jurisdiction's lists.
        let (_, other) = w
            .call(&app, "sv.a2", "GET", "/api/v1/me/alerts", None)
            .await;
        assert_eq!(other, json!({ "items": [] }));
        let (_, other) = w.call(&app, "sv.a2", "GET", "/api/v1/me/areas", None).await;
        assert_eq!(other, json!([]));
        assert_eq!(
            app.get("/api/v1/me/alerts", w.token("officer.a1")).await.0,
            StatusCode::FORBIDDEN
        );
    }
);
