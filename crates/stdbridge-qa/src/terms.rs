//! `term`: a source term with a target term in the project's termbases is translated by
//! it; deprecated and forbidden target terms are flagged; the same source term translated
//! two ways in one document is flagged (term inconsistency).

use std::collections::BTreeMap;

use crate::View;
use crate::finding::{CheckId, Message, Raw, Severity};

/// A termbase term found in a source segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermEntry {
    /// Byte range in the source's plain text.
    pub range: std::ops::Range<usize>,
    /// The source term.
    pub source: String,
    /// Admitted target terms, the preferred one first.
    pub targets: Vec<String>,
    /// Deprecated or forbidden target terms.
    pub forbidden: Vec<String>,
}

/// The termbases, as the term check asks them.
pub trait TermLookup {
    /// The terms of a source text (plain text, codes left out).
    fn terms(&self, source: &str) -> Vec<TermEntry>;
}

/// No termbase: terms are not checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTerms;

impl TermLookup for NoTerms {
    fn terms(&self, _: &str) -> Vec<TermEntry> {
        Vec::new()
    }
}

/// Where a target term was first used for a source term: the segment (view index) and
/// the ranges in source and target.
type FirstUse = (usize, std::ops::Range<usize>, std::ops::Range<usize>);

/// Which target term each source term was translated by, across a document.
#[derive(Debug, Default)]
pub(crate) struct Usage {
    /// Source term (lower case) → target term used → first segment (view index) and ranges.
    used: BTreeMap<String, BTreeMap<String, FirstUse>>,
}

impl Usage {
    /// Findings where one source term was translated by two admitted target terms.
    pub fn inconsistencies(&self) -> Vec<(usize, Raw)> {
        let mut out = Vec::new();
        for (source, targets) in &self.used {
            if targets.len() < 2 {
                continue;
            }
            let names: Vec<&str> = targets.keys().map(String::as_str).collect();
            for (index, source_range, target_range) in targets.values().skip(1) {
                out.push((
                    *index,
                    Raw::new(
                        CheckId::Term,
                        Severity::Warning,
                        Message::new(
                            format!(
                                "{source} is translated in more than one way in this document: {}",
                                names.join(", ")
                            ),
                            format!("本文件中“{source}”有多种译法：{}", names.join("、")),
                        ),
                    )
                    .in_source(source_range.clone())
                    .in_target(target_range.clone()),
                ));
            }
        }
        out
    }
}

/// Finds `needle` in `haystack` ignoring case; the byte range in `haystack`.
fn find_folded(haystack: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    if needle.is_empty() {
        return None;
    }
    let folded = haystack.to_lowercase();
    let needle = needle.to_lowercase();
    if folded.len() != haystack.len() {
        // Case folding changed lengths: fall back to an exact search.
        return haystack.find(&needle).map(|at| at..at + needle.len());
    }
    let at = folded.find(&needle)?;
    let end = at + needle.len();
    (haystack.is_char_boundary(at) && haystack.is_char_boundary(end)).then_some(at..end)
}

/// The term findings of one segment.
pub(crate) fn check(
    view: &View<'_>,
    index: usize,
    lookup: &dyn TermLookup,
    usage: &mut Usage,
) -> Vec<Raw> {
    let mut raw = Vec::new();
    for entry in lookup.terms(&view.source) {
        for forbidden in &entry.forbidden {
            let admitted_contains = entry
                .targets
                .iter()
                .any(|t| t.to_lowercase().contains(&forbidden.to_lowercase()));
            if let Some(range) = find_folded(&view.target, forbidden).filter(|_| !admitted_contains)
            {
                raw.push(
                    Raw::new(
                        CheckId::Term,
                        Severity::Error,
                        Message::new(
                            format!(
                                "{} is translated {forbidden:?}, which the termbase forbids{}",
                                entry.source,
                                preferred_hint(&entry, " (use {:?})")
                            ),
                            format!(
                                "“{}”译为“{forbidden}”，该译法为术语库禁用{}",
                                entry.source,
                                preferred_hint(&entry, "（应使用“{}”）")
                            ),
                        ),
                    )
                    .in_source(entry.range.clone())
                    .in_target(range),
                );
            }
        }
        if entry.targets.is_empty() {
            continue;
        }
        let used = entry
            .targets
            .iter()
            .find_map(|target| find_folded(&view.target, target).map(|range| (target, range)));
        match used {
            Some((target, range)) => {
                usage
                    .used
                    .entry(entry.source.to_lowercase())
                    .or_default()
                    .entry(target.clone())
                    .or_insert((index, entry.range.clone(), range));
            }
            None => raw.push(
                Raw::new(
                    CheckId::Term,
                    Severity::Warning,
                    Message::new(
                        format!(
                            "{} should be translated {:?} (termbase), which the translation lacks",
                            entry.source, entry.targets[0]
                        ),
                        format!(
                            "术语“{}”应译为“{}”（术语库），译文中没有",
                            entry.source, entry.targets[0]
                        ),
                    ),
                )
                .in_source(entry.range.clone()),
            ),
        }
    }
    raw
}

fn preferred_hint(entry: &TermEntry, pattern: &str) -> String {
    entry
        .targets
        .first()
        .map(|preferred| {
            if pattern.contains("{:?}") {
                pattern.replace("{:?}", &format!("{preferred:?}"))
            } else {
                pattern.replace("{}", preferred)
            }
        })
        .unwrap_or_default()
}
