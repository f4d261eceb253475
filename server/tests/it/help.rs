//! Help sessions (帮教记录) and the volunteer service record: a volunteer of the team logs, a
//! resend is the same session, risks alert the officers, officers confirm or return, the
//! author amends, the record counts confirmed time only; bad input is refused by name.

use crate::common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{assert_problem, TestApp, World};
use serde_json::{json, Value};

fn session(id: uuid::Uuid, began_hours_ago: i64, minutes: u32, risks: Value) -> Value {
    json!({
        "id": id,
        "began_at": Utc::now() - Duration::hours(began_hours_ago),
        "minutes": minutes,
        "kind": "employment_help",
        "place": { "lat": 36.06, "lon": 103.83, "accuracy_m": 15.0, "fix_time": Utc::now() - Duration::hours(began_hours_ago), "provider": "gps", "mock": false },
        "notes": "陪同前往人社局登记求职，介绍两家招聘单位。",
        "risks": risks,
        "follow_up": "下周回访面试结果",
    })
}

both!(a_volunteer_logs_help_and_the_unit_confirms_it, |app| {
    let w = World::build(&app).await;
    let logs = format!("/api/v1/cases/{}/help-sessions", w.case_a1);
    let id = uuid::Uuid::now_v7();
    let body = session(id, 3, 90, json!(["no_job", "family_crisis", "no_job"]));

    // Only the team's volunteers log; the supervisee and officers do not.
    let got = w
        .call(
            &app,
            "volunteer.a1.other",
            "POST",
            &logs,
            Some(body.clone()),
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    for who in ["officer.a1", "sv.a1"] {
        let got = w.call(&app, who, "POST", &logs, Some(body.clone())).await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    }

    let (s, v) = w
        .call(&app, "volunteer.a1", "POST", &logs, Some(body.clone()))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "logged");
    assert_eq!(v["risks"], json!(["no_job", "family_crisis"]), "each once");
    assert_eq!(v["author_name"], "volunteer.a1");
    assert_eq!(v["place"]["lat"], 36.06);
    // A family in crisis calls for the officer the same day.
    let alerts = common::open_alerts_of_kind(&app, &w, "help_risk_flagged").await;
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0]["severity"], "high");
    assert_eq!(v["alert_id"], alerts[0]["id"]);

    // The outbox's resend: the same session, nothing new.
    let (s, again) = w
        .call(&app, "volunteer.a1", "POST", &logs, Some(body.clone()))
        .await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["id"], v["id"]);
    assert_eq!(app.count("help_sessions").await, 1);
    assert_eq!(
        common::open_alerts_of_kind(&app, &w, "help_risk_flagged")
            .await
            .len(),
        1
    );
    // An id already taken by another session is refused, not merged.
    let mut other = body.clone();
    other["minutes"] = json!(30);
    let got = w
        .call(&app, "volunteer.a1", "POST", &logs, Some(other))
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "help.id_taken");

    // Who reads it: the officers of the case and its author; another volunteer sees none.
    let (_, waiting) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/help-sessions?status=logged",
            None,
        )
        .await;
    assert_eq!(waiting["items"].as_array().unwrap().len(), 1, "{waiting}");
    let (_, mine) = w
        .call(
            &app,
            "volunteer.a1.other",
            "GET",
            "/api/v1/help-sessions",
            None,
        )
        .await;
    assert_eq!(mine, json!({ "items": [] }));
    let one = format!("/api/v1/help-sessions/{id}");
    let got = w.call(&app, "volunteer.a1.other", "GET", &one, None).await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    let got = w.call(&app, "officer.b1", "GET", &one, None).await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

    // Returned with what to correct (a note is required), amended at the version seen.
    let review = format!("{one}/review");
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &review,
            Some(json!({ "confirm": false, "version": 1 })),
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
            "volunteer.a1",
            "POST",
            &review,
            Some(json!({ "confirm": true, "version": 1 })),
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &review,
            Some(json!({ "confirm": false, "note": "时长请按实际填写", "version": 1 })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "returned");
    assert_eq!(v["review_note"], "时长请按实际填写");
    let amend = json!({ "began_at": body["began_at"], "minutes": 60, "kind": "employment_help",
        "notes": "陪同前往人社局登记求职。", "risks": ["no_job", "family_crisis", "serious_illness"],
        "follow_up": null, "version": 1 });
    let got = w
        .call(&app, "volunteer.a1", "PUT", &one, Some(amend.clone()))
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "resource.conflict");
    let mut amend = amend;
    amend["version"] = v["version"].clone();
    let got = w
        .call(&app, "volunteer.a1.other", "PUT", &one, Some(amend.clone()))
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    let (s, v) = w
        .call(&app, "volunteer.a1", "PUT", &one, Some(amend.clone()))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["minutes"].as_u64()),
        (Some("logged"), Some(60))
    );
    // Only the newly flagged risk raises a new alert.
    let alerts = common::open_alerts_of_kind(&app, &w, "help_risk_flagged").await;
    assert_eq!(alerts.len(), 2);
    assert!(
        alerts
            .iter()
            .any(|a| a["evidence"]["risks"] == json!(["serious_illness"])
                && a["severity"] == "medium"),
        "{alerts:?}"
    );
    // Sent again (a stale screen): it waits for the unit now, so there is nothing to amend.
    let got = w.call(&app, "volunteer.a1", "PUT", &one, Some(amend)).await;
    assert_problem(&got, StatusCode::CONFLICT, "help.transition_invalid");

    // Both sides comment.
    let (s, v) = w
        .call(
            &app,
            "volunteer.a1",
            "POST",
            &format!("{one}/comments"),
            Some(json!({ "text": "已按实际时长更正" })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &format!("{one}/comments"),
            Some(json!({ "text": "收到" })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let roles: Vec<&str> = v["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["author_role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["volunteer", "officer"]);

    // Confirmed: audited, and then it is a record nobody changes.
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &review,
            Some(json!({ "confirm": true, "version": v["version"] })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "confirmed");
    let got = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &review,
            Some(json!({ "confirm": false, "note": "x", "version": v["version"] })),
        )
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "help.transition_invalid");
    let (_, audit) = app
        .get(
            "/api/v1/audit?action=help_session.confirmed",
            w.token("auditadmin"),
        )
        .await;
    assert_eq!(audit["items"].as_array().map_or(0, Vec::len), 1, "{audit}");

    // A second session, still waiting: in the record's `waiting`, not its minutes.
    let second = session(uuid::Uuid::now_v7(), 30, 45, json!([]));
    let (s, v) = w
        .call(&app, "volunteer.a1", "POST", &logs, Some(second))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["alert_id"], Value::Null, "no risk, no alert");

    let vol_id = w.user_id(&app, "volunteer.a1").await;
    let record = format!("/api/v1/volunteers/{vol_id}/service-record");
    let (s, r) = w.call(&app, "volunteer.a1", "GET", &record, None).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["total_minutes"], 60, "{r}");
    assert_eq!(
        r["months"][0]["by_kind"],
        json!([{ "kind": "employment_help", "minutes": 60 }])
    );
    assert_eq!(r["waiting"], 1);
    let (s, r) = w.call(&app, "officer.a1", "GET", &record, None).await;
    assert_eq!((s, r["total_minutes"].as_u64()), (StatusCode::OK, Some(60)));
    for who in ["volunteer.a1.other", "officer.b1"] {
        let got = w.call(&app, who, "GET", &record, None).await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    }
    let got = w
        .call(
            &app,
            "volunteer.a1",
            "GET",
            &format!("{record}?year=1999"),
            None,
        )
        .await;
    assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request.invalid_field",
    );
    let (_, audit) = app
        .get(
            "/api/v1/audit?action=help.service_record_read",
            w.token("auditadmin"),
        )
        .await;
    assert_eq!(
        audit["items"].as_array().map_or(0, Vec::len),
        1,
        "the officer's read: {audit}"
    );

    // Coverage: office A1 has one supervisee and one helper; office A2 one and none.
    let (s, cov) = w
        .call(
            &app,
            "officer.county_a",
            "GET",
            "/api/v1/help/coverage",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{cov}");
    let row = |unit: &str| {
        cov.as_array()
            .unwrap()
            .iter()
            .find(|r| r["unit_id"] == unit)
            .cloned()
            .unwrap()
    };
    let a1 = row(&w.office_a1);
    assert_eq!(
        (
            a1["supervisees"].as_u64(),
            a1["helpers"].as_u64(),
            a1["target_met"].as_bool()
        ),
        (Some(1), Some(1), Some(true)),
        "{a1}"
    );
    let county = row(&w.county_a);
    assert_eq!(
        (
            county["supervisees"].as_u64(),
            county["helpers"].as_u64(),
            county["without_helper"].as_u64(),
            county["target_met"].as_bool()
        ),
        (Some(2), Some(1), Some(1), Some(true)),
        "{county}"
    );
});

