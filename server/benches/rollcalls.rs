//! Roll-call media on one core (`scripts/bench-rollcalls.sh`).
//!
//! 1. Same thread, same run: the cost of decoding a 640×480 VP8 frame (every frame of a call
//!    is decoded), of turning one into RGB (one a second is), and of the face pipeline on that
//!    picture (detect, align, embed, mirror hash): the ratio says where a call's CPU goes.
//! 2. N concurrent calls over loopback UDP, 640×480 at 15 fps: the server's peers all run on
//!    one thread (a current-thread runtime), the callers (str0m, pre-encoded video) on others;
//!    the server thread's CPU time over the wall time gives the calls one core sustains, and
//!    every call must get its picture a second.
//! 3. N concurrent judged calls (the same video turning its head when asked): the server's
//!    peers and judges on one thread, face work on one more (a pool of one): how long from
//!    the question to the decision (p50/p95), and how many passed.
//!
//! Usage: `cargo bench -p huijiao-server --bench rollcalls -- [N …]` (default 8 16 32).

use std::time::{Duration, Instant};

use huijiao_core::face::image::Rgb;
use huijiao_core::face::{FaceEngine, QualityLimits};
use huijiao_core::policy::liveness::Pose;
use huijiao_core::policy::rollcall::Judgement;
use huijiao_server::rollcalls::caller::{panning_frame, Caller};
use huijiao_server::rollcalls::judge::Judge;
use huijiao_server::rollcalls::peer::{self, PeerConfig};
use huijiao_server::rollcalls::vp8::{Decoder, Encoder};
use str0m::format::Codec;

const FPS: u32 = 15;
const SECONDS: u64 = 10;

/// This thread's CPU time so far (user + system), from /proc.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces, inside parentheses): state,
    // ppid, pgrp, session, tty, tpgid, flags, four fault counts, then utime and stime.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let ticks = field(11) + field(12);
    Duration::from_millis(ticks * 10)
}

fn per_frame(total: Duration, n: usize) -> f64 {
    total.as_secs_f64() * 1000.0 / n as f64
}

