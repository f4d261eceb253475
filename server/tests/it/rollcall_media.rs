//! The roll-call media path over real sockets: a caller (str0m, full ICE) encodes VP8 frames
//! made from a test photo — small pans, 640×480 at 15 fps — and sends them over loopback UDP
//! to the server's peer, which decodes them and hands on a picture a second. The pictures are
//! the enrolled face to the real engine; 10 % of the caller's packets lost still gets there
//! (retransmission), a stream without its keyframe gets one by asking (PLI); a caller gone
//! ends the call; an offer without VP8 is refused. Judged live: a head that turns as asked
//! passes; a photo held up (never turns), a clip (turns on its own) and someone else fail.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use huijiao_core::face::image::Rgb;
use huijiao_core::face::synth::turn_head;
use huijiao_core::face::{compare, Decision, MatchPolicy};
use huijiao_core::policy::liveness::{LivenessRules, Pose};
use huijiao_core::policy::rollcall::{Judgement, RollCallReason, RollCallRules};
use huijiao_server::rollcalls::caller::{panning_frame, Caller, CallerReport};
use huijiao_server::rollcalls::judge::{Judge, Verdict};
use huijiao_server::rollcalls::peer::{self, PeerConfig, PeerEnd, PeerError, Sample};
use huijiao_server::rollcalls::vp8::Encoder;
use str0m::format::Codec;
use str0m::media::{Direction, MediaKind};
use str0m::{Candidate, RtcConfig};
use tokio::sync::Semaphore;

use crate::checkins::{face, reference_photo};
use crate::common::{Backend, TestApp};

fn server_peer() -> PeerConfig {
    PeerConfig {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        advertise: None,
        ports: None,
        sample_every: Duration::from_millis(900),
        idle_timeout: Duration::from_secs(3),
    }
}

/// Calls the server's peer and sends `secs` of video, losing `loss` of the packets; returns
/// the pictures the server sampled, what the caller saw, and how the server's side ended once
/// the caller went away. `joined_late`: the stream starts after its keyframe, as when a
/// phone's first packets are lost for good.
async fn call(
    photo: &Rgb,
    secs: u64,
    loss: f64,
    joined_late: bool,
) -> (Vec<Sample>, CallerReport, PeerEnd) {
    let (mut caller, offer) = Caller::offer(Codec::Vp8).await.unwrap();
    let (answer, mut server) = peer::answer(&server_peer(), &offer).await.unwrap();
    caller.accept(&answer).unwrap();
    let mut encoder = Encoder::new(640, 480, 800).unwrap();
    if joined_late {
        encoder.encode(&panning_frame(photo, 0), 66, true).unwrap();
    }
    let mut video = |n: usize, keyframe: bool| {
        let keyframe = keyframe && !(joined_late && n == 0);
        let mut packets = encoder
            .encode(&panning_frame(photo, n), 66, keyframe)
            .unwrap();
        assert_eq!(packets.len(), 1, "real-time VP8: one frame in, one out");
        packets.remove(0).data
    };
    let mut samples = Vec::new();
    let report = caller
        .stream(&mut video, 15, Duration::from_secs(secs), loss, || {
            while let Ok(s) = server.samples.try_recv() {
                samples.push(s);
            }
            true
        })
        .await
        .unwrap();
    // 15 fps; a loaded machine may fall behind, never stop.
    assert!(report.frames_sent as u64 >= 8 * secs, "{report:?}");
    // The caller goes away without a word: the server's side notices.
    drop(caller);
    let end = tokio::time::timeout(Duration::from_secs(20), &mut server.ended)
        .await
        .expect("the server's side ended")
        .unwrap();
    while let Ok(s) = server.samples.try_recv() {
        samples.push(s);
    }
    (samples, report, end)
}

