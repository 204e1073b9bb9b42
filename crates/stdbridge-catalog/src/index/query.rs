//! The query syntax and its execution. A query is free text — a designation in any
//! spelling, or words of a title in any language — with filters mixed in:
//! `ics:13.040 status:published year:2015..2020 body:SAC iec 60335`.
//!
//! | filter | values |
//! |---|---|
//! | `body:` | publisher abbreviation (`ISO`, `IEC`, `SAC`) |
//! | `country:` | ISO 3166 alpha-2 (`CN`) |
//! | `scope:` | `international`, `regional`, `national`, `sector`, `group`, `local` |
//! | `status:` | `published`, `confirmed`, `under-development`, `replaced`, `withdrawn`, `upcoming` |
//! | `nature:` | a Chinese standard's `mandatory` (GB), `recommended` (GB/T), `guidance` (GB/Z) |
//! | `type:` | document type (`standard`, `technical-report`, `amendment`…) |
//! | `lang:` | a language the document has a title in (`zh`, `en`, `ja`…) |
//! | `ics:` | an ICS field, group or sub-group (`13`, `13.040`, `13.040.20`) |
//! | `ccs:` | a CCS code (`F01`) |
//! | `year:` | `2015`, `2015..2020`, `2015..`, `..2020` |
//! | `sort:` | `relevance` (the default), `newest`, `oldest`, `designation` |
//!
//! Several values of one filter are separated by commas and mean "any of them".

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::Serialize;
use stdbridge_core::designation::parse_candidates;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocId, Order, Score, SegmentReader, Term};

use super::schema::{TAG_FIELDS, TITLE_LANGUAGES, tag_index};
use super::sync::compact_key;
use super::{CatalogIndex, IndexError};
use stdbridge_text::{Analyzer, is_han};

/// The filters the syntax knows, with the facet group each uses.
const TAG_FILTERS: [(&str, &str); 8] = [
    ("body", "body"),
    ("nature", "nature"),
    ("country", "country"),
    ("scope", "scope"),
    ("status", "status"),
    ("type", "type"),
    ("lang", "lang"),
    ("ccs", "ccs"),
];

/// The order of the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first; on ties, standards in force, then newer ones.
    #[default]
    Relevance,
    /// Newest publication year first.
    Newest,
    /// Oldest publication year first.
    Oldest,
    /// By designation, numbers in numeric order (ISO 9 before ISO 10).
    Designation,
}

impl Sort {
    /// Parses a `sort:` value.
    pub fn parse(value: &str) -> Option<Sort> {
        match value.to_lowercase().as_str() {
            "relevance" | "score" => Some(Sort::Relevance),
            "newest" | "date" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            "designation" | "number" => Some(Sort::Designation),
            _ => None,
        }
    }
}

/// Something the parser read otherwise than written, told to the user with the results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryNote {
    /// What it is: `year-range-reversed` (`year:2020..2010` read as `2010..2020`).
    pub code: &'static str,
    /// The value as it was read (`2010..2020`).
    pub value: String,
    /// The note in English.
    pub message: String,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// The free text: a designation or words.
    pub text: String,
    /// Facet filters: group and the values any of which may match.
    pub tags: Vec<(String, Vec<String>)>,
    /// ICS codes any of which may match.
    pub ics: Vec<String>,
    /// Year range.
    pub years: Option<(Option<u16>, Option<u16>)>,
    /// The order of the hits.
    pub sort: Sort,
    /// A series prefix (`ISO 9001-`, `GB/T 1.`): list the parts in numeric order.
    pub series: Option<String>,
    /// Count hits per facet value (costs time in proportion to the hits).
    pub facets: bool,
    /// Hits to skip (pagination).
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
    /// What was read otherwise than written.
    pub notes: Vec<QueryNote>,
}

/// Most characters a query may have.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words (and filters) a query may have.
pub const MAX_QUERY_WORDS: usize = 32;
/// Most characters one word of a query may have.
pub const MAX_WORD_CHARS: usize = 100;

