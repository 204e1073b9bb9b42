//! Machine translation of one line with the term check, and the local models the
//! built-in engine runs.

use std::path::Path;

use serde::Serialize;
use stdbridge_content::model::plain_text;
use stdbridge_content::terms::{TermProblem, check};
use stdbridge_content::{EngineRequest, EngineSegment, Item};
use stdbridge_mt::models::{self, ModelInfo};
use stdbridge_tm::pretranslate::constraints;

use crate::authz::{Action, authorize};
use crate::engines::engine_for;
use crate::{App, AppError, Principal};

/// A line to translate.
#[derive(Debug, Clone)]
pub struct LineRequest {
    /// The engine (`--engine` syntax).
    pub engine: String,
    /// Source language.
    pub from: String,
    /// Target language.
    pub to: String,
    /// Termbases whose terms the translation must use.
    pub termbases: Vec<String>,
    /// The text.
    pub text: String,
}

/// A line translated.
#[derive(Debug, Clone, Serialize)]
pub struct TranslatedLine {
    /// The translation, when the engine gave one.
    pub target: Option<String>,
    /// Terms missing or forbidden in it.
    pub problems: Vec<TermProblem>,
}

/// Translates one line through an engine, with the termbases' terms as constraints, and
/// checks the terms in the translation.
pub async fn translate_line(
    app: &App,
    who: &Principal,
    request: LineRequest,
) -> Result<TranslatedLine, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let matcher =
        crate::access::term_matcher(app, who, &request.termbases, &request.from, &request.to)
            .await?;
    let terms = constraints(matcher.as_ref(), &request.text);
    let engine = engine_for(app, &request.engine).await?;
    let segment = EngineSegment {
        content: vec![Item::Text(request.text.clone())],
        terms: terms.clone(),
    };
    let translated = engine
        .translate(EngineRequest {
            source_lang: &request.from,
            target_lang: &request.to,
            segments: std::slice::from_ref(&segment),
        })
        .await?;
    let target = translated
        .into_iter()
        .next()
        .flatten()
        .map(|t| plain_text(&t));
    let problems = target
        .as_deref()
        .map(|t| check(t, &terms))
        .unwrap_or_default();
    Ok(TranslatedLine { target, problems })
}

/// Checks a Marian/OPUS-MT model directory and keeps a copy under the models directory.
pub fn add_model(
    app: &App,
    who: &Principal,
    source: &Path,
    name: Option<&str>,
) -> Result<ModelInfo, AppError> {
    authorize(app.config(), who, Action::ManageModels)?;
    models::add(&app.config().models_dir, source, name).map_err(AppError::from)
}

/// The models kept under the models directory; a broken one is an error in its place.
pub fn list_models(
    app: &App,
    who: &Principal,
) -> Result<Vec<Result<ModelInfo, AppError>>, AppError> {
    authorize(app.config(), who, Action::ManageModels)?;
    Ok(models::list(&app.config().models_dir)
        .into_iter()
        .map(|found| found.map_err(AppError::from))
        .collect())
}

/// An engine a signed-in user may choose.
#[derive(Debug, Clone, Serialize)]
pub struct EngineChoice {
    /// What to send as `engine`.
    pub engine: String,
    /// `memory-only` (no engine), `demo` (the pseudo-translator) or `local` (a model on
    /// this server), `remote` (a service the operator configured).
    pub kind: &'static str,
    /// The languages of a local model (source, target), when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<(String, String)>,
}

/// The engines a signed-in user may choose: none, the demo's pseudo-translator, the
/// local models kept under the models directory, and DeepL when the operator gave its
/// key. Engines that name a URL or a directory are the operator's to choose (the command
/// line): a user must not make the server call an address or read a path of theirs.
pub fn engines(app: &App, who: &Principal) -> Result<Vec<EngineChoice>, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let mut out = vec![
        EngineChoice {
            engine: "none".to_owned(),
            kind: "memory-only",
            languages: None,
        },
        EngineChoice {
            engine: "pseudo".to_owned(),
            kind: "demo",
            languages: None,
        },
    ];
    for model in models::list(&app.config().models_dir).into_iter().flatten() {
        out.push(EngineChoice {
            engine: format!("marian:{}", model.name),
            kind: "local",
            languages: model.languages,
        });
    }
    if app.config().keys.deepl.is_some() {
        out.push(EngineChoice {
            engine: "deepl".to_owned(),
            kind: "remote",
            languages: None,
        });
    }
    Ok(out)
}

