//! The role × jurisdiction matrix over every endpoint in the OpenAPI document: outsiders
//! (an officer of a sibling office or county, an unassigned volunteer, another supervisee, the
//! admin duties) get 403/404, see nothing of the case, and change nothing.

use crate::common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::World;
use serde_json::{json, Value};

const OUTSIDERS: &[&str] = &[
    "officer.b1",
    "officer.a2",
    "volunteer.a1.other",
    "sv.a2",
    "sys",
    "secadmin",
    "auditadmin",
];

/// Endpoints that act on one case or investigation, with a plausible body.
fn scoped_endpoints() -> Vec<(&'static str, &'static str, Option<Value>)> {
    vec![
        ("get", "/cases/{id}", None),
        (
            "post",
            "/cases/{id}/announce",
            Some(json!({ "place": "x" })),
        ),
        (
            "post",
            "/cases/{id}/login",
            Some(json!({ "username": "sv.stolen" })),
        ),
        ("get", "/cases/{id}/levels", None),
        (
            "post",
            "/cases/{id}/levels",
            Some(json!({ "level": "lenient", "reason": "x" })),
        ),
        (
            "post",
            "/cases/{id}/status",
            Some(json!({ "status": "absconded", "reason": "x" })),
        ),
        ("get", "/cases/{id}/plan", None),
        (
            "put",
            "/cases/{id}/plan",
            Some(json!({ "base_version": 0, "text": "x", "measures": ["x"] })),
        ),
        ("get", "/cases/{id}/plans", None),
        ("get", "/cases/{id}/team", None),
        (
            "post",
            "/cases/{id}/team",
            Some(json!({ "kind": "family", "name": "x" })),
        ),
        ("delete", "/cases/{id}/team/{member_id}", None),
        ("get", "/cases/{id}/devices", None),
        (
            "post",
            "/cases/{id}/devices/{record_id}/approve",
            Some(json!({})),
        ),
        (
            "post",
            "/cases/{id}/devices/{record_id}/revoke",
            Some(json!({})),
        ),
        ("get", "/investigations/{id}", None),
        ("get", "/units/{id}", None),
        ("get", "/cases/{id}/leaves", None),
        (
            "post",
            "/cases/{id}/leaves",
            Some(
                json!({ "reason_category": "family", "reason_text": "x", "destination": { "name": "x", "lat": 30.0, "lon": 100.0 }, "start_date": "2099-01-01", "end_date": "2099-01-02", "contact_while_away": "x", "submit": true }),
            ),
        ),
        ("get", "/leaves/{id}", None),
        ("post", "/leaves/{id}/submit", None),
        ("post", "/leaves/{id}/cancel", None),
        (
            "post",
            "/leaves/{id}/approve",
            Some(json!({ "version": 1, "opinion": "x" })),
        ),
        (
            "post",
            "/leaves/{id}/reject",
            Some(json!({ "version": 1, "opinion": "x" })),
        ),
        ("post", "/leaves/{id}/depart", None),
        ("post", "/leaves/{id}/return", None),
        (
            "post",
            "/leaves/{id}/extend",
            Some(json!({ "new_end_date": "2099-02-01", "reason_text": "x" })),
        ),
        ("get", "/cases/{id}/relocations", None),
        (
            "post",
            "/cases/{id}/relocations",
            Some(
                json!({ "to_unit_id": "00000000-0000-0000-0000-000000000000", "new_residence": { "address": "x", "lat": 30.0, "lon": 100.0 }, "move_date": "2099-01-01", "reason": "x" }),
            ),
        ),
        ("get", "/relocations/{id}", None),
        (
            "post",
            "/relocations/{id}/consult",
            Some(json!({ "version": 1, "agree": true, "opinion": "x" })),
        ),
        (
            "post",
            "/relocations/{id}/approve",
            Some(json!({ "version": 1, "opinion": "x" })),
        ),
        (
            "post",
            "/relocations/{id}/reject",
            Some(json!({ "version": 1, "opinion": "x" })),
        ),
        ("post", "/relocations/{id}/cancel", None),
        ("get", "/cases/{id}/visitors", None),
        (
            "post",
            "/cases/{id}/visitors",
            Some(
                json!({ "visitor_name": "x", "relation": "victim", "meeting_at": "2099-01-01T00:00:00Z", "place": "x", "purpose": "x" }),
            ),
        ),
        ("get", "/visitors/{id}", None),
        (
            "post",
            "/visitors/{id}/approve",
            Some(json!({ "version": 1, "opinion": "x" })),
        ),
        (
            "post",
            "/visitors/{id}/reject",
            Some(json!({ "version": 1, "opinion": "x" })),
        ),
        ("post", "/visitors/{id}/cancel", None),
        ("get", "/cases/{id}/face", None),
        (
            "post",
            "/cases/{id}/face",
            Some(json!({ "photos": ["aGVsbG8="] })),
        ),
        ("get", "/cases/{id}/checkins", None),
        ("get", "/checkins/{id}", None),
        ("get", "/checkins/{id}/photo", None),
        (
            "post",
            "/checkins/{id}/review",
            Some(json!({ "decision": "accept", "note": "x" })),
        ),
        ("get", "/cases/{id}/checkin-tries", None),
        (
            "post",
            "/cases/{id}/checkin-tries/reset",
            Some(json!({ "reason": "x" })),
        ),
        ("post", "/cases/{id}/login/reset", None),
        ("get", "/cases/{id}/obligations", None),
        ("get", "/cases/{id}/checkin-requests", None),
        ("post", "/cases/{id}/checkin-requests", Some(json!({}))),
        (
            "post",
            "/roll-calls",
            Some(json!({ "case_ids": ["{case}"] })),
        ),
        ("get", "/roll-calls/{id}", None),
        ("get", "/cases/{id}/roll-calls", None),
        (
            "post",
            "/roll-calls/{id}/answer",
            Some(json!({ "sdp_offer": "v=0" })),
        ),
        (
            "post",
            "/roll-calls/{id}/watch",
            Some(json!({ "sdp_offer": "v=0" })),
        ),
        (
            "post",
            "/roll-calls/{id}/excuse",
            Some(json!({ "reason": "x" })),
        ),
        (
            "post",
            "/roll-calls/{id}/review",
            Some(json!({ "decision": "confirm", "note": "x" })),
        ),
        ("get", "/roll-calls/{id}/snapshot", None),
        ("get", "/roll-calls/{id}/recording", None),
        ("get", "/leaves/{id}/attachments", None),
        (
            "post",
            "/leaves/{id}/attachments",
            Some(
                json!({ "kind": "medical", "content_type": "application/pdf", "content": "JVBERi0=" }),
            ),
        ),
        ("get", "/leaves/{id}/attachments/{attachment_id}", None),
        (
            "get",
            "/cases/{id}/track?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
            None,
        ),
        (
            "post",
            "/fences",
            Some(
                json!({ "name": "x", "kind": "exclusion_zone", "shape": { "type": "Circle", "center": [103.8, 36.0], "radius_m": 100.0 }, "case_id": "{case}" }),
            ),
        ),
        ("get", "/fences/{id}", None),
        (
            "put",
            "/fences/{id}",
            Some(
                json!({ "version": 1, "name": "x", "shape": { "type": "Circle", "center": [103.8, 36.0], "radius_m": 100.0 } }),
            ),
        ),
        ("delete", "/fences/{id}", None),
        ("get", "/alerts/{id}", None),
        ("post", "/alerts/{id}/acknowledge", None),
        ("post", "/alerts/{id}/resolve", Some(json!({ "note": "x" }))),
        (
            "post",
            "/investigations/{id}/opinion",
            Some(json!({ "opinion": "suitable", "text": "x" })),
        ),
        ("get", "/cases/{id}/learning", None),
        (
            "post",
            "/cases/{id}/learning/adjustments",
            Some(json!({ "month": "2026-11", "minutes": 600, "reason": "x" })),
        ),
        ("get", "/cases/{id}/study-sessions", None),
        // A draft course of county A: nobody below or beside the county sees it.
        ("get", "/courses/{id}", None),
        (
            "post",
            "/courses/{id}/publish",
            Some(json!({ "version": 1 })),
        ),
        (
            "post",
            "/courses/{id}/archive",
            Some(json!({ "version": 1 })),
        ),
        ("post", "/lessons/{id}/sessions", None),
        (
            "post",
            "/study-sessions/{id}/beats",
            Some(
                json!({ "beats": [{ "seq": 1, "client_ms": 0, "playing": true, "foreground": true }] }),
            ),
        ),
        ("post", "/study-sessions/{id}/end", None),
        ("post", "/lessons/{id}/attempts", None),
        ("put", "/lessons/{id}/media", None),
        ("get", "/lessons/{id}/media", None),
        (
            "post",
            "/quiz-attempts/{id}/submit",
            Some(json!({ "answers": [] })),
        ),
        ("get", "/cases/{id}/quiz-attempts", None),
        ("get", "/quiz-attempts/{id}", None),
        (
            "post",
            "/quiz-attempts/{id}/grade",
            Some(json!({ "grades": [], "version": 1 })),
        ),
        ("get", "/cases/{id}/assigned-courses", None),
        (
            "post",
            "/courses/{id}/assignments",
            Some(json!({ "due_on": "2099-01-01" })),
        ),
        // A lecture of office A1, under way.
        ("get", "/cases/{id}/xapi-statements", None),
        ("get", "/cases/{id}/reflections", None),
        ("get", "/reflections/{id}", None),
        (
            "put",
            "/lessons/{id}/reflection",
            Some(json!({ "text": "x" })),
        ),
        (
            "post",
            "/reflections/{id}/review",
            Some(json!({ "accept": true, "version": 1 })),
        ),
        ("get", "/lectures/{id}/code", None),
        (
            "post",
            "/lectures/{id}/attendance",
            Some(
                json!({ "code": "12345678", "location": { "lat": 36.06, "lon": 103.83, "accuracy_m": 10.0, "fix_time": "2026-12-02T00:00:00Z", "provider": "gps", "mock": false } }),
            ),
        ),
        ("get", "/lectures/{id}/attendance", None),
        (
            "put",
            "/lectures/{id}/attendance/{case_id}",
            Some(json!({ "mark": "absent", "reason": "x" })),
        ),
        (
            "post",
            "/cases/{id}/help-sessions",
            Some(
                json!({ "id": "01900000-0000-7000-8000-0000000000aa", "began_at": "2026-12-01T00:00:00Z", "minutes": 30, "kind": "talk", "place": null, "notes": "x", "risks": [], "follow_up": null }),
            ),
        ),
        ("get", "/cases/{id}/help-sessions", None),
        ("get", "/help-sessions/{id}", None),
        (
            "put",
            "/help-sessions/{id}",
            Some(
                json!({ "began_at": "2026-12-01T00:00:00Z", "minutes": 30, "kind": "talk", "notes": "x", "risks": [], "follow_up": null, "version": 1 }),
            ),
        ),
        (
            "post",
            "/help-sessions/{id}/review",
            Some(json!({ "confirm": true, "version": 1 })),
        ),
        (
            "post",
            "/help-sessions/{id}/comments",
            Some(json!({ "text": "x" })),
        ),
        ("get", "/volunteers/{id}/service-record", None),
        (
            "post",
            "/volunteers/{id}/certificates",
            Some(json!({ "from_month": "2026-01", "to_month": "2026-02" })),
        ),
        ("get", "/volunteers/{id}/certificates", None),
        ("get", "/certificates/{number}/pdf", None),
        // A community-service activity of office A1, in an hour.
        ("get", "/service-activities/{id}", None),
        ("get", "/service-activities/{id}/code", None),
        (
            "post",
            "/service-activities/{id}/participants",
            Some(json!({ "case_id": "{case}" })),
        ),
        ("get", "/service-activities/{id}/participants", None),
        (
            "delete",
            "/service-activities/{id}/participants/{case_id}",
            None,
        ),
        (
            "post",
            "/service-activities/{id}/check-in",
            Some(
                json!({ "code": "12345678", "location": { "lat": 36.06, "lon": 103.83, "accuracy_m": 10.0, "fix_time": "2026-12-02T00:00:00Z", "provider": "gps", "mock": false } }),
            ),
        ),
        (
            "post",
            "/service-activities/{id}/check-out",
            Some(
                json!({ "code": "12345678", "location": { "lat": 36.06, "lon": 103.83, "accuracy_m": 10.0, "fix_time": "2026-12-02T00:00:00Z", "provider": "gps", "mock": false } }),
            ),
        ),
        (
            "put",
            "/service-activities/{id}/participants/{case_id}/review",
            Some(json!({ "version": 1 })),
        ),
        ("get", "/cases/{id}/service", None),
        (
            "post",
            "/service-activities/{id}/cancel",
            Some(json!({ "reason": "x" })),
        ),
        ("get", "/cases/{id}/sanction-advice", None),
        (
            "post",
            "/cases/{id}/sanctions",
            Some(json!({ "ground": "admonition.minor_rule_breach", "reason": "x" })),
        ),
        ("get", "/cases/{id}/sanctions", None),
        (
            "post",
            "/sanctions/{id}/decide",
            Some(json!({ "approve": true, "note": "x", "version": 1 })),
        ),
        ("get", "/sanctions/{id}", None),
        ("post", "/sanctions/{id}/acknowledge", None),
        ("get", "/sanctions/{id}/document", None),
        (
            "post",
            "/cases/{id}/tag-orders",
            Some(
                json!({ "ground": "left_without_approval", "starts_on": "2099-01-01", "ends_on": "2099-02-01", "reason": "x", "renews": null }),
            ),
        ),
        ("get", "/cases/{id}/tag-orders", None),
        (
            "post",
            "/cases/{id}/visits",
            Some(
                json!({ "id": "0190b5c8-0000-7000-8000-0000000000aa", "kind": "talk", "at": chrono::Utc::now(), "place": null, "checkin_id": null, "met": ["x"], "findings": "x", "risks": [] }),
            ),
        ),
        ("get", "/cases/{id}/visits", None),
        ("get", "/cases/{id}/visits/due", None),
        (
            "post",
            "/visits/{id}/photos",
            Some(json!({ "content_type": "image/jpeg", "content": "" })),
        ),
        ("get", "/visits/{id}/photos/{photo_id}", None),
        ("get", "/cases/{id}/assessments/draft?month=2026-01", None),
        (
            "post",
            "/cases/{id}/assessments",
            Some(json!({ "month": "2026-01", "adjustments": [], "note": null })),
        ),
        ("get", "/cases/{id}/assessments", None),
        ("get", "/cases/{id}/file", None),
        (
            "post",
            "/cases/{id}/release",
            Some(json!({ "place": "x", "attendees": [], "note": null })),
        ),
        ("get", "/cases/{id}/release", None),
        ("get", "/cases/{id}/release/certificate", None),
        (
            "post",
            "/tag-orders/{id}/end",
            Some(json!({ "reason": "x" })),
        ),
    ]
}

