//! Importing into memories: TMX files read on a thread of their own and written in one
//! store transaction with the index beside it; units from any source.

use std::path::Path;

use serde::Serialize;
use std::collections::BTreeMap;
use stdbridge_storage::UnitWrite;

use super::{Memories, decode};
use crate::error::TmError;
use crate::tmx::{Header, TmxItem, TmxReader};
use crate::unit::Unit;

/// Units written per index commit check and progress report.
const BATCH: usize = 2_000;

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// The memory imported into.
    pub memory: String,
    /// Units read from the file.
    pub read: u64,
    /// New units stored.
    pub inserted: u64,
    /// Units that duplicated one already stored (merged into it).
    pub merged: u64,
    /// Units not stored: `FILE:LINE: reason`.
    pub rejected: Vec<String>,
    /// How many language versions per language.
    pub languages: BTreeMap<String, u64>,
    /// Seconds taken.
    pub seconds: f64,
}

impl Memories {
    /// Imports a TMX file into a memory (made if missing), in one transaction: a file
    /// that is not well-formed stores nothing, and what the memory held stays. Units
    /// that duplicate stored ones are merged into them; units that cannot be used (no
    /// language, no segment) are reported and left out.
    pub async fn import_tmx(
        &self,
        memory: &str,
        path: &Path,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportReport, TmError> {
        let started = std::time::Instant::now();
        // A memory made for this import is made in its transaction: a failed or killed
        // import leaves no empty memory behind.
        let (collection, mut writer) = match self.store.memory(memory).await? {
            Some(existing) => {
                let writer = self.store.memory_writer(existing.id).await?;
                (existing, writer)
            }
            None => {
                self.store
                    .create_memory_writer(
                        memory,
                        None,
                        stdbridge_storage::Visibility::Private,
                        None,
                        &super::now_rfc3339(),
                    )
                    .await?
            }
        };
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Vec<TmxItem>, TmError>>(8);
        let (header_sender, header_receiver) = tokio::sync::oneshot::channel::<Header>();
        let file = path.to_owned();
        let reader_thread = std::thread::spawn(move || read_tmx(&file, sender, header_sender));
        let mut report = ImportReport {
            memory: collection.name.clone(),
            ..ImportReport::default()
        };
        let mut index_writer = self.index.writer()?;
        let mut failure: Option<TmError> = None;
        let display = path.display().to_string();
        while let Some(batch) = receiver.recv().await {
            let items = match batch {
                Ok(items) => items,
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            };
            for item in items {
                match item {
                    TmxItem::Rejected(line, reason) => {
                        report.rejected.push(format!("{display}:{line}: {reason}"));
                    }
                    TmxItem::Unit(unit, line) => {
                        if let Some(reason) = unit.oversized() {
                            report.rejected.push(format!("{display}:{line}: {reason}"));
                            continue;
                        }
                        if let Err(error) = self
                            .write_unit(
                                writer.as_mut(),
                                &index_writer,
                                collection.id,
                                unit,
                                &mut report,
                            )
                            .await
                        {
                            failure = Some(error);
                            break;
                        }
                    }
                }
            }
            if failure.is_some() {
                break;
            }
            progress(report.read);
        }
        drop(receiver);
        let header = header_receiver.await.ok();
        if reader_thread.join().is_err() {
            failure.get_or_insert(TmError::Worker(display.clone()));
        }
        if let Some(error) = failure {
            // Nothing of this file is kept: the transaction and the index writer roll back.
            drop(writer);
            index_writer
                .rollback()
                .map_err(|e| TmError::Index(e.to_string()))?;
            return Err(error);
        }
        if let Some(header) = header
            && (collection.header == "{}" || collection.header.is_empty())
        {
            let json = serde_json::to_string(&header).unwrap_or_else(|_| "{}".into());
            writer.set_header(&json).await?;
        }
        self.commit_import(writer, index_writer, &report).await?;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Adds units (from a generator, an editor or a finished translation) to a memory,
    /// in one transaction, merging duplicates.
    pub async fn add_units(
        &self,
        memory: &str,
        units: impl IntoIterator<Item = Unit>,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportReport, TmError> {
        let started = std::time::Instant::now();
        let collection = self.get_or_create(memory).await?;
        let mut report = ImportReport {
            memory: collection.name.clone(),
            ..ImportReport::default()
        };
        let mut writer = self.store.memory_writer(collection.id).await?;
        let index_writer = self.index.writer()?;
        for unit in units {
            self.write_unit(
                writer.as_mut(),
                &index_writer,
                collection.id,
                unit,
                &mut report,
            )
            .await?;
            if report.read.is_multiple_of(BATCH as u64) {
                progress(report.read);
            }
        }
        self.commit_import(writer, index_writer, &report).await?;
        progress(report.read);
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Commits the store, then the index with the store's new generation; after a large
    /// import the index is merged into one segment.
    async fn commit_import(
        &self,
        writer: Box<dyn stdbridge_storage::MemoryTransaction>,
        mut index_writer: tantivy::IndexWriter,
        report: &ImportReport,
    ) -> Result<(), TmError> {
        let generation = writer.commit().await?;
        self.index.commit(&mut index_writer, generation)?;
        if report.inserted > 50_000 {
            self.index.merge_all(index_writer)?;
        }
        Ok(())
    }

    /// Stores one unit, or merges it into the stored unit with the same content, and
    /// counts it in the report.
    async fn write_unit(
        &self,
        writer: &mut dyn stdbridge_storage::MemoryTransaction,
        index_writer: &tantivy::IndexWriter,
        memory_id: i64,
        unit: Unit,
        report: &mut ImportReport,
    ) -> Result<(), TmError> {
        report.read += 1;
        for variant in &unit.variants {
            *report.languages.entry(variant.lang.clone()).or_default() += 1;
        }
        let new = unit.to_new_unit();
        match writer.insert(&new).await? {
            UnitWrite::Inserted(id) => {
                self.index.add_unit(index_writer, memory_id, id, &unit)?;
                report.inserted += 1;
            }
            UnitWrite::Existing(stored) => {
                let mut merged = decode(&stored)?;
                merged.merge_duplicate(&unit);
                writer.update(stored.id, &merged.to_new_unit()).await?;
                report.merged += 1;
            }
        }
        Ok(())
    }
}

fn read_tmx(
    path: &Path,
    sender: tokio::sync::mpsc::Sender<Result<Vec<TmxItem>, TmError>>,
    header_sender: tokio::sync::oneshot::Sender<Header>,
) {
    let mut reader = match TmxReader::open(path) {
        Ok(reader) => reader,
        Err(error) => {
            let _ = sender.blocking_send(Err(error.into()));
            return;
        }
    };
    let _ = header_sender.send(reader.header().clone());
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        match reader.next_item() {
            Ok(Some(item)) => {
                batch.push(item);
                if batch.len() == BATCH
                    && sender
                        .blocking_send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))))
                        .is_err()
                {
                    return;
                }
            }
            Ok(None) => {
                let _ = sender.blocking_send(Ok(batch));
                return;
            }
            Err(error) => {
                let _ = sender.blocking_send(Err(error.into()));
                return;
            }
        }
    }
}
