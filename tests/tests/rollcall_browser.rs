//! Roll calls with a real browser. Answering: headless Debian Chromium, its fake camera
//! playing a `.y4m` made from a test photo, opens the server's answer page (`/roll-call`),
//! offers its video over WebRTC and the server judges it. The file plays in a loop and cannot
//! turn the head when asked, so the server's verdict is the one a replayed video deserves —
//! failed, `pose_not_shown` — after matching the face in Chromium's frames (VP8 from Chrome's
//! own encoder, decoded by the server): interop and verification both shown, no mock in the
//! path. Watching: an officer's Chromium opens the page in watch mode on a call the Rust caller
//! answers, and plays the video the server relays (read from the page over the DevTools
//! protocol).
//!
//! Needs `chromium` (Debian package; `.ci/run` installs it).

use std::path::Path;
use std::time::Duration;

use huijiao_core::face::image::Rgb;
use huijiao_e2e::{login, TestServer, DEMO_DEVICE};
use huijiao_server::rollcalls::caller::{panning_frame, Caller};
use huijiao_server::rollcalls::vp8::Encoder;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use str0m::format::Codec;

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

/// The browser process and its profile directory, ended when dropped (a failing assertion
/// included).
struct Browser(std::process::Child, std::path::PathBuf);

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

/// A server with the face engine, the demo data, and `sv.maxiaojun` enrolled with a test photo.
struct Setup {
    server: TestServer,
    http: reqwest::Client,
    officer: String,
    sv: String,
    photo: Vec<u8>,
    dir: tempfile::TempDir,
}

async fn setup(tweak: impl FnOnce(&mut huijiao_server::config::Config)) -> Setup {
    let models = std::env::var_os("HUIJIAO_MODEL_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
                .join("../../shared/models")
        });
    let engine = std::sync::Arc::new(
        huijiao_core::face::FaceEngine::load(&models, Default::default()).expect("face models"),
    );
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path(), huijiao_e2e::any_port(), tweak, |state| {
        state.face = Some(engine)
    })
    .await;
    let http = reqwest::Client::new();
    let base = &server.base;
    let officer = login(&http, base, "officer.donggang", None).await;
    let sv = login(&http, base, "sv.maxiaojun", Some(DEMO_DEVICE)).await;
    let photo = std::fs::read(
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../../shared/faces/grace_hopper.jpg"),
    )
    .unwrap();
    let setup = Setup {
        server,
        http,
        officer,
        sv,
        photo,
        dir,
    };
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&setup.photo);
    let case_id = setup.case_id().await;
    setup
        .call(
            reqwest::Method::POST,
            &format!("/cases/{case_id}/face"),
            Some(json!({ "photos": [b64] })),
        )
        .await;
    setup
}

impl Setup {
    async fn case_id(&self) -> String {
        let me: Value = self
            .http
            .get(format!("{}/api/v1/me", self.server.base))
            .bearer_auth(&self.sv)
            .header("x-device-id", DEMO_DEVICE)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        me["case_id"].as_str().unwrap().to_owned()
    }

