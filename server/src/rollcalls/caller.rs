//! A roll call's other end in Rust: a WebRTC caller (str0m, full ICE) that offers a send-only
//! VP8 video track and streams frames over UDP as a phone does. It is how the tests and the
//! benchmark call the server's peer over real sockets (the apps use their platform's WebRTC),
//! and shows the signalling an app performs: offer → the server's answer → media.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use huijiao_core::face::image::Rgb;
use rand::{Rng, SeedableRng};
use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;

/// Frame `n` of a 640×480 video of `photo` held in the hand: the photo on a grey ground,
/// panning 20 px to and fro. The tests' and the benchmark's camera.
pub fn panning_frame(photo: &Rgb, n: usize) -> Rgb {
    let scaled = photo.resize(photo.width * 440 / photo.height, 440);
    let (w, h) = (640, 480);
    let dx = 100 + (n % 20) as isize - 10;
    let mut data = vec![110u8; w * h * 3];
    for y in 0..scaled.height.min(h - 20) {
        for x in 0..scaled.width {
            let tx = x as isize + dx;
            if (0..w as isize).contains(&tx) {
                let o = ((y + 20) * w + tx as usize) * 3;
                data[o..o + 3].copy_from_slice(&scaled.pixel(x, y));
            }
        }
    }
    Rgb::from_raw(w, h, data)
}

/// The video a caller sends: frame `n`, and whether the receiver asked for a keyframe; the
/// encoded frame (in the caller's codec).
pub type Video<'a> = dyn FnMut(usize, bool) -> Vec<u8> + Send + 'a;

pub struct Caller {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    mid: Mid,
    codec: Codec,
    pending: Option<SdpPendingOffer>,
    /// A watcher (an officer joining) receives instead of sending.
    watching: bool,
    /// Frames received, as encoded (a watcher's).
    pub received: Vec<Vec<u8>>,
}

/// What a caller saw of its call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerReport {
    pub connected: bool,
    pub frames_sent: usize,
    pub keyframes_asked: usize,
}

impl Caller {
    /// A caller on loopback offering video in `codec` (VP8, or H.264), and its SDP offer.
    pub async fn offer(codec: Codec) -> std::io::Result<(Caller, String)> {
        Self::new(codec, Direction::SendOnly).await
    }

    /// An officer's end joining a call to watch it (receive-only VP8), and its SDP offer.
    /// `stream` then receives for the duration (its `video` is never asked).
    pub async fn watcher() -> std::io::Result<(Caller, String)> {
        Self::new(Codec::Vp8, Direction::RecvOnly).await
    }

    async fn new(codec: Codec, direction: Direction) -> std::io::Result<(Caller, String)> {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let local = socket.local_addr()?;
        let mut rtc = RtcConfig::new()
            .set_crypto_provider(Arc::new(str0m::crypto::from_feature_flags()))
            .clear_codecs()
            .enable_vp8(codec == Codec::Vp8)
            .enable_h264(codec == Codec::H264)
            .build(Instant::now());
        let candidate =
            Candidate::host(local, "udp").map_err(|e| std::io::Error::other(e.to_string()))?;
        rtc.add_local_candidate(candidate);
        let mut change = rtc.sdp_api();
        let mid = change.add_media(MediaKind::Video, direction, None, None, None);
        let (offer, pending) = change
            .apply()
            .ok_or_else(|| std::io::Error::other("no offer"))?;
        Ok((
            Caller {
                rtc,
                socket,
                local,
                mid,
                codec,
                pending: Some(pending),
                watching: direction == Direction::RecvOnly,
                received: Vec::new(),
            },
            offer.to_sdp_string(),
        ))
    }

    /// Takes the server's answer.
    pub fn accept(&mut self, answer: &str) -> Result<(), String> {
        let answer = SdpAnswer::from_sdp_string(answer).map_err(|e| e.to_string())?;
        let pending = self.pending.take().ok_or("answer already taken")?;
        self.rtc
            .sdp_api()
            .accept_answer(pending, answer)
            .map_err(|e| e.to_string())
    }

