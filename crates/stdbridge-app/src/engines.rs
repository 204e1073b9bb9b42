//! Engine wiring: the engine an `--engine` value names (with the configuration's keys
//! and models), and the store's translation cache in front of every machine translation
//! engine, so that a segment translated once is never sent again.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use stdbridge_content::{
    Content, EngineError, EngineFuture, EngineRequest, EngineSegment, NoEngine, PseudoEngine,
    TranslationEngine,
};
use stdbridge_mt::engine_from_spec;
use stdbridge_mt::http::HttpOptions;
use stdbridge_mt::markup::{from_tagged, to_tagged};
use stdbridge_mt::spec::Keys;
use stdbridge_storage::{Database, MtCacheEntry};

use crate::{App, AppError, Config};

/// The engines' keys from the configuration.
fn keys(config: &Config) -> Keys {
    let key = |secret: &Option<crate::Secret>| secret.as_ref().map(|s| s.expose().to_owned());
    Keys {
        libretranslate: key(&config.keys.libretranslate),
        openai: key(&config.keys.openai),
        deepl: key(&config.keys.deepl),
    }
}

/// The engine `spec` names: `none`, `pseudo`, `marian:DIR|NAME[#int8]`,
/// `libretranslate:URL`, `openai:URL[#MODEL]` or `deepl[:URL]`; machine translation
/// behind the store's cache.
pub(crate) async fn engine_for(
    app: &App,
    spec: &str,
) -> Result<Arc<dyn TranslationEngine>, AppError> {
    match spec {
        "none" => return Ok(Arc::new(NoEngine)),
        "pseudo" => return Ok(Arc::new(PseudoEngine)),
        _ => {}
    }
    let config = app.config();
    let found = engine_from_spec(
        spec,
        &keys(config),
        HttpOptions::default(),
        Some(&config.models_dir),
    )
    .map_err(|error| AppError::from(error).with_field("engine"))?;
    match found {
        Some(engine) => Ok(Arc::new(CachedEngine {
            engine,
            cache: app.db().await?,
        })),
        None => Err(AppError::bad_field(
            "engine",
            format!(
                "unknown engine {spec:?}: none, pseudo, marian:DIR, libretranslate:URL, openai:URL[#MODEL] or deepl[:URL]"
            ),
        )),
    }
}

/// An engine with the store's translation cache in front of it.
struct CachedEngine {
    engine: Box<dyn TranslationEngine>,
    cache: Arc<dyn Database>,
}

/// The cache key of a segment: engine, model, languages, required terms and the source as
/// tagged text with its white space collapsed.
fn cache_key(
    engine: &dyn TranslationEngine,
    source_lang: &str,
    target_lang: &str,
    segment: &EngineSegment,
) -> (String, String) {
    let source = to_tagged(&segment.content, &[], false)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let terms: Vec<String> = segment
        .terms
        .iter()
        .map(|t| format!("{}\u{1f}{}", t.source, t.target))
        .collect();
    let identity = serde_json::json!([
        engine.name(),
        engine.model(),
        source_lang,
        target_lang,
        terms,
        source
    ]);
    let digest = Sha256::digest(identity.to_string().as_bytes());
    let key = digest.iter().map(|b| format!("{b:02x}")).collect();
    (key, source)
}

impl CachedEngine {
    async fn cached_translate(
        &self,
        request: EngineRequest<'_>,
    ) -> Result<Vec<Option<Content>>, EngineError> {
        let batch = request.segments;
        let keys: Vec<(String, String)> = batch
            .iter()
            .map(|s| {
                cache_key(
                    self.engine.as_ref(),
                    request.source_lang,
                    request.target_lang,
                    s,
                )
            })
            .collect();
        let lookup: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        let cached = self
            .cache
            .mt_cache_get(&lookup)
            .await
            .map_err(|e| EngineError::Cache(e.to_string()))?;
        let missing: Vec<usize> = (0..batch.len())
            .filter(|&i| !cached.contains_key(&keys[i].0))
            .collect();
        let mut fresh: Vec<Option<Content>> = Vec::new();
        if !missing.is_empty() {
            let segments: Vec<EngineSegment> = missing.iter().map(|&i| batch[i].clone()).collect();
            fresh = self
                .engine
                .translate(EngineRequest {
                    segments: &segments,
                    ..request
                })
                .await?;
            let created = stdbridge_tm::memory::now_rfc3339();
            let entries: Vec<MtCacheEntry> = missing
                .iter()
                .zip(&fresh)
                .filter_map(|(&i, target)| {
                    Some(MtCacheEntry {
                        key: keys[i].0.clone(),
                        engine: self.engine.name().to_owned(),
                        model: self.engine.model(),
                        source_lang: request.source_lang.to_owned(),
                        target_lang: request.target_lang.to_owned(),
                        source: keys[i].1.clone(),
                        target: to_tagged(target.as_ref()?, &[], false),
                        created: created.clone(),
                    })
                })
                .collect();
            self.cache
                .mt_cache_put(&entries)
                .await
                .map_err(|e| EngineError::Cache(e.to_string()))?;
        }
        let mut fresh = fresh.into_iter();
        Ok((0..batch.len())
            .map(|i| match cached.get(&keys[i].0) {
                Some(tagged) => Some(from_tagged(tagged, &[])),
                None => fresh.next().flatten(),
            })
            .collect())
    }
}

impl TranslationEngine for CachedEngine {
    fn name(&self) -> &str {
        self.engine.name()
    }

    fn model(&self) -> String {
        self.engine.model()
    }

    fn translate<'a>(&'a self, request: EngineRequest<'a>) -> EngineFuture<'a> {
        Box::pin(self.cached_translate(request))
    }
}
