//! BlazeFace detection: letterbox, anchors, box/keypoint decoding, non-maximum suppression.
//! Layouts and constants are those of `shared/models/README.md` (MediaPipe's face detector).

use super::image::Rgb;

/// Keypoint order of BlazeFace.
pub const RIGHT_EYE: usize = 0;
pub const LEFT_EYE: usize = 1;
pub const NOSE_TIP: usize = 2;
pub const MOUTH: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub score: f32,
    /// Box in source pixels: x0, y0, x1, y1.
    pub bbox: [f32; 4],
    /// Right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion.
    pub keypoints: [[f32; 2]; 6],
}

impl Detection {
    pub fn width(&self) -> f32 {
        self.bbox[2] - self.bbox[0]
    }
    pub fn height(&self) -> f32 {
        self.bbox[3] - self.bbox[1]
    }
}

/// One BlazeFace variant: its input side and anchor layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// 128×128; stride 8 on 16×16 ×2, stride 16 on 8×8 ×6 (896 anchors).
    ShortRange,
    /// 192×192; stride 4 on 48×48 ×1 (2304 anchors).
    FullRange,
}

impl Variant {
    pub fn input_size(self) -> usize {
        match self {
            Variant::ShortRange => 128,
            Variant::FullRange => 192,
        }
    }

    /// Anchor centres, normalised to 0..1, in the model's output order.
    pub fn anchors(self) -> Vec<[f32; 2]> {
        let layers: &[(usize, usize)] = match self {
            Variant::ShortRange => &[(16, 2), (8, 6)],
            Variant::FullRange => &[(48, 1)],
        };
        let mut out = Vec::new();
        for &(n, per_cell) in layers {
            for y in 0..n {
                for x in 0..n {
                    for _ in 0..per_cell {
                        out.push([(x as f32 + 0.5) / n as f32, (y as f32 + 0.5) / n as f32]);
                    }
                }
            }
        }
        out
    }
}

/// How a source image was placed into the square model input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Letterbox {
    pub scale: f32,
    pub pad_x: f32,
    pub pad_y: f32,
}

impl Letterbox {
    pub fn new(width: usize, height: usize, side: usize) -> Letterbox {
        let scale = side as f32 / width.max(height) as f32;
        Letterbox {
            scale,
            pad_x: (side as f32 - width as f32 * scale) / 2.0,
            pad_y: (side as f32 - height as f32 * scale) / 2.0,
        }
    }

    pub fn to_source(&self, p: [f32; 2]) -> [f32; 2] {
        [
            (p[0] - self.pad_x) / self.scale,
            (p[1] - self.pad_y) / self.scale,
        ]
    }
}

/// The model input: NCHW, RGB scaled to −1..1, black bars around the resized image.
pub fn input_tensor(img: &Rgb, side: usize) -> (Vec<f32>, Letterbox) {
    let lb = Letterbox::new(img.width, img.height, side);
    let (w, h) = (
        ((img.width as f32 * lb.scale).round() as usize).clamp(1, side),
        ((img.height as f32 * lb.scale).round() as usize).clamp(1, side),
    );
    let resized = img.resize(w, h);
    let (ox, oy) = (lb.pad_x.floor() as usize, lb.pad_y.floor() as usize);
    let plane = side * side;
    let mut t = vec![-1.0f32; 3 * plane];
    for y in 0..h {
        for x in 0..w {
            let p = resized.pixel(x, y);
            let i = (y + oy) * side + (x + ox);
            for c in 0..3 {
                t[c * plane + i] = f32::from(p[c]) / 127.5 - 1.0;
            }
        }
    }
    (
        t,
        Letterbox {
            pad_x: ox as f32,
            pad_y: oy as f32,
            ..lb
        },
    )
}

pub const SCORE_THRESHOLD: f32 = 0.5;
pub const NMS_IOU: f32 = 0.3;

