//! A segment's translation as a CAT tool records it: the content, its state (XLIFF 2
//! `state` and a finer sub-state) and the candidates a translator was shown.

use crate::model::Content;

/// Where a segment's translation stands (XLIFF 2 `state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentState {
    /// Not yet translated, or a fuzzy or machine translation to check.
    Initial,
    /// Translated.
    Translated,
    /// Reviewed.
    Reviewed,
    /// Final.
    Final,
}

impl SegmentState {
    /// Its name in XLIFF 2.
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentState::Initial => "initial",
            SegmentState::Translated => "translated",
            SegmentState::Reviewed => "reviewed",
            SegmentState::Final => "final",
        }
    }
}

/// A candidate translation shown to the translator (`<mtc:match>`).
#[derive(Debug, Clone)]
pub struct MatchInfo {
    /// 0–100.
    pub similarity: u8,
    /// `tm` or `mt`.
    pub kind: &'static str,
    /// Where it comes from (`tm:NAME`, an engine name).
    pub origin: String,
    /// Its source text.
    pub source: String,
    /// Its translation.
    pub target: String,
}

/// What goes into one segment's `<target>`.
#[derive(Debug, Clone)]
pub struct SegmentTarget {
    /// The translation, with the source's codes.
    pub content: Content,
    /// Its state.
    pub state: SegmentState,
    /// Finer state, written as `subState="sb:…"` (`exact`, `fuzzy-87`, `mt`, `repetition`).
    pub sub_state: Option<String>,
    /// Candidates to show.
    pub matches: Vec<MatchInfo>,
}
