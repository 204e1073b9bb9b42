//! The Marian transformer on candle, written for batched translation: the encoder masks
//! padding, the decoder advances one token for every row of a batch with its self-attention
//! keys and values cached and the encoder's keys and values computed once per batch, and
//! rows can be reordered or dropped between steps (beam search, finished sentences).
//!
//! Weights and sizes are Hugging Face's `MarianMTModel`: post-norm layers, sinusoidal
//! positions (sines in the first half of each vector, cosines in the second), embeddings
//! scaled by √d_model when `scale_embedding`, the output projection tied to the embeddings
//! unless `tie_word_embeddings` is false, plus `final_logits_bias`.

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Storage, Tensor};
use candle_nn::{Embedding, LayerNorm, VarBuilder};
use rayon::prelude::*;

use super::int8::Int8Linear;
use serde::Deserialize;

/// A candle result.
pub type Result<T> = candle_core::Result<T>;

/// The activation between a layer's two feed-forward projections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Activation {
    /// `swish` / `silu` (OPUS-MT models).
    #[serde(alias = "swish", alias = "silu")]
    Swish,
    /// `relu`.
    #[serde(alias = "relu")]
    Relu,
    /// `gelu`: the exact, erf-based GELU.
    #[serde(alias = "gelu")]
    Gelu,
    /// `gelu_new`, `gelu_pytorch_tanh`: the tanh approximation.
    #[serde(alias = "gelu_new", alias = "gelu_pytorch_tanh", alias = "gelu_fast")]
    GeluTanh,
}

impl Activation {
    fn apply(self, xs: &Tensor) -> Result<Tensor> {
        match self {
            Activation::Swish => xs.silu(),
            Activation::Relu => xs.relu(),
            Activation::Gelu => xs.gelu_erf(),
            Activation::GeluTanh => xs.gelu(),
        }
    }
}

fn yes() -> bool {
    true
}

/// The architecture, from the model's `config.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// Source (and shared) vocabulary size.
    pub vocab_size: usize,
    /// Target vocabulary size, when it differs.
    #[serde(default)]
    pub decoder_vocab_size: Option<usize>,
    /// Longest input the positions cover.
    pub max_position_embeddings: usize,
    /// Model width.
    pub d_model: usize,
    /// Encoder layers.
    pub encoder_layers: usize,
    /// Encoder feed-forward width.
    pub encoder_ffn_dim: usize,
    /// Encoder attention heads.
    pub encoder_attention_heads: usize,
    /// Decoder layers.
    pub decoder_layers: usize,
    /// Decoder feed-forward width.
    pub decoder_ffn_dim: usize,
    /// Decoder attention heads.
    pub decoder_attention_heads: usize,
    /// Feed-forward activation.
    pub activation_function: Activation,
    /// Embeddings multiplied by √d_model.
    #[serde(default)]
    pub scale_embedding: bool,
    /// The token decoding starts from.
    pub decoder_start_token_id: u32,
    /// Padding.
    pub pad_token_id: u32,
    /// End of sentence.
    pub eos_token_id: u32,
    /// One embedding table for source and target.
    #[serde(default = "yes")]
    pub share_encoder_decoder_embeddings: bool,
    /// Output projection = target embeddings.
    #[serde(default = "yes")]
    pub tie_word_embeddings: bool,
}

impl Config {
    /// The target vocabulary size.
    pub fn target_vocab_size(&self) -> usize {
        self.decoder_vocab_size.unwrap_or(self.vocab_size)
    }
}

/// How the projections compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compute {
    /// The weights as published, in 32-bit floats.
    #[default]
    Float32,
    /// Weights quantized to 8-bit integers, activations likewise at each product (on the
    /// CPU one scale per weight column and per activation row, products in integers by
    /// rten-gemm; on other devices candle's Q8_0 blocks): about a quarter of the memory
    /// and several times the speed on CPUs, with outputs that can differ from float32's.
    Int8,
}

impl std::str::FromStr for Compute {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Compute, String> {
        match s {
            "float32" | "f32" => Ok(Compute::Float32),
            "int8" => Ok(Compute::Int8),
            other => Err(format!("unknown compute type {other:?}: float32 or int8")),
        }
    }
}

impl std::fmt::Display for Compute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Compute::Float32 => "float32",
            Compute::Int8 => "int8",
        })
    }
}

