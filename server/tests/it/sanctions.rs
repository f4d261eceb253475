//! Rewards and sanctions through the API, on both databases: the facts the system sees
//! (time away past a leave, the admonitions in force) advise the measures' grounds with their
//! articles; an officer of the office proposes, the county agency decides (the office cannot);
//! the person hears an approved decision and acknowledges it; each step is audited.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use huijiao_core::policy::calendar;
use huijiao_server::entities::{audit_entry, leave_request};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::common::{assert_problem, TestApp, World};

async fn audited(app: &TestApp, action: &str) -> u64 {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn advice(app: &TestApp, w: &World) -> Value {
    let (s, v) = w
        .call(
            app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{}/sanction-advice", w.case_a1),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn codes(advice: &Value) -> Vec<String> {
    advice["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn propose(app: &TestApp, w: &World, ground: &str) -> Value {
    let (s, v) = w
        .call(
            app,
            "officer.a1",
            "POST",
            &format!("/api/v1/cases/{}/sanctions", w.case_a1),
            Some(json!({ "ground": ground, "reason": "三次视频点名未接听，经提醒仍未改正" })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

async fn approve(app: &TestApp, w: &World, s: &Value) -> Value {
    let (st, v) = w
        .call(
            app,
            "officer.county_a",
            "POST",
            &format!("/api/v1/sanctions/{}/decide", s["id"].as_str().unwrap()),
            Some(json!({ "approve": true, "note": "情况属实，予以训诫", "version": s["version"] })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v
}

both!(
    a_sanction_is_proposed_decided_by_the_county_and_acknowledged,
    |app| {
        let w = World::build(&app).await;
        let a1 = w.case_a1.clone();
        assert_eq!(advice(&app, &w).await["suggestions"], json!([]));
        let sanctions = format!("/api/v1/cases/{a1}/sanctions");
        // Bad proposals are refused by the field at fault; nobody but an officer proposes.
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &sanctions,
                Some(json!({ "ground": "warning.because", "reason": "x" })),
            )
            .await;
        assert_problem(
            &got,
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_field",
        );
        assert_eq!(got.1["errors"][0]["field"], "ground");
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &sanctions,
                Some(json!({ "ground": "admonition.minor_rule_breach", "reason": "  " })),
            )
            .await;
        assert_eq!(got.1["errors"][0]["field"], "reason", "{}", got.1);
        for who in ["sv.a1", "volunteer.a1"] {
            let got = w
                .call(
                    &app,
                    who,
                    "POST",
                    &sanctions,
                    Some(json!({ "ground": "admonition.minor_rule_breach", "reason": "x" })),
                )
                .await;
            assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        }
        assert_eq!(app.count("sanctions").await, 0);

        let proposed = propose(&app, &w, "admonition.minor_rule_breach").await;
        assert_eq!(
            (proposed["status"].as_str(), proposed["sanction"].as_str()),
            (Some("proposed"), Some("admonition"))
        );
        assert_eq!(
            proposed["ground"]["article"],
            "实施办法第三十四条第（二）项"
        );
        let id = proposed["id"].as_str().unwrap().to_owned();
        // The person does not see a proposal.
        let (_, mine) = w.call(&app, "sv.a1", "GET", &sanctions, None).await;
        assert_eq!(mine, json!({ "items": [] }));
        let got = w
            .call(
                &app,
                "sv.a1",
                "POST",
                &format!("/api/v1/sanctions/{id}/acknowledge"),
                None,
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        // The office that proposed cannot decide; a stale screen at the county gets a conflict.
        let decide = format!("/api/v1/sanctions/{id}/decide");
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &decide,
                Some(json!({ "approve": true, "note": "同意", "version": 1 })),
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "sanction.needs_county");
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &decide,
                Some(json!({ "approve": true, "note": "同意", "version": 0 })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "resource.conflict");
        let got = w
            .call(
                &app,
                "officer.b1",
                "POST",
                &decide,
                Some(json!({ "approve": true, "note": "同意", "version": 1 })),
            )
            .await;
        assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

        // A decision without its note is refused by the field, and decides nothing.
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &decide,
                Some(json!({ "approve": true, "note": " ", "version": 1 })),
            )
            .await;
        assert_eq!(
            (got.0, got.1["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("note")),
            "{}",
            got.1
        );
        let mut events = app.state.events.subscribe();
        let approved = approve(&app, &w, &proposed).await;
        assert_eq!(approved["status"], "approved");
        let e = events.recv().await.unwrap();
        assert_eq!(e.view.kind, "sanction");
        let (_, mine) = w.call(&app, "sv.a1", "GET", &sanctions, None).await;
        assert_eq!(mine["items"][0]["id"], id.as_str());
        let ack = format!("/api/v1/sanctions/{id}/acknowledge");
        let (s, v) = w.call(&app, "sv.a1", "POST", &ack, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(v["acknowledged_at"].is_string());
        let got = w.call(&app, "sv.a1", "POST", &ack, None).await;
        assert_problem(&got, StatusCode::CONFLICT, "sanction.transition_invalid");
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &decide,
                Some(json!({ "approve": false, "note": "撤回", "version": v["version"] })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "sanction.transition_invalid");
        for action in [
            "sanction.proposed",
            "sanction.approved",
            "sanction.acknowledged",
        ] {
            assert_eq!(audited(&app, action).await, 1, "{action}");
        }

        // A second admonition in force: the measures' next step is advised, with its article. A
        // rejected proposal counts for nothing.
        assert!(!codes(&advice(&app, &w).await).contains(&"warning.admonished_twice".to_owned()));
        let rejected = propose(&app, &w, "admonition.education_skipped").await;
        let (s, _) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &format!(
                    "/api/v1/sanctions/{}/decide",
                    rejected["id"].as_str().unwrap()
                ),
                Some(json!({ "approve": false, "note": "已补学，不予训诫", "version": 1 })),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(advice(&app, &w).await["admonitions"], 1);
        let second = propose(&app, &w, "admonition.education_skipped").await;
        approve(&app, &w, &second).await;
        let advised = advice(&app, &w).await;
        assert_eq!(advised["admonitions"], 2);
        assert_eq!(codes(&advised), ["warning.admonished_twice"]);
        assert_eq!(
            advised["suggestions"][0]["article"],
            "实施办法第三十五条第（五）项"
        );
    }
);

both!(time_away_past_a_leave_is_advised_by_its_days, |app| {
    let w = World::build(&app).await;
    // A leave that ended twelve days ago, the person still not back (written directly: the
    // leave workflow is tested in leave.rs).
    let (_, me) = w.call(&app, "sv.a1", "GET", "/api/v1/me", None).await;
    let (_, case) = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{}", w.case_a1),
            None,
        )
        .await;
    let today = calendar::local_date(Utc::now());
    let leave = leave_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(w.case_a1.parse().unwrap()),
        unit_id: Set(case["unit_id"].as_str().unwrap().parse().unwrap()),
        parent_id: Set(None),
        reason_category: Set(huijiao_core::model::LeaveReason::Family),
        reason_text: Set("探亲".into()),
        destination: Set("西安".into()),
        dest_lat: Set(34.34),
        dest_lon: Set(108.94),
        start_date: Set(today - Duration::days(17)),
        end_date: Set(today - Duration::days(12)),
        days: Set(6),
        window_total_days: Set(6),
        urgent: Set(false),
        late_notice: Set(false),
        required_level: Set(huijiao_core::policy::level::ApprovalLevel::JudicialOffice),
        standing: Set(false),
        contact_while_away: Set("13800000000".into()),
        status: Set(huijiao_core::model::LeaveStatus::Overdue),
        created_by: Set(me["id"].as_str().unwrap().parse().unwrap()),
        created_at: Set(Utc::now() - Duration::days(20)),
        submitted_at: Set(None),
        decided_at: Set(None),
        departed_at: Set(None),
        returned_at: Set(None),
        overdue_at: Set(Some(Utc::now() - Duration::days(11))),
        version: Set(3),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let advised = advice(&app, &w).await;
    assert_eq!(advised["days_out_of_supervision"], 12, "{advised}");
    assert_eq!(codes(&advised), ["warning.out_10_days_to_a_month"]);
    // Nine days away is an admonition (measures art. 34 (1)).
    let mut row: leave_request::ActiveModel = leave.into();
    row.end_date = Set(today - Duration::days(9));
    row.update(&app.state.db).await.unwrap();
    assert_eq!(
        codes(&advice(&app, &w).await),
        ["admonition.out_under_10_days"]
    );
    // Officers of the case only.
    let got = w
        .call(
            &app,
            "sv.a1",
            "GET",
            &format!("/api/v1/cases/{}/sanction-advice", w.case_a1),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
});

both!(
    a_tag_order_lasts_three_months_and_is_renewed_by_a_new_decision,
    |app| {
        let w = World::build(&app).await;
        let orders = format!("/api/v1/cases/{}/tag-orders", w.case_a1);
        // 01:00 in China, when the UTC date is still yesterday's: "today" is China's.
        app.state
            .clock
            .set(calendar::day_start(calendar::local_date(Utc::now())) + Duration::hours(1));
        let today = app.state.clock.today();
        assert_eq!(
            app.state.clock.now().date_naive(),
            today - Duration::days(1)
        );
        let three_months = today.checked_add_months(chrono::Months::new(3)).unwrap();
        let body = |starts: chrono::NaiveDate, ends: chrono::NaiveDate, renews: Option<&str>| {
            json!({ "ground": "left_without_approval", "starts_on": starts, "ends_on": ends,
                "reason": "未经批准离开兰州市，经警告后返回", "renews": renews })
        };
        // The county orders (law art. 29); an office cannot.
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &orders,
                Some(body(today, three_months, None)),
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "tag.needs_county");
        // Three months at most; a term that ends before it starts; one that started yesterday.
        for (starts, ends, field) in [
            (today, three_months + Duration::days(1), "ends_on"),
            (today, today, "ends_on"),
            (
                today - Duration::days(1),
                today + Duration::days(30),
                "starts_on",
            ),
        ] {
            let got = w
                .call(
                    &app,
                    "officer.county_a",
                    "POST",
                    &orders,
                    Some(body(starts, ends, None)),
                )
                .await;
            assert_problem(
                &got,
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_field",
            );
            assert_eq!(got.1["errors"][0]["field"], field, "{}", got.1);
        }
        assert_eq!(app.count("tag_orders").await, 0);
        let (s, first) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &orders,
                Some(body(today, three_months, None)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{first}");
        let first_id = first["id"].as_str().unwrap().to_owned();
        // One order covers a day at most: a longer need is a renewal from the day after.
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &orders,
                Some(body(
                    today + Duration::days(10),
                    today + Duration::days(40),
                    None,
                )),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "tag.overlapping");
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &orders,
                Some(body(
                    three_months,
                    three_months + Duration::days(20),
                    Some(&first_id),
                )),
            )
            .await;
        assert_eq!(got.1["errors"][0]["field"], "starts_on", "{}", got.1);
        let next = three_months + Duration::days(1);
        let (s, renewal) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &orders,
                Some(body(next, next + Duration::days(30), Some(&first_id))),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{renewal}");
        let (_, mine) = w.call(&app, "sv.a1", "GET", &orders, None).await;
        assert_eq!(mine.as_array().unwrap().len(), 2);

        // A week before an order ends its officers are alerted, once; a renewed order is not.
        let at = |d: chrono::NaiveDate| d.and_hms_opt(2, 0, 0).unwrap().and_utc();
        for _ in 0..2 {
            let events = huijiao_server::sanctions::alert_expiring(
                &app.state.db,
                at(three_months - Duration::days(3)),
            )
            .await
            .unwrap();
            assert!(events.is_empty(), "the first order was renewed");
        }
        let renewal_end = next + Duration::days(30);
        for n in [1, 0] {
            let events = huijiao_server::sanctions::alert_expiring(
                &app.state.db,
                at(renewal_end - Duration::days(3)),
            )
            .await
            .unwrap();
            assert_eq!(events.len(), n);
        }
        let (_, alerts) = w
            .call(&app, "officer.a1", "GET", "/api/v1/alerts", None)
            .await;
        let expiring: Vec<&Value> = alerts["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "tag_order_expiring")
            .collect();
        assert_eq!(expiring.len(), 1, "{alerts}");
        assert_eq!(expiring[0]["evidence"]["tag_order_id"], renewal["id"]);

        // Ended early by the county, once.
        let end = format!("/api/v1/tag-orders/{}/end", renewal["id"].as_str().unwrap());
        let got = w
            .call(
                &app,
                "officer.a1",
                "POST",
                &end,
                Some(json!({ "reason": "表现良好" })),
            )
            .await;
        assert_problem(&got, StatusCode::FORBIDDEN, "tag.needs_county");
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &end,
                Some(json!({ "reason": "" })),
            )
            .await;
        assert_eq!(
            (got.0, got.1["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")),
            "{}",
            got.1
        );
        let (s, ended) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &end,
                Some(json!({ "reason": "表现良好，提前解除" })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{ended}");
        assert!(ended["ended_at"].is_string());
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &end,
                Some(json!({ "reason": "x" })),
            )
            .await;
        assert_problem(&got, StatusCode::CONFLICT, "tag.order_ended");
        assert_eq!(audited(&app, "tag_order.ordered").await, 2);
        assert_eq!(audited(&app, "tag_order.ended").await, 1);
    }
);

both!(the_grounds_are_served_and_an_empty_advice_says_why, |app| {
    let w = World::build(&app).await;
    let (s, rules) = w
        .call(&app, "officer.a1", "GET", "/api/v1/rules", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{rules}");
    let grounds = rules["sanction_grounds"].as_array().unwrap();
    assert_eq!(
        grounds.len(),
        huijiao_core::policy::sanctions::GROUNDS.len()
    );
    assert!(grounds.iter().all(|g| {
        g["article"].as_str().unwrap().starts_with("实施办法")
            && !g["en"].as_str().unwrap().is_empty()
            && !g["zh"].as_str().unwrap().is_empty()
    }));
    // The rules the apps assess with are where they were.
    assert!(rules["leave"]["min_notice_days"].is_number(), "{rules}");
    // A new case: nothing to suggest, and why (last month not assessed; no fact supports one).
    let a = advice(&app, &w).await;
    assert!(codes(&a).is_empty(), "{a}");
    let notes = a["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{a}");
    assert!(
        notes[0]["zh"]
            .as_str()
            .unwrap()
            .contains("尚无已确认的月度考核"),
        "{a}"
    );
    assert!(
        notes[1]["en"].as_str().unwrap().contains("GET /rules"),
        "{a}"
    );
});
