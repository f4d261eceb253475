//! How fast a screen shows something (issue #35): its first state from what the phone kept,
//! and its first state from the server, each against a baseline measured in the same run.
//!
//! - From the phone: opening the supervisee's Today and the officer's work queue from the
//!   outbox's SQLite file and drawing their first state, against reading the same bytes back
//!   from the same file (`Outbox::recall`) alone. The goal: under 50 ms.
//! - From the server: a screen's `refresh` (its calls at once, then the state drawn) against
//!   the same calls made bare with the typed client. The goal: no round trip beyond its data
//!   (a ratio near 1).
//!
//! The demo server runs in this process on SQLite over real HTTP on loopback. Run with
//! `scripts/bench-screens.sh`; `HUIJIAO_BENCH_ROUNDS` (default 50) sets the samples.

use std::sync::Arc;
use std::time::{Duration, Instant};

use huijiao_core::app::officer::work_queue::QueueScreen;
use huijiao_core::app::supervisee::today::TodayScreen;
use huijiao_core::client::outbox::Outbox;
use huijiao_core::client::{Client, MemoryTokenStore};
use huijiao_core::Lang;
use huijiao_e2e::{TestServer, DEMO_DEVICE, DEMO_PASSWORD};

fn rounds() -> usize {
    std::env::var("HUIJIAO_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

/// Median and 95th percentile of `samples`.
fn spread(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.95))
}

async fn time<F, Fut>(n: usize, mut f: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f().await;
        samples.push(t.elapsed());
    }
    spread(samples)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(
    what: &str,
    (med, p95): (Duration, Duration),
    (base_med, base_p95): (Duration, Duration),
) {
    println!(
        "{what:<44} median {:>7.2} ms  p95 {:>7.2} ms | baseline median {:>7.2} ms  p95 {:>7.2} ms | ratio {:.2}",
        ms(med),
        ms(p95),
        ms(base_med),
        ms(base_p95),
        med.as_secs_f64() / base_med.as_secs_f64().max(1e-9)
    );
}

async fn signed_in(base: &str, user: &str, device: Option<&str>) -> Arc<Client> {
    let c = Arc::new(
        Client::new(
            base,
            device.map(str::to_owned),
            Arc::new(MemoryTokenStore::default()),
            Lang::ZhCn,
        )
        .unwrap(),
    );
    c.login(user, DEMO_PASSWORD).await.unwrap();
    c
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = rounds();
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let sv = signed_in(&server.base, "sv.maxiaojun", Some(DEMO_DEVICE)).await;
    let case_id = sv.me().await.unwrap().case_id.unwrap();
    let officer = signed_in(&server.base, "officer.donggang", None).await;
    let outbox = Arc::new(Outbox::open(&phone.path().join("outbox.db")).await.unwrap());
    // What each screen keeps, written once by a refresh.
    TodayScreen::open(sv.clone(), Some(outbox.clone()), case_id)
        .await
        .refresh()
        .await;
    QueueScreen::open(officer.clone(), Some(outbox.clone()))
        .await
        .refresh()
        .await;
    println!("screens: {n} rounds each, demo server on loopback (SQLite)");

    // From the phone.
    let today_key = format!("supervisee.today.{case_id}");
    let bare = time(n, || async {
        outbox.recall(&today_key).await.unwrap().unwrap();
    })
    .await;
    let shown = time(n, || async {
        let s = TodayScreen::open(sv.clone(), Some(outbox.clone()), case_id).await;
        assert!(!s.state().items.is_empty());
    })
    .await;
    report("Today, first state from the phone", shown, bare);
    let goal_today = shown.1 < Duration::from_millis(50);
    let bare = time(n, || async {
        outbox.recall("officer.queue").await.unwrap().unwrap();
    })
    .await;
    let shown = time(n, || async {
        let s = QueueScreen::open(officer.clone(), Some(outbox.clone())).await;
        assert!(s.state().freshness.as_of.is_some());
    })
    .await;
    report("work queue, first state from the phone", shown, bare);
    let goal_queue = shown.1 < Duration::from_millis(50);

    // From the server.
    let bare = time(n, || async {
        futures::try_join!(
            sv.obligations(case_id),
            sv.checkin_requests_of(case_id).limit(Some(20)).page(),
            sv.roll_calls_of(case_id).limit(Some(20)).page(),
            sv.leaves_of(case_id).limit(Some(20)).page(),
            sv.case_sanctions(case_id).limit(Some(20)).page(),
            sv.learning_month(case_id, None),
            sv.service_month(case_id, None),
        )
        .unwrap();
    })
    .await;
    let screen = TodayScreen::open(sv.clone(), None, case_id).await;
    let shown = time(n, || async {
        assert!(screen.refresh().await.message.is_none());
    })
    .await;
    report("Today, refresh (7 calls at once)", shown, bare);
    let bare = time(n, || async {
        officer.work_queue().await.unwrap();
    })
    .await;
    let screen = QueueScreen::open(officer.clone(), None).await;
    let shown = time(n, || async {
        assert!(screen.refresh().await.message.is_none());
    })
    .await;
    report("work queue, refresh (1 call)", shown, bare);
    println!(
        "goal (first state from the phone under 50 ms at p95): Today {}, work queue {}",
        if goal_today { "met" } else { "NOT met" },
        if goal_queue { "met" } else { "NOT met" }
    );
    server.stop().await;
}
