//! ISO Open Data deliverables (`iso_deliverables_metadata`, JSON Lines or one JSON object)
//! → standard records. Published by ISO under ODC-By 1.0.

use std::collections::HashMap;

use serde_json::Value;
use stdbridge_core::designation::Designation;
use stdbridge_core::{
    Committee, Dates, DocType, Identifier, LocalizedText, Relation, RelationKind, Scope, Standard,
    Status,
};

use crate::json::{list, text};
use crate::relaton::ItemError;

/// ISO's numeric deliverable ids → references, so that `replaces: [46486]` can name
/// ISO 9001:2008.
pub type References = HashMap<i64, String>;

/// The id and reference of a deliverable, for the first pass that builds [`References`].
pub fn id_and_reference(item: &Value) -> Option<(i64, String)> {
    Some((item.get("id")?.as_i64()?, text(item.get("reference"))?))
}

/// Reads one deliverable.
pub fn standard_from_deliverable(
    item: &Value,
    references: &References,
) -> Result<Standard, ItemError> {
    let reference =
        text(item.get("reference")).ok_or_else(|| ItemError("no \"reference\"".to_owned()))?;
    let stage = item.get("currentStage").and_then(Value::as_i64);
    let mut record = Standard {
        designation: reference.clone(),
        identifiers: item
            .get("id")
            .and_then(Value::as_i64)
            .map(|id| Identifier {
                kind: "iso-project".to_owned(),
                value: id.to_string(),
            })
            .into_iter()
            .collect(),
        publishers: publishers_of(&reference),
        scope: Some(Scope::International),
        doc_type: doc_type(item),
        titles: Vec::new(),
        abstracts: localized_html(item.get("scope")),
        ics: list(item.get("icsCode"))
            .iter()
            .filter_map(|code| text(Some(code)))
            .collect(),
        status: stage.map(status_of_stage),
        stage: stage.map(|s| format!("{:02}.{:02}", s / 100, s % 100)),
        dates: Dates {
            published: text(item.get("publicationDate")),
            ..Dates::default()
        },
        edition: text(item.get("edition")),
        pages: item
            .get("pages")
            .and_then(|p| p.get("en"))
            .and_then(Value::as_u64)
            .and_then(|p| u32::try_from(p).ok()),
        languages: list(item.get("languages"))
            .iter()
            .filter_map(|l| text(Some(l)))
            .collect(),
        committee: text(item.get("ownerCommittee")).map(|id| Committee { id, name: None }),
        ..Standard::default()
    };
    if let Some(titles) = item.get("title").and_then(Value::as_object) {
        for (lang, title) in titles {
            if let Some(full) = text(Some(title)) {
                record.titles.push(stdbridge_core::Title {
                    lang: lang.clone(),
                    full,
                    ..Default::default()
                });
            }
        }
    }
    for (field, kind) in [
        ("replaces", RelationKind::Replaces),
        ("replacedBy", RelationKind::ReplacedBy),
    ] {
        for id in list(item.get(field)) {
            let Some(id) = id.as_i64() else { continue };
            let target = references
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("ISO project {id}"));
            record.relations.push(Relation {
                kind,
                target,
                degree: None,
                catalogue: None,
            });
        }
    }
    record.settle_status();
    Ok(record)
}

fn publishers_of(reference: &str) -> Vec<String> {
    Designation::parse(reference)
        .map(|d| d.publishers().into_iter().map(str::to_owned).collect())
        .unwrap_or_else(|_| vec!["ISO".to_owned()])
}

fn doc_type(item: &Value) -> Option<DocType> {
    if let Some(supplement) = text(item.get("supplementType")) {
        return Some(match supplement.as_str() {
            "Amd" | "AMD" => DocType::Amendment,
            "Cor" | "COR" => DocType::Corrigendum,
            _ => DocType::Supplement,
        });
    }
    Some(match text(item.get("deliverableType"))?.as_str() {
        "IS" => DocType::Standard,
        "TS" => DocType::TechnicalSpecification,
        "TR" => DocType::TechnicalReport,
        "PAS" => DocType::PubliclyAvailableSpecification,
        "Guide" | "GUIDE" => DocType::Guide,
        "IWA" => DocType::WorkshopAgreement,
        _ => DocType::Other,
    })
}

/// `9092` → published (under review), `9599` → withdrawn, below 6060 → under development.
fn status_of_stage(stage: i64) -> Status {
    match stage {
        9599 => Status::Withdrawn,
        9093 => Status::Confirmed,
        9000..=9598 => Status::Published,
        6060 => Status::Published,
        6000..=6059 => Status::Upcoming,
        _ => Status::UnderDevelopment,
    }
}

/// ISO gives scopes as HTML; the catalogue keeps the text.
fn localized_html(value: Option<&Value>) -> Vec<LocalizedText> {
    let Some(map) = value.and_then(Value::as_object) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(lang, html)| {
            let text = strip_html(html.as_str()?);
            (!text.is_empty()).then(|| LocalizedText {
                lang: lang.clone(),
                text,
            })
        })
        .collect()
}

/// Drops tags and comments and decodes the few entities ISO's scopes use.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deliverable_reads_with_resolved_replacements() {
        let item = json!({"id": 62085, "deliverableType": "IS", "supplementType": null, "reference": "ISO 9001:2015",
            "publicationDate": "2015-09-22", "edition": 5, "icsCode": ["03.120.10"], "ownerCommittee": "ISO/TC 176/SC 2",
            "currentStage": 9092, "replaces": [46486], "replacedBy": null, "languages": ["en", "fr"],
            "pages": {"en": 29}, "scope": {"en": "<p>ISO 9001:2015 specifies requirements&nbsp;for a QMS.</p>"}});
        let references = References::from([(46486, "ISO 9001:2008".to_owned())]);
        let Ok(record) = standard_from_deliverable(&item, &references) else {
            panic!("must read")
        };
        assert_eq!(record.status, Some(Status::Published));
        assert_eq!(record.stage.as_deref(), Some("90.92"));
        assert_eq!(record.pages, Some(29));
        assert_eq!(record.relations[0].target, "ISO 9001:2008");
        assert_eq!(
            record.abstracts[0].text,
            "ISO 9001:2015 specifies requirements for a QMS."
        );
    }
}
