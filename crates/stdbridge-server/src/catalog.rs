//! The catalogue's reference data with counts: standards by designation, countries,
//! bodies and the ICS tree.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use stdbridge_app::catalog::{
    self, BodySummary, CountryOverview, CountrySummary, IcsNode, KEYWORD_LANGUAGES, Selection,
};
use stdbridge_app::model::{MAX_KEYWORDS, StandardView};

use crate::extract::{PathText, QueryParams};
use crate::params::Params;
use crate::{ApiError, AppState};

/// Everything known of one standard.
#[utoipa::path(get, path = "/api/v1/standards/{designation}", tag = "catalogue",
    params(("designation" = String, Path, description = "A designation in any spelling (`iso 9001`, `GB/T 19001-2016`); undated finds the current edition", example = "GB/T 19001-2016")),
    responses(
        (status = 200, description = "The standard, relations resolved", body = StandardView),
        (status = 404, description = "No such standard", body = crate::ErrorBody),
    ))]
pub async fn standard(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    PathText(designation): PathText,
) -> Result<Json<StandardView>, ApiError> {
    Ok(Json(catalog::show(&state.app, &who, &designation).await?))
}

/// Every country of the reference data (ISO 3166-1, UN M49 regions), with counts.
#[utoipa::path(get, path = "/api/v1/countries", tag = "catalogue",
    responses((status = 200, description = "Countries in alpha-2 order", body = [CountrySummary])))]
pub async fn countries(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
) -> Result<Json<Vec<CountrySummary>>, ApiError> {
    Ok(Json(catalog::countries(&state.app, &who).await?))
}

/// A country's standards bodies and counts of its standards.
#[utoipa::path(get, path = "/api/v1/countries/{code}", tag = "catalogue",
    params(
        ("code" = String, Path, description = "ISO 3166-1 alpha-2 code (`CN`)", example = "CN"),
        ("lang" = Option<crate::schema::KeywordLanguage>, Query, description = "Language of the title keywords: en or zh (default en)"),
        ("keywords" = Option<usize>, Query, minimum = 0, maximum = 200, description = "Keywords to list, 0–200 (default 30)"),
    ),
    responses(
        (status = 200, description = "The country's overview", body = CountryOverview),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
        (status = 404, description = "No such country", body = crate::ErrorBody),
    ))]
pub async fn country(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    PathText(code): PathText,
    QueryParams(values): QueryParams,
) -> Result<Json<CountryOverview>, ApiError> {
    let params = Params::checked(values, &["lang", "keywords"], "country")?;
    let lang = params.language("lang", &KEYWORD_LANGUAGES, "en")?;
    let keywords = params.number("keywords", 30, 0..=MAX_KEYWORDS)?;
    Ok(Json(
        catalog::country(&state.app, &who, &code, &lang, keywords).await?,
    ))
}

/// Every standards body of the reference data, with counts.
#[utoipa::path(get, path = "/api/v1/bodies", tag = "catalogue",
    responses((status = 200, description = "Bodies by abbreviation", body = [BodySummary])))]
pub async fn bodies(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
) -> Result<Json<Vec<BodySummary>>, ApiError> {
    Ok(Json(catalog::bodies(&state.app, &who).await?))
}

/// The International Classification for Standards as a tree, with counts.
#[utoipa::path(get, path = "/api/v1/ics", tag = "catalogue",
    params(
        ("q" = Option<String>, Query, max_length = 1000, pattern = r"^\s*(\S{1,100}(\s+\S{1,100}){0,31})?\s*$", description = "Count only the standards this query selects (filters as for search)"),
        ("depth" = Option<usize>, Query, minimum = 1, maximum = 3, description = "Levels: 1 fields, 2 groups, 3 sub-groups (default 2)"),
    ),
    responses(
        (status = 200, description = "The fields, each with its groups", body = [IcsNode]),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
    ))]
pub async fn ics_tree(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    QueryParams(values): QueryParams,
) -> Result<Json<Vec<IcsNode>>, ApiError> {
    let params = Params::checked(values, &["q", "depth"], "ics")?;
    let depth = params.number("depth", 2, 1..=3)?;
    let selection = Selection {
        q: params.text("q").unwrap_or_default().to_owned(),
        ..Selection::default()
    };
    Ok(Json(
        catalog::ics_tree(&state.app, &who, &selection, depth).await?,
    ))
}