/// Lists: outsiders get 200 without the case, or 403.
const LISTS: &[&str] = &[
    "/cases",
    "/cases/export.csv",
    "/investigations",
    "/units",
    "/users",
    "/leaves",
    "/relocations",
    "/alerts",
    "/fences",
    "/locations/current",
    "/roll-calls",
    "/roll-calls/stats",
    "/courses",
    "/learning/shortfalls",
    "/lectures",
    "/help-sessions",
    "/help/coverage",
    "/service-activities",
    "/service/shortfalls",
];

/// Admin-duty endpoints and the one role allowed each.
fn duty_endpoints() -> Vec<(&'static str, &'static str, &'static str, Value)> {
    vec![
        (
            "post",
            "/sensitive-periods",
            "sys",
            json!({ "name": "x", "start_date": "2099-01-01", "end_date": "2099-01-02" }),
        ),
        (
            "post",
            "/units",
            "sys",
            json!({ "name": "x", "kind": "province", "parent_id": null }),
        ),
        (
            "post",
            "/users",
            "sys",
            json!({ "username": "new.user", "password": "Test-Password-42", "display_name": "x", "role": "officer", "unit_id": null }),
        ),
        ("post", "/users/{id}/unlock", "secadmin", json!({})),
        ("post", "/users/{id}/disable", "secadmin", json!({})),
        ("post", "/users/{id}/enable", "secadmin", json!({})),
        (
            "post",
            "/users/{id}/password/reset",
            "secadmin",
            json!(null),
        ),
        ("get", "/audit", "auditadmin", json!(null)),
        ("get", "/audit/verify", "auditadmin", json!(null)),
    ]
}