/// The limits as the API's document gives them: at most [`MAX_QUERY_WORDS`] words of at
/// most [`MAX_WORD_CHARS`] characters (an ECMA 262 pattern: words are separated by its `\s`
/// and measured in UTF-16 code units, as JSON Schema validators do).
pub const QUERY_PATTERN: &str = r"^\s*(\S{1,100}(\s+\S{1,100}){0,31})?\s*$";

/// White space as ECMA 262's `\s` knows it (the patterns of the API's document): not
/// Rust's `char::is_whitespace`, which also takes U+0085 and leaves out U+FEFF.
pub fn is_pattern_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// Refuses a query over the limits (characters, words, characters of a word), naming
/// the limit: the cost of a search grows with them, and no real query comes near.
pub fn check_query_size(input: &str) -> Result<(), IndexError> {
    let chars = input.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(IndexError::Query(format!(
            "the query has {chars} characters; at most {MAX_QUERY_CHARS} are allowed"
        )));
    }
    let words: Vec<&str> = input
        .split(is_pattern_space)
        .filter(|word| !word.is_empty())
        .collect();
    if words.len() > MAX_QUERY_WORDS {
        return Err(IndexError::Query(format!(
            "the query has {} words; at most {MAX_QUERY_WORDS} are allowed",
            words.len()
        )));
    }
    if let Some(long) = words
        .iter()
        .find(|word| word.encode_utf16().count() > MAX_WORD_CHARS)
    {
        let shown: String = long.chars().take(20).collect();
        return Err(IndexError::Query(format!(
            "the word \"{shown}…\" has {} characters; at most {MAX_WORD_CHARS} are allowed",
            long.encode_utf16().count()
        )));
    }
    Ok(())
}

/// Parses the query syntax. Unknown `name:` prefixes are text (so that `ISO 9001:2015`
/// stays a designation); a known filter with a bad value is an error naming it. A query
/// over the size limits ([`check_query_size`]) is refused.
pub fn parse_query(input: &str, limit: usize) -> Result<SearchQuery, IndexError> {
    check_query_size(input)?;
    let mut query = SearchQuery {
        limit,
        facets: true,
        ..SearchQuery::default()
    };
    let mut words = Vec::new();
    for word in input.split_whitespace() {
        let applied = match word.split_once(':') {
            Some((name, value)) => query.apply_filter(name, value)?,
            None => false,
        };
        if !applied {
            words.push(word);
        }
    }
    query.text = words.join(" ");
    query.series = series_prefix(&query.text);
    Ok(query)
}

impl SearchQuery {
    /// Applies the filter `name:value` of the query syntax (`body:ISO,IEC`, `ics:13.020`,
    /// `year:2010..2020`, `sort:newest`…); false when `name` is not a filter (the word is
    /// then text). The value is taken whole: a caller that has it from its own field
    /// (a form, a query parameter) need not write it into a query string.
    pub fn apply_filter(&mut self, name: &str, value: &str) -> Result<bool, IndexError> {
        let name = name.to_lowercase();
        let values: Vec<String> = value
            .split(',')
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        if let Some((_, group)) = TAG_FILTERS.iter().find(|(filter, _)| *filter == name) {
            if values.is_empty() {
                return Err(IndexError::Query(format!("{name}: needs a value")));
            }
            let values = values
                .into_iter()
                .map(|v| normalize_tag(group, &v))
                .collect::<Result<_, _>>()?;
            self.tags.push(((*group).to_owned(), values));
        } else if name == "ics" {
            for code in &values {
                if !stdbridge_core::reference::IcsCode::is_well_formed(code) {
                    return Err(IndexError::Query(format!(
                        "ics: {code:?} is not an ICS code (NN, NN.NNN or NN.NNN.NN)"
                    )));
                }
            }
            self.ics.extend(values);
        } else if name == "year" {
            // `..` bounds nothing: no filter at all.
            let (range, reversed) = parse_years(value)?;
            if let (true, (Some(from), Some(to))) = (reversed, range) {
                self.notes.push(QueryNote {
                    code: "year-range-reversed",
                    value: format!("{from}..{to}"),
                    message: format!("year: {value} was read as {from}..{to}"),
                });
            }
            self.years = (range != (None, None)).then_some(range);
        } else if name == "sort" {
            self.sort = Sort::parse(value).ok_or_else(|| {
                IndexError::Query(format!(
                    "sort: {value:?} is not relevance, newest, oldest or designation"
                ))
            })?;
        } else {
            return Ok(false);
        }
        Ok(true)
    }
}

