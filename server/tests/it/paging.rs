//! One way every list pages: `limit` and `after` in, `items` and `next` out; a walk through
//! the pages repeats and skips nothing, even with rows added between pages and several rows
//! sharing one time; a bad page size or cursor is refused naming the parameter.

use crate::common;

use axum::http::StatusCode;
use chrono::Duration;
use common::World;
use huijiao_core::model::{AlertKind, AlertSeverity};
use serde_json::{json, Value};

async fn raise(app: &common::TestApp, case_id: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    let kind = (AlertKind::CheckinMissed, AlertSeverity::Low);
    let a = common::raise_alert(app, case_id.parse().unwrap(), kind.0, kind.1, json!({}), at);
    a.await.id.to_string()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page: {page}"))
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

both!(a_walk_through_the_pages_repeats_and_skips_nothing, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    let now = app.state.clock.now();
    // Seven alerts; three of them at the very same instant (the id breaks the tie).
    let mut raised = vec![];
    for minutes in [50, 40, 30, 30, 30, 20, 10] {
        raised.push(raise(&app, &w.case_a1, now - Duration::minutes(minutes)).await);
    }
    let (s, whole) = app.get("/api/v1/alerts?limit=500", t).await;
    assert_eq!(s, StatusCode::OK, "{whole}");
    assert_eq!(
        whole["next"],
        Value::Null,
        "one page holds them all: {whole}"
    );
    let whole = ids(&whole);
    assert_eq!(whole.len(), 7);
    // Newest first.
    assert_eq!(whole[0], raised[6]);
    assert_eq!(whole[6], raised[0]);

    let mut walked = vec![];
    let mut path = "/api/v1/alerts?limit=2&state=open".to_owned();
    let mut pages = 0;
    loop {
        let (s, page) = app.get(&path, t).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert!(ids(&page).len() <= 2);
        walked.extend(ids(&page));
        pages += 1;
        if pages == 2 {
            // A newer alert arrives mid-walk: it is before the cursor and so not in this walk.
            raise(&app, &w.case_a1, now).await;
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/alerts?limit=2&state=open&after={next}"),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(
        walked, whole,
        "the same list, in the same order, without repeats"
    );

    // Without `limit`, the default page; the supervisee's own list pages the same way.
    let (_, first) = app.get("/api/v1/alerts", t).await;
    assert_eq!(ids(&first).len(), 8);
    let (s, own) = w
        .call(&app, "sv.a1", "GET", "/api/v1/me/alerts?limit=3", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{own}");
    assert_eq!(ids(&own).len(), 3);
    assert!(own["next"].is_string());
});

both!(a_bad_page_size_or_cursor_is_refused_naming_it, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=many", "limit"),
        ("after=nonsense", "after"),
        ("after=12_345", "after"),
        (
            "after=99999999999999999999_0193f0a0b1c27d3e8f9a0b1c2d3e4f50",
            "after",
        ),
    ] {
        // Lists read from the database, and computed reports sliced in memory.
        for list in [
            "/api/v1/alerts",
            "/api/v1/cases",
            "/api/v1/me/alerts",
            "/api/v1/learning/shortfalls",
            "/api/v1/locations/current",
        ] {
            let who = if list.starts_with("/api/v1/me") {
                "sv.a1"
            } else {
                "officer.a1"
            };
            let (s, v) = w
                .call(&app, who, "GET", &format!("{list}?{query}"), None)
                .await;
            assert!(
                s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::BAD_REQUEST,
                "{list}?{query}: {s} {v}"
            );
            assert_eq!(v["errors"][0]["field"], field, "{list}?{query}: {v}");
        }
    }
    // A filter it does not know is still refused, paging or not.
    let (_, v) = app.get("/api/v1/alerts?limit=2&colour=red", t).await;
    assert_eq!(v["errors"][0]["field"], "colour", "{v}");
});

