//! VP8 through libvpx (Debian `libvpx-dev`, royalty-free): decoding the frames a roll call's
//! video brings, and encoding (a test caller's video, the benchmark's). The only FFI in the
//! server; every call is wrapped here, each `unsafe` block with what makes it sound.
#![allow(unsafe_code)]

use std::mem::MaybeUninit;
use std::os::raw::{c_int, c_long, c_uint, c_ulong};
use std::ptr;

use huijiao_core::face::image::Rgb;
use vpx_sys as vpx;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Vp8Error {
    #[error("libvpx: {0:?}")]
    Codec(vpx::vpx_codec_err_t),
    #[error("frame of {0}×{1} pixels: not a size this takes")]
    Size(u32, u32),
    #[error("decoded image in format {0:?}, expected I420")]
    Format(vpx::vpx_img_fmt_t),
}

fn check(err: vpx::vpx_codec_err_t) -> Result<(), Vp8Error> {
    if err == vpx::vpx_codec_err_t::VPX_CODEC_OK {
        Ok(())
    } else {
        Err(Vp8Error::Codec(err))
    }
}

/// The largest frame side accepted (a phone's 1080p is 1920): a bigger one is refused
/// before any pixel is converted.
pub const MAX_SIDE: u32 = 4096;

/// A VP8 decoder. Frames go in in order; a lost frame makes the next ones undecodable until
/// a keyframe (the caller then asks the sender for one).
pub struct Decoder {
    ctx: Box<vpx::vpx_codec_ctx_t>,
}

// SAFETY: a libvpx context has no thread affinity; `&mut self` on every use keeps it to one
// thread at a time.
unsafe impl Send for Decoder {}

impl Decoder {
    pub fn new() -> Result<Decoder, Vp8Error> {
        // SAFETY: the context is zeroed storage that `vpx_codec_dec_init_ver` initialises; it
        // is boxed so its address stays put for libvpx; the config outlives the call.
        unsafe {
            let mut ctx: Box<vpx::vpx_codec_ctx_t> = Box::new(MaybeUninit::zeroed().assume_init());
            let cfg = vpx::vpx_codec_dec_cfg_t {
                threads: 1,
                w: 0,
                h: 0,
            };
            check(vpx::vpx_codec_dec_init_ver(
                &mut *ctx,
                vpx::vpx_codec_vp8_dx(),
                &cfg,
                0,
                vpx::VPX_DECODER_ABI_VERSION as c_int,
            ))?;
            Ok(Decoder { ctx })
        }
    }

    /// Decodes one frame (a whole VP8 frame, as the RTP depacketiser hands it over). Every
    /// frame must be decoded, in order, for the next to be; its picture is converted to RGB
    /// only when `picture` asks (the caller samples a few a second). `Ok(None)`: no picture
    /// asked for, or none to show.
    pub fn decode(&mut self, frame: &[u8], picture: bool) -> Result<Option<Rgb>, Vp8Error> {
        let len = c_uint::try_from(frame.len()).map_err(|_| Vp8Error::Size(0, 0))?;
        // SAFETY: `frame` is valid for `len` bytes during the call; libvpx copies what it
        // keeps. The image returned by `vpx_codec_get_frame` belongs to the context and stays
        // valid until the next decode on it, which `&mut self` rules out while we read it.
        unsafe {
            check(vpx::vpx_codec_decode(
                &mut *self.ctx,
                frame.as_ptr(),
                len,
                ptr::null_mut(),
                0 as c_long,
            ))?;
            let mut iter: vpx::vpx_codec_iter_t = ptr::null();
            let img = vpx::vpx_codec_get_frame(&mut *self.ctx, &mut iter);
            if img.is_null() || !picture {
                return Ok(None);
            }
            i420_to_rgb(&*img).map(Some)
        }
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // SAFETY: the context was initialised in `new` and is destroyed once.
        unsafe {
            vpx::vpx_codec_destroy(&mut *self.ctx);
        }
    }
}