/// How a projection multiplies.
enum Product {
    /// candle: float32 anywhere, Q8_0 on other devices than the CPU.
    Candle(QMatMul),
    /// Our 8-bit integer path on the CPU (bias included).
    Int8(Int8Linear),
}

/// Whether projections on `device` take our 8-bit path ([`Int8Linear`]).
fn host_int8(compute: Compute, device: &Device) -> bool {
    compute == Compute::Int8 && device.is_cpu()
}

/// A weight matrix (out × in) with an optional bias, in float32 or quantized.
struct Projection {
    product: Product,
    bias: Option<Tensor>,
}

impl Projection {
    fn new(weight: Tensor, bias: Option<Tensor>, compute: Compute) -> Result<Projection> {
        let (outputs, inputs) = weight.dims2()?;
        if host_int8(compute, weight.device()) && inputs > 0 {
            let bias = match bias {
                Some(bias) => bias.to_vec1()?,
                None => vec![0.0; outputs],
            };
            let weight: Vec<f32> = weight.flatten_all()?.to_vec1()?;
            let linear = Int8Linear::new(&weight, bias, outputs, inputs);
            return Ok(Projection {
                product: Product::Int8(linear),
                bias: None,
            });
        }
        let matmul = if compute == Compute::Int8 && inputs % GgmlDType::Q8_0.block_size() == 0 {
            QMatMul::from_qtensor(QTensor::quantize(&weight, GgmlDType::Q8_0)?)?
        } else {
            QMatMul::Tensor(weight)
        };
        Ok(Projection {
            product: Product::Candle(matmul),
            bias,
        })
    }

    fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        let out = match &self.product {
            Product::Candle(matmul) => matmul.forward(xs)?,
            Product::Int8(linear) => {
                let mut shape = xs.dims().to_vec();
                if let Some(last) = shape.last_mut() {
                    *last = linear.outputs();
                }
                let input: Vec<f32> = xs.flatten_all()?.to_vec1()?;
                let out = linear.forward(&input).map_err(candle_core::Error::Msg)?;
                return Tensor::from_vec(out, shape, xs.device());
            }
        };
        match &self.bias {
            Some(bias) => out.broadcast_add(bias),
            None => Ok(out),
        }
    }
}

/// Sinusoidal position vectors, computed in f64 as the reference implementation does.
fn positions(count: usize, dim: usize, device: &Device) -> Result<Tensor> {
    let half = dim / 2 + dim % 2;
    let mut table = vec![0f32; count * dim];
    for pos in 0..count {
        for j in 0..dim {
            let angle = pos as f64 / 10000f64.powf((2 * (j / 2)) as f64 / dim as f64);
            let (column, value) = if j % 2 == 0 {
                (j / 2, angle.sin())
            } else {
                (half + j / 2, angle.cos())
            };
            table[pos * dim + column] = value as f32;
        }
    }
    Tensor::from_vec(table, (count, dim), device)
}

/// Multi-head attention with the query scaling folded into the query projection. Self-
/// attention projects its input to queries, keys and values in one fused product;
/// cross-attention projects its input to queries and the encoder's states to keys and
/// values (fused).
struct Attention {
    /// Self-attention: query, key and value; cross-attention: query.
    input: Projection,
    /// Cross-attention only: key and value of the encoder's states.
    memory: Option<Projection>,
    out: Projection,
    heads: usize,
    head_dim: usize,
}

fn weights(dim_in: usize, dim_out: usize, vb: &VarBuilder) -> Result<(Tensor, Tensor)> {
    Ok((
        vb.get((dim_out, dim_in), "weight")?,
        vb.get(dim_out, "bias")?,
    ))
}

fn linear(dim_in: usize, dim_out: usize, vb: VarBuilder, compute: Compute) -> Result<Projection> {
    let (weight, bias) = weights(dim_in, dim_out, &vb)?;
    Projection::new(weight, Some(bias), compute)
}

fn layer_norm(dim: usize, vb: VarBuilder) -> Result<LayerNorm> {
    let weight = vb.get(dim, "weight")?;
    let bias = vb.get(dim, "bias")?;
    Ok(LayerNorm::new(weight, bias, 1e-5))
}

