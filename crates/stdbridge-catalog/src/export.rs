//! Exports of a list of standards for reference managers and spreadsheets: CSV, JSON
//! Lines (stdbridge's own record shape), BibTeX, RIS and Relaton YAML.
//!
//! Titles come in the language asked for, falling back to English, then to the first the
//! record has; every format carries the designation, publishers, year, status and
//! address where the format has a place for them.

use std::io::Write;

use stdbridge_core::{Designation, Nature, RelationKind, Standard, Status};
use yaml_rust2::{Yaml, YamlEmitter, yaml::Hash};

/// The formats an export can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values with a header row (RFC 4180).
    Csv,
    /// One stdbridge JSON record per line.
    Jsonl,
    /// BibTeX `@techreport` entries of type "Standard".
    Bibtex,
    /// RIS records of type `STAND`.
    Ris,
    /// Relaton bibliographic items as one YAML list.
    RelatonYaml,
}

impl ExportFormat {
    /// Every format, in the order they are offered.
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Csv,
        ExportFormat::Jsonl,
        ExportFormat::Bibtex,
        ExportFormat::Ris,
        ExportFormat::RelatonYaml,
    ];

    /// Parses a format name (`csv`, `jsonl`, `bibtex`, `ris`, `relaton`).
    pub fn parse(name: &str) -> Option<ExportFormat> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "jsonl" | "ndjson" => Some(ExportFormat::Jsonl),
            "bibtex" | "bib" => Some(ExportFormat::Bibtex),
            "ris" => Some(ExportFormat::Ris),
            "relaton" | "yaml" | "relaton-yaml" => Some(ExportFormat::RelatonYaml),
            _ => None,
        }
    }

    /// The name [`ExportFormat::parse`] reads.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Bibtex => "bibtex",
            ExportFormat::Ris => "ris",
            ExportFormat::RelatonYaml => "relaton",
        }
    }

    /// The media type of the exported file.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Jsonl => "application/jsonl; charset=utf-8",
            ExportFormat::Bibtex => "application/x-bibtex; charset=utf-8",
            ExportFormat::Ris => "application/x-research-info-systems; charset=utf-8",
            ExportFormat::RelatonYaml => "application/yaml; charset=utf-8",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Bibtex => "bib",
            ExportFormat::Ris => "ris",
            ExportFormat::RelatonYaml => "yaml",
        }
    }
}

/// Writes `records` in `format`, titles preferably in `lang`.
pub fn export(
    records: &[Standard],
    format: ExportFormat,
    lang: &str,
    out: &mut impl Write,
) -> std::io::Result<()> {
    match format {
        ExportFormat::Csv => write_csv(records, lang, out),
        ExportFormat::Jsonl => write_jsonl(records, out),
        ExportFormat::Bibtex => write_bibtex(records, lang, out),
        ExportFormat::Ris => write_ris(records, lang, out),
        ExportFormat::RelatonYaml => write_relaton(records, out),
    }
}

/// The title in `lang`, else English, else the first.
fn title<'a>(record: &'a Standard, lang: &str) -> &'a str {
    record
        .title(lang)
        .or_else(|| record.title("en"))
        .or_else(|| record.titles.first().map(|t| t.full.as_str()))
        .unwrap_or_default()
}

/// Title languages that get a column of their own in a CSV export: Chinese and English
/// first, then the others the records have, in code order.
fn title_languages(records: &[Standard]) -> Vec<&str> {
    let mut others: Vec<&str> = records
        .iter()
        .flat_map(|record| record.titles.iter().map(|title| title.lang.as_str()))
        .filter(|lang| !matches!(*lang, "zh" | "en"))
        .collect();
    others.sort_unstable();
    others.dedup();
    let mut languages = vec!["zh", "en"];
    languages.extend(others);
    languages
}

/// A status as the export's language writes it (codes in English, as the API's).
fn status_label(status: Status, lang: &str) -> &'static str {
    if lang != "zh" {
        return status.as_str();
    }
    match status {
        Status::Published => "现行",
        Status::Confirmed => "确认有效",
        Status::UnderDevelopment => "草案",
        Status::Replaced => "被代替",
        Status::Withdrawn => "废止",
        Status::Upcoming => "即将实施",
    }
}

/// A Chinese standard's nature as the export's language writes it.
fn nature_label(nature: Nature, lang: &str) -> &'static str {
    match (nature, lang) {
        (Nature::Mandatory, "zh") => "强制性",
        (Nature::Recommended, "zh") => "推荐性",
        (Nature::Guidance, "zh") => "指导性技术文件",
        (nature, _) => nature.as_str(),
    }
}

