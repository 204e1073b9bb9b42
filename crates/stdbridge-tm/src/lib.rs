//! Translation memory and termbase for stdbridge.
//!
//! - [`unit`]: the translation unit, lossless for TMX (inline codes, properties, notes).
//! - [`tmx`]: TMX 1.4b reading (streaming) and writing.
//! - [`fuzzy`]: match scores as translators expect them, and the difference to the query.
//! - [`index`]: the candidate index (tantivy) that keeps lookups fast at corpus scale.
//! - [`memory`]: named memories in the store: import, export, lookup, concordance.
//! - [`termbase`]: concept-oriented termbases, TBX and CSV glossaries, term recognition.

pub mod error;
pub mod fuzzy;
pub mod index;
pub mod memory;
pub mod pretranslate;
pub mod termbase;
pub mod tmx;
pub mod unit;

pub use error::TmError;
pub use memory::{ConcordanceHit, ImportReport, LookupRequest, Match, Memories};
pub use unit::{Inline, InlineTag, Segment, Unit, Variant};
