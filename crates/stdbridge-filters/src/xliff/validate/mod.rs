//! XLIFF 2.x validation: the core schema (elements, attributes, their order) and the core
//! processing constraints (ids, languages, inline codes, references, reordering), and the
//! Format Style and Validation modules' attributes. Each problem names its line.
//!
//! One module per area of the specification: `structure` (the elements of a document,
//! their children and order, files, groups, units, notes, original data), `inline` (codes
//! and annotations in segments, their types and references), `pairing` (start and end
//! codes, reordering, codes that may not be removed, `cp`), `attributes` (allowed
//! attributes, ids, NMTOKENs, languages, the Format Style and Validation modules).
//! `support` holds what the areas share.

mod attributes;
mod inline;
mod pairing;
mod structure;
mod support;

use super::dom::{self, El};
use crate::error::FilterError;
use crate::xmltok::XmlDoc;

/// The XLIFF 2.0 and 2.1 core namespace.
pub const CORE: &str = "urn:oasis:names:tc:xliff:document:2.0";
/// The XLIFF 2.2 core namespace.
pub const CORE_22: &str = "urn:oasis:names:tc:xliff:document:2.2";
pub(super) const FS: &str = "urn:oasis:names:tc:xliff:fs:2.0";
pub(super) const VAL: &str = "urn:oasis:names:tc:xliff:validation:2.0";
pub(super) const MODULES: &str = "urn:oasis:names:tc:xliff:";

/// Checks an XLIFF 2 document; the first problem found is the error.
pub fn validate(input: &str, name: &str) -> Result<(), FilterError> {
    let doc = XmlDoc::parse(input, name)?;
    let root = dom::build(&doc, name)?;
    let core = if root.ns == CORE_22 { CORE_22 } else { CORE };
    let mut checker = Checker {
        name,
        core,
        src_lang: String::new(),
        trg_lang: None,
    };
    checker.xliff(&root)
}

struct Checker<'n> {
    name: &'n str,
    core: &'static str,
    src_lang: String,
    trg_lang: Option<String>,
}

pub(super) type Check = Result<(), FilterError>;

/// Which attributes from other namespaces an element may have.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Foreign {
    /// Any namespace (extension points).
    Any,
    /// Only the XLIFF modules' namespaces.
    Modules,
    /// None.
    None,
}

impl Checker<'_> {
    fn fail(&self, el: &El, message: impl Into<String>) -> FilterError {
        FilterError::xml(self.name, el.line, message)
    }
}
