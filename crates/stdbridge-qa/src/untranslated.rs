//! `untranslated`: a target that is empty, or the source copied where the languages
//! differ in script (Chinese ↔ English) or the segment has words to translate.

use crate::View;
use crate::finding::{CheckId, Message, Raw, Severity};

/// The findings of one segment.
pub(crate) fn check(view: &View<'_>) -> Vec<Raw> {
    let source = view.source.trim();
    let target = view.target.trim();
    if !has_words(source) {
        return Vec::new();
    }
    let whole_source = 0..view.source.len();
    if view.pair.target.is_none() || target.is_empty() {
        return vec![
            Raw::new(
                CheckId::Untranslated,
                Severity::Error,
                Message::new("the segment is not translated", "该句段未翻译"),
            )
            .in_source(whole_source),
        ];
    }
    if source != target {
        return Vec::new();
    }
    let crosses_script =
        view.source_zh != view.target_zh && source.chars().any(stdbridge_text::is_han);
    let words = source
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .count();
    if crosses_script || words >= 3 {
        let severity = if crosses_script {
            Severity::Error
        } else {
            Severity::Warning
        };
        return vec![
            Raw::new(
                CheckId::Untranslated,
                severity,
                Message::new("the target is a copy of the source", "译文与原文相同"),
            )
            .in_source(whole_source)
            .in_target(0..view.target.len()),
        ];
    }
    Vec::new()
}

/// Whether text has letters or ideographs (not only numbers, codes and punctuation).
fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}
