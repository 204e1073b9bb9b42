//! The Marian transformer on candle, written for batched translation: the encoder masks
//! padding, the decoder advances one token for every row of a batch with its self-attention
//! keys and values cached and the encoder's keys and values computed once per batch, and
//! rows can be reordered or dropped between steps (beam search, finished sentences).
//!
//! Weights and sizes are Hugging Face's `MarianMTModel`: post-norm layers, sinusoidal
//! positions (sines in the first half of each vector, cosines in the second), embeddings
//! scaled by √d_model when `scale_embedding`, the output projection tied to the embeddings
//! unless `tie_word_embeddings` is false, plus `final_logits_bias`.

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder};
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

/// Multi-head attention with the query scaling folded into the query projection.
struct Attention {
    q: Linear,
    k: Linear,
    v: Linear,
    out: Linear,
    heads: usize,
    head_dim: usize,
}

fn linear(dim_in: usize, dim_out: usize, vb: VarBuilder) -> Result<Linear> {
    let weight = vb.get((dim_out, dim_in), "weight")?;
    let bias = vb.get(dim_out, "bias")?;
    Ok(Linear::new(weight, Some(bias)))
}

fn layer_norm(dim: usize, vb: VarBuilder) -> Result<LayerNorm> {
    let weight = vb.get(dim, "weight")?;
    let bias = vb.get(dim, "bias")?;
    Ok(LayerNorm::new(weight, bias, 1e-5))
}

