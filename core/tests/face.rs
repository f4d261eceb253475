//! The face engine on real photos (shared/faces) with the real models (shared/models, or
//! `HUIJIAO_MODEL_DIR`): same person under changes matches, different people do not, and every
//! bad photo gets its own error.
#![cfg(feature = "face")]

use std::path::PathBuf;
use std::sync::OnceLock;

use huijiao_core::face::image::Rgb;
use huijiao_core::face::{quality, Decision, FaceEngine, FaceError, MatchPolicy, QualityLimits};

fn shared(sub: &str) -> PathBuf {
    std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../../shared")
        .join(sub)
}

fn model_dir() -> PathBuf {
    std::env::var_os("HUIJIAO_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared("models"))
}

fn engine() -> &'static FaceEngine {
    static E: OnceLock<FaceEngine> = OnceLock::new();
    E.get_or_init(|| FaceEngine::load(&model_dir(), QualityLimits::default()).expect("models load"))
}

fn photo(name: &str) -> Rgb {
    Rgb::decode(&std::fs::read(shared("faces").join(name)).unwrap()).unwrap()
}

fn png(img: &Rgb) -> Vec<u8> {
    img.encode_png()
}

fn map(img: &Rgb, f: impl Fn(u8) -> u8) -> Rgb {
    Rgb::from_raw(
        img.width,
        img.height,
        img.data.iter().map(|v| f(*v)).collect(),
    )
}

fn box_blur(img: &Rgb, radius: usize) -> Rgb {
    let (w, h) = (img.width, img.height);
    let mut out = img.data.clone();
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let (mut s, mut n) = (0u32, 0u32);
                for yy in y.saturating_sub(radius)..(y + radius + 1).min(h) {
                    for xx in x.saturating_sub(radius)..(x + radius + 1).min(w) {
                        s += u32::from(img.data[(yy * w + xx) * 3 + c]);
                        n += 1;
                    }
                }
                out[(y * w + x) * 3 + c] = (s / n) as u8;
            }
        }
    }
    Rgb::from_raw(w, h, out)
}

fn canvas(w: usize, h: usize, grey: u8) -> Rgb {
    Rgb::from_raw(w, h, vec![grey; w * h * 3])
}

fn paste(dst: &mut Rgb, src: &Rgb, x0: usize, y0: usize) {
    for y in 0..src.height {
        for x in 0..src.width {
            let (d, s) = (((y + y0) * dst.width + x + x0) * 3, (y * src.width + x) * 3);
            dst.data[d..d + 3].copy_from_slice(&src.data[s..s + 3]);
        }
    }
}

#[test]
fn same_person_under_changes_matches_and_different_people_do_not() {
    let e = engine();
    let policy = MatchPolicy::default();
    for name in ["astronaut.png", "grace_hopper.jpg"] {
        let img = photo(name);
        let template = e.enroll(&[&png(&img)]).unwrap();
        let (w, h) = (img.width, img.height);
        let variants = [
            ("flip", img.flip_horizontal()),
            ("crop", img.crop(w / 10, h / 20, w * 8 / 10, h * 9 / 10)),
            ("rescale", img.resize(w * 7 / 10, h * 7 / 10)),
            ("brighter", map(&img, |v| v.saturating_add(30))),
            ("darker", map(&img, |v| (f32::from(v) * 0.75) as u8)),
        ];
        for (what, v) in variants {
            let r = e
                .verify(&template, &img_bytes_jpeg(&v), &policy)
                .unwrap_or_else(|err| panic!("{name} {what}: {err}"));
            assert_eq!(
                r.decision,
                Decision::Match,
                "{name} {what}: distance {}",
                r.distance
            );
        }
    }
    let a = e.enroll(&[&png(&photo("astronaut.png"))]).unwrap();
    let r = e
        .verify(&a, &png(&photo("grace_hopper.jpg")), &policy)
        .unwrap();
    assert_eq!(r.decision, Decision::NoMatch, "distance {}", r.distance);
    eprintln!("astronaut vs hopper: {}", r.distance);
}

