//! The HTTP API and web UI of stdbridge (axum): a thin shell over the use cases of
//! `stdbridge-app` — the same query syntax, result shapes and lookups as the command line.
//! Handlers read parameters, name the acting principal and call a use case; nothing here
//! decides who may do what or touches the store.
//!
//! | route | answer |
//! |---|---|
//! | `GET /healthz` | `{"status": "ok", "standards": n}` |
//! | `GET /metrics` | Prometheus metrics (OpenMetrics text) |
//! | `GET /api/openapi.json` | the OpenAPI 3.1 description of everything below |
//! | `GET /api/v1/search?q=…&limit=20&offset=0&facets=true` | a `SearchPage` |
//! | `GET /api/v1/facets?q=…` | facet counts of a search |
//! | `GET /api/v1/suggest?q=…&limit=10&lang=en` | suggestions for a search box |
//! | `GET /api/v1/export?q=…&format=csv\|jsonl\|bibtex\|ris\|relaton` | a search as a file |
//! | `GET /api/v1/standards/{designation}` | a `StandardView` (any spelling) |
//! | `GET /api/v1/countries`, `/api/v1/countries/{code}` | countries with counts; one country's overview |
//! | `GET /api/v1/bodies` | standards bodies with counts |
//! | `GET /api/v1/ics?depth=2&q=…` | the ICS tree with counts |
//! | `GET /api/v1/analytics?…`, `/api/v1/analytics/compare?countries=CN,JP` | counts by year, ICS field, body, status, country, keyword |
//! | `GET /api/v1/jobs/{id}`, `/api/v1/jobs/{id}/events` | a job, and its progress as server-sent events |
//! | `POST /api/v1/qa` | quality checks of segments: `{"checked", "findings"}` |
//! | `POST`/`GET`/`DELETE /api/v1/session` | sign in with a password, who is signed in, sign out |
//! | `GET`/`POST /api/v1/memories` | memories the caller may read; make one |
//! | `GET`/`DELETE /api/v1/memories/{id}` | one memory; delete it |
//! | `POST /api/v1/memories/{id}/import` | import TMX (200 with the summary, or 202 with a job) |
//! | `GET /api/v1/memories/{id}/lookup?q=…`, `/concordance?q=…`, `/export` | matches, hits, TMX |
//! | `GET`/`POST /api/v1/termbases`, `GET /api/v1/termbases/{id}` | termbases the caller may read; make one |
//! | `POST /api/v1/termbases/{id}/import`, `GET …/export`, `GET …/find?text=…` | TBX/CSV in, TBX out, terms in a text |
//! | `GET`/`POST /api/v1/termbases/{id}/concepts`, `PUT …/concepts/{key}`, `PUT …/concepts/{key}/status` | concepts with keys; add, edit, deprecate a term |
//! | `GET /api/v1/{memories\|termbases}/{id}/shares`, `PUT`/`DELETE …/shares/{user}`, `PUT …/visibility` | who may read a collection; share it |
//! | `POST /api/v1/segment` | sentences and words of a text |
//! | `POST /api/v1/translate/text` | quick translation, sentence by sentence: memories, then MT with terms (NDJSON when asked) |
//! | `GET /api/v1/engines` | the engines a user may choose |
//!
//! Who is acting comes from `Authorization: Bearer` (a personal API token) or the session
//! cookie ([`auth`]); the translation half answers 401 without credentials and 404 for a
//! resource the caller may not read.
//!
//! Errors are JSON `{"code", "message"}` with the status of the error's kind: 400 names
//! the bad parameter, 404 says what was not found, 503 says when to try again.

mod analytics;
pub mod auth;
mod catalog;
mod error;
mod extract;
mod groups;
mod jobs;
mod layers;
mod listen;
mod memories;
mod metrics;
mod params;
mod qa;
mod schema;
mod search;
mod segment;
mod sharing;
mod termbases;
mod translate;
pub mod ui;

use std::sync::Arc;

use axum::extract::State;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Serialize;
use stdbridge_app::App;
use utoipa::OpenApi;

pub use error::{ApiError, ErrorBody};
pub use layers::CONTENT_SECURITY_POLICY;
pub use listen::ConnectionLimits;
use schema::CommonResponses;
pub use search::{MAX_EXPORT, MAX_LIMIT};

/// Largest body `POST /api/v1/qa` accepts (bytes).
pub const QA_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// What every request shares: the application, the metrics and the UI's templates.
pub struct AppState {
    app: App,
    metrics: metrics::Metrics,
    ui: ui::Ui,
}

impl AppState {
    /// State over an application; fails if the embedded UI files are broken or the
    /// configuration names an address that is not one.
    pub fn new(app: App) -> Result<Arc<AppState>, String> {
        for rule in &app.config().http.metrics_allow {
            let valid =
                rule.parse::<ipnet::IpNet>().is_ok() || rule.parse::<std::net::IpAddr>().is_ok();
            if !valid {
                return Err(format!(
                    "http.metrics_allow: {rule:?} is not an address or a network (127.0.0.1, 10.0.0.0/8)"
                ));
            }
        }
        Ok(Arc::new(AppState {
            app,
            metrics: metrics::Metrics::default(),
            ui: ui::Ui::load()?,
        }))
    }
}