/// Refuses an engine a signed-in user may not choose (the operator chooses any).
fn check_engine(app: &App, who: &Principal, engine: &str) -> Result<(), AppError> {
    if who.account().is_none() {
        return Ok(());
    }
    let allowed = engines(app, who)?;
    if allowed.iter().any(|choice| choice.engine == engine) {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|c| c.engine.as_str()).collect();
    Err(AppError::bad_field(
        "engine",
        format!(
            "engine {engine:?} is not one this server offers; choose one of {}",
            names.join(", ")
        ),
    ))
}

/// A text to translate sentence by sentence: memories first, then the engine with the
/// termbases' terms as constraints.
#[derive(Debug, Clone)]
pub struct TextRequest {
    /// The text (paragraphs separated by line breaks).
    pub text: String,
    /// Source language.
    pub from: String,
    /// Target language.
    pub to: String,
    /// Memories to look in (names the caller may read).
    pub memories: Vec<String>,
    /// Termbases whose terms the translation must use.
    pub termbases: Vec<String>,
    /// The engine for sentences no memory translates (`none`, `pseudo`, `marian:…`, …).
    pub engine: String,
    /// The lowest memory match taken (0–100).
    pub min_score: u8,
}

/// A term of the termbases found in a sentence, with the translation it needs.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceTerm {
    /// The term as it is in the source.
    pub source: String,
    /// The term the translation must use.
    pub target: String,
}

/// One sentence of a text, translated.
#[derive(Debug, Clone, Serialize)]
pub struct TranslatedSentence {
    /// The sentence.
    pub source: String,
    /// Its translation, when a memory or the engine gave one.
    pub target: Option<String>,
    /// Where the translation came from: `tm:SCORE` (a memory's match), `mt:ENGINE`, or
    /// `none`.
    pub origin: String,
    /// The termbases' terms in the sentence.
    pub terms: Vec<SentenceTerm>,
    /// Term problems of the translation (a required term missing, a forbidden one used).
    pub warnings: Vec<TermProblem>,
}

/// Sentences the engine gets in one request when a text is translated (and how many a
/// streamed translation sends at a time).
pub const SENTENCES_PER_BATCH: usize = 16;

/// Translates a text sentence by sentence (SRX rules of `from`; a line break always ends a
/// sentence): each sentence from the best memory match of `min_score` or more, else from
/// the engine, which gets the remaining sentences of each batch in one request with
/// their terms.
pub async fn translate_text(
    app: &App,
    who: &Principal,
    request: TextRequest,
) -> Result<Vec<TranslatedSentence>, AppError> {
    let mut out = Vec::new();
    translate_text_each(app, who, request, &mut |sentence| out.push(sentence)).await?;
    Ok(out)
}

/// [`translate_text`], handing each sentence to `each` as soon as its batch of
/// [`SENTENCES_PER_BATCH`] is translated (for an answer streamed sentence by sentence);
/// returns the number of sentences. Every check (languages, memories, termbases, engine)
/// is made before the first sentence.
pub async fn translate_text_each(
    app: &App,
    who: &Principal,
    request: TextRequest,
    each: &mut (dyn FnMut(TranslatedSentence) + Send),
) -> Result<usize, AppError> {
    use crate::access::{Kind, readable_names};
    authorize(app.config(), who, Action::UseTranslation)?;
    let memories = if request.memories.is_empty() {
        Vec::new()
    } else {
        readable_names(app, who, Kind::Memory, &request.memories)
            .await
            .map_err(|e| e.with_field("memories"))?
    };
    let matcher =
        crate::access::term_matcher(app, who, &request.termbases, &request.from, &request.to)
            .await?;
    check_engine(app, who, &request.engine)?;
    let engine = engine_for(app, &request.engine).await?;
    let context = TextContext {
        request: &request,
        memories,
        matcher,
        engine,
    };
    let sentences = sentences_of(&request.text, &request.from);
    for batch in sentences.chunks(SENTENCES_PER_BATCH) {
        for sentence in context.translate_batch(app, who, batch).await? {
            each(sentence);
        }
    }
    Ok(sentences.len())
}

