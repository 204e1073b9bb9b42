//! Machine translation engines for the CLI: `--engine none|pseudo|marian:DIR|
//! libretranslate:URL|openai:URL[#model]|deepl[:URL]`, keys from the environment, the termbase's terms passed
//! to the engine as constraints, and `stdbridge mt` for one line.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::bail;
use stdbridge_filters::Content;
use stdbridge_filters::model::plain_text;
use stdbridge_mt::http::HttpOptions;
use stdbridge_mt::markup::{from_tagged, to_tagged};
use stdbridge_mt::spec::Keys;
use stdbridge_mt::terms::{TermProblem, check};
use stdbridge_mt::{MtEngine, MtRequest, MtSegment, TermConstraint, engine_from_spec};
use stdbridge_storage::{MtCacheEntry, Store};
use stdbridge_tm::TmError;
use stdbridge_tm::pretranslate::{Engine, EngineFuture, NoEngine, PseudoEngine};
use stdbridge_tm::termbase::{TermMatcher, Termbases};

/// Segments sent to an engine in one request.
const BATCH: usize = 32;

/// The engines' keys, from STDBRIDGE_LIBRETRANSLATE_KEY, STDBRIDGE_OPENAI_KEY and
/// STDBRIDGE_DEEPL_KEY.
fn keys_from_env() -> Keys {
    let key = |name: &str| std::env::var(name).ok().filter(|k| !k.is_empty());
    Keys {
        libretranslate: key("STDBRIDGE_LIBRETRANSLATE_KEY"),
        openai: key("STDBRIDGE_OPENAI_KEY"),
        deepl: key("STDBRIDGE_DEEPL_KEY"),
    }
}

/// The engine a `--engine` value names (`marian:NAME` may name a model under the data
/// directory's `models`).
pub fn engine(
    spec: &str,
    matcher: Option<Arc<TermMatcher>>,
    cache: Option<Store>,
    data_dir: &std::path::Path,
) -> anyhow::Result<Box<dyn Engine>> {
    match spec {
        "none" => return Ok(Box::new(NoEngine)),
        "pseudo" => return Ok(Box::new(PseudoEngine)),
        _ => {}
    }
    let models = data_dir.join("models");
    match engine_from_spec(
        spec,
        &keys_from_env(),
        HttpOptions::default(),
        Some(&models),
    )? {
        Some(engine) => Ok(Box::new(MtAdapter {
            name: engine.name().to_string(),
            engine,
            matcher,
            cache,
        })),
        None => bail!(
            "unknown engine {spec:?}: none, pseudo, marian:DIR, libretranslate:URL, openai:URL[#MODEL] or deepl[:URL]"
        ),
    }
}

/// An MT engine in the pre-translation pipeline, with the termbase's terms as constraints
/// and the store's cache in front of it.
struct MtAdapter {
    name: String,
    engine: Box<dyn MtEngine>,
    matcher: Option<Arc<TermMatcher>>,
    cache: Option<Store>,
}

/// The cache key of a segment: engine, model, languages, required terms and the source as
/// tagged text with its white space collapsed.
fn cache_key(
    engine: &dyn MtEngine,
    source_lang: &str,
    target_lang: &str,
    segment: &MtSegment,
) -> (String, String) {
    use sha2::{Digest, Sha256};
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

impl MtAdapter {
    /// Translates a batch, taking what the cache has and storing what the engine adds.
    async fn batch(
        &self,
        batch: &[MtSegment],
        source_lang: &str,
        target_lang: &str,
    ) -> Result<Vec<Content>, TmError> {
        let keys: Vec<(String, String)> = batch
            .iter()
            .map(|s| cache_key(self.engine.as_ref(), source_lang, target_lang, s))
            .collect();
        let cached = match &self.cache {
            Some(store) => {
                store
                    .mt_cache_get(&keys.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
                    .await?
            }
            None => Default::default(),
        };
        let missing: Vec<usize> = (0..batch.len())
            .filter(|&i| !cached.contains_key(&keys[i].0))
            .collect();
        let mut fresh = Vec::new();
        if !missing.is_empty() {
            let segments: Vec<MtSegment> = missing.iter().map(|&i| batch[i].clone()).collect();
            let request = MtRequest {
                source_lang,
                target_lang,
                segments: &segments,
            };
            fresh = self
                .engine
                .translate(request)
                .await
                .map_err(|e| TmError::Invalid(e.to_string()))?;
            if let Some(store) = &self.cache {
                let created = stdbridge_tm::memory::now_rfc3339();
                let entries: Vec<MtCacheEntry> = missing
                    .iter()
                    .zip(&fresh)
                    .map(|(&i, target)| MtCacheEntry {
                        key: keys[i].0.clone(),
                        engine: self.engine.name().to_string(),
                        model: self.engine.model(),
                        source_lang: source_lang.to_string(),
                        target_lang: target_lang.to_string(),
                        source: keys[i].1.clone(),
                        target: to_tagged(target, &[], false),
                        created: created.clone(),
                    })
                    .collect();
                store.mt_cache_put(&entries).await?;
            }
        }
        let mut fresh = fresh.into_iter();
        Ok((0..batch.len())
            .map(|i| match cached.get(&keys[i].0) {
                Some(tagged) => from_tagged(tagged, &[]),
                None => fresh.next().unwrap_or_default(),
            })
            .collect())
    }
}

/// The constraints for a segment: each recognized term with its preferred translation,
/// and the translations the termbase marks deprecated or forbidden.
pub fn constraints(matcher: Option<&TermMatcher>, text: &str) -> Vec<TermConstraint> {
    let Some(matcher) = matcher else {
        return Vec::new();
    };
    matcher
        .find(text)
        .into_iter()
        .filter_map(|hit| {
            let target = hit
                .preferred
                .clone()
                .or_else(|| hit.targets.first().map(|t| t.text.clone()))?;
            let forbidden = hit
                .targets
                .iter()
                .filter(|t| t.status.is_unwanted())
                .map(|t| t.text.clone())
                .collect();
            Some(TermConstraint {
                source: hit.text.clone(),
                target,
                forbidden,
            })
        })
        .collect()
}

impl Engine for MtAdapter {
    fn name(&self) -> &str {
        &self.name
    }

    fn translate<'a>(
        &'a self,
        segments: &'a [Content],
        source_lang: &'a str,
        target_lang: &'a str,
    ) -> EngineFuture<'a> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(segments.len());
            for chunk in segments.chunks(BATCH) {
                let batch: Vec<MtSegment> = chunk
                    .iter()
                    .map(|content| MtSegment {
                        content: content.clone(),
                        terms: constraints(self.matcher.as_deref(), &plain_text(content)),
                    })
                    .collect();
                let translated = self.batch(&batch, source_lang, target_lang).await?;
                for (segment, target) in batch.iter().zip(&translated) {
                    for problem in check(&plain_text(target), &segment.terms) {
                        tracing::warn!(segment = %plain_text(&segment.content), %problem, "terminology");
                    }
                }
                out.extend(translated.into_iter().map(Some));
            }
            Ok(out)
        })
    }
}

