//! The officer's work queue (`GET /me/queue`): what waits at the caller's level in their
//! jurisdiction, named as lists name people, in the reader's language, gone once settled.

use crate::common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::World;
use huijiao_core::api::{QueueKind, WorkQueueView};
use huijiao_core::model::{AlertKind, AlertSeverity};
use huijiao_core::policy::calendar;
use serde_json::json;

async fn queue(app: &common::TestApp, w: &World, who: &str, lang: &str) -> WorkQueueView {
    let (s, _, b) = app
        .call_raw(
            "GET",
            "/api/v1/me/queue",
            Some(w.token(who)),
            &[("accept-language", lang)],
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    serde_json::from_slice(&b).unwrap()
}

fn kinds(q: &WorkQueueView) -> Vec<QueueKind> {
    q.items.iter().map(|i| i.kind).collect()
}

both!(
    the_work_queue_holds_what_waits_at_the_callers_level,
    |app| {
        let w = World::build(&app).await;
        let today = calendar::local_date(Utc::now());
        // A three-day leave (the office decides), a visitor who needs approval, an urgent alert,
        // a proposed sanction (the county decides).
        let (s, leave) = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/cases/{}/leaves", w.case_a1), Some(json!({
            "reason_category": "medical", "reason_text": "陪同母亲就医",
            "destination": { "name": "西安市第一医院", "lat": 34.26, "lon": 108.94 },
            "start_date": today + Duration::days(10), "end_date": today + Duration::days(12),
            "contact_while_away": "13800000000", "urgent": false, "submit": true,
        })))
        .await;
        assert_eq!(s, StatusCode::CREATED, "{leave}");
        let (s, v) = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/cases/{}/visitors", w.case_a1), Some(json!({
            "visitor_name": "王某", "relation": "victim", "meeting_at": Utc::now() + Duration::days(2),
            "place": "司法所调解室", "purpose": "赔偿协商",
        })))
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        common::raise_alert(
            &app,
            w.case_a1.parse().unwrap(),
            AlertKind::CheckinFailed,
            AlertSeverity::High,
            json!({}),
            app.state.clock.now(),
        )
        .await;
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!("/api/v1/cases/{}/sanctions", w.case_a1),
                Some(json!({
                    "ground": "admonition.minor_rule_breach", "reason": "未按规定报告",
                })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");

        let office = queue(&app, &w, "officer.a1", "zh-CN").await;
        assert_eq!(
        kinds(&office),
        [QueueKind::Leave, QueueKind::Visitor, QueueKind::Alert],
        "the office decides the leave and the visitor, looks at the alert; the county decides the sanction"
    );
        let l = &office.items[0];
        assert_eq!(l.id.to_string(), leave["id"].as_str().unwrap());
        assert_eq!(l.case_name, "测试人1");
        assert_eq!(l.subject, "就医（西安市第一医院）");
        assert_eq!(l.due_on, Some(today + Duration::days(10)));
        assert_eq!(office.items[1].subject, "被害人：王某");
        let alert = &office.items[2];
        assert!(
            alert.urgent && alert.subject == "人脸签到未通过",
            "{alert:?}"
        );
        assert!(
            office.counts.iter().all(|c| c.count == 1),
            "{:?}",
            office.counts
        );

        let english = queue(&app, &w, "officer.a1", "en").await;
        assert_eq!(english.items[0].subject, "Medical (西安市第一医院)");

        // The county sees its jurisdiction: the alert, the visitor, and the sanction it decides;
        // the office's leave is not its to decide.
        let county = queue(&app, &w, "officer.county_a", "zh-CN").await;
        assert_eq!(
            kinds(&county),
            [QueueKind::Visitor, QueueKind::Alert, QueueKind::Sanction]
        );
        // Each line opens as its own record: the alert for its officers; the proposal for the
        // county, and not for the person until decided.
        let opened = |kind: QueueKind| county.items.iter().find(|i| i.kind == kind).unwrap().id;
        let (s, a) = w
            .call(
                &app,
                "officer.county_a",
                "GET",
                &format!("/api/v1/alerts/{}", opened(QueueKind::Alert)),
                None,
            )
            .await;
        assert_eq!(
            (s, a["kind"].as_str()),
            (StatusCode::OK, Some("checkin_failed")),
            "{a}"
        );
        let sanction = format!("/api/v1/sanctions/{}", opened(QueueKind::Sanction));
        let (s, p) = w
            .call(&app, "officer.county_a", "GET", &sanction, None)
            .await;
        assert_eq!(
            (s, p["status"].as_str()),
            (StatusCode::OK, Some("proposed")),
            "{p}"
        );
        let got = w.call(&app, "sv.a1", "GET", &sanction, None).await;
        common::assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        // A sibling office and another county see nothing of case A1.
        for outsider in ["officer.a2", "officer.b1"] {
            let q = queue(&app, &w, outsider, "zh-CN").await;
            assert!(
                q.items.is_empty() && q.counts.is_empty(),
                "{outsider}: {q:?}"
            );
        }
        // Not an officer: refused.
        for who in ["sv.a1", "volunteer.a1", "sys"] {
            let (s, v) = w.call(&app, who, "GET", "/api/v1/me/queue", None).await;
            common::assert_problem(&(s, v), StatusCode::FORBIDDEN, "access.forbidden");
        }

        // Decided, it leaves the queue.
        let (s, v) = app
            .post(
                &format!("/api/v1/leaves/{}/approve", l.id),
                w.token("officer.a1"),
                json!({ "version": l.version, "opinion": "同意" }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let after = queue(&app, &w, "officer.a1", "zh-CN").await;
        assert_eq!(kinds(&after), [QueueKind::Visitor, QueueKind::Alert]);
    }
);

both!(a_minors_name_is_masked_in_the_queue, |app| {
    let w = World::build(&app).await;
    let (s, c) = app
        .post(
            "/api/v1/cases",
            w.token("officer.a1"),
            common::case_body(&w.office_a1, 7, true),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    common::raise_alert(
        &app,
        c["id"].as_str().unwrap().parse().unwrap(),
        AlertKind::CheckinMissed,
        AlertSeverity::Medium,
        json!({}),
        app.state.clock.now(),
    )
    .await;
    let q = queue(&app, &w, "officer.a1", "zh-CN").await;
    assert_eq!(q.items.len(), 1);
    assert!(!q.items[0].urgent);
    assert_ne!(q.items[0].case_name, "测试人7");
    assert!(q.items[0].case_name.contains('*'), "{:?}", q.items[0]);
});
