//! Extractors that answer bad input in the API's error shape: the query string parsed
//! strictly (a malformed percent-encoding, or one that is not UTF-8, is a 400 naming the
//! parameter), and path segments decoded the same way.

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use percent_encoding::percent_decode_str;

use crate::ApiError;

/// The query parameters of a request, each decoded and checked.
#[derive(Debug, Default)]
pub struct QueryParams(pub HashMap<String, String>);

/// Decodes one `application/x-www-form-urlencoded` component strictly.
fn decode(component: &str) -> Option<String> {
    let spaced = component.replace('+', " ");
    let bytes = spaced.as_bytes();
    // Every `%` must start a pair of hexadecimal digits.
    let malformed = bytes.iter().enumerate().any(|(at, byte)| {
        *byte == b'%'
            && !(bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// The parameters of a query string; the first bad one is named.
pub fn parse_query(query: &str) -> Result<HashMap<String, String>, ApiError> {
    let mut values = HashMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(name) = decode(name) else {
            return Err(ApiError::bad_parameter(
                "query",
                "a parameter name is not valid percent-encoded UTF-8",
            ));
        };
        let Some(value) = decode(value) else {
            return Err(ApiError::bad_parameter(
                &name,
                "is not valid percent-encoded UTF-8",
            ));
        };
        values.insert(name, value);
    }
    Ok(values)
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(QueryParams(parse_query(
            parts.uri.query().unwrap_or_default(),
        )?))
    }
}

/// A path segment (or the rest of the path, for `{*name}`), decoded.
#[derive(Debug)]
pub struct PathText(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathText {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(text)) => Ok(PathText(text)),
            Err(rejection) => Err(ApiError::bad_parameter("path", &rejection.body_text())),
        }
    }
}

/// Two path segments (`/{id}/…/{name}`), decoded.
#[derive(Debug)]
pub struct PathPair(pub String, pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathPair {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<(String, String)>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path((first, second))) => Ok(PathPair(first, second)),
            Err(rejection) => Err(ApiError::bad_parameter("path", &rejection.body_text())),
        }
    }
}

/// A JSON request body; a body that is not JSON of the expected shape is a 400 naming
/// what is wrong (serde's path and reason, or the missing content type).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(ApiError::bad_parameter("body", &rejection.body_text())),
        }
    }
}

/// A row id from the path (`what` names it in the error: `"abc" is not a job id`).
pub fn path_id(text: &str, what: &str) -> Result<i64, ApiError> {
    text.parse()
        .map_err(|_| ApiError::bad_parameter("id", &format!("{text:?} is not a {what} id")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_decoded_strictly() {
        let values = parse_query("q=GB%2FT+1.1&limit=5&empty=&flag").expect("valid");
        assert_eq!(values["q"], "GB/T 1.1");
        assert_eq!(values["limit"], "5");
        assert_eq!(values["empty"], "");
        assert_eq!(values["flag"], "");
        assert_eq!(
            parse_query("q=%E6%A0%87%E5%87%86").expect("UTF-8")["q"],
            "标准"
        );
        let error = parse_query("q=%zz")
            .expect_err("not hexadecimal")
            .to_string();
        assert!(
            error.contains("q: is not valid percent-encoded UTF-8"),
            "{error}"
        );
        assert!(parse_query("q=%FF").is_err(), "not UTF-8");
        assert!(parse_query("q=50%").is_err(), "a lone %");
    }
}
