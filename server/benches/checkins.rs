//! Check-in throughput end to end through the HTTP stack (router, JSON, auth, challenge,
//! decode, detect, align, embed, compare, replay and location checks, encrypted photo, rows,
//! audit): check-ins per second on one core, and the share of that time spent on the face.
//! Run with `scripts/bench-checkins.sh` (pins one core). SQLite by default;
//! `HUIJIAO_BENCH_POSTGRES_URL` adds a run on PostgreSQL.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use base64::Engine;
use http_body_util::BodyExt;
use huijiao_core::api::UnitCreateRequest;
use huijiao_core::face::image::Rgb;
use huijiao_core::model::{Role, UnitKind};
use huijiao_server::config::Config;
use serde_json::{json, Value};
use tower::ServiceExt;

const PASSWORD: &str = "Bench-Password-1";

fn shared(sub: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../../shared")
        .join(sub)
}

async fn call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Value {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .header("x-device-id", "bench-phone");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    assert!(status.is_success(), "{method} {path}: {status} {v}");
    v
}

async fn run(
    label: &str,
    database_url: String,
    engine: Arc<huijiao_core::face::FaceEngine>,
    n: usize,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url,
        ..Config::default()
    };
    // Every check-in here uses the same photo: the replay check would (rightly) fail them all;
    // the pass path is what is measured.
    config.checkin.replay_lookback = 0;
    config.checkin.max_failed_per_day = u64::MAX;
    // One photo a check-in: the pipeline's unit. A jurisdiction asking for poses sends one
    // more photo per turn, each through the same face work.
    config.rules.liveness.mode = huijiao_core::policy::liveness::LivenessMode::SinglePhoto;
    let mut state = huijiao_server::prepare(config).await.unwrap();
    state.face = Some(engine.clone());
    let router = huijiao_server::app::router(state.clone());

    huijiao_server::demo::create_admin(&state, "bench.admin", Role::SystemAdmin, "bench", PASSWORD)
        .await
        .unwrap();
    let login =
        |u: &str, d: Option<&str>| json!({ "username": u, "password": PASSWORD, "device_id": d });
    let admin = call(
        &router,
        "POST",
        "/api/v1/auth/login",
        None,
        login("bench.admin", None),
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut parent = None;
    for (name, kind) in [
        ("省", UnitKind::Province),
        ("市", UnitKind::City),
        ("县", UnitKind::CountyAgency),
        ("所", UnitKind::JudicialOffice),
    ] {
        let u = call(
            &router,
            "POST",
            "/api/v1/units",
            Some(&admin),
            serde_json::to_value(UnitCreateRequest {
                name: name.into(),
                kind,
                parent_id: parent,
                code: None,
            })
            .unwrap(),
        )
        .await;
        parent = Some(u["id"].as_str().unwrap().parse().unwrap());
    }
    call(&router, "POST", "/api/v1/users", Some(&admin), json!({ "username": "bench.officer", "password": PASSWORD, "display_name": "o", "role": "officer", "unit_id": parent })).await;
    let officer = call(
        &router,
        "POST",
        "/api/v1/auth/login",
        None,
        login("bench.officer", None),
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let first17 = "62010219900101123";
    let nid = format!(
        "{first17}{}",
        huijiao_core::policy::national_id_check_char(first17).unwrap()
    );
    let c = call(&router, "POST", "/api/v1/cases", Some(&officer), json!({ "name": "甲", "national_id": nid, "gender": null, "sentence_kind": "probation", "crime": "x", "court": "x", "judgment_number": "x", "start_date": "2026-01-01", "end_date": "2027-01-01", "residence": { "address": "x", "lat": 36.06, "lon": 103.83 }, "minor": false, "unit_id": parent })).await;
    let case_id = c["id"].as_str().unwrap().to_owned();
    call(
        &router,
        "POST",
        &format!("/api/v1/cases/{case_id}/announce"),
        Some(&officer),
        json!({ "place": "x" }),
    )
    .await;
    let issued = call(
        &router,
        "POST",
        &format!("/api/v1/cases/{case_id}/login"),
        Some(&officer),
        json!({ "username": "bench.sv" }),
    )
    .await;
    let initial = issued["initial_password"].as_str().unwrap().to_owned();
    let req = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({ "username": "bench.sv", "password": initial, "device_id": "bench-phone" })
                .to_string(),
        ))
        .unwrap();
    let _ = router.clone().oneshot(req).await.unwrap();
    let devices = call(
        &router,
        "GET",
        &format!("/api/v1/cases/{case_id}/devices"),
        Some(&officer),
        Value::Null,
    )
    .await;
    call(
        &router,
        "POST",
        &format!(
            "/api/v1/cases/{case_id}/devices/{}/approve",
            devices[0]["id"].as_str().unwrap()
        ),
        Some(&officer),
        json!({}),
    )
    .await;
    let sv = call(
        &router,
        "POST",
        "/api/v1/auth/login",
        None,
        json!({ "username": "bench.sv", "password": initial, "device_id": "bench-phone" }),
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let hopper =
        Rgb::decode(&std::fs::read(shared("faces").join("grace_hopper.jpg")).unwrap()).unwrap();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    call(
        &router,
        "POST",
        &format!("/api/v1/cases/{case_id}/face"),
        Some(&officer),
        json!({ "photos": [b64(&hopper.crop(20, 10, hopper.width - 40, hopper.height - 30).encode_png())] }),
    )
    .await;
    // Enrolled from the mirrored photo; the selfie (~1 MP JPEG) is the unmirrored one.
    let selfie = hopper.resize(910, 1137).encode_jpeg(85);
    let photo = b64(&selfie);

    let checkin = |i: usize| {
        let router = router.clone();
        let sv = sv.clone();
        let photo = photo.clone();
        async move {
            let ch = call(
                &router,
                "POST",
                "/api/v1/checkins/challenge",
                Some(&sv),
                Value::Null,
            )
            .await;
            let body = json!({ "nonce": ch["nonce"], "photo": photo, "location": { "lat": 36.061, "lon": 103.831, "accuracy_m": 10.0, "fix_time": chrono::Utc::now(), "provider": "gps", "mock": false }, "app_version": "bench", "idempotency_key": format!("bench-key-{i:06}") });
            let v = call(&router, "POST", "/api/v1/checkins", Some(&sv), body).await;
            assert_eq!(v["result"], "passed", "{v}");
        }
    };
    for i in 0..3 {
        checkin(1_000_000 + i).await;
    }
    let mut ms = Vec::with_capacity(n);
    let start = Instant::now();
    for i in 0..n {
        let t = Instant::now();
        checkin(i).await;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let total = start.elapsed().as_secs_f64();
    // The face work alone on the same photo, same thread.
    let mut face_ms = Vec::with_capacity(n);
    for _ in 0..n.min(40) {
        let t = Instant::now();
        std::hint::black_box(engine.analyze(&selfie).unwrap());
        face_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    face_ms.sort_by(f64::total_cmp);
    let (med, p95, face_med) = (
        ms[ms.len() / 2],
        ms[(ms.len() - 1) * 95 / 100],
        face_ms[face_ms.len() / 2],
    );
    println!("{label}: {n} check-ins in {total:.2} s = {:.1} check-ins/s; latency median {med:.1} ms, p95 {p95:.1} ms", n as f64 / total);
    println!("{label}: face work (decode+detect+align+embed) median {face_med:.1} ms = {:.0}% of a check-in; the rest (HTTP, JSON/base64, auth, DB, encryption, audit) {:.1} ms", 100.0 * face_med / med, med - face_med);
}

fn main() {
    let n: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let engine = Arc::new(
        huijiao_core::face::FaceEngine::load(&shared("models"), Default::default())
            .expect("models"),
    );
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        run(
            "sqlite",
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            ),
            engine.clone(),
            n,
        )
        .await;
        if let Ok(admin) = std::env::var("HUIJIAO_BENCH_POSTGRES_URL") {
            use sea_orm::ConnectionTrait;
            let name = format!("huijiao_bench_{}", uuid::Uuid::new_v4().simple());
            let conn = sea_orm::Database::connect(&admin).await.unwrap();
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            run("postgres", url, engine.clone(), n).await;
            conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .unwrap();
        }
    });
}