fn img_bytes_jpeg(img: &Rgb) -> Vec<u8> {
    img.encode_jpeg(90)
}

#[test]
fn detection_finds_the_eyes_where_they_are() {
    let img = photo("grace_hopper.jpg");
    let faces = engine().detect(&img).unwrap();
    assert_eq!(faces.len(), 1);
    let f = faces[0];
    // The subject's right eye is on the image's left, both above the nose, mouth below it.
    let [re, le, nose, mouth, ..] = f.keypoints;
    assert!(
        re[0] < le[0] && re[1] < nose[1] && le[1] < nose[1] && nose[1] < mouth[1],
        "{f:?}"
    );
    assert!(f.bbox[0] < re[0] && le[0] < f.bbox[2]);
    // Flipping the photo mirrors the box.
    let flipped = engine().detect(&img.flip_horizontal()).unwrap()[0];
    let mirrored_x0 = img.width as f32 - f.bbox[2];
    assert!(
        (flipped.bbox[0] - mirrored_x0).abs() < 0.05 * f.width(),
        "{flipped:?} vs {f:?}"
    );
}

#[test]
fn bad_photos_get_their_own_errors() {
    let e = engine();
    let hopper = photo("grace_hopper.jpg");
    let astronaut = photo("astronaut.png");
    let err = |bytes: Vec<u8>| e.analyze(&bytes).unwrap_err();

    // No face: a plain wall, and a crop of the background only.
    assert_eq!(err(png(&canvas(400, 300, 128))), FaceError::NoFace);
    // Two faces side by side.
    let h = 400;
    let (a, b) = (
        astronaut.resize(astronaut.width * h / astronaut.height, h),
        hopper.resize(hopper.width * h / hopper.height, h),
    );
    let mut both = canvas(a.width + b.width, h, 0);
    paste(&mut both, &a, 0, 0);
    paste(&mut both, &b, a.width, 0);
    assert_eq!(err(png(&both)), FaceError::MultipleFaces);
    // A tiny face on a large canvas.
    let small = hopper.resize(hopper.width / 3, hopper.height / 3);
    let mut scene = canvas(400, 300, 110);
    paste(&mut scene, &small, 150, 60);
    let e_small = err(png(&scene));
    assert!(
        matches!(e_small, FaceError::FaceTooSmall | FaceError::NoFace),
        "{e_small:?}"
    );
    assert_eq!(
        e_small,
        FaceError::FaceTooSmall,
        "the full-range model finds it; the gate refuses it"
    );
    // Smaller still: "hold the phone closer", never "no face" or "two faces" (at 1/6 the
    // short-range model adds a loose box around the small face).
    for shrink in [3.5f32, 4.0, 4.6, 5.0, 5.5, 6.0, 7.0] {
        let small = hopper.resize(
            (hopper.width as f32 / shrink) as usize,
            (hopper.height as f32 / shrink) as usize,
        );
        let mut scene = canvas(400, 300, 110);
        paste(&mut scene, &small, 150, 60);
        assert_eq!(err(png(&scene)), FaceError::FaceTooSmall, "1/{shrink}");
    }
    // Blurred, dark, overexposed.
    assert_eq!(err(png(&box_blur(&hopper, 6))), FaceError::FaceTooBlurry);
    assert_eq!(err(png(&map(&hopper, |v| v / 6))), FaceError::FaceTooDark);
    assert_eq!(
        err(png(&map(&hopper, |v| v.saturating_add(170)))),
        FaceError::FaceOverexposed
    );
    // Cut off: only the left part of the face is in the picture.
    let f = e.detect(&hopper).unwrap()[0];
    let cut = hopper.crop(
        0,
        0,
        ((f.bbox[0] + f.bbox[2]) / 2.0) as usize,
        hopper.height,
    );
    let e_cut = err(png(&cut));
    assert!(
        matches!(e_cut, FaceError::FaceCutOff | FaceError::NoFace),
        "{e_cut:?}"
    );
    // A truncated JPEG, text, an empty file.
    let jpeg = std::fs::read(shared("faces").join("grace_hopper.jpg")).unwrap();
    assert_eq!(err(jpeg[..jpeg.len() / 2].to_vec()), FaceError::NotAnImage);
    assert_eq!(err(b"GIF89a not really".to_vec()), FaceError::NotAnImage);
    assert_eq!(err(vec![]), FaceError::NotAnImage);
    // A PNG header claiming 20000×20000: refused before any pixel is decoded.
    assert_eq!(err(png_header(20_000, 20_000)), FaceError::ImageTooLarge);
}

