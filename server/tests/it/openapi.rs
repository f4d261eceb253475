//! The OpenAPI document is generated from the code and snapshot-tested: a change to any path,
//! parameter or schema shows up here. Set `UPDATE_SNAPSHOTS=1` to accept an intended change.

use axum::http::StatusCode;

#[test]
fn openapi_document_matches_snapshot() {
    let doc = huijiao_server::app::openapi();
    let json = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    let path =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("tests/snapshots/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&path, &json).unwrap();
    }
    let expected =
        std::fs::read_to_string(&path).expect("snapshot missing: run with UPDATE_SNAPSHOTS=1");
    assert!(
        expected == json,
        "the OpenAPI document changed; review and run with UPDATE_SNAPSHOTS=1 to accept"
    );
}

/// Every page of `docs/`, read as one text.
fn docs() -> String {
    let dir =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../docs");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("docs/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn every_error_code_is_documented() {
    let docs = docs();
    for code in huijiao_core::ErrorCode::ALL {
        assert!(
            docs.contains(&format!("`{}`", code.code())),
            "no page of docs/ lists {}",
            code.code()
        );
    }
}

/// The apps' developers read the live event kinds in docs/api.md: a new kind must be listed.
#[test]
fn every_event_kind_is_documented() {
    let api = std::fs::read_to_string(
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../docs/api.md"),
    )
    .unwrap();
    let events = &api[api
        .find("### Live event kinds")
        .expect("docs/api.md has the section")..];
    for kind in huijiao_core::model::EventKind::ALL {
        assert!(
            events.contains(&format!("| `{kind}` |")),
            "docs/api.md's live event kinds do not list {kind}"
        );
    }
}

both!(document_and_ui_are_served, |app| {
    let (s, h, body) = app
        .call_raw("GET", "/api/v1/openapi.json", None, &[], None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(h
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(doc["paths"]["/cases/{id}"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    let (s, _, body) = app
        .call_raw("GET", "/api/v1/docs", None, &[], None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("<html"));
    // The reference is readable without a script: every operation and schema is on the page.
    for (path, ops) in doc["paths"].as_object().unwrap() {
        assert!(page.contains(&format!(">{path}<")), "{path} is on the page");
        assert!(!ops.as_object().unwrap().is_empty());
    }
    assert!(page.contains("id=\"schema-CheckinReviewRequest\""));
    let (s, _, _) = app.call_raw("GET", "/healthz", None, &[], None, None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, body) = app.call_raw("GET", "/readyz", None, &[], None, None).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
});

/// Every tag an operation uses is declared (with its place in the browsable reference).
#[test]
fn every_operation_tag_is_declared() {
    let doc = serde_json::to_value(huijiao_server::app::openapi()).unwrap();
    let declared: Vec<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for tag in op["tags"].as_array().into_iter().flatten() {
                let tag = tag.as_str().unwrap();
                assert!(
                    declared.contains(&tag),
                    "{method} {path}: tag {tag} has no row in app::DOMAINS"
                );
            }
        }
    }
}

/// Each operation's id is unique (the spec requires it; generated clients name their methods
/// after it).
#[test]
fn operation_ids_are_unique() {
    let doc = serde_json::to_value(huijiao_server::app::openapi()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
                panic!("{method} {path} and {other} are both {id}");
            }
        }
    }
}

/// Generated clients trust the document: a parameter declared `in: path` must be in the path
/// template, and errors are declared with the media type they are sent with.
#[test]
fn parameters_and_error_media_types_are_what_the_server_does() {
    let doc = serde_json::to_value(huijiao_server::app::openapi()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                if p["in"] == "path" {
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {name} is no path parameter"
                    );
                }
            }
            for (status, r) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    let content = r["content"].as_object().unwrap();
                    assert!(
                        content.contains_key("application/problem+json")
                            && !content.contains_key("application/json"),
                        "{method} {path} {status}: {content:?}"
                    );
                }
            }
        }
    }
}

/// What a page loads from elsewhere: every `src`, `href` or CSS `url(…)` that leaves the
/// server (a scheme or a protocol-relative `//`).
fn external_urls(html: &str) -> Vec<String> {
    let mut found = vec![];
    for attr in ["src=", "href=", "url(", "@import"] {
        for (at, _) in html.match_indices(attr) {
            let rest = html[at + attr.len()..].trim_start_matches(['"', '\'', ' ']);
            let target: String = rest
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ')' | ' ' | '>'))
                .collect();
            if target.starts_with("//") || target.contains("://") {
                found.push(target);
            }
        }
    }
    found
}

#[test]
fn an_external_url_is_found() {
    let html = "<script src=\"https://cdn.example/x.js\"></script><link href='//fonts.example/a'>\
                <style>@import url(http://x/y.css)</style><a href=\"openapi.json\">";
    // (The import is found twice: as `@import` and as its `url(`.)
    assert_eq!(external_urls(html).len(), 4, "{:?}", external_urls(html));
}

both!(served_pages_load_nothing_from_outside, |app| {
    // A government network often has no internet: the reference and the roll-call page the
    // browser opens must work from this server alone.
    for path in ["/api/v1/docs", "/roll-call"] {
        let (s, _, body) = app.call_raw("GET", path, None, &[], None, None).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        let page = String::from_utf8_lossy(&body);
        assert!(page.contains("<html"), "{path}");
        assert_eq!(external_urls(&page), Vec::<String>::new(), "{path}");
    }
});
