//! Where the face models spend their time in tract, op by op, on one thread: what to look at
//! before trying to make inference faster. `cargo run --release -p huijiao-core --features
//! face --example profile_models [MODEL_DIR]`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tract_onnx::prelude::*;

fn profile(path: &std::path::Path, side: usize, runs: usize) -> TractResult<()> {
    let plan = tract_onnx::onnx()
        .model_for_path(path)?
        .with_input_fact(0, f32::fact([1, 3, side, side]).into())?
        .into_optimized()?
        .into_runnable()?;
    let input: TValue = Tensor::zero::<f32>(&[1, 3, side, side])?.into();
    let mut per_op: BTreeMap<String, (Duration, usize)> = BTreeMap::new();
    let mut total = Duration::ZERO;
    let mut state = tract_onnx::tract_core::plan::SimpleState::new(&plan)?;
    for run in 0..runs + 3 {
        let start = Instant::now();
        state.run_plan_with_eval(tvec!(input.clone()), |ctx, op_state, node, inputs| {
            let t = Instant::now();
            let out = tract_onnx::tract_core::plan::eval(ctx, op_state, node, inputs);
            if run >= 3 {
                let e = per_op.entry(node.op().name().to_string()).or_default();
                e.0 += t.elapsed();
                e.1 += 1;
            }
            out
        })?;
        if run >= 3 {
            total += start.elapsed();
        }
    }
    println!(
        "{} ({} runs): {:.2} ms per run",
        path.display(),
        runs,
        total.as_secs_f64() * 1e3 / runs as f64
    );
    let mut rows: Vec<_> = per_op.into_iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1 .0));
    for (op, (t, n)) in rows {
        println!(
            "  {:>8.3} ms  {:>4} calls  {op}",
            t.as_secs_f64() * 1e3 / runs as f64,
            n / runs
        );
    }
    Ok(())
}

fn main() -> TractResult<()> {
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models")
        });
    profile(&dir.join("face_detection_short_range.onnx"), 128, 200)?;
    profile(&dir.join("dlib_face_recognition_resnet_v1.onnx"), 150, 50)?;
    Ok(())
}
