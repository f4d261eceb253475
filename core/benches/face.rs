//! Face pipeline benchmark: decode + detect + align + embed of a ~1 MP photo on one thread,
//! median and p95, against onnxruntime running the same two models on the same inputs in the
//! same run (`core/benches/ort_baseline.py`). Run with `scripts/bench-face.sh`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use huijiao_core::face::image::Rgb;
use huijiao_core::face::models::{Model, EMBEDDER, SHORT_RANGE};
use huijiao_core::face::{align, detect, FaceEngine, QualityLimits};

fn shared(sub: &str) -> PathBuf {
    std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../../shared")
        .join(sub)
}

fn stats(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let p = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    (p(0.5), p(0.95))
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Vec<f64> {
    for _ in 0..3 {
        std::hint::black_box(f());
    }
    (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

fn write_f32(path: &std::path::Path, v: &[f32]) {
    std::fs::write(
        path,
        v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>(),
    )
    .unwrap();
}

fn main() {
    let n: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let models = std::env::var_os("HUIJIAO_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared("models"));
    let engine = FaceEngine::load(&models, QualityLimits::default()).expect("models");
    let src =
        Rgb::decode(&std::fs::read(shared("faces").join("grace_hopper.jpg")).unwrap()).unwrap();
    let photo = src.resize(910, 1137);
    let jpeg = photo.encode_jpeg(90);
    println!(
        "photo: {}x{} ({:.2} MP), JPEG {} KiB",
        photo.width,
        photo.height,
        (photo.width * photo.height) as f64 / 1e6,
        jpeg.len() / 1024
    );

    let (full_med, full_p95) = stats(time(n, || engine.analyze(&jpeg).unwrap()));
    let (dec_med, _) = stats(time(n, || Rgb::decode(&jpeg).unwrap()));
    let (input, _) = detect::input_tensor(&photo, 128);
    let (prep_med, _) = stats(time(n, || detect::input_tensor(&photo, 128)));
    let face = engine.detect(&photo).unwrap()[0];
    let kp = [face.keypoints[0], face.keypoints[1], face.keypoints[2]];
    let chip = align::chip(&photo, &kp).unwrap();
    let (chip_med, _) = stats(time(n, || align::chip(&photo, &kp).unwrap()));
    let (det_med, _) = stats(time(n, || {
        engine
            .detect_with(&photo, detect::Variant::ShortRange)
            .unwrap()
    }));
    let (emb_med, _) = stats(time(n, || engine.embed_chip(&chip).unwrap()));
    // The replay check's mirrored hash: the flipped photo found and aligned on its own.
    let (mirror_med, _) = stats(time(n, || {
        let m = photo.flip_horizontal();
        let f = engine.detect(&m).unwrap()[0];
        let kp = [f.keypoints[0], f.keypoints[1], f.keypoints[2]];
        huijiao_core::face::quality::perceptual_hash(&align::chip(&m, &kp).unwrap())
    }));
    let ours = engine.embed_chip(&chip).unwrap();

    // The two models alone on the same inputs as onnxruntime's, as they run in the engine.
    let chip_t = align::chip_input(&chip);
    let det_model = Model::load(&models, &SHORT_RANGE, [1, 3, 128, 128]).unwrap();
    let emb_model = Model::load(&models, &EMBEDDER, [1, 3, 150, 150]).unwrap();
    let (det_model_ours, _) = stats(time(n, || det_model.run(input.clone()).unwrap()));
    let (emb_model_ours, _) = stats(time(n, || emb_model.run(chip_t.clone()).unwrap()));

    println!("tract, one thread, {n} runs:");
    println!("  whole pipeline (decode+detect+align+quality+embed): median {full_med:.2} ms, p95 {full_p95:.2} ms");
    println!("  decode JPEG {dec_med:.2} ms | letterbox {prep_med:.2} ms | detect (incl. letterbox) {det_med:.2} ms | align chip {chip_med:.2} ms | embed {emb_med:.2} ms");
    println!(
        "  of the pipeline, the mirrored replay hash (flip, detect, align, hash): {mirror_med:.2} ms = {:.0}%",
        100.0 * mirror_med / full_med
    );

    // The same model inputs for onnxruntime.
    let dir = tempfile::tempdir().unwrap();
    write_f32(&dir.path().join("det.f32"), &input);
    write_f32(&dir.path().join("chip.f32"), &chip_t);
    let script =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("benches/ort_baseline.py");
    let python = std::env::var("BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .arg(script)
        .arg(&models)
        .arg(dir.path())
        .arg(n.to_string())
        .output()
        .expect("run python");
    if !out.status.success() {
        println!(
            "onnxruntime baseline did not run (install it with scripts/bench-face.sh):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |k: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| v.trim().parse().ok())
            .expect(k)
    };
    let (ort_det, ort_emb) = (field("det_ms="), field("emb_ms="));
    let theirs: Vec<f32> = std::fs::read(dir.path().join("emb_ort.f32"))
        .unwrap()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let max_diff = ours
        .iter()
        .zip(&theirs)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    println!(
        "onnxruntime {}, one thread, same inputs:",
        text.lines()
            .find_map(|l| l.strip_prefix("ort="))
            .unwrap_or("?")
    );
    println!("  detector model {ort_det:.2} ms | embedder model {ort_emb:.2} ms");
    println!("ours, the models alone on the same inputs: detector model {det_model_ours:.2} ms | embedder model {emb_model_ours:.2} ms");
    println!("ratios (ours / onnxruntime, median): detector model {:.2}x, embedder model {:.2}x, both models {:.2}x",
        det_model_ours / ort_det, emb_model_ours / ort_emb, (det_model_ours + emb_model_ours) / (ort_det + ort_emb));
    println!(
        "whole pipeline / (onnxruntime models alone): {:.2}x",
        full_med / (ort_det + ort_emb)
    );
    println!(
        "embeddings agree: max abs difference {max_diff:.2e} over {} values",
        ours.len()
    );
}
