//! Errors as the API answers them: a status and JSON `{"code", "message"}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The body of every error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// `bad_parameter`, `not_found` or `internal`.
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
}

impl ApiError {
    /// 400: a parameter is wrong; the message names it.
    pub fn bad_parameter(name: &str, reason: &str) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_parameter",
            message: format!("{name}: {reason}"),
        }
    }

    /// 404: nothing there.
    pub fn not_found(message: &str) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.to_owned(),
        }
    }

    /// 500: the store or the index failed; logged in full.
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!("request failed: {error}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody {
            code: self.code.to_owned(),
            message: self.message,
        });
        (self.status, body).into_response()
    }
}
