//! Counts over a part of the catalogue for analytics and country overviews: standards per
//! year, ICS field, body, status, country and title keyword, for the standards a query's
//! filters select (terms aggregations over the index's keyword fields).

use serde::Serialize;
use serde_json::{Value, json};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::Count;
use tantivy::query::{AllQuery, Query};

use super::schema::KEYWORD_LANGUAGES;
use super::{CatalogIndex, IndexError, SearchQuery};

/// Most keywords an analysis lists.
pub const MAX_KEYWORDS: usize = 200;

/// One value and how many standards have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bucket {
    /// The value: a year, an ICS field, a body, a status, a country or a keyword.
    pub key: String,
    /// Standards with it.
    pub count: u64,
}

/// Counts over the standards a query selects.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Analytics {
    /// Standards selected.
    pub total: usize,
    /// By publication year, oldest first.
    pub years: Vec<Bucket>,
    /// By ICS field (two digits), most first.
    pub ics_fields: Vec<Bucket>,
    /// By publishing body, most first.
    pub bodies: Vec<Bucket>,
    /// By status, most first; `unknown` counts those without one (the counts add up to
    /// `total`).
    pub statuses: Vec<Bucket>,
    /// By country (national standards), most first.
    pub countries: Vec<Bucket>,
    /// The most frequent title keywords in the language asked for, most first.
    pub keywords: Vec<Bucket>,
}

impl CatalogIndex {
    /// Counts over the standards `query` selects (its text and filters; sort and paging
    /// are ignored), with up to `keywords` title keywords in `lang` (`en` or `zh`).
    pub fn analytics(
        &self,
        query: &SearchQuery,
        lang: &str,
        keywords: usize,
    ) -> Result<Analytics, IndexError> {
        let keyword_field = KEYWORD_LANGUAGES
            .iter()
            .find(|known| **known == lang)
            .ok_or_else(|| {
                IndexError::Query(format!(
                    "lang: {lang:?} has no keywords (one of {})",
                    KEYWORD_LANGUAGES.join(", ")
                ))
            })?;
        let request = json!({
            "years": {"terms": {"field": "year", "size": 1000}},
            "ics_fields": {"terms": {"field": "ics_field", "size": 100}},
            "bodies": {"terms": {"field": "body", "size": 100}},
            // A standard whose sources give no status is counted, as `unknown`: a chart
            // never drops records silently.
            "statuses": {"terms": {"field": "status", "size": 20, "missing": "unknown"}},
            "countries": {"terms": {"field": "country", "size": 300}},
            "keywords": {"terms": {"field": format!("keyword_{keyword_field}"),
                                   "size": keywords.clamp(1, MAX_KEYWORDS)}},
        });
        let counted = self.aggregate(self.selection(query).as_ref(), request)?;
        let mut years = buckets(&counted, "years");
        years.sort_by(|a, b| a.key.cmp(&b.key));
        let mut analytics = Analytics {
            total: counted
                .get("total")
                .and_then(Value::as_u64)
                .unwrap_or_default() as usize,
            years,
            ics_fields: buckets(&counted, "ics_fields"),
            bodies: buckets(&counted, "bodies"),
            statuses: buckets(&counted, "statuses"),
            countries: buckets(&counted, "countries"),
            keywords: buckets(&counted, "keywords"),
        };
        if keywords == 0 {
            analytics.keywords.clear();
        }
        Ok(analytics)
    }

    /// Standards per value of a keyword field (`country`, `body`, `ics`…) over the whole
    /// catalogue, most first.
    pub fn counts_by(&self, field: &str, size: usize) -> Result<Vec<Bucket>, IndexError> {
        let request = json!({ "counted": {"terms": {"field": field, "size": size}} });
        let counted = self.aggregate(&AllQuery, request)?;
        Ok(buckets(&counted, "counted"))
    }

    /// Standards per value of a keyword field among those `query` selects, most first.
    pub fn counts_in(
        &self,
        query: &SearchQuery,
        field: &str,
        size: usize,
    ) -> Result<Vec<Bucket>, IndexError> {
        let request = json!({ "counted": {"terms": {"field": field, "size": size}} });
        let counted = self.aggregate(self.selection(query).as_ref(), request)?;
        Ok(buckets(&counted, "counted"))
    }

    fn selection(&self, query: &SearchQuery) -> Box<dyn Query> {
        let filters = SearchQuery {
            series: None,
            ..query.clone()
        };
        self.build(&filters)
    }

    /// Runs the aggregations of `request` over the documents `query` matches; the answer
    /// holds each aggregation by name and `total`.
    fn aggregate(&self, query: &dyn Query, request: Value) -> Result<Value, IndexError> {
        let aggregations: Aggregations =
            serde_json::from_value(request).map_err(|e| IndexError::Query(e.to_string()))?;
        let context = AggContextParams::new(Default::default(), self.index.tokenizers().clone());
        let collector = AggregationCollector::from_aggs(aggregations, context);
        let searcher = self.reader.searcher();
        let (total, counted) = searcher
            .search(query, &(Count, collector))
            .map_err(|e| self.error(e))?;
        let mut counted =
            serde_json::to_value(counted).map_err(|e| IndexError::Query(e.to_string()))?;
        if let Some(object) = counted.as_object_mut() {
            object.insert("total".to_owned(), json!(total));
        }
        Ok(counted)
    }
}

/// The buckets of one terms aggregation, keys as text (years come back as numbers).
fn buckets(counted: &Value, name: &str) -> Vec<Bucket> {
    counted
        .get(name)
        .and_then(|agg| agg.get("buckets"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|bucket| {
            let key = match bucket.get("key")? {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.as_f64().map(|n| format!("{n:.0}"))?,
                _ => return None,
            };
            Some(Bucket {
                key,
                count: bucket.get("doc_count")?.as_u64()?,
            })
        })
        .collect()
}
