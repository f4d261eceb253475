//! The test photos of a face (feature `fixtures` of the core): the office's reference photo
//! and fresh selfies of the same person, made from `shared/faces`, for the screens' tests here
//! and, written out by `examples/face_photos.rs`, for the Android apps' tests.

use huijiao_core::face::image::Rgb;

/// The test photo, as files under `shared/faces` hold it.
pub fn photo(name: &str) -> Rgb {
    Rgb::decode(
        &std::fs::read(
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/faces")
                .join(name),
        )
        .unwrap(),
    )
    .unwrap()
}

/// The office's reference photo: the test photo lit from one side and framed differently, so
/// the selfies made from the plain photo are the same face, not the same picture.
pub fn reference() -> Rgb {
    let p = photo("grace_hopper.jpg");
    let mut lit = p.clone();
    for y in 0..p.height {
        for x in 0..p.width {
            let f = 0.45 + 0.55 * x as f32 / p.width as f32;
            for c in 0..3 {
                let i = (y * p.width + x) * 3 + c;
                lit.data[i] = (f32::from(p.data[i]) * f).round() as u8;
            }
        }
    }
    lit.crop(30, 0, p.width - 30, p.height - 20)
}

/// A fresh selfie of the enrolled person (each `n` another picture).
pub fn selfie(n: usize) -> Rgb {
    let p = photo("grace_hopper.jpg");
    let c = p.crop(10 + 14 * n, 6 + 8 * n, p.width - 100, p.height - 60);
    let by = (4 + 5 * n) as u8;
    Rgb::from_raw(
        c.width,
        c.height,
        c.data.iter().map(|v| v.saturating_add(by)).collect(),
    )
}
