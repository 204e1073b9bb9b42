//! Search, suggestions, facet counts and exports of a search.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use stdbridge_catalog::export::{ExportFormat, export};
use stdbridge_catalog::index::{
    IndexError, MAX_SUGGESTIONS, SearchPage, SearchQuery, Suggestion, parse_query,
};

use crate::params::Params;
use crate::{ApiError, AppState};

/// Most hits one page may hold.
pub const MAX_LIMIT: usize = 1_000;
/// Most standards one export may hold.
pub const MAX_EXPORT: usize = 10_000;
/// Languages a title may be asked in.
pub const LANGUAGES: [&str; 6] = ["en", "zh", "fr", "ru", "es", "ja"];

/// Parses the query syntax; a bad filter is a bad `q`.
pub(crate) fn parsed(text: &str, limit: usize) -> Result<SearchQuery, ApiError> {
    parse_query(text, limit).map_err(|error| match error {
        IndexError::Query(reason) => ApiError::bad_parameter("q", &reason),
        other => ApiError::internal(other),
    })
}

/// How often requests look for changes made to the store by other processes (imports).
const SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// Brings the index up to date before reading it, at most once per [`SYNC_INTERVAL`]:
/// under load, one request in many reads the change log. An import in another process
/// may hold the index writer: then what is indexed is searched.
pub(crate) async fn synced(state: &AppState) {
    if !state.sync_due(SYNC_INTERVAL) {
        return;
    }
    if let Err(error) = state.index.sync(&state.store).await {
        tracing::warn!("search index not brought up to date ({error})");
    }
}

/// Searches the catalogue.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = Option<String>, Query, description = "A designation, words, and filters: `body:ISO country:CN status:published ics:13.020 ccs:A01 type:standard lang:zh year:2010..2020 sort:relevance|newest|oldest|designation`"),
        ("limit" = Option<usize>, Query, description = "Hits per page, 1–1000 (default 20)"),
        ("offset" = Option<usize>, Query, description = "Hits to skip (default 0)"),
        ("facets" = Option<bool>, Query, description = "Count hits per facet value (default true)"),
    ),
    responses(
        (status = 200, description = "One page of results with facet counts", body = SearchPage),
        (status = 400, description = "A bad parameter, named in the message", body = crate::ErrorBody),
    ))]
pub async fn search(
    State(state): State<Arc<AppState>>,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Json<SearchPage>, ApiError> {
    let params = Params::checked(values, &["q", "limit", "offset", "facets"], "search")?;
    let limit = params.number("limit", 20, 1..=MAX_LIMIT)?;
    let mut query = parsed(params.text("q").unwrap_or_default(), limit)?;
    query.offset = params.number("offset", 0, 0..=usize::MAX)?;
    query.facets = params.flag("facets", true)?;
    synced(&state).await;
    let page = state
        .index
        .page(&state.store, &query)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(page))
}

/// Facet counts of a search, without its hits.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FacetCounts {
    /// Matching standards in all.
    pub total: usize,
    /// Counts per facet group (`status`, `body`, `country`, `scope`, `type`, `lang`,
    /// `ccs`, `ics`) and value.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
}

/// Counts the standards a query matches per facet value.
#[utoipa::path(get, path = "/api/v1/facets", tag = "search",
    params(("q" = Option<String>, Query, description = "The query, as for search")),
    responses(
        (status = 200, description = "Facet counts", body = FacetCounts),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
    ))]
pub async fn facets(
    State(state): State<Arc<AppState>>,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Json<FacetCounts>, ApiError> {
    let params = Params::checked(values, &["q"], "facets")?;
    let query = parsed(params.text("q").unwrap_or_default(), 1)?;
    synced(&state).await;
    let results = state.index.search(&query).map_err(ApiError::internal)?;
    let facets = results
        .facets
        .into_iter()
        .map(|(group, counts)| (group, counts.into_iter().collect()))
        .collect();
    Ok(Json(FacetCounts {
        total: results.total,
        facets,
    }))
}

/// Suggestions for a search box: designations by prefix in any spelling, else titles
/// whose words start as typed.
#[utoipa::path(get, path = "/api/v1/suggest", tag = "search",
    params(
        ("q" = Option<String>, Query, description = "What has been typed"),
        ("limit" = Option<usize>, Query, description = "Suggestions, 1–50 (default 10)"),
        ("lang" = Option<String>, Query, description = "Language of the titles shown (default en)"),
    ),
    responses(
        (status = 200, description = "Suggestions, best first", body = [Suggestion]),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
    ))]
pub async fn suggest(
    State(state): State<Arc<AppState>>,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Json<Vec<Suggestion>>, ApiError> {
    let params = Params::checked(values, &["q", "limit", "lang"], "suggest")?;
    let limit = params.number("limit", 10, 1..=MAX_SUGGESTIONS)?;
    let lang = params.language("lang", &LANGUAGES, "en")?;
    let typed = params.text("q").unwrap_or_default();
    let found = state
        .index
        .suggestions(&state.store, typed, &lang, limit)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(found))
}

/// Exports the standards a search finds, in its order.
#[utoipa::path(get, path = "/api/v1/export", tag = "search",
    params(
        ("q" = Option<String>, Query, description = "The query, as for search"),
        ("format" = String, Query, description = "csv, jsonl, bibtex, ris or relaton (Relaton YAML)"),
        ("limit" = Option<usize>, Query, description = "Standards, 1–10000 (default 1000)"),
        ("lang" = Option<String>, Query, description = "Language of the titles (default en; others fall back to English)"),
    ),
    responses(
        (status = 200, description = "The file, as an attachment", content(
            (String = "text/csv"), (String = "application/jsonl"), (String = "application/x-bibtex"),
            (String = "application/x-research-info-systems"), (String = "application/yaml"))),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
    ))]
pub async fn export_search(
    State(state): State<Arc<AppState>>,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let params = Params::checked(values, &["q", "format", "limit", "lang"], "export")?;
    let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.name()).collect();
    let format = match params.text("format") {
        None => {
            return Err(ApiError::bad_parameter(
                "format",
                &format!("is required ({})", names.join(", ")),
            ));
        }
        Some(name) => ExportFormat::parse(name).ok_or_else(|| {
            ApiError::bad_parameter(
                "format",
                &format!("{name:?} is not one of {}", names.join(", ")),
            )
        })?,
    };
    let limit = params.number("limit", 1_000, 1..=MAX_EXPORT)?;
    let lang = params.language("lang", &LANGUAGES, "en")?;
    let mut query = parsed(params.text("q").unwrap_or_default(), limit)?;
    query.facets = false;
    synced(&state).await;
    let page = state
        .index
        .page(&state.store, &query)
        .await
        .map_err(ApiError::internal)?;
    let records: Vec<_> = page.hits.into_iter().map(|hit| hit.record).collect();
    let mut body = Vec::new();
    export(&records, format, &lang, &mut body).map_err(ApiError::internal)?;
    let disposition = format!(
        "attachment; filename=\"stdbridge-export.{}\"",
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
