//! The system of record of stdbridge. The embedded default is one SQLite file in a data
//! directory; every write goes through here, and only this crate writes SQL.
//!
//! Writes happen in [`ImportSession`]s: one transaction per imported file, so a failure or
//! a kill leaves the store as it was before the file. Every insert or update of a
//! standard appends to the change log (`changes`), whose sequence numbers only grow.

mod error;
mod fts_baseline;
mod import;
mod mt_cache;
#[cfg(feature = "postgres")]
mod pg_trgm_baseline;
mod query;
mod reference;
mod tm;

pub use error::StorageError;
pub use fts_baseline::{BaselineFilters, Fts5Baseline};
pub use import::{BatchOutcome, ImportSession, Incoming, Merge, Prepared};
pub use mt_cache::MtCacheEntry;
#[cfg(feature = "postgres")]
pub use pg_trgm_baseline::{PgTrgmBaseline, TrigramMatch};
pub use query::{Adopter, Change, Counts, RelatedStandard, Stats, StoredStandard};
pub use tm::{
    Collection, ConceptWrite, MemoryWriter, NewUnit, StoredUnit, TermbaseWriter, UnitWrite,
    Visibility,
};

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Name of the SQLite file inside a data directory.
pub const DATABASE_FILE: &str = "stdbridge.sqlite";

/// A handle on the store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` and brings its schema up to date.
    pub async fn open(data_dir: &Path) -> Result<Store, StorageError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StorageError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(StorageError::from)?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory")
            .page_size(16384);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StorageError::Open {
                path: path.clone(),
                source,
            })?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|source| StorageError::Migrate {
                path: path.clone(),
                source,
            })?;
        Ok(Store { pool, path })
    }

    /// The SQLite file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the pool, checkpointing the write-ahead log.
    pub async fn close(self) {
        self.pool.close().await;
    }
}
