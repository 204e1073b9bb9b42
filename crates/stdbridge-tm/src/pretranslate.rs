//! Pre-translation and analysis of a document's segments: repetitions once, then the exact
//! match, else the best fuzzy match at or above the threshold, else the engine's output;
//! and the word and character counts per match band, as translators are paid by them.

use std::collections::HashMap;

use serde::Serialize;
use stdbridge_content::model::{Content, Item, marked, plain_text};
use stdbridge_content::segment::TextUnit;
use stdbridge_content::target::{MatchInfo, SegmentState, SegmentTarget};
use stdbridge_content::terms::check;
use stdbridge_content::{EngineRequest, EngineSegment, TermConstraint, TranslationEngine};
use stdbridge_text::is_cjk;

use crate::error::TmError;
use crate::memory::{LookupRequest, Match, Memories};
use crate::termbase::TermMatcher;
use crate::unit::Segment;

/// What to pre-translate with.
#[derive(Debug, Clone)]
pub struct PretranslateOptions {
    /// Memories to look in.
    pub memories: Vec<String>,
    /// Source language.
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
    /// Lowest fuzzy score used as a translation (the analysis looks down to 50).
    pub min_score: u8,
}

/// Match bands of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum Band {
    /// Repeated within the document: translated once.
    #[serde(rename = "repetitions")]
    Repetition,
    /// 100 % (exact) matches.
    #[serde(rename = "100")]
    Exact,
    /// 95–99 %.
    #[serde(rename = "95-99")]
    High,
    /// 85–94 %.
    #[serde(rename = "85-94")]
    Good,
    /// 75–84 %.
    #[serde(rename = "75-84")]
    Fair,
    /// 50–74 %.
    #[serde(rename = "50-74")]
    Low,
    /// No match.
    #[serde(rename = "no match")]
    NoMatch,
}

impl Band {
    /// All bands in report order.
    pub const ALL: [Band; 7] = [
        Band::Repetition,
        Band::Exact,
        Band::High,
        Band::Good,
        Band::Fair,
        Band::Low,
        Band::NoMatch,
    ];

    /// The band of a score.
    pub fn of_score(score: Option<u8>) -> Band {
        match score {
            Some(100) => Band::Exact,
            Some(95..=99) => Band::High,
            Some(85..=94) => Band::Good,
            Some(75..=84) => Band::Fair,
            Some(50..=74) => Band::Low,
            _ => Band::NoMatch,
        }
    }

    /// Its label in tables.
    pub fn label(self) -> &'static str {
        match self {
            Band::Repetition => "Repetitions",
            Band::Exact => "100%",
            Band::High => "95-99%",
            Band::Good => "85-94%",
            Band::Fair => "75-84%",
            Band::Low => "50-74%",
            Band::NoMatch => "No match",
        }
    }
}

/// Counts of one band.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Segments.
    pub segments: u64,
    /// Words; each CJK character counts as one word.
    pub words: u64,
    /// Characters other than white space.
    pub characters: u64,
}

impl Counts {
    fn add(&mut self, text: &str) {
        self.segments += 1;
        self.words += word_count(text);
        self.characters += text.chars().filter(|c| !c.is_whitespace()).count() as u64;
    }
}

/// Words as translators count them: each CJK character is one, other scripts count runs
/// of letters and digits.
pub fn word_count(text: &str) -> u64 {
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            words += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else if !(in_word && matches!(c, '\'' | '’' | '-' | '.' | ',')) {
            in_word = false;
        }
    }
    words
}

/// The analysis of a document: counts per band and in total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Analysis {
    /// Per band, in report order.
    pub bands: Vec<(Band, Counts)>,
    /// All segments.
    pub total: Counts,
}

impl Analysis {
    fn new() -> Analysis {
        Analysis {
            bands: Band::ALL.iter().map(|b| (*b, Counts::default())).collect(),
            total: Counts::default(),
        }
    }

    fn add(&mut self, band: Band, text: &str) {
        if let Some((_, counts)) = self.bands.iter_mut().find(|(b, _)| *b == band) {
            counts.add(text);
        }
        self.total.add(text);
    }

