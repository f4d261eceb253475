//! Test harness: the real router over a real, freshly migrated database — a SQLite file in a
//! temp dir, or a new PostgreSQL database (dropped afterwards) under the server named by
//! `HUIJIAO_TEST_POSTGRES_URL`. `both!` runs a test body once on each.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use huijiao_server::config::Config;
use huijiao_server::state::AppState;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};
use tower::ServiceExt;

pub const PASSWORD: &str = "Test-Password-42";

/// Asserts an answer is the problem envelope with this status and stable code (and a human
/// message), printing the whole body when it is not.
#[track_caller]
pub fn assert_problem(got: &(StatusCode, Value), status: StatusCode, code: &str) {
    let (s, v) = got;
    assert_eq!(
        (*s, v["code"].as_str()),
        (status, Some(code)),
        "expected {status} {code}, got {s} {v}"
    );
    assert_eq!(v["status"], status.as_u16(), "{v}");
    assert!(
        v["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "a problem says what went wrong: {v}"
    );
}

/// A successful answer decoded into its `core::api` type (the shape the apps decode).
#[track_caller]
pub fn body<T: serde::de::DeserializeOwned>(got: (StatusCode, Value)) -> T {
    let (s, v) = got;
    assert!(s.is_success(), "{s} {v}");
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("not the API type: {e}: {v}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

#[macro_export]
macro_rules! both {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::common::TestApp::new($crate::common::Backend::Sqlite).await;
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $app = $crate::common::TestApp::new($crate::common::Backend::Postgres).await;
                $body
            }
        }
    };
}

