//! The one translation engine trait: a batch of segments (content with codes, and the
//! terms the translation must use) in, a translation per segment out — or none, where the
//! engine has nothing to offer. Machine translation engines, the pseudo-translator and
//! "no engine" implement it; the pre-translation pipeline, quick translation and the
//! application's translation cache all speak it.

use std::future::Future;
use std::pin::Pin;

use thiserror::Error;

use crate::model::Content;
use crate::pseudo::{PseudoTerm, pseudo_translate_with_terms};

/// A term the output must use: when `source` is in the segment, `target` must be in the
/// translation, and none of `forbidden`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TermConstraint {
    /// The term as it is in the source.
    pub source: String,
    /// The term the translation must use.
    pub target: String,
    /// Translations the termbase marks deprecated or forbidden.
    pub forbidden: Vec<String>,
}

/// One segment to translate.
#[derive(Debug, Clone, Default)]
pub struct EngineSegment {
    /// Text and inline codes.
    pub content: Content,
    /// Terms found in it, with the translations they must have.
    pub terms: Vec<TermConstraint>,
}

impl EngineSegment {
    /// A segment without term constraints.
    pub fn plain(content: Content) -> EngineSegment {
        EngineSegment {
            content,
            terms: Vec::new(),
        }
    }
}

/// A batch to translate from one language to another.
#[derive(Debug, Clone, Copy)]
pub struct EngineRequest<'a> {
    /// Source language (BCP 47).
    pub source_lang: &'a str,
    /// Target language (BCP 47).
    pub target_lang: &'a str,
    /// The segments.
    pub segments: &'a [EngineSegment],
}

/// What an engine's call returns: one entry per segment, in order, `None` where the
/// engine has no translation.
pub type EngineFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<Option<Content>>, EngineError>> + Send + 'a>>;

/// Something that translates segments.
pub trait TranslationEngine: Send + Sync {
    /// Its kind, recorded with each translation it makes: `none`, `pseudo`, `marian`,
    /// `libretranslate`, `openai`, `deepl`…
    fn name(&self) -> &str;

    /// What exactly translates: the endpoint and model (part of a cached translation's
    /// identity).
    fn model(&self) -> String {
        self.name().to_owned()
    }

    /// Translations of the segments, in order, with the segments' codes.
    fn translate<'a>(&'a self, request: EngineRequest<'a>) -> EngineFuture<'a>;
}

/// Why an engine gave no translation. Each kind is told apart by callers: an engine that
/// cannot be reached is worth a retry later, a refusal or a configuration problem is not.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The engine could not be reached or did not answer in time, after retries.
    #[error("{engine} at {url}: {message} (after {attempts} attempts)")]
    Unreachable {
        /// Engine kind.
        engine: String,
        /// Endpoint.
        url: String,
        /// What happened last.
        message: String,
        /// How many tries.
        attempts: u32,
    },
    /// The engine refused the request (a 4xx other than 429).
    #[error("{engine} at {url} refused the request: HTTP {status}: {body}")]
    Refused {
        /// Engine kind.
        engine: String,
        /// Endpoint.
        url: String,
        /// HTTP status.
        status: u16,
        /// The start of its answer.
        body: String,
    },
    /// The answer is not what the engine's API documents.
    #[error(
        "{engine} at {url} answered something that is not its API's JSON: {message}; the answer began {body:?}"
    )]
    Malformed {
        /// Engine kind.
        engine: String,
        /// Endpoint.
        url: String,
        /// What is wrong.
        message: String,
        /// The start of its answer.
        body: String,
    },
    /// The engine cannot be used as configured (a spec that names nothing usable, a
    /// missing key, a model that does not load).
    #[error("{0}")]
    Config(String),
    /// The engine ran but failed on this input (a model's computation, a cut-off batch).
    #[error("{engine}: {message}")]
    Failed {
        /// Engine kind.
        engine: String,
        /// What failed.
        message: String,
    },
    /// What stands in front of the engine (the translation cache) failed.
    #[error("translation cache: {0}")]
    Cache(String),
}

/// No engine: segments without a match keep their source.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEngine;

impl TranslationEngine for NoEngine {
    fn name(&self) -> &str {
        "none"
    }

    fn translate<'a>(&'a self, request: EngineRequest<'a>) -> EngineFuture<'a> {
        Box::pin(std::future::ready(Ok(vec![None; request.segments.len()])))
    }
}

/// Pseudo-translation: every translatable character visibly changed and the required terms
/// written as the termbase says, for testing a document's round trip (and term
/// enforcement) before real translation.
#[derive(Debug, Clone, Copy, Default)]
pub struct PseudoEngine;

impl TranslationEngine for PseudoEngine {
    fn name(&self) -> &str {
        "pseudo"
    }

    fn translate<'a>(&'a self, request: EngineRequest<'a>) -> EngineFuture<'a> {
        let translated = request
            .segments
            .iter()
            .map(|s| {
                let terms: Vec<PseudoTerm<'_>> = s
                    .terms
                    .iter()
                    .map(|t| PseudoTerm {
                        source: &t.source,
                        target: &t.target,
                    })
                    .collect();
                Some(pseudo_translate_with_terms(&s.content, &terms))
            })
            .collect();
        Box::pin(std::future::ready(Ok(translated)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Item, plain_text};

    fn block_on<F: Future>(future: F) -> F::Output {
        // The built-in engines answer at once: one poll is enough.
        let waker = std::task::Waker::noop();
        let mut context = std::task::Context::from_waker(waker);
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut context) {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => panic!("a built-in engine did not answer at once"),
        }
    }

    #[test]
    fn no_engine_offers_nothing_and_pseudo_changes_every_segment() {
        let segments = vec![
            EngineSegment::plain(vec![Item::Text("This standard applies.".into())]),
            EngineSegment::plain(vec![Item::Text("本标准适用。".into())]),
        ];
        let request = EngineRequest {
            source_lang: "en",
            target_lang: "zh",
            segments: &segments,
        };
        let none = block_on(NoEngine.translate(request)).expect("no engine never fails");
        assert_eq!(none, vec![None, None]);
        let pseudo = block_on(PseudoEngine.translate(request)).expect("pseudo never fails");
        assert_eq!(pseudo.len(), 2);
        for (out, source) in pseudo.iter().zip(&segments) {
            let out = plain_text(out.as_ref().expect("a translation"));
            assert_ne!(out, plain_text(&source.content));
        }
    }
}
