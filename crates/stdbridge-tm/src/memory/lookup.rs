//! Finding in memories: exact and fuzzy matches for a segment, concordance.

use serde::Serialize;

use super::{Memories, decode};
use crate::error::TmError;
use crate::fuzzy::{self, Analyzed, DiffPart};
use crate::unit::{Segment, Unit, props};

/// A lookup.
#[derive(Debug, Clone)]
pub struct LookupRequest {
    /// Memories to look in (names).
    pub memories: Vec<String>,
    /// Source language of the query.
    pub source_lang: String,
    /// Language of the translations wanted.
    pub target_lang: String,
    /// The segment to translate.
    pub query: Segment,
    /// Most matches to return.
    pub limit: usize,
    /// Lowest score to return.
    pub min_score: u8,
}

/// A match from a memory.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// 0–100; 100 is an exact match.
    pub score: u8,
    /// `exact` (100) or `fuzzy`.
    pub kind: &'static str,
    /// The stored source text (inline codes left out).
    pub source: String,
    /// The stored translation (inline codes left out).
    pub target: String,
    /// The stored source with inline codes as `{kind}` markers.
    pub source_marked: String,
    /// The stored translation with inline codes as `{kind}` markers.
    pub target_marked: String,
    /// Source language as stored.
    pub source_lang: String,
    /// Target language as stored.
    pub target_lang: String,
    /// How the stored source differs from the query.
    pub diff: Vec<DiffPart>,
    /// Where the unit comes from.
    pub origin: Origin,
    /// The memory.
    pub memory: String,
    /// The unit's id in the store.
    pub unit_id: i64,
    /// The unit's TMX tuid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tuid: Option<String>,
    /// Who made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// When it was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<String>,
    /// How often it was used.
    pub usage_count: i64,
    /// The unit itself (for callers that need its codes).
    #[serde(skip)]
    pub unit: Unit,
}

/// Where a unit comes from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Origin {
    /// The document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The standard (designation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// Subject field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// A concordance hit: a unit whose source or target holds the phrase.
#[derive(Debug, Clone, Serialize)]
pub struct ConcordanceHit {
    /// The memory.
    pub memory: String,
    /// Unit id.
    pub unit_id: i64,
    /// The language in which the phrase was found.
    pub found_in: String,
    /// Each language version: (language, text).
    pub variants: Vec<(String, String)>,
    /// Byte ranges of the phrase in the text where it was found.
    pub spans: Vec<(usize, usize)>,
}

