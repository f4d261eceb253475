//! Recording a call where the jurisdiction turns it on (`rules.roll_calls.record_video`): the
//! bitstream the phone sent, exactly as received — never decoded and re-encoded — in a file
//! any player opens: VP8 in IVF, H.264 as an Annex-B stream. The recorder is one more
//! subscriber of the call's feed, like an officer watching, so it costs the media loop nothing;
//! it starts at the first keyframe (nothing before it can be decoded) and stops growing at
//! `MAX_BYTES`, which bounds the memory a call holds.

use str0m::format::Codec;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;

use super::peer::{Feed, Forwarded};

/// A call lasts seconds (`max_verify_secs`); 32 MiB is over two minutes at 2 Mbit/s.
const MAX_BYTES: usize = 32 << 20;

/// A finished recording: the file's bytes and its media type.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub frames: u32,
}

/// A recording in progress; `finish` ends it.
pub struct Recorder {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Option<Recording>>,
}

impl Recorder {
    /// Starts recording what `feed` carries from now on.
    pub fn start(feed: &Feed) -> Recorder {
        let frames = feed.frames.subscribe();
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(record(frames, stopped));
        Recorder { stop, task }
    }

    /// Ends the recording (what is already queued goes in) and returns it; `None` when no
    /// decodable video came.
    pub async fn finish(self) -> Option<Recording> {
        let _ = self.stop.send(());
        self.task.await.ok().flatten()
    }
}

async fn record(
    mut frames: broadcast::Receiver<Forwarded>,
    mut stopped: oneshot::Receiver<()>,
) -> Option<Recording> {
    let mut file: Option<File> = None;
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            got = frames.recv() => match got {
                Ok(f) => add(&mut file, &f),
                // Fell behind: the frames skipped leave a gap the player bridges at the next
                // keyframe.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            },
        }
    }
    while let Ok(f) = frames.try_recv() {
        add(&mut file, &f);
    }
    file.map(File::finish)
}

fn add(file: &mut Option<File>, f: &Forwarded) {
    if file.is_none() {
        *file = File::begin(f);
    }
    if let Some(file) = file {
        file.push(f);
    }
}

/// The file being written: IVF for VP8 (its header completed at the end, when the frame count
/// is known), Annex-B for H.264 (the frames as they come, start codes included).
struct File {
    codec: Codec,
    bytes: Vec<u8>,
    frames: u32,
    first_micros: u64,
    size: (u16, u16),
}

impl File {
    /// A file starting at `f` when it is a keyframe of a codec we record.
    fn begin(f: &Forwarded) -> Option<File> {
        let codec = f.params.spec().codec;
        let size = match codec {
            Codec::Vp8 => vp8_keyframe_size(&f.data)?,
            Codec::H264 if h264_is_keyframe(&f.data) => (0, 0),
            _ => return None,
        };
        let bytes = if codec == Codec::Vp8 {
            vec![0; IVF_HEADER]
        } else {
            Vec::new()
        };
        Some(File {
            codec,
            bytes,
            frames: 0,
            first_micros: f.time.as_micros(),
            size,
        })
    }

    fn push(&mut self, f: &Forwarded) {
        // A codec change mid-call is not something a phone does; a file holds one.
        if f.params.spec().codec != self.codec || self.bytes.len() + f.data.len() > MAX_BYTES {
            return;
        }
        if self.codec == Codec::Vp8 {
            let millis = f.time.as_micros().saturating_sub(self.first_micros) / 1000;
            self.bytes
                .extend_from_slice(&(f.data.len() as u32).to_le_bytes());
            self.bytes.extend_from_slice(&millis.to_le_bytes());
        }
        self.bytes.extend_from_slice(&f.data);
        self.frames += 1;
    }

    fn finish(mut self) -> Recording {
        let media_type = match self.codec {
            Codec::Vp8 => {
                let header = ivf_header(self.size, self.frames);
                self.bytes[..IVF_HEADER].copy_from_slice(&header);
                "video/x-ivf"
            }
            _ => "video/h264",
        };
        Recording {
            bytes: self.bytes,
            media_type,
            frames: self.frames,
        }
    }
}

const IVF_HEADER: usize = 32;

/// The IVF file header: signature, version 0, header size, fourcc, size, a millisecond time
/// base, the frame count.
fn ivf_header((width, height): (u16, u16), frames: u32) -> [u8; IVF_HEADER] {
    let mut h = [0u8; IVF_HEADER];
    h[0..4].copy_from_slice(b"DKIF");
    h[6..8].copy_from_slice(&(IVF_HEADER as u16).to_le_bytes());
    h[8..12].copy_from_slice(b"VP80");
    h[12..14].copy_from_slice(&width.to_le_bytes());
    h[14..16].copy_from_slice(&height.to_le_bytes());
    h[16..20].copy_from_slice(&1000u32.to_le_bytes());
    h[20..24].copy_from_slice(&1u32.to_le_bytes());
    h[24..28].copy_from_slice(&frames.to_le_bytes());
    h
}

/// A VP8 keyframe's picture size (RFC 6386 §9.1: a clear bit 0 marks a keyframe; its start
/// code 9d 01 2a, then 14-bit width and height); `None` for an interframe.
fn vp8_keyframe_size(frame: &[u8]) -> Option<(u16, u16)> {
    if frame.len() < 10 || frame[0] & 1 != 0 || frame[3..6] != [0x9d, 0x01, 0x2a] {
        return None;
    }
    let width = u16::from_le_bytes([frame[6], frame[7]]) & 0x3fff;
    let height = u16::from_le_bytes([frame[8], frame[9]]) & 0x3fff;
    Some((width, height))
}

/// Whether an Annex-B access unit holds an IDR picture (NAL type 5), from which a decoder can
/// start.
fn h264_is_keyframe(au: &[u8]) -> bool {
    au.windows(4)
        .any(|w| w[..3] == [0, 0, 1] && w[3] & 0x1f == 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vp8_keyframe_gives_its_size_and_an_interframe_none() {
        let mut key = vec![0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a];
        key.extend_from_slice(&640u16.to_le_bytes());
        key.extend_from_slice(&(480u16 | 0x4000).to_le_bytes()); // scale bits are not size
        assert_eq!(vp8_keyframe_size(&key), Some((640, 480)));
        let mut inter = key.clone();
        inter[0] |= 1;
        assert_eq!(vp8_keyframe_size(&inter), None);
        assert_eq!(vp8_keyframe_size(&key[..8]), None);
    }

    #[test]
    fn an_idr_access_unit_is_a_keyframe_and_a_p_slice_is_not() {
        assert!(h264_is_keyframe(&[
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x65, 9
        ]));
        assert!(!h264_is_keyframe(&[0, 0, 0, 1, 0x41, 9, 9]));
    }

    #[test]
    fn the_ivf_header_names_the_codec_size_and_count() {
        let h = ivf_header((640, 480), 7);
        assert_eq!(&h[0..4], b"DKIF");
        assert_eq!(u16::from_le_bytes([h[6], h[7]]), 32);
        assert_eq!(&h[8..12], b"VP80");
        assert_eq!(u16::from_le_bytes([h[12], h[13]]), 640);
        assert_eq!(u16::from_le_bytes([h[14], h[15]]), 480);
        assert_eq!(u32::from_le_bytes([h[24], h[25], h[26], h[27]]), 7);
    }
}
