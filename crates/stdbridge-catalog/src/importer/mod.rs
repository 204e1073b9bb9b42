//! Running an import: a reader thread turns the file into batches of records while the
//! store merges the previous batch, all in one transaction per file. Each format has its
//! reader behind [`RecordReader`] (`relaton`, `iso`, `generic`); reference data, which
//! replaces tables rather than merging records, has its own importer (`reference`).

mod batch;
mod generic;
mod iso;
mod items;
mod reference;
mod relaton;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use stdbridge_core::Standard;
use stdbridge_core::designation::Designation;
use stdbridge_storage::{CatalogRepository, Merge, ReferenceRepository};
use tokio::sync::mpsc;

use crate::CatalogError;
use crate::format::{Format, detect};
use crate::input::ReadCounter;
use batch::{BatchSender, Message};
use reference::import_reference;

/// Records per batch handed to the store.
const BATCH_SIZE: usize = 2_000;

/// A record that was not imported, and why. The rest of the file is imported.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rejection {
    /// The file.
    pub path: String,
    /// The line (JSON Lines, CSV) or, for whole documents, the record's position.
    pub line: u64,
    /// Why it was rejected.
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.reason)
    }
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The file.
    pub path: String,
    /// Its format.
    pub format: Format,
    /// Records read (good and bad).
    pub records: u64,
    /// Records that created a standard (or reference rows that were new or changed).
    pub inserted: u64,
    /// Records that changed a standard.
    pub updated: u64,
    /// Records the store already had.
    pub unchanged: u64,
    /// Records rejected, each with its line and reason.
    pub rejected: Vec<Rejection>,
    /// Spellings of one designation that normalization joined.
    pub merges: Vec<Merge>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl ImportReport {
    /// Records read per second.
    pub fn records_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.records as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Receives progress as an import runs (the CLI draws a bar with it).
pub trait Progress: Send + Sync {
    /// A file of `total_bytes` starts.
    fn start(&self, path: &Path, total_bytes: u64);
    /// `bytes` of the file have been read and `records` records stored.
    fn advance(&self, bytes: u64, records: u64);
    /// The file is done.
    fn finish(&self);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &Path, _: u64) {}
    fn advance(&self, _: u64, _: u64) {}
    fn finish(&self) {}
}

/// Imports one file into the store. Bad records are rejected and reported, the rest is
/// stored; a file that cannot be read to its end is not stored at all.
pub async fn import_file<S: CatalogRepository + ReferenceRepository + ?Sized>(
    store: &S,
    path: &Path,
    format: Option<Format>,
    progress: &dyn Progress,
) -> Result<ImportReport, CatalogError> {
    let unit = ImportUnit {
        name: path.display().to_string(),
        paths: vec![path.to_owned()],
        format,
    };
    import_unit(store, &unit, progress).await
}

/// What one import transaction reads: one file, or a directory's Relaton YAML files (one
/// record per file, as Relaton data repositories keep them).
#[derive(Debug, Clone)]
pub struct ImportUnit {
    /// The file, or the directory of the files.
    pub name: String,
    /// The files, in order.
    pub paths: Vec<PathBuf>,
    /// The format, when given; else told from the first file.
    pub format: Option<Format>,
}

/// Plans the imports of `paths`: directories are walked; the YAML files of one directory
/// become one unit, every other file a unit of its own.
pub fn plan_units(
    paths: &[PathBuf],
    format: Option<Format>,
) -> Result<Vec<ImportUnit>, CatalogError> {
    let mut units: Vec<ImportUnit> = Vec::new();
    for path in expand_paths(paths)? {
        let directory = path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if is_yaml(&path)
            && let Some(last) = units.last_mut()
            && last
                .paths
                .last()
                .is_some_and(|p| is_yaml(p) && p.parent() == path.parent())
        {
            if last.paths.len() == 1 {
                last.name = format!("{directory} (YAML files)");
            }
            last.paths.push(path);
            continue;
        }
        units.push(ImportUnit {
            name: path.display().to_string(),
            paths: vec![path],
            format,
        });
    }
    Ok(units)
}