pub use auth::Who;

/// The OpenAPI description, generated from the handlers and the answer types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "stdbridge",
        description = "Standards of many countries: search, relations (adoptions, replacements, mutual recognition), reference data and analytics."
    ),
    paths(
        health,
        search::search,
        search::facets,
        search::suggest,
        search::export_search,
        catalog::standard,
        catalog::countries,
        catalog::country,
        catalog::bodies,
        catalog::ics_tree,
        analytics::analytics,
        analytics::compare,
        jobs::job,
        jobs::events,
        qa::check,
        auth::sign_in,
        auth::current,
        auth::sign_out,
        memories::list,
        memories::create,
        memories::show,
        memories::delete,
        memories::import,
        memories::lookup,
        memories::concordance,
        memories::export,
        termbases::list,
        termbases::create,
        termbases::show,
        termbases::import,
        termbases::export,
        termbases::find,
        termbases::concepts,
        termbases::add_concept,
        termbases::update_concept,
        termbases::set_term_status,
        sharing::memory_shares,
        sharing::share_memory,
        sharing::unshare_memory,
        sharing::memory_visibility,
        sharing::termbase_shares,
        sharing::share_termbase,
        sharing::unshare_termbase,
        sharing::termbase_visibility,
        sharing::share_memory_with_group,
        sharing::unshare_memory_with_group,
        sharing::share_termbase_with_group,
        sharing::unshare_termbase_with_group,
        groups::list,
        groups::create,
        groups::delete,
        groups::add_member,
        groups::remove_member,
        segment::segment,
        segment::dictionary,
        segment::add_word,
        segment::remove_word,
        translate::translate_text,
        translate::engines,
    ),
    components(schemas(schema::TitleLanguage, schema::KeywordLanguage, schema::ExportFormatName)),
    modifiers(&FlattenedRecord, &CommonResponses),
    tags(
        (name = "search", description = "Searching the catalogue"),
        (name = "catalogue", description = "Standards and reference data"),
        (name = "analytics", description = "Counts over the catalogue"),
        (name = "translation", description = "Translation memories and checking translations"),
        (name = "accounts", description = "Signing in and out, groups of users"),
        (name = "service", description = "Health, jobs and operations"),
    )
)]
pub struct ApiDoc;

/// The record is flattened into `StandardView`: its schema must allow the view's own
/// fields beside its own (serde's `deny_unknown_fields` holds for imports, not here).
struct FlattenedRecord;

impl utoipa::Modify for FlattenedRecord {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Schema};
        if let Some(components) = openapi.components.as_mut()
            && let Some(RefOr::T(Schema::Object(record))) = components.schemas.get_mut("Standard")
        {
            record.additional_properties = None;
        }
    }
}

/// The OpenAPI document as JSON.
pub fn openapi_json() -> serde_json::Value {
    let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    schema::describe_streams(&mut document);
    document
}

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    let request_timeout = state.app.config().http.request_timeout;
    Router::new()
        .route("/healthz", get(health))
        .route("/metrics", get(metrics::metrics))
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/facets", get(search::facets))
        .route("/api/v1/suggest", get(search::suggest))
        .route("/api/v1/export", get(search::export_search))
        .route("/api/v1/standards/{*designation}", get(catalog::standard))
        .route("/api/v1/countries", get(catalog::countries))
        .route("/api/v1/countries/{code}", get(catalog::country))
        .route("/api/v1/bodies", get(catalog::bodies))
        .route("/api/v1/ics", get(catalog::ics_tree))
        .route("/api/v1/analytics", get(analytics::analytics))
        .route("/api/v1/analytics/compare", get(analytics::compare))
        .route("/api/v1/jobs/{id}", get(jobs::job))
        .route("/api/v1/jobs/{id}/events", get(jobs::events))
        .route(
            "/api/v1/qa",
            post(qa::check).layer(axum::extract::DefaultBodyLimit::max(QA_BODY_LIMIT)),
        )
        .route(
            "/api/v1/session",
            post(auth::sign_in)
                .get(auth::current)
                .delete(auth::sign_out),
        )
        .merge(translation_routes())
        .merge(ui::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn(move |request, next| {
            layers::deadline(request_timeout, request, next)
        }))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            auth::authenticate,
        ))
        .layer(axum::middleware::from_fn(layers::security_headers))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            metrics::observe,
        ))
        .with_state(state)
}