impl Memories {
    /// Exact and fuzzy matches for a segment, best first.
    pub async fn lookup(&self, request: &LookupRequest) -> Result<Vec<Match>, TmError> {
        let memories = self.resolve(&request.memories).await?;
        let ids: Vec<i64> = memories.keys().copied().collect();
        let query = Analyzed::segment(&request.query);
        let wanted = request.limit.max(1);
        let started = std::time::Instant::now();
        let candidates =
            self.index
                .candidates(&ids, &request.source_lang, &query, (wanted * 4).max(40))?;
        let unit_ids: Vec<i64> = candidates.iter().map(|c| c.unit).collect();
        let searched = started.elapsed();
        let stored = self.store.units(&unit_ids).await?;
        let fetched = started.elapsed();
        let mut matches = Vec::new();
        for stored in &stored {
            let unit = decode(stored)?;
            let (Some(source), Some(target)) = (
                unit.variant(&request.source_lang),
                unit.variant(&request.target_lang),
            ) else {
                continue;
            };
            if std::ptr::eq(source, target) {
                continue;
            }
            let analyzed = Analyzed::segment(&source.seg);
            let score = fuzzy::score(&query, &analyzed);
            if score < request.min_score {
                continue;
            }
            let memory = memories.get(&stored.memory_id).cloned().unwrap_or_default();
            matches.push(Match {
                score,
                kind: if score == 100 { "exact" } else { "fuzzy" },
                source: source.seg.plain(),
                target: target.seg.plain(),
                source_marked: source.seg.marked(),
                target_marked: target.seg.marked(),
                source_lang: source.lang.clone(),
                target_lang: target.lang.clone(),
                diff: fuzzy::diff(&analyzed, &query),
                origin: Origin {
                    document: unit.prop(props::ORIGIN_DOCUMENT).map(str::to_owned),
                    standard: unit.prop(props::ORIGIN_STANDARD).map(str::to_owned),
                    domain: unit.prop(props::DOMAIN).map(str::to_owned),
                },
                memory,
                unit_id: stored.id,
                tuid: unit.attr("tuid").map(str::to_owned),
                creator: unit.attr("creationid").map(str::to_owned),
                created: unit.attr("creationdate").map(str::to_owned),
                changed: unit.attr("changedate").map(str::to_owned),
                usage_count: stored.usage_count,
                unit: unit.clone(),
            });
        }
        // Best score first; among equals the most recently changed, then the most used.
        matches.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| b.changed.cmp(&a.changed))
                .then_with(|| b.usage_count.cmp(&a.usage_count))
                .then_with(|| a.unit_id.cmp(&b.unit_id))
        });
        matches.truncate(request.limit);
        tracing::debug!(
            candidates = unit_ids.len(),
            search_ms = searched.as_secs_f64() * 1000.0,
            fetch_ms = (fetched - searched).as_secs_f64() * 1000.0,
            score_ms = (started.elapsed() - fetched).as_secs_f64() * 1000.0,
            "lookup"
        );
        Ok(matches)
    }

    /// Units whose text holds `phrase` (case and width folded; for Chinese and Japanese
    /// any substring), in source or target.
    pub async fn concordance(
        &self,
        memory_names: &[String],
        phrase: &str,
        limit: usize,
    ) -> Result<Vec<ConcordanceHit>, TmError> {
        let needle = fold(phrase.trim());
        if needle.is_empty() {
            return Err(TmError::Invalid("the concordance phrase is empty".into()));
        }
        let memories = self.resolve(memory_names).await?;
        let ids: Vec<i64> = memories.keys().copied().collect();
        let analyzed = Analyzed::text(phrase);
        let unit_ids = if analyzed.content.is_empty() {
            Vec::new()
        } else {
            self.index
                .containing(&ids, &analyzed, limit.saturating_mul(20).max(200))?
        };
        let mut hits = Vec::new();
        for stored in self.store.units(&unit_ids).await? {
            let unit = decode(&stored)?;
            let found = unit.variants.iter().find_map(|variant| {
                let text = variant.seg.plain();
                let spans = find_all(&text, &needle);
                (!spans.is_empty()).then(|| (variant.lang.clone(), spans))
            });
            let Some((found_in, spans)) = found else {
                continue;
            };
            hits.push(ConcordanceHit {
                memory: memories.get(&stored.memory_id).cloned().unwrap_or_default(),
                unit_id: stored.id,
                found_in,
                variants: unit
                    .variants
                    .iter()
                    .map(|v| (v.lang.clone(), v.seg.plain()))
                    .collect(),
                spans,
            });
        }
        hits.sort_by_key(|hit| hit.unit_id);
        hits.truncate(limit);
        Ok(hits)
    }
}

/// Case and width folding for concordance.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().collect::<String>().to_lowercase()
}

/// Byte ranges in `text` of every occurrence of the folded `needle`.
fn find_all(text: &str, needle: &str) -> Vec<(usize, usize)> {
    // Fold char by char, keeping where each folded char came from.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
    for (at, ch) in text.char_indices() {
        let piece = fold(ch.encode_utf8(&mut [0; 4]));
        for _ in 0..piece.len() {
            origin.push(at);
        }
        folded.push_str(&piece);
    }
    origin.push(text.len());
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = folded[from..].find(needle) {
        let start = from + found;
        let end = start + needle.len();
        let original_end = origin[end.min(origin.len() - 1)];
        let original_end = if end >= folded.len() {
            text.len()
        } else {
            original_end
        };
        spans.push((origin[start], original_end));
        from = end;
    }
    spans
}
