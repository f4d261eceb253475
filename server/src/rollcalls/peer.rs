//! The server's side of a roll call's video: a WebRTC peer (`str0m`, sans-IO; ICE-lite on one
//! UDP port of the configured address) that answers the caller's SDP offer, receives the video,
//! decodes every VP8 frame (each one is needed for the next) and hands a picture every
//! `sample_every` to whoever judges it — dropping a picture rather than waiting when the judge
//! is busy, so the media loop never blocks on face work. A frame that cannot be decoded (loss)
//! makes the peer ask the caller for a keyframe (PLI), at most twice a second.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use huijiao_core::face::image::Rgb;
use str0m::change::SdpOffer;
use str0m::crypto::CryptoProvider;
use str0m::media::{KeyframeRequestKind, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::{broadcast, mpsc, oneshot};

use str0m::format::{Codec, PayloadParams};
use str0m::media::MediaTime;

use super::vp8;

#[derive(Debug, Clone)]
pub struct PeerConfig {
    /// Address the peer's UDP socket binds to (a port is picked per call).
    pub bind: IpAddr,
    /// Address announced to the caller when it differs from `bind` (behind a 1:1 NAT).
    pub advertise: Option<IpAddr>,
    /// UDP ports to use, inclusive (the firewall's opening); `None` = any free port.
    pub ports: Option<(u16, u16)>,
    /// One picture is handed on per this much video.
    pub sample_every: Duration,
    /// A call with no video for this long ends (`PeerEnd::Idle`).
    pub idle_timeout: Duration,
}

/// A sampled picture and when it came, counted from the call's first picture.
#[derive(Clone)]
pub struct Sample {
    pub at: Duration,
    pub picture: Rgb,
}

/// How a call's media ended.
#[derive(Debug, Clone, PartialEq)]
pub enum PeerEnd {
    /// The caller hung up or the connection was lost.
    Closed,
    /// No video for `idle_timeout`.
    Idle,
    /// The server ended it (`Call::hang_up`, or the call's handle dropped).
    HungUp,
    Failed(String),
}

#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    #[error("the offer is not a valid SDP offer: {0}")]
    Offer(String),
    #[error("the offer carries no video the server can decode (VP8)")]
    NoVideo,
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    #[error("webrtc: {0}")]
    Rtc(String),
}

/// A video frame as the caller sent it (still encoded), for the officers watching the call.
#[derive(Clone)]
pub struct Forwarded {
    pub params: PayloadParams,
    pub time: MediaTime,
    pub network_time: Instant,
    pub data: Arc<[u8]>,
}

/// What a watcher of a call holds: the caller's frames as they come, and a way to ask the
/// caller for a keyframe (a watcher joining mid-call cannot decode until one comes).
#[derive(Clone)]
pub struct Feed {
    pub frames: broadcast::Sender<Forwarded>,
    pub keyframe: mpsc::Sender<()>,
}

/// The feeds of the calls whose video is flowing now, by roll call (a call's session adds its
/// own and takes it away when it ends).
#[derive(Clone, Default)]
pub struct LiveCalls(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<uuid::Uuid, Feed>>>);

impl LiveCalls {
    pub fn add(&self, id: uuid::Uuid, feed: Feed) {
        self.0.lock().expect("not poisoned").insert(id, feed);
    }

    pub fn remove(&self, id: uuid::Uuid) {
        self.0.lock().expect("not poisoned").remove(&id);
    }

    pub fn get(&self, id: uuid::Uuid) -> Option<Feed> {
        self.0.lock().expect("not poisoned").get(&id).cloned()
    }
}

/// A running call: its samples, how it ended, the way to end it, and its feed for watchers.
pub struct Call {
    pub samples: mpsc::Receiver<Sample>,
    pub ended: oneshot::Receiver<PeerEnd>,
    hang_up: Option<oneshot::Sender<()>>,
    /// The UDP address the peer listens on.
    pub local: SocketAddr,
    pub feed: Feed,
}

impl Call {
    pub fn hang_up(&mut self) {
        if let Some(tx) = self.hang_up.take() {
            let _ = tx.send(());
        }
    }
}

fn crypto() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(str0m::crypto::from_feature_flags()))
        .clone()
}

