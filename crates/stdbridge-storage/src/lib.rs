//! The system of record of stdbridge, behind repository traits: the catalogue
//! ([`CatalogRepository`]), reference data, translation memories, termbases, the
//! machine-translation cache and jobs. [`open`] picks the backend from a URL; the
//! embedded default is one SQLite file in the data directory ([`SqliteStore`]), and
//! PostgreSQL ([`PgStore`]) is the shared store of several server nodes. The merge of
//! catalogue records is worked out once for both (`plan`); every write goes through
//! here, and only this crate writes SQL. [`copy_store`] moves a whole store between
//! backends and [`check_store`] checks one.
//!
//! Writes happen in transactions: one per imported file ([`CatalogImport`]), one per
//! memory or termbase import, so a failure or a kill leaves the store as it was before.
//! Every insert or update of a standard appends to the change log, whose sequence numbers
//! only grow.

pub mod accounts;
mod catalog;
mod error;
mod jobs;
mod memory;
mod mt_cache;
mod plan;
pub mod postgres;
mod reference;
pub mod sqlite;
mod tables;
mod url;

use std::sync::Arc;

use async_trait::async_trait;

pub use accounts::{
    AccountRepository, ApiToken, Credentials, Group, Role, Session, SharedKind, TokenScope, User,
};
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
pub use postgres::PgStore;
pub use reference::ReferenceRepository;
pub use sqlite::SqliteStore;
pub use tables::{
    CHECKS, Cell, CellKind, Check, CheckOutcome, CheckReport, CopyReport, CopyTarget, TABLES,
    Table, TableAccess, TableCount, check_store, copy_store,
};
pub use url::StoreUrl;

/// Name of the SQLite file inside a data directory.
pub const DATABASE_FILE: &str = "stdbridge.sqlite";

/// A whole store: every repository of one backend.
#[async_trait]
pub trait Database:
    CatalogRepository
    + AccountRepository
    + ReferenceRepository
    + MemoryRepository
    + TermbaseRepository
    + MtCacheRepository
    + JobRepository
    + TableAccess
    + Send
    + Sync
{
    /// Where it is, for messages (a file, a host and database; never a password).
    fn location(&self) -> String;

    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Closes its connections (for SQLite, checkpoints the write-ahead log).
    async fn close(&self);

    /// Waits until another process may have changed the store, at most `timeout`: a
    /// notification on PostgreSQL; on SQLite, which has none, the timeout itself.
    async fn wait_for_change(&self, timeout: std::time::Duration) {
        tokio::time::sleep(timeout).await;
    }
}

/// The store a URL names, opened and migrated.
pub async fn open(url: &StoreUrl) -> Result<Arc<dyn Database>, StorageError> {
    match url {
        StoreUrl::Sqlite(path) => Ok(Arc::new(SqliteStore::open(path).await?)),
        StoreUrl::Postgres(url) => Ok(Arc::new(PgStore::open(url).await?)),
    }
}