/// What every batch of a text is translated with.
struct TextContext<'r> {
    request: &'r TextRequest,
    memories: Vec<String>,
    matcher: Option<stdbridge_tm::termbase::TermMatcher>,
    engine: std::sync::Arc<dyn stdbridge_content::TranslationEngine>,
}

impl TextContext<'_> {
    /// The best memory match of a sentence, if one scores `min_score` or more.
    async fn best_match(
        &self,
        app: &App,
        who: &Principal,
        source: &str,
    ) -> Result<Option<stdbridge_tm::Match>, AppError> {
        if self.memories.is_empty() {
            return Ok(None);
        }
        let lookup = stdbridge_tm::LookupRequest {
            memories: self.memories.clone(),
            source_lang: self.request.from.clone(),
            target_lang: self.request.to.clone(),
            query: stdbridge_tm::Segment::text(source.to_owned()),
            limit: 1,
            min_score: self.request.min_score,
        };
        Ok(crate::memories::lookup(app, who, &lookup)
            .await?
            .into_iter()
            .next())
    }

    /// Translates a few sentences: memories first, the rest in one engine request.
    async fn translate_batch(
        &self,
        app: &App,
        who: &Principal,
        sentences: &[String],
    ) -> Result<Vec<TranslatedSentence>, AppError> {
        let mut out = Vec::with_capacity(sentences.len());
        let mut for_engine = Vec::new();
        for source in sentences {
            let terms = constraints(self.matcher.as_ref(), source);
            let (target, origin) = match self.best_match(app, who, source).await? {
                Some(found) => (Some(found.target), format!("tm:{}", found.score)),
                None => {
                    for_engine.push((out.len(), terms.clone()));
                    (None, "none".to_owned())
                }
            };
            out.push((source.clone(), target, origin, terms));
        }
        if !for_engine.is_empty() && self.request.engine != "none" {
            let segments: Vec<EngineSegment> = for_engine
                .iter()
                .map(|(at, terms)| EngineSegment {
                    content: vec![Item::Text(out[*at].0.clone())],
                    terms: terms.clone(),
                })
                .collect();
            let translated = self
                .engine
                .translate(EngineRequest {
                    source_lang: &self.request.from,
                    target_lang: &self.request.to,
                    segments: &segments,
                })
                .await?;
            for ((at, _), target) in for_engine.iter().zip(translated) {
                if let Some(target) = target {
                    out[*at].1 = Some(plain_text(&target));
                    out[*at].2 = format!("mt:{}", self.request.engine);
                }
            }
        }
        Ok(out
            .into_iter()
            .map(|(source, target, origin, terms)| TranslatedSentence {
                warnings: target
                    .as_deref()
                    .map(|t| check(t, &terms))
                    .unwrap_or_default(),
                terms: terms
                    .into_iter()
                    .map(|t| SentenceTerm {
                        source: t.source,
                        target: t.target,
                    })
                    .collect(),
                source,
                target,
                origin,
            })
            .collect())
    }
}

/// The sentences of a text, trimmed, without empty ones.
fn sentences_of(text: &str, lang: &str) -> Vec<String> {
    let segmenter = stdbridge_text::SrxRules::builtin().segmenter(lang);
    text.split('\n')
        .flat_map(|line| {
            segmenter
                .split(line)
                .into_iter()
                .map(|range| line[range].trim().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|sentence| !sentence.is_empty())
        .collect()
}
