//! Projections in 8-bit integers on the CPU: weights quantized once per output column
//! (symmetric, one scale each), activations quantized per row at each product (one scale
//! each, stored unsigned with zero point 128), the product in 32-bit integers by rten-gemm
//! (AVX-512 VNNI, AVX2, Arm dot-product kernels, multithreaded on rayon's pool), then
//! scaled back to floats with the bias added. This is the scheme CTranslate2 and Marian
//! use on CPUs; unlike candle's Q8_0 (a float scale every 32 values, activations
//! requantized to Q8K) the inner loop stays in integers over the whole row.

use std::cell::RefCell;
use std::mem::MaybeUninit;

use rayon::prelude::*;
use rten_gemm::{
    GemmExecutor, GemmInputA, GemmInputB, GemmUninitOptions, PackedBMatrix, QuantParams,
};
use rten_tensor::NdTensorView;

/// The zero point of quantized activations: a float of 0 is stored as 128.
const ACTIVATION_ZERO: u8 = 128;

/// Adding this to a float in (−2²², 2²²) rounds it to the nearest integer (ties to even),
/// which then sits in the low bits of the sum's mantissa: rounding without a library call,
/// so the quantizing loop vectorizes.
const ROUNDING: f32 = 12_582_912.0;

thread_local! {
    /// The executor of this thread (rten's executors cannot move between threads). Every
    /// thread picks the same kernel for this CPU, so weights packed on one thread multiply
    /// on any other.
    static EXECUTOR: GemmExecutor<u8, i8, i32> = GemmExecutor::default();
}

