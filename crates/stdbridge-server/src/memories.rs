//! Translation memories over HTTP: each route names a memory by its id and answers 404
//! for one the caller may not read (the use cases decide; see `stdbridge_app::access`).

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use stdbridge_app::access::Named;
use stdbridge_app::memories;
use stdbridge_app::model::{Collection, LookupRequest, Segment, Visibility};

use crate::extract::{JsonBody, PathText, QueryParams};
use crate::{ApiError, AppState, Who};

/// Largest TMX body `POST /api/v1/memories/{id}/import` accepts (bytes).
pub const TMX_BODY_LIMIT: usize = 256 * 1024 * 1024;
/// How long an import is waited for before the answer is 202 with its job.
const IMPORT_WAIT: Duration = Duration::from_secs(2);
/// Most matches or hits one request returns.
const MAX_RESULTS: usize = 100;
/// Longest text looked up (characters).
const MAX_QUERY: usize = 4000;

/// A new memory.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemory {
    /// A name no other memory has.
    #[schema(max_length = 200)]
    pub name: String,
    /// The language of its sources (BCP 47).
    pub source_lang: String,
    /// The language of its targets (BCP 47).
    pub target_lang: String,
    /// `private` (the default), `shared` (with named users) or `public` (admins only).
    #[serde(default)]
    pub visibility: Option<VisibilityName>,
    /// Free text.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

/// Who may read a memory besides its owner.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VisibilityName {
    /// The owner only.
    Private,
    /// The owner and the users it is shared with.
    Shared,
    /// Every signed-in user.
    Public,
}

impl From<VisibilityName> for Visibility {
    fn from(name: VisibilityName) -> Visibility {
        match name {
            VisibilityName::Private => Visibility::Private,
            VisibilityName::Shared => Visibility::Shared,
            VisibilityName::Public => Visibility::Public,
        }
    }
}

/// A memory as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemoryView {
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
    /// Units it holds (in listings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<i64>,
    /// The languages given when it was made (in the answer to its creation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_lang: Option<String>,
    /// The languages given when it was made (in the answer to its creation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_lang: Option<String>,
}

fn view(collection: Collection) -> MemoryView {
    MemoryView {
        id: collection.id,
        name: collection.name,
        owner: collection.owner,
        visibility: collection.visibility.as_str().to_owned(),
        description: collection.description,
        created_at: collection.created_at,
        units: collection.entries,
        source_lang: None,
        target_lang: None,
    }
}

/// The memories the caller may read: their own, those shared with them, public ones.
#[utoipa::path(get, path = "/api/v1/memories", tag = "translation",
    responses(
        (status = 200, description = "The memories the caller may read", body = [MemoryView]),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
    ))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
) -> Result<Json<Vec<MemoryView>>, ApiError> {
    let all = memories::list(&state.app, &who).await?;
    Ok(Json(all.into_iter().map(view).collect()))
}

/// Makes a memory owned by the caller.
#[utoipa::path(post, path = "/api/v1/memories", tag = "translation",
    request_body = NewMemory,
    responses(
        (status = 201, description = "The memory", body = MemoryView),
        (status = 400, description = "A bad body", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "A reader, a read-only token, or a public memory made by a non-admin", body = crate::ErrorBody),
        (status = 409, description = "The name is taken", body = crate::ErrorBody),
    ))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    JsonBody(body): JsonBody<NewMemory>,
) -> Result<(StatusCode, Json<MemoryView>), ApiError> {
    let source_lang = crate::qa::language("source_lang", &body.source_lang)?;
    let target_lang = crate::qa::language("target_lang", &body.target_lang)?;
    let visibility = body
        .visibility
        .map_or(Visibility::Private, Visibility::from);
    let made = memories::create(
        &state.app,
        &who,
        &body.name,
        None,
        visibility,
        body.description.as_deref(),
    )
    .await?;
    let mut shown = view(made);
    shown.source_lang = Some(source_lang);
    shown.target_lang = Some(target_lang);
    Ok((StatusCode::CREATED, Json(shown)))
}