/// A peer on a fresh socket that has accepted `offer`, with only the codecs we decode; fails
/// when the offer has no video in one of them.
async fn accept(
    cfg: &PeerConfig,
    offer: &str,
) -> Result<(Rtc, UdpSocket, SocketAddr, String), PeerError> {
    let offer = SdpOffer::from_sdp_string(offer).map_err(|e| PeerError::Offer(e.to_string()))?;
    let socket = bind(cfg).await?;
    let local = socket.local_addr()?;
    let announced = SocketAddr::new(cfg.advertise.unwrap_or(cfg.bind), local.port());
    let mut rtc = RtcConfig::new()
        .set_crypto_provider(crypto())
        .set_ice_lite(true)
        .clear_codecs()
        .enable_vp8(true)
        .enable_h264(cfg!(feature = "h264"))
        .build(Instant::now());
    let candidate = Candidate::host(announced, "udp").map_err(|e| PeerError::Rtc(e.to_string()))?;
    rtc.add_local_candidate(candidate);
    let answer = rtc
        .sdp_api()
        .accept_offer(offer)
        .map_err(|e| PeerError::Rtc(e.to_string()))?;
    let answer = answer.to_sdp_string();
    // Only the codecs we decode are enabled: an answer naming one accepted the caller's video.
    if !answer.contains("VP8/90000") && !answer.contains("H264/90000") {
        return Err(PeerError::NoVideo);
    }
    Ok((rtc, socket, local, answer))
}

/// Answers `offer` (SDP text) and starts the call's media loop on the runtime. Returns the SDP
/// answer to send back and the running call.
pub async fn answer(cfg: &PeerConfig, offer: &str) -> Result<(String, Call), PeerError> {
    let (rtc, socket, local, answer) = accept(cfg, offer).await?;
    // A picture every second or two is all the judge takes; a few queued cover a slow one.
    let (samples_tx, samples) = mpsc::channel(4);
    let (ended_tx, ended) = oneshot::channel();
    let (hang_up, hang_up_rx) = oneshot::channel();
    // A second of video queued per watcher; one that falls further behind skips ahead.
    let (frames, _) = broadcast::channel(32);
    let (keyframe, keyframe_rx) = mpsc::channel(4);
    let feed = Feed { frames, keyframe };
    let cfg = cfg.clone();
    let forward = feed.frames.clone();
    tokio::spawn(async move {
        let io = Io {
            socket,
            local,
            hang_up: hang_up_rx,
        };
        let end = run(rtc, io, &cfg, samples_tx, forward, keyframe_rx).await;
        let _ = ended_tx.send(end);
    });
    Ok((
        answer,
        Call {
            samples,
            ended,
            hang_up: Some(hang_up),
            local,
            feed,
        },
    ))
}

/// An officer's connection to a call they watch; it ends with the call, or when dropped.
pub struct Watch {
    pub ended: oneshot::Receiver<PeerEnd>,
    _hang_up: oneshot::Sender<()>,
}

impl Watch {
    /// Runs until the relay ends (the call over, or the officer gone), and says how.
    pub async fn finished(self) -> PeerEnd {
        let Watch { ended, _hang_up } = self;
        ended.await.unwrap_or(PeerEnd::HungUp)
    }
}

/// Answers an officer's offer (receive-only video) and relays the call's frames to them as
/// they come (an SFU's forwarding: no decoding, the caller's own bitstream), asking the caller
/// for a keyframe when they join or ask. The judge keeps judging; watching changes nothing in
/// the call.
pub async fn watch(
    cfg: &PeerConfig,
    offer: &str,
    feed: &Feed,
) -> Result<(String, Watch), PeerError> {
    let (rtc, socket, local, answer) = accept(cfg, offer).await?;
    let (ended_tx, ended) = oneshot::channel();
    let (hang_up, hang_up_rx) = oneshot::channel();
    let frames = feed.frames.subscribe();
    let keyframe = feed.keyframe.clone();
    tokio::spawn(async move {
        let io = Io {
            socket,
            local,
            hang_up: hang_up_rx,
        };
        let end = relay(rtc, io, frames, keyframe).await;
        let _ = ended_tx.send(end);
    });
    Ok((
        answer,
        Watch {
            ended,
            _hang_up: hang_up,
        },
    ))
}