both!(help_sessions_refuse_bad_input_by_name, |app| {
    let w = World::build(&app).await;
    let logs = format!("/api/v1/cases/{}/help-sessions", w.case_a1);
    let mut cases: Vec<(Value, &str, &str)> = vec![];
    let base = || session(uuid::Uuid::now_v7(), 3, 60, json!([]));
    let mut b = base();
    b["minutes"] = json!(0);
    cases.push((b, "request.invalid_field", "minutes"));
    let mut b = base();
    b["minutes"] = json!(721);
    cases.push((b, "request.invalid_field", "minutes"));
    let mut b = base();
    b["notes"] = json!("   ");
    cases.push((b, "request.invalid_field", "notes"));
    let mut b = base();
    b["place"]["lat"] = json!(91.0);
    cases.push((b, "request.invalid_field", "place"));
    let mut b = base();
    b["place"]["accuracy_m"] = json!(-1.0);
    cases.push((b, "request.invalid_field", "place.accuracy_m"));
    let mut b = base();
    b["risks"] = json!(["no_job", "no_job", "no_job", "no_job", "no_job", "no_job", "no_job"]);
    cases.push((b, "request.invalid_field", "risks"));
    let mut b = base();
    b["follow_up"] = json!("x".repeat(5001));
    cases.push((b, "request.invalid_field", "follow_up"));
    // Not over yet: an hour ago for two hours.
    let b = session(uuid::Uuid::now_v7(), 1, 120, json!([]));
    cases.push((b, "help.not_over", ""));
    let b = session(uuid::Uuid::now_v7(), 32 * 24, 60, json!([]));
    cases.push((b, "help.too_old", ""));
    let mut b = base();
    b["kind"] = json!("gossip");
    cases.push((b, "request.invalid_field", "kind"));
    for (body, code, field) in cases {
        let (s, v) = w
            .call(&app, "volunteer.a1", "POST", &logs, Some(body.clone()))
            .await;
        assert_eq!(v["code"], code, "{body}: {s} {v}");
        if !field.is_empty() {
            assert_eq!(v["errors"][0]["field"], field, "{v}");
        }
    }
    assert_eq!(app.count("help_sessions").await, 0, "nothing half-written");
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            "/api/v1/help-sessions?status=someday",
            None,
        )
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status")),
        "{v}"
    );

    // The other writes name their bad fields too, and change nothing.
    let one = session(uuid::Uuid::now_v7(), 3, 60, json!([]));
    let (s, v) = w
        .call(&app, "volunteer.a1", "POST", &logs, Some(one.clone()))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let at = format!("/api/v1/help-sessions/{}", v["id"].as_str().unwrap());
    for (who, method, path, body, field) in [
        (
            "volunteer.a1",
            "POST",
            format!("{at}/comments"),
            json!({ "text": "  " }),
            "text",
        ),
        (
            "officer.a1",
            "POST",
            format!("{at}/review"),
            json!({ "confirm": false, "note": " ", "version": 1 }),
            "note",
        ),
        (
            "officer.a1",
            "POST",
            format!("{at}/review"),
            json!({ "confirm": true, "note": "x".repeat(2001), "version": 1 }),
            "note",
        ),
    ] {
        let (s, v) = w.call(&app, who, method, &path, Some(body)).await;
        assert_eq!(
            (s, v["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{path}: {v}"
        );
    }
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &format!("{at}/review"),
            Some(json!({ "confirm": false, "note": "请补充", "version": 1 })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut amend = json!({ "began_at": one["began_at"], "minutes": 0, "kind": "talk", "notes": "x",
        "risks": [], "follow_up": null, "version": v["version"] });
    let (s, v2) = w
        .call(&app, "volunteer.a1", "PUT", &at, Some(amend.clone()))
        .await;
    assert_eq!(
        (s, v2["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("minutes")),
        "{v2}"
    );
    amend["minutes"] = json!(60);
    amend["began_at"] = json!(Utc::now() + Duration::hours(1));
    let got = w.call(&app, "volunteer.a1", "PUT", &at, Some(amend)).await;
    assert_problem(&got, StatusCode::UNPROCESSABLE_ENTITY, "help.not_over");
    let (_, still) = w.call(&app, "officer.a1", "GET", &at, None).await;
    assert_eq!(
        (
            still["status"].as_str(),
            still["version"].clone(),
            still["comments"].clone()
        ),
        (Some("returned"), v["version"].clone(), json!([]))
    );

    // A closed case takes no new sessions.
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
    let got = w
        .call(&app, "volunteer.a1", "POST", &logs, Some(base()))
        .await;
    assert_problem(&got, StatusCode::CONFLICT, "case.closed");
});

both!(
    a_certificate_is_issued_rendered_and_checked_by_its_number,
    |app| {
        let w = World::build(&app).await;
        let logs = format!("/api/v1/cases/{}/help-sessions", w.case_a1);
        let s1 = session(uuid::Uuid::now_v7(), 3, 150, json!([]));
        let (s, v) = w
            .call(&app, "volunteer.a1", "POST", &logs, Some(s1.clone()))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!("/api/v1/help-sessions/{}/review", v["id"].as_str().unwrap()),
                Some(json!({ "confirm": true, "version": 1 })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let month = huijiao_core::policy::calendar::month_of(
            chrono::DateTime::parse_from_rfc3339(s1["began_at"].as_str().unwrap())
                .unwrap()
                .into(),
        );
        let vol_id = w.user_id(&app, "volunteer.a1").await;
        let issue = format!("/api/v1/volunteers/{vol_id}/certificates");
        let body = json!({ "from_month": month, "to_month": month });

        // Officers of the volunteer's jurisdiction issue; nobody else.
        let got = w
            .call(&app, "volunteer.a1", "POST", &issue, Some(body.clone()))
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        let got = w
            .call(&app, "officer.b1", "POST", &issue, Some(body.clone()))
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &issue,
                Some(json!({ "from_month": "2025-01", "to_month": "2025-02" })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "help.nothing_to_certify",
        );
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &issue,
                Some(json!({ "from_month": month, "to_month": "2025-01" })),
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
                &issue,
                Some(json!({ "from_month": "2026-13", "to_month": month })),
            )
            .await;
        assert_eq!(got.1["errors"][0]["field"], "from_month", "{}", got.1);
        assert_eq!(app.count("service_certificates").await, 0);

        let (s, cert) = w.call(&app, "officer.a1", "POST", &issue, Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{cert}");
        assert_eq!(
            (cert["minutes"].as_u64(), cert["sessions"].as_u64()),
            (Some(150), Some(1))
        );
        assert_eq!(
            cert["by_kind"],
            json!([{ "kind": "employment_help", "minutes": 150 }])
        );
        let number = cert["number"].as_str().unwrap().to_owned();
        let (_, listed) = w.call(&app, "volunteer.a1", "GET", &issue, None).await;
        assert_eq!(listed["items"][0]["number"], number.as_str());

        // Anyone holding the number checks it, without signing in, however they typed it.
        let typed = number.replace('-', "").to_lowercase();
        let (s, checked) = app
            .call("GET", &format!("/api/v1/certificates/{typed}"), None, None)
            .await;
        assert_eq!(s, StatusCode::OK, "{checked}");
        assert_eq!(checked["number"], number.as_str());
        assert_eq!(checked["minutes"], 150);
        assert_eq!(
            checked["volunteer_name_masked"],
            huijiao_core::policy::mask_name("volunteer.a1")
        );
        let mut mistyped = number.clone();
        let last = mistyped.pop().unwrap();
        mistyped.push(if last == '0' { '1' } else { '0' });
        // A mistyped character is caught by the check character; what is no number at all
        // says how one reads; a well-formed number nobody issued is not found.
        for (wrong, status, code) in [
            (
                mistyped.as_str(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "certificate.check_mismatch",
            ),
            (
                "ZY-2026-0000",
                StatusCode::UNPROCESSABLE_ENTITY,
                "certificate.number_invalid",
            ),
            (
                "anything",
                StatusCode::UNPROCESSABLE_ENTITY,
                "certificate.number_invalid",
            ),
            (
                "ZY-2026-000000000000-0",
                StatusCode::NOT_FOUND,
                "resource.not_found",
            ),
        ] {
            let got = app
                .call("GET", &format!("/api/v1/certificates/{wrong}"), None, None)
                .await;
            assert_problem(&got, status, code);
            if status != StatusCode::NOT_FOUND {
                assert_eq!(got.1["errors"][0]["field"], "number", "{}", got.1);
            }
        }

        // The PDF: for the volunteer and the officers, a real PDF whose text is the certificate.
        let pdf_path = format!("/api/v1/certificates/{number}/pdf");
        let got = w.call(&app, "officer.b1", "GET", &pdf_path, None).await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let (s, headers, bytes) = app
            .call_raw(
                "GET",
                &pdf_path,
                Some(w.token("volunteer.a1")),
                &[],
                None,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers["content-type"], "application/pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(
            bytes.len() < 200_000,
            "only the glyphs used are embedded: {} bytes",
            bytes.len()
        );
        let text = common::pdf_text(&bytes);
        for want in [
            "志愿服务证明",
            "volunteer.a1",
            "2小时30分钟",
            "就业帮扶",
            &number,
            // Checked at the address people reach, not a path on no server.
            &format!("https://huijiao.example/api/v1/certificates/{number}"),
        ] {
            assert!(text.contains(want), "{want} missing from: {text}");
        }
        common::assert_in_words(
            &text,
            &[
                "volunteer.a1",
                "https://huijiao.example/api/v1/certificates/",
            ],
        );
        common::assert_pdf_renders(&bytes);
    }
);

both!(
    certificate_numbers_that_miss_are_limited_per_address,
    |app| {
        let app = TestApp::with_config(app.backend, |c| {
            c.trust_forwarded_for = true;
            c.auth.address_max_failures = 3;
        })
        .await;
        let lookup = |ip: &'static str, number: &'static str| {
            let app = &app;
            async move {
                let (s, _, b) = app
                    .call_raw(
                        "GET",
                        &format!("/api/v1/certificates/{number}"),
                        None,
                        &[("x-forwarded-for", ip)],
                        None,
                        None,
                    )
                    .await;
                (s, serde_json::from_slice::<Value>(&b).unwrap())
            }
        };
        for _ in 0..3 {
            let got = lookup("203.0.113.7", "ZY-2026-0000000000000").await;
            assert_eq!(got.0, StatusCode::NOT_FOUND, "{}", got.1);
        }
        // The fourth try from that address waits; another address is not held up by it.
        let got = lookup("203.0.113.7", "ZY-2026-0000000000000").await;
        assert_problem(&got, StatusCode::TOO_MANY_REQUESTS, "help.too_many_lookups");
        let got = lookup("198.51.100.4", "ZY-2026-0000000000000").await;
        assert_eq!(got.0, StatusCode::NOT_FOUND, "{}", got.1);
    }
);
