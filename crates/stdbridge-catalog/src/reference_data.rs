//! Reference data files: ICS (ISO's `ICS.csv` or the `ics-ed7.jsonl` code list), CCS
//! (the three level CSVs of China's classification), countries (the `country-codes.csv` of
//! the datasets project, ISO 3166 with UN names) and standards bodies (JSON Lines).

use std::collections::BTreeMap;

use serde_json::Value;
use stdbridge_core::reference::{Body, CcsCode, Country, IcsCode};

use crate::json::{list, text};

/// A reference-data row that could not be read: its line and why.
pub type RowError = (u64, String);

/// Reads ISO's `ICS.csv` (`identifier,parent,titleEn,titleFr,…`, and a `titleZh` column
/// where one was added: the demo's carries the Chinese names of the 40 fields).
pub fn ics_from_csv(text: &str) -> (Vec<IcsCode>, Vec<RowError>) {
    rows(text, |row| {
        let code = field(row, "identifier")?;
        if !IcsCode::is_well_formed(&code) {
            return Err(format!("field \"identifier\": {code:?} is not an ICS code"));
        }
        let mut titles = BTreeMap::new();
        for (column, lang) in [("titleEn", "en"), ("titleFr", "fr"), ("titleZh", "zh")] {
            if let Ok(title) = field(row, column) {
                titles.insert(lang.to_owned(), title);
            }
        }
        Ok(IcsCode {
            parent: field(row, "parent").ok().or_else(|| parent_ics(&code)),
            code,
            titles,
        })
    })
}

/// Reads one line of the `ics-ed7.jsonl` code list (`{"code": "13.020", "description": …}`).
pub fn ics_from_json(item: &Value) -> Result<IcsCode, String> {
    let code = text(item.get("code")).ok_or("no \"code\"")?;
    if !IcsCode::is_well_formed(&code) {
        return Err(format!("field \"code\": {code:?} is not an ICS code"));
    }
    let mut titles = BTreeMap::new();
    if let Some(description) = text(item.get("description")) {
        titles.insert("en".to_owned(), description);
    }
    Ok(IcsCode {
        parent: parent_ics(&code),
        code,
        titles,
    })
}

fn parent_ics(code: &str) -> Option<String> {
    code.rsplit_once('.').map(|(parent, _)| parent.to_owned())
}

/// Reads one of the CCS level files; the level is told by the header.
pub fn ccs_from_csv(text: &str) -> (Vec<CcsCode>, Vec<RowError>) {
    rows(text, |row| {
        let code = row
            .get(0)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .ok_or("empty code")?;
        let name_zh = row.get(1).map(str::trim).unwrap_or_default();
        let name_en = row.get(2).map(str::trim).unwrap_or_default();
        let parent = row.get(3).map(str::trim).filter(|p| !p.is_empty());
        let level = match (code.len(), parent) {
            (1, _) => 1,
            (_, Some(parent)) if parent.len() == 1 => 2,
            (_, Some(_)) => 3,
            (_, None) if code.contains('/') => 2,
            _ => 3,
        };
        if name_zh.is_empty() {
            return Err(format!("code {code}: no Chinese name"));
        }
        Ok(CcsCode {
            code: code.to_owned(),
            level,
            parent: parent.map(str::to_owned),
            name_zh: name_zh.to_owned(),
            name_en: name_en.to_owned(),
        })
    })
}

/// Reads the `country-codes.csv` of the datasets project.
pub fn countries_from_csv(text: &str) -> (Vec<Country>, Vec<RowError>) {
    rows(text, |row| {
        let alpha2 = field(row, "ISO3166-1-Alpha-2")?;
        let mut names = BTreeMap::new();
        for (column, lang) in [
            ("UNTERM English Short", "en"),
            ("UNTERM Chinese Short", "zh"),
            ("UNTERM French Short", "fr"),
            ("UNTERM Russian Short", "ru"),
            ("UNTERM Spanish Short", "es"),
            ("UNTERM Arabic Short", "ar"),
        ] {
            if let Ok(name) = field(row, column) {
                names.insert(lang.to_owned(), name);
            }
        }
        if !names.contains_key("en")
            && let Ok(name) = field(row, "CLDR display name")
        {
            names.insert("en".to_owned(), name);
        }
        Ok(Country {
            alpha2,
            alpha3: field(row, "ISO3166-1-Alpha-3")?,
            numeric: field(row, "ISO3166-1-numeric").unwrap_or_default(),
            names,
            region: field(row, "Region Name").ok(),
            sub_region: field(row, "Sub-region Name").ok(),
        })
    })
}

/// Reads one standards body: our own shape (`abbreviation`, `names`, `country`, `scope`,
/// `url`) or Relaton's organisation metadata (`abbreviation`, `name[]`).
pub fn body_from_json(item: &Value) -> Result<Body, String> {
    if item.get("names").is_some() {
        return serde_json::from_value(item.clone()).map_err(|e| e.to_string());
    }
    let abbreviation = text(item.get("abbreviation")).ok_or("no \"abbreviation\"")?;
    let mut names = BTreeMap::new();
    for name in list(item.get("name")) {
        if let Some(content) = text(name.get("content")) {
            let lang = text(name.get("language")).unwrap_or_else(|| "en".to_owned());
            names.entry(lang).or_insert(content);
        }
    }
    Ok(Body {
        abbreviation,
        names,
        ..Body::default()
    })
}

/// A CSV row with its header.
struct Row<'a> {
    header: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn get(&self, index: usize) -> Option<&str> {
        self.record.get(index)
    }

    fn named(&self, column: &str) -> Option<&str> {
        let index = self
            .header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == column)?;
        self.record.get(index)
    }
}

fn field(row: &Row<'_>, column: &str) -> Result<String, String> {
    row.named(column)
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| format!("field {column:?} is empty"))
}

fn rows<T>(text: &str, read: impl Fn(&Row<'_>) -> Result<T, String>) -> (Vec<T>, Vec<RowError>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(error) => return (Vec::new(), vec![(1, error.to_string())]),
    };
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, csv::Position::line);
                match read(&Row {
                    header: &header,
                    record: &record,
                }) {
                    Ok(item) => found.push(item),
                    Err(reason) => errors.push((line, reason)),
                }
            }
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                errors.push((line, error.to_string()));
            }
        }
    }
    (found, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_csv_reads_codes_and_refuses_bad_ones() {
        let csv = "\u{feff}identifier,parent,titleEn,titleFr,scopeEn,scopeFr\n\"13\",,\"Environment\",\"Environnement\",,\n\"13.020\",\"13\",\"Environmental protection\",,,\n\"1X\",,\"bad\",,,\n";
        let (codes, errors) = ics_from_csv(csv);
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[1].parent.as_deref(), Some("13"));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 4);
    }

    #[test]
    fn ccs_levels_follow_the_parent() {
        let csv = "代码 / Code,名称 / Name,Name,代码 / Code,备注 / Notes,Notes\nA00,标准化、质量管理,\"Standardization, quality management\",A00/09,,\n";
        let (codes, errors) = ccs_from_csv(csv);
        assert!(errors.is_empty());
        assert_eq!(codes[0].level, 3);
    }
}
