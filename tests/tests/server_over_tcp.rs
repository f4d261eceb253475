//! The real server on a real port (SQLite, demo data), driven over HTTP: what a phone or a
//! browser sees, including request ids, metrics and a graceful stop.

use huijiao_e2e::{any_port, TestServer};
use serde_json::{json, Value};

async fn start(dir: &std::path::Path) -> TestServer {
    TestServer::start(
        dir,
        any_port(),
        |_| {},
        |state| {
            let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
            state.metrics = Some(recorder.handle());
            // Process-wide recorder for this test binary (one test installs it).
            let _ = metrics::set_global_recorder(recorder);
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_server_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let srv = start(dir.path()).await;
    let http = reqwest::Client::new();
    let health: Value = http
        .get(format!("{}/readyz", srv.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ready");

    // An officer signs in with the demo login and sees their caseload.
    let res = http
        .post(format!("{}/api/v1/auth/login", srv.base))
        .json(&json!({ "username": "officer.donggang", "password": huijiao_server::demo::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers().get("x-request-id").is_some(),
        "every response carries a request id"
    );
    let login: Value = res.json().await.unwrap();
    let token = login["access_token"].as_str().unwrap();
    let cases: Value = http
        .get(format!("{}/api/v1/cases", srv.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cases = cases["items"].as_array().unwrap();
    assert_eq!(cases.len(), 3, "the office's three demo cases");
    assert!(
        cases
            .iter()
            .any(|c| c["minor"] == true && c["name"].as_str().unwrap().contains('*')),
        "the minor is masked"
    );

    // A supervisee signs in from the approved demo phone.
    let res = http
        .post(format!("{}/api/v1/auth/login", srv.base))
        .json(&json!({ "username": "sv.maxiaojun", "password": huijiao_server::demo::DEMO_PASSWORD, "device_id": huijiao_server::demo::DEMO_DEVICE }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let sv: Value = res.json().await.unwrap();
    let me: Value = http
        .get(format!("{}/api/v1/me", srv.base))
        .bearer_auth(sv["access_token"].as_str().unwrap())
        .header("x-device-id", huijiao_server::demo::DEMO_DEVICE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(me["case_id"].is_string());

    // An error over the wire: the envelope, the client's request id echoed back.
    let res = http
        .get(format!("{}/api/v1/cases", srv.base))
        .header("x-request-id", "trace-me-123")
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["x-request-id"], "trace-me-123");
    let problem: Value = res.json().await.unwrap();
    assert_eq!(
        (problem["code"].as_str(), problem["request_id"].as_str()),
        (Some("auth.token_missing"), Some("trace-me-123"))
    );

    // Metrics name routes by template, never by concrete ids.
    let metrics = http
        .get(format!("{}/metrics", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(
        metrics.contains("route=\"/api/v1/auth/login\""),
        "{metrics}"
    );

    // Graceful stop: the server returns once asked.
    srv.stop().await;
}