/// `stdbridge mt`: one line through an engine, with the term check.
pub async fn run(
    store: &Store,
    data_dir: &std::path::Path,
    spec: &str,
    from: &str,
    to: &str,
    termbases: &[String],
    text: &str,
) -> anyhow::Result<ExitCode> {
    let matcher = if termbases.is_empty() {
        None
    } else {
        Some(
            Termbases::new(store.clone())
                .matcher(termbases, from, to)
                .await?,
        )
    };
    let source: Content = vec![stdbridge_filters::Item::Text(text.to_string())];
    let terms = constraints(matcher.as_ref(), text);
    let engine = engine(spec, matcher.map(Arc::new), Some(store.clone()), data_dir)?;
    let translated = engine
        .translate(std::slice::from_ref(&source), from, to)
        .await?;
    let Some(Some(target)) = translated.into_iter().next() else {
        println!("{text}");
        eprintln!("the engine {spec:?} gave no translation");
        return Ok(ExitCode::FAILURE);
    };
    let target = plain_text(&target);
    println!("{target}");
    let problems: Vec<TermProblem> = check(&target, &terms);
    for problem in &problems {
        eprintln!("term: {problem}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

/// `stdbridge models list|add`.
pub fn models(
    data_dir: &std::path::Path,
    action: crate::cli::ModelsCommand,
) -> anyhow::Result<ExitCode> {
    use stdbridge_mt::models;
    let dir = data_dir.join("models");
    match action {
        crate::cli::ModelsCommand::Add { dir: source, name } => {
            let info = models::add(&dir, &source, name.as_deref())?;
            println!("{}", describe(&info));
        }
        crate::cli::ModelsCommand::List { json } => {
            let found = models::list(&dir);
            if json {
                let entries: Vec<serde_json::Value> = found
                    .iter()
                    .map(|m| match m {
                        Ok(info) => serde_json::json!(info),
                        Err(error) => serde_json::json!({"error": error.to_string()}),
                    })
                    .collect();
                super::print_json(&entries)?;
            } else if found.is_empty() {
                println!(
                    "no models in {} (add one with `stdbridge models add DIR`)",
                    dir.display()
                );
            } else {
                for model in found {
                    match model {
                        Ok(info) => println!("{}", describe(&info)),
                        Err(error) => println!("broken: {error}"),
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(info: &stdbridge_mt::models::ModelInfo) -> String {
    let languages = info
        .languages
        .as_ref()
        .map(|(s, t)| format!("{s}→{t} "))
        .unwrap_or_default();
    let parameters = info
        .parameters
        .map(|p| format!(", {} parameters", super::thousands(p)))
        .unwrap_or_default();
    format!(
        "{:24} {languages}{} d_model {}, {}+{} layers, {} heads, FFN {}, vocabulary {}{parameters} ({})",
        info.name,
        info.model_type,
        info.d_model,
        info.layers.0,
        info.layers.1,
        info.heads,
        info.ffn,
        info.vocab_size,
        info.weights
    )
}
