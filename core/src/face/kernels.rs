//! Two operations tract runs slowly on these models' shapes, done here instead and swapped
//! into the decluttered graph before tract optimises the rest.
//!
//! tract walks strided max pools and depthwise convolutions one output point at a time with a
//! bounds check per tap: one 2×2 stride-2 pool of BlazeFace took 0.4 ms, more than the
//! convolutions around it (see `examples/profile_models.rs`). Here each kernel tap is folded
//! into the whole output plane at once as one contiguous run (see `Window::slide`), which the
//! compiler vectorises. Same arithmetic as the ONNX definitions; tests check both against
//! tract's own implementation on the geometries these models use and a few more.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::cnn::{Conv, KernelFormat, MaxPool, PoolSpec};
use tract_onnx::tract_core::ops::nn::DataFormat;

/// Where a 2-D window slides over NCHW images (or one CHW image); dilation 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Window {
    /// NCHW rather than CHW (tract drops a batch axis of 1 where it can).
    batched: bool,
    channels: usize,
    input: [usize; 2],
    output: [usize; 2],
    kernel: [usize; 2],
    stride: [usize; 2],
    /// Padding before the first row and the first column.
    pad: [usize; 2],
}

impl Window {
    /// The window of a pool or convolution over an NCHW or CHW f32 input of known shape, if
    /// it is one this module handles.
    fn of(spec: &PoolSpec, input: &TypedFact) -> Option<Window> {
        let shape = input.shape.as_concrete()?;
        let batched = match (spec.data_format, shape.len()) {
            (DataFormat::NCHW, 4) => true,
            (DataFormat::CHW, 3) => false,
            _ => return None,
        };
        let [c, h, w] = shape[shape.len() - 3..] else {
            return None;
        };
        if input.datum_type != f32::datum_type()
            || spec.kernel_shape.len() != 2
            || spec.dilations().iter().any(|&d| d != 1)
        {
            return None;
        }
        let geometry = spec.compute_geo(&input.shape).ok()?;
        let geometry = geometry.to_concrete(shape).ok()?;
        let patch = &geometry.patch;
        let window = Window {
            batched,
            channels: c,
            input: [h, w],
            output: [patch.output_shape[0], patch.output_shape[1]],
            kernel: [spec.kernel_shape[0], spec.kernel_shape[1]],
            stride: [patch.spec.strides[0], patch.spec.strides[1]],
            pad: [patch.pad_before[0], patch.pad_before[1]],
        };
        // Padding as wide as the kernel reads nothing but padding; leave such odd ones to tract.
        let sane = (0..2).all(|i| {
            window.output[i] > 0 && window.stride[i] > 0 && window.pad[i] < window.kernel[i]
        });
        sane.then_some(window)
    }

    /// Both ops' `TypedOp::output_facts`.
    fn output_facts(&self, input: &TypedFact) -> TractResult<TVec<TypedFact>> {
        let shape = input.shape.as_concrete().context("concrete input")?;
        Ok(tvec!(f32::fact(self.output_shape(shape))))
    }

    fn output_shape(&self, input_shape: &[usize]) -> TVec<usize> {
        let [oh, ow] = self.output;
        if self.batched {
            tvec!(input_shape[0], self.channels, oh, ow)
        } else {
            tvec!(self.channels, oh, ow)
        }
    }

