//! CSV and TSV glossaries: one row per pair of terms.
//!
//! Three shapes are read. A header naming the languages of each row (`sourceLang`,
//! `targetLang`, `sourceString`, `targetString`, with `pos` and `description` — the
//! TICO-19 term lists); a header of language tags (`en,zh-CN`), each column a language,
//! with optional `definition`/`note`/`pos` columns; or no header, source and target in
//! the first two columns and a note in the third (OmegaT's tab-separated glossaries),
//! with the languages given by the caller.

use std::path::Path;

use super::{Concept, LangSection, Term, TermStatus};
use crate::error::TmError;

/// Languages for glossaries that do not name them.
#[derive(Debug, Clone, Default)]
pub struct GlossaryLanguages {
    /// Language of the first column.
    pub source: Option<String>,
    /// Language of the second column.
    pub target: Option<String>,
}

enum Shape {
    /// Column positions of the TICO-19 style.
    Named {
        source_lang: usize,
        target_lang: usize,
        source: usize,
        target: usize,
        pos: Option<usize>,
        description: Option<usize>,
        id: Option<usize>,
    },
    /// Language columns (index, tag) and extra columns.
    Languages {
        columns: Vec<(usize, String)>,
        pos: Option<usize>,
        definition: Option<usize>,
        note: Option<usize>,
    },
    /// No header.
    Bare { source: String, target: String },
}