    /// Connects and sends `fps` frames a second for `duration` after the connection is up,
    /// losing a share `loss` of its outgoing packets (seeded: the same packets each run).
    /// `tick` runs between steps (a test collects what the server sampled meanwhile); the
    /// call ends early when it answers `false`, or when the server's side goes away. Gives up
    /// when no connection is made within 10 seconds.
    pub async fn stream(
        &mut self,
        video: &mut Video<'_>,
        fps: u32,
        duration: Duration,
        loss: f64,
        mut tick: impl FnMut() -> bool,
    ) -> Result<CallerReport, String> {
        let mut lossy = rand::rngs::StdRng::seed_from_u64(15);
        let mut buf = vec![0u8; 2048];
        let every = Duration::from_secs(1) / fps.max(1);
        let ticks_90k = 90_000 / u64::from(fps.max(1));
        let started = Instant::now();
        let mut connected: Option<Instant> = None;
        let mut keyframe = true;
        let mut report = CallerReport {
            connected: false,
            frames_sent: 0,
            keyframes_asked: 0,
        };
        loop {
            if !tick() || !self.rtc.is_alive() {
                return Ok(report);
            }
            let timeout = match self.rtc.poll_output().map_err(|e| e.to_string())? {
                Output::Timeout(t) => t,
                Output::Transmit(t) => {
                    if !lossy.gen_bool(loss) {
                        // A datagram lost on send is the network's business, as on a phone.
                        let _ = self.socket.send_to(&t.contents, t.destination).await;
                    }
                    continue;
                }
                Output::Event(e) => {
                    match e {
                        Event::Connected => {
                            connected = Some(Instant::now());
                            report.connected = true;
                        }
                        Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                            return Ok(report);
                        }
                        Event::KeyframeRequest(_) => {
                            keyframe = true;
                            report.keyframes_asked += 1;
                        }
                        Event::MediaData(d) => self.received.push(d.data.to_vec()),
                        _ => {}
                    }
                    continue;
                }
            };
            match connected {
                None if started.elapsed() > Duration::from_secs(10) => {
                    return Err("no connection within 10 s".into())
                }
                Some(at) if at.elapsed() >= duration => return Ok(report),
                _ => {}
            }
            // One frame per turn of the loop: str0m takes one write between polls (a caller
            // that fell behind catches up a frame per turn).
            if let Some(at) = connected.filter(|_| !self.watching) {
                if at + every * report.frames_sent as u32 <= Instant::now() {
                    let n = report.frames_sent;
                    let data = video(n, keyframe);
                    keyframe = false;
                    let pt = self
                        .rtc
                        .writer(self.mid)
                        .ok_or("no writer")?
                        .payload_params()
                        .find(|p| p.spec().codec == self.codec)
                        .ok_or("the codec was not negotiated")?
                        .pt();
                    let time = MediaTime::new(ticks_90k * n as u64, Frequency::NINETY_KHZ);
                    self.rtc
                        .writer(self.mid)
                        .ok_or("no writer")?
                        .write(pt, Instant::now(), time, data)
                        .map_err(|e| e.to_string())?;
                    report.frames_sent += 1;
                }
            }
            let next_frame = connected
                .filter(|_| !self.watching)
                .map(|at| at + every * report.frames_sent as u32);
            let wake = next_frame.map_or(timeout, |n| n.min(timeout));
            let wait = wake.saturating_duration_since(Instant::now());
            let input = match tokio::time::timeout(wait, self.socket.recv_from(&mut buf)).await {
                Ok(Ok((n, source))) => match buf[..n].try_into() {
                    Ok(contents) => Input::Receive(
                        Instant::now(),
                        Receive {
                            proto: Protocol::Udp,
                            source,
                            destination: self.local,
                            contents,
                        },
                    ),
                    Err(_) => continue,
                },
                Ok(Err(e)) => return Err(e.to_string()),
                Err(_) => Input::Timeout(Instant::now()),
            };
            self.rtc.handle_input(input).map_err(|e| e.to_string())?;
        }
    }
}
