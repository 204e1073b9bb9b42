//! Errors of the catalogue crate. Errors about one record are [`crate::Rejection`]s and do
//! not stop an import; the errors here stop it, and the import is rolled back.

use std::path::PathBuf;

/// An error that stops an import.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file cannot be opened.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file cannot be read to its end (truncated or corrupt compressed data).
    #[error("{}{}: {reason}; nothing from this file was stored", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Read {
        /// The file.
        path: PathBuf,
        /// The line being read when it failed.
        line: Option<u64>,
        /// Why.
        reason: String,
    },
    /// A whole-document file (YAML, JSON, CSV) is not UTF-8.
    #[error("{}: not UTF-8 (invalid byte at offset {offset}); nothing from this file was stored", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The file as a whole cannot be parsed (a YAML or JSON document, a CSV header).
    #[error("{}{}: {reason}; nothing from this file was stored", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The line of the error, when known.
        line: Option<u64>,
        /// Why.
        reason: String,
    },
    /// The format of the file cannot be told from its name and first record.
    #[error("{}: unknown format ({reason}); name it with --format", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// What was seen.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Storage(#[from] stdbridge_storage::StorageError),
}
