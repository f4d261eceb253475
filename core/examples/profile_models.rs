//! Where the face models spend their time in tract, op by op, on one thread: what to look at
//! before trying to make inference faster. Each model runs as the engine runs it (with the
//! max pools and depthwise convolutions of `face/kernels.rs`) and as tract alone runs it, in the same process.
//! `cargo run --release -p huijiao-core --features face --example profile_models [MODEL_DIR]`;
//! `PROFILE_NODES=1` adds a line per node with its output shape.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tract_onnx::prelude::*;

fn profile(path: &std::path::Path, side: usize, runs: usize, own_kernels: bool) -> TractResult<()> {
    let plan = huijiao_core::face::models::optimised(
        tract_onnx::onnx().model_for_path(path)?,
        [1, 3, side, side],
        own_kernels,
    )?
    .into_runnable()?;
    let input: TValue = Tensor::zero::<f32>(&[1, 3, side, side])?.into();
    let mut per_op: BTreeMap<String, (Duration, usize)> = BTreeMap::new();
    let mut per_node: BTreeMap<usize, Duration> = BTreeMap::new();
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
                *per_node.entry(node.id).or_default() += t.elapsed();
            }
            out
        })?;
        if run >= 3 {
            total += start.elapsed();
        }
    }
    println!(
        "{} {} ({} runs): {:.2} ms per run",
        path.file_name().unwrap_or_default().to_string_lossy(),
        if own_kernels {
            "as the engine runs it"
        } else {
            "in tract alone"
        },
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
    if std::env::var_os("PROFILE_NODES").is_some() {
        for (id, t) in per_node {
            let node = plan.model().node(id);
            let shape = plan
                .model()
                .outlet_fact(OutletId::new(id, 0))?
                .shape
                .as_concrete()
                .map(|s| format!("{s:?}"))
                .unwrap_or_default();
            println!(
                "    {:>7.1} us  {:<14} {shape:<16} {}",
                t.as_secs_f64() * 1e6 / runs as f64,
                node.op().name(),
                node.op().info()?.join(" ")
            );
        }
    }
    Ok(())
}

fn main() -> TractResult<()> {
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
                .join("../../shared/models")
        });
    for own_kernels in [true, false] {
        profile(
            &dir.join("face_detection_short_range.onnx"),
            128,
            200,
            own_kernels,
        )?;
        profile(
            &dir.join("dlib_face_recognition_resnet_v1.onnx"),
            150,
            50,
            own_kernels,
        )?;
    }
    Ok(())
}
