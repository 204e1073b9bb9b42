//! Reference data (ICS, CCS, countries, bodies): whole tables upserted, a bad line
//! rejected with its number.

use std::path::Path;

use serde_json::Value;
use stdbridge_storage::ReferenceRepository;

use super::{ImportReport, Rejection};
use crate::CatalogError;
use crate::format::Format;
use crate::input::{Lines, ReadCounter, open, read_to_string};
use crate::reference_data::{
    body_from_json, ccs_from_csv, countries_from_csv, ics_from_csv, ics_from_json,
};

pub(super) async fn import_reference<S: ReferenceRepository + ?Sized>(
    store: &S,
    path: &Path,
    format: Format,
) -> Result<ImportReport, CatalogError> {
    let counter = ReadCounter::default();
    let file = path.display().to_string();
    let reject = |errors: Vec<(u64, String)>| -> Vec<Rejection> {
        errors
            .into_iter()
            .map(|(line, reason)| Rejection {
                path: file.clone(),
                line,
                reason,
            })
            .collect()
    };
    let (records, changed, rejected) = match format {
        Format::Ics if is_json_lines(path) => {
            let (codes, errors) = json_lines(path, &counter, ics_from_json)?;
            (codes.len(), store.upsert_ics(&codes).await?, reject(errors))
        }
        Format::Ics => {
            let (codes, errors) = ics_from_csv(&read_to_string(path, &counter)?);
            (codes.len(), store.upsert_ics(&codes).await?, reject(errors))
        }
        Format::Ccs => {
            let (codes, errors) = ccs_from_csv(&read_to_string(path, &counter)?);
            (codes.len(), store.upsert_ccs(&codes).await?, reject(errors))
        }
        Format::Countries => {
            let (countries, errors) = countries_from_csv(&read_to_string(path, &counter)?);
            (
                countries.len(),
                store.upsert_countries(&countries).await?,
                reject(errors),
            )
        }
        Format::Bodies => {
            let (bodies, errors) = json_lines(path, &counter, body_from_json)?;
            (
                bodies.len(),
                store.upsert_bodies(&bodies).await?,
                reject(errors),
            )
        }
        _ => (0, 0, Vec::new()),
    };
    let records = records as u64;
    Ok(ImportReport {
        path: file.clone(),
        format,
        records: records + rejected.len() as u64,
        inserted: changed,
        updated: 0,
        unchanged: records.saturating_sub(changed),
        rejected,
        merges: Vec::new(),
        seconds: 0.0,
    })
}

fn is_json_lines(path: &Path) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") || name.ends_with(".json")
}

type JsonLines<T> = (Vec<T>, Vec<(u64, String)>);

fn json_lines<T>(
    path: &Path,
    counter: &ReadCounter,
    read: impl Fn(&Value) -> Result<T, String>,
) -> Result<JsonLines<T>, CatalogError> {
    let mut lines = Lines::new(open(path, counter)?, path);
    let mut found = Vec::new();
    let mut errors = Vec::new();
    while let Some((number, line)) = lines.next_line()? {
        let line = match line {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => line,
            Err(reason) => {
                errors.push((number, reason));
                continue;
            }
        };
        match serde_json::from_str::<Value>(&line) {
            Ok(item) => match read(&item) {
                Ok(value) => found.push(value),
                Err(reason) => errors.push((number, reason)),
            },
            Err(error) => errors.push((number, crate::json::line_error(&error))),
        }
    }
    Ok((found, errors))
}
