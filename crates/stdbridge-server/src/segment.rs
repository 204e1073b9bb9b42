//! `POST /api/v1/segment`: sentences by SRX and Chinese words by jieba, with the caller's
//! own dictionary and the terms of termbases the caller may read kept whole; and
//! `/api/v1/dictionary`, the caller's own words.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use stdbridge_app::segmentation::{self, SegmentRequest};

use crate::extract::{JsonBody, PathText};
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

/// The caller's own words.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Dictionary {
    /// Sorted.
    pub words: Vec<String>,
}

/// A word to keep whole.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWord {
    /// One run of text without spaces, up to 40 characters.
    #[schema(example = "集装箱角件")]
    pub word: String,
}

/// The words the caller added to their segmentation dictionary.
#[utoipa::path(get, path = "/api/v1/dictionary", tag = "translation",
    responses(
        (status = 200, description = "The caller's words", body = Dictionary),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
    ))]
pub async fn dictionary(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
) -> Result<Json<Dictionary>, ApiError> {
    let words = segmentation::my_words(&state.app, &who).await?;
    Ok(Json(Dictionary { words }))
}

/// Adds a word to the caller's dictionary: segmentation keeps it whole from now on.
#[utoipa::path(post, path = "/api/v1/dictionary", tag = "translation",
    request_body = NewWord,
    responses(
        (status = 201, description = "The caller's words", body = Dictionary),
        (status = 400, description = "A bad body or word", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "A read-only token", body = crate::ErrorBody),
    ))]
pub async fn add_word(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    JsonBody(body): JsonBody<NewWord>,
) -> Result<(StatusCode, Json<Dictionary>), ApiError> {
    let words = segmentation::add_word(&state.app, &who, &body.word).await?;
    Ok((StatusCode::CREATED, Json(Dictionary { words })))
}

/// Takes a word out of the caller's dictionary.
#[utoipa::path(delete, path = "/api/v1/dictionary/{word}", tag = "translation",
    params(("word" = String, Path, description = "The word", example = "集装箱角件")),
    responses(
        (status = 200, description = "The caller's words", body = Dictionary),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "A read-only token", body = crate::ErrorBody),
        (status = 404, description = "Not in the caller's dictionary", body = crate::ErrorBody),
    ))]
pub async fn remove_word(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(word): PathText,
) -> Result<Json<Dictionary>, ApiError> {
    let words = segmentation::remove_word(&state.app, &who, &word).await?;
    Ok(Json(Dictionary { words }))
}