    /// The counts of one band.
    pub fn band(&self, band: Band) -> Counts {
        self.bands
            .iter()
            .find(|(b, _)| *b == band)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }

    /// The analysis as a text table.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<12} {:>9} {:>9} {:>11} {:>7}\n",
            "Match", "Segments", "Words", "Characters", "Words%"
        );
        let total_words = self.total.words.max(1) as f64;
        for (band, counts) in &self.bands {
            out.push_str(&format!(
                "{:<12} {:>9} {:>9} {:>11} {:>6.1}%\n",
                band.label(),
                counts.segments,
                counts.words,
                counts.characters,
                counts.words as f64 * 100.0 / total_words
            ));
        }
        out.push_str(&format!(
            "{:<12} {:>9} {:>9} {:>11} {:>6.1}%\n",
            "Total", self.total.segments, self.total.words, self.total.characters, 100.0
        ));
        out
    }
}

/// How a segment got its translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "detail")]
pub enum Origin {
    /// An exact match.
    Exact,
    /// A fuzzy match of this score.
    Fuzzy(u8),
    /// The same source earlier in the document.
    Repetition,
    /// The engine of this name.
    Engine(String),
    /// Nothing: the source stays.
    Untranslated,
}

/// One segment after pre-translation.
#[derive(Debug, Clone)]
pub struct SegmentResult {
    /// Its translation with the source's codes, if any.
    pub target: Option<Content>,
    /// How it got it.
    pub origin: Origin,
    /// Its band in the analysis.
    pub band: Band,
    /// The best match's score, if any.
    pub best_score: Option<u8>,
    /// Candidates for the XLIFF.
    pub matches: Vec<MatchInfo>,
}

impl SegmentResult {
    /// The XLIFF target for this result.
    pub fn xliff_target(&self) -> Option<SegmentTarget> {
        let content = self.target.clone()?;
        let (state, sub) = match &self.origin {
            Origin::Exact => (SegmentState::Translated, "exact".to_string()),
            Origin::Fuzzy(score) => (SegmentState::Initial, format!("fuzzy-{score}")),
            Origin::Repetition => (SegmentState::Translated, "repetition".to_string()),
            Origin::Engine(name) => (SegmentState::Initial, format!("mt-{name}")),
            Origin::Untranslated => return None,
        };
        Some(SegmentTarget {
            content,
            state,
            sub_state: Some(sub),
            matches: self.matches.clone(),
        })
    }
}

/// A pre-translated document.
#[derive(Debug, Clone, Default)]
pub struct Pretranslation {
    /// Results by unit id, one per segment.
    pub results: HashMap<String, Vec<SegmentResult>>,
    /// The analysis.
    pub analysis: Analysis,
    /// Segments by origin: exact, fuzzy, repetition, engine, untranslated.
    pub by_origin: HashMap<&'static str, u64>,
}

impl Pretranslation {
    /// The translations of a unit's segments.
    pub fn targets(&self, unit: &TextUnit) -> Vec<Option<Content>> {
        self.results
            .get(&unit.id)
            .map(|results| results.iter().map(|r| r.target.clone()).collect())
            .unwrap_or_default()
    }
}

/// Segments sent to an engine in one request.
const ENGINE_BATCH: usize = 32;

/// Reports how far a pre-translation got: segments looked up in the memories, then
/// segments translated by the engine, each out of its total.
pub type PretranslateProgress<'a> = &'a (dyn Fn(PretranslatePhase, usize, usize) + Sync);

/// The phases of a pre-translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PretranslatePhase {
    /// Looking segments up in the memories.
    Memories,
    /// Translating what no match covers.
    Engine,
}