fn write_csv(records: &[Standard], lang: &str, out: &mut impl Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let languages = title_languages(records);
    let mut header = vec!["designation".to_owned(), "title".to_owned()];
    header.extend(languages.iter().map(|lang| format!("title_{lang}")));
    header.extend(
        [
            "status",
            "nature",
            "published",
            "implemented",
            "withdrawn",
            "publishers",
            "country",
            "ics",
            "ccs",
            "replaces",
            "replaced_by",
        ]
        .map(str::to_owned),
    );
    writer.write_record(&header)?;
    for record in records {
        let related = |kind: RelationKind| {
            record
                .relations
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.target.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let nature = Designation::parse(&record.designation)
            .ok()
            .and_then(|designation| designation.nature());
        let mut row: Vec<String> = vec![record.designation.clone(), title(record, lang).to_owned()];
        row.extend(
            languages
                .iter()
                .map(|lang| record.title(lang).unwrap_or_default().to_owned()),
        );
        row.extend([
            record
                .status
                .map(|s| status_label(s, lang))
                .unwrap_or_default()
                .to_owned(),
            nature
                .map(|n| nature_label(n, lang))
                .unwrap_or_default()
                .to_owned(),
            record.dates.published.clone().unwrap_or_default(),
            record.dates.implemented.clone().unwrap_or_default(),
            record.dates.withdrawn.clone().unwrap_or_default(),
            record.publishers.join("; "),
            record.country.clone().unwrap_or_default(),
            record.ics.join("; "),
            record.ccs.join("; "),
            related(RelationKind::Replaces),
            related(RelationKind::ReplacedBy),
        ]);
        writer.write_record(&row)?;
    }
    writer.flush()
}

fn write_jsonl(records: &[Standard], out: &mut impl Write) -> std::io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut *out, record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A BibTeX key from a designation: its letters and digits (`ISO 9001:2015` →
/// `ISO9001_2015`).
fn bibtex_key(designation: &str) -> String {
    let mut key = String::with_capacity(designation.len());
    for ch in designation.chars() {
        if ch.is_ascii_alphanumeric() {
            key.push(ch);
        } else if matches!(ch, ':' | '-' | '.' | '/') && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_owned()
}

/// Text inside a BibTeX field: LaTeX's special characters escaped.
fn bibtex_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                escaped.push('\\');
                escaped.push(ch);
            }
            '\\' => escaped.push_str("\\textbackslash{}"),
            '~' => escaped.push_str("\\textasciitilde{}"),
            '^' => escaped.push_str("\\textasciicircum{}"),
            _ => escaped.push(ch),
        }
    }
    escaped
}

fn write_bibtex(records: &[Standard], lang: &str, out: &mut impl Write) -> std::io::Result<()> {
    for record in records {
        let mut fields: Vec<(&str, String)> = vec![
            ("title", format!("{{{}}}", bibtex_text(title(record, lang)))),
            ("type", "Standard".to_owned()),
            ("number", bibtex_text(&record.designation)),
        ];
        if !record.publishers.is_empty() {
            fields.push(("institution", bibtex_text(&record.publishers.join(" and "))));
        }
        if let Some(year) = record.year() {
            fields.push(("year", year.to_string()));
        }
        if let Some(status) = record.status {
            fields.push(("note", format!("Status: {}", status.as_str())));
        }
        if let Some(link) = record.links.first() {
            fields.push(("url", link.url.clone()));
        }
        writeln!(out, "@techreport{{{},", bibtex_key(&record.designation))?;
        for (name, value) in &fields {
            writeln!(out, "  {name} = {{{value}}},")?;
        }
        writeln!(out, "}}\n")?;
    }
    Ok(())
}

fn write_ris(records: &[Standard], lang: &str, out: &mut impl Write) -> std::io::Result<()> {
    for record in records {
        let mut line = |tag: &str, value: &str| -> std::io::Result<()> {
            let value = value.replace(['\r', '\n'], " ");
            if value.is_empty() {
                return Ok(());
            }
            write!(out, "{tag}  - {value}\r\n")
        };
        line("TY", "STAND")?;
        line("TI", title(record, lang))?;
        for other in record
            .titles
            .iter()
            .filter(|t| t.full != title(record, lang))
        {
            line("TT", &other.full)?;
        }
        line("M1", &record.designation)?;
        for publisher in &record.publishers {
            line("PB", publisher)?;
        }
        if let Some(year) = record.year() {
            line("PY", &year.to_string())?;
        }
        if let Some(published) = &record.dates.published {
            line("DA", &published.replace('-', "/"))?;
        }
        line("CY", record.country.as_deref().unwrap_or_default())?;
        for code in record.ics.iter().chain(&record.ccs) {
            line("KW", code)?;
        }
        if let Some(status) = record.status {
            line("N1", &format!("Status: {}", status.as_str()))?;
        }
        for link in &record.links {
            line("UR", &link.url)?;
        }
        write!(out, "ER  - \r\n")?;
    }
    Ok(())
}

