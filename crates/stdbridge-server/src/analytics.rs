//! Analytics: counts by year, ICS field, body, status, country and title keyword over a
//! selection of the catalogue, and the same for several countries side by side.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use stdbridge_app::catalog::{
    self, CountryAnalytics, KEYWORD_LANGUAGES, Selection, compared_countries,
};
use stdbridge_app::model::{Analytics, MAX_KEYWORDS};

use crate::extract::QueryParams;
use crate::params::Params;
use crate::{ApiError, AppState};

/// The selection the parameters make: `q` and the filters `country`, `body`, `ics`,
/// `years`.
pub(crate) fn selection(params: &Params) -> Selection {
    let text = |name: &str| params.text(name).map(str::to_owned);
    Selection {
        q: params.text("q").unwrap_or_default().to_owned(),
        country: text("country"),
        body: text("body"),
        ics: text("ics"),
        years: text("years"),
    }
}

/// Counts over the standards a query and filters select.
#[utoipa::path(get, path = "/api/v1/analytics", tag = "analytics",
    params(
        ("q" = Option<String>, Query, max_length = 1000, pattern = r"^\s*(\S{1,100}(\s+\S{1,100}){0,31})?\s*$", description = "Words and filters, as for search"),
        ("country" = Option<String>, Query, pattern = "^[A-Za-z]{2}(,[A-Za-z]{2})*$", description = "ISO 3166 alpha-2 codes, comma-separated"),
        ("body" = Option<String>, Query, pattern = r"^[^,\s]+(,[^,\s]+)*$", description = "Bodies, comma-separated (ISO, IEC, SAC…)"),
        ("ics" = Option<String>, Query, pattern = r"^[0-9]{2}(\.[0-9]{3}(\.[0-9]{2})?)?(,[0-9]{2}(\.[0-9]{3}(\.[0-9]{2})?)?)*$", description = "ICS codes, comma-separated (13, 13.020)"),
        ("years" = Option<String>, Query, pattern = r"^((18|19|20|21)[0-9]{2}|2200)?(\.\.((18|19|20|21)[0-9]{2}|2200)?)?$", description = "A year or range from 1800 to 2200: 2015, 2010..2020, 2010.., ..2000 (a range written backwards means the same years)"),
        ("lang" = Option<crate::schema::KeywordLanguage>, Query, description = "Language of the title keywords: en or zh (default en)"),
        ("keywords" = Option<usize>, Query, minimum = 0, maximum = 200, description = "Keywords to list, 0–200 (default 30)"),
    ),
    responses(
        (status = 200, description = "Counts by year, ICS field, body, status, country and keyword", body = Analytics),
        (status = 400, description = "A bad parameter, named in the message", body = crate::ErrorBody),
    ))]
pub async fn analytics(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    QueryParams(values): QueryParams,
) -> Result<Json<Analytics>, ApiError> {
    let params = Params::checked(
        values,
        &["q", "country", "body", "ics", "years", "lang", "keywords"],
        "analytics",
    )?;
    let lang = params.language("lang", &KEYWORD_LANGUAGES, "en")?;
    let keywords = params.number("keywords", 30, 0..=MAX_KEYWORDS)?;
    Ok(Json(
        catalog::analytics(&state.app, &who, &selection(&params), &lang, keywords).await?,
    ))
}

/// The same counts for two or more countries side by side.
#[utoipa::path(get, path = "/api/v1/analytics/compare", tag = "analytics",
    params(
        ("countries" = String, Query, pattern = "^[A-Za-z]{2}(,[A-Za-z]{2}){1,11}$", description = "Two to twelve ISO 3166 alpha-2 codes, comma-separated"),
        ("q" = Option<String>, Query, max_length = 1000, pattern = r"^\s*(\S{1,100}(\s+\S{1,100}){0,31})?\s*$", description = "Words and filters applied to every country"),
        ("body" = Option<String>, Query, pattern = r"^[^,\s]+(,[^,\s]+)*$", description = "Bodies, comma-separated"),
        ("ics" = Option<String>, Query, pattern = r"^[0-9]{2}(\.[0-9]{3}(\.[0-9]{2})?)?(,[0-9]{2}(\.[0-9]{3}(\.[0-9]{2})?)?)*$", description = "ICS codes, comma-separated"),
        ("years" = Option<String>, Query, pattern = r"^((18|19|20|21)[0-9]{2}|2200)?(\.\.((18|19|20|21)[0-9]{2}|2200)?)?$", description = "A year or range from 1800 to 2200"),
        ("lang" = Option<crate::schema::KeywordLanguage>, Query, description = "Language of the title keywords: en or zh (default en)"),
        ("keywords" = Option<usize>, Query, minimum = 0, maximum = 200, description = "Keywords per country, 0–200 (default 10)"),
    ),
    responses(
        (status = 200, description = "One entry per country, in the order asked", body = [CountryAnalytics]),
        (status = 400, description = "A bad parameter, named in the message", body = crate::ErrorBody),
    ))]
pub async fn compare(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    QueryParams(values): QueryParams,
) -> Result<Json<Vec<CountryAnalytics>>, ApiError> {
    let params = Params::checked(
        values,
        &["countries", "q", "body", "ics", "years", "lang", "keywords"],
        "compare",
    )?;
    let lang = params.language("lang", &KEYWORD_LANGUAGES, "en")?;
    let keywords = params.number("keywords", 10, 0..=MAX_KEYWORDS)?;
    let countries = compared_countries(params.text("countries").unwrap_or_default())?;
    let selection = selection(&params);
    Ok(Json(
        catalog::compare(&state.app, &who, &selection, &countries, &lang, keywords).await?,
    ))
}