/// Endpoints about the caller themself, covered in auth.rs.
const SELF_ENDPOINTS: &[&str] = &[
    "/auth/login",
    "/auth/refresh",
    "/auth/logout",
    "/auth/password",
    "/me",
    // A supervisee checks in for their own case only; covered in checkins.rs.
    "/checkins/challenge",
    "/checkins",
    // The calendar of sensitive periods is public to every signed-in user; declaring one is
    // the system admin's (in the duty list).
    "/sensitive-periods",
    // A supervisee reports the location of their own phone only; covered in locations.rs.
    "/locations/batches",
    // Checking a certificate by its number needs no sign-in (help.rs).
    "/certificates/{number}",
    // The jurisdiction's rules are the same for every signed-in user (leave.rs).
    "/rules",
    // A supervisee's own alerts and activity areas (locations.rs).
    "/me/alerts",
    "/me/areas",
    // An officer's own work queue: outsiders and other roles (queue.rs).
    "/me/queue",
    // The units a move may go to: public organisation facts for anyone signed in
    // (relocation_visitors.rs).
    "/units/receiving",
];

/// Row counts of everything but the logs that reads append to.
async fn snapshot(app: &common::TestApp) -> Vec<i64> {
    let mut v = vec![];
    for t in [
        "org_units",
        "users",
        "devices",
        "cases",
        "level_changes",
        "status_changes",
        "correction_plans",
        "team_members",
        "investigations",
        "leave_requests",
        "leave_steps",
        "relocation_requests",
        "visitor_requests",
        "face_templates",
        "checkins",
        "alerts",
        "sensitive_periods",
        "missed_windows",
        "checkin_requests",
        "checkin_try_resets",
        "leave_attachments",
        "fences",
        "location_points",
        "location_states",
        "roll_calls",
        "courses",
        "lessons",
        "study_sessions",
        "study_beats",
        "ledger_credits",
        "ledger_months",
        "quiz_questions",
        "quiz_attempts",
        "course_assignments",
        "lectures",
        "lecture_attendances",
        "reflections",
        "help_sessions",
        "help_comments",
        "service_certificates",
        "service_activities",
        "service_participations",
        "sanctions",
        "tag_orders",
    ] {
        v.push(app.count(t).await);
    }
    v
}