/// A valid PNG header for a w×h RGB image, followed by almost no data.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(13u32.to_be_bytes());
    out.extend(&ihdr);
    out.extend(crc32(&ihdr).to_be_bytes());
    // A first (tiny) data chunk and the end: the shape of a decompression bomb.
    for (kind, data) in [
        (&b"IDAT"[..], &b"\x78\x9c\x03\x00\x00\x00\x00\x01"[..]),
        (&b"IEND"[..], &b""[..]),
    ] {
        out.extend((data.len() as u32).to_be_bytes());
        let mut chunk = kind.to_vec();
        chunk.extend(data);
        out.extend(&chunk);
        out.extend(crc32(&chunk).to_be_bytes());
    }
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn enrolment_takes_one_to_five_good_photos() {
    let e = engine();
    let good = png(&photo("grace_hopper.jpg"));
    assert_eq!(e.enroll(&[]).unwrap_err().1, FaceError::ReferenceCount(0));
    let six: Vec<&[u8]> = vec![&good; 6];
    assert_eq!(e.enroll(&six).unwrap_err().1, FaceError::ReferenceCount(6));
    let wall = png(&canvas(300, 300, 100));
    assert_eq!(
        e.enroll(&[&good, &wall]).unwrap_err(),
        (1, FaceError::NoFace),
        "the bad photo is named"
    );
    let t = e
        .enroll(&[&good, &png(&photo("grace_hopper.jpg").flip_horizontal())])
        .unwrap();
    assert_eq!(t.embeddings.len(), 2);
    // Two people are not one template (either would pass afterwards).
    let two = e.enroll(&[
        &good,
        &png(&photo("grace_hopper.jpg").flip_horizontal()),
        &png(&photo("astronaut.png")),
    ]);
    assert_eq!(two.unwrap_err(), (2, FaceError::ReferencesDiffer(2, 0)));
}

/// The same photo lit from one side (a window to the left): a different picture of the same
/// face, as a second photo taken at the office would be.
fn side_lit(img: &Rgb, lo: f32) -> Rgb {
    let mut out = img.clone();
    for y in 0..img.height {
        for x in 0..img.width {
            let f = lo + (1.0 - lo) * x as f32 / img.width as f32;
            for c in 0..3 {
                let i = (y * img.width + x) * 3 + c;
                out.data[i] = (f32::from(img.data[i]) * f).round() as u8;
            }
        }
    }
    out
}

#[test]
fn replayed_photo_has_a_near_identical_hash() {
    let e = engine();
    let hopper = photo("grace_hopper.jpg");
    let original = e.analyze(&png(&hopper)).unwrap();
    let reencoded = e.analyze(&hopper.encode_jpeg(70)).unwrap();
    let slightly_scaled = e
        .analyze(&png(
            &hopper.resize(hopper.width * 9 / 10, hopper.height * 9 / 10)
        ))
        .unwrap();
    let other = e.analyze(&png(&photo("astronaut.png"))).unwrap();
    assert!(
        quality::hamming(original.phash, reencoded.phash) <= 6,
        "{}",
        quality::hamming(original.phash, reencoded.phash)
    );
    assert!(quality::hamming(original.phash, slightly_scaled.phash) <= 8);
    // A mirrored copy is the same picture: caught through the mirrored hash.
    let mirrored = e.analyze(&png(&hopper.flip_horizontal())).unwrap();
    assert!(
        quality::hamming(original.phash, mirrored.phash) > 6,
        "the plain hash misses it"
    );
    assert!(
        mirrored.is_replay([original.phash], 6),
        "{}",
        quality::hamming(original.phash, mirrored.phash_mirrored)
    );
    assert!(original.is_replay([mirrored.phash], 6));
    // Another picture of the same face (lit from one side, framed differently) is no replay.
    let other_picture = side_lit(&hopper, 0.45).crop(20, 10, hopper.width - 40, hopper.height - 30);
    let other_picture = e.analyze(&png(&other_picture)).unwrap();
    assert!(!other_picture.is_replay([original.phash], 6));
    assert!(!original.is_replay([other_picture.phash], 6));
    assert!(
        quality::hamming(original.phash, other.phash) >= 16,
        "{}",
        quality::hamming(original.phash, other.phash)
    );
}

