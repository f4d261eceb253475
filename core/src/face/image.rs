//! Decoding with hard limits, and the few pixel operations the pipeline needs.

use std::io::Cursor;

use super::FaceError;

/// An 8-bit RGB image, row-major.
#[derive(Clone)]
pub struct Rgb {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

/// Largest accepted photo, in pixels (a 6000×4000 phone photo fits; a decompression bomb does not).
pub const MAX_PIXELS: u64 = 25_000_000;
/// Largest accepted file.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

impl Rgb {
    /// Decodes a JPEG or PNG. The dimensions are read from the header and checked before any
    /// pixel is decoded, so a tiny file that claims 20000×20000 costs nothing.
    pub fn decode(bytes: &[u8]) -> Result<Rgb, FaceError> {
        if bytes.len() > MAX_BYTES {
            return Err(FaceError::ImageTooLarge);
        }
        let reader = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|_| FaceError::NotAnImage)?;
        match reader.format() {
            Some(image::ImageFormat::Jpeg) if !jpeg_is_complete(bytes) => {
                return Err(FaceError::NotAnImage)
            }
            Some(image::ImageFormat::Jpeg) | Some(image::ImageFormat::Png) => {}
            _ => return Err(FaceError::NotAnImage),
        }
        let (w, h) = reader
            .into_dimensions()
            .map_err(|_| FaceError::NotAnImage)?;
        if u64::from(w) * u64::from(h) > MAX_PIXELS {
            return Err(FaceError::ImageTooLarge);
        }
        let mut reader = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|_| FaceError::NotAnImage)?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(w);
        limits.max_image_height = Some(h);
        limits.max_alloc = Some(MAX_PIXELS * 8);
        reader.limits(limits);
        let img = reader.decode().map_err(|e| match e {
            image::ImageError::Limits(_) => FaceError::ImageTooLarge,
            _ => FaceError::NotAnImage,
        })?;
        let rgb = img.into_rgb8();
        Ok(Rgb {
            width: rgb.width() as usize,
            height: rgb.height() as usize,
            data: rgb.into_raw(),
        })
    }

    pub fn from_raw(width: usize, height: usize, data: Vec<u8>) -> Rgb {
        assert_eq!(data.len(), width * height * 3);
        Rgb {
            width,
            height,
            data,
        }
    }

    #[inline]
    pub fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }

    /// Halves both sides by averaging 2×2 blocks (a pyramid level: no aliasing before sampling).
    pub fn half(&self) -> Rgb {
        let (w, h) = (self.width / 2, self.height / 2);
        let mut out = vec![0u8; w * h * 3];
        if w == 0 || h == 0 {
            return Rgb::from_raw(w, h, out);
        }
        let stride = self.width * 3;
        for (y, dst) in out.chunks_exact_mut(w * 3).enumerate() {
            let top = &self.data[2 * y * stride..][..w * 6];
            let bottom = &self.data[(2 * y + 1) * stride..][..w * 6];
            for ((d, a), b) in dst
                .chunks_exact_mut(3)
                .zip(top.chunks_exact(6))
                .zip(bottom.chunks_exact(6))
            {
                for c in 0..3 {
                    let s = u16::from(a[c])
                        + u16::from(a[c + 3])
                        + u16::from(b[c])
                        + u16::from(b[c + 3]);
                    d[c] = ((s + 2) / 4) as u8;
                }
            }
        }
        Rgb::from_raw(w, h, out)
    }

    #[inline]
    pub fn sample(&self, x: f32, y: f32) -> [f32; 3] {
        self.sample_in(x, y, [0, 0], [self.width, self.height])
    }

    /// Bilinear sample at (x, y) in the coordinates of a larger image (`full` = its size) of
    /// which `self` is the window starting at `origin`. Positions clamp to the larger image's
    /// edges, so a window covering every sampled position gives exactly what the whole image
    /// would; positions outside the window (a caller's mistake) clamp to its border.
    #[inline]
    pub fn sample_in(&self, x: f32, y: f32, origin: [usize; 2], full: [usize; 2]) -> [f32; 3] {
        let x = x.clamp(0.0, (full[0] - 1) as f32);
        let y = y.clamp(0.0, (full[1] - 1) as f32);
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(full[0] - 1), (y0 + 1).min(full[1] - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let at = |x: usize, y: usize| {
            self.pixel(
                x.saturating_sub(origin[0]).min(self.width - 1),
                y.saturating_sub(origin[1]).min(self.height - 1),
            )
        };
        let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
        let mut out = [0f32; 3];
        for k in 0..3 {
            let top = f32::from(a[k]) * (1.0 - fx) + f32::from(b[k]) * fx;
            let bottom = f32::from(c[k]) * (1.0 - fx) + f32::from(d[k]) * fx;
            out[k] = top * (1.0 - fy) + bottom * fy;
        }
        out
    }

    pub fn flip_horizontal(&self) -> Rgb {
        let mut out = self.data.clone();
        for y in 0..self.height {
            for x in 0..self.width {
                let (s, d) = (
                    (y * self.width + x) * 3,
                    (y * self.width + self.width - 1 - x) * 3,
                );
                out[d..d + 3].copy_from_slice(&self.data[s..s + 3]);
            }
        }
        Rgb {
            width: self.width,
            height: self.height,
            data: out,
        }
    }

    pub fn crop(&self, x: usize, y: usize, w: usize, h: usize) -> Rgb {
        let mut out = Vec::with_capacity(w * h * 3);
        for row in y..y + h {
            let start = (row * self.width + x) * 3;
            out.extend_from_slice(&self.data[start..start + w * 3]);
        }
        Rgb {
            width: w,
            height: h,
            data: out,
        }
    }

    /// Resize by area averaging (downscale) or bilinear (upscale) to exactly `w`×`h`.
    pub fn resize(&self, w: usize, h: usize) -> Rgb {
        let mut src = std::borrow::Cow::Borrowed(self);
        while src.width >= 2 * w && src.height >= 2 * h {
            src = std::borrow::Cow::Owned(src.half());
        }
        let (sx, sy) = (src.width as f32 / w as f32, src.height as f32 / h as f32);
        let mut out = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let p = src.sample((x as f32 + 0.5) * sx - 0.5, (y as f32 + 0.5) * sy - 0.5);
                out.extend(p.iter().map(|v| v.round().clamp(0.0, 255.0) as u8));
            }
        }
        Rgb {
            width: w,
            height: h,
            data: out,
        }
    }

    /// A picture from planar I420 (BT.601, limited range: what VP8 and H.264 carry): the Y
    /// plane at `w`×`h`, U and V at half size rounded up, each row `stride` bytes apart.
    pub fn from_i420(w: usize, h: usize, planes: [(&[u8], usize); 3]) -> Rgb {
        let [(y, ys), (u, us), (v, vs)] = planes;
        let mut data = Vec::with_capacity(w * h * 3);
        for row in 0..h {
            let (yr, ur, vr) = (&y[row * ys..], &u[(row / 2) * us..], &v[(row / 2) * vs..]);
            for col in 0..w {
                // Fixed point, ×1024: 1.164, 1.596, 0.392, 0.813, 2.017.
                let l = 1192 * (i32::from(yr[col]) - 16);
                let cb = i32::from(ur[col / 2]) - 128;
                let cr = i32::from(vr[col / 2]) - 128;
                let px = |x: i32| ((x + 512) >> 10).clamp(0, 255) as u8;
                data.extend([
                    px(l + 1634 * cr),
                    px(l - 401 * cb - 833 * cr),
                    px(l + 2066 * cb),
                ]);
            }
        }
        Rgb {
            width: w,
            height: h,
            data,
        }
    }

    /// The picture as planar I420 (BT.601, limited range) into `planes` (Y at full size, U and
    /// V at half, each row `stride` bytes apart). Sides must be even.
    pub fn to_i420(&self, planes: [(&mut [u8], usize); 3]) {
        let [(y, ys), (u, us), (v, vs)] = planes;
        let (w, h) = (self.width, self.height);
        for row in 0..h {
            for col in 0..w {
                let [r, g, b] = self.pixel(col, row).map(i32::from);
                y[row * ys + col] = ((263 * r + 516 * g + 100 * b + 512) / 1024 + 16) as u8;
            }
        }
        for row in 0..h / 2 {
            for col in 0..w / 2 {
                let mut sum = [0i32; 3];
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = self.pixel(2 * col + dx, 2 * row + dy);
                    for c in 0..3 {
                        sum[c] += i32::from(p[c]);
                    }
                }
                let [r, g, b] = sum.map(|s| s / 4);
                u[row * us + col] =
                    ((-152 * r - 298 * g + 450 * b + 512) / 1024 + 128).clamp(0, 255) as u8;
                v[row * vs + col] =
                    ((450 * r - 377 * g - 73 * b + 512) / 1024 + 128).clamp(0, 255) as u8;
            }
        }
    }

    pub fn encode_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(
                &self.data,
                self.width as u32,
                self.height as u32,
                image::ExtendedColorType::Rgb8,
            )
            .expect("PNG encoding into memory");
        out
    }

    pub fn encode_jpeg(&self, quality: u8) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .write_image(
                &self.data,
                self.width as u32,
                self.height as u32,
                image::ExtendedColorType::Rgb8,
            )
            .expect("JPEG encoding into memory");
        out
    }
}

use image::ImageEncoder;

/// The JPEG decoder fills a truncated file with grey and carries on; a half-uploaded selfie must
/// be refused instead. Complete files have an end-of-image marker after the last start-of-scan
/// (inside the scan, 0xFF is always stuffed, so markers cannot appear by accident; trailers
/// after the end marker are allowed).
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let Some(sos) = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[sos..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Luma (BT.601) of an RGB triple.
#[inline]
pub fn luma(p: [f32; 3]) -> f32 {
    0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]
}
