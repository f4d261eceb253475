//! Alignment: a least-squares similarity transform from detector keypoints to dlib's chip
//! reference points, and the 150×150 chip cut with bilinear sampling.

use super::image::Rgb;

pub const CHIP_SIZE: usize = 150;

/// dlib `get_face_chip_details(150, 0.25)` reference points: right eye, left eye, nose tip.
pub const CHIP_POINTS: [[f32; 2]; 3] = [[47.61, 43.44], [102.03, 43.76], [75.51, 75.72]];

/// x' = a·x − b·y + tx,  y' = b·x + a·y + ty  (rotation + uniform scale + shift, no reflection).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    pub a: f32,
    pub b: f32,
    pub tx: f32,
    pub ty: f32,
}

impl Similarity {
    /// Least-squares fit mapping `from[i]` onto `to[i]` (Umeyama, closed form in 2-D).
    pub fn fit(from: &[[f32; 2]], to: &[[f32; 2]]) -> Option<Similarity> {
        let n = from.len().min(to.len());
        if n < 2 {
            return None;
        }
        let nf = n as f64;
        let mean = |p: &[[f32; 2]]| {
            let (sx, sy) = p[..n].iter().fold((0f64, 0f64), |(x, y), q| {
                (x + f64::from(q[0]), y + f64::from(q[1]))
            });
            (sx / nf, sy / nf)
        };
        let (fx, fy) = mean(from);
        let (tx, ty) = mean(to);
        let (mut sxx, mut sab, mut sba) = (0f64, 0f64, 0f64);
        for i in 0..n {
            let (x, y) = (f64::from(from[i][0]) - fx, f64::from(from[i][1]) - fy);
            let (u, v) = (f64::from(to[i][0]) - tx, f64::from(to[i][1]) - ty);
            sxx += x * x + y * y;
            sab += x * u + y * v;
            sba += x * v - y * u;
        }
        if sxx < 1e-9 {
            return None;
        }
        let (a, b) = (sab / sxx, sba / sxx);
        Some(Similarity {
            a: a as f32,
            b: b as f32,
            tx: (tx - (a * fx - b * fy)) as f32,
            ty: (ty - (b * fx + a * fy)) as f32,
        })
    }

    pub fn apply(&self, p: [f32; 2]) -> [f32; 2] {
        [
            self.a * p[0] - self.b * p[1] + self.tx,
            self.b * p[0] + self.a * p[1] + self.ty,
        ]
    }

    pub fn scale(&self) -> f32 {
        (self.a * self.a + self.b * self.b).sqrt()
    }
}

/// The embedder's input for a chip: planar RGB (NCHW), raw 0–255 values (the model
/// normalises them itself, as dlib's input layer does).
pub fn chip_input(chip: &Rgb) -> Vec<f32> {
    let plane = chip.width * chip.height;
    let mut input = vec![0f32; 3 * plane];
    for (i, p) in chip.data.chunks_exact(3).enumerate() {
        for c in 0..3 {
            input[c * plane + i] = f32::from(p[c]);
        }
    }
    input
}

/// Cuts the aligned chip. `keypoints` are right eye, left eye, nose tip in source pixels.
/// Large faces are first brought down a pyramid so bilinear sampling never skips pixels; only
/// the part of the photo under the chip goes down the pyramid.
pub fn chip(img: &Rgb, keypoints: &[[f32; 2]; 3]) -> Option<Rgb> {
    chip_with(img, keypoints, true)
}