async fn relay(
    mut rtc: Rtc,
    io: Io,
    mut frames: broadcast::Receiver<Forwarded>,
    keyframe: mpsc::Sender<()>,
) -> PeerEnd {
    let Io {
        socket,
        local,
        mut hang_up,
    } = io;
    let mut mid: Option<Mid> = None;
    let mut buf = vec![0u8; 2048];
    loop {
        let timeout = match step(&mut rtc, &socket).await {
            Ok(Step::Wait(t)) => t,
            Err(end) => return end,
            Ok(Step::Event(event)) => {
                match event {
                    Event::MediaAdded(added) => mid = Some(added.mid),
                    // Joined mid-stream, or lost a frame: only a keyframe lets them decode.
                    Event::Connected | Event::KeyframeRequest(_) => {
                        let _ = keyframe.try_send(());
                    }
                    _ => {}
                }
                continue;
            }
        };
        if !rtc.is_alive() {
            return PeerEnd::Closed;
        }
        let input = tokio::select! {
            _ = &mut hang_up => {
                rtc.disconnect();
                return PeerEnd::HungUp;
            }
            got = frames.recv() => {
                match got {
                    Ok(f) => {
                        if let Some(writer) = mid.and_then(|m| rtc.writer(m)) {
                            if let Some(pt) = writer.match_params(f.params) {
                                // Before the connection is up a frame has nowhere to go.
                                let _ = writer.write(pt, f.network_time, f.time, f.data);
                            }
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let _ = keyframe.try_send(());
                    }
                    // The call is over.
                    Err(broadcast::error::RecvError::Closed) => {
                        rtc.disconnect();
                        return PeerEnd::Closed;
                    }
                }
                continue;
            }
            got = socket.recv_from(&mut buf) => match got {
                Ok((n, source)) => match datagram(&buf[..n], source, local) {
                    Some(input) => input,
                    None => continue,
                },
                Err(e) => return PeerEnd::Failed(e.to_string()),
            },
            _ = tokio::time::sleep_until(tokio::time::Instant::from_std(timeout)) => Input::Timeout(Instant::now()),
        };
        if let Err(e) = rtc.handle_input(input) {
            return PeerEnd::Failed(e.to_string());
        }
    }
}

/// What driving a peer's output came to: an event, or the time to wait until.
// An event is moved out at once, never stored: its size costs nothing.
#[allow(clippy::large_enum_variant)]
enum Step {
    Event(Event),
    Wait(Instant),
}

/// Sends what the peer has to send, and returns at its next event or timeout; the connection
/// lost (or a failure) ends the call.
async fn step(rtc: &mut Rtc, socket: &UdpSocket) -> Result<Step, PeerEnd> {
    loop {
        match rtc.poll_output() {
            Ok(Output::Timeout(t)) => return Ok(Step::Wait(t)),
            Ok(Output::Transmit(t)) => {
                // A lost datagram is what UDP does; WebRTC recovers (NACK, keyframes).
                let _ = socket.send_to(&t.contents, t.destination).await;
            }
            Ok(Output::Event(Event::IceConnectionStateChange(
                IceConnectionState::Disconnected,
            ))) => return Err(PeerEnd::Closed),
            Ok(Output::Event(e)) => return Ok(Step::Event(e)),
            Err(e) => return Err(PeerEnd::Failed(e.to_string())),
        }
    }
}

/// A received datagram as str0m's input; `None` for one WebRTC does not know.
fn datagram(contents: &[u8], source: SocketAddr, destination: SocketAddr) -> Option<Input<'_>> {
    Some(Input::Receive(
        Instant::now(),
        Receive {
            proto: Protocol::Udp,
            source,
            destination,
            contents: contents.try_into().ok()?,
        },
    ))
}

/// A socket on a free port of the configured range, tried from a random one.
async fn bind(cfg: &PeerConfig) -> std::io::Result<UdpSocket> {
    let Some((lo, hi)) = cfg.ports else {
        return UdpSocket::bind((cfg.bind, 0)).await;
    };
    let span = u32::from(hi.saturating_sub(lo)) + 1;
    let start = rand::random::<u32>() % span;
    for i in 0..span {
        let port = lo + ((start + i) % span) as u16;
        if let Ok(socket) = UdpSocket::bind((cfg.bind, port)).await {
            return Ok(socket);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AddrInUse,
        "every port of the roll-call range is in use",
    ))
}

/// A peer's socket, its address, and the signal that ends it.
struct Io {
    socket: UdpSocket,
    local: SocketAddr,
    hang_up: oneshot::Receiver<()>,
}

