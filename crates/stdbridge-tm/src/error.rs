//! Errors of translation memories and termbases.

use std::path::{Path, PathBuf};

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum TmError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] stdbridge_storage::StorageError),
    /// A file could not be read as the format it claims to be.
    #[error(transparent)]
    Xml(#[from] stdbridge_text::xml::XmlError),
    /// A file problem that is not XML (CSV, I/O).
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The index failed.
    #[error("TM index: {0}")]
    Index(String),
    /// No memory or termbase of this name.
    #[error("no {kind} named {name:?}")]
    NotFound {
        /// "translation memory" or "termbase".
        kind: &'static str,
        /// The name asked for.
        name: String,
    },
    /// A request that cannot be served (bad argument).
    #[error("{0}")]
    Invalid(String),
    /// A stored body is unreadable (the store was edited by hand).
    #[error("stored {what} is unreadable: {source}")]
    Corrupt {
        /// What.
        what: String,
        /// Why.
        source: serde_json::Error,
    },
}

impl TmError {
    /// An I/O error on a file.
    pub fn io(path: &Path, error: std::io::Error) -> TmError {
        TmError::File {
            path: path.to_owned(),
            message: error.to_string(),
        }
    }
}
