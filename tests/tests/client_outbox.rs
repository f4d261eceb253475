//! The core client and its outbox: against a real server that goes away and comes back
//! (delivered exactly once, nothing lost across a restart of the app, a permanent refusal
//! surfaced), and against a server that fails on purpose (500s, a timeout, an answer lost
//! after the write).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use chrono::Utc;
use huijiao_core::api::{LocationBatchRequest, LocationPointIn};
use huijiao_core::client::outbox::{Outbox, OutboxState};
use huijiao_core::client::{Client, MemoryTokenStore, TokenStore, Tokens};
use huijiao_core::model::LocationProvider;
use huijiao_core::Lang;
use huijiao_e2e::{free_addr, TestServer, DEMO_DEVICE, DEMO_PASSWORD};
use uuid::Uuid;

fn batch(n: usize, lat: f64, minutes_ago: i64) -> LocationBatchRequest {
    LocationBatchRequest {
        batch_id: Uuid::new_v4(),
        points: (0..n)
            .map(|i| LocationPointIn {
                lat,
                lon: 103.84,
                accuracy_m: 10.0,
                fix_time: Utc::now() - chrono::Duration::minutes(minutes_ago)
                    + chrono::Duration::seconds(i as i64),
                speed_mps: None,
                provider: LocationProvider::Gps,
                mock: false,
                battery: Some(50),
            })
            .collect(),
    }
}

async fn serve_on(data_dir: &std::path::Path, addr: std::net::SocketAddr) -> TestServer {
    TestServer::start(data_dir, addr, |_| {}, |_| {}).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_writes_are_delivered_once_when_the_server_returns() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = serve_on(data.path(), addr).await;
    let base = format!("http://{addr}");
    let tokens: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::default());
    let sv = Client::new(&base, Some(DEMO_DEVICE.into()), tokens.clone(), Lang::En).unwrap();
    let me = sv.login("sv.maxiaojun", DEMO_PASSWORD).await.unwrap();
    let case_id = me.case_id.unwrap();
    assert_eq!(
        sv.obligations(case_id)
            .await
            .unwrap()
            .location_interval_minutes,
        10
    );

    // The network goes: the server is stopped.
    server.stop().await;
    let outbox = Outbox::open(&phone.path().join("outbox.db"))
        .await
        .unwrap()
        .with_backoff_unit(chrono::Duration::milliseconds(50));
    let mut changes = outbox.subscribe();
    let batches = [
        batch(5, 36.06, 30),
        batch(5, 36.061, 20),
        batch(5, 36.062, 10),
    ];
    for b in &batches {
        outbox.enqueue_locations(b).await.unwrap();
    }
    // A double tap queues nothing twice.
    outbox.enqueue_locations(&batches[0]).await.unwrap();
    assert!(changes.has_changed().unwrap());
    changes.mark_unchanged();
    let report = outbox.flush(&sv).await.unwrap();
    assert_eq!((report.sent, report.deferred), (0, 3));
    let items = outbox.items().await.unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].attempts, 1);
    assert_eq!(items[0].last_error.as_deref(), Some("network"));
    assert_eq!(
        items[1].attempts, 0,
        "the rest wait instead of hammering a dead network"
    );
    assert!(changes.has_changed().unwrap());

    // The app is killed and started again: the queue is the file.
    drop(outbox);
    let outbox = Outbox::open(&phone.path().join("outbox.db"))
        .await
        .unwrap()
        .with_backoff_unit(chrono::Duration::milliseconds(50));
    assert_eq!(outbox.items().await.unwrap().len(), 3);

    // The server is back (same data, same address).
    let server = serve_on(data.path(), addr).await;
    let mut sent = 0;
    for _ in 0..100 {
        sent += outbox.flush(&sv).await.unwrap().sent;
        if sent == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sent, 3);
    assert!(outbox
        .items()
        .await
        .unwrap()
        .iter()
        .all(|i| i.state == OutboxState::Sent));
    // Flushing again sends nothing.
    assert_eq!(outbox.flush(&sv).await.unwrap().sent, 0);

    // The officer sees each fix once.
    let officer =
        Client::new(&base, None, Arc::new(MemoryTokenStore::default()), Lang::En).unwrap();
    officer
        .login("officer.donggang", DEMO_PASSWORD)
        .await
        .unwrap();
    let positions = officer.positions().await.unwrap();
    assert!(positions.iter().any(|p| p.case_id == case_id));
    let track = officer
        .track(
            case_id,
            Utc::now() - chrono::Duration::hours(1),
            Utc::now() + chrono::Duration::minutes(1),
            Some(0.0),
        )
        .await
        .unwrap();
    assert_eq!(track.total_points, 15, "{track:?}");

    // A batch the server refuses for good is surfaced, not retried forever.
    let mut bad = batch(2, 36.06, 1);
    bad.points[1].lat = 91.0;
    outbox.enqueue_locations(&bad).await.unwrap();
    let report = outbox.flush(&sv).await.unwrap();
    assert_eq!(report.rejected, 1);
    let last = outbox.items().await.unwrap().pop().unwrap();
    assert_eq!(last.state, OutboxState::Rejected);
    assert_eq!(last.last_error.as_deref(), Some("request.invalid_field"));
    assert_eq!(outbox.flush(&sv).await.unwrap(), Default::default());

    // Signing out forgets the tokens.
    sv.logout().await.unwrap();
    assert!(!sv.is_signed_in());
    assert!(tokens.load().is_none());
    server.stop().await;
}

