//! The built-in engine's model: a Marian (OPUS-MT) directory as Hugging Face publishes it
//! (`config.json`, `model.safetensors` or `pytorch_model.bin`, `source.spm`, `target.spm`,
//! `vocab.json`, `generation_config.json`), loaded on candle with no conversion step, and
//! translated by greedy or beam search in batches (see [`network`] and [`search`]).

mod int8;
pub mod network;
pub mod search;

use std::path::Path;

use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use serde_json::Value;

use crate::engine::EngineError;
use crate::spm::{MarianVocab, SentencePiece};
pub use network::{Compute, Config, Network};
pub use search::{EarlyStopping, Search, Specials};

/// A loaded Marian model with its tokenizers and generation settings.
pub struct MarianModel {
    network: Network,
    specials: Specials,
    /// Source tokenizer.
    pub source: SentencePiece,
    /// Target tokenizer.
    pub target: SentencePiece,
    /// The shared vocabulary.
    pub vocab: MarianVocab,
    /// The search generation_config.json asks for (beams, length penalty, maximum length).
    pub search: Search,
    /// The weights file loaded.
    pub weights: String,
}

fn failed(dir: &Path, what: &str, error: impl std::fmt::Display) -> EngineError {
    EngineError::Config(format!("{}: {what}: {error}", dir.display()))
}

/// The device models run on: the first CUDA GPU when built with the `cuda` feature and
/// one is present, else the CPU.
pub fn default_device() -> Device {
    #[cfg(feature = "cuda")]
    if let Ok(device) = Device::new_cuda(0) {
        return device;
    }
    Device::Cpu
}

/// The search generation_config.json describes (Hugging Face's defaults where it is
/// silent, the config's own maximum length last).
fn search_from(generation: &Value, config: &Config) -> Search {
    let defaults = Search::default();
    Search {
        beams: generation["num_beams"]
            .as_u64()
            .map_or(1, |n| n.max(1) as usize),
        max_length: generation["max_length"]
            .as_u64()
            .map_or(config.max_position_embeddings, |n| n as usize)
            .max(2),
        length_penalty: generation["length_penalty"]
            .as_f64()
            .map_or(defaults.length_penalty, |p| p as f32),
        early_stopping: match &generation["early_stopping"] {
            Value::Bool(true) => EarlyStopping::Immediate,
            Value::String(s) if s == "never" => EarlyStopping::Never,
            _ => EarlyStopping::Heuristic,
        },
        renormalize: generation["renormalize_logits"].as_bool().unwrap_or(false),
        fixed_steps: None,
    }
}

impl MarianModel {
    /// Loads a model directory on `device`, from `weights` (`model.safetensors` or
    /// `pytorch_model.bin`; the first present when `None`), computing in `compute`.
    pub fn load(
        dir: &Path,
        weights: Option<&str>,
        device: &Device,
        compute: Compute,
    ) -> Result<MarianModel, EngineError> {
        let text = std::fs::read_to_string(dir.join("config.json"))
            .map_err(|e| failed(dir, "config.json", e))?;
        let config: Config =
            serde_json::from_str(&text).map_err(|e| failed(dir, "config.json", e))?;
        let file = match weights {
            Some(file) => file.to_string(),
            None => ["model.safetensors", "pytorch_model.bin"]
                .into_iter()
                .find(|f| dir.join(f).is_file())
                .ok_or_else(|| {
                    failed(
                        dir,
                        "weights",
                        "neither model.safetensors nor pytorch_model.bin",
                    )
                })?
                .to_string(),
        };
        let path = dir.join(&file);
        let vb = if file.ends_with(".safetensors") {
            let bytes = std::fs::read(&path).map_err(|e| failed(dir, &file, e))?;
            VarBuilder::from_buffered_safetensors(bytes, DType::F32, device)
                .map_err(|e| failed(dir, &file, e))?
        } else {
            VarBuilder::from_pth(&path, DType::F32, device).map_err(|e| failed(dir, &file, e))?
        };
        let generation: Value = match std::fs::read_to_string(dir.join("generation_config.json")) {
            Ok(text) => {
                serde_json::from_str(&text).map_err(|e| failed(dir, "generation_config.json", e))?
            }
            Err(_) => Value::Null,
        };
        let search = search_from(&generation, &config);
        let specials = Specials {
            start: config.decoder_start_token_id,
            eos: config.eos_token_id,
            pad: config.pad_token_id,
        };
        let network = Network::new(config, vb, compute).map_err(|e| failed(dir, &file, e))?;
        Ok(MarianModel {
            network,
            specials,
            source: SentencePiece::open(&dir.join("source.spm"))?,
            target: SentencePiece::open(&dir.join("target.spm"))?,
            vocab: MarianVocab::open(&dir.join("vocab.json"))?,
            search,
            weights: file,
        })
    }

