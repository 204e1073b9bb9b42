//! The import formats and how a file's format is told from its name and first record.

use std::io::BufRead;
use std::path::Path;

use serde_json::Value;

use crate::CatalogError;
use crate::input::{ReadCounter, open};

/// A format `stdbridge import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Relaton bibliographic items: YAML, JSON or JSON Lines.
    Relaton,
    /// ISO Open Data deliverables metadata (JSON Lines or JSON).
    IsoOpenData,
    /// stdbridge's generic JSON Lines (one `Standard` per line).
    GenericJsonl,
    /// stdbridge's generic CSV.
    GenericCsv,
    /// ICS codes (ISO's `ICS.csv` or the `ics-ed7.jsonl` list).
    Ics,
    /// CCS codes (the level CSV files).
    Ccs,
    /// Countries (`country-codes.csv`).
    Countries,
    /// Standards bodies (JSON Lines).
    Bodies,
}

impl Format {
    /// Every format with its command-line name.
    pub const ALL: [(&'static str, Format); 8] = [
        ("relaton", Format::Relaton),
        ("iso-open-data", Format::IsoOpenData),
        ("generic-jsonl", Format::GenericJsonl),
        ("generic-csv", Format::GenericCsv),
        ("ics", Format::Ics),
        ("ccs", Format::Ccs),
        ("countries", Format::Countries),
        ("bodies", Format::Bodies),
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        Format::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(name, _)| name)
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }

    /// Whether the format holds reference data rather than standards.
    pub fn is_reference(self) -> bool {
        matches!(
            self,
            Format::Ics | Format::Ccs | Format::Countries | Format::Bodies
        )
    }
}

/// Whether a path looks like something `import` reads (used when walking directories).
pub fn is_importable(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".jsonl", ".json", ".yaml", ".yml", ".csv", ".ndjson"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Tells the format of a file from its extension and its first record or header.
pub fn detect(path: &Path) -> Result<Format, CatalogError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name).to_owned();
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        return Ok(Format::Relaton);
    }
    let first = first_line(path)?;
    let unknown = |reason: String| CatalogError::UnknownFormat {
        path: path.to_owned(),
        reason,
    };
    if name.ends_with(".csv") {
        let header = first.trim_start_matches('\u{feff}');
        return if header.starts_with("identifier,parent,titleEn") {
            Ok(Format::Ics)
        } else if header.starts_with("代码") {
            Ok(Format::Ccs)
        } else if header.contains("ISO3166-1-Alpha-2") {
            Ok(Format::Countries)
        } else if header
            .split(',')
            .any(|c| c.trim_matches('"') == "designation")
        {
            Ok(Format::GenericCsv)
        } else {
            Err(unknown(format!("CSV header {:?}", truncate(header))))
        };
    }
    let value: Value = serde_json::from_str(&first).or_else(|_| {
        // A pretty-printed JSON document: look at the whole of it.
        let text = crate::input::read_to_string(path, &ReadCounter::default())?;
        serde_json::from_str(&text).map_err(|e| unknown(format!("not JSON: {e}")))
    })?;
    let sample = match &value {
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    let has = |field: &str| sample.get(field).is_some();
    if has("docid") || has("docidentifier") {
        Ok(Format::Relaton)
    } else if has("deliverableType") || (has("reference") && has("currentStage")) {
        Ok(Format::IsoOpenData)
    } else if has("designation") {
        Ok(Format::GenericJsonl)
    } else if has("code") && (has("description") || has("fieldcode")) {
        Ok(Format::Ics)
    } else if has("abbreviation") {
        Ok(Format::Bodies)
    } else {
        Err(unknown(format!("first record {:?}", truncate(&first))))
    }
}

fn first_line(path: &Path) -> Result<String, CatalogError> {
    let mut reader = open(path, &ReadCounter::default())?;
    let mut line = String::new();
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|source| CatalogError::Read {
                path: path.to_owned(),
                line: Some(1),
                reason: source.to_string(),
            })?;
        if read == 0 || !line.trim().is_empty() {
            return Ok(line.trim_end().to_owned());
        }
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(80).collect()
}