/// The key prefix of a series query: a designation without edition followed by the
/// separator of its parts (`ISO 9001-` → `ISO 9001-`, `gb/t 1.` → `GB/T 1.`).
fn series_prefix(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let separator = trimmed
        .chars()
        .last()
        .filter(|ch| matches!(ch, '-' | '.' | '—' | '－'))?;
    let stem = trimmed[..trimmed.len() - separator.len_utf8()].trim_end();
    let parsed = stdbridge_core::Designation::parse(stem).ok()?;
    if parsed.edition.is_some() || !parsed.supplements.is_empty() || parsed.trailer.is_some() {
        return None;
    }
    let joint = match parsed.family {
        stdbridge_core::Family::China
        | stdbridge_core::Family::Gost
        | stdbridge_core::Family::Itu => '.',
        _ => '-',
    };
    Some(format!("{}{joint}", parsed.key()))
}

fn normalize_tag(group: &str, value: &str) -> Result<String, IndexError> {
    match group {
        "body" | "country" | "ccs" => Ok(value.to_uppercase()),
        "lang" => Ok(value.to_lowercase()),
        "nature" => stdbridge_core::Nature::parse(&value.to_lowercase())
            .map(|nature| nature.as_str().to_owned())
            .ok_or_else(|| {
                IndexError::Query(format!(
                    "nature: {value:?} is not mandatory, recommended or guidance"
                ))
            }),
        "status" => {
            let known = [
                "published",
                "confirmed",
                "under-development",
                "replaced",
                "withdrawn",
                "upcoming",
            ];
            let value = value.to_lowercase();
            if known.contains(&value.as_str()) {
                Ok(value)
            } else {
                Err(IndexError::Query(format!(
                    "status: {value:?} is not one of {}",
                    known.join(", ")
                )))
            }
        }
        _ => Ok(value.to_lowercase()),
    }
}

/// The bounds of a `year:` filter, and whether they were written backwards.
type YearRange = (Option<u16>, Option<u16>);

fn parse_years(value: &str) -> Result<(YearRange, bool), IndexError> {
    let year = |text: &str| -> Result<Option<u16>, IndexError> {
        if text.is_empty() {
            return Ok(None);
        }
        Some(text)
            .filter(|t| t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()))
            .and_then(|t| t.parse::<u16>().ok())
            .filter(|y| (1800..=2200).contains(y))
            .map(Some)
            .ok_or_else(|| {
                IndexError::Query(format!(
                    "year: {text:?} is not a year between 1800 and 2200"
                ))
            })
    };
    match value.split_once("..") {
        // A range written backwards (2020..2010) means the same years.
        Some((from, to)) => match (year(from)?, year(to)?) {
            (Some(from), Some(to)) if from > to => Ok(((Some(to), Some(from)), true)),
            range => Ok((range, false)),
        },
        None => {
            let single = year(value)?;
            Ok(((single, single), false))
        }
    }
}

/// One hit: a standard id and its score.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct IndexHit {
    /// The standard's id in the store.
    pub id: i64,
    /// Relevance.
    pub score: f32,
}

/// Results of a search in the index.
#[derive(Debug, Clone, Serialize)]
pub struct IndexResults {
    /// Matching standards in all.
    pub total: usize,
    /// The page of hits asked for, best first.
    pub hits: Vec<IndexHit>,
    /// Counts per facet group (`status`, `body`, `country`, `scope`, `type`, `lang`, `ics`).
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
}

