//! What the PostgreSQL ingest benchmarks share: a throwaway database with a served app on it,
//! a county of supervisees written straight into it (each with an approved phone and a
//! token), and a driver that sends prepared requests over real HTTP with N in flight.
// Each bench is its own crate and uses a part of this.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use http_body_util::BodyExt;
use huijiao_server::config::Config;
use huijiao_server::entities::{case, device, org_unit, session, user};
use huijiao_server::state::AppState;
use rand::Rng;
use sea_orm::{ActiveValue::Set, ConnectionTrait, Database, DatabaseConnection, EntityTrait};
use serde_json::json;
use uuid::Uuid;

/// Centre of the bench county (Lanzhou) and its half-size in degrees (about 25 km).
pub const CENTRE: (f64, f64) = (36.06, 103.83);
pub const HALF: f64 = 0.22;
pub const M_PER_DEG: f64 = 111_195.0;

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A fresh PostgreSQL database (`HUIJIAO_BENCH_POSTGRES_URL` names the server), migrated, with
/// the app's state on it; `drop` removes it.
pub struct BenchDb {
    admin: DatabaseConnection,
    name: String,
    _dir: tempfile::TempDir,
    pub state: AppState,
}

impl BenchDb {
    pub async fn new() -> Self {
        let admin_url = std::env::var("HUIJIAO_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("huijiao_bench_{}", Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url).await.unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            data_dir: dir.path().to_path_buf(),
            database_url: format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0),
            db_max_connections: 16,
            heartbeat_writers: env_usize(
                "HUIJIAO_BENCH_WRITERS",
                Config::default().heartbeat_writers,
            ),
            jobs_interval_secs: 0,
            ..Config::default()
        };
        config.auth.access_ttl_secs = 3600;
        let state = huijiao_server::prepare(config).await.unwrap();
        BenchDb {
            admin,
            name,
            _dir: dir,
            state,
        }
    }

    pub async fn drop(self) {
        let BenchDb {
            admin, name, state, ..
        } = self;
        drop(state);
        admin
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await
            .unwrap();
    }
}

pub struct Person {
    pub case: Uuid,
    pub home: (f64, f64),
    pub token: String,
    pub device: String,
}

/// The county: a province, city, county agency and judicial office (their paths, top down).
pub struct County {
    pub paths: Vec<String>,
    pub ids: Vec<Uuid>,
    pub people: Vec<Person>,
}

