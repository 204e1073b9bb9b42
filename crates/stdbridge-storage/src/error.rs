//! Errors of the store.

use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The data directory cannot be created or read.
    #[error("data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The database file cannot be opened.
    #[error("cannot open the store {path}: {source}")]
    Open {
        /// The SQLite file.
        path: PathBuf,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The schema cannot be brought up to date.
    #[error("cannot migrate the store {path}: {source}")]
    Migrate {
        /// The SQLite file.
        path: PathBuf,
        /// The migration error.
        source: sqlx::migrate::MigrateError,
    },
    /// A database URL that cannot be used.
    #[error("database URL {url}: {reason}")]
    Url {
        /// The URL, password hidden.
        url: String,
        /// Why.
        reason: String,
    },
    /// A stored value that this version does not know (the store was written by another
    /// version, or edited by hand).
    #[error("stored {what} {value:?} is not one this version knows")]
    Invalid {
        /// What it is.
        what: String,
        /// The value.
        value: String,
    },
    /// A query failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored record is not valid JSON for its type (the store was edited by hand).
    #[error("stored record of {key} is unreadable: {source}")]
    Corrupt {
        /// The standard's key.
        key: String,
        /// The JSON error.
        source: serde_json::Error,
    },
}