    /// The architecture.
    pub fn config(&self) -> &Config {
        self.network.config()
    }

    /// How the projections compute.
    pub fn compute(&self) -> Compute {
        self.network.compute()
    }

    /// Decoder attention as tensor operations, as on GPUs (for tests on the CPU).
    pub fn with_tensor_attention(mut self) -> MarianModel {
        self.network = self.network.with_tensor_attention();
        self
    }

    /// Output ids for a batch of input ids (each ending in `</s>`): the start token
    /// first, `</s>` last; `terms[i]` are token sequences output `i` must contain.
    pub fn generate(
        &self,
        search: &Search,
        inputs: &[Vec<u32>],
        terms: &[Vec<Vec<u32>>],
    ) -> Result<Vec<Vec<u32>>, EngineError> {
        search::generate(&self.network, self.specials, search, inputs, terms).map_err(|e| {
            EngineError::Failed {
                engine: "marian".to_owned(),
                message: e.to_string(),
            }
        })
    }

    /// Greedy output ids for one input.
    pub fn greedy(&self, input: &[u32]) -> Result<Vec<u32>, EngineError> {
        let search = Search {
            beams: 1,
            ..self.search.clone()
        };
        let mut out = self.generate(&search, &[input.to_vec()], &[])?;
        Ok(out.pop().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::network::DecoderState;
    use super::*;
    use serde_json::Value;

    fn fixture() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tiny-zh-en")
    }

    fn ids(value: &Value) -> Vec<u32> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_u64())
            .map(|v| v as u32)
            .collect()
    }

    #[test]
    fn greedy_ids_are_the_reference_implementation_s_from_either_weight_file() {
        let reference: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture().join("reference.json")).expect("reads"),
        )
        .expect("json");
        for weights in ["model.safetensors", "pytorch_model.bin"] {
            let model =
                MarianModel::load(&fixture(), Some(weights), &Device::Cpu, Compute::Float32)
                    .expect("loads");
            for case in reference["greedy"].as_array().expect("cases") {
                let text = case["text"].as_str().expect("text");
                let input = model.vocab.encode(&model.source, text);
                assert_eq!(input, ids(&case["input_ids"]), "{text}");
                assert_eq!(
                    model.greedy(&input).expect("decodes"),
                    ids(&case["output_ids"]),
                    "{weights}: {text}"
                );
            }
        }
    }

    fn reference() -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(fixture().join("reference.json")).expect("reads"),
        )
        .expect("json")
    }

    /// Output ids up to and including the first `</s>` (the reference pads after it).
    fn trimmed(mut ids: Vec<u32>, eos: u32) -> Vec<u32> {
        if let Some(end) = ids.iter().skip(1).position(|&t| t == eos) {
            ids.truncate(end + 2);
        }
        ids
    }

    /// The fixture model with decoder attention in plain memory (the CPU path) and as
    /// tensor operations (the path of other devices).
    fn both_paths() -> [MarianModel; 2] {
        let load =
            || MarianModel::load(&fixture(), None, &Device::Cpu, Compute::Float32).expect("loads");
        [load(), load().with_tensor_attention()]
    }

    #[test]
    fn beam_search_ids_are_the_reference_implementation_s() {
        for model in both_paths() {
            beam_search_matches(&model);
        }
    }

    fn beam_search_matches(model: &MarianModel) {
        assert_eq!(model.search.beams, 4);
        assert_eq!(model.search.max_length, 24);
        assert!(model.search.renormalize);
        let cases = reference()["beam4"].as_array().expect("cases").clone();
        for case in &cases {
            let input = ids(&case["input_ids"]);
            let out = model
                .generate(&model.search, std::slice::from_ref(&input), &[])
                .expect("decodes");
            assert_eq!(out[0], ids(&case["output_ids"]), "{}", case["text"]);
        }
        // Batched, each sentence gets what it gets alone.
        let inputs: Vec<Vec<u32>> = cases.iter().map(|c| ids(&c["input_ids"])).collect();
        let out = model
            .generate(&model.search, &inputs, &[])
            .expect("decodes");
        for (case, got) in cases.iter().zip(out) {
            assert_eq!(got, ids(&case["output_ids"]), "batched {}", case["text"]);
        }
    }

    #[test]
    fn batched_greedy_with_padding_is_the_reference_implementation_s() {
        for model in both_paths() {
            batched_greedy_matches(&model);
        }
    }

    fn batched_greedy_matches(model: &MarianModel) {
        let batched = &reference()["batched"];
        let texts: Vec<&str> = batched["texts"]
            .as_array()
            .expect("texts")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let inputs: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| model.vocab.encode(&model.source, t))
            .collect();
        let lengths: std::collections::BTreeSet<usize> = inputs.iter().map(Vec::len).collect();
        assert!(lengths.len() > 1, "the batch must need padding");
        let greedy = Search {
            beams: 1,
            ..model.search.clone()
        };
        let out = model.generate(&greedy, &inputs, &[]).expect("decodes");
        let expected = batched["greedy_output_ids"].as_array().expect("ids");
        for ((text, got), want) in texts.iter().zip(out).zip(expected) {
            assert_eq!(got, trimmed(ids(want), model.vocab.eos), "{text}");
        }
    }

    #[test]
    fn required_terms_come_out_in_greedy_and_beam_search() {
        let model =
            MarianModel::load(&fixture(), None, &Device::Cpu, Compute::Float32).expect("loads");
        let input = model
            .vocab
            .encode(&model.source, "集装箱应符合本标准的规定。");
        let shall = model.vocab.encode(&model.target, "shall");
        let container = model.vocab.encode(&model.target, "freight container");
        let terms = vec![
            shall[..shall.len() - 1].to_vec(),
            container[..container.len() - 1].to_vec(),
        ];
        for beams in [1, 4] {
            let search = Search {
                beams,
                ..model.search.clone()
            };
            let out = model
                .generate(
                    &search,
                    std::slice::from_ref(&input),
                    std::slice::from_ref(&terms),
                )
                .expect("decodes");
            let text = model.vocab.decode(&out[0]);
            assert!(text.contains("shall"), "{beams} beams: {text}");
            assert!(text.contains("freight container"), "{beams} beams: {text}");
            assert!(out[0].len() <= search.max_length, "{out:?}");
            assert_eq!(out[0].last(), Some(&model.vocab.eos));
        }
    }

    #[test]
    fn fixed_length_runs_generate_exactly_that_many_tokens() {
        let model =
            MarianModel::load(&fixture(), None, &Device::Cpu, Compute::Float32).expect("loads");
        let inputs = vec![
            model.vocab.encode(&model.source, "试验方法见附录A。"),
            model
                .vocab
                .encode(&model.source, "标志、包装、运输和贮存。"),
        ];
        for beams in [1, 4] {
            let search = Search {
                beams,
                fixed_steps: Some(40),
                ..model.search.clone()
            };
            let out = model.generate(&search, &inputs, &[]).expect("decodes");
            for ids in out {
                assert_eq!(ids.len(), 41, "{beams} beams");
                assert!(!ids[1..].contains(&model.vocab.eos));
            }
        }
    }

    /// Random weights for a network of a size int8 blocks fit (d_model 64).
    fn random_weights() -> (
        Config,
        std::collections::HashMap<String, candle_core::Tensor>,
    ) {
        use candle_core::Tensor;
        let config: Config = serde_json::from_value(serde_json::json!({
            "vocab_size": 300, "max_position_embeddings": 64, "d_model": 64,
            "encoder_layers": 2, "encoder_ffn_dim": 128, "encoder_attention_heads": 4,
            "decoder_layers": 2, "decoder_ffn_dim": 128, "decoder_attention_heads": 4,
            "activation_function": "swish", "scale_embedding": true,
            "decoder_start_token_id": 299, "pad_token_id": 299, "eos_token_id": 0
        }))
        .expect("config");
        use rand::{Rng, SeedableRng};
        let device = Device::Cpu;
        let mut tensors = std::collections::HashMap::new();
        // Seeded, so the test sees the same network every run: uniform values with the
        // given mean and standard deviation.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut add = |name: String, shape: &[usize], mean: f32, std: f32| {
            let count: usize = shape.iter().product();
            let half_width = std * 3f32.sqrt();
            let values: Vec<f32> = (0..count)
                .map(|_| mean + rng.random_range(-half_width..half_width))
                .collect();
            let t = Tensor::from_vec(values, shape, &device).expect("tensor");
            tensors.insert(name, t);
        };
        add("model.shared.weight".into(), &[300, 64], 0.0, 0.5);
        add("final_logits_bias".into(), &[1, 300], 0.0, 0.01);
        for side in ["encoder", "decoder"] {
            for i in 0..2 {
                let base = format!("model.{side}.layers.{i}");
                let mut attentions = vec!["self_attn"];
                if side == "decoder" {
                    attentions.push("encoder_attn");
                }
                for a in attentions {
                    for p in ["q_proj", "k_proj", "v_proj", "out_proj"] {
                        add(format!("{base}.{a}.{p}.weight"), &[64, 64], 0.0, 0.125);
                        add(format!("{base}.{a}.{p}.bias"), &[64], 0.0, 0.02);
                    }
                    add(format!("{base}.{a}_layer_norm.weight"), &[64], 1.0, 0.05);
                    add(format!("{base}.{a}_layer_norm.bias"), &[64], 0.0, 0.05);
                }
                add(format!("{base}.fc1.weight"), &[128, 64], 0.0, 0.125);
                add(format!("{base}.fc1.bias"), &[128], 0.0, 0.02);
                add(format!("{base}.fc2.weight"), &[64, 128], 0.0, 0.09);
                add(format!("{base}.fc2.bias"), &[64], 0.0, 0.02);
                add(format!("{base}.final_layer_norm.weight"), &[64], 1.0, 0.05);
                add(format!("{base}.final_layer_norm.bias"), &[64], 0.0, 0.05);
            }
        }
        (config, tensors)
    }

    /// One step's logits, a row each.
    fn step_rows(network: &Network, state: &mut DecoderState, tokens: &[u32]) -> Vec<Vec<f32>> {
        let mut logits = Vec::new();
        let width = network.step(state, tokens, &mut logits).expect("steps");
        logits.chunks(width).map(<[f32]>::to_vec).collect()
    }

    #[test]
    fn int8_logits_track_float32_s() {
        let (config, weights) = random_weights();
        let build = |compute| {
            let vb = VarBuilder::from_tensors(weights.clone(), DType::F32, &Device::Cpu);
            Network::new(config.clone(), vb, compute).expect("builds")
        };
        let (float, int8) = (build(Compute::Float32), build(Compute::Int8));
        let inputs = vec![
            vec![5, 17, 42, 8, 0],
            vec![100, 7, 0],
            vec![3, 250, 61, 77, 12, 9, 0],
        ];
        let rows: Vec<u32> = (0..inputs.len() as u32).collect();
        let mut states = [&float, &int8].map(|n| {
            let encoded = n.encode(&inputs).expect("encodes");
            n.start(&encoded, &rows).expect("starts")
        });
        let mut tokens = vec![299u32; inputs.len()];
        let (mut agree, mut total) = (0, 0);
        for _ in 0..12 {
            let a = step_rows(&float, &mut states[0], &tokens);
            let b = step_rows(&int8, &mut states[1], &tokens);
            for (row, (a, b)) in a.iter().zip(&b).enumerate() {
                let norm: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
                let diff: f32 = a
                    .iter()
                    .zip(b)
                    .map(|(x, y)| (x - y) * (x - y))
                    .sum::<f32>()
                    .sqrt();
                assert!(diff / norm < 0.05, "relative error {}", diff / norm);
                assert!(diff > 0.0, "int8 computes differently");
                let best = |v: &[f32]| {
                    (0..v.len())
                        .max_by(|&i, &j| v[i].total_cmp(&v[j]))
                        .unwrap_or(0) as u32
                };
                agree += usize::from(best(a) == best(b));
                total += 1;
                tokens[row] = best(a);
            }
        }
        eprintln!("int8: {agree} of {total} top tokens agree");
        assert!(
            agree * 10 >= total * 9,
            "{agree} of {total} top tokens agree"
        );
    }

    /// Rows reordered or dropped mid-decoding (as beam search and finished sentences do)
    /// give the logits a fresh start on those rows gives, on both attention paths.
    #[test]
    fn reordered_rows_keep_their_own_past() {
        for model in both_paths() {
            let network = &model.network;
            let inputs: Vec<Vec<u32>> = [
                "试验方法见附录A。",
                "标志、包装、运输和贮存。",
                "本标准代替GB/T 1413—2008。",
            ]
            .iter()
            .map(|t| model.vocab.encode(&model.source, t))
            .collect();
            let encoded = network.encode(&inputs).expect("encodes");
            let history: [[u32; 3]; 3] = [[154, 7, 9], [154, 31, 2], [154, 115, 40]];
            let mut state = network.start(&encoded, &[0, 1, 2]).expect("starts");
            for step in 0..2 {
                let tokens: Vec<u32> = history.iter().map(|h| h[step]).collect();
                step_rows(network, &mut state, &tokens);
            }
            // Rows moved across sentences (row 1 twice), sentence 0 then dropped, then the
            // two rows of sentence 1 swapped as beam search does.
            network
                .reorder(&mut state, &[1, 1, 0], true)
                .expect("reorders");
            network.reorder(&mut state, &[0, 1], true).expect("drops");
            network.reorder(&mut state, &[1, 0], false).expect("swaps");
            let got = step_rows(network, &mut state, &[history[1][2], history[1][2]]);
            let mut fresh = network.start(&encoded, &[1, 1]).expect("starts");
            let mut last: Vec<Vec<f32>> = Vec::new();
            for &token in &history[1] {
                last = step_rows(network, &mut fresh, &[token, token]);
            }
            for (g, w) in got.iter().zip(&last) {
                let diff = g
                    .iter()
                    .zip(w)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0f32, f32::max);
                assert!(diff < 1e-4, "{diff}");
            }
        }
    }
}