impl Attention {
    fn new(
        dim: usize,
        heads: usize,
        vb: VarBuilder,
        compute: Compute,
        cross: bool,
    ) -> Result<Attention> {
        let head_dim = dim / heads;
        let scale = (head_dim as f64).powf(-0.5);
        let (wq, bq) = weights(dim, dim, &vb.pp("q_proj"))?;
        let (wq, bq) = ((wq * scale)?, (bq * scale)?);
        let (wk, bk) = weights(dim, dim, &vb.pp("k_proj"))?;
        let (wv, bv) = weights(dim, dim, &vb.pp("v_proj"))?;
        let (input, memory) = if cross {
            let kv = Projection::new(
                Tensor::cat(&[&wk, &wv], 0)?,
                Some(Tensor::cat(&[&bk, &bv], 0)?),
                compute,
            )?;
            (Projection::new(wq, Some(bq), compute)?, Some(kv))
        } else {
            let qkv = Projection::new(
                Tensor::cat(&[&wq, &wk, &wv], 0)?,
                Some(Tensor::cat(&[&bq, &bk, &bv], 0)?),
                compute,
            )?;
            (qkv, None)
        };
        Ok(Attention {
            input,
            memory,
            out: linear(dim, dim, vb.pp("out_proj"), compute)?,
            heads,
            head_dim,
        })
    }

    /// (rows, len, dim) → (rows, heads, len, head_dim).
    fn split_heads(&self, xs: &Tensor) -> Result<Tensor> {
        let (rows, len, _) = xs.dims3()?;
        xs.reshape((rows, len, self.heads, self.head_dim))?
            .transpose(1, 2)?
            .contiguous()
    }

    /// Attention of `query` (rows, heads, q_len, head_dim) over keys given transposed
    /// (rows, heads, head_dim, k_len) and values (rows, heads, k_len, head_dim), with an
    /// additive mask broadcast over the scores; the heads joined: (rows × q_len, dim).
    fn attend(
        &self,
        query: &Tensor,
        keys_t: &Tensor,
        values: &Tensor,
        mask: Option<&Tensor>,
    ) -> Result<Tensor> {
        let (rows, _, q_len, _) = query.dims4()?;
        let scores = query.matmul(keys_t)?;
        let scores = match mask {
            Some(mask) => scores.broadcast_add(mask)?,
            None => scores,
        };
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        weights
            .matmul(values)?
            .transpose(1, 2)?
            .reshape((rows * q_len, self.heads * self.head_dim))
    }

    /// Columns `part` (of `parts` equal parts) of a (rows × len, parts × dim) product, as
    /// (rows, heads, len, head_dim).
    fn part(&self, fused: &Tensor, part: usize, rows: usize, len: usize) -> Result<Tensor> {
        let dim = self.heads * self.head_dim;
        self.split_heads(
            &fused
                .narrow(1, part * dim, dim)?
                .reshape((rows, len, dim))?,
        )
    }
}

/// Single-query attention on the CPU over keys and values in plain memory: for each row
/// (in parallel) and head, the scores over `length(row)` positions, their softmax and the
/// weighted sum of the values. `at(row, position)` is where that position's vector starts.
struct HostAttention<'a, At, Len> {
    heads: usize,
    head_dim: usize,
    keys: &'a [f32],
    values: &'a [f32],
    at: At,
    length: Len,
}

