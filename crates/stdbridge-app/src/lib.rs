//! The application layer of stdbridge: the composition root built from one
//! configuration, and the use cases the command line and the HTTP server share.
//!
//! * [`Config`] — defaults < file < environment < flags; [`App::open`] builds the store
//!   (from its URL), the search indexes, the memories, the engines and the job runner.
//! * Use cases are plain functions over an [`App`] and the acting [`Principal`], one
//!   module per area: [`catalog`], [`documents`], [`memories`], [`termbases`], [`mt`],
//!   [`segmentation`], [`qa`], [`jobs`], [`demo`]. Each asks [`authz`] before it acts.
//! * Errors have kinds ([`ErrorKind`]): the server maps them to status codes and stable
//!   codes, the CLI to exit statuses.
//! * Long work runs as jobs ([`jobs::RunningJob`]); processor-bound work of requests on a
//!   bounded pool ([`cpu`]); a server's indexes follow the store's change log in the
//!   background ([`App::follow_changes`]), never inside a request.

pub mod access;
pub mod accounts;
pub mod authz;
pub mod catalog;
pub mod config;
pub mod cpu;
pub mod demo;
mod demo_files;
pub mod documents;
mod engines;
pub mod error;
pub mod groups;
pub mod jobs;
pub mod memories;
pub mod mt;
pub mod principal;
pub mod qa;
pub mod segmentation;
pub mod store;
pub mod termbases;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use stdbridge_catalog::index::CatalogIndex;
use stdbridge_storage::Database;
use stdbridge_tm::Memories;
use stdbridge_tm::index::TmIndex;
use stdbridge_tm::termbase::Termbases;
use tokio::sync::OnceCell;

pub use config::{Config, ConfigLayer, EngineKeys, HttpLayer, HttpSettings, Secret};

/// The types the use cases take and return, from the domain crates: what the shells
/// print, serialize and document, without depending on those crates themselves.
pub mod model {
    pub use stdbridge_catalog::export::ExportFormat;
    pub use stdbridge_catalog::index::{
        Analytics, Bucket, MAX_KEYWORDS, MAX_SUGGESTIONS, SearchHit, SearchPage, Span, Suggestion,
        SyncReport,
    };
    pub use stdbridge_catalog::lookup::{
        CcsName, ChainLink, Equivalent, IcsTitle, MatchKind, StandardView,
    };
    pub use stdbridge_catalog::{Format as ImportFormat, ImportReport, Rejection};
    pub use stdbridge_content::terms::TermProblem;
    pub use stdbridge_core::reference::{Body, Country};
    pub use stdbridge_core::{
        Dates, DocType, Link, Nature, Relation, RelationKind, Scope, Standard, Status, Title,
    };
    pub use stdbridge_mt::marian::Compute;
    pub use stdbridge_mt::models::ModelInfo;
    pub use stdbridge_storage::{
        ApiToken, Change, CheckReport, Collection, CopyReport, Group, JobState, Merge,
        RelatedStandard, Role, Stats, TokenScope, User, Visibility,
    };
    pub use stdbridge_tm::fuzzy::{DiffOp, DiffPart};
    pub use stdbridge_tm::termbase::{
        Concept, GlossaryLanguages, LangSection, Term, TermHit, TermImportReport, TermStatus,
    };
    pub use stdbridge_tm::{
        ConcordanceHit, ImportReport as TmImportReport, LookupRequest, Match, Segment,
    };
}
pub use error::{AppError, ErrorKind};
pub use principal::{Account, Principal, Via};

use cpu::CpuPool;
use jobs::Jobs;

/// The composition root: configuration, store, indexes, memories and the job runner,
/// each opened when first needed. Cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    store: OnceCell<Store>,
    catalog_index: OnceCell<Arc<CatalogIndex>>,
    memories: OnceCell<Arc<Memories>>,
    cpu: CpuPool,
    /// Wrong passwords counted for throttling sign-ins.
    throttle: accounts::Throttle,
    /// Whether a background task follows the change log (a server); else each read of
    /// an index first brings it up to date (a command).
    following: AtomicBool,
}

/// The store and what lives on it.
struct Store {
    db: Arc<dyn Database>,
    jobs: Jobs,
    termbases: Termbases,
}

impl App {
    /// The application over `config`. Nothing is opened yet: the store and the indexes
    /// open on first use, so a command that needs neither never touches them.
    pub fn new(config: Config) -> App {
        let cpu = CpuPool::new(config.cpu_workers, config.cpu_queue);
        App {
            inner: Arc::new(Inner {
                config,
                store: OnceCell::new(),
                catalog_index: OnceCell::new(),
                memories: OnceCell::new(),
                cpu,
                throttle: accounts::Throttle::default(),
                following: AtomicBool::new(false),
            }),
        }
    }

