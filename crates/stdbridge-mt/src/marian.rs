//! The built-in engine's model: a Marian (OPUS-MT) directory as Hugging Face publishes it,
//! loaded on candle from `model.safetensors` or `pytorch_model.bin` with its architecture
//! read from `config.json`, its tokenizers from `source.spm`/`target.spm` and `vocab.json`,
//! and greedy decoding with the decoder's key/value cache, as the reference implementation
//! decodes (the decoder starts from `<pad>`, `<pad>` is never produced, `</s>` is forced at
//! the maximum length).

use std::path::Path;

use candle_core::{DType, Device, IndexOp, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::marian::{Config, MTModel};

use crate::engine::MtError;
use crate::spm::{MarianVocab, SentencePiece};

/// A loaded Marian model with its tokenizers.
pub struct MarianModel {
    model: MTModel,
    config: Config,
    device: Device,
    /// Source tokenizer.
    pub source: SentencePiece,
    /// Target tokenizer.
    pub target: SentencePiece,
    /// The shared vocabulary.
    pub vocab: MarianVocab,
    /// Longest output, start token included (`max_length` of generation_config.json).
    pub max_length: usize,
}

fn failed(dir: &Path, what: &str, error: impl std::fmt::Display) -> MtError {
    MtError::Config(format!("{}: {what}: {error}", dir.display()))
}

impl MarianModel {
    /// Loads a model directory on the CPU, from `weights` (`model.safetensors` or
    /// `pytorch_model.bin`; the first present when `None`).
    pub fn load(dir: &Path, weights: Option<&str>) -> Result<MarianModel, MtError> {
        let device = Device::Cpu;
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
            VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device)
                .map_err(|e| failed(dir, &file, e))?
        } else {
            VarBuilder::from_pth(&path, DType::F32, &device).map_err(|e| failed(dir, &file, e))?
        };
        let model = MTModel::new(&config, vb).map_err(|e| failed(dir, "weights", e))?;
        let generation: serde_json::Value =
            std::fs::read_to_string(dir.join("generation_config.json"))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
        let max_length = generation["max_length"].as_u64().unwrap_or(512) as usize;
        Ok(MarianModel {
            model,
            config,
            device,
            source: SentencePiece::open(&dir.join("source.spm"))?,
            target: SentencePiece::open(&dir.join("target.spm"))?,
            vocab: MarianVocab::open(&dir.join("vocab.json"))?,
            max_length,
        })
    }

    /// The output ids for input ids (one sentence), by greedy search: the decoder start
    /// token first, `</s>` last.
    pub fn greedy(&mut self, input: &[u32]) -> Result<Vec<u32>, MtError> {
        let run = |e: candle_core::Error| MtError::Config(format!("marian: {e}"));
        self.model.reset_kv_cache();
        let input = Tensor::new(input, &self.device)
            .and_then(|t| t.unsqueeze(0))
            .map_err(run)?;
        let encoded = self.model.encoder().forward(&input, 0).map_err(run)?;
        let mut tokens = vec![self.config.decoder_start_token_id];
        while tokens.len() < self.max_length {
            let last = tokens[tokens.len() - 1];
            let step = Tensor::new(&[last], &self.device)
                .and_then(|t| t.unsqueeze(0))
                .map_err(run)?;
            let logits = self
                .model
                .decode(&step, &encoded, tokens.len() - 1)
                .map_err(run)?;
            let logits: Vec<f32> = logits.i((0, 0)).and_then(|l| l.to_vec1()).map_err(run)?;
            let next = if tokens.len() + 1 == self.max_length {
                self.config.forced_eos_token_id
            } else {
                best_token(&logits, self.config.pad_token_id)
            };
            tokens.push(next);
            if next == self.config.eos_token_id {
                break;
            }
        }
        Ok(tokens)
    }
}

/// The most likely token other than `<pad>` (the first one on a tie, as argmax does).
fn best_token(logits: &[f32], pad: u32) -> u32 {
    let mut best = (0usize, f32::NEG_INFINITY);
    for (id, &score) in logits.iter().enumerate() {
        if id as u32 != pad && score > best.1 {
            best = (id, score);
        }
    }
    best.0 as u32
}

#[cfg(test)]
mod tests {
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
            let mut model = MarianModel::load(&fixture(), Some(weights)).expect("loads");
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
}
