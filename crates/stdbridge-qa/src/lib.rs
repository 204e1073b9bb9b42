//! Standards-aware quality checks of translations between Chinese and English.
//!
//! A translated standard is wrong in ways that matter legally when 应 (shall) becomes
//! "should", 30 480 kg becomes 30 840 kg or GB/T 191-2008 becomes GB/T 191-2018. The
//! checks here know the verbal forms of ISO/IEC Directives Part 2 and GB/T 1.1-2020
//! Annex C, numbers in every way the two languages write them, units, designations,
//! termbase terms and inline codes — and aim at precision as much as recall: a QA tool
//! that cries wolf is switched off.
//!
//! No I/O, no store: the caller gives [`Pair`]s of source and target content and, for the
//! checks that need them, lookups ([`TermLookup`], [`DesignationLookup`]). Every check has
//! a stable id ([`CheckId`]), a [`Severity`] and a message in English and Chinese.

mod codes;
mod consistency;
pub mod definitions;
pub mod designations;
mod finding;
pub mod numbers;
mod punctuation;
mod terms;
mod units;
mod untranslated;
pub mod verbal;
mod whitespace;

use std::collections::BTreeSet;

use stdbridge_content::Content;
use stdbridge_content::model::plain_text;

pub use definitions::{Entry as DefinitionEntry, terms_and_definitions};
pub use designations::{CitedEdition, DesignationLookup, NoCatalog, designations_in};
pub use finding::{CharSpan, CheckId, Finding, Message, Severity};
pub use terms::{NoTerms, TermEntry, TermLookup};
pub use verbal::Rules;

/// One segment to check: its source and its target (none when it has none yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The unit it belongs to (a TMX `tuid`, an XLIFF unit id, a paragraph's place).
    pub unit: String,
    /// Its position in the file, from 1.
    pub segment: usize,
    /// Source content with inline codes.
    pub source: Content,
    /// Target content, if any.
    pub target: Option<Content>,
}

impl Pair {
    /// A pair of plain texts.
    pub fn text(unit: impl Into<String>, segment: usize, source: &str, target: &str) -> Pair {
        let content = |text: &str| {
            if text.is_empty() {
                Vec::new()
            } else {
                vec![stdbridge_content::Item::Text(text.to_owned())]
            }
        };
        Pair {
            unit: unit.into(),
            segment,
            source: content(source),
            target: Some(content(target)),
        }
    }
}

/// What to check and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The source language (BCP 47).
    pub source_lang: String,
    /// The target language (BCP 47).
    pub target_lang: String,
    /// Which verbal forms apply.
    pub rules: Rules,
    /// The checks to run (every check when empty).
    pub checks: BTreeSet<CheckId>,
}

impl Options {
    /// Every check, between two languages, with the rules of standards.
    pub fn new(source_lang: &str, target_lang: &str) -> Options {
        Options {
            source_lang: source_lang.to_owned(),
            target_lang: target_lang.to_owned(),
            rules: Rules::Standards,
            checks: BTreeSet::new(),
        }
    }

    fn runs(&self, check: CheckId) -> bool {
        self.checks.is_empty() || self.checks.contains(&check)
    }
}

/// Whether a language tag is Chinese (`zh`, `zh-CN`, `zh-Hans`, `cmn`).
pub fn is_chinese(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or_default();
    primary.eq_ignore_ascii_case("zh") || primary.eq_ignore_ascii_case("cmn")
}

/// A segment as the checks see it: plain texts and languages.
pub(crate) struct View<'a> {
    pub pair: &'a Pair,
    pub source: String,
    pub target: String,
    pub target_content: &'a [stdbridge_content::Item],
    pub source_zh: bool,
    pub target_zh: bool,
}