/// Pre-translates and analyses `units`: the memories first, then `engine` for what no
/// match translates, with the terms `terms` recognizes as constraints.
pub async fn pretranslate(
    memories: &Memories,
    units: &[TextUnit],
    options: &PretranslateOptions,
    engine: &dyn TranslationEngine,
    terms: Option<&TermMatcher>,
    progress: PretranslateProgress<'_>,
) -> Result<Pretranslation, TmError> {
    let segments: usize = units.iter().map(|u| u.segments().count()).sum();
    let mut looked_up = 0;
    let mut out = Pretranslation {
        analysis: Analysis::new(),
        ..Pretranslation::default()
    };
    let mut first_seen: HashMap<String, (String, usize)> = HashMap::new();
    // Segments no match translates, for the engine in one batch.
    let mut for_engine: Vec<(String, usize, Content)> = Vec::new();
    for unit in units {
        let mut results = Vec::new();
        for (index, segment) in unit.segments().enumerate() {
            looked_up += 1;
            if looked_up % 64 == 0 || looked_up == segments {
                progress(PretranslatePhase::Memories, looked_up, segments);
            }
            let text = plain_text(segment);
            let key = marked(segment);
            if first_seen.contains_key(&key) {
                out.analysis.add(Band::Repetition, &text);
                results.push(SegmentResult {
                    target: None,
                    origin: Origin::Repetition,
                    band: Band::Repetition,
                    best_score: None,
                    matches: Vec::new(),
                });
                continue;
            }
            first_seen.insert(key, (unit.id.clone(), index));
            let best = best_match(memories, options, &text).await?;
            let score = best.as_ref().map(|m| m.score);
            let band = Band::of_score(score);
            out.analysis.add(band, &text);
            let matches = best
                .iter()
                .map(|m| MatchInfo {
                    similarity: m.score,
                    kind: "tm",
                    origin: format!("tm:{}", m.memory),
                    source: m.source.clone(),
                    target: m.target.clone(),
                })
                .collect();
            let result = match best {
                Some(found) if found.score >= options.min_score.min(100) => {
                    let (content, penalty) = place_codes(segment, &found.target);
                    let score = found.score.saturating_sub(penalty);
                    let origin = if score == 100 {
                        Origin::Exact
                    } else {
                        Origin::Fuzzy(score)
                    };
                    SegmentResult {
                        target: Some(content),
                        origin,
                        band,
                        best_score: Some(found.score),
                        matches,
                    }
                }
                _ => {
                    for_engine.push((unit.id.clone(), index, segment.clone()));
                    SegmentResult {
                        target: None,
                        origin: Origin::Untranslated,
                        band,
                        best_score: score,
                        matches,
                    }
                }
            };
            results.push(result);
        }
        out.results.insert(unit.id.clone(), results);
    }
    let translated = translate_all(engine, &for_engine, options, terms, progress).await?;
    for ((unit_id, index, source), target) in for_engine.iter().zip(translated) {
        // An engine may lose or mangle codes: they are put right here, never refused later.
        let target = target.map(|t| stdbridge_content::codes::repair(source, &t));
        if let Some(result) = out.results.get_mut(unit_id).and_then(|r| r.get_mut(*index))
            && target.is_some()
        {
            result.target = target;
            result.origin = Origin::Engine(engine.name().to_string());
        }
    }
    fill_repetitions(&mut out, units);
    for results in out.results.values() {
        for result in results {
            let kind = match result.origin {
                Origin::Exact => "exact",
                Origin::Fuzzy(_) => "fuzzy",
                Origin::Repetition => "repetition",
                Origin::Engine(_) => "engine",
                Origin::Untranslated => "untranslated",
            };
            *out.by_origin.entry(kind).or_default() += 1;
        }
    }
    Ok(out)
}

/// What no match translated, through the engine in batches, each segment with its term
/// constraints; a required term the engine left out is logged (the XLIFF's glossary shows
/// the translator the term to use).
async fn translate_all(
    engine: &dyn TranslationEngine,
    segments: &[(String, usize, Content)],
    options: &PretranslateOptions,
    terms: Option<&TermMatcher>,
    progress: PretranslateProgress<'_>,
) -> Result<Vec<Option<Content>>, TmError> {
    let mut out = Vec::with_capacity(segments.len());
    for chunk in segments.chunks(ENGINE_BATCH) {
        let batch: Vec<EngineSegment> = chunk
            .iter()
            .map(|(_, _, content)| EngineSegment {
                content: content.clone(),
                terms: constraints(terms, &plain_text(content)),
            })
            .collect();
        let request = EngineRequest {
            source_lang: &options.source_lang,
            target_lang: &options.target_lang,
            segments: &batch,
        };
        let translated = engine.translate(request).await?;
        for (segment, target) in batch.iter().zip(&translated) {
            let Some(target) = target else { continue };
            for problem in check(&plain_text(target), &segment.terms) {
                tracing::warn!(segment = %plain_text(&segment.content), %problem, "terminology");
            }
        }
        out.extend(translated);
        progress(PretranslatePhase::Engine, out.len(), segments.len());
    }
    out.resize(segments.len(), None);
    Ok(out)
}