    /// Sets the output plane to `init`, then calls `fold(tap, out, run)` once per kernel tap,
    /// with `run` the input values that tap reads for each value of `out`; padding reads as
    /// `pad`.
    ///
    /// The padded input is split into its stride phases (rows and columns taken every
    /// stride, from each offset), each laid out as a frame `frame_w` wide. Tap (ky, kx)
    /// reads phase (ky mod sh, kx mod sw) from (ky div sh, kx div sw) on, so over an output
    /// as wide as the frame every tap reads one contiguous run: a few long runs per plane,
    /// which the compiler vectorises. The frame's extra output columns are dropped.
    #[inline(always)]
    fn slide(
        &self,
        plane: &[f32],
        out_plane: &mut [f32],
        scratch: &mut Vec<f32>,
        [init, pad]: [f32; 2],
        mut fold: impl FnMut(usize, &mut [f32], &[f32]),
    ) {
        let [h, w] = self.input;
        let [oh, ow] = self.output;
        let [kh, kw] = self.kernel;
        let [sh, sw] = self.stride;
        let [pt, pl] = self.pad;
        let frame_h = oh - 1 + kh.div_ceil(sh);
        let frame_w = ow - 1 + kw.div_ceil(sw);
        // The last row's dropped columns read up to (kw − 1) / sw values past the frame.
        let phase_len = frame_h * frame_w + (kw - 1) / sw;
        let phases_len = sh * sw * phase_len;
        let n = oh * frame_w;
        scratch.clear();
        scratch.resize(phases_len, pad);
        scratch.resize(phases_len + n, init);
        let (phases, acc) = scratch.split_at_mut(phases_len);
        for (y, row) in plane.chunks_exact(w).take(h).enumerate() {
            let (py, fy) = ((y + pt) % sh, (y + pt) / sh);
            if fy >= frame_h {
                break;
            }
            // Column x goes to phase (x + pl) mod sw, frame column (x + pl) div sw.
            let frame_row = |px: usize| (py * sw + px) * phase_len + fy * frame_w;
            match sw {
                1 => {
                    let dst = &mut phases[frame_row(0) + pl..frame_row(0) + frame_w];
                    let len = dst.len().min(w);
                    dst[..len].copy_from_slice(&row[..len]);
                }
                2 => {
                    // Pairs of columns, one to each phase: a loop the compiler vectorises.
                    let (p0, p1) = (pl % 2, (pl + 1) % 2);
                    let (f0, f1) = (pl / 2, pl.div_ceil(2));
                    let (a0, a1) = (frame_row(p0), frame_row(p1));
                    let (lo, hi) = (a0.min(a1), a0.max(a1));
                    let (first, second) = phases.split_at_mut(hi);
                    let (lo_row, hi_row) = (&mut first[lo..lo + frame_w], &mut second[..frame_w]);
                    let (d0, d1) = if a0 < a1 {
                        (&mut lo_row[f0..], &mut hi_row[f1..])
                    } else {
                        (&mut hi_row[f0..], &mut lo_row[f1..])
                    };
                    let pairs = row.chunks_exact(2);
                    let last = pairs.remainder().first().copied();
                    let count = pairs.len();
                    for ((a, b), pair) in d0.iter_mut().zip(d1.iter_mut()).zip(pairs) {
                        *a = pair[0];
                        *b = pair[1];
                    }
                    if let (Some(v), Some(d)) = (last, d0.get_mut(count)) {
                        *d = v;
                    }
                }
                _ => {
                    for px in 0..sw {
                        let x0 = (px + sw - pl % sw) % sw;
                        let fx = (x0 + pl) / sw;
                        if x0 >= w || fx >= frame_w {
                            continue;
                        }
                        let dst = &mut phases[frame_row(px) + fx..frame_row(px) + frame_w];
                        for (d, &v) in dst.iter_mut().zip(row[x0..].iter().step_by(sw)) {
                            *d = v;
                        }
                    }
                }
            }
        }
        for ky in 0..kh {
            for kx in 0..kw {
                let phase = (ky % sh) * sw + kx % sw;
                let at = phase * phase_len + (ky / sh) * frame_w + kx / sw;
                fold(ky * kw + kx, acc, &phases[at..at + n]);
            }
        }
        for (out_row, acc_row) in out_plane
            .chunks_exact_mut(ow)
            .zip(acc.chunks_exact(frame_w))
        {
            out_row.copy_from_slice(&acc_row[..ow]);
        }
    }
}