impl<At, Len> HostAttention<'_, At, Len>
where
    At: Fn(usize, usize) -> usize + Sync,
    Len: Fn(usize) -> usize + Sync,
{
    /// `query` holds each row's query at `row * stride`; the result is (rows, dim).
    fn run(&self, query: &[f32], stride: usize, rows: usize) -> Vec<f32> {
        let dim = self.heads * self.head_dim;
        let mut out = vec![0f32; rows * dim];
        out.par_chunks_mut(dim)
            .enumerate()
            .for_each(|(row, out_row)| self.row(&query[row * stride..][..dim], row, out_row));
        out
    }

    /// One row: every head's scores position by position (each position's key vector is
    /// read once, whole, as the values are after the softmax: the cache is walked in
    /// contiguous runs rather than once per head).
    fn row(&self, query: &[f32], row: usize, out: &mut [f32]) {
        let (heads, hd) = (self.heads, self.head_dim);
        let dim = heads * hd;
        let len = (self.length)(row);
        // [head][position]
        let mut scores = vec![0f32; heads * len];
        for position in 0..len {
            let key = &self.keys[(self.at)(row, position)..][..dim];
            for (head, (q, k)) in query.chunks_exact(hd).zip(key.chunks_exact(hd)).enumerate() {
                scores[head * len + position] = dot(q, k);
            }
        }
        for head_scores in scores.chunks_exact_mut(len.max(1)) {
            let max = head_scores
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max);
            let mut total = 0f32;
            for score in head_scores.iter_mut() {
                *score = (*score - max).exp();
                total += *score;
            }
            for score in head_scores.iter_mut() {
                *score /= total;
            }
        }
        out.fill(0.0);
        for position in 0..len {
            let value = &self.values[(self.at)(row, position)..][..dim];
            for (head, (o, v)) in out
                .chunks_exact_mut(hd)
                .zip(value.chunks_exact(hd))
                .enumerate()
            {
                let weight = scores[head * len + position];
                for (o, v) in o.iter_mut().zip(v) {
                    *o += weight * v;
                }
            }
        }
    }
}

/// A dot product with eight running sums, which the compiler turns into vector code (one
/// running sum would keep the additions in order, one at a time).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for ((sum, x), y) in sums.iter_mut().zip(x).zip(y) {
            *sum += x * y;
        }
    }
    sums.iter().sum::<f32>() + tail
}

struct EncoderLayer {
    attention: Attention,
    attention_norm: LayerNorm,
    fc1: Projection,
    fc2: Projection,
    final_norm: LayerNorm,
}

struct DecoderLayer {
    attention: Attention,
    attention_norm: LayerNorm,
    cross: Attention,
    cross_norm: LayerNorm,
    fc1: Projection,
    fc2: Projection,
    final_norm: LayerNorm,
}

impl EncoderLayer {
    fn new(config: &Config, vb: VarBuilder, compute: Compute) -> Result<EncoderLayer> {
        let dim = config.d_model;
        Ok(EncoderLayer {
            attention: Attention::new(
                dim,
                config.encoder_attention_heads,
                vb.pp("self_attn"),
                compute,
                false,
            )?,
            attention_norm: layer_norm(dim, vb.pp("self_attn_layer_norm"))?,
            fc1: linear(dim, config.encoder_ffn_dim, vb.pp("fc1"), compute)?,
            fc2: linear(config.encoder_ffn_dim, dim, vb.pp("fc2"), compute)?,
            final_norm: layer_norm(dim, vb.pp("final_layer_norm"))?,
        })
    }
}

impl DecoderLayer {
    fn new(config: &Config, vb: VarBuilder, compute: Compute) -> Result<DecoderLayer> {
        let dim = config.d_model;
        let heads = config.decoder_attention_heads;
        Ok(DecoderLayer {
            attention: Attention::new(dim, heads, vb.pp("self_attn"), compute, false)?,
            attention_norm: layer_norm(dim, vb.pp("self_attn_layer_norm"))?,
            cross: Attention::new(dim, heads, vb.pp("encoder_attn"), compute, true)?,
            cross_norm: layer_norm(dim, vb.pp("encoder_attn_layer_norm"))?,
            fc1: linear(dim, config.decoder_ffn_dim, vb.pp("fc1"), compute)?,
            fc2: linear(config.decoder_ffn_dim, dim, vb.pp("fc2"), compute)?,
            final_norm: layer_norm(dim, vb.pp("final_layer_norm"))?,
        })
    }
}

/// The loaded network.
pub struct Network {
    config: Config,
    compute: Compute,
    source_embeddings: Embedding,
    target_embeddings: Embedding,
    positions: Tensor,
    embed_scale: f64,
    encoder: Vec<EncoderLayer>,
    decoder: Vec<DecoderLayer>,
    output: Projection,
    output_bias: Vec<f32>,
    device: Device,
    /// Decoder attention in plain memory (on the CPU) rather than as tensor operations.
    host_attention: bool,
}

/// The encoder's output for a batch of sentences, with the padding mask.
pub struct Encoded {
    /// (rows, len, d_model).
    pub states: Tensor,
    /// (rows, 1, 1, len): 0 for tokens, −∞ for padding.
    pub mask: Tensor,
    /// Each row's length without padding.
    pub lengths: Vec<usize>,
}

