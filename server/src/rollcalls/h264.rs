//! H.264 through Cisco's openh264 (the `openh264` crate builds its source; feature `h264`):
//! phones' hardware encoders send H.264. Patents: H.264 is patent-encumbered; Cisco pays the
//! MPEG LA royalties only for its own prebuilt binaries, not for a build from source like
//! this one, so a deployment that enables the feature takes on the licensing question
//! (VP8, the default, is royalty-free).

use huijiao_core::face::image::Rgb;
use openh264::formats::{RgbSliceU8, YUVBuffer, YUVSource};

#[derive(Debug, thiserror::Error)]
#[error("openh264: {0}")]
pub struct H264Error(String);

pub struct Decoder {
    inner: openh264::decoder::Decoder,
}

impl Decoder {
    pub fn new() -> Result<Decoder, H264Error> {
        Ok(Decoder {
            inner: openh264::decoder::Decoder::new().map_err(|e| H264Error(e.to_string()))?,
        })
    }

    /// Decodes one access unit (Annex B, as the RTP depacketiser hands it over); RGB only when
    /// `picture` asks.
    pub fn decode(&mut self, unit: &[u8], picture: bool) -> Result<Option<Rgb>, H264Error> {
        let decoded = self
            .inner
            .decode(unit)
            .map_err(|e| H264Error(e.to_string()))?;
        Ok(decoded.filter(|_| picture).map(|yuv| {
            let (w, h) = yuv.dimensions();
            let (ys, us, vs) = yuv.strides();
            Rgb::from_i420(w, h, [(yuv.y(), ys), (yuv.u(), us), (yuv.v(), vs)])
        }))
    }
}

/// An H.264 encoder (the tests' phone).
pub struct Encoder {
    inner: openh264::encoder::Encoder,
}

impl Encoder {
    /// `kbps`: target bit rate.
    pub fn new(kbps: u32) -> Result<Encoder, H264Error> {
        use openh264::encoder::{BitRate, EncoderConfig};
        let config = EncoderConfig::new().bitrate(BitRate::from_bps(kbps * 1000));
        let inner = openh264::encoder::Encoder::with_api_config(
            openh264::OpenH264API::from_source(),
            config,
        )
        .map_err(|e| H264Error(e.to_string()))?;
        Ok(Encoder { inner })
    }

    /// One picture in, one access unit (Annex B) out; `keyframe` forces an IDR.
    pub fn encode(&mut self, rgb: &Rgb, keyframe: bool) -> Result<Vec<u8>, H264Error> {
        if keyframe {
            self.inner.force_intra_frame();
        }
        let yuv = YUVBuffer::from_rgb8_source(RgbSliceU8::new(&rgb.data, (rgb.width, rgb.height)));
        let bits = self
            .inner
            .encode(&yuv)
            .map_err(|e| H264Error(e.to_string()))?;
        Ok(bits.to_vec())
    }
}
