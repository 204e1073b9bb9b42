//! The pages' forms: bodies read as `application/x-www-form-urlencoded` (strictly, as
//! query strings are), and the two checks every form that changes something passes — it
//! comes from this site (`Origin`, `Sec-Fetch-Site`), and a signed-in user's form carries
//! the session's CSRF token in its `csrf` field.

use std::collections::HashMap;

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};

use crate::ApiError;
use crate::extract::parse_query;

/// Largest form body (bytes): a text to translate or segment fits with room to spare.
const FORM_LIMIT: usize = 1024 * 1024;

/// The fields of a submitted form.
#[derive(Debug, Default)]
pub struct PageForm(pub HashMap<String, String>);

impl PageForm {
    /// A field, trimmed ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.0.get(name).map_or("", |value| value.trim())
    }

    /// A field as the user typed it (line breaks and spaces kept).
    pub fn raw(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

impl<S: Send + Sync> FromRequest<S> for PageForm {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let body = axum::body::to_bytes(request.into_body(), FORM_LIMIT)
            .await
            .map_err(|_| {
                ApiError::bad_parameter("body", &format!("a form has at most {FORM_LIMIT} bytes"))
            })?;
        let text = std::str::from_utf8(&body)
            .map_err(|_| ApiError::bad_parameter("body", "a form body is UTF-8"))?;
        Ok(PageForm(parse_query(text)?))
    }
}

/// Whether a form was submitted from a page of this site: a browser says where a request
/// comes from in `Sec-Fetch-Site` or `Origin`; one that says another site is refused.
/// (A client that says neither is no browser another site could drive.)
pub fn from_this_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    url::Url::parse(origin).is_ok_and(|url| {
        let authority = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_owned(),
        };
        authority.eq_ignore_ascii_case(host)
    })
}

/// Where to go after signing in: a path of this site, else the memories page. (`//host`
/// and `/\host` would leave the site.)
pub fn local_path(next: &str) -> String {
    let inside = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    if inside && !next.contains(['\r', '\n']) {
        next.to_owned()
    } else {
        "/memories".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("a header value"));
        }
        map
    }

    #[test]
    fn a_form_from_another_site_is_told_apart() {
        assert!(from_this_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!from_this_site(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(from_this_site(&headers(&[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080")
        ])));
        assert!(!from_this_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:8080")
        ])));
        assert!(from_this_site(&HeaderMap::new()));
    }

    #[test]
    fn only_paths_of_this_site_are_followed_after_signing_in() {
        assert_eq!(local_path("/memories/3"), "/memories/3");
        assert_eq!(local_path("//evil.example/"), "/memories");
        assert_eq!(local_path("/\\evil.example"), "/memories");
        assert_eq!(local_path("https://evil.example/"), "/memories");
        assert_eq!(local_path(""), "/memories");
    }
}