fn main() {
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../../shared");
    let models = std::env::var_os("HUIJIAO_MODEL_DIR")
        .map(Into::into)
        .unwrap_or_else(|| root.join("models"));
    let photo = Rgb::decode(&std::fs::read(root.join("faces/grace_hopper.jpg")).unwrap()).unwrap();
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let counts = if counts.is_empty() {
        vec![8, 16, 32]
    } else {
        counts
    };

    // 10 s of video, encoded once: every caller sends the same bytes.
    let video = encoded(&photo);
    let kbps = video.iter().map(Vec::len).sum::<usize>() * 8 / 10 / 1000;

    println!("== one thread: where a call's CPU goes (640×480 VP8, {kbps} kbit/s)");
    let rounds = 3;
    let t = Instant::now();
    for _ in 0..rounds {
        let mut d = Decoder::new().unwrap();
        for f in &video {
            d.decode(f, false).unwrap();
        }
    }
    let decode_ms = per_frame(t.elapsed(), rounds * video.len());
    let mut d = Decoder::new().unwrap();
    let mut pictures = Vec::new();
    let t = Instant::now();
    for f in &video {
        if let Some(p) = d.decode(f, true).unwrap() {
            pictures.push(p);
        }
    }
    let with_rgb_ms = per_frame(t.elapsed(), video.len());
    let engine = std::sync::Arc::new(
        FaceEngine::load(&models, QualityLimits::default()).expect("face models"),
    );
    engine
        .analyze_image(&pictures[0])
        .expect("a face in the video");
    let t = Instant::now();
    for p in pictures.iter().step_by(15) {
        engine.analyze_image(p).unwrap();
    }
    let face_ms = per_frame(t.elapsed(), pictures.iter().step_by(15).count());
    let convert_ms = (with_rgb_ms - decode_ms).max(0.0);
    println!("decode           {decode_ms:7.2} ms/frame");
    println!("to RGB           {convert_ms:7.2} ms/picture");
    println!("face pipeline    {face_ms:7.2} ms/picture");
    println!(
        "ratio decode : face = {:.3} (one frame decoded per frame vs one picture judged)",
        decode_ms / face_ms
    );
    let per_call_ms_per_s = f64::from(FPS) * decode_ms + convert_ms + face_ms;
    println!(
        "one call, per second of video: {per_call_ms_per_s:.1} ms of CPU → {:.0} calls per core (decode {:.0} %, face {:.0} %)",
        1000.0 / per_call_ms_per_s,
        100.0 * f64::from(FPS) * decode_ms / per_call_ms_per_s,
        100.0 * face_ms / per_call_ms_per_s
    );

    println!("== concurrent calls: the server's peers on one thread, {SECONDS} s each, {FPS} fps");
    let callers = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let cfg = PeerConfig {
        bind: "127.0.0.1".parse().unwrap(),
        advertise: None,
        ports: None,
        sample_every: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(3),
    };
    decisions(&engine, &photo, &counts, &cfg, &callers);

    let video = std::sync::Arc::new(video);
    type Offer = (String, tokio::sync::oneshot::Sender<String>);
    for n in counts {
        // The server thread answers every offer, then measures its own CPU while the calls
        // stream (until the callers say they are done) and counts pictures per call.
        let (offers_tx, mut offers) = tokio::sync::mpsc::channel::<Offer>(n);
        let (done_tx, done) = std::sync::mpsc::channel::<()>();
        let server_cfg = cfg.clone();
        let server_thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let mut calls = Vec::new();
                while let Some((offer, reply)) = offers.recv().await {
                    let (answer, call) = peer::answer(&server_cfg, &offer).await.unwrap();
                    let _ = reply.send(answer);
                    calls.push(call);
                    if calls.len() == n {
                        break;
                    }
                }
                let (cpu0, wall0) = (thread_cpu(), Instant::now());
                let mut measured = None;
                let mut pictures = vec![0usize; n];
                let mut ended = 0;
                while ended < n {
                    for (i, c) in calls.iter_mut().enumerate() {
                        while c.samples.try_recv().is_ok() {
                            pictures[i] += 1;
                        }
                        if c.ended.try_recv().is_ok() {
                            ended += 1;
                        }
                    }
                    if measured.is_none() && done.try_recv().is_ok() {
                        measured = Some((thread_cpu() - cpu0, wall0.elapsed()));
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                let (cpu, wall) = measured.unwrap_or((thread_cpu() - cpu0, wall0.elapsed()));
                (cpu, wall, pictures)
            })
        });
        let started = Instant::now();
        let results: Vec<_> = callers.block_on(async {
            let mut tasks = Vec::new();
            for _ in 0..n {
                let (mut caller, offer) = Caller::offer(Codec::Vp8).await.unwrap();
                let (tx, rx) = tokio::sync::oneshot::channel();
                offers_tx.send((offer, tx)).await.unwrap();
                caller.accept(&rx.await.unwrap()).unwrap();
                let video = video.clone();
                tasks.push(tokio::spawn(async move {
                    let mut send = |i: usize, _: bool| video[i % video.len()].clone();
                    let report = caller
                        .stream(&mut send, FPS, Duration::from_secs(SECONDS), 0.0, || true)
                        .await;
                    drop(caller);
                    report
                }));
            }
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            out
        });
        let _ = done_tx.send(());
        let (cpu, wall, pictures) = server_thread.join().unwrap();
        let connected = results.iter().filter(|r| r.is_ok()).count();
        let share = cpu.as_secs_f64() / wall.as_secs_f64();
        let (min, max) = (
            pictures.iter().min().copied().unwrap_or(0),
            pictures.iter().max().copied().unwrap_or(0),
        );
        println!(
            "{n:3} calls: {connected} connected, pictures per call {min}–{max} in {SECONDS} s, server thread {:.0} % of a core ({:.2} % per call) → media path for ~{:.0} calls per core; {:.1} s in all",
            100.0 * share,
            100.0 * share / n as f64,
            n as f64 / share.max(1e-9),
            started.elapsed().as_secs_f64()
        );
    }
}

/// 10 s of 640×480 video of `picture`, panning, its first frame a keyframe.
fn encoded(picture: &Rgb) -> Vec<Vec<u8>> {
    let mut encoder = Encoder::new(640, 480, 800).unwrap();
    (0..(FPS as usize * 10))
        .map(|i| {
            encoder
                .encode(&panning_frame(picture, i), 66, i == 0)
                .unwrap()
                .remove(0)
                .data
        })
        .collect()
}