/// One decoder layer's keys and values: what the self-attention has seen so far and the
/// encoder's, in plain memory or as tensors.
enum LayerCache {
    Host {
        /// Self-attention keys and values, [position][row][dim].
        keys: Vec<f32>,
        values: Vec<f32>,
        /// The encoder's keys and values, [row][position][dim].
        cross_keys: Vec<f32>,
        cross_values: Vec<f32>,
    },
    Tensors {
        /// (rows, heads, step, head_dim) each.
        cache: Option<(Tensor, Tensor)>,
        /// (rows, heads, head_dim, len) and (rows, heads, len, head_dim).
        cross: (Tensor, Tensor),
    },
}

/// Where each row's past lives in the host caches, which are only ever appended to:
/// rows reordered or dropped (beam search, finished sentences) change these indexes, not
/// the keys and values.
#[derive(Default)]
struct HostIndex {
    /// Where each position's block starts in every layer's self-attention cache.
    offsets: Vec<usize>,
    /// Floats per layer written so far.
    written: usize,
    /// For each row, the row index it (or its ancestor) had at each position.
    ancestry: Vec<Vec<u32>>,
    /// For each row, its sentence's row in the encoder's keys and values.
    sentence: Vec<usize>,
}

/// Where decoding of a batch stands: one row per hypothesis.
pub struct DecoderState {
    layers: Vec<LayerCache>,
    /// The encoder's padded length.
    len: usize,
    /// The encoder's length for each row of the encoder's keys and values.
    lengths: Vec<usize>,
    host: HostIndex,
    /// (rows, 1, 1, len), for the tensor path.
    mask: Tensor,
    /// Tokens fed so far.
    pub step: usize,
}

fn embedding(vb: &VarBuilder, names: &[&str], rows: usize, dim: usize) -> Result<Tensor> {
    let mut last = None;
    for name in names {
        match vb.get((rows, dim), name) {
            Ok(t) => return Ok(t),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| candle_core::Error::Msg("no embedding names".into())))
}

/// The output projection and its bias in memory. The 8-bit path adds the bias as it
/// scales its products back; candle's leaves it to [`Network::step`]'s copy.
fn output_projection(
    weight: Tensor,
    bias: Tensor,
    compute: Compute,
) -> Result<(Projection, Vec<f32>)> {
    let int8 = host_int8(compute, weight.device());
    let projection = Projection::new(weight, int8.then(|| bias.clone()), compute)?;
    Ok((projection, bias.to_vec1()?))
}

impl Network {
    /// Builds the network from weights named as Hugging Face saves them.
    pub fn new(config: Config, vb: VarBuilder, compute: Compute) -> Result<Network> {
        let dim = config.d_model;
        let device = vb.device().clone();
        let target_vocab = config.target_vocab_size();
        let source = embedding(
            &vb,
            &[
                "model.shared.weight",
                "model.encoder.embed_tokens.weight",
                "model.decoder.embed_tokens.weight",
            ],
            config.vocab_size,
            dim,
        )?;
        let target = if config.share_encoder_decoder_embeddings {
            source.clone()
        } else {
            embedding(
                &vb,
                &["model.decoder.embed_tokens.weight"],
                target_vocab,
                dim,
            )?
        };
        let output = if config.tie_word_embeddings {
            target.clone()
        } else {
            vb.get((target_vocab, dim), "lm_head.weight")?
        };
        let output_bias = match vb.get((1, target_vocab), "final_logits_bias") {
            Ok(bias) => bias.reshape(target_vocab)?,
            Err(_) => Tensor::zeros(target_vocab, DType::F32, &device)?,
        };
        let encoder = (0..config.encoder_layers)
            .map(|i| {
                EncoderLayer::new(&config, vb.pp(format!("model.encoder.layers.{i}")), compute)
            })
            .collect::<Result<Vec<_>>>()?;
        let decoder = (0..config.decoder_layers)
            .map(|i| {
                DecoderLayer::new(&config, vb.pp(format!("model.decoder.layers.{i}")), compute)
            })
            .collect::<Result<Vec<_>>>()?;
        let (output, output_bias) = output_projection(output, output_bias, compute)?;
        Ok(Network {
            positions: positions(config.max_position_embeddings, dim, &device)?,
            embed_scale: if config.scale_embedding {
                (dim as f64).sqrt()
            } else {
                1.0
            },
            source_embeddings: Embedding::new(source, dim),
            target_embeddings: Embedding::new(target, dim),
            output,
            output_bias,
            host_attention: device.is_cpu(),
            encoder,
            decoder,
            config,
            compute,
            device,
        })
    }

