//! The first catalogue search, over the store: a designation in any spelling finds its
//! standard first; otherwise every word must occur in the designation or a title
//! (substring match, so Chinese needs no word segmentation). The search issue replaces
//! this engine with a full-text index behind the same result shape.

use serde::Serialize;
use stdbridge_core::designation::fold;
use stdbridge_storage::{Store, StoredStandard};

use crate::CatalogError;
use crate::lookup::find;

/// Search results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// How many standards match in all.
    pub total: i64,
    /// The hits, best first.
    pub hits: Vec<Hit>,
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The standard.
    pub standard: StoredStandard,
    /// Relevance: 2 for a designation match, 1 for a text match.
    pub score: f32,
}

/// Searches the catalogue.
pub async fn search(
    store: &Store,
    query: &str,
    limit: usize,
) -> Result<SearchResults, CatalogError> {
    let limit_sql = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut hits: Vec<Hit> = Vec::new();
    let mut total = 0;
    if let Some(found) = find(store, query).await? {
        total += 1;
        let key = found.standard.key.clone();
        hits.push(Hit {
            standard: found.standard,
            score: 2.0,
        });
        for edition in found.editions.iter().skip(1) {
            if hits.len() >= limit {
                break;
            }
            if let Some(other) = find(store, edition).await?
                && other.standard.key != key
            {
                total += 1;
                hits.push(Hit {
                    standard: other.standard,
                    score: 1.5,
                });
            }
        }
    }
    let words: Vec<String> = fold(query)
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let (text_total, text_hits) = store.search_text(&words, limit_sql).await?;
    let mut overlap = 0;
    for standard in text_hits {
        if hits.iter().any(|h| h.standard.id == standard.id) {
            overlap += 1;
        } else if hits.len() < limit {
            hits.push(Hit {
                standard,
                score: 1.0,
            });
        }
    }
    // Designation hits that the text search also found are counted once.
    total += text_total - overlap;
    hits.truncate(limit);
    Ok(SearchResults { total, hits })
}
