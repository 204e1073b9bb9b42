//! What every filter is and takes: the [`DocumentFilter`] trait, the formats and their
//! detection, and the options. Nothing here knows a format's implementation: the
//! filters depend on this module, and only [`crate::registry`] depends on them.

use std::path::Path;

use serde::Serialize;

use crate::error::FilterError;
use crate::model::{Content, Paragraph};
use crate::package::Limits;

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

/// What to do with DOCX tracked changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrackedChanges {
    /// Keep them: insertions become codes around their text, deletions placeholders.
    #[default]
    Keep,
    /// Accept them: insertions become ordinary text, deletions disappear.
    Accept,
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
pub trait DocumentFilter: Send + Sync {
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
