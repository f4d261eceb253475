//! The audit log: writes and sensitive reads are recorded; the hash chain verifies and
//! catches an edited, deleted or truncated row.

use crate::common;

use axum::http::StatusCode;
use common::World;
use sea_orm::{ConnectionTrait, Statement};

async fn exec(app: &common::TestApp, sql: &str) {
    app.state
        .db
        .execute(Statement::from_string(
            app.state.db.get_database_backend(),
            sql,
        ))
        .await
        .unwrap();
}

both!(writes_and_sensitive_reads_are_recorded, |app| {
    let w = World::build(&app).await;
    let path = format!("/api/v1/cases/{}", w.case_a1);
    let (s, _) = app.get(&path, w.token("officer.a1")).await;
    assert_eq!(s, StatusCode::OK);
    let aa = w.token("auditadmin");
    let (s, entries) = app
        .get(
            &format!("/api/v1/audit?target_kind=case&target_id={}", w.case_a1),
            aa,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let actions: Vec<&str> = entries["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "case.read",
        "team.member_added",
        "device.approved",
        "case.login_issued",
        "case.announced",
        "case.created",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let read = entries["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "case.read")
        .unwrap();
    assert_eq!(read["actor_role"], "officer");
    assert!(
        read["request_id"].is_string(),
        "from where: the request id is kept"
    );
    // Failed logins are recorded too, and the audit admin's own queries.
    app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(serde_json::json!({ "username": "officer.a1", "password": "nope-nope-nope" })),
    )
    .await;
    let (_, entries) = app.get("/api/v1/audit?action=auth.login_failed", aa).await;
    assert_eq!(entries["items"].as_array().unwrap().len(), 1);
    let (_, entries) = app
        .get("/api/v1/audit?action=audit.queried&limit=500", aa)
        .await;
    assert!(entries["items"].as_array().unwrap().len() >= 2);
    // Nothing personal is written into the log.
    let (_, all) = app.get("/api/v1/audit?limit=500", aa).await;
    let text = all.to_string();
    assert!(
        !text.contains("测试人") && !text.contains(&common::national_id(1)),
        "PII in the audit log"
    );
});

both!(chain_verifies_and_detects_tampering, |app| {
    let _w = World::build(&app).await;
    let aa = _w.token("auditadmin");
    let (s, v) = app.get("/api/v1/audit/verify", aa).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["ok"], true, "{v}");
    assert!(v["checked"].as_i64().unwrap() > 20);

    // Someone with database access rewrites who did something.
    exec(
        &app,
        "UPDATE audit_entries SET action = 'case.read' WHERE seq = 5",
    )
    .await;
    let (_, v) = app.get("/api/v1/audit/verify", aa).await;
    assert_eq!(
        (v["ok"].as_bool(), v["first_broken_seq"].as_i64()),
        (Some(false), Some(5)),
        "{v}"
    );
});

both!(chain_detects_deleted_and_truncated_rows, |app| {
    let _w = World::build(&app).await;
    let verify = || huijiao_server::audit::verify(&app.state.db);
    assert!(verify().await.unwrap().ok);
    let n = app.count("audit_entries").await;
    // Removing the newest entries: the head no longer matches.
    exec(
        &app,
        &format!("DELETE FROM audit_entries WHERE seq >= {}", n - 1),
    )
    .await;
    let v = verify().await.unwrap();
    assert!(!v.ok);
    assert_eq!(v.first_broken_seq, Some(n - 1));
    // Removing one in the middle: a gap.
    exec(&app, "DELETE FROM audit_entries WHERE seq = 7").await;
    let v = verify().await.unwrap();
    assert_eq!((v.ok, v.first_broken_seq), (false, Some(7)));
});

both!(concurrent_writers_keep_the_chain_linear, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1").to_owned();
    let mut handles = vec![];
    for i in 0..8 {
        let path = format!("/api/v1/cases/{}/team", w.case_a1);
        let t = t.clone();
        let router = app.router.clone();
        handles.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::post(path)
                .header("authorization", format!("Bearer {t}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    serde_json::json!({ "kind": "family", "name": format!("亲属{i}") }).to_string(),
                ))
                .unwrap();
            router.oneshot(req).await.unwrap().status()
        }));
    }
    for h in handles {
        assert_eq!(h.await.unwrap(), StatusCode::CREATED);
    }
    let v = huijiao_server::audit::verify(&app.state.db).await.unwrap();
    assert!(v.ok, "{v:?}");
});
