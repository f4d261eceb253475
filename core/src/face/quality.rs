//! Image-quality measures on the aligned chip, and the perceptual hash used against replays.

use super::image::{luma, Rgb};

/// Variance of the 4-neighbour Laplacian over the grey chip's central area: low = blurred.
pub fn sharpness(chip: &Rgb) -> f32 {
    let grey = grey(chip);
    let (w, h) = (chip.width, chip.height);
    let (x0, x1, y0, y1) = (w / 6, w - w / 6, h / 6, h - h / 6);
    let mut vals = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0.max(1)..y1.min(h - 1) {
        for x in x0.max(1)..x1.min(w - 1) {
            let c = grey[y * w + x];
            let lap = grey[(y - 1) * w + x]
                + grey[(y + 1) * w + x]
                + grey[y * w + x - 1]
                + grey[y * w + x + 1]
                - 4.0 * c;
            vals.push(lap);
        }
    }
    let n = vals.len().max(1) as f32;
    let mean = vals.iter().sum::<f32>() / n;
    vals.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n
}

/// Mean luma (0–255) of the chip's central area (the face, not the background).
pub fn brightness(chip: &Rgb) -> f32 {
    let (w, h) = (chip.width, chip.height);
    let (mut sum, mut n) = (0f32, 0f32);
    for y in h / 4..h - h / 4 {
        for x in w / 4..w - w / 4 {
            let p = chip.pixel(x, y);
            sum += luma([f32::from(p[0]), f32::from(p[1]), f32::from(p[2])]);
            n += 1.0;
        }
    }
    sum / n.max(1.0)
}

fn grey(img: &Rgb) -> Vec<f32> {
    img.data
        .chunks_exact(3)
        .map(|p| luma([f32::from(p[0]), f32::from(p[1]), f32::from(p[2])]))
        .collect()
}

/// 64-bit DCT perceptual hash of the aligned chip: 32×32 grey, the 8×8 lowest frequencies
/// (DC excluded from the median), one bit each for above/below the median. Near-identical
/// photos (re-encoded, slightly rescaled or brightened) differ in a few bits.
pub fn perceptual_hash(chip: &Rgb) -> u64 {
    let small = chip.resize(32, 32);
    let g = grey(&small);
    const N: usize = 32;
    let cos: Vec<f32> = (0..8 * N)
        .map(|i| {
            let (u, x) = (i / N, i % N);
            ((2 * x + 1) as f32 * u as f32 * std::f32::consts::PI / (2.0 * N as f32)).cos()
        })
        .collect();
    let mut coeffs = [0f32; 64];
    for v in 0..8 {
        for u in 0..8 {
            let mut s = 0f32;
            for y in 0..N {
                for x in 0..N {
                    s += g[y * N + x] * cos[u * N + x] * cos[v * N + y];
                }
            }
            coeffs[v * 8 + u] = s;
        }
    }
    let mut sorted: Vec<f32> = coeffs[1..].to_vec();
    sorted.sort_by(f32::total_cmp);
    let median = sorted[sorted.len() / 2];
    coeffs
        .iter()
        .enumerate()
        .fold(0u64, |h, (i, c)| if *c > median { h | (1 << i) } else { h })
}

pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(size: usize, cell: usize, lo: u8, hi: u8) -> Rgb {
        let mut d = Vec::with_capacity(size * size * 3);
        for y in 0..size {
            for x in 0..size {
                let v = if (x / cell + y / cell) % 2 == 0 {
                    lo
                } else {
                    hi
                };
                d.extend([v, v, v]);
            }
        }
        Rgb::from_raw(size, size, d)
    }

    #[test]
    fn sharp_edges_score_higher_than_flat() {
        let sharp = checker(150, 5, 0, 255);
        let flat = checker(150, 5, 120, 121);
        assert!(sharpness(&sharp) > 1000.0 * sharpness(&flat).max(1e-3));
        assert_eq!(sharpness(&checker(150, 5, 90, 90)), 0.0);
    }

    #[test]
    fn brightness_is_mean_luma() {
        assert!((brightness(&checker(150, 5, 100, 100)) - 100.0).abs() < 0.01);
        assert!(brightness(&checker(150, 5, 0, 0)) < 1.0);
    }

    #[test]
    fn phash_is_stable_under_small_changes_and_differs_otherwise() {
        let a = checker(150, 10, 20, 230);
        let brighter = Rgb::from_raw(
            150,
            150,
            a.data.iter().map(|v| v.saturating_add(15)).collect(),
        );
        let other = checker(150, 37, 20, 230);
        assert!(hamming(perceptual_hash(&a), perceptual_hash(&brighter)) <= 4);
        assert!(hamming(perceptual_hash(&a), perceptual_hash(&other)) > 10);
    }
}