/// Converts a decoded I420 picture (BT.601, limited range, as VP8 carries it) to RGB.
///
/// # Safety
/// `img` must be a valid image from libvpx whose planes cover `d_w`×`d_h` at their strides.
unsafe fn i420_to_rgb(img: &vpx::vpx_image_t) -> Result<Rgb, Vp8Error> {
    if img.fmt != vpx::vpx_img_fmt_t::VPX_IMG_FMT_I420 {
        return Err(Vp8Error::Format(img.fmt));
    }
    let (w, h) = (img.d_w, img.d_h);
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(Vp8Error::Size(w, h));
    }
    let (w, h) = (w as usize, h as usize);
    let stride = |i: usize| img.stride[i] as usize;
    // SAFETY (caller): each plane holds its rows at its stride; chroma is half size, rounded up.
    let (y, u, v) = unsafe {
        (
            std::slice::from_raw_parts(img.planes[0], stride(0) * h),
            std::slice::from_raw_parts(img.planes[1], stride(1) * h.div_ceil(2)),
            std::slice::from_raw_parts(img.planes[2], stride(2) * h.div_ceil(2)),
        )
    };
    Ok(Rgb::from_i420(
        w,
        h,
        [(y, stride(0)), (u, stride(1)), (v, stride(2))],
    ))
}

/// An encoded frame.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub data: Vec<u8>,
    pub keyframe: bool,
}

/// A VP8 encoder for one frame size, real-time settings (no look-ahead: every frame comes out
/// at once, as a phone's does).
pub struct Encoder {
    ctx: Box<vpx::vpx_codec_ctx_t>,
    img: Box<vpx::vpx_image_t>,
    width: usize,
    height: usize,
    pts: i64,
}

// SAFETY: as for `Decoder`; the image buffer is owned by libvpx and used under `&mut self`.
unsafe impl Send for Encoder {}

impl Encoder {
    /// `kbps`: target bit rate. Sides must be even (I420).
    pub fn new(width: usize, height: usize, kbps: u32) -> Result<Encoder, Vp8Error> {
        let size_err = Vp8Error::Size(width as u32, height as u32);
        if width == 0 || height == 0 || width % 2 == 1 || height % 2 == 1 {
            return Err(size_err);
        }
        let (w, h) = (
            c_uint::try_from(width).map_err(|_| size_err.clone())?,
            c_uint::try_from(height).map_err(|_| size_err.clone())?,
        );
        if w > MAX_SIDE || h > MAX_SIDE {
            return Err(size_err);
        }
        // SAFETY: the config is filled by libvpx's defaults before we adjust it; the context
        // and image are boxed zeroed storage libvpx initialises; `vpx_img_alloc` owns its
        // buffer until `vpx_img_free` in `drop`.
        unsafe {
            let mut cfg: vpx::vpx_codec_enc_cfg_t = MaybeUninit::zeroed().assume_init();
            check(vpx::vpx_codec_enc_config_default(
                vpx::vpx_codec_vp8_cx(),
                &mut cfg,
                0,
            ))?;
            cfg.g_w = w;
            cfg.g_h = h;
            cfg.g_timebase = vpx::vpx_rational { num: 1, den: 1000 };
            cfg.rc_target_bitrate = kbps;
            cfg.g_threads = 1;
            cfg.g_lag_in_frames = 0;
            cfg.g_error_resilient = 1;
            cfg.kf_max_dist = 60;
            let mut ctx: Box<vpx::vpx_codec_ctx_t> = Box::new(MaybeUninit::zeroed().assume_init());
            check(vpx::vpx_codec_enc_init_ver(
                &mut *ctx,
                vpx::vpx_codec_vp8_cx(),
                &cfg,
                0,
                vpx::VPX_ENCODER_ABI_VERSION as c_int,
            ))?;
            let mut img: Box<vpx::vpx_image_t> = Box::new(MaybeUninit::zeroed().assume_init());
            if vpx::vpx_img_alloc(&mut *img, vpx::vpx_img_fmt_t::VPX_IMG_FMT_I420, w, h, 1)
                .is_null()
            {
                vpx::vpx_codec_destroy(&mut *ctx);
                return Err(Vp8Error::Codec(vpx::vpx_codec_err_t::VPX_CODEC_MEM_ERROR));
            }
            Ok(Encoder {
                ctx,
                img,
                width,
                height,
                pts: 0,
            })
        }
    }

