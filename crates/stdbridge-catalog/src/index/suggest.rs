//! Suggestions for a search box, as the user types: standards whose designation starts
//! with the text (spacing, case and width aside), else whose title has the words typed so
//! far with the last one as a prefix. Standards in force come first.

use stdbridge_core::designation::parse_candidates;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, RegexQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, Term};

use super::query::{currency, regex_escape};
use super::sync::compact_key;
use super::{CatalogIndex, IndexError};

/// One suggestion: what the search box shows.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    /// The designation.
    pub designation: String,
    /// Its title in the language asked for, else English, else the first it has.
    pub title: Option<String>,
    /// Its status.
    pub status: Option<&'static str>,
}

/// Letters a lone Latin-script word needs before titles are suggested for it.
const MIN_LATIN_PREFIX: usize = 3;

/// Most suggestions one call gives.
pub const MAX_SUGGESTIONS: usize = 50;

impl CatalogIndex {
    /// Store ids of up to `limit` standards to suggest for `typed`, best first.
    pub fn suggest(&self, typed: &str, limit: usize) -> Result<Vec<i64>, IndexError> {
        super::check_query_size(typed)?;
        let typed = typed.trim();
        let limit = limit.clamp(1, MAX_SUGGESTIONS);
        if typed.is_empty() {
            return Ok(Vec::new());
        }
        let mut ids = Vec::with_capacity(limit);
        if typed.chars().any(|c| c.is_numeric()) {
            // As typed, and as the designation parser reads it ("gbt 1" → "GB/T 1").
            let mut prefixes = vec![compact_key(typed)];
            for candidate in parse_candidates(typed) {
                prefixes.push(compact_key(&candidate.undated_key()));
            }
            prefixes.sort_unstable();
            prefixes.dedup();
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for prefix in prefixes {
                let pattern = format!("{}.*", regex_escape(&prefix));
                let query = RegexQuery::from_pattern(&pattern, self.fields.compact)
                    .map_err(|e| self.error(e))?;
                any.push((Occur::Should, Box::new(query)));
            }
            self.collect(&BooleanQuery::new(any), limit, &mut ids)?;
        }
        if ids.len() < limit
            && let Some(words) = self.title_prefix_query(typed)
        {
            self.collect(words.as_ref(), limit, &mut ids)?;
        }
        Ok(ids)
    }

    /// Suggestions read from the store, titles in `lang` where there is one.
    pub async fn suggestions<S: stdbridge_storage::CatalogRepository + ?Sized>(
        &self,
        store: &S,
        typed: &str,
        lang: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, IndexError> {
        let ids = self.suggest(typed, limit)?;
        Self::suggestions_of(store, &ids, lang).await
    }

    /// The suggestions for ids [`CatalogIndex::suggest`] found, read from the store.
    pub async fn suggestions_of<S: stdbridge_storage::CatalogRepository + ?Sized>(
        store: &S,
        ids: &[i64],
        lang: &str,
    ) -> Result<Vec<Suggestion>, IndexError> {
        let records = store.records_by_ids(ids).await?;
        Ok(ids
            .iter()
            .filter_map(|id| records.iter().find(|(rid, _, _)| rid == id))
            .map(|(_, _, record)| Suggestion {
                designation: record.designation.clone(),
                title: record
                    .title(lang)
                    .or_else(|| record.title("en"))
                    .or_else(|| record.titles.first().map(|t| t.full.as_str()))
                    .map(str::to_owned),
                status: record.status.map(|s| s.as_str()),
            })
            .collect())
    }

    /// Every word typed but the last as a whole word of a title, the last as a prefix.
    fn title_prefix_query(&self, typed: &str) -> Option<Box<dyn Query>> {
        let folded = stdbridge_text::fold_for_search(typed);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let (last, whole) = words.split_last()?;
        let cjk = last.chars().any(stdbridge_text::is_cjk);
        // One or two Latin letters alone start too many title words to suggest from.
        if !cjk && whole.is_empty() && last.chars().count() < MIN_LATIN_PREFIX {
            return None;
        }
        let field = if cjk {
            self.fields.title_zh_bigrams
        } else {
            self.fields.title_words
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = whole
            .iter()
            .map(|word| {
                let term = Term::from_field_text(self.fields.title_words, word);
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        // Chinese is indexed as bigrams: the prefix is the last character's bigrams.
        let prefix = if field == self.fields.title_zh_bigrams {
            last.chars().rev().take(1).collect::<String>()
        } else {
            (*last).to_owned()
        };
        let pattern = format!("{}.*", regex_escape(&prefix));
        let prefix = RegexQuery::from_pattern(&pattern, field).ok()?;
        clauses.push((Occur::Must, Box::new(prefix)));
        if field == self.fields.title_zh_bigrams {
            for bigram in self.tokens(stdbridge_text::Analyzer::Bigram, last) {
                let term = Term::from_field_text(field, &bigram);
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// Adds the ids of the best matches not yet in `ids`, standards in force first.
    fn collect(
        &self,
        query: &dyn Query,
        limit: usize,
        ids: &mut Vec<i64>,
    ) -> Result<(), IndexError> {
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(limit * 2).tweak_score(in_force_first);
        let docs = searcher.search(query, &top).map_err(|e| self.error(e))?;
        for (_, address) in docs {
            if ids.len() == limit {
                break;
            }
            if let Some(id) = self.id_at(&searcher, address)?
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        Ok(())
    }
}

/// Regex queries score every match alike: order by currency, then by newness.
fn in_force_first(segment: &SegmentReader) -> impl Fn(DocId, Score) -> Score + use<> {
    let currency = currency(segment);
    move |doc: DocId, _score: Score| {
        let (rank, year) = currency(doc);
        (3.0 - rank) * 10_000.0 + year
    }
}
