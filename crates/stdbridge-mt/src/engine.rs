//! The engine trait is `stdbridge-content`'s ([`TranslationEngine`]): a batch of segments
//! with their codes and required terms in, their translations out.

pub use stdbridge_content::engine::{
    EngineError, EngineFuture, EngineRequest, EngineSegment, TermConstraint, TranslationEngine,
};
