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
    let method = request.method().to_string();
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

/// The metrics in OpenMetrics text.
pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
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