/// Lists answered as a bare array: bounded by what they are, or not yet paged. A list that
/// starts to page leaves this table (the test fails until it does), and a new list pages from
/// its first day.
const UNPAGED: &[(&str, &str)] = &[
    // Bounded by what they are.
    (
        "/cases/{id}/assigned-courses",
        "bounded: one line per course assigned to the case",
    ),
    (
        "/cases/{id}/xapi-statements",
        "an export: one case's whole learning record as one document, for a learning record store",
    ),
    (
        "/service-activities/{id}/participants",
        "bounded: the activity's capacity",
    ),
    (
        "/cases/{id}/assessments",
        "bounded: one per month of the term",
    ),
    (
        "/cases/{id}/devices",
        "bounded: a person's registered phones",
    ),
    (
        "/cases/{id}/face",
        "bounded: a person's enrolments, purged on schedule",
    ),
    (
        "/cases/{id}/levels",
        "bounded: a case's level changes (a few a year at most)",
    ),
    ("/cases/{id}/plans", "bounded: a case's correction plans"),
    (
        "/cases/{id}/tag-orders",
        "bounded: orders of at most three months, never overlapping",
    ),
    ("/cases/{id}/team", "bounded: a case's correction team"),
    (
        "/cases/{id}/visits/due",
        "bounded: computed from the level's schedule",
    ),
    (
        "/leaves/{id}/attachments",
        "bounded: at most 5 files per leave",
    ),
    (
        "/me/areas",
        "bounded: the activity areas of one case and its units",
    ),
    (
        "/roll-calls/stats",
        "bounded: one row per unit of the caller's subtree",
    ),
    (
        "/sensitive-periods",
        "bounded: the configured sensitive periods",
    ),
    (
        "/units",
        "bounded: the org tree (province, cities, counties, offices)",
    ),
    (
        "/units/receiving",
        "bounded: the org tree's county agencies and offices",
    ),
    (
        "/help/coverage",
        "bounded: one row per unit of the caller's subtree",
    ),
];

#[test]
fn every_list_pages_unless_it_is_bounded() {
    let doc = serde_json::to_value(huijiao_server::app::openapi()).unwrap();
    let mut bare = vec![];
    let mut paged = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        let params: Vec<&str> = get["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter_map(|p| p["name"].as_str()).collect())
            .unwrap_or_default();
        let schema = &get["responses"]["200"]["content"]["application/json"]["schema"];
        if schema["type"] == "array" {
            bare.push(path.clone());
        } else if params.contains(&"after") {
            // A paged list says so in the document: `limit` and `after` in, a page out.
            assert!(params.contains(&"limit"), "{path}: `after` without `limit`");
            let text = schema.to_string();
            assert!(
                text.contains("items") && text.contains("next") || text.contains("Page"),
                "{path}: takes `after` but answers {schema}"
            );
            paged.push(path.clone());
        }
    }
    let listed: Vec<String> = UNPAGED.iter().map(|(p, _)| (*p).to_owned()).collect();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    bare.sort();
    assert_eq!(
        bare, listed_sorted,
        "lists answered as a bare array: page a new one (crate::paging), and take a list that \
         now pages out of UNPAGED"
    );
    for p in [
        "/alerts",
        "/audit",
        "/cases",
        "/me/alerts",
        "/roll-calls",
        "/cases/{id}/roll-calls",
        "/cases/{id}/checkins",
        "/service-activities",
        "/lectures",
        "/cases/{id}/study-sessions",
        "/cases/{id}/quiz-attempts",
        "/cases/{id}/help-sessions",
        "/help-sessions",
        "/cases/{id}/visits",
        "/cases/{id}/leaves",
        "/leaves",
        "/cases/{id}/relocations",
        "/relocations",
        "/cases/{id}/visitors",
        "/cases/{id}/sanctions",
        "/cases/{id}/checkin-requests",
        "/cases/{id}/reflections",
        "/volunteers/{id}/certificates",
        "/fences",
        "/courses",
        "/investigations",
        "/users",
        "/learning/shortfalls",
        "/service/shortfalls",
        "/locations/current",
        "/lectures/{id}/attendance",
    ] {
        assert!(paged.contains(&p.to_owned()), "{p} pages: {paged:?}");
    }
}
