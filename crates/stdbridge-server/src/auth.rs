//! Who a request is: an API token (`Authorization: Bearer sbt_…`), a session cookie, or
//! nobody. The [`authenticate`] layer works it out once per request and handlers take it
//! as [`Who`]; what the principal may do is decided by the use cases, not here.
//!
//! A session cookie is `HttpOnly` and `SameSite=Lax`; a request it authenticates that
//! changes something (any method but GET, HEAD and OPTIONS) must also carry the
//! session's CSRF token in `X-CSRF-Token`, so another site cannot make a signed-in
//! browser write. Tokens need no such header: a browser never sends one by itself.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stdbridge_app::principal::Via;
use stdbridge_app::{AppError, Principal, accounts};

use crate::{ApiError, AppState};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "stdbridge_session";
/// The header that carries a session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The acting principal of a request (anonymous when nothing said who).
#[derive(Debug, Clone)]
pub struct Who(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Who {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Who(parts
            .extensions
            .get::<Principal>()
            .cloned()
            .unwrap_or(Principal::Anonymous)))
    }
}

/// The bearer token of a request, if it sends one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The value of the session cookie, if the request sends one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
}

fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Works out the principal of a request and puts it in the request's extensions. A bad
/// token is refused at once (401); an unknown or ended session is simply anonymous; a
/// session's write without its CSRF token is refused (403). Forms of the web pages carry
/// the token in a field, which their handlers check, so only the API asks for the header.
pub async fn authenticate(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    // `/metrics` has a bearer token of its own (`[http] metrics_token`).
    let own_token = request.uri().path() == "/metrics";
    let who = if let Some(token) = bearer(headers).filter(|_| !own_token) {
        match accounts::from_token(&state.app, token).await {
            Ok(who) => who,
            Err(error) => return ApiError::from(error).into_response(),
        }
    } else if let Some(cookie) = session_cookie(headers) {
        match accounts::from_session(&state.app, &cookie).await {
            Ok(Some(who)) => who,
            Ok(None) => Principal::Anonymous,
            Err(error) => return ApiError::from(error).into_response(),
        }
    } else {
        Principal::Anonymous
    };
    let api = request.uri().path().starts_with("/api/");
    if api
        && changes_something(request.method())
        && let Some(account) = who.account()
        && let Via::Session { csrf } = &account.via
    {
        let sent = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !constant_time_eq::constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
            return ApiError::from(AppError::forbidden(format!(
                "a signed-in browser's request that changes something carries the session's \
                 CSRF token in {CSRF_HEADER}"
            )))
            .into_response();
        }
    }
    request.extensions_mut().insert(who);
    next.run(request).await
}

/// Answers 401 to an anonymous request before anything else of it is looked at: the
/// layer of the translation half's routes (a route layer, so a method a route does not
/// have is still a 405).
pub async fn require_account(request: Request, next: Next) -> Response {
    let anonymous = request
        .extensions()
        .get::<Principal>()
        .is_none_or(|who| *who == Principal::Anonymous);
    if anonymous {
        return ApiError::from(AppError::unauthenticated(
            "sign in or send an API token (Authorization: Bearer …) to use the translation resources",
        ))
        .into_response();
    }
    next.run(request).await
}

/// A sign-in with a password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The user name.
    #[schema(max_length = 64)]
    pub name: String,
    /// The password.
    #[schema(max_length = 1024)]
    pub password: String,
}

/// Who is signed in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// The user name.
    pub name: String,
    /// The role: admin, reviewer, translator or reader.
    pub role: String,
    /// The token a state-changing request of this session carries in `X-CSRF-Token`
    /// (absent when signed in with an API token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf: Option<String>,
}

fn session_view(who: &Principal) -> Option<SessionView> {
    let account = who.account()?;
    Some(SessionView {
        name: account.name.clone(),
        role: account.role.as_str().to_owned(),
        csrf: match &account.via {
            Via::Session { csrf } => Some(csrf.clone()),
            Via::Token(_) => None,
        },
    })
}

/// The `Set-Cookie` value of a session (or of its end, with `max_age` 0).
pub fn session_set_cookie(value: &str, max_age: std::time::Duration) -> HeaderValue {
    let cookie = cookie::Cookie::build((SESSION_COOKIE, value.to_owned()))
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::seconds(
            i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
        ))
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static(""))
}

/// Signs in with a name and password: a session cookie, and the session's CSRF token in
/// the answer. Wrong name and wrong password answer alike; after 5 wrong passwords for
/// an account (20 from an address) within 15 minutes, sign-ins are refused for a while
/// (429 with Retry-After).
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SessionView),
        (status = 400, description = "Not a sign-in body", body = crate::ErrorBody),
        (status = 401, description = "Wrong name or password", body = crate::ErrorBody),
        (status = 429, description = "Too many wrong passwords: try again after Retry-After seconds", body = crate::ErrorBody),
    ))]
pub async fn sign_in(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Result<Response, ApiError> {
    let address = crate::listen::peer(&request).map(|p| p.ip());
    let body = axum::body::to_bytes(request.into_body(), 64 * 1024)
        .await
        .map_err(|_| ApiError::bad_parameter("body", "a sign-in body has at most 64 KiB"))?;
    let sign_in: SignIn = serde_json::from_slice(&body).map_err(|error| {
        ApiError::bad_parameter(
            "body",
            &format!("not a sign-in ({{\"name\", \"password\"}}): {error}"),
        )
    })?;
    let session = accounts::sign_in(&state.app, &sign_in.name, &sign_in.password, address).await?;
    let view = SessionView {
        name: session.user.name.clone(),
        role: session.user.role.as_str().to_owned(),
        csrf: Some(session.csrf.clone()),
    };
    let mut response = (StatusCode::OK, Json(view)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_set_cookie(&session.cookie, accounts::SESSION_LIFETIME),
    );
    Ok(response)
}

/// Who is signed in (by session or token).
#[utoipa::path(get, path = "/api/v1/session", tag = "accounts",
    responses(
        (status = 200, description = "The signed-in user", body = SessionView),
        (status = 401, description = "Nobody is signed in", body = crate::ErrorBody),
    ))]
pub async fn current(Who(who): Who) -> Result<Json<SessionView>, ApiError> {
    session_view(&who)
        .map(Json)
        .ok_or_else(|| AppError::unauthenticated("nobody is signed in").into())
}

/// Signs out: the session ends and its cookie is cleared.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    responses((status = 204, description = "Signed out (or was not signed in)")))]
pub async fn sign_out(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(cookie) = session_cookie(&headers) {
        accounts::sign_out(&state.app, &cookie).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_set_cookie("", std::time::Duration::ZERO),
    );
    Ok(response)
}