impl Attention {
    fn new(dim: usize, heads: usize, vb: VarBuilder) -> Result<Attention> {
        let head_dim = dim / heads;
        let scale = (head_dim as f64).powf(-0.5);
        let q = linear(dim, dim, vb.pp("q_proj"))?;
        let q = Linear::new(
            (q.weight() * scale)?,
            q.bias().map(|b| b * scale).transpose()?,
        );
        Ok(Attention {
            q,
            k: linear(dim, dim, vb.pp("k_proj"))?,
            v: linear(dim, dim, vb.pp("v_proj"))?,
            out: linear(dim, dim, vb.pp("out_proj"))?,
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
    /// additive mask broadcast over the scores; the heads joined and projected.
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
            .reshape((rows, q_len, self.heads * self.head_dim))?
            .apply(&self.out)
    }
}

struct EncoderLayer {
    attention: Attention,
    attention_norm: LayerNorm,
    fc1: Linear,
    fc2: Linear,
    final_norm: LayerNorm,
}

struct DecoderLayer {
    attention: Attention,
    attention_norm: LayerNorm,
    cross: Attention,
    cross_norm: LayerNorm,
    fc1: Linear,
    fc2: Linear,
    final_norm: LayerNorm,
}

/// The loaded network.
pub struct Network {
    config: Config,
    source_embeddings: Embedding,
    target_embeddings: Embedding,
    positions: Tensor,
    embed_scale: f64,
    encoder: Vec<EncoderLayer>,
    decoder: Vec<DecoderLayer>,
    /// The output projection, (d_model, target vocabulary), contiguous.
    output_t: Tensor,
    output_bias: Tensor,
    device: Device,
}

/// The encoder's output for a batch of sentences, with the padding mask.
pub struct Encoded {
    /// (rows, len, d_model).
    pub states: Tensor,
    /// (rows, 1, 1, len): 0 for tokens, −∞ for padding.
    pub mask: Tensor,
}

/// Where decoding of a batch stands: one row per hypothesis.
pub struct DecoderState {
    /// Per layer: self-attention keys and values so far, (rows, heads, step, head_dim).
    cache: Vec<Option<(Tensor, Tensor)>>,
    /// Per layer: the encoder's keys (transposed) and values.
    cross: Vec<(Tensor, Tensor)>,
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

impl Network {
    /// Builds the network from weights named as Hugging Face saves them.
    pub fn new(config: Config, vb: VarBuilder) -> Result<Network> {
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
                let vb = vb.pp(format!("model.encoder.layers.{i}"));
                Ok(EncoderLayer {
                    attention: Attention::new(
                        dim,
                        config.encoder_attention_heads,
                        vb.pp("self_attn"),
                    )?,
                    attention_norm: layer_norm(dim, vb.pp("self_attn_layer_norm"))?,
                    fc1: linear(dim, config.encoder_ffn_dim, vb.pp("fc1"))?,
                    fc2: linear(config.encoder_ffn_dim, dim, vb.pp("fc2"))?,
                    final_norm: layer_norm(dim, vb.pp("final_layer_norm"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let decoder = (0..config.decoder_layers)
            .map(|i| {
                let vb = vb.pp(format!("model.decoder.layers.{i}"));
                let heads = config.decoder_attention_heads;
                Ok(DecoderLayer {
                    attention: Attention::new(dim, heads, vb.pp("self_attn"))?,
                    attention_norm: layer_norm(dim, vb.pp("self_attn_layer_norm"))?,
                    cross: Attention::new(dim, heads, vb.pp("encoder_attn"))?,
                    cross_norm: layer_norm(dim, vb.pp("encoder_attn_layer_norm"))?,
                    fc1: linear(dim, config.decoder_ffn_dim, vb.pp("fc1"))?,
                    fc2: linear(config.decoder_ffn_dim, dim, vb.pp("fc2"))?,
                    final_norm: layer_norm(dim, vb.pp("final_layer_norm"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Network {
            positions: positions(config.max_position_embeddings, dim, &device)?,
            embed_scale: if config.scale_embedding {
                (dim as f64).sqrt()
            } else {
                1.0
            },
            source_embeddings: Embedding::new(source, dim),
            target_embeddings: Embedding::new(target, dim),
            output_t: output.t()?.contiguous()?,
            output_bias,
            encoder,
            decoder,
            config,
            device,
        })
    }

    /// The architecture.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Token embeddings scaled, plus the positions from `start`.
    fn embed(&self, table: &Embedding, ids: &Tensor, start: usize) -> Result<Tensor> {
        let len = ids.dim(1)?;
        let positions = self.positions.narrow(0, start, len)?;
        (table.forward(ids)? * self.embed_scale)?.broadcast_add(&positions)
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
        let mut ids = Vec::with_capacity(sentences.len() * len);
        let mut mask = Vec::with_capacity(sentences.len() * len);
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
        let rows = sentences.len();
        let ids = Tensor::from_vec(ids, (rows, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, 1, 1, len), &self.device)?;
        let mut xs = self.embed(&self.source_embeddings, &ids, 0)?;
        for layer in &self.encoder {
            let attention = &layer.attention;
            let q = attention.split_heads(&xs.apply(&attention.q)?)?;
            let k = attention.split_heads(&xs.apply(&attention.k)?)?;
            let v = attention.split_heads(&xs.apply(&attention.v)?)?;
            let attended = attention.attend(&q, &k.t()?, &v, Some(&mask))?;
            xs = (xs + attended)?.apply(&layer.attention_norm)?;
            let hidden = self
                .config
                .activation_function
                .apply(&xs.apply(&layer.fc1)?)?;
            xs = (&xs + hidden.apply(&layer.fc2)?)?.apply(&layer.final_norm)?;
        }
        Ok(Encoded { states: xs, mask })
    }

    /// A decoder state for encoded sentences, row `i` reading sentence `rows[i]`.
    pub fn start(&self, encoded: &Encoded, rows: &[u32]) -> Result<DecoderState> {
        let index = Tensor::new(rows, &self.device)?;
        let states = encoded.states.index_select(&index, 0)?;
        let mask = encoded.mask.index_select(&index, 0)?;
        let cross = self
            .decoder
            .iter()
            .map(|layer| {
                let k = layer.cross.split_heads(&states.apply(&layer.cross.k)?)?;
                let v = layer.cross.split_heads(&states.apply(&layer.cross.v)?)?;
                Ok((k.t()?.contiguous()?, v))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DecoderState {
            cache: vec![None; self.decoder.len()],
            cross,
            mask,
            step: 0,
        })
    }

    /// Feeds one token per row and returns the next-token logits, (rows, vocabulary).
    pub fn step(&self, state: &mut DecoderState, tokens: &[u32]) -> Result<Tensor> {
        let rows = tokens.len();
        let ids = Tensor::from_vec(tokens.to_vec(), (rows, 1), &self.device)?;
        let mut xs = self.embed(&self.target_embeddings, &ids, state.step)?;
        for (i, layer) in self.decoder.iter().enumerate() {
            let attention = &layer.attention;
            let q = attention.split_heads(&xs.apply(&attention.q)?)?;
            let k = attention.split_heads(&xs.apply(&attention.k)?)?;
            let v = attention.split_heads(&xs.apply(&attention.v)?)?;
            let (keys, values) = match state.cache[i].take() {
                Some((past_k, past_v)) => (
                    Tensor::cat(&[&past_k, &k], 2)?,
                    Tensor::cat(&[&past_v, &v], 2)?,
                ),
                None => (k, v),
            };
            let attended = attention.attend(&q, &keys.t()?, &values, None)?;
            state.cache[i] = Some((keys, values));
            xs = (xs + attended)?.apply(&layer.attention_norm)?;
            let q = layer.cross.split_heads(&xs.apply(&layer.cross.q)?)?;
            let (keys_t, values) = &state.cross[i];
            let attended = layer.cross.attend(&q, keys_t, values, Some(&state.mask))?;
            xs = (xs + attended)?.apply(&layer.cross_norm)?;
            let hidden = self
                .config
                .activation_function
                .apply(&xs.apply(&layer.fc1)?)?;
            xs = (&xs + hidden.apply(&layer.fc2)?)?.apply(&layer.final_norm)?;
        }
        state.step += 1;
        let last = xs.reshape((rows, self.config.d_model))?;
        last.matmul(&self.output_t)?
            .broadcast_add(&self.output_bias)?
            .to_dtype(DType::F32)
    }

    /// Keeps the rows `keep` (in that order) of the self-attention caches, and of the
    /// encoder's keys and values when `cross` is true (rows dropped, not just reordered).
    pub fn reorder(&self, state: &mut DecoderState, keep: &[u32], cross: bool) -> Result<()> {
        let index = Tensor::new(keep, &self.device)?;
        for slot in state.cache.iter_mut() {
            if let Some((k, v)) = slot.take() {
                *slot = Some((k.index_select(&index, 0)?, v.index_select(&index, 0)?));
            }
        }
        if cross {
            for (k, v) in state.cross.iter_mut() {
                *k = k.index_select(&index, 0)?;
                *v = v.index_select(&index, 0)?;
            }
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
