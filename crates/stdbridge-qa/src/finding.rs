//! What a check reports: a finding with a stable check id, a severity, a message in
//! English and Chinese, and the spans of source and target it points at.

use serde::Serialize;

/// The checks, by their stable ids (what `--json`, the API and ignore lists use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    /// The requirement level of a clause (shall, should, may, can…) differs.
    VerbalForm,
    /// A number of the source is missing from the target, or one was added.
    Number,
    /// A quantity's unit differs, or is written without the space standards write.
    Unit,
    /// A cited standard differs, or the cited edition is withdrawn or replaced.
    Designation,
    /// A termbase term is not translated by its target term, or a forbidden term is used.
    Term,
    /// Inline codes missing, extra, doubled or unbalanced.
    Code,
    /// The target is empty or the source copied.
    Untranslated,
    /// The same source translated differently, or one target for different sources.
    Inconsistency,
    /// Full-width or half-width punctuation, end punctuation, unpaired brackets or quotes.
    Punctuation,
    /// Doubled, leading or trailing white space.
    Whitespace,
}

impl CheckId {
    /// Every check, in report order.
    pub const ALL: [CheckId; 10] = [
        CheckId::VerbalForm,
        CheckId::Number,
        CheckId::Unit,
        CheckId::Designation,
        CheckId::Term,
        CheckId::Code,
        CheckId::Untranslated,
        CheckId::Inconsistency,
        CheckId::Punctuation,
        CheckId::Whitespace,
    ];

    /// The id as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::VerbalForm => "verbal-form",
            CheckId::Number => "number",
            CheckId::Unit => "unit",
            CheckId::Designation => "designation",
            CheckId::Term => "term",
            CheckId::Code => "code",
            CheckId::Untranslated => "untranslated",
            CheckId::Inconsistency => "inconsistency",
            CheckId::Punctuation => "punctuation",
            CheckId::Whitespace => "whitespace",
        }
    }

    /// Reads an id as written in reports.
    pub fn parse(text: &str) -> Option<CheckId> {
        CheckId::ALL
            .into_iter()
            .find(|check| check.as_str() == text.trim())
    }
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding matters: an error makes `stdbridge qa` exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Wrong in a way that changes what the standard says.
    Error,
    /// Worth a look; may be right.
    Warning,
}

/// A message in the two languages of the user interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// In English.
    pub en: String,
    /// In Chinese.
    pub zh: String,
}

impl Message {
    /// A message from its two texts.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Message {
        Message {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

/// A half-open range of characters (Unicode scalar values) of a segment's plain text
/// (inline codes left out); `[0, 0]` when the finding points at nothing on that side.
pub type CharSpan = [usize; 2];

/// One finding in one segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    /// The unit it is in (TMX `tuid`, XLIFF unit id, a document's paragraph).
    pub unit: String,
    /// The segment's position in its file, from 1.
    pub segment: usize,
    /// Which check found it.
    pub check: CheckId,
    /// How much it matters.
    pub severity: Severity,
    /// What is wrong, in English.
    pub message: String,
    /// What is wrong, in Chinese.
    pub message_zh: String,
    /// Characters of the source it refers to: `[start, end)`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u64>, min_items = 2, max_items = 2))]
    pub source_span: CharSpan,
    /// Characters of the target it refers to: `[start, end)`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u64>, min_items = 2, max_items = 2))]
    pub target_span: CharSpan,
}

/// A finding before it is placed in a segment: spans are byte ranges of the plain texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raw {
    pub check: CheckId,
    pub severity: Severity,
    pub message: Message,
    pub source: std::ops::Range<usize>,
    pub target: std::ops::Range<usize>,
}

impl Raw {
    /// A finding of `check`.
    pub fn new(check: CheckId, severity: Severity, message: Message) -> Raw {
        Raw {
            check,
            severity,
            message,
            source: 0..0,
            target: 0..0,
        }
    }

    /// Pointing at these bytes of the source.
    pub fn in_source(mut self, range: std::ops::Range<usize>) -> Raw {
        self.source = range;
        self
    }

    /// Pointing at these bytes of the target.
    pub fn in_target(mut self, range: std::ops::Range<usize>) -> Raw {
        self.target = range;
        self
    }
}

/// The characters of `text` that a byte range covers.
pub(crate) fn char_span(text: &str, range: &std::ops::Range<usize>) -> CharSpan {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let count = |until: usize| {
        text.char_indices()
            .take_while(|(index, _)| *index < until)
            .count()
    };
    let first = count(start);
    let length = text
        .get(start..end)
        .map_or(0, |piece| piece.chars().count());
    [first, first + length]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_become_character_spans() {
        let text = "应按GB/T 191";
        let start = text.find("GB").unwrap_or_default();
        assert_eq!(char_span(text, &(start..text.len())), [2, 10]);
        assert_eq!(char_span(text, &(0..0)), [0, 0]);
    }

    #[test]
    fn check_ids_read_back() {
        for check in CheckId::ALL {
            assert_eq!(CheckId::parse(check.as_str()), Some(check));
        }
        assert_eq!(CheckId::parse("spelling"), None);
    }
}
