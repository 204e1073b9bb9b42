//! The catalogue's reference data with counts: standards by designation, countries,
//! bodies and the ICS tree.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Serialize;
use stdbridge_catalog::index::{Analytics, Bucket};
use stdbridge_catalog::lookup::{StandardView, standard_view};
use stdbridge_core::reference::{Body, Country};

use crate::analytics::{KEYWORD_LANGUAGES, filtered_query};
use crate::params::Params;
use crate::search::{parsed, synced};
use crate::{ApiError, AppState};

/// Everything known of one standard.
#[utoipa::path(get, path = "/api/v1/standards/{designation}", tag = "catalogue",
    params(("designation" = String, Path, description = "A designation in any spelling (`iso 9001`, `GB/T 19001-2016`); undated finds the current edition")),
    responses(
        (status = 200, description = "The standard, relations resolved", body = StandardView),
        (status = 404, description = "No such standard", body = crate::ErrorBody),
    ))]
pub async fn standard(
    State(state): State<Arc<AppState>>,
    Path(designation): Path<String>,
) -> Result<Json<StandardView>, ApiError> {
    match standard_view(&state.store, &designation)
        .await
        .map_err(ApiError::internal)?
    {
        Some(view) => Ok(Json(view)),
        None => Err(ApiError::not_found(&format!(
            "no standard found for {designation:?}"
        ))),
    }
}

/// A country with the number of its national standards.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountrySummary {
    /// The country.
    #[serde(flatten)]
    pub country: Country,
    /// National standards of the country in the catalogue.
    pub standards: u64,
}

/// Counts per value of a keyword field, as a map.
fn counts(state: &AppState, field: &str) -> Result<HashMap<String, u64>, ApiError> {
    Ok(state
        .index
        .counts_by(field, 10_000)
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|Bucket { key, count }| (key, count))
        .collect())
}

/// Every country of the reference data (ISO 3166-1, UN M49 regions), with counts.
#[utoipa::path(get, path = "/api/v1/countries", tag = "catalogue",
    responses((status = 200, description = "Countries in alpha-2 order", body = [CountrySummary])))]
pub async fn countries(
    State(state): State<Arc<AppState>>,
) -> Result<Json<Vec<CountrySummary>>, ApiError> {
    Ok(Json(country_summaries(&state).await?))
}

/// Every country of the reference data with its number of national standards (the API's
/// list and the countries page).
pub(crate) async fn country_summaries(state: &AppState) -> Result<Vec<CountrySummary>, ApiError> {
    synced(state).await;
    let counted = counts(state, "country")?;
    let countries = state
        .store
        .all_countries()
        .await
        .map_err(ApiError::internal)?;
    Ok(countries
        .into_iter()
        .map(|country| CountrySummary {
            standards: counted.get(&country.alpha2).copied().unwrap_or(0),
            country,
        })
        .collect())
}

/// The national standards bodies of a country (alpha-2 code).
pub(crate) async fn national_bodies(state: &AppState, alpha2: &str) -> Result<Vec<Body>, ApiError> {
    Ok(state
        .store
        .all_bodies()
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .filter(|body| body.country.as_deref() == Some(alpha2))
        .collect())
}

/// One country's overview.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountryOverview {
    /// The country.
    pub country: Country,
    /// Its national standards bodies.
    pub national_bodies: Vec<Body>,
    /// Counts over its national standards: by body, status, ICS field, year, keyword.
    pub analytics: Analytics,
}

/// A country's standards bodies and counts of its standards.
#[utoipa::path(get, path = "/api/v1/countries/{code}", tag = "catalogue",
    params(
        ("code" = String, Path, description = "ISO 3166-1 alpha-2 code (`CN`)"),
        ("lang" = Option<String>, Query, description = "Language of the title keywords: en or zh (default en)"),
        ("keywords" = Option<usize>, Query, description = "Keywords to list, 0–200 (default 30)"),
    ),
    responses(
        (status = 200, description = "The country's overview", body = CountryOverview),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
        (status = 404, description = "No such country", body = crate::ErrorBody),
    ))]
