//! PostgreSQL, the shared store of several server nodes: every repository trait on one
//! database, with its migrations in `migrations/postgres`. Catalogue imports take one
//! advisory transaction lock, so that their ids and change-log sequence numbers are given
//! in commit order; commits notify the channel [`CHANGES_CHANNEL`], which followers
//! listen on to catch up at once instead of at their next poll.

mod accounts;
mod catalog;
mod jobs;
mod memory;
mod mt_cache;
mod reference;
mod tables;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use tokio::sync::Mutex;

use crate::url::redact;
use crate::{Database, StorageError};

pub use catalog::PgImport;

/// The channel a commit that changes the catalogue or a memory notifies.
pub const CHANGES_CHANNEL: &str = "stdbridge_changes";

/// The advisory lock key every catalogue import holds until it commits or rolls back
/// ("stdb" in ASCII).
const CATALOG_WRITE_LOCK: i64 = 0x7374_6462;

/// A handle on a PostgreSQL store. Cheap to clone.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Where it is, without a password.
    location: String,
    /// A connection listening on [`CHANGES_CHANNEL`], made on first wait.
    listener: std::sync::Arc<Mutex<Option<PgListener>>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`)
    /// and brings its schema up to date.
    pub async fn open(url: &str) -> Result<PgStore, StorageError> {
        let location = redact(url);
        let options = PgConnectOptions::from_str(url)
            .map_err(|error| StorageError::Url {
                url: location.clone(),
                reason: error.to_string(),
            })?
            // Short queries only: compiling one with the JIT costs more than it saves.
            .options([("jit", "off")]);
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|source| StorageError::Connect {
                url: location.clone(),
                source,
            })?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .map_err(|source| StorageError::Migrate {
                store: location.clone(),
                source,
            })?;
        Ok(PgStore {
            pool,
            location,
            listener: std::sync::Arc::new(Mutex::new(None)),
        })
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

#[async_trait]
impl Database for PgStore {
    fn location(&self) -> String {
        self.location.clone()
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn close(&self) {
        if let Some(listener) = self.listener.lock().await.take() {
            drop(listener);
        }
        self.pool.close().await;
    }

    /// Waits for a notification on [`CHANGES_CHANNEL`], at most `timeout`: a follower
    /// wakes as soon as another node commits, and polls at `timeout` whatever happens to
    /// the listening connection (a lost connection is made again on the next wait).
    async fn wait_for_change(&self, timeout: Duration) {
        let mut slot = self.listener.lock().await;
        if slot.is_none() {
            match PgListener::connect_with(&self.pool).await {
                Ok(mut listener) => match listener.listen(CHANGES_CHANNEL).await {
                    Ok(()) => *slot = Some(listener),
                    Err(error) => tracing::debug!("LISTEN {CHANGES_CHANNEL}: {error}"),
                },
                Err(error) => tracing::debug!("no listening connection: {error}"),
            }
        }
        let Some(listener) = slot.as_mut() else {
            drop(slot);
            tokio::time::sleep(timeout).await;
            return;
        };
        match tokio::time::timeout(timeout, listener.try_recv()).await {
            Ok(Ok(Some(_))) | Err(_) => {}
            Ok(Ok(None)) => tracing::debug!("listening connection lost; made again"),
            Ok(Err(error)) => {
                tracing::debug!("listening: {error}");
                *slot = None;
            }
        }
    }
}

/// Notifies followers, inside the transaction that changed something: PostgreSQL
/// delivers it when (and only if) the transaction commits.
async fn notify_changes(tx: &mut sqlx::PgConnection) -> Result<(), StorageError> {
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(CHANGES_CHANNEL)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
