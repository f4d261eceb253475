//! Shared end-to-end harness: the real server with demo data on SQLite, listening on a real
//! port, stopped gracefully; and the few HTTP helpers every end-to-end test needs.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use huijiao_server::config::Config;
use huijiao_server::state::AppState;
use serde_json::{json, Value};

pub use huijiao_server::demo::{DEMO_DEVICE, DEMO_PASSWORD};

pub mod faces;

/// A server running in this process until `stop`.
pub struct TestServer {
    pub addr: SocketAddr,
    /// `http://addr`
    pub base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl TestServer {
    /// Demo data (loaded if the database in `data_dir` is empty) on SQLite, listening on
    /// `addr` (port 0 for any free port; a fixed one to restart "the same server").
    /// `tweak` changes the configuration, `prepare` the state before serving.
    pub async fn start(
        data_dir: &Path,
        addr: SocketAddr,
        tweak: impl FnOnce(&mut Config),
        prepare: impl FnOnce(&mut AppState),
    ) -> TestServer {
        let mut config = Config {
            data_dir: data_dir.to_path_buf(),
            ..Config::default()
        };
        tweak(&mut config);
        let mut state = huijiao_server::prepare(config)
            .await
            .expect("prepare the server");
        huijiao_server::demo::seed_if_empty(&state)
            .await
            .expect("demo data");
        prepare(&mut state);
        let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(huijiao_server::serve(state, listener, async move {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            base: format!("http://{addr}"),
            stop,
            task,
        }
    }

    /// The demo server with the default configuration on any free port.
    pub async fn demo(data_dir: &Path) -> TestServer {
        Self::start(data_dir, any_port(), |_| {}, |_| {}).await
    }

    /// Asks the server to stop and waits (at most 10 s) until it has drained and returned.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the server stops when asked")
            .expect("server task")
            .expect("server ran cleanly");
    }
}

/// Port 0 on loopback: the system picks a free port.
pub fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A free loopback address that stays the same across a restart of the server.
pub async fn free_addr() -> SocketAddr {
    tokio::net::TcpListener::bind(any_port())
        .await
        .unwrap()
        .local_addr()
        .unwrap()
}

/// Signs in a demo user over HTTP; returns the access token.
pub async fn login(http: &reqwest::Client, base: &str, user: &str, device: Option<&str>) -> String {
    let v: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": user, "password": DEMO_PASSWORD, "device_id": device }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"))
        .to_owned()
}
