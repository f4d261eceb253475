//! Test pictures of a head turning, made from one still photo (feature `fixtures`; never in
//! an app or the server). No test photo shows a real head turn, so the liveness checks are
//! tested on two renderings of one photo:
//! - `turn_head`: the photo as a relief — a head-sized cylinder with a nose on it — turned
//!   about its vertical axis, as a real head turns: the nose tip, in front of the eyes, moves
//!   sideways more than they do.
//! - `turn_print`: the photo as a flat print turned in the hand, seen through a phone camera:
//!   the picture foreshortens, but the nose stays where it was between the eyes.

use super::image::Rgb;

/// Right eye, left eye and nose tip (BlazeFace order), in source pixels.
pub type FacePoints = [[f32; 2]; 3];

/// The head in `img` turned by `degrees` about its vertical axis; positive turns the face
/// towards the side of its left eye (the person's left in an unmirrored photo).
pub fn turn_head(img: &Rgb, face: &FacePoints, degrees: f32) -> Rgb {
    let [re, le, nose] = *face;
    let eye_dist = ((le[0] - re[0]).powi(2) + (le[1] - re[1]).powi(2)).sqrt();
    let cx = (re[0] + le[0]) / 2.0;
    let eye_y = (re[1] + le[1]) / 2.0;
    // A head about 1.2 eye distances in radius, a nose ridge rising to 0.35 eye distances
    // above it from the eyes down to the tip.
    let radius = 1.2 * eye_dist;
    let bump_y = eye_y + 0.75 * (nose[1] - eye_y);
    let (sx, sy, height) = (0.2 * eye_dist, 0.45 * eye_dist, 0.35 * eye_dist);
    let depth = |x: f32, y: f32| {
        let dx = x - cx;
        let head = (radius * radius - dx * dx).max(0.0).sqrt();
        let nx = (x - nose[0]) / sx;
        let ny = (y - bump_y) / sy;
        head + height * (-(nx * nx + ny * ny) / 2.0).exp()
    };
    let (sin, cos) = degrees.to_radians().sin_cos();
    let mut out = img.clone();
    let x0 = (cx - radius).floor().max(0.0) as usize;
    let x1 = ((cx + radius).ceil() as usize).min(img.width);
    // Forward mapping with a depth buffer, four samples a pixel so nothing is left unpainted
    // where the surface stretches.
    let mut zbuf = vec![f32::NEG_INFINITY; img.width];
    for y in 0..img.height {
        zbuf.iter_mut().for_each(|z| *z = f32::NEG_INFINITY);
        let yf = y as f32;
        for step in 0..(x1 - x0) * 4 {
            let x = x0 as f32 + step as f32 / 4.0;
            let (dx, z) = (x - cx, depth(x, yf));
            let tx = cx + dx * cos + z * sin;
            let tz = -dx * sin + z * cos;
            let px = tx.round();
            if px < 0.0 || px >= img.width as f32 {
                continue;
            }
            let px = px as usize;
            if tz > zbuf[px] {
                zbuf[px] = tz;
                let p = img.sample(x, yf);
                let i = (y * img.width + px) * 3;
                for (dst, v) in out.data[i..i + 3].iter_mut().zip(p) {
                    *dst = v.round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
    out
}

/// `img` as a flat print turned by `degrees` about the vertical line through `axis_x`, seen by
/// a camera whose focal length is the image width, on a plain grey background.
pub fn turn_print(img: &Rgb, axis_x: f32, degrees: f32) -> Rgb {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let f = img.width as f32;
    let cy = img.height as f32 / 2.0;
    let mut data = Vec::with_capacity(img.data.len());
    for y in 0..img.height {
        for x in 0..img.width {
            let (u, v) = (x as f32 - axis_x, y as f32 - cy);
            // The ray through (u, v) meets the turned plane at s along it, t up it (or
            // passes beside it: denominator not positive).
            let denom = f * cos - u * sin;
            let s = if denom > 1.0 { u * f / denom } else { f32::MAX };
            let t = v * (f + s * sin) / f;
            let (sx, sy) = (axis_x + s, cy + t);
            let inside = sx >= 0.0
                && sy >= 0.0
                && sx <= (img.width - 1) as f32
                && sy <= (img.height - 1) as f32;
            let p = if inside {
                img.sample(sx, sy)
            } else {
                [128.0; 3]
            };
            data.extend(p.iter().map(|c| c.round().clamp(0.0, 255.0) as u8));
        }
    }
    Rgb::from_raw(img.width, img.height, data)
}
