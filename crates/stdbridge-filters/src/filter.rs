//! The filter trait, format detection, and extract/merge over any filter.

use std::path::Path;

use serde::Serialize;
use stdbridge_text::Segmenter;

use crate::codes::{self, CodeProblem};
use crate::docx::{DocxFilter, TrackedChanges};
use crate::error::FilterError;
use crate::html::HtmlFilter;
use crate::markdown::MarkdownFilter;
use crate::model::{Content, Paragraph};
use crate::package::Limits;
use crate::segment::TextUnit;
use crate::text::TextFilter;
use crate::xliff::XliffFilter;

/// What a filter calls for each paragraph: it returns the translated content, or `None`
/// to keep the paragraph as it is.
pub type Visitor<'v> = dyn FnMut(Paragraph) -> Result<Option<Content>, FilterError> + 'v;

/// A document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Office Open XML word processing (.docx, .docm, .dotx).
    Docx,
    /// XLIFF 1.2 (.xlf, .xliff, .sdlxliff, .mqxliff).
    Xliff12,
    /// XLIFF 2.0/2.1/2.2.
    Xliff2,
    /// HTML.
    Html,
    /// Markdown (CommonMark with tables).
    Markdown,
    /// Plain text: paragraphs separated by blank lines.
    Text,
}

impl Format {
    /// The format of a file, from its extension and, for XLIFF, its version attribute.
    pub fn detect(path: &Path, head: &[u8]) -> Result<Format, FilterError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let format = match extension.as_str() {
            "docx" | "docm" | "dotx" | "dotm" => Format::Docx,
            "xlf" | "xliff" | "sdlxliff" | "mqxliff" | "mxliff" => xliff_version(head),
            "html" | "htm" | "xhtml" => Format::Html,
            "md" | "markdown" => Format::Markdown,
            "txt" | "text" => Format::Text,
            _ if head.starts_with(b"PK\x03\x04") => Format::Docx,
            _ => {
                return Err(FilterError::Unsupported(format!(
                    "{}: unknown format (known: .docx, .xlf/.xliff, .html, .md, .txt)",
                    path.display()
                )));
            }
        };
        Ok(format)
    }

    /// Its name in reports and XLIFF.
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xliff12 => "xliff-1.2",
            Format::Xliff2 => "xliff-2",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }

    /// The format of a name written by [`Format::name`].
    pub fn from_name(name: &str) -> Option<Format> {
        [
            Format::Docx,
            Format::Xliff12,
            Format::Xliff2,
            Format::Html,
            Format::Markdown,
            Format::Text,
        ]
        .into_iter()
        .find(|format| format.name() == name)
    }
}

fn xliff_version(head: &[u8]) -> Format {
    let head = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    if head.contains("urn:oasis:names:tc:xliff:document:2") || head.contains("version=\"2.") {
        Format::Xliff2
    } else {
        Format::Xliff12
    }
}

/// Options that change what filters extract.
#[derive(Debug, Clone, Copy, Default)]
pub struct FilterOptions {
    /// DOCX tracked changes kept or accepted.
    pub tracked_changes: TrackedChanges,
    /// Whether DOCX comments are translated.
    pub comments: bool,
    /// Limits on packages and inputs.
    pub limits: Limits,
}

/// A filter reads one format into paragraphs and writes it back with translations.
pub trait DocumentFilter {
    /// The format it reads.
    fn format(&self) -> Format;

    /// Walks the document, calling `visit` for each paragraph in document order. When
    /// `rewrite` is set, returns the document with every paragraph for which `visit`
    /// returned content replaced by it, and everything else as it was.
    fn process(
        &self,
        input: &[u8],
        name: &str,
        visit: &mut Visitor<'_>,
        rewrite: bool,
    ) -> Result<Vec<u8>, FilterError>;
}

/// The filter for a format.
pub fn filter_for(format: Format, options: FilterOptions) -> Box<dyn DocumentFilter> {
    match format {
        Format::Docx => Box::new(DocxFilter {
            tracked_changes: options.tracked_changes,
            comments: options.comments,
            limits: options.limits,
        }),
        Format::Xliff12 | Format::Xliff2 => Box::new(XliffFilter { format }),
        Format::Html => Box::new(HtmlFilter),
        Format::Markdown => Box::new(MarkdownFilter),
        Format::Text => Box::new(TextFilter),
    }
}

/// Reads a whole input file, refusing one larger than the limit before reading it.
pub fn read_input(path: &Path, limits: &Limits) -> Result<Vec<u8>, FilterError> {
    let io = |source| FilterError::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limits.max_input {
        return Err(FilterError::invalid(
            path.display().to_string(),
            format!(
                "{size} bytes, larger than the limit of {} bytes for one document",
                limits.max_input
            ),
        ));
    }
    std::fs::read(path).map_err(io)
}

/// The text units of a document, cut into segments, in document order.
pub fn extract(
    filter: &dyn DocumentFilter,
    input: &[u8],
    name: &str,
    segmenter: &Segmenter,
) -> Result<Vec<TextUnit>, FilterError> {
    let mut units = Vec::new();
    let mut visit = |paragraph: Paragraph| {
        let id = format!("u{}", units.len() + 1);
        units.push(TextUnit::from_paragraph(id, paragraph, segmenter));
        Ok(None)
    };
    filter.process(input, name, &mut visit, false)?;
    Ok(units)
}

/// Merges translations into a document. `translate` gives each unit's segment
/// translations (`None` keeps a segment's source). A translation whose codes do not fit
/// its source is refused, or repaired when `repair` is set.
pub fn merge(
    filter: &dyn DocumentFilter,
    input: &[u8],
    name: &str,
    segmenter: &Segmenter,
    target_lang: &str,
    repair: bool,
    translate: &mut dyn FnMut(&TextUnit) -> Vec<Option<Content>>,
) -> Result<Vec<u8>, FilterError> {
    let mut count = 0usize;
    let mut visit = |paragraph: Paragraph| {
        count += 1;
        let unit = TextUnit::from_paragraph(format!("u{count}"), paragraph, segmenter);
        let mut targets = translate(&unit);
        if targets.iter().all(Option::is_none) {
            return Ok(None);
        }
        for (index, (source, target)) in unit.segments().zip(targets.iter_mut()).enumerate() {
            let Some(content) = target else { continue };
            let problems = codes::check(source, content);
            if problems.is_empty() {
                continue;
            }
            if repair {
                *content = codes::repair(source, content);
            } else {
                return Err(FilterError::Codes {
                    unit: unit.id.clone(),
                    segment: index + 1,
                    problems: describe(&problems),
                });
            }
        }
        Ok(Some(unit.joined(&targets, target_lang)))
    };
    filter.process(input, name, &mut visit, true)
}

fn describe(problems: &[CodeProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