impl CatalogIndex {
    /// Runs a parsed query.
    pub fn search(&self, query: &SearchQuery) -> Result<IndexResults, IndexError> {
        let searcher = self.reader.searcher();
        if let Some(prefix) = &query.series {
            return self.series(query, prefix);
        }
        let built = self.build(query);
        let counts = query.facets.then(|| self.facet_collector()).transpose()?;
        let limit = query.limit.max(1);
        let (hits, total, counted) = match query.sort {
            Sort::Newest | Sort::Oldest => {
                let order = if query.sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let top = TopDocs::with_limit(limit)
                    .and_offset(query.offset)
                    .order_by_fast_field::<u64>("year", order);
                let (docs, total, counted) = searcher
                    .search(&built, &(top, Count, counts))
                    .map_err(|e| self.error(e))?;
                let hits = docs
                    .into_iter()
                    .map(|(year, address)| (year.unwrap_or(0) as f32, address))
                    .collect::<Vec<_>>();
                (hits, total, counted)
            }
            Sort::Designation => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(query.offset)
                    .order_by_string_fast_field("sort_key", Order::Asc);
                let (docs, total, counted) = searcher
                    .search(&built, &(top, Count, counts))
                    .map_err(|e| self.error(e))?;
                let hits = docs
                    .into_iter()
                    .map(|(_, address)| (0.0, address))
                    .collect::<Vec<_>>();
                (hits, total, counted)
            }
            Sort::Relevance => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(query.offset)
                    .tweak_score(currency_first);
                searcher
                    .search(&built, &(top, Count, counts))
                    .map_err(|e| self.error(e))?
            }
        };
        let mut results = IndexResults {
            total,
            hits: Vec::with_capacity(hits.len()),
            facets: BTreeMap::new(),
        };
        for (score, address) in hits {
            if let Some(id) = self.id_at(&searcher, address)? {
                results.hits.push(IndexHit { id, score });
            }
        }
        if let Some(counted) = &counted {
            self.fill_facets(&mut results, counted)?;
        }
        Ok(results)
    }

    /// The store id of the document at `address`.
    pub(super) fn id_at(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Result<Option<i64>, IndexError> {
        let column = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64("id")
            .map_err(|e| self.error(e))?;
        Ok(column
            .first(address.doc_id)
            .and_then(|id| i64::try_from(id).ok()))
    }

    fn fill_facets(
        &self,
        results: &mut IndexResults,
        counted: &tantivy::aggregation::agg_result::AggregationResults,
    ) -> Result<(), IndexError> {
        let counted =
            serde_json::to_value(counted).map_err(|e| IndexError::Query(e.to_string()))?;
        for name in TAG_FIELDS.iter().filter(|name| **name != "ics") {
            let buckets = counted
                .get(*name)
                .and_then(|agg| agg.get("buckets"))
                .and_then(|b| b.as_array());
            let counts: Vec<(String, u64)> = buckets
                .into_iter()
                .flatten()
                .filter_map(|bucket| {
                    let key = bucket.get("key")?.as_str()?.to_owned();
                    Some((key, bucket.get("doc_count")?.as_u64()?))
                })
                .collect();
            let group = if *name == "ics_field" { "ics" } else { name };
            results.facets.insert(group.to_owned(), sorted(counts));
        }
        Ok(())
    }

    /// The parts of a series, in numeric order of their part numbers, newest edition
    /// first within a part; filters apply.
    fn series(&self, query: &SearchQuery, prefix: &str) -> Result<IndexResults, IndexError> {
        const MOST: usize = 5_000;
        let searcher = self.reader.searcher();
        let pattern = format!("{}.+", regex_escape(prefix));
        let regex =
            RegexQuery::from_pattern(&pattern, self.fields.key).map_err(|e| self.error(e))?;
        let filtered = SearchQuery {
            text: String::new(),
            series: None,
            limit: MOST,
            ..query.clone()
        };
        let built = BooleanQuery::new(vec![
            (Occur::Must, Box::new(regex) as Box<dyn Query>),
            (Occur::Must, self.build(&filtered)),
        ]);
        let (docs, total, counted) = searcher
            .search(
                &built,
                &(
                    TopDocs::with_limit(MOST).order_by_score(),
                    Count,
                    query.facets.then(|| self.facet_collector()).transpose()?,
                ),
            )
            .map_err(|e| self.error(e))?;
        let mut parts: Vec<(Vec<u64>, std::cmp::Reverse<String>, i64)> =
            Vec::with_capacity(docs.len());
        for (_, address) in docs {
            let doc: tantivy::TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
            let key = doc
                .get_first(self.fields.key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            if let Some(id) = self.id_at(&searcher, address)? {
                let rest = key.strip_prefix(prefix).unwrap_or(&key).to_owned();
                parts.push((part_numbers(&rest), std::cmp::Reverse(rest), id));
            }
        }
        parts.sort();
        let hits = parts
            .into_iter()
            .skip(query.offset)
            .take(query.limit.max(1))
            .map(|(_, _, id)| IndexHit { id, score: 1.0 })
            .collect();
        let mut results = IndexResults {
            total,
            hits,
            facets: BTreeMap::new(),
        };
        if let Some(counted) = &counted {
            self.fill_facets(&mut results, counted)?;
        }
        Ok(results)
    }

    /// Counts of the hits per value of each keyword field (terms aggregations).
    fn facet_collector(&self) -> Result<AggregationCollector, IndexError> {
        let request: serde_json::Map<String, serde_json::Value> = TAG_FIELDS
            .iter()
            .filter(|name| **name != "ics")
            .map(|name| {
                (
                    (*name).to_owned(),
                    serde_json::json!({"terms": {"field": name, "size": 100}}),
                )
            })
            .collect();
        let aggregations: Aggregations = serde_json::from_value(serde_json::Value::Object(request))
            .map_err(|e| IndexError::Query(e.to_string()))?;
        let context = AggContextParams::new(Default::default(), self.index.tokenizers().clone());
        Ok(AggregationCollector::from_aggs(aggregations, context))
    }

    pub(super) fn build(&self, query: &SearchQuery) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !query.text.trim().is_empty() {
            clauses.push((Occur::Must, self.text_query(&query.text)));
        }
        for (group, values) in &query.tags {
            if let Some(index) = tag_index(group) {
                clauses.push((Occur::Must, self.any_of(self.fields.tags[index], values)));
            }
        }
        if let Some(index) = tag_index("ics")
            && !query.ics.is_empty()
        {
            clauses.push((
                Occur::Must,
                self.any_of(self.fields.tags[index], &query.ics),
            ));
        }
        if let Some((from, to)) = query.years {
            let bound = |year: Option<u16>, inclusive: fn(Term) -> Bound<Term>| match year {
                Some(year) => inclusive(Term::from_field_u64(self.fields.year, u64::from(year))),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(from, Bound::Included),
                    bound(to, Bound::Included),
                )),
            ));
        }
        if clauses.iter().all(|(occur, _)| *occur != Occur::Must) || clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Documents whose keyword field holds any of the values.
    fn any_of(&self, field: Field, values: &[String]) -> Box<dyn Query> {
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|value| {
                let term = Term::from_field_text(field, value);
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(any))
    }

    /// Designation matches (exact edition, then the work) or every word in a title or
    /// the designation.
    fn text_query(&self, text: &str) -> Box<dyn Query> {
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if text.chars().any(|c| c.is_ascii_digit()) {
            for candidate in parse_candidates(text) {
                let exact = Term::from_field_text(self.fields.key, &candidate.key());
                any.push((
                    Occur::Should,
                    boosted(TermQuery::new(exact, IndexRecordOption::Basic), 40.0),
                ));
                let work = Term::from_field_text(self.fields.undated, &candidate.undated_key());
                any.push((
                    Occur::Should,
                    boosted(TermQuery::new(work, IndexRecordOption::Basic), 20.0),
                ));
            }
        }
        if text.chars().any(|c| c.is_ascii_digit() || c.is_numeric()) {
            let compact = Term::from_field_text(self.fields.compact, &compact_key(text));
            any.push((
                Occur::Should,
                boosted(TermQuery::new(compact, IndexRecordOption::Basic), 30.0),
            ));
        }
        let folded = stdbridge_text::fold_for_search(text);
        let words: Vec<Box<dyn Query>> = folded
            .split_whitespace()
            .filter_map(|word| self.word_query(word))
            .collect();
        let several = words.len() > 1;
        if !words.is_empty() {
            let all: Vec<(Occur, Box<dyn Query>)> =
                words.into_iter().map(|q| (Occur::Must, q)).collect();
            any.push((Occur::Should, Box::new(BooleanQuery::new(all))));
        }
        if several {
            any.extend(self.phrase_queries(&folded));
        }
        Box::new(BooleanQuery::new(any))
    }

    /// The words close together (at most two words apart, in order) in a title: such
    /// titles rank above those that have the words scattered.
    fn phrase_queries(&self, folded: &str) -> Vec<(Occur, Box<dyn Query>)> {
        let mut phrases: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (lang, field) in TITLE_LANGUAGES.iter().zip(&self.fields.titles) {
            let analyzer = Analyzer::for_language(lang);
            if matches!(analyzer, Analyzer::Chinese | Analyzer::Bigram) {
                continue;
            }
            let terms: Vec<Term> = self
                .tokens(analyzer, folded)
                .iter()
                .map(|token| Term::from_field_text(*field, token))
                .collect();
            if terms.len() < 2 {
                continue;
            }
            let mut phrase = PhraseQuery::new(terms);
            phrase.set_slop(2);
            phrases.push((Occur::Should, boosted(phrase, 1.5)));
        }
        phrases
    }

    /// One word of the query, in any field that can hold it.
    fn word_query(&self, word: &str) -> Option<Box<dyn Query>> {
        let mut fields: Vec<(Field, Analyzer, f32)> = TITLE_LANGUAGES
            .iter()
            .zip(&self.fields.titles)
            .map(|(lang, field)| (*field, Analyzer::for_language(lang), 1.0))
            .collect();
        fields.push((self.fields.title_other, Analyzer::Plain, 1.0));
        fields.push((self.fields.designation, Analyzer::Code, 2.0));
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, analyzer, boost) in fields {
            let tokens = self.tokens(analyzer, word);
            let query: Box<dyn Query> = match tokens.as_slice() {
                [] => continue,
                [single] => boosted(
                    TermQuery::new(
                        Term::from_field_text(field, single),
                        IndexRecordOption::WithFreqs,
                    ),
                    boost,
                ),
                many => {
                    let all = many
                        .iter()
                        .map(|t| {
                            let term = Term::from_field_text(field, t);
                            (
                                Occur::Must,
                                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                                    as Box<dyn Query>,
                            )
                        })
                        .collect();
                    boosted(BooleanQuery::new(all), boost)
                }
            };
            any.push((Occur::Should, query));
        }
        if let Some(query) = self.bigram_query(word) {
            any.push((Occur::Should, query));
        }
        if let Some(distance) = typo_distance(word)
            && !self.is_known_word(word)
        {
            // Typos are looked up among unstemmed words, at a fifth of an exact match; a
            // word some title has is taken as meant.
            let term = Term::from_field_text(self.fields.title_words, word);
            any.push((
                Occur::Should,
                boosted(FuzzyTermQuery::new(term, distance, true), 0.2),
            ));
        }
        (!any.is_empty()).then(|| Box::new(BooleanQuery::new(any)) as Box<dyn Query>)
    }

    /// Whether some title has the word as written.
    fn is_known_word(&self, word: &str) -> bool {
        let term = Term::from_field_text(self.fields.title_words, word);
        self.reader
            .searcher()
            .doc_freq(&term)
            .is_ok_and(|count| count > 0)
    }

    /// Chinese words as character bigrams, all of which must be in a title, at half the
    /// weight of jieba's words; a single character matches the bigrams it starts.
    fn bigram_query(&self, word: &str) -> Option<Box<dyn Query>> {
        if !word.chars().any(is_han) {
            return None;
        }
        let field = self.fields.title_zh_bigrams;
        let bigrams = self.tokens(Analyzer::Bigram, word);
        if bigrams.is_empty() {
            let pattern = format!("{}.*", regex_escape(word));
            let prefix = RegexQuery::from_pattern(&pattern, field).ok()?;
            return Some(boosted(prefix, 0.5));
        }
        let all = bigrams
            .iter()
            .map(|bigram| {
                let term = Term::from_field_text(field, bigram);
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                )
            })
            .collect();
        Some(boosted(BooleanQuery::new(all), 0.5))
    }

    pub(super) fn tokens(&self, analyzer: Analyzer, text: &str) -> Vec<String> {
        let Some(mut built) = self.index.tokenizers().get(analyzer.name()) else {
            return Vec::new();
        };
        let mut stream = built.token_stream(text);
        let mut found = Vec::new();
        while stream.advance() {
            found.push(stream.token().text.clone());
        }
        found
    }
}