fn is_the_enrolled_face(app: &TestApp, pictures: &[Sample]) -> usize {
    let engine = app.state.face.clone().unwrap();
    let template = engine.enroll(&[&reference_photo().encode_png()]).unwrap();
    pictures
        .iter()
        .filter(|s| {
            engine.analyze_image(&s.picture).is_ok_and(|a| {
                compare(&template, &a, &MatchPolicy::default())
                    .unwrap()
                    .decision
                    == Decision::Match
            })
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callers_video_reaches_the_face_engine() {
    let app = TestApp::with_face(Backend::Sqlite, |_| {}).await;
    let photo = face("grace_hopper.jpg");
    let (pictures, report, end) = call(&photo, 4, 0.0, false).await;
    assert_eq!(report.keyframes_asked, 0, "nothing lost, nothing asked");
    assert!(pictures.len() >= 3, "{} pictures in 4 s", pictures.len());
    assert!(pictures.windows(2).all(|w| w[1].at > w[0].at));
    assert_eq!(
        (pictures[0].picture.width, pictures[0].picture.height),
        (640, 480)
    );
    assert_eq!(is_the_enrolled_face(&app, &pictures), pictures.len());
    assert!(matches!(end, PeerEnd::Closed | PeerEnd::Idle), "{end:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lossy_network_still_gets_pictures_through() {
    let app = TestApp::with_face(Backend::Sqlite, |_| {}).await;
    let photo = face("grace_hopper.jpg");
    // Lost packets are sent again (NACK) and the pictures still come.
    let (pictures, _, _) = call(&photo, 5, 0.10, false).await;
    assert!(pictures.len() >= 3, "{} with 10 % loss", pictures.len());
    assert!(is_the_enrolled_face(&app, &pictures) >= 3);
    // A stream whose keyframe never came cannot be decoded: the server asks for one (PLI)
    // and decodes from there.
    let (pictures, report, _) = call(&photo, 4, 0.0, true).await;
    assert!(report.keyframes_asked >= 1, "{report:?}");
    assert!(
        pictures.len() >= 2,
        "{} after a keyframe request",
        pictures.len()
    );
    assert!(is_the_enrolled_face(&app, &pictures) >= 2);
}

/// How the head in a judged call's video moves.
#[derive(Clone, Copy, PartialEq)]
enum Head {
    /// It turns when asked, the way asked (the photo rendered turned, as a real head shows).
    AsAsked,
    /// It never moves: a photo held up to the camera.
    Still,
    /// It turns by itself, both ways in turn: a recorded clip playing.
    OnItsOwn,
}

/// A judged call: the caller shows `photo`, its head moving as `head` says.
async fn judged_call(app: &TestApp, photo: &Rgb, head: Head) -> Verdict {
    let engine = app.state.face.clone().unwrap();
    let template = engine.enroll(&[&reference_photo().encode_png()]).unwrap();
    let landmarks = engine.analyze_image(photo).map(|a| a.landmarks).ok();
    let turned = |deg: f32| landmarks.map(|l| turn_head(photo, &l, deg));
    let (left, right) = (turned(30.0), turned(-30.0));
    let judge = Judge {
        engine,
        template: Arc::new(template),
        policy: MatchPolicy::default(),
        rules: RollCallRules {
            challenge_after_secs: 2,
            challenge_secs: 4,
            max_verify_secs: 20,
            ..RollCallRules::default()
        },
        liveness: LivenessRules::default(),
        pool: Arc::new(Semaphore::new(2)),
    };
    let (mut caller, offer) = Caller::offer(Codec::Vp8).await.unwrap();
    let cfg = PeerConfig {
        sample_every: Duration::from_millis(400),
        ..server_peer()
    };
    let (answer, mut server) = peer::answer(&cfg, &offer).await.unwrap();
    caller.accept(&answer).unwrap();
    let asked: Arc<Mutex<Option<Pose>>> = Arc::default();
    let told = asked.clone();
    let judging = tokio::spawn(async move {
        let mut coin = [true, false].into_iter().cycle();
        let verdict = judge
            .run(
                &mut server.samples,
                |pose| *told.lock().unwrap() = Some(pose),
                || coin.next().unwrap(),
            )
            .await;
        server.hang_up();
        verdict
    });
    let mut encoder = Encoder::new(640, 480, 800).unwrap();
    let mut video = |n: usize, keyframe: bool| {
        let shown = match (head, *asked.lock().unwrap()) {
            (Head::AsAsked, Some(Pose::TurnLeft)) => left.as_ref().unwrap(),
            (Head::AsAsked, Some(Pose::TurnRight)) => right.as_ref().unwrap(),
            // A clip: the head turns one way, then the other, every second, whatever is asked.
            (Head::OnItsOwn, _) if n > 15 => [
                photo,
                left.as_ref().unwrap(),
                photo,
                right.as_ref().unwrap(),
            ][(n / 15) % 4],
            _ => photo,
        };
        encoder
            .encode(&panning_frame(shown, n), 66, keyframe)
            .unwrap()
            .remove(0)
            .data
    };
    // Until the server has its verdict, or 25 s.
    let _ = caller
        .stream(&mut video, 15, Duration::from_secs(25), 0.0, || {
            !judging.is_finished()
        })
        .await;
    drop(caller);
    judging.await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_call_passes_when_the_head_turns_as_asked() {
    let app = TestApp::with_face(Backend::Sqlite, |_| {}).await;
    let hopper = face("grace_hopper.jpg");
    let v = judged_call(&app, &hopper, Head::AsAsked).await;
    assert_eq!(v.judgement, Some(Judgement::Passed));
    let (pose, at) = v.asked.expect("a turn asked");
    assert!(
        pose != Pose::Straight && at >= Duration::from_secs(2),
        "{pose:?} at {at:?}"
    );
    let (distance, snapshot) = v.best.expect("a snapshot kept");
    assert!(distance < 0.55 && snapshot.width == 640);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_held_up_a_clip_or_someone_else_fails() {
    let app = TestApp::with_face(Backend::Sqlite, |_| {}).await;
    // The right face, but it never turns: a photo held up to the camera.
    let v = judged_call(&app, &face("grace_hopper.jpg"), Head::Still).await;
    assert_eq!(
        v.judgement,
        Some(Judgement::Failed(RollCallReason::PoseNotShown))
    );
    assert!(v.asked.is_some());
    // Someone else, turning as asked.
    // The right face in a recorded clip that turns on its own.
    let v = judged_call(&app, &face("grace_hopper.jpg"), Head::OnItsOwn).await;
    assert_eq!(
        v.judgement,
        Some(Judgement::Failed(RollCallReason::PoseUnprompted))
    );
    let v = judged_call(&app, &face("astronaut.png"), Head::AsAsked).await;
    assert_eq!(
        v.judgement,
        Some(Judgement::Failed(RollCallReason::FaceMismatch))
    );
    assert!(
        v.best.is_none(),
        "no snapshot of a stranger kept as evidence of a match"
    );
}

/// Phones' hardware encoders send H.264: decoded too (feature `h264`, on in the test command).
#[cfg(feature = "h264")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h264_video_reaches_the_face_engine_too() {
    let app = TestApp::with_face(Backend::Sqlite, |_| {}).await;
    let photo = face("grace_hopper.jpg");
    let (mut caller, offer) = Caller::offer(Codec::H264).await.unwrap();
    let (answer, mut server) = peer::answer(&server_peer(), &offer).await.unwrap();
    caller.accept(&answer).unwrap();
    let mut encoder = huijiao_server::rollcalls::h264::Encoder::new(800).unwrap();
    let mut video =
        |n: usize, keyframe: bool| encoder.encode(&panning_frame(&photo, n), keyframe).unwrap();
    let mut samples = Vec::new();
    caller
        .stream(&mut video, 15, Duration::from_secs(4), 0.0, || {
            while let Ok(s) = server.samples.try_recv() {
                samples.push(s);
            }
            true
        })
        .await
        .unwrap();
    assert!(samples.len() >= 3, "{} pictures in 4 s", samples.len());
    assert_eq!(is_the_enrolled_face(&app, &samples), samples.len());
}

#[tokio::test]
async fn an_offer_without_video_the_server_decodes_is_refused() {
    let rtc_config = || {
        RtcConfig::new()
            .set_crypto_provider(std::sync::Arc::new(str0m::crypto::from_feature_flags()))
    };
    let mut rtc = rtc_config().build(Instant::now());
    rtc.add_local_candidate(
        Candidate::host(SocketAddr::from((Ipv4Addr::LOCALHOST, 9)), "udp").unwrap(),
    );
    let mut change = rtc.sdp_api();
    change.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    let (offer, _) = change.apply().unwrap();
    assert!(matches!(
        peer::answer(&server_peer(), &offer.to_sdp_string()).await,
        Err(PeerError::NoVideo)
    ));
    assert!(matches!(
        peer::answer(&server_peer(), "v=0\r\nnot sdp").await,
        Err(PeerError::Offer(_))
    ));
}

/// An officer joins a call already under way to watch: the server relays the caller's own VP8
/// to them (asking the caller for a keyframe when they join), while the judge keeps getting its
/// pictures; the officer's connection ends with the call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_watching_gets_the_callers_video() {
    let app = TestApp::with_face(Backend::Sqlite, |_| {}).await;
    let photo = face("grace_hopper.jpg");
    let (mut caller, offer) = Caller::offer(Codec::Vp8).await.unwrap();
    let (answer, mut server) = peer::answer(&server_peer(), &offer).await.unwrap();
    caller.accept(&answer).unwrap();
    let feed = server.feed.clone();
    let calling = tokio::spawn(async move {
        let mut encoder = Encoder::new(640, 480, 800).unwrap();
        let mut video = |n: usize, keyframe: bool| {
            encoder
                .encode(&panning_frame(&photo, n), 66, keyframe)
                .unwrap()
                .remove(0)
                .data
        };
        let mut judged = 0;
        let report = caller
            .stream(&mut video, 15, Duration::from_secs(7), 0.0, || {
                while server.samples.try_recv().is_ok() {
                    judged += 1;
                }
                true
            })
            .await
            .unwrap();
        (report, judged, caller, server)
    });
    // The officer joins a second and a half into the call.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (mut officer, offer) = Caller::watcher().await.unwrap();
    let (answer, watch) = peer::watch(&server_peer(), &offer, &feed).await.unwrap();
    drop(feed);
    officer.accept(&answer).unwrap();
    let mut nothing = |_: usize, _: bool| Vec::new();
    let watched = officer
        .stream(&mut nothing, 15, Duration::from_secs(4), 0.0, || true)
        .await
        .unwrap();
    let (report, judged, caller, server) = calling.await.unwrap();
    assert!(watched.connected);
    assert!(report.keyframes_asked >= 1, "joining asks for a keyframe");
    // The officer decodes what the phone sent, from that keyframe on.
    let mut decoder = huijiao_server::rollcalls::vp8::Decoder::new().unwrap();
    let pictures: Vec<Sample> = officer
        .received
        .iter()
        .filter_map(|f| decoder.decode(f, true).ok().flatten())
        .map(|picture| Sample {
            at: Duration::ZERO,
            picture,
        })
        .collect();
    assert!(
        pictures.len() >= 30,
        "{} frames seen by the officer in 4 s",
        pictures.len()
    );
    let some: Vec<Sample> = pictures.into_iter().step_by(15).collect();
    assert_eq!(is_the_enrolled_face(&app, &some), some.len());
    assert!(judged >= 5, "the judge's pictures kept coming: {judged}");
    drop(caller);
    drop(server);
    let end = tokio::time::timeout(Duration::from_secs(20), watch.finished())
        .await
        .expect("the officer's side ended with the call");
    assert!(matches!(end, PeerEnd::Closed), "{end:?}");
}
