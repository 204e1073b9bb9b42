//! Local models: directories in the layout Helsinki-NLP publishes OPUS-MT models in on
//! Hugging Face (`config.json`, `model.safetensors` or `pytorch_model.bin`, `source.spm`,
//! `target.spm`, `vocab.json`, optionally `generation_config.json` and
//! `tokenizer_config.json`), checked when added and kept under the data directory.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::engine::EngineError;

/// Files a model directory must have.
const REQUIRED: [&str; 4] = ["config.json", "source.spm", "target.spm", "vocab.json"];
/// Files copied when present.
const OPTIONAL: [&str; 4] = [
    "model.safetensors",
    "pytorch_model.bin",
    "generation_config.json",
    "tokenizer_config.json",
];

/// What a model directory holds.
#[derive(Debug, Clone, Serialize)]
pub struct ModelInfo {
    /// Its name (the directory's).
    pub name: String,
    /// Where it is.
    pub dir: PathBuf,
    /// `model_type` of config.json (`marian`).
    pub model_type: String,
    /// Source and target language, from tokenizer_config.json when it says.
    pub languages: Option<(String, String)>,
    /// Width of the model.
    pub d_model: u64,
    /// Encoder and decoder layers.
    pub layers: (u64, u64),
    /// Attention heads (encoder).
    pub heads: u64,
    /// Feed-forward width (encoder).
    pub ffn: u64,
    /// Vocabulary size.
    pub vocab_size: u64,
    /// The weights file used (safetensors preferred).
    pub weights: String,
    /// Parameters in the safetensors file (`None` for pytorch_model.bin only).
    pub parameters: Option<u64>,
}

fn bad(dir: &Path, message: impl std::fmt::Display) -> EngineError {
    EngineError::Config(format!("{}: {message}", dir.display()))
}

fn read_json(dir: &Path, file: &str) -> Result<Value, EngineError> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|e| bad(dir, format!("{file}: {e}")))?;
    serde_json::from_str(&text).map_err(|e| bad(dir, format!("{file}: not JSON: {e}")))
}

fn number(config: &Value, dir: &Path, field: &str) -> Result<u64, EngineError> {
    config[field]
        .as_u64()
        .ok_or_else(|| bad(dir, format!("config.json has no number {field:?}")))
}

/// Checks a model directory and describes it.
pub fn inspect(dir: &Path) -> Result<ModelInfo, EngineError> {
    for file in REQUIRED {
        if !dir.join(file).is_file() {
            return Err(bad(
                dir,
                format!(
                    "{file} is missing (an OPUS-MT model directory has {})",
                    REQUIRED.join(", ")
                ),
            ));
        }
    }
    let weights = ["model.safetensors", "pytorch_model.bin"]
        .into_iter()
        .find(|w| dir.join(w).is_file())
        .ok_or_else(|| {
            bad(
                dir,
                "no weights: model.safetensors or pytorch_model.bin is needed",
            )
        })?;
    let config = read_json(dir, "config.json")?;
    let model_type = config["model_type"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if model_type != "marian" {
        return Err(bad(
            dir,
            format!("config.json: model_type is {model_type:?}, not \"marian\""),
        ));
    }
    let vocab_size = number(&config, dir, "vocab_size")?;
    let vocab = read_json(dir, "vocab.json")?;
    let entries = vocab.as_object().map_or(0, |v| v.len()) as u64;
    if entries != vocab_size {
        return Err(bad(
            dir,
            format!("vocab.json has {entries} entries, config.json says vocab_size {vocab_size}"),
        ));
    }
    let parameters = if weights == "model.safetensors" {
        Some(count_parameters(dir)?)
    } else {
        None
    };
    let languages = read_json(dir, "tokenizer_config.json").ok().and_then(|t| {
        Some((
            t["source_lang"].as_str()?.to_string(),
            t["target_lang"].as_str()?.to_string(),
        ))
    });
    Ok(ModelInfo {
        name: dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        dir: dir.to_path_buf(),
        model_type,
        languages,
        d_model: number(&config, dir, "d_model")?,
        layers: (
            number(&config, dir, "encoder_layers")?,
            number(&config, dir, "decoder_layers")?,
        ),
        heads: number(&config, dir, "encoder_attention_heads")?,
        ffn: number(&config, dir, "encoder_ffn_dim")?,
        vocab_size,
        weights: weights.to_string(),
        parameters,
    })
}

/// Parameters of the tensors in model.safetensors (read from its header only).
fn count_parameters(dir: &Path) -> Result<u64, EngineError> {
    let path = dir.join("model.safetensors");
    let mut file =
        std::fs::File::open(&path).map_err(|e| bad(dir, format!("model.safetensors: {e}")))?;
    let mut length = [0u8; 8];
    std::io::Read::read_exact(&mut file, &mut length)
        .map_err(|e| bad(dir, format!("model.safetensors: {e}")))?;
    let length = u64::from_le_bytes(length);
    if length > 100 << 20 {
        return Err(bad(
            dir,
            format!("model.safetensors: a header of {length} bytes is not believable"),
        ));
    }
    let mut header = vec![0u8; length as usize];
    std::io::Read::read_exact(&mut file, &mut header)
        .map_err(|e| bad(dir, format!("model.safetensors: header cut short: {e}")))?;
    // The header is JSON: tensor name → {dtype, shape, data_offsets}, and `__metadata__`.
    let header: serde_json::Map<String, Value> = serde_json::from_slice(&header)
        .map_err(|e| bad(dir, format!("model.safetensors: header is not JSON: {e}")))?;
    let mut parameters = 0u64;
    for (name, tensor) in header
        .iter()
        .filter(|(name, _)| name.as_str() != "__metadata__")
    {
        let shape = tensor["shape"].as_array().ok_or_else(|| {
            bad(
                dir,
                format!("model.safetensors: tensor {name} has no shape"),
            )
        })?;
        parameters += shape
            .iter()
            .map(|d| d.as_u64().unwrap_or(0))
            .product::<u64>();
    }
    Ok(parameters)
}

/// Copies a checked model directory to `models/NAME` (NAME defaults to the directory's
/// name): into a temporary directory first, renamed when complete.
pub fn add(models: &Path, source: &Path, name: Option<&str>) -> Result<ModelInfo, EngineError> {
    let info = inspect(source)?;
    let name = name
        .map(str::to_string)
        .unwrap_or_else(|| info.name.clone());
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(EngineError::Config(format!(
            "{name:?} cannot be a model name"
        )));
    }
    let target = models.join(&name);
    if target.exists() {
        return Err(EngineError::Config(format!(
            "a model named {name:?} is already in {}",
            models.display()
        )));
    }
    std::fs::create_dir_all(models).map_err(|e| bad(models, e))?;
    let staging = tempfile_dir(models)?;
    for file in REQUIRED.iter().chain(OPTIONAL.iter()) {
        let from = source.join(file);
        if from.is_file() {
            std::fs::copy(&from, staging.join(file))
                .map_err(|e| bad(source, format!("{file}: {e}")))?;
        }
    }
    std::fs::rename(&staging, &target).map_err(|e| bad(models, e))?;
    inspect(&target).map(|mut info| {
        info.name = name;
        info
    })
}