/// The routes of the translation half: each needs an account (401 before anything else).
fn translation_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/api/v1/memories",
            account(get(memories::list).post(memories::create)),
        )
        .route(
            "/api/v1/memories/{id}",
            account(get(memories::show).delete(memories::delete)),
        )
        .route(
            "/api/v1/memories/{id}/import",
            account(
                post(memories::import).layer(axum::extract::DefaultBodyLimit::max(
                    memories::TMX_BODY_LIMIT,
                )),
            ),
        )
        .route(
            "/api/v1/memories/{id}/lookup",
            account(get(memories::lookup)),
        )
        .route(
            "/api/v1/memories/{id}/concordance",
            account(get(memories::concordance)),
        )
        .route(
            "/api/v1/memories/{id}/export",
            account(get(memories::export)),
        )
        .route(
            "/api/v1/termbases",
            account(get(termbases::list).post(termbases::create)),
        )
        .route("/api/v1/termbases/{id}", account(get(termbases::show)))
        .route(
            "/api/v1/termbases/{id}/import",
            account(
                post(termbases::import).layer(axum::extract::DefaultBodyLimit::max(
                    termbases::TERMS_BODY_LIMIT,
                )),
            ),
        )
        .route(
            "/api/v1/termbases/{id}/export",
            account(get(termbases::export)),
        )
        .route("/api/v1/termbases/{id}/find", account(get(termbases::find)))
        .route(
            "/api/v1/termbases/{id}/concepts",
            account(get(termbases::concepts).post(termbases::add_concept)),
        )
        .route(
            "/api/v1/termbases/{id}/concepts/{key}",
            account(put(termbases::update_concept)),
        )
        .route(
            "/api/v1/termbases/{id}/concepts/{key}/status",
            account(put(termbases::set_term_status)),
        )
        .route(
            "/api/v1/memories/{id}/shares",
            account(get(sharing::memory_shares)),
        )
        .route(
            "/api/v1/memories/{id}/shares/{user}",
            account(put(sharing::share_memory).delete(sharing::unshare_memory)),
        )
        .route(
            "/api/v1/memories/{id}/visibility",
            account(put(sharing::memory_visibility)),
        )
        .route(
            "/api/v1/termbases/{id}/shares",
            account(get(sharing::termbase_shares)),
        )
        .route(
            "/api/v1/termbases/{id}/shares/{user}",
            account(put(sharing::share_termbase).delete(sharing::unshare_termbase)),
        )
        .route(
            "/api/v1/termbases/{id}/visibility",
            account(put(sharing::termbase_visibility)),
        )
        .route(
            "/api/v1/memories/{id}/group-shares/{group}",
            account(
                put(sharing::share_memory_with_group).delete(sharing::unshare_memory_with_group),
            ),
        )
        .route(
            "/api/v1/termbases/{id}/group-shares/{group}",
            account(
                put(sharing::share_termbase_with_group)
                    .delete(sharing::unshare_termbase_with_group),
            ),
        )
        .route(
            "/api/v1/groups",
            account(get(groups::list).post(groups::create)),
        )
        .route("/api/v1/groups/{group}", account(delete(groups::delete)))
        .route(
            "/api/v1/groups/{group}/members/{user}",
            account(put(groups::add_member).delete(groups::remove_member)),
        )
        .route("/api/v1/segment", account(post(segment::segment)))
        .route(
            "/api/v1/dictionary",
            account(get(segment::dictionary).post(segment::add_word)),
        )
        .route(
            "/api/v1/dictionary/{word}",
            account(delete(segment::remove_word)),
        )
        .route(
            "/api/v1/translate/text",
            account(post(translate::translate_text)),
        )
        .route("/api/v1/engines", account(get(translate::engines)))
}

/// The methods of a route that need an account: 401 before anything else, for the
/// methods the route has (another method is still a 405).
fn account(
    methods: axum::routing::MethodRouter<Arc<AppState>>,
) -> axum::routing::MethodRouter<Arc<AppState>> {
    methods.route_layer(axum::middleware::from_fn(auth::require_account))
}

/// Serves on `listener` until `shutdown` completes, then finishes the requests in flight;
/// connections are limited as the configuration says (`[http]`). The application's indexes
/// follow the store's change log in the background meanwhile.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let settings = &state.app.config().http;
    let limits = ConnectionLimits {
        max_connections: settings.max_connections,
        header_timeout: settings.header_timeout,
        ..ConnectionLimits::default()
    };
    let follower = state.app.follow_changes();
    let served = listen::serve_connections(listener, router(state), limits, shutdown).await;
    follower.abort();
    served
}

/// The answer of `/healthz`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// Standards in the search index.
    pub standards: u64,
}

/// Whether the service is up, and how many standards it holds.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "The service is up", body = Health)))]
async fn health(State(state): State<Arc<AppState>>) -> Result<Json<Health>, ApiError> {
    // The index's count: instant at any size (the store's statistics take seconds at a
    // million standards, too slow for a health check).
    Ok(Json(Health {
        status: "ok".to_owned(),
        standards: stdbridge_app::catalog::indexed(&state.app).await?,
    }))
}

async fn openapi() -> Json<serde_json::Value> {
    Json(openapi_json())
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(&format!("no route {}", uri.path()))
}
