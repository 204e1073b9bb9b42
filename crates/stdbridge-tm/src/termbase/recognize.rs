//! Term recognition: which termbase terms a segment contains.
//!
//! The text and the terms are cut into the same tokens (see [`crate::fuzzy::tokenize`]):
//! characters for Chinese and Japanese, words elsewhere — lower-cased and, for languages
//! with a Snowball stemmer, stemmed, so "Containers" finds "container". The longest term
//! starting at each position wins and matches do not overlap. A Chinese term of one or two
//! characters must also start and end on word boundaries from the segmenter (which knows
//! the termbase's terms), so that 应 ("shall") is found in 本标准应适用 but not in 应用.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;
use stdbridge_text::WordSegmenter;

use super::{Concept, TermStatus};
use crate::fuzzy::{Token, is_cjk_char, tokenize};
use crate::unit::primary_language;

/// A term found in a segment.
#[derive(Debug, Clone, Serialize)]
pub struct TermHit {
    /// Byte offsets in the segment.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// The text as it appears in the segment.
    pub text: String,
    /// The termbase term it matched.
    pub term: String,
    /// That term's status.
    pub status: TermStatus,
    /// `deprecated` or `forbidden` when the segment uses a term it should not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// The concept's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    /// Subject field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_field: Option<String>,
    /// The target term to use (the preferred one, else the first admitted one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred: Option<String>,
    /// All target terms, best first.
    pub targets: Vec<TargetTerm>,
}

/// A target-language term of a recognized concept.
#[derive(Debug, Clone, Serialize)]
pub struct TargetTerm {
    /// The term.
    pub text: String,
    /// Its status.
    pub status: TermStatus,
    /// Part of speech.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of_speech: Option<String>,
}

/// Finds the terms of a termbase in segments of one language.
pub struct TermMatcher {
    concepts: Vec<Concept>,
    source_lang: String,
    target_lang: String,
    /// Token-key sequence → (concept, term) pairs.
    entries: HashMap<String, Vec<(usize, usize)>>,
    longest: usize,
    stemmer: Option<Stemmer>,
    cjk: bool,
    segmenter: Option<WordSegmenter>,
    short_cjk_terms: HashSet<String>,
}

impl TermMatcher {
    /// A matcher for terms of `source_lang` with equivalents in `target_lang`.
    pub fn new(concepts: Vec<Concept>, source_lang: &str, target_lang: &str) -> TermMatcher {
        let primary = primary_language(source_lang);
        let cjk = matches!(primary.as_str(), "zh" | "ja" | "ko");
        let stemmer = stemmer_for(&primary).map(Stemmer::create);
        let mut matcher = TermMatcher {
            concepts: Vec::new(),
            source_lang: source_lang.to_owned(),
            target_lang: target_lang.to_owned(),
            entries: HashMap::new(),
            longest: 0,
            stemmer,
            cjk,
            segmenter: None,
            short_cjk_terms: HashSet::new(),
        };
        let mut words: Vec<String> = Vec::new();
        for (concept_at, concept) in concepts.iter().enumerate() {
            let Some(section) = concept.section(source_lang) else {
                continue;
            };
            for (term_at, term) in section.terms.iter().enumerate() {
                let tokens = tokenize(&term.text);
                let keys = matcher.keys(&tokens);
                if keys.is_empty() {
                    continue;
                }
                matcher.longest = matcher.longest.max(keys.len());
                if cjk && term.text.chars().filter(|c| is_cjk_char(*c)).count() <= 2 {
                    matcher.short_cjk_terms.insert(keys.join("\u{1}"));
                }
                matcher
                    .entries
                    .entry(keys.join("\u{1}"))
                    .or_default()
                    .push((concept_at, term_at));
                if cjk {
                    words.push(term.text.clone());
                }
            }
        }
        if cjk {
            matcher.segmenter = Some(WordSegmenter::with_words(words.iter().map(String::as_str)));
        }
        matcher.concepts = concepts;
        matcher
    }

    /// How many concepts the matcher knows.
    pub fn concept_count(&self) -> usize {
        self.concepts.len()
    }

    /// The concepts it was built from.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The words to add to a Chinese word segmenter so that terms stay whole.
    pub fn source_terms(&self) -> impl Iterator<Item = &str> {
        self.concepts
            .iter()
            .filter_map(|concept| concept.section(&self.source_lang))
            .flat_map(|section| section.terms.iter().map(|term| term.text.as_str()))
    }

    fn keys(&self, tokens: &[Token]) -> Vec<String> {
        tokens
            .iter()
            .map(|token| {
                let word = &token.key;
                let is_cjk = word.chars().next().is_some_and(is_cjk_char);
                match &self.stemmer {
                    Some(stemmer) if !is_cjk => stemmer.stem(word).into_owned(),
                    _ => word.clone(),
                }
            })
            .collect()
    }