    /// Decoder attention as tensor operations even on the CPU (the path other devices
    /// take; for tests).
    pub fn with_tensor_attention(mut self) -> Network {
        self.host_attention = false;
        self
    }

    /// The architecture.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// How the projections compute.
    pub fn compute(&self) -> Compute {
        self.compute
    }

    fn feed_forward(&self, fc1: &Projection, fc2: &Projection, xs: &Tensor) -> Result<Tensor> {
        let hidden = self.config.activation_function.apply(&fc1.forward(xs)?)?;
        fc2.forward(&hidden)
    }

    /// Encodes sentences of token ids (each ending in `</s>`), padded to the longest.
    pub fn encode(&self, sentences: &[Vec<u32>]) -> Result<Encoded> {
        let len = sentences.iter().map(Vec::len).max().unwrap_or(0).max(1);
        if len > self.config.max_position_embeddings {
            return Err(candle_core::Error::Msg(format!(
                "an input of {len} tokens is longer than the model's {} positions",
                self.config.max_position_embeddings
            )));
        }
        let pad = self.config.pad_token_id;
        let rows = sentences.len();
        let dim = self.config.d_model;
        let mut ids = Vec::with_capacity(rows * len);
        let mut mask = Vec::with_capacity(rows * len);
        for sentence in sentences {
            for i in 0..len {
                ids.push(sentence.get(i).copied().unwrap_or(pad));
                mask.push(if i < sentence.len() {
                    0f32
                } else {
                    f32::NEG_INFINITY
                });
            }
        }
        let ids = Tensor::from_vec(ids, (rows, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, 1, 1, len), &self.device)?;
        let positions = self.positions.narrow(0, 0, len)?;
        let mut xs = (self.source_embeddings.forward(&ids)? * self.embed_scale)?
            .broadcast_add(&positions)?
            .reshape((rows * len, dim))?;
        for layer in &self.encoder {
            let attention = &layer.attention;
            let qkv = attention.input.forward(&xs)?;
            let q = attention.part(&qkv, 0, rows, len)?;
            let k = attention.part(&qkv, 1, rows, len)?;
            let v = attention.part(&qkv, 2, rows, len)?;
            let attended =
                attention
                    .out
                    .forward(&attention.attend(&q, &k.t()?, &v, Some(&mask))?)?;
            xs = (xs + attended)?.apply(&layer.attention_norm)?;
            let hidden = self.feed_forward(&layer.fc1, &layer.fc2, &xs)?;
            xs = (&xs + hidden)?.apply(&layer.final_norm)?;
        }
        Ok(Encoded {
            states: xs.reshape((rows, len, dim))?,
            mask,
            lengths: sentences.iter().map(|s| s.len().max(1)).collect(),
        })
    }

