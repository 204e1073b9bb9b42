//! What the OpenAPI document says beyond the handlers' own annotations: the closed sets
//! of values some parameters take (as enums, so that a generated client never sends one
//! the server refuses), and the answers every operation may give (500, and 503 when the
//! server is busy or a request runs out of time).

use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};

/// Languages a title may be asked in.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum TitleLanguage {
    /// English.
    En,
    /// Chinese.
    Zh,
    /// French.
    Fr,
    /// Russian.
    Ru,
    /// Spanish.
    Es,
    /// Japanese.
    Ja,
}

/// Languages with title keywords.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum KeywordLanguage {
    /// English.
    En,
    /// Chinese.
    Zh,
}

/// The formats a search exports to.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum ExportFormatName {
    /// CSV with a header.
    Csv,
    /// stdbridge records as JSON Lines.
    Jsonl,
    /// BibTeX (`@techreport`, type Standard).
    Bibtex,
    /// RIS (`TY  - STAND`).
    Ris,
    /// Relaton YAML.
    Relaton,
}

/// Adds the answers every operation may give: 500, and 503 with `Retry-After`.
pub struct CommonResponses;

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let error = || {
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    "ErrorBody",
                ))))
                .build()
        };
        let busy = ResponseBuilder::new()
            .description("Busy (the search queue is full) or the request ran out of time; try again after Retry-After seconds")
            .header(
                "Retry-After",
                utoipa::openapi::HeaderBuilder::new()
                    .schema(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::Integer))
                    .description(Some("Seconds to wait"))
                    .build(),
            )
            .content("application/json", error())
            .build();
        let failed = ResponseBuilder::new()
            .description("Something failed inside the server")
            .content("application/json", error())
            .build();
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let responses = &mut operation.responses.responses;
                responses
                    .entry("503".to_owned())
                    .or_insert_with(|| RefOr::T(busy.clone()));
                responses
                    .entry("500".to_owned())
                    .or_insert_with(|| RefOr::T(failed.clone()));
            }
        }
    }
}

/// The schema of one event of the job's event stream, as Schemathesis and OpenAPI 3.2's
/// `itemSchema` read a `text/event-stream` schema: the event's fields, `data` holding the
/// job as JSON.
fn job_event_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "required": ["event", "data"],
        "properties": {
            "event": {"type": "string", "enum": ["job"]},
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": {"$ref": "#/components/schemas/JobView"}
            },
            "id": {"type": "string"},
            "retry": {"type": "integer"}
        }
    })
}

/// Gives the answers that are not one JSON document the schema a client parses them
/// with: each event stream the schema of one of its events (utoipa knows no event
/// streams: it would say the whole stream is one string), and a Relaton YAML export a
/// list of records.
pub fn describe_streams(document: &mut serde_json::Value) {
    let stream = &mut document["paths"]["/api/v1/jobs/{id}/events"]["get"]["responses"]["200"]["content"]
        ["text/event-stream"];
    if stream.is_object() {
        stream["schema"] = job_event_schema();
    }
    let yaml = &mut document["paths"]["/api/v1/export"]["get"]["responses"]["200"]["content"]["application/yaml"];
    if yaml.is_object() {
        yaml["schema"] = serde_json::json!({
            "type": "array",
            "description": "Relaton records (the `bibitem` model)",
            "items": {"type": "object"}
        });
    }
}
