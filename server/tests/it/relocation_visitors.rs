//! Relocation (迁居, art. 30) and visitor (会客, law art. 23) requests over HTTP.

use crate::common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::World;
use serde_json::{json, Value};

fn relocation(to: &str, days_ahead: i64) -> Value {
    json!({
        "to_unit_id": to,
        "new_residence": { "address": "七里河区西园街道示例路9号", "lat": 36.07, "lon": 103.78 },
        "move_date": huijiao_core::policy::calendar::local_date(Utc::now()) + Duration::days(days_ahead),
        "reason": "工作调动",
    })
}

/// The kinds of `token`'s queue lines about record `id`.
async fn queue_kinds(app: &common::TestApp, token: &str, id: &str) -> Vec<String> {
    let (s, q) = app.get("/api/v1/me/queue", token).await;
    assert_eq!(s, StatusCode::OK, "{q}");
    q["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["id"] == id)
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect()
}

both!(relocation_moves_the_case_after_consultation, |app| {
    let w = World::build(&app).await;
    // Where a move may go: every county agency and judicial office, with where it is, for
    // the supervisee choosing; not the bureaus above them; nobody signed out.
    let (s, units) = w
        .call(&app, "sv.a1", "GET", "/api/v1/units/receiving", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{units}");
    let units = units.as_array().unwrap();
    let b1 = units
        .iter()
        .find(|u| u["id"] == w.office_b1.as_str())
        .expect("another county's office is listed");
    assert!(b1["within"].as_str().unwrap().ends_with("七里河区"), "{b1}");
    assert!(units
        .iter()
        .all(|u| ["county_agency", "judicial_office"].contains(&u["kind"].as_str().unwrap())));
    let (s, _, _) = app
        .call_raw("GET", "/api/v1/units/receiving", None, &[], None, None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let path = format!("/api/v1/cases/{}/relocations", w.case_a1);
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &path,
            Some(relocation(&w.office_b1, 29)),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("relocation.notice_too_short")
        ),
        "a month ahead"
    );
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &path,
            Some(relocation(&w.office_a1, 40)),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("relocation.same_unit")
        )
    );
    let (s, r) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &path,
            Some(relocation(&w.office_b1, 30)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let id = r["id"].as_str().unwrap().to_owned();
    let decision = |version: &Value| json!({ "version": version, "opinion": "同意" });

    // The county cannot decide before the new place agreed; the office cannot decide at all.
    let (s, v) = app
        .post(
            &format!("/api/v1/relocations/{id}/approve"),
            w.token("officer.a1"),
            decision(&r["version"]),
        )
        .await;
    common::assert_problem(&(s, v), StatusCode::FORBIDDEN, "relocation.needs_county");
    let (s, v) = app
        .post(
            &format!("/api/v1/relocations/{id}/approve"),
            w.token("officer.county_a"),
            decision(&r["version"]),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::CONFLICT,
            Some("relocation.consultation_required")
        )
    );

    // The receiving side sees the request (not the case) and is consulted; a county officer
    // is needed there too, so we add one for county B.
    let (_, units) = app.get("/api/v1/units", w.token("sys")).await;
    let county_b = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "七里河区")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post("/api/v1/users", w.token("sys"), json!({ "username": "officer.county_b", "password": common::PASSWORD, "display_name": "x", "role": "officer", "unit_id": county_b })).await;
    let county_b_token = app.login("officer.county_b").await;
    let (_, incoming) = app.get("/api/v1/relocations", &county_b_token).await;
    assert_eq!(incoming["items"].as_array().unwrap().len(), 1, "{incoming}");
    assert_eq!(
        app.get(&format!("/api/v1/cases/{}", w.case_a1), &county_b_token)
            .await
            .0,
        StatusCode::NOT_FOUND,
        "not theirs yet"
    );
    let (s, _) = app
        .post(
            &format!("/api/v1/relocations/{id}/consult"),
            w.token("officer.b1"),
            json!({ "version": 1, "agree": true, "opinion": "同意接收" }),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the office below is not the agency consulted"
    );
    // It waits in the receiving county's queue for its opinion, not yet in the deciding one's.
    assert_eq!(
        queue_kinds(&app, &county_b_token, &id).await,
        ["consultation"]
    );
    assert!(queue_kinds(&app, w.token("officer.county_a"), &id)
        .await
        .is_empty());
    let (s, v) = app
        .post(
            &format!("/api/v1/relocations/{id}/consult"),
            &county_b_token,
            json!({ "version": 1, "agree": true, "opinion": "同意接收" }),
        )
        .await;
    assert_eq!(
        (s, v["consultation_agrees"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{v}"
    );
    // Given, it leaves the receiving side's queue for the deciding one's.
    assert!(queue_kinds(&app, &county_b_token, &id).await.is_empty());
    assert_eq!(
        queue_kinds(&app, w.token("officer.county_a"), &id).await,
        ["relocation"]
    );
    let (s, v) = app
        .post(
            &format!("/api/v1/relocations/{id}/approve"),
            w.token("officer.county_a"),
            decision(&v["version"]),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{v}"
    );

    // The case, with its file, is now the receiving unit's.
    let (s, c) = app
        .get(
            &format!("/api/v1/cases/{}", w.case_a1),
            w.token("officer.b1"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (c["unit_id"].as_str(), c["residence"]["lat"].as_f64()),
        (Some(w.office_b1.as_str()), Some(36.07))
    );
    let (s, plans) = app
        .get(
            &format!("/api/v1/cases/{}/levels", w.case_a1),
            w.token("officer.b1"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        !plans.as_array().unwrap().is_empty(),
        "history moved with the case"
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/cases/{}", w.case_a1),
            w.token("officer.a1")
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "the old office no longer sees it"
    );
    let (s, v) = app
        .post(
            &format!("/api/v1/relocations/{id}/reject"),
            w.token("officer.county_a"),
            decision(&json!(3)),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
});

both!(visits_with_restricted_people_need_approval, |app| {
    let w = World::build(&app).await;
    let path = format!("/api/v1/cases/{}/visitors", w.case_a1);
    let at = Utc::now() + Duration::days(2);
    let visit = |relation: &str| json!({ "visitor_name": "王某", "relation": relation, "meeting_at": at, "place": "司法所调解室", "purpose": "赔偿协商" });
    let (s, v) = w
        .call(&app, "sv.a1", "POST", &path, Some(visit("other")))
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::CREATED, Some("recorded")),
        "other visits are recorded only"
    );
    let (s, v) = w
        .call(&app, "sv.a1", "POST", &path, Some(visit("victim")))
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::CREATED, Some("submitted"))
    );
    let id = v["id"].as_str().unwrap().to_owned();
    let (s, _) = app
        .post(
            &format!("/api/v1/visitors/{id}/approve"),
            w.token("officer.a2"),
            json!({ "version": 1, "opinion": "x" }),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "sibling office");
    let (s, _) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/visitors/{id}/approve"),
            Some(json!({ "version": 1, "opinion": "x" })),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .post(
            &format!("/api/v1/visitors/{id}/approve"),
            w.token("officer.a1"),
            json!({ "version": 1, "opinion": "在工作人员陪同下会见" }),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{v}"
    );
    let (s, v) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/visitors/{id}/cancel"),
            None,
        )
        .await;
    common::assert_problem(&(s, v), StatusCode::CONFLICT, "request.transition_invalid");
    let mut past = visit("accomplice");
    past["meeting_at"] = json!(Utc::now() - Duration::hours(1));
    let (s, v) = w.call(&app, "sv.a1", "POST", &path, Some(past)).await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("meeting_at"))
    );
    let (s, v) = w
        .call(&app, "sv.a1", "POST", &path, Some(visit("stranger")))
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("relation"))
    );
});