/// Decodes raw outputs (`regressors`: anchors×16, `logits`: anchors) into detections in source
/// pixels, best first, after NMS.
pub fn decode(
    variant: Variant,
    regressors: &[f32],
    logits: &[f32],
    lb: &Letterbox,
) -> Vec<Detection> {
    let side = variant.input_size() as f32;
    let anchors = variant.anchors();
    let mut found = Vec::new();
    for (i, a) in anchors.iter().enumerate() {
        let Some(&logit) = logits.get(i) else { break };
        let score = 1.0 / (1.0 + (-logit.clamp(-100.0, 100.0)).exp());
        if score < SCORE_THRESHOLD {
            continue;
        }
        let r = &regressors[i * 16..i * 16 + 16];
        let (ax, ay) = (a[0] * side, a[1] * side);
        let (cx, cy, w, h) = (r[0] + ax, r[1] + ay, r[2], r[3]);
        let tl = lb.to_source([cx - w / 2.0, cy - h / 2.0]);
        let br = lb.to_source([cx + w / 2.0, cy + h / 2.0]);
        let mut keypoints = [[0f32; 2]; 6];
        for (k, kp) in keypoints.iter_mut().enumerate() {
            *kp = lb.to_source([r[4 + 2 * k] + ax, r[5 + 2 * k] + ay]);
        }
        found.push(Detection {
            score,
            bbox: [tl[0], tl[1], br[0], br[1]],
            keypoints,
        });
    }
    nms(found, NMS_IOU)
}

pub fn iou(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let ix = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let iy = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let inter = ix * iy;
    let union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    if union <= 0.0 {
        0.0
    } else {
        inter / union
    }
}

pub fn nms(mut dets: Vec<Detection>, threshold: f32) -> Vec<Detection> {
    dets.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::new();
    for d in dets {
        if kept.iter().all(|k| iou(&k.bbox, &d.bbox) <= threshold) {
            kept.push(d);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_counts_and_centres() {
        let s = Variant::ShortRange.anchors();
        assert_eq!(s.len(), 896);
        assert_eq!(s[0], [0.5 / 16.0, 0.5 / 16.0]);
        assert_eq!(s[1], s[0], "two anchors per cell on the first layer");
        assert_eq!(s[2], [1.5 / 16.0, 0.5 / 16.0]);
        assert_eq!(
            s[512],
            [0.5 / 8.0, 0.5 / 8.0],
            "second layer starts after 16·16·2"
        );
        assert_eq!(Variant::FullRange.anchors().len(), 2304);
    }

    #[test]
    fn letterbox_round_trip() {
        let lb = Letterbox::new(200, 100, 128);
        assert_eq!(lb.scale, 0.64);
        assert_eq!((lb.pad_x, lb.pad_y), (0.0, 32.0));
        let p = lb.to_source([64.0, 64.0]);
        assert!((p[0] - 100.0).abs() < 1e-4 && (p[1] - 50.0).abs() < 1e-4);
    }

    #[test]
    fn decode_places_a_box_on_its_anchor() {
        let v = Variant::ShortRange;
        let mut reg = vec![0f32; 896 * 16];
        let mut logits = vec![-10f32; 896];
        // Anchor 2 (cell x=1, y=0 of the 16×16 layer): centre (12, 4) in input pixels.
        logits[2] = 5.0;
        reg[2 * 16 + 2] = 20.0;
        reg[2 * 16 + 3] = 10.0;
        reg[2 * 16 + 4] = -3.0; // right eye x offset
        let lb = Letterbox {
            scale: 0.5,
            pad_x: 0.0,
            pad_y: 0.0,
        };
        let d = decode(v, &reg, &logits, &lb);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].bbox,
            [
                (12.0 - 10.0) / 0.5,
                (4.0 - 5.0) / 0.5,
                (12.0 + 10.0) / 0.5,
                (4.0 + 5.0) / 0.5
            ]
        );
        assert_eq!(d[0].keypoints[RIGHT_EYE], [(12.0 - 3.0) / 0.5, 4.0 / 0.5]);
        assert!((d[0].score - 1.0 / (1.0 + (-5f32).exp())).abs() < 1e-6);
    }

    #[test]
    fn nms_keeps_the_best_of_overlapping_boxes() {
        let d = |s: f32, x: f32| Detection {
            score: s,
            bbox: [x, 0.0, x + 10.0, 10.0],
            keypoints: [[0.0; 2]; 6],
        };
        let kept = nms(vec![d(0.6, 0.0), d(0.9, 1.0), d(0.8, 50.0)], 0.3);
        assert_eq!(
            kept.iter().map(|k| k.score).collect::<Vec<_>>(),
            vec![0.9, 0.8]
        );
        assert_eq!(iou(&[0.0, 0.0, 10.0, 10.0], &[0.0, 0.0, 10.0, 10.0]), 1.0);
        assert_eq!(iou(&[0.0, 0.0, 10.0, 10.0], &[20.0, 0.0, 30.0, 10.0]), 0.0);
    }
}
