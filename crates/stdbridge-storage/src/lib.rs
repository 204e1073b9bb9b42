//! The system of record of stdbridge, behind repository traits: the catalogue
//! ([`CatalogRepository`]), reference data, translation memories, termbases, the
//! machine-translation cache and jobs. [`open`] picks the backend from a URL; the
//! embedded default is one SQLite file in the data directory ([`SqliteStore`]). Every
//! write goes through here, and only this crate writes SQL.
//!
//! Writes happen in transactions: one per imported file ([`CatalogImport`]), one per
//! memory or termbase import, so a failure or a kill leaves the store as it was before.
//! Every insert or update of a standard appends to the change log, whose sequence numbers
//! only grow.

mod catalog;
mod error;
mod jobs;
mod memory;
mod mt_cache;
mod reference;
pub mod sqlite;
mod url;

use std::sync::Arc;

use async_trait::async_trait;

pub use catalog::{
    Adopter, BatchOutcome, CatalogImport, CatalogRepository, Change, Counts, Incoming, Merge,
    Prepared, RelatedStandard, Stats, StoredStandard,
};
pub use error::StorageError;
pub use jobs::{JobOutcome, JobProgress, JobRecord, JobRepository, JobState, NewJob};
pub use memory::{
    Collection, ConceptWrite, MemoryRepository, MemoryTransaction, NewUnit, StoredUnit,
    TermbaseRepository, TermbaseTransaction, UnitWrite, Visibility,
};
pub use mt_cache::{MtCacheEntry, MtCacheRepository};
pub use reference::ReferenceRepository;
pub use sqlite::SqliteStore;
pub use url::StoreUrl;

/// Name of the SQLite file inside a data directory.
pub const DATABASE_FILE: &str = "stdbridge.sqlite";

/// A whole store: every repository of one backend.
#[async_trait]
pub trait Database:
    CatalogRepository
    + ReferenceRepository
    + MemoryRepository
    + TermbaseRepository
    + MtCacheRepository
    + JobRepository
    + Send
    + Sync
{
    /// Where it is, for messages (a file, a host and database; never a password).
    fn location(&self) -> String;

    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Closes its connections (for SQLite, checkpoints the write-ahead log).
    async fn close(&self);
}

/// The store a URL names, opened and migrated.
pub async fn open(url: &StoreUrl) -> Result<Arc<dyn Database>, StorageError> {
    match url {
        StoreUrl::Sqlite(path) => Ok(Arc::new(SqliteStore::open(path).await?)),
    }
}