fn boosted(query: impl Query + 'static, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        Box::new(query)
    } else {
        Box::new(BoostQuery::new(Box::new(query), boost))
    }
}

/// Typo tolerance for words of Latin-script languages: one edit from 5 letters, two
/// from 9.
pub(super) fn typo_distance(word: &str) -> Option<u8> {
    let latin = word
        .chars()
        .all(|ch| ch.is_alphabetic() && (ch.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&ch)));
    match (latin, word.chars().count()) {
        (true, 9..) => Some(2),
        (true, 5..) => Some(1),
        _ => None,
    }
}

/// On equal relevance, standards in force come first, then newer ones.
fn currency_first(segment: &SegmentReader) -> impl Fn(DocId, Score) -> Score + use<> {
    let currency = currency(segment);
    move |doc: DocId, score: Score| {
        let (rank, year) = currency(doc);
        score + (3.0 - rank) * 0.01 + year * 1e-6
    }
}

/// A document's currency rank (0 in force … 3 draft; 3 when unknown) and publication
/// year, read from the fast fields of its segment.
pub(super) fn currency(segment: &SegmentReader) -> impl Fn(DocId) -> (f32, f32) + use<> {
    let rank = segment.fast_fields().u64("rank").ok();
    let year = segment.fast_fields().u64("year").ok();
    move |doc: DocId| {
        let rank = rank.as_ref().and_then(|c| c.first(doc)).unwrap_or(3) as f32;
        let year = year.as_ref().and_then(|c| c.first(doc)).unwrap_or(0) as f32;
        (rank, year)
    }
}