/// One output plane from one input plane.
trait PlaneOp {
    fn plane(&self, channel: usize, input: &[f32], output: &mut [f32], scratch: &mut Vec<f32>);
}

/// Runs `op` over every image and channel of `input`.
fn map_planes<P: PlaneOp>(op: &P, window: &Window, input: &Tensor) -> TractResult<TValue> {
    let mut output = Tensor::zero::<f32>(&window.output_shape(input.shape()))?;
    {
        let input = input.try_as_plain_ram()?;
        let mut target = output.try_as_plain_ram_mut()?;
        each_plane_vectorised(
            op,
            window,
            input.as_slice::<f32>()?,
            target.as_slice_mut::<f32>()?,
        );
    }
    Ok(output.into_tvalue())
}

#[inline(always)]
fn each_plane<P: PlaneOp>(op: &P, window: &Window, source: &[f32], target: &mut [f32]) {
    let in_plane = window.input[0] * window.input[1];
    let out_plane = window.output[0] * window.output[1];
    let mut scratch = Vec::new();
    for (p, (src, dst)) in source
        .chunks_exact(in_plane)
        .zip(target.chunks_exact_mut(out_plane))
        .enumerate()
    {
        op.plane(p % window.channels, src, dst, &mut scratch);
    }
}

/// `each_plane`, compiled for AVX2 where the CPU has it (the crate's baseline is SSE2). The
/// crate's one use of `unsafe`: calling a function compiled for CPU features after checking
/// that the CPU has them.
#[allow(unsafe_code)]
fn each_plane_vectorised<P: PlaneOp>(op: &P, window: &Window, source: &[f32], target: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        unsafe fn with_avx2<P: PlaneOp>(
            op: &P,
            window: &Window,
            source: &[f32],
            target: &mut [f32],
        ) {
            each_plane(op, window, source, target)
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has the features `with_avx2` is compiled for.
            return unsafe { with_avx2(op, window, source, target) };
        }
    }
    each_plane(op, window, source, target)
}

/// Max pool; padding never wins (ONNX pads with −∞).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FrameMaxPool {
    window: Window,
}

impl Op for FrameMaxPool {
    fn name(&self) -> StaticName {
        "FrameMaxPool".into()
    }
    op_as_typed_op!();
}

impl EvalOp for FrameMaxPool {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let out = map_planes(self, &self.window, &inputs[0])?;
        Ok(tvec!(out))
    }
}

impl PlaneOp for FrameMaxPool {
    #[inline(always)]
    fn plane(&self, _: usize, input: &[f32], output: &mut [f32], scratch: &mut Vec<f32>) {
        self.window.slide(
            input,
            output,
            scratch,
            [f32::MIN, f32::MIN],
            #[inline(always)]
            |_, out, run| {
                for (o, &x) in out.iter_mut().zip(run) {
                    *o = if x > *o { x } else { *o };
                }
            },
        );
    }
}

impl TypedOp for FrameMaxPool {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        self.window.output_facts(inputs[0])
    }
    as_op!();
}

/// Depthwise convolution (one filter per channel) with its bias; padding is zeros.
#[derive(Debug, Clone)]
pub struct FrameDepthwise {
    window: Window,
    /// [channel][ky][kx].
    weights: Vec<f32>,
    /// One per channel.
    bias: Vec<f32>,
}

// tract compares ops; weights compare by bit pattern, as tract compares tensors.
impl PartialEq for FrameDepthwise {
    fn eq(&self, other: &Self) -> bool {
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        self.window == other.window
            && bits(&self.weights) == bits(&other.weights)
            && bits(&self.bias) == bits(&other.bias)
    }
}
impl Eq for FrameDepthwise {}

impl Op for FrameDepthwise {
    fn name(&self) -> StaticName {
        "FrameDepthwise".into()
    }
    op_as_typed_op!();
}

