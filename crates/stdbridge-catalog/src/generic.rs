//! The generic catalogue formats, for national bodies and curated lists:
//!
//! * JSON Lines: one standard record per line, in the JSON shape of
//!   [`stdbridge_core::Standard`] (the shape `stdbridge show --json` prints).
//! * CSV: one standard per row, a header naming the columns below; lists are separated by
//!   `;`. Unknown columns are refused, so that a misspelt column is not silently lost.
//!
//! | column | meaning |
//! |---|---|
//! | `designation` | required, e.g. `GB/T 17766-2020` |
//! | `title_<lang>` | title in a language (`title_zh`, `title_en`, `title_fr`…) |
//! | `publisher` | publishing bodies (`SAC;SAMR`) |
//! | `country` | ISO 3166 alpha-2 (`CN`) |
//! | `scope` | `international`, `regional`, `national`, `sector`, `group`, `local` |
//! | `doc_type` | `standard`, `technical-specification`, `guidance-document`… |
//! | `status` | `published`, `confirmed`, `under-development`, `replaced`, `withdrawn`, `upcoming` |
//! | `published`, `implemented`, `withdrawn`, `confirmed` | dates, `YYYY[-MM[-DD]]` |
//! | `ics`, `ccs` | classification codes |
//! | `edition`, `pages`, `languages`, `committee`, `keywords`, `url` | as named |
//! | `replaces`, `replaced_by`, `equivalent`, `normative_references` | designations |
//! | `adopts` | adopted standards; `adoption_degree` gives `IDT`, `MOD` or `NEQ` for each |
//! | `mutual_recognition` | names of mutual-recognition catalogues |
//! | `abstract_<lang>` | abstract or scope in a language |
//! | `notes` | free notes (for example the source of a curated fact) |

use std::collections::HashMap;

use stdbridge_core::record::year_of;
use stdbridge_core::{
    Committee, Degree, DocType, Link, LocalizedText, Relation, RelationKind, Scope, Standard,
    Status, Title,
};

use crate::relaton::ItemError;

const LIST_SEPARATOR: char = ';';

/// The recognised CSV columns other than `title_*` and `abstract_*`.
const COLUMNS: &[&str] = &[
    "designation",
    "publisher",
    "country",
    "scope",
    "doc_type",
    "status",
    "stage",
    "published",
    "implemented",
    "withdrawn",
    "confirmed",
    "ics",
    "ccs",
    "edition",
    "pages",
    "languages",
    "committee",
    "keywords",
    "url",
    "replaces",
    "replaced_by",
    "equivalent",
    "normative_references",
    "adopts",
    "adoption_degree",
    "mutual_recognition",
    "notes",
];

/// Checks a CSV header: every column must be known, and `designation` present.
pub fn check_header(header: &[String]) -> Result<(), String> {
    if !header.iter().any(|h| h == "designation") {
        return Err("the header has no \"designation\" column".to_owned());
    }
    for column in header {
        let known = COLUMNS.contains(&column.as_str())
            || column
                .strip_prefix("title_")
                .is_some_and(|lang| !lang.is_empty())
            || column
                .strip_prefix("abstract_")
                .is_some_and(|lang| !lang.is_empty());
        if !known {
            return Err(format!("unknown column {column:?}"));
        }
    }
    Ok(())
}

