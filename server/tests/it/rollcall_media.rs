//! The roll-call media path over real sockets: a caller (str0m, full ICE) encodes VP8 frames
//! made from a test photo — small pans, 640×480 at 15 fps — and sends them over loopback UDP
//! to the server's peer, which decodes them and hands on a picture a second. The pictures are
//! the enrolled face to the real engine; 10 % of the caller's packets lost still gets there
//! (keyframe requests); a hang-up ends the call; an offer without VP8 video is refused.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use huijiao_core::face::image::Rgb;
use huijiao_core::face::{compare, Decision, MatchPolicy};
use huijiao_server::rollcalls::peer::{self, PeerConfig, PeerEnd, PeerError, Sample};
use huijiao_server::rollcalls::vp8::Encoder;
use rand::{Rng, SeedableRng};
use str0m::change::SdpAnswer;
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, RtcConfig};
use tokio::net::UdpSocket;

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

/// Frame `i` of the caller's video: the photo on a grey 640×480 canvas, panning a little.
fn frame(photo: &Rgb, i: usize) -> Rgb {
    let scaled = photo.resize(photo.width * 440 / photo.height, 440);
    let (w, h) = (640, 480);
    let dx = 100 + (i % 20) as isize - 10;
    let mut data = vec![110u8; w * h * 3];
    for y in 0..scaled.height {
        for x in 0..scaled.width {
            let (tx, ty) = (x as isize + dx, y as isize + 20);
            if (0..w as isize).contains(&tx) && (0..h as isize).contains(&ty) {
                let o = (ty as usize * w + tx as usize) * 3;
                data[o..o + 3].copy_from_slice(&scaled.pixel(x, y));
            }
        }
    }
    Rgb::from_raw(w, h, data)
}

/// Calls the server's peer and sends `secs` of video, losing `loss` of the packets; returns
/// the pictures the server sampled and how its side ended once the caller went away.
async fn call(photo: &Rgb, secs: u64, loss: f64) -> (Vec<Sample>, PeerEnd) {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let local = socket.local_addr().unwrap();
    let mut rtc = RtcConfig::new()
        .set_crypto_provider(std::sync::Arc::new(str0m::crypto::from_feature_flags()))
        .clear_codecs()
        .enable_vp8(true)
        .build(Instant::now());
    rtc.add_local_candidate(Candidate::host(local, "udp").unwrap());
    let mut change = rtc.sdp_api();
    let mid = change.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, pending) = change.apply().unwrap();
    let (answer, mut server) = peer::answer(&server_peer(), &offer.to_sdp_string())
        .await
        .unwrap();
    rtc.sdp_api()
        .accept_answer(pending, SdpAnswer::from_sdp_string(&answer).unwrap())
        .unwrap();

    let mut encoder = Encoder::new(640, 480, 800).unwrap();
    let mut lossy = rand::rngs::StdRng::seed_from_u64(15);
    let mut buf = vec![0u8; 2048];
    let (mut connected, mut keyframe, mut sent) = (None::<Instant>, true, 0usize);
    let started = Instant::now();
    let frame_every = Duration::from_millis(66);
    let mut samples = Vec::new();
    while started.elapsed() < Duration::from_secs(secs + 10) {
        while let Ok(s) = server.samples.try_recv() {
            samples.push(s);
        }
        let timeout = match rtc.poll_output().unwrap() {
            Output::Timeout(t) => t,
            Output::Transmit(t) => {
                if !lossy.gen_bool(loss) {
                    socket.send_to(&t.contents, t.destination).await.unwrap();
                }
                continue;
            }
            Output::Event(e) => {
                match e {
                    Event::Connected => connected = Some(Instant::now()),
                    Event::KeyframeRequest(_) => keyframe = true,
                    _ => {}
                }
                continue;
            }
        };
        if let Some(at) = connected {
            if at.elapsed() > Duration::from_secs(secs) {
                break;
            }
            // Frames due by now, each encoded and written as a camera would.
            while at + frame_every * sent as u32 <= Instant::now() {
                let pt = rtc
                    .writer(mid)
                    .unwrap()
                    .payload_params()
                    .find(|p| p.spec().codec == Codec::Vp8)
                    .unwrap()
                    .pt();
                let time = MediaTime::new(66 * 90 * sent as u64, Frequency::NINETY_KHZ);
                for packet in encoder.encode(&frame(photo, sent), 66, keyframe).unwrap() {
                    rtc.writer(mid)
                        .unwrap()
                        .write(pt, Instant::now(), time, packet.data)
                        .unwrap();
                }
                keyframe = false;
                sent += 1;
            }
        }
        let next_frame = connected.map(|at| at + frame_every * sent as u32);
        let wake = next_frame.map_or(timeout, |n| n.min(timeout));
        let wait = wake.saturating_duration_since(Instant::now());
        let input = match tokio::time::timeout(wait, socket.recv_from(&mut buf)).await {
            Ok(Ok((n, source))) => Input::Receive(
                Instant::now(),
                Receive {
                    proto: Protocol::Udp,
                    source,
                    destination: local,
                    contents: buf[..n].try_into().unwrap(),
                },
            ),
            Ok(Err(e)) => panic!("{e}"),
            Err(_) => Input::Timeout(Instant::now()),
        };
        rtc.handle_input(input).unwrap();
    }
    assert!(connected.is_some(), "the call never connected");
    // The caller goes away without a word: the server's side notices.
    drop(rtc);
    let end = tokio::time::timeout(Duration::from_secs(20), &mut server.ended)
        .await
        .expect("the server's side ended")
        .unwrap();
    while let Ok(s) = server.samples.try_recv() {
        samples.push(s);
    }
    (samples, end)
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
    let (pictures, end) = call(&photo, 4, 0.0).await;
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
    let (pictures, _) = call(&photo, 5, 0.10).await;
    assert!(
        pictures.len() >= 2,
        "{} pictures with 10 % loss",
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
