//! Analytics: counts by year, ICS field, body, status, country and title keyword over a
//! selection of the catalogue, and the same for several countries side by side.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;
use stdbridge_catalog::index::{Analytics, MAX_KEYWORDS, SearchQuery};

use crate::params::Params;
use crate::search::{parsed, synced};
use crate::{ApiError, AppState};

/// Languages with title keywords.
pub const KEYWORD_LANGUAGES: [&str; 2] = ["en", "zh"];

/// Parameters that narrow a selection, each the same as a filter of the query syntax.
const FILTER_PARAMETERS: [(&str, &str); 4] = [
    ("country", "country"),
    ("body", "body"),
    ("ics", "ics"),
    ("years", "year"),
];

/// The query in parameter `q` narrowed by the filter parameters (`country=CN`,
/// `body=ISO`, `ics=13.020`, `years=2010..2020`); a bad value is refused with the name
/// of the parameter that holds it.
pub(crate) fn filtered_query(params: &Params, q: &str) -> Result<SearchQuery, ApiError> {
    let mut text = params.text(q).unwrap_or_default().to_owned();
    for (name, filter) in FILTER_PARAMETERS {
        let Some(value) = params.text(name) else {
            continue;
        };
        let clause = format!("{filter}:{}", value.replace(char::is_whitespace, ""));
        if let Err(error) = parsed(&clause, 1) {
            let reason = error.to_string();
            let reason = reason.split_once(": ").map_or(reason.as_str(), |(_, r)| r);
            return Err(ApiError::bad_parameter(name, reason));
        }
        text.push(' ');
        text.push_str(&clause);
    }
    parsed(&text, 1)
}

/// Counts over the standards a query and filters select.
#[utoipa::path(get, path = "/api/v1/analytics", tag = "analytics",
    params(
        ("q" = Option<String>, Query, description = "Words and filters, as for search"),
        ("country" = Option<String>, Query, description = "ISO 3166 alpha-2 codes, comma-separated"),
        ("body" = Option<String>, Query, description = "Bodies, comma-separated (ISO, IEC, SAC…)"),
        ("ics" = Option<String>, Query, description = "ICS codes, comma-separated (13, 13.020)"),
        ("years" = Option<String>, Query, description = "A year or range: 2015, 2010..2020, 2010.., ..2000"),
        ("lang" = Option<String>, Query, description = "Language of the title keywords: en or zh (default en)"),
        ("keywords" = Option<usize>, Query, description = "Keywords to list, 0–200 (default 30)"),
    ),
    responses(
        (status = 200, description = "Counts by year, ICS field, body, status, country and keyword", body = Analytics),
        (status = 400, description = "A bad parameter, named in the message", body = crate::ErrorBody),
    ))]
pub async fn analytics(
    State(state): State<Arc<AppState>>,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Json<Analytics>, ApiError> {
    let params = Params::checked(
        values,
        &["q", "country", "body", "ics", "years", "lang", "keywords"],
        "analytics",
    )?;
    let lang = params.language("lang", &KEYWORD_LANGUAGES, "en")?;
    let keywords = params.number("keywords", 30, 0..=MAX_KEYWORDS)?;
    let query = filtered_query(&params, "q")?;
    synced(&state).await;
    let counted = state
        .index
        .analytics(&query, &lang, keywords)
        .map_err(ApiError::internal)?;
    Ok(Json(counted))
}

/// One country's column of a comparison.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountryAnalytics {
    /// ISO 3166 alpha-2 code.
    pub country: String,
    /// Counts over its national standards.
    pub analytics: Analytics,
}

/// Most countries one comparison may hold.
pub const MAX_COMPARED: usize = 12;

/// The same counts for two or more countries side by side.
#[utoipa::path(get, path = "/api/v1/analytics/compare", tag = "analytics",
    params(
        ("countries" = String, Query, description = "Two to twelve ISO 3166 alpha-2 codes, comma-separated"),
        ("q" = Option<String>, Query, description = "Words and filters applied to every country"),
        ("body" = Option<String>, Query, description = "Bodies, comma-separated"),
        ("ics" = Option<String>, Query, description = "ICS codes, comma-separated"),
        ("years" = Option<String>, Query, description = "A year or range"),
        ("lang" = Option<String>, Query, description = "Language of the title keywords: en or zh (default en)"),
        ("keywords" = Option<usize>, Query, description = "Keywords per country, 0–200 (default 10)"),
    ),
    responses(
        (status = 200, description = "One entry per country, in the order asked", body = [CountryAnalytics]),
        (status = 400, description = "A bad parameter, named in the message", body = crate::ErrorBody),
    ))]
pub async fn compare(
    State(state): State<Arc<AppState>>,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Json<Vec<CountryAnalytics>>, ApiError> {
    let params = Params::checked(
        values,
        &["countries", "q", "body", "ics", "years", "lang", "keywords"],
        "compare",
    )?;
    let lang = params.language("lang", &KEYWORD_LANGUAGES, "en")?;
    let keywords = params.number("keywords", 10, 0..=MAX_KEYWORDS)?;
    let countries: Vec<String> = params
        .text("countries")
        .unwrap_or_default()
        .split(',')
        .map(|code| code.trim().to_ascii_uppercase())
        .filter(|code| !code.is_empty())
        .collect();
    if !(2..=MAX_COMPARED).contains(&countries.len()) {
        return Err(ApiError::bad_parameter(
            "countries",
            &format!("needs two to {MAX_COMPARED} country codes, comma-separated"),
        ));
    }
    if let Some(bad) = countries
        .iter()
        .find(|code| code.len() != 2 || !code.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return Err(ApiError::bad_parameter(
            "countries",
            &format!("{bad:?} is not an ISO 3166 alpha-2 code"),
        ));
    }
    let base = filtered_query(&params, "q")?;
    synced(&state).await;
    let mut compared = Vec::with_capacity(countries.len());
    for country in countries {
        let mut query = base.clone();
        query
            .tags
            .push(("country".to_owned(), vec![country.clone()]));
        let analytics = state
            .index
            .analytics(&query, &lang, keywords)
            .map_err(ApiError::internal)?;
        compared.push(CountryAnalytics { country, analytics });
    }
    Ok(Json(compared))
}