/// Reads one CSV row (already paired with the header).
pub fn standard_from_row(row: &HashMap<&str, &str>) -> Result<Standard, ItemError> {
    let get = |column: &str| row.get(column).map(|v| v.trim()).filter(|v| !v.is_empty());
    let list = |column: &str| -> Vec<String> {
        get(column)
            .map(|v| {
                v.split(LIST_SEPARATOR)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let designation =
        get("designation").ok_or_else(|| ItemError("field \"designation\" is empty".to_owned()))?;
    let mut record = Standard {
        designation: designation.to_owned(),
        publishers: list("publisher"),
        country: get("country").map(str::to_uppercase),
        scope: get("scope")
            .map(|v| parse_enum::<Scope>("scope", v))
            .transpose()?,
        doc_type: get("doc_type")
            .map(|v| parse_enum::<DocType>("doc_type", v))
            .transpose()?,
        status: get("status")
            .map(|v| parse_enum::<Status>("status", v))
            .transpose()?,
        ics: list("ics"),
        ccs: list("ccs"),
        edition: get("edition").map(str::to_owned),
        pages: get("pages")
            .map(|v| {
                v.parse()
                    .map_err(|_| ItemError(format!("field \"pages\": {v:?} is not a number")))
            })
            .transpose()?,
        languages: list("languages"),
        committee: get("committee").map(|id| Committee {
            id: id.to_owned(),
            name: None,
        }),
        keywords: list("keywords"),
        stage: get("stage").map(str::to_owned),
        links: get("url")
            .map(|url| Link {
                kind: "src".to_owned(),
                url: url.to_owned(),
            })
            .into_iter()
            .collect(),
        notes: list("notes"),
        ..Standard::default()
    };
    for (field, slot) in [
        ("published", &mut record.dates.published),
        ("implemented", &mut record.dates.implemented),
        ("withdrawn", &mut record.dates.withdrawn),
        ("confirmed", &mut record.dates.confirmed),
    ] {
        if let Some(date) = get(field) {
            check_date(field, date)?;
            *slot = Some(date.to_owned());
        }
    }
    let mut languages: Vec<(&str, &str)> = row.iter().map(|(k, v)| (*k, *v)).collect();
    languages.sort();
    for (column, value) in languages {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if let Some(lang) = column.strip_prefix("title_") {
            record.titles.push(Title {
                lang: lang.to_owned(),
                full: value.to_owned(),
                ..Title::default()
            });
        } else if let Some(lang) = column.strip_prefix("abstract_") {
            record.abstracts.push(LocalizedText {
                lang: lang.to_owned(),
                text: value.to_owned(),
            });
        }
    }
    push_relations(&mut record, RelationKind::Replaces, list("replaces"));
    push_relations(&mut record, RelationKind::ReplacedBy, list("replaced_by"));
    push_relations(&mut record, RelationKind::Equivalent, list("equivalent"));
    push_relations(
        &mut record,
        RelationKind::NormativeReference,
        list("normative_references"),
    );
    let degrees = list("adoption_degree");
    for (index, target) in list("adopts").into_iter().enumerate() {
        let degree = match degrees.get(index) {
            Some(text) => Some(Degree::parse(text).ok_or_else(|| {
                ItemError(format!(
                    "field \"adoption_degree\": {text:?} is not IDT, MOD or NEQ"
                ))
            })?),
            None => None,
        };
        record.relations.push(Relation {
            kind: RelationKind::Adopts,
            target,
            degree,
            catalogue: None,
        });
    }
    for catalogue in list("mutual_recognition") {
        record.relations.push(Relation {
            kind: RelationKind::MutualRecognition,
            target: record.designation.clone(),
            degree: None,
            catalogue: Some(catalogue),
        });
    }
    Ok(record)
}

/// Reads one JSON Lines record and checks the fields a parser cannot.
pub fn standard_from_json(line: &str) -> Result<Standard, ItemError> {
    let record: Standard =
        serde_json::from_str(line).map_err(|error| ItemError(crate::json::line_error(&error)))?;
    if record.designation.trim().is_empty() {
        return Err(ItemError("field \"designation\" is empty".to_owned()));
    }
    for (field, date) in [
        ("dates.published", &record.dates.published),
        ("dates.implemented", &record.dates.implemented),
        ("dates.withdrawn", &record.dates.withdrawn),
        ("dates.confirmed", &record.dates.confirmed),
    ] {
        if let Some(date) = date {
            check_date(field, date)?;
        }
    }
    Ok(record)
}

fn push_relations(record: &mut Standard, kind: RelationKind, targets: Vec<String>) {
    for target in targets {
        record.relations.push(Relation {
            kind,
            target,
            degree: None,
            catalogue: None,
        });
    }
}

fn parse_enum<T: serde::de::DeserializeOwned>(field: &str, value: &str) -> Result<T, ItemError> {
    serde_json::from_value(serde_json::Value::String(value.to_lowercase()))
        .map_err(|_| ItemError(format!("field {field:?}: {value:?} is not a known value")))
}

fn check_date(field: &str, date: &str) -> Result<(), ItemError> {
    let shape_ok = matches!(date.len(), 4 | 7 | 10)
        && date.char_indices().all(|(i, ch)| {
            if i == 4 || i == 7 {
                ch == '-'
            } else {
                ch.is_ascii_digit()
            }
        });
    if shape_ok && year_of(date).is_some() {
        Ok(())
    } else {
        Err(ItemError(format!(
            "field {field:?}: {date:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(pairs: &[(&'a str, &'a str)]) -> HashMap<&'a str, &'a str> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn csv_row_reads_adoption_with_degree() {
        let record = standard_from_row(&row(&[
            ("designation", "GB/T 19001-2016"),
            ("title_zh", "质量管理体系 要求"),
            ("title_en", "Quality management systems—Requirements"),
            ("status", "published"),
            ("published", "2016-12-30"),
            ("adopts", "ISO 9001:2015"),
            ("adoption_degree", "IDT"),
        ]));
        let Ok(record) = record else {
            panic!("must read")
        };
        assert_eq!(record.title("zh"), Some("质量管理体系 要求"));
        assert_eq!(record.relations[0].degree, Some(Degree::Identical));
    }

    #[test]
    fn bad_fields_are_named() {
        let bad_status =
            standard_from_row(&row(&[("designation", "GB 1-2000"), ("status", "alive")]));
        assert_eq!(
            bad_status.err().map(|e| e.0),
            Some("field \"status\": \"alive\" is not a known value".to_owned())
        );
        let bad_date = standard_from_row(&row(&[
            ("designation", "GB 1-2000"),
            ("published", "2020/01/01"),
        ]));
        assert!(bad_date.is_err_and(|e| e.0.contains("\"published\"")));
        assert!(check_header(&["designation".to_owned(), "titel_en".to_owned()]).is_err());
    }
}
