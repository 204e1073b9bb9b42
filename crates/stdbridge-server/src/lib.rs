//! The HTTP API of stdbridge (axum): a thin shell over the catalogue library — the same
//! query syntax, result shapes and lookups as the command line.
//!
//! | route | answer |
//! |---|---|
//! | `GET /healthz` | `{"status": "ok", "standards": n}` |
//! | `GET /api/v1/search?q=…&limit=20&offset=0&facets=true` | a `SearchPage` |
//! | `GET /api/v1/suggest?q=…&limit=10&lang=en` | `[{"designation", "title", "status"}]` for a search box |
//! | `GET /api/v1/standards/{designation}` | a `StandardView` (any spelling) |
//!
//! Errors are JSON `{"code", "message"}` with the fitting status: 400 names the bad
//! parameter, 404 says what was not found, 500 hides nothing but the internals.

mod error;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use stdbridge_catalog::index::{
    CatalogIndex, IndexError, MAX_SUGGESTIONS, SearchPage, Suggestion, parse_query,
};
use stdbridge_catalog::lookup::{StandardView, standard_view};
use stdbridge_storage::Store;

pub use error::ApiError;

/// What every request shares: the store and its search index.
pub struct AppState {
    store: Store,
    index: CatalogIndex,
}

impl AppState {
    /// State over an open store and index.
    pub fn new(store: Store, index: CatalogIndex) -> Arc<AppState> {
        Arc::new(AppState { store, index })
    }
}

/// Most hits one page may hold.
pub const MAX_LIMIT: usize = 1_000;

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .route("/api/v1/search", get(search))
        .route("/api/v1/suggest", get(suggest))
        .route("/api/v1/standards/{*designation}", get(standard))
        .fallback(not_found)
        .with_state(state)
}

/// Serves on `listener` until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn health(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let stats = state.store.stats().await.map_err(ApiError::internal)?;
    Ok(Json(json!({"status": "ok", "standards": stats.standards})))
}

async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<SearchPage>, ApiError> {
    known_parameters(&params, &["q", "limit", "offset", "facets"], "search")?;
    let text = params.get("q").map(String::as_str).unwrap_or_default();
    let limit = number(&params, "limit", 20)?;
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_parameter(
            "limit",
            &format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let offset = number(&params, "offset", 0)?;
    let facets = match params.get("facets").map(String::as_str) {
        None | Some("true" | "1") => true,
        Some("false" | "0") => false,
        Some(other) => {
            return Err(ApiError::bad_parameter(
                "facets",
                &format!("{other:?} is not true or false"),
            ));
        }
    };
    let mut query = parse_query(text, limit).map_err(|error| match error {
        IndexError::Query(reason) => ApiError::bad_parameter("q", &reason),
        other => ApiError::internal(other),
    })?;
    query.offset = offset;
    query.facets = facets;
    // An import in another process may hold the index writer: search what is indexed.
    if let Err(error) = state.index.sync(&state.store).await {
        tracing::warn!("search index not brought up to date ({error})");
    }
    let page = state
        .index
        .page(&state.store, &query)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(page))
}

async fn suggest(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Vec<Suggestion>>, ApiError> {
    known_parameters(&params, &["q", "limit", "lang"], "suggest")?;
    let typed = params.get("q").map(String::as_str).unwrap_or_default();
    let limit = number(&params, "limit", 10)?;
    if !(1..=MAX_SUGGESTIONS).contains(&limit) {
        return Err(ApiError::bad_parameter(
            "limit",
            &format!("must be between 1 and {MAX_SUGGESTIONS}"),
        ));
    }
    let lang = params.get("lang").map(String::as_str).unwrap_or("en");
    let found = state
        .index
        .suggestions(&state.store, typed, lang, limit)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(found))
}

fn known_parameters(
    params: &HashMap<String, String>,
    known: &[&str],
    route: &str,
) -> Result<(), ApiError> {
    match params.keys().find(|name| !known.contains(&name.as_str())) {
        Some(name) => Err(ApiError::bad_parameter(
            name,
            &format!("is not a parameter of {route} ({})", known.join(", ")),
        )),
        None => Ok(()),
    }
}

fn number(params: &HashMap<String, String>, name: &str, default: usize) -> Result<usize, ApiError> {
    match params.get(name) {
        None => Ok(default),
        Some(text) => text
            .parse()
            .map_err(|_| ApiError::bad_parameter(name, &format!("{text:?} is not a whole number"))),
    }
}

async fn standard(
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

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(&format!("no route {}", uri.path()))
}