/// Relaton's name of a relation.
fn relaton_relation(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Replaces => "obsoletes",
        RelationKind::ReplacedBy => "obsoletedBy",
        RelationKind::Amends => "updates",
        RelationKind::AmendedBy => "updatedBy",
        RelationKind::Corrects => "corrects",
        RelationKind::CorrectedBy => "correctedBy",
        RelationKind::PartOf => "partOf",
        RelationKind::Adopts => "adoptedFrom",
        RelationKind::AdoptedBy => "adoptedAs",
        RelationKind::Equivalent => "equivalent",
        RelationKind::NormativeReference => "cites",
        RelationKind::MutualRecognition => "related",
        RelationKind::HasEdition => "hasEdition",
    }
}

fn hash(entries: Vec<(&str, Yaml)>) -> Yaml {
    let mut map = Hash::new();
    for (key, value) in entries {
        map.insert(Yaml::String(key.to_owned()), value);
    }
    Yaml::Hash(map)
}

fn text(value: &str) -> Yaml {
    Yaml::String(value.to_owned())
}

/// One record as a Relaton bibliographic item.
fn relaton_item(record: &Standard) -> Yaml {
    let mut item = vec![
        ("type", text("standard")),
        (
            "docid",
            Yaml::Array(vec![hash(vec![
                ("id", text(&record.designation)),
                (
                    "type",
                    text(record.publishers.first().map_or("", String::as_str)),
                ),
                ("primary", Yaml::Boolean(true)),
            ])]),
        ),
        (
            "title",
            Yaml::Array(
                record
                    .titles
                    .iter()
                    .map(|t| {
                        hash(vec![
                            ("type", text("main")),
                            ("content", text(&t.full)),
                            ("language", text(&t.lang)),
                            ("format", text("text/plain")),
                        ])
                    })
                    .collect(),
            ),
        ),
    ];
    if let Some(published) = &record.dates.published {
        item.push((
            "date",
            Yaml::Array(vec![hash(vec![
                ("type", text("published")),
                ("value", text(published)),
            ])]),
        ));
    }
    if !record.publishers.is_empty() {
        let contributors = record
            .publishers
            .iter()
            .map(|name| {
                hash(vec![
                    (
                        "role",
                        Yaml::Array(vec![hash(vec![("type", text("publisher"))])]),
                    ),
                    ("organization", hash(vec![("abbreviation", text(name))])),
                ])
            })
            .collect();
        item.push(("contributor", Yaml::Array(contributors)));
    }
    if let Some(status) = record.status {
        item.push(("docstatus", hash(vec![("stage", text(status.as_str()))])));
    }
    if !record.ics.is_empty() {
        let codes = record
            .ics
            .iter()
            .map(|c| hash(vec![("code", text(c))]))
            .collect();
        item.push(("ics", Yaml::Array(codes)));
    }
    if let Some(link) = record.links.first() {
        item.push((
            "link",
            Yaml::Array(vec![hash(vec![
                ("type", text(&link.kind)),
                ("content", text(&link.url)),
            ])]),
        ));
    }
    if !record.relations.is_empty() {
        let relations = record
            .relations
            .iter()
            .map(|relation| {
                hash(vec![
                    ("type", text(relaton_relation(relation.kind))),
                    (
                        "bibitem",
                        hash(vec![("formattedref", text(&relation.target))]),
                    ),
                ])
            })
            .collect();
        item.push(("relation", Yaml::Array(relations)));
    }
    hash(item)
}

