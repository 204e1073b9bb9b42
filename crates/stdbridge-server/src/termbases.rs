//! Termbases over HTTP, named by id; 404 for one the caller may not read.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use stdbridge_app::access::Named;
use stdbridge_app::model::{Collection, Concept, GlossaryLanguages, TermStatus, Visibility};
use stdbridge_app::termbases;

use crate::extract::{JsonBody, PathPair, PathText, QueryParams};
use crate::memories::VisibilityName;
use crate::{ApiError, AppState, Who};

/// Largest TBX or CSV body `POST /api/v1/termbases/{id}/import` accepts (bytes).
pub const TERMS_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// Longest text searched for terms (characters).
const MAX_TEXT: usize = 100_000;

/// A new termbase.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTermbase {
    /// A name no other termbase has.
    #[schema(max_length = 200)]
    pub name: String,
    /// `private` (the default), `shared` (with named users) or `public` (admins only).
    #[serde(default)]
    pub visibility: Option<VisibilityName>,
    /// Free text.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

/// A termbase as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TermbaseView {
    /// Its id (what the routes name).
    pub id: i64,
    /// Its unique name.
    pub name: String,
    /// Its owner's user name (none for the command line's).
    pub owner: Option<String>,
    /// `private`, `shared` or `public`.
    pub visibility: String,
    /// Free text.
    pub description: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Concepts it holds (in listings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concepts: Option<i64>,
}

fn view(collection: Collection) -> TermbaseView {
    TermbaseView {
        id: collection.id,
        name: collection.name,
        owner: collection.owner,
        visibility: collection.visibility.as_str().to_owned(),
        description: collection.description,
        created_at: collection.created_at,
        concepts: collection.entries,
    }
}

/// The termbases the caller may read.
#[utoipa::path(get, path = "/api/v1/termbases", tag = "translation",
    responses(
        (status = 200, description = "The termbases the caller may read", body = [TermbaseView]),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
    ))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
) -> Result<Json<Vec<TermbaseView>>, ApiError> {
    let all = termbases::list(&state.app, &who).await?;
    Ok(Json(all.into_iter().map(view).collect()))
}

/// Makes a termbase owned by the caller.
#[utoipa::path(post, path = "/api/v1/termbases", tag = "translation",
    request_body = NewTermbase,
    responses(
        (status = 201, description = "The termbase", body = TermbaseView),
        (status = 400, description = "A bad body", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "A reader, a read-only token, or a public termbase made by a non-admin", body = crate::ErrorBody),
        (status = 409, description = "The name is taken", body = crate::ErrorBody),
    ))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    JsonBody(body): JsonBody<NewTermbase>,
) -> Result<(StatusCode, Json<TermbaseView>), ApiError> {
    let visibility = body
        .visibility
        .map_or(Visibility::Private, Visibility::from);
    let made = termbases::create(
        &state.app,
        &who,
        &body.name,
        visibility,
        body.description.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(made))))
}

