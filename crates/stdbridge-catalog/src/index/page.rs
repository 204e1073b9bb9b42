//! A search as users see it: the query run over the index, the hits read back from the
//! store with their titles and the spans of them the query matched, and the facet counts.
//! The command line and the HTTP API answer with this, in this shape.

use std::collections::BTreeMap;

use serde::Serialize;
use stdbridge_core::Standard;
use stdbridge_storage::CatalogRepository;

use super::{CatalogIndex, IndexError, IndexResults, QueryNote, SearchQuery};

/// One page of results.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchPage {
    /// Matching standards in all.
    pub total: usize,
    /// The page, best first (or in the order asked for).
    pub hits: Vec<SearchHit>,
    /// Counts per facet group and value (empty when facets were not asked for).
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// What the query's parser read otherwise than written (a backwards year range).
    pub notes: Vec<QueryNote>,
}

/// One standard found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// Its designation.
    pub designation: String,
    /// Its titles by language.
    pub titles: BTreeMap<String, String>,
    /// Per language, the character spans of the title the query matched (end excluded).
    pub highlights: BTreeMap<String, Vec<[usize; 2]>>,
    /// Its status.
    pub status: Option<&'static str>,
    /// Relevance (or the sort value).
    pub score: f32,
    /// Publication year.
    pub year: Option<u16>,
    /// Publishing bodies.
    pub publishers: Vec<String>,
    /// Country, for a national standard.
    pub country: Option<String>,
    /// The whole record, for callers that show more.
    #[serde(skip)]
    pub record: Standard,
}

impl CatalogIndex {
    /// Runs the query and reads the page of hits from the store.
    pub async fn page<S: CatalogRepository + ?Sized>(
        &self,
        store: &S,
        query: &SearchQuery,
    ) -> Result<SearchPage, IndexError> {
        let results = self.search(query)?;
        self.page_of(store, query, results).await
    }

    /// The page of `results` (what [`CatalogIndex::search`] found for `query`), its hits
    /// read from the store: the part of a search that waits on the store rather than on
    /// the processor.
    pub async fn page_of<S: CatalogRepository + ?Sized>(
        &self,
        store: &S,
        query: &SearchQuery,
        results: IndexResults,
    ) -> Result<SearchPage, IndexError> {
        let ids: Vec<i64> = results.hits.iter().map(|hit| hit.id).collect();
        let mut records: BTreeMap<i64, Standard> = store
            .records_by_ids(&ids)
            .await?
            .into_iter()
            .map(|(id, _, record)| (id, record))
            .collect();
        let hits = results
            .hits
            .iter()
            .filter_map(|hit| {
                let record = records.remove(&hit.id)?;
                Some(self.hit(&query.text, hit.score, record))
            })
            .collect();
        let facets = results
            .facets
            .into_iter()
            .map(|(group, counts)| (group, counts.into_iter().collect()))
            .collect();
        Ok(SearchPage {
            total: results.total,
            hits,
            facets,
            notes: query.notes.clone(),
        })
    }

    fn hit(&self, text: &str, score: f32, record: Standard) -> SearchHit {
        let titles = record
            .titles
            .iter()
            .map(|t| (t.lang.clone(), t.full.clone()))
            .collect();
        let highlights = record
            .titles
            .iter()
            .filter_map(|t| {
                let spans = self.highlight(text, &t.lang, &t.full);
                (!spans.is_empty()).then(|| {
                    let spans = spans.into_iter().map(|(from, to)| [from, to]).collect();
                    (t.lang.clone(), spans)
                })
            })
            .collect();
        SearchHit {
            designation: record.designation.clone(),
            titles,
            highlights,
            status: record.status.map(|s| s.as_str()),
            score,
            year: record.year(),
            publishers: record.publishers.clone(),
            country: record.country.clone(),
            record,
        }
    }
}
