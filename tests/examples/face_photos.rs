//! Writes the test photos the Android apps' tests hand in through the camera seam (the JVM has
//! no camera): `reference.jpg` (enrolled by the officer), `straight.jpg`, and the head turned
//! as the pose steps ask, `turn_left.jpg` and `turn_right.jpg` — the same pictures the core's
//! screen tests use (`huijiao_e2e::faces`), the turns rendered with the real face model's
//! landmarks. Usage: `face_photos OUT_DIR` (models from `HUIJIAO_MODEL_DIR`).

use anyhow::Context;
use huijiao_core::face::synth::turn_head;
use huijiao_core::face::FaceEngine;
use huijiao_e2e::faces::{reference, selfie};

fn main() -> anyhow::Result<()> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .context("usage: face_photos OUT_DIR")?,
    );
    let models = std::env::var_os("HUIJIAO_MODEL_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models")
        });
    let engine = FaceEngine::load(&models, Default::default())?;
    let straight = selfie(0);
    let landmarks = engine.analyze_image(&straight)?.landmarks;
    std::fs::create_dir_all(&out)?;
    let write = |name: &str, jpeg: Vec<u8>| std::fs::write(out.join(name), jpeg);
    write("reference.jpg", reference().encode_jpeg(92))?;
    write("straight.jpg", straight.encode_jpeg(90))?;
    write(
        "turn_left.jpg",
        turn_head(&straight, &landmarks, 30.0).encode_jpeg(90),
    )?;
    write(
        "turn_right.jpg",
        turn_head(&straight, &landmarks, -30.0).encode_jpeg(90),
    )?;
    Ok(())
}