async fn run(
    mut rtc: Rtc,
    io: Io,
    cfg: &PeerConfig,
    samples: mpsc::Sender<Sample>,
    forward: broadcast::Sender<Forwarded>,
    mut keyframes: mpsc::Receiver<()>,
) -> PeerEnd {
    let Io {
        socket,
        local,
        mut hang_up,
    } = io;
    let mut video_mid: Option<Mid> = None;
    let mut decoder: Option<VideoDecoder> = None;
    let mut buf = vec![0u8; 2048];
    let started = Instant::now();
    let mut first_picture: Option<Instant> = None;
    let mut last_sample: Option<Instant> = None;
    let mut last_pli: Option<Instant> = None;
    let mut last_video = started;
    loop {
        let timeout = match step(&mut rtc, &socket).await {
            Ok(Step::Wait(t)) => t,
            Err(end) => return end,
            Ok(Step::Event(event)) => {
                if let Event::MediaData(data) = event {
                    let now = Instant::now();
                    last_video = now;
                    video_mid = Some(data.mid);
                    if forward.receiver_count() > 0 {
                        let _ = forward.send(Forwarded {
                            params: data.params,
                            time: data.time,
                            network_time: data.network_time,
                            data: data.data.clone(),
                        });
                    }
                    let due = last_sample.is_none_or(|t| now.duration_since(t) >= cfg.sample_every);
                    let codec = data.params.spec().codec;
                    if decoder.as_ref().is_none_or(|d| d.codec() != codec) {
                        match VideoDecoder::new(codec) {
                            Ok(d) => decoder = Some(d),
                            Err(e) => return PeerEnd::Failed(e),
                        }
                    }
                    let decoded = match decoder.as_mut() {
                        Some(d) => d.decode(&data.data, due),
                        None => continue,
                    };
                    if !data.contiguous || decoded.is_err() {
                        ask_keyframe(&mut rtc, data.mid, &mut last_pli, now);
                    }
                    if let Ok(Some(picture)) = decoded {
                        last_sample = Some(now);
                        let at = now.duration_since(*first_picture.get_or_insert(now));
                        // Busy judge: this picture is dropped, the next one will do.
                        let _ = samples.try_send(Sample { at, picture });
                    }
                }
                continue;
            }
        };
        if !rtc.is_alive() {
            return PeerEnd::Closed;
        }
        if Instant::now().duration_since(last_video) > cfg.idle_timeout {
            rtc.disconnect();
            return PeerEnd::Idle;
        }
        let wake = tokio::time::Instant::from_std(timeout.min(Instant::now() + cfg.idle_timeout));
        let input = tokio::select! {
            _ = &mut hang_up => {
                rtc.disconnect();
                return PeerEnd::HungUp;
            }
            Some(()) = keyframes.recv() => {
                if let Some(mid) = video_mid {
                    ask_keyframe(&mut rtc, mid, &mut last_pli, Instant::now());
                }
                continue;
            }
            got = socket.recv_from(&mut buf) => match got {
                Ok((n, source)) => match datagram(&buf[..n], source, local) {
                    Some(input) => input,
                    // Not a datagram WebRTC knows: ignore it.
                    None => continue,
                },
                Err(e) => return PeerEnd::Failed(e.to_string()),
            },
            _ = tokio::time::sleep_until(wake) => Input::Timeout(Instant::now()),
        };
        if let Err(e) = rtc.handle_input(input) {
            return PeerEnd::Failed(e.to_string());
        }
    }
}

/// Asks the caller for a keyframe (PLI), at most twice a second: after loss the stream cannot
/// be decoded until one comes.
fn ask_keyframe(rtc: &mut Rtc, mid: Mid, last: &mut Option<Instant>, now: Instant) {
    if last.is_some_and(|t| now.duration_since(t) < Duration::from_millis(500)) {
        return;
    }
    if let Some(mut writer) = rtc.writer(mid) {
        if writer
            .request_keyframe(None, KeyframeRequestKind::Pli)
            .is_ok()
        {
            *last = Some(now);
        }
    }
}

/// The decoder of the codec the caller sends (the first frame tells; the server offers VP8,
/// and H.264 with the `h264` feature).
enum VideoDecoder {
    Vp8(vp8::Decoder),
    #[cfg(feature = "h264")]
    H264(super::h264::Decoder),
}

impl VideoDecoder {
    fn new(codec: Codec) -> Result<VideoDecoder, String> {
        match codec {
            Codec::Vp8 => vp8::Decoder::new()
                .map(VideoDecoder::Vp8)
                .map_err(|e| e.to_string()),
            #[cfg(feature = "h264")]
            Codec::H264 => super::h264::Decoder::new()
                .map(VideoDecoder::H264)
                .map_err(|e| e.to_string()),
            other => Err(format!("no decoder for {other:?}")),
        }
    }

    fn codec(&self) -> Codec {
        match self {
            VideoDecoder::Vp8(_) => Codec::Vp8,
            #[cfg(feature = "h264")]
            VideoDecoder::H264(_) => Codec::H264,
        }
    }

    fn decode(&mut self, frame: &[u8], picture: bool) -> Result<Option<Rgb>, String> {
        match self {
            VideoDecoder::Vp8(d) => d.decode(frame, picture).map_err(|e| e.to_string()),
            #[cfg(feature = "h264")]
            VideoDecoder::H264(d) => d.decode(frame, picture).map_err(|e| e.to_string()),
        }
    }
}