/// `n` supervisees of one judicial office, living at random around the centre, written
/// directly (a few hundred rows a statement).
pub async fn seed_county(state: &AppState, n: usize, rng: &mut impl Rng) -> County {
    let db = &state.db;
    let now = Utc::now();
    let (mut ids, mut paths) = (vec![], vec![]);
    let mut path = String::from("/");
    for (name, kind) in [
        ("省", "province"),
        ("市", "city"),
        ("县", "county_agency"),
        ("所", "judicial_office"),
    ] {
        let id = Uuid::now_v7();
        path = format!("{path}{id}/");
        org_unit::Entity::insert(org_unit::ActiveModel {
            id: Set(id),
            parent_id: Set(ids.last().copied()),
            name: Set(name.into()),
            kind: Set(huijiao_core::model::UnitKind::parse(kind).expect("a unit kind")),
            code: Set(None),
            path: Set(path.clone()),
            created_at: Set(now),
        })
        .exec(db)
        .await
        .unwrap();
        ids.push(id);
        paths.push(path.clone());
    }
    let office = *ids.last().unwrap();
    let mut people = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let (mut users, mut cases, mut devices, mut sessions) = (vec![], vec![], vec![], vec![]);
        for &i in chunk {
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
                must_change_password: Set(false),
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
                start_date: Set(now.date_naive() - chrono::Duration::days(60)),
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
                closed_at: Set(None),
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
                case: cid,
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
    County { paths, ids, people }
}

/// One prepared POST: where, as whom, what.
/// A published course of the county with one hour-long video lesson, its file `media` (object
/// key, media type, size) if given; returns the lesson's id.
pub async fn video_lesson(
    state: &AppState,
    county: &County,
    media: Option<(String, &str, u64)>,
) -> Uuid {
    use huijiao_core::policy::learning::{CourseCategory, CourseStatus, LessonKind, MoveOn};
    use huijiao_server::entities::{course, lesson};
    let db = &state.db;
    let now = Utc::now();
    let course_id = Uuid::now_v7();
    course::Entity::insert(course::ActiveModel {
        id: Set(course_id),
        unit_id: Set(county.ids[2]),
        unit_path: Set(county.paths[2].clone()),
        title: Set("法治教育".into()),
        category: Set(CourseCategory::Law),
        description: Set(None),
        status: Set(CourseStatus::Published),
        published_at: Set(Some(now)),
        created_by: Set(None),
        version: Set(2),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(db)
    .await
    .unwrap();
    let lesson_id = Uuid::now_v7();
    lesson::Entity::insert(lesson::ActiveModel {
        id: Set(lesson_id),
        course_id: Set(course_id),
        ordinal: Set(1),
        title: Set("宪法".into()),
        kind: Set(LessonKind::Video),
        body: Set(None),
        duration_secs: Set(3600),
        min_minutes: Set(50),
        seek_allowed: Set(false),
        pass_percent: Set(None),
        max_attempts: Set(None),
        media_key: Set(media.as_ref().map(|m| m.0.clone())),
        media_type: Set(media.as_ref().map(|m| m.1.to_owned())),
        media_bytes: Set(media.as_ref().map(|m| m.2 as i64)),
        move_on: Set(MoveOn::Completed),
        face_check_at_start: Set(None),
        face_checks_per_hour: Set(None),
    })
    .exec(db)
    .await
    .unwrap();
    lesson_id
}

pub struct Call {
    pub path: String,
    pub token: String,
    pub device: String,
    pub body: Vec<u8>,
}

/// The app served on a local port for the length of a bench.
pub struct Served {
    http: Arc<Http>,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

struct Http {
    addr: std::net::SocketAddr,
    base: String,
    client: reqwest::Client,
}

impl Http {
    async fn send(&self, c: &Call) -> reqwest::Response {
        self.client
            .post(format!("{}{}", self.base, c.path))
            .bearer_auth(&c.token)
            .header("x-device-id", &c.device)
            .header("content-type", "application/json")
            .body(c.body.clone())
            .send()
            .await
            .unwrap()
    }

    fn request(&self, c: &Call) -> hyper::Request<http_body_util::Full<bytes::Bytes>> {
        hyper::Request::post(format!("/api/v1{}", c.path))
            .header("host", self.addr.to_string())
            .header("authorization", format!("Bearer {}", c.token))
            .header("x-device-id", &c.device)
            .header("content-type", "application/json")
            .body(http_body_util::Full::new(bytes::Bytes::copy_from_slice(
                &c.body,
            )))
            .unwrap()
    }
}

impl Served {
    pub async fn start(state: &AppState, concurrency: usize) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}/api/v1");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(huijiao_server::serve(state.clone(), listener, async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency)
            .build()
            .unwrap();
        Served {
            http: Arc::new(Http { addr, base, client }),
            stop,
            server,
        }
    }

    pub async fn send(&self, c: &Call) -> reqwest::Response {
        self.http.send(c).await
    }

    /// `http://127.0.0.1:<port>/api/v1`.
    pub fn base(&self) -> &str {
        &self.http.base
    }

    /// Sends every call in order with `concurrency` in flight, each expected to answer
    /// `status`; the seconds it all took and each call's latency, sorted. Each in flight is a
    /// keep-alive HTTP/1.1 connection of its own driven by hyper directly, as a load tool
    /// (wrk, oha) does: the client shares the cores with the server and PostgreSQL, so it
    /// should cost as little as it can.
    pub async fn drive(
        &self,
        calls: Arc<Vec<Call>>,
        concurrency: usize,
        status: u16,
    ) -> (f64, Vec<Duration>) {
        let next = Arc::new(AtomicUsize::new(0));
        let mut senders = Vec::with_capacity(concurrency);
        for _ in 0..concurrency {
            let tcp = tokio::net::TcpStream::connect(self.http.addr)
                .await
                .unwrap();
            tcp.set_nodelay(true).unwrap();
            let (sender, conn) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp))
                    .await
                    .unwrap();
            tokio::spawn(conn);
            senders.push(sender);
        }
        let t = Instant::now();
        let mut tasks = vec![];
        for mut sender in senders {
            let (calls, next, http) = (calls.clone(), next.clone(), self.http.clone());
            tasks.push(tokio::spawn(async move {
                let mut lat = vec![];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(c) = calls.get(i) else { break };
                    let t = Instant::now();
                    let r = sender.send_request(http.request(c)).await.unwrap();
                    let got = r.status().as_u16();
                    let body = r.into_body().collect().await.unwrap().to_bytes();
                    assert_eq!(
                        got,
                        status,
                        "{}: {}",
                        c.path,
                        String::from_utf8_lossy(&body)
                    );
                    lat.push(t.elapsed());
                }
                lat
            }));
        }
        let mut lat = vec![];
        for t in tasks {
            lat.extend(t.await.unwrap());
        }
        let secs = t.elapsed().as_secs_f64();
        lat.sort();
        (secs, lat)
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
    }
}
