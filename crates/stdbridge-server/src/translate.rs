//! `POST /api/v1/translate/text`: quick translation of a text, sentence by sentence.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use stdbridge_app::mt::{self, TextRequest};

use crate::extract::JsonBody;
use crate::{ApiError, AppState, Who};

/// Longest text translated in one request (characters).
pub const MAX_TRANSLATE_TEXT: usize = 20_000;

/// What to translate.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslateBody {
    /// The text (at most 20,000 characters; paragraphs separated by line breaks).
    #[schema(max_length = 20000)]
    pub text: String,
    /// Its language (BCP 47).
    pub from: String,
    /// The language wanted (BCP 47).
    pub to: String,
    /// Memories (names) to take matches from.
    #[serde(default)]
    pub memories: Vec<String>,
    /// Termbases (names) whose terms the translation must use.
    #[serde(default)]
    pub termbases: Vec<String>,
    /// The engine for sentences no memory translates: `pseudo` (the demo's), `none`,
    /// `marian:NAME`, `libretranslate:URL`, `openai:URL[#MODEL]`, `deepl[:URL]`.
    #[serde(default = "default_engine")]
    pub engine: String,
    /// The lowest memory match taken (0–100, default 75).
    #[serde(default = "default_min_score")]
    #[schema(minimum = 0, maximum = 100)]
    pub min_score: u8,
}

fn default_engine() -> String {
    "pseudo".to_owned()
}

fn default_min_score() -> u8 {
    75
}

/// Translates a text sentence by sentence: the best memory match of `min_score` or more,
/// else the engine with the termbases' terms enforced; each sentence's terms and the
/// term check of its translation.
#[utoipa::path(post, path = "/api/v1/translate/text", tag = "translation",
    request_body = TranslateBody,
    responses(
        (status = 200, description = "`{\"sentences\": [{\"source\", \"target\", \"origin\", \"terms\", \"warnings\"}]}`", body = Object),
        (status = 400, description = "A bad body or engine", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "A memory or termbase the caller may not read", body = crate::ErrorBody),
        (status = 503, description = "The engine does not answer", body = crate::ErrorBody),
    ))]
pub async fn translate_text(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    JsonBody(body): JsonBody<TranslateBody>,
) -> Result<Json<Value>, ApiError> {
    if body.text.chars().count() > MAX_TRANSLATE_TEXT {
        return Err(ApiError::bad_parameter(
            "text",
            &format!("text has at most {MAX_TRANSLATE_TEXT} characters"),
        ));
    }
    if body.min_score > 100 {
        return Err(ApiError::bad_parameter(
            "min_score",
            "min_score is from 0 to 100",
        ));
    }
    let request = TextRequest {
        from: crate::qa::language("from", &body.from)?,
        to: crate::qa::language("to", &body.to)?,
        text: body.text,
        memories: body.memories,
        termbases: body.termbases,
        engine: body.engine,
        min_score: body.min_score,
    };
    let sentences = mt::translate_text(&state.app, &who, request).await?;
    Ok(Json(json!({ "sentences": sentences })))
}