fn chip_with(img: &Rgb, keypoints: &[[f32; 2]; 3], crop: bool) -> Option<Rgb> {
    // chip → source: each chip pixel is sampled where it lands in the source.
    let mut t = Similarity::fit(&CHIP_POINTS, keypoints)?;
    // One level per halving, until a chip pixel spans at most two pyramid pixels.
    let mut levels = 0;
    while t.scale() > 2.0 && img.width >> levels >= 4 && img.height >> levels >= 4 {
        levels += 1;
        t = Similarity {
            a: t.a / 2.0,
            b: t.b / 2.0,
            tx: t.tx / 2.0,
            ty: t.ty / 2.0,
        };
    }
    let full = [img.width >> levels, img.height >> levels];
    // The chip's footprint in pyramid pixels, with room for the bilinear neighbours, as a
    // window whose origin falls on a pyramid pixel so its levels equal the whole image's.
    let (mut x0, mut y0, mut x1, mut y1) = (0, 0, full[0], full[1]);
    if crop {
        let edge = (CHIP_SIZE - 1) as f32;
        let corners = [[0.0, 0.0], [edge, 0.0], [0.0, edge], [edge, edge]].map(|p| t.apply(p));
        let lo = |k: usize, n: usize| {
            let v = corners.iter().map(|c| c[k]).fold(f32::INFINITY, f32::min);
            ((v - 2.0).floor().max(0.0) as usize).min(n)
        };
        let hi = |k: usize, n: usize| {
            let v = corners
                .iter()
                .map(|c| c[k])
                .fold(f32::NEG_INFINITY, f32::max);
            ((v + 3.0).ceil().max(0.0) as usize).min(n)
        };
        (x0, y0, x1, y1) = (
            lo(0, full[0]),
            lo(1, full[1]),
            hi(0, full[0]),
            hi(1, full[1]),
        );
        if x1 <= x0 || y1 <= y0 {
            // The chip lies wholly outside the photo: every sample clamps to its edge.
            (x0, y0, x1, y1) = (0, 0, full[0], full[1]);
        }
    }
    let window = if (x0, y0, x1, y1) == (0, 0, full[0], full[1]) {
        std::borrow::Cow::Borrowed(img)
    } else {
        // In source pixels. x1 ≤ width >> levels, so the window never reaches the odd last
        // row or column that the whole image's pyramid would drop.
        std::borrow::Cow::Owned(img.crop(
            x0 << levels,
            y0 << levels,
            (x1 - x0) << levels,
            (y1 - y0) << levels,
        ))
    };
    let mut level = window;
    for _ in 0..levels {
        level = std::borrow::Cow::Owned(level.half());
    }
    let mut data = Vec::with_capacity(CHIP_SIZE * CHIP_SIZE * 3);
    for v in 0..CHIP_SIZE {
        for u in 0..CHIP_SIZE {
            let [x, y] = t.apply([u as f32, v as f32]);
            let p = level.sample_in(x, y, [x0, y0], full);
            data.extend(p.iter().map(|c| c.round().clamp(0.0, 255.0) as u8));
        }
    }
    Some(Rgb::from_raw(CHIP_SIZE, CHIP_SIZE, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_similarity() {
        let truth = Similarity {
            a: 0.8,
            b: 0.3,
            tx: 12.0,
            ty: -4.0,
        };
        let from = [[10.0, 20.0], [60.0, 25.0], [35.0, 60.0], [33.0, 80.0]];
        let to: Vec<[f32; 2]> = from.iter().map(|p| truth.apply(*p)).collect();
        let fit = Similarity::fit(&from, &to).unwrap();
        for (x, y) in [
            (fit.a, truth.a),
            (fit.b, truth.b),
            (fit.tx, truth.tx),
            (fit.ty, truth.ty),
        ] {
            assert!((x - y).abs() < 1e-3, "{fit:?} vs {truth:?}");
        }
    }

    #[test]
    fn never_reflects() {
        // Mirrored target points: the best similarity cannot flip, so the residual stays large.
        let from = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]];
        let to = [[0.0, 0.0], [-10.0, 0.0], [0.0, 10.0]];
        let fit = Similarity::fit(&from, &to).unwrap();
        let err: f32 = from
            .iter()
            .zip(to)
            .map(|(f, t)| {
                let p = fit.apply(*f);
                (p[0] - t[0]).abs() + (p[1] - t[1]).abs()
            })
            .sum();
        assert!(err > 5.0);
        assert!(
            Similarity::fit(&[[1.0, 1.0]; 3], &to).is_none(),
            "degenerate input"
        );
    }

    #[test]
    fn the_cropped_pyramid_gives_the_same_chip_as_the_whole_photo() {
        // A textured photo, faces at several sizes, angles and places, some past the border.
        let (w, h) = (911, 1137);
        let data = (0..w * h * 3)
            .map(|i| ((i * 7919 + (i / 3 / w) * 31) % 251) as u8)
            .collect();
        let img = Rgb::from_raw(w, h, data);
        for (scale, angle, cx, cy) in [
            (1.0, 0.0, 450.0, 560.0),
            (3.3, 0.2, 455.0, 500.0),
            (5.0, -0.4, 300.0, 700.0),
            (9.7, 1.1, 451.0, 567.0),
            (2.5, 0.0, 20.0, 30.0),
            (4.0, 0.3, 905.0, 1130.0),
            (6.0, 0.0, -300.0, 500.0),
        ] {
            let t = Similarity {
                a: scale * f32::cos(angle),
                b: scale * f32::sin(angle),
                tx: 0.0,
                ty: 0.0,
            };
            let centre = t.apply([75.0, 75.0]);
            let t = Similarity {
                tx: cx - centre[0],
                ty: cy - centre[1],
                ..t
            };
            let kp = [
                t.apply(CHIP_POINTS[0]),
                t.apply(CHIP_POINTS[1]),
                t.apply(CHIP_POINTS[2]),
            ];
            let (fast, whole) = (
                chip_with(&img, &kp, true).unwrap(),
                chip_with(&img, &kp, false).unwrap(),
            );
            assert!(fast.data == whole.data, "scale {scale}, angle {angle}");
        }
    }

    #[test]
    fn chip_puts_the_eyes_on_the_reference_points() {
        // A synthetic image with two bright dots as eyes and one as the nose, rotated and scaled.
        let (w, h) = (400, 300);
        let mut img = Rgb::from_raw(w, h, vec![0; w * h * 3]);
        let truth = Similarity {
            a: 1.6,
            b: 0.5,
            tx: 90.0,
            ty: 20.0,
        };
        let src: Vec<[f32; 2]> = CHIP_POINTS.iter().map(|p| truth.apply(*p)).collect();
        for p in &src {
            for dy in -2i32..=2 {
                for dx in -2i32..=2 {
                    let (x, y) = (
                        (p[0].round() as i32 + dx) as usize,
                        (p[1].round() as i32 + dy) as usize,
                    );
                    let i = (y * w + x) * 3;
                    img.data[i..i + 3].copy_from_slice(&[255, 255, 255]);
                }
            }
        }
        let c = chip(&img, &[src[0], src[1], src[2]]).unwrap();
        for p in CHIP_POINTS {
            let v = c.pixel(p[0].round() as usize, p[1].round() as usize);
            assert!(
                v[0] > 150,
                "reference point {p:?} is dark in the chip: {v:?}"
            );
        }
        assert!(c.pixel(5, 140)[0] < 10);
    }
}