/// Part 3: `n` calls at once, each judged as in service; each caller turns the head the way
/// asked (switching to that pre-encoded video, which starts with a keyframe). Prints how long
/// from the question to the decision.
fn decisions(
    engine: &std::sync::Arc<FaceEngine>,
    photo: &Rgb,
    counts: &[usize],
    cfg: &PeerConfig,
    callers: &tokio::runtime::Runtime,
) {
    use huijiao_core::face::synth::turn_head;
    use std::sync::{Arc, Mutex};
    let landmarks = engine.analyze_image(photo).unwrap().landmarks;
    let straight = Arc::new(encoded(photo));
    let left = Arc::new(encoded(&turn_head(photo, &landmarks, 30.0)));
    let right = Arc::new(encoded(&turn_head(photo, &landmarks, -30.0)));
    let template = Arc::new(engine.enroll(&[&photo.encode_png()]).unwrap());
    println!(
        "== judged calls: peers and judges on one thread, faces on one more; question → decision"
    );
    // The question asked (and when), and whether the decision is in: shared by the two ends.
    type Asked = Arc<(
        Mutex<Option<(Pose, Instant)>>,
        std::sync::atomic::AtomicBool,
    )>;
    for &n in counts {
        let server_cfg = cfg.clone();
        let (offers_tx, mut offers) =
            tokio::sync::mpsc::channel::<(String, Asked, tokio::sync::oneshot::Sender<String>)>(n);
        let (engine, template) = (engine.clone(), template.clone());
        let server_thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let pool = Arc::new(tokio::sync::Semaphore::new(1));
                let mut judging = Vec::new();
                for _ in 0..n {
                    let Some((offer, asked, reply)) = offers.recv().await else {
                        break;
                    };
                    let (answer, mut call) = peer::answer(&server_cfg, &offer).await.unwrap();
                    let _ = reply.send(answer);
                    let judge = Judge {
                        engine: engine.clone(),
                        template: template.clone(),
                        policy: Default::default(),
                        rules: Default::default(),
                        liveness: Default::default(),
                        pool: pool.clone(),
                    };
                    judging.push(tokio::spawn(async move {
                        let told = asked.clone();
                        let verdict = judge
                            .run(
                                &mut call.samples,
                                move |pose| *told.0.lock().unwrap() = Some((pose, Instant::now())),
                                rand::random::<bool>,
                            )
                            .await;
                        let decided = Instant::now();
                        asked.1.store(true, std::sync::atomic::Ordering::SeqCst);
                        call.hang_up();
                        let asked_at = asked.0.lock().unwrap().map(|a| a.1);
                        (verdict.judgement, asked_at.map(|a| decided - a))
                    }));
                }
                let mut out = Vec::new();
                for j in judging {
                    out.push(j.await.unwrap());
                }
                out
            })
        });
        callers.block_on(async {
            let mut tasks = Vec::new();
            for _ in 0..n {
                let asked: Asked = Arc::new((Mutex::new(None), Default::default()));
                let (mut caller, offer) = Caller::offer(Codec::Vp8).await.unwrap();
                let (tx, rx) = tokio::sync::oneshot::channel();
                offers_tx.send((offer, asked.clone(), tx)).await.unwrap();
                caller.accept(&rx.await.unwrap()).unwrap();
                let (straight, left, right) = (straight.clone(), left.clone(), right.clone());
                tasks.push(tokio::spawn(async move {
                    let mut turned_at: Option<usize> = None;
                    let mut send = |i: usize, _: bool| {
                        let pose = asked.0.lock().unwrap().map(|a| a.0);
                        let video = match pose {
                            Some(Pose::TurnLeft) => &left,
                            Some(Pose::TurnRight) => &right,
                            _ => return straight[i % straight.len()].clone(),
                        };
                        let from = *turned_at.get_or_insert(i);
                        video[(i - from) % video.len()].clone()
                    };
                    let over = asked.clone();
                    let _ = caller
                        .stream(&mut send, FPS, Duration::from_secs(40), 0.0, || {
                            !over.1.load(std::sync::atomic::Ordering::SeqCst)
                        })
                        .await;
                }));
            }
            for t in tasks {
                t.await.unwrap();
            }
        });
        let results = server_thread.join().unwrap();
        let passed = results
            .iter()
            .filter(|r| r.0 == Some(Judgement::Passed))
            .count();
        let mut latencies: Vec<f64> = results
            .iter()
            .filter_map(|r| r.1.map(|d| d.as_secs_f64()))
            .collect();
        latencies.sort_by(f64::total_cmp);
        let at = |q: f64| {
            latencies
                .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(f64::NAN)
        };
        println!(
            "{n:3} calls: {passed} passed; question → decision p50 {:.2} s, p95 {:.2} s (max {:.2} s)",
            at(0.5),
            at(0.95),
            latencies.last().copied().unwrap_or(f64::NAN)
        );
    }
}
