//! Location ingest throughput on PostgreSQL: 10k supervisees, 10k fences, batches of fixes
//! over real HTTP (TCP, JSON, auth, idempotency, validation, multi-row insert, fence rules
//! through the R-tree, rule states, last position). Reports points/s and batch latency, and
//! a bare PostgreSQL `COPY` of the same rows into a table of the same shape, measured in the
//! same run, as the baseline. Client, server and PostgreSQL share this machine's cores.
//!
//! Run with `scripts/bench-locations.sh`. Knobs: `HUIJIAO_BENCH_POSTGRES_URL`,
//! `HUIJIAO_BENCH_BATCHES` (default 4000), `HUIJIAO_BENCH_POINTS` (per batch, default 100),
//! `HUIJIAO_BENCH_CONCURRENCY` (default 16).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use huijiao_core::policy::location::FenceShape;
use huijiao_server::config::Config;
use huijiao_server::entities::{case, device, fence, session, user};
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::Set, ConnectionTrait, Database, EntityTrait};
use serde_json::json;
use uuid::Uuid;

const SUPERVISEES: usize = 10_000;
const FENCES: usize = 10_000;
/// Centre of the bench county (Lanzhou) and its half-size in degrees (about 25 km).
const CENTRE: (f64, f64) = (36.06, 103.83);
const HALF: f64 = 0.22;
const M_PER_DEG: f64 = 111_195.0;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Person {
    user: Uuid,
    home: (f64, f64),
    token: String,
    device: String,
}

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
    let now = Utc::now();
    // One office under a county under a city under a province, written directly.
    let mut parent: Option<Uuid> = None;
    let mut path = String::from("/");
    for (name, kind) in [
        ("省", "province"),
        ("市", "city"),
        ("县", "county_agency"),
        ("所", "judicial_office"),
    ] {
        let id = Uuid::now_v7();
        path = format!("{path}{id}/");
        huijiao_server::entities::org_unit::Entity::insert(
            huijiao_server::entities::org_unit::ActiveModel {
                id: Set(id),
                parent_id: Set(parent),
                name: Set(name.into()),
                kind: Set(huijiao_core::model::UnitKind::parse(kind).expect("a unit kind")),
                code: Set(None),
                path: Set(path.clone()),
                created_at: Set(now),
            },
        )
        .exec(db)
        .await
        .unwrap();
        if kind == "county_agency" {
            // The county's boundary as everyone's activity area: a 128-gon of 30 km.
            insert_fence(
                db,
                "县界",
                "activity_area",
                ring(CENTRE, 30_000.0, 128),
                None,
                Some(id),
            )
            .await;
        }
        parent = Some(id);
    }
    let office = parent.unwrap();
    let mut people = Vec::with_capacity(SUPERVISEES);
    for chunk in 0..SUPERVISEES / 500 {
        let (mut users, mut cases, mut devices, mut sessions) = (vec![], vec![], vec![], vec![]);
        for k in 0..500 {
            let i = chunk * 500 + k;
            let (uid, cid, sid) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
            let dev = format!("phone-{i}");
            let home = (
                CENTRE.0 + rng.gen_range(-HALF..HALF),
                CENTRE.1 + rng.gen_range(-HALF..HALF),
            );
            users.push(user::ActiveModel {
                id: Set(uid),
                username: Set(format!("sv{i}")),
                password_hash: Set("!".into()),
                display_name: Set(format!("sv{i}")),
                role: Set(huijiao_core::model::Role::Supervisee),
                unit_id: Set(Some(office)),
                phone: Set(None),
                status: Set(huijiao_core::model::UserStatus::Active),
                failed_logins: Set(0),
                locked_until: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            cases.push(case::ActiveModel {
                id: Set(cid),
                name: Set(format!("人{i}")),
                national_id_hash: Set(format!("bench{i}")),
                national_id_masked: Set("6201**********123X".into()),
                gender: Set(None),
                minor: Set(false),
                sentence_kind: Set(huijiao_core::model::SentenceKind::Probation),
                crime: Set("x".into()),
                court: Set("x".into()),
                judgment_number: Set(format!("b{i}")),
                start_date: Set(now.date_naive()),
                end_date: Set(now.date_naive() + chrono::Duration::days(365)),
                residence_address: Set("x".into()),
                residence_lat: Set(home.0),
                residence_lon: Set(home.1),
                prohibition_orders: Set(json!(["禁止进入酒吧"])),
                unit_id: Set(office),
                officer_id: Set(None),
                status: Set(huijiao_core::model::CaseStatus::Active),
                level: Set(huijiao_core::model::SupervisionLevel::Strict),
                user_id: Set(Some(uid)),
                announced_at: Set(Some(now)),
                announced_by: Set(None),
                announce_place: Set(None),
                announce_attendees: Set(None),
                created_by: Set(uid),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            });
            devices.push(device::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(uid),
                device_id: Set(dev.clone()),
                name: Set(None),
                status: Set(huijiao_core::model::DeviceStatus::Approved),
                first_seen_at: Set(now),
                approved_by: Set(None),
                approved_at: Set(Some(now)),
            });
            sessions.push(session::ActiveModel {
                id: Set(sid),
                user_id: Set(uid),
                device_id: Set(Some(dev.clone())),
                created_at: Set(now),
                expires_at: Set(now + chrono::Duration::days(1)),
                last_used_at: Set(now),
                revoked_at: Set(None),
                revoke_reason: Set(None),
            });
            let token = state
                .jwt
                .issue(uid, sid, "supervisee", Some(dev.clone()))
                .unwrap();
            people.push(Person {
                user: cid,
                home,
                token,
                device: dev,
            });
        }
        user::Entity::insert_many(users).exec(db).await.unwrap();
        case::Entity::insert_many(cases).exec(db).await.unwrap();
        device::Entity::insert_many(devices).exec(db).await.unwrap();
        session::Entity::insert_many(sessions)
            .exec(db)
            .await
            .unwrap();
    }
    // Half the supervisees have a prohibition-order zone 1 km from home (a bar); the rest of
    // the 10k fences are school zones for everyone in the county, spread over it.
    let personal = SUPERVISEES / 2;
    for p in people.iter().take(personal) {
        let bar = (p.home.0 + 1000.0 / M_PER_DEG, p.home.1);
        let shape = FenceShape::Circle {
            center: [bar.1, bar.0],
            radius_m: 200.0,
        };
        insert_fence(db, "酒吧", "exclusion_zone", shape, Some(p.user), None).await;
    }
    let county = huijiao_server::locations::ingest::unit_ids(&path)[2];
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
                        people[person].user,
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let admin_url = std::env::var("HUIJIAO_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let n = env_usize("HUIJIAO_BENCH_BATCHES", 4000);
    let points = env_usize("HUIJIAO_BENCH_POINTS", 100);
    let concurrency = env_usize("HUIJIAO_BENCH_CONCURRENCY", 16);

    let db_name = format!("huijiao_bench_{}", Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {db_name}"))
        .await
        .unwrap();
    let url = format!("{}/{db_name}", admin_url.rsplit_once('/').unwrap().0);
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: url.clone(),
        db_max_connections: 16,
        jobs_interval_secs: 0,
        ..Config::default()
    };
    config.auth.access_ttl_secs = 3600;
    let state = huijiao_server::prepare(config).await.unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let t = Instant::now();
    let people = seed(&state, &mut rng).await;
    eprintln!(
        "seeded {SUPERVISEES} supervisees and {FENCES} fences in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let warm = batches(&people, 200, points, &mut rng);
    let work = Arc::new(batches(&people[200..], n, points, &mut rng));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(huijiao_server::serve(state.clone(), listener, async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let endpoint = format!("http://{addr}/api/v1/locations/batches");
    let send = |b: &Batch, people: &[Person]| {
        let p = &people[b.person];
        client
            .post(&endpoint)
            .bearer_auth(&p.token)
            .header("x-device-id", &p.device)
            .header("content-type", "application/json")
            .body(b.body.clone())
            .send()
    };
    // Warm-up: connections, the fence index, caches.
    for b in &warm {
        let r = send(b, &people).await.unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    }

    let people = Arc::new(people);
    let next = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let mut tasks = vec![];
    for _ in 0..concurrency {
        let (work, next, people, client, endpoint) = (
            work.clone(),
            next.clone(),
            people.clone(),
            client.clone(),
            endpoint.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = vec![];
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(b) = work.get(i) else { break };
                let p = &people[b.person];
                let t = Instant::now();
                let r = client
                    .post(&endpoint)
                    .bearer_auth(&p.token)
                    .header("x-device-id", &p.device)
                    .header("content-type", "application/json")
                    .body(b.body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                let _ = r.bytes().await;
                assert_eq!(status, 201);
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut lat = vec![];
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let http_secs = t.elapsed().as_secs_f64();
    lat.sort();
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

    let _ = stop.send(());
    let _ = server.await;
    drop(state);
    admin
        .execute_unprepared(&format!("DROP DATABASE {db_name} WITH (FORCE)"))
        .await
        .unwrap();
}
