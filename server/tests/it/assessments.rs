//! The monthly assessment: the draft counts the month's alerts and short ledger months by the
//! table's points; an officer confirms a month that is over, changing a line only with a
//! reason; a failed month proposes a stricter level, three good months a more lenient one;
//! bad input is refused by name, nothing written.

use crate::common;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use common::{assert_problem, World};
use huijiao_core::policy::calendar::{month_of, Month};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{json, Value};
use uuid::Uuid;

async fn announced_days_ago(app: &common::TestApp, case: &str, days: i64) {
    common::announced_at(app, case, Utc::now() - Duration::days(days)).await;
}

/// An alert row as the domain that raises it would write it, at `at` (a past month).
async fn alert_at(app: &common::TestApp, w: &World, case: &str, kind: &str, at: DateTime<Utc>) {
    use huijiao_core::model::{AlertKind, AlertSeverity, AlertState};
    huijiao_server::entities::alert::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case.parse().unwrap()),
        unit_id: Set(w.office_a1.parse().unwrap()),
        kind: Set(AlertKind::parse(kind).unwrap()),
        severity: Set(AlertSeverity::Medium),
        state: Set(AlertState::Open),
        evidence: Set(json!({})),
        assigned_officer_id: Set(None),
        created_at: Set(at),
        acknowledged_by: Set(None),
        acknowledged_at: Set(None),
        resolved_by: Set(None),
        resolved_at: Set(None),
        resolution_note: Set(None),
        cleared_at: Set(None),
        version: Set(1),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
}

fn points(v: &Value) -> Vec<(String, u64, u64)> {
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["fact"].as_str().unwrap().to_owned(),
                l["count"].as_u64().unwrap(),
                l["points"].as_u64().unwrap(),
            )
        })
        .collect()
}

