//! The catalogue's search index (tantivy), built from the store and kept up to date by
//! following the store's change log. The index holds no record: hits are standard ids,
//! read back from the store, so a search never shows a half-written record and the index
//! can always be rebuilt from the store.

mod analytics;
mod highlight;
mod page;
mod query;
mod schema;
mod suggest;
mod sync;

pub use analytics::{Analytics, Bucket, MAX_KEYWORDS};
pub use highlight::Span;
pub use page::{SearchHit, SearchPage};
pub use query::{
    IndexHit, IndexResults, MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_WORD_CHARS, QUERY_PATTERN,
    QueryNote, SearchQuery, Sort, check_query_size, is_pattern_space, parse_query,
};
pub use suggest::{MAX_SUGGESTIONS, Suggestion};
pub use sync::SyncReport;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::{Index, IndexReader, ReloadPolicy};

use schema::Fields;

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Tantivy failed.
    #[error("search index {path}: {source}")]
    Tantivy {
        /// The index directory.
        path: PathBuf,
        /// The error.
        source: tantivy::TantivyError,
    },
    /// The index directory cannot be created.
    #[error("search index {path}: {source}")]
    Io {
        /// The index directory.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The store failed while the index followed it.
    #[error(transparent)]
    Storage(#[from] stdbridge_storage::StorageError),
    /// A query could not be understood.
    #[error("query: {0}")]
    Query(String),
}

/// The file that records how the index's text was analysed: an index made with other
/// segmentation is rebuilt, as one with another schema is.
const ANALYSIS_FILE: &str = "ANALYSIS";

fn analysis() -> String {
    format!("segmentation {}\n", stdbridge_text::SEGMENTATION_VERSION)
}

fn analysis_is_current(path: &Path) -> bool {
    std::fs::read_to_string(path.join(ANALYSIS_FILE)).is_ok_and(|text| text == analysis())
}

fn write_analysis(path: &Path) -> std::io::Result<()> {
    if analysis_is_current(path) {
        return Ok(());
    }
    std::fs::write(path.join(ANALYSIS_FILE), analysis())
}

/// The search index of a data directory.
pub struct CatalogIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    path: PathBuf,
    /// The opstamp of the commit the reader reads (to notice other processes' commits).
    seen_opstamp: AtomicU64,
}

/// Name of the index directory inside a data directory.
pub const INDEX_DIR: &str = "index/catalog";

impl CatalogIndex {
    /// Opens the index in `data_dir`, creating an empty one if there is none (or if the
    /// one there has another schema: it is then rebuilt by the next sync).
    pub fn open(data_dir: &Path) -> Result<CatalogIndex, IndexError> {
        CatalogIndex::open_in(&data_dir.join(INDEX_DIR))
    }

    /// Opens the index in the directory `path` itself, as [`CatalogIndex::open`] does.
    pub fn open_in(path: &Path) -> Result<CatalogIndex, IndexError> {
        let path = path.to_owned();
        std::fs::create_dir_all(&path).map_err(|source| IndexError::Io {
            path: path.clone(),
            source,
        })?;
        let (schema, fields) = schema::build();
        let tantivy_error = |source| IndexError::Tantivy {
            path: path.clone(),
            source,
        };
        let index = match Index::open_in_dir(&path) {
            Ok(index) if index.schema() == schema && analysis_is_current(&path) => index,
            Ok(_) => {
                std::fs::remove_dir_all(&path).map_err(|source| IndexError::Io {
                    path: path.clone(),
                    source,
                })?;
                std::fs::create_dir_all(&path).map_err(|source| IndexError::Io {
                    path: path.clone(),
                    source,
                })?;
                Index::create_in_dir(&path, schema).map_err(tantivy_error)?
            }
            Err(_) => Index::create_in_dir(&path, schema).map_err(tantivy_error)?,
        };
        write_analysis(&path).map_err(|source| IndexError::Io {
            path: path.clone(),
            source,
        })?;
        stdbridge_text::register_analyzers(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|source| IndexError::Tantivy {
                path: path.clone(),
                source,
            })?;
        let seen_opstamp = AtomicU64::new(index.load_metas().map(|m| m.opstamp).unwrap_or(0));
        Ok(CatalogIndex {
            index,
            reader,
            fields,
            path,
            seen_opstamp,
        })
    }

    fn error(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy {
            path: self.path.clone(),
            source,
        }
    }

    /// Sees what another process committed to the index since this one last looked (an
    /// import run from the command line beside a server); returns whether there was
    /// anything new.
    pub fn reload_if_changed(&self) -> Result<bool, IndexError> {
        let on_disk = self.index.load_metas().map_err(|e| self.error(e))?.opstamp;
        if on_disk == self.seen_opstamp.load(Ordering::Acquire) {
            return Ok(false);
        }
        self.reload()?;
        Ok(true)
    }

    /// Reloads the reader and remembers which commit it now reads.
    pub(crate) fn reload(&self) -> Result<(), IndexError> {
        let on_disk = self.index.load_metas().map_err(|e| self.error(e))?.opstamp;
        self.reader.reload().map_err(|e| self.error(e))?;
        self.seen_opstamp.store(on_disk, Ordering::Release);
        Ok(())
    }

    /// Number of documents in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes the index takes on disk.
    pub fn disk_bytes(&self) -> u64 {
        std::fs::read_dir(&self.path)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok()?.metadata().ok())
            .filter(|metadata| metadata.is_file())
            .map(|metadata| metadata.len())
            .sum()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
