//! The embedded default: one SQLite file in the data directory (WAL journal), with its
//! migrations in `migrations/sqlite`. Every repository trait is implemented here.

mod accounts;
mod catalog;
mod jobs;
mod memory;
mod mt_cache;
mod reference;
mod tables;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use async_trait::async_trait;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{Database, StorageError};

pub use catalog::SqliteImport;

/// A handle on an SQLite store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Jobs, in a file of their own (`…-jobs.sqlite`): SQLite has one writer per file,
    /// and a job records its progress while its import holds the store's write lock.
    jobs: SqlitePool,
    path: PathBuf,
}

/// The jobs' file beside a store's file: `stdbridge.sqlite` → `stdbridge-jobs.sqlite`.
pub fn jobs_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "stdbridge".to_owned());
    path.with_file_name(format!("{stem}-jobs.sqlite"))
}

/// A pool on an SQLite file with the store's settings.
async fn pool(path: &Path, connections: u32) -> Result<SqlitePool, StorageError> {
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(StorageError::from)?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(30))
        .pragma("cache_size", "-65536")
        .pragma("temp_store", "memory")
        .page_size(16384);
    SqlitePoolOptions::new()
        .max_connections(connections)
        .connect_with(options)
        .await
        .map_err(|source| StorageError::Open {
            path: path.to_owned(),
            source,
        })
}

impl SqliteStore {
    /// Opens (creating if needed) the SQLite store at `path` and brings its schema up to
    /// date; the directory is made if missing.
    pub async fn open(path: &Path) -> Result<SqliteStore, StorageError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StorageError::DataDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        let store = pool(path, 4).await?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&store)
            .await
            .map_err(|source| StorageError::Migrate {
                store: path.display().to_string(),
                source,
            })?;
        let jobs_file = jobs_path(path);
        let jobs = pool(&jobs_file, 2).await?;
        sqlx::migrate!("./migrations/sqlite-jobs")
            .run(&jobs)
            .await
            .map_err(|source| StorageError::Migrate {
                store: jobs_file.display().to_string(),
                source,
            })?;
        Ok(SqliteStore {
            pool: store,
            jobs,
            path: path.to_owned(),
        })
    }

    /// Opens the store of a data directory (its `stdbridge.sqlite`).
    pub async fn open_in(data_dir: &Path) -> Result<SqliteStore, StorageError> {
        SqliteStore::open(&data_dir.join(crate::DATABASE_FILE)).await
    }

    /// The SQLite file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection pool (for the benchmarks' baselines, which share the file).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

#[async_trait]
impl Database for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        // Closing checkpoints the write-ahead log into the database file.
        self.pool.close().await;
        self.jobs.close().await;
    }
}