    /// The application over `config`, with its store opened (and jobs left behind by a
    /// process that went away marked interrupted).
    pub async fn open(config: Config) -> Result<App, AppError> {
        let app = App::new(config);
        app.store().await?;
        Ok(app)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    async fn store(&self) -> Result<&Store, AppError> {
        self.inner
            .store
            .get_or_try_init(|| async {
                let db = stdbridge_storage::open(&self.inner.config.store).await?;
                let jobs = Jobs::new(Arc::clone(&db));
                jobs.interrupt_abandoned().await?;
                let termbases = Termbases::new(Arc::clone(&db) as _);
                Ok::<_, AppError>(Store {
                    db,
                    jobs,
                    termbases,
                })
            })
            .await
    }

    /// The store.
    pub(crate) async fn db(&self) -> Result<Arc<dyn Database>, AppError> {
        Ok(Arc::clone(&self.store().await?.db))
    }

    /// The job runner.
    pub(crate) async fn jobs(&self) -> Result<&Jobs, AppError> {
        Ok(&self.store().await?.jobs)
    }

    /// The termbases.
    pub(crate) async fn termbases(&self) -> Result<&Termbases, AppError> {
        Ok(&self.store().await?.termbases)
    }

    /// The catalogue's search index; for a command, brought up to date first.
    pub(crate) async fn catalog_index(&self) -> Result<Arc<CatalogIndex>, AppError> {
        let index = self.catalog_index_unsynced().await?;
        if !self.inner.following.load(Ordering::Acquire) {
            sync_catalog_index(&index, self.db().await?.as_ref()).await;
        }
        Ok(index)
    }

    pub(crate) async fn catalog_index_unsynced(&self) -> Result<Arc<CatalogIndex>, AppError> {
        let index = self
            .inner
            .catalog_index
            .get_or_try_init(|| async {
                let dir = self.inner.config.index_dir.join("catalog");
                Ok::<_, AppError>(Arc::new(CatalogIndex::open_in(&dir)?))
            })
            .await?;
        Ok(Arc::clone(index))
    }

    /// The translation memories with their candidate index (rebuilt when it does not
    /// reflect the store).
    pub(crate) async fn memories(&self) -> Result<Arc<Memories>, AppError> {
        let db = self.db().await?;
        let memories = self
            .inner
            .memories
            .get_or_try_init(|| async {
                let index = TmIndex::open_in(&self.inner.config.index_dir.join("tm"))?;
                Ok::<_, AppError>(Arc::new(Memories::open_with(db as _, index).await?))
            })
            .await?;
        Ok(Arc::clone(memories))
    }

    /// The sign-in throttle.
    pub(crate) fn throttle(&self) -> &accounts::Throttle {
        &self.inner.throttle
    }

    /// Runs processor-bound work on the bounded pool.
    pub(crate) async fn cpu<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.inner.cpu.run(work).await
    }

    /// Brings the indexes up to date with the store once: the catalogue's from the change
    /// log (and what other processes committed to it), the memories' from their write
    /// generation; marks jobs whose process went away.
    pub async fn catch_up(&self) -> Result<(), AppError> {
        let db = self.db().await?;
        let index = self.catalog_index_unsynced().await?;
        sync_catalog_index(&index, db.as_ref()).await;
        if let Err(error) = index.reload_if_changed() {
            tracing::warn!("search index not reloaded: {error}");
        }
        if let Some(memories) = self.inner.memories.get()
            && let Err(error) = memories.sync().await
        {
            tracing::warn!("TM index not brought up to date: {error}");
        }
        self.jobs().await?.interrupt_abandoned().await?;
        Ok(())
    }

    /// Follows the store's change log in the background (a server): every
    /// `follow_interval`, the indexes catch up, so a record imported by another process
    /// is searchable within that time. From now on, reads never sync themselves.
    pub fn follow_changes(&self) -> tokio::task::JoinHandle<()> {
        self.inner.following.store(true, Ordering::Release);
        let app = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = app.catch_up().await {
                    tracing::warn!("following the store: {error}");
                }
                match app.db().await {
                    // Woken by another node's commit (PostgreSQL), or at the interval.
                    Ok(db) => db.wait_for_change(app.inner.config.follow_interval).await,
                    Err(_) => tokio::time::sleep(app.inner.config.follow_interval).await,
                }
            }
        })
    }

    /// Closes the store (for SQLite, checkpoints the write-ahead log).
    pub async fn close(&self) {
        if let Some(store) = self.inner.store.get() {
            store.db.close().await;
        }
    }
}

/// Brings the catalogue's index up to date; another process holding the index writer
/// is not an error (the next look catches up).
async fn sync_catalog_index(index: &CatalogIndex, db: &dyn Database) {
    if let Err(error) = index.sync(db).await {
        tracing::debug!("search index not brought up to date now ({error})");
    }
}
