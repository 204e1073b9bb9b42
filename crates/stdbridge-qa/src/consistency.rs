//! `inconsistency`: the same source translated differently in one file, and the same
//! target given for different sources.

use std::collections::HashMap;

use crate::View;
use crate::finding::{CheckId, Message, Raw, Severity};

/// Text compared for consistency: trimmed, white space collapsed, case folded.
fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Findings by view index.
pub(crate) fn check(views: &[View<'_>]) -> Vec<(usize, Raw)> {
    let mut by_source: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_target: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, view) in views.iter().enumerate() {
        if view.target.trim().is_empty() || !view.source.chars().any(char::is_alphabetic) {
            continue;
        }
        by_source.entry(key(&view.source)).or_default().push(index);
        by_target.entry(key(&view.target)).or_default().push(index);
    }
    let mut out = Vec::new();
    for indexes in by_source.values() {
        let first = &views[indexes[0]];
        for &index in &indexes[1..] {
            if key(&views[index].target) != key(&first.target) {
                out.push((
                    index,
                    Raw::new(
                        CheckId::Inconsistency,
                        Severity::Warning,
                        Message::new(
                            format!(
                                "the same source is translated differently in segment {}",
                                first.pair.segment
                            ),
                            format!("相同的原文在第 {} 句段中译法不同", first.pair.segment),
                        ),
                    )
                    .in_source(0..views[index].source.len())
                    .in_target(0..views[index].target.len()),
                ));
            }
        }
    }
    for indexes in by_target.values() {
        let first = &views[indexes[0]];
        for &index in &indexes[1..] {
            if key(&views[index].source) != key(&first.source) {
                out.push((
                    index,
                    Raw::new(
                        CheckId::Inconsistency,
                        Severity::Warning,
                        Message::new(
                            format!(
                                "the same translation is given for a different source in segment {}",
                                first.pair.segment
                            ),
                            format!("第 {} 句段的原文不同，译文却相同", first.pair.segment),
                        ),
                    )
                    .in_source(0..views[index].source.len())
                    .in_target(0..views[index].target.len()),
                ));
            }
        }
    }
    out.sort_by_key(|(index, _)| *index);
    out
}
