//! `POST /api/v1/qa`: the quality checks of `stdbridge qa` over segments sent as JSON.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use stdbridge_app::qa::{self, Check, QaReport, QaRequest, RuleSet, TextSegment};
use utoipa::ToSchema;

use crate::extract::JsonBody;
use crate::{ApiError, AppState};

/// Most segments in one request.
pub const MAX_QA_SEGMENTS: usize = 10_000;
/// Most characters of a segment's source or target.
pub const MAX_QA_TEXT: usize = 100_000;
/// Most termbases named in one request.
pub const MAX_QA_TERMBASES: usize = 20;

/// What to check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QaBody {
    /// Source language (BCP 47).
    #[schema(pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$", example = "zh-CN")]
    pub from: String,
    /// Target language (BCP 47).
    #[schema(pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$", example = "en")]
    pub to: String,
    /// Verbal-form rules (default `standards`).
    #[serde(default)]
    pub rules: Option<RulesName>,
    /// Checks to run (all when absent or empty).
    #[serde(default)]
    #[schema(max_items = 10)]
    pub checks: Vec<CheckName>,
    /// Termbases whose terms the translation must use (needs an account).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub termbases: Vec<TermbaseName>,
    /// The segments, in document order.
    #[schema(min_items = 1, max_items = 10000)]
    pub segments: Vec<QaSegment>,
}

/// A termbase's name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, pattern = r"^[^\x00-\x1f]{1,200}$")]
pub struct TermbaseName(pub String);

/// One segment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QaSegment {
    /// Its unit (default: its position).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub unit: Option<String>,
    /// Source text.
    #[schema(max_length = 100000, example = "包装箱宜采用瓦楞纸箱。")]
    pub source: String,
    /// Target text.
    #[schema(
        max_length = 100000,
        example = "Corrugated cartons shall be used as packing cases."
    )]
    pub target: String,
}

/// A rule set of verbal forms.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RulesName {
    /// ISO/IEC Directives Part 2 and GB/T 1.1 (必须/must flagged).
    Standards,
    /// Engineering-construction codes (必须 = must, 严禁 = must not).
    Construction,
}

/// A check's id.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CheckName {
    /// Requirement levels.
    VerbalForm,
    /// Numbers.
    Number,
    /// Units.
    Unit,
    /// Cited standards.
    Designation,
    /// Termbase terms.
    Term,
    /// Inline codes.
    Code,
    /// Empty or copied targets.
    Untranslated,
    /// Same source, different targets.
    Inconsistency,
    /// Punctuation.
    Punctuation,
    /// White space.
    Whitespace,
}

impl CheckName {
    fn check(self) -> Check {
        match self {
            CheckName::VerbalForm => Check::VerbalForm,
            CheckName::Number => Check::Number,
            CheckName::Unit => Check::Unit,
            CheckName::Designation => Check::Designation,
            CheckName::Term => Check::Term,
            CheckName::Code => Check::Code,
            CheckName::Untranslated => Check::Untranslated,
            CheckName::Inconsistency => Check::Inconsistency,
            CheckName::Punctuation => Check::Punctuation,
            CheckName::Whitespace => Check::Whitespace,
        }
    }
}

/// Checks translated segments: verbal forms of requirement, numbers, units, cited
/// designations (withdrawn or replaced editions from the catalogue), termbase terms,
/// untranslated and inconsistent segments, punctuation and white space. Findings give
/// character spans `[start, end)` of source and target (`[0, 0]` where a finding points at
/// nothing on that side).
#[utoipa::path(post, path = "/api/v1/qa", tag = "translation",
    request_body(content = QaBody, description = "Segments and how to check them"),
    responses(
        (status = 200, description = "The findings", body = QaReport),
        (status = 400, description = "A bad body", body = crate::ErrorBody),
        (status = 401, description = "Termbases named without an account", body = crate::ErrorBody),
        (status = 404, description = "No such termbase", body = crate::ErrorBody),
    ))]
pub async fn check(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    JsonBody(body): JsonBody<QaBody>,
) -> Result<Json<QaReport>, ApiError> {
    let request = request(body)?;
    Ok(Json(qa::check(&state.app, &who, request).await?))
}

pub(crate) fn language(name: &str, tag: &str) -> Result<String, ApiError> {
    let valid = {
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_alphabetic())
            && rest.len() <= 4
            && rest.iter().all(|part| {
                (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
            })
    };
    if valid {
        Ok(tag.to_owned())
    } else {
        Err(ApiError::bad_parameter(
            name,
            "must be a language tag such as zh-CN or en",
        ))
    }
}

fn request(body: QaBody) -> Result<QaRequest, ApiError> {
    let from = language("from", &body.from)?;
    let to = language("to", &body.to)?;
    if body.segments.is_empty() || body.segments.len() > MAX_QA_SEGMENTS {
        return Err(ApiError::bad_parameter(
            "segments",
            &format!("must hold 1 to {MAX_QA_SEGMENTS} segments"),
        ));
    }
    if body.termbases.len() > MAX_QA_TERMBASES
        || body.termbases.iter().any(|name| {
            name.0.is_empty()
                || name.0.chars().count() > 200
                || name.0.chars().any(|c| c < '\u{20}')
        })
    {
        return Err(ApiError::bad_parameter(
            "termbases",
            &format!(
                "at most {MAX_QA_TERMBASES} names of 1 to 200 characters, no control characters"
            ),
        ));
    }
    if body.checks.len() > 10 {
        return Err(ApiError::bad_parameter("checks", "at most 10 check ids"));
    }
    let mut segments = Vec::with_capacity(body.segments.len());
    for (index, segment) in body.segments.into_iter().enumerate() {
        let too_long = |text: &str| text.chars().count() > MAX_QA_TEXT;
        if too_long(&segment.source) || too_long(&segment.target) {
            return Err(ApiError::bad_parameter(
                &format!("segments[{index}]"),
                &format!("source and target have at most {MAX_QA_TEXT} characters each"),
            ));
        }
        if segment
            .unit
            .as_ref()
            .is_some_and(|unit| unit.chars().count() > 200)
        {
            return Err(ApiError::bad_parameter(
                &format!("segments[{index}].unit"),
                "at most 200 characters",
            ));
        }
        segments.push(TextSegment {
            unit: segment.unit,
            source: segment.source,
            target: segment.target,
        });
    }
    Ok(QaRequest {
        segments,
        from: Some(from),
        to: Some(to),
        termbases: body.termbases.into_iter().map(|name| name.0).collect(),
        rules: body.rules.map(|rules| match rules {
            RulesName::Standards => RuleSet::Standards,
            RulesName::Construction => RuleSet::Construction,
        }),
        checks: body
            .checks
            .into_iter()
            .map(CheckName::check)
            .collect::<BTreeSet<_>>(),
        ..QaRequest::default()
    })
}