/// The constraints for a segment: each recognized term with its preferred translation,
/// and the translations the termbase marks deprecated or forbidden.
pub fn constraints(matcher: Option<&TermMatcher>, text: &str) -> Vec<TermConstraint> {
    let Some(matcher) = matcher else {
        return Vec::new();
    };
    matcher
        .find(text)
        .into_iter()
        .filter_map(|hit| {
            let target = hit
                .preferred
                .clone()
                .or_else(|| hit.targets.first().map(|t| t.text.clone()))?;
            let forbidden = hit
                .targets
                .iter()
                .filter(|t| t.status.is_unwanted())
                .map(|t| t.text.clone())
                .collect();
            Some(TermConstraint {
                source: hit.text.clone(),
                target,
                forbidden,
            })
        })
        .collect()
}

/// The termbase's terms found in a unit, with their preferred translations: the glossary
/// a translator sees beside the unit.
pub fn unit_terms(matcher: &TermMatcher, unit: &TextUnit) -> Vec<(String, String)> {
    let mut terms: Vec<(String, String)> = Vec::new();
    for segment in unit.segments() {
        for hit in matcher.find(&plain_text(segment)) {
            let Some(target) = hit
                .preferred
                .clone()
                .or_else(|| hit.targets.first().map(|t| t.text.clone()))
            else {
                continue;
            };
            if !terms.iter().any(|(s, t)| *s == hit.text && *t == target) {
                terms.push((hit.text.clone(), target));
            }
        }
    }
    terms
}

/// Repetitions take their first occurrence's final translation (the engine runs after the
/// memory, so this is done last).
fn fill_repetitions(out: &mut Pretranslation, units: &[TextUnit]) {
    let mut first: HashMap<String, Option<Content>> = HashMap::new();
    for unit in units {
        for (index, segment) in unit.segments().enumerate() {
            let key = marked(segment);
            let Some(result) = out.results.get(&unit.id).and_then(|r| r.get(index)) else {
                continue;
            };
            if result.origin != Origin::Repetition {
                first.entry(key).or_insert_with(|| result.target.clone());
            } else if let Some(target) = first.get(&key).cloned()
                && let Some(result) = out.results.get_mut(&unit.id).and_then(|r| r.get_mut(index))
            {
                result.target = target;
            }
        }
    }
}

async fn best_match(
    memories: &Memories,
    options: &PretranslateOptions,
    text: &str,
) -> Result<Option<Match>, TmError> {
    if options.memories.is_empty() || text.trim().is_empty() {
        return Ok(None);
    }
    let request = LookupRequest {
        memories: options.memories.clone(),
        source_lang: options.source_lang.clone(),
        target_lang: options.target_lang.clone(),
        query: Segment::text(text),
        limit: 1,
        min_score: 50,
    };
    Ok(memories.lookup(&request).await?.into_iter().next())
}