both!(
    a_month_is_drafted_from_its_facts_and_confirmed_by_an_officer,
    |app| {
        let w = World::build(&app).await;
        announced_days_ago(&app, &w.case_a1, 70).await;
        let base = format!("/api/v1/cases/{}/assessments", w.case_a1);
        let this_month = month_of(Utc::now());
        let last = Month::parse(&this_month).unwrap().previous().to_string();
        let mid_last = huijiao_core::policy::calendar::months_span(&last, &last)
            .unwrap()
            .0
            + Duration::days(14);

        // This month so far, from real facts: a talk that flagged a risk (noted, no points) and
        // an office report let pass (announced 70 days ago, strict: due within 15).
        let now = Utc::now();
        let (s, v) = w
        .call(&app, "officer.a1", "POST", &format!("/api/v1/cases/{}/visits", w.case_a1),
            Some(json!({ "id": Uuid::now_v7(), "kind": "talk", "at": now, "place": null, "checkin_id": null,
                         "met": ["本人"], "findings": "近期失业，情绪低落。", "risks": ["no_job"] })))
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let j = app.state.config.rules.supervision;
        huijiao_server::visits::raise_overdue(&app.state.db, &j, now)
            .await
            .unwrap();
        let (s, d) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("{base}/draft?month={this_month}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(
            points(&d),
            [
                ("office_report_missed".into(), 1, 5),
                ("risk_flagged".into(), 1, 0)
            ]
        );
        assert_eq!(
            (d["score"].as_u64(), d["grade"].as_str()),
            (Some(95), Some("good"))
        );
        assert_eq!(d["confirmed_by"], Value::Null);
        // A month is confirmed once it is over.
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &base,
                Some(json!({ "month": this_month, "adjustments": [], "note": null })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "assessment.month_not_over");

        // Last month: two exclusion-zone entries, a leave overrun, a missed check-in, and
        // education short at the month's close.
        for kind in [
            "in_exclusion_zone",
            "in_exclusion_zone",
            "leave_overdue",
            "checkin_missed",
            "learning_shortfall",
        ] {
            alert_at(&app, &w, &w.case_a1, kind, mid_last).await;
        }
        alert_at(&app, &w, &w.case_a2, "in_exclusion_zone", mid_last).await;
        huijiao_server::entities::ledger_month::ActiveModel {
            case_id: Set(w.case_a1.parse().unwrap()),
            obligation: Set(huijiao_core::policy::learning::Obligation::Education),
            month: Set(last.clone()),
            owed_minutes: Set(480),
            credited_minutes: Set(200),
            short_minutes: Set(280),
            alert_id: Set(None),
            closed_at: Set(now),
        }
        .insert(&app.state.db)
        .await
        .unwrap();
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &format!("/api/v1/cases/{}/levels", w.case_a1),
                Some(json!({ "level": "normal", "reason": "入矫满两月，表现平稳" })),
            )
            .await;
        assert!(s.is_success(), "{v}");
        let (_, d) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("{base}/draft?month={last}"),
                None,
            )
            .await;
        assert_eq!(
            points(&d),
            [
                ("checkin_missed".into(), 1, 2),
                ("in_exclusion_zone".into(), 2, 20),
                ("leave_overdue".into(), 1, 10),
                ("education_short".into(), 1, 5),
            ],
            "{d}"
        );
        assert_eq!(d["lines"][1]["rule_zh"], "进入禁止令限制区域，每次扣 10 分");
        assert_eq!(
            (d["score"].as_u64(), d["grade"].as_str()),
            (Some(63), Some("failed"))
        );
        assert_eq!(
            d["proposed_level"], "strict",
            "a failed month: one level stricter"
        );

        // Bad confirmations are refused by name, nothing written.
        let adj = |fact: &str, points: u32, reason: &str| json!({ "fact": fact, "points": points, "reason": reason });
        let confirm = |month: &str, adjustments: Value| json!({ "month": month, "adjustments": adjustments, "note": null });
        let cases = [
            (
                confirm(&last, json!([adj("roll_call_missed", 0, "误报")])),
                "adjustments[0].fact",
            ),
            (
                confirm(&last, json!([adj("in_exclusion_zone", 10, " ")])),
                "adjustments[0].reason",
            ),
            (
                confirm(&last, json!([adj("in_exclusion_zone", 101, "x")])),
                "adjustments[0].points",
            ),
            (
                confirm(
                    &last,
                    json!([
                        adj("in_exclusion_zone", 10, "x"),
                        adj("in_exclusion_zone", 0, "y")
                    ]),
                ),
                "adjustments[1].fact",
            ),
            (confirm("2026-13", json!([])), "month"),
            (confirm("2020-01", json!([])), "month"),
        ];
        for (body, field) in cases {
            let got = w
                .call(&app, "officer.a1", "POST", &base, Some(body.clone()))
                .await;
            assert_eq!(got.1["errors"][0]["field"], field, "{body} → {:?}", got);
        }
        let got = w
            .call(
                &app,
                "officer.b1",
                "POST",
                &base,
                Some(confirm(&last, json!([]))),
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &base,
                Some(confirm(&last, json!([]))),
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        assert_eq!(app.count("assessments").await, 0);

        // The officer finds one exclusion-zone entry was the fix drifting: 10 points, said why.
        let (s, a) = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &base,
                Some(confirm(
                    &last,
                    json!([adj(
                        "in_exclusion_zone",
                        10,
                        "其中一次为定位漂移，经核实未进入"
                    )]),
                )),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        assert_eq!(
            (a["score"].as_u64(), a["grade"].as_str()),
            (Some(73), Some("passed"))
        );
        assert_eq!(a["proposed_level"], Value::Null);
        assert_eq!(a["lines"][1]["points"], 10);
        assert_eq!(
            a["lines"][1]["adjusted_reason"],
            "其中一次为定位漂移，经核实未进入"
        );
        assert!(a["confirmed_by"].is_string());
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &base,
                Some(confirm(&last, json!([]))),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "assessment.already_confirmed");
        // The draft of a confirmed month is the confirmed month; the person reads their own.
        let (_, d) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("{base}/draft?month={last}"),
                None,
            )
            .await;
        assert_eq!(d, a);
        let (s, mine) = w.call(&app, "sv.a1", "GET", &base, None).await;
        assert_eq!(s, StatusCode::OK, "{mine}");
        assert_eq!(mine, json!([a]));
        let got = w.call(&app, "sv.a2", "GET", &base, None).await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let got = w
            .call(
                &app,
                "sv.a1",
                "GET",
                &format!("{base}/draft?month={last}"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        let (_, audit) = w
            .call(
                &app,
                "auditadmin",
                "GET",
                "/api/v1/audit?action=assessment.confirmed",
                None,
            )
            .await;
        assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");

        // The confirmed month reaches the sanctions: a missed check-in is a minor breach of
        // the reporting rules (an admonition), the exclusion zone a minor breach of the
        // prohibition order (a warning). The office proposes the admonition, the county
        // approves, the person acknowledges.
        let (s, advice) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/cases/{}/sanction-advice", w.case_a1),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{advice}");
        assert_eq!(advice["assessed_month"], json!(last));
        assert_eq!(
            (
                advice["rule_breach"].as_str(),
                advice["prohibition_order_breach"].as_str()
            ),
            (Some("minor"), Some("minor"))
        );
        let grounds: Vec<&str> = advice["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["code"].as_str().unwrap())
            .collect();
        assert!(
            grounds.contains(&"admonition.minor_rule_breach")
                && grounds.contains(&"warning.prohibition_order_minor"),
            "{advice}"
        );
        let (s, p) = w
            .call(&app, "officer.a1", "POST", &format!("/api/v1/cases/{}/sanctions", w.case_a1),
                Some(json!({ "ground": "admonition.minor_rule_breach", "reason": format!("{last} 月度考核：未按时签到") })))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let decide = format!("/api/v1/sanctions/{}/decide", p["id"].as_str().unwrap());
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &decide,
                Some(json!({ "approve": true, "note": "同意", "version": p["version"] })),
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "sanction.needs_county");
        let (s, d) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &decide,
                Some(json!({ "approve": true, "note": "予以训诫", "version": p["version"] })),
            )
            .await;
        assert_eq!(
            (s, d["status"].as_str()),
            (StatusCode::OK, Some("approved")),
            "{d}"
        );
        let (s, k) = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!(
                    "/api/v1/sanctions/{}/acknowledge",
                    p["id"].as_str().unwrap()
                ),
                None,
            )
            .await;
        assert_eq!(
            (s, k["status"].as_str()),
            (StatusCode::OK, Some("acknowledged")),
            "{k}"
        );
        // The decision in writing: the person keeps it; outsiders never see it.
        let doc = format!("/api/v1/sanctions/{}/document", p["id"].as_str().unwrap());
        let (s, headers, bytes) = app
            .call_raw(
                "GET",
                &doc,
                Some(w.token("sv.a1")),
                &[("x-device-id", "phone-1")],
                None,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(headers["content-type"], "application/pdf");
        let text = common::pdf_text(&bytes);
        for want in [
            "社区矫正训诫决定书",
            "测试人1",
            "依照《中华人民共和国社区矫正法实施办法》第三十四条第（二）项之规定",
            "未按时签到",
            "予以训诫",
            "城关区",
        ] {
            assert!(text.contains(want), "{want} missing from: {text}");
        }
        assert_eq!(text.matches("实施办法").count(), 1, "cited once: {text}");
        common::assert_in_words(&text, &[]);
        let got = w.call(&app, "officer.b1", "GET", &doc, None).await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        // A proposal not yet decided is no document.
        let (_, q) = w
            .call(&app, "officer.a1", "POST", &format!("/api/v1/cases/{}/sanctions", w.case_a1),
                Some(json!({ "ground": "warning.prohibition_order_minor", "reason": "进入禁止区域" })))
            .await;
        let got = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/sanctions/{}/document", q["id"].as_str().unwrap()),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "sanction.transition_invalid");
    }
);

