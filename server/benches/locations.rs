//! Location ingest throughput on PostgreSQL: 10k supervisees, 10k fences, batches of fixes
//! over real HTTP (TCP, JSON, auth, idempotency, validation, multi-row insert, fence rules
//! through the R-tree, rule states, last position). Reports points/s and batch latency, and
//! a bare PostgreSQL `COPY` of the same rows into a table of the same shape, measured in the
//! same run, as the baseline. Client, server and PostgreSQL share this machine's cores.
//!
//! Run with `scripts/bench-locations.sh`. Knobs: `HUIJIAO_BENCH_POSTGRES_URL`,
//! `HUIJIAO_BENCH_BATCHES` (default 4000), `HUIJIAO_BENCH_POINTS` (per batch, default 100),
//! `HUIJIAO_BENCH_CONCURRENCY` (default 16).

mod common;

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use common::{
    env_usize, percentile, seed_county, BenchDb, Call, Person, Served, CENTRE, HALF, M_PER_DEG,
};
use huijiao_core::policy::location::FenceShape;
use huijiao_server::entities::fence;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;
use uuid::Uuid;

const SUPERVISEES: usize = 10_000;
const FENCES: usize = 10_000;

/// A circle as a GeoJSON polygon with `n` vertices (county boundaries are polygons).
fn ring(centre: (f64, f64), radius_m: f64, n: usize) -> FenceShape {
    let kx = M_PER_DEG * centre.0.to_radians().cos();
    let mut pts: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            [
                centre.1 + radius_m * a.cos() / kx,
                centre.0 + radius_m * a.sin() / M_PER_DEG,
            ]
        })
        .collect();
    pts.push(pts[0]);
    FenceShape::Polygon {
        coordinates: vec![pts],
    }
}

async fn seed(state: &huijiao_server::state::AppState, rng: &mut impl Rng) -> Vec<Person> {
    let db = &state.db;
    let county = seed_county(state, SUPERVISEES, rng).await;
    // The county's boundary as everyone's activity area: a 128-gon of 30 km.
    insert_fence(
        db,
        "县界",
        "activity_area",
        ring(CENTRE, 30_000.0, 128),
        None,
        Some(county.ids[2]),
    )
    .await;
    let people = county.people;
    // Half the supervisees have a prohibition-order zone 1 km from home (a bar); the rest of
    // the 10k fences are school zones for everyone in the county, spread over it.
    let personal = SUPERVISEES / 2;
    for p in people.iter().take(personal) {
        let bar = (p.home.0 + 1000.0 / M_PER_DEG, p.home.1);
        let shape = FenceShape::Circle {
            center: [bar.1, bar.0],
            radius_m: 200.0,
        };
        insert_fence(db, "酒吧", "exclusion_zone", shape, Some(p.case), None).await;
    }
    let county = county.ids[2];
    for _ in 0..FENCES - personal - 1 {
        let c = (
            CENTRE.0 + rng.gen_range(-HALF..HALF),
            CENTRE.1 + rng.gen_range(-HALF..HALF),
        );
        let shape = FenceShape::Circle {
            center: [c.1, c.0],
            radius_m: 150.0,
        };
        insert_fence(db, "学校", "exclusion_zone", shape, None, Some(county)).await;
    }
    people
}

async fn insert_fence(
    db: &impl ConnectionTrait,
    name: &str,
    kind: &str,
    shape: FenceShape,
    case_id: Option<Uuid>,
    unit_id: Option<Uuid>,
) {
    let now = Utc::now();
    fence::Entity::insert(fence::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.into()),
        kind: Set(huijiao_core::model::FenceKind::parse(kind).expect("a fence kind")),
        shape: Set(json!(shape)),
        schedule: Set(json!({})),
        case_id: Set(case_id),
        prohibition_order: Set(case_id.map(|_| 0)),
        unit_id: Set(unit_id),
        created_by: Set(Uuid::nil()),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        archived_by: Set(None),
        version: Set(1),
    })
    .exec_without_returning(db)
    .await
    .unwrap();
}

/// One batch per (case, round): fixes every 6 s on a random walk around home.
struct Batch {
    person: usize,
    body: Vec<u8>,
    /// The same rows as COPY text lines.
    copy: String,
}