    /// The officer's call of the API.
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        call(
            &self.http,
            method,
            format!("{}/api/v1{path}", self.server.base),
            &self.officer,
            body,
        )
        .await
    }

    /// The officer calls the supervisee: the call's id.
    async fn start_call(&self) -> String {
        let case_id = self.case_id().await;
        let started = self
            .call(
                reqwest::Method::POST,
                "/roll-calls",
                Some(json!({ "case_ids": [case_id] })),
            )
            .await;
        started["started"][0]["id"].as_str().unwrap().to_owned()
    }

    async fn status(&self, id: &str) -> Value {
        self.call(reqwest::Method::GET, &format!("/roll-calls/{id}"), None)
            .await
    }

    /// Headless Chromium on `url`, with a profile of its own under `name`, and `args`.
    fn chromium(&self, name: &str, args: &[String], url: String) -> Browser {
        let profile = self.dir.path().join(name);
        std::process::Command::new(chromium())
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
            ])
            .args(args)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map(|child| Browser(child, profile))
            .expect("start chromium")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_answers_a_roll_call_and_the_server_judges_its_video() {
    let s = setup(|_| {}).await;
    let id = s.start_call().await;
    let video = s.dir.path().join("camera.y4m");
    write_y4m(&Rgb::decode(&s.photo).unwrap(), 4, &video);
    let url = format!(
        "{}/roll-call#id={id}&token={}&device={DEMO_DEVICE}",
        s.server.base, s.sv
    );
    let fake_camera = [
        "--use-fake-ui-for-media-stream".to_owned(),
        "--use-fake-device-for-media-stream".to_owned(),
        format!("--use-file-for-fake-video-capture={}", video.display()),
    ];
    let chrome = s.chromium("answering", &fake_camera, url);

    let mut last = Value::Null;
    for _ in 0..90 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        last = s.status(&id).await;
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
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officers_chromium_watches_a_call_live() {
    // The turn is asked late, so the call stays live while the browser joins.
    let s = setup(|c| {
        c.rules.roll_calls.challenge_after_secs = 25;
        c.rules.roll_calls.max_verify_secs = 30;
    })
    .await;
    let id = s.start_call().await;
    // The supervisee's phone: the Rust caller, VP8 of the photo.
    let (mut phone, offer) = Caller::offer(Codec::Vp8).await.unwrap();
    let answered: Value = s
        .http
        .post(format!("{}/api/v1/roll-calls/{id}/answer", s.server.base))
        .bearer_auth(&s.sv)
        .header("x-device-id", DEMO_DEVICE)
        .json(&json!({ "sdp_offer": offer }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    phone
        .accept(answered["sdp_answer"].as_str().unwrap())
        .unwrap();
    let picture = Rgb::decode(&s.photo).unwrap();
    let mut encoder = Encoder::new(640, 480, 800).unwrap();
    let mut video = |n: usize, keyframe: bool| {
        encoder
            .encode(&panning_frame(&picture, n), 66, keyframe)
            .unwrap()
            .remove(0)
            .data
    };
    let done = AtomicBool::new(false);
    let calling = phone.stream(&mut video, 15, Duration::from_secs(28), 0.0, || {
        !done.load(Ordering::SeqCst)
    });
    let watching = async {
        // The officer opens the page once the video flows.
        let mut status = Value::Null;
        for _ in 0..50 {
            status = s.status(&id).await;
            if status["status"] == "verifying" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_eq!(status["status"], "verifying", "{status}");
        let url = format!(
            "{}/roll-call#mode=watch&id={id}&token={}",
            s.server.base, s.officer
        );
        let browser = s.chromium("watching", &["--remote-debugging-port=0".to_owned()], url);
        let page = browser.page().await;
        let mut seen = Value::Null;
        for _ in 0..60 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            seen = page
                .evaluate(
                    "JSON.stringify({ width: video.videoWidth, height: video.videoHeight, \
                     frames: video.getVideoPlaybackQuality().totalVideoFrames, \
                     status: document.getElementById('status').textContent })",
                )
                .await;
            if seen["frames"].as_u64().unwrap_or(0) >= 15 {
                break;
            }
        }
        done.store(true, Ordering::SeqCst);
        seen
    };
    let (phone_end, seen) = tokio::join!(calling, watching);
    assert!(phone_end.unwrap().connected);
    // The browser decoded the phone's frames as the server relayed them.
    assert_eq!(
        (seen["width"].as_u64(), seen["height"].as_u64()),
        (Some(640), Some(480)),
        "{seen}"
    );
    assert!(seen["frames"].as_u64().unwrap() >= 15, "{seen}");
    assert!(
        seen["status"].as_str().unwrap().contains("核验")
            || seen["status"].as_str().unwrap().contains("verified"),
        "{seen}"
    );
    s.server.stop().await;
}

/// A page of the browser, driven over the DevTools protocol.
struct Page {
    socket: tokio::sync::Mutex<
        tokio_tungstenite::WebSocketStream<
            tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
        >,
    >,
    next: std::sync::atomic::AtomicU64,
}

impl Browser {
    /// The page the browser opened (its DevTools port is in the profile once it is up).
    async fn page(&self) -> Page {
        let port_file = self.1.join("DevToolsActivePort");
        let mut port = String::new();
        for _ in 0..100 {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                if let Some(line) = text.lines().next().filter(|l| !l.is_empty()) {
                    port = line.to_owned();
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(!port.is_empty(), "Chromium's DevTools never came up");
        let targets: Value = reqwest::get(format!("http://127.0.0.1:{port}/json/list"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let url = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page")
            .to_owned();
        let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        Page {
            socket: tokio::sync::Mutex::new(socket),
            next: Default::default(),
        }
    }
}

impl Page {
    /// The value of `expression` (a JSON text) in the page; `null` while it cannot be had.
    async fn evaluate(&self, expression: &str) -> Value {
        use futures::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::Message;
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        let mut socket = self.socket.lock().await;
        let ask = json!({ "id": id, "method": "Runtime.evaluate",
            "params": { "expression": expression, "returnByValue": true } });
        socket.send(Message::text(ask.to_string())).await.unwrap();
        while let Some(Ok(message)) = socket.next().await {
            let Ok(reply) = serde_json::from_str::<Value>(message.to_text().unwrap_or("")) else {
                continue;
            };
            if reply["id"] == id {
                return reply["result"]["result"]["value"]
                    .as_str()
                    .and_then(|v| serde_json::from_str(v).ok())
                    .unwrap_or(Value::Null);
            }
        }
        Value::Null
    }
}
