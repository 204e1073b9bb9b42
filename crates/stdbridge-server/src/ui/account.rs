//! Signing in and out, and a user's account: who they are, their API tokens (made,
//! shown once, revoked). Every page of the translation half sends a stranger here first.

use std::sync::Arc;

use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};
use stdbridge_app::model::TokenScope;
use stdbridge_app::{ErrorKind, accounts};

use super::forms::{PageForm, from_this_site, local_path};
use super::pages::Page;
use crate::extract::{PathText, QueryParams};
use crate::{AppState, Who};

impl Page<'_> {
    /// The sign-in page's address for someone who asked for `uri` without an account.
    pub(super) fn sign_in_first(&self, uri: &Uri) -> Response {
        let next = uri
            .path_and_query()
            .map_or("/memories", |p| p.as_str())
            .to_owned();
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("next", &next)
            .append_pair("lang", self.lang.code())
            .finish();
        Redirect::to(&format!("/sign-in?{query}")).into_response()
    }

    /// Refuses a form that changes something unless it comes from this site and, for a
    /// signed-in user, carries the session's CSRF token.
    pub(super) fn refuse_form(&self, headers: &HeaderMap, form: &PageForm) -> Option<Response> {
        if !from_this_site(headers) {
            return Some(self.message(
                StatusCode::FORBIDDEN,
                "error_title",
                &self.text("form_other_site"),
            ));
        }
        let account = self.who.account()?;
        let stdbridge_app::Via::Session { csrf } = &account.via else {
            return None;
        };
        let sent = form.field("csrf");
        if constant_time_eq::constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
            None
        } else {
            Some(self.message(
                StatusCode::FORBIDDEN,
                "error_title",
                &self.text("form_stale"),
            ))
        }
    }

    /// A page for a failed use case: its message, with the status its kind answers.
    pub(super) fn refused(&self, error: stdbridge_app::AppError) -> Response {
        let status = crate::ApiError::from(error.clone()).status();
        match error.kind {
            ErrorKind::Internal => self.failed(error),
            ErrorKind::NotFound => self.message(status, "not_found_title", &error.to_string()),
            _ => self.message(status, "error_title", &error.to_string()),
        }
    }
}

/// The language of a form's page: its `lang` field, else the request's.
pub(super) fn form_page<'a>(
    state: &'a AppState,
    who: stdbridge_app::Principal,
    form: &PageForm,
    headers: &HeaderMap,
    uri: &Uri,
) -> Page<'a> {
    let lang = form.0.get("lang").map(String::as_str);
    Page::new(state, who, lang, headers, uri)
}

/// The page of a request that needs a signed-in user, or (the error) the redirect to
/// sign in.
pub(super) fn signed_in<'a>(
    state: &'a AppState,
    who: stdbridge_app::Principal,
    values: &std::collections::HashMap<String, String>,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Page<'a>, Box<Response>> {
    let page = Page::new(
        state,
        who,
        values.get("lang").map(String::as_str),
        headers,
        uri,
    );
    if page.who.account().is_none() {
        return Err(Box::new(page.sign_in_first(uri)));
    }
    Ok(page)
}

/// The page of a signed-in user's form that changes something, or (the error) the
/// redirect to sign in or the refusal of the form ([`Page::refuse_form`]).
pub(super) fn signed_in_form<'a>(
    state: &'a AppState,
    who: stdbridge_app::Principal,
    form: &PageForm,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Page<'a>, Box<Response>> {
    let page = form_page(state, who, form, headers, uri);
    if page.who.account().is_none() {
        return Err(Box::new(page.sign_in_first(uri)));
    }
    if let Some(refused) = page.refuse_form(headers, form) {
        return Err(Box::new(refused));
    }
    Ok(page)
}

/// The sign-in form.
pub async fn sign_in_page(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = Page::new(
        &state,
        who,
        values.get("lang").map(String::as_str),
        &headers,
        &uri,
    );
    let next = local_path(values.get("next").map_or("", String::as_str));
    if page.who.account().is_some() {
        return Redirect::to(&next).into_response();
    }
    page.render("sign_in.html", "sign-in", json!({"next": next}))
}