/// The memory's translation with the source segment's codes: a pair whose text appears
/// as it is in the translation (a designation, a number, a Latin word) wraps it there;
/// codes before all text stay first, the others go to the end. Returns the content and
/// the score penalty: 1 when a code could not be placed where it belongs.
pub fn place_codes(source: &[Item], target_text: &str) -> (Content, u8) {
    let has_codes = source.iter().any(|i| !matches!(i, Item::Text(_)));
    if !has_codes {
        return (vec![Item::Text(target_text.to_string())], 0);
    }
    let leading: Vec<Item> = source
        .iter()
        .take_while(|i| matches!(i, Item::Ph(_)))
        .cloned()
        .collect();
    let mut content: Content = leading.clone();
    let mut placed: Vec<(usize, usize, u32)> = Vec::new();
    let mut trailing: Vec<Item> = Vec::new();
    let mut penalty = 0;
    let mut i = leading.len();
    while i < source.len() {
        match &source[i] {
            Item::Open(id) => {
                let close = source[i..]
                    .iter()
                    .position(|x| x == &Item::Close(*id))
                    .map(|p| i + p);
                let inner: String = close
                    .map(|c| plain_text(&source[i + 1..c]))
                    .unwrap_or_default();
                let nested = close
                    .is_some_and(|c| source[i + 1..c].iter().any(|x| !matches!(x, Item::Text(_))));
                let at = (!inner.trim().is_empty() && !nested)
                    .then(|| target_text.find(inner.as_str()))
                    .flatten();
                match (at, close) {
                    (Some(at), Some(close))
                        if !placed
                            .iter()
                            .any(|(s, e, _)| at < *e && at + inner.len() > *s) =>
                    {
                        placed.push((at, at + inner.len(), *id));
                        i = close;
                    }
                    (_, Some(close)) => {
                        trailing.extend(
                            source[i..=close]
                                .iter()
                                .filter(|x| !matches!(x, Item::Text(_)))
                                .cloned(),
                        );
                        penalty = 1;
                        i = close;
                    }
                    _ => {
                        trailing.push(source[i].clone());
                        penalty = 1;
                    }
                }
            }
            Item::Ph(_) => {
                let at_end = source[i..]
                    .iter()
                    .all(|x| !matches!(x, Item::Text(t) if !t.trim().is_empty()));
                if !at_end {
                    penalty = 1;
                }
                trailing.push(source[i].clone());
            }
            Item::Close(_) | Item::Text(_) => {}
        }
        i += 1;
    }
    placed.sort_unstable();
    let mut cursor = 0;
    for (start, end, id) in placed {
        if start > cursor {
            content.push(Item::Text(target_text[cursor..start].to_string()));
        }
        content.push(Item::Open(id));
        content.push(Item::Text(target_text[start..end].to_string()));
        content.push(Item::Close(id));
        cursor = end;
    }
    if cursor < target_text.len() {
        content.push(Item::Text(target_text[cursor..].to_string()));
    }
    content.extend(trailing);
    (content, penalty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_translators_bill_them() {
        assert_eq!(word_count("本标准适用于集装箱。"), 9);
        assert_eq!(
            word_count("This standard shall apply to ISO 1496-1:2013."),
            8
        );
        assert_eq!(word_count("GB/T 1.1 的要求"), 6);
    }

    #[test]
    fn codes_follow_the_text_they_wrap() {
        let source = vec![
            Item::Text("按".into()),
            Item::Open(1),
            Item::Text("GB/T 1.1".into()),
            Item::Close(1),
            Item::Text("起草。".into()),
            Item::Ph(2),
        ];
        let (content, penalty) = place_codes(&source, "Drafted according to GB/T 1.1.");
        assert_eq!(
            marked(&content),
            "Drafted according to {1}GB/T 1.1{/1}.{2/}"
        );
        assert_eq!(penalty, 0);
        let bold = vec![
            Item::Text("本标准".into()),
            Item::Open(1),
            Item::Text("应".into()),
            Item::Close(1),
            Item::Text("适用。".into()),
        ];
        let (content, penalty) = place_codes(&bold, "This standard shall apply.");
        assert_eq!(marked(&content), "This standard shall apply.{1}{/1}");
        assert_eq!(penalty, 1);
    }

    #[test]
    fn bands_follow_scores() {
        assert_eq!(Band::of_score(Some(100)), Band::Exact);
        assert_eq!(Band::of_score(Some(95)), Band::High);
        assert_eq!(Band::of_score(Some(94)), Band::Good);
        assert_eq!(Band::of_score(Some(75)), Band::Fair);
        assert_eq!(Band::of_score(Some(74)), Band::Low);
        assert_eq!(Band::of_score(Some(49)), Band::NoMatch);
        assert_eq!(Band::of_score(None), Band::NoMatch);
    }
}
