//! `POST /api/v1/segment`: sentences by SRX and Chinese words by jieba, with the terms of
//! termbases the caller may read kept whole.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use stdbridge_app::segmentation::{self, SegmentRequest};

use crate::extract::JsonBody;
use crate::{ApiError, AppState, Who};

/// Longest text segmented in one request (characters).
pub const MAX_SEGMENT_TEXT: usize = 200_000;

/// What to segment.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentBody {
    /// The text (at most 200,000 characters).
    #[schema(max_length = 200000)]
    pub text: String,
    /// Its language (BCP 47).
    pub lang: String,
    /// Whether to cut each sentence into words too.
    #[serde(default)]
    pub words: bool,
    /// Termbases (names) whose terms in `lang` stay whole words.
    #[serde(default)]
    pub termbases: Vec<String>,
}

/// The sentences of a text, each with its byte range and, when asked, its words
/// (a standard's designation is one word).
#[utoipa::path(post, path = "/api/v1/segment", tag = "translation",
    request_body = SegmentBody,
    responses(
        (status = 200, description = "`{\"sentences\": [{\"text\", \"start\", \"end\", \"words\"}]}`", body = Object),
        (status = 400, description = "A bad body", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "A termbase the caller may not read", body = crate::ErrorBody),
    ))]
pub async fn segment(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    JsonBody(body): JsonBody<SegmentBody>,
) -> Result<Json<Value>, ApiError> {
    if body.text.chars().count() > MAX_SEGMENT_TEXT {
        return Err(ApiError::bad_parameter(
            "text",
            &format!("text has at most {MAX_SEGMENT_TEXT} characters"),
        ));
    }
    let lang = crate::qa::language("lang", &body.lang)?;
    let request = SegmentRequest {
        text: body.text,
        lang,
        words: body.words,
        srx: None,
        dict: None,
        termbases: body.termbases,
    };
    let sentences = segmentation::segment(&state.app, &who, request).await?;
    Ok(Json(json!({ "sentences": sentences })))
}