/// A server that fails on purpose: two 5xx, one answer too slow, then it stores the batch but
/// the answer is lost; after that it answers like the real one (already have it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_survives_errors_timeouts_and_lost_answers() {
    #[derive(Default)]
    struct Flaky {
        calls: AtomicUsize,
        stored: Mutex<Vec<Uuid>>,
    }
    let flaky = Arc::new(Flaky::default());
    let app = axum::Router::new()
        .route(
            "/api/v1/locations/batches",
            axum::routing::post(
                |axum::extract::State(f): axum::extract::State<Arc<Flaky>>,
                 axum::Json(b): axum::Json<LocationBatchRequest>| async move {
                    let call = f.calls.fetch_add(1, Ordering::SeqCst) + 1;
                    match call {
                        1 => {
                            let p = r#"{"type":"about:blank","title":"x","status":500,"code":"internal.error","detail":"x"}"#;
                            return (StatusCode::INTERNAL_SERVER_ERROR, p.to_string());
                        }
                        2 => return (StatusCode::SERVICE_UNAVAILABLE, "".to_string()),
                        3 => {
                            tokio::time::sleep(Duration::from_secs(3)).await;
                            return (StatusCode::GATEWAY_TIMEOUT, "".to_string());
                        }
                        _ => {}
                    }
                    let mut stored = f.stored.lock().unwrap();
                    let duplicate = stored.contains(&b.batch_id);
                    if !duplicate {
                        stored.push(b.batch_id);
                    }
                    let body = serde_json::json!({ "batch_id": b.batch_id, "accepted": b.points.len(), "duplicate": duplicate, "interval_minutes": 10 }).to_string();
                    if call == 4 {
                        // Stored, then the connection's answer is lost on the way back.
                        (StatusCode::BAD_GATEWAY, "".to_string())
                    } else if duplicate {
                        (StatusCode::OK, body)
                    } else {
                        (StatusCode::CREATED, body)
                    }
                },
            ),
        )
        .with_state(flaky.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let tokens = Arc::new(MemoryTokenStore::default());
    tokens.save(Tokens {
        access: "a".into(),
        refresh: "r".into(),
    });
    let client = Client::new(
        &format!("http://{addr}"),
        Some("p".into()),
        tokens,
        Lang::En,
    )
    .unwrap()
    .with_timeout(Duration::from_millis(500))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(&dir.path().join("o.db"))
        .await
        .unwrap()
        .with_backoff_unit(chrono::Duration::milliseconds(10));
    let b = batch(3, 36.0, 5);
    outbox.enqueue_locations(&b).await.unwrap();
    let mut errors = vec![];
    for _ in 0..200 {
        let r = outbox.flush(&client).await.unwrap();
        if r.sent == 1 {
            break;
        }
        let item = outbox.items().await.unwrap().remove(0);
        if item.last_error.as_deref() != errors.last().map(String::as_str) {
            errors.extend(item.last_error);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let item = outbox.items().await.unwrap().remove(0);
    assert_eq!(item.state, OutboxState::Sent);
    assert_eq!(item.attempts, 5);
    assert_eq!(flaky.calls.load(Ordering::SeqCst), 5);
    assert_eq!(
        *flaky.stored.lock().unwrap(),
        vec![b.batch_id],
        "stored exactly once"
    );
    assert_eq!(
        errors,
        vec![
            "internal.error",
            "service.unavailable",
            "network",
            "service.unavailable"
        ]
    );
}

enum Heard {
    Event(huijiao_core::api::EventView),
    State(huijiao_core::client::events::StreamState),
}

struct Ears(tokio::sync::mpsc::UnboundedSender<Heard>);

impl huijiao_core::client::events::EventListener for Ears {
    fn on_event(&self, event: huijiao_core::api::EventView) {
        let _ = self.0.send(Heard::Event(event));
    }
    fn on_state(&self, state: huijiao_core::client::events::StreamState) {
        let _ = self.0.send(Heard::State(state));
    }
}

/// Waits for the first thing heard that `want` accepts.
async fn hear(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<Heard>,
    want: impl Fn(&Heard) -> bool,
) -> Heard {
    tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let h = rx.recv().await.expect("listener alive");
            if want(&h) {
                return h;
            }
        }
    })
    .await
    .expect("heard in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_events_reach_the_listener_across_a_server_restart() {
    use huijiao_core::api::{LeaveCreateRequest, LeaveDecisionRequest, Place};
    use huijiao_core::client::events::StreamState;
    use huijiao_core::model::LeaveReason;

    let data = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = serve_on(data.path(), addr).await;
    let base = format!("http://{addr}");
    let sv = Arc::new(
        Client::new(
            &base,
            Some(DEMO_DEVICE.into()),
            Arc::new(MemoryTokenStore::default()),
            Lang::ZhCn,
        )
        .unwrap(),
    );
    let case_id = sv
        .login("sv.maxiaojun", DEMO_PASSWORD)
        .await
        .unwrap()
        .case_id
        .unwrap();
    let officer =
        Client::new(&base, None, Arc::new(MemoryTokenStore::default()), Lang::En).unwrap();
    officer
        .login("officer.donggang", DEMO_PASSWORD)
        .await
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let sub = sv.subscribe_events(Arc::new(Ears(tx)));
    hear(&mut rx, |h| {
        matches!(h, Heard::State(StreamState::Connected))
    })
    .await;

    let today = huijiao_core::policy::calendar::local_date(Utc::now());
    let apply = |days: i64| LeaveCreateRequest {
        reason_category: LeaveReason::Family,
        reason_text: "探亲".into(),
        destination: Place {
            name: "天水".into(),
            lat: 34.58,
            lon: 105.72,
        },
        start_date: today + chrono::Duration::days(days),
        end_date: today + chrono::Duration::days(days + 1),
        contact_while_away: "13800000000".into(),
        urgent: false,
        standing: false,
        submit: true,
    };
    let decide = |l: &huijiao_core::api::LeaveView| LeaveDecisionRequest {
        version: l.version,
        opinion: "同意".into(),
    };
    let first = sv.apply_leave(case_id, &apply(5)).await.unwrap();
    officer
        .decide_leave(first.id, true, &decide(&first))
        .await
        .unwrap();
    // The supervisee hears their own submission, then the decision.
    let Heard::Event(e) = hear(&mut rx, |h| matches!(h, Heard::Event(_))).await else {
        unreachable!()
    };
    assert_eq!(
        (e.kind.as_str(), e.payload["status"].as_str()),
        ("leave", Some("submitted"))
    );
    let Heard::Event(e) = hear(&mut rx, |h| matches!(h, Heard::Event(_))).await else {
        unreachable!()
    };
    assert_eq!((e.kind.as_str(), e.case_id), ("leave", case_id));
    assert_eq!(e.payload["status"], "approved");

    // The server restarts: the stream notices, waits, and comes back by itself.
    server.stop().await;
    hear(&mut rx, |h| {
        matches!(h, Heard::State(StreamState::Disconnected { .. }))
    })
    .await;
    let server = serve_on(data.path(), addr).await;
    hear(&mut rx, |h| {
        matches!(h, Heard::State(StreamState::Connected))
    })
    .await;
    let second = sv.apply_leave(case_id, &apply(10)).await.unwrap();
    officer
        .decide_leave(second.id, false, &decide(&second))
        .await
        .unwrap();
    let Heard::Event(e) = hear(
        &mut rx,
        |h| matches!(h, Heard::Event(e) if e.payload["status"] != "submitted"),
    )
    .await
    else {
        unreachable!()
    };
    assert_eq!(e.payload["status"], "rejected");

    // Dropping the subscription ends it: nothing more is heard.
    drop(sub);
    let third = sv.apply_leave(case_id, &apply(15)).await.unwrap();
    officer
        .decide_leave(third.id, true, &decide(&third))
        .await
        .unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(500), rx.recv())
            .await
            .map_or(true, |h| h.is_none()),
        "a dropped subscription is silent"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_refreshed_once_for_many_calls() {
    let data = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = TestServer::start(
        data.path(),
        addr,
        |c| {
            c.auth.access_ttl_secs = 1;
            c.auth.clock_leeway_secs = 0;
        },
        |_| {},
    )
    .await;
    let store = Arc::new(MemoryTokenStore::default());
    let officer = Client::new(&format!("http://{addr}"), None, store.clone(), Lang::En).unwrap();
    officer
        .login("officer.donggang", DEMO_PASSWORD)
        .await
        .unwrap();
    let first = store.load().unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // Three calls find the token expired at once; one refresh serves them all (a second
    // refresh with the same refresh token would be reuse, and end the session).
    let (a, b, c) = tokio::join!(officer.me(), officer.cases(), officer.alerts());
    assert!(a.is_ok() && b.is_ok() && c.is_ok(), "{a:?} {b:?} {c:?}");
    let second = store.load().unwrap();
    assert_ne!(first.access, second.access);
    assert_ne!(first.refresh, second.refresh);
    // A stolen copy of the old tokens is refused, and the platform's store is cleared.
    let thief_store = Arc::new(MemoryTokenStore::default());
    thief_store.save(first);
    let thief = Client::new(
        &format!("http://{addr}"),
        None,
        thief_store.clone(),
        Lang::En,
    )
    .unwrap();
    let err = thief.me().await.unwrap_err();
    assert_eq!(err.code(), Some(huijiao_core::ErrorCode::RefreshReused));
    assert!(thief_store.load().is_none());
    // Reuse ends the whole session: the rightful client must sign in again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(officer.me().await.is_err());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_connection_returns_what_waits_goes_at_once_whatever_its_backoff() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = serve_on(data.path(), addr).await;
    let base = format!("http://{addr}");
    let sv = Client::new(
        &base,
        Some(DEMO_DEVICE.into()),
        Arc::new(MemoryTokenStore::default()),
        Lang::En,
    )
    .unwrap();
    sv.login("sv.maxiaojun", DEMO_PASSWORD).await.unwrap();

    // Down: the first try fails and the next is minutes away.
    server.stop().await;
    let outbox = Outbox::open(&phone.path().join("outbox.db"))
        .await
        .unwrap()
        .with_backoff_unit(chrono::Duration::minutes(5));
    outbox.enqueue_locations(&batch(3, 36.06, 5)).await.unwrap();
    outbox
        .enqueue_locations(&batch(3, 36.061, 4))
        .await
        .unwrap();
    assert_eq!(outbox.flush(&sv).await.unwrap().deferred, 2);

    // Back: a plain flush sends the untried one and waits out the first one's backoff;
    // flush_now sends that one too, once.
    let server = serve_on(data.path(), addr).await;
    let waiting = outbox.flush(&sv).await.unwrap();
    assert_eq!((waiting.sent, waiting.deferred), (1, 1));
    let now = outbox.flush_now(&sv).await.unwrap();
    assert_eq!((now.sent, now.deferred, now.rejected), (1, 0, 0));
    assert_eq!(outbox.flush_now(&sv).await.unwrap().sent, 0);
    server.stop().await;
}