fn tempfile_dir(models: &Path) -> Result<PathBuf, EngineError> {
    for attempt in 0..100u32 {
        let dir = models.join(format!(".adding-{}-{attempt}", std::process::id()));
        if std::fs::create_dir(&dir).is_ok() {
            return Ok(dir);
        }
    }
    Err(bad(models, "cannot make a temporary directory"))
}

/// The models under `models`, each checked: a broken one is listed with its problem.
pub fn list(models: &Path) -> Vec<Result<ModelInfo, EngineError>> {
    let Ok(entries) = std::fs::read_dir(models) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    dirs.sort();
    dirs.iter().map(|dir| inspect(dir)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tiny-zh-en")
    }

    #[test]
    fn the_fixture_model_is_described_from_its_files() {
        let info = inspect(&fixture()).expect("a valid model");
        assert_eq!(
            (
                info.d_model,
                info.layers,
                info.heads,
                info.ffn,
                info.vocab_size
            ),
            (16, (2, 2), 2, 32, 155)
        );
        assert_eq!(info.weights, "model.safetensors");
        assert_eq!(info.languages, Some(("zh".to_string(), "en".to_string())));
        // Shared embeddings (155 × 16) and the final logits bias (155) are among them.
        assert!(
            info.parameters.is_some_and(|p| p > 155 * 16),
            "{:?}",
            info.parameters
        );
    }

    #[test]
    fn missing_files_and_wrong_vocabularies_are_named() {
        let dir = std::env::temp_dir().join(format!("stdbridge-model-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for file in [
            "config.json",
            "source.spm",
            "target.spm",
            "pytorch_model.bin",
        ] {
            std::fs::copy(fixture().join(file), dir.join(file)).expect("copy");
        }
        let error = inspect(&dir).expect_err("no vocab").to_string();
        assert!(error.contains("vocab.json is missing"), "{error}");
        std::fs::write(dir.join("vocab.json"), "{\"</s>\": 0}").expect("write");
        let error = inspect(&dir).expect_err("short vocab").to_string();
        assert!(
            error.contains("vocab.json has 1 entries, config.json says vocab_size 155"),
            "{error}"
        );
        let models = dir.join("models");
        let added = add(&models, &fixture(), Some("zh-en-test")).expect("adds");
        assert_eq!(added.name, "zh-en-test");
        assert!(
            add(&models, &fixture(), Some("zh-en-test")).is_err(),
            "names are unique"
        );
        let listed = list(&models);
        assert_eq!(listed.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