/// The numbers of a key's part, before its edition (`10-2:2020` → [10, 2]), for numeric
/// ordering.
fn part_numbers(rest: &str) -> Vec<u64> {
    let part = rest.split(':').next().unwrap_or(rest);
    part.split(|ch: char| !ch.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(|run| run.parse().unwrap_or(u64::MAX))
        .collect()
}

/// The text as a regular expression that matches it literally (only the characters the
/// syntax gives meaning to are escaped: an escaped letter or symbol would be refused).
pub(super) fn regex_escape(text: &str) -> String {
    regex_syntax::escape(text)
}

fn sorted(mut counts: Vec<(String, u64)>) -> Vec<(String, u64)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_text_are_told_apart() {
        let Ok(query) = parse_query(
            "ics:13.040 status:published year:2015..2020 body:SAC iec 60335",
            10,
        ) else {
            panic!("valid query")
        };
        assert_eq!(query.text, "iec 60335");
        assert_eq!(query.ics, ["13.040"]);
        assert_eq!(query.years, Some((Some(2015), Some(2020))));
        assert_eq!(
            query.tags,
            [
                ("status".to_owned(), vec!["published".to_owned()]),
                ("body".to_owned(), vec!["SAC".to_owned()])
            ]
        );
        let Ok(designation) = parse_query("ISO 9001:2015", 10) else {
            panic!("valid")
        };
        assert_eq!(designation.text, "ISO 9001:2015");
    }

    #[test]
    fn a_backwards_year_range_is_read_the_right_way_round_with_a_note() {
        let Ok(query) = parse_query("year:2020..2010 gas", 10) else {
            panic!("valid")
        };
        assert_eq!(query.years, Some((Some(2010), Some(2020))));
        assert_eq!(query.notes.len(), 1);
        assert_eq!(query.notes[0].code, "year-range-reversed");
        assert_eq!(query.notes[0].value, "2010..2020");
        let Ok(forwards) = parse_query("year:2010..2020", 10) else {
            panic!("valid")
        };
        assert!(forwards.notes.is_empty());
    }

    #[test]
    fn bad_filter_values_are_named() {
        assert!(parse_query("status:alive", 10).is_err_and(|e| e.to_string().contains("status")));
        assert!(parse_query("ics:13.4", 10).is_err_and(|e| e.to_string().contains("ics")));
        assert!(parse_query("year:20x5", 10).is_err_and(|e| e.to_string().contains("year")));
    }
}