both!(outsiders_get_nothing_from_any_endpoint, |app| {
    let w = World::build(&app).await;
    // The case needs a plan, a team member and a device, and there is an investigation.
    let a1 = w.token("officer.a1");
    let (s, _) = app
        .call(
            "PUT",
            &format!("/api/v1/cases/{}/plan", w.case_a1),
            Some(a1),
            Some(json!({ "base_version": 0, "text": "方案", "measures": ["教育学习"] })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, team) = app
        .get(&format!("/api/v1/cases/{}/team", w.case_a1), a1)
        .await;
    let member = team[0]["id"].as_str().unwrap().to_owned();
    let (_, devices) = app
        .get(&format!("/api/v1/cases/{}/devices", w.case_a1), a1)
        .await;
    let device = devices[0]["id"].as_str().unwrap().to_owned();
    let (s, inv) = app
        .post("/api/v1/investigations", a1, json!({ "unit_id": w.office_a1, "court": "城关区人民法院", "defendant_name": "调查对象", "defendant_national_id": common::national_id(900), "minor": false, "charge": "盗窃罪", "requested_on": "2026-11-01", "due_on": "2026-11-11" }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inv}");
    let inv = inv["id"].as_str().unwrap().to_owned();
    let (s, leave) = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/cases/{}/leaves", w.case_a1), Some(json!({ "reason_category": "family", "reason_text": "探亲", "destination": { "name": "天水", "lat": 34.58, "lon": 105.72 }, "start_date": huijiao_core::policy::calendar::local_date(chrono::Utc::now()) + chrono::Duration::days(10), "end_date": huijiao_core::policy::calendar::local_date(chrono::Utc::now()) + chrono::Duration::days(12), "contact_while_away": "138", "submit": true })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{leave}");
    let leave = leave["id"].as_str().unwrap().to_owned();
    // A relocation to a new office no outsider covers, and a visit needing approval.
    let (_, a3) = app
        .post(
            "/api/v1/units",
            w.token("sys"),
            json!({ "name": "新司法所", "kind": "judicial_office", "parent_id": w.county_a }),
        )
        .await;
    let move_date =
        huijiao_core::policy::calendar::local_date(chrono::Utc::now()) + chrono::Duration::days(40);
    let (s, reloc) = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/cases/{}/relocations", w.case_a1), Some(json!({ "to_unit_id": a3["id"], "new_residence": { "address": "新址", "lat": 36.0, "lon": 103.8 }, "move_date": move_date, "reason": "搬家" })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{reloc}");
    let reloc = reloc["id"].as_str().unwrap().to_owned();
    let (s, visit) = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/cases/{}/visitors", w.case_a1), Some(json!({ "visitor_name": "被害人", "relation": "victim", "meeting_at": chrono::Utc::now() + chrono::Duration::days(3), "place": "司法所", "purpose": "调解" })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{visit}");
    let visit = visit["id"].as_str().unwrap().to_owned();
    // A check-in and an alert on the case, written directly (the face engine is not needed
    // to check who may reach them).
    let (checkin_id, alert_id) = {
        use huijiao_server::entities::case;
        use sea_orm::EntityTrait;
        let case_uuid: uuid::Uuid = w.case_a1.parse().unwrap();
        let c = case::Entity::find_by_id(case_uuid)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let row_id = common::insert_checkin(
            &app,
            case_uuid,
            c.user_id.unwrap(),
            "failed",
            chrono::Utc::now(),
            None,
        )
        .await;
        let a = common::raise_alert(
            &app,
            case_uuid,
            huijiao_core::model::AlertKind::CheckinFailed,
            huijiao_core::model::AlertSeverity::High,
            json!({ "checkin_id": row_id }),
            app.state.clock.now(),
        )
        .await;
        (row_id.to_string(), a.id.to_string())
    };
    // A ringing roll call on the case, written directly.
    let roll_call_id = {
        use huijiao_server::entities::roll_call;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let now = chrono::Utc::now();
        let id = uuid::Uuid::now_v7();
        roll_call::ActiveModel {
            id: Set(id),
            case_id: Set(w.case_a1.parse().unwrap()),
            status: Set(huijiao_core::policy::rollcall::RollCallStatus::Ringing),
            initiated_by: Set(None),
            note: Set(None),
            ring_at: Set(now),
            answer_by: Set(now + chrono::Duration::minutes(5)),
            answered_at: Set(None),
            device_id: Set(None),
            decided_at: Set(None),
            challenge: Set(None),
            reasons: Set(json!([])),
            face_distance: Set(None),
            frames_judged: Set(0),
            snapshot_key: Set(Some("rollcalls/none".into())),
            turn_frame_key: Set(None),
            snapshot_purged_at: Set(None),
            recording_key: Set(Some("rollcalls/none".into())),
            recording_type: Set(Some("video/x-ivf".into())),
            recording_purged_at: Set(None),
            decision_note: Set(None),
            decided_by: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&app.state.db)
        .await
        .unwrap();
        id.to_string()
    };
    // A draft course of county A, and a study session of sv.a1 on its lesson written directly
    // (a draft cannot be studied through the API).
    let (s, course) = w
        .call(&app, "officer.county_a", "POST", "/api/v1/courses", Some(json!({ "title": "法治教育", "category": "law", "lessons": [{ "title": "第一课", "kind": "text", "body": "正文", "min_minutes": 1 }] })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{course}");
    let course_id = course["id"].as_str().unwrap().to_owned();
    let lesson_id = course["lessons"][0]["id"].as_str().unwrap().to_owned();
    let session_id = {
        use huijiao_server::entities::study_session;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let id = uuid::Uuid::now_v7();
        study_session::ActiveModel {
            id: Set(id),
            case_id: Set(w.case_a1.parse().unwrap()),
            lesson_id: Set(lesson_id.parse().unwrap()),
            device_id: Set(Some("phone-1".into())),
            status: Set(huijiao_core::policy::learning::StudySessionStatus::Open),
            opened_at: Set(chrono::Utc::now()),
            ended_at: Set(None),
            last_beat_at: Set(None),
            last_seq: Set(0),
            last_client_ms: Set(0),
            last_position_ms: Set(0),
            last_studying: Set(false),
            credited_ms: Set(0),
            furthest_ms: Set(0),
            completed: Set(false),
            version: Set(1),
            verified_ms: Set(0),
            face_check_by: Set(None),
        }
        .insert(&app.state.db)
        .await
        .unwrap();
        id.to_string()
    };
    let reflection_id = {
        use huijiao_server::entities::reflection;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let id = uuid::Uuid::now_v7();
        reflection::ActiveModel {
            id: Set(id),
            case_id: Set(w.case_a1.parse().unwrap()),
            lesson_id: Set(lesson_id.parse().unwrap()),
            text: Set("心得".into()),
            status: Set(huijiao_core::policy::learning::ReflectionStatus::Submitted),
            submitted_at: Set(chrono::Utc::now()),
            reviewed_by: Set(None),
            reviewed_at: Set(None),
            comment: Set(None),
            version: Set(1),
        }
        .insert(&app.state.db)
        .await
        .unwrap();
        id.to_string()
    };
    let attempt_id = {
        use huijiao_server::entities::quiz_attempt;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let id = uuid::Uuid::now_v7();
        quiz_attempt::ActiveModel {
            id: Set(id),
            case_id: Set(w.case_a1.parse().unwrap()),
            lesson_id: Set(lesson_id.parse().unwrap()),
            attempt_no: Set(1),
            question_order: Set(json!([])),
            answers: Set(None),
            points: Set(None),
            max_points: Set(0),
            percent: Set(None),
            passed: Set(None),
            started_at: Set(chrono::Utc::now()),
            submitted_at: Set(None),
            version: Set(1),
            grades: Set(None),
            graded_by: Set(None),
            graded_at: Set(None),
            status: Set(huijiao_core::policy::learning::QuizAttemptStatus::Open),
        }
        .insert(&app.state.db)
        .await
        .unwrap();
        id.to_string()
    };
    let starts = chrono::Utc::now() - chrono::Duration::minutes(5);
    let (s, lecture) = app
        .post("/api/v1/lectures", a1, json!({ "unit_id": w.office_a1, "title": "法治讲座", "category": "law", "place": "东岗司法所", "lat": 36.06, "lon": 103.83, "radius_m": 200, "starts_at": starts, "ends_at": starts + chrono::Duration::hours(2) }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{lecture}");
    let lecture_id = lecture["id"].as_str().unwrap().to_owned();
    let (s, fence) = app
        .post("/api/v1/fences", a1, json!({ "name": "酒吧", "kind": "exclusion_zone", "shape": { "type": "Circle", "center": [103.83, 36.07], "radius_m": 200.0 }, "case_id": w.case_a1, "prohibition_order": 0 }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{fence}");
    let fence_id = fence["id"].as_str().unwrap().to_owned();
    let starts = chrono::Utc::now() + chrono::Duration::hours(1);
    let (s, activity) = app
        .post("/api/v1/service-activities", a1, json!({ "unit_id": w.office_a1, "title": "清洁", "kind": "cleaning", "place": "公园", "lat": 36.06, "lon": 103.83, "radius_m": 200, "starts_at": starts, "ends_at": starts + chrono::Duration::hours(2), "capacity": 5 }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{activity}");
    let activity_id = activity["id"].as_str().unwrap().to_owned();
    let (s, field_visit) = app
        .post(&format!("/api/v1/cases/{}/visits", w.case_a1), a1, json!({ "id": uuid::Uuid::now_v7(), "kind": "talk", "at": chrono::Utc::now(), "place": null, "checkin_id": null, "met": ["本人"], "findings": "谈话", "risks": [] }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{field_visit}");
    let visit_id = field_visit["id"].as_str().unwrap().to_owned();
    let photo = crate::checkins::fresh_selfie();
    let (s, visit_photo) = app
        .post(&format!("/api/v1/visits/{visit_id}/photos"), a1, json!({ "content_type": "image/jpeg", "content": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &photo) }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{visit_photo}");
    let photo_id = visit_photo["id"].as_str().unwrap().to_owned();
    let (s, sanction) = app
        .post(
            &format!("/api/v1/cases/{}/sanctions", w.case_a1),
            a1,
            json!({ "ground": "commendation.exemplary", "reason": "表现突出" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sanction}");
    let sanction_id = sanction["id"].as_str().unwrap().to_owned();
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    let (s, tag) = app
        .post(&format!("/api/v1/cases/{}/tag-orders", w.case_a1), w.token("officer.county_a"), json!({ "ground": "left_without_approval", "starts_on": today, "ends_on": today + chrono::Duration::days(30), "reason": "x" }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{tag}");
    let tag_id = tag["id"].as_str().unwrap().to_owned();
    let officer_a1_id = w.user_id(&app, "officer.a1").await;
    let volunteer_a1_id = w.user_id(&app, "volunteer.a1").await;
    let help_id = uuid::Uuid::now_v7().to_string();
    let (s, v) = w
        .call(&app, "volunteer.a1", "POST", &format!("/api/v1/cases/{}/help-sessions", w.case_a1), Some(json!({ "id": help_id, "began_at": chrono::Utc::now() - chrono::Duration::hours(2), "minutes": 30, "kind": "talk", "place": null, "notes": "谈心", "risks": [], "follow_up": null })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &format!("/api/v1/help-sessions/{help_id}/review"),
            Some(json!({ "confirm": true, "version": 1 })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let month =
        huijiao_core::policy::calendar::month_of(chrono::Utc::now() - chrono::Duration::hours(2));
    let (s, cert) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            &format!("/api/v1/volunteers/{volunteer_a1_id}/certificates"),
            Some(json!({ "from_month": month, "to_month": month })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{cert}");
    let cert_number = cert["number"].as_str().unwrap().to_owned();

    let fill = |t: &str| {
        let id = match t.split('/').nth(1) {
            Some("investigations") => &inv,
            Some("units") => &w.office_a1,
            Some("users") => &officer_a1_id,
            Some("leaves") => &leave,
            Some("relocations") => &reloc,
            Some("visitors") => &visit,
            Some("checkins") => &checkin_id,
            Some("alerts") => &alert_id,
            Some("fences") => &fence_id,
            Some("roll-calls") => &roll_call_id,
            Some("courses") => &course_id,
            Some("lessons") => &lesson_id,
            Some("study-sessions") => &session_id,
            Some("quiz-attempts") => &attempt_id,
            Some("lectures") => &lecture_id,
            Some("service-activities") => &activity_id,
            Some("sanctions") => &sanction_id,
            Some("tag-orders") => &tag_id,
            Some("reflections") => &reflection_id,
            Some("help-sessions") => &help_id,
            Some("visits") => &visit_id,
            Some("volunteers") => &volunteer_a1_id,
            _ => &w.case_a1,
        };
        format!(
            "/api/v1{}",
            t.replace("{id}", id)
                .replace("{member_id}", &member)
                .replace("{device_id}", &device)
                .replace("{attachment_id}", &member)
                .replace("{case_id}", &w.case_a1)
                .replace("{number}", &cert_number)
                .replace("{photo_id}", &photo_id)
        )
    };

    // Every endpoint of the OpenAPI document is in this matrix.
    let doc = huijiao_server::app::openapi();
    let mut covered: BTreeSet<String> = BTreeSet::new();
    for (m, p, _) in scoped_endpoints() {
        covered.insert(format!("{m} {}", p.split('?').next().unwrap_or(p)));
    }
    for p in LISTS {
        covered.insert(format!("get {p}"));
    }
    covered.insert("post /cases".into());
    covered.insert("post /investigations".into());
    // Authoring is the county's; who may is tested in learning.rs.
    covered.insert("post /courses".into());
    // Scheduling a lecture: for a unit of the officer's own, tested in lectures.rs.
    covered.insert("post /lectures".into());
    // Scheduling an activity: the same, tested in service.rs.
    covered.insert("post /service-activities".into());
    for (m, p, _, _) in duty_endpoints() {
        covered.insert(format!("{m} {p}"));
    }
    for (path, item) in &doc.paths.paths {
        let methods = serde_json::to_value(item).unwrap();
        for m in ["get", "post", "put", "patch", "delete"] {
            if methods.get(m).is_some() && !SELF_ENDPOINTS.contains(&path.as_str()) {
                let key = format!("{m} {path}");
                assert!(
                    covered.contains(&key),
                    "endpoint {key} is missing from the access matrix"
                );
            }
        }
    }

    let before = snapshot(&app).await;
    let secret_name = "测试人1";
    for who in OUTSIDERS {
        for (m, t, body) in scoped_endpoints() {
            let path = fill(t);
            let body = body.as_ref().map(|b| {
                serde_json::from_str(&b.to_string().replace("{case}", &w.case_a1)).unwrap()
            });
            let (s, v) = w.call(&app, who, &m.to_uppercase(), &path, body).await;
            if t.starts_with("/units") && ["sys", "secadmin"].contains(who) {
                assert_eq!(s, StatusCode::OK, "unit administrators see every unit");
                continue;
            }
            assert!(
                s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
                "{who} {m} {path}: {s} {v}"
            );
            assert!(
                !v.to_string().contains(secret_name),
                "{who} saw the case via {path}"
            );
        }
        for l in LISTS {
            let (s, _, bytes) = app
                .call_raw(
                    "GET",
                    &format!("/api/v1{l}"),
                    Some(w.token(who)),
                    if who.starts_with("sv.") {
                        &[("x-device-id", "phone-1")]
                    } else {
                        &[]
                    },
                    None,
                    None,
                )
                .await;
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                s == StatusCode::OK || s == StatusCode::FORBIDDEN,
                "{who} {l}: {s}"
            );
            assert!(
                !text.contains(secret_name)
                    && !text.contains(&w.case_a1)
                    && !text.contains(&inv)
                    && !text.contains(&leave)
                    && !text.contains(&reloc)
                    && !text.contains(&alert_id)
                    && !text.contains(&course_id),
                "{who} saw case data in {l}: {text}"
            );
            if *l == "/units" && s == StatusCode::OK && who.starts_with("officer") {
                assert!(!text.contains(&w.office_a1), "{who} sees a sibling unit");
            }
            if *l == "/users" && s == StatusCode::OK && who.starts_with("officer") {
                assert!(
                    !text.contains("officer.a1"),
                    "{who} sees users of a sibling unit"
                );
            }
        }
    }
    for (m, t, allowed, body) in duty_endpoints() {
        for who in [
            "officer.a1",
            "officer.county_a",
            "volunteer.a1",
            "sv.a1",
            "sys",
            "secadmin",
            "auditadmin",
        ] {
            if who == allowed {
                continue;
            }
            let (s, v) = w
                .call(
                    &app,
                    who,
                    &m.to_uppercase(),
                    &fill(t),
                    if body.is_null() {
                        None
                    } else {
                        Some(body.clone())
                    },
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who} {m} {t}: {v}");
        }
    }
    assert_eq!(
        snapshot(&app).await,
        before,
        "an outsider's request changed data"
    );
    let (_, c) = app.get(&format!("/api/v1/cases/{}", w.case_a1), a1).await;
    assert_eq!(c["version"], 3, "the case was not touched");

    // Insiders: the office's officer and the county above see it; the assigned volunteer and the
    // supervisee read it but cannot change it (the volunteer with the identity masked).
    for who in ["officer.a1", "officer.county_a", "volunteer.a1", "sv.a1"] {
        let (s, v) = w.call(&app, who, "GET", &fill("/cases/{id}"), None).await;
        assert_eq!(s, StatusCode::OK, "{who}: {v}");
        let seen = if who == "volunteer.a1" {
            huijiao_core::policy::mask_name(secret_name)
        } else {
            secret_name.to_string()
        };
        assert_eq!(v["name"], seen.as_str(), "{who}");
        let (s, v) = w.call(&app, who, "GET", "/api/v1/cases", None).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            v.to_string().contains(&w.case_a1),
            "{who} misses the case in the list"
        );
    }
    for who in ["volunteer.a1", "sv.a1"] {
        let (s, _) = w
            .call(
                &app,
                who,
                "POST",
                &fill("/cases/{id}/levels"),
                Some(json!({ "level": "lenient", "reason": "x" })),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        let (s, _) = w
            .call(&app, who, "GET", &fill("/cases/{id}/devices"), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    let (s, _) = w
        .call(
            &app,
            "officer.county_a",
            "GET",
            &fill("/investigations/{id}"),
            None,
        )
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the county sees its offices' investigations"
    );
    // The team's volunteer helps with daily life and education: the plan, the schedule and
    // the case, but not the medical papers, the new address, who is visiting or the check-ins.
    for path in [
        "/cases/{id}/plan",
        "/cases/{id}/obligations",
        "/cases/{id}/leaves",
    ] {
        let (s, v) = w.call(&app, "volunteer.a1", "GET", &fill(path), None).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
    }
    for path in [
        "/leaves/{id}/attachments",
        "/cases/{id}/relocations",
        "/relocations/{id}",
        "/cases/{id}/visitors",
        "/visitors/{id}",
        "/cases/{id}/checkins",
    ] {
        let got = w.call(&app, "volunteer.a1", "GET", &fill(path), None).await;
        common::assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        let (s, _) = w.call(&app, "officer.a1", "GET", &fill(path), None).await;
        assert_eq!(s, StatusCode::OK, "the officer still reads {path}");
    }
    assert_eq!(snapshot(&app).await, before);
});

both!(admin_duties_are_separate, |app| {
    let w = World::build(&app).await;
    // The system admin manages units and users but reads neither cases nor the audit log.
    assert_eq!(
        app.get("/api/v1/cases", w.token("sys")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/audit", w.token("sys")).await.0,
        StatusCode::FORBIDDEN
    );
    // The audit admin reads the log, and nothing else.
    assert_eq!(
        app.get("/api/v1/audit", w.token("auditadmin")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/cases", w.token("auditadmin")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/users", w.token("auditadmin")).await.0,
        StatusCode::FORBIDDEN
    );
    // Supervisee accounts only come from a case.
    let (s, v) = app.post("/api/v1/users", w.token("sys"), json!({ "username": "sv.direct", "password": common::PASSWORD, "display_name": "x", "role": "supervisee", "unit_id": w.office_a1 })).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("user.role_not_allowed")
        )
    );
    // One account, one duty: the role is a single value and accounts are never re-roled; an
    // admin cannot even change their own state.
    let (_, users) = app.get("/api/v1/users", w.token("secadmin")).await;
    let me = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "secadmin")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.post(
            &format!("/api/v1/users/{me}/disable"),
            w.token("secadmin"),
            json!({})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
});

both!(the_team_sees_what_helping_needs, |app| {
    let w = World::build(&app).await;
    // A leave to a hospital, for a reason the person would not tell a volunteer.
    let start =
        huijiao_core::policy::calendar::local_date(chrono::Utc::now()) + chrono::Duration::days(5);
    let leave = json!({
        "reason_category": "medical", "reason_text": "住院复查（肿瘤科）",
        "destination": { "name": "西安市第一医院", "lat": 34.2612, "lon": 108.9423 },
        "start_date": start, "end_date": start + chrono::Duration::days(2),
        "contact_while_away": "13800000000", "urgent": false, "submit": true,
    });
    let (s, l) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/cases/{}/leaves", w.case_a1),
            Some(leave),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    let case_path = format!("/api/v1/cases/{}", w.case_a1);
    let (_, officer) = w.call(&app, "officer.a1", "GET", &case_path, None).await;
    let (s, team) = w.call(&app, "volunteer.a1", "GET", &case_path, None).await;
    assert_eq!(s, StatusCode::OK, "{team}");
    // The officer sees the record; the volunteer the person, masked, and their district.
    assert_eq!(officer["crime"], "危险驾驶罪");
    assert_eq!(officer["residence"]["address"], "兰州市城关区示例路1号");
    for field in ["crime", "court", "judgment_number"] {
        assert_eq!(team[field], "", "{field}: {team}");
    }
    assert_eq!(team["prohibition_orders"], json!([]));
    assert_eq!(team["residence"]["address"], "兰州市城关区");
    assert_eq!(team["residence"]["lat"], 36.06);
    assert_ne!(team["name"], officer["name"]);
    // The leave: away, and when; not why, nor where exactly.
    for path in [
        format!("/api/v1/leaves/{}", l["id"].as_str().unwrap()),
        format!("/api/v1/cases/{}/leaves", w.case_a1),
    ] {
        let (s, v) = w.call(&app, "volunteer.a1", "GET", &path, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let seen = if v["items"].is_array() {
            v["items"][0].clone()
        } else {
            v
        };
        assert_eq!(seen["reason_category"], "withheld", "{seen}");
        assert_eq!(seen["reason_text"], "", "{seen}");
        assert_eq!(seen["destination"]["name"], "西安市", "{seen}");
        assert_eq!(seen["start_date"], json!(start));
        assert!(!seen.to_string().contains("肿瘤"), "{seen}");
    }
    // Nobody applies with a withheld reason.
    let got = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/cases/{}/leaves", w.case_a1), Some(json!({
            "reason_category": "withheld", "reason_text": "x",
            "destination": { "name": "x", "lat": 34.26, "lon": 108.94 },
            "start_date": start + chrono::Duration::days(10), "end_date": start + chrono::Duration::days(11),
            "contact_while_away": "x", "urgent": false, "submit": true })))
        .await;
    assert_eq!(got.1["errors"][0]["field"], "reason_category", "{}", got.1);
});
