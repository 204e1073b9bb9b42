//! The engine trait: a batch of segments with their codes and required terms in, their
//! translations out.

use std::future::Future;
use std::pin::Pin;

use stdbridge_filters::Content;
use thiserror::Error;

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
#[derive(Debug, Clone)]
pub struct MtSegment {
    /// Text and inline codes.
    pub content: Content,
    /// Terms found in it, with the translations they must have.
    pub terms: Vec<TermConstraint>,
}

/// A batch to translate from one language to another.
#[derive(Debug, Clone, Copy)]
pub struct MtRequest<'a> {
    /// Source language (BCP 47).
    pub source_lang: &'a str,
    /// Target language (BCP 47).
    pub target_lang: &'a str,
    /// The segments.
    pub segments: &'a [MtSegment],
}

/// What an engine's call returns.
pub type MtFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Content>, MtError>> + Send + 'a>>;

/// A machine translation engine.
pub trait MtEngine: Send + Sync {
    /// Its kind: `libretranslate`, `openai`, `deepl`…
    fn name(&self) -> &str;

    /// What exactly translates: the endpoint and model, recorded with each translation.
    fn model(&self) -> String;

    /// Translations of the segments, in order, with the segments' codes.
    fn translate<'a>(&'a self, request: MtRequest<'a>) -> MtFuture<'a>;
}

/// Why an engine gave no translation.
#[derive(Debug, Error)]
pub enum MtError {
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
    /// A configuration problem (an engine spec that cannot be used, a missing key).
    #[error("{0}")]
    Config(String),
}