fn batches(people: &[Person], n: usize, points: usize, rng: &mut impl Rng) -> Vec<Batch> {
    let start = Utc::now() - chrono::Duration::hours(20);
    (0..n)
        .map(|b| {
            let person = b % people.len();
            let round = (b / people.len()) as i64;
            let p = &people[person];
            let mut pos = p.home;
            let mut copy = String::new();
            let pts: Vec<serde_json::Value> = (0..points)
                .map(|j| {
                    pos.0 += rng.gen_range(-30.0..30.0) / M_PER_DEG;
                    pos.1 += rng.gen_range(-30.0..30.0) / M_PER_DEG;
                    let at =
                        start + chrono::Duration::seconds((round * points as i64 + j as i64) * 6);
                    copy.push_str(&format!(
                        "{}\t{}\t{}\t{}\t12\t1.5\tgps\tf\t80\tf\n",
                        people[person].case,
                        at.to_rfc3339(),
                        pos.0,
                        pos.1
                    ));
                    json!({ "lat": pos.0, "lon": pos.1, "accuracy_m": 12.0, "fix_time": at,
                            "speed_mps": 1.5, "provider": "gps", "mock": false, "battery": 80 })
                })
                .collect();
            let body = json!({ "batch_id": Uuid::new_v4(), "points": pts })
                .to_string()
                .into_bytes();
            Batch { person, body, copy }
        })
        .collect()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = env_usize("HUIJIAO_BENCH_BATCHES", 4000);
    let points = env_usize("HUIJIAO_BENCH_POINTS", 100);
    let concurrency = env_usize("HUIJIAO_BENCH_CONCURRENCY", 16);

    let bench = BenchDb::new().await;
    let state = bench.state.clone();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let t = Instant::now();
    let people = seed(&state, &mut rng).await;
    eprintln!(
        "seeded {SUPERVISEES} supervisees and {FENCES} fences in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    // A batch's `person` counts in the slice it was made from.
    let call = |people: &[Person], b: &Batch| Call {
        path: "/locations/batches".into(),
        token: people[b.person].token.clone(),
        device: people[b.person].device.clone(),
        body: b.body.clone(),
    };
    let warm = batches(&people, 200, points, &mut rng);
    let work = batches(&people[200..], n, points, &mut rng);
    let calls = Arc::new(
        work.iter()
            .map(|b| call(&people[200..], b))
            .collect::<Vec<_>>(),
    );

    let served = Served::start(&state, concurrency).await;
    // Warm-up: connections, the fence index, caches.
    for b in &warm {
        let r = served.send(&call(&people, b)).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    }
    let (http_secs, lat) = served.drive(calls, concurrency, 201).await;
    let total_points = n * points;
    let http_rate = total_points as f64 / http_secs;

    // Baseline: the same rows, COPY'd into an empty table of the same shape and indexes.
    let pool = state.db.get_postgres_connection_pool();
    sqlx::query("CREATE TABLE copy_baseline (LIKE location_points INCLUDING ALL)")
        .execute(pool)
        .await
        .unwrap();
    let mut text = String::with_capacity(work.iter().map(|b| b.copy.len()).sum());
    for b in work.iter() {
        text.push_str(&b.copy);
    }
    let t = Instant::now();
    let mut conn = pool.acquire().await.unwrap();
    let mut copy = conn
        .copy_in_raw(
            "COPY copy_baseline (case_id, fix_time, lat, lon, accuracy_m, speed_mps, provider, mock, battery, thinned) FROM STDIN",
        )
        .await
        .unwrap();
    copy.send(text.as_bytes()).await.unwrap();
    let copied = copy.finish().await.unwrap();
    let copy_secs = t.elapsed().as_secs_f64();
    drop(conn);
    assert_eq!(copied as usize, total_points);
    let copy_rate = total_points as f64 / copy_secs;
    let alerts = state
        .db
        .query_one(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT COUNT(*) AS n FROM alerts",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();

    println!("location ingest, PostgreSQL, {SUPERVISEES} supervisees, {FENCES} fences");
    println!(
        "  HTTP: {n} batches × {points} points, {concurrency} concurrent: {:.0} points/s ({:.0} batches/s)",
        http_rate,
        n as f64 / http_secs
    );
    println!(
        "  batch latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&lat, 0.5).as_secs_f64() * 1e3,
        percentile(&lat, 0.99).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3
    );
    println!("  alerts raised on the way: {alerts}");
    println!("  baseline COPY of the same rows: {copy_rate:.0} rows/s");
    println!("  ratio HTTP / COPY: {:.2}", http_rate / copy_rate);
    println!(
        "  against the 80k points/s goal: {:.2}×",
        http_rate / 80_000.0
    );

    served.stop().await;
    drop(state);
    bench.drop().await;
}
