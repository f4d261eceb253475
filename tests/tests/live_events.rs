//! Live events over a real WebSocket: a supervisee connected to `/api/v1/events` hears about
//! the decision on their leave; an officer of another county hears nothing; a bad token is
//! refused before the upgrade.

use std::time::Duration;

use futures::StreamExt;
use huijiao_e2e::{login, TestServer, DEMO_DEVICE};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leave_decision_reaches_the_supervisee_live() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::demo(dir.path()).await;
    let (addr, base) = (server.addr, server.base.clone());
    let http = reqwest::Client::new();

    let sv = login(&http, &base, "sv.maxiaojun", Some(DEMO_DEVICE)).await;
    let officer = login(&http, &base, "officer.donggang", None).await;
    let stranger = login(&http, &base, "officer.xiyuan", None).await;

    let (bad, _) = (
        tokio_tungstenite::connect_async(format!(
            "ws://{addr}/api/v1/events?access_token=nonsense"
        ))
        .await,
        (),
    );
    assert!(bad.is_err(), "a bad token gets no socket");
    let (mut sv_ws, _) = tokio_tungstenite::connect_async(format!(
        "ws://{addr}/api/v1/events?access_token={sv}&device_id={DEMO_DEVICE}"
    ))
    .await
    .unwrap();
    let (mut stranger_ws, _) = tokio_tungstenite::connect_async(format!(
        "ws://{addr}/api/v1/events?access_token={stranger}"
    ))
    .await
    .unwrap();

    // The supervisee applies; the office officer approves.
    let me: Value = http
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&sv)
        .header("x-device-id", DEMO_DEVICE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let case_id = me["case_id"].as_str().unwrap();
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    let leave: Value = http
        .post(format!("{base}/api/v1/cases/{case_id}/leaves"))
        .bearer_auth(&sv)
        .header("x-device-id", DEMO_DEVICE)
        .json(&json!({ "reason_category": "family", "reason_text": "探亲", "destination": { "name": "天水", "lat": 34.58, "lon": 105.72 }, "start_date": today + chrono::Duration::days(5), "end_date": today + chrono::Duration::days(7), "contact_while_away": "138", "submit": true }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let decided = http
        .post(format!(
            "{base}/api/v1/leaves/{}/approve",
            leave["id"].as_str().unwrap()
        ))
        .bearer_auth(&officer)
        .json(&json!({ "version": leave["version"], "opinion": "同意" }))
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 200);

    // The supervisee hears their own submission, then the decision.
    let mut next = async || {
        let msg = tokio::time::timeout(Duration::from_secs(5), sv_ws.next())
            .await
            .expect("event arrives")
            .unwrap()
            .unwrap();
        serde_json::from_str::<Value>(msg.to_text().unwrap()).unwrap()
    };
    assert_eq!(next().await["payload"]["status"], "submitted");
    let event = next().await;
    assert_eq!(
        (
            event["kind"].as_str(),
            event["case_id"].as_str(),
            event["payload"]["status"].as_str()
        ),
        (Some("leave"), Some(case_id), Some("approved"))
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(500), stranger_ws.next())
            .await
            .is_err(),
        "another county hears nothing"
    );

    // Open sockets do not hold the server up once asked to stop: it closes them.
    server.stop().await;
    drop(sv_ws);
    drop(stranger_ws);
}