/// Runs the checks over the segments of one file. Document-level checks (consistency,
/// term consistency) see all of them; segments without a target are reported untranslated
/// only.
pub fn check(
    pairs: &[Pair],
    options: &Options,
    terms: &dyn TermLookup,
    catalog: &dyn DesignationLookup,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let verbal = verbal::VerbalForms::new(options.rules);
    let mut term_usage = terms::Usage::default();
    let mut views = Vec::with_capacity(pairs.len());
    static EMPTY: [stdbridge_content::Item; 0] = [];
    for pair in pairs {
        let target_content = pair.target.as_deref().unwrap_or(&EMPTY);
        let view = View {
            pair,
            source: plain_text(&pair.source),
            target: plain_text(target_content),
            target_content,
            source_zh: is_chinese(&options.source_lang),
            target_zh: is_chinese(&options.target_lang),
        };
        let mut raw = Vec::new();
        if options.runs(CheckId::Untranslated) {
            raw.extend(untranslated::check(&view));
        }
        if pair.target.is_some() && !view.target.trim().is_empty() {
            let index = views.len();
            let lookups = Lookups {
                terms,
                catalog,
                term_usage: &mut term_usage,
                index,
            };
            check_segment(&view, options, &verbal, lookups, &mut raw);
        }
        findings.extend(raw.into_iter().map(|raw| place(&view, raw)));
        views.push(view);
    }
    if options.runs(CheckId::Inconsistency) {
        for (index, raw) in consistency::check(&views) {
            findings.push(place(&views[index], raw));
        }
    }
    if options.runs(CheckId::Term) {
        for (index, raw) in term_usage.inconsistencies() {
            findings.push(place(&views[index], raw));
        }
    }
    findings.sort_by_key(|finding| finding.segment);
    findings
}

/// What the checks of one segment consult beyond the segment.
struct Lookups<'a> {
    terms: &'a dyn TermLookup,
    catalog: &'a dyn DesignationLookup,
    term_usage: &'a mut terms::Usage,
    index: usize,
}

fn check_segment(
    view: &View<'_>,
    options: &Options,
    verbal: &verbal::VerbalForms,
    lookups: Lookups<'_>,
    raw: &mut Vec<finding::Raw>,
) {
    let source_designations = designations_in(&view.source);
    let target_designations = designations_in(&view.target);
    if options.runs(CheckId::VerbalForm) {
        raw.extend(verbal.check(view));
    }
    let needs_numbers = options.runs(CheckId::Number) || options.runs(CheckId::Unit);
    if needs_numbers {
        let masked = |found: &[designations::Found]| {
            found
                .iter()
                .map(|found| found.range.clone())
                .collect::<Vec<_>>()
        };
        let source_numbers =
            numbers::quantities(&view.source, view.source_zh, &masked(&source_designations));
        let target_numbers =
            numbers::quantities(&view.target, view.target_zh, &masked(&target_designations));
        if options.runs(CheckId::Number) {
            raw.extend(numbers::check(&source_numbers, &target_numbers));
        }
        if options.runs(CheckId::Unit) {
            raw.extend(units::check(view, &source_numbers, &target_numbers));
        }
    }
    if options.runs(CheckId::Designation) {
        raw.extend(designations::check(
            &source_designations,
            &target_designations,
            lookups.catalog,
        ));
    }
    if options.runs(CheckId::Term) {
        raw.extend(terms::check(
            view,
            lookups.index,
            lookups.terms,
            lookups.term_usage,
        ));
    }
    if options.runs(CheckId::Code) {
        raw.extend(codes::check(view));
    }
    if options.runs(CheckId::Punctuation) {
        raw.extend(punctuation::check(view));
    }
    if options.runs(CheckId::Whitespace) {
        raw.extend(whitespace::check(view));
    }
}

fn place(view: &View<'_>, raw: finding::Raw) -> Finding {
    Finding {
        unit: view.pair.unit.clone(),
        segment: view.pair.segment,
        check: raw.check,
        severity: raw.severity,
        message: raw.message.en,
        message_zh: raw.message.zh,
        source_span: finding::char_span(&view.source, &raw.source),
        target_span: finding::char_span(&view.target, &raw.target),
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings
        .iter()
        .any(|finding| finding.severity == Severity::Error)
}