impl EvalOp for FrameDepthwise {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let out = map_planes(self, &self.window, &inputs[0])?;
        Ok(tvec!(out))
    }
}

impl PlaneOp for FrameDepthwise {
    #[inline(always)]
    fn plane(&self, channel: usize, input: &[f32], output: &mut [f32], scratch: &mut Vec<f32>) {
        let taps = self.window.kernel[0] * self.window.kernel[1];
        let k = &self.weights[channel * taps..(channel + 1) * taps];
        self.window.slide(
            input,
            output,
            scratch,
            [self.bias[channel], 0.0],
            #[inline(always)]
            |tap, out, run| {
                let k = k[tap];
                for (o, &x) in out.iter_mut().zip(run) {
                    *o += k * x;
                }
            },
        );
    }
}

impl TypedOp for FrameDepthwise {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        self.window.output_facts(inputs[0])
    }
    as_op!();
}

/// This module's replacement for a node, if it is one this module handles.
fn replacement(model: &TypedModel, node: &TypedNode) -> TractResult<Option<Box<dyn TypedOp>>> {
    let Some(&input) = node.inputs.first() else {
        return Ok(None);
    };
    let input = model.outlet_fact(input)?;
    if let Some(pool) = node.op_as::<MaxPool>() {
        if pool.with_index_outputs.is_some() {
            return Ok(None);
        }
        return Ok(Window::of(&pool.pool_spec, input).map(|window| {
            let op: Box<dyn TypedOp> = Box::new(FrameMaxPool { window });
            op
        }));
    }
    let Some(conv) = node.op_as::<Conv>() else {
        return Ok(None);
    };
    let channels = conv.input_channels();
    if conv.q_params.is_some()
        || conv.group != channels
        || conv.output_channels() != channels
        || conv.kernel_fmt != KernelFormat::OIHW
        || node.inputs.len() != 3
    {
        return Ok(None);
    }
    let Some(window) = Window::of(&conv.pool_spec, input) else {
        return Ok(None);
    };
    let (Some(weights), Some(bias)) = (
        model.outlet_fact(node.inputs[1])?.konst.clone(),
        model.outlet_fact(node.inputs[2])?.konst.clone(),
    ) else {
        return Ok(None);
    };
    let taps = window.kernel[0] * window.kernel[1];
    if weights.datum_type() != f32::datum_type()
        || weights.shape() != [channels, 1, window.kernel[0], window.kernel[1]]
        || bias.datum_type() != f32::datum_type()
    {
        return Ok(None);
    }
    let weights: Vec<f32> = weights
        .to_plain_array_view::<f32>()?
        .iter()
        .copied()
        .collect();
    let bias: Vec<f32> = bias.to_plain_array_view::<f32>()?.iter().copied().collect();
    let bias = match bias.len() {
        n if n == channels => bias,
        1 => vec![bias[0]; channels],
        _ => return Ok(None),
    };
    if weights.len() != channels * taps {
        return Ok(None);
    }
    Ok(Some(Box::new(FrameDepthwise {
        window,
        weights,
        bias,
    })))
}

