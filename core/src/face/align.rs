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

/// Cuts the aligned chip. `keypoints` are right eye, left eye, nose tip in source pixels.
/// Large faces are first brought down a pyramid so bilinear sampling never skips pixels.
pub fn chip(img: &Rgb, keypoints: &[[f32; 2]; 3]) -> Option<Rgb> {
    // chip → source: each chip pixel is sampled where it lands in the source.
    let mut t = Similarity::fit(&CHIP_POINTS, keypoints)?;
    let mut level = std::borrow::Cow::Borrowed(img);
    while t.scale() > 2.0 && level.width >= 4 && level.height >= 4 {
        level = std::borrow::Cow::Owned(level.half());
        t = Similarity {
            a: t.a / 2.0,
            b: t.b / 2.0,
            tx: t.tx / 2.0,
            ty: t.ty / 2.0,
        };
    }
    let mut data = Vec::with_capacity(CHIP_SIZE * CHIP_SIZE * 3);
    for v in 0..CHIP_SIZE {
        for u in 0..CHIP_SIZE {
            let [x, y] = t.apply([u as f32, v as f32]);
            let p = level.sample(x, y);
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
