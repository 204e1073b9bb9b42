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
    /// A memory or termbase of this name exists already.
    #[error("a {kind} named {name:?} exists")]
    Exists {
        /// "translation memory" or "termbase".
        kind: &'static str,
        /// The name.
        name: String,
    },
    /// A request that cannot be served (bad argument).
    #[error("{0}")]
    Invalid(String),
    /// An export could not be written.
    #[error("writing {format}: {source}")]
    Write {
        /// `TMX` or `TBX`.
        format: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A worker thread of an import failed.
    #[error("{0}: the reader thread failed")]
    Worker(String),
    /// The translation engine failed.
    #[error(transparent)]
    Engine(#[from] stdbridge_content::EngineError),
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
