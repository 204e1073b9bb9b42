//! Machine translation behind one trait: the built-in engine (Marian/OPUS-MT models on
//! candle, on this machine), HTTP engines (LibreTranslate, OpenAI-compatible chat servers,
//! DeepL) with inline codes and required terms carried through, retries and clear errors,
//! and a terminology check.

pub mod builtin;
pub mod engine;
pub mod engines;
pub mod http;
pub mod marian;
pub mod markup;
pub mod models;
pub mod restore;
pub mod spec;
pub mod spm;

pub use stdbridge_content::terms;

pub use engine::{EngineError, EngineRequest, EngineSegment, TermConstraint, TranslationEngine};
pub use spec::engine_from_spec;
