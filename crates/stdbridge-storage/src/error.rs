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
    /// A database server cannot be reached or refuses the connection.
    #[error("cannot connect to the store {url}: {source}")]
    Connect {
        /// The URL, password hidden.
        url: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The schema cannot be brought up to date.
    #[error("cannot migrate the store {store}: {source}")]
    Migrate {
        /// The SQLite file or the database URL (password hidden).
        store: String,
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
    /// A name that is taken.
    #[error("a {what} named {name:?} exists already")]
    Exists {
        /// What kind of thing.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A copy's target already holds data.
    #[error("{store} is not empty: table {table} holds {rows} rows (copy into a new, empty store)")]
    NotEmpty {
        /// The target store.
        store: String,
        /// The first table found with rows.
        table: &'static str,
        /// How many.
        rows: i64,
    },
    /// A copy ended with other counts on the two sides.
    #[error("copy of table {table}: {source_rows} rows in the source, {target_rows} in the target")]
    CopyMismatch {
        /// The table.
        table: &'static str,
        /// Rows in the source.
        source_rows: i64,
        /// Rows in the target.
        target_rows: i64,
    },
}
