//! Search, suggestions, facet counts and exports of a search.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use stdbridge_app::catalog::{self, FacetCounts, LANGUAGES, SearchRequest};
use stdbridge_app::model::{ExportFormat, MAX_SUGGESTIONS, SearchPage, Suggestion};

use crate::extract::QueryParams;
use crate::params::Params;
use crate::{ApiError, AppState};

/// Most hits one page may hold.
pub const MAX_LIMIT: usize = 1_000;
/// Most standards one export may hold.
pub const MAX_EXPORT: usize = 10_000;
/// The deepest page a search may ask for: hits skipped at most.
pub const MAX_OFFSET: usize = 100_000;

/// Searches the catalogue.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = Option<String>, Query, max_length = 1000, pattern = r"^\s*(\S{1,100}(\s+\S{1,100}){0,31})?\s*$", description = "A designation, words, and filters (at most 1000 characters, 32 words of at most 100 characters): `body:ISO country:CN status:published nature:mandatory|recommended|guidance ics:13.020 ccs:A01 type:standard lang:zh year:2010..2020 sort:relevance|newest|oldest|designation`"),
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 1000, description = "Hits per page, 1–1000 (default 20)"),
        ("offset" = Option<usize>, Query, minimum = 0, maximum = 100000, description = "Hits to skip, 0–100000 (default 0)"),
        ("facets" = Option<bool>, Query, description = "Count hits per facet value (default true)"),
    ),
    responses(
        (status = 200, description = "One page of results with facet counts", body = SearchPage),
        (status = 400, description = "A bad parameter, named in the message", body = crate::ErrorBody),
    ))]
pub async fn search(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    QueryParams(values): QueryParams,
) -> Result<Json<SearchPage>, ApiError> {
    let params = Params::checked(values, &["q", "limit", "offset", "facets"], "search")?;
    let request = SearchRequest {
        q: params.text("q").unwrap_or_default().to_owned(),
        limit: params.number("limit", 20, 1..=MAX_LIMIT)?,
        offset: params.number("offset", 0, 0..=MAX_OFFSET)?,
        facets: params.flag("facets", true)?,
    };
    Ok(Json(catalog::search(&state.app, &who, request).await?))
}

/// Counts the standards a query matches per facet value.
#[utoipa::path(get, path = "/api/v1/facets", tag = "search",
    params(("q" = Option<String>, Query, max_length = 1000, pattern = r"^\s*(\S{1,100}(\s+\S{1,100}){0,31})?\s*$", description = "The query, as for search")),
    responses(
        (status = 200, description = "Facet counts", body = FacetCounts),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
    ))]
pub async fn facets(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    QueryParams(values): QueryParams,
) -> Result<Json<FacetCounts>, ApiError> {
    let params = Params::checked(values, &["q"], "facets")?;
    let q = params.text("q").unwrap_or_default();
    Ok(Json(catalog::facets(&state.app, &who, q).await?))
}

/// Suggestions for a search box: designations by prefix in any spelling, else titles
/// whose words start as typed.
#[utoipa::path(get, path = "/api/v1/suggest", tag = "search",
    params(
        ("q" = Option<String>, Query, max_length = 1000, pattern = r"^\s*(\S{1,100}(\s+\S{1,100}){0,31})?\s*$", description = "What has been typed"),
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 50, description = "Suggestions, 1–50 (default 10)"),
        ("lang" = Option<crate::schema::TitleLanguage>, Query, description = "Language of the titles shown (default en)"),
    ),
    responses(
        (status = 200, description = "Suggestions, best first", body = [Suggestion]),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
    ))]
pub async fn suggest(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    QueryParams(values): QueryParams,
) -> Result<Json<Vec<Suggestion>>, ApiError> {
    let params = Params::checked(values, &["q", "limit", "lang"], "suggest")?;
    let limit = params.number("limit", 10, 1..=MAX_SUGGESTIONS)?;
    let lang = params.language("lang", &LANGUAGES, "en")?;
    let typed = params.text("q").unwrap_or_default();
    Ok(Json(
        catalog::suggest(&state.app, &who, typed, &lang, limit).await?,
    ))
}

/// Exports the standards a search finds, in its order.
#[utoipa::path(get, path = "/api/v1/export", tag = "search",
    params(
        ("q" = Option<String>, Query, max_length = 1000, pattern = r"^\s*(\S{1,100}(\s+\S{1,100}){0,31})?\s*$", description = "The query, as for search"),
        ("format" = crate::schema::ExportFormatName, Query, description = "csv, jsonl, bibtex, ris or relaton (Relaton YAML)"),
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 10000, description = "Standards, 1–10000 (default 1000)"),
        ("lang" = Option<crate::schema::TitleLanguage>, Query, description = "Language of the titles, status and nature labels (default en; titles in others fall back to English)"),
        ("bom" = Option<bool>, Query, description = "CSV only: start the file with a UTF-8 byte-order mark, as Excel on Chinese Windows needs to read it as UTF-8 (default false; the pages' download buttons ask for it)"),
    ),
    responses(
        (status = 200, description = "The file, as an attachment", content(
            (String = "text/csv"), (String = "application/jsonl"), (String = "application/x-bibtex"),
            (String = "application/x-research-info-systems"), (String = "application/yaml"))),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
    ))]
pub async fn export_search(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    QueryParams(values): QueryParams,
) -> Result<Response, ApiError> {
    let params = Params::checked(values, &["q", "format", "limit", "lang", "bom"], "export")?;
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
    let bom = params.flag("bom", false)?;
    let q = params.text("q").unwrap_or_default();
    let export = catalog::export(&state.app, &who, q, format, &lang, limit).await?;
    let disposition = format!(
        "attachment; filename=\"stdbridge-export.{}\"",
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        with_bom(export.bytes, bom && format == ExportFormat::Csv),
    )
        .into_response())
}

/// A file's bytes, after a UTF-8 byte-order mark when `bom` (CSV for Excel).
pub(crate) fn with_bom(bytes: Vec<u8>, bom: bool) -> Vec<u8> {
    if !bom {
        return bytes;
    }
    let mut marked = Vec::with_capacity(bytes.len() + 3);
    marked.extend_from_slice("\u{FEFF}".as_bytes());
    marked.extend(bytes);
    marked
}