/// One termbase.
#[utoipa::path(get, path = "/api/v1/termbases/{id}", tag = "translation",
    params(("id" = i64, Path, description = "The termbase's id", example = 1)),
    responses(
        (status = 200, description = "The termbase", body = TermbaseView),
        (status = 400, description = "Not a termbase id", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "No such termbase, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn show(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
) -> Result<Json<TermbaseView>, ApiError> {
    let id = crate::extract::path_id(&id, "termbase")?;
    Ok(Json(view(
        termbases::get(&state.app, &who, Named::Id(id)).await?,
    )))
}

/// Imports TBX (a body starting with `<`) or a CSV/TSV glossary into the termbase, in one
/// transaction; concepts with a stored id replace the stored ones.
#[utoipa::path(post, path = "/api/v1/termbases/{id}/import", tag = "translation",
    params(
        ("id" = i64, Path, description = "The termbase's id", example = 1),
        ("source" = Option<String>, Query, description = "A glossary's first language (BCP 47), when its header does not say"),
        ("target" = Option<String>, Query, description = "A glossary's second language"),
    ),
    request_body(content = String, content_type = "application/x-tbx+xml", description = "TBX (v2 or v3) or a CSV/TSV glossary (at most 64 MiB)"),
    responses(
        (status = 200, description = "Imported: the summary", body = Object),
        (status = 400, description = "Not a termbase id, or a body that is not TBX or a glossary", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "The caller may read it but not write it", body = crate::ErrorBody),
        (status = 404, description = "No such termbase, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn import(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
    QueryParams(values): QueryParams,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = crate::extract::path_id(&id, "termbase")?;
    let termbase = termbases::get(&state.app, &who, Named::Id(id)).await?;
    let languages = GlossaryLanguages {
        source: values
            .get("source")
            .map(|tag| crate::qa::language("source", tag))
            .transpose()?,
        target: values
            .get("target")
            .map(|tag| crate::qa::language("target", tag))
            .transpose()?,
    };
    let is_tbx = body
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
        == Some(&b'<');
    let upload = tempfile::Builder::new()
        .prefix("upload-")
        .suffix(if is_tbx { ".tbx" } else { ".csv" })
        .tempfile()
        .map_err(ApiError::internal)?;
    std::fs::write(upload.path(), &body).map_err(ApiError::internal)?;
    let report = termbases::import(&state.app, &who, &termbase.name, upload.path(), &languages)
        .await
        .map_err(|e| e.with_field("body"))?;
    Ok(Json(serde_json::to_value(&report).unwrap_or_default()))
}

/// The termbase as TBX v3 (TBX-Basic).
#[utoipa::path(get, path = "/api/v1/termbases/{id}/export", tag = "translation",
    params(("id" = i64, Path, description = "The termbase's id", example = 1)),
    responses(
        (status = 200, description = "TBX v3", content_type = "application/x-tbx+xml", body = String),
        (status = 400, description = "Not a termbase id", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "No such termbase, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn export(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
) -> Result<Response, ApiError> {
    let id = crate::extract::path_id(&id, "termbase")?;
    let termbase = termbases::get(&state.app, &who, Named::Id(id)).await?;
    let mut out = Vec::new();
    termbases::export_tbx(&state.app, &who, &termbase.name, &mut out).await?;
    let file = format!("attachment; filename=\"termbase-{}.tbx\"", termbase.id);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/x-tbx+xml; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, file),
        ],
        out,
    )
        .into_response())
}

/// The termbase's terms found in `text`, with their equivalents in `to` (character
/// offsets).
#[utoipa::path(get, path = "/api/v1/termbases/{id}/find", tag = "translation",
    params(
        ("id" = i64, Path, description = "The termbase's id", example = 1),
        ("text" = String, Query, description = "The text to search (at most 100000 characters)"),
        ("from" = Option<String>, Query, description = "Its language (default zh-CN)"),
        ("to" = Option<String>, Query, description = "The equivalents' language (default en)"),
    ),
    responses(
        (status = 200, description = "`{\"terms\": [{\"start\", \"end\", \"term\", \"equivalents\", …}]}`", body = Object),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "No such termbase, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn find(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
    QueryParams(values): QueryParams,
) -> Result<Json<Value>, ApiError> {
    let id = crate::extract::path_id(&id, "termbase")?;
    let text = values.get("text").map(String::as_str).unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::bad_parameter(
            "text",
            "give the text to search in text",
        ));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(ApiError::bad_parameter(
            "text",
            &format!("text has at most {MAX_TEXT} characters"),
        ));
    }
    let from = crate::qa::language("from", values.get("from").map_or("zh-CN", String::as_str))?;
    let to = crate::qa::language("to", values.get("to").map_or("en", String::as_str))?;
    let termbase = termbases::get(&state.app, &who, Named::Id(id)).await?;
    let terms = termbases::find(&state.app, &who, &[termbase.name], &from, &to, text).await?;
    Ok(Json(json!({ "terms": terms })))
}

/// Longest query of a concept listing (characters).
const MAX_CONCEPT_QUERY: usize = 200;

/// The concepts of the termbase with the keys an edit names (all, or those with a term or
/// definition holding `q`).
#[utoipa::path(get, path = "/api/v1/termbases/{id}/concepts", tag = "translation",
    params(
        ("id" = i64, Path, description = "The termbase's id", example = 1),
        ("q" = Option<String>, Query, description = "Only concepts with a term or definition holding this (at most 200 characters)"),
    ),
    responses(
        (status = 200, description = "`{\"concepts\": [{\"key\", \"concept\": {\"languages\": [{\"lang\", \"terms\": [{\"text\", \"status\"}]}]}}]}`", body = Object),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "No such termbase, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn concepts(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
    QueryParams(values): QueryParams,
) -> Result<Json<Value>, ApiError> {
    let id = crate::extract::path_id(&id, "termbase")?;
    let q = values.get("q").map(String::as_str);
    if q.is_some_and(|q| q.chars().count() > MAX_CONCEPT_QUERY) {
        return Err(ApiError::bad_parameter(
            "q",
            &format!("q has at most {MAX_CONCEPT_QUERY} characters"),
        ));
    }
    let entries = termbases::entries(&state.app, &who, Named::Id(id), q).await?;
    Ok(Json(json!({ "concepts": entries })))
}