pub async fn country(
    State(state): State<Arc<AppState>>,
    Path(code): Path<String>,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Json<CountryOverview>, ApiError> {
    let params = Params::checked(values, &["lang", "keywords"], "country")?;
    let lang = params.language("lang", &KEYWORD_LANGUAGES, "en")?;
    let keywords = params.number("keywords", 30, 0..=stdbridge_catalog::index::MAX_KEYWORDS)?;
    let Some(country) = state
        .store
        .country(&code)
        .await
        .map_err(ApiError::internal)?
    else {
        return Err(ApiError::not_found(&format!("no country {code:?}")));
    };
    let national_bodies = national_bodies(&state, &country.alpha2).await?;
    synced(&state).await;
    let query = parsed(&format!("country:{}", country.alpha2), 1)?;
    let analytics = state
        .index
        .analytics(&query, &lang, keywords)
        .map_err(ApiError::internal)?;
    Ok(Json(CountryOverview {
        country,
        national_bodies,
        analytics,
    }))
}

/// A standards body with the number of its standards.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BodySummary {
    /// The body.
    #[serde(flatten)]
    pub body: Body,
    /// Standards it published in the catalogue.
    pub standards: u64,
}

/// Every standards body of the reference data, with counts.
#[utoipa::path(get, path = "/api/v1/bodies", tag = "catalogue",
    responses((status = 200, description = "Bodies by abbreviation", body = [BodySummary])))]
pub async fn bodies(
    State(state): State<Arc<AppState>>,
) -> Result<Json<Vec<BodySummary>>, ApiError> {
    synced(&state).await;
    let counted = counts(&state, "body")?;
    let bodies = state.store.all_bodies().await.map_err(ApiError::internal)?;
    Ok(Json(
        bodies
            .into_iter()
            .map(|body| BodySummary {
                standards: counted.get(&body.abbreviation).copied().unwrap_or(0),
                body,
            })
            .collect(),
    ))
}

/// One node of the ICS tree.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IcsNode {
    /// `13`, `13.020`, `13.020.10`.
    pub code: String,
    /// Titles by language (`en`, `fr`).
    pub titles: BTreeMap<String, String>,
    /// Standards classified here or below (among those the query selects).
    pub standards: u64,
    /// The codes one level down.
    #[schema(no_recursion)]
    pub children: Vec<IcsNode>,
}

/// The International Classification for Standards as a tree, with counts.
#[utoipa::path(get, path = "/api/v1/ics", tag = "catalogue",
    params(
        ("q" = Option<String>, Query, description = "Count only the standards this query selects (filters as for search)"),
        ("depth" = Option<usize>, Query, description = "Levels: 1 fields, 2 groups, 3 sub-groups (default 2)"),
    ),
    responses(
        (status = 200, description = "The fields, each with its groups", body = [IcsNode]),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
    ))]
pub async fn ics_tree(
    State(state): State<Arc<AppState>>,
    Query(values): Query<HashMap<String, String>>,
) -> Result<Json<Vec<IcsNode>>, ApiError> {
    let params = Params::checked(values, &["q", "depth"], "ics")?;
    let depth = params.number("depth", 2, 1..=3)?;
    let query = filtered_query(&params, "q")?;
    synced(&state).await;
    let counted: HashMap<String, u64> = state
        .index
        .counts_in(&query, "ics", 20_000)
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|Bucket { key, count }| (key, count))
        .collect();
    let codes = state.store.all_ics().await.map_err(ApiError::internal)?;
    let mut by_parent: BTreeMap<Option<String>, Vec<IcsNode>> = BTreeMap::new();
    for code in codes.into_iter().rev() {
        let level = stdbridge_core::reference::IcsCode::level(&code.code);
        if level > depth {
            continue;
        }
        let children = by_parent
            .remove(&Some(code.code.clone()))
            .unwrap_or_default();
        let node = IcsNode {
            standards: counted.get(&code.code).copied().unwrap_or(0),
            code: code.code,
            titles: code.titles,
            children,
        };
        let parent = if level == 1 { None } else { code.parent };
        by_parent.entry(parent).or_default().insert(0, node);
    }
    Ok(Json(by_parent.remove(&None).unwrap_or_default()))
}