both!(
    three_good_months_running_propose_a_more_lenient_level,
    |app| {
        let w = World::build(&app).await;
        announced_days_ago(&app, &w.case_a2, 120).await;
        let base = format!("/api/v1/cases/{}/assessments", w.case_a2);
        let m1 = Month::of(Utc::now()).previous().to_string();
        let m2 = Month::parse(&m1).unwrap().previous().to_string();
        let m3 = Month::parse(&m2).unwrap().previous().to_string();
        let mut proposed = Vec::new();
        for m in [&m3, &m2, &m1] {
            let (s, a) = w
                .call(
                    &app,
                    "officer.a2",
                    "POST",
                    &base,
                    Some(json!({ "month": m, "adjustments": [], "note": "表现良好" })),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{a}");
            assert_eq!(
                (a["score"].as_u64(), a["grade"].as_str()),
                (Some(100), Some("good"))
            );
            proposed.push(a["proposed_level"].clone());
        }
        assert_eq!(proposed, [Value::Null, Value::Null, json!("normal")]);
        // The officer applies it through the level history.
        let (s, v) = w
        .call(&app, "officer.a2", "POST", &format!("/api/v1/cases/{}/levels", w.case_a2),
            Some(json!({ "level": "normal", "reason": format!("{m1} 月度考核：连续三个月表现良好") })))
        .await;
        assert!(s.is_success(), "{v}");
        let (_, list) = w.call(&app, "officer.a2", "GET", &base, None).await;
        let months: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["month"].as_str().unwrap())
            .collect();
        assert_eq!(months, [m1.as_str(), m2.as_str(), m3.as_str()]);
    }
);