/// Adds a concept (its language sections and terms, each with a status) to the termbase.
#[utoipa::path(post, path = "/api/v1/termbases/{id}/concepts", tag = "translation",
    params(("id" = i64, Path, description = "The termbase's id", example = 1)),
    request_body(content = Object, description = "A concept: `{\"definition\"?, \"languages\": [{\"lang\": \"zh\", \"terms\": [{\"text\": \"质量\", \"status\": \"preferred\"}]}]}`"),
    responses(
        (status = 201, description = "`{\"key\", \"concept\"}`", body = Object),
        (status = 400, description = "Not an id, or not a concept", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "The caller may read it but not write it", body = crate::ErrorBody),
        (status = 404, description = "No such termbase, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn add_concept(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
    JsonBody(concept): JsonBody<Concept>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = crate::extract::path_id(&id, "termbase")?;
    let entry = termbases::add_concept(&state.app, &who, Named::Id(id), concept).await?;
    Ok((StatusCode::CREATED, Json(json!(entry))))
}

/// Replaces the concept stored under `key` (edit its terms, statuses and definitions).
#[utoipa::path(put, path = "/api/v1/termbases/{id}/concepts/{key}", tag = "translation",
    params(
        ("id" = i64, Path, description = "The termbase's id", example = 1),
        ("key" = String, Path, description = "The concept's key (from the listing)"),
    ),
    request_body(content = Object, description = "The concept as it is to be stored"),
    responses(
        (status = 200, description = "`{\"key\", \"concept\"}`", body = Object),
        (status = 400, description = "Not an id, or not a concept", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "The caller may read it but not write it", body = crate::ErrorBody),
        (status = 404, description = "No such termbase or concept", body = crate::ErrorBody),
    ))]
pub async fn update_concept(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathPair(id, key): PathPair,
    JsonBody(concept): JsonBody<Concept>,
) -> Result<Json<Value>, ApiError> {
    let id = crate::extract::path_id(&id, "termbase")?;
    let entry = termbases::update_concept(&state.app, &who, Named::Id(id), &key, concept).await?;
    Ok(Json(json!(entry)))
}

/// A term's new status.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTermStatus {
    /// The term, as stored in the concept.
    #[schema(max_length = 1000)]
    pub term: String,
    /// `preferred`, `admitted`, `deprecated` or `forbidden`.
    pub status: TermStatusName,
}

/// How a term may be used.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TermStatusName {
    /// The term to use.
    Preferred,
    /// Acceptable.
    Admitted,
    /// Not to be used any more.
    Deprecated,
    /// Never to be used.
    Forbidden,
}

impl From<TermStatusName> for TermStatus {
    fn from(name: TermStatusName) -> TermStatus {
        match name {
            TermStatusName::Preferred => TermStatus::Preferred,
            TermStatusName::Admitted => TermStatus::Admitted,
            TermStatusName::Deprecated => TermStatus::Deprecated,
            TermStatusName::Forbidden => TermStatus::Forbidden,
        }
    }
}

/// Sets the status of one term of a concept: deprecate or forbid it, or make it preferred.
#[utoipa::path(put, path = "/api/v1/termbases/{id}/concepts/{key}/status", tag = "translation",
    params(
        ("id" = i64, Path, description = "The termbase's id", example = 1),
        ("key" = String, Path, description = "The concept's key (from the listing)"),
    ),
    request_body = NewTermStatus,
    responses(
        (status = 200, description = "`{\"key\", \"concept\"}`", body = Object),
        (status = 400, description = "Not an id, a bad body, or no such term in the concept", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "The caller may read it but not write it", body = crate::ErrorBody),
        (status = 404, description = "No such termbase or concept", body = crate::ErrorBody),
    ))]
pub async fn set_term_status(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathPair(id, key): PathPair,
    JsonBody(body): JsonBody<NewTermStatus>,
) -> Result<Json<Value>, ApiError> {
    let id = crate::extract::path_id(&id, "termbase")?;
    let entry = termbases::set_term_status(
        &state.app,
        &who,
        Named::Id(id),
        &key,
        &body.term,
        body.status.into(),
    )
    .await?;
    Ok(Json(json!(entry)))
}
