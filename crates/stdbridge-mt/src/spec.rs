//! Engines named on the command line: `marian:DIR`, `libretranslate:URL`,
//! `openai:URL[#model]`, `deepl[:URL]`. Keys come from the environment the caller passes in, never from the
//! command line (where other users of the machine could read them).

use std::path::Path;

use crate::builtin::{Marian, model_dir};
use crate::engine::{EngineError, TranslationEngine};
use crate::engines::{DeepL, LibreTranslate, OpenAiChat};
use crate::http::HttpOptions;
use crate::marian::Compute;

/// Keys for the engines that need them.
#[derive(Default, Clone)]
pub struct Keys {
    /// LibreTranslate API key.
    pub libretranslate: Option<String>,
    /// OpenAI-compatible server key.
    pub openai: Option<String>,
    /// DeepL authentication key.
    pub deepl: Option<String>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |k: &Option<String>| if k.is_some() { "set" } else { "unset" };
        f.debug_struct("Keys")
            .field("libretranslate", &set(&self.libretranslate))
            .field("openai", &set(&self.openai))
            .field("deepl", &set(&self.deepl))
            .finish()
    }
}

/// The engine a spec names, or `None` for a spec this crate does not know.
/// `marian:DIR[#int8]` takes a model directory, or the name of one under `models`, and
/// computes in float32 unless `#int8` follows.
pub fn engine_from_spec(
    spec: &str,
    keys: &Keys,
    options: HttpOptions,
    models: Option<&Path>,
) -> Result<Option<Box<dyn TranslationEngine>>, EngineError> {
    let (kind, rest) = spec.split_once(':').unwrap_or((spec, ""));
    let engine: Box<dyn TranslationEngine> = match kind {
        "marian" => {
            if rest.is_empty() {
                return Err(EngineError::Config(
                    "marian needs a model: --engine marian:DIR[#int8] (or the name of a model added with `stdbridge models add`)".into(),
                ));
            }
            let (dir, compute) = rest.split_once('#').unwrap_or((rest, "float32"));
            let compute: Compute = compute.parse().map_err(EngineError::Config)?;
            Box::new(Marian::open(&model_dir(dir, models), compute)?)
        }
        "libretranslate" => {
            if rest.is_empty() {
                return Err(EngineError::Config(
                    "libretranslate needs its URL: --engine libretranslate:http://HOST:5000".into(),
                ));
            }
            Box::new(LibreTranslate::new(
                rest,
                keys.libretranslate.clone(),
                options,
            )?)
        }
        "openai" => {
            let (url, model) = rest.split_once('#').unwrap_or((rest, "default"));
            if url.is_empty() {
                return Err(EngineError::Config(
                    "openai needs its URL: --engine openai:http://HOST:8080[#MODEL]".into(),
                ));
            }
            Box::new(OpenAiChat::new(url, model, keys.openai.clone(), options)?)
        }
        "deepl" => {
            let key = keys.deepl.clone().ok_or_else(|| {
                EngineError::Config("deepl needs a key: set STDBRIDGE_DEEPL_KEY".into())
            })?;
            Box::new(DeepL::new(
                (!rest.is_empty()).then_some(rest),
                key,
                options,
            )?)
        }
        _ => return Ok(None),
    };
    Ok(Some(engine))
}