    /// A decoder state for encoded sentences, row `i` reading sentence `rows[i]`.
    pub fn start(&self, encoded: &Encoded, rows: &[u32]) -> Result<DecoderState> {
        let index = Tensor::new(rows, &self.device)?;
        let (_, len, dim) = encoded.states.dims3()?;
        let count = rows.len();
        let states = encoded
            .states
            .index_select(&index, 0)?
            .reshape((count * len, dim))?;
        let layers = self
            .decoder
            .iter()
            .map(|layer| {
                let memory = layer.cross.memory.as_ref().ok_or_else(|| {
                    candle_core::Error::Msg("cross-attention without key/value weights".into())
                })?;
                let kv = memory.forward(&states)?;
                if self.host_attention {
                    let flat: Vec<f32> = kv.flatten_all()?.to_vec1()?;
                    let mut cross_keys = Vec::with_capacity(count * len * dim);
                    let mut cross_values = Vec::with_capacity(count * len * dim);
                    for pair in flat.chunks(2 * dim) {
                        cross_keys.extend_from_slice(&pair[..dim]);
                        cross_values.extend_from_slice(&pair[dim..]);
                    }
                    Ok(LayerCache::Host {
                        keys: Vec::new(),
                        values: Vec::new(),
                        cross_keys,
                        cross_values,
                    })
                } else {
                    let k = layer.cross.part(&kv, 0, count, len)?;
                    let v = layer.cross.part(&kv, 1, count, len)?;
                    Ok(LayerCache::Tensors {
                        cache: None,
                        cross: (k.t()?.contiguous()?, v),
                    })
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DecoderState {
            layers,
            len,
            lengths: rows
                .iter()
                .map(|&r| encoded.lengths.get(r as usize).copied().unwrap_or(len))
                .collect(),
            host: HostIndex {
                ancestry: vec![Vec::new(); count],
                sentence: (0..count).collect(),
                ..HostIndex::default()
            },
            mask: encoded.mask.index_select(&index, 0)?,
            step: 0,
        })
    }

    /// Self- and cross-attention of one layer for one step: the heads joined, (rows, dim),
    /// before the output projections.
    fn self_attention(
        &self,
        layer: &DecoderLayer,
        cache: &mut LayerCache,
        index: &HostIndex,
        xs: &Tensor,
    ) -> Result<Tensor> {
        let rows = index.ancestry.len();
        let attention = &layer.attention;
        let dim = self.config.d_model;
        let qkv = attention.input.forward(xs)?;
        match cache {
            LayerCache::Host { keys, values, .. } => {
                let flat: Vec<f32> = qkv.flatten_all()?.to_vec1()?;
                for row in flat.chunks(3 * dim) {
                    keys.extend_from_slice(&row[dim..2 * dim]);
                    values.extend_from_slice(&row[2 * dim..]);
                }
                let positions = index.offsets.len();
                let host = HostAttention {
                    heads: attention.heads,
                    head_dim: attention.head_dim,
                    keys,
                    values,
                    at: |row: usize, position: usize| {
                        index.offsets[position] + index.ancestry[row][position] as usize * dim
                    },
                    length: |_| positions,
                };
                Tensor::from_vec(host.run(&flat, 3 * dim, rows), (rows, dim), &self.device)
            }
            LayerCache::Tensors { cache, .. } => {
                let q = attention.part(&qkv, 0, rows, 1)?;
                let k = attention.part(&qkv, 1, rows, 1)?;
                let v = attention.part(&qkv, 2, rows, 1)?;
                let (keys, values) = match cache.take() {
                    Some((past_k, past_v)) => (
                        Tensor::cat(&[&past_k, &k], 2)?,
                        Tensor::cat(&[&past_v, &v], 2)?,
                    ),
                    None => (k, v),
                };
                let attended = attention.attend(&q, &keys.t()?, &values, None)?;
                *cache = Some((keys, values));
                Ok(attended)
            }
        }
    }

    fn cross_attention(
        &self,
        layer: &DecoderLayer,
        cache: &LayerCache,
        state: (&HostIndex, usize, &[usize], &Tensor),
        xs: &Tensor,
    ) -> Result<Tensor> {
        let (index, len, lengths, mask) = state;
        let rows = index.ancestry.len();
        let cross = &layer.cross;
        let dim = self.config.d_model;
        let q = cross.input.forward(xs)?;
        match cache {
            LayerCache::Host {
                cross_keys,
                cross_values,
                ..
            } => {
                let flat: Vec<f32> = q.flatten_all()?.to_vec1()?;
                let host = HostAttention {
                    heads: cross.heads,
                    head_dim: cross.head_dim,
                    keys: cross_keys,
                    values: cross_values,
                    at: |row, position| (index.sentence[row] * len + position) * dim,
                    length: |row| lengths[index.sentence[row]],
                };
                Tensor::from_vec(host.run(&flat, dim, rows), (rows, dim), &self.device)
            }
            LayerCache::Tensors { cross: (k, v), .. } => {
                let q = cross.part(&q, 0, rows, 1)?;
                cross.attend(&q, k, v, Some(mask))
            }
        }
    }

    /// Feeds one token per row and writes the next-token logits, (rows × vocabulary)
    /// row-major, into `logits` (resized to fit; a buffer kept between steps is reused
    /// without fresh memory). Returns the vocabulary size.
    pub fn step(
        &self,
        state: &mut DecoderState,
        tokens: &[u32],
        logits: &mut Vec<f32>,
    ) -> Result<usize> {
        let rows = tokens.len();
        if state.step >= self.config.max_position_embeddings {
            return Err(candle_core::Error::Msg(format!(
                "the output is longer than the model's {} positions",
                self.config.max_position_embeddings
            )));
        }
        let ids = Tensor::from_vec(tokens.to_vec(), rows, &self.device)?;
        let position = self.positions.narrow(0, state.step, 1)?;
        let mut xs =
            (self.target_embeddings.forward(&ids)? * self.embed_scale)?.broadcast_add(&position)?;
        let host = &mut state.host;
        host.offsets.push(host.written);
        host.written += rows * self.config.d_model;
        for (row, ancestry) in host.ancestry.iter_mut().enumerate() {
            ancestry.push(row as u32);
        }
        for (layer, cache) in self.decoder.iter().zip(state.layers.iter_mut()) {
            let attended = self.self_attention(layer, cache, &state.host, &xs)?;
            let attended = layer.attention.out.forward(&attended)?;
            xs = (xs + attended)?.apply(&layer.attention_norm)?;
            let attended = self.cross_attention(
                layer,
                cache,
                (&state.host, state.len, &state.lengths, &state.mask),
                &xs,
            )?;
            let attended = layer.cross.out.forward(&attended)?;
            xs = (xs + attended)?.apply(&layer.cross_norm)?;
            let hidden = self.feed_forward(&layer.fc1, &layer.fc2, &xs)?;
            xs = (&xs + hidden)?.apply(&layer.final_norm)?;
        }
        state.step += 1;
        if let Product::Int8(linear) = &self.output.product {
            let input: Vec<f32> = xs.flatten_all()?.to_vec1()?;
            linear
                .forward_into(&input, logits)
                .map_err(candle_core::Error::Msg)?;
            return Ok(linear.outputs());
        }
        let out = self.output.forward(&xs)?.to_dtype(DType::F32)?;
        let (rows, width) = out.dims2()?;
        logits.resize(rows * width, 0.0);
        let (storage, layout) = out.storage_and_layout();
        let copied;
        let source: &[f32] = match (&*storage, layout.contiguous_offsets()) {
            (Storage::Cpu(cpu), Some((start, end))) => &cpu.as_slice::<f32>()?[start..end],
            _ => {
                copied = out.flatten_all()?.to_vec1::<f32>()?;
                &copied
            }
        };
        let bias = &self.output_bias;
        logits
            .par_chunks_mut(width)
            .zip(source.par_chunks(width))
            .for_each(|(row, raw)| {
                for ((x, r), b) in row.iter_mut().zip(raw).zip(bias) {
                    *x = r + b;
                }
            });
        Ok(width)
    }

    /// Keeps the rows `keep` (in that order) of the self-attention caches, and of the
    /// encoder's keys and values when `cross` is true (rows dropped, not just reordered).
    /// On the host only indexes change.
    pub fn reorder(&self, state: &mut DecoderState, keep: &[u32], cross: bool) -> Result<()> {
        let host = &mut state.host;
        host.ancestry = keep
            .iter()
            .map(|&r| host.ancestry[r as usize].clone())
            .collect();
        host.sentence = keep.iter().map(|&r| host.sentence[r as usize]).collect();
        let index = Tensor::new(keep, &self.device)?;
        for layer in state.layers.iter_mut() {
            if let LayerCache::Tensors { cache, cross: kv } = layer {
                if let Some((k, v)) = cache.take() {
                    *cache = Some((k.index_select(&index, 0)?, v.index_select(&index, 0)?));
                }
                if cross {
                    *kv = (kv.0.index_select(&index, 0)?, kv.1.index_select(&index, 0)?);
                }
            }
        }
        if cross && !self.host_attention {
            state.mask = state.mask.index_select(&index, 0)?;
        }
        Ok(())
    }
}

/// Log-probabilities of a row of logits (max-subtracted, in f32).
pub fn log_softmax(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if max == f32::NEG_INFINITY {
        return;
    }
    let sum: f32 = row.iter().map(|&x| (x - max).exp()).sum();
    let log_sum = sum.ln() + max;
    for x in row.iter_mut() {
        *x -= log_sum;
    }
}