    /// Encodes one picture of the encoder's size, `ms` after the previous one; `keyframe`
    /// forces a keyframe (after a receiver asked for one).
    pub fn encode(&mut self, rgb: &Rgb, ms: u32, keyframe: bool) -> Result<Vec<Encoded>, Vp8Error> {
        if rgb.width != self.width || rgb.height != self.height {
            return Err(Vp8Error::Size(rgb.width as u32, rgb.height as u32));
        }
        self.fill(rgb);
        let flags = if keyframe {
            vpx::VPX_EFLAG_FORCE_KF as vpx::vpx_enc_frame_flags_t
        } else {
            0
        };
        let mut out = Vec::new();
        // SAFETY: the image was allocated for this size in `new` and filled above; packets
        // returned by `vpx_codec_get_cx_data` point into the context's buffer, valid until
        // the next encode, and are copied out before it.
        unsafe {
            check(vpx::vpx_codec_encode(
                &mut *self.ctx,
                &*self.img,
                self.pts,
                c_ulong::from(ms.max(1)),
                flags,
                c_ulong::from(vpx::VPX_DL_REALTIME),
            ))?;
            let mut iter: vpx::vpx_codec_iter_t = ptr::null();
            loop {
                let pkt = vpx::vpx_codec_get_cx_data(&mut *self.ctx, &mut iter);
                if pkt.is_null() {
                    break;
                }
                if (*pkt).kind == vpx::vpx_codec_cx_pkt_kind::VPX_CODEC_CX_FRAME_PKT {
                    let f = (*pkt).data.frame;
                    out.push(Encoded {
                        data: std::slice::from_raw_parts(f.buf as *const u8, f.sz as usize)
                            .to_vec(),
                        keyframe: f.flags & vpx::VPX_FRAME_IS_KEY != 0,
                    });
                }
            }
        }
        self.pts += i64::from(ms.max(1));
        Ok(out)
    }

    /// RGB → I420 into the encoder's image.
    fn fill(&mut self, rgb: &Rgb) {
        let h = self.height;
        let img = &*self.img;
        let stride = |i: usize| img.stride[i] as usize;
        // SAFETY: `vpx_img_alloc` made planes of these strides for `w`×`h` (chroma halved);
        // the image is ours alone under `&mut self`.
        let (y, u, v) = unsafe {
            (
                std::slice::from_raw_parts_mut(img.planes[0], stride(0) * h),
                std::slice::from_raw_parts_mut(img.planes[1], stride(1) * h / 2),
                std::slice::from_raw_parts_mut(img.planes[2], stride(2) * h / 2),
            )
        };
        rgb.to_i420([(y, stride(0)), (u, stride(1)), (v, stride(2))]);
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        // SAFETY: both were initialised in `new` and are released once.
        unsafe {
            vpx::vpx_img_free(&mut *self.img);
            vpx::vpx_codec_destroy(&mut *self.ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: usize, h: usize, shift: usize) -> Rgb {
        let mut data = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                data.extend([((x + shift) * 255 / w) as u8, (y * 255 / h) as u8, 128]);
            }
        }
        Rgb::from_raw(w, h, data)
    }

    #[test]
    fn frames_survive_an_encode_and_decode() {
        let mut enc = Encoder::new(320, 240, 600).unwrap();
        let mut dec = Decoder::new().unwrap();
        for i in 0..10 {
            let src = gradient(320, 240, i * 3);
            let packets = enc.encode(&src, 66, i == 0).unwrap();
            assert_eq!(packets.len(), 1);
            assert_eq!(packets[0].keyframe, i == 0, "frame {i}");
            let got = dec
                .decode(&packets[0].data, true)
                .unwrap()
                .expect("a picture");
            assert_eq!((got.width, got.height), (320, 240));
            let err: f64 = got
                .data
                .iter()
                .zip(&src.data)
                .map(|(a, b)| f64::from(a.abs_diff(*b)))
                .sum::<f64>()
                / src.data.len() as f64;
            assert!(err < 6.0, "frame {i}: mean error {err}");
        }
    }

    #[test]
    fn garbage_and_odd_sizes_are_errors() {
        let mut dec = Decoder::new().unwrap();
        assert!(dec.decode(b"not a vp8 frame at all", true).is_err());
        assert!(Encoder::new(321, 240, 500).is_err());
        assert!(Encoder::new(0, 240, 500).is_err());
        // A delta frame without its keyframe cannot be shown.
        let mut enc = Encoder::new(64, 64, 200).unwrap();
        enc.encode(&gradient(64, 64, 0), 66, true).unwrap();
        let delta = enc.encode(&gradient(64, 64, 5), 66, false).unwrap();
        let mut fresh = Decoder::new().unwrap();
        assert!(!matches!(fresh.decode(&delta[0].data, true), Ok(Some(_))));
    }
}