/// One memory.
#[utoipa::path(get, path = "/api/v1/memories/{id}", tag = "translation",
    params(("id" = i64, Path, description = "The memory's id", example = 1)),
    responses(
        (status = 200, description = "The memory", body = MemoryView),
        (status = 400, description = "Not a memory id", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "No such memory, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn show(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
) -> Result<Json<MemoryView>, ApiError> {
    let id = crate::extract::path_id(&id, "memory")?;
    let memory = memories::get(&state.app, &who, Named::Id(id)).await?;
    Ok(Json(view(memory)))
}

/// Deletes a memory and its units (its owner or an admin).
#[utoipa::path(delete, path = "/api/v1/memories/{id}", tag = "translation",
    params(("id" = i64, Path, description = "The memory's id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not a memory id", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "The caller may read it but not delete it", body = crate::ErrorBody),
        (status = 404, description = "No such memory, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
) -> Result<StatusCode, ApiError> {
    let id = crate::extract::path_id(&id, "memory")?;
    let memory = memories::get(&state.app, &who, Named::Id(id)).await?;
    memories::delete(&state.app, &who, &memory.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Imports a TMX document (the body) into the memory, in one transaction: 200 with the
/// summary when it ends within 2 s, else 202 with the job to follow
/// (`/api/v1/jobs/{job}`).
#[utoipa::path(post, path = "/api/v1/memories/{id}/import", tag = "translation",
    params(("id" = i64, Path, description = "The memory's id", example = 1)),
    request_body(content = String, content_type = "application/x-tmx+xml", description = "A TMX 1.1–1.4b document (at most 256 MiB)"),
    responses(
        (status = 200, description = "Imported: the summary", body = Object),
        (status = 202, description = "Importing: `{\"job\": id}`", body = Object),
        (status = 400, description = "Not a memory id, or a body that is not TMX", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "The caller may read it but not write it", body = crate::ErrorBody),
        (status = 404, description = "No such memory, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn import(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = crate::extract::path_id(&id, "memory")?;
    let memory = memories::get(&state.app, &who, Named::Id(id)).await?;
    if body.is_empty() {
        return Err(ApiError::bad_parameter(
            "body",
            "the body is empty: send a TMX document",
        ));
    }
    let upload = tempfile::Builder::new()
        .prefix("upload-")
        .suffix(".tmx")
        .tempfile_in(state.app.config().data_dir.as_path())
        .or_else(|_| tempfile::Builder::new().suffix(".tmx").tempfile())
        .map_err(ApiError::internal)?;
    std::fs::write(upload.path(), &body).map_err(ApiError::internal)?;
    let (file, path) = upload.keep().map_err(ApiError::internal)?;
    drop(file);
    let job = memories::import_tmx(&state.app, &who, &memory.name, path.clone()).await;
    let job = match job {
        Ok(job) => job,
        Err(error) => {
            let _ = std::fs::remove_file(&path);
            return Err(error.into());
        }
    };
    let job_id = job.id();
    let waited = tokio::spawn(async move {
        let result = job.wait().await;
        let _ = std::fs::remove_file(&path);
        result
    });
    match tokio::time::timeout(IMPORT_WAIT, waited).await {
        Ok(Ok(Ok(report))) => {
            Ok(Json(serde_json::to_value(&report).unwrap_or_default()).into_response())
        }
        Ok(Ok(Err(error))) => Err(error.with_field("body").into()),
        Ok(Err(join)) => Err(ApiError::internal(join)),
        Err(_) => Ok((StatusCode::ACCEPTED, Json(json!({ "job": job_id }))).into_response()),
    }
}

/// The text of `q`, checked.
fn query_text(values: &std::collections::HashMap<String, String>) -> Result<String, ApiError> {
    let q = values.get("q").map(|q| q.trim()).unwrap_or_default();
    if q.is_empty() {
        return Err(ApiError::bad_parameter(
            "q",
            "give the text to look for in q",
        ));
    }
    if q.chars().count() > MAX_QUERY {
        return Err(ApiError::bad_parameter(
            "q",
            &format!("q has at most {MAX_QUERY} characters"),
        ));
    }
    Ok(q.to_owned())
}

fn count_param(
    values: &std::collections::HashMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match values.get(name) {
        None => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_parameter(
                name,
                &format!("{name} is a whole number from 1 to {max}"),
            )),
        },
    }
}

/// Exact and fuzzy matches of `q` in the memory, best first, with the differences from
/// each match's source.
#[utoipa::path(get, path = "/api/v1/memories/{id}/lookup", tag = "translation",
    params(
        ("id" = i64, Path, description = "The memory's id", example = 1),
        ("q" = String, Query, description = "The segment to translate (at most 4000 characters)"),
        ("from" = Option<String>, Query, description = "Its language (BCP 47; default zh-CN)"),
        ("to" = Option<String>, Query, description = "The language wanted (default en)"),
        ("limit" = Option<usize>, Query, description = "Most matches (1–100, default 5)"),
        ("min_score" = Option<u8>, Query, description = "Lowest score (0–100, default 50)"),
    ),
    responses(
        (status = 200, description = "`{\"matches\": [{\"score\", \"source\", \"target\", \"diff\", …}]}`", body = Object),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "No such memory, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn lookup(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
    QueryParams(values): QueryParams,
) -> Result<Json<Value>, ApiError> {
    let id = crate::extract::path_id(&id, "memory")?;
    let q = query_text(&values)?;
    let from = crate::qa::language("from", values.get("from").map_or("zh-CN", String::as_str))?;
    let to = crate::qa::language("to", values.get("to").map_or("en", String::as_str))?;
    let limit = count_param(&values, "limit", 5, MAX_RESULTS)?;
    let min_score = match values.get("min_score") {
        None => 50,
        Some(text) => text
            .parse::<u8>()
            .ok()
            .filter(|s| *s <= 100)
            .ok_or_else(|| {
                ApiError::bad_parameter("min_score", "min_score is a whole number from 0 to 100")
            })?,
    };
    let memory = memories::get(&state.app, &who, Named::Id(id)).await?;
    let request = LookupRequest {
        memories: vec![memory.name],
        source_lang: from,
        target_lang: to,
        query: Segment::text(q),
        limit,
        min_score,
    };
    let matches = memories::lookup(&state.app, &who, &request).await?;
    Ok(Json(json!({ "matches": matches })))
}

/// Units of the memory whose source or target holds `q`, with the spans found.
#[utoipa::path(get, path = "/api/v1/memories/{id}/concordance", tag = "translation",
    params(
        ("id" = i64, Path, description = "The memory's id", example = 1),
        ("q" = String, Query, description = "The words to find (at most 4000 characters)"),
        ("limit" = Option<usize>, Query, description = "Most hits (1–100, default 20)"),
    ),
    responses(
        (status = 200, description = "`{\"hits\": [{\"memory\", \"unit_id\", \"found_in\", \"variants\", \"spans\"}]}`", body = Object),
        (status = 400, description = "A bad parameter", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "No such memory, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn concordance(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
    QueryParams(values): QueryParams,
) -> Result<Json<Value>, ApiError> {
    let id = crate::extract::path_id(&id, "memory")?;
    let q = query_text(&values)?;
    let limit = count_param(&values, "limit", 20, MAX_RESULTS)?;
    let memory = memories::get(&state.app, &who, Named::Id(id)).await?;
    let hits = memories::concordance(&state.app, &who, &[memory.name], &q, limit).await?;
    Ok(Json(json!({ "hits": hits })))
}

/// The memory as a TMX 1.4b document.
#[utoipa::path(get, path = "/api/v1/memories/{id}/export", tag = "translation",
    params(("id" = i64, Path, description = "The memory's id", example = 1)),
    responses(
        (status = 200, description = "TMX 1.4b", content_type = "application/x-tmx+xml", body = String),
        (status = 400, description = "Not a memory id", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "No such memory, or not one the caller may read", body = crate::ErrorBody),
    ))]
pub async fn export(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(id): PathText,
) -> Result<Response, ApiError> {
    let id = crate::extract::path_id(&id, "memory")?;
    let memory = memories::get(&state.app, &who, Named::Id(id)).await?;
    let mut out = Vec::new();
    memories::export_tmx(&state.app, &who, &memory.name, &mut out).await?;
    let file = format!("attachment; filename=\"memory-{}.tmx\"", memory.id);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/x-tmx+xml; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, file),
        ],
        out,
    )
        .into_response())
}
