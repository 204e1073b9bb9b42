//! Prometheus metrics at `/metrics` (OpenMetrics text): requests and latencies per
//! route, method and status, and the size of the search index; each request is also
//! logged (tracing) with its route, status and duration.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::AppState;

/// The labels of a request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// The labels of a latency.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to about 8 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    index_documents: Gauge,
    index_bytes: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("stdbridge");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route",
            latency.clone(),
        );
        let index_documents = Gauge::default();
        registry.register(
            "index_documents",
            "Standards in the search index",
            index_documents.clone(),
        );
        let index_bytes = Gauge::default();
        registry.register(
            "index_bytes",
            "Size of the search index on disk",
            index_bytes.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            index_documents,
            index_bytes,
        }
    }
}

/// Times, counts and logs every request.
pub async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = method_label(request.method());
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    tracing::info!(
        target: "stdbridge::http",
        %method, uri = %uri, route = %route, status, ms = elapsed.as_secs_f64() * 1e3,
        "answered"
    );
    let metrics = &state.metrics;
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            method,
            status,
        })
        .inc();
    metrics
        .latency
        .get_or_create(&RouteLabels { route })
        .observe(elapsed.as_secs_f64());
    response
}

/// A method as a label: the methods of HTTP, every other one folded into `other` (a
/// client inventing methods must not grow the number of series).
fn method_label(method: &axum::http::Method) -> String {
    use axum::http::Method;
    let known = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    if known.contains(method) {
        method.as_str().to_owned()
    } else {
        "other".to_owned()
    }
}

/// Whether the request may read the metrics: from an allowed address (when the
/// configuration names some) and with the token (when it sets one).
fn may_read(
    settings: &stdbridge_app::HttpSettings,
    request: &Request,
) -> Result<(), crate::ApiError> {
    if !settings.metrics_allow.is_empty() {
        let peer = crate::listen::peer(request).map(|p| p.ip());
        let allowed = peer.is_some_and(|ip| {
            settings.metrics_allow.iter().any(|rule| {
                rule.parse::<ipnet::IpNet>()
                    .map(|net| net.contains(&ip))
                    .or_else(|_| rule.parse::<std::net::IpAddr>().map(|one| one == ip))
                    .unwrap_or(false)
            })
        });
        if !allowed {
            return Err(stdbridge_app::AppError::forbidden(
                "the metrics are not served to this address",
            )
            .into());
        }
    }
    if let Some(token) = &settings.metrics_token {
        let sent = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        // Compared in constant time: the answer must not tell how much of a guess was right.
        let matches = sent.is_some_and(|sent| {
            constant_time_eq::constant_time_eq(sent.as_bytes(), token.expose().as_bytes())
        });
        if !matches {
            return Err(stdbridge_app::AppError::unauthenticated(
                "the metrics want Authorization: Bearer TOKEN",
            )
            .into());
        }
    }
    Ok(())
}

/// The metrics in OpenMetrics text.
pub async fn metrics(State(state): State<Arc<AppState>>, request: Request) -> Response {
    if let Err(refused) = may_read(&state.app.config().http, &request) {
        return refused.into_response();
    }
    let metrics = &state.metrics;
    let (documents, bytes) = match (
        stdbridge_app::catalog::indexed(&state.app).await,
        stdbridge_app::catalog::index_bytes(&state.app).await,
    ) {
        (Ok(documents), Ok(bytes)) => (documents, bytes),
        (Err(error), _) | (_, Err(error)) => return crate::ApiError::from(error).into_response(),
    };
    metrics
        .index_documents
        .set(i64::try_from(documents).unwrap_or(i64::MAX));
    metrics
        .index_bytes
        .set(i64::try_from(bytes).unwrap_or(i64::MAX));
    let mut text = String::new();
    if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &metrics.registry) {
        return crate::ApiError::internal(error).into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}
