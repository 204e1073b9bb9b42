//! `POST /api/v1/translate/text`: quick translation of a text, sentence by sentence (one
//! JSON answer, or, asked for `application/x-ndjson`, one line per sentence as each batch
//! is done); `GET /api/v1/engines`: the engines a user may choose.

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
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

/// The media type of a streamed translation: one JSON object per line.
pub const NDJSON: &str = "application/x-ndjson";

/// Translates a text sentence by sentence: the best memory match of `min_score` or more,
/// else the engine with the termbases' terms enforced; each sentence's terms and the
/// term check of its translation. With `Accept: application/x-ndjson` the answer is
/// streamed: one sentence per line as each batch of 16 is translated, and, if the engine
/// fails midway, a last line `{"error": {"code", "message"}}`.
#[utoipa::path(post, path = "/api/v1/translate/text", tag = "translation",
    request_body = TranslateBody,
    responses(
        (status = 200, description = "`{\"sentences\": [{\"source\", \"target\", \"origin\", \"terms\", \"warnings\"}]}`; streamed, one sentence per line", content(
            (Object = "application/json"),
            (String = "application/x-ndjson"),
        )),
        (status = 400, description = "A bad body or engine", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 404, description = "A memory or termbase the caller may not read", body = crate::ErrorBody),
        (status = 503, description = "The engine does not answer", body = crate::ErrorBody),
    ))]
pub async fn translate_text(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    headers: HeaderMap,
    JsonBody(body): JsonBody<TranslateBody>,
) -> Result<Response, ApiError> {
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
    if wants_stream(&headers) {
        return streamed(state, who, request).await;
    }
    let sentences = mt::translate_text(&state.app, &who, request).await?;
    Ok(Json(json!({ "sentences": sentences })).into_response())
}

/// Whether the request asks for the streamed answer.
fn wants_stream(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains(NDJSON))
}

/// What the translating task hands the streamed answer.
enum Event {
    Line(String),
    Failed(ApiError),
}

/// The streamed answer: a task translates, each sentence becomes a line. An error before
/// the first sentence (a memory that cannot be read, an unknown engine) is the answer's
/// status, as without streaming; a later one is the last line.
async fn streamed(
    state: Arc<AppState>,
    who: stdbridge_app::Principal,
    request: TextRequest,
) -> Result<Response, ApiError> {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<Event>();
    tokio::spawn(async move {
        let lines = sender.clone();
        let mut each = move |sentence: mt::TranslatedSentence| {
            let line = serde_json::to_string(&sentence).unwrap_or_default();
            let _ = lines.send(Event::Line(line));
        };
        if let Err(error) = mt::translate_text_each(&state.app, &who, request, &mut each).await {
            let _ = sender.send(Event::Failed(error.into()));
        }
    });
    let first = match receiver.recv().await {
        Some(Event::Failed(error)) => return Err(error),
        Some(Event::Line(line)) => Some(line),
        None => None,
    };
    let rest = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let line = match receiver.recv().await? {
            Event::Line(line) => line,
            Event::Failed(error) => json!({ "error": error.body() }).to_string(),
        };
        Some((
            Ok::<_, std::convert::Infallible>(format!("{line}\n")),
            receiver,
        ))
    });
    let head = futures_util::stream::iter(
        first.map(|line| Ok::<_, std::convert::Infallible>(format!("{line}\n"))),
    );
    let body = Body::from_stream(futures_util::StreamExt::chain(head, rest));
    Ok(([(header::CONTENT_TYPE, NDJSON)], body).into_response())
}

/// The engines the caller may choose for `engine`.
#[utoipa::path(get, path = "/api/v1/engines", tag = "translation",
    responses(
        (status = 200, description = "`{\"engines\": [{\"engine\", \"kind\", \"languages\"?}]}`", body = Object),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
    ))]
pub async fn engines(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
) -> Result<Json<Value>, ApiError> {
    let engines = mt::engines(&state.app, &who)?;
    Ok(Json(json!({ "engines": engines })))
}