    /// The terms in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<TermHit> {
        if self.entries.is_empty() {
            return Vec::new();
        }
        let tokens = tokenize(text);
        let keys = self.keys(&tokens);
        let boundaries = self.word_boundaries(text);
        let mut hits = Vec::new();
        let mut at = 0;
        while at < keys.len() {
            let mut matched = None;
            for len in (1..=self.longest.min(keys.len() - at)).rev() {
                let key = keys[at..at + len].join("\u{1}");
                let Some(found) = self.entries.get(&key) else {
                    continue;
                };
                let start = tokens[at].range.start;
                let end = tokens[at + len - 1].range.end;
                if self.short_cjk_terms.contains(&key)
                    && let Some(boundaries) = &boundaries
                    && !(boundaries.contains(&start) && boundaries.contains(&end))
                {
                    continue;
                }
                matched = Some((len, start, end, found));
                break;
            }
            match matched {
                Some((len, start, end, found)) => {
                    hits.push(self.hit(text, start, end, found));
                    at += len;
                }
                None => at += 1,
            }
        }
        hits
    }

    /// Byte offsets where words start or end (Chinese and Japanese only).
    fn word_boundaries(&self, text: &str) -> Option<HashSet<usize>> {
        let segmenter = self.segmenter.as_ref().filter(|_| self.cjk)?;
        let mut set = HashSet::new();
        for range in segmenter.word_spans(text) {
            set.insert(range.start);
            set.insert(range.end);
        }
        Some(set)
    }

    fn hit(&self, text: &str, start: usize, end: usize, found: &[(usize, usize)]) -> TermHit {
        // Prefer a concept that has a target term; then the first.
        let (concept_at, term_at) = found
            .iter()
            .copied()
            .find(|(c, _)| self.concepts[*c].section(&self.target_lang).is_some())
            .unwrap_or(found[0]);
        let concept = &self.concepts[concept_at];
        let term = concept
            .section(&self.source_lang)
            .and_then(|section| section.terms.get(term_at))
            .cloned()
            .unwrap_or_default();
        let mut targets: Vec<TargetTerm> = concept
            .section(&self.target_lang)
            .map(|section| {
                section
                    .terms
                    .iter()
                    .map(|t| TargetTerm {
                        text: t.text.clone(),
                        status: t.status,
                        part_of_speech: t.part_of_speech.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        targets.sort_by_key(|t| t.status);
        let preferred = targets
            .iter()
            .find(|t| !t.status.is_unwanted())
            .map(|t| t.text.clone());
        TermHit {
            start,
            end,
            text: text[start..end].to_owned(),
            term: term.text.clone(),
            status: term.status,
            warning: term
                .status
                .is_unwanted()
                .then(|| format!("{:?}", term.status).to_lowercase()),
            concept: concept.id.clone(),
            subject_field: concept.subject_field.clone(),
            preferred,
            targets,
        }
    }
}

fn stemmer_for(primary: &str) -> Option<Algorithm> {
    Some(match primary {
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "it" => Algorithm::Italian,
        "pt" => Algorithm::Portuguese,
        "nl" => Algorithm::Dutch,
        "sv" => Algorithm::Swedish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::termbase::{LangSection, Term};

    fn concept(id: &str, zh: &str, en: &[(&str, TermStatus)]) -> Concept {
        Concept {
            id: Some(id.into()),
            languages: vec![
                LangSection {
                    lang: "zh-CN".into(),
                    terms: vec![Term {
                        text: zh.into(),
                        status: TermStatus::Preferred,
                        ..Term::default()
                    }],
                    ..LangSection::default()
                },
                LangSection {
                    lang: "en".into(),
                    terms: en
                        .iter()
                        .map(|(text, status)| Term {
                            text: (*text).into(),
                            status: *status,
                            ..Term::default()
                        })
                        .collect(),
                    ..LangSection::default()
                },
            ],
            ..Concept::default()
        }
    }

    fn termbase() -> Vec<Concept> {
        vec![
            concept("1", "应", &[("shall", TermStatus::Preferred)]),
            concept(
                "2",
                "集装箱",
                &[
                    ("container", TermStatus::Deprecated),
                    ("freight container", TermStatus::Preferred),
                ],
            ),
            concept(
                "3",
                "罐式集装箱",
                &[("tank container", TermStatus::Preferred)],
            ),
        ]
    }

    #[test]
    fn chinese_terms_longest_first_and_short_ones_on_word_boundaries() {
        let matcher = TermMatcher::new(termbase(), "zh-CN", "en");
        let hits = matcher.find("罐式集装箱和集装箱应符合本标准的要求。");
        let found: Vec<(&str, Option<&str>)> = hits
            .iter()
            .map(|h| (h.text.as_str(), h.preferred.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("罐式集装箱", Some("tank container")),
                ("集装箱", Some("freight container")),
                ("应", Some("shall")),
            ]
        );
        assert!(
            matcher.find("本标准的应用范围。").is_empty(),
            "应 inside 应用 is not the modal verb"
        );
    }

    #[test]
    fn english_is_case_insensitive_and_stem_aware_and_flags_deprecated_terms() {
        let matcher = TermMatcher::new(termbase(), "en", "zh-CN");
        let hits = matcher.find("Freight Containers and a container.");
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].text, "Freight Containers");
        assert_eq!(hits[0].preferred.as_deref(), Some("集装箱"));
        assert!(hits[0].warning.is_none());
        assert_eq!(hits[1].warning.as_deref(), Some("deprecated"));
    }
}