/// Reads a glossary; rows that cannot be used are returned as `FILE:LINE: reason`.
pub fn read(
    path: &Path,
    languages: &GlossaryLanguages,
) -> Result<(Vec<Concept>, Vec<String>), TmError> {
    let bytes = std::fs::read(path).map_err(|e| TmError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| TmError::File {
        path: path.to_owned(),
        message: format!(
            "not UTF-8 text (byte {}): save the glossary as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let Some(first) = records.next() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let first = first.map_err(|e| csv_error(path, &e))?;
    let header: Vec<String> = first.iter().map(|cell| cell.trim().to_owned()).collect();
    let shape = shape_of(&header, languages, path)?;
    let mut concepts = Vec::new();
    let mut rejected = Vec::new();
    if let Shape::Bare { .. } = shape {
        add_row(&shape, &header, 1, path, &mut concepts, &mut rejected);
    }
    for record in records {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let cells: Vec<String> = record.iter().map(|cell| cell.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) || cells[0].starts_with('#') {
            continue;
        }
        add_row(&shape, &cells, line, path, &mut concepts, &mut rejected);
    }
    Ok((concepts, rejected))
}

fn csv_error(path: &Path, error: &csv::Error) -> TmError {
    let line = error.position().map_or(0, |p| p.line());
    TmError::File {
        path: path.to_owned(),
        message: format!("line {line}: {error}"),
    }
}

fn shape_of(
    header: &[String],
    languages: &GlossaryLanguages,
    path: &Path,
) -> Result<Shape, TmError> {
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|cell| names.iter().any(|name| cell.eq_ignore_ascii_case(name)))
    };
    if let (Some(source_lang), Some(target_lang), Some(source), Some(target)) = (
        find(&["sourceLang", "source_lang", "srclang"]),
        find(&["targetLang", "target_lang", "tgtlang"]),
        find(&["sourceString", "source", "source_term"]),
        find(&["targetString", "target", "target_term"]),
    ) {
        return Ok(Shape::Named {
            source_lang,
            target_lang,
            source,
            target,
            pos: find(&["pos", "partOfSpeech", "part_of_speech"]),
            description: find(&["description", "definition"]),
            id: find(&["id", "stringID"]),
        });
    }
    let columns: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter(|(_, cell)| !is_data_category(cell))
        .filter_map(|(at, cell)| language_tag(cell).map(|tag| (at, tag)))
        .collect();
    if columns.len() >= 2 {
        if let Some((at, unknown)) = header.iter().enumerate().find(|(at, cell)| {
            !cell.is_empty() && !is_data_category(cell) && !columns.iter().any(|(c, _)| c == at)
        }) {
            return Err(TmError::File {
                path: path.to_owned(),
                message: format!(
                    "line 1, column {}: {unknown:?} is neither a language tag (BCP 47: en, zh-CN, zh-Hans) nor a column the glossary knows ({})",
                    at + 1,
                    DATA_CATEGORIES.join(", ")
                ),
            });
        }
        return Ok(Shape::Languages {
            columns,
            pos: find(&["pos", "partOfSpeech", "part_of_speech"]),
            definition: find(&["definition", "description"]),
            note: find(&["note", "notes", "comment"]),
        });
    }
    match (&languages.source, &languages.target) {
        (Some(source), Some(target)) => Ok(Shape::Bare {
            source: source.clone(),
            target: target.clone(),
        }),
        _ => Err(TmError::File {
            path: path.to_owned(),
            message: "the glossary's first line names no languages (expected a header such as \
                      `en,zh-CN` or `sourceLang,targetLang,sourceString,targetString`); give the \
                      languages of its two columns with --src and --tgt"
                .into(),
        }),
    }
}

/// The columns of a language-tag header that are data categories rather than languages
/// (`pos` is also an ISO 639-3 code, of Sayula Popoluca: as a column it is the part of
/// speech).
const DATA_CATEGORIES: [&str; 8] = [
    "pos",
    "partOfSpeech",
    "part_of_speech",
    "definition",
    "description",
    "note",
    "notes",
    "comment",
];

fn is_data_category(cell: &str) -> bool {
    DATA_CATEGORIES
        .iter()
        .any(|name| cell.eq_ignore_ascii_case(name))
}

/// A column header that is a BCP 47 language tag whose subtags the IANA registry has
/// (`zh_CN` is read as `zh-CN`), in its registered spelling.
fn language_tag(cell: &str) -> Option<String> {
    let tag = language_tags::LanguageTag::parse(&cell.replace('_', "-")).ok()?;
    tag.validate().ok()?;
    Some(tag.as_str().to_owned())
}

fn add_row(
    shape: &Shape,
    cells: &[String],
    line: u64,
    path: &Path,
    concepts: &mut Vec<Concept>,
    rejected: &mut Vec<String>,
) {
    let cell = |at: Option<usize>| {
        at.and_then(|at| cells.get(at))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let mut concept = Concept::default();
    match shape {
        Shape::Named {
            source_lang,
            target_lang,
            source,
            target,
            pos,
            description,
            id,
        } => {
            let (Some(sl), Some(tl), Some(s), Some(t)) = (
                cell(Some(*source_lang)),
                cell(Some(*target_lang)),
                cell(Some(*source)),
                cell(Some(*target)),
            ) else {
                rejected.push(format!(
                    "{}:{line}: a language or a term is missing",
                    path.display()
                ));
                return;
            };
            let pos = cell(*pos);
            concept.definition = cell(*description);
            concept.id = cell(*id).map(|id| format!("{}-{id}", sl.replace('_', "-")));
            concept.languages.push(section(&sl, &s, pos.clone()));
            concept.languages.push(section(&tl, &t, pos));
        }
        Shape::Languages {
            columns,
            pos,
            definition,
            note,
        } => {
            let pos = cell(*pos);
            concept.definition = cell(*definition);
            if let Some(note) = cell(*note) {
                concept.notes.push(note);
            }
            for (at, lang) in columns {
                if let Some(text) = cell(Some(*at)) {
                    concept.languages.push(section(lang, &text, pos.clone()));
                }
            }
            if concept.languages.len() < 2 {
                rejected.push(format!("{}:{line}: fewer than two terms", path.display()));
                return;
            }
        }
        Shape::Bare { source, target } => {
            let (Some(s), Some(t)) = (cell(Some(0)), cell(Some(1))) else {
                rejected.push(format!("{}:{line}: a term is missing", path.display()));
                return;
            };
            if let Some(note) = cell(Some(2)) {
                concept.notes.push(note);
            }
            concept.languages.push(section(source, &s, None));
            concept.languages.push(section(target, &t, None));
        }
    }
    concepts.push(concept);
}

fn section(lang: &str, text: &str, pos: Option<String>) -> LangSection {
    LangSection {
        lang: lang.replace('_', "-"),
        terms: vec![Term {
            text: text.to_owned(),
            status: TermStatus::Preferred,
            part_of_speech: pos,
            ..Term::default()
        }],
        ..LangSection::default()
    }
}