thread_local! {
    /// This thread's buffer for integer products, kept between calls.
    static PRODUCTS: RefCell<Vec<MaybeUninit<i32>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's executor.
fn with_executor<T>(f: impl FnOnce(&GemmExecutor<u8, i8, i32>) -> T) -> T {
    EXECUTOR.with(f)
}

/// The largest weight magnitude. Kernels without VNNI add pairs of u8 × i8 products in
/// 16 bits, which saturates unless the weights stay within ±63.
fn weight_limit() -> f32 {
    if with_executor(|e| e.may_saturate()) {
        63.0
    } else {
        127.0
    }
}

/// A weight matrix (out × in) in 8-bit integers with a bias.
pub(super) struct Int8Linear {
    packed: PackedBMatrix<i8>,
    /// One scale per output column.
    scales: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

/// Quantizes `values` symmetrically to `limit`: the integers and the scale that maps them
/// back (0 for a row of zeros).
fn quantize_symmetric(values: &[f32], limit: f32) -> (Vec<i8>, f32) {
    let max = max_magnitude(values);
    if max == 0.0 {
        return (vec![0; values.len()], 0.0);
    }
    let inverse = limit / max;
    let quantized = values
        .iter()
        .map(|&v| (v * inverse).round().clamp(-limit, limit) as i8)
        .collect();
    (quantized, max / limit)
}

/// The largest absolute value, in sixteen lanes so that the loop vectorizes.
fn max_magnitude(values: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let chunks = values.chunks_exact(16);
    let tail = chunks.remainder().iter().fold(0f32, |m, v| m.max(v.abs()));
    for chunk in chunks {
        for (lane, v) in lanes.iter_mut().zip(chunk) {
            let v = v.abs();
            *lane = if v > *lane { v } else { *lane };
        }
    }
    lanes.iter().fold(tail, |m, &v| m.max(v))
}

/// Quantizes one row of activations to unsigned bytes around [`ACTIVATION_ZERO`];
/// returns the scale (0 for a row of zeros).
fn quantize_row(row: &[f32], out: &mut [u8]) -> f32 {
    let max = max_magnitude(row);
    if max == 0.0 || !max.is_finite() {
        out.fill(ACTIVATION_ZERO);
        return 0.0;
    }
    let inverse = 127.0 / max;
    let offset = ROUNDING + f32::from(ACTIVATION_ZERO);
    for (q, &v) in out.iter_mut().zip(row) {
        // v · inverse is within ±127, so the sum's low byte is round(v · inverse) + 128.
        *q = (v * inverse + offset).to_bits() as u8;
    }
    max / 127.0
}

impl Int8Linear {
    /// Quantizes `weight` (outputs × inputs, row-major) and packs it for the kernel.
    pub(super) fn new(weight: &[f32], bias: Vec<f32>, outputs: usize, inputs: usize) -> Self {
        let limit = weight_limit();
        // The kernel multiplies (rows × inputs) by (inputs × outputs): column j of that
        // matrix is row j of the weight, so the quantized weights are viewed transposed.
        let mut quantized = Vec::with_capacity(outputs * inputs);
        let mut scales = Vec::with_capacity(outputs);
        for row in weight.chunks_exact(inputs) {
            let (q, scale) = quantize_symmetric(row, limit);
            quantized.extend_from_slice(&q);
            scales.push(scale);
        }
        let view = NdTensorView::from_data([outputs, inputs], quantized.as_slice());
        let packed = with_executor(|e| e.prepack_b(view.transposed()));
        Int8Linear {
            packed,
            scales,
            bias,
            inputs,
            outputs,
        }
    }

    /// The number of outputs per row.
    pub(super) fn outputs(&self) -> usize {
        self.outputs
    }

    /// `input` (rows × inputs, row-major) times the weight, plus the bias: rows × outputs.
    pub(super) fn forward(&self, input: &[f32]) -> Result<Vec<f32>, String> {
        let mut out = Vec::new();
        self.forward_into(input, &mut out)?;
        Ok(out)
    }

    /// [`Int8Linear::forward`] into `out`, resized to fit (a buffer reused between calls
    /// costs no fresh memory: the 32 × 65,001 logits of a batch are 8 MB).
    pub(super) fn forward_into(&self, input: &[f32], out: &mut Vec<f32>) -> Result<(), String> {
        let inputs = self.inputs;
        if inputs == 0 || !input.len().is_multiple_of(inputs) {
            return Err(format!(
                "int8 projection: {} values are not rows of {inputs}",
                input.len()
            ));
        }
        let rows = input.len() / inputs;
        let mut quantized = vec![0u8; input.len()];
        let mut row_scales = vec![0f32; rows];
        quantized
            .par_chunks_mut(inputs)
            .zip(input.par_chunks(inputs))
            .zip(row_scales.par_iter_mut())
            .for_each(|((q, row), scale)| *scale = quantize_row(row, q));
        out.resize(rows * self.outputs, 0.0);
        PRODUCTS.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.multiply(rows, &quantized, &row_scales, &mut scratch, out),
            // Re-entered on this thread (a pool thread that took other work while waiting):
            // a buffer of its own.
            Err(_) => self.multiply(rows, &quantized, &row_scales, &mut Vec::new(), out),
        })
    }

    /// The integer product of quantized rows into `scratch`, scaled into `out`.
    fn multiply(
        &self,
        rows: usize,
        quantized: &[u8],
        row_scales: &[f32],
        scratch: &mut Vec<MaybeUninit<i32>>,
        out: &mut [f32],
    ) -> Result<(), String> {
        let outputs = self.outputs;
        scratch.resize_with(rows * outputs, MaybeUninit::uninit);
        let zeros = vec![ACTIVATION_ZERO; rows];
        let a = NdTensorView::from_data([rows, self.inputs], quantized);
        let products = with_executor(|e| {
            e.gemm_uninit(
                &mut scratch[..rows * outputs],
                GemmInputA::Unpacked(a),
                GemmInputB::Packed(&self.packed),
                GemmUninitOptions {
                    a_quant: Some(QuantParams { zero_point: &zeros }),
                    // Weights are symmetric: no zero point.
                    ..GemmUninitOptions::default()
                },
            )
        })
        .map_err(|e| format!("int8 projection: {e:?}"))?;
        let dequantize = |(out_row, (products, &row_scale)): (&mut [f32], (&[i32], &f32))| {
            for (((o, &p), &scale), &bias) in out_row
                .iter_mut()
                .zip(products)
                .zip(&self.scales)
                .zip(&self.bias)
            {
                *o = p as f32 * (row_scale * scale) + bias;
            }
        };
        if rows > 1 {
            out.par_chunks_mut(outputs)
                .zip(products.par_chunks(outputs).zip(row_scales.par_iter()))
                .for_each(dequantize);
        } else {
            out.chunks_mut(outputs)
                .zip(products.chunks(outputs).zip(row_scales.iter()))
                .for_each(dequantize);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A float product for comparison.
    fn reference(weight: &[f32], bias: &[f32], input: &[f32], inputs: usize) -> Vec<f32> {
        input
            .chunks(inputs)
            .flat_map(|row| {
                weight
                    .chunks(inputs)
                    .zip(bias)
                    .map(move |(w, b)| w.iter().zip(row).map(|(w, x)| w * x).sum::<f32>() + b)
            })
            .collect()
    }

    /// Values from a small deterministic generator, in (−1, 1).
    fn values(count: usize, seed: u32) -> Vec<f32> {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        (0..count)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state as f32 / u32::MAX as f32) * 2.0 - 1.0
            })
            .collect()
    }

    #[test]
    fn activations_round_to_the_nearest_step_around_128() {
        let mut out = [0u8; 5];
        let scale = quantize_row(&[1.0, -1.0, 0.0, 0.5, -0.2], &mut out);
        assert_eq!(out, [255, 1, 128, 192, 103]);
        assert!((scale - 1.0 / 127.0).abs() < 1e-9);
        let scale = quantize_row(&[0.0; 5], &mut out);
        assert_eq!((out, scale), ([128; 5], 0.0));
    }

    #[test]
    fn weights_quantize_to_the_limit_per_row() {
        let (q, scale) = quantize_symmetric(&[0.5, -0.25, 0.0, 0.125], 127.0);
        assert_eq!(q, [127, -64, 0, 32]);
        assert!((scale - 0.5 / 127.0).abs() < 1e-9);
        let (q, _) = quantize_symmetric(&[2.0, -1.0], 63.0);
        assert_eq!(q, [63, -32]);
    }

    /// The product computed from the same quantized values in 64-bit integers.
    fn integer_reference(weight: &[f32], bias: &[f32], input: &[f32], inputs: usize) -> Vec<f32> {
        let columns: Vec<(Vec<i8>, f32)> = weight
            .chunks(inputs)
            .map(|w| quantize_symmetric(w, weight_limit()))
            .collect();
        let mut out = Vec::new();
        for row in input.chunks(inputs) {
            let mut q = vec![0u8; inputs];
            let row_scale = quantize_row(row, &mut q);
            for ((qw, scale), b) in columns.iter().zip(bias) {
                let sum: i64 = q
                    .iter()
                    .zip(qw)
                    .map(|(&a, &w)| (i64::from(a) - 128) * i64::from(w))
                    .sum();
                out.push(sum as f32 * row_scale * scale + b);
            }
        }
        out
    }

    #[test]
    fn products_equal_the_integer_reference_and_track_float() {
        // Shapes that do not fill the kernel's tiles (rows, outputs) or its depth steps.
        for (rows, inputs, outputs) in [(1, 64, 40), (3, 36, 17), (32, 512, 96), (9, 130, 33)] {
            let weight = values(outputs * inputs, 1);
            let bias = values(outputs, 2);
            let input = values(rows * inputs, 3);
            let linear = Int8Linear::new(&weight, bias.clone(), outputs, inputs);
            let got = linear.forward(&input).expect("shapes agree");
            let exact = integer_reference(&weight, &bias, &input, inputs);
            let float = reference(&weight, &bias, &input, inputs);
            assert_eq!(got.len(), float.len());
            // Rounding to 1/127 of the largest value errs by at most half a step, about
            // 0.0023 in deviation for uniform values: each term x·w by about 0.002, a sum
            // of `inputs` terms by √inputs times that.
            let tolerance = 6.0 * (inputs as f32).sqrt() * 0.0025;
            for (i, ((g, e), f)) in got.iter().zip(&exact).zip(&float).enumerate() {
                assert!(
                    (g - e).abs() <= 1e-4 * (1.0 + e.abs()),
                    "{rows}×{inputs}→{outputs}, element {i}: {g}, integer reference {e}"
                );
                assert!(
                    (g - f).abs() < tolerance,
                    "{rows}×{inputs}→{outputs}, element {i}: {g}, float {f}"
                );
            }
        }
    }

    #[test]
    fn a_ragged_input_is_refused() {
        let linear = Int8Linear::new(&values(8, 1), vec![0.0; 2], 2, 4);
        let err = linear.forward(&[1.0; 6]).expect_err("6 is not rows of 4");
        assert!(err.contains("not rows of 4"), "{err}");
    }
}