/// Signs in from the form: the session cookie, then the page asked for. A wrong name or
/// password answers the form again with one message for both.
pub async fn sign_in(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let address = crate::listen::peer(&request).map(|p| p.ip());
    let headers = request.headers().clone();
    let uri = request.uri().clone();
    let form = match PageForm::from_request(request, &()).await {
        Ok(form) => form,
        Err(error) => return error.into_response(),
    };
    let page = form_page(
        &state,
        stdbridge_app::Principal::Anonymous,
        &form,
        &headers,
        &uri,
    );
    if let Some(refused) = page.refuse_form(&headers, &form) {
        return refused;
    }
    let next = local_path(form.field("next"));
    let name = form.field("name");
    match accounts::sign_in(&state.app, name, form.raw("password"), address).await {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                crate::auth::session_set_cookie(&session.cookie, accounts::SESSION_LIFETIME),
            );
            response
        }
        Err(error)
            if matches!(
                error.kind,
                ErrorKind::Unauthenticated | ErrorKind::Throttled
            ) =>
        {
            let key = if error.kind == ErrorKind::Throttled {
                "sign_in_throttled"
            } else {
                "sign_in_wrong"
            };
            let mut response = page.render(
                "sign_in.html",
                "sign-in",
                json!({"next": next, "name": name, "error": page.text(key)}),
            );
            *response.status_mut() = crate::ApiError::from(error).status();
            response
        }
        Err(error) => page.refused(error),
    }
}

/// Signs out: the session ends, its cookie is cleared, the search page follows.
pub async fn sign_out(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = form_page(&state, who, &form, &headers, &uri);
    if let Some(refused) = page.refuse_form(&headers, &form) {
        return refused;
    }
    if let Some(cookie) = crate::auth::session_cookie(&headers)
        && let Err(error) = accounts::sign_out(&state.app, &cookie).await
    {
        return page.refused(error);
    }
    let mut response = Redirect::to(&format!("/?lang={}", page.lang.code())).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        crate::auth::session_set_cookie("", std::time::Duration::ZERO),
    );
    response
}

/// The account page: name, role, API tokens.
pub async fn account(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = or_return!(signed_in(&state, who, &values, &headers, &uri));
    account_page(&page, None, values.get("note").map(String::as_str)).await
}

/// Renders the account page, with a new token's secret when one was just made.
async fn account_page(page: &Page<'_>, new_secret: Option<Value>, note: Option<&str>) -> Response {
    let Some(account) = page.who.account() else {
        return page.failed("no account");
    };
    let tokens = match accounts::tokens(&page.state.app, &page.who, &account.name).await {
        Ok(tokens) => tokens,
        Err(error) => return page.refused(error),
    };
    let tokens: Vec<Value> = tokens
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "label": t.label,
                "scope": t.scope.as_str(),
                "created_at": t.created_at.get(..10).unwrap_or(&t.created_at),
                "revoked_at": t.revoked_at.as_deref().map(|r| r.get(..10).unwrap_or(r)),
            })
        })
        .collect();
    let note = note.and_then(|key| match key {
        "revoked" => Some(page.text("token_revoked")),
        _ => None,
    });
    page.render(
        "account.html",
        "account",
        json!({
            "name": account.name,
            "role": account.role.as_str(),
            "role_label": page.text(&format!("role_{}", account.role.as_str())),
            "tokens": tokens,
            "new_token": new_secret,
            "note": note,
        }),
    )
}

/// Makes an API token from the account page; the page shows its secret once.
pub async fn create_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = form_page(&state, who, &form, &headers, &uri);
    let Some(account) = page.who.account() else {
        return page.sign_in_first(&uri);
    };
    if let Some(refused) = page.refuse_form(&headers, &form) {
        return refused;
    }
    let scope = match form.field("scope") {
        "write" => TokenScope::Write,
        _ => TokenScope::Read,
    };
    let label = Some(form.field("label")).filter(|l| !l.is_empty());
    match accounts::issue_token(&state.app, &page.who, &account.name, scope, label).await {
        Ok(made) => {
            let shown = json!({"secret": made.secret, "scope": scope.as_str(), "label": label});
            account_page(&page, Some(shown), None).await
        }
        Err(error) => page.refused(error),
    }
}

/// Revokes one of the user's tokens from the account page.
pub async fn revoke_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Who(who): Who,
    PathText(id): PathText,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = form_page(&state, who, &form, &headers, &uri);
    let Some(account) = page.who.account() else {
        return page.sign_in_first(&uri);
    };
    if let Some(refused) = page.refuse_form(&headers, &form) {
        return refused;
    }
    let Ok(id) = id.parse::<i64>() else {
        return page.message(StatusCode::NOT_FOUND, "not_found_title", &id);
    };
    match accounts::revoke_token(&state.app, &page.who, &account.name, id).await {
        Ok(()) => Redirect::to(&format!("/account?note=revoked&lang={}", page.lang.code()))
            .into_response(),
        Err(error) => page.refused(error),
    }
}
