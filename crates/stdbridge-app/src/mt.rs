//! Machine translation of one line with the term check, and the local models the
//! built-in engine runs.

use std::path::Path;

use serde::Serialize;
use stdbridge_content::model::plain_text;
use stdbridge_content::terms::{TermProblem, check};
use stdbridge_content::{EngineRequest, EngineSegment, Item};
use stdbridge_mt::models::{self, ModelInfo};
use stdbridge_tm::pretranslate::constraints;

use crate::authz::{Action, authorize};
use crate::engines::engine_for;
use crate::{App, AppError, Principal};

/// A line to translate.
#[derive(Debug, Clone)]
pub struct LineRequest {
    /// The engine (`--engine` syntax).
    pub engine: String,
    /// Source language.
    pub from: String,
    /// Target language.
    pub to: String,
    /// Termbases whose terms the translation must use.
    pub termbases: Vec<String>,
    /// The text.
    pub text: String,
}

/// A line translated.
#[derive(Debug, Clone, Serialize)]
pub struct TranslatedLine {
    /// The translation, when the engine gave one.
    pub target: Option<String>,
    /// Terms missing or forbidden in it.
    pub problems: Vec<TermProblem>,
}

/// Translates one line through an engine, with the termbases' terms as constraints, and
/// checks the terms in the translation.
pub async fn translate_line(
    app: &App,
    who: &Principal,
    mut request: LineRequest,
) -> Result<TranslatedLine, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    if !request.termbases.is_empty() {
        request.termbases = crate::access::readable_names(
            app,
            who,
            crate::access::Kind::Termbase,
            &request.termbases,
        )
        .await?;
    }
    let matcher = if request.termbases.is_empty() {
        None
    } else {
        Some(
            app.termbases()
                .await?
                .matcher(&request.termbases, &request.from, &request.to)
                .await?,
        )
    };
    let terms = constraints(matcher.as_ref(), &request.text);
    let engine = engine_for(app, &request.engine).await?;
    let segment = EngineSegment {
        content: vec![Item::Text(request.text.clone())],
        terms: terms.clone(),
    };
    let translated = engine
        .translate(EngineRequest {
            source_lang: &request.from,
            target_lang: &request.to,
            segments: std::slice::from_ref(&segment),
        })
        .await?;
    let target = translated
        .into_iter()
        .next()
        .flatten()
        .map(|t| plain_text(&t));
    let problems = target
        .as_deref()
        .map(|t| check(t, &terms))
        .unwrap_or_default();
    Ok(TranslatedLine { target, problems })
}

/// Checks a Marian/OPUS-MT model directory and keeps a copy under the models directory.
pub fn add_model(
    app: &App,
    who: &Principal,
    source: &Path,
    name: Option<&str>,
) -> Result<ModelInfo, AppError> {
    authorize(app.config(), who, Action::ManageModels)?;
    models::add(&app.config().models_dir, source, name).map_err(AppError::from)
}

/// The models kept under the models directory; a broken one is an error in its place.
pub fn list_models(
    app: &App,
    who: &Principal,
) -> Result<Vec<Result<ModelInfo, AppError>>, AppError> {
    authorize(app.config(), who, Action::ManageModels)?;
    Ok(models::list(&app.config().models_dir)
        .into_iter()
        .map(|found| found.map_err(AppError::from))
        .collect())
}