fn pg_admin_url() -> String {
    std::env::var("HUIJIAO_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "HUIJIAO_TEST_POSTGRES_URL is not set: the PostgreSQL half of the suite needs a server \
             (e.g. postgres://postgres@127.0.0.1:5432/postgres). Run the suite with scripts/test.sh."
        )
    })
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_config(backend, |_| {}).await
    }

    /// With the real face models loaded (once per test process).
    pub async fn with_face(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        static ENGINE: std::sync::OnceLock<std::sync::Arc<huijiao_core::face::FaceEngine>> =
            std::sync::OnceLock::new();
        let mut app = Self::with_config(backend, tweak).await;
        let engine = ENGINE.get_or_init(|| {
            let dir = std::env::var_os("HUIJIAO_MODEL_DIR")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| {
                    std::path::PathBuf::from(
                        std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"),
                    )
                    .join("../../shared/models")
                });
            std::sync::Arc::new(
                huijiao_core::face::FaceEngine::load(&dir, Default::default())
                    .expect("face models"),
            )
        });
        app.state.face = Some(engine.clone());
        app.router = huijiao_server::app::router(app.state.clone());
        app
    }

    pub async fn with_config(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let mut pg = None;
        config.database_url = match backend {
            Backend::Sqlite => {
                format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display())
            }
            Backend::Postgres => {
                let admin = pg_admin_url();
                let name = format!("huijiao_test_{}", uuid::Uuid::new_v4().simple());
                let conn = Database::connect(&admin)
                    .await
                    .expect("connect to PostgreSQL");
                conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                conn.close().await.ok();
                pg = Some((admin.clone(), name.clone()));
                with_database(&admin, &name)
            }
        };
        tweak(&mut config);
        let state = huijiao_server::prepare(config).await.expect("prepare app");
        TestApp {
            router: huijiao_server::app::router(state.clone()),
            state,
            backend,
            dir,
            pg,
        }
    }

    /// Sends a request; returns status and the JSON body (Null when empty or not JSON).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let (status, _, bytes) = self
            .call_raw(
                method,
                path,
                token,
                &[],
                body.map(|b| b.to_string().into_bytes()),
                Some("application/json"),
            )
            .await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub async fn call_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
        content_type: Option<&str>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let (Some(ct), true) = (content_type, body.is_some()) {
            req = req.header("content-type", ct);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, headers, bytes)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call("GET", path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call("POST", path, Some(token), Some(body)).await
    }

    pub async fn login(&self, username: &str) -> String {
        self.login_device(username, None).await
    }

    pub async fn login_device(&self, username: &str, device: Option<&str>) -> String {
        let (s, v) = self
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({ "username": username, "password": PASSWORD, "device_id": device })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "login {username}: {v}");
        v["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .state
            .db
            .query_one(sea_orm::Statement::from_string(
                self.state.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs outside async: a short-lived runtime on its own thread removes the
            // database (FORCE ends the pool's connections).
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(conn) = Database::connect(&admin).await {
                        let _ = conn
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A small world built through the API: two counties under one city, offices under the
/// first, staff at each level, and supervisees in two offices.
pub struct World {
    pub city: String,
    pub county_a: String,
    pub office_a1: String,
    pub office_b1: String,
    /// Case in office A1 with an app login and approved device `phone-1`.
    pub case_a1: String,
    pub case_a2: String,
    pub tokens: std::collections::HashMap<String, String>,
}

pub fn national_id(seq: u32) -> String {
    let first17 = format!("62010219900101{seq:03}");
    let check = huijiao_core::policy::national_id_check_char(&first17).unwrap();
    format!("{first17}{check}")
}

/// A case registered today: a term that began on 1 January 2026 and ends two years from today.
pub fn case_body(unit_id: &str, seq: u32, minor: bool) -> Value {
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    json!({
        "name": format!("测试人{seq}"),
        "national_id": national_id(seq),
        "gender": null,
        "sentence_kind": "probation",
        "crime": "危险驾驶罪",
        "court": "城关区人民法院",
        "judgment_number": format!("(2026)甘0102刑初{seq}号"),
        "start_date": "2026-01-01",
        "end_date": today + chrono::Duration::days(730),
        "residence": { "address": "兰州市城关区示例路1号", "lat": 36.06, "lon": 103.83 },
        "minor": minor,
        "prohibition_orders": ["禁止进入酒吧"],
        "unit_id": unit_id,
    })
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        huijiao_server::demo::create_admin(
            &app.state,
            "sys",
            huijiao_core::model::Role::SystemAdmin,
            "sys",
            PASSWORD,
        )
        .await
        .unwrap();
        let sys = app.login("sys").await;
        let unit = |name: &str, kind: &str, parent: Option<&str>| json!({ "name": name, "kind": kind, "parent_id": parent });
        let mk = |v: Value| v["id"].as_str().unwrap().to_owned();
        let (s, p) = app
            .post("/api/v1/units", &sys, unit("甘肃省", "province", None))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let province = mk(p);
        let city = mk(app
            .post(
                "/api/v1/units",
                &sys,
                unit("兰州市", "city", Some(&province)),
            )
            .await
            .1);
        let county_a = mk(app
            .post(
                "/api/v1/units",
                &sys,
                unit("城关区", "county_agency", Some(&city)),
            )
            .await
            .1);
        let county_b = mk(app
            .post(
                "/api/v1/units",
                &sys,
                unit("七里河区", "county_agency", Some(&city)),
            )
            .await
            .1);
        let office_a1 = mk(app
            .post(
                "/api/v1/units",
                &sys,
                unit("东岗司法所", "judicial_office", Some(&county_a)),
            )
            .await
            .1);
        let office_a2 = mk(app
            .post(
                "/api/v1/units",
                &sys,
                unit("雁南司法所", "judicial_office", Some(&county_a)),
            )
            .await
            .1);
        let office_b1 = mk(app
            .post(
                "/api/v1/units",
                &sys,
                unit("西园司法所", "judicial_office", Some(&county_b)),
            )
            .await
            .1);

        let mut tokens = std::collections::HashMap::new();
        let mut user = async |username: &str, role: &str, unit: Option<&str>| {
            let (s, v) = app
                .post("/api/v1/users", &sys, json!({ "username": username, "password": PASSWORD, "display_name": username, "role": role, "unit_id": unit }))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            tokens.insert(username.to_owned(), app.login(username).await);
            mk(v)
        };
        user("secadmin", "security_admin", None).await;
        user("auditadmin", "audit_admin", None).await;
        let officer_county_a = user("officer.county_a", "officer", Some(&county_a)).await;
        let officer_a1 = user("officer.a1", "officer", Some(&office_a1)).await;
        let officer_a2 = user("officer.a2", "officer", Some(&office_a2)).await;
        let officer_b1 = user("officer.b1", "officer", Some(&office_b1)).await;
        let volunteer_a1 = user("volunteer.a1", "volunteer", Some(&office_a1)).await;
        let volunteer_a1_other = user("volunteer.a1.other", "volunteer", Some(&office_a1)).await;
        tokens.insert("sys".into(), sys.clone());

        let mut intake = async |officer: &str, unit: &str, seq: u32, username: &str| {
            let t = tokens[officer].clone();
            let (s, c) = app
                .post("/api/v1/cases", &t, case_body(unit, seq, false))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{c}");
            let case_id = mk(c);
            let (s, v) = app
                .post(
                    &format!("/api/v1/cases/{case_id}/announce"),
                    &t,
                    json!({ "place": "司法所", "attendees": ["家属"] }),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let (s, v) = app
                .post(
                    &format!("/api/v1/cases/{case_id}/login"),
                    &t,
                    json!({ "username": username }),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            let initial = v["initial_password"].as_str().unwrap().to_owned();
            // First login from the phone registers it; the officer approves it.
            let (s, v) = app.call("POST", "/api/v1/auth/login", None, Some(json!({ "username": username, "password": initial, "device_id": "phone-1" }))).await;
            assert_eq!(v["code"], "auth.device_pending", "{s} {v}");
            let (_, devices) = app
                .get(&format!("/api/v1/cases/{case_id}/devices"), &t)
                .await;
            let device = devices[0]["id"].as_str().unwrap().to_owned();
            let (s, v) = app
                .post(
                    &format!("/api/v1/cases/{case_id}/devices/{device}/approve"),
                    &t,
                    json!({}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let (s, v) = app.call("POST", "/api/v1/auth/login", None, Some(json!({ "username": username, "password": initial, "device_id": "phone-1" }))).await;
            assert_eq!(s, StatusCode::OK, "{v}");
            let token = v["access_token"].as_str().unwrap().to_owned();
            let (s, _, v) = app
                .call_raw(
                    "POST",
                    "/api/v1/auth/password",
                    Some(&token),
                    &[("x-device-id", "phone-1")],
                    Some(
                        json!({ "current_password": initial, "new_password": PASSWORD })
                            .to_string()
                            .into_bytes(),
                    ),
                    Some("application/json"),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{}", String::from_utf8_lossy(&v));
            tokens.insert(username.to_owned(), token);
            case_id
        };
        let case_a1 = intake("officer.a1", &office_a1, 1, "sv.a1").await;
        let case_a2 = intake("officer.a2", &office_a2, 2, "sv.a2").await;
        let (s, v) = app
            .post(
                &format!("/api/v1/cases/{case_a1}/team"),
                &tokens["officer.a1"],
                json!({ "kind": "volunteer", "user_id": volunteer_a1, "name": "志愿者" }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let _ = (
            &officer_county_a,
            &officer_a1,
            &officer_a2,
            &officer_b1,
            &volunteer_a1_other,
        );
        World {
            city,
            county_a,
            office_a1,
            office_b1,
            case_a1,
            case_a2,
            tokens,
        }
    }

    /// A user's id, by username (from the system admin's directory).
    pub async fn user_id(&self, app: &TestApp, username: &str) -> String {
        let (_, users) = app.get("/api/v1/users?limit=500", self.token("sys")).await;
        users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == username)
            .unwrap_or_else(|| panic!("no user {username}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn token(&self, who: &str) -> &str {
        &self.tokens[who]
    }

    /// Calls as `who`, adding the device header for supervisees.
    pub async fn call(
        &self,
        app: &TestApp,
        who: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let headers: &[(&str, &str)] = if who.starts_with("sv.") {
            &[("x-device-id", "phone-1")]
        } else {
            &[]
        };
        let (s, _, b) = app
            .call_raw(
                method,
                path,
                Some(self.token(who)),
                headers,
                body.map(|b| b.to_string().into_bytes()),
                Some("application/json"),
            )
            .await;
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }
}

/// An alert on a case raised as the server raises them (a job, a check-in, a fence would), at
/// `at`.
pub async fn raise_alert(
    app: &TestApp,
    case_id: uuid::Uuid,
    kind: huijiao_core::model::AlertKind,
    severity: huijiao_core::model::AlertSeverity,
    evidence: Value,
    at: chrono::DateTime<chrono::Utc>,
) -> huijiao_server::entities::alert::Model {
    use sea_orm::EntityTrait;
    let c = huijiao_server::entities::case::Entity::find_by_id(case_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the case");
    huijiao_server::alerts::raise(&app.state.db, at, &c, kind, severity, evidence)
        .await
        .unwrap()
        .0
}

/// A check-in row written directly, for tests about what happens around check-ins (the face
/// path itself is tested in checkins.rs).
pub async fn insert_checkin(
    app: &TestApp,
    case_id: uuid::Uuid,
    user_id: uuid::Uuid,
    result: &str,
    at: chrono::DateTime<chrono::Utc>,
    photo_key: Option<String>,
) -> uuid::Uuid {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let id = uuid::Uuid::now_v7();
    huijiao_server::entities::checkin::ActiveModel {
        id: Set(id),
        case_id: Set(case_id),
        user_id: Set(user_id),
        device_id: Set("phone-1".into()),
        idempotency_key: Set(id.to_string()),
        challenge_id: Set(uuid::Uuid::now_v7()),
        result: Set(
            huijiao_core::policy::checkin::CheckinResult::parse(result).expect("a check-in result")
        ),
        reasons: Set(json!([])),
        face_distance: Set(Some(0.3)),
        matched_reference: Set(Some(0)),
        phash: Set(None),
        lat: Set(36.06),
        lon: Set(103.83),
        accuracy_m: Set(10.0),
        fix_time: Set(at),
        provider: Set("gps".into()),
        mock: Set(false),
        app_version: Set("1".into()),
        photo_key: Set(photo_key),
        photo_purged_at: Set(None),
        created_at: Set(at),
        version: Set(1),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        review_note: Set(None),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    id
}

/// A PDF's text as `pdftotext` (Debian poppler-utils) reads it, without whitespace.
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, bytes).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args([file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils) renders the document's text");
    assert!(text.status.success());
    String::from_utf8(text.stdout)
        .unwrap()
        .replace(char::is_whitespace, "")
}

/// A document for people says every code in words: fails on a `snake_case` word, or on any
/// run of four or more lowercase letters beyond the hex of an id ("active", "strict"), once
/// what the test put there itself (`own`: a user name, an address) is taken out.
pub fn assert_in_words(text: &str, own: &[&str]) {
    let mut rest = text.to_owned();
    for o in own {
        rest = rest.replace(&o.replace(char::is_whitespace, ""), " ");
    }
    let mut word = String::new();
    for c in rest.chars().chain([' ']) {
        if c.is_ascii_lowercase() || c == '_' {
            word.push(c);
            continue;
        }
        let code = word.contains('_') || (word.len() >= 4 && word.chars().any(|c| c > 'f'));
        assert!(!code, "a code in a document for people: {word:?} in {text}");
        word.clear();
    }
}

/// The PDF's first page draws to an image (`pdftoppm`).
pub fn assert_pdf_renders(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, bytes).unwrap();
    let png = dir.path().join("page");
    let drawn = std::process::Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            "40",
            "-singlefile",
            file.to_str().unwrap(),
            png.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(drawn.success());
    let page = std::fs::read(dir.path().join("page.png")).unwrap();
    assert!(page.starts_with(b"\x89PNG"), "the page renders to an image");
}

/// The open alerts officer.a1 sees of one kind.
pub async fn open_alerts_of_kind(app: &TestApp, w: &World, kind: &str) -> Vec<Value> {
    let (s, v) = w
        .call(app, "officer.a1", "GET", "/api/v1/alerts?state=open", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == kind)
        .cloned()
        .collect()
}

/// The case's intake announcement moved to `at` (obligations run from it: a test about past
/// months announces before them).
pub async fn announced_at(app: &TestApp, case: &str, at: chrono::DateTime<chrono::Utc>) {
    use huijiao_server::entities::case;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    case::Entity::update_many()
        .col_expr(
            case::Column::AnnouncedAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(case::Column::Id.eq(case.parse::<uuid::Uuid>().unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
}