fn write_relaton(records: &[Standard], out: &mut impl Write) -> std::io::Result<()> {
    let list = Yaml::Array(records.iter().map(relaton_item).collect());
    let mut text = String::new();
    YamlEmitter::new(&mut text)
        .dump(&list)
        .map_err(|e| std::io::Error::other(format!("YAML: {e:?}")))?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use stdbridge_core::{Relation, Status, Title};

    fn sample() -> Standard {
        Standard {
            designation: "ISO 9001:2015".into(),
            publishers: vec!["ISO".into()],
            titles: vec![
                Title {
                    lang: "en".into(),
                    full: "Quality management systems — Requirements & {more}".into(),
                    ..Title::default()
                },
                Title {
                    lang: "zh".into(),
                    full: "质量管理体系 要求".into(),
                    ..Title::default()
                },
            ],
            status: Some(Status::Published),
            ics: vec!["03.120.10".into()],
            relations: vec![Relation {
                kind: RelationKind::Replaces,
                target: "ISO 9001:2008".into(),
                degree: None,
                catalogue: None,
            }],
            dates: stdbridge_core::Dates {
                published: Some("2015-09-15".into()),
                ..Default::default()
            },
            ..Standard::default()
        }
    }

    fn exported(format: ExportFormat, lang: &str) -> String {
        let mut out = Vec::new();
        export(&[sample()], format, lang, &mut out).expect("export");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn every_format_name_parses_back() {
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::parse(format.name()), Some(format));
        }
        assert_eq!(ExportFormat::parse("docx"), None);
    }

    /// The cells of the first row of a CSV by column name.
    fn first_row(csv: &str) -> std::collections::HashMap<String, String> {
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().expect("a header").clone();
        let row = reader.records().next().expect("a row").expect("parses");
        header
            .iter()
            .zip(row.iter())
            .map(|(name, cell)| (name.to_owned(), cell.to_owned()))
            .collect()
    }

    #[test]
    fn csv_quotes_and_takes_the_title_in_the_language_asked() {
        let csv = exported(ExportFormat::Csv, "zh");
        let row = first_row(&csv);
        assert_eq!(row["designation"], "ISO 9001:2015");
        assert_eq!(row["title"], "质量管理体系 要求");
        assert_eq!(row["replaces"], "ISO 9001:2008");
    }

    #[test]
    fn csv_has_a_title_per_language_the_implementation_date_and_labels_in_its_language() {
        let chinese = Standard {
            designation: "GB/T 19001-2016".into(),
            titles: vec![Title {
                lang: "zh".into(),
                full: "质量管理体系 要求".into(),
                ..Title::default()
            }],
            status: Some(Status::Replaced),
            dates: stdbridge_core::Dates {
                implemented: Some("2017-07-01".into()),
                ..Default::default()
            },
            ..Standard::default()
        };
        let mut out = Vec::new();
        export(
            &[chinese.clone(), sample()],
            ExportFormat::Csv,
            "zh",
            &mut out,
        )
        .expect("export");
        let csv = String::from_utf8(out).expect("UTF-8");
        assert!(
            csv.starts_with(
                "designation,title,title_zh,title_en,status,nature,published,implemented,"
            ),
            "{csv}"
        );
        let row = first_row(&csv);
        assert_eq!(row["title_zh"], "质量管理体系 要求");
        assert_eq!(row["title_en"], "");
        assert_eq!(row["status"], "被代替");
        assert_eq!(row["nature"], "推荐性");
        assert_eq!(row["implemented"], "2017-07-01");
        let mut english = Vec::new();
        export(&[chinese], ExportFormat::Csv, "en", &mut english).expect("export");
        let row = first_row(&String::from_utf8(english).expect("UTF-8"));
        assert_eq!(
            (row["status"].as_str(), row["nature"].as_str()),
            ("replaced", "recommended")
        );
    }

    #[test]
    fn bibtex_escapes_special_characters() {
        let bib = exported(ExportFormat::Bibtex, "en");
        assert!(bib.starts_with("@techreport{ISO9001_2015,"), "{bib}");
        assert!(bib.contains("Requirements \\& \\{more\\}"), "{bib}");
        assert!(bib.contains("year = {2015}"), "{bib}");
    }

    #[test]
    fn ris_records_are_standards_with_every_title() {
        let ris = exported(ExportFormat::Ris, "en");
        let lines: Vec<&str> = ris.split("\r\n").collect();
        assert_eq!(lines[0], "TY  - STAND");
        assert!(lines.contains(&"TT  - 质量管理体系 要求"), "{ris}");
        assert!(lines.contains(&"M1  - ISO 9001:2015"), "{ris}");
        assert!(lines.contains(&"DA  - 2015/09/15"), "{ris}");
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("ER")).count(),
            1,
            "{ris}"
        );
    }

    #[test]
    fn relaton_yaml_reads_back_as_relaton() {
        let yaml = exported(ExportFormat::RelatonYaml, "en");
        let docs = yaml_rust2::YamlLoader::load_from_str(&yaml).expect("YAML parses");
        let item = &docs[0][0];
        assert_eq!(item["docid"][0]["id"].as_str(), Some("ISO 9001:2015"));
        assert_eq!(item["relation"][0]["type"].as_str(), Some("obsoletes"));
        assert_eq!(item["title"][1]["language"].as_str(), Some("zh"));
    }

    #[test]
    fn json_lines_hold_one_record_each() {
        let jsonl = exported(ExportFormat::Jsonl, "en");
        let back: Standard = serde_json::from_str(jsonl.trim_end()).expect("a record");
        assert_eq!(back, sample());
    }
}
