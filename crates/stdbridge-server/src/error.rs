//! Errors as the API answers them: a status and JSON `{"code", "message"}`, from the
//! application layer's kinds; 503 carries `Retry-After`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use stdbridge_app::{AppError, ErrorKind};

/// The body of every error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// `bad_parameter`, `not_found`, `conflict`, `unauthenticated`, `forbidden`,
    /// `unavailable` or `internal`.
    pub code: String,
    /// What went wrong; for a bad parameter, its name first (`limit: must be …`).
    pub message: String,
}

/// An error answer.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    /// 400: a parameter is wrong; the message names it.
    pub fn bad_parameter(name: &str, reason: &str) -> ApiError {
        AppError::bad_field(name, reason).into()
    }

    /// 404: nothing there.
    pub fn not_found(message: &str) -> ApiError {
        AppError::not_found(message).into()
    }

    /// The body this error answers with.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.to_owned(),
            message: self.message.clone(),
        }
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// 500: something failed inside; logged in full.
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        AppError::internal(error).into()
    }
}

/// The status of an error kind.
fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Invalid => StatusCode::BAD_REQUEST,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        ApiError {
            status: status_of(error.kind),
            code: error.kind.code(),
            message: error.to_string(),
            retry_after: error.retry_after,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody {
            code: self.code.to_owned(),
            message: self.message,
        });
        let mut response = (self.status, body).into_response();
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