#[test]
fn missing_or_altered_models_fail_at_load() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        FaceEngine::load(dir.path(), QualityLimits::default()),
        Err(FaceError::ModelMissing(_))
    ));
    for f in [
        "face_detection_short_range.onnx",
        "face_detection_full_range.onnx",
        "dlib_face_recognition_resnet_v1.onnx",
    ] {
        std::fs::copy(model_dir().join(f), dir.path().join(f)).unwrap();
    }
    let p = dir.path().join("face_detection_full_range.onnx");
    let mut bytes = std::fs::read(&p).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    std::fs::write(&p, bytes).unwrap();
    assert!(matches!(
        FaceEngine::load(dir.path(), QualityLimits::default()),
        Err(FaceError::ModelCorrupt(_))
    ));
}

#[test]
fn the_engine_is_shared_across_threads() {
    let e = engine();
    let bytes = png(&photo("astronaut.png"));
    let results: Vec<Vec<f32>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3)
            .map(|_| s.spawn(|| e.analyze(&bytes).unwrap().embedding))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        results.windows(2).all(|w| w[0] == w[1]),
        "same input, same embedding, on any thread"
    );
}

/// `face/kernels.rs` swaps tract's max pools and depthwise convolutions for its own;
/// on a real photo the three models must give what tract alone gives.
#[test]
fn our_pool_and_depthwise_kernels_leave_the_models_outputs_as_tract_computes_them() {
    use huijiao_core::face::{align, detect, models};
    use tract_onnx::prelude::*;

    let img = photo("grace_hopper.jpg");
    let (short_input, _) = detect::input_tensor(&img, 128);
    let (full_input, _) = detect::input_tensor(&img, 192);
    let kp = engine().detect(&img).unwrap()[0].keypoints;
    let chip = align::chip(&img, &[kp[0], kp[1], kp[2]]).unwrap();
    let chip_input = align::chip_input(&chip);
    // Each model's depthwise convolutions and max pools.
    for (file, side, input, own_ops) in [
        ("face_detection_short_range.onnx", 128, short_input, 16 + 3),
        ("face_detection_full_range.onnx", 192, full_input, 40 + 4),
        ("dlib_face_recognition_resnet_v1.onnx", 150, chip_input, 1),
    ] {
        let outputs = |own_kernels: bool| -> Vec<f32> {
            let model = tract_onnx::onnx()
                .model_for_path(model_dir().join(file))
                .unwrap();
            let model = models::optimised(model, [1, 3, side, side], own_kernels).unwrap();
            let swapped = model
                .nodes()
                .iter()
                .filter(|n| n.op().name().starts_with("Frame"))
                .count();
            assert_eq!(swapped, if own_kernels { own_ops } else { 0 }, "{file}");
            let plan = model.into_runnable().unwrap();
            let input = Tensor::from_shape(&[1, 3, side, side], &input).unwrap();
            let out = plan.run(tvec!(input.into())).unwrap();
            out.iter()
                .flat_map(|o| {
                    o.to_plain_array_view::<f32>()
                        .unwrap()
                        .iter()
                        .copied()
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let (ours, theirs) = (outputs(true), outputs(false));
        assert_eq!(ours.len(), theirs.len(), "{file}");
        for (a, b) in ours.iter().zip(&theirs) {
            assert!(
                (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                "{file}: {a} vs {b}"
            );
        }
    }
}
