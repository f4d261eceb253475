//! Bad input gets the one error envelope, in the asked language, and writes nothing.

use crate::common;

use axum::http::StatusCode;
use common::{case_body, World};
use serde_json::{json, Value};

/// What is sent, how it is labelled, and what must come back: status, code, field.
type BadCase<'a> = (
    &'a str,
    Vec<u8>,
    &'a str,
    StatusCode,
    &'a str,
    Option<&'a str>,
);

async fn send(
    app: &common::TestApp,
    token: &str,
    body: Vec<u8>,
    content_type: &str,
    lang: &str,
) -> (StatusCode, Value, axum::http::HeaderMap) {
    let (s, h, b) = app
        .call_raw(
            "POST",
            "/api/v1/cases",
            Some(token),
            &[("accept-language", lang)],
            Some(body),
            Some(content_type),
        )
        .await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null), h)
}

both!(bad_bodies_get_the_envelope_and_write_nothing, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    let cases_before = app.count("cases").await;
    let audit_before = app.count("audit_entries").await;
    let good = case_body(&w.office_a1, 50, false);
    let with = |field: &str, value: Value| {
        let mut b = good.clone();
        b[field] = value;
        b.to_string().into_bytes()
    };
    let mut unknown_field = good.clone();
    unknown_field["is_admin"] = json!(true);
    let mut nested = good.clone();
    nested["residence"]["lat"] = json!("north");
    let mut nan_like = good.clone();
    nan_like["residence"]["lat"] = json!(999.0);
    let cases: Vec<BadCase> = vec![
        (
            "malformed",
            b"{\"name\": ".to_vec(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "request.malformed_json",
            None,
        ),
        (
            "not json at all",
            b"name=x".to_vec(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "request.malformed_json",
            None,
        ),
        (
            "wrong content type",
            good.to_string().into_bytes(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type",
            None,
        ),
        (
            "wrong type",
            with("minor", json!("yes")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("minor"),
        ),
        (
            "unknown enum",
            with("sentence_kind", json!("house_arrest")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("sentence_kind"),
        ),
        (
            "missing field",
            {
                let mut b = good.clone();
                b.as_object_mut().unwrap().remove("court");
                b.to_string().into_bytes()
            },
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("court"),
        ),
        (
            "missing nested field",
            {
                let mut b = good.clone();
                b["residence"].as_object_mut().unwrap().remove("lat");
                b.to_string().into_bytes()
            },
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("residence.lat"),
        ),
        (
            "unknown field",
            unknown_field.to_string().into_bytes(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            None,
        ),
        (
            "nested wrong type",
            nested.to_string().into_bytes(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("residence.lat"),
        ),
        (
            "latitude out of range",
            nan_like.to_string().into_bytes(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("residence"),
        ),
        (
            "bad date",
            with("start_date", json!("2026-02-30")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("start_date"),
        ),
        (
            "end before start",
            with("end_date", json!("2025-01-01")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "case.dates_invalid",
            None,
        ),
        (
            "bad national id",
            with("national_id", json!("110105194912310021")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "case.national_id_invalid",
            Some("national_id"),
        ),
        (
            "empty name",
            with("name", json!("   ")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("name"),
        ),
        (
            "control characters",
            with("name", json!("a\u{0}b")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("name"),
        ),
        (
            "a valid body followed by more bytes",
            format!("{good}GARBAGE").into_bytes(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "request.malformed_json",
            None,
        ),
        (
            "two JSON values",
            format!("{good} {good}").into_bytes(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "request.malformed_json",
            None,
        ),
        (
            "a line break in a one-line field",
            with("name", json!("马小\n军")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("name"),
        ),
        (
            "right-to-left override",
            with("name", json!("马小军\u{202E}fdp")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("name"),
        ),
        (
            "zero-width characters only",
            with("name", json!("\u{200B}\u{200C}")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("name"),
        ),
        (
            "byte-order mark",
            with("court", json!("\u{FEFF}兰州市城关区人民法院")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("court"),
        ),
        (
            "noncharacter",
            with("crime", json!("盗窃\u{FFFF}")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("crime"),
        ),
        (
            "unit outside jurisdiction",
            with("unit_id", json!(w.office_b1)),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
            Some("unit_id"),
        ),
        (
            "oversize",
            {
                let mut b = good.clone();
                b["crime"] = json!("x".repeat(2 * 1024 * 1024));
                b.to_string().into_bytes()
            },
            "application/json",
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.body_too_large",
            None,
        ),
    ];
    for (what, body, ct, status, code, field) in cases {
        let (s, v, h) = send(&app, t, body, ct, "en").await;
        assert_eq!((s, v["code"].as_str()), (status, Some(code)), "{what}: {v}");
        assert_eq!(
            h.get("content-type").unwrap(),
            "application/problem+json",
            "{what}"
        );
        assert_eq!(v["status"].as_u64(), Some(status.as_u16() as u64), "{what}");
        assert!(v["request_id"].is_string(), "{what}");
        assert_eq!(
            v["detail"],
            huijiao_core::ErrorCode::from_code(code)
                .unwrap()
                .message(huijiao_core::Lang::En),
            "{what}"
        );
        if let Some(f) = field {
            assert_eq!(v["errors"][0]["field"], f, "{what}: {v}");
        }
    }
    assert_eq!(app.count("cases").await, cases_before, "nothing written");
    assert_eq!(
        app.count("audit_entries").await,
        audit_before,
        "no half-written audit"
    );
    // The good body still works after all that.
    let (s, _, _) = send(
        &app,
        t,
        good.to_string().into_bytes(),
        "application/json",
        "en",
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
});

both!(errors_speak_the_asked_language, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    let body = || b"{".to_vec();
    let (_, zh, h) = send(&app, t, body(), "application/json", "zh-CN,zh;q=0.9").await;
    assert_eq!(zh["detail"], "请求体不是有效的 JSON。");
    assert_eq!(h.get("content-language").unwrap(), "zh-CN");
    let (_, en, h) = send(&app, t, body(), "application/json", "en-GB,en;q=0.8").await;
    assert_eq!(en["detail"], "The request body is not valid JSON.");
    assert_eq!(h.get("content-language").unwrap(), "en");
    assert_eq!(
        zh["code"], en["code"],
        "the machine code does not change with the language"
    );
    let (_, fr, _) = send(&app, t, body(), "application/json", "fr").await;
    assert_eq!(
        fr["detail"], zh["detail"],
        "unsupported languages fall back to Chinese"
    );

    // Field messages too: ours, serde's and the face engine's.
    let mut bad = common::case_body(&w.office_a1, 60, false);
    bad["name"] = json!("\u{202E}x");
    let (_, zh, _) = send(
        &app,
        t,
        bad.to_string().into_bytes(),
        "application/json",
        "zh-CN",
    )
    .await;
    let (_, en, _) = send(
        &app,
        t,
        bad.to_string().into_bytes(),
        "application/json",
        "en",
    )
    .await;
    assert_eq!(zh["errors"][0]["message"], "不能含文字方向控制字符", "{zh}");
    assert_eq!(
        en["errors"][0]["message"], "no text-direction control characters",
        "{en}"
    );
    bad = common::case_body(&w.office_a1, 60, false);
    bad["sentence_kind"] = json!("house_arrest");
    let (_, zh, _) = send(
        &app,
        t,
        bad.to_string().into_bytes(),
        "application/json",
        "zh-CN",
    )
    .await;
    assert_eq!(
        zh["errors"][0]["message"],
        "不是允许的取值，应为 probation、parole、surveillance、medical_parole",
        "{zh}"
    );
    assert!(
        !zh.to_string().contains("house_arrest"),
        "the value is not echoed: {zh}"
    );
    let (_, zh, _) = send(&app, t, b"{\"x\":1}".to_vec(), "application/json", "zh-CN").await;
    assert!(
        zh["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_ascii()),
        "{zh}"
    );
});

both!(a_body_must_be_an_object, |app| {
    // serde fills a struct from an array of its fields in order: `[]` made a check-in request
    // whose fields are all optional (found by schemathesis).
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    let path = format!("/api/v1/cases/{}/checkin-requests", w.case_a1);
    for body in ["[]", " [null]", "\"x\"", "7"] {
        let (s, _, v) = app
            .call_raw(
                "POST",
                &path,
                Some(t),
                &[],
                Some(body.as_bytes().to_vec()),
                Some("application/json"),
            )
            .await;
        let v: Value = serde_json::from_slice(&v).unwrap();
        assert_eq!(
            (s, v["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("request.invalid_field")
            ),
            "{body}: {v}"
        );
    }
    assert_eq!(app.count("checkin_requests").await, 0);
});

both!(bad_urls_and_methods_get_the_envelope, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    // An id that cannot be one names nothing: 404, and the code says why (a format the
    // export does not offer, like `export.xlsx` beside `export.csv`, is no resource either).
    for path in ["/api/v1/cases/not-a-uuid", "/api/v1/cases/export.xlsx"] {
        let (s, v) = app.get(path, t).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("request.invalid_path")),
            "{path}"
        );
    }
    let (s, v) = app.get("/api/v1/cases?status=paroled", t).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("request.invalid_query"))
    );
    assert_eq!(
        v["errors"][0]["field"], "status",
        "the parameter is named: {v}"
    );
    let (s, v) = app.get("/api/v1/cases?limit=many", t).await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("limit")),
        "{v}"
    );
    let (_, v) = app.get("/api/v1/cases?colour=red", t).await;
    assert_eq!(
        (v["code"].as_str(), v["errors"][0]["field"].as_str()),
        (Some("request.invalid_query"), Some("colour")),
        "{v}"
    );
    // An open vocabulary (apps read values they do not know as `unknown`) is still strict
    // on the way in: a filter on a state that does not exist is refused, not an empty list.
    for state in ["unknown", "escalated"] {
        common::assert_problem(
            &app.get(&format!("/api/v1/alerts?state={state}"), t).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
    }
    let (s, v) = app.get("/api/v1/cases?limit=100000", t).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("request.invalid_field")
        )
    );
    let (s, v) = app.get("/api/v1/no-such-thing", t).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("resource.not_found"))
    );
    let (s, v) = app.call("DELETE", "/api/v1/cases", Some(t), None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(v["code"], "resource.not_found");
    let (s, v) = app
        .get(&format!("/api/v1/cases/{}", uuid::Uuid::now_v7()), t)
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("resource.not_found"))
    );
});

both!(a_refused_field_is_named_in_both_languages, |app| {
    let w = World::build(&app).await;
    let token = w.token("officer.a1");
    let ask = |lang: &'static str, body: serde_json::Value| {
        let app = &app;
        async move {
            let (s, _, b) = app
                .call_raw(
                    "POST",
                    "/api/v1/cases",
                    Some(token),
                    &[("accept-language", lang)],
                    Some(body.to_string().into_bytes()),
                    Some("application/json"),
                )
                .await;
            (s, serde_json::from_slice::<serde_json::Value>(&b).unwrap())
        }
    };
    let before = app.count("cases").await;
    let good = common::case_body(&w.office_a1, 77, false);
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("court");
    let mut bad_date = good.clone();
    bad_date["start_date"] = json!("2026/12/01");
    for (body, field, zh, en) in [
        (missing, "court", "缺少必填字段 court", "court is required"),
        (
            bad_date,
            "start_date",
            "日期格式应为 YYYY-MM-DD",
            "a date as YYYY-MM-DD",
        ),
    ] {
        let (s, v) = ask("zh-CN", body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["errors"][0]["field"], field, "{v}");
        assert!(
            v["errors"][0]["message"].as_str().unwrap().contains(zh),
            "{v}"
        );
        let (_, v) = ask("en", body).await;
        assert_eq!(v["errors"][0]["field"], field, "{v}");
        assert!(
            v["errors"][0]["message"].as_str().unwrap().contains(en),
            "{v}"
        );
    }
    assert_eq!(app.count("cases").await, before);
});

both!(a_period_takes_a_date_as_the_whole_day_in_china, |app| {
    let w = World::build(&app).await;
    // The audit log and roll-call statistics take a date where a moment is asked.
    for (who, path) in [
        ("auditadmin", "/api/v1/audit?from=2026-12-01&to=2026-12-01"),
        (
            "officer.a1",
            "/api/v1/roll-calls/stats?from=2026-12-01&to=2026-12-07",
        ),
        (
            "officer.a1",
            "/api/v1/roll-calls?from=2026-12-01T00:00:00%2B08:00",
        ),
    ] {
        let (s, v) = w.call(&app, who, "GET", path, None).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
    }
    let (s, v) = w
        .call(
            &app,
            "auditadmin",
            "GET",
            "/api/v1/audit?from=12%2F01%2F2026",
            None,
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("request.invalid_query")),
        "{v}"
    );
    assert_eq!(v["errors"][0]["field"], "from", "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("YYYY-MM-DD"),
        "{v}"
    );
});