/// Imports one unit in one transaction.
pub async fn import_unit<S: CatalogRepository + ReferenceRepository + ?Sized>(
    store: &S,
    unit: &ImportUnit,
    progress: &dyn Progress,
) -> Result<ImportReport, CatalogError> {
    let Some(first) = unit.paths.first() else {
        return Err(CatalogError::UnknownFormat {
            path: PathBuf::from(&unit.name),
            reason: "no file".to_owned(),
        });
    };
    let format = match unit.format {
        Some(format) => format,
        None => detect(first)?,
    };
    let started = Instant::now();
    let total = unit
        .paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    progress.start(Path::new(&unit.name), total);
    let mut report = if format.is_reference() {
        import_reference(store, first, format).await?
    } else {
        import_records(store, unit, format, progress).await?
    };
    progress.finish();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Every importable file under `paths` (directories are walked, files sorted by name).
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CatalogError> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|source| CatalogError::Io {
                    path: path.clone(),
                    source,
                })?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            let nested: Vec<PathBuf> = entries
                .into_iter()
                .filter(|p| p.is_dir() || crate::format::is_importable(p))
                .collect();
            found.extend(expand_paths(&nested)?);
        } else {
            found.push(path.clone());
        }
    }
    Ok(found)
}

async fn import_records<S: CatalogRepository + ?Sized>(
    store: &S,
    unit: &ImportUnit,
    format: Format,
    progress: &dyn Progress,
) -> Result<ImportReport, CatalogError> {
    let reader_counter = ReadCounter::default();
    let (tx, mut rx) = mpsc::channel::<Message>(4);
    let paths = unit.paths.clone();
    let reader = reader_for(format);
    let reader = tokio::task::spawn_blocking(move || {
        let mut sender = BatchSender::new(&tx, reader_counter.clone());
        let read = paths.iter().try_for_each(|path| {
            sender.start_file(path);
            reader.read(path, &reader_counter, &mut sender)
        });
        if let Err(error) = read.and_then(|()| sender.flush()) {
            let _ = tx.blocking_send(Message::Fatal(error));
        }
    });
    let mut report = ImportReport {
        path: unit.name.clone(),
        format,
        records: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        rejected: Vec::new(),
        merges: Vec::new(),
        seconds: 0.0,
    };
    let mut session = store.begin_import(&report.path, format.name()).await?;
    while let Some(message) = rx.recv().await {
        match message {
            Message::Batch {
                records,
                rejected,
                read,
                bytes,
            } => {
                report.records += read;
                report.rejected.extend(rejected);
                let outcome = match session.apply(records).await {
                    Ok(outcome) => outcome,
                    Err(error) => {
                        drop(rx);
                        let _ = reader.await;
                        session.rollback().await?;
                        return Err(error.into());
                    }
                };
                report.inserted += outcome.inserted;
                report.updated += outcome.updated;
                report.unchanged += outcome.unchanged;
                report.merges.extend(outcome.merges);
                progress.advance(bytes, report.records);
            }
            Message::Fatal(error) => {
                drop(rx);
                let _ = reader.await;
                session.rollback().await?;
                return Err(error);
            }
        }
    }
    let _ = reader.await;
    session
        .commit(
            report.inserted,
            report.updated,
            report.unchanged,
            report.rejected.len() as u64,
        )
        .await?;
    Ok(report)
}

/// Reads one format's records from a file, handing each record (or its rejection) to
/// the batch sender. Runs on the import's reader thread.
trait RecordReader: Send + Sync {
    /// Reads `path`; an error stops the whole file (nothing of it is stored).
    fn read(
        &self,
        path: &Path,
        counter: &ReadCounter,
        sender: &mut BatchSender<'_>,
    ) -> Result<(), CatalogError>;
}

/// The reader of a record format (reference data formats have none: they are imported
/// by `reference`).
fn reader_for(format: Format) -> Box<dyn RecordReader> {
    match format {
        Format::Relaton => Box::new(relaton::RelatonReader),
        Format::IsoOpenData => Box::new(iso::IsoOpenDataReader),
        Format::GenericJsonl => Box::new(generic::GenericJsonlReader),
        Format::GenericCsv => Box::new(generic::GenericCsvReader),
        Format::Ics | Format::Ccs | Format::Countries | Format::Bodies => Box::new(NoRecords),
    }
}

/// Reference data read as records: nothing.
struct NoRecords;

impl RecordReader for NoRecords {
    fn read(&self, _: &Path, _: &ReadCounter, _: &mut BatchSender<'_>) -> Result<(), CatalogError> {
        Ok(())
    }
}

/// 0 when the record's first publisher is the designation's own publisher, so that the
/// publisher's own catalogue wins a merge.
fn priority_of(record: &Standard) -> u8 {
    let own = Designation::parse(&record.designation)
        .ok()
        .and_then(|d| d.publishers().first().map(|p| (*p).to_owned()));
    match (own, record.publishers.first()) {
        (Some(own), Some(publisher)) if own.eq_ignore_ascii_case(publisher) => 0,
        _ => 1,
    }
}

pub(super) fn is_yaml(path: &Path) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".yaml") || name.ends_with(".yml")
}
