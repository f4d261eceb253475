//! Heartbeat ingest on PostgreSQL: 10k supervisees each with a study session open on a video
//! lesson, sending one heartbeat a call as a phone does every 30 s, over real HTTP (TCP, JSON,
//! auth, the session's row lock, `policy::learning::credit`, the beat kept as evidence, the
//! session's clock and the month's ledger row updated, one transaction). Reports heartbeats/s
//! and latency, against a bare single-row `INSERT` of the same beats into a table of the same
//! shape with the same number in flight, measured in the same run. Client, server and
//! PostgreSQL share this machine's cores.
//!
//! Run with `scripts/bench-learning.sh`. Knobs: `HUIJIAO_BENCH_POSTGRES_URL`,
//! `HUIJIAO_BENCH_SESSIONS` (default 10000), `HUIJIAO_BENCH_ROUNDS` (beats per session,
//! default 5), `HUIJIAO_BENCH_CONCURRENCY` (default 32), `HUIJIAO_BENCH_WRITERS` (the server's
//! `heartbeat_writers`, default as configured).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use common::{env_usize, percentile, seed_county, video_lesson, BenchDb, Call, Served};
use huijiao_core::policy::learning::StudySessionStatus;
use huijiao_server::entities::study_session;
use rand::SeedableRng;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;
use uuid::Uuid;

/// What a phone needs to beat for a session.
struct Studying {
    session: Uuid,
    token: String,
    device: String,
}

/// A published course of the county with one hour-long video, and a session on it for each
/// person, opened an hour ago (so the wall clock never caps what the beats may credit).
async fn open_sessions(state: &huijiao_server::state::AppState, sessions: usize) -> Vec<Studying> {
    let db = &state.db;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let county = seed_county(state, sessions, &mut rng).await;
    let now = Utc::now();
    let lesson_id = video_lesson(state, &county, None).await;
    let opened = now - chrono::Duration::hours(1);
    let mut out = Vec::with_capacity(sessions);
    for chunk in county.people.chunks(500) {
        let mut rows = vec![];
        for p in chunk {
            let id = Uuid::now_v7();
            rows.push(study_session::ActiveModel {
                id: Set(id),
                case_id: Set(p.case),
                lesson_id: Set(lesson_id),
                device_id: Set(Some(p.device.clone())),
                status: Set(StudySessionStatus::Open),
                opened_at: Set(opened),
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
            });
            out.push(Studying {
                session: id,
                token: p.token.clone(),
                device: p.device.clone(),
            });
        }
        study_session::Entity::insert_many(rows)
            .exec(db)
            .await
            .unwrap();
    }
    out
}

/// Beat `seq` of a session: 30 s on, playing in the foreground, the position in step.
fn beat(seq: u32) -> serde_json::Value {
    let t = i64::from(seq) * 30_000;
    json!({ "seq": seq, "client_ms": 1_780_000_000_000i64 + t, "position_ms": t,
            "playing": true, "foreground": true, "idle_secs": 0 })
}

/// Round `r` of every session, in that order (a session's beats go out in sequence).
fn rounds(studying: &[Studying], from: u32, to: u32) -> Vec<Call> {
    (from..=to)
        .flat_map(|seq| {
            studying.iter().map(move |s| Call {
                path: format!("/study-sessions/{}/beats", s.session),
                token: s.token.clone(),
                device: s.device.clone(),
                body: json!({ "beats": [beat(seq)] }).to_string().into_bytes(),
            })
        })
        .collect()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sessions = env_usize("HUIJIAO_BENCH_SESSIONS", 10_000);
    let beats_each = env_usize("HUIJIAO_BENCH_ROUNDS", 5) as u32;
    let concurrency = env_usize("HUIJIAO_BENCH_CONCURRENCY", 32);

    let bench = BenchDb::new().await;
    let state = bench.state.clone();
    let t = Instant::now();
    let studying = open_sessions(&state, sessions).await;
    // A database in service has its planner statistics; one seeded a moment ago has none, and
    // PostgreSQL would scan whole tables for a batch's `IN (…)` lists.
    sea_orm::ConnectionTrait::execute_unprepared(&state.db, "ANALYZE")
        .await
        .unwrap();
    eprintln!(
        "seeded {sessions} supervisees with open sessions in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let served = Served::start(&state, concurrency).await;
    // Warm-up (connections, caches): the first beat of every session, not measured.
    served
        .drive(Arc::new(rounds(&studying, 1, 1)), concurrency, 200)
        .await;
    let calls = Arc::new(rounds(&studying, 2, 1 + beats_each));
    let total = calls.len();
    let (http_secs, lat) = served.drive(calls, concurrency, 200).await;
    let http_rate = total as f64 / http_secs;
    served.stop().await;

    // Every beat after the first credited its 30 s: the measured run did the real work.
    let credited = study_session::Entity::find()
        .all(&state.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.credited_ms)
        .sum::<i64>();
    assert_eq!(
        credited,
        30_000 * i64::from(beats_each) * sessions as i64,
        "credited time"
    );

    // Baseline: the same beats, one INSERT each into an empty table of the same shape.
    let pool = state.db.get_postgres_connection_pool().clone();
    sqlx::query("CREATE TABLE bare_beats (LIKE study_beats INCLUDING ALL)")
        .execute(&pool)
        .await
        .unwrap();
    let studying = Arc::new(studying);
    let next = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let mut tasks = vec![];
    for _ in 0..concurrency {
        let (pool, next, studying) = (pool.clone(), next.clone(), studying.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let seq = 2 + (i / studying.len()) as i32;
                let t = i64::from(seq) * 30_000;
                sqlx::query(
                    "INSERT INTO bare_beats (session_id, seq, client_ms, position_ms, playing, \
                     foreground, idle_secs, received_at, added_ms, cut) \
                     VALUES ($1, $2, $3, $4, true, true, 0, now(), 30000, NULL)",
                )
                .bind(studying[i % studying.len()].session)
                .bind(seq)
                .bind(1_780_000_000_000i64 + t)
                .bind(t)
                .execute(&pool)
                .await
                .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let bare_rate = total as f64 / t.elapsed().as_secs_f64();

    let needed = sessions as f64 / 30.0;
    println!("heartbeat ingest, PostgreSQL, {sessions} open study sessions");
    println!("  HTTP: {total} heartbeats, {concurrency} in flight: {http_rate:.0} beats/s");
    println!(
        "  latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&lat, 0.5).as_secs_f64() * 1e3,
        percentile(&lat, 0.99).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3
    );
    println!("  baseline, a bare INSERT of each beat: {bare_rate:.0} rows/s");
    println!("  ratio HTTP / bare INSERT: {:.2}", http_rate / bare_rate);
    println!(
        "  against the need ({sessions} phones, one beat per 30 s = {needed:.0}/s): {:.1}× (goal 20×)",
        http_rate / needed
    );
    drop(state);
    bench.drop().await;
}
