//! A roll call answered by a real browser: headless Debian Chromium, its fake camera playing a
//! `.y4m` made from a test photo, opens the server's answer page (`/roll-call`), offers its
//! video over WebRTC and the server judges it. The file plays in a loop and cannot turn the
//! head when asked, so the server's verdict is the one a replayed video deserves — failed,
//! `pose_not_shown` — after matching the face in Chromium's frames (VP8 from Chrome's own
//! encoder, decoded by the server): interop and verification both shown, no mock in the path.
//!
//! Needs `chromium` (Debian package; `.ci/run` installs it).

use std::path::Path;
use std::time::Duration;

use huijiao_core::face::image::Rgb;
use huijiao_e2e::{login, TestServer, DEMO_DEVICE};
use huijiao_server::rollcalls::caller::panning_frame;
use serde_json::{json, Value};

/// Writes `secs` of 640×480 video at 15 fps, the photo panning slowly, as YUV4MPEG2 (I420).
fn write_y4m(photo: &Rgb, secs: usize, path: &Path) {
    let (w, h) = (640usize, 480usize);
    let mut out = format!("YUV4MPEG2 W{w} H{h} F15:1 Ip A1:1\n").into_bytes();
    for n in 0..secs * 15 {
        let frame = panning_frame(photo, n);
        let (mut y, mut u, mut v) = (vec![0u8; w * h], vec![0u8; w * h / 4], vec![0u8; w * h / 4]);
        frame.to_i420([(&mut y, w), (&mut u, w / 2), (&mut v, w / 2)]);
        out.extend_from_slice(b"FRAME\n");
        out.extend_from_slice(&y);
        out.extend_from_slice(&u);
        out.extend_from_slice(&v);
    }
    std::fs::write(path, out).unwrap();
}

fn chromium() -> String {
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        if std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return c.to_owned();
        }
    }
    panic!("this test drives a real browser: install Debian's `chromium` (.ci/run does)");
}

/// The browser process, ended when dropped (a failing assertion included).
struct Browser(std::process::Child);

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> Value {
    let mut req = http.request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status} {v}");
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_answers_a_roll_call_and_the_server_judges_its_video() {
    let browser = chromium();
    let models = std::env::var_os("HUIJIAO_MODEL_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/models"));
    let engine = std::sync::Arc::new(
        huijiao_core::face::FaceEngine::load(&models, Default::default()).expect("face models"),
    );
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(
        dir.path(),
        huijiao_e2e::any_port(),
        |_| {},
        |state| state.face = Some(engine),
    )
    .await;
    let http = reqwest::Client::new();
    let base = &server.base;
    let officer = login(&http, base, "officer.donggang", None).await;
    let sv = login(&http, base, "sv.maxiaojun", Some(DEMO_DEVICE)).await;
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
    let case_id = me["case_id"].as_str().unwrap().to_owned();
    let photo_bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/faces/grace_hopper.jpg"),
    )
    .unwrap();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&photo_bytes);
    call(
        &http,
        reqwest::Method::POST,
        format!("{base}/api/v1/cases/{case_id}/face"),
        &officer,
        Some(json!({ "photos": [b64] })),
    )
    .await;
    let started = call(
        &http,
        reqwest::Method::POST,
        format!("{base}/api/v1/roll-calls"),
        &officer,
        Some(json!({ "case_ids": [case_id] })),
    )
    .await;
    let id = started["started"][0]["id"].as_str().unwrap().to_owned();

    let video = dir.path().join("camera.y4m");
    write_y4m(&Rgb::decode(&photo_bytes).unwrap(), 4, &video);
    let profile = dir.path().join("chromium");
    let url = format!("{base}/roll-call#id={id}&token={sv}&device={DEMO_DEVICE}");
    let chrome = std::process::Command::new(browser)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
        ])
        .arg(format!(
            "--use-file-for-fake-video-capture={}",
            video.display()
        ))
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(Browser)
        .expect("start chromium");

    let mut last = Value::Null;
    for _ in 0..90 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        last = call(
            &http,
            reqwest::Method::GET,
            format!("{base}/api/v1/roll-calls/{id}"),
            &officer,
            None,
        )
        .await;
        if !["ringing", "answered", "verifying"].contains(&last["status"].as_str().unwrap()) {
            break;
        }
    }
    drop(chrome);
    // Chromium answered, its video was decoded and matched frame by frame, a turn was asked,
    // and the looping file never showed it.
    assert!(
        last["answered_at"].is_string(),
        "Chromium never answered: {last}"
    );
    assert_eq!(last["status"], "failed", "{last}");
    assert_eq!(last["reasons"], json!(["pose_not_shown"]), "{last}");
    assert!(["turn_left", "turn_right"].contains(&last["challenge"].as_str().unwrap_or("")));
    assert!(last["frames_judged"].as_i64().unwrap() >= 5, "{last}");
    assert!(last["face_distance"].as_f64().unwrap() < 0.5, "{last}");
    assert_eq!(last["has_snapshot"], true);
    server.stop().await;
}
