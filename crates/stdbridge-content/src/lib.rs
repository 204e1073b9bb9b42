//! The segment model that filters, translation memories, machine translation and quality
//! checks share: content (text and inline codes), text units cut into segments, the check
//! and repair of codes in a translation, pseudo-translation, a segment's target with its
//! state and candidates, and the one translation engine trait.
//!
//! No I/O, no store, no formats: a filter turns a document into [`TextUnit`]s, everything
//! downstream works on these types.

pub mod codes;
pub mod engine;
pub mod model;
pub mod pseudo;
pub mod segment;
pub mod target;
pub mod terms;

pub use engine::{
    EngineError, EngineFuture, EngineRequest, EngineSegment, NoEngine, PseudoEngine,
    TermConstraint, TranslationEngine,
};
pub use model::{Code, CodeKind, Content, Item, Paragraph};
pub use pseudo::{PseudoTerm, pseudo_translate, pseudo_translate_with_terms};
pub use segment::{Part, TextUnit};
pub use target::{MatchInfo, SegmentState, SegmentTarget};