/// Swaps every max pool and depthwise convolution of a decluttered model that this module
/// handles for its version.
pub fn swap_in(model: &mut TypedModel) -> TractResult<()> {
    for id in model.eval_order()? {
        let node = model.node(id);
        if let Some(op) = replacement(model, node)? {
            let inputs = [node.inputs[0]];
            TypedModelPatch::replace_single_op(model, node, &inputs, op)?.apply(model)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::tract_core::ops::cnn::PaddingSpec;

    /// Deterministic values in −1..1, different for every seed and index.
    fn values(n: usize, seed: u64) -> Vec<f32> {
        (0..n as u64)
            .map(|i| {
                let x = (i ^ seed.rotate_left(17))
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .rotate_left(29)
                    .wrapping_mul(0xBF58_476D_1CE4_E5B9);
                (x >> 40) as f32 / (1u64 << 23) as f32 - 1.0
            })
            .collect()
    }

    struct Case {
        /// NCHW; with `batched` false the batch of 1 is dropped (CHW).
        shape: [usize; 4],
        batched: bool,
        kernel: [usize; 2],
        stride: [usize; 2],
        padding: PaddingSpec,
    }

    fn case(
        shape: [usize; 4],
        kernel: [usize; 2],
        stride: [usize; 2],
        padding: PaddingSpec,
    ) -> Case {
        Case {
            shape,
            batched: true,
            kernel,
            stride,
            padding,
        }
    }

    fn explicit(before: [usize; 2], after: [usize; 2]) -> PaddingSpec {
        PaddingSpec::Explicit(tvec!(before[0], before[1]), tvec!(after[0], after[1]))
    }

    /// The geometries of BlazeFace and dlib's ResNet, and odd ones around them.
    fn cases() -> Vec<Case> {
        vec![
            case([1, 28, 64, 64], [2, 2], [2, 2], PaddingSpec::SameUpper),
            case([1, 3, 7, 9], [2, 2], [2, 2], PaddingSpec::SameUpper),
            case([1, 32, 72, 72], [3, 3], [2, 2], PaddingSpec::Valid),
            case([2, 5, 11, 13], [3, 3], [2, 2], PaddingSpec::Valid),
            case([1, 24, 64, 64], [3, 3], [1, 1], explicit([1, 1], [1, 1])),
            case([1, 28, 64, 64], [3, 3], [2, 2], explicit([0, 0], [1, 1])),
            case([1, 4, 9, 10], [5, 5], [2, 2], explicit([2, 2], [2, 2])),
            case([1, 3, 13, 14], [3, 2], [3, 3], PaddingSpec::Valid),
            case([1, 2, 8, 8], [3, 3], [1, 2], explicit([2, 0], [0, 2])),
            case([1, 3, 6, 7], [2, 3], [1, 1], explicit([0, 2], [1, 0])),
            case([1, 2, 5, 5], [3, 3], [1, 1], PaddingSpec::Valid),
            case([1, 96, 8, 8], [3, 3], [1, 1], explicit([1, 1], [1, 1])),
            case(
                [1, 3, 9, 9],
                [3, 3],
                [2, 2],
                PaddingSpec::ExplicitOnnxPool(tvec!(0, 0), tvec!(0, 0), true),
            ),
            // tract drops a batch of 1 where it can, as in BlazeFace's full-range model.
            chw(case(
                [1, 8, 12, 10],
                [3, 3],
                [1, 1],
                explicit([1, 1], [1, 1]),
            )),
            chw(case([1, 6, 9, 12], [2, 2], [2, 2], PaddingSpec::SameUpper)),
        ]
    }

    fn chw(c: Case) -> Case {
        Case {
            batched: false,
            ..c
        }
    }

    impl Case {
        fn dims(&self) -> Vec<usize> {
            self.shape[usize::from(!self.batched)..].to_vec()
        }
    }

    fn spec(c: &Case) -> PoolSpec {
        PoolSpec {
            data_format: if c.batched {
                DataFormat::NCHW
            } else {
                DataFormat::CHW
            },
            kernel_shape: tvec!(c.kernel[0], c.kernel[1]),
            padding: c.padding.clone(),
            dilations: None,
            strides: Some(tvec!(c.stride[0], c.stride[1])),
            input_channels: c.shape[1],
            output_channels: c.shape[1],
        }
    }

    /// Runs `model` on `input` as tract optimises it, and with this module's ops swapped in;
    /// returns both outputs and how many nodes were swapped.
    fn both_ways(model: TypedModel, input: &Tensor) -> (Vec<f32>, Vec<f32>, usize) {
        let run = |model: TypedModel| -> Vec<f32> {
            let out = model
                .into_optimized()
                .unwrap()
                .into_runnable()
                .unwrap()
                .run(tvec!(input.clone().into_tvalue()))
                .unwrap();
            out[0]
                .to_plain_array_view::<f32>()
                .unwrap()
                .iter()
                .copied()
                .collect()
        };
        let theirs = run(model.clone());
        let mut swapped = model.into_decluttered().unwrap();
        swap_in(&mut swapped).unwrap();
        let count = swapped
            .nodes()
            .iter()
            .filter(|n| n.op_is::<FrameMaxPool>() || n.op_is::<FrameDepthwise>())
            .count();
        (theirs, run(swapped), count)
    }

    fn input(shape: &[usize], seed: u64) -> Tensor {
        Tensor::from_shape(shape, &values(shape.iter().product(), seed)).unwrap()
    }

    #[test]
    fn max_pools_give_what_tract_gives() {
        for (i, c) in cases().into_iter().enumerate() {
            let mut model = TypedModel::default();
            let x = model.add_source("x", f32::fact(c.dims())).unwrap();
            let y = model
                .wire_node("pool", MaxPool::new(spec(&c), None), &[x])
                .unwrap();
            model.select_output_outlets(&y).unwrap();
            let (theirs, ours, swapped) = both_ways(model, &input(&c.dims(), i as u64));
            assert_eq!(swapped, 1, "case {i}");
            assert_eq!(theirs.len(), ours.len(), "case {i}");
            assert_eq!(theirs, ours, "case {i}");
        }
    }

    #[test]
    fn depthwise_convolutions_give_what_tract_gives() {
        for (i, c) in cases().into_iter().enumerate() {
            let channels = c.shape[1];
            for per_channel_bias in [true, false] {
                let mut model = TypedModel::default();
                let x = model.add_source("x", f32::fact(c.dims())).unwrap();
                let kernel_shape = [channels, 1, c.kernel[0], c.kernel[1]];
                let kernel = Tensor::from_shape(
                    &kernel_shape,
                    &values(kernel_shape.iter().product(), 100 + i as u64),
                )
                .unwrap();
                let bias = if per_channel_bias {
                    tensor1(&values(channels, 200 + i as u64))
                } else {
                    tensor0(0.25f32)
                };
                let k = model.add_const("k", kernel).unwrap();
                let b = model.add_const("b", bias).unwrap();
                let conv = Conv::new(spec(&c), KernelFormat::OIHW, channels, None);
                let y = model.wire_node("conv", conv, &[x, k, b]).unwrap();
                model.select_output_outlets(&y).unwrap();
                let (theirs, ours, swapped) = both_ways(model, &input(&c.dims(), i as u64));
                assert_eq!(swapped, 1, "case {i}");
                assert_eq!(theirs.len(), ours.len(), "case {i}");
                let worst = theirs
                    .iter()
                    .zip(&ours)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0f32, f32::max);
                assert!(worst < 1e-5, "case {i}: differs by {worst}");
            }
        }
    }

    #[test]
    fn other_convolutions_are_left_to_tract() {
        let c = case([1, 4, 8, 8], [3, 3], [1, 1], explicit([1, 1], [1, 1]));
        let mut model = TypedModel::default();
        let x = model.add_source("x", f32::fact(c.dims())).unwrap();
        let k = model
            .add_const(
                "k",
                Tensor::from_shape(&[4, 4, 3, 3], &values(144, 7)).unwrap(),
            )
            .unwrap();
        let b = model.add_const("b", tensor1(&[0f32; 4])).unwrap();
        let y = model
            .wire_node(
                "conv",
                Conv::new(spec(&c), KernelFormat::OIHW, 1, None),
                &[x, k, b],
            )
            .unwrap();
        model.select_output_outlets(&y).unwrap();
        let (theirs, ours, swapped) = both_ways(model, &input(&c.dims(), 9));
        assert_eq!(swapped, 0);
        assert_eq!(theirs, ours);
    }
}
