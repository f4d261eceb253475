//! The roll-call media path over real sockets: a caller (str0m, full ICE) encodes VP8 frames
//! made from a test photo — small pans, 640×480 at 15 fps — and sends them over loopback UDP
//! to the server's peer, which decodes them and hands on a picture a second. The pictures are
//! the enrolled face to the real engine; 10 % of the caller's packets lost still gets there
//! (keyframe requests); a hang-up ends the call; an offer without VP8 video is refused.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use huijiao_core::face::image::Rgb;
use huijiao_core::face::{compare, Decision, MatchPolicy};
use huijiao_server::rollcalls::caller::{panning_frame, Caller, CallerReport};
use huijiao_server::rollcalls::peer::{self, PeerConfig, PeerEnd, PeerError, Sample};
use huijiao_server::rollcalls::vp8::Encoder;
use str0m::media::{Direction, MediaKind};
use str0m::{Candidate, RtcConfig};

use crate::checkins::{face, reference_photo};
use crate::common::{Backend, TestApp};

fn server_peer() -> PeerConfig {
    PeerConfig {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        advertise: None,
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
    let (mut caller, offer) = Caller::offer().await.unwrap();
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
        })
        .await
        .unwrap();
    assert!(report.frames_sent as u64 >= 14 * secs, "{report:?}");
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

#[tokio::test]
async fn an_offer_without_vp8_video_is_refused() {
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
