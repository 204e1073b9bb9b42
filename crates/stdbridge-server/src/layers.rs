//! What every response goes through: a deadline (503 in the API's error shape when a
//! request takes longer), and security headers — `nosniff` and a referrer policy on all,
//! and on pages a content security policy without inline script that also forbids
//! framing.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use stdbridge_app::AppError;

use crate::ApiError;

/// The pages' content security policy: scripts, styles and images from this server only,
/// nothing inline but SVG, no frames around the pages, no plugins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Answers 503 (with `Retry-After`) when the request is not answered within `limit`.
pub async fn deadline(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::from(AppError::unavailable(
            format!(
                "the request took longer than {} s; try again, or narrow it",
                limit.as_secs_f64()
            ),
            1,
        ))
        .into_response(),
    }
}

/// Adds the security headers.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    fn slow_router(limit: Duration) -> Router {
        Router::new()
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .route("/page", get(|| async { axum::response::Html("<p>hi</p>") }))
            .layer(axum::middleware::from_fn(move |request, next| {
                deadline(limit, request, next)
            }))
            .layer(axum::middleware::from_fn(security_headers))
    }

    async fn answer(router: Router, path: &str) -> Response {
        let request = Request::get(path).body(Body::empty()).expect("a request");
        router.oneshot(request).await.expect("an answer")
    }

    #[tokio::test]
    async fn a_request_past_its_deadline_is_answered_503_json_with_retry_after() {
        let response = answer(slow_router(Duration::from_millis(50)), "/slow").await;
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("a body");
        let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        assert_eq!(body["code"], "unavailable");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("longer than 0.05 s")),
            "{body}"
        );
    }

    #[tokio::test]
    async fn pages_carry_a_policy_without_inline_script_and_no_framing() {
        let response = answer(slow_router(Duration::from_secs(1)), "/page").await;
        let headers = response.headers();
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(headers.contains_key(header::REFERRER_POLICY));
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        let policy = headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("ASCII");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }
}
