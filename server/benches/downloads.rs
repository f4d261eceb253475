//! Memory while many people watch one big lesson: 50 viewers download a 256 MiB video at once
//! over real HTTP (half asking `Range: bytes=0-`, half the whole file), each reading to the
//! end. Reports the process's peak resident memory above what it held idle just before, and
//! the throughput, against a bare file server (the file read from disk in 64 KiB chunks, no
//! auth, no database) with the same viewers in the same run. Each side runs in a process of
//! its own (this binary again), so that what one side's allocator keeps does not hide the
//! other's cost. The goal (issue #34): under 100 MB above idle.
//!
//! Run with `scripts/bench-downloads.sh`. Knobs: `HUIJIAO_BENCH_POSTGRES_URL`,
//! `HUIJIAO_BENCH_VIEWERS` (default 50), `HUIJIAO_BENCH_FILE_MIB` (default 256).

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{env_usize, seed_county, video_lesson, BenchDb, Served};

/// This process's resident memory, bytes (`VmRSS`).
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kb * 1024
}

/// The file's bytes: a pattern that does not compress, from a chunk index.
fn chunk(i: u64) -> bytes::Bytes {
    let mut out = vec![0u8; 1 << 20];
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for b in out.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    bytes::Bytes::from(out)
}

/// `viewers` downloads of `url` at once (every other one with `Range: bytes=0-`), each read
/// to the end, while the peak resident memory is sampled every 10 ms. Returns (idle bytes,
/// peak bytes, seconds, bytes received).
async fn watch(
    url: String,
    headers: Vec<(String, String)>,
    viewers: usize,
    size: u64,
) -> (u64, u64, f64, u64) {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = rss();
    let peak = Arc::new(AtomicU64::new(idle));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let client = reqwest::Client::new();
    let t = Instant::now();
    let mut tasks = vec![];
    for v in 0..viewers {
        let mut req = client.get(&url);
        for (k, val) in &headers {
            req = req.header(k, val);
        }
        if v % 2 == 1 {
            req = req.header("range", "bytes=0-");
        }
        tasks.push(tokio::spawn(async move {
            let mut r = req.send().await.unwrap();
            assert!(r.status().is_success(), "{}", r.status());
            let mut got = 0u64;
            while let Some(c) = r.chunk().await.unwrap() {
                got += c.len() as u64;
            }
            got
        }));
    }
    let mut received = 0;
    for t in tasks {
        let got = t.await.unwrap();
        assert_eq!(got, size, "every viewer gets the whole file");
        received += got;
    }
    let secs = t.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    peak.fetch_max(rss(), Ordering::Relaxed);
    (idle, peak.load(Ordering::Relaxed), secs, received)
}

/// The app: a county with `viewers` supervisees, a published video lesson of `size` bytes
/// stored as uploads are (`put_public_stream`), downloaded with each person's token.
async fn ours(viewers: usize, size: u64) -> (u64, u64, f64, u64) {
    let db = BenchDb::new().await;
    let state = &db.state;
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7);
    let county = seed_county(state, viewers, &mut rng).await;
    let chunks = futures::stream::iter((0..size >> 20).map(|i| Ok::<_, std::io::Error>(chunk(i))));
    let (key, stored) = state
        .media
        .put_public_stream("lessons", chunks, size, |_| Ok(()))
        .await
        .unwrap();
    assert_eq!(stored, size);
    let lesson = video_lesson(state, &county, Some((key, "video/mp4", size))).await;
    let served = Served::start(state, viewers).await;
    let url = format!("{}/lessons/{lesson}/media", served.base());
    // One person's token for all: what is measured is the file's way out, not sign-ins.
    let p = &county.people[0];
    let headers = vec![
        ("authorization".to_owned(), format!("Bearer {}", p.token)),
        ("x-device-id".to_owned(), p.device.clone()),
    ];
    let got = watch(url, headers, viewers, size).await;
    served.stop().await;
    db.drop().await;
    got
}

/// A bare file server: the same bytes on disk, read in 64 KiB chunks for each request
/// (`media::file_chunks`, as the case-file archive is sent).
async fn bare(viewers: usize, size: u64) -> (u64, u64, f64, u64) {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lesson.mp4");
    let mut f = tokio::fs::File::create(&path).await.unwrap();
    for i in 0..size >> 20 {
        f.write_all(&chunk(i)).await.unwrap();
    }
    f.sync_all().await.unwrap();
    drop(f);
    let app = axum::Router::new().route(
        "/f",
        axum::routing::get(move || {
            let path = path.clone();
            async move {
                let file = tokio::fs::File::open(&path).await.unwrap();
                let stream = huijiao_server::media::file_chunks(file);
                axum::body::Body::from_stream(stream)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/f", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let got = watch(url, vec![], viewers, size).await;
    server.abort();
    got
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let viewers = env_usize("HUIJIAO_BENCH_VIEWERS", 50);
    let size = env_usize("HUIJIAO_BENCH_FILE_MIB", 256) as u64 * (1 << 20);
    // A side, run as a child: one line of figures.
    if let Ok(side) = std::env::var("HUIJIAO_BENCH_SIDE") {
        let (idle, peak, secs, received) = match side.as_str() {
            "ours" => ours(viewers, size).await,
            _ => bare(viewers, size).await,
        };
        println!("{idle} {peak} {secs} {received}");
        return;
    }
    let run = |side: &str| {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env("HUIJIAO_BENCH_SIDE", side)
            .stderr(std::process::Stdio::inherit())
            .output()
            .unwrap();
        assert!(out.status.success(), "the {side} side failed");
        let line = String::from_utf8(out.stdout).unwrap();
        let f: Vec<f64> = line
            .lines()
            .last()
            .unwrap()
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        (f[0], f[1], f[2], f[3])
    };
    let mib = |b: f64| b / (1 << 20) as f64;
    println!(
        "{viewers} viewers of a {} MiB file at once, half asking Range: bytes=0-",
        size >> 20
    );
    println!("| server | idle MiB | peak MiB | above idle MiB | seconds | MiB/s |");
    println!("|---|---|---|---|---|---|");
    let mut above = vec![];
    let mut speed = vec![];
    for side in ["bare", "ours"] {
        let (idle, peak, secs, received) = run(side);
        above.push(peak - idle);
        speed.push(mib(received) / secs);
        println!(
            "| {side} | {:.0} | {:.0} | {:.1} | {secs:.1} | {:.0} |",
            mib(idle),
            mib(peak),
            mib(peak - idle),
            mib(received) / secs
        );
    }
    println!(
        "memory above idle, ours / bare file server: {:.2}; throughput ratio: {:.2}; whole file per viewer would be {:.0} MiB; goal < 100 MB above idle: {}",
        above[1] / above[0].max(1.0),
        speed[1] / speed[0],
        mib((viewers as u64 * size) as f64),
        if above[1] < 100e6 { "met" } else { "NOT met" }
    );
}
